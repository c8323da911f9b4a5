import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../lib/model/build';
import { resourceLines } from '../../lib/model/json-locations';
import { loadPlanJson, PlanInputError, referenceChains } from '../../lib/model/plan';
import { extractRefs } from '../../lib/model/refs';
import type { TfDocument } from '../../lib/model/types';
import { ALL_RULES } from '../../lib/rules';
import { runRules } from '../../lib/rules/engine';
import { rule as kc011 } from '../../lib/rules/kc011-no-shared-principal';
import type { CustodyRule } from '../../lib/rules/rule';

/**
 * test/fixtures/plans/modules.json is real `terraform show -json` output (Terraform 1.11,
 * hashicorp/aws 5.100.0, planned offline) of a root module with a `count` user, a
 * `for_each` user and policy, two providers (`aws`, `aws.keys`) and a child module
 * `backup` whose operator user gets a policy on both custody buckets through module
 * variables.
 */
const FIXTURE = join(__dirname, '..', 'fixtures', 'plans', 'modules.json');
const plan = (): unknown => JSON.parse(readFileSync(FIXTURE, 'utf8'));
const doc = (): TfDocument => loadPlanJson('prod', plan(), 'plans/modules.json');

/** The whole catalogue, KC011 included even while the generated index lacks it. */
const RULES: readonly CustodyRule[] = ALL_RULES.some((r) => r.id === 'KC011') ? ALL_RULES : [...ALL_RULES, kc011];

