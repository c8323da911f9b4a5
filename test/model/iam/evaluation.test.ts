/** Evaluation: access levels per action, account boundaries, KMS decrypt, and blocked grants. */
import { describe, expect, it } from 'vitest';
import { BK, BP, KEY_BUCKET, P, PARAM, SEC, U, USER, accessOf, accessU, allow, blockedLines, blockedLines as blocked, bp, bucketWithKey, deny, get, grantLines as grants, merge, mk, model, oneStack, policy, stack, up, viaOf, type Json, type Res } from '../../fixtures/iam/fixtures';

const KEYS = 'aws_s3_bucket.keys';
const DB = 'aws_s3_bucket.db';
const OPS = 'aws_iam_user.ops';
/** One stack with both buckets, user ops and an inline policy with `statements`. */
function inline(...statements: Json[]) {
  return model(['s', oneStack(merge(USER, { aws_iam_user_policy: { p: { user: '${aws_iam_user.ops.name}', policy: policy(...statements) } } }))]);
}

const USERS: Res = { aws_iam_user: { u: { name: 'u' }, v: { name: 'v' } } };
const bucketPolicy = (...statements: Json[]): Res => ({ aws_s3_bucket_policy: { k: { bucket: '${aws_s3_bucket.k.id}', policy: policy(...statements) } } });

describe('each custody action maps to one access level at one ARN level', () => {
  const s3 = (action: string, resource: string) => accessU(mk(merge(BK, up(allow(action, resource)))));
  it.each([
    ['s3:GetObject', 'read', 'object'],
    ['s3:GetObjectVersion', 'read', 'object'],
    ['s3:PutObject', 'write', 'object'],
    ['s3:DeleteObject', 'delete', 'object'],
    ['s3:DeleteObjectVersion', 'delete', 'object'],
    ['s3:DeleteBucket', 'delete', 'bucket'],
    ['s3:PutBucketPolicy', 'admin', 'bucket'],
    ['s3:DeleteBucketPolicy', 'admin', 'bucket'],
    ['s3:PutBucketObjectLockConfiguration', 'admin', 'bucket'],
    ['s3:PutLifecycleConfiguration', 'admin', 'bucket'],
    ['s3:PutBucketVersioning', 'admin', 'bucket'],
    ['s3:BypassGovernanceRetention', 'admin', 'object'],
  ])('%s gives %s on the %s ARN only', (action, access, level) => {
    expect(s3(action, 'arn:aws:s3:::kb/*')).toEqual(level === 'object' ? [access] : []);
    expect(s3(action, 'arn:aws:s3:::kb')).toEqual(level === 'bucket' ? [access] : []);
    expect(s3(action, '*')).toEqual([access]);
  });

  it.each([
    ['secretsmanager:GetSecretValue', 'read'],
    ['secretsmanager:PutSecretValue', 'write'],
    ['secretsmanager:UpdateSecret', 'write'],
    ['secretsmanager:DeleteSecret', 'delete'],
    ['secretsmanager:PutResourcePolicy', 'admin'],
    ['secretsmanager:DeleteResourcePolicy', 'admin'],
    ['ssm:GetParameter', 'read'],
    ['ssm:GetParameters', 'read'],
    ['ssm:PutParameter', 'write'],
    ['ssm:DeleteParameter', 'delete'],
    ['ssm:DeleteParameters', 'delete'],
  ])('%s gives %s on the secret or parameter', (action, access) => {
    const m = mk(merge(SEC, PARAM, up(allow(action, '*'))));
    const onSecret = action.startsWith('secretsmanager:') ? [access] : [];
    const onParam = action.startsWith('ssm:') ? [access] : [];
    expect(accessU(m, 'aws_secretsmanager_secret.sec')).toEqual(onSecret);
    expect(accessU(m, 'aws_ssm_parameter.prm')).toEqual(onParam);
  });

  it('takes the via of the first action in table order that gives an access', () => {
    const m = mk(
      merge(BK, U, {
        aws_iam_user_policy: {
          a: { user: 'u', policy: policy(allow('s3:GetObjectVersion', '*')) },
          b: { user: 'u', policy: policy(allow('s3:GetObject', '*')) },
        },
      }),
    );
    expect(grants(m)).toEqual(['aws_iam_user.u aws_s3_bucket.k read | inline policy aws_iam_user_policy.b']);
  });

  it('lists a full grant in table order with the same via', () => {
    expect(grants(mk(merge(BK, up(allow('s3:*', '*')))))).toEqual([
      `aws_iam_user.u aws_s3_bucket.k read | ${P}`,
      `aws_iam_user.u aws_s3_bucket.k write | ${P}`,
      `aws_iam_user.u aws_s3_bucket.k delete | ${P}`,
      `aws_iam_user.u aws_s3_bucket.k admin | ${P}`,
    ]);
  });
});

