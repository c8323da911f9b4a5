/** Resource policies: bucket, secret and key policies, KMS grants and keys. */
import { describe, expect, it } from 'vitest';
import { BK, BP, KEY_BUCKET, ON_KK, P, U, USER, accessOf, allow, deny, grantLines as grants, merge, mk, model, oneStack, policy, sse, stack, tags, unknownLines as unknowns, up, viaOf, type Json, type Res } from '../../fixtures/iam/fixtures';

const KEYS = 'aws_s3_bucket.keys';
const DB = 'aws_s3_bucket.db';
const OPS = 'aws_iam_user.ops';

const BKK: Res = merge(sse('${aws_kms_key.kk.arn}'), { aws_kms_key: { kk: { description: 'k' } } });

describe('resource policies', () => {
  const withBucketPolicy = (statements: Json[], userPolicy?: string) =>
    model([
      's',
      oneStack(
        merge(USER, {
          aws_iam_user: { writer: { name: 'keys-writer' } },
          aws_s3_bucket_policy: { keys: { bucket: '${aws_s3_bucket.keys.id}', policy: policy(...statements) } },
          ...(userPolicy ? { aws_iam_user_policy: { u: { user: 'ops', policy: userPolicy } } } : {}),
        }),
      ),
    ]);

  it('adds access for a principal the bucket policy names by ARN or reference', () => {
    const m = withBucketPolicy([
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/ops' }, Action: 's3:GetObject', Resource: '${aws_s3_bucket.keys.arn}/*' },
      { Effect: 'Allow', Principal: { AWS: ['${aws_iam_user.writer.arn}'] }, Action: 's3:PutObject', Resource: '${aws_s3_bucket.keys.arn}/*' },
    ]);
    expect(accessOf(m, OPS, KEYS)).toEqual(['read']);
    expect(viaOf(m, OPS, KEYS, 'read')).toBe('bucket policy aws_s3_bucket_policy.keys');
    expect(accessOf(m, 'aws_iam_user.writer', KEYS)).toEqual(['write']);
  });

  it('creates external principals for ARNs outside the configuration', () => {
    const m = withBucketPolicy([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:role/offsite-reader' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${KEY_BUCKET}/*` }]);
    const ext = m.principals.find((p) => p.id === 'external:arn:aws:iam::999999999999:role/offsite-reader');
    expect(ext).toMatchObject({ kind: 'external', account: 'acct:999999999999' });
    expect(accessOf(m, 'arn:aws:iam::999999999999:role/offsite-reader', KEYS)).toEqual(['read']);
  });

  it('removes identity access with a deny-everyone-else statement', () => {
    const m = withBucketPolicy(
      [
        { Effect: 'Allow', Principal: { AWS: '${aws_iam_user.writer.arn}' }, Action: 's3:PutObject', Resource: '${aws_s3_bucket.keys.arn}/*' },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: ['${aws_s3_bucket.keys.arn}', '${aws_s3_bucket.keys.arn}/*'],
          Condition: { ArnNotLike: { 'aws:PrincipalArn': ['${aws_iam_user.writer.arn}'] } },
        },
        { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['${aws_s3_bucket.keys.arn}/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ],
      policy(allow('s3:*', '*')),
    );
    expect(accessOf(m, OPS, KEYS)).toEqual([]);
    expect(accessOf(m, OPS, DB)).toEqual(['admin', 'delete', 'read', 'write']);
    expect(accessOf(m, 'aws_iam_user.writer', KEYS)).toEqual(['write']);
  });

  it('keeps access the TLS-only deny does not block, and principals a wildcard exemption may cover', () => {
    const tlsOnly = withBucketPolicy([{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }], policy(allow('s3:GetObject', '*')));
    expect(accessOf(tlsOnly, OPS, KEYS)).toEqual(['read']);
    const wildcard = withBucketPolicy(
      [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { StringNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:user/op*'] } } }],
      policy(allow('s3:GetObject', '*')),
    );
    expect(accessOf(wildcard, OPS, KEYS)).toEqual(['read']);
  });

  it('narrows an Allow to everyone by its aws:PrincipalArn condition', () => {
    const m = withBucketPolicy([
      { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '${aws_s3_bucket.keys.arn}/*', Condition: { ArnEquals: { 'aws:PrincipalArn': '${aws_iam_user.writer.arn}' } } },
    ]);
    expect(accessOf(m, 'aws_iam_user.writer', KEYS)).toEqual(['read']);
    expect(accessOf(m, OPS, KEYS)).toEqual([]);
  });

  it('denies everyone not listed in NotPrincipal', () => {
    const m = withBucketPolicy([{ Effect: 'Deny', NotPrincipal: { AWS: ['${aws_iam_user.writer.arn}'] }, Action: 's3:GetObject', Resource: '*' }], policy(allow('s3:GetObject', '*')));
    expect(accessOf(m, OPS, KEYS)).toEqual([]);
    expect(accessOf(m, OPS, DB)).toEqual(['read']);
  });

  it('reads secret policies for Secrets Manager stores', () => {
    const m = model([
      's',
      stack({
        resource: merge(USER, {
          aws_secretsmanager_secret: { hot: { name: 'zitadel/master-key', tags: tags('key-store') } },
          aws_secretsmanager_secret_policy: { hot: { secret_arn: '${aws_secretsmanager_secret.hot.arn}', policy: policy({ Effect: 'Allow', Principal: { AWS: '${aws_iam_user.ops.arn}' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }) } },
          aws_ssm_parameter: { key: { name: '/zitadel/master-key', type: 'SecureString', tags: tags('key-store') } },
          aws_iam_user_policy_attachment: { a: { user: 'ops', policy_arn: 'arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess' } },
        }),
      }),
    ]);
    expect(accessOf(m, OPS, 'aws_secretsmanager_secret.hot')).toEqual(['read']);
    expect(accessOf(m, OPS, 'aws_ssm_parameter.key')).toEqual(['read']);
  });
});

describe('store-side policies', () => {
  const readBy = (extra: Res, data?: Res) => grants(mk(merge(BK, U, extra), data));
  const allowU = policy({ Effect: 'Allow', Principal: { AWS: '${aws_iam_user.u.arn}' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*' });

  it('finds the bucket of a bucket policy by reference, literal name or a data source of the same name', () => {
    expect(readBy({ aws_s3_bucket_policy: { bp: { bucket: '${aws_s3_bucket.k.bucket}', policy: allowU } } })).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${BP}`]);
    expect(readBy({ aws_s3_bucket_policy: { bp: { bucket: 'kb', policy: allowU } } })).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${BP}`]);
    expect(readBy({ aws_s3_bucket_policy: { bp: { bucket: '${data.aws_s3_bucket.d.id}', policy: allowU } } }, { aws_s3_bucket: { d: { bucket: 'kb' } } })).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${BP}`]);
    expect(readBy({ aws_s3_bucket_policy: { bp: { bucket: '${data.aws_s3_bucket.d.id}', policy: allowU } } }, { aws_s3_bucket: { d: { bucket: 'other' } } })).toEqual([]);
    expect(readBy({ aws_s3_bucket_policy: { bp: { bucket: 'other', policy: allowU } } })).toEqual([]);
    expect(readBy({ aws_s3_bucket_policy: { bp: { bucket: 'kb' } } })).toEqual([]);
  });

  it('does not read the policy of a bucket that is not a store', () => {
    const m = mk(merge(BK, { aws_s3_bucket: { j: { bucket: 'jb' } }, aws_s3_bucket_policy: { bp: { bucket: '${aws_s3_bucket.j.id}', policy: '${var.p}' } } }));
    expect(unknowns(m)).toEqual([]);
    const store = mk(merge(BK, { aws_s3_bucket_policy: { bp: { bucket: '${aws_s3_bucket.k.id}', policy: '${var.p}' } } }));
    expect(unknowns(store)).toEqual(['aws_s3_bucket_policy.bp: the policy ${var.p} is an expression that is not evaluated']);
  });

  it('reads a policy written on the bucket or secret itself', () => {
    const m = mk(
      merge(U, {
        aws_s3_bucket: { k: { bucket: 'kb', tags: tags('key-backup'), policy: allowU } },
        aws_secretsmanager_secret: { sec: { name: 'hot', tags: tags('key-store'), policy: policy({ Effect: 'Allow', Principal: { AWS: '${aws_iam_user.u.arn}' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }) } },
        aws_ssm_parameter: { prm: { name: '/p', type: 'SecureString', tags: tags('key-store'), policy: policy({ Effect: 'Allow', Principal: '*', Action: 'ssm:GetParameter', Resource: '*' }) } },
      }),
    );
    expect(grants(m)).toEqual([
      'aws_iam_user.u aws_s3_bucket.k read | bucket policy on aws_s3_bucket.k',
      'aws_iam_user.u aws_secretsmanager_secret.sec read | secret policy on aws_secretsmanager_secret.sec',
    ]);
  });

  it('finds the secret of a secret policy by ARN reference or literal name', () => {
    const sp = (secretArn: string) =>
      grants(mk(merge(U, { aws_secretsmanager_secret: { sec: { name: 'hot', tags: tags('key-store') } }, aws_secretsmanager_secret_policy: { sp: { secret_arn: secretArn, policy: policy({ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:DeleteSecret', Resource: '*' }) } } })));
    expect(sp('${aws_secretsmanager_secret.sec.arn}')).toEqual(['aws_iam_user.u aws_secretsmanager_secret.sec delete | secret policy aws_secretsmanager_secret_policy.sp']);
    expect(sp('hot')).toEqual(['aws_iam_user.u aws_secretsmanager_secret.sec delete | secret policy aws_secretsmanager_secret_policy.sp']);
    expect(sp('cold')).toEqual([]);
  });

  it('matches the resource of a store policy statement like an identity statement', () => {
    const st = (resource: string) => readBy({ aws_s3_bucket_policy: { bp: { bucket: 'kb', policy: policy({ Effect: 'Allow', Principal: { AWS: '${aws_iam_user.u.arn}' }, Action: ['s3:GetObject', 's3:PutBucketPolicy'], Resource: resource }) } } });
    expect(st('arn:aws:s3:::kb')).toEqual([`aws_iam_user.u aws_s3_bucket.k admin | ${BP}`]);
    expect(st('arn:aws:s3:::other/*')).toEqual([]);
    expect(st('*')).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${BP}`, `aws_iam_user.u aws_s3_bucket.k admin | ${BP}`]);
  });
});

describe('KMS decrypt', () => {
  it('needs kms:Decrypt on the key from an identity policy under the default key policy', () => {
    expect(grants(mk(merge(BKK, up(allow('kms:Decrypt', '${aws_kms_key.kk.arn}')))))).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} ${ON_KK}`]);
    expect(grants(mk(merge(BKK, up(allow('kms:Decrypt', 'arn:aws:kms:*:*:key/${aws_kms_key.kk.key_id}')))))).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} ${ON_KK}`]);
    expect(grants(mk(merge(BKK, up(allow('kms:Decrypt', 'arn:aws:kms:*:*:key/${aws_kms_key.kk.id}')))))).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} ${ON_KK}`]);
    expect(grants(mk(merge(BKK, up(allow('kms:Decrypt', '${aws_kms_key.kk.key_id}')))))).toEqual([]);
    expect(grants(mk(merge(BKK, up(allow('kms:Decrypt', '*'), deny('kms:Decrypt', 'arn:aws:kms:*:*:key/${aws_kms_key.kk.key_id}')))))).toEqual([]);
    expect(grants(mk(merge(BKK, up(allow('kms:Decrypt', '*'), deny('kms:Decrypt', 'arn:aws:kms:*:*:key/${aws_kms_key.kk.id}')))))).toEqual([]);
    expect(grants(mk(merge(BKK, up(allow('kms:Decrypt', '*'), deny('kms:Decrypt', '${aws_kms_key.kk.arn}')))))).toEqual([]);
    expect(grants(mk(merge(BKK, up(allow('kms:Decrypt', '*'), deny('kms:Decrypt', 'arn:aws:kms:*:*:key/${aws_kms_key.kk.description}')))))).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} ${ON_KK}`]);
    expect(grants(mk(merge(BKK, up(allow('kms:Encrypt', '*')))))).toEqual([]);
  });

  it('with a written key policy, needs the key policy to name the principal or to enable IAM', () => {
    const keyPolicy = (principal: unknown, action = 'kms:Decrypt') => policy({ Effect: 'Allow', Principal: principal, Action: action, Resource: '*' });
    const withKeyPolicy = (kp: string, statements: Json[] = [allow('kms:Decrypt', '*')]) =>
      grants(mk(merge(BKK, { aws_kms_key: { kk: { description: 'k', policy: kp } } }, up(...statements)), { aws_caller_identity: { me: {} } }));
    const KP = 'key policy aws_kms_key.kk';
    expect(withKeyPolicy(keyPolicy({ AWS: 'arn:aws:iam::999999999999:role/other' }))).toEqual([`arn:aws:iam::999999999999:role/other aws_s3_bucket.k decrypt | ${KP} ${ON_KK}`]);
    expect(withKeyPolicy(keyPolicy({ AWS: 'arn:aws:iam::${data.aws_caller_identity.me.account_id}:root' }))).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} + ${KP} ${ON_KK}`]);
    expect(withKeyPolicy(keyPolicy({ AWS: 'arn:aws:iam::${data.aws_caller_identity.me.account_id}:root' }), [allow('kms:Encrypt', '*')])).toEqual([]);
    expect(withKeyPolicy(keyPolicy({ AWS: '${aws_iam_user.u.arn}' }), [])).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${KP} ${ON_KK}`]);
    expect(withKeyPolicy(keyPolicy({ AWS: '${aws_iam_user.u.arn}' }, 'kms:Encrypt'), [])).toEqual([]);
    expect(withKeyPolicy(keyPolicy('*'), [])).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${KP} ${ON_KK}`]);
    expect(withKeyPolicy(policy({ Effect: 'Allow', NotPrincipal: { AWS: '${aws_iam_user.w.arn}' }, Action: 'kms:*', Resource: '*' }), [])).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${KP} ${ON_KK}`]);
    expect(withKeyPolicy(policy({ Effect: 'Allow', NotPrincipal: { AWS: '${aws_iam_user.u.arn}' }, Action: 'kms:*', Resource: '*' }), [])).toEqual([]);
    // An empty key policy enables no one.
    expect(withKeyPolicy(policy())).toEqual([]);
  });

  it('lets a key-policy Deny remove decrypt', () => {
    const kp = policy({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }, { Effect: 'Deny', Principal: { AWS: '${aws_iam_user.u.arn}' }, Action: ['kms:Decrypt', 'kms:ReEncrypt*'], Resource: '*' });
    expect(grants(mk(merge(BKK, U, { aws_kms_key: { kk: { description: 'k', policy: kp } } })))).toEqual([]);
  });

  it('reads aws_kms_key_policy, and a key policy it cannot read as the default one', () => {
    const kp = (key: string, p: string) => grants(mk(merge(BKK, U, { aws_kms_key_policy: { kp: { key_id: key, policy: p } } })));
    const named = policy({ Effect: 'Allow', Principal: { AWS: '${aws_iam_user.u.arn}' }, Action: 'kms:Decrypt', Resource: '*' });
    expect(kp('${aws_kms_key.kk.id}', named)).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | key policy aws_kms_key_policy.kp ${ON_KK}`]);
    expect(kp('${var.key}', named)).toEqual([]);
    const unreadable = mk(merge(BKK, up(allow('kms:Decrypt', '*')), { aws_kms_key: { kk: { description: 'k', policy: '${var.key_policy}' } } }));
    expect(grants(unreadable)).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} ${ON_KK}`]);
    expect(unknowns(unreadable)).toEqual(['aws_kms_key.kk: the policy ${var.key_policy} is an expression that is not evaluated']);
  });

  it('follows KMS grants that include Decrypt, to named and external grantees', () => {
    const grant = (g: Json) => mk(merge(BKK, U, { aws_kms_grant: { g: { key_id: '${aws_kms_key.kk.key_id}', ...g } } }));
    expect(grants(grant({ grantee_principal: '${aws_iam_user.u.arn}', operations: ['decrypt'] }))).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | KMS grant aws_kms_grant.g ${ON_KK}`]);
    expect(grants(grant({ grantee_principal: 'arn:aws:iam::123456789012:user/u', operations: ['Encrypt', 'Decrypt'] }))).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | KMS grant aws_kms_grant.g ${ON_KK}`]);
    expect(grants(grant({ grantee_principal: '${aws_iam_user.u.arn}', operations: ['Encrypt', 'GenerateDataKey'] }))).toEqual([]);
    expect(grants(grant({ grantee_principal: 'arn:aws:iam::333333333333:role/x', operations: 'Decrypt' }))).toEqual([`arn:aws:iam::333333333333:role/x aws_s3_bucket.k decrypt | KMS grant aws_kms_grant.g ${ON_KK}`]);
    expect(grants(grant({ grantee_principal: 7, operations: ['Decrypt'] }))).toEqual([]);
    expect(grants(mk(merge(BKK, U, { aws_kms_grant: { g: { key_id: '${var.k}', grantee_principal: '${aws_iam_user.u.arn}', operations: ['Decrypt'] } } })))).toEqual([]);
  });

  it('keeps the first grant of a grantee and prefers it to the key policy', () => {
    const m = mk(
      merge(BKK, U, {
        aws_kms_key: { kk: { description: 'k', policy: policy({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }) } },
        aws_kms_grant: {
          a: { key_id: '${aws_kms_key.kk.arn}', grantee_principal: '${aws_iam_user.u.arn}', operations: ['Decrypt'] },
          b: { key_id: '${aws_kms_key.kk.arn}', grantee_principal: '${aws_iam_user.u.arn}', operations: ['Decrypt'] },
        },
      }),
    );
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | KMS grant aws_kms_grant.a ${ON_KK}`]);
  });

  it('reads a literal key ARN as a key outside the configuration, in the account the ARN names', () => {
    const lit = 'arn:aws:kms:eu-central-1:333333333333:key/abc';
    const m = (statements: Json[], provider?: Json, extra: Res = {}) => grants(mk(merge(sse(lit), up(...statements), extra), undefined, provider));
    expect(m([allow('kms:Decrypt', lit)])).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key ${lit}`]);
    expect(m([allow('kms:Decrypt', 'arn:aws:kms:eu-central-1:333333333333:key/other')])).toEqual([]);
    expect(m([allow('kms:Decrypt', lit)], { aws: [{ allowed_account_ids: ['111111111111'] }] })).toEqual([]);
    expect(m([allow('kms:Decrypt', lit)], { aws: [{ allowed_account_ids: ['333333333333'] }] })).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key ${lit}`]);
    expect(m([], undefined, { aws_kms_grant: { g: { key_id: lit, grantee_principal: '${aws_iam_user.u.arn}', operations: ['Decrypt'] } } })).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | KMS grant aws_kms_grant.g on key ${lit}`]);
    // A reference to some managed key may be this one: over-report.
    expect(m([allow('kms:Decrypt', '${aws_kms_key.other.arn}')], undefined, { aws_kms_key: { other: {} } })).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key ${lit}`]);
  });

  it('reads literal key ids and aliases', () => {
    const dec = (kid: string, resource: string) => grants(mk(merge(sse(kid), up(allow('kms:Decrypt', resource)))));
    expect(dec('abc-123', 'arn:aws:kms:eu-central-1:123456789012:key/abc-123')).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key abc-123`]);
    expect(dec('abc-123', 'arn:aws:kms:eu-central-1:123456789012:key/abc-124')).toEqual([]);
    // A key id without an account may be in any account.
    const pinned = grants(mk(merge(sse('abc-123'), up(allow('kms:Decrypt', '*'))), undefined, { aws: [{ allowed_account_ids: ['111111111111'] }] }));
    expect(pinned).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key abc-123`]);
    expect(dec('alias/custom', 'arn:aws:kms:eu-central-1:123456789012:alias/custom')).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key alias/custom`]);
    expect(dec('alias/custom', 'arn:aws:kms:eu-central-1:123456789012:key/custom')).toEqual([]);
  });

  it('lets whoever may read the store use an AWS-managed key', () => {
    const m = (kid: string, statements: Json[]) => grants(mk(merge(sse(kid), up(...statements))));
    expect(m('alias/aws/s3', [allow('s3:GetObject', '*')])).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`, `aws_iam_user.u aws_s3_bucket.k decrypt | ${P} (AWS-managed alias/aws/s3)`]);
    expect(m('arn:aws:kms:eu-central-1:111111111111:alias/aws/s3', [allow('s3:GetObject', '*')])).toEqual([
      `aws_iam_user.u aws_s3_bucket.k read | ${P}`,
      `aws_iam_user.u aws_s3_bucket.k decrypt | ${P} (AWS-managed alias/aws/s3)`,
    ]);
    expect(m('alias/aws/s3', [allow('s3:PutObject', '*'), allow('kms:Decrypt', '*')])).toEqual([`aws_iam_user.u aws_s3_bucket.k write | ${P}`]);
  });

  it('reads a data-source key by its literal key_id', () => {
    const dec = (keyId: string, resource: string) =>
      grants(mk(merge(sse('${data.aws_kms_key.d.arn}'), up(allow('kms:Decrypt', resource))), { aws_kms_key: { d: { key_id: keyId } } }));
    expect(dec('arn:aws:kms:eu-central-1:123456789012:key/abc', 'arn:aws:kms:eu-central-1:123456789012:key/abc')).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key data.aws_kms_key.d`]);
    expect(dec('arn:aws:kms:eu-central-1:123456789012:key/abc', 'arn:aws:kms:*:*:key/abd')).toEqual([]);
    expect(dec('abc', 'arn:aws:kms:*:*:key/abc')).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key data.aws_kms_key.d`]);
    expect(dec('abc', 'arn:aws:kms:*:*:key/abd')).toEqual([]);
    expect(dec('alias/x', 'arn:aws:kms:*:*:key/alias/x')).toEqual([]);
    expect(dec('alias/x', 'arn:aws:kms:*:*:key/*')).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key data.aws_kms_key.d`]);
  });

  it('finds the key of a parameter (key_id) and of a secret (kms_key_id), once per key', () => {
    const m = mk(
      merge(U, {
        aws_kms_key: { kk: {} },
        aws_ssm_parameter: { prm: { name: '/p', type: 'SecureString', key_id: '${aws_kms_key.kk.key_id}', tags: tags('key-store') } },
        aws_secretsmanager_secret: { sec: { name: 'hot', kms_key_id: '${aws_kms_key.kk.arn}', tags: tags('key-store') } },
        aws_iam_user_policy: { p: { user: 'u', policy: policy(allow('kms:Decrypt', '${aws_kms_key.kk.arn}')) } },
      }),
    );
    expect(grants(m)).toEqual([`aws_iam_user.u aws_ssm_parameter.prm decrypt | ${P} ${ON_KK}`, `aws_iam_user.u aws_secretsmanager_secret.sec decrypt | ${P} ${ON_KK}`]);
    const noKey = mk(merge(U, { aws_ssm_parameter: { prm: { name: '/p', type: 'SecureString', tags: tags('key-store') } } }, { aws_iam_user_policy: { p: { user: 'u', policy: policy(allow('kms:Decrypt', '*')) } } }));
    expect(grants(noKey)).toEqual([]);
  });

  it('reads an address written as the key id', () => {
    const m = mk(merge(sse('aws_kms_key.kk'), { aws_kms_key: { kk: {} } }, up(allow('kms:Decrypt', '*'))));
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} ${ON_KK}`]);
    const withPolicy = mk(merge(sse('aws_kms_key.kk'), U, { aws_kms_key: { kk: { policy: policy({ Effect: 'Allow', Principal: { AWS: '${aws_iam_user.u.arn}' }, Action: 'kms:Decrypt', Resource: '*' }) } } }));
    expect(grants(withPolicy)).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | key policy aws_kms_key.kk ${ON_KK}`]);
  });
});