describe('loadPlanJson: modules, count and for_each', () => {
  it('gives one resource per instance, with module-qualified addresses', () => {
    const d = doc();
    expect(d.stack).toBe('prod');
    expect(d.source).toBe('plans/modules.json');
    expect(d.resources.map((r) => r.address).sort()).toEqual(
      [
        'aws_iam_user.reader[0]',
        'aws_iam_user.reader[1]',
        'aws_iam_user.team["alice"]',
        'aws_iam_user.team["bob"]',
        'aws_iam_user_policy.db_read',
        'aws_iam_user_policy.team["alice"]',
        'aws_iam_user_policy.team["bob"]',
        'aws_s3_bucket.db',
        'aws_s3_bucket.keys',
        'data.aws_iam_policy_document.db_read',
        'module.backup.aws_iam_user.operator',
        'module.backup.aws_iam_user_policy.both',
        'module.backup.data.aws_iam_policy_document.both',
      ].sort(),
    );
    const op = d.resources.find((r) => r.address === 'module.backup.aws_iam_user.operator');
    expect(op).toMatchObject({ module: 'module.backup', type: 'aws_iam_user', name: 'operator', mode: 'managed', provider: 'aws' });
    const doc0 = d.resources.find((r) => r.address === 'data.aws_iam_policy_document.db_read');
    expect(doc0).toMatchObject({ module: '', mode: 'data', name: 'db_read' });
  });

  it('takes known values from planned_values (count.index / each.key names, tags_all with default tags)', () => {
    const d = doc();
    const by = (a: string) => d.resources.find((r) => r.address === a)?.values ?? {};
    expect(by('aws_iam_user.reader[1]').name).toBe('reader-1');
    expect(by('aws_iam_user.team["bob"]')).toMatchObject({ name: 'team-bob', tags: { team: 'bob' }, tags_all: { team: 'bob', 'custody:app': 'zitadel' } });
    expect(by('aws_s3_bucket.keys')).toMatchObject({ bucket: 'acme-key-backup', tags: { 'custody:role': 'key-backup', 'custody:key': 'zitadel' } });
    // Module input variables are known values in the plan.
    expect(by('module.backup.aws_iam_user.operator').name).toBe('backup-operator');
    // Nulls of the planned values are dropped, as cdk.tf.json leaves unset attributes out.
    expect('permissions_boundary' in by('aws_iam_user.reader[0]')).toBe(false);
  });

  it('keeps references where the plan only knows the value after apply, module-qualified and through module variables', () => {
    const d = doc();
    const by = (a: string) => d.resources.find((r) => r.address === a)?.values ?? {};
    expect(by('aws_iam_user_policy.db_read').policy).toBe('${data.aws_iam_policy_document.db_read.json}');
    expect(by('module.backup.aws_iam_user_policy.both').policy).toBe('${module.backup.data.aws_iam_policy_document.both.json}');
    const st = (by('data.aws_iam_policy_document.db_read').statement as { actions: string[]; resources: string[] }[])[0];
    expect(st.actions).toEqual(['s3:GetObject', 's3:ListBucket']);
    // `[arn, "${arn}/*"]`: the plan lists the reference twice; the second is the object ARN.
    expect(st.resources).toEqual(['${aws_s3_bucket.db.arn}', '${aws_s3_bucket.db.arn}/*']);
    // Inside the module, `var.db_bucket_arn` is replaced by the call's argument, in the root's scope.
    const both = (by('module.backup.data.aws_iam_policy_document.both').statement as { resources: string[] }[])[0].resources;
    expect(both).toEqual(expect.arrayContaining(['${aws_s3_bucket.db.arn}/*', '${aws_s3_bucket.keys.arn}/*']));
    // Module outputs referenced from the root resolve to the resource inside the module.
    expect(d.outputs.operator_arn).toBe('${module.backup.aws_iam_user.operator.arn}');
  });

  it('reads provider configurations and each resource’s provider_config_key', () => {
    const d = doc();
    expect(d.providers.map((p) => p.key).sort()).toEqual(['aws', 'aws.keys']);
    expect(d.providers.find((p) => p.key === 'aws.keys')).toMatchObject({ type: 'aws', alias: 'keys', values: { region: 'eu-west-1' } });
    expect(d.providers.find((p) => p.key === 'aws')?.values.default_tags).toEqual([{ tags: { 'custody:app': 'zitadel' } }]);
    expect(d.resources.find((r) => r.address === 'aws_s3_bucket.keys')?.provider).toBe('aws.keys');
    expect(d.resources.find((r) => r.address === 'aws_s3_bucket.db')?.provider).toBe('aws');
    expect(d.backend).toBeUndefined();
  });

  it('resolves references to instances, module resources and un-indexed names (first instance)', () => {
    const model = buildModel([doc()]);
    expect(extractRefs('${aws_iam_user.team["bob"].name}')[0]).toMatchObject({ address: 'aws_iam_user.team', index: '["bob"]', attr: 'name' });
    expect(model.referencesOf('prod', '${aws_iam_user.team["bob"].name}')).toEqual([{ stack: 'prod', address: 'aws_iam_user.team["bob"]' }]);
    expect(model.referencesOf('prod', '${aws_iam_user.reader.arn}')).toEqual([{ stack: 'prod', address: 'aws_iam_user.reader[0]' }]);
    expect(model.referencesOf('prod', '${module.backup.aws_iam_user.operator.arn}')).toEqual([{ stack: 'prod', address: 'module.backup.aws_iam_user.operator' }]);
    expect(model.stores.map((s) => `${s.address}:${s.role}`).sort()).toEqual(['aws_s3_bucket.db:db-backup', 'aws_s3_bucket.keys:key-backup']);
  });

  it('KC011 catches the principal inside the module that reaches both stores, and only it', () => {
    const result = runRules(buildModel([doc()]), RULES, { today: '2030-01-01' });
    const kc011Findings = result.findings.filter((f) => f.ruleId === 'KC011');
    expect(kc011Findings.length).toBeGreaterThan(0);
    expect(new Set(kc011Findings.map((f) => f.address))).toEqual(new Set(['module.backup.aws_iam_user.operator']));
    expect(kc011Findings[0].message).toContain('aws_s3_bucket.keys');
    expect(kc011Findings[0].suppressed).toBe(false);
  });
});

