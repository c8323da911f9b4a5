/**
 * The rule on whole configurations first, then the exact-output tests.
 * KC022 at the 30-day margin: key-backup lifecycle exactly DB retention + 30 passes, one day
 * less fails; how DB retention is computed (versioned: current + noncurrent, unversioned:
 * current only, Object Lock days when longer, dbRetentionDays when larger); the key bucket's
 * shorter expiration governing; and retired generations checked against retiredOn + DB
 * retention + 30 days.
 */
import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc022-retention-coupling';
import { bucket, doc, findings, manifest, tags, zitadelKey, type Json } from './kc0xx-fixtures';

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

const dbBucket = (o: Parameters<typeof bucket>[2] = {}) => bucket('db', 'db-backup', { tags: tags('db-backup'), objectLock: false, ...o });
const messages = (...parts: Json[]) => findings(rule, ['s', doc(...parts)]).map((f) => f.message);

describe('KC022 key-backup lifecycle against DB retention + 30 days (mutation tests)', () => {
  it('a versioned DB bucket keeps current + noncurrent days; the key bucket needs 30 more', () => {
    const db = dbBucket({ expiration: 300, noncurrent: 35 });
    expect(messages(db, bucket('kb', 'key-backup', { expiration: 365 }))).toEqual([]);
    const f = findings(rule, ['s', doc(db, bucket('kb', 'key-backup', { expiration: 364 }))]);
    expect(f.map((x) => [x.address, x.message, x.fix])).toEqual([
      [
        'aws_s3_bucket.kb',
        'keeps key versions 364 days but db-backup store aws_s3_bucket.db (stack s) keeps backups 335 days (+30 days margin); key-backup lifecycle: objects expire after 364 days',
        'set expiration and noncurrent_version_expiration in aws_s3_bucket_lifecycle_configuration.kb to at least 365 days (or remove them), or shorten the DB-backup retention',
      ],
    ]);
  });

  it('an unversioned DB bucket keeps current days only', () => {
    const db = dbBucket({ versioning: false, expiration: 300, noncurrent: 35 });
    expect(messages(db, bucket('kb', 'key-backup', { expiration: 330 }))).toEqual([]);
    expect(messages(db, bucket('kb', 'key-backup', { expiration: 329 }))).toEqual([
      'keeps key versions 329 days but db-backup store aws_s3_bucket.db (stack s) keeps backups 300 days (+30 days margin); key-backup lifecycle: objects expire after 329 days',
    ]);
  });

  it('Object Lock days count for the DB bucket when longer than its lifecycle', () => {
    const db = dbBucket({ objectLock: { mode: 'COMPLIANCE', days: 400 }, expiration: 100, noncurrent: 10 });
    expect(messages(db, bucket('kb', 'key-backup', { expiration: 430 }))).toEqual([]);
    expect(messages(db, bucket('kb', 'key-backup', { expiration: 429 }))[0]).toContain('keeps backups 400 days');
    const shortLock = dbBucket({ objectLock: { mode: 'COMPLIANCE', days: 50 }, expiration: 100, noncurrent: 10 });
    expect(messages(shortLock, bucket('kb', 'key-backup', { expiration: 139 }))[0]).toContain('keeps backups 110 days');
  });

  it('the key bucket keeps a version for the shorter of its expirations', () => {
    const db = dbBucket({ expiration: 300, noncurrent: 35 });
    expect(messages(db, bucket('kb', 'key-backup', { expiration: 400, noncurrent: 364 }))).toEqual([
      'keeps key versions 364 days but db-backup store aws_s3_bucket.db (stack s) keeps backups 335 days (+30 days margin); key-backup lifecycle: noncurrent versions expire after 364 days',
    ]);
    expect(messages(db, bucket('kb', 'key-backup', { expiration: 364, noncurrent: 364 }))[0]).toContain('key-backup lifecycle: objects expire after 364 days');
    expect(messages(db, bucket('kb', 'key-backup', { noncurrent: 365 }))).toEqual([]);
  });

  it('a DB bucket kept forever needs a key bucket kept forever', () => {
    const f = findings(rule, ['s', doc(dbBucket({ expiration: 300 }), bucket('kb', 'key-backup', { expiration: 3650 }))]);
    expect(f.map((x) => [x.message, x.fix])).toEqual([
      [
        'keeps key versions 3650 days but db-backup store aws_s3_bucket.db (stack s) keeps backups forever (current versions expire after 300 days but noncurrent versions never do) (+30 days margin); key-backup lifecycle: objects expire after 3650 days',
        "remove the expiration rules of aws_s3_bucket_lifecycle_configuration.kb so key versions are kept, or give the DB backups a finite retention (expiration and noncurrent_version_expiration) at least 30 days shorter than the key backups'",
      ],
    ]);
    expect(messages(dbBucket(), bucket('kb', 'key-backup', { expiration: 3650 }))[0]).toContain('keeps backups forever (no expiration)');
    expect(messages(dbBucket(), bucket('kb', 'key-backup'))).toEqual([]);
  });

  it('the manifest\'s dbRetentionDays counts when larger than the buckets', () => {
    const db = dbBucket({ expiration: 300, noncurrent: 35 });
    const m = manifest([zitadelKey({ dbRetentionDays: 400 })]);
    expect(messages(db, m, bucket('kb', 'key-backup', { expiration: 430 }))).toEqual([]);
    expect(messages(db, m, bucket('kb', 'key-backup', { expiration: 429 }))).toEqual([
      'keeps key versions 429 days but the manifest declares DB backups of key zitadel-master are kept 400 days (dbRetentionDays) (+30 days margin); key-backup lifecycle: objects expire after 429 days',
    ]);
    const smaller = manifest([zitadelKey({ dbRetentionDays: 10 })]);
    expect(messages(db, smaller, bucket('kb', 'key-backup', { expiration: 364 }))[0]).toContain('keeps backups 335 days');
  });

  it('uses the longest-lived of several DB buckets of the key', () => {
    const db2 = bucket('db2', 'db-backup', { tags: tags('db-backup'), objectLock: false, expiration: 500, noncurrent: 1 });
    expect(messages(dbBucket({ expiration: 300, noncurrent: 35 }), db2, bucket('kb', 'key-backup', { expiration: 531 }))).toEqual([]);
    expect(messages(db2, dbBucket({ expiration: 300, noncurrent: 35 }), bucket('kb', 'key-backup', { expiration: 530 }))).toEqual([
      'keeps key versions 530 days but db-backup store aws_s3_bucket.db2 (stack s) keeps backups 501 days (+30 days margin); key-backup lifecycle: objects expire after 530 days',
    ]);
  });

  it('counts DB buckets tagged only with the key\'s app (custody:app, no custody:key)', () => {
    const appOnly = bucket('db', 'db-backup', { tags: { 'custody:role': 'db-backup', 'custody:app': 'zitadel' }, objectLock: false, expiration: 300, noncurrent: 35 });
    const otherApp = bucket('db', 'db-backup', { tags: { 'custody:role': 'db-backup', 'custody:app': 'other' }, objectLock: false, expiration: 300, noncurrent: 35 });
    // Declared key: its app comes from the manifest, not from the key bucket's tags.
    const kb = bucket('kb', 'key-backup', { expiration: 364, tags: tags('key-backup', 'zitadel-master', 'kb-app') });
    expect(messages(appOnly, manifest([zitadelKey()]), kb)[0]).toContain('keeps backups 335 days');
    expect(messages(otherApp, manifest([zitadelKey()]), kb)).toEqual([]);
    // Undeclared key: its app comes from a store tagged with the key.
    expect(messages(appOnly, bucket('kb', 'key-backup', { expiration: 364 }))[0]).toContain('keeps backups 335 days');
    expect(messages(otherApp, bucket('kb', 'key-backup', { expiration: 364 }))).toEqual([]);
  });

  it('ignores DB buckets of other keys and keys without a known DB retention', () => {
    const other = bucket('db', 'db-backup', { tags: tags('db-backup', 'other-key', 'other'), objectLock: false, expiration: 300, noncurrent: 35 });
    expect(messages(other, bucket('kb', 'key-backup', { expiration: 10 }))).toEqual([]);
  });
});

