/**
 * Mutation tests for lib/model/iam.ts, part 2: principals (managed, data, external, by name
 * and ARN), groups, principal specs in resource policies (accounts, roots, ARNs, references),
 * conditions (aws:PrincipalArn / PrincipalAccount / userid, deny-all-but-designated),
 * account boundaries, blocked grants, KMS keys (key policies, grants, literal and
 * AWS-managed keys), role assumption (trust, open trust, denies, chains) and the vias.
 */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../lib/model/build';
import { ModelContext } from '../../lib/model/context';
import { computeAccess } from '../../lib/model/iam/analysis';
import { loadTerraformJson } from '../../lib/model/load';
import type { CustodyModel, Grant } from '../../lib/model/types';
import { PROVIDER, allow, blockedLines as blocked, deny, grantLines as grants, merge, mk, policy, tags, unknownLines as unknowns, type Json, type Res } from '../fixtures/iam/fixtures';

const ids = (m: CustodyModel): string[] => m.principals.map((p) => p.id.replace('\u0000', '/'));


const BK: Res = { aws_s3_bucket: { k: { bucket: 'kb', tags: tags('key-backup') } } };
const U: Res = { aws_iam_user: { u: { name: 'u' } } };
const P = 'inline policy aws_iam_user_policy.p';
const up = (...statements: Json[]): Res => merge(U, { aws_iam_user_policy: { p: { user: 'u', policy: policy(...statements) } } });