describe('accounts', () => {
  const twoAccounts = (bucketPolicy?: Json) =>
    model(
      ['keys', stack({ provider: { aws: [{ allowed_account_ids: ['111111111111'] }] }, resource: merge(bucketWithKey('keys', KEY_BUCKET, 'key-backup'), bucketPolicy ? { aws_s3_bucket_policy: { p: { bucket: KEY_BUCKET, policy: policy(bucketPolicy) } } } : {}) })],
      ['db', stack({ provider: { aws: [{ allowed_account_ids: ['222222222222'] }] }, resource: merge(USER, { aws_iam_user_policy: { p: { user: 'ops', policy: policy(allow('s3:*', '*')) } } }) })],
    );

  it('does not let identity policies alone cross an account boundary', () => {
    expect(accessOf(twoAccounts(), OPS, KEYS)).toEqual([]);
  });

  it('crosses it when the bucket policy names the principal or its account root', () => {
    expect(accessOf(twoAccounts({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:user/ops' }, Action: 's3:GetObject', Resource: '*' }), OPS, KEYS)).toEqual(['read']);
    const root = twoAccounts({ Effect: 'Allow', Principal: { AWS: '222222222222' }, Action: 's3:GetObject', Resource: '*' });
    expect(accessOf(root, OPS, KEYS)).toEqual(['read']);
    expect(viaOf(root, OPS, KEYS, 'read')).toBe('inline policy aws_iam_user_policy.p + bucket policy aws_s3_bucket_policy.p');
  });
});

describe('account boundaries', () => {
  const TWO = { aws: [{ allowed_account_ids: ['111111111111'] }, { alias: 'b', allowed_account_ids: ['222222222222'] }] };
  /** Bucket k in account 1; user u in account 2 with `userStatements`; bucket policy `statements`. */
  const cross = (statements: Json[], userStatements: Json[] = [allow('s3:GetObject', '*')], data?: Res) =>
    mk(
      merge(BK, {
        aws_iam_user: { u: { name: 'u', provider: 'aws.b' } },
        aws_iam_user_policy: { p: { user: '${aws_iam_user.u.name}', policy: policy(...userStatements), provider: 'aws.b' } },
        ...(statements.length ? { aws_s3_bucket_policy: { bp: { bucket: 'kb', policy: policy(...statements) } } } : {}),
      }),
      data,
      TWO,
    );

  it('does not cross with an identity policy alone', () => {
    expect(grants(cross([]))).toEqual([]);
  });

  it('crosses when the store names the principal or its account root (both need its own policy too)', () => {
    expect(grants(cross([get({ AWS: '${aws_iam_user.u.arn}' })], [allow('s3:PutObject', '*')]))).toEqual([]);
    expect(grants(cross([get({ AWS: 'arn:aws:iam::222222222222:root' })]))).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P} + ${BP}`]);
    expect(grants(cross([get({ AWS: '222222222222' })], [allow('s3:PutObject', '*')]))).toEqual([]);
    expect(grants(cross([get({ AWS: '333333333333' })]))).toEqual([`arn:aws:iam::333333333333:root aws_s3_bucket.k read | ${BP}`]);
    expect(grants(cross([get({ AWS: 'arn:aws:iam::${var.a}:root' })]))).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P} + ${BP}`]);
  });

  it('reads the caller identity’s account in a root ARN as the account of its provider', () => {
    const root = 'arn:aws:iam::${data.aws_caller_identity.me.account_id}:root';
    expect(grants(cross([get({ AWS: root })], [allow('s3:GetObject', '*')], { aws_caller_identity: { me: {} } }))).toEqual([]);
    expect(grants(cross([get({ AWS: root })], [allow('s3:GetObject', '*')], { aws_caller_identity: { me: { provider: 'aws.b' } } }))).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P} + ${BP}`]);
  });

  it('prefers a direct grant over an account-root grant in the same policy', () => {
    const m = cross([get({ AWS: '222222222222' }, { Sid: 'root' }), get({ AWS: '${aws_iam_user.u.arn}' })]);
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${BP}`]);
    const twoPolicies = mk(
      merge(BK, {
        aws_iam_user: { u: { name: 'u', provider: 'aws.b' } },
        aws_iam_user_policy: { p: { user: 'u', policy: policy(allow('s3:GetObject', '*')), provider: 'aws.b' } },
        aws_s3_bucket_policy: { a: { bucket: 'kb', policy: policy(get({ AWS: '222222222222' })) }, b: { bucket: 'kb', policy: policy(get({ AWS: '222222222222' })) } },
      }),
      undefined,
      TWO,
    );
    expect(grants(twoPolicies)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P} + bucket policy aws_s3_bucket_policy.a`]);
  });

  it('stops at an identity deny even when the store names the principal', () => {
    expect(grants(cross([get({ AWS: '${aws_iam_user.u.arn}' })], [deny('s3:GetObject', 'arn:aws:s3:::kb/*')]))).toEqual([]);
  });

  it('reports what the identity policy names but the boundary blocks', () => {
    const named = cross([], [allow('s3:GetObject', 'arn:aws:s3:::kb/*'), allow('s3:PutObject', '*'), allow('s3:DeleteObject', 'arn:aws:s3:::k*/*')]);
    expect(grants(named)).toEqual([]);
    expect(blocked(named)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P} [blocked today by the store's resource policy or the account boundary]`]);
  });
});

