/**
 * The rule on whole configurations first, then the exact-output tests.
 * KC023 messages the main tests leave open: SSE-KMS without a key id, an AWS-managed key
 * reached through a data source, ownership controls that exist but do not enforce, and a DB
 * bucket whose versioning status is an expression.
 */
import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc023-bucket-hardening';
import { bucket, doc, findings, tags } from './kc0xx-fixtures';

describe('KC023 bucket hardening', () => {
  it('passes fully hardened DB-backup and key-backup buckets', () => {
    expect(findings(rule, ['s', doc(bucket('kb', 'key-backup'), bucket('db', 'db-backup', { tags: tags('db-backup') }))])).toEqual([]);
  });

  it('flags a bare bucket once per missing safeguard, naming the companion to add', () => {
    const f = findings(rule, [
      's',
      doc(bucket('db', 'db-backup', { versioning: false, publicAccessBlock: false, tlsOnly: false, kms: 'none', ownership: false, objectLock: false, tags: tags('db-backup') })),
    ]);
    expect(f.map((x) => x.address)).toEqual(Array(5).fill('aws_s3_bucket.db'));
    const all = f.map((x) => `${x.message} | ${x.fix}`).join('\n');
    expect(all).toContain('has no public access block (aws_s3_bucket_public_access_block.db)');
    expect(all).toContain('does not deny requests without TLS (no bucket policy, aws_s3_bucket_policy.db)');
    expect(all).toContain('is not encrypted with SSE-KMS');
    expect(all).toContain('add aws_s3_bucket_server_side_encryption_configuration.db');
    expect(all).toContain('has no ownership controls (aws_s3_bucket_ownership_controls.db)');
    expect(all).toContain('DB-backup bucket is not versioned');
    expect(all).toContain('add aws_s3_bucket_versioning.db');
  });

  it('flags the AWS-managed key and SSE-S3, naming the existing companion to fix', () => {
    const f = findings(rule, ['s', doc(bucket('kb', 'key-backup', { kms: 'aws' }), bucket('kb2', 'key-backup', { kms: 'aes' }))]);
    expect(f).toHaveLength(2);
    expect(f[0].message).toBe('key-backup bucket uses the AWS-managed key alias/aws/s3 (aws_s3_bucket_server_side_encryption_configuration.kb)');
    expect(f[0].fix).toContain('set in aws_s3_bucket_server_side_encryption_configuration.kb');
    expect(f[1].message).toContain('is not encrypted with SSE-KMS');
  });

  it('flags an incomplete public access block and a literal KMS ARN that cannot be proven customer-managed', () => {
    const d = doc(bucket('kb', 'key-backup'), {
      resource: {
        aws_s3_bucket_public_access_block: { kb: { restrict_public_buckets: false } },
        aws_s3_bucket_server_side_encryption_configuration: {
          kb: { rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: 'arn:aws:kms:eu-central-1:111122223333:key/abcd' } }] },
        },
      },
    });
    const f = findings(rule, ['s', d]);
    expect(f.map((x) => x.message)).toEqual([
      'key-backup bucket: aws_s3_bucket_public_access_block.kb does not set all four public access settings to true',
      'key-backup bucket uses KMS key arn:aws:kms:eu-central-1:111122223333:key/abcd, which is not an aws_kms_key in this configuration, so it cannot be shown to be a customer-managed key with its own key policy (aws_s3_bucket_server_side_encryption_configuration.kb)',
    ]);
  });

  it('ignores unversioned key-backup buckets (KC021) and non-custody buckets', () => {
    const f = findings(rule, ['s', doc(bucket('kb', 'key-backup', { versioning: false }), { resource: { aws_s3_bucket: { logs: { bucket: 'logs' } } } })]);
    expect(f).toEqual([]);
  });

  it('flags a TLS policy missing from an existing bucket policy', () => {
    const f = findings(rule, ['s', doc(bucket('kb', 'key-backup', { tlsOnly: false }))]);
    expect(f).toHaveLength(1);
    expect(f[0].message).toBe('key-backup bucket does not deny requests without TLS (aws_s3_bucket_policy.kb has no aws:SecureTransport deny)');
  });

  it('checks adopted buckets too: companions configured here count, missing ones say how to record enforcement elsewhere', () => {
    const adopted = {
      data: { aws_s3_bucket: { db: { bucket: 'existing-db-backups' } } },
      resource: {
        aws_s3_bucket_public_access_block: {
          db: { bucket: '${data.aws_s3_bucket.db.id}', block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
        },
        terraform_data: {
          custody_manifest: {
            input: { kind: 'cdktf-key-custody/manifest', version: 1, keys: [], drills: [], suppressions: [], adoptedStores: [{ address: 'data.aws_s3_bucket.db', role: 'db-backup', app: 'zitadel' }] },
          },
        },
      },
    };
    const f = findings(rule, ['db', doc(adopted)]);
    expect(f.map((x) => x.address)).toEqual(Array(4).fill('data.aws_s3_bucket.db'));
    expect(f.some((x) => x.message.includes('public access'))).toBe(false);
    expect(f[0].message).toMatch(/^adopted DB-backup bucket /);
    expect(f.every((x) => x.fix.includes('the bucket is adopted'))).toBe(true);
  });
});

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
