/**
 * Permissions boundaries (issue 17): `permissions_boundary` on a role or user caps what its
 * identity policies grant (the intersection); a boundary we cannot read limits nothing, and a
 * resource policy that names the principal itself is not limited (over-report, never under-report).
 */
import { describe, expect, it } from 'vitest';
import { runRules } from '../../../lib/rules/engine';
import { rule as kc011 } from '../../../lib/rules/kc011-no-shared-principal';
import { accessOf, allow, deny, grantLines as grants, merge, model, oneStack, policy, unknownLines, type Json, type Res } from '../../fixtures/iam/fixtures';

const EC2 = policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
const WRITER = 'aws_iam_role.writer';
const KEYS = 'aws_s3_bucket.keys';
const DB = 'aws_s3_bucket.db';
const DB_ONLY = [allow('s3:*', ['${aws_s3_bucket.db.arn}', '${aws_s3_bucket.db.arn}/*']), allow('kms:Decrypt', '${aws_kms_key.db.arn}')];
const S3_ALL = ['admin', 'delete', 'read', 'write'];

/** The DB writer: s3:* and kms:Decrypt on `*`, with `boundary` (a value of permissions_boundary) and `extra` resources. */
function writer(boundary: unknown, extra: Res = {}, statements: Json[] = [allow(['s3:*', 'kms:Decrypt'], '*')]) {
  return model([
    's',
    oneStack(
      merge(
        {
          aws_iam_role: { writer: { name: 'db-writer', assume_role_policy: EC2, ...(boundary === undefined ? {} : { permissions_boundary: boundary }) } },
          aws_iam_role_policy: { w: { role: '${aws_iam_role.writer.name}', policy: policy(...statements) } },
        },
        extra,
      ),
    ),
  ]);
}
const bound = (...statements: Json[]): Res => ({ aws_iam_policy: { bound: { name: 'db-only', policy: policy(...statements) } } });

