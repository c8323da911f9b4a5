import { describe, it, expect } from 'vitest';
import { ModelContext } from '../../lib/model/context';
import { computeAccess } from '../../lib/model/iam/analysis';
import { AWS_MANAGED_POLICIES } from '../../lib/model/iam/aws-managed';
import { globsIntersect } from '../../lib/model/iam/globs';
import { parseJsonencode } from '../../lib/model/hcl';
import { loadTerraformJson } from '../../lib/model/load';
import type { Store } from '../../lib/model/types';
import {
  DB_BUCKET,
  KEY_BUCKET,
  USER,
  accessOf,
  allow,
  bucketWithKey,
  deny,
  merge,
  model,
  oneStack,
  policy,
  stack,
  tags,
  viaOf,
  type Json,
} from '../fixtures/iam/fixtures';

const KEYS = 'aws_s3_bucket.keys';
const DB = 'aws_s3_bucket.db';
const OPS = 'aws_iam_user.ops';

/** One stack with both buckets, user ops and an inline policy with `statements`. */
function inline(...statements: Json[]) {
  return model(['s', oneStack(merge(USER, { aws_iam_user_policy: { p: { user: '${aws_iam_user.ops.name}', policy: policy(...statements) } } }))]);
}

describe('globs', () => {
  it('intersects patterns that share a string and rejects those that cannot', () => {
    expect(globsIntersect('arn:aws:s3:::acme-*', 'arn:aws:s3:::acme-keys')).toBe(true);
    expect(globsIntersect('arn:aws:s3:::acme-keys-2024*', 'arn:aws:s3:::acme-keys-*')).toBe(true);
    expect(globsIntersect('arn:aws:s3:::other-*', 'arn:aws:s3:::acme-keys-*')).toBe(false);
    expect(globsIntersect('*', 'anything')).toBe(true);
    expect(globsIntersect('a?c', 'abc')).toBe(true);
    expect(globsIntersect('a?c', 'abbc')).toBe(false);
  });

  it('parses the HCL cdktf writes inside jsonencode', () => {
    const v = parseJsonencode('jsonencode({"Statement" = [{Action = ["s3:GetObject"], Effect = "Allow", Resource = "${aws_s3_bucket.keys.arn}/*"}, {Resource = aws_s3_bucket.db.arn, Action = "s3:*", Effect = "Allow"}]})');
    expect(v).toEqual({
      Statement: [
        { Action: ['s3:GetObject'], Effect: 'Allow', Resource: '${aws_s3_bucket.keys.arn}/*' },
        { Resource: '${aws_s3_bucket.db.arn}', Action: 's3:*', Effect: 'Allow' },
      ],
    });
    expect(parseJsonencode('merge(local.a, local.b)')).toBeUndefined();
  });

  it('has the broad AWS-managed policies in its table', () => {
    for (const n of ['AdministratorAccess', 'PowerUserAccess', 'AmazonS3FullAccess', 'AmazonS3ReadOnlyAccess', 'ReadOnlyAccess', 'SecretsManagerReadWrite', 'AmazonSSMFullAccess', 'AmazonSSMReadOnlyAccess', 'AWSKeyManagementServicePowerUser']) {
      expect(AWS_MANAGED_POLICIES[n], n).toBeDefined();
    }
  });
});

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
    expect(accessOf(inline(allow('s3:*', '*'), deny('s3:*', '${aws_s3_bucket.keys.arn}/*')), OPS, KEYS)).toEqual(['admin', 'delete']);
    const conditional = inline(allow('s3:GetObject', '*'), deny('s3:GetObject', '*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }));
    expect(accessOf(conditional, OPS, KEYS)).toEqual(['read']);
    // A deny on a wildcard that only might cover the bucket removes nothing.
    expect(accessOf(inline(allow('s3:GetObject', '*'), deny('s3:GetObject', '${var.x}')), OPS, KEYS)).toEqual(['read']);
  });
});

