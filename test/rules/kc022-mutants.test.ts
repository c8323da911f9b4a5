/**
 * KC022 at the 30-day margin: key-backup lifecycle exactly DB retention + 30 passes, one day
 * less fails; how DB retention is computed (versioned: current + noncurrent, unversioned:
 * current only, Object Lock days when longer, dbRetentionDays when larger); the key bucket's
 * shorter expiration governing; and retired generations checked against retiredOn + DB
 * retention + 30 days.
 */
import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc022-retention-coupling';
import { bucket, doc, findings, manifest, tags, zitadelKey, type Json } from './kc0xx-fixtures';

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
