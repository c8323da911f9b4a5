/**
 * Over-reports the oracle (oracle.property.test.ts) found, fixed where the model can know
 * better without missing a grant (issue 17):
 * - an account the configuration does not pin is still twelve characters of an ARN: a role's
 *   ARN `arn:aws:iam::<unknown>:role/writer` never meets `arn:aws:iam::222222222222:user/*`;
 * - a grant by a store's resource policy alone holds only where the principal acts from the
 *   store's account (across accounts its own policies must allow too): when the store's
 *   account is pinned and all the principal's own policies are read, the resource policy is
 *   read with the principal in that account, where an exclusion of that account applies.
 */
import { describe, expect, it } from 'vitest';
import { allow, merge, mk, policy, tags, type Json, type Res } from '../../fixtures/iam/fixtures';

const A = '111111111111';
const ONE_PINNED_ONE_PROFILE: Json = { aws: [{ allowed_account_ids: [A] }, { alias: 'b', profile: 'other' }] };
const KB = (provider = 'aws'): Res => ({ aws_s3_bucket: { kb: { bucket: 'kb', tags: tags('key-backup'), provider } } });
const ROLE = (provider = 'aws.b'): Res => ({ aws_iam_role: { r: { name: 'writer', provider, assume_role_policy: policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }) } } });
const inline = (...statements: Json[]): Res => ({ aws_iam_role_policy: { r: { role: '${aws_iam_role.r.id}', provider: 'aws.b', policy: policy(...statements) } } });
const bucketPolicy = (...statements: Json[]): Res => ({ aws_s3_bucket_policy: { bp: { bucket: '${aws_s3_bucket.kb.id}', policy: policy(...statements) } } });
const access = (m: ReturnType<typeof mk>) => m.grants.filter((g) => m.principalById(g.principal)?.address === 'aws_iam_role.r').map((g) => g.access);

describe('an account the configuration does not pin is one ARN field', () => {
  const withCondition = (test: string, value: string) =>
    mk(merge(KB('aws.b'), ROLE(), inline(allow('s3:*', 'arn:aws:s3:::kb/*', { Condition: { [test]: { 'aws:PrincipalArn': value } } }))), undefined, ONE_PINNED_ONE_PROFILE);

  it('a role of an unknown account is no IAM user of some account', () => {
    expect(access(withCondition('ArnLike', 'arn:aws:iam::222222222222:user/*'))).toEqual([]);
    expect(access(withCondition('StringLike', 'arn:aws:iam::*:user/*'))).toEqual([]);
  });

  it('a pattern that may name the role still grants (its account may be any)', () => {
    expect(access(withCondition('ArnLike', 'arn:aws:iam::222222222222:role/w*'))).toEqual(['read', 'write', 'delete', 'admin']);
    expect(access(withCondition('StringLike', 'arn:aws:iam::*:role/writer'))).toEqual(['read', 'write', 'delete', 'admin']);
  });

  it('a Deny that names the store by reference still covers it', () => {
    const secret = { aws_secretsmanager_secret: { s: { name: 'hot', tags: tags('key-store'), provider: 'aws.b' } } };
    const m = mk(merge(secret, ROLE(), inline(allow('secretsmanager:GetSecretValue', '*'), { Effect: 'Deny', Action: 'secretsmanager:GetSecretValue', Resource: '${aws_secretsmanager_secret.s.arn}' })), undefined, ONE_PINNED_ONE_PROFILE);
    expect(access(m)).toEqual([]);
  });
});

describe('a grant of the resource policy alone needs the store’s account', () => {
  const excludeAccount = { Effect: 'Allow', NotPrincipal: { AWS: `arn:aws:iam::${A}:root` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*' };

  it('a NotPrincipal Allow that excludes the store’s pinned account grants a principal with no policy of its own nothing', () => {
    expect(access(mk(merge(KB(), ROLE(), bucketPolicy(excludeAccount)), undefined, ONE_PINNED_ONE_PROFILE))).toEqual([]);
  });

  it('keeps it when the principal’s own policy allows too (from another account the exclusion misses it)', () => {
    expect(access(mk(merge(KB(), ROLE(), inline(allow('s3:GetObject', '*')), bucketPolicy(excludeAccount)), undefined, ONE_PINNED_ONE_PROFILE))).toEqual(['read']);
  });

  it('keeps it when the store’s account is not pinned, or a policy of the principal is not read', () => {
    const open: Json = { aws: [{ profile: 'one' }, { alias: 'b', profile: 'other' }] };
    expect(access(mk(merge(KB(), ROLE(), bucketPolicy(excludeAccount)), undefined, open))).toEqual(['read']);
    expect(access(mk(merge(KB(), ROLE(), inline(allow('s3:GetObject', '${var.x}')), bucketPolicy(excludeAccount)), undefined, ONE_PINNED_ONE_PROFILE))).toEqual(['read']);
  });
});
