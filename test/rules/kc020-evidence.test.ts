/**
 * KC020 from evidence (#20): declared copies that hold 3-2-1 on paper only warn; copies
 * recorded by keygen or declared with their fingerprint pass; a key-backup bucket with no
 * recorded upload is "declared, never written"; a copy with another key's fingerprint does
 * not count.
 */
import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc020-three-two-one';
import { bucket, doc, findings, manifest, zitadelKey } from './kc0xx-fixtures';

const FP = `kcfp1:${'1'.repeat(32)}:${'a'.repeat(64)}`;
const OTHER = `kcfp1:${'1'.repeat(32)}:${'b'.repeat(64)}`;
const proven = { fingerprint: FP, date: '2026-12-06', evidence: 'keygen' };

describe('KC020 counts copies with evidence', () => {
  it('warns on the seed setup without evidence, naming each copy and why', () => {
    const f = findings(rule, ['app', doc(manifest([zitadelKey()]))]);
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('warning');
    expect(f[0].message).toBe(
      'key zitadel-master holds 3-2-1 only as declared: with evidence it has 0 copies on 0 media, 0 offsite [none], and 3-2-1 needs 3 more copies (at least 3), copies on 2 distinct media, an offsite copy (an S3 key-backup bucket, or a copy declared offsite such as paper in a safe); ' +
        'without evidence: host-file /etc/zitadel/masterkey: declared without evidence: no keygen record, no fingerprint; nas /mnt/nas/zitadel/masterkey.age: declared without evidence: no keygen record, no fingerprint; paper safe: declared without evidence: no keygen record, no fingerprint',
    );
    expect(f[0].fix).toContain('copiesRecord: "custody-copies.json"');
  });

  it('passes the same copies with evidence: the key fingerprint for the hot copy, keygen records or declared fingerprints for the others', () => {
    const key = zitadelKey({
      fingerprint: FP,
      copies: [
        { kind: 'cold', medium: 'nas', location: '/mnt/nas/zitadel/masterkey.age', offsite: false, ...proven },
        { kind: 'offsite', medium: 'paper', location: 'safe', offsite: true, fingerprint: FP },
      ],
    } as never);
    expect(findings(rule, ['app', doc(manifest([key]))])).toEqual([]);
  });

  it('a key-backup bucket with no recorded upload is declared, never written; a recorded upload in it makes it a copy', () => {
    const copies = [{ kind: 'cold', medium: 'nas', location: '/mnt/nas/k.age', offsite: false, ...proven }];
    const f = findings(rule, ['app', doc(manifest([zitadelKey({ fingerprint: FP, copies } as never)]))], ['keys', doc(bucket('kb', 'key-backup'))]);
    expect(f).toHaveLength(1);
    expect(f[0].message).toMatch(/without evidence: s3 kc-kb: declared, never written: no upload is recorded$/);
    const upload = { kind: 'offsite', medium: 's3', location: 's3://kc-kb/zitadel-master/1/masterkey.age', offsite: true, ...proven };
    expect(findings(rule, ['app', doc(manifest([zitadelKey({ fingerprint: FP, copies: [...copies, upload] } as never)]))], ['keys', doc(bucket('kb', 'key-backup'))])).toEqual([]);
  });

  it("a copy whose fingerprint differs from the key's holds another key and does not count", () => {
    const key = zitadelKey({
      fingerprint: FP,
      copies: [
        { kind: 'cold', medium: 'nas', location: '/mnt/nas/zitadel/masterkey.age', offsite: false, ...proven },
        { kind: 'offsite', medium: 'paper', location: 'safe', offsite: true, fingerprint: OTHER },
      ],
    } as never);
    const f = findings(rule, ['app', doc(manifest([key]))]);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain("paper safe: its fingerprint differs from the key's: it holds another key");
  });

  it('an error for missing copies stays an error, evidence or not', () => {
    const f = findings(rule, ['app', doc(manifest([zitadelKey({ copies: [] })]))]);
    expect(f.map((x) => x.severity)).toEqual(['error']);
  });
});