describe('policy documents', () => {
  it('reads aws_iam_policy_document statement blocks (object or array form)', () => {
    const m = model([
      's',
      oneStack(merge(USER, { aws_iam_user_policy: { p: { user: '${aws_iam_user.ops.name}', policy: '${data.aws_iam_policy_document.d.json}' } } }), {
        aws_iam_policy_document: {
          d: { statement: { effect: 'Allow', actions: ['s3:GetObject'], resources: ['${aws_s3_bucket.keys.arn}/*'] } },
          base: { statement: [{ actions: ['s3:PutObject'], resources: ['${aws_s3_bucket.db.arn}/*'] }] },
        },
      }),
    ]);
    expect(accessOf(m, OPS, KEYS)).toEqual(['read']);
    expect(accessOf(m, OPS, DB)).toEqual([]);
  });

  it('merges source_policy_documents', () => {
    const m = model([
      's',
      oneStack(merge(USER, { aws_iam_user_policy: { p: { user: 'ops', policy: '${data.aws_iam_policy_document.d.json}' } } }), {
        aws_iam_policy_document: {
          d: { source_policy_documents: ['${data.aws_iam_policy_document.base.json}'], statement: [{ actions: ['s3:GetObject'], resources: ['${aws_s3_bucket.keys.arn}/*'] }] },
          base: { statement: [{ actions: ['s3:PutObject'], resources: ['${aws_s3_bucket.db.arn}/*'] }] },
        },
      }),
    ]);
    expect(accessOf(m, OPS, DB)).toEqual(['write']);
  });

  it('parses ${jsonencode(...)} policies', () => {
    const m = model(['s', oneStack(merge(USER, { aws_iam_user_policy: { p: { user: 'ops', policy: '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Action" = ["s3:GetObject"], "Resource" = "${aws_s3_bucket.db.arn}/*"}]})}' } } }))]);
    expect(accessOf(m, OPS, DB)).toEqual(['read']);
    expect(accessOf(m, OPS, KEYS)).toEqual([]);
    expect(m.unknowns).toEqual([]);
  });

  it('reads an expression it cannot parse conservatively and records it', () => {
    const m = model(['s', oneStack(merge(USER, { aws_iam_user_policy: { p: { user: 'ops', policy: '${jsonencode(merge(local.base, {Statement = [{Action = "s3:GetObject", Resource = "${aws_s3_bucket.keys.arn}/*"}]}))}' } } }))]);
    expect(accessOf(m, OPS, KEYS)).toEqual(['read']);
    expect(viaOf(m, OPS, KEYS, 'read')).toContain('read conservatively');
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

describe('role assumption', () => {
  const trust = (principal: unknown) => policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal });

  it('gives a principal the access of roles whose trust policy names it, transitively and through cycles', () => {
    const m = model([
      's',
      oneStack(
        merge(USER, {
          aws_iam_role: {
            a: { name: 'a', assume_role_policy: trust({ AWS: '${aws_iam_user.ops.arn}' }) },
            b: { name: 'b', assume_role_policy: trust({ AWS: ['${aws_iam_role.a.arn}', '${aws_iam_role.c.arn}'] }) },
            c: { name: 'c', assume_role_policy: trust({ AWS: '${aws_iam_role.b.arn}' }) },
          },
          aws_iam_role_policy: { p: { role: '${aws_iam_role.c.id}', policy: policy(allow('s3:GetObject', '${aws_s3_bucket.keys.arn}/*')) } },
        }),
      ),
    ]);
    expect(accessOf(m, OPS, KEYS)).toEqual(['read']);
    expect(viaOf(m, OPS, KEYS, 'read')).toBe('assumes aws_iam_role.a → assumes aws_iam_role.b → assumes aws_iam_role.c → inline policy aws_iam_role_policy.p');
    expect(accessOf(m, 'aws_iam_role.b', KEYS)).toEqual(['read']);
  });

  it('for a trust in the account root, requires sts:AssumeRole in the principal’s own policy', () => {
    const make = (userPolicy: string | undefined) =>
      model([
        's',
        oneStack(
          merge(USER, {
            aws_iam_role: { restore: { name: 'restore', assume_role_policy: trust({ AWS: 'arn:aws:iam::${data.aws_caller_identity.me.account_id}:root' }) } },
            aws_iam_role_policy: { p: { role: 'restore', policy: policy(allow('s3:GetObject', '${aws_s3_bucket.db.arn}/*')) } },
            ...(userPolicy ? { aws_iam_user_policy: { u: { user: 'ops', policy: userPolicy } } } : {}),
          }),
          { aws_caller_identity: { me: {} } },
        ),
      ]);
    expect(accessOf(make(undefined), OPS, DB)).toEqual([]);
    expect(accessOf(make(policy(allow('sts:AssumeRole', 'arn:aws:iam::*:role/rest*'))), OPS, DB)).toEqual(['read']);
    expect(accessOf(make(policy(allow('sts:AssumeRole', 'arn:aws:iam::*:role/other'))), OPS, DB)).toEqual([]);
    expect(viaOf(make(policy(allow('sts:AssumeRole', '${aws_iam_role.restore.arn}'))), OPS, DB, 'read')).toBe(
      'assumes aws_iam_role.restore (inline policy aws_iam_user_policy.u) → inline policy aws_iam_role_policy.p',
    );
  });

  it('lets anyone allowed sts:AssumeRole on a role in when its trust policy cannot be read', () => {
    const m = model([
      's',
      oneStack(
        merge(USER, {
          aws_iam_role: { r: { name: 'r', assume_role_policy: '${var.trust}', managed_policy_arns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'] } },
          aws_iam_user_policy: { u: { user: 'ops', policy: policy(allow('sts:AssumeRole', '${aws_iam_role.r.arn}')) } },
        }),
      ),
    ]);
    expect(accessOf(m, OPS, KEYS)).toEqual(['read']);
    expect(viaOf(m, OPS, KEYS, 'read')).toBe('assumes aws_iam_role.r (inline policy aws_iam_user_policy.u) → AWS-managed policy AmazonS3ReadOnlyAccess');
  });

  it('does not treat service principals as principals that can assume', () => {
    const m = model([
      's',
      oneStack({
        aws_iam_role: { r: { name: 'r', assume_role_policy: trust({ Service: 'lambda.amazonaws.com' }), managed_policy_arns: ['arn:aws:iam::aws:policy/AmazonS3FullAccess'] } },
      }),
    ]);
    expect(m.principals.map((p) => p.address)).toEqual(['aws_iam_role.r']);
  });
});

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

describe('cross-stack', () => {
  it('follows remote-state references to a bucket of another stack', () => {
    const m = model(
      ['key-custody', stack({ resource: bucketWithKey('keys', KEY_BUCKET, 'key-backup'), output: { 'cross-stack-output-aws_s3_bucketkeysarn': { value: '${aws_s3_bucket.keys.arn}' } } })],
      [
        'db-backups',
        stack({
          resource: merge(bucketWithKey('db', DB_BUCKET, 'db-backup'), USER, {
            aws_iam_user_policy: { p: { user: 'ops', policy: policy(allow('s3:GetObject', '${data.terraform_remote_state.cross-stack-reference-input-key-custody.outputs.cross-stack-output-aws_s3_bucketkeysarn}/*')) } },
          }),
          data: { terraform_remote_state: { 'cross-stack-reference-input-key-custody': { backend: 'local', config: { path: 'x' } } } },
        }),
      ],
    );
    expect(accessOf(m, OPS, KEYS)).toEqual(['read']);
    expect(accessOf(m, OPS, DB)).toEqual([]);
  });
});

describe('computeAccess directly', () => {
  it('reports what it could not read as unknowns', () => {
    const doc = loadTerraformJson('s', {
      provider: { aws: [{}] },
      resource: {
        aws_iam_user: { ops: { name: 'ops' } },
        aws_iam_user_policy: { p: { user: 'ops', policy: '${var.policy_json}' } },
        aws_iam_role: { r: { name: 'r', assume_role_policy: '${jsonencode(local.trust)}' } },
        aws_iam_user_policy_attachment: { a: { user: 'ops', policy_arn: 'arn:aws:iam::123456789012:policy/not-here' } },
      },
    });
    const { unknowns } = computeAccess(new ModelContext([doc]), [], [], () => ({}));
    expect(unknowns.map((u) => u.address).sort()).toEqual(['aws_iam_role.r', 'aws_iam_user_policy.p', 'aws_iam_user_policy_attachment.a']);
    expect(unknowns.find((u) => u.address === 'aws_iam_user_policy.p')?.what).toContain('var.policy_json');
  });

  it('works on a ModelContext and hand-built stores, and stays fast on large inputs', () => {
    const resource: Record<string, Json> = { aws_s3_bucket: {}, aws_iam_user: {}, aws_iam_user_policy: {}, aws_iam_role: {}, aws_iam_role_policy: {} };
    // Under StrykerJS (vitest.mutation.config.mts sets KEY_CUSTODY_MUTATION) the instrumented code is several
    // times slower and this test runs once per covered mutant: a smaller input keeps the same assertions.
    const mutation = process.env.KEY_CUSTODY_MUTATION === '1';
    const n = mutation ? 300 : 3000;
    resource.aws_iam_user_policy_attachment = {};
    for (let i = 0; i < 50; i++) {
      (resource.aws_iam_user as Json)[`admin${i}`] = { name: `admin${i}` };
      (resource.aws_iam_user_policy_attachment as Json)[`admin${i}`] = { user: `admin${i}`, policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' };
    }
    for (let i = 0; i < n; i++) {
      (resource.aws_s3_bucket as Json)[`b${i}`] = { bucket: `bucket-${i}` };
      (resource.aws_iam_user as Json)[`u${i}`] = { name: `u${i}` };
      (resource.aws_iam_user_policy as Json)[`p${i}`] = { user: `\${aws_iam_user.u${i}.name}`, policy: policy(allow('s3:GetObject', `\${aws_s3_bucket.b${i}.arn}/*`), allow('sts:AssumeRole', `\${aws_iam_role.r${i}.arn}`)) };
      (resource.aws_iam_role as Json)[`r${i}`] = { name: `r${i}`, assume_role_policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::123456789012:root' } }) };
      (resource.aws_iam_role_policy as Json)[`rp${i}`] = { role: `r${i}`, policy: policy(allow('s3:PutObject', `arn:aws:s3:::bucket-${i}/*`)) };
    }
    const doc = loadTerraformJson('big', { provider: { aws: [{}] }, resource });
    const ctx = new ModelContext([doc]);
    const stores: Store[] = [0, 1, 2].map((i) => {
      const r = ctx.resource('big', `aws_s3_bucket.b${i}`)!;
      return { id: `big\u0000aws_s3_bucket.b${i}`, stack: 'big', address: r.address, kind: 's3', role: 'db-backup', name: `bucket-${i}`, adopted: false, account: 'default', settings: { companions: {} }, resource: r };
    });
    const start = Date.now();
    const { principals, grants } = computeAccess(ctx, stores, [], () => ({}));
    if (!mutation) expect(Date.now() - start).toBeLessThan(10_000);
    // Users, roles, admins, and the foreign account root the trust policies name.
    expect(principals).toHaveLength(2 * n + 50 + 1);
    expect(principals.some((p) => p.id === 'external:arn:aws:iam::123456789012:root')).toBe(true);
    const u1 = grants.filter((g) => g.principal === 'big\u0000aws_iam_user.u1').map((g) => `${g.access}:${g.store}`).sort();
    expect(u1).toEqual(['read:big\u0000aws_s3_bucket.b1', 'write:big\u0000aws_s3_bucket.b1']);
    // An administrator reaches every store directly.
    expect(grants.filter((g) => g.principal === 'big\u0000aws_iam_user.admin7' && g.access === 'read')).toHaveLength(3);
  });
});
