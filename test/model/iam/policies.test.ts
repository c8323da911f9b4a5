/** Reading policies: documents, jsonencode, approximations, unknowns, and the actions a statement matches. */
import { describe, expect, it } from 'vitest';
import { BK, P, S3FULL, U, USER, accessOf, accessU, allow, byStore, deny, grantLines as grants, merge, mk, model, oneStack, policy, tags, unknownLines as unknowns, up, viaOf, type Json, type Res } from '../../fixtures/iam/fixtures';

const KEYS = 'aws_s3_bucket.keys';
const DB = 'aws_s3_bucket.db';
const OPS = 'aws_iam_user.ops';

/** Bucket k encrypted with key kk. */
const BKK: Res = {
  aws_s3_bucket: { k: { bucket: 'kb', tags: tags('key-backup') } },
  aws_kms_key: { kk: { description: 'k' } },
  aws_s3_bucket_server_side_encryption_configuration: {
    k: { bucket: '${aws_s3_bucket.k.id}', rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.kk.arn}' } }] },
  },
};

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

describe('statements: Action, NotAction, NotResource', () => {
  it('reads an action it cannot resolve as any action on the allow side and none on the deny side', () => {
    expect(byStore(mk(merge(BKK, up(allow('${var.action}', '*')))))).toEqual({ 'aws_s3_bucket.k': [...S3FULL, 'decrypt'] });
    expect(byStore(mk(merge(BKK, up(allow('s3:*', '*'), deny('${var.action}', '*')))))).toEqual({ 'aws_s3_bucket.k': S3FULL });
  });

  it('matches actions case-insensitively', () => {
    expect(accessU(mk(merge(BK, up(allow('S3:GETOBJECT', '*')))))).toEqual(['read']);
    // s3:ReplicateObject still writes.
    expect(accessU(mk(merge(BK, up(allow('s3:*', '*'), deny('S3:PUT*', '*')))))).toEqual(['read', 'delete', 'admin', 'write']);
  });

  it('allows everything but NotAction, ignoring the parts it cannot read', () => {
    // s3:PutReplicationConfiguration reads.
    expect(byStore(mk(merge(BKK, up({ Effect: 'Allow', NotAction: ['s3:Get*', '${var.x}'], Resource: '*' }))))).toEqual({ 'aws_s3_bucket.k': ['write', 'delete', 'admin', 'read', 'decrypt'] });
    expect(byStore(mk(merge(BKK, up({ Effect: 'Allow', NotAction: ['S3:*', 'KMS:*'], Resource: '*' }))))).toEqual({});
  });

  it('denies everything but NotAction, and nothing when NotAction cannot be read', () => {
    expect(accessU(mk(merge(BK, up(allow('s3:*', '*'), { Effect: 'Deny', NotAction: ['s3:PutObject'], Resource: '*' }))))).toEqual(['write']);
    expect(accessU(mk(merge(BK, up(allow('s3:*', '*'), { Effect: 'Deny', NotAction: ['s3:Put*'], Resource: '*' }))))).toEqual(['write', 'admin', 'read']);
    expect(accessU(mk(merge(BK, up(allow('s3:*', '*'), { Effect: 'Deny', NotAction: ['s3:Put*', '${var.x}'], Resource: '*' }))))).toEqual(S3FULL);
  });

  it('reads NotResource the allow way (must not cover the store) and the deny way (must not touch it)', () => {
    const a = (notResource: string[]) => accessU(mk(merge(BK, up({ Effect: 'Allow', Action: 's3:GetObject', NotResource: notResource }))));
    expect(a(['arn:aws:s3:::kb/*'])).toEqual([]);
    expect(a(['arn:aws:s3:::k*'])).toEqual([]);
    expect(a(['*'])).toEqual([]);
    expect(a(['arn:aws:s3:::kb/secret/*'])).toEqual(['read']);
    expect(a(['${var.x}'])).toEqual(['read']);
    expect(a(['arn:aws:s3:::other/*', 'arn:aws:s3:::kb/*'])).toEqual([]);
    expect(a([])).toEqual(['read']);
    const d = (notResource: string[]) => accessU(mk(merge(BK, up(allow('s3:GetObject', '*'), { Effect: 'Deny', Action: 's3:GetObject', NotResource: notResource }))));
    expect(d(['arn:aws:s3:::other/*'])).toEqual([]);
    expect(d(['arn:aws:s3:::k*'])).toEqual(['read']);
    expect(d(['arn:aws:s3:::kb/secret/*'])).toEqual(['read']);
    expect(d(['${var.x}'])).toEqual(['read']);
    expect(d(['*'])).toEqual(['read']);
  });

  it('applies a statement without Resource or NotResource to every store', () => {
    expect(accessU(mk(merge(BK, up({ Effect: 'Allow', Action: 's3:GetObject' }))))).toEqual(['read']);
    expect(accessU(mk(merge(BK, up(allow('s3:GetObject', '*'), { Effect: 'Deny', Action: 's3:GetObject' }))))).toEqual([]);
  });

  it('needs every resource of a deny to be pinned down, one covering resource is enough', () => {
    expect(accessU(mk(merge(BK, up(allow('s3:GetObject', '*'), deny('s3:GetObject', ['${var.x}', 'arn:aws:s3:::kb/*'])))))).toEqual([]);
    expect(accessU(mk(merge(BK, up(allow('s3:GetObject', '*'), deny('s3:GetObject', ['${var.x}', 'arn:aws:s3:::kc/*'])))))).toEqual(['read']);
  });

  it('ignores an identity deny with a condition and applies one without', () => {
    const cond = { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'x' } } };
    expect(accessU(mk(merge(BK, up(allow('s3:GetObject', '*'), deny('s3:GetObject', '*', cond)))))).toEqual(['read']);
    expect(accessU(mk(merge(BK, up(allow('s3:GetObject', '*'), deny('s3:GetObject', '*')))))).toEqual([]);
  });

  it('does not need a condition-free allow: identity allows keep their conditions', () => {
    const cond = { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'x' } } };
    expect(grants(mk(merge(BK, up(allow('s3:GetObject', '*', cond)))))).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
  });
});

