import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc022-retention-coupling';
import { bucket, doc, findings, manifest, tags, zitadelKey } from './kc0xx-fixtures';

const db = (o: { expiration?: number; noncurrent?: number } = { expiration: 335, noncurrent: 30 }) => ['db', doc(bucket('db', 'db-backup', { ...o, objectLock: { mode: 'GOVERNANCE', days: 30 }, tags: tags('db-backup') }))] as [string, Record<string, unknown>];

describe('KC022 retention coupling', () => {
  it('passes key backups without expiration against finite DB backups', () => {
    expect(findings(rule, ['keys', doc(bucket('kb', 'key-backup'))], db())).toEqual([]);
  });

  it('passes key versions kept 400 days against DB backups kept 365 days', () => {
    expect(findings(rule, ['keys', doc(bucket('kb', 'key-backup', { noncurrent: 400 }))], db())).toEqual([]);
  });

  it('flags key versions kept 90 days against DB backups kept 365 days, naming both numbers', () => {
    const f = findings(rule, ['keys', doc(bucket('kb', 'key-backup', { expiration: 90, objectLock: { mode: 'COMPLIANCE', days: 3650 } }))], db());
    expect(f).toHaveLength(1);
    expect(f[0].address).toBe('keys/aws_s3_bucket.kb');
    expect(f[0].message).toContain('keeps key versions 90 days but db-backup store aws_s3_bucket.db (stack db) keeps backups 365 days (+30 days margin)');
    expect(f[0].fix).toContain('at least 395 days');
    expect(f[0].fix).toContain('aws_s3_bucket_lifecycle_configuration.kb');
  });

  it('takes the shorter of current and noncurrent expiration on the key side', () => {
    const f = findings(rule, ['keys', doc(bucket('kb', 'key-backup', { expiration: 1000, noncurrent: 30 }))], db());
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('keeps key versions 30 days but');
    expect(f[0].message).toContain('noncurrent versions expire after 30 days');
  });

  it('treats DB backups whose noncurrent versions never expire as kept forever', () => {
    const f = findings(rule, ['keys', doc(bucket('kb', 'key-backup', { noncurrent: 3650 }))], db({ expiration: 35 }));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('keeps key versions 3650 days but db-backup store aws_s3_bucket.db (stack db) keeps backups forever');
    expect(f[0].fix).toContain('remove the expiration rules');
  });

  it('uses the manifest dbRetentionDays when it is longer, and matches DB stores by custody:app', () => {
    const f = findings(
      rule,
      ['app', doc(manifest([zitadelKey({ dbRetentionDays: 500 })]))],
      ['keys', doc(bucket('kb', 'key-backup', { noncurrent: 400 }))],
      ['db', doc(bucket('db', 'db-backup', { expiration: 100, noncurrent: 10, tags: { 'custody:role': 'db-backup', 'custody:app': 'zitadel' } }))],
    );
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('keeps key versions 400 days but the manifest declares DB backups of key zitadel-master are kept 500 days (dbRetentionDays) (+30 days margin)');
  });

  it('ignores DB stores of other keys', () => {
    const other = ['db', doc(bucket('db', 'db-backup', { tags: tags('db-backup', 'servos-master', 'servos') }))] as [string, Record<string, unknown>];
    expect(findings(rule, ['keys', doc(bucket('kb', 'key-backup', { expiration: 10 }))], other)).toEqual([]);
  });

  describe('retired generations (no clock: keepUntil vs retiredOn + DB retention + 30)', () => {
    const key = (gen: Record<string, unknown>) =>
      ['app', doc(manifest([zitadelKey({ dbRetentionDays: 365, generations: [{ generation: 1, state: 'retired', copies: [], ...gen }, { generation: 2, state: 'active', copies: [] }] })]))] as [
        string,
        Record<string, unknown>,
      ];

    it('passes a retired generation kept long enough, or without keepUntil', () => {
      expect(findings(rule, key({ retiredOn: '2026-01-01', keepUntil: '2027-01-31' }))).toEqual([]);
      expect(findings(rule, key({ retiredOn: '2026-01-01' }))).toEqual([]);
    });

    it('flags a retired generation deleted before its DB backups, naming the dates', () => {
      const f = findings(rule, key({ retiredOn: '2026-01-01', keepUntil: '2026-06-01' }));
      expect(f).toHaveLength(1);
      expect(f[0].address).toBe('terraform_data.custody_manifest');
      expect(f[0].message).toBe(
        'key zitadel-master generation 1 (retired) is kept until 2026-06-01, but it was retired on 2026-01-01 and the manifest declares DB backups of key zitadel-master are kept 365 days (dbRetentionDays) (+30 days margin): it must be kept until at least 2027-01-31',
      );
      expect(f[0].fix).toBe('set keepUntil of generation 1 to 2027-01-31 or later');
    });

    it('flags a keepUntil that cannot be checked without retiredOn', () => {
      const f = findings(rule, key({ keepUntil: '2030-01-01' }));
      expect(f).toHaveLength(1);
      expect(f[0].message).toContain('it declares no retiredOn date');
    });
  });
});

describe('KC022 adopted DB-backup buckets', () => {
  const adopted = (retentionDays?: number): [string, Record<string, unknown>] => [
    'db',
    {
      data: { aws_s3_bucket: { existing: { bucket: 'acme-zitadel-db-backups' } } },
      ...manifest([], { adoptedStores: [{ address: 'data.aws_s3_bucket.existing', role: 'db-backup', key: 'zitadel-master', app: 'zitadel', ...(retentionDays !== undefined ? { retentionDays } : {}) }] }),
    },
  ];

  it('uses the retention the manifest declares for an adopted bucket', () => {
    expect(findings(rule, ['keys', doc(bucket('kb', 'key-backup', { noncurrent: 365 }))], adopted(44))).toEqual([]);
    const f = findings(rule, ['keys', doc(bucket('kb', 'key-backup', { noncurrent: 60 }))], adopted(44));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('keeps key versions 60 days but db-backup store data.aws_s3_bucket.existing (stack db) keeps backups 44 days (+30 days margin)');
  });

  it('treats an adopted bucket without a declared retention as kept forever', () => {
    const f = findings(rule, ['keys', doc(bucket('kb', 'key-backup', { noncurrent: 3650 }))], adopted());
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('keeps backups forever');
  });
});

describe('KC022 DB-side Object Lock', () => {
  it('counts the DB bucket Object Lock retention when it outlasts its lifecycle', () => {
    const f = findings(
      rule,
      ['keys', doc(bucket('kb', 'key-backup', { noncurrent: 400 }))],
      ['db', doc(bucket('db', 'db-backup', { expiration: 30, noncurrent: 5, objectLock: { mode: 'COMPLIANCE', days: 730 }, tags: tags('db-backup') }))],
    );
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('keeps key versions 400 days but db-backup store aws_s3_bucket.db (stack db) keeps backups 730 days (+30 days margin)');
  });
});
