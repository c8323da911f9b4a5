/**
 * verify-key true to the ServOS/ACT runbooks (#20): "mode 600" and "32-byte hex" read both
 * ways are accepted, verify-key says which length it found, --key-format pins one, and
 * --fingerprint compares with the kcfp1 fingerprint keygen made.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runVerifyKey } from '../../lib/cli/verify-key';
import { verifyKeyFile } from '../../lib/keyfile/verify';
import { keyFingerprint } from '../../lib/policy/fingerprint';
import { ACT, pinKeyFormat, SERVOS, ZITADEL } from '../../lib/profiles';

const isRoot = process.getuid?.() === 0;
const root = mkdtempSync(join(tmpdir(), 'kc-verify-formats-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HEX64 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const HEX32 = '3a7bd3e2360a3d29eea436fcfb7e44c7';
let n = 0;

function keyFile(content: string, mode = 0o400): string {
  const dir = join(root, `k${n++}`);
  mkdirSync(dir, { mode: 0o700 });
  const file = join(dir, 'key');
  writeFileSync(file, content);
  chmodSync(file, mode);
  return file;
}

function cli(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runVerifyKey(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

describe.skipIf(!isRoot)('ServOS/ACT key files as their runbooks describe them', () => {
  it('accepts mode 0600 and 0400 for servos and act', () => {
    for (const profile of [SERVOS, ACT]) {
      for (const mode of [0o600, 0o400]) {
        const r = verifyKeyFile(keyFile(HEX64, mode), profile);
        expect(r.problems).toEqual([]);
        expect(r.passed).toContain(`mode 0${mode.toString(8)}, owner root:root`);
      }
    }
  });

  it('still wants 0400 for zitadel, and refuses 0640 for servos', () => {
    expect(verifyKeyFile(keyFile('Zq7-Lp2#Xv9!Rt4%Wm8&Ks1*Hd6+Fb3=', 0o600), ZITADEL).problems.join('\n')).toContain('it must be 0400 (readable by its owner only)');
    expect(verifyKeyFile(keyFile(HEX64, 0o640), SERVOS).problems.join('\n')).toContain('has mode 0640; it must be owner-only, 0400 or 0600');
  });

  it('accepts 64 and 32 hex characters and says which reading it found', () => {
    const a = cli([keyFile(HEX64), '--app', 'servos']);
    expect(a.code).toBe(0);
    expect(a.out).toContain('64 hex characters (32 bytes: the "32-byte hex" reading of `openssl rand -hex 32`)');
    const b = cli([keyFile(`${HEX32}\n`, 0o600), '--app', 'act']);
    expect(b.code).toBe(0);
    expect(b.out).toContain('32 hex characters (16 bytes: the "32-byte hex" reading of `openssl rand -hex 16`)');
  });

  it('--key-format pins one length', () => {
    const short = keyFile(HEX32);
    const r = cli([short, '--app', 'servos', '--key-format', 'hex64']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('is 32 characters; servos needs 64 hex characters (32 bytes);');
    expect(cli([short, '--app', 'servos', '--key-format', 'hex32']).code).toBe(0);
    expect(verifyKeyFile(keyFile(HEX64), pinKeyFormat(ACT, 'hex32')).problems.join('\n')).toContain('act needs 32 hex characters (16 bytes)');
    expect(cli([short, '--app', 'zitadel', '--key-format', 'hex32']).err).toContain('is for hex keys');
    expect(cli([short, '--app', 'servos', '--key-format', 'hex48']).err).toContain('use hex64');
  });

  it('refuses other hex lengths, naming both', () => {
    expect(verifyKeyFile(keyFile(HEX64.slice(0, 48)), SERVOS).problems.join('\n')).toContain('is 48 characters; servos needs 64 hex characters (32 bytes) or 32 (16 bytes)');
  });
});

describe.skipIf(!isRoot)('verify-key --fingerprint', () => {
  it('says the key matches its kcfp1 fingerprint, hex case and a trailing newline aside', () => {
    const fp = keyFingerprint(Buffer.from(HEX64));
    const r = cli([keyFile(`${HEX64.toUpperCase()}\n`), '--app', 'servos', '--fingerprint', fp]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('fingerprint matches');
    expect(r.out).not.toContain(HEX64);
  });

  it('fails on another key, and on a value that is not a kcfp1 fingerprint', () => {
    const other = keyFingerprint(Buffer.from(HEX32));
    const r = cli([keyFile(HEX64), '--app', 'servos', `--fingerprint=${other}`]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('does not have the fingerprint given: it is another key');
    const s = cli([keyFile(HEX64), '--app', 'servos', '--fingerprint', 'abc']);
    expect(s.code).toBe(1);
    expect(s.out).toContain('is not a kcfp1 fingerprint');
  });

  it('for zitadel, the trailing newline is part of the key', () => {
    const key = 'Zq7-Lp2#Xv9!Rt4%Wm8&Ks1*Hd6+Fb3=';
    const fp = keyFingerprint(Buffer.from(key));
    expect(verifyKeyFile(keyFile(key), ZITADEL, { fingerprint: fp }).fingerprintMatches).toBe(true);
    expect(verifyKeyFile(keyFile(`${key}\n`), ZITADEL, { fingerprint: fp }).fingerprintMatches).toBe(false);
  });
});
