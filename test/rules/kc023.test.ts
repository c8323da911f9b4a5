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
