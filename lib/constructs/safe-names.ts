import * as z from '../vendor/zod';

// Host paths and file names the constructs write into docker mounts, container commands, the
// deploy-time check's shell argument and the runbooks operators paste into a shell. The
// schemas refuse what is unsafe there, with the reason; each reason is written once here.

/** Longest host path accepted: Linux allows 4096, a key's path is a few dozen characters. */
export const MAX_HOST_PATH = 1024;
/** Longest segment of a host path: what Linux file systems allow for one name. */
export const MAX_PATH_SEGMENT = 255;
/** Longest key file name inside a container (`/run/secrets/<name>`, `<name>-old` during a rotation). */
export const MAX_SECRET_NAME = 128;

// C0 controls and DEL: a newline splits a docker mount or a runbook command in two.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A value for a message: cut when it is absurdly long, so that the error stays readable. */
export function shownValue(v: string, max = 80): string {
  return v.length > max ? `"${v.slice(0, max)}..." (${v.length} characters)` : `"${v}"`;
}

/**
 * Why an absolute host path is unsafe to mount and to write into commands, or undefined:
 * a control character, shell command substitution, an empty (`//`) or `.` segment, or an
 * absurd length. It judges only these; whether the path is absolute, literal and free of
 * `..` is the caller's check.
 */
export function hostPathProblem(p: string): string | undefined {
  if (p.length > MAX_HOST_PATH) return `is ${p.length} characters long; a host path has at most ${MAX_HOST_PATH}`;
  if (CONTROL.test(p)) return 'contains a control character (a newline, tab or escape), which would split the docker mount and the runbook commands';
  if (p.includes('$(') || p.includes('`')) return 'contains shell command substitution ("$(" or a backtick), which a shell would run';
  if (p.includes('//')) return 'has an empty segment ("//"), so it does not name one file unambiguously';
  const segments = p.split('/');
  if (segments.includes('.')) return 'has a "." segment ("/./"), so it does not name one file unambiguously';
  const long = segments.find((s) => s.length > MAX_PATH_SEGMENT);
  if (long !== undefined) return `has a segment of ${long.length} characters; a file or folder name has at most ${MAX_PATH_SEGMENT}`;
  return undefined;
}

/**
 * Why a key file name inside the container (`secretName`, mounted at `/run/secrets/<name>`) is
 * unsafe, or undefined: `.` and `..` would mount the key over `/run/secrets` or `/run`
 * themselves, and a name longer than {@link MAX_SECRET_NAME} is no sane file name. (Names
 * with other characters than letters, digits, `_`, `.` and `-` are refused before this.)
 */
export function secretNameProblem(name: string): string | undefined {
  if (name === '.' || name === '..') return `names a folder, not a file: the key would be mounted over ${name === '.' ? '/run/secrets' : '/run'} itself; give a plain file name, e.g. "masterkey"`;
  if (name.length > MAX_SECRET_NAME) return `is ${name.length} characters long; give a file name of at most ${MAX_SECRET_NAME}, e.g. "masterkey"`;
  return undefined;
}

/** A key file name inside the container: a plain file name, see {@link secretNameProblem}. */
export function secretNameSchema() {
  return z.string().check(
    z.regex(/^[A-Za-z0-9_.-]+$/, 'must be a plain file name, e.g. "masterkey"'),
    z.superRefine((v, ctx) => {
      const why = secretNameProblem(v);
      if (why) ctx.addIssue({ code: 'custom', message: `secretName ${shownValue(v)} ${why}` });
    }),
  );
}
