/**
 * Missed grants the differential test against an independent evaluator found (issue 17):
 * each case is access AWS allows that the model once reported nothing for. The model may
 * over-report; these must stay grants.
 */
import { describe, expect, it } from 'vitest';
import { globCovers } from '../../../lib/model/iam/globs';
import { BK, U, accessU, allow, deny, merge, mk, policy, tags, up, type Json, type Res } from '../../fixtures/iam/fixtures';

const bucketPolicy = (...statements: Json[]): Res => ({ aws_s3_bucket_policy: { bp: { bucket: '${aws_s3_bucket.k.id}', policy: policy(...statements) } } });
const pinned = (account: string) => ({ aws: [{ region: 'eu-central-1', allowed_account_ids: [account] }] });

describe('a `?` matches one character, never a run', () => {
  it('does not read `kb/?` as covering every object', () => {
    expect(globCovers('arn:aws:s3:::kb/?', 'arn:aws:s3:::kb/*')).toBe(false);
    expect(globCovers('arn:aws:s3:::kb/*', 'arn:aws:s3:::kb/*')).toBe(true);
    expect(globCovers('arn:aws:s3:::k?/*', 'arn:aws:s3:::kb/*')).toBe(true);
    expect(globCovers('arn:aws:s3:::kb/?*', 'arn:aws:s3:::kb/*')).toBe(true);
    expect(globCovers('arn:aws:s3:::kb/??*', 'arn:aws:s3:::kb/*')).toBe(false);
  });

  it('keeps the access a Deny on `bucket/?` leaves to longer object names', () => {
    expect(accessU(mk(merge(BK, up(allow('s3:GetObject', '*'), deny('s3:GetObject', 'arn:aws:s3:::kb/?')))))).toEqual(['read']);
  });

  it('keeps the access an Allow with NotResource `bucket/?` gives to longer object names', () => {
    expect(accessU(mk(merge(BK, up({ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::kb/?' }))))).toEqual(['read']);
  });
});

describe('a reference to another managed bucket used as a prefix', () => {
  const prefixed = (resource: string) =>
    mk(merge({ aws_s3_bucket: { k: { bucket: 'huph-keys', tags: tags('key-backup') }, db: { bucket: 'huph' } } }, up(allow('s3:GetObject', resource))));

  it('covers the buckets whose names it starts, as the same policy written literally does', () => {
    expect(accessU(prefixed('${aws_s3_bucket.db.arn}*'))).toEqual(['read']);
    expect(accessU(prefixed('arn:aws:s3:::${aws_s3_bucket.db.bucket}*'))).toEqual(['read']);
    expect(accessU(prefixed('arn:aws:s3:::huph*'))).toEqual(['read']);
  });

  it('still names only that bucket when a `/` closes the name', () => {
    expect(accessU(prefixed('${aws_s3_bucket.db.arn}/*'))).toEqual([]);
    expect(accessU(prefixed('${aws_s3_bucket.db.arn}'))).toEqual([]);
  });
});

describe('named profiles pin no account', () => {
  it('lets a principal under one profile reach a store under another with its own policy alone', () => {
    const provider = { aws: [{ region: 'eu-central-1', profile: 'keys' }, { alias: 'b', region: 'eu-central-1', profile: 'db' }] };
    const m = mk(
      merge(BK, { aws_iam_user: { u: { name: 'u', provider: 'aws.b' } }, aws_iam_user_policy: { p: { user: '${aws_iam_user.u.name}', policy: policy(allow('s3:GetObject', '*')), provider: 'aws.b' } } }),
      undefined,
      provider,
    );
    expect(accessU(m)).toEqual(['read']);
  });
});

describe('a Deny that names one role session', () => {
  const ROLE: Res = {
    aws_iam_role: { w: { name: 'writer', assume_role_policy: policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }) } },
    aws_iam_role_policy: { p: { role: '${aws_iam_role.w.name}', policy: policy(allow('s3:GetObject', '*')) } },
  };
  const accessW = (statement: Json) => {
    const m = mk(merge(BK, ROLE, bucketPolicy(statement)), undefined, pinned('111111111111'));
    return m.grants.filter((g) => m.principalById(g.principal)?.address === 'aws_iam_role.w').map((g) => g.access);
  };

  it('leaves the role its other sessions', () => {
    expect(accessW(deny('s3:*', '*', { Principal: { AWS: 'arn:aws:sts::111111111111:assumed-role/writer/other-session' } }))).toEqual(['read']);
  });

  it('still removes the role when it names the role', () => {
    expect(accessW(deny('s3:*', '*', { Principal: { AWS: 'arn:aws:iam::111111111111:role/writer' } }))).toEqual([]);
    expect(accessW(deny('s3:*', '*', { Principal: { AWS: '${aws_iam_role.w.arn}' } }))).toEqual([]);
  });
});

describe('a principal whose account is unknown', () => {
  const withPolicy = (statement: Json, userStatements: Json[], provider?: Json) =>
    mk(merge(BK, U, bucketPolicy(statement), userStatements.length ? { aws_iam_user_policy: { p: { user: 'u', policy: policy(...userStatements) } } } : {}), undefined, provider);

  it('is not surely in the foreign account a Deny names by its root', () => {
    const d = deny('s3:*', '*', { Principal: { AWS: 'arn:aws:iam::333333333333:root' } });
    expect(accessU(withPolicy(d, [allow('s3:GetObject', '*')]))).toEqual(['read']);
    expect(accessU(withPolicy(d, [allow('s3:GetObject', '*')], pinned('333333333333')))).toEqual([]);
  });

  it('is not surely excluded by a NotPrincipal that names a foreign account', () => {
    const a = allow('s3:GetObject', 'arn:aws:s3:::kb/*', { NotPrincipal: { AWS: '333333333333' } });
    expect(accessU(withPolicy(a, []))).toEqual(['read']);
    expect(accessU(withPolicy(a, [], pinned('333333333333')))).toEqual([]);
  });

  it('is not surely the user a literal ARN of another account names in a Deny', () => {
    const d = deny('s3:*', '*', { Principal: { AWS: 'arn:aws:iam::333333333333:user/u' } });
    expect(accessU(withPolicy(d, [allow('s3:GetObject', '*')]))).toEqual(['read']);
    expect(accessU(withPolicy(d, [allow('s3:GetObject', '*')], pinned('333333333333')))).toEqual([]);
  });
});