describe('principals', () => {
  it('builds one principal per managed user and role, with custody role tags', () => {
    const m = mk({
      aws_iam_user: { u: { name: 'u', tags: { 'custody:role': 'key-backup', team: 'x' } } },
      aws_iam_role: { r: { name: 'r', tags: { 'custody:role': 'bogus' } }, n: { name: '${var.n}' } },
    });
    expect(m.principals).toEqual([
      { id: 's\u0000aws_iam_user.u', stack: 's', address: 'aws_iam_user.u', kind: 'user', name: 'u', account: 'default', role: 'key-backup', tags: { 'custody:role': 'key-backup', team: 'x' } },
      { id: 's\u0000aws_iam_role.r', stack: 's', address: 'aws_iam_role.r', kind: 'role', name: 'r', account: 'default', role: undefined, tags: { 'custody:role': 'bogus' } },
      { id: 's\u0000aws_iam_role.n', stack: 's', address: 'aws_iam_role.n', kind: 'role', name: undefined, account: 'default', role: undefined, tags: {} },
    ]);
  });

  it('folds data sources into the managed identity of the same name and account only', () => {
    const provider = { aws: [{ allowed_account_ids: ['111111111111'] }, { alias: 'b', allowed_account_ids: ['222222222222'] }] };
    const m = mk(
      { aws_iam_user: { u: { name: 'u' } }, aws_iam_role: { r: { name: 'r' } } },
      {
        aws_iam_user: { same: { user_name: 'u' }, byname: { name: 'u' }, other: { user_name: 'u', provider: 'aws.b' }, ghost: { user_name: 'ghost' }, anon: { user_name: '${var.x}' } },
        aws_iam_role: { same: { name: 'r' }, ghost: { name: 'ghost' } },
      },
      provider,
    );
    expect(ids(m)).toEqual(['s/aws_iam_user.u', 's/aws_iam_role.r', 's/data.aws_iam_user.other', 's/data.aws_iam_user.ghost', 's/data.aws_iam_user.anon', 's/data.aws_iam_role.ghost']);
    expect(m.principals.map((p) => `${p.kind} ${p.name} ${p.account}`)).toEqual([
      'user u acct:111111111111',
      'role r acct:111111111111',
      'user u acct:222222222222',
      'user ghost acct:111111111111',
      'user undefined acct:111111111111',
      'role ghost acct:111111111111',
    ]);
  });

  it('does not fold a data source into another data source of the same name', () => {
    const m = mk({}, { aws_iam_role: { a: { name: 'x' }, b: { name: 'x' } } });
    expect(ids(m)).toEqual(['s/data.aws_iam_role.a', 's/data.aws_iam_role.b']);
  });

  it('gives a policy attached to a data source to the managed identity it folds into', () => {
    const m = mk(merge(BK, U, { aws_iam_user_policy: { p: { user: '${data.aws_iam_user.d.user_name}', policy: policy(allow('s3:GetObject', '*')) } } }), { aws_iam_user: { d: { user_name: 'u' } } });
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
  });

  it('finds a user by literal name or ARN, else makes an external principal for it', () => {
    const pol = (user: string) => mk(merge(BK, U, { aws_iam_user_policy: { p: { user, policy: policy(allow('s3:GetObject', '*')) } } }));
    expect(grants(pol('u'))).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
    expect(grants(pol('arn:aws:iam::123456789012:user/team/u'))).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
    const ghost = pol('ghost');
    expect(grants(ghost)).toEqual([`arn:aws:iam::*:user/ghost aws_s3_bucket.k read | ${P}`]);
    expect(ghost.principals[1]).toEqual({ id: 'external:arn:aws:iam::*:user/ghost', stack: 's', address: 'arn:aws:iam::*:user/ghost', kind: 'external', name: 'ghost', account: 'default', tags: {} });
    const ghostArn = pol('arn:aws:iam::123456789012:user/ghost');
    expect(grants(ghostArn)).toEqual([`arn:aws:iam::123456789012:user/ghost aws_s3_bucket.k read | ${P}`]);
    expect(unknowns(ghost)).toEqual([]);
  });

  it('names an external role by the pinned account', () => {
    const m = mk(merge(BK, { aws_iam_role_policy: { p: { role: 'ghost', policy: policy(allow('s3:GetObject', '*')) } } }), undefined, { aws: [{ allowed_account_ids: ['111111111111'] }] });
    expect(grants(m)).toEqual(['arn:aws:iam::111111111111:role/ghost aws_s3_bucket.k read | inline policy aws_iam_role_policy.p']);
    expect(m.principals.map((p) => `${p.id} ${p.kind} ${p.name} ${p.account}`)).toEqual(['external:arn:aws:iam::111111111111:role/ghost external ghost acct:111111111111']);
  });

  it('records a principal reference it cannot follow and keeps its policy on a stand-in', () => {
    const m = mk(merge(BK, { aws_iam_user_policy: { p: { user: '${var.user}', policy: policy(allow('s3:GetObject', '*')) } } }));
    expect(grants(m)).toEqual(['${var.user}@s aws_s3_bucket.k read | inline policy aws_iam_user_policy.p']);
    expect(unknowns(m)).toEqual(['aws_iam_user_policy.p: the user ${var.user} cannot be followed']);
    expect(m.principals.map((p) => `${p.id} ${p.kind} ${p.name}`)).toEqual(['external:${var.user}@s external undefined']);
    const role = mk(merge(BK, { aws_iam_role_policy: { p: { role: '${aws_s3_bucket.k.id}', policy: policy(allow('s3:GetObject', '*')) } } }));
    expect(unknowns(role)).toEqual(['aws_iam_role_policy.p: the role ${aws_s3_bucket.k.id} cannot be followed']);
  });

  it('ignores a principal attribute that is not a string', () => {
    const m = mk(merge(BK, { aws_iam_user_policy: { p: { user: 3, policy: policy(allow('s3:GetObject', '*')) } } }));
    expect(grants(m)).toEqual([]);
    expect(m.principals).toEqual([]);
  });

  it('prefers the identity of the same stack for a literal name', () => {
    const m = buildModel([
      loadTerraformJson('a', { provider: PROVIDER, resource: merge(U, BK) }),
      loadTerraformJson('b', { provider: PROVIDER, resource: merge(U, { aws_iam_user_policy: { p: { user: 'u', policy: policy(allow('s3:GetObject', '*')) } } }) }),
    ]);
    expect(m.grants.map((g) => `${g.principal.replace('\u0000', '/')} ${g.access} ${g.via}`)).toEqual([`b/aws_iam_user.u read ${P}`]);
  });

  it('names every identity of a name when none is in the policy’s stack', () => {
    const m = buildModel([
      loadTerraformJson('a', { provider: PROVIDER, resource: U }),
      loadTerraformJson('b', { provider: PROVIDER, resource: U }),
      loadTerraformJson('c', { provider: PROVIDER, resource: merge(BK, { aws_s3_bucket_policy: { bp: { bucket: 'kb', policy: policy(get({ AWS: 'arn:aws:iam::123456789012:user/u' })) } } }) }),
    ]);
    expect(m.grants.map((g) => `${g.principal.replace('\u0000', '/')} ${g.access} ${g.via}`)).toEqual([`a/aws_iam_user.u read ${BP}`, `b/aws_iam_user.u read ${BP}`]);
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

/** Bucket k with a bucket policy, users u and w, and u's own policy statements. */
function bp(statements: Json[], userStatements: Json[] = [], extra: Res = {}, data?: Res, provider?: Json): CustodyModel {
  return mk(
    merge(BK, U, { aws_iam_user: { w: { name: 'w' } }, aws_s3_bucket_policy: { bp: { bucket: '${aws_s3_bucket.k.id}', policy: policy(...statements) } } }, userStatements.length ? { aws_iam_user_policy: { p: { user: 'u', policy: policy(...userStatements) } } } : {}, extra),
    data,
    provider,
  );
}
const BP = 'bucket policy aws_s3_bucket_policy.bp';
const get = (principal: unknown, extra: Json = {}): Json => ({ Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*', ...extra });

describe('resource policies: whom an Allow names', () => {
  it('names anyone with "*" or {AWS: "*"}, and ignores service principals', () => {
    expect(grants(bp([get('*')]))).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${BP}`, `aws_iam_user.w aws_s3_bucket.k read | ${BP}`]);
    expect(grants(bp([get({ AWS: '*' })]))).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${BP}`, `aws_iam_user.w aws_s3_bucket.k read | ${BP}`]);
    expect(grants(bp([get({ aws: ' * ' })]))).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${BP}`, `aws_iam_user.w aws_s3_bucket.k read | ${BP}`]);
    expect(grants(bp([get({ Service: 'cloudtrail.amazonaws.com' })]))).toEqual([]);
  });

  it('names a principal by reference, by user or role ARN, and by assumed-role session ARN', () => {
    const m = mk(
      merge(BK, U, {
        aws_iam_role: { r: { name: 'r' } },
        aws_s3_bucket_policy: {
          bp: {
            bucket: 'kb',
            policy: policy(
              get({ AWS: '${aws_iam_user.u.arn}' }),
              { Effect: 'Allow', Principal: { AWS: 'arn:aws:sts::123456789012:assumed-role/r/session-1' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::kb/*' },
              { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/path/u' }, Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::kb/*' },
              { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/${aws_iam_role.r.name}' }, Action: 's3:PutBucketPolicy', Resource: 'arn:aws:s3:::kb' },
              { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/r' }, Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::kb' },
            ),
          },
        },
      }),
    );
    expect(grants(m)).toEqual([
      'aws_iam_user.u aws_s3_bucket.k read | bucket policy aws_s3_bucket_policy.bp',
      'aws_iam_user.u aws_s3_bucket.k delete | bucket policy aws_s3_bucket_policy.bp',
      'aws_iam_role.r aws_s3_bucket.k write | bucket policy aws_s3_bucket_policy.bp',
      'aws_iam_role.r aws_s3_bucket.k delete | bucket policy aws_s3_bucket_policy.bp',
      'aws_iam_role.r aws_s3_bucket.k admin | bucket policy aws_s3_bucket_policy.bp',
    ]);
    expect(ids(m)).toEqual(['s/aws_iam_user.u', 's/aws_iam_role.r']);
  });

  it('registers ARNs, wildcards and expressions it cannot match as external principals', () => {
    const m = bp([
      get({ AWS: ['arn:aws:iam::333333333333:role/offsite', 'arn:aws:iam::333333333333:role/ops-*', 'AIDAEXAMPLE', 'arn:aws:iam::333333333333:role/${var.r}', '${var.p}'] }),
    ]);
    expect(m.principals.slice(2).map((p) => `${p.id} | ${p.kind} ${p.name} ${p.account}`)).toEqual([
      'external:arn:aws:iam::333333333333:role/offsite | external offsite acct:333333333333',
      'external:arn:aws:iam::333333333333:role/ops-* | external undefined default',
      'external:AIDAEXAMPLE | external undefined default',
      'external:arn:aws:iam::333333333333:role/${var.r}@s | external undefined default',
      'external:${var.p}@s | external undefined default',
    ]);
    expect(grants(m)).toEqual([
      `arn:aws:iam::333333333333:role/offsite aws_s3_bucket.k read | ${BP}`,
      `arn:aws:iam::333333333333:role/ops-* aws_s3_bucket.k read | ${BP}`,
      `AIDAEXAMPLE aws_s3_bucket.k read | ${BP}`,
      `arn:aws:iam::333333333333:role/\${var.r}@s aws_s3_bucket.k read | ${BP}`,
      `\${var.p}@s aws_s3_bucket.k read | ${BP}`,
    ]);
  });

  it('registers a foreign account root as a principal, but not its own account', () => {
    const own = { aws: [{ allowed_account_ids: ['111111111111'] }] };
    const foreign = bp([get({ AWS: '333333333333' }), { ...get({ AWS: 'arn:aws:iam::444444444444:root' }), Action: 's3:PutObject' }], [], {}, undefined, own);
    expect(ids(foreign)).toEqual(['s/aws_iam_user.u', 's/aws_iam_user.w', 'external:arn:aws:iam::333333333333:root', 'external:arn:aws:iam::444444444444:root']);
    expect(foreign.principals.slice(2).map((p) => p.account)).toEqual(['acct:333333333333', 'acct:444444444444']);
    expect(grants(foreign)).toEqual([`arn:aws:iam::333333333333:root aws_s3_bucket.k read | ${BP}`, `arn:aws:iam::444444444444:root aws_s3_bucket.k write | ${BP}`]);
    const mine = bp([get({ AWS: '111111111111' })], [], {}, undefined, own);
    expect(ids(mine)).toEqual(['s/aws_iam_user.u', 's/aws_iam_user.w']);
    expect(grants(mine)).toEqual([]);
  });

  it('names the account root: identity policies of that account decide', () => {
    const root = (principal: string, data?: Res) => grants(bp([get({ AWS: principal })], [allow('s3:GetObject', '*')], {}, data));
    // Same (unpinned) account: the identity policy alone suffices, and w has none.
    // An account the configuration does not pin is foreign: its root is a principal too.
    expect(root('123456789012')).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`, `arn:aws:iam::123456789012:root aws_s3_bucket.k read | ${BP}`]);
    expect(root('arn:aws:iam::${data.aws_caller_identity.me.account_id}:root', { aws_caller_identity: { me: {} } })).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
    expect(root('${data.aws_caller_identity.me.account_id}', { aws_caller_identity: { me: {} } })).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
    expect(root('arn:aws:iam::${var.account}:root')).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
  });
});

describe('account boundaries', () => {
  const TWO = { aws: [{ allowed_account_ids: ['111111111111'] }, { alias: 'b', allowed_account_ids: ['222222222222'] }] };
  /** Bucket k in account 1; user u in account 2 with `userStatements`; bucket policy `statements`. */
  const cross = (statements: Json[], userStatements: Json[] = [allow('s3:GetObject', '*')], data?: Res) =>
    mk(
      merge(BK, {
        aws_iam_user: { u: { name: 'u', provider: 'aws.b' } },
        aws_iam_user_policy: { p: { user: '${aws_iam_user.u.name}', policy: policy(...userStatements), provider: 'aws.b' } },
        ...(statements.length ? { aws_s3_bucket_policy: { bp: { bucket: 'kb', policy: policy(...statements) } } } : {}),
      }),
      data,
      TWO,
    );

  it('does not cross with an identity policy alone', () => {
    expect(grants(cross([]))).toEqual([]);
  });

  it('crosses when the store names the principal (its own policy not needed) or its account root (both needed)', () => {
    expect(grants(cross([get({ AWS: '${aws_iam_user.u.arn}' })], [allow('s3:PutObject', '*')]))).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${BP}`]);
    expect(grants(cross([get({ AWS: 'arn:aws:iam::222222222222:root' })]))).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P} + ${BP}`]);
    expect(grants(cross([get({ AWS: '222222222222' })], [allow('s3:PutObject', '*')]))).toEqual([]);
    expect(grants(cross([get({ AWS: '333333333333' })]))).toEqual([`arn:aws:iam::333333333333:root aws_s3_bucket.k read | ${BP}`]);
    expect(grants(cross([get({ AWS: 'arn:aws:iam::${var.a}:root' })]))).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P} + ${BP}`]);
  });

  it('reads the caller identity’s account in a root ARN as the account of its provider', () => {
    const root = 'arn:aws:iam::${data.aws_caller_identity.me.account_id}:root';
    expect(grants(cross([get({ AWS: root })], [allow('s3:GetObject', '*')], { aws_caller_identity: { me: {} } }))).toEqual([]);
    expect(grants(cross([get({ AWS: root })], [allow('s3:GetObject', '*')], { aws_caller_identity: { me: { provider: 'aws.b' } } }))).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P} + ${BP}`]);
  });

  it('prefers a direct grant over an account-root grant in the same policy', () => {
    const m = cross([get({ AWS: '222222222222' }, { Sid: 'root' }), get({ AWS: '${aws_iam_user.u.arn}' })]);
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${BP}`]);
    const twoPolicies = mk(
      merge(BK, {
        aws_iam_user: { u: { name: 'u', provider: 'aws.b' } },
        aws_iam_user_policy: { p: { user: 'u', policy: policy(allow('s3:GetObject', '*')), provider: 'aws.b' } },
        aws_s3_bucket_policy: { a: { bucket: 'kb', policy: policy(get({ AWS: '222222222222' })) }, b: { bucket: 'kb', policy: policy(get({ AWS: '222222222222' })) } },
      }),
      undefined,
      TWO,
    );
    expect(grants(twoPolicies)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P} + bucket policy aws_s3_bucket_policy.a`]);
  });

  it('stops at an identity deny even when the store names the principal', () => {
    expect(grants(cross([get({ AWS: '${aws_iam_user.u.arn}' })], [deny('s3:GetObject', 'arn:aws:s3:::kb/*')]))).toEqual([]);
  });

  it('reports what the identity policy names but the boundary blocks', () => {
    const named = cross([], [allow('s3:GetObject', 'arn:aws:s3:::kb/*'), allow('s3:PutObject', '*'), allow('s3:DeleteObject', 'arn:aws:s3:::k*/*')]);
    expect(grants(named)).toEqual([]);
    expect(blocked(named)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P} [blocked today by the store's resource policy or the account boundary]`]);
  });
});

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
    // An unpinned account id is `*` in the principal's ARN: the pattern may match anyone.
    expect(exempt(['arn:aws:iam::*:user/u*'])).toEqual([U_READ, W_READ]);
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
    expect(open({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/w' } })).toEqual([U_BP, W_BP]);
    expect(open({ StringNotEquals: { 'aws:userid': '${aws_iam_user.u.unique_id}' } })).toEqual([W_BP]);
  });

  it('reads the narrowing of an Allow with NotPrincipal', () => {
    expect(grants(bp([{ Effect: 'Allow', NotPrincipal: { AWS: '${aws_iam_user.w.arn}' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*' }]))).toEqual([U_BP]);
    expect(grants(bp([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*' }]))).toEqual([]);
  });
});

describe('store-side policies', () => {
  const readBy = (extra: Res, data?: Res) => grants(mk(merge(BK, U, extra), data));
  const allowU = policy({ Effect: 'Allow', Principal: { AWS: '${aws_iam_user.u.arn}' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*' });

  it('finds the bucket of a bucket policy by reference, literal name or a data source of the same name', () => {
    expect(readBy({ aws_s3_bucket_policy: { bp: { bucket: '${aws_s3_bucket.k.bucket}', policy: allowU } } })).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${BP}`]);
    expect(readBy({ aws_s3_bucket_policy: { bp: { bucket: 'kb', policy: allowU } } })).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${BP}`]);
    expect(readBy({ aws_s3_bucket_policy: { bp: { bucket: '${data.aws_s3_bucket.d.id}', policy: allowU } } }, { aws_s3_bucket: { d: { bucket: 'kb' } } })).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${BP}`]);
    expect(readBy({ aws_s3_bucket_policy: { bp: { bucket: '${data.aws_s3_bucket.d.id}', policy: allowU } } }, { aws_s3_bucket: { d: { bucket: 'other' } } })).toEqual([]);
    expect(readBy({ aws_s3_bucket_policy: { bp: { bucket: 'other', policy: allowU } } })).toEqual([]);
    expect(readBy({ aws_s3_bucket_policy: { bp: { bucket: 'kb' } } })).toEqual([]);
  });

  it('does not read the policy of a bucket that is not a store', () => {
    const m = mk(merge(BK, { aws_s3_bucket: { j: { bucket: 'jb' } }, aws_s3_bucket_policy: { bp: { bucket: '${aws_s3_bucket.j.id}', policy: '${var.p}' } } }));
    expect(unknowns(m)).toEqual([]);
    const store = mk(merge(BK, { aws_s3_bucket_policy: { bp: { bucket: '${aws_s3_bucket.k.id}', policy: '${var.p}' } } }));
    expect(unknowns(store)).toEqual(['aws_s3_bucket_policy.bp: the policy ${var.p} is an expression that is not evaluated']);
  });

  it('reads a policy written on the bucket or secret itself', () => {
    const m = mk(
      merge(U, {
        aws_s3_bucket: { k: { bucket: 'kb', tags: tags('key-backup'), policy: allowU } },
        aws_secretsmanager_secret: { sec: { name: 'hot', tags: tags('key-store'), policy: policy({ Effect: 'Allow', Principal: { AWS: '${aws_iam_user.u.arn}' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }) } },
        aws_ssm_parameter: { prm: { name: '/p', type: 'SecureString', tags: tags('key-store'), policy: policy({ Effect: 'Allow', Principal: '*', Action: 'ssm:GetParameter', Resource: '*' }) } },
      }),
    );
    expect(grants(m)).toEqual([
      'aws_iam_user.u aws_s3_bucket.k read | bucket policy on aws_s3_bucket.k',
      'aws_iam_user.u aws_secretsmanager_secret.sec read | secret policy on aws_secretsmanager_secret.sec',
    ]);
  });

  it('finds the secret of a secret policy by ARN reference or literal name', () => {
    const sp = (secretArn: string) =>
      grants(mk(merge(U, { aws_secretsmanager_secret: { sec: { name: 'hot', tags: tags('key-store') } }, aws_secretsmanager_secret_policy: { sp: { secret_arn: secretArn, policy: policy({ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:DeleteSecret', Resource: '*' }) } } })));
    expect(sp('${aws_secretsmanager_secret.sec.arn}')).toEqual(['aws_iam_user.u aws_secretsmanager_secret.sec delete | secret policy aws_secretsmanager_secret_policy.sp']);
    expect(sp('hot')).toEqual(['aws_iam_user.u aws_secretsmanager_secret.sec delete | secret policy aws_secretsmanager_secret_policy.sp']);
    expect(sp('cold')).toEqual([]);
  });

  it('matches the resource of a store policy statement like an identity statement', () => {
    const st = (resource: string) => readBy({ aws_s3_bucket_policy: { bp: { bucket: 'kb', policy: policy({ Effect: 'Allow', Principal: { AWS: '${aws_iam_user.u.arn}' }, Action: ['s3:GetObject', 's3:PutBucketPolicy'], Resource: resource }) } } });
    expect(st('arn:aws:s3:::kb')).toEqual([`aws_iam_user.u aws_s3_bucket.k admin | ${BP}`]);
    expect(st('arn:aws:s3:::other/*')).toEqual([]);
    expect(st('*')).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${BP}`, `aws_iam_user.u aws_s3_bucket.k admin | ${BP}`]);
  });
});

describe('blocked grants', () => {
  const denyAllBut = (extra: Json = {}): Json => ({
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: ['arn:aws:s3:::kb', 'arn:aws:s3:::kb/*'],
    Condition: { ArnNotEquals: { 'aws:PrincipalArn': '${aws_iam_user.w.arn}' } },
    ...extra,
  });
  const BLOCKED = "[blocked today by the store's resource policy or the account boundary]";

  it('reports access an identity policy names but the bucket policy denies', () => {
    const m = bp([denyAllBut()], [allow('s3:GetObject', '${aws_s3_bucket.k.arn}/*'), allow('s3:PutObject', '*'), allow('s3:PutBucketPolicy', 'arn:aws:s3:::kb')]);
    expect(grants(m)).toEqual([]);
    expect(blocked(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P} ${BLOCKED}`, `aws_iam_user.u aws_s3_bucket.k admin | ${P} ${BLOCKED}`]);
  });

  it('counts a name only without wildcards, but with a trailing /* or a key prefix', () => {
    const b = (resource: string, action = 's3:GetObject') => blocked(bp([denyAllBut()], [allow(action, resource)]));
    const READ = [`aws_iam_user.u aws_s3_bucket.k read | ${P} ${BLOCKED}`];
    expect(b('arn:aws:s3:::kb/*')).toEqual(READ);
    expect(b('arn:aws:s3:::kb/sub/*')).toEqual(READ);
    expect(b('arn:aws:s3:::KB/file')).toEqual(READ);
    expect(b('arn:aws:s3:::kb')).toEqual([]);
    expect(b('arn:aws:s3:::k*/*')).toEqual([]);
    expect(b('arn:aws:s3:::kb/*/x')).toEqual([]);
    expect(b('*')).toEqual([]);
    expect(b('${var.arn}/*')).toEqual([]);
    expect(b('arn:aws:s3:::other/*')).toEqual([]);
    expect(b('arn:aws:s3:::kb', 's3:DeleteBucket')).toEqual([`aws_iam_user.u aws_s3_bucket.k delete | ${P} ${BLOCKED}`]);
    expect(b('arn:aws:s3:::kb/*', 's3:DeleteBucket')).toEqual([]);
  });

  it('keeps the first naming policy of an access', () => {
    const m = mk(
      merge(BK, U, {
        aws_iam_user: { w: { name: 'w' } },
        aws_s3_bucket_policy: { bp: { bucket: 'kb', policy: policy(denyAllBut()) } },
        aws_iam_user_policy: { a: { user: 'u', policy: policy(allow('s3:GetObject', 'arn:aws:s3:::kb/*')) }, b: { user: 'u', policy: policy(allow('s3:GetObjectVersion', 'arn:aws:s3:::kb/*'), allow('s3:GetObject', 'arn:aws:s3:::kb/*')) } },
      }),
    );
    expect(blocked(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | inline policy aws_iam_user_policy.a ${BLOCKED}`]);
  });

  it('is not reported when the principal’s own policy denies it too, or when it is granted', () => {
    expect(blocked(bp([denyAllBut()], [allow('s3:GetObject', 'arn:aws:s3:::kb/*'), deny('s3:GetObject', '*')]))).toEqual([]);
    const partly = bp([denyAllBut({ Action: 's3:GetObject' })], [allow(['s3:GetObject', 's3:GetObjectVersion'], 'arn:aws:s3:::kb/*')]);
    expect(grants(partly)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
    expect(blocked(partly)).toEqual([]);
  });

  it('follows role chains, and drops what another chain grants', () => {
    const m = mk(
      merge(BK, U, {
        aws_iam_user: { w: { name: 'w' } },
        aws_s3_bucket_policy: { bp: { bucket: 'kb', policy: policy(denyAllBut({ Condition: { ArnNotEquals: { 'aws:PrincipalArn': '${aws_iam_role.ok.arn}' } } })) } },
        aws_iam_role: {
          no: { name: 'no', assume_role_policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: ['${aws_iam_user.u.arn}', '${aws_iam_user.w.arn}'] } }) },
          ok: { name: 'ok', assume_role_policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '${aws_iam_user.w.arn}' } }) },
        },
        aws_iam_role_policy: {
          np: { role: 'no', policy: policy(allow('s3:GetObject', 'arn:aws:s3:::kb/*')) },
          op: { role: 'ok', policy: policy(allow('s3:GetObject', 'arn:aws:s3:::kb/*')) },
        },
      }),
    );
    expect(grants(m)).toEqual([
      'aws_iam_user.w aws_s3_bucket.k read | assumes aws_iam_role.ok → inline policy aws_iam_role_policy.op',
      'aws_iam_role.ok aws_s3_bucket.k read | inline policy aws_iam_role_policy.op',
    ]);
    expect(blocked(m)).toEqual([
      `aws_iam_user.u aws_s3_bucket.k read | assumes aws_iam_role.no → inline policy aws_iam_role_policy.np ${BLOCKED}`,
      `aws_iam_role.no aws_s3_bucket.k read | inline policy aws_iam_role_policy.np ${BLOCKED}`,
    ]);
  });
});

/** Bucket k encrypted with `kmsKey` (an expression or literal). */
const sse = (kmsKey: string): Res => ({
  aws_s3_bucket: { k: { bucket: 'kb', tags: tags('key-backup') } },
  aws_s3_bucket_server_side_encryption_configuration: {
    k: { bucket: '${aws_s3_bucket.k.id}', rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: kmsKey } }] },
  },
});
const BKK: Res = merge(sse('${aws_kms_key.kk.arn}'), { aws_kms_key: { kk: { description: 'k' } } });
const ON_KK = 'on key aws_kms_key.kk';