describe('KMS decrypt', () => {
  it('grants decrypt through identity policy with the default key policy', () => {
    const m = inline(allow('kms:Decrypt', '${aws_kms_key.keys.arn}'));
    expect(accessOf(m, OPS, KEYS)).toEqual(['decrypt']);
    expect(accessOf(m, OPS, DB)).toEqual([]);
    expect(viaOf(m, OPS, KEYS, 'decrypt')).toBe('inline policy aws_iam_user_policy.p on key aws_kms_key.keys');
  });

  it('needs the key policy to enable IAM when it is written', () => {
    const keyPolicy = (principal: unknown) => policy({ Effect: 'Allow', Principal: principal, Action: 'kms:*', Resource: '*' });
    const make = (principal: unknown) =>
      model(['s', oneStack(merge(USER, { aws_kms_key: { keys: { policy: keyPolicy(principal) } }, aws_iam_user_policy: { p: { user: 'ops', policy: policy(allow('kms:Decrypt', '*')) } } }), { aws_caller_identity: { me: {} } })]);
    expect(accessOf(make({ AWS: 'arn:aws:iam::999999999999:role/other' }), OPS, KEYS)).toEqual([]);
    expect(accessOf(make({ AWS: 'arn:aws:iam::${data.aws_caller_identity.me.account_id}:root' }), OPS, KEYS)).toEqual(['decrypt']);
    expect(accessOf(make({ AWS: '${aws_iam_user.ops.arn}' }), OPS, KEYS)).toEqual(['decrypt']);
  });

  it('follows aws_kms_grant', () => {
    const m = model(['s', oneStack(merge(USER, { aws_kms_grant: { g: { key_id: '${aws_kms_key.db.key_id}', grantee_principal: '${aws_iam_user.ops.arn}', operations: ['Decrypt', 'GenerateDataKey'] } } }))]);
    expect(accessOf(m, OPS, DB)).toEqual(['decrypt']);
    expect(viaOf(m, OPS, DB, 'decrypt')).toBe('KMS grant aws_kms_grant.g on key aws_kms_key.db');
  });
});

