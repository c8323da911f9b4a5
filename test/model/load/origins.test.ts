/**
 * lib/model/load/origins.ts: where the user's code made each resource and grant, read back
 * from a stack's `//.metadata.keyCustody` (written by lib/synth/sources.ts). Bad entries are
 * skipped one by one; a file without the block has no origins.
 */
import { describe, expect, it } from 'vitest';
import { ORIGINS_KEY, parseSite, readOrigins } from '../../../lib/model/load/origins';

const withMeta = (keyCustody: unknown): Record<string, unknown> => ({ '//': { metadata: { [ORIGINS_KEY]: keyCustody } } });
const GRANT = { construct: 's/KeyBackups', kind: 'KeyBackupBucket', method: 'grantRead', principal: 'arn:aws:iam::123456789012:role/ops' };

describe('parseSite', () => {
  it('reads file:line, the file part keeping any colon of its own', () => {
    expect(parseSite('infra/main.ts:42')).toEqual({ file: 'infra/main.ts', line: 42 });
    expect(parseSite('C:/work/main.ts:7')).toEqual({ file: 'C:/work/main.ts', line: 7 });
    expect(parseSite('a.ts:123456789')).toEqual({ file: 'a.ts', line: 123456789 });
  });

  it('refuses what is not a positive line after a file name', () => {
    for (const v of ['infra/main.ts', 'main.ts:0', 'main.ts:-3', 'main.ts:07', ':12', 'main.ts:1234567890', 'main.ts:4x', 42, null, undefined, { file: 'a', line: 1 }]) {
      expect(parseSite(v), String(v)).toBeUndefined();
    }
  });
});

describe('readOrigins', () => {
  it('gives nothing for hand-written Terraform JSON and other `//` contents', () => {
    for (const root of [{}, { '//': 'note' }, { '//': { metadata: 'x' } }, { '//': { metadata: {} } }, withMeta([]), withMeta('x'), { '//': [{ metadata: { [ORIGINS_KEY]: {} } }] }]) {
      const o = readOrigins('s', root as Record<string, unknown>);
      expect(o.sources.size).toBe(0);
      expect(o.grants).toEqual([]);
    }
  });

  it('reads each resource address to its site, skipping sites it cannot read', () => {
    const o = readOrigins('s', withMeta({ sources: { 'aws_s3_bucket.keys': 'infra/main.ts:12', 'aws_iam_role.ops': 'main.ts', 'aws_kms_key.k': 7 } }));
    expect([...o.sources]).toEqual([['aws_s3_bucket.keys', { file: 'infra/main.ts', line: 12 }]]);
    expect(readOrigins('s', withMeta({ sources: ['infra/main.ts:12'] })).sources.size).toBe(0);
  });

  it('reads grants with their stack, site, call and whether the library made them', () => {
    const o = readOrigins('keys', withMeta({ sources: {}, grants: [{ ...GRANT, at: 'infra/main.ts:40', call: "keyBucket.grantRead('arn:aws:iam::123456789012:role/ops');" }, { ...GRANT, method: 'grantWrite', internal: true }, { ...GRANT, internal: 'yes', at: 'nowhere', call: '' }] }));
    expect(o.grants).toEqual([
      { stack: 'keys', ...GRANT, at: { file: 'infra/main.ts', line: 40 }, call: "keyBucket.grantRead('arn:aws:iam::123456789012:role/ops');", internal: false },
      { stack: 'keys', ...GRANT, method: 'grantWrite', at: undefined, call: undefined, internal: true },
      { stack: 'keys', ...GRANT, at: undefined, call: undefined, internal: false },
    ]);
  });

  it('skips a grant that lacks its construct, kind, method or principal, or is not an object', () => {
    const broken = (['construct', 'kind', 'method', 'principal'] as const).flatMap((k) => [{ ...GRANT, [k]: undefined }, { ...GRANT, [k]: '' }, { ...GRANT, [k]: 3 }]);
    const o = readOrigins('s', withMeta({ grants: [...broken, 'grantRead', null, [GRANT], GRANT] }));
    expect(o.grants).toHaveLength(1);
    expect(o.grants[0].principal).toBe(GRANT.principal);
    expect(readOrigins('s', withMeta({ grants: GRANT })).grants).toEqual([]);
  });
});
