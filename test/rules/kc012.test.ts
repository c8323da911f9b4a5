/**
 * The rule on whole configurations first, then the exact-output tests.
 * KC012 boundaries the main tests leave open: keys written as literals (an alias or a bare id
 * is per account, a full ARN names one key), buckets without a KMS key, and the exact
 * message for a literal key.
 */
import { describe, it, expect } from 'vitest';
import { rule } from '../../lib/rules/kc012-separate-kms-keys';
import { DB_BUCKET, KEY_BUCKET, USER, allow, merge, model, oneStack, policy, stack, tags as iamTags } from '../fixtures/iam/fixtures';
import { bucket, doc, findings, tags, type Json } from './kc0xx-fixtures';

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
        aws_s3_bucket: { keys: { bucket: KEY_BUCKET, tags: iamTags('key-backup') }, db: { bucket: DB_BUCKET, tags: iamTags('db-backup') } },
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

const account = (id: string): Json => ({ provider: { aws: [{ region: 'eu-central-1', allowed_account_ids: [id] }] } });
/** A bucket whose SSE-KMS key is the given literal. */
function literalKey(name: string, role: string, kmsKey: string): Json {
  const b = bucket(name, role, { kms: 'none' }) as { resource: Json };
  return doc(b, {
    resource: {
      aws_s3_bucket_server_side_encryption_configuration: {
        [name]: { bucket: `\${aws_s3_bucket.${name}.id}`, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: kmsKey } }] },
      },
    },
  });
}

describe('KC012 literal keys (mutation tests)', () => {
  it('flags the AWS-managed alias shared by both buckets of one account, naming the alias as written', () => {
    const f = findings(rule, ['s', doc(bucket('kb', 'key-backup', { kms: 'aws' }), bucket('db', 'db-backup', { kms: 'aws', tags: tags('db-backup') }))]);
    expect(f.map((x) => [x.address, x.message, x.fix])).toEqual([
      [
        'aws_s3_bucket.kb',
        'key-backup bucket aws_s3_bucket.kb (stack s) and db-backup bucket aws_s3_bucket.db (stack s) both encrypt with KMS key alias/aws/s3',
        'create a separate customer-managed KMS key for aws_s3_bucket.kb and point its SSE-KMS configuration (kms_master_key_id) at it, so that alias/aws/s3 serves the DB backups only',
      ],
    ]);
  });

  it('does not flag one alias used in two different accounts', () => {
    expect(
      findings(
        rule,
        ['keys', doc(account('111111111111'), literalKey('kb', 'key-backup', 'alias/custody'))],
        ['db', doc(account('222222222222'), literalKey('db', 'db-backup', 'alias/custody'))],
      ),
    ).toEqual([]);
  });

  it('flags one full key ARN even across accounts', () => {
    const arn = 'arn:aws:kms:eu-central-1:111111111111:key/0000-1111';
    const f = findings(
      rule,
      ['keys', doc(account('111111111111'), literalKey('kb', 'key-backup', arn))],
      ['db', doc(account('222222222222'), literalKey('db', 'db-backup', arn))],
    );
    expect(f.map((x) => x.message)).toEqual([
      `key-backup bucket aws_s3_bucket.kb (stack keys) and db-backup bucket aws_s3_bucket.db (stack db) both encrypt with KMS key ${arn}`,
    ]);
  });

  it('passes buckets that use no KMS key at all (SSE-S3 or none)', () => {
    expect(findings(rule, ['s', doc(bucket('kb', 'key-backup', { kms: 'aes' }), bucket('db', 'db-backup', { kms: 'none', tags: tags('db-backup') }))])).toEqual([]);
    expect(findings(rule, ['s', doc(bucket('kb', 'key-backup', { kms: 'none' }), bucket('db', 'db-backup', { kms: 'none', tags: tags('db-backup') }))])).toEqual([]);
    expect(findings(rule, ['s', doc(bucket('kb', 'key-backup', { kms: 'aws' }), bucket('db', 'db-backup', { kms: 'none', tags: tags('db-backup') }))])).toEqual([]);
  });

  it('compares key-backup buckets only with db-backup buckets', () => {
    expect(findings(rule, ['s', doc(bucket('kb', 'key-backup', { kms: 'aws' }), bucket('kb2', 'key-backup', { kms: 'aws', tags: tags('key-backup', 'k2') }))])).toEqual([]);
  });
});