describe('KMS decrypt', () => {
  it('needs kms:Decrypt on the key from an identity policy under the default key policy', () => {
    expect(grants(mk(merge(BKK, up(allow('kms:Decrypt', '${aws_kms_key.kk.arn}')))))).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} ${ON_KK}`]);
    expect(grants(mk(merge(BKK, up(allow('kms:Decrypt', 'arn:aws:kms:*:*:key/${aws_kms_key.kk.key_id}')))))).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} ${ON_KK}`]);
    expect(grants(mk(merge(BKK, up(allow('kms:Decrypt', 'arn:aws:kms:*:*:key/${aws_kms_key.kk.id}')))))).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} ${ON_KK}`]);
    expect(grants(mk(merge(BKK, up(allow('kms:Decrypt', '${aws_kms_key.kk.key_id}')))))).toEqual([]);
    expect(grants(mk(merge(BKK, up(allow('kms:Decrypt', '*'), deny('kms:Decrypt', 'arn:aws:kms:*:*:key/${aws_kms_key.kk.key_id}')))))).toEqual([]);
    expect(grants(mk(merge(BKK, up(allow('kms:Decrypt', '*'), deny('kms:Decrypt', 'arn:aws:kms:*:*:key/${aws_kms_key.kk.id}')))))).toEqual([]);
    expect(grants(mk(merge(BKK, up(allow('kms:Decrypt', '*'), deny('kms:Decrypt', '${aws_kms_key.kk.arn}')))))).toEqual([]);
    expect(grants(mk(merge(BKK, up(allow('kms:Decrypt', '*'), deny('kms:Decrypt', 'arn:aws:kms:*:*:key/${aws_kms_key.kk.description}')))))).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} ${ON_KK}`]);
    expect(grants(mk(merge(BKK, up(allow('kms:Encrypt', '*')))))).toEqual([]);
  });

  it('with a written key policy, needs the key policy to name the principal or to enable IAM', () => {
    const keyPolicy = (principal: unknown, action = 'kms:Decrypt') => policy({ Effect: 'Allow', Principal: principal, Action: action, Resource: '*' });
    const withKeyPolicy = (kp: string, statements: Json[] = [allow('kms:Decrypt', '*')]) =>
      grants(mk(merge(BKK, { aws_kms_key: { kk: { description: 'k', policy: kp } } }, up(...statements)), { aws_caller_identity: { me: {} } }));
    const KP = 'key policy aws_kms_key.kk';
    expect(withKeyPolicy(keyPolicy({ AWS: 'arn:aws:iam::999999999999:role/other' }))).toEqual([`arn:aws:iam::999999999999:role/other aws_s3_bucket.k decrypt | ${KP} ${ON_KK}`]);
    expect(withKeyPolicy(keyPolicy({ AWS: 'arn:aws:iam::${data.aws_caller_identity.me.account_id}:root' }))).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} + ${KP} ${ON_KK}`]);
    expect(withKeyPolicy(keyPolicy({ AWS: 'arn:aws:iam::${data.aws_caller_identity.me.account_id}:root' }), [allow('kms:Encrypt', '*')])).toEqual([]);
    expect(withKeyPolicy(keyPolicy({ AWS: '${aws_iam_user.u.arn}' }), [])).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${KP} ${ON_KK}`]);
    expect(withKeyPolicy(keyPolicy({ AWS: '${aws_iam_user.u.arn}' }, 'kms:Encrypt'), [])).toEqual([]);
    expect(withKeyPolicy(keyPolicy('*'), [])).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${KP} ${ON_KK}`]);
    expect(withKeyPolicy(policy({ Effect: 'Allow', NotPrincipal: { AWS: '${aws_iam_user.w.arn}' }, Action: 'kms:*', Resource: '*' }), [])).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${KP} ${ON_KK}`]);
    expect(withKeyPolicy(policy({ Effect: 'Allow', NotPrincipal: { AWS: '${aws_iam_user.u.arn}' }, Action: 'kms:*', Resource: '*' }), [])).toEqual([]);
    // An empty key policy enables no one.
    expect(withKeyPolicy(policy())).toEqual([]);
  });

  it('lets a key-policy Deny remove decrypt', () => {
    const kp = policy({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }, { Effect: 'Deny', Principal: { AWS: '${aws_iam_user.u.arn}' }, Action: 'kms:Decrypt', Resource: '*' });
    expect(grants(mk(merge(BKK, U, { aws_kms_key: { kk: { description: 'k', policy: kp } } })))).toEqual([]);
  });

  it('reads aws_kms_key_policy, and a key policy it cannot read as the default one', () => {
    const kp = (key: string, p: string) => grants(mk(merge(BKK, U, { aws_kms_key_policy: { kp: { key_id: key, policy: p } } })));
    const named = policy({ Effect: 'Allow', Principal: { AWS: '${aws_iam_user.u.arn}' }, Action: 'kms:Decrypt', Resource: '*' });
    expect(kp('${aws_kms_key.kk.id}', named)).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | key policy aws_kms_key_policy.kp ${ON_KK}`]);
    expect(kp('${var.key}', named)).toEqual([]);
    const unreadable = mk(merge(BKK, up(allow('kms:Decrypt', '*')), { aws_kms_key: { kk: { description: 'k', policy: '${var.key_policy}' } } }));
    expect(grants(unreadable)).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} ${ON_KK}`]);
    expect(unknowns(unreadable)).toEqual(['aws_kms_key.kk: the policy ${var.key_policy} is an expression that is not evaluated']);
  });

  it('follows KMS grants that include Decrypt, to named and external grantees', () => {
    const grant = (g: Json) => mk(merge(BKK, U, { aws_kms_grant: { g: { key_id: '${aws_kms_key.kk.key_id}', ...g } } }));
    expect(grants(grant({ grantee_principal: '${aws_iam_user.u.arn}', operations: ['decrypt'] }))).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | KMS grant aws_kms_grant.g ${ON_KK}`]);
    expect(grants(grant({ grantee_principal: 'arn:aws:iam::123456789012:user/u', operations: ['Encrypt', 'Decrypt'] }))).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | KMS grant aws_kms_grant.g ${ON_KK}`]);
    expect(grants(grant({ grantee_principal: '${aws_iam_user.u.arn}', operations: ['Encrypt', 'GenerateDataKey'] }))).toEqual([]);
    expect(grants(grant({ grantee_principal: 'arn:aws:iam::333333333333:role/x', operations: 'Decrypt' }))).toEqual([`arn:aws:iam::333333333333:role/x aws_s3_bucket.k decrypt | KMS grant aws_kms_grant.g ${ON_KK}`]);
    expect(grants(grant({ grantee_principal: 7, operations: ['Decrypt'] }))).toEqual([]);
    expect(grants(mk(merge(BKK, U, { aws_kms_grant: { g: { key_id: '${var.k}', grantee_principal: '${aws_iam_user.u.arn}', operations: ['Decrypt'] } } })))).toEqual([]);
  });

  it('keeps the first grant of a grantee and prefers it to the key policy', () => {
    const m = mk(
      merge(BKK, U, {
        aws_kms_key: { kk: { description: 'k', policy: policy({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }) } },
        aws_kms_grant: {
          a: { key_id: '${aws_kms_key.kk.arn}', grantee_principal: '${aws_iam_user.u.arn}', operations: ['Decrypt'] },
          b: { key_id: '${aws_kms_key.kk.arn}', grantee_principal: '${aws_iam_user.u.arn}', operations: ['Decrypt'] },
        },
      }),
    );
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | KMS grant aws_kms_grant.a ${ON_KK}`]);
  });

  it('reads a literal key ARN as a key outside the configuration, in the account the ARN names', () => {
    const lit = 'arn:aws:kms:eu-central-1:333333333333:key/abc';
    const m = (statements: Json[], provider?: Json, extra: Res = {}) => grants(mk(merge(sse(lit), up(...statements), extra), undefined, provider));
    expect(m([allow('kms:Decrypt', lit)])).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key ${lit}`]);
    expect(m([allow('kms:Decrypt', 'arn:aws:kms:eu-central-1:333333333333:key/other')])).toEqual([]);
    expect(m([allow('kms:Decrypt', lit)], { aws: [{ allowed_account_ids: ['111111111111'] }] })).toEqual([]);
    expect(m([allow('kms:Decrypt', lit)], { aws: [{ allowed_account_ids: ['333333333333'] }] })).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key ${lit}`]);
    expect(m([], undefined, { aws_kms_grant: { g: { key_id: lit, grantee_principal: '${aws_iam_user.u.arn}', operations: ['Decrypt'] } } })).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | KMS grant aws_kms_grant.g on key ${lit}`]);
    // A reference to some managed key may be this one: over-report.
    expect(m([allow('kms:Decrypt', '${aws_kms_key.other.arn}')], undefined, { aws_kms_key: { other: {} } })).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key ${lit}`]);
  });

  it('reads literal key ids and aliases', () => {
    const dec = (kid: string, resource: string) => grants(mk(merge(sse(kid), up(allow('kms:Decrypt', resource)))));
    expect(dec('abc-123', 'arn:aws:kms:eu-central-1:123456789012:key/abc-123')).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key abc-123`]);
    expect(dec('abc-123', 'arn:aws:kms:eu-central-1:123456789012:key/abc-124')).toEqual([]);
    // A key id without an account may be in any account.
    const pinned = grants(mk(merge(sse('abc-123'), up(allow('kms:Decrypt', '*'))), undefined, { aws: [{ allowed_account_ids: ['111111111111'] }] }));
    expect(pinned).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key abc-123`]);
    expect(dec('alias/custom', 'arn:aws:kms:eu-central-1:123456789012:alias/custom')).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key alias/custom`]);
    expect(dec('alias/custom', 'arn:aws:kms:eu-central-1:123456789012:key/custom')).toEqual([]);
  });

  it('lets whoever may read the store use an AWS-managed key', () => {
    const m = (kid: string, statements: Json[]) => grants(mk(merge(sse(kid), up(...statements))));
    expect(m('alias/aws/s3', [allow('s3:GetObject', '*')])).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`, `aws_iam_user.u aws_s3_bucket.k decrypt | ${P} (AWS-managed alias/aws/s3)`]);
    expect(m('arn:aws:kms:eu-central-1:111111111111:alias/aws/s3', [allow('s3:GetObject', '*')])).toEqual([
      `aws_iam_user.u aws_s3_bucket.k read | ${P}`,
      `aws_iam_user.u aws_s3_bucket.k decrypt | ${P} (AWS-managed alias/aws/s3)`,
    ]);
    expect(m('alias/aws/s3', [allow('s3:PutObject', '*'), allow('kms:Decrypt', '*')])).toEqual([`aws_iam_user.u aws_s3_bucket.k write | ${P}`]);
  });

  it('reads a data-source key by its literal key_id', () => {
    const dec = (keyId: string, resource: string) =>
      grants(mk(merge(sse('${data.aws_kms_key.d.arn}'), up(allow('kms:Decrypt', resource))), { aws_kms_key: { d: { key_id: keyId } } }));
    expect(dec('arn:aws:kms:eu-central-1:123456789012:key/abc', 'arn:aws:kms:eu-central-1:123456789012:key/abc')).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key data.aws_kms_key.d`]);
    expect(dec('arn:aws:kms:eu-central-1:123456789012:key/abc', 'arn:aws:kms:*:*:key/abd')).toEqual([]);
    expect(dec('abc', 'arn:aws:kms:*:*:key/abc')).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key data.aws_kms_key.d`]);
    expect(dec('abc', 'arn:aws:kms:*:*:key/abd')).toEqual([]);
    expect(dec('alias/x', 'arn:aws:kms:*:*:key/alias/x')).toEqual([]);
    expect(dec('alias/x', 'arn:aws:kms:*:*:key/*')).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} on key data.aws_kms_key.d`]);
  });

  it('finds the key of a parameter (key_id) and of a secret (kms_key_id), once per key', () => {
    const m = mk(
      merge(U, {
        aws_kms_key: { kk: {} },
        aws_ssm_parameter: { prm: { name: '/p', type: 'SecureString', key_id: '${aws_kms_key.kk.key_id}', tags: tags('key-store') } },
        aws_secretsmanager_secret: { sec: { name: 'hot', kms_key_id: '${aws_kms_key.kk.arn}', tags: tags('key-store') } },
        aws_iam_user_policy: { p: { user: 'u', policy: policy(allow('kms:Decrypt', '${aws_kms_key.kk.arn}')) } },
      }),
    );
    expect(grants(m)).toEqual([`aws_iam_user.u aws_ssm_parameter.prm decrypt | ${P} ${ON_KK}`, `aws_iam_user.u aws_secretsmanager_secret.sec decrypt | ${P} ${ON_KK}`]);
    const noKey = mk(merge(U, { aws_ssm_parameter: { prm: { name: '/p', type: 'SecureString', tags: tags('key-store') } } }, { aws_iam_user_policy: { p: { user: 'u', policy: policy(allow('kms:Decrypt', '*')) } } }));
    expect(grants(noKey)).toEqual([]);
  });

  it('reads an address written as the key id', () => {
    const m = mk(merge(sse('aws_kms_key.kk'), { aws_kms_key: { kk: {} } }, up(allow('kms:Decrypt', '*'))));
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | ${P} ${ON_KK}`]);
    const withPolicy = mk(merge(sse('aws_kms_key.kk'), U, { aws_kms_key: { kk: { policy: policy({ Effect: 'Allow', Principal: { AWS: '${aws_iam_user.u.arn}' }, Action: 'kms:Decrypt', Resource: '*' }) } } }));
    expect(grants(withPolicy)).toEqual([`aws_iam_user.u aws_s3_bucket.k decrypt | key policy aws_kms_key.kk ${ON_KK}`]);
  });
});

describe('role assumption', () => {
  const trust = (...statements: Json[]) => policy(...statements);
  const assume = (principal: unknown, extra: Json = {}): Json => ({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal, ...extra });
  /** Role r (trust `trustPolicy`) that may read k; user u with `userStatements`; user w. */
  const roles = (trustPolicy: unknown, userStatements: Json[] = [], extra: Res = {}, data?: Res, provider?: Json) =>
    mk(
      merge(
        BK,
        U,
        { aws_iam_user: { w: { name: 'w' } } },
        { aws_iam_role: { r: { name: 'r', assume_role_policy: trustPolicy } }, aws_iam_role_policy: { rp: { role: 'r', policy: policy(allow('s3:GetObject', '*')) } } },
        userStatements.length ? { aws_iam_user_policy: { p: { user: 'u', policy: policy(...userStatements) } } } : {},
        extra,
      ),
      data,
      provider,
    );
  const R = 'aws_iam_role.r aws_s3_bucket.k read | inline policy aws_iam_role_policy.rp';
  const U_VIA = (via: string) => `aws_iam_user.u aws_s3_bucket.k read | ${via} → inline policy aws_iam_role_policy.rp`;
  const W_VIA = (via: string) => `aws_iam_user.w aws_s3_bucket.k read | ${via} → inline policy aws_iam_role_policy.rp`;
  const CALLER = { aws_caller_identity: { me: {} } };
  const ROOT = { AWS: 'arn:aws:iam::${data.aws_caller_identity.me.account_id}:root' };

  it('lets the principals a trust policy names assume the role', () => {
    expect(grants(roles(trust(assume({ AWS: '${aws_iam_user.u.arn}' }))))).toEqual([U_VIA('assumes aws_iam_role.r'), R]);
    expect(grants(roles(trust(assume({ AWS: 'arn:aws:iam::123456789012:user/w' }))))).toEqual([W_VIA('assumes aws_iam_role.r'), R]);
    expect(grants(roles(trust({ ...assume({ AWS: '${aws_iam_user.u.arn}' }), Action: 'sts:TagSession' })))).toEqual([R]);
    expect(grants(roles(trust({ ...assume({ AWS: '${aws_iam_user.u.arn}' }), Effect: 'Deny' })))).toEqual([R]);
    expect(grants(roles(trust(assume({ Service: 'ec2.amazonaws.com' }))))).toEqual([R]);
  });

  it('honours principal conditions and denies in the trust policy', () => {
    const both = { AWS: ['${aws_iam_user.u.arn}', '${aws_iam_user.w.arn}'] };
    expect(grants(roles(trust(assume(both, { Condition: { ArnEquals: { 'aws:PrincipalArn': '${aws_iam_user.w.arn}' } } }))))).toEqual([W_VIA('assumes aws_iam_role.r'), R]);
    expect(grants(roles(trust(assume(both), { Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { AWS: '${aws_iam_user.u.arn}' } })))).toEqual([W_VIA('assumes aws_iam_role.r'), R]);
    expect(grants(roles(trust(assume(both), { Effect: 'Deny', Action: 'sts:TagSession', Principal: { AWS: '${aws_iam_user.u.arn}' } })))).toEqual([
      U_VIA('assumes aws_iam_role.r'),
      W_VIA('assumes aws_iam_role.r'),
      R,
    ]);
  });

  it('for a trust in the account, needs sts:AssumeRole on the role in the principal’s own policy', () => {
    const open = (userStatements: Json[], extra: Res = {}) => grants(roles(trust(assume(ROOT)), userStatements, extra, CALLER));
    const VIA = `assumes aws_iam_role.r (${P})`;
    expect(open([])).toEqual([R]);
    expect(open([allow('sts:AssumeRole', '${aws_iam_role.r.arn}')])).toEqual([U_VIA(VIA), R]);
    expect(open([allow('sts:AssumeRole', 'arn:aws:iam::123456789012:role/r')])).toEqual([U_VIA(VIA), R]);
    // Role r has the default path `/`: an ARN with another path names another role.
    expect(open([allow('sts:AssumeRole', 'arn:aws:iam::123456789012:role/team/r')])).toEqual([R]);
    expect(open([allow('sts:AssumeRole', 'arn:aws:iam::123456789012:role/q')])).toEqual([R]);
    expect(open([allow('sts:AssumeRole', 'arn:aws:iam::*:role/r*')])).toEqual([U_VIA(VIA), R]);
    // With the account unpinned the role's ARN has `*` for it, and any trailing glob may match.
    expect(open([allow('sts:AssumeRole', 'arn:aws:iam::*:role/q*')])).toEqual([U_VIA(VIA), R]);
    const pinned = (resource: string) => grants(roles(trust(assume(ROOT)), [allow('sts:AssumeRole', resource)], {}, CALLER, { aws: [{ allowed_account_ids: ['111111111111'] }] }));
    expect(pinned('arn:aws:iam::*:role/q*')).toEqual([R]);
    expect(pinned('arn:aws:iam::*:role/r*')).toEqual([U_VIA(VIA), R]);
    expect(pinned('arn:aws:iam::222222222222:role/r')).toEqual([R]);
    expect(pinned('arn:aws:iam::111111111111:role/r')).toEqual([U_VIA(VIA), R]);
    expect(open([allow('sts:AssumeRole', 'arn:aws:iam::*:role/${aws_iam_role.r.name}')])).toEqual([U_VIA(VIA), R]);
    expect(open([allow('sts:AssumeRole', '${var.role_arn}')])).toEqual([U_VIA(VIA), R]);
    expect(open([allow('sts:AssumeRole', '${aws_s3_bucket.k.arn}')])).toEqual([R]);
    expect(open([{ Effect: 'Allow', Action: 'sts:AssumeRole', NotResource: 'arn:aws:iam::*:role/q' }])).toEqual([U_VIA(VIA), R]);
    expect(open([allow('sts:*', '*')])).toEqual([U_VIA(VIA), R]);
    expect(open([allow('sts:AssumeRole', '*'), deny('sts:AssumeRole', '${aws_iam_role.r.arn}')])).toEqual([R]);
    expect(open([allow('sts:AssumeRole', '*'), deny('sts:AssumeRole', 'arn:aws:iam::*:role/q')])).toEqual([U_VIA(VIA), R]);
  });

  it('puts a role’s literal path into its ARN', () => {
    const withPath = (path: string, resource: string) =>
      grants(mk(merge(BK, U, { aws_iam_role: { r: { name: 'r', path, assume_role_policy: trust(assume(ROOT)) } }, aws_iam_role_policy: { rp: { role: 'r', policy: policy(allow('s3:GetObject', '*')) } }, aws_iam_user_policy: { p: { user: 'u', policy: policy(allow('sts:AssumeRole', resource)) } } }), CALLER));
    const VIA = `assumes aws_iam_role.r (${P})`;
    expect(withPath('/team/', 'arn:aws:iam::123456789012:role/team/r')).toEqual([U_VIA(VIA), R]);
    expect(withPath('/team/', 'arn:aws:iam::123456789012:role/r')).toEqual([R]);
    expect(withPath('/', 'arn:aws:iam::123456789012:role/r')).toEqual([U_VIA(VIA), R]);
    expect(withPath('${var.path}', 'arn:aws:iam::123456789012:role/team/r')).toEqual([U_VIA(VIA), R]);
  });

  it('takes the via of the first identity statement that matches the role', () => {
    const m = grants(
      roles(trust(assume(ROOT)), [], { aws_iam_user_policy: { a: { user: 'u', policy: policy(allow('sts:AssumeRole', 'arn:aws:iam::*:role/q')) }, b: { user: 'u', policy: policy(allow('sts:AssumeRole', '${aws_iam_role.r.arn}')) } } }, CALLER),
    );
    expect(m).toEqual([U_VIA('assumes aws_iam_role.r (inline policy aws_iam_user_policy.b)'), R]);
  });

  it('reads the role names of every sts:AssumeRole statement', () => {
    const m = grants(
      roles(trust(assume(ROOT)), [], { aws_iam_user_policy: { a: { user: 'u', policy: policy(allow('sts:AssumeRole', 'arn:aws:iam::1:role/q'), allow('sts:AssumeRole', ['arn:aws:iam::1:role/x', '${aws_iam_role.r.arn}'])) } } }, CALLER),
    );
    expect(m).toEqual([U_VIA('assumes aws_iam_role.r (inline policy aws_iam_user_policy.a)'), R]);
  });

  it('admits by account: the trusted account, or any when it is not pinned', () => {
    const TWO = { aws: [{ allowed_account_ids: ['111111111111'] }, { alias: 'b', allowed_account_ids: ['222222222222'] }] };
    const cross = (principal: unknown, userProvider: string) =>
      grants(
        mk(
          merge(BK, {
            aws_iam_user: { u: { name: 'u', provider: userProvider } },
            aws_iam_user_policy: { p: { user: '${aws_iam_user.u.name}', policy: policy(allow('sts:AssumeRole', '*')) } },
            aws_iam_role: { r: { name: 'r', assume_role_policy: trust(assume(principal)) } },
            aws_iam_role_policy: { rp: { role: 'r', policy: policy(allow('s3:GetObject', '*')) } },
          }),
          undefined,
          TWO,
        ),
      );
    const VIA = `assumes aws_iam_role.r (${P})`;
    expect(cross({ AWS: '111111111111' }, 'aws')).toEqual([U_VIA(VIA), R]);
    expect(cross({ AWS: '222222222222' }, 'aws.b')).toEqual([U_VIA(VIA), R]);
    expect(cross({ AWS: '111111111111' }, 'aws.b')).toEqual([R]);
    expect(cross({ AWS: 'arn:aws:iam::${var.a}:root' }, 'aws.b')).toEqual([U_VIA(VIA), R]);
    expect(cross({ AWS: '*' }, 'aws.b')).toEqual([U_VIA(VIA), R]);
    expect(cross('*', 'aws.b')).toEqual([U_VIA(VIA), R]);
  });

  it('narrows an open trust by its principal conditions and denies', () => {
    const both = [allow('sts:AssumeRole', '*')];
    const extra: Res = { aws_iam_user_policy: { p: { user: 'u', policy: policy(...both) }, q: { user: 'w', policy: policy(...both) } } };
    const VIA_U = `assumes aws_iam_role.r (${P})`;
    const VIA_W = 'assumes aws_iam_role.r (inline policy aws_iam_user_policy.q)';
    expect(grants(roles(trust(assume(ROOT)), [], extra, CALLER))).toEqual([U_VIA(VIA_U), W_VIA(VIA_W), R]);
    expect(grants(roles(trust(assume(ROOT, { Condition: { ArnLike: { 'aws:PrincipalArn': '${aws_iam_user.w.arn}' } } })), [], extra, CALLER))).toEqual([W_VIA(VIA_W), R]);
    expect(
      grants(roles(trust(assume(ROOT), { Effect: 'Deny', Action: 'sts:AssumeRole', Principal: '*', Condition: { ArnNotEquals: { 'aws:PrincipalArn': '${aws_iam_user.u.arn}' } } }), [], extra, CALLER)),
    ).toEqual([U_VIA(VIA_U), R]);
  });

  it('lets anyone allowed sts:AssumeRole in when the trust policy cannot be read, ignoring what it guesses', () => {
    const m = roles('{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "${aws_iam_user.w.arn}"}}', [allow('sts:AssumeRole', '${aws_iam_role.r.arn}')]);
    expect(grants(m)).toEqual([U_VIA(`assumes aws_iam_role.r (${P})`), R]);
    expect(unknowns(m)).toEqual(['aws_iam_role.r: the policy JSON does not parse; read conservatively']);
    expect(grants(roles(42, [allow('sts:AssumeRole', '${aws_iam_role.r.arn}')]))).toEqual([U_VIA(`assumes aws_iam_role.r (${P})`), R]);
    expect(grants(roles(undefined, [allow('sts:AssumeRole', '${aws_iam_role.r.arn}')]))).toEqual([R]);
  });

  it('does not let a role assume itself, and follows the shortest chain', () => {
    const m = mk(
      merge(BK, U, {
        aws_iam_role: {
          a: { name: 'a', assume_role_policy: trust(assume({ AWS: ['${aws_iam_user.u.arn}', '${aws_iam_role.a.arn}', '${aws_iam_role.c.arn}'] })) },
          b: { name: 'b', assume_role_policy: trust(assume({ AWS: ['${aws_iam_role.a.arn}', '${aws_iam_user.u.arn}'] })) },
          c: { name: 'c', assume_role_policy: trust(assume({ AWS: ['${aws_iam_role.b.arn}'] })) },
        },
        aws_iam_role_policy: { bp: { role: 'b', policy: policy(allow('s3:GetObject', '*')) } },
      }),
    );
    expect(grants(m)).toEqual([
      'aws_iam_user.u aws_s3_bucket.k read | assumes aws_iam_role.b → inline policy aws_iam_role_policy.bp',
      'aws_iam_role.a aws_s3_bucket.k read | assumes aws_iam_role.b → inline policy aws_iam_role_policy.bp',
      'aws_iam_role.b aws_s3_bucket.k read | inline policy aws_iam_role_policy.bp',
      'aws_iam_role.c aws_s3_bucket.k read | assumes aws_iam_role.a → assumes aws_iam_role.b → inline policy aws_iam_role_policy.bp',
    ]);
  });

  it('keeps its own direct access over the same access through a role', () => {
    const m = grants(roles(trust(assume({ AWS: '${aws_iam_user.u.arn}' })), [allow('s3:GetObject', '*'), allow('s3:PutObject', '*')]));
    expect(m).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`, `aws_iam_user.u aws_s3_bucket.k write | ${P}`, R]);
  });

  it('names the stack of a role in another stack', () => {
    const m = buildModel([
      loadTerraformJson('a', { provider: PROVIDER, resource: merge(BK, U, { aws_iam_role: { q: { name: 'q', assume_role_policy: trust(assume({ AWS: '${aws_iam_user.u.arn}' })) } }, aws_iam_role_policy: { qp: { role: 'q', policy: policy(allow('s3:PutObject', '*')) } } }) }),
      loadTerraformJson('b', {
        provider: PROVIDER,
        resource: { aws_iam_role: { r: { name: 'r', assume_role_policy: trust(assume({ AWS: 'arn:aws:iam::123456789012:user/u' })) } }, aws_iam_role_policy: { rp: { role: 'r', policy: policy(allow('s3:GetObject', '*')) } } },
      }),
    ]);
    expect(m.grants.filter((g) => g.principal === 'a\u0000aws_iam_user.u').map((g) => `${g.access} ${g.via}`)).toEqual([
      'write assumes aws_iam_role.q → inline policy aws_iam_role_policy.qp',
      'read assumes aws_iam_role.r (stack b) → inline policy aws_iam_role_policy.rp',
    ]);
  });
});

