/** Principals: managed, data and external users and roles, and whom a resource policy names. */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../lib/model/build';
import { loadTerraformJson } from '../../../lib/model/load/cdktf-json';
import { BK, BP, P, PROVIDER, U, allow, blockedLines as blocked, bp, get, grantLines as grants, ids, merge, mk, policy, sse, unknownLines as unknowns, type Res } from '../../fixtures/iam/fixtures';

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

  it('registers the role a condition names by ARN, not an account root or id (issue 17)', () => {
    const m = bp([get('*', { Condition: { ArnEquals: { 'aws:PrincipalArn': ['arn:aws:iam::333333333333:root', 'arn:aws:iam::333333333333:role/x', '444444444444'] } } })]);
    expect(ids(m)).toEqual(['s/aws_iam_user.u', 's/aws_iam_user.w', 'external:arn:aws:iam::333333333333:role/x']);
    expect(grants(m)).toEqual([`arn:aws:iam::333333333333:role/x aws_s3_bucket.k read | ${BP}`]);
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

describe('principal identifiers that name nothing it knows', () => {
  it('registers each as an external principal', () => {
    const m = bp([get({ AWS: ['12345678901', '${data.aws_caller_identity.me.arn}', 'arn:aws:iam::123456789012:group/g'] })], [], {}, { aws_caller_identity: { me: {} } });
    expect(ids(m).slice(2)).toEqual(['external:12345678901', 'external:${data.aws_caller_identity.me.arn}@s', 'external:arn:aws:iam::123456789012:group/g']);
  });
});
