/**
 * False alarms of the access analysis (issue 17), each against what AWS decides:
 * - across accounts both sides must allow: the store's (or key's, or trust) policy AND the
 *   principal's own policies; same account, either side's Allow is enough (for S3);
 * - the resource part of an ARN is matched with its case;
 * - literal ARNs in aws:PrincipalArn conditions of resource policies are read, also where a
 *   Deny must match for certain (positive tests) or an Allow leaves one out (negative tests);
 * - principal conditions on identity-policy Allows are read.
 * Over-report, never under-report: where an account, a name or a policy is unknown, the
 * grant stays.
 */
import { describe, expect, it } from 'vitest';
import { runRules } from '../../../lib/rules/engine';
import { rule as kc011 } from '../../../lib/rules/kc011-no-shared-principal';
import { BK, BP, P, accessOf, allow, bp, get, grantLines as grants, merge, mk, model, oneStack, policy, stack, bucketWithKey, KEY_BUCKET, type Json, type Res } from '../../fixtures/iam/fixtures';

const TWO = { aws: [{ allowed_account_ids: ['111111111111'] }, { alias: 'b', allowed_account_ids: ['222222222222'] }] };
const EC2 = policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });

describe('across accounts, both sides must allow', () => {
  /** Bucket k (kb) in account 1; user u in `userProvider`'s account with `userStatements`; bucket policy `statements`. */
  const cross = (statements: Json[], userStatements: Json[], userProvider = 'aws.b', extra: Res = {}, provider: Json = TWO) =>
    mk(
      merge(
        BK,
        { aws_iam_user: { u: { name: 'u', provider: userProvider } }, aws_s3_bucket_policy: { bp: { bucket: 'kb', policy: policy(...statements) } } },
        userStatements.length ? { aws_iam_user_policy: { p: { user: '${aws_iam_user.u.name}', policy: policy(...userStatements), provider: userProvider } } } : {},
        extra,
      ),
      undefined,
      provider,
    );
  const NAMES_U = [get({ AWS: '${aws_iam_user.u.arn}' })];
  const READ = `aws_iam_user.u aws_s3_bucket.k read | ${BP}`;

  it('does not grant a principal of another account through the bucket policy alone', () => {
    expect(grants(cross(NAMES_U, []))).toEqual([]);
    expect(grants(cross(NAMES_U, [allow('s3:PutObject', '*')]))).toEqual([]);
    expect(grants(cross(NAMES_U, [allow('s3:GetObject', 'arn:aws:s3:::other/*')]))).toEqual([]);
  });

  it('grants it when its own policy allows the same action too', () => {
    expect(grants(cross(NAMES_U, [allow('s3:GetObject', 'arn:aws:s3:::kb/*')]))).toEqual([READ]);
    expect(grants(cross(NAMES_U, [allow('s3:Get*', '*')]))).toEqual([READ]);
  });

  it('keeps the bucket policy alone enough in the same account', () => {
    expect(grants(cross(NAMES_U, [], 'aws'))).toEqual([READ]);
  });

  it('keeps the grant when the accounts may be the same (unpinned, a variable, a profile)', () => {
    const ONE_PINNED = { aws: [{ allowed_account_ids: ['111111111111'] }, { alias: 'b', region: 'eu-west-1' }] };
    expect(grants(cross(NAMES_U, [], 'aws.b', {}, ONE_PINNED))).toEqual([READ]);
    const VAR = { aws: [{ allowed_account_ids: ['111111111111'] }, { alias: 'b', allowed_account_ids: ['${var.account}'] }] };
    expect(grants(cross(NAMES_U, [], 'aws.b', {}, VAR))).toEqual([READ]);
    const PROFILE = { aws: [{ allowed_account_ids: ['111111111111'] }, { alias: 'b', profile: 'other' }] };
    expect(grants(cross(NAMES_U, [], 'aws.b', {}, PROFILE))).toEqual([READ]);
  });

  it('keeps the grant when the principal holds a policy we cannot read or only see by name', () => {
    const unread = (attach: Res) => grants(cross(NAMES_U, [], 'aws.b', attach));
    expect(unread({ aws_iam_user_policy_attachment: { a: { user: 'u', policy_arn: 'arn:aws:iam::222222222222:policy/elsewhere', provider: 'aws.b' } } })).toEqual([READ]);
    expect(unread({ aws_iam_user_policy: { p: { user: 'u', policy: '${var.policy}', provider: 'aws.b' } } })).toEqual([READ]);
    expect(unread({ aws_iam_user_group_membership: { g: { user: 'u', groups: ['outside'], provider: 'aws.b' } } })).toEqual([READ]);
    // An external principal (its policies live elsewhere) keeps the bucket policy's grant.
    expect(grants(bp([get({ AWS: 'arn:aws:iam::333333333333:role/x' })], [], {}, undefined, { aws: [{ allowed_account_ids: ['111111111111'] }] }))).toEqual([
      `arn:aws:iam::333333333333:role/x aws_s3_bucket.k read | ${BP}`,
    ]);
  });

  it('needs the principal’s own kms:Decrypt when a key policy of another account names it', () => {
    const keyPolicy = policy({ Effect: 'Allow', Principal: { AWS: '${aws_iam_user.ops.arn}' }, Action: 'kms:Decrypt', Resource: '*' });
    const make = (userStatements: Json[]) =>
      model([
        's',
        stack({
          provider: TWO,
          resource: merge(bucketWithKey('keys', KEY_BUCKET, 'key-backup'), {
            aws_kms_key: { keys: { description: 'keys key', enable_key_rotation: true, policy: keyPolicy } },
            aws_iam_user: { ops: { name: 'ops', provider: 'aws.b' } },
            ...(userStatements.length ? { aws_iam_user_policy: { p: { user: '${aws_iam_user.ops.name}', policy: policy(...userStatements), provider: 'aws.b' } } } : {}),
          }),
        }),
      ]);
    expect(accessOf(make([]), 'aws_iam_user.ops', 'aws_s3_bucket.keys')).toEqual([]);
    expect(accessOf(make([allow('kms:Decrypt', '*')]), 'aws_iam_user.ops', 'aws_s3_bucket.keys')).toEqual(['decrypt']);
  });

  it('needs the principal’s own sts:AssumeRole when a trust policy of another account names it', () => {
    const make = (userStatements: Json[]) =>
      grants(
        mk(
          merge(BK, {
            aws_iam_user: { u: { name: 'u', provider: 'aws.b' } },
            aws_iam_role: { r: { name: 'r', assume_role_policy: policy({ Effect: 'Allow', Principal: { AWS: '${aws_iam_user.u.arn}' }, Action: 'sts:AssumeRole' }) } },
            aws_iam_role_policy: { rp: { role: 'r', policy: policy(allow('s3:GetObject', '*')) } },
            ...(userStatements.length ? { aws_iam_user_policy: { p: { user: '${aws_iam_user.u.name}', policy: policy(...userStatements), provider: 'aws.b' } } } : {}),
          }),
          undefined,
          TWO,
        ),
      );
    const R = 'aws_iam_role.r aws_s3_bucket.k read | inline policy aws_iam_role_policy.rp';
    expect(make([])).toEqual([R]);
    expect(make([allow('sts:AssumeRole', 'arn:aws:iam::111111111111:role/other')])).toEqual([R]);
    expect(make([allow('sts:AssumeRole', '${aws_iam_role.r.arn}')])).toEqual([`aws_iam_user.u aws_s3_bucket.k read | assumes aws_iam_role.r → inline policy aws_iam_role_policy.rp`, R]);
  });
});

