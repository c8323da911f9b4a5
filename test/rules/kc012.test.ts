import { describe, it, expect } from 'vitest';
import { rule } from '../../lib/rules/kc012-separate-kms-keys';
import { DB_BUCKET, KEY_BUCKET, USER, allow, merge, model, oneStack, policy, stack, tags } from '../fixtures/iam/fixtures';

const OPS = 'aws_iam_user.ops';

/** Both buckets encrypting with one shared key. */
function sharedKey() {
  const sse = (b: string) => ({
    bucket: `\${aws_s3_bucket.${b}.id}`,
    rule: { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.shared.arn}' } },
  });
  return model([
    's',
    stack({
      resource: {
        aws_kms_key: { shared: { enable_key_rotation: true } },
        aws_s3_bucket: { keys: { bucket: KEY_BUCKET, tags: tags('key-backup') }, db: { bucket: DB_BUCKET, tags: tags('db-backup') } },
        aws_s3_bucket_server_side_encryption_configuration: { keys: sse('keys'), db: sse('db') },
      },
    }),
  ]);
}

describe('KC012 separate KMS keys', () => {
  it('is a suppressible error', () => {
    expect(rule).toMatchObject({ id: 'KC012', severity: 'error', suppressible: true });
    expect(rule.fix).toContain('its own customer-managed KMS key');
  });

  it('flags two buckets that encrypt with the same key', () => {
    const f = rule.check(sharedKey());
    expect(f).toHaveLength(1);
    expect(f[0].address).toBe('aws_s3_bucket.keys');
    expect(f[0].message).toBe('key-backup bucket aws_s3_bucket.keys (stack s) and db-backup bucket aws_s3_bucket.db (stack s) both encrypt with KMS key aws_kms_key.shared (stack s)');
    expect(f[0].fix).toContain('separate customer-managed KMS key for aws_s3_bucket.keys');
  });

  it('passes separate keys that no one principal can use both of', () => {
    const m = model([
      's',
      oneStack(merge(USER, { aws_iam_user: { other: { name: 'other' } }, aws_iam_user_policy: { p: { user: 'ops', policy: policy(allow('kms:Decrypt', '${aws_kms_key.db.arn}')) }, q: { user: 'other', policy: policy(allow('kms:Decrypt', '${aws_kms_key.keys.arn}')) } } })),
    ]);
    expect(m.grants.filter((g) => g.access === 'decrypt')).toHaveLength(2);
    expect(rule.check(m)).toEqual([]);
  });

  it('flags a principal that can decrypt with both keys (wildcard key resource)', () => {
    const m = model(['s', oneStack(merge(USER, { aws_iam_user_policy: { p: { user: 'ops', policy: policy(allow('kms:Decrypt', 'arn:aws:kms:*:*:key/*')) } } }))]);
    const f = rule.check(m);
    expect(f.map((x) => x.address)).toEqual([OPS]);
    expect(f[0].message).toContain('can decrypt the key-backup store aws_s3_bucket.keys (stack s) (key aws_kms_key.keys (stack s)) via inline policy aws_iam_user_policy.p');
    expect(f[0].message).toContain('db-backup store aws_s3_bucket.db (stack s) (key aws_kms_key.db (stack s))');
    expect(f[0].fix).toContain(OPS);
  });

  it('flags decrypt through a key policy on one key and a KMS grant on the other', () => {
    const m = model([
      's',
      oneStack(
        merge(USER, {
          aws_kms_key: { keys: { policy: policy({ Effect: 'Allow', Principal: { AWS: '${aws_iam_user.ops.arn}' }, Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*' }) } },
          aws_kms_grant: { g: { key_id: '${aws_kms_key.db.key_id}', grantee_principal: '${aws_iam_user.ops.arn}', operations: ['Decrypt'] } },
        }),
      ),
    ]);
    const f = rule.check(m);
    expect(f.map((x) => x.address)).toEqual([OPS]);
    expect(f[0].message).toContain('via key policy aws_kms_key.keys');
    expect(f[0].message).toContain('via KMS grant aws_kms_grant.g');
  });
});