describe('odds and ends', () => {
  it('reads neither trust nor policies of a data-source role', () => {
    const m = mk(
      merge(BK, U),
      {
        aws_iam_role: {
          d: {
            name: 'd',
            assume_role_policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '${aws_iam_user.u.arn}' } }),
            inline_policy: [{ name: 'x', policy: policy(allow('s3:GetObject', '*')) }],
            managed_policy_arns: ['arn:aws:iam::aws:policy/AmazonS3FullAccess'],
          },
        },
      },
    );
    expect(grants(m)).toEqual([]);
    const withPolicy = mk(merge(BK, U, { aws_iam_role_policy: { rp: { role: '${data.aws_iam_role.d.name}', policy: policy(allow('s3:GetObject', '*')) } } }), {
      aws_iam_role: { d: { name: 'd', assume_role_policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '${aws_iam_user.u.arn}' } }) } },
    });
    expect(grants(withPolicy)).toEqual(['data.aws_iam_role.d aws_s3_bucket.k read | inline policy aws_iam_role_policy.rp']);
  });

  it('looks a literal user name up in the owner’s account only', () => {
    const TWO = { aws: [{ allowed_account_ids: ['111111111111'] }, { alias: 'b', allowed_account_ids: ['222222222222'] }] };
    const m = mk(merge(BK, { aws_iam_user: { u: { name: 'u', provider: 'aws.b' } }, aws_iam_user_policy: { p: { user: 'u', policy: policy(allow('s3:GetObject', '*')) } } }), undefined, TWO);
    expect(grants(m)).toEqual([`arn:aws:iam::111111111111:user/u aws_s3_bucket.k read | ${P}`]);
    const same = mk(merge(BK, { aws_iam_user: { u: { name: 'u', provider: 'aws.b' } }, aws_iam_user_policy: { p: { user: 'u', provider: 'aws.b', policy: policy(allow('s3:GetObject', '*')) } } }), undefined, TWO);
    expect(grants(same)).toEqual([]);
    expect(blocked(same)).toEqual([]);
  });

  it('admits by aws:PrincipalAccount on an Allow', () => {
    const pinned = { aws: [{ allowed_account_ids: ['111111111111'] }] };
    const open = (account: string) => grants(bp([get('*', { Condition: { StringEquals: { 'aws:PrincipalAccount': account } } })], [], {}, undefined, pinned));
    expect(open('111111111111')).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${BP}`, `aws_iam_user.w aws_s3_bucket.k read | ${BP}`]);
    expect(open('222222222222')).toEqual([]);
  });

  it('does not register principals while reading a condition', () => {
    const m = bp([get('*', { Condition: { ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::333333333333:root', 'arn:aws:iam::333333333333:role/x', '444444444444'] } } })]);
    expect(ids(m)).toEqual(['s/aws_iam_user.u', 's/aws_iam_user.w']);
    expect(grants(m)).toEqual([]);
  });

  it('labels policies and keys of another stack with the stack', () => {
    const m = buildModel([
      loadTerraformJson('a', {
        provider: PROVIDER,
        resource: { aws_iam_policy: { c: { name: 'cust', policy: policy(allow(['s3:GetObject', 'kms:Decrypt'], '*')) } }, aws_kms_key: { kk: {} } },
        output: { 'cross-stack-output-aws_iam_policycarn': { value: '${aws_iam_policy.c.arn}' }, 'cross-stack-output-aws_kms_keykkarn': { value: '${aws_kms_key.kk.arn}' } },
      }),
      loadTerraformJson('b', {
        provider: PROVIDER,
        resource: merge(sse('${data.terraform_remote_state.cross-stack-reference-input-a.outputs.cross-stack-output-aws_kms_keykkarn}'), U, {
          aws_iam_user_policy_attachment: {
            a: { user: 'u', policy_arn: '${data.terraform_remote_state.cross-stack-reference-input-a.outputs.cross-stack-output-aws_iam_policycarn}' },
            l: { user: 'u', policy_arn: '${aws_iam_policy.l.arn}' },
          },
          aws_iam_policy: { l: { name: 'local', policy: policy(allow('s3:PutObject', '*')) } },
        }),
        data: { terraform_remote_state: { 'cross-stack-reference-input-a': { backend: 'local', config: { path: 'x' } } } },
      }),
    ]);
    expect(m.grants.map((g) => `${g.access} ${g.via}`)).toEqual([
      'read policy aws_iam_policy.c (stack a) (cust)',
      'write policy aws_iam_policy.l (local)',
      'decrypt policy aws_iam_policy.c (stack a) (cust) on key aws_kms_key.kk (stack a)',
    ]);
  });
});

describe('role ARNs from references', () => {
  const CALLER = { aws_caller_identity: { me: {} } };
  const withRole = (statements: Json[]) =>
    grants(
      mk(
        merge(BK, U, {
          aws_iam_role: { r: { name: 'r', assume_role_policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: 'arn:aws:iam::${data.aws_caller_identity.me.account_id}:root' } }) } },
          aws_iam_role_policy: { rp: { role: 'r', policy: policy(allow('s3:GetObject', '*')) } },
          aws_iam_user_policy: { p: { user: 'u', policy: policy(...statements) } },
        }),
        CALLER,
      ),
    );
  const R = 'aws_iam_role.r aws_s3_bucket.k read | inline policy aws_iam_role_policy.rp';
  const UR = `aws_iam_user.u aws_s3_bucket.k read | assumes aws_iam_role.r (${P}) → inline policy aws_iam_role_policy.rp`;

  it('reads name, id and arn of a role, a unique id as an opaque token, other attributes as *', () => {
    expect(withRole([allow('sts:AssumeRole', 'arn:aws:iam::*:role/${aws_iam_role.r.id}')])).toEqual([UR, R]);
    expect(withRole([allow('sts:AssumeRole', 'arn:aws:iam::*:role/${aws_iam_role.r.unique_id}')])).toEqual([R]);
    expect(withRole([allow('sts:AssumeRole', 'arn:aws:iam::*:role/${aws_iam_role.r.create_date}')])).toEqual([UR, R]);
    const denied = (resource: string) => withRole([allow('sts:AssumeRole', '*'), deny('sts:AssumeRole', resource)]);
    expect(denied('${aws_iam_role.r.arn}')).toEqual([R]);
    expect(denied('arn:aws:iam::*:role/${aws_iam_role.r.name}')).toEqual([R]);
    expect(denied('arn:aws:iam::*:role/${aws_iam_role.r.id}')).toEqual([R]);
    expect(denied('arn:aws:iam::*:role/${aws_iam_role.r.unique_id}')).toEqual([UR, R]);
    expect(denied('arn:aws:iam::*:role/${aws_iam_role.r.create_date}')).toEqual([UR, R]);
  });

  it('takes any role for a literal ? glob, and none for an ARN that is not a role', () => {
    expect(withRole([allow('sts:AssumeRole', 'arn:aws:iam::123456789012:role/?')])).toEqual([UR, R]);
    expect(withRole([allow('sts:AssumeRole', 'arn:aws:iam::123456789012:user/r')])).toEqual([R]);
  });
});

describe('principal identifiers that name nothing it knows', () => {
  it('registers each as an external principal', () => {
    const m = bp([get({ AWS: ['12345678901', '${data.aws_caller_identity.me.arn}', 'arn:aws:iam::123456789012:group/g'] })], [], {}, { aws_caller_identity: { me: {} } });
    expect(ids(m).slice(2)).toEqual(['external:12345678901', 'external:${data.aws_caller_identity.me.arn}@s', 'external:arn:aws:iam::123456789012:group/g']);
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
