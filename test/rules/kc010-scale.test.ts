/**
 * KC010 at scale: key-backup and DB-backup buckets that all name themselves by one prefix
 * cannot be proven distinct, pair by pair: one error per key bucket that counts its DB
 * buckets, not one per pair (62,500 at 500 buckets). Up to five pairs per bucket stay as
 * they are (test/rules/kc010.test.ts); the folding itself: test/rules/fold.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { bucketsShape } from '../../bench/gen-shapes';
import { rule } from '../../lib/rules/kc010-separate-buckets';
import { model } from './kc0xx-fixtures';

const prefixed = (n: number) => bucketsShape(n, { prefix: 'kc-' }) as { resource: { aws_s3_bucket: Record<string, unknown> } };

describe('KC010 at scale', () => {
  it('fails once per key-backup bucket when 500 buckets share one prefix', () => {
    const v = rule.check(model(['s', prefixed(500)]));
    expect(v).toHaveLength(250);
    expect(v.map((x) => x.address)).toEqual(Array.from({ length: 250 }, (_, i) => `aws_s3_bucket.keys_${i}`));
    expect(v[0].message).toMatch(/^cannot be proven to use a different bucket than db-backup store aws_s3_bucket\.db_0: /);
    expect(v[0].message).toMatch(
      /; the same holds for 249 more: db-backup store aws_s3_bucket\.db_1, db-backup store aws_s3_bucket\.db_2, db-backup store aws_s3_bucket\.db_3, db-backup store aws_s3_bucket\.db_4, db-backup store aws_s3_bucket\.db_5 and 244 more$/,
    );
    expect(v.reduce((n, x) => n + x.message.length + (x.fix ?? '').length, 0)).toBeLessThan(250 * 1000);
  });

  it('keeps one error per pair at five DB-backup buckets', () => {
    const j = prefixed(10);
    for (const name of Object.keys(j.resource.aws_s3_bucket)) if (/^keys_[1-9]/.test(name)) delete j.resource.aws_s3_bucket[name];
    const v = rule.check(model(['s', j]));
    expect(v.map((x) => x.message.split(':')[0])).toEqual([0, 1, 2, 3, 4].map((i) => `cannot be proven to use a different bucket than db-backup store aws_s3_bucket.db_${i}`));
  });
});
