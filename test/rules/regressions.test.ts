/** Bugs found while raising the mutation score, each pinned where it was fixed. */
import { describe, expect, it } from 'vitest';
import { bucketIdentity } from '../../lib/rules/custody-helpers';
import { model } from './kc0xx-fixtures';
import { drillSchedules } from '../../lib/model/views/drills';
import { scheduleTags } from '../../lib/model/views/tags';

describe('a bucket named from another bucket plus a suffix is a different bucket', () => {
  const m = model([
    's',
    {
      resource: {
        aws_s3_bucket: {
          kb: { bucket: 'kc-app' },
          gen: {},
        },
      },
    },
  ]);

  it('a literal name plus a literal suffix gives the exact new name', () => {
    expect(bucketIdentity(m, 's', '${aws_s3_bucket.kb.id}-db')).toEqual({ kind: 'exact', value: 's3:kc-app-db', shown: '"kc-app-db"' });
  });

  it('a path after the reference (an object ARN) is still the bucket itself', () => {
    expect(bucketIdentity(m, 's', '${aws_s3_bucket.kb.arn}/*')).toEqual({ kind: 'exact', value: 's3:kc-app', shown: '"kc-app"' });
    expect(bucketIdentity(m, 's', '${aws_s3_bucket.kb.id}')).toEqual({ kind: 'exact', value: 's3:kc-app', shown: '"kc-app"' });
  });

  it('a suffix on a generated name, or an expression suffix, cannot be named', () => {
    expect(bucketIdentity(m, 's', '${aws_s3_bucket.gen.id}-db')).toEqual({ kind: 'expr', value: '${aws_s3_bucket.gen.id}-db', shown: '`${aws_s3_bucket.gen.id}-db`' });
    expect(bucketIdentity(m, 's', '${aws_s3_bucket.kb.id}-${var.env}')).toEqual({ kind: 'expr', value: '${aws_s3_bucket.kb.id}-${var.env}', shown: '`${aws_s3_bucket.kb.id}-${var.env}`' });
  });
});

describe('a schedule whose group is an expression inherits no group tags', () => {
  it('does not take the tags of a group that has no literal name', () => {
    const tags = { 'custody:role': 'drill', 'custody:key': 'k1' };
    const m = model([
      's',
      {
        resource: {
          aws_scheduler_schedule_group: { g: { name_prefix: 'drills-', tags } },
          aws_scheduler_schedule: { other: { group_name: '${var.g}' } },
        },
      },
    ]);
    expect(scheduleTags(m, m.resource('s', 'aws_scheduler_schedule.other')!)).toEqual({});
    expect(drillSchedules(m, 'k1')).toEqual([]);
  });
});
