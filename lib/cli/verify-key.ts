import { resolve } from 'node:path';
import { verifyKeyFile, type VerifyKeyResult } from '../keyfile/verify';
import { BUILT_IN_PROFILES, pinKeyFormat } from '../profiles';
import { escapeControls } from '../report/escape';

/** Where `runVerifyKey` writes; the CLI's `CliIo` fits. */
export interface VerifyKeyIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
}

export const VERIFY_KEY_USAGE = `Usage: key-custody verify-key <file> --app ${Object.keys(BUILT_IN_PROFILES).join('|')}
         [--key-format hex64|hex32] [--fingerprint <kcfp1:...>]

Check a master key file: encoding and length (zitadel: exactly 32 printable ASCII
characters, no trailing newline; servos/act: 64 hex characters or 32, "32-byte hex" read
either way, and it says which it found; --key-format pins one), an owner-only mode
(0400; servos/act also 0600), owner root, and a 0700 directory. With --fingerprint, the
key must have that fingerprint (the kcfp1 value \`key-custody keygen\` printed, the
MasterKey's fingerprint prop): the check a restore ends with. Prints the reasons and the
SHA-256 of the file, never the key.

Exit codes: 0 ok, 1 problems found, 2 bad usage or unreadable file.
`;

/**
 * `key-custody verify-key <file> --app <profile>`. `argv` are the arguments after the
 * subcommand (a leading `verify-key` is accepted too). Returns the exit code.
 */
export function runVerifyKey(argv: readonly string[], io: VerifyKeyIo): number {
  const args = argv[0] === 'verify-key' ? argv.slice(1) : [...argv];
  // Paths, arguments and messages are shown with control characters escaped: a file name with
  // an ESC or a CR must not reach the terminal raw.
  const say = (line: string) => io.stdout.write(`${escapeControls(line)}\n`);
  const usage = (why: string) => {
    io.stderr.write(`key-custody verify-key: ${escapeControls(why)}\n(run \`key-custody verify-key --help\` for usage)\n`);
    return 2;
  };
  let app: string | undefined;
  let format: string | undefined;
  let fingerprint: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') {
      io.stdout.write(VERIFY_KEY_USAGE);
      return 0;
    }
    if (a === '--app') {
      if (i + 1 >= args.length) return usage('--app needs a value');
      app = args[++i];
    } else if (a.startsWith('--app=')) {
      app = a.slice('--app='.length);
    } else if (a === '--key-format' || a === '--fingerprint') {
      if (i + 1 >= args.length) return usage(`${a} needs a value`);
      if (a === '--key-format') format = args[++i];
      else fingerprint = args[++i];
    } else if (a.startsWith('--key-format=')) {
      format = a.slice('--key-format='.length);
    } else if (a.startsWith('--fingerprint=')) {
      fingerprint = a.slice('--fingerprint='.length);
    } else if (a.startsWith('-') && a !== '-') {
      return usage(`unknown option ${a}`);
    } else {
      files.push(a);
    }
  }
  if (files.length !== 1) return usage(files.length === 0 ? 'give the key file to check' : 'give exactly one key file');
  if (!app) return usage(`give the app: --app ${Object.keys(BUILT_IN_PROFILES).join('|')}`);
  const base = BUILT_IN_PROFILES[app];
  if (!base) return usage(`unknown app "${app}": use one of ${Object.keys(BUILT_IN_PROFILES).join(', ')}`);
  let profile = base;
  if (format !== undefined) {
    if (format !== 'hex64' && format !== 'hex32') return usage(`--key-format "${format}": use hex64 (64 hex characters) or hex32 (32 hex characters)`);
    try {
      profile = pinKeyFormat(base, format);
    } catch (e) {
      return usage((e as Error).message);
    }
  }

  let r: VerifyKeyResult;
  try {
    r = verifyKeyFile(files[0], profile, fingerprint !== undefined ? { fingerprint } : {});
  } catch (e) {
    io.stderr.write(`key-custody verify-key: ${escapeControls((e as Error).message)}\n`);
    return 2;
  }
  const file = resolve(files[0]);
  if (r.ok) {
    say(`ok: ${file} is a valid ${profile.name} master key file`);
    for (const p of r.passed) say(`  ✓ ${p}`);
  } else {
    say(`FAIL: ${file} has ${r.problems.length} problem(s) as a ${profile.name} master key file:`);
    for (const p of r.problems) say(`  ✗ ${p}`);
  }
  say(`sha256: ${r.fingerprint}`);
  return r.ok ? 0 : 1;
}
