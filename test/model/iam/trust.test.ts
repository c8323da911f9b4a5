/** Role assumption: trust policies, trust in an account, and role ARNs in sts:AssumeRole statements. */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../lib/model/build';
import { loadTerraformJson } from '../../../lib/model/load/cdktf-json';
import { BK, P, PROVIDER, U, allow, deny, grantLines as grants, merge, mk, policy, unknownLines as unknowns, type Json, type Res } from '../../fixtures/iam/fixtures';

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
    // With the account unpinned the role's ARN has twelve unknown digits for it, never more (issue 17).
    expect(open([allow('sts:AssumeRole', 'arn:aws:iam::*:role/q*')])).toEqual([R]);
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
