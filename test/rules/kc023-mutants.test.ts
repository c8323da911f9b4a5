/**
 * KC023 messages the main tests leave open: SSE-KMS without a key id, an AWS-managed key
 * reached through a data source, ownership controls that exist but do not enforce, and a DB
 * bucket whose versioning status is an expression.
 */
import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc023-bucket-hardening';
import { bucket, doc, findings, tags } from './kc0xx-fixtures';

const db = (over: Parameters<typeof bucket>[2] = {}) => bucket('db', 'db-backup', { tags: tags('db-backup'), ...over });
const sse = (byDefault: Record<string, unknown>) => ({
  resource: { aws_s3_bucket_server_side_encryption_configuration: { db: { bucket: '${aws_s3_bucket.db.id}', rule: [{ apply_server_side_encryption_by_default: byDefault }] } } },
});

describe('KC023 encryption, ownership and versioning details (mutation tests)', () => {
  it('SSE-KMS without kms_master_key_id means the AWS-managed key', () => {
    const f = findings(rule, ['s', doc(db({ kms: 'none' }), sse({ sse_algorithm: 'aws:kms' }))]);
    expect(f.map((x) => [x.message, x.fix])).toEqual([
      [
        'DB-backup bucket uses SSE-KMS with the AWS-managed key aws/s3 (no kms_master_key_id) (aws_s3_bucket_server_side_encryption_configuration.db)',
        'set in aws_s3_bucket_server_side_encryption_configuration.db rule { apply_server_side_encryption_by_default { sse_algorithm = "aws:kms", kms_master_key_id = aws_kms_key.db.arn } } and a dedicated aws_kms_key.db (enable_key_rotation = true)',
      ],
    ]);
  });

  it('an AWS-managed key read through a data source is named with the data source; a customer key through one passes', () => {
    const viaData = (keyId: string) =>
      findings(rule, ['s', doc(db({ kms: 'none' }), { data: { aws_kms_key: { k: { key_id: keyId } } } }, sse({ sse_algorithm: 'aws:kms', kms_master_key_id: '${data.aws_kms_key.k.arn}' }))]).map((x) => x.message);
    expect(viaData('alias/aws/s3')).toEqual(['DB-backup bucket uses the AWS-managed key alias/aws/s3 (through data.aws_kms_key.k) (aws_s3_bucket_server_side_encryption_configuration.db)']);
    expect(viaData('arn:aws:kms:eu-central-1:111111111111:alias/aws/s3')).toEqual([
      'DB-backup bucket uses the AWS-managed key arn:aws:kms:eu-central-1:111111111111:alias/aws/s3 (through data.aws_kms_key.k) (aws_s3_bucket_server_side_encryption_configuration.db)',
    ]);
    expect(viaData('alias/custody-db')).toEqual([]);
    expect(viaData('alias/awsx/s3')).toEqual([]);
    expect(viaData('${var.key}')).toEqual([]);
  });

  it('ownership controls that exist but are not BucketOwnerEnforced', () => {
    const f = findings(rule, ['s', doc(db({ ownership: false }), { resource: { aws_s3_bucket_ownership_controls: { db: { bucket: '${aws_s3_bucket.db.id}', rule: { object_ownership: 'ObjectWriter' } } } } })]);
    expect(f.map((x) => [x.message, x.fix])).toEqual([
      [
        'DB-backup bucket does not enforce bucket ownership (aws_s3_bucket_ownership_controls.db is not BucketOwnerEnforced)',
        'set in aws_s3_bucket_ownership_controls.db rule { object_ownership = "BucketOwnerEnforced" }',
      ],
    ]);
  });

  it('a DB bucket with an expression as versioning status is not provably versioned', () => {
    const f = findings(rule, ['s', doc(db(), { resource: { aws_s3_bucket_versioning: { db: { versioning_configuration: { status: '${var.v}' } } } } })]);
    expect(f.map((x) => [x.message, x.fix])).toEqual([
      [
        'DB-backup bucket is not provably versioned (its versioning status is an expression) (aws_s3_bucket_versioning.db): an overwrite or delete destroys a backup',
        'set in aws_s3_bucket_versioning.db versioning_configuration { status = "Enabled" }',
      ],
    ]);
  });
});
