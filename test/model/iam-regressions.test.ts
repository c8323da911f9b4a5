/** IAM bugs found while raising the mutation score (each under-reported or over-reported access). */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../lib/model/build';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';
import type { CustodyModel } from '../../lib/model/types';
import { blockedLines, merge, policy, tags, type Json } from '../fixtures/iam/fixtures';

type Res = Record<string, Json>;
const mk = (resource: Res): CustodyModel => buildModel([loadTerraformJson('s', { provider: { aws: [{ region: 'eu-central-1' }] }, resource })]);
const grants = (m: CustodyModel): string[] => m.grants.map((g) => `${m.principalById(g.principal)?.address} ${m.storeById(g.store)?.address} ${g.access}`);
const BK: Res = { aws_s3_bucket: { k: { bucket: 'kb', tags: tags('key-backup') } } };
const USERS: Res = { aws_iam_user: { u: { name: 'u' }, v: { name: 'v' } } };
const bucketPolicy = (...statements: Json[]): Res => ({ aws_s3_bucket_policy: { k: { bucket: '${aws_s3_bucket.k.id}', policy: policy(...statements) } } });
const open = (extra: Json): Json => ({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*', ...extra });

describe('aws:username conditions compare user names, not ARNs', () => {
  it('an Allow to anyone whose user name is u gives u (only u) read access', () => {
    const m = mk(merge(BK, USERS, bucketPolicy(open({ Condition: { StringEquals: { 'aws:username': 'u' } } }))));
    expect(grants(m)).toEqual(['aws_iam_user.u aws_s3_bucket.k read']);
  });

  it('a user-name glob matches by name', () => {
    const m = mk(merge(BK, USERS, bucketPolicy(open({ Condition: { StringLike: { 'aws:username': 'v*' } } }))));
    expect(grants(m)).toEqual(['aws_iam_user.v aws_s3_bucket.k read']);
  });

  it('a deny of everyone but user u leaves u its read access', () => {
    const m = mk(
      merge(
        BK,
        USERS,
        bucketPolicy(
          { Effect: 'Allow', Principal: { AWS: ['${aws_iam_user.u.arn}', '${aws_iam_user.v.arn}'] }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*' },
          { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*', Condition: { StringNotEquals: { 'aws:username': 'u' } } },
        ),
      ),
    );
    expect(grants(m)).toEqual(['aws_iam_user.u aws_s3_bucket.k read']);
  });
});

describe('ForAllValues: is read like ForAnyValue:', () => {
  it('a ForAllValues:StringNotEquals deny-all-but on aws:PrincipalArn blocks the others', () => {
    const m = mk(
      merge(
        BK,
        USERS,
        bucketPolicy(
          { Effect: 'Allow', Principal: { AWS: ['${aws_iam_user.u.arn}', '${aws_iam_user.v.arn}'] }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*' },
          { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*', Condition: { 'ForAllValues:StringNotEquals': { 'aws:PrincipalArn': ['${aws_iam_user.u.arn}'] } } },
        ),
      ),
    );
    expect(grants(m)).toEqual(['aws_iam_user.u aws_s3_bucket.k read']);
  });
});

describe('a role whose path is an expression may have the default path', () => {
  it('a user allowed to assume the default-path ARN reaches what the role reaches', () => {
    const m = mk(
      merge(BK, {
        aws_iam_user: { u: { name: 'u' } },
        aws_iam_user_policy: { p: { user: 'u', policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::123456789012:role/r' }) } },
        aws_iam_role: {
          r: {
            name: 'r',
            path: '${var.p}',
            assume_role_policy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }),
          },
        },
        aws_iam_role_policy: { rp: { role: 'r', policy: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*' }) } },
      }),
    );
    expect(grants(m)).toContain('aws_iam_user.u aws_s3_bucket.k read');
    expect(grants(m)).toContain('aws_iam_role.r aws_s3_bucket.k read');
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
