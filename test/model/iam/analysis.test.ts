/** computeAccess end to end: role chains, cross-stack references, and calls without the model builder. */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../lib/model/build';
import { ModelContext } from '../../../lib/model/context';
import { computeAccess } from '../../../lib/model/iam/analysis';
import { loadTerraformJson } from '../../../lib/model/load/cdktf-json';
import type { Grant, Store } from '../../../lib/model/types';
import { BK, DB_BUCKET, KEY_BUCKET, P, PROVIDER, U, USER, accessOf, allow, bucketWithKey, merge, model, oneStack, policy, stack, viaOf, type Json } from '../../fixtures/iam/fixtures';

const KEYS = 'aws_s3_bucket.keys';
const DB = 'aws_s3_bucket.db';
const OPS = 'aws_iam_user.ops';

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

describe('computeAccess without the model builder’s de-duplication', () => {
  it('emits each (principal, store, access) once, the first chain winning', () => {
    const docs = [
      loadTerraformJson('s', {
        provider: PROVIDER,
        resource: merge(BK, U, {
          aws_iam_user: { w: { name: 'w' } },
          aws_s3_bucket_policy: { bp: { bucket: 'kb', policy: policy({ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'arn:aws:s3:::kb/*', Condition: { ArnNotEquals: { 'aws:PrincipalArn': '${aws_iam_user.w.arn}' } } }) } },
          aws_iam_role: {
            a: { name: 'a', assume_role_policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '${aws_iam_user.u.arn}' } }) },
            b: { name: 'b', assume_role_policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '${aws_iam_user.u.arn}' } }) },
          },
          aws_iam_user_policy: { p: { user: 'u', policy: policy(allow('s3:GetObject', '*'), allow('s3:PutObject', 'arn:aws:s3:::kb/*')) } },
          aws_iam_role_policy: {
            ap: { role: 'a', policy: policy(allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::kb/*')) },
            bp: { role: 'b', policy: policy(allow(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::kb/*')) },
          },
        }),
      }),
    ];
    const model = buildModel(docs);
    const ctx = new ModelContext(docs);
    const { grants: gs, blocked: bs } = computeAccess(ctx, [...model.stores], [...model.kmsKeys], () => ({}));
    const show = (list: Grant[]) => list.filter((g) => g.principal === 's\u0000aws_iam_user.u').map((g) => `${g.access} ${g.via}`);
    expect(show(gs)).toEqual([`read ${P}`]);
    expect(show(bs)).toEqual([
      `write ${P} [blocked today by the store's resource policy or the account boundary]`,
    ]);
  });
});
