/** Identity policies: inline, attached, AWS-managed and group policies, and their labels. */
import { describe, expect, it } from 'vitest';
import type { CustodyModel } from '../../../lib/model/types';
import { BK, DB_BUCKET, KEY_BUCKET, U, USER, accessOf, allow, deny, grantLines as grants, merge, mk, model, oneStack, policy, stack, tags, unknownLines as unknowns, viaOf, type Json, type Res } from '../../fixtures/iam/fixtures';

const KEYS = 'aws_s3_bucket.keys';
const DB = 'aws_s3_bucket.db';
const OPS = 'aws_iam_user.ops';
/** One stack with both buckets, user ops and an inline policy with `statements`. */
function inline(...statements: Json[]) {
  return model(['s', oneStack(merge(USER, { aws_iam_user_policy: { p: { user: '${aws_iam_user.ops.name}', policy: policy(...statements) } } }))]);
}

describe('identity policies: actions and resources', () => {
  it('maps object actions on a bucket reference to read/write/delete on that store only', () => {
    const m = inline(allow(['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], '${aws_s3_bucket.keys.arn}/*'));
    expect(accessOf(m, OPS, KEYS)).toEqual(['delete', 'read', 'write']);
    expect(accessOf(m, OPS, DB)).toEqual([]);
    expect(viaOf(m, OPS, KEYS, 'read')).toBe('inline policy aws_iam_user_policy.p');
    const p = m.principals.find((x) => x.address === OPS);
    expect(p).toMatchObject({ kind: 'user', name: 'ops', stack: 's' });
  });

  it('needs the object ARN for object actions and the bucket ARN for bucket actions', () => {
    const m = inline(allow(['s3:GetObject', 's3:PutBucketPolicy'], '${aws_s3_bucket.keys.arn}'));
    expect(accessOf(m, OPS, KEYS)).toEqual(['admin']);
  });

  it('matches a bucket name interpolated into an ARN', () => {
    const m = inline(allow('s3:GetObject', 'arn:${data.aws_partition.current.partition}:s3:::${aws_s3_bucket.db.bucket}/*'));
    expect(accessOf(m, OPS, DB)).toEqual(['read']);
    expect(accessOf(m, OPS, KEYS)).toEqual([]);
  });

  it('follows wildcard actions (s3:*, s3:Get*, *) case-insensitively', () => {
    expect(accessOf(inline(allow('s3:*', '*')), OPS, KEYS)).toEqual(['admin', 'delete', 'read', 'write']);
    expect(accessOf(inline(allow('S3:get*', '*')), OPS, KEYS)).toEqual(['read']);
    expect(accessOf(inline(allow('*', '*')), OPS, DB)).toEqual(['admin', 'decrypt', 'delete', 'read', 'write']);
  });

  it('matches literal ARN globs against the known bucket name', () => {
    expect(accessOf(inline(allow('s3:GetObject', 'arn:aws:s3:::*')), OPS, KEYS)).toEqual(['read']);
    expect(accessOf(inline(allow('s3:GetObject', 'arn:aws:s3:::acme-zitadel-*/*')), OPS, DB)).toEqual(['read']);
    expect(accessOf(inline(allow('s3:GetObject', `arn:aws:s3:::${KEY_BUCKET}/*`)), OPS, KEYS)).toEqual(['read']);
    expect(accessOf(inline(allow('s3:GetObject', `arn:aws:s3:::${KEY_BUCKET}/*`)), OPS, DB)).toEqual([]);
    expect(accessOf(inline(allow('s3:GetObject', 'arn:aws:s3:::other-*/*')), OPS, KEYS)).toEqual([]);
  });

  it('matches a bucket known only by its prefix when the glob could match a name with that prefix', () => {
    const make = (pattern: string) =>
      model(['s', stack({ resource: merge(USER, { aws_s3_bucket: { keys: { bucket_prefix: 'acme-keys-', tags: tags('key-backup') } }, aws_iam_user_policy: { p: { user: 'ops', policy: policy(allow('s3:GetObject', pattern)) } } }) })]);
    expect(accessOf(make('arn:aws:s3:::acme-keys-2024*/*'), OPS, KEYS)).toEqual(['read']);
    // `*` spans `/`, so a bucket glob also covers the objects.
    expect(accessOf(make('arn:aws:s3:::acme-*'), OPS, KEYS)).toEqual(['read']);
    expect(accessOf(make('arn:aws:s3:::acme-keys-2024'), OPS, KEYS)).toEqual([]);
    expect(accessOf(make('arn:aws:s3:::acme-*/*'), OPS, KEYS)).toEqual(['read']);
    expect(accessOf(make('arn:aws:s3:::other-*/*'), OPS, KEYS)).toEqual([]);
  });

  it('matches a bucket whose name is unknown only with *-ish patterns', () => {
    const make = (pattern: string) =>
      model(['s', stack({ resource: merge(USER, { aws_s3_bucket: { keys: { bucket: '${var.name}', tags: tags('key-backup') } }, aws_iam_user_policy: { p: { user: 'ops', policy: policy(allow('s3:GetObject', pattern)) } } }) })]);
    expect(accessOf(make('arn:aws:s3:::*/*'), OPS, KEYS)).toEqual(['read']);
    expect(accessOf(make('*'), OPS, KEYS)).toEqual(['read']);
    expect(accessOf(make('arn:aws:s3:::acme-*/*'), OPS, KEYS)).toEqual([]);
    expect(accessOf(make('${aws_s3_bucket.keys.arn}/*'), OPS, KEYS)).toEqual(['read']);
  });

  it('treats a resource it cannot resolve as any resource (never under-reports)', () => {
    expect(accessOf(inline(allow('s3:GetObject', '${var.bucket_arn}/*')), OPS, KEYS)).toEqual(['read']);
  });

  it('does not match another resource ARN', () => {
    const m = model(['s', oneStack(merge(USER, { aws_dynamodb_table: { t: { name: 't' } }, aws_iam_user_policy: { p: { user: 'ops', policy: policy(allow('*', '${aws_dynamodb_table.t.arn}')) } } }))]);
    expect(accessOf(m, OPS, KEYS)).toEqual([]);
  });

  it('honours NotAction and NotResource', () => {
    expect(accessOf(inline({ Effect: 'Allow', NotAction: ['iam:*', 's3:Delete*'], Resource: '*' }), OPS, KEYS)).toEqual(['admin', 'decrypt', 'read', 'write']);
    const m = inline({ Effect: 'Allow', Action: 's3:GetObject', NotResource: ['${aws_s3_bucket.keys.arn}', '${aws_s3_bucket.keys.arn}/*'] });
    expect(accessOf(m, OPS, KEYS)).toEqual([]);
    expect(accessOf(m, OPS, DB)).toEqual(['read']);
  });

  it('removes access on an unconditional explicit deny, but not on a conditional one', () => {
    // Read stays through the bucket: s3:PutReplicationConfiguration copies the objects elsewhere.
    expect(accessOf(inline(allow('s3:*', '*'), deny('s3:*', '${aws_s3_bucket.keys.arn}/*')), OPS, KEYS)).toEqual(['admin', 'delete', 'read']);
    const conditional = inline(allow('s3:GetObject', '*'), deny('s3:GetObject', '*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }));
    expect(accessOf(conditional, OPS, KEYS)).toEqual(['read']);
    // A deny on a wildcard that only might cover the bucket removes nothing.
    expect(accessOf(inline(allow('s3:GetObject', '*'), deny('s3:GetObject', '${var.x}')), OPS, KEYS)).toEqual(['read']);
  });
});

describe('attached, managed and group policies', () => {
  it('follows customer policies attached to users, roles and groups', () => {
    const m = model([
      's',
      oneStack(
        merge(USER, {
          aws_iam_policy: { admin: { name: 'custody-admin', policy: policy(allow('s3:*', `arn:aws:s3:::${DB_BUCKET}/*`)) } },
          aws_iam_user_policy_attachment: { a: { user: '${aws_iam_user.ops.name}', policy_arn: '${aws_iam_policy.admin.arn}' } },
        }),
      ),
    ]);
    // s3:BypassGovernanceRetention is an object action: admin.
    expect(accessOf(m, OPS, DB)).toEqual(['admin', 'delete', 'read', 'write']);
    expect(accessOf(m, OPS, KEYS)).toEqual([]);
    expect(viaOf(m, OPS, DB, 'read')).toBe('policy aws_iam_policy.admin (custody-admin)');
  });

  it('expands AWS-managed policies attached by literal ARN', () => {
    const m = model([
      's',
      oneStack(
        merge(USER, {
          aws_iam_user_policy_attachment: { a: { user: 'ops', policy_arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' } },
          aws_iam_role: { r: { name: 'r', assume_role_policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }), managed_policy_arns: ['arn:aws:iam::aws:policy/AdministratorAccess'] } },
        }),
      ),
    ]);
    expect(accessOf(m, OPS, KEYS)).toEqual(['read']);
    expect(viaOf(m, OPS, KEYS, 'read')).toBe('AWS-managed policy AmazonS3ReadOnlyAccess');
    expect(accessOf(m, 'aws_iam_role.r', DB)).toEqual(['admin', 'decrypt', 'delete', 'read', 'write']);
  });

  it('reads data.aws_iam_policy for an AWS-managed policy', () => {
    const m = model([
      's',
      oneStack(merge(USER, { aws_iam_user_policy_attachment: { a: { user: 'ops', policy_arn: '${data.aws_iam_policy.admin.arn}' } } }), {
        aws_iam_policy: { admin: { arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } },
      }),
    ]);
    expect(viaOf(m, OPS, KEYS, 'read')).toBe('policy data.aws_iam_policy.admin (AdministratorAccess)');
  });

  it('gives group members the group policies (both membership resources)', () => {
    const m = model([
      's',
      oneStack(
        merge(USER, {
          aws_iam_user: { dev: { name: 'dev' } },
          aws_iam_group: { ops: { name: 'ops' } },
          aws_iam_group_policy_attachment: { a: { group: '${aws_iam_group.ops.name}', policy_arn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' } },
          aws_iam_group_policy: { g: { group: 'ops', policy: policy(allow('secretsmanager:GetSecretValue', '*')) } },
          aws_iam_user_group_membership: { m: { user: '${aws_iam_user.ops.name}', groups: ['${aws_iam_group.ops.name}'] } },
          aws_iam_group_membership: { m2: { name: 'm2', group: 'ops', users: ['${aws_iam_user.dev.name}'] } },
        }),
      ),
    ]);
    expect(accessOf(m, OPS, KEYS)).toEqual(['admin', 'delete', 'read', 'write']);
    expect(accessOf(m, 'aws_iam_user.dev', DB)).toEqual(['admin', 'delete', 'read', 'write']);
    expect(viaOf(m, OPS, KEYS, 'read')).toBe('group ops → AWS-managed policy AmazonS3FullAccess');
  });

  it('reads role inline_policy blocks and aws_iam_policy_attachment lists', () => {
    const m = model([
      's',
      oneStack(
        merge(USER, {
          aws_iam_role: { r: { name: 'r', assume_role_policy: '{}', inline_policy: [{ name: 'keys', policy: policy(allow('s3:PutObject', '${aws_s3_bucket.keys.arn}/*')) }] } },
          aws_iam_policy: { p: { name: 'p', policy: policy(allow('s3:GetObject', '${aws_s3_bucket.db.arn}/*')) } },
          aws_iam_policy_attachment: { att: { name: 'att', policy_arn: '${aws_iam_policy.p.arn}', users: ['ops'], roles: ['${aws_iam_role.r.name}'] } },
        }),
      ),
    ]);
    expect(accessOf(m, 'aws_iam_role.r', KEYS)).toEqual(['write']);
    expect(viaOf(m, 'aws_iam_role.r', KEYS, 'write')).toBe('inline policy aws_iam_role.r "keys"');
    expect(accessOf(m, 'aws_iam_role.r', DB)).toEqual(['read']);
    expect(accessOf(m, OPS, DB)).toEqual(['read']);
  });

  it('folds data.aws_iam_user into the managed user of the same name', () => {
    const m = model([
      's',
      oneStack(merge(USER, { aws_iam_user_policy: { p: { user: '${data.aws_iam_user.o.user_name}', policy: policy(allow('s3:GetObject', '*')) } } }), { aws_iam_user: { o: { user_name: 'ops' } } }),
    ]);
    expect(accessOf(m, OPS, KEYS)).toEqual(['read']);
    expect(m.principals.filter((p) => p.name === 'ops')).toHaveLength(1);
  });
});

describe('groups', () => {
  const GP = (group: unknown): Res => ({ aws_iam_group_policy: { gp: { group, policy: policy(allow('s3:GetObject', '*')) } } });
  const via = (m: CustodyModel) => m.grants.map((g) => g.via);

  it('joins by literal name, ARN and reference, labelled by the group name', () => {
    const base = merge(BK, U, { aws_iam_group: { g: { name: 'grp' } } });
    expect(via(mk(merge(base, GP('grp'), { aws_iam_user_group_membership: { m: { user: 'u', groups: ['arn:aws:iam::123456789012:group/team/grp'] } } })))).toEqual(['group grp → inline policy aws_iam_group_policy.gp']);
    expect(via(mk(merge(base, GP('${aws_iam_group.g.name}'), { aws_iam_user_group_membership: { m: { user: 'u', groups: ['grp'] } } })))).toEqual(['group grp → inline policy aws_iam_group_policy.gp']);
    expect(via(mk(merge(base, GP('grp'), { aws_iam_group_membership: { m: { name: 'm', group: '${aws_iam_group.g.id}', users: ['${aws_iam_user.u.name}'] } } })))).toEqual(['group grp → inline policy aws_iam_group_policy.gp']);
    expect(via(mk(merge(base, GP('grp'), { aws_iam_user_group_membership: { m: { user: 'u', groups: ['other'] } } })))).toEqual([]);
  });

  it('makes a group it does not manage from a literal name', () => {
    const m = mk(merge(BK, U, GP('ext'), { aws_iam_user_group_membership: { m: { user: 'u', groups: ['arn:aws:iam::123456789012:group/ext'] } } }));
    expect(via(m)).toEqual(['group ext → inline policy aws_iam_group_policy.gp']);
    expect(unknowns(m)).toEqual([]);
  });

  it('labels a group without a literal name by its address', () => {
    const m = mk(merge(BK, U, { aws_iam_group: { g: { name: '${var.n}' } } }, GP('${aws_iam_group.g.name}'), { aws_iam_user_group_membership: { m: { user: 'u', groups: ['${aws_iam_group.g.name}'] } } }));
    expect(via(m)).toEqual(['group aws_iam_group.g → inline policy aws_iam_group_policy.gp']);
  });

  it('folds a data group into the managed group of the same name, else keeps it apart', () => {
    const base = merge(BK, U, { aws_iam_group: { g: { name: 'grp' } } }, GP('grp'));
    const same = mk(merge(base, { aws_iam_user_group_membership: { m: { user: 'u', groups: ['${data.aws_iam_group.d.group_name}'] } } }), { aws_iam_group: { d: { group_name: 'grp' } } });
    expect(via(same)).toEqual(['group grp → inline policy aws_iam_group_policy.gp']);
    const other = mk(
      merge(BK, U, { aws_iam_group_policy: { gp: { group: '${data.aws_iam_group.d.group_name}', policy: policy(allow('s3:PutObject', '*')) } }, aws_iam_user_group_membership: { m: { user: 'u', groups: ['${data.aws_iam_group.d.group_name}'] } } }),
      { aws_iam_group: { d: { group_name: 'elsewhere' } } },
    );
    expect(via(other)).toEqual(['group elsewhere → inline policy aws_iam_group_policy.gp']);
    const unnamed = mk(
      merge(BK, U, { aws_iam_group_policy: { gp: { group: '${data.aws_iam_group.d.arn}', policy: policy(allow('s3:PutObject', '*')) } }, aws_iam_user_group_membership: { m: { user: 'u', groups: ['${data.aws_iam_group.d.arn}'] } } }),
      { aws_iam_group: { d: { group_name: '${var.g}' } } },
    );
    expect(via(unnamed)).toEqual(['group data.aws_iam_group.d → inline policy aws_iam_group_policy.gp']);
  });

  it('keeps the first managed group of a name', () => {
    const m = mk(
      merge(BK, U, {
        aws_iam_group: { a: { name: 'grp' }, b: { name: 'grp' } },
        aws_iam_group_policy: { ga: { group: '${aws_iam_group.a.name}', policy: policy(allow('s3:GetObject', '*')) }, gb: { group: '${aws_iam_group.b.name}', policy: policy(allow('s3:PutObject', '*')) } },
        aws_iam_user_group_membership: { m: { user: 'u', groups: ['grp'] } },
      }),
    );
    expect(grants(m)).toEqual([
      'aws_iam_user.u aws_s3_bucket.k read | group grp → inline policy aws_iam_group_policy.ga',
      'aws_iam_user.u aws_s3_bucket.k write | group grp → inline policy aws_iam_group_policy.gb',
    ]);
  });

  it('records a group reference it cannot follow', () => {
    const m = mk(merge(BK, U, GP('${var.g}'), { aws_iam_user_group_membership: { m: { user: 'u', groups: ['${aws_iam_user.u.name}'] } } }));
    expect(grants(m)).toEqual([]);
    expect(unknowns(m)).toEqual(['aws_iam_user_group_membership.m: the group ${aws_iam_user.u.name} cannot be followed', 'aws_iam_group_policy.gp: the group ${var.g} cannot be followed']);
    const notString = mk(merge(BK, U, GP(5), { aws_iam_user_group_membership: { m: { user: 'u', groups: 5 } } }));
    expect(grants(notString)).toEqual([]);
    expect(unknowns(notString)).toEqual([]);
  });

  it('gives every group of a user, in membership order', () => {
    const m = mk(
      merge(BK, U, {
        aws_iam_group: { a: { name: 'a' }, b: { name: 'b' } },
        aws_iam_group_policy: { ga: { group: 'a', policy: policy(allow('s3:GetObject', '*')) }, gb: { group: 'b', policy: policy(allow('s3:GetObject', '*'), allow('s3:DeleteObject', '*')) } },
        aws_iam_user_group_membership: { m: { user: 'u', groups: ['b', 'a'] } },
      }),
    );
    expect(grants(m)).toEqual(['aws_iam_user.u aws_s3_bucket.k read | group b → inline policy aws_iam_group_policy.gb', 'aws_iam_user.u aws_s3_bucket.k delete | group b → inline policy aws_iam_group_policy.gb']);
  });
});

describe('attached policies and their labels', () => {
  const CUST: Res = { aws_iam_policy: { c: { name: 'cust', policy: policy(allow('s3:GetObject', '*')) } } };
  const attach = (policyArn: unknown, extra: Res = {}, data?: Res) => mk(merge(BK, U, CUST, extra, { aws_iam_user_policy_attachment: { a: { user: 'u', policy_arn: policyArn } } }), data);

  it('labels a customer policy by address, with its name when that differs', () => {
    expect(grants(attach('${aws_iam_policy.c.arn}'))).toEqual(['aws_iam_user.u aws_s3_bucket.k read | policy aws_iam_policy.c (cust)']);
    const same = mk(merge(BK, U, { aws_iam_policy: { cust: { name: 'cust', policy: policy(allow('s3:GetObject', '*')) } }, aws_iam_user_policy_attachment: { a: { user: 'u', policy_arn: '${aws_iam_policy.cust.arn}' } } }));
    expect(grants(same)).toEqual(['aws_iam_user.u aws_s3_bucket.k read | policy aws_iam_policy.cust']);
    const unnamed = mk(merge(BK, U, { aws_iam_policy: { c: { policy: policy(allow('s3:GetObject', '*')) } }, aws_iam_user_policy_attachment: { a: { user: 'u', policy_arn: '${aws_iam_policy.c.arn}' } } }));
    expect(grants(unnamed)).toEqual(['aws_iam_user.u aws_s3_bucket.k read | policy aws_iam_policy.c']);
  });

  it('finds a customer policy by the name in a literal ARN', () => {
    expect(grants(attach('arn:aws:iam::123456789012:policy/team/cust'))).toEqual(['aws_iam_user.u aws_s3_bucket.k read | policy aws_iam_policy.c (cust)']);
    const m = attach('arn:aws:iam::123456789012:policy/nope');
    expect(grants(m)).toEqual([]);
    expect(unknowns(m)).toEqual(['aws_iam_user_policy_attachment.a: policy arn:aws:iam::123456789012:policy/nope is not in the configuration']);
  });

  it('reports attachments it cannot follow', () => {
    const notFound = attach('${var.policy_arn}');
    expect(grants(notFound)).toEqual([]);
    expect(unknowns(notFound)).toEqual(['aws_iam_user_policy_attachment.a: attached policy ${var.policy_arn} cannot be followed']);
    const notPolicy = attach('${aws_iam_user.u.arn}');
    expect(unknowns(notPolicy)).toEqual(['aws_iam_user_policy_attachment.a: attached policy ${aws_iam_user.u.arn} is not an IAM policy']);
    const dataNotPolicy = attach('${data.aws_s3_bucket.d.arn}', {}, { aws_s3_bucket: { d: { bucket: 'x', name: 'cust' } } });
    expect(unknowns(dataNotPolicy)).toEqual(['aws_iam_user_policy_attachment.a: attached policy ${data.aws_s3_bucket.d.arn} is not an IAM policy']);
    expect(grants(dataNotPolicy)).toEqual([]);
    const twoRefs = attach('${aws_iam_policy.c.arn}${aws_iam_policy.c.id}');
    expect(unknowns(twoRefs)).toEqual(['aws_iam_user_policy_attachment.a: attached policy ${aws_iam_policy.c.arn}${aws_iam_policy.c.id} cannot be followed']);
    expect(grants(attach(7))).toEqual([]);
    expect(unknowns(attach(7))).toEqual([]);
  });

  it('reads a data.aws_iam_policy attachment: AWS-managed by ARN or by table name, customer by name or ARN', () => {
    const d = (v: Json) => attach('${data.aws_iam_policy.m.arn}', {}, { aws_iam_policy: { m: v } });
    expect(grants(d({ arn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' }))).toEqual([
      'aws_iam_user.u aws_s3_bucket.k read | policy data.aws_iam_policy.m (AmazonS3FullAccess)',
      'aws_iam_user.u aws_s3_bucket.k write | policy data.aws_iam_policy.m (AmazonS3FullAccess)',
      'aws_iam_user.u aws_s3_bucket.k delete | policy data.aws_iam_policy.m (AmazonS3FullAccess)',
      'aws_iam_user.u aws_s3_bucket.k admin | policy data.aws_iam_policy.m (AmazonS3FullAccess)',
    ]);
    expect(grants(d({ name: 'AmazonS3ReadOnlyAccess' }))).toEqual(['aws_iam_user.u aws_s3_bucket.k read | policy data.aws_iam_policy.m (AmazonS3ReadOnlyAccess)']);
    expect(grants(d({ name: 'cust' }))).toEqual(['aws_iam_user.u aws_s3_bucket.k read | policy data.aws_iam_policy.m → policy aws_iam_policy.c (cust)']);
    expect(grants(d({ arn: 'arn:aws:iam::123456789012:policy/cust' }))).toEqual(['aws_iam_user.u aws_s3_bucket.k read | policy data.aws_iam_policy.m → policy aws_iam_policy.c (cust)']);
    const elsewhere = d({ name: 'NotInTheTable' });
    expect(grants(elsewhere)).toEqual([]);
    expect(unknowns(elsewhere)).toEqual(['aws_iam_user_policy_attachment.a: data.aws_iam_policy.m names a policy outside the configuration']);
    expect(unknowns(d({}))).toEqual(['aws_iam_user_policy_attachment.a: data.aws_iam_policy.m names a policy outside the configuration']);
  });

  it('prefers a customer policy over the AWS-managed one of the same name', () => {
    const m = mk(
      merge(BK, U, {
        aws_iam_policy: { c: { name: 'AmazonS3FullAccess', policy: policy(allow('s3:GetObject', '*')) } },
        aws_iam_user_policy_attachment: { a: { user: 'u', policy_arn: '${data.aws_iam_policy.m.arn}' } },
      }),
      { aws_iam_policy: { m: { name: 'AmazonS3FullAccess' } } },
    );
    expect(grants(m)).toEqual(['aws_iam_user.u aws_s3_bucket.k read | policy data.aws_iam_policy.m → policy aws_iam_policy.c (AmazonS3FullAccess)']);
  });

  it('follows every attachment resource type', () => {
    const roleTrust = { assume_role_policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }) };
    const base = merge(BK, U, CUST, { aws_iam_role: { r: { name: 'r', ...roleTrust } }, aws_iam_group: { g: { name: 'g' } }, aws_iam_user: { w: { name: 'w' } }, aws_iam_user_group_membership: { m: { user: 'w', groups: ['g'] } } });
    const who = (extra: Res) => {
      const m = mk(merge(base, extra));
      return m.grants.map((g) => `${m.principalById(g.principal)?.address} ${g.via}`);
    };
    const ARN = '${aws_iam_policy.c.arn}';
    const L = 'policy aws_iam_policy.c (cust)';
    expect(who({ aws_iam_user_policy_attachment: { a: { user: 'u', policy_arn: ARN } } })).toEqual([`aws_iam_user.u ${L}`]);
    expect(who({ aws_iam_role_policy_attachment: { a: { role: 'r', policy_arn: ARN } } })).toEqual([`aws_iam_role.r ${L}`]);
    expect(who({ aws_iam_group_policy_attachment: { a: { group: 'g', policy_arn: ARN } } })).toEqual([`aws_iam_user.w group g → ${L}`]);
    expect(who({ aws_iam_policy_attachment: { a: { name: 'a', policy_arn: ARN, users: ['u'], roles: ['r'], groups: ['g'] } } })).toEqual([`aws_iam_user.u ${L}`, `aws_iam_user.w group g → ${L}`, `aws_iam_role.r ${L}`]);
    expect(who({ aws_iam_user_policy_attachments_exclusive: { a: { user_name: 'u', policy_arns: [ARN] } } })).toEqual([`aws_iam_user.u ${L}`]);
    expect(who({ aws_iam_role_policy_attachments_exclusive: { a: { role_name: 'r', policy_arns: [ARN] } } })).toEqual([`aws_iam_role.r ${L}`]);
    expect(who({ aws_iam_group_policy_attachments_exclusive: { a: { group_name: 'g', policy_arns: [ARN] } } })).toEqual([`aws_iam_user.w group g → ${L}`]);
    expect(who({ aws_iam_role: { r: { name: 'r', ...roleTrust, managed_policy_arns: [ARN] } } })).toEqual([`aws_iam_role.r ${L}`]);
  });

  it('labels role inline_policy blocks with their name when it is literal', () => {
    const m = mk(
      merge(BK, {
        aws_iam_role: {
          r: { name: 'r', inline_policy: [{ name: 'keys', policy: policy(allow('s3:GetObject', '*')) }, { name: 'none' }] },
          q: { name: 'q', inline_policy: { name: '${var.n}', policy: policy(allow('s3:PutObject', '*')) } },
        },
      }),
    );
    expect(grants(m)).toEqual(['aws_iam_role.r aws_s3_bucket.k read | inline policy aws_iam_role.r "keys"', 'aws_iam_role.q aws_s3_bucket.k write | inline policy aws_iam_role.q']);
  });

  it('reads inline policies of users, roles and groups, and not data sources of those types', () => {
    const m = mk(
      merge(BK, U, {
        aws_iam_role: { r: { name: 'r' } },
        aws_iam_group: { g: { name: 'g' } },
        aws_iam_user_group_membership: { m: { user: 'u', groups: ['g'] } },
        aws_iam_role_policy: { rp: { role: 'r', policy: policy(allow('s3:PutObject', '*')) } },
        aws_iam_group_policy: { gp: { group: 'g', policy: policy(allow('s3:GetObject', '*')) } },
      }),
      { aws_iam_role_policy: { drp: { role: 'r', policy: policy(allow('s3:*', '*')) } } },
    );
    expect(grants(m)).toEqual(['aws_iam_user.u aws_s3_bucket.k read | group g → inline policy aws_iam_group_policy.gp', 'aws_iam_role.r aws_s3_bucket.k write | inline policy aws_iam_role_policy.rp']);
  });
});