describe('KC022 retired generations (mutation tests)', () => {
  const db = dbBucket({ expiration: 300, noncurrent: 35 });
  const gen = (g: Json) => manifest([zitadelKey({ generations: [{ generation: 1, state: 'retired', copies: [], ...g }, { generation: 2, state: 'active', copies: [] }] })]);
  const one = (g: Json, d: Json = db) => findings(rule, ['s', doc(d, gen(g))]).map((f) => [f.message, f.fix]);

  it('keepUntil must be at least retiredOn + DB retention + 30 days', () => {
    expect(one({ retiredOn: '2026-01-01', keepUntil: '2027-01-01' })).toEqual([]);
    expect(one({ retiredOn: '2026-01-01', keepUntil: '2026-12-31' })).toEqual([
      [
        'key zitadel-master generation 1 (retired) is kept until 2026-12-31, but it was retired on 2026-01-01 and db-backup store aws_s3_bucket.db (stack s) keeps backups 335 days (+30 days margin): it must be kept until at least 2027-01-01',
        'set keepUntil of generation 1 to 2027-01-01 or later',
      ],
    ]);
  });

  it('reports dates it cannot read or check', () => {
    expect(one({ retiredOn: '2026-01-01', keepUntil: '2027-13-01' })).toEqual([
      ['key zitadel-master generation 1 (retired) has keepUntil "2027-13-01", which is not a YYYY-MM-DD date', 'write keepUntil as YYYY-MM-DD'],
    ]);
    expect(one({ keepUntil: '2027-01-01' })).toEqual([
      [
        'key zitadel-master generation 1 (retired) is kept until 2027-01-01, which cannot be checked against DB retention 335 days (+30 days margin): it declares no retiredOn date',
        'add retiredOn: "YYYY-MM-DD" (the day the generation stopped encrypting new data) to generation 1; keepUntil must be at least retiredOn + 365 days',
      ],
    ]);
    expect(one({ retiredOn: 'Jan 2026', keepUntil: '2027-01-01' })[0][0]).toBe(
      'key zitadel-master generation 1 (retired) is kept until 2027-01-01, which cannot be checked against DB retention 335 days (+30 days margin): retiredOn "Jan 2026" is not a YYYY-MM-DD date',
    );
  });

  it('a DB retention of forever makes any keepUntil too short', () => {
    expect(one({ retiredOn: '2026-01-01', keepUntil: '2099-01-01' }, dbBucket())).toEqual([
      [
        'key zitadel-master generation 1 (retired) is kept until 2099-01-01 but db-backup store aws_s3_bucket.db (stack s) keeps backups forever (no expiration) (+30 days margin): backups encrypted with it outlive it',
        'remove keepUntil from generation 1 (keep it indefinitely), or give the DB backups a finite retention',
      ],
    ]);
  });

  it('checks only retired generations with a keepUntil', () => {
    expect(one({ state: 'rotating', retiredOn: '2026-01-01', keepUntil: '2026-01-02' })).toEqual([]);
    expect(one({ retiredOn: '2026-01-01' })).toEqual([]);
  });
});
