import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc021-key-backup-immutable';
import { bucket, doc, findings, tags, type Json } from './kc0xx-fixtures';

const assume = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

function writer(actions: string[]): Json {
  return {
    resource: {
      aws_iam_role: { writer: { name: 'kb-writer', assume_role_policy: assume } },
      aws_iam_role_policy: {
        writer: { role: '${aws_iam_role.writer.id}', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '${aws_s3_bucket.kb.arn}/*' }] }) },
      },
    },
  };
}

describe('KC021 key backups are immutable', () => {
  it('passes a versioned, Object-Locked bucket whose policy denies deletes, with a put-only writer', () => {
    expect(findings(rule, ['keys', doc(bucket('kb', 'key-backup'), writer(['s3:PutObject']))])).toEqual([]);
  });

  it('passes when the bucket policy deny removes the writer\'s delete permission', () => {
    expect(findings(rule, ['keys', doc(bucket('kb', 'key-backup'), writer(['s3:PutObject', 's3:DeleteObject']))])).toEqual([]);
  });

  it('ignores DB-backup buckets', () => {
    expect(findings(rule, ['db', doc(bucket('db', 'db-backup', { objectLock: false, tags: tags('db-backup') }))])).toEqual([]);
  });

  it('flags an unversioned bucket without Object Lock', () => {
    const f = findings(rule, ['keys', doc(bucket('kb', 'key-backup', { versioning: false, objectLock: false }))]);
    expect(f.map((x) => x.message)).toEqual([
      'holds key backups but is not versioned: an overwrite or delete destroys the only copy',
      'holds key backups without Object Lock',
    ]);
    expect(f[0].address).toBe('aws_s3_bucket.kb');
    expect(f[0].fix).toContain('aws_s3_bucket_versioning.kb');
    expect(f[1].fix).toContain('object_lock_enabled = true');
  });

  it('flags Object Lock without a default retention', () => {
    const f = findings(rule, ['keys', doc(bucket('kb', 'key-backup', { objectLock: { mode: 'GOVERNANCE' } }))]);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('no default retention days');
    expect(f[0].fix).toContain('aws_s3_bucket_object_lock_configuration.kb');
  });

  it('flags a writer that can also delete, naming the principal and the chain, and the missing delete deny', () => {
    const f = findings(rule, ['keys', doc(bucket('kb', 'key-backup', { denyDelete: false }), writer(['s3:PutObject', 's3:DeleteObjectVersion']))]);
    expect(f).toHaveLength(2);
    expect(f[0].message).toContain('no bucket policy statement denying s3:DeleteObject');
    expect(f[0].fix).toContain('aws_s3_bucket_policy.kb');
    expect(f[1].message).toBe(
      'lets aws_iam_role.writer both write key backups (write via inline policy aws_iam_role_policy.writer) and delete them (delete via inline policy aws_iam_role_policy.writer)',
    );
    expect(f[1].fix).toContain('aws_iam_role.writer');
  });

  it('flags a key backup kept in Secrets Manager', () => {
    const f = findings(rule, ['keys', doc({ resource: { aws_secretsmanager_secret: { kb: { name: 'kb', tags: tags('key-backup') } } } })]);
    expect(f).toHaveLength(1);
    expect(f[0].address).toBe('aws_secretsmanager_secret.kb');
    expect(f[0].message).toContain('cannot be made immutable');
  });

  it('reports an adopted bucket whose settings cannot be read', () => {
    const f = findings(rule, [
      'keys',
      doc({
        data: { aws_s3_bucket: { kb: { bucket: 'existing-key-backup' } } },
        resource: {
          terraform_data: {
            custody_manifest: {
              input: { kind: 'cdktf-key-custody/manifest', version: 1, keys: [], drills: [], suppressions: [], adoptedStores: [{ address: 'data.aws_s3_bucket.kb', role: 'key-backup', key: 'zitadel-master' }] },
            },
          },
        },
      }),
    ]);
    expect(f.length).toBeGreaterThan(0);
    expect(f.every((x) => x.address === 'data.aws_s3_bucket.kb')).toBe(true);
    expect(f[0].message).toContain('the bucket is adopted');
  });
});