describe('permissions boundaries', () => {
  it('keeps a DB writer with s3:* on * to its own bucket when its boundary does', () => {
    const m = writer('${aws_iam_policy.bound.arn}', bound(...DB_ONLY));
    expect(accessOf(m, WRITER, KEYS)).toEqual([]);
    expect(accessOf(m, WRITER, DB)).toEqual([...S3_ALL.slice(0, 1), 'decrypt', ...S3_ALL.slice(1)]);
    expect(runRules(m, [kc011]).findings.filter((f) => f.ruleId === 'KC011')).toEqual([]);
    // Without the boundary it reaches both: the KC011 the boundary answers.
    const open = writer(undefined);
    expect(accessOf(open, WRITER, KEYS)).toEqual(['admin', 'decrypt', 'delete', 'read', 'write']);
    expect(runRules(open, [kc011]).findings.filter((f) => f.ruleId === 'KC011')).toHaveLength(1);
  });

  it('grants the intersection: what both the identity policy and the boundary allow', () => {
    const m = writer('${aws_iam_policy.bound.arn}', bound(allow('s3:GetObject', '*')), [allow('s3:GetObject', '${aws_s3_bucket.db.arn}/*'), allow('s3:PutObject', '*')]);
    expect(accessOf(m, WRITER, DB)).toEqual(['read']);
    expect(accessOf(m, WRITER, KEYS)).toEqual([]);
  });

  it('reads a boundary named by a literal ARN of a policy in the configuration, or an AWS-managed one', () => {
    expect(accessOf(writer('arn:aws:iam::111111111111:policy/db-only', bound(...DB_ONLY)), WRITER, KEYS)).toEqual([]);
    expect(accessOf(writer('arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess'), WRITER, KEYS)).toEqual([]);
    expect(accessOf(writer('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'), WRITER, KEYS)).toEqual(['read']);
  });

  it('denies what an unconditional Deny of the boundary denies', () => {
    const m = writer('${aws_iam_policy.bound.arn}', bound(allow('*', '*'), deny('s3:Delete*', '*')));
    expect(accessOf(m, WRITER, KEYS)).toEqual(['admin', 'decrypt', 'read', 'write']);
  });

  it('reads principal conditions of a boundary Allow, and ignores others (they may hold)', () => {
    const cond = (c: Json) => accessOf(writer('${aws_iam_policy.bound.arn}', bound(allow('s3:GetObject', '*', { Condition: c }))), WRITER, KEYS);
    expect(cond({ StringEquals: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/someone-else' } })).toEqual([]);
    expect(cond({ StringEquals: { 'aws:PrincipalArn': '${aws_iam_role.writer.arn}' } })).toEqual(['read']);
    expect(cond({ Bool: { 'aws:SecureTransport': 'true' } })).toEqual(['read']);
  });

  it('limits nothing when the boundary cannot be read', () => {
    const all = ['admin', 'decrypt', 'delete', 'read', 'write'];
    const unread = (value: unknown, extra: Res = {}) => writer(value, extra);
    const outside = unread('arn:aws:iam::111111111111:policy/elsewhere');
    expect(accessOf(outside, WRITER, KEYS)).toEqual(all);
    expect(unknownLines(outside)).toContain(`${WRITER}: the permissions boundary arn:aws:iam::111111111111:policy/elsewhere cannot be read; no limit is assumed`);
    expect(accessOf(unread('${var.boundary}'), WRITER, KEYS)).toEqual(all);
    expect(accessOf(unread('${aws_iam_policy.bound.arn}', { aws_iam_policy: { bound: { name: 'b', policy: '${var.doc}' } } }), WRITER, KEYS)).toEqual(all);
    // An AWS-managed policy the table does not know is guessed from its name: no limit.
    expect(accessOf(unread('arn:aws:iam::aws:policy/SomeFutureReadOnlyPolicy'), WRITER, KEYS)).toEqual(all);
  });

  it('does not limit a resource policy that names the principal itself', () => {
    const m = writer(
      '${aws_iam_policy.bound.arn}',
      merge(bound(...DB_ONLY), {
        aws_s3_bucket_policy: { k: { bucket: '${aws_s3_bucket.keys.id}', policy: policy({ Effect: 'Allow', Principal: { AWS: '${aws_iam_role.writer.arn}' }, Action: 's3:GetObject', Resource: '${aws_s3_bucket.keys.arn}/*' }) } },
      }),
    );
    expect(accessOf(m, WRITER, KEYS)).toEqual(['read']);
  });

  it('limits the roles a bounded principal may assume', () => {
    const m = model([
      's',
      oneStack({
        aws_iam_user: { ops: { name: 'ops', permissions_boundary: '${aws_iam_policy.bound.arn}' } },
        aws_iam_user_policy: { p: { user: 'ops', policy: policy(allow('sts:AssumeRole', '*')) } },
        aws_iam_policy: { bound: { name: 'no-assume', policy: policy(allow('s3:*', '*')) } },
        aws_iam_role: { reader: { name: 'reader', assume_role_policy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::${data.aws_caller_identity.me.account_id}:root' }, Action: 'sts:AssumeRole' }) } },
        aws_iam_role_policy: { r: { role: 'reader', policy: policy(allow('s3:GetObject', '*')) } },
      }, { aws_caller_identity: { me: {} } }),
    ]);
    expect(accessOf(m, 'aws_iam_user.ops', KEYS)).toEqual([]);
    expect(grants(m).filter((g) => g.startsWith('aws_iam_role.reader'))).toHaveLength(2);
  });
});

describe('service control policies, where the configuration declares them', () => {
  const PROVIDERS = { aws: [{ allowed_account_ids: ['222222222222'] }, { alias: 'org', allowed_account_ids: ['111111111111'] }] };
  const ORG: Res = { aws_organizations_organization: { org: { provider: 'aws.org', feature_set: 'ALL' } } };
  /** Account 2 holds both buckets and the writer (s3:* on *); `scp` is attached to `target`. */
  const scp = (statements: Json[], target = '222222222222', extra: Res = ORG) =>
    model([
      's',
      {
        provider: PROVIDERS,
        resource: merge(
          oneStack().resource as Res,
          {
            aws_iam_role: { writer: { name: 'db-writer', assume_role_policy: EC2 }, admin: { name: 'admin', assume_role_policy: EC2 } },
            aws_iam_role_policy: { w: { role: 'db-writer', policy: policy(allow('s3:*', '*')) }, a: { role: 'admin', policy: policy(allow('s3:*', '*')) } },
            aws_organizations_policy: { guard: { provider: 'aws.org', name: 'guard', content: policy(...statements) } },
            aws_organizations_policy_attachment: { guard: { provider: 'aws.org', policy_id: '${aws_organizations_policy.guard.id}', target_id: target } },
          },
          extra,
        ),
      },
    ]);
  const DENY_KEYS = deny('s3:*', ['arn:aws:s3:::acme-zitadel-key-backup', 'arn:aws:s3:::acme-zitadel-key-backup/*']);

  it('denies what an SCP attached to the principal’s account denies', () => {
    const m = scp([DENY_KEYS]);
    expect(accessOf(m, WRITER, KEYS)).toEqual([]);
    expect(accessOf(m, WRITER, DB)).toEqual(S3_ALL);
  });

  it('reads the principal exemptions of an SCP Deny', () => {
    const m = scp([{ ...DENY_KEYS, Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/admin' } } }]);
    expect(accessOf(m, WRITER, KEYS)).toEqual([]);
    expect(accessOf(m, 'aws_iam_role.admin', KEYS)).toEqual(S3_ALL);
  });

  it('limits nothing it cannot place: no organization, the management account, an OU, other conditions, other policy types', () => {
    const unlimited = (m: ReturnType<typeof scp>) => expect(accessOf(m, WRITER, KEYS)).toEqual(S3_ALL);
    unlimited(scp([DENY_KEYS], '222222222222', {}));
    unlimited(scp([DENY_KEYS], '111111111111'));
    unlimited(scp([DENY_KEYS], 'ou-abcd-12345678'));
    unlimited(scp([DENY_KEYS], '${aws_organizations_account.member.id}'));
    unlimited(scp([{ ...DENY_KEYS, Condition: { StringNotEquals: { 'aws:RequestedRegion': 'eu-central-1' } } }]));
    unlimited(
      scp([DENY_KEYS], '222222222222', merge(ORG, { aws_organizations_policy: { guard: { provider: 'aws.org', name: 'guard', type: 'TAG_POLICY', content: policy(DENY_KEYS) } } })),
    );
  });
});