describe('ARN matching is case-sensitive in the resource part', () => {
  const u = (...statements: Json[]) => grants(mk(merge(BK, { aws_iam_user: { u: { name: 'u' } }, aws_iam_user_policy: { p: { user: 'u', policy: policy(...statements) } } })));
  const READ = [`aws_iam_user.u aws_s3_bucket.k read | ${P}`];

  it('does not let another case of a bucket name or key prefix reach the store', () => {
    expect(u(allow('s3:GetObject', 'arn:aws:s3:::KB/*'))).toEqual([]);
    expect(u(allow('s3:GetObject', 'arn:aws:s3:::Kb*'))).toEqual([]);
    expect(u(allow('s3:GetObject', 'arn:aws:s3:::kb/*'))).toEqual(READ);
  });

  it('still ignores case in the partition and service, and where a wildcard or reference stands', () => {
    expect(u(allow('s3:GetObject', 'arn:AWS:S3:::kb/*'))).toEqual(READ);
    expect(u(allow('s3:GetObject', 'arn:aws:s3:::*/*'))).toEqual(READ);
    expect(u(allow('s3:GetObject', '${var.bucket_arn}/*'))).toEqual(READ);
  });

  it('compares aws:PrincipalArn with its case, except in the IgnoreCase tests', () => {
    const PINNED = { aws: [{ allowed_account_ids: ['111111111111'] }] };
    const only = (test: string, value: string) => grants(bp([{ ...get('*'), Condition: { [test]: { 'aws:PrincipalArn': value } } }], [], {}, undefined, PINNED));
    expect(only('ArnLike', 'arn:aws:iam::111111111111:user/U*')).toEqual([]);
    expect(only('ArnLike', 'arn:aws:iam::111111111111:user/u*')).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${BP}`]);
    // The literal ARN is also a principal of its own (it may exist outside the configuration).
    expect(only('StringEqualsIgnoreCase', 'arn:aws:iam::111111111111:user/U').filter((g) => g.startsWith('aws_iam_user.u '))).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${BP}`]);
  });
});

