/**
 * verify-key (#20): the owner the profile's app can read (root; Zitadel: 1000:1000, the user
 * its image runs as; --owner for another), and the key's kcfp1 fingerprint printed, never the
 * key, so that an operator compares a host file with the copies record.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runVerifyKey } from '../../lib/cli/verify-key';
import { verifyKeyFile } from '../../lib/keyfile/verify';
import { COPIES_RECORD_KIND, renderCopiesRecord, type RecordedCopy } from '../../lib/policy/copies-record';
import { keyFingerprint } from '../../lib/policy/fingerprint';
import { SERVOS, ZITADEL } from '../../lib/profiles';

const isRoot = process.getuid?.() === 0;
const root = mkdtempSync(join(tmpdir(), 'kc-verify-owner-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ZKEY = 'Zq7-Lp2#Xv9!Rt4%Wm8&Ks1*Hd6+Fb3=';
const HEX64 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
let n = 0;

function keyFile(content: string, owner: [number, number] = [0, 0], mode = 0o400): string {
  const dir = join(root, `k${n++}`);
  mkdirSync(dir, { mode: 0o700 });
  const file = join(dir, 'key');
  writeFileSync(file, content);
  chmodSync(file, mode);
  chownSync(file, owner[0], owner[1]);
  return file;
}

function cli(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runVerifyKey(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

function record(copies: Partial<RecordedCopy>[]): string {
  const file = join(root, `record-${n++}.json`);
  const full = copies.map((c) => ({ key: 'zitadel-prod', app: 'zitadel', generation: 1, kind: 'hot', medium: 'host-file', location: '/etc/zitadel/masterkey', offsite: false, date: '2026-12-06', encryption: 'plain', ...c }));
  writeFileSync(file, renderCopiesRecord({ kind: COPIES_RECORD_KIND, version: 1, copies: full as RecordedCopy[] }));
  return file;
}

describe.skipIf(!isRoot)('verify-key: the owner the app can read', () => {
  it('zitadel wants 1000:1000 (the image user) and says why a root-owned file is wrong', () => {
    expect(verifyKeyFile(keyFile(ZKEY, [1000, 1000]), ZITADEL)).toMatchObject({ ok: true, problems: [] });
    const r = verifyKeyFile(keyFile(ZKEY), ZITADEL);
    expect(r.problems).toEqual([
      expect.stringMatching(/^is owned by uid 0; it must be owned by uid 1000, the user the zitadel image runs as \(zitadel\), which cannot read a file only root can read: `chown 1000:1000 .*\/key`$/),
      expect.stringMatching(/^has group gid 0; it must be group gid 1000: `chown 1000:1000 .*\/key`$/),
    ]);
    expect(r.passed).not.toContain('mode 0400, owner root:root');
  });

  it('--owner overrides the profile (a key run by root, or another uid); servos keeps root', () => {
    expect(cli([keyFile(ZKEY), '--app', 'zitadel', '--owner', '0:0']).code).toBe(0);
    const other = cli([keyFile(ZKEY, [10001, 10001]), '--app', 'zitadel', '--owner', '10001:10001']);
    expect(other.code).toBe(0);
    expect(other.out).toContain('✓ mode 0400, owner 10001:10001');
    expect(cli([keyFile(ZKEY, [1000, 1000]), '--app', 'zitadel', '--owner', 'zitadel']).err).toContain('--owner "zitadel": give the numeric uid:gid');
    expect(verifyKeyFile(keyFile(HEX64, [1000, 1000]), SERVOS).problems[0]).toMatch(/^is owned by uid 1000; it must be owned by root: `chown root:root /);
  });
});

describe.skipIf(!isRoot)('verify-key prints the kcfp1 fingerprint, never the key', () => {
  it('under the salt of --fingerprint: the same text keygen printed', () => {
    const fp = keyFingerprint(Buffer.from(ZKEY));
    const r = cli([keyFile(ZKEY, [1000, 1000]), '--app', 'zitadel', '--fingerprint', fp]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`\nkcfp1: ${fp}\n`);
    expect(r.out).not.toContain(ZKEY);
  });

  it('under --salt, to compare by eye; a bad salt is a usage error', () => {
    const fp = keyFingerprint(Buffer.from(HEX64));
    const salt = fp.split(':')[1];
    const r = cli([keyFile(`${HEX64}\n`), '--app', 'servos', '--salt', salt.toUpperCase()]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`kcfp1: ${fp}\n`);
    expect(cli([keyFile(HEX64), '--app', 'servos', '--salt', 'xyz']).code).toBe(2);
  });

  it('with --record: finds the generation whose copies the file holds, or fails', () => {
    const g1 = keyFingerprint(Buffer.from('A'.repeat(32)));
    const g2 = keyFingerprint(Buffer.from(ZKEY));
    const rec = record([
      { generation: 1, fingerprint: g1 },
      { generation: 2, fingerprint: g2 },
      { generation: 2, kind: 'cold', medium: 'nas', location: '/mnt/nas/k.age', fingerprint: g2, encryption: 'age' },
      { key: 'other', fingerprint: keyFingerprint(Buffer.from('B'.repeat(32))) },
    ]);
    const file = keyFile(ZKEY, [1000, 1000]);
    const r = cli([file, '--app', 'zitadel', '--record', rec, '--key-id', 'zitadel-prod']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('✓ fingerprint found in the copies record: the record has copies of this key');
    expect(r.out).toContain(`kcfp1: ${g2}\n  the copies record's zitadel-prod generation 2: hot host-file (2026-12-06), cold nas (2026-12-06)\n`);
    expect(r.out).not.toContain(ZKEY);

    const wrong = cli([file, '--app', 'zitadel', '--record', rec, '--key-id', 'zitadel-prod', '--generation', '1']);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('has none of the 1 fingerprint(s) of the copies record: it is another key');
    expect(wrong.out).toContain(`kcfp1: kcfp1:${g1.split(':')[1]}:`);

    expect(cli([file, '--app', 'zitadel', '--record', rec, '--key-id', 'nope']).err).toContain('has no kcfp1 fingerprint of key nope');
    expect(cli([file, '--app', 'zitadel', '--key-id', 'zitadel-prod']).err).toContain('give --record');
    expect(cli([file, '--app', 'zitadel', '--record', join(root, 'missing.json')]).code).toBe(2);
  });

  it('without a salt it says what it needs instead of inventing one', () => {
    const r = cli([keyFile(ZKEY, [1000, 1000]), '--app', 'zitadel']);
    expect(r.code).toBe(0);
    expect(r.out).toContain("kcfp1: not computed: it needs the key's salt; give --fingerprint, --record or --salt\n");
  });
});
