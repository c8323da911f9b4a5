/**
 * The rule on whole configurations first, then the exact-output tests.
 * KC021 cases the main tests leave open: an unreadable versioning status, Object Lock
 * retention boundaries (days 0 / 1, mode and days both missing), an SSM key backup, admin
 * access as the delete path, and how the principal is named (external, service, other stack).
 */
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

const stmt = (Principal: Json, Action: string[]): Json => ({ Effect: 'Allow', Principal, Action, Resource: '${aws_s3_bucket.kb.arn}/*' });
/** The bucket's policy with only the given statements (no delete deny). */
function withBucketPolicy(...extra: Json[]): Json {
  return {
    resource: {
      aws_s3_bucket_policy: {
        kb: {
          bucket: '${aws_s3_bucket.kb.id}',
          policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: extra,
          }),
        },
      },
    },
  };
}

describe('KC021 settings boundaries (mutation tests)', () => {
  it('reports a versioning status it cannot read, with the exact fix', () => {
    const f = findings(rule, ['keys', doc(bucket('kb', 'key-backup'), { resource: { aws_s3_bucket_versioning: { kb: { versioning_configuration: { status: '${var.status}' } } } } })]);
    expect(f.map((x) => [x.message, x.fix])).toEqual([
      ['holds key backups but its versioning status could not be read', 'set versioning_configuration { status = "Enabled" } literally on aws_s3_bucket_versioning.kb'],
    ]);
  });

  it('a default retention needs a mode and at least 1 day', () => {
    const lock = (objectLock: { mode?: string; days?: number }) => findings(rule, ['keys', doc(bucket('kb', 'key-backup', { objectLock }))]).map((x) => x.message);
    expect(lock({ mode: 'COMPLIANCE', days: 1 })).toEqual([]);
    expect(lock({ mode: 'COMPLIANCE', days: -1 })).toEqual(['has Object Lock enabled but no default retention days: new key backups are not locked']);
    expect(lock({ days: 400 })).toEqual(['has Object Lock enabled but no default retention mode: new key backups are not locked']);
    expect(lock({})).toEqual(['has Object Lock enabled but no default retention mode and days: new key backups are not locked']);
    const zero = findings(rule, ['keys', doc(bucket('kb', 'key-backup'), { resource: { aws_s3_bucket_object_lock_configuration: { kb: { rule: { default_retention: { days: 0 } } } } } })]);
    expect(zero.map((x) => [x.message, x.fix])).toEqual([
      [
        'has Object Lock enabled but no default retention days: new key backups are not locked',
        'add rule { default_retention { mode = "COMPLIANCE", days = <DB-backup retention + 30> } } to aws_s3_bucket_object_lock_configuration.kb',
      ],
    ]);
  });

  it('names SSM Parameter Store for a key backup kept there', () => {
    const f = findings(rule, ['keys', doc({ resource: { aws_ssm_parameter: { kb: { name: '/kb', type: 'SecureString', value: '${var.v}', tags: tags('key-backup') } } } })]);
    expect(f.map((x) => x.message)).toEqual([
      'holds key backups in SSM Parameter Store, which offers neither Object Lock nor retained versions: the backup cannot be made immutable',
    ]);
  });
});

describe('KC021 writers that can delete (mutation tests)', () => {
  it('names an external account principal by its ARN', () => {
    const f = findings(rule, [
      'keys',
      doc(
        bucket('kb', 'key-backup', { denyDelete: false, tlsOnly: false }),
        withBucketPolicy(stmt({ AWS: 'arn:aws:iam::999999999999:root' }, ['s3:PutObject', 's3:DeleteObjectVersion'])),
      ),
    ]);
    const lets = f.filter((x) => x.message.startsWith('lets ')).map((x) => x.message.replace(/ both write.*$/, ''));
    expect(lets).toEqual(['lets external principal arn:aws:iam::999999999999:root']);
  });

  it('calls admin access removing the protection', () => {
    const assume = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const f = findings(rule, [
      'keys',
      doc(bucket('kb', 'key-backup'), {
        resource: {
          aws_iam_role: { w: { name: 'w', assume_role_policy: assume } },
          aws_iam_role_policy: {
            w: {
              role: '${aws_iam_role.w.id}',
              policy: JSON.stringify({
                Version: '2012-10-17',
                Statement: [
                  { Effect: 'Allow', Action: ['s3:PutObject'], Resource: '${aws_s3_bucket.kb.arn}/*' },
                  { Effect: 'Allow', Action: ['s3:PutBucketPolicy'], Resource: '${aws_s3_bucket.kb.arn}' },
                ],
              }),
            },
          },
        },
      }),
    ]);
    expect(f.map((x) => x.message)).toEqual([
      'lets aws_iam_role.w both write key backups (write via inline policy aws_iam_role_policy.w) and remove their protection (admin: versioning, lifecycle, Object Lock or bucket policy via inline policy aws_iam_role_policy.w)',
    ]);
    expect(f[0].fix).toBe("remove s3:Delete* (and s3:* / admin access) from aws_iam_role.w's path (inline policy aws_iam_role_policy.w); give deletes, if anyone, to a separate break-glass role");
  });

  it('names the stack of a writer in another stack', () => {
    const assume = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const f = findings(
      rule,
      ['keys', doc(bucket('kb', 'key-backup', { denyDelete: false }), { output: { 'cross-stack-output-kbarn': { value: '${aws_s3_bucket.kb.arn}' } } })],
      [
        'ops',
        doc({
          data: { terraform_remote_state: { keys: { backend: 'local', config: { path: '../keys/terraform.tfstate' } } } },
          resource: {
            aws_iam_role: { w: { name: 'w', assume_role_policy: assume } },
            aws_iam_role_policy: {
              w: {
                role: '${aws_iam_role.w.id}',
                policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: '${data.terraform_remote_state.keys.outputs.cross-stack-output-kbarn}/*' }] }),
              },
            },
          },
        }),
      ],
    );
    expect(f.filter((x) => x.message.startsWith('lets ')).map((x) => x.message)).toEqual([
      'lets aws_iam_role.w (stack ops) both write key backups (write via inline policy aws_iam_role_policy.w) and delete them (delete via inline policy aws_iam_role_policy.w)',
    ]);
  });

  it('names the stack of a writer in the bucket\'s own stack when several stacks are in play', () => {
    const assume = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const writer = {
      resource: {
        aws_iam_role: { w: { name: 'w', assume_role_policy: assume } },
        aws_iam_role_policy: {
          w: { role: '${aws_iam_role.w.id}', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: '${aws_s3_bucket.kb.arn}/*' }] }) },
        },
      },
    };
    const lets = (...stacks: [string, Json][]) => findings(rule, ...stacks).filter((x) => x.message.startsWith('lets ')).map((x) => x.message.split(' both ')[0]);
    expect(lets(['keys', doc(bucket('kb', 'key-backup', { denyDelete: false }), writer)], ['other', doc({ resource: {} })])).toEqual(['lets aws_iam_role.w (stack keys)']);
    expect(lets(['keys', doc(bucket('kb', 'key-backup', { denyDelete: false }), writer)])).toEqual(['lets aws_iam_role.w']);
  });
});
