/**
 * lib/model/policy.ts on its own: JSON statements (single or list, Not* fields, principals,
 * conditions), aws_iam_policy_document blocks, and parsePolicy over JSON strings, objects,
 * document references (with source/override documents), aws_iam_policy references,
 * jsonencode(...) and unreadable expressions.
 */
import { describe, expect, it } from 'vitest';
import { ModelContext } from '../../lib/model/context';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';
import { parsePolicy, statementsOfDocument, statementsOfJson } from '../../lib/model/policy';

describe('statementsOfJson', () => {
  it('normalizes one statement or a list; Deny only when written Deny', () => {
    expect(statementsOfJson({ Statement: { Sid: 'A', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Principal: '*' } })).toEqual([
      {
        sid: 'A',
        effect: 'Allow',
        actions: ['s3:GetObject'],
        notActions: undefined,
        resources: ['arn:aws:s3:::b/*'],
        notResources: undefined,
        principals: [{ type: '*', ids: ['*'] }],
        notPrincipals: undefined,
        conditions: [],
      },
    ]);
    expect(statementsOfJson({ Statement: [{ Effect: 'deny', Sid: 3 }, null, 'x', { Effect: 'Deny' }] }).map((s) => [s.effect, s.sid])).toEqual([
      ['Allow', undefined],
      ['Deny', undefined],
    ]);
    expect(statementsOfJson({})).toEqual([]);
    expect(statementsOfJson(null)).toEqual([]);
    expect(statementsOfJson('x')).toEqual([]);
  });

  it('reads Not* fields, principal maps and conditions', () => {
    const [s] = statementsOfJson({
      Statement: [
        {
          Effect: 'Deny',
          NotAction: ['s3:GetObject'],
          NotResource: 'arn:aws:s3:::b',
          NotPrincipal: { AWS: ['arn:aws:iam::1:root', 'arn:aws:iam::2:root'], Service: 'backup.amazonaws.com' },
          Principal: ['not', 'a', 'map'],
          Condition: { Bool: { 'aws:SecureTransport': false }, StringEquals: { 'aws:PrincipalTag/x': ['a', 'b'] }, Bad: 'x' },
        },
      ],
    });
    expect(s).toEqual({
      sid: undefined,
      effect: 'Deny',
      actions: [],
      notActions: ['s3:GetObject'],
      resources: [],
      notResources: ['arn:aws:s3:::b'],
      principals: [],
      notPrincipals: [
        { type: 'AWS', ids: ['arn:aws:iam::1:root', 'arn:aws:iam::2:root'] },
        { type: 'Service', ids: ['backup.amazonaws.com'] },
      ],
      conditions: [
        { test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] },
        { test: 'StringEquals', variable: 'aws:PrincipalTag/x', values: ['a', 'b'] },
      ],
    });
    expect(statementsOfJson({ Statement: [{ Condition: ['x'] }] })[0].conditions).toEqual([]);
  });
});

describe('statementsOfDocument', () => {
  it('reads statement blocks with principals, Not* blocks and conditions', () => {
    expect(
      statementsOfDocument({
        statement: [
          {
            sid: 'S',
            effect: 'Deny',
            actions: ['s3:DeleteObject'],
            resources: '${aws_s3_bucket.b.arn}/*',
            principals: [{ type: 'AWS', identifiers: ['*'] }, {}],
            condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }, {}],
          },
          { not_actions: ['s3:*'], not_resources: ['x'], not_principals: { type: 'Service', identifiers: 's.amazonaws.com' } },
        ],
      }),
    ).toEqual([
      {
        sid: 'S',
        effect: 'Deny',
        actions: ['s3:DeleteObject'],
        notActions: undefined,
        resources: ['${aws_s3_bucket.b.arn}/*'],
        notResources: undefined,
        principals: [
          { type: 'AWS', ids: ['*'] },
          { type: '', ids: [] },
        ],
        notPrincipals: undefined,
        conditions: [
          { test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] },
          { test: '', variable: '', values: [] },
        ],
      },
      {
        sid: undefined,
        effect: 'Allow',
        actions: [],
        notActions: ['s3:*'],
        resources: [],
        notResources: ['x'],
        principals: [],
        notPrincipals: [{ type: 'Service', ids: ['s.amazonaws.com'] }],
        conditions: [],
      },
    ]);
    expect(statementsOfDocument({})).toEqual([]);
  });
});

