import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { verifyKeyFile, type VerifyKeyOptions, type VerifyKeyResult } from '../keyfile/verify';
import { parseCopiesRecord } from '../policy/copies-record';
import { FINGERPRINT_RE } from '../policy/fingerprint';
import { BUILT_IN_PROFILES, pinKeyFormat } from '../profiles';
import { escapeControls } from '../report/escape';

/** Where `runVerifyKey` writes; the CLI's `CliIo` fits. */
export interface VerifyKeyIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
}

export const VERIFY_KEY_USAGE = `Usage: key-custody verify-key <file> --app ${Object.keys(BUILT_IN_PROFILES).join('|')}
         [--key-format hex64|hex32] [--owner <uid>:<gid>]
         [--fingerprint <kcfp1:...> | --record <custody-copies.json> [--key-id <id>] [--generation <n>] | --salt <hex>]

Check a master key file: encoding and length (zitadel: exactly 32 printable ASCII
characters, no trailing newline; servos/act: 64 hex characters or 32, "32-byte hex" read
either way, and it says which it found; --key-format pins one), an owner-only mode
(0400; servos/act also 0600), its owner (root; zitadel: 1000:1000, the user its image runs
as; --owner for another), and a 0700 directory.

It prints the key's kcfp1 fingerprint, never the key, to compare with the copies record:
  --fingerprint  the key must have this fingerprint (the value \`key-custody keygen\` printed,
                 the MasterKey's fingerprint prop): the check a restore ends with;
  --record       the key must have one of the fingerprints of this copies record (written by
                 \`keygen --manifest\`), of --key-id and --generation when given; it says which;
  --salt         only print the fingerprint under this salt (the 32 hex characters after
                 "kcfp1:"), to compare by eye.
It also prints the SHA-256 of the file (the legacy fingerprint).

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
  const values: Record<string, string | undefined> = {};
  const valued = ['--app', '--key-format', '--fingerprint', '--record', '--key-id', '--generation', '--salt', '--owner'];
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') {
      io.stdout.write(VERIFY_KEY_USAGE);
      return 0;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (valued.includes(name)) {
      if (eq > 0) values[name] = a.slice(eq + 1);
      else if (i + 1 >= args.length) return usage(`${a} needs a value`);
      else values[name] = args[++i];
    } else if (a.startsWith('-') && a !== '-') {
      return usage(`unknown option ${a}`);
    } else {
      files.push(a);
    }
  }
  const app = values['--app'];
  const format = values['--key-format'];
  const fingerprint = values['--fingerprint'];
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
  const options: { -readonly [K in keyof VerifyKeyOptions]: VerifyKeyOptions[K] } = {};
  if (fingerprint !== undefined) options.fingerprint = fingerprint;
  const owner = values['--owner'];
  if (owner !== undefined) {
    const m = /^(\d{1,10}):(\d{1,10})$/.exec(owner);
    if (!m) return usage(`--owner "${owner}": give the numeric uid:gid the key file must belong to, e.g. 0:0 or 1000:1000`);
    options.owner = { uid: Number(m[1]), gid: Number(m[2]) };
  }
  const salt = values['--salt'];
  if (salt !== undefined) {
    if (!/^[0-9a-fA-F]{32}$/.test(salt)) return usage(`--salt: give the 32 hex characters after "kcfp1:" of the key's fingerprint`);
    options.salt = salt.toLowerCase();
  }
  const recordFile = values['--record'];
  const keyId = values['--key-id'];
  const generation = values['--generation'];
  if ((keyId !== undefined || generation !== undefined) && recordFile === undefined) return usage('--key-id and --generation select copies of a --record; give --record <custody-copies.json>');
  if (generation !== undefined && !/^[1-9]\d{0,8}$/.test(generation)) return usage(`--generation "${generation}": give a whole number from 1`);
  let recordLabel: ((fp: string) => string) | undefined;
  if (recordFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(recordFile, 'utf8');
    } catch (e) {
      io.stderr.write(`key-custody verify-key: cannot read the copies record ${escapeControls(recordFile)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
      return 2;
    }
    const record = parseCopiesRecord(text, recordFile);
    if (typeof record === 'string') {
      io.stderr.write(`key-custody verify-key: ${escapeControls(record)}\n`);
      return 2;
    }
    const copies = record.copies.filter(
      (c) => typeof c.fingerprint === 'string' && FINGERPRINT_RE.test(c.fingerprint) && (keyId === undefined || c.key === keyId) && (generation === undefined || c.generation === Number(generation)),
    );
    if (copies.length === 0) {
      const which = [keyId !== undefined ? `key ${keyId}` : '', generation !== undefined ? `generation ${generation}` : ''].filter(Boolean).join(', ');
      return usage(`the copies record ${recordFile} has no kcfp1 fingerprint${which ? ` of ${which}` : ''}`);
    }
    options.candidates = [...new Set(copies.map((c) => c.fingerprint))];
    recordLabel = (fp) => {
      const hits = copies.filter((c) => c.fingerprint === fp);
      const gens = [...new Set(hits.map((c) => `${c.key} generation ${c.generation}`))];
      return `${gens.join(', ')}: ${hits.map((c) => `${c.kind} ${c.medium} (${c.date})`).join(', ')}`;
    };
  }

  let r: VerifyKeyResult;
  try {
    r = verifyKeyFile(files[0], profile, options);
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
  if (r.kcfp1 !== undefined) {
    say(`kcfp1: ${r.kcfp1}`);
    if (r.matchedCandidate !== undefined && recordLabel) say(`  the copies record's ${recordLabel(r.matchedCandidate)}`);
  } else {
    say("kcfp1: not computed: it needs the key's salt; give --fingerprint, --record or --salt");
  }
  say(`sha256: ${r.fingerprint}`);
  return r.ok ? 0 : 1;
}
