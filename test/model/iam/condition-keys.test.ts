/** Condition keys and set operators: aws:username compares user names, ForAllValues: reads like ForAnyValue:. */
import { describe, expect, it } from 'vitest';
import type { CustodyModel } from '../../../lib/model/types';
import { BK, merge, mk, policy, type Json, type Res } from '../../fixtures/iam/fixtures';

const grants = (m: CustodyModel): string[] => m.grants.map((g) => `${m.principalById(g.principal)?.address} ${m.storeById(g.store)?.address} ${g.access}`);
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