describe('literal ARNs in aws:PrincipalArn conditions of resource policies', () => {
  const PINNED = { aws: [{ allowed_account_ids: ['111111111111'] }] };
  const roles: Res = {
    aws_iam_role: { writer: { name: 'writer', assume_role_policy: EC2 }, other: { name: 'other', assume_role_policy: EC2 } },
    aws_iam_role_policy: { w: { role: 'writer', policy: policy(allow('s3:GetObject', '*')) }, o: { role: 'other', policy: policy(allow('s3:GetObject', '*')) } },
  };
  const WRITER = 'arn:aws:iam::111111111111:role/writer';
  const denyAll = (test: string, value: unknown): Json => ({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::kb', 'arn:aws:s3:::kb/*'], Condition: { [test]: { 'aws:PrincipalArn': value } } });
  const W = 'aws_iam_role.writer aws_s3_bucket.k read | inline policy aws_iam_role_policy.w';
  const O = 'aws_iam_role.other aws_s3_bucket.k read | inline policy aws_iam_role_policy.o';

  it('applies a Deny that names a role by its literal ARN', () => {
    expect(grants(bp([denyAll('ArnEquals', WRITER)], [], roles, undefined, PINNED))).toEqual([O]);
    expect(grants(bp([denyAll('StringEquals', WRITER)], [], roles, undefined, PINNED))).toEqual([O]);
    expect(grants(bp([denyAll('ArnLike', 'arn:aws:iam::111111111111:role/*')], [], roles, undefined, PINNED))).toEqual([]);
  });

  it('exempts the roles a deny-all names by literal ARN', () => {
    expect(grants(bp([denyAll('StringNotLike', [WRITER])], [], roles, undefined, PINNED))).toEqual([W]);
    expect(grants(bp([denyAll('ArnNotEquals', [WRITER, 'arn:aws:iam::111111111111:role/other'])], [], roles, undefined, PINNED))).toEqual([W, O]);
  });

  it('leaves out of an Allow the principal a negative test names by literal ARN', () => {
    const allowAllBut = (value: string) => grants(bp([{ ...get('*'), Condition: { StringNotEquals: { 'aws:PrincipalArn': value } } }], [], {}, undefined, PINNED));
    expect(allowAllBut('arn:aws:iam::111111111111:user/u')).toEqual([`aws_iam_user.w aws_s3_bucket.k read | ${BP}`]);
  });

  it('keeps the grant where the ARN is not known for certain', () => {
    // Unpinned account: the role's ARN has an account we cannot see; the Deny may not match it.
    expect(grants(bp([denyAll('ArnEquals', WRITER)], [], roles))).toEqual([W, O]);
    // StringEquals compares `*` as a character.
    expect(grants(bp([denyAll('StringEquals', 'arn:aws:iam::111111111111:role/*')], [], roles, undefined, PINNED))).toEqual([W, O]);
    // A role whose name is only known after apply.
    const unnamed: Res = { aws_iam_role: { writer: { name: '${var.name}', assume_role_policy: EC2 } }, aws_iam_role_policy: { w: { role: '${aws_iam_role.writer.id}', policy: policy(allow('s3:GetObject', '*')) } } };
    expect(grants(bp([denyAll('ArnEquals', WRITER)], [], unnamed, undefined, PINNED))).toEqual([W]);
  });
});

describe('principal conditions on identity-policy Allows', () => {
  const PINNED = { aws: [{ allowed_account_ids: ['111111111111'] }] };
  const shared = (condition: Json, provider?: Json) =>
    grants(
      mk(
        merge(BK, {
          aws_iam_user: { u: { name: 'u' }, w: { name: 'w' } },
          aws_iam_policy: { s: { name: 's', policy: policy(allow('s3:GetObject', '*', { Condition: condition })) } },
          aws_iam_policy_attachment: { a: { name: 'a', users: ['u', 'w'], policy_arn: '${aws_iam_policy.s.arn}' } },
        }),
        undefined,
        provider,
      ),
    );
  const U_READ = 'aws_iam_user.u aws_s3_bucket.k read | policy aws_iam_policy.s';
  const W_READ = 'aws_iam_user.w aws_s3_bucket.k read | policy aws_iam_policy.s';

  it('gives an Allow conditioned on one principal’s ARN only to that principal', () => {
    expect(shared({ ArnEquals: { 'aws:PrincipalArn': '${aws_iam_user.w.arn}' } })).toEqual([W_READ]);
    expect(shared({ StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/w' } })).toEqual([W_READ]);
    expect(shared({ StringNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:user/u' } }, PINNED)).toEqual([W_READ]);
  });

  it('gives an Allow conditioned on another account to nobody of this one', () => {
    expect(shared({ StringEquals: { 'aws:PrincipalAccount': '222222222222' } }, PINNED)).toEqual([]);
    expect(shared({ StringEquals: { 'aws:PrincipalAccount': '111111111111' } }, PINNED)).toEqual([U_READ, W_READ]);
  });

  it('keeps the Allow for everyone a condition may admit', () => {
    expect(shared({ StringEquals: { 'aws:PrincipalArn': '${var.who}' } })).toEqual([U_READ, W_READ]);
    expect(shared({ StringEquals: { 'aws:PrincipalTag/team': 'db' } })).toEqual([U_READ, W_READ]);
  });

  it('no longer reports a shared principal for a policy that names another principal', () => {
    const m = model([
      's',
      oneStack({
        aws_iam_user: { ops: { name: 'ops' } },
        aws_iam_user_policy: { p: { user: 'ops', policy: policy(allow('s3:GetObject', '*', { Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/other' } } })) } },
      }),
    ]);
    expect(runRules(m, [kc011]).findings.filter((f) => f.ruleId === 'KC011')).toEqual([]);
  });
});
