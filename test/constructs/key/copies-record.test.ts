/**
 * MasterKey reads the copies record `key-custody keygen --manifest` wrote (#20): the recorded
 * copies go into the custody manifest with their evidence, the record's fingerprint becomes
 * the key's, and the kcfp1 fingerprint is a valid `fingerprint` prop.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MasterKey } from '../../../lib/constructs/key/master-key';
import { keyFingerprint } from '../../../lib/policy/fingerprint';
import { renderCopiesRecord, withCopies, type RecordedCopy } from '../../../lib/policy/copies-record';
import { manifestKeys, newApp, synthJson, thrown } from '../key-test-utils';

const dir = mkdtempSync(join(tmpdir(), 'kc-copies-record-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FP = keyFingerprint(Buffer.from('Zq7-Lp2#Xv9!Rt4%Wm8&Ks1*Hd6+Fb3='));
const base = { key: 'zitadel-prod', app: 'zitadel', generation: 1, fingerprint: FP, date: '2026-12-06' } as const;
const COPIES: RecordedCopy[] = [
  { ...base, kind: 'hot', medium: 'host-file', location: '/etc/zitadel/masterkey', offsite: false, encryption: 'plain' },
  { ...base, kind: 'cold', medium: 'nas', location: '/mnt/nas/zitadel/masterkey.age', offsite: false, encryption: 'age', recipients: ['age1xyz'] },
  { ...base, kind: 'offsite', medium: 's3', location: 's3://acme-zitadel-key/zitadel-prod/1/masterkey.age', offsite: true, encryption: 'age', recipients: ['age1xyz'] },
  { ...base, key: 'other', kind: 'cold', medium: 'nas', location: '/mnt/nas/other.age', offsite: false, encryption: 'age' },
];

function record(copies: RecordedCopy[]): string {
  const file = join(dir, `r${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, renderCopiesRecord(withCopies({ kind: 'cdktf-key-custody/copies', version: 1, copies: [] }, copies)));
  return file;
}

describe('MasterKey copiesRecord', () => {
  it('puts the recorded copies of this key into the manifest with fingerprint, date and evidence; the hot copy counts once', () => {
    const b = newApp({ custody: { rules: [] } });
    const key = new MasterKey(b.stack, 'Key', { keyId: 'zitadel-prod', profile: 'zitadel', hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' }, copiesRecord: record(COPIES) });
    expect(key.fingerprint).toBe(FP);
    const k = manifestKeys(synthJson(b).json)[0];
    expect(k.fingerprint).toBe(FP);
    expect(k.copies.map((c) => [c.kind, c.medium, c.location, c.offsite, c.generation, c.fingerprint, c.date, c.evidence])).toEqual([
      ['hot', 'host-file', '/etc/zitadel/masterkey', false, 1, FP, '2026-12-06', 'keygen'],
      ['cold', 'nas', '/mnt/nas/zitadel/masterkey.age', false, 1, FP, '2026-12-06', 'keygen'],
      ['offsite', 's3', 's3://acme-zitadel-key/zitadel-prod/1/masterkey.age', true, 1, FP, '2026-12-06', 'keygen'],
    ]);
  });

  it('a declared copy at a recorded place gets the evidence instead of counting twice; a declared fingerprint and date are kept', () => {
    const b = newApp({ custody: { rules: [] } });
    new MasterKey(b.stack, 'Key', {
      keyId: 'zitadel-prod',
      profile: 'zitadel',
      hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' },
      fingerprint: FP,
      copies: [
        { kind: 'cold', medium: 'nas', location: '/mnt/nas/zitadel/masterkey.age' },
        { kind: 'paper', medium: 'paper', location: 'safe', offsite: true, fingerprint: FP, date: '2026-12-07' },
      ],
      copiesRecord: record(COPIES.slice(0, 2)),
    });
    const k = manifestKeys(synthJson(b).json)[0];
    expect(k.copies.map((c) => [c.kind, c.evidence, c.date])).toEqual([
      ['hot', 'keygen', '2026-12-06'],
      ['cold', 'keygen', '2026-12-06'],
      ['paper', undefined, '2026-12-07'],
    ]);
  });

  it('a missing or foreign record is one error with the fix', () => {
    const b = newApp({ custody: { rules: [] } });
    expect(thrown(() => new MasterKey(b.stack, 'A', { keyId: 'zitadel-prod', profile: 'zitadel', hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' }, copiesRecord: join(dir, 'none.json') }))).toMatch(
      /MasterKey: copiesRecord .*none\.json: no such file\.\nfix: run `key-custody keygen \.\.\. --manifest/,
    );
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"kind":"something"}');
    expect(thrown(() => new MasterKey(b.stack, 'B', { keyId: 'zitadel-prod', profile: 'zitadel', hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' }, copiesRecord: other }))).toContain(
      'is not a copies record',
    );
  });

  it('accepts a kcfp1 fingerprint, still a legacy SHA-256, and refuses anything else', () => {
    const b = newApp({ custody: { rules: [] } });
    const hot = { kind: 'host-file', path: '/etc/zitadel/masterkey' } as const;
    expect(new MasterKey(b.stack, 'A', { keyId: 'a', profile: 'zitadel', hotCopy: hot, fingerprint: FP.toUpperCase().replace('KCFP1', 'kcfp1') }).fingerprint).toBe(FP);
    expect(new MasterKey(b.stack, 'B', { keyId: 'b', profile: 'zitadel', hotCopy: hot, fingerprint: 'a'.repeat(64) }).fingerprint).toBe('a'.repeat(64));
    expect(thrown(() => new MasterKey(b.stack, 'C', { keyId: 'c', profile: 'zitadel', hotCopy: hot, fingerprint: 'kcfp1:abc' }))).toContain('give the kcfp1:<salt>:<hash> value `key-custody keygen` prints');
  });
});