describe('blocked grants', () => {
  const denyAllBut = (extra: Json = {}): Json => ({
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: ['arn:aws:s3:::kb', 'arn:aws:s3:::kb/*'],
    Condition: { ArnNotEquals: { 'aws:PrincipalArn': '${aws_iam_user.w.arn}' } },
    ...extra,
  });
  const BLOCKED = "[blocked today by the store's resource policy or the account boundary]";

  it('reports access an identity policy names but the bucket policy denies', () => {
    const m = bp([denyAllBut()], [allow('s3:GetObject', '${aws_s3_bucket.k.arn}/*'), allow('s3:PutObject', '*'), allow('s3:PutBucketPolicy', 'arn:aws:s3:::kb')]);
    expect(grants(m)).toEqual([]);
    expect(blocked(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P} ${BLOCKED}`, `aws_iam_user.u aws_s3_bucket.k admin | ${P} ${BLOCKED}`]);
  });

  it('counts a name only without wildcards, but with a trailing /* or a key prefix', () => {
    const b = (resource: string, action = 's3:GetObject') => blocked(bp([denyAllBut()], [allow(action, resource)]));
    const READ = [`aws_iam_user.u aws_s3_bucket.k read | ${P} ${BLOCKED}`];
    expect(b('arn:aws:s3:::kb/*')).toEqual(READ);
    expect(b('arn:aws:s3:::kb/sub/*')).toEqual(READ);
    expect(b('arn:aws:s3:::KB/file')).toEqual([]);
    expect(b('arn:aws:s3:::kb')).toEqual([]);
    expect(b('arn:aws:s3:::k*/*')).toEqual([]);
    expect(b('arn:aws:s3:::kb/*/x')).toEqual([]);
    expect(b('*')).toEqual([]);
    expect(b('${var.arn}/*')).toEqual([]);
    expect(b('arn:aws:s3:::other/*')).toEqual([]);
    expect(b('arn:aws:s3:::kb', 's3:DeleteBucket')).toEqual([`aws_iam_user.u aws_s3_bucket.k delete | ${P} ${BLOCKED}`]);
    expect(b('arn:aws:s3:::kb/*', 's3:DeleteBucket')).toEqual([]);
  });

  it('keeps the first naming policy of an access', () => {
    const m = mk(
      merge(BK, U, {
        aws_iam_user: { w: { name: 'w' } },
        aws_s3_bucket_policy: { bp: { bucket: 'kb', policy: policy(denyAllBut()) } },
        aws_iam_user_policy: { a: { user: 'u', policy: policy(allow('s3:GetObject', 'arn:aws:s3:::kb/*')) }, b: { user: 'u', policy: policy(allow('s3:GetObjectVersion', 'arn:aws:s3:::kb/*'), allow('s3:GetObject', 'arn:aws:s3:::kb/*')) } },
      }),
    );
    expect(blocked(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | inline policy aws_iam_user_policy.a ${BLOCKED}`]);
  });

  it('is not reported when the principal’s own policy denies it too, or when it is granted', () => {
    expect(blocked(bp([denyAllBut()], [allow('s3:GetObject', 'arn:aws:s3:::kb/*'), deny('s3:GetObject', '*')]))).toEqual([]);
    const partly = bp([denyAllBut({ Action: 's3:GetObject' })], [allow(['s3:GetObject', 's3:GetObjectVersion'], 'arn:aws:s3:::kb/*')]);
    expect(grants(partly)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
    expect(blocked(partly)).toEqual([]);
  });

  it('follows role chains, and drops what another chain grants', () => {
    const m = mk(
      merge(BK, U, {
        aws_iam_user: { w: { name: 'w' } },
        aws_s3_bucket_policy: { bp: { bucket: 'kb', policy: policy(denyAllBut({ Condition: { ArnNotEquals: { 'aws:PrincipalArn': '${aws_iam_role.ok.arn}' } } })) } },
        aws_iam_role: {
          no: { name: 'no', assume_role_policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: ['${aws_iam_user.u.arn}', '${aws_iam_user.w.arn}'] } }) },
          ok: { name: 'ok', assume_role_policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '${aws_iam_user.w.arn}' } }) },
        },
        aws_iam_role_policy: {
          np: { role: 'no', policy: policy(allow('s3:GetObject', 'arn:aws:s3:::kb/*')) },
          op: { role: 'ok', policy: policy(allow('s3:GetObject', 'arn:aws:s3:::kb/*')) },
        },
      }),
    );
    expect(grants(m)).toEqual([
      'aws_iam_user.w aws_s3_bucket.k read | assumes aws_iam_role.ok → inline policy aws_iam_role_policy.op',
      'aws_iam_role.ok aws_s3_bucket.k read | inline policy aws_iam_role_policy.op',
    ]);
    expect(blocked(m)).toEqual([
      `aws_iam_user.u aws_s3_bucket.k read | assumes aws_iam_role.no → inline policy aws_iam_role_policy.np ${BLOCKED}`,
      `aws_iam_role.no aws_s3_bucket.k read | inline policy aws_iam_role_policy.np ${BLOCKED}`,
    ]);
  });
});

describe('a ? in a resource is a wildcard: it does not name a store', () => {
  // Blocked grants list access a principal's own policy *names* (the intent to reach that
  // store) but the store denies; `arn:aws:s3:::k?/*` names no bucket, like `k*`.
  const denyAllBut: Json = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::kb', 'arn:aws:s3:::kb/*'], Condition: { ArnNotEquals: { 'aws:PrincipalArn': '${aws_iam_user.v.arn}' } } };
  const blockedFor = (resource: string): string[] =>
    blockedLines(mk(merge(BK, USERS, bucketPolicy(denyAllBut), { aws_iam_user_policy: { p: { user: 'u', policy: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: resource }) } } })));

  it('an Allow on k?/* is not blocked access to kb; an Allow on kb/* is', () => {
    expect(blockedFor('arn:aws:s3:::k?/*')).toEqual([]);
    expect(blockedFor('arn:aws:s3:::kb/*')).toEqual(["aws_iam_user.u aws_s3_bucket.k read | inline policy aws_iam_user_policy.p [blocked today by the store's resource policy or the account boundary]"]);
  });
});
