/**
 * KC012 at scale: a key-backup bucket whose KMS key more than PAIRS_ALONE DB-backup buckets
 * share gets one finding that counts them (one per pair grew with their product: 62,500
 * errors at 500 buckets on one key); up to PAIRS_ALONE, one finding per pair as before
 * (test/rules/kc012.test.ts holds those exactly). The folding itself: test/rules/fold.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { bucketsShape } from '../../bench/gen-shapes';
import { rule } from '../../lib/rules/kc012-separate-kms-keys';
import { model } from './kc0xx-fixtures';

const pair = (i: number) => `key-backup bucket aws_s3_bucket.keys_0 (stack s) and db-backup bucket aws_s3_bucket.db_${i} (stack s) both encrypt with KMS key alias/shared`;
const FIX = 'create a separate customer-managed KMS key for aws_s3_bucket.keys_0 and point its SSE-KMS configuration (kms_master_key_id) at it, so that alias/shared serves the DB backups only';

describe('KC012 at scale', () => {
  it('fails once per key-backup bucket at 500 buckets on one key, counting every DB-backup bucket', () => {
    const v = rule.check(model(['s', bucketsShape(500, { sharedKey: 'alias/shared' })]));
    expect(v).toHaveLength(250);
    expect(v[0]).toMatchObject({
      stack: 's',
      address: 'aws_s3_bucket.keys_0',
      message:
        `${pair(0)}; the same holds for 249 more: db-backup bucket aws_s3_bucket.db_1 (stack s), db-backup bucket aws_s3_bucket.db_2 (stack s), ` +
        'db-backup bucket aws_s3_bucket.db_3 (stack s), db-backup bucket aws_s3_bucket.db_4 (stack s), db-backup bucket aws_s3_bucket.db_5 (stack s) and 244 more',
      fix: FIX,
    });
    expect(v.map((x) => x.address)).toEqual(Array.from({ length: 250 }, (_, i) => `aws_s3_bucket.keys_${i}`));
    expect(v.reduce((n, x) => n + x.message.length + (x.fix ?? '').length, 0)).toBeLessThan(250 * 800);
  });

  it('keeps one finding per pair up to 5 DB-backup buckets, then one', () => {
    const at = (dbs: number) => {
      const j = bucketsShape(2 * dbs, { sharedKey: 'alias/shared' }) as { resource: Record<string, Record<string, unknown>> };
      // Keep one key-backup bucket (keys_0) and every DB-backup bucket.
      for (const type of Object.keys(j.resource)) for (const name of Object.keys(j.resource[type])) if (/^keys_[1-9]/.test(name)) delete j.resource[type][name];
      return rule.check(model(['s', j]));
    };
    expect(at(5).map((x) => x.message)).toEqual([0, 1, 2, 3, 4].map(pair));
    expect(at(6).map((x) => x.message)).toEqual([
      `${pair(0)}; the same holds for 5 more: db-backup bucket aws_s3_bucket.db_1 (stack s), db-backup bucket aws_s3_bucket.db_2 (stack s), ` +
        'db-backup bucket aws_s3_bucket.db_3 (stack s), db-backup bucket aws_s3_bucket.db_4 (stack s), db-backup bucket aws_s3_bucket.db_5 (stack s)',
    ]);
  });
});