describe('parsePolicy', () => {
  const ctx = new ModelContext([
    loadTerraformJson('s', {
      data: {
        aws_iam_policy_document: {
          base: { statement: [{ sid: 'Base', actions: ['s3:GetObject'], resources: ['*'] }] },
          merged: {
            statement: { sid: 'Own', actions: ['s3:PutObject'], resources: ['*'] },
            source_policy_documents: ['${data.aws_iam_policy_document.base.json}'],
            override_json: '{"Statement":{"Sid":"Json","Effect":"Deny","Action":"s3:*","Resource":"*"}}',
          },
          loop: { source_json: '${data.aws_iam_policy_document.loop.json}', statement: { sid: 'L' } },
        },
      },
      resource: {
        aws_iam_policy: { p: { policy: '{"Statement":[{"Sid":"Managed","Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}' } },
        aws_s3_bucket: { b: {} },
      },
    }),
  ]);
  const sids = (v: unknown) => parsePolicy(ctx, 's', v).statements.map((s) => s.sid);

  it('reads nothing from nothing, objects as JSON, and refuses other types and bad JSON', () => {
    expect(parsePolicy(ctx, 's', undefined)).toEqual({ statements: [], unparsed: false });
    expect(parsePolicy(ctx, 's', null)).toEqual({ statements: [], unparsed: false });
    expect(parsePolicy(ctx, 's', { Statement: { Sid: 'O' } }).statements.map((s) => s.sid)).toEqual(['O']);
    expect(parsePolicy(ctx, 's', 42)).toEqual({ statements: [], unparsed: true });
    expect(parsePolicy(ctx, 's', ' {"Statement": ')).toEqual({ statements: [], unparsed: true });
    expect(parsePolicy(ctx, 's', '  {"Statement":{"Sid":"T"}}  ')).toEqual({ statements: statementsOfJson({ Statement: { Sid: 'T' } }), unparsed: false });
  });

  it('follows a policy document, merging its source and override documents', () => {
    expect(parsePolicy(ctx, 's', '${data.aws_iam_policy_document.merged.json}')).toMatchObject({ unparsed: false, document: 'data.aws_iam_policy_document.merged' });
    expect(sids('${data.aws_iam_policy_document.merged.json}')).toEqual(['Base', 'Own', 'Json']);
    expect(sids('${data.aws_iam_policy_document.loop.json}')).toEqual(['L']);
  });

  it('follows the policy attribute of an aws_iam_policy', () => {
    expect(sids('${aws_iam_policy.p.policy}')).toEqual(['Managed']);
    expect(parsePolicy(ctx, 's', '${aws_iam_policy.p.arn}')).toEqual({ statements: [], unparsed: true });
  });

  it('reads jsonencode(...) and reports other expressions as unparsed', () => {
    expect(sids('${jsonencode({ Statement = [{ Sid = "E", Effect = "Allow", Action = "s3:*", Resource = aws_s3_bucket.b.arn }] })}')).toEqual(['E']);
    expect(parsePolicy(ctx, 's', '${jsonencode("x")}')).toEqual({ statements: [], unparsed: true });
    expect(parsePolicy(ctx, 's', '${var.policy}')).toEqual({ statements: [], unparsed: true });
    expect(parsePolicy(ctx, 's', '${aws_s3_bucket.b.policy}')).toEqual({ statements: [], unparsed: true });
    expect(parsePolicy(ctx, 's', 'x${data.aws_iam_policy_document.base.json}')).toEqual({ statements: [], unparsed: true });
    expect(parsePolicy(ctx, 's', '${data.aws_iam_policy_document.missing.json}')).toEqual({ statements: [], unparsed: true });
    expect(parsePolicy(ctx, 's', '${data.aws_iam_policy_document.base.json}', 5)).toEqual({ statements: [], unparsed: true });
  });
});
