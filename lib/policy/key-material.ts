/**
 * What "looks like key material" means wherever the library quotes a value a user typed
 * (construct errors, first of all). A key pasted into the wrong prop (`fingerprint`, a path,
 * `keyId`, a bucket name, a reader ARN) must never be printed back: errors end up in CI logs
 * and terminals that outlive the key.
 *
 * The definition, written once here:
 * - a run of {@link MIN_KEY_CHARS} or more hex digits: ServOS/ACT keys are 64 hex characters.
 *   A SHA-256 fingerprint (or an image digest) looks exactly the same, so it is redacted too:
 *   a 64-hex value is legitimate in `fingerprint`, but in an error it cannot be told apart
 *   from the key itself;
 * - a run of {@link MIN_KEY_CHARS} or more characters of the base64 alphabet (letters,
 *   digits, `+`, `/`, `_`, `-`, `=`) that mixes upper-case letters, lower-case letters and
 *   digits: Zitadel's 32-character keys, random keys and their base64 form. Identifiers,
 *   bucket names and paths are lower-case or broken up by `.`, `:` and the like, so they
 *   stay readable;
 * - an `age` secret key (`AGE-SECRET-KEY-1...`).
 *
 * Structured values stay readable: an ARN (`arn:...`) is judged by the hex rule only, and a
 * run ends at `/`, `.`, `:` and the like, so paths, construct paths, zod paths
 * (`previousGenerations.0.fingerprint`) and domain names are judged segment by segment:
 * `/Users/Alice/Projects2024/masterkey` stays readable while `/etc/<key>` does not.
 *
 * A whole value (a prop as given) is judged more broadly, because a key with punctuation (Zitadel
 * accepts any printable ASCII) or a base64 key with a `/` falls apart into short runs: a value
 * of {@link MIN_KEY_CHARS} or more characters without whitespace that mixes upper case, lower
 * case and digits, and changes between those classes (and punctuation) at a third or more of
 * its characters, as random text does and words do not, is key material too, unless it is an
 * ARN, an absolute path or a URL. `Zitadel/Production2024/MasterKey` stays readable.
 */

/** Shortest run judged as a key: Zitadel's keys are 32 characters, hex keys 64. */
export const MIN_KEY_CHARS = 32;

/** What a redacted value is printed as. */
export const REDACTED = '<redacted>';

const HEX_RUN = new RegExp(`[0-9a-fA-F]{${MIN_KEY_CHARS},}`);
// `/` is left out: it separates the segments of construct paths, object keys and names, which
// are judged one by one. A base64 key with a `/` is caught as a whole value (below).
const BASE64_RUN = /[A-Za-z0-9+_=-]+/g;
const AGE_KEY = /AGE-SECRET-KEY-1[0-9A-Z]+/i;

function mixesClasses(s: string): boolean {
  return /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s);
}

/** An ARN, a URL or an absolute path: never judged as one run. */
function structured(s: string): 'arn' | 'path' | undefined {
  if (/^arn:/i.test(s)) return 'arn';
  if (s.startsWith('/') || s.startsWith('~/') || s.includes('://')) return 'path';
  return undefined;
}

/** Whether a run of non-space characters (a token of a message) holds key material. */
function keyLikeToken(token: string): boolean {
  if (HEX_RUN.test(token) || AGE_KEY.test(token)) return true;
  if (structured(token) === 'arn') return false;
  return (token.match(BASE64_RUN) ?? []).some((run) => run.length >= MIN_KEY_CHARS && mixesClasses(run));
}

/**
 * Whether a value as a user gave it looks like key material (see the module comment): the
 * token rules, or, for a value that is not an ARN, path or URL, {@link MIN_KEY_CHARS}+
 * characters without whitespace that mix upper case, lower case and digits as random text does.
 */
export function looksLikeKeyMaterial(value: string): boolean {
  if (keyLikeToken(value)) return true;
  if (value.length < MIN_KEY_CHARS || /\s/.test(value) || structured(value) !== undefined) return false;
  return mixesClasses(value) && classChanges(value) * 3 >= value.length - 1;
}

/** Adjacent characters of different classes (upper, lower, digit, other): many in random text, few in words. */
function classChanges(s: string): number {
  const cls = (c: string) => (/[A-Z]/.test(c) ? 0 : /[a-z]/.test(c) ? 1 : /[0-9]/.test(c) ? 2 : 3);
  let n = 0;
  for (let i = 1; i < s.length; i++) if (cls(s[i]) !== cls(s[i - 1])) n++;
  return n;
}

// C0 controls and DEL. An ESC or a CR from a value would reach the terminal raw and could
// rewrite what is shown; a newline inside a value would forge a line of the message.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f]/g;
// The same but the newline, which separates a message's own lines.
// eslint-disable-next-line no-control-regex
const CONTROLS_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f]/g;

function escapeControl(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every key-like value replaced by {@link REDACTED} and control characters
 * escaped. `values` are the values the user gave (a construct's props, as strings): each one
 * that {@link looksLikeKeyMaterial} is removed wherever it appears, raw or JSON-escaped, and
 * each one holding a control character (a newline too) is shown escaped. Then every token of
 * the text is judged on its own, which catches values quoted in part or built into a message.
 */
export function redactKeyMaterial(text: string, values: Iterable<string> = []): string {
  let out = text;
  // Longest first, so that a value containing another is replaced whole.
  const list = [...new Set(values)].filter((v) => v.length > 0).sort((a, b) => b.length - a.length);
  for (const v of list) {
    if (looksLikeKeyMaterial(v)) {
      out = out.split(v).join(REDACTED);
      const json = JSON.stringify(v).slice(1, -1);
      if (json !== v) out = out.split(json).join(REDACTED);
    } else if (v.search(CONTROLS) >= 0) {
      out = out.split(v).join(v.replace(CONTROLS, escapeControl));
    }
  }
  out = out.replace(/[^\s"'`]+/g, (token) => (keyLikeToken(token) ? REDACTED : token));
  return out.replace(CONTROLS_BUT_NEWLINE, escapeControl);
}

/**
 * The string leaves of a value (a construct's props): strings in plain objects and arrays,
 * up to a depth and a count, so that a huge or cyclic props object cannot make an error slow.
 * Class instances (constructs, providers, tokens' holders) are not walked: their strings are
 * not user input.
 */
export function stringLeaves(value: unknown, maxDepth = 8, maxLeaves = 10_000): string[] {
  const out: string[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown, depth: number): void => {
    if (out.length >= maxLeaves) return;
    if (typeof v === 'string') {
      out.push(v);
      return;
    }
    if (v === null || typeof v !== 'object' || depth >= maxDepth || seen.has(v)) return;
    seen.add(v);
    const proto: unknown = Object.getPrototypeOf(v);
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
    } else if (proto === Object.prototype || proto === null) {
      for (const k of Object.keys(v)) {
        walk(k, depth + 1);
        walk((v as Record<string, unknown>)[k], depth + 1);
      }
    }
  };
  walk(value, 0);
  return out;
}