describe('reading policies', () => {
  const withPolicy = (value: unknown, extra: Res = {}, data?: Res) => mk(merge(BK, U, extra, { aws_iam_user_policy: { p: { user: 'u', policy: value } } }), data);

  it('reads a policy given as an object', () => {
    const m = withPolicy({ Statement: [allow('s3:GetObject', '*')] });
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
    expect(unknowns(m)).toEqual([]);
  });

  it('reads nothing from a missing or non-string policy', () => {
    expect(grants(withPolicy(null))).toEqual([]);
    expect(unknowns(withPolicy(null))).toEqual([]);
    expect(grants(withPolicy(42))).toEqual([]);
  });

  it('follows every source and override of a policy document', () => {
    const doc = (over: Json): Res => ({ aws_iam_policy_document: { d: { statement: [{ actions: ['s3:GetObject'], resources: ['*'] }], ...over }, e: { statement: { actions: ['s3:PutObject'], resources: ['*'] } } } });
    for (const attr of ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json']) {
      const m = withPolicy('${data.aws_iam_policy_document.d.json}', {}, doc({ [attr]: ['${data.aws_iam_policy_document.e.json}'] }));
      expect(accessU(m), attr).toEqual(['read', 'write']);
    }
    expect(accessU(withPolicy('${data.aws_iam_policy_document.d.json}', {}, doc({ other_json: ['${data.aws_iam_policy_document.e.json}'] })))).toEqual(['read']);
  });

  it('stops following policy documents more than six levels deep', () => {
    const chain = (n: number): Res => {
      const docs: Json = {};
      for (let i = 0; i < n; i++) docs[`d${i}`] = { statement: [{ actions: [`s3:${i === n - 1 ? 'PutObject' : 'GetObject'}`], resources: ['*'] }], source_policy_documents: i < n - 1 ? [`\${data.aws_iam_policy_document.d${i + 1}.json}`] : [] };
      return { aws_iam_policy_document: docs };
    };
    const seven = withPolicy('${data.aws_iam_policy_document.d0.json}', {}, chain(7));
    expect(accessU(seven)).toEqual(['read', 'write']);
    expect(unknowns(seven)).toEqual([]);
    const eight = withPolicy('${data.aws_iam_policy_document.d0.json}', {}, chain(8));
    expect(accessU(eight)).toEqual(['read']);
    expect(unknowns(eight)).toEqual(['data.aws_iam_policy_document.d6: policy references nest too deeply']);
  });

  it('reads a policy JSON that does not parse conservatively', () => {
    const m = withPolicy('{"Statement": [{"Action": "s3:GetObject", "Resource": "${aws_s3_bucket.k.arn}/*"}');
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P} (read conservatively)`]);
    expect(unknowns(m)).toEqual(['aws_iam_user_policy.p: the policy JSON does not parse; read conservatively']);
  });

  it('reports a policy reference that is not in the configuration or only known after apply', () => {
    const missing = withPolicy('${data.aws_iam_policy_document.missing.json}');
    expect(grants(missing)).toEqual([]);
    expect(unknowns(missing)).toEqual(['aws_iam_user_policy.p: the policy comes from ${data.aws_iam_policy_document.missing.json}, which is not in the configuration']);
    const later = withPolicy('${aws_iam_policy.x.arn}', { aws_iam_policy: { x: { name: 'x', policy: policy(allow('s3:*', '*')) } } });
    expect(grants(later)).toEqual([]);
    expect(unknowns(later)).toEqual(['aws_iam_user_policy.p: the policy comes from ${aws_iam_policy.x.arn}, which is only known after apply']);
  });

  it('follows a reference to another resource’s policy attribute', () => {
    const m = withPolicy('${aws_iam_policy.x.policy}', { aws_iam_policy: { x: { name: 'x', policy: policy(allow('s3:GetObject', '*')) } } });
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
    expect(unknowns(m)).toEqual([]);
  });

  it('follows a data.aws_iam_policy to an AWS-managed or customer policy', () => {
    const managed = withPolicy('${data.aws_iam_policy.m.policy}', {}, { aws_iam_policy: { m: { arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' } } });
    expect(grants(managed)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
    const cust = { aws_iam_policy: { c: { name: 'cust', policy: policy(allow('s3:PutObject', '*')) } } };
    const byName = withPolicy('${data.aws_iam_policy.m.policy}', cust, { aws_iam_policy: { m: { name: 'cust' } } });
    expect(grants(byName)).toEqual([`aws_iam_user.u aws_s3_bucket.k write | ${P}`]);
    const byArn = withPolicy('${data.aws_iam_policy.m.policy}', cust, { aws_iam_policy: { m: { arn: 'arn:aws:iam::123456789012:policy/cust' } } });
    expect(grants(byArn)).toEqual([`aws_iam_user.u aws_s3_bucket.k write | ${P}`]);
    const outside = withPolicy('${data.aws_iam_policy.m.policy}', cust, { aws_iam_policy: { m: { name: 'elsewhere' } } });
    expect(grants(outside)).toEqual([]);
    expect(unknowns(outside)).toEqual(['aws_iam_user_policy.p: data.aws_iam_policy.m names a policy outside the configuration']);
    const nothing = withPolicy('${data.aws_iam_policy.m.policy}', cust, { aws_iam_policy: { m: {} } });
    expect(unknowns(nothing)).toEqual(['aws_iam_user_policy.p: data.aws_iam_policy.m names a policy outside the configuration']);
  });

  it('does not index data sources or unnamed policies as customer policies', () => {
    const m = withPolicy('${data.aws_iam_policy.m.policy}', { aws_iam_policy: { c: { name: '${var.n}', policy: policy(allow('s3:*', '*')) } } }, { aws_iam_policy: { m: { name: 'cust' }, other: { name: 'cust', policy: policy(allow('s3:*', '*')) } } });
    expect(grants(m)).toEqual([]);
    expect(unknowns(m)).toEqual(['aws_iam_user_policy.p: data.aws_iam_policy.m names a policy outside the configuration']);
  });

  it('reads an expression conservatively: the actions and resources it names', () => {
    const m = withPolicy('${jsonencode(merge(local.base, {Statement = [{Action = "s3:PutObject", Resource = "arn:aws:s3:::kb/*"}]}))}');
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k write | ${P} (read conservatively)`]);
    const other = withPolicy('${jsonencode(merge(local.base, {Statement = [{Action = "s3:PutObject", Resource = "arn:aws:s3:::kc/*"}]}))}');
    expect(grants(other)).toEqual([]);
    const star = withPolicy('${jsonencode(merge(local.base, {Statement = [{Action = "*", Resource = "*"}]}))}');
    expect(accessU(star)).toEqual(S3FULL);
    const noResource = withPolicy('${jsonencode(merge(local.base, {Statement = [{Action = ["s3:DeleteObject"]}]}))}');
    expect(accessU(noResource)).toEqual(['delete']);
    const json = withPolicy('{"Statement": [{"Action": ["*"], "Resource": ["*"]}');
    expect(accessU(json)).toEqual(S3FULL);
    const ref = withPolicy('${jsonencode(merge(local.base, {Statement = [{Action = "s3:GetObject", Resource = "${aws_s3_bucket.j.arn}/*"}]}))}', { aws_s3_bucket: { j: { bucket: 'jb' } } });
    expect(accessU(ref)).toEqual([]);
    const dataRef = withPolicy('${jsonencode(merge(local.base, {Statement = [{Action = "s3:GetObject", Resource = "${data.aws_s3_bucket.d.arn}"}]}))}', {}, { aws_s3_bucket: { d: { bucket: 'kb' } } });
    expect(accessU(dataRef)).toEqual(['read']);
  });

  it('keeps a reference an unparsed policy names, whatever its attribute', () => {
    const m = withPolicy('{"Statement": [{"Action": "s3:GetObject", "Resource": "${aws_s3_bucket.j.website_endpoint}"}', { aws_s3_bucket: { j: { bucket: 'jb' } } });
    expect(grants(m)).toEqual([]);
    const own = withPolicy('{"Statement": [{"Action": "s3:GetObject", "Resource": "${aws_s3_bucket.k.region}"}');
    expect(grants(own)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P} (read conservatively)`]);
    expect(unknowns(m)).toEqual(['aws_iam_user_policy.p: the policy JSON does not parse; read conservatively']);
  });

  it('reads only the custody services out of an expression', () => {
    const v = '${jsonencode(merge(local.base, {Statement = [{Action = ["xs3:GetObject", "ec2:*", "s3-object-lambda:GetObject"], Resource = "*"}]}))}';
    const m = withPolicy(v);
    expect(accessU(m)).toEqual([]);
    expect(unknowns(m)).toEqual([`aws_iam_user_policy.p: the policy ${v.slice(0, 77)}... is an expression that is not evaluated; read conservatively`]);
  });

  it('records an expression with no custody action without reading it', () => {
    const m = withPolicy('${jsonencode(merge(local.base, {Statement = [{Action = "ec2:*"}]}))}');
    expect(grants(m)).toEqual([]);
    expect(unknowns(m)).toEqual(['aws_iam_user_policy.p: the policy ${jsonencode(merge(local.base, {Statement = [{Action = "ec2:*"}]}))} is an expression that is not evaluated']);
  });

  it('shows an expression of 80 characters whole and cuts a longer one to 77 and "..."', () => {
    const of = (n: number) => '${var.' + 'x'.repeat(n - 7) + '}';
    expect(of(80)).toHaveLength(80);
    expect(unknowns(withPolicy(of(80)))).toEqual([`aws_iam_user_policy.p: the policy ${of(80)} is an expression that is not evaluated`]);
    expect(unknowns(withPolicy(of(81)))).toEqual([`aws_iam_user_policy.p: the policy ${of(81).slice(0, 77)}... is an expression that is not evaluated`]);
    const expr = (n: number) => '${merge(' + 'y'.repeat(n - 10) + ')}';
    expect(expr(80)).toHaveLength(80);
    expect(unknowns(withPolicy(expr(80)))).toEqual([`aws_iam_user_policy.p: the policy ${expr(80)} is an expression that is not evaluated`]);
    expect(unknowns(withPolicy(expr(81)))).toEqual([`aws_iam_user_policy.p: the policy ${expr(81).slice(0, 77)}... is an expression that is not evaluated`]);
  });

  it('reads a star resource next to named ones in an expression', () => {
    const m = withPolicy('${jsonencode(merge(local.base, {Statement = [{Action = "s3:GetObject", Resource = "*"}, {Action = "s3:PutObject", Resource = "arn:aws:s3:::other/*"}]}))}');
    expect(accessU(m)).toEqual(['read', 'write']);
  });

  it('does not follow a reference with text around it', () => {
    const m = withPolicy('x${aws_iam_policy.x.policy}', { aws_iam_policy: { x: { name: 'x', policy: policy(allow('s3:GetObject', '*')) } } });
    expect(grants(m)).toEqual([]);
    expect(unknowns(m)).toEqual(['aws_iam_user_policy.p: the policy x${aws_iam_policy.x.policy} is an expression that is not evaluated']);
  });

  it('follows the policy attribute of a data source that is not an IAM policy', () => {
    const m = withPolicy('${data.aws_s3_bucket_policy.d.policy}', {}, { aws_s3_bucket_policy: { d: { bucket: 'kb', policy: policy(allow('s3:GetObject', '*')) } } });
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
    expect(unknowns(m)).toEqual([]);
  });

  it('follows the policy attribute of an unnamed managed policy', () => {
    const m = withPolicy('${aws_iam_policy.x.policy}', { aws_iam_policy: { x: { policy: policy(allow('s3:GetObject', '*')) } } });
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
  });

  it('parses ${jsonencode(...)} but not a jsonencode of something other than an object', () => {
    const m = withPolicy('${jsonencode({Statement = [{Effect = "Allow", Action = "s3:GetObject", Resource = "*"}]})}');
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
    expect(unknowns(m)).toEqual([]);
    expect(unknowns(withPolicy('${jsonencode("s3")}'))).toEqual(['aws_iam_user_policy.p: the policy ${jsonencode("s3")} is an expression that is not evaluated']);
    const two = withPolicy('${jsonencode({Statement = []})}${var.x}');
    expect(unknowns(two)).toEqual(['aws_iam_user_policy.p: the policy ${jsonencode({Statement = []})}${var.x} is an expression that is not evaluated']);
  });

  it('records an unreadable policy text once, for the first owner that uses it', () => {
    const m = mk(merge(BK, U, { aws_iam_user: { v: { name: 'v' } }, aws_iam_user_policy: { p: { user: 'u', policy: '${var.p}' }, q: { user: 'v', policy: '${var.p}' } } }));
    expect(unknowns(m)).toEqual(['aws_iam_user_policy.p: the policy ${var.p} is an expression that is not evaluated']);
  });
});
