/** Principal conditions on Allows and Denies, and which resource-policy Denies apply. */
import { describe, expect, it } from 'vitest';
import { BK, BP, P, allow, bp, get, grantLines as grants, merge, mk, policy, type Json, type Res } from '../../fixtures/iam/fixtures';

describe('resource policies: denies', () => {
  const ALL_S3 = [allow('s3:GetObject', '*')];
  const wGet: Json = { Effect: 'Allow', Principal: { AWS: '${aws_iam_user.w.arn}' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*' };
  const denyGet = (extra: Json): Json => ({ Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*', ...extra });
  const U_READ = `aws_iam_user.u aws_s3_bucket.k read | ${P}`;
  const W_READ = `aws_iam_user.w aws_s3_bucket.k read | ${BP}`;

  it('applies to the principals it names, and to everyone but NotPrincipal', () => {
    expect(grants(bp([wGet, denyGet({ Principal: { AWS: '${aws_iam_user.w.arn}' } })], ALL_S3))).toEqual([U_READ]);
    expect(grants(bp([wGet, denyGet({ Principal: { AWS: '${aws_iam_user.u.arn}' } })], ALL_S3))).toEqual([W_READ]);
    expect(grants(bp([wGet, denyGet({ NotPrincipal: { AWS: '${aws_iam_user.w.arn}' } })], ALL_S3))).toEqual([W_READ]);
    expect(grants(bp([wGet, denyGet({ NotPrincipal: { AWS: '${aws_iam_user.u.arn}' } })], ALL_S3))).toEqual([U_READ]);
    expect(grants(bp([wGet, denyGet({ Principal: { AWS: '${data.aws_caller_identity.me.account_id}' } })], ALL_S3, {}, { aws_caller_identity: { me: {} } }))).toEqual([]);
  });

  it('without Principal or NotPrincipal removes nothing', () => {
    expect(grants(bp([wGet, denyGet({})], ALL_S3))).toEqual([U_READ, W_READ]);
  });

  it('only removes the actions and resources it names', () => {
    expect(grants(bp([wGet, { Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*' }], ALL_S3))).toEqual([U_READ, W_READ]);
    expect(grants(bp([wGet, { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb' }], ALL_S3))).toEqual([U_READ, W_READ]);
    expect(grants(bp([wGet, { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::${var.b}/*' }], ALL_S3))).toEqual([U_READ, W_READ]);
    expect(grants(bp([wGet, { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*' }], ALL_S3))).toEqual([]);
  });

  it('ignores a TLS-only deny and one with a condition it cannot decide', () => {
    expect(grants(bp([wGet, denyGet({ Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })], ALL_S3))).toEqual([U_READ, W_READ]);
    expect(grants(bp([wGet, denyGet({ Principal: '*', Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } })], ALL_S3))).toEqual([U_READ, W_READ]);
    expect(grants(bp([wGet, denyGet({ Principal: '*', Condition: { NumericEquals: { 'aws:PrincipalArn': '${aws_iam_user.u.arn}' } } })], ALL_S3))).toEqual([U_READ, W_READ]);
    expect(grants(bp([wGet, denyGet({ Principal: '*', Condition: { StringEquals: { 'aws:SourceVpce': '${aws_iam_user.u.arn}' } } })], ALL_S3))).toEqual([U_READ, W_READ]);
    expect(
      grants(bp([wGet, denyGet({ Principal: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': '${aws_iam_user.w.arn}' }, Bool: { 'aws:SecureTransport': 'false' } } })], ALL_S3)),
    ).toEqual([U_READ, W_READ]);
  });

  it('denies everyone but the designated principals (negative principal tests, any prefix or IfExists)', () => {
    for (const test of ['StringNotEquals', 'StringNotLike', 'ArnNotEquals', 'ArnNotLike', 'StringNotEqualsIgnoreCase', 'ForAnyValue:ArnNotLikeIfExists', 'foranyvalue:stringnotequalsifexists']) {
      expect(grants(bp([wGet, denyGet({ Principal: '*', Condition: { [test]: { 'aws:PrincipalArn': ['${aws_iam_user.w.arn}'] } } })], ALL_S3)), test).toEqual([W_READ]);
    }
    expect(grants(bp([wGet, denyGet({ Principal: '*', Condition: { StringNotEquals: { 'AWS:PRINCIPALARN': '${aws_iam_user.u.arn}' } } })], ALL_S3))).toEqual([U_READ]);
  });

  it('denies the principals a positive principal test names for certain, and no one else', () => {
    for (const test of ['StringEquals', 'StringLike', 'ArnEquals', 'ArnLike', 'StringEqualsIgnoreCase', 'ArnLikeIfExists']) {
      expect(grants(bp([wGet, denyGet({ Principal: '*', Condition: { [test]: { 'aws:PrincipalArn': '${aws_iam_user.u.arn}' } } })], ALL_S3)), test).toEqual([W_READ]);
    }
    expect(grants(bp([wGet, denyGet({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalArn': 'arn:aws:iam::123456789012:user/u' } } })], ALL_S3))).toEqual([U_READ, W_READ]);
    expect(grants(bp([wGet, denyGet({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalArn': '${var.arn}' } } })], ALL_S3))).toEqual([U_READ, W_READ]);
  });

  it('exempts a principal by account', () => {
    const exempt = (values: string[], data?: Res) => grants(bp([wGet, denyGet({ Principal: '*', Condition: { StringNotEquals: { 'aws:PrincipalAccount': values } } })], ALL_S3, {}, data));
    // Unpinned accounts may be any account: everyone may be exempt.
    expect(exempt(['111111111111'])).toEqual([U_READ, W_READ]);
    expect(exempt(['${data.aws_caller_identity.me.account_id}'], { aws_caller_identity: { me: {} } })).toEqual([U_READ, W_READ]);
    expect(exempt(['not-an-account'])).toEqual([U_READ, W_READ]);
    const pinned = (values: string[], data?: Res) =>
      grants(bp([wGet, denyGet({ Principal: '*', Condition: { StringNotEquals: { 'aws:PrincipalAccount': values } } })], ALL_S3, {}, data, { aws: [{ allowed_account_ids: ['111111111111'] }] }));
    expect(pinned(['111111111111'])).toEqual([U_READ, W_READ]);
    expect(pinned(['222222222222'])).toEqual([]);
    expect(pinned(['222222222222', '111111111111'])).toEqual([U_READ, W_READ]);
    expect(pinned(['${data.aws_caller_identity.me.account_id}'], { aws_caller_identity: { me: {} } })).toEqual([U_READ, W_READ]);
    expect(pinned(['${var.account}'])).toEqual([U_READ, W_READ]);
  });

  it('exempts by unique id: any literal id may be anyone, a reference only that principal', () => {
    const exempt = (values: string[]) => grants(bp([wGet, denyGet({ Principal: '*', Condition: { StringNotEquals: { 'aws:userid': values } } })], ALL_S3));
    expect(exempt(['AIDAEXAMPLE'])).toEqual([U_READ, W_READ]);
    expect(exempt(['${aws_iam_user.w.unique_id}'])).toEqual([W_READ]);
    expect(exempt(['${aws_iam_user.u.unique_id}', '${aws_iam_user.w.unique_id}'])).toEqual([U_READ, W_READ]);
  });

  it('exempts by aws:username reference', () => {
    expect(grants(bp([wGet, denyGet({ Principal: '*', Condition: { StringNotEquals: { 'aws:username': '${aws_iam_user.w.name}' } } })], ALL_S3))).toEqual([W_READ]);
  });

  it('exempts by ARN: wildcards that may match, names it finds, unknowns, and "*"', () => {
    const exempt = (values: string[], provider?: Json) => grants(bp([wGet, denyGet({ Principal: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': values } } })], ALL_S3, {}, undefined, provider));
    const pinned = { aws: [{ allowed_account_ids: ['111111111111'] }] };
    expect(exempt(['arn:aws:iam::*:user/u*'], pinned)).toEqual([U_READ]);
    expect(exempt(['arn:aws:iam::*:user/x*'], pinned)).toEqual([]);
    expect(exempt(['arn:aws:iam::222222222222:user/*'], pinned)).toEqual([]);
    // An unpinned account id is twelve unknown digits in the principal's ARN, never more (issue 17).
    expect(exempt(['arn:aws:iam::*:user/u*'])).toEqual([U_READ]);
    expect(exempt(['arn:aws:iam::123456789012:user/?'])).toEqual([U_READ, W_READ]);
    expect(exempt(['arn:aws:iam::123456789012:user/w'])).toEqual([W_READ]);
    expect(exempt(['arn:aws:iam::123456789012:user/nobody'])).toEqual([]);
    expect(exempt(['arn:aws:iam::123456789012:role/${var.r}'])).toEqual([U_READ, W_READ]);
    expect(exempt(['123456789012'])).toEqual([]);
    expect(exempt(['*'])).toEqual([U_READ, W_READ]);
  });

  it('lets a wildcard exemption cover a principal it knows only as an expression', () => {
    const m = bp([get({ AWS: ['${var.reader}', 'arn:aws:iam::333333333333:role/x', 'arn:aws:iam::111111111111:role/ops-1'] }), denyGet({ Principal: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/ops-*' } } })]);
    expect(grants(m)).toEqual([`\${var.reader}@s aws_s3_bucket.k read | ${BP}`, `arn:aws:iam::111111111111:role/ops-1 aws_s3_bucket.k read | ${BP}`]);
  });

  it('reads a data-source user by its literal ARN', () => {
    const m = mk(
      merge(BK, {
        aws_s3_bucket_policy: { bp: { bucket: 'kb', policy: policy(denyGet({ Principal: '*', Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::5*' } } })) } },
        aws_iam_user_policy: { p: { user: '${data.aws_iam_user.d.user_name}', policy: policy(allow('s3:GetObject', '*')) } },
      }),
      { aws_iam_user: { d: { user_name: 'd', arn: 'arn:aws:iam::444444444444:user/d' } } },
    );
    expect(grants(m)).toEqual([]);
  });

  it('exempts an external principal by its exact address', () => {
    const ext: Json = { Effect: 'Allow', Principal: { AWS: ['AIDAEXAMPLE', 'arn:aws:iam::333333333333:role/x'] }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*' };
    const m = bp([ext, denyGet({ Principal: '*', Condition: { StringNotEquals: { 'aws:PrincipalArn': ['AIDAEXAMPLE', 'arn:aws:iam::333333333333:role/x'] } } })]);
    expect(grants(m)).toEqual([`AIDAEXAMPLE aws_s3_bucket.k read | ${BP}`, `arn:aws:iam::333333333333:role/x aws_s3_bucket.k read | ${BP}`]);
    const named = bp([ext, denyGet({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalArn': ['AIDAEXAMPLE'] } } })]);
    expect(grants(named)).toEqual([`arn:aws:iam::333333333333:role/x aws_s3_bucket.k read | ${BP}`]);
    const other = bp([ext, denyGet({ Principal: '*', Condition: { StringNotEquals: { 'aws:PrincipalArn': ['AIDAOTHER'] } } })]);
    expect(grants(other)).toEqual([]);
  });
});

describe('resource policies: principal conditions on an Allow', () => {
  const open = (condition: Json, extra: Json = {}) => grants(bp([get('*', { Condition: condition, ...extra })]));
  const U_BP = `aws_iam_user.u aws_s3_bucket.k read | ${BP}`;
  const W_BP = `aws_iam_user.w aws_s3_bucket.k read | ${BP}`;

  it('admits only the principals a positive test may name', () => {
    expect(open({ ArnEquals: { 'aws:PrincipalArn': '${aws_iam_user.w.arn}' } })).toEqual([W_BP]);
    expect(open({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/u' } })).toEqual([U_BP]);
    expect(open({ StringLikeIfExists: { 'aws:PrincipalArn': '${var.x}' } })).toEqual([U_BP, W_BP]);
    expect(open({ StringEquals: { 'aws:userid': 'AIDAEXAMPLE' } })).toEqual([U_BP, W_BP]);
    expect(open({ StringEquals: { 'aws:PrincipalTag/team': 'x' } })).toEqual([U_BP, W_BP]);
  });

  it('admits everyone a negative test does not name for certain', () => {
    expect(open({ ArnNotEquals: { 'aws:PrincipalArn': '${aws_iam_user.w.arn}' } })).toEqual([U_BP]);
    expect(open({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/w' } })).toEqual([U_BP]);
    expect(open({ StringNotEquals: { 'aws:userid': '${aws_iam_user.u.unique_id}' } })).toEqual([W_BP]);
  });

  it('reads the narrowing of an Allow with NotPrincipal', () => {
    expect(grants(bp([{ Effect: 'Allow', NotPrincipal: { AWS: '${aws_iam_user.w.arn}' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*' }]))).toEqual([U_BP]);
    expect(grants(bp([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*' }]))).toEqual([]);
  });
});