describe('loadPlanJson: envelope and unknowns', () => {
  it('refuses other format majors with a clear message', () => {
    expect(() => loadPlanJson('s', { format_version: '2.0', planned_values: {}, configuration: { root_module: {} } })).toThrow(PlanInputError);
    expect(() => loadPlanJson('s', { format_version: '2.0', planned_values: {}, configuration: { root_module: {} } })).toThrow(/format_version 2\.0 is not supported \(this tool reads 1\.x\)/);
    expect(() => loadPlanJson('s', { format_version: '1.2', resource_changes: [] })).toThrow(/no configuration or planned_values/);
    expect(() => loadPlanJson('s', { format_version: '1.2', errored: true, planned_values: {}, configuration: { root_module: {} } })).toThrow(/errored/);
  });

  it('records what a plan cannot spell out, and reads a lost identity policy conservatively', () => {
    const p = {
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            { address: 'aws_iam_user_policy.j', mode: 'managed', type: 'aws_iam_user_policy', name: 'j', values: { user: 'ops' } },
            { address: 'aws_s3_bucket.a', mode: 'managed', type: 'aws_s3_bucket', name: 'a', values: { bucket: 'a' } },
            { address: 'aws_s3_bucket.b', mode: 'managed', type: 'aws_s3_bucket', name: 'b', values: { bucket: 'b' } },
          ],
        },
      },
      resource_changes: [{ address: 'aws_iam_user_policy.j', change: { actions: ['create'], after_unknown: { policy: true } } }],
      configuration: {
        root_module: {
          resources: [
            {
              address: 'aws_iam_user_policy.j',
              mode: 'managed',
              type: 'aws_iam_user_policy',
              name: 'j',
              provider_config_key: 'aws',
              expressions: {
                user: { constant_value: 'ops' },
                policy: { references: ['aws_s3_bucket.a.arn', 'aws_s3_bucket.a', 'aws_s3_bucket.b.arn', 'aws_s3_bucket.b'] },
              },
            },
            { address: 'aws_s3_bucket.a', mode: 'managed', type: 'aws_s3_bucket', name: 'a', expressions: { bucket: { constant_value: 'a' } } },
            { address: 'aws_s3_bucket.b', mode: 'managed', type: 'aws_s3_bucket', name: 'b', expressions: { bucket: { constant_value: 'b' } } },
          ],
        },
      },
    };
    const d = loadPlanJson('s', p);
    const policy = JSON.parse(String(d.resources.find((r) => r.address === 'aws_iam_user_policy.j')?.values.policy)) as { Statement: { Action: string; Resource: string[] }[] };
    expect(policy.Statement[0].Action).toBe('*');
    expect(policy.Statement[0].Resource).toEqual(['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}/*', '${aws_s3_bucket.b.arn}', '${aws_s3_bucket.b.arn}/*']);
    expect(d.unknowns).toEqual([expect.objectContaining({ stack: 's', address: 'aws_iam_user_policy.j', what: expect.stringContaining('read conservatively') })]);
  });

  it('splits terraform reference lists into one chain per traversal', () => {
    expect(referenceChains(['a_b.c.arn', 'a_b.c', 'a_b.c.arn', 'a_b.c', 'x_y.z["k"].name', 'x_y.z["k"]', 'x_y.z'])).toEqual(['a_b.c.arn', 'a_b.c.arn', 'x_y.z["k"].name']);
  });
});

describe('resourceLines (SARIF locations of cdk.tf.json)', () => {
  it('finds the line of each resource and data block, pretty or minified', () => {
    const json = { '//': { note: '"resource": {' }, resource: { aws_s3_bucket: { a: { bucket: 'x' }, b: { bucket: '{' } }, aws_iam_user: { u: {} } }, data: { aws_iam_policy_document: { p: { statement: [{}] } } } };
    const text = JSON.stringify(json, null, 2);
    const lines = resourceLines(text);
    const lineOf = (needle: string, after = 0) => text.split('\n').findIndex((l, i) => i >= after && l.includes(needle)) + 1;
    expect(lines.get('aws_s3_bucket.a')).toBe(lineOf('"a": {'));
    expect(lines.get('aws_s3_bucket.b')).toBe(lineOf('"b": {'));
    expect(lines.get('aws_iam_user.u')).toBe(lineOf('"u": {'));
    expect(lines.get('data.aws_iam_policy_document.p')).toBe(lineOf('"p": {'));
    expect([...resourceLines(JSON.stringify(json)).values()]).toEqual([1, 1, 1, 1]);
  });
});
