/**
 * The plan front end (lib/model/load/plan.ts).
 *
 * First on a real plan (the fixture below), through the model and the rules. Then on small
 * hand-built `terraform show -json` documents, one branch each: the envelope checks and their
 * messages, reference chains, expressions (constants, references, nested blocks), rewriting
 * references through modules and module variables, merging planned / prior values and
 * `after_unknown`, list holes, count/for_each and module instances, providers, outputs, the
 * conservative reading of lost identity policies, and the exact `unknowns` each case records.
 * Last, plan-reading bugs found while raising the mutation score, each pinned by the case that
 * showed it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../lib/model/build';
import { loadPlanJson, looksLikePlanJson, PLAN_FORMAT_MAJOR, PlanInputError, referenceChains, validatePlanJson } from '../../../lib/model/load/plan';
import { extractRefs } from '../../../lib/model/load/refs';
import type { TfDocument, TfResource } from '../../../lib/model/types';
import { ALL_RULES } from '../../../lib/rules';
import { runRules } from '../../../lib/rules/engine';
import { rule as kc011 } from '../../../lib/rules/kc011-no-shared-principal';
import type { CustodyRule } from '../../../lib/rules/rule';

/**
 * test/fixtures/plans/modules.json is real `terraform show -json` output (Terraform 1.11,
 * hashicorp/aws 5.100.0, planned offline) of a root module with a `count` user, a
 * `for_each` user and policy, two providers (`aws`, `aws.keys`) and a child module
 * `backup` whose operator user gets a policy on both custody buckets through module
 * variables.
 */
const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'plans', 'modules.json');
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
    expect(policy.Statement[0].Action).toBe('${unknown action}');
    expect(policy.Statement[0].Resource).toEqual(['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}/*', '${aws_s3_bucket.b.arn}', '${aws_s3_bucket.b.arn}/*']);
    expect(d.unknowns).toEqual([expect.objectContaining({ stack: 's', address: 'aws_iam_user_policy.j', what: expect.stringContaining('read conservatively') })]);
  });

  it('splits terraform reference lists into one chain per traversal', () => {
    expect(referenceChains(['a_b.c.arn', 'a_b.c', 'a_b.c.arn', 'a_b.c', 'x_y.z["k"].name', 'x_y.z["k"]', 'x_y.z'])).toEqual(['a_b.c.arn', 'a_b.c.arn', 'x_y.z["k"].name']);
  });
});

type J = Record<string, unknown>;

const RERUN = 'run `terraform show -json plan.out > plan.json` again';

/** A configuration resource block; mode, type and name follow from the address. */
function cres(address: string, expressions: J = {}, extra: J = {}): J {
  const parts = address.split('.');
  const data = parts[0] === 'data';
  const type = data ? parts[1] : parts[0];
  const name = (data ? parts[2] : parts[1]).replace(/\[.*$/, '');
  return { address, mode: data ? 'data' : 'managed', type, name, provider_config_key: type.split('_')[0], expressions, ...extra };
}

/** A planned_values / prior_state resource (only address and values are read). */
const pres = (address: string, values: J): J => ({ address, values });

interface PlanParts {
  readonly root?: J;
  readonly planned?: J;
  readonly changes?: Record<string, unknown>;
  readonly prior?: J;
  readonly providers?: J;
  readonly outputs?: J;
}

function mkPlan(p: PlanParts): J {
  return {
    format_version: '1.2',
    configuration: { root_module: p.root ?? {}, ...(p.providers ? { provider_config: p.providers } : {}) },
    planned_values: { root_module: p.planned ?? {}, ...(p.outputs ? { outputs: p.outputs } : {}) },
    resource_changes: Object.entries(p.changes ?? {}).map(([address, after_unknown]) => ({ address, change: { actions: ['create'], after_unknown } })),
    ...(p.prior ? { prior_state: { format_version: '1.0', values: { root_module: p.prior } } } : {}),
  };
}

const load = (p: PlanParts): TfDocument => loadPlanJson('s', mkPlan(p));
const res = (d: TfDocument, address: string): TfResource | undefined => d.resources.find((r) => r.address === address);
const vals = (d: TfDocument, address: string): J | undefined => res(d, address)?.values;
const addrs = (d: TfDocument): string[] => d.resources.map((r) => r.address);
const unknowns = (d: TfDocument): [string, string][] => (d.unknowns ?? []).map((u) => [u.address, u.what]);

/** One root resource `aws_x.r` with these expressions and no planned values: its config-only values. */
function configOnly(expressions: J, root: J = {}): { values: J | undefined; unknowns: [string, string][] } {
  const d = load({ root: { resources: [cres('aws_x.r', expressions)], ...root } });
  return { values: vals(d, 'aws_x.r'), unknowns: unknowns(d) };
}

const planErr = (json: unknown): string => {
  try {
    validatePlanJson(json);
  } catch (e) {
    expect(e).toBeInstanceOf(PlanInputError);
    expect((e as Error).name).toBe('PlanInputError');
    return (e as Error).message;
  }
  return 'accepted';
};

describe('looksLikePlanJson', () => {
  it('needs an object with a string format_version and one of the plan parts', () => {
    expect(looksLikePlanJson(null)).toBe(false);
    expect(looksLikePlanJson('{"format_version":"1.2"}')).toBe(false);
    expect(looksLikePlanJson(Object.assign([], { format_version: '1.2', planned_values: {} }))).toBe(false);
    expect(looksLikePlanJson({})).toBe(false);
    expect(looksLikePlanJson({ format_version: '1.2' })).toBe(false);
    expect(looksLikePlanJson({ format_version: 1, planned_values: {} })).toBe(false);
    expect(looksLikePlanJson({ planned_values: {}, configuration: {}, resource_changes: [] })).toBe(false);
    expect(looksLikePlanJson({ format_version: '1.2', planned_values: {} })).toBe(true);
    expect(looksLikePlanJson({ format_version: '1.2', configuration: {} })).toBe(true);
    expect(looksLikePlanJson({ format_version: '1.2', resource_changes: [] })).toBe(true);
    expect(looksLikePlanJson({ format_version: '', resource_changes: null })).toBe(true);
    // A state file (`terraform show -json` of state) has values, not planned_values.
    expect(looksLikePlanJson({ format_version: '1.0', values: {} })).toBe(false);
  });
});

describe('validatePlanJson: the envelope and its messages', () => {
  const ok = { planned_values: { root_module: {} }, configuration: { root_module: {} } };

  it('refuses non-objects', () => {
    const m = `it is not a JSON object; ${RERUN}`;
    expect(planErr(null)).toBe(m);
    expect(planErr([])).toBe(m);
    expect(planErr('plan')).toBe(m);
    expect(planErr(7)).toBe(m);
  });

  it('refuses a missing or non-string format_version', () => {
    const m = `it has no format_version, so it is not \`terraform show -json\` output; ${RERUN}`;
    expect(planErr({ ...ok })).toBe(m);
    expect(planErr({ ...ok, format_version: 1.2 })).toBe(m);
  });

  it('reads the major version before the first dot, and only 1', () => {
    expect(PLAN_FORMAT_MAJOR).toBe(1);
    const m = (fv: string) =>
      `plan format_version ${fv} is not supported (this tool reads 1.x); produce the plan JSON with Terraform >= 0.12 and < 2.0, or pass the cdktf.out folder instead`;
    expect(planErr({ ...ok, format_version: '1.0' })).toBe('accepted');
    expect(planErr({ ...ok, format_version: '1.2' })).toBe('accepted');
    expect(planErr({ ...ok, format_version: '01.9' })).toBe('accepted');
    for (const fv of ['0.2', '2.0', '10.1', '11.0', '1', 'x1.2', '', 'v1.0', 'one.two']) expect(planErr({ ...ok, format_version: fv })).toBe(m(fv));
  });

  it('refuses an errored plan (errored: true only)', () => {
    const m = `the plan is marked errored (terraform plan failed), so it is incomplete; fix the errors of \`terraform plan\`, then ${RERUN}`;
    expect(planErr({ ...ok, format_version: '1.2', errored: true })).toBe(m);
    expect(planErr({ ...ok, format_version: '1.2', errored: false })).toBe('accepted');
    expect(planErr({ ...ok, format_version: '1.2', errored: 'true' })).toBe('accepted');
  });

  it('names the missing parts', () => {
    const m = (what: string) => `the plan JSON has no ${what} (truncated, or not the output of \`terraform show -json\` of a saved plan); ${RERUN}`;
    expect(planErr({ format_version: '1.2' })).toBe(m('configuration or planned_values'));
    expect(planErr({ format_version: '1.2', configuration: { root_module: {} } })).toBe(m('planned_values'));
    expect(planErr({ format_version: '1.2', configuration: { root_module: {} }, planned_values: [] })).toBe(m('planned_values'));
    expect(planErr({ format_version: '1.2', planned_values: {} })).toBe(m('configuration'));
    expect(planErr({ format_version: '1.2', planned_values: {}, configuration: 'x' })).toBe(m('configuration'));
  });

  it('needs configuration.root_module, and planned_values.root_module unless planned_values is empty', () => {
    const m = `the plan JSON has no configuration.root_module (truncated?); ${RERUN}`;
    expect(planErr({ format_version: '1.2', planned_values: {}, configuration: {} })).toBe(m);
    expect(planErr({ format_version: '1.2', planned_values: { root_module: {} }, configuration: { root_module: [] } })).toBe(m);
    expect(planErr({ format_version: '1.2', planned_values: {}, configuration: { root_module: {} } })).toBe('accepted');
    expect(planErr({ format_version: '1.2', planned_values: { outputs: {} }, configuration: { root_module: {} } })).toBe(m);
    expect(planErr({ format_version: '1.2', planned_values: { root_module: null }, configuration: { root_module: {} } })).toBe(m);
    expect(planErr({ format_version: '1.2', planned_values: { outputs: {}, root_module: {} }, configuration: { root_module: {} } })).toBe('accepted');
  });

  it('loadPlanJson validates first', () => {
    expect(() => loadPlanJson('s', { format_version: '1.2' })).toThrow(PlanInputError);
    expect(() => loadPlanJson('s', null)).toThrow(`it is not a JSON object; ${RERUN}`);
  });
});

describe('referenceChains', () => {
  it('keeps one chain per traversal, dropping the prefixes terraform lists after it', () => {
    expect(referenceChains([])).toEqual([]);
    expect(referenceChains(['a'])).toEqual(['a']);
    expect(referenceChains(['a.b.c', 'a.b', 'a'])).toEqual(['a.b.c']);
    expect(referenceChains(['x.y[0]', 'x.y'])).toEqual(['x.y[0]']);
    expect(referenceChains(['x.y["k"].id', 'x.y["k"]', 'x.y'])).toEqual(['x.y["k"].id']);
    // Not a prefix at a traversal boundary: a new chain.
    expect(referenceChains(['x.yz', 'x.y'])).toEqual(['x.yz', 'x.y']);
    expect(referenceChains(['x.y', 'x.y.z'])).toEqual(['x.y', 'x.y.z']);
    // The same traversal twice is two chains (`[arn, "${arn}/*"]`).
    expect(referenceChains(['a.b', 'a.b'])).toEqual(['a.b', 'a.b']);
    expect(referenceChains(['a.b', 'c.d'])).toEqual(['a.b', 'c.d']);
    // Non-strings are skipped and do not become the head.
    expect(referenceChains([7 as unknown as string, 'a.b', null as unknown as string, 'a'])).toEqual(['a.b']);
  });
});

describe('expressions without planned values', () => {
  it('a constant is the value, also when it has references (JSON-syntax templates)', () => {
    expect(configOnly({ a: { constant_value: 'x' }, n: { constant_value: 3 }, b: { constant_value: false } }).values).toEqual({ a: 'x', n: 3, b: false });
    expect(configOnly({ t: { constant_value: '${aws_s3_bucket.a.arn}/*', references: ['aws_s3_bucket.a.arn', 'aws_s3_bucket.a'] } })).toEqual({
      values: { t: '${aws_s3_bucket.a.arn}/*' },
      unknowns: [],
    });
    // A null constant is dropped like any null.
    expect(configOnly({ z: { constant_value: null }, k: { constant_value: 'k' } }).values).toEqual({ k: 'k' });
    // Constant objects and lists stay whole.
    expect(configOnly({ c: { constant_value: { a: [1, { b: 2 }], e: {} } } }).values).toEqual({ c: { a: [1, { b: 2 }], e: {} } });
  });

  it('a single reference is `${chain}`; non-expressions and empty blocks are left out', () => {
    expect(configOnly({ r: { references: ['aws_s3_bucket.a.arn', 'aws_s3_bucket.a'] } })).toEqual({ values: { r: '${aws_s3_bucket.a.arn}' }, unknowns: [] });
    expect(configOnly({ r: { references: [] } })).toEqual({ values: {}, unknowns: [] });
    expect(configOnly({ r: { references: 'aws_s3_bucket.a.arn' } })).toEqual({ values: {}, unknowns: [] });
    expect(configOnly({ s: 'raw', n: 5, e: {}, l: null }).values).toEqual({});
  });

  it('nested blocks become objects in lists; empty and non-object members drop out', () => {
    const v = configOnly({
      statement: [{ actions: { constant_value: ['s3:GetObject'] }, empty: {}, junk: 'x', resources: { references: ['aws_s3_bucket.a.arn', 'aws_s3_bucket.a'] } }, 'not-a-block', {}],
      cfg: { inner: { mode: { constant_value: 'on' } }, other: 1 },
    }).values;
    expect(v).toEqual({
      statement: [{ actions: ['s3:GetObject'], resources: '${aws_s3_bucket.a.arn}' }, {}, {}],
      cfg: { inner: { mode: 'on' } },
    });
  });

  it('several references: their concatenation, recorded with the attribute path', () => {
    const r = configOnly({
      user: { references: ['aws_iam_user.a.name', 'aws_iam_user.a', 'aws_iam_user.b.name', 'aws_iam_user.b'] },
      statement: [{ resources: { references: ['aws_s3_bucket.a.arn', 'aws_s3_bucket.b.arn'] } }],
      cfg: { inner: { references: ['aws_s3_bucket.a.id', 'aws_s3_bucket.b.id'] } },
    });
    expect(r.values).toEqual({
      user: '${aws_iam_user.a.name}${aws_iam_user.b.name}',
      statement: [{ resources: '${aws_s3_bucket.a.arn}${aws_s3_bucket.b.arn}' }],
      cfg: { inner: '${aws_s3_bucket.a.id}${aws_s3_bucket.b.id}' },
    });
    expect(r.unknowns).toEqual([
      ['aws_x.r', 'user is only known after apply and the plan lists only its references (aws_iam_user.a.name, aws_iam_user.b.name), not its text; read as those references'],
      [
        'aws_x.r',
        'statement[0].resources is only known after apply and the plan lists only its references (aws_s3_bucket.a.arn, aws_s3_bucket.b.arn), not its text; read as those references',
      ],
      ['aws_x.r', 'cfg.inner is only known after apply and the plan lists only its references (aws_s3_bucket.a.id, aws_s3_bucket.b.id), not its text; read as those references'],
    ]);
  });

  it('count, each, path, terraform and self are not references to anything', () => {
    for (const ref of ['count.index', 'each.key', 'each.value.name', 'path.module', 'terraform.workspace', 'self.arn', 'self[0].id']) {
      expect(configOnly({ a: { references: [ref] } })).toStrictEqual({ values: {}, unknowns: [] });
      // inside a nested block the member is left out, not set to undefined
      expect(configOnly({ b: [{ a: { references: [ref] }, k: { constant_value: 1 } }] })).toStrictEqual({ values: { b: [{ k: 1 }] }, unknowns: [] });
    }
    expect(configOnly({ a: { references: ['each.value', 'aws_s3_bucket.a.arn'] } })).toEqual({ values: { a: '${aws_s3_bucket.a.arn}' }, unknowns: [] });
  });

  it('locals are dropped and recorded; a local next to a reference keeps the reference, recorded', () => {
    expect(configOnly({ a: { references: ['local.name'] } })).toEqual({
      values: {},
      unknowns: [['aws_x.r', 'a is only known after apply and depends on local.name, which the plan does not describe']],
    });
    expect(configOnly({ a: { references: ['local.x', 'local[0]', 'aws_s3_bucket.a.arn'] } })).toEqual({
      values: { a: '${aws_s3_bucket.a.arn}' },
      unknowns: [['aws_x.r', 'a is only known after apply and the plan lists only its references (aws_s3_bucket.a.arn), not its text; read as those references']],
    });
    expect(configOnly({ a: { references: ['local.x', 'local.y'] } }).unknowns).toEqual([
      ['aws_x.r', 'a is only known after apply and depends on local.x, local.y, which the plan does not describe'],
    ]);
  });

  it('root variables are in the planned values already: no reference, nothing recorded', () => {
    expect(configOnly({ a: { references: ['var.region'] }, b: { references: ['var'] }, c: { references: ['var.my-arn_2', 'aws_s3_bucket.a.arn'] } })).toEqual({
      values: { c: '${aws_s3_bucket.a.arn}' },
      unknowns: [],
    });
  });

  it('the same fact about the same address is recorded once', () => {
    const d = load({ root: { resources: [cres('aws_x.r', { a: { references: ['local.x'] } }), cres('aws_x.r', { a: { references: ['local.x'] } })] } });
    expect(addrs(d)).toEqual(['aws_x.r', 'aws_x.r']);
    expect(unknowns(d)).toEqual([['aws_x.r', 'a is only known after apply and depends on local.x, which the plan does not describe']]);
    expect(d.unknowns?.[0]).toEqual({ stack: 's', address: 'aws_x.r', what: 'a is only known after apply and depends on local.x, which the plan does not describe' });
  });
});

describe('references through modules', () => {
  const child = (extra: J = {}): J => ({
    outputs: {
      arn: { expression: { references: ['aws_s3_bucket.inner.arn', 'aws_s3_bucket.inner'] } },
      fromvar: { expression: { references: ['var.target'] } },
      fromlocal: { expression: { references: ['local.z'] } },
      konst: { expression: { constant_value: 'c' } },
      two: { expression: { references: ['aws_s3_bucket.inner.arn', 'aws_s3_bucket.inner.id'] } },
    },
    ...extra,
  });
  const root = (refs: string[], extraChild: J = {}): J => ({
    resources: [cres('aws_x.r', { a: { references: refs } })],
    module_calls: {
      m: { source: './m', expressions: { target: { references: ['aws_s3_bucket.top.arn', 'aws_s3_bucket.top'] } }, module: child(extraChild) },
      'my-mod': { source: './n', module: { outputs: { out_1: { expression: { references: ['aws_iam_user.u.arn'] } } } } },
    },
  });
  const read = (refs: string[], extraChild: J = {}) => {
    const d = load({ root: root(refs, extraChild) });
    return { a: vals(d, 'aws_x.r')?.a, unknowns: unknowns(d).filter(([a]) => a === 'aws_x.r') };
  };

  it('a module output becomes the output expression, in the module’s address space', () => {
    expect(read(['module.m.arn', 'module.m'])).toEqual({ a: '${module.m.aws_s3_bucket.inner.arn}', unknowns: [] });
    expect(read(['module.my-mod.out_1', 'module.my-mod'])).toEqual({ a: '${module.my-mod.aws_iam_user.u.arn}', unknowns: [] });
    expect(read(['module.m[0].arn'])).toEqual({ a: '${module.m[0].aws_s3_bucket.inner.arn}', unknowns: [] });
    expect(read(['module.m["k"].arn'])).toEqual({ a: '${module.m["k"].aws_s3_bucket.inner.arn}', unknowns: [] });
  });

  it('an output that reads a module variable resolves to the call argument, in the caller’s scope', () => {
    expect(read(['module.m.fromvar'])).toEqual({ a: '${aws_s3_bucket.top.arn}', unknowns: [] });
  });

  it('outputs with several references, locals, constants, missing outputs', () => {
    expect(read(['module.m.two'])).toEqual({
      a: '${module.m.aws_s3_bucket.inner.arn}${module.m.aws_s3_bucket.inner.id}',
      unknowns: [['aws_x.r', 'a is only known after apply and the plan lists only its references (module.m.aws_s3_bucket.inner.arn, module.m.aws_s3_bucket.inner.id), not its text; read as those references']],
    });
    expect(read(['module.m.fromlocal'])).toEqual({ a: undefined, unknowns: [['aws_x.r', 'a is only known after apply and depends on local.z, which the plan does not describe']] });
    expect(read(['module.m.konst'])).toEqual({ a: undefined, unknowns: [] });
    expect(read(['module.m.missing'])).toEqual({ a: undefined, unknowns: [['aws_x.r', 'a is only known after apply and depends on module.m.missing, which the plan does not describe']] });
    expect(read(['module.nope.x'])).toEqual({ a: undefined, unknowns: [['aws_x.r', 'a is only known after apply and depends on module.nope.x, which the plan does not describe']] });
    // The whole module object and malformed module references: nothing.
    expect(read(['module.m'])).toEqual({ a: undefined, unknowns: [] });
    expect(read(['module'])).toEqual({ a: undefined, unknowns: [] });
    expect(read(['module.9x.y'])).toEqual({ a: undefined, unknowns: [] });
    expect(read(['module[0].module.m.arn'])).toEqual({ a: undefined, unknowns: [] });
  });

  it('inside a module: own resources are module-qualified, variables become the caller’s references', () => {
    const d = load({
      root: {
        module_calls: {
          m: {
            expressions: {
              target: { references: ['aws_s3_bucket.top.arn', 'aws_s3_bucket.top'] },
              lv: { references: ['local.p'] },
              k: { constant_value: 'kk' },
              undefined: { references: ['aws_x.evil.arn'] },
              two: { references: ['aws_s3_bucket.a.arn', 'aws_s3_bucket.b.arn'] },
            },
            module: {
              resources: [
                cres('aws_x.in', {
                  own: { references: ['aws_iam_user.u.name', 'aws_iam_user.u'] },
                  v: { references: ['var.target'] },
                  lv: { references: ['var.lv'] },
                  k: { references: ['var.k'] },
                  none: { references: ['var.absent'] },
                  two: { references: ['var.two'] },
                  st: [{ resources: { references: ['var.target', 'aws_s3_bucket.own.arn'] } }],
                  // `var` alone names no variable (not even one called "undefined"); a variable
                  // name is read only right after `var.`
                  bare: { references: ['var'] },
                  odd: { references: ['var[0].var.target'] },
                }),
              ],
            },
          },
        },
      },
    });
    expect(addrs(d)).toEqual(['module.m.aws_x.in']);
    expect(res(d, 'module.m.aws_x.in')).toEqual({
      stack: 's',
      mode: 'managed',
      type: 'aws_x',
      name: 'in',
      address: 'module.m.aws_x.in',
      module: 'module.m',
      provider: 'aws',
      values: {
        own: '${module.m.aws_iam_user.u.name}',
        v: '${aws_s3_bucket.top.arn}',
        two: '${aws_s3_bucket.a.arn}${aws_s3_bucket.b.arn}',
        st: [{ resources: '${aws_s3_bucket.top.arn}${module.m.aws_s3_bucket.own.arn}' }],
      },
    });
    expect(unknowns(d)).toEqual([
      ['module.m.aws_x.in', 'lv is only known after apply and depends on local.p, which the plan does not describe'],
      ['module.m.aws_x.in', 'two is only known after apply and the plan lists only its references (aws_s3_bucket.a.arn, aws_s3_bucket.b.arn), not its text; read as those references'],
      [
        'module.m.aws_x.in',
        'st[0].resources is only known after apply and the plan lists only its references (aws_s3_bucket.top.arn, module.m.aws_s3_bucket.own.arn), not its text; read as those references',
      ],
    ]);
  });

  it('nested module calls: module.a.module.b, and module outputs read from inside a module', () => {
    const d = load({
      root: {
        module_calls: {
          a: {
            expressions: {},
            module: {
              resources: [cres('aws_x.r', { o: { references: ['module.b.out', 'module.b'] } })],
              module_calls: {
                b: {
                  expressions: { x: { references: ['aws_iam_user.in_a.arn'] } },
                  module: {
                    outputs: { out: { expression: { references: ['aws_s3_bucket.deep.arn'] } } },
                    resources: [cres('aws_x.deep', { x: { references: ['var.x'] } })],
                  },
                },
              },
            },
          },
        },
      },
    });
    expect(addrs(d)).toEqual(['module.a.aws_x.r', 'module.a.module.b.aws_x.deep']);
    expect(vals(d, 'module.a.aws_x.r')).toEqual({ o: '${module.a.module.b.aws_s3_bucket.deep.arn}' });
    expect(vals(d, 'module.a.module.b.aws_x.deep')).toEqual({ x: '${module.a.aws_iam_user.in_a.arn}' });
    expect(res(d, 'module.a.module.b.aws_x.deep')?.module).toBe('module.a.module.b');
    expect(d.unknowns).toEqual([]);
  });

  /** `levels` nested calls `a`, each output `o` reading the next one's, the last a bucket ARN. */
  function deep(levels: number): J {
    let mod: J = { outputs: { o: { expression: { references: ['aws_s3_bucket.b.arn'] } } } };
    for (let i = 1; i < levels; i++) mod = { outputs: { o: { expression: { references: ['module.a.o'] } } }, module_calls: { a: { module: mod } } };
    return { resources: [cres('aws_x.r', { a: { references: ['module.a.o'] } })], module_calls: { a: { module: mod } } };
  }

  it('follows 16 levels of indirection and gives up at the 17th, recording it', () => {
    const d16 = load({ root: deep(16) });
    expect(vals(d16, 'aws_x.r')).toEqual({ a: `\${${'module.a.'.repeat(16)}aws_s3_bucket.b.arn}` });
    expect(d16.unknowns).toEqual([]);
    const d17 = load({ root: deep(17) });
    expect(vals(d17, 'aws_x.r')).toEqual({});
    expect(unknowns(d17)).toEqual([['aws_x.r', 'a is only known after apply and depends on aws_s3_bucket.b.arn, which the plan does not describe']]);
  });

  /** `levels` nested calls `a`, each passing its variable `x` on; the innermost resource reads it. */
  function deepVar(levels: number): J {
    let mod: J = { resources: [cres('aws_x.r', { a: { references: ['var.x'] } })] };
    for (let i = 1; i < levels; i++) mod = { module_calls: { a: { expressions: { x: { references: ['var.x'] } }, module: mod } } };
    return { module_calls: { a: { expressions: { x: { references: ['aws_s3_bucket.b.arn', 'aws_s3_bucket.b'] } }, module: mod } } };
  }

  it('module variables: 16 levels of indirection followed, the 17th recorded', () => {
    const at = (n: number) => `${'module.a.'.repeat(n)}aws_x.r`;
    const d16 = load({ root: deepVar(16) });
    expect(d16.resources.map((r) => [r.address, r.values])).toEqual([[at(16), { a: '${aws_s3_bucket.b.arn}' }]]);
    expect(d16.unknowns).toEqual([]);
    const d17 = load({ root: deepVar(17) });
    expect(d17.resources.map((r) => [r.address, r.values])).toEqual([[at(17), {}]]);
    expect(unknowns(d17)).toEqual([[at(17), 'a is only known after apply and depends on aws_s3_bucket.b.arn, which the plan does not describe']]);
  });

  it('skipped roots stay skipped past the depth limit', () => {
    const root = deep(17);
    // Replace the innermost output with count.index: skipped, so nothing is dropped.
    let m = obj(obj(obj(root.module_calls).a).module);
    while (obj(m.module_calls).a) m = obj(obj(obj(m.module_calls).a).module);
    m.outputs = { o: { expression: { references: ['count.index'] } } };
    const d = load({ root });
    expect(vals(d, 'aws_x.r')).toEqual({});
    expect(d.unknowns).toEqual([]);
  });
});

function obj(v: unknown): J {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as J) : {};
}

describe('planned values over expressions', () => {
  const one = (expressions: J, planned: J | undefined, unk?: unknown, prior?: J) =>
    load({
      root: { resources: [cres('aws_x.r', expressions)] },
      planned: planned ? { resources: [pres('aws_x.r', planned)] } : {},
      changes: unk === undefined ? {} : { 'aws_x.r': unk },
      prior: prior ? { resources: [pres('aws_x.r', prior)] } : undefined,
    });

  it('known planned values win over the expression; nulls are dropped', () => {
    const d = one({ name: { references: ['var.n'] }, bucket: { references: ['aws_s3_bucket.a.bucket'] } }, { name: 'n1', bucket: 'b1', extra: 'e', gone: null, zero: 0, f: false, empty: '' });
    expect(vals(d, 'aws_x.r')).toEqual({ name: 'n1', bucket: 'b1', extra: 'e', zero: 0, f: false, empty: '' });
    expect(d.unknowns).toEqual([]);
  });

  it('unknown after apply: the reference stays; unknown without an expression: nothing', () => {
    const d = one({ arn: { references: ['aws_s3_bucket.a.arn', 'aws_s3_bucket.a'] }, name: { constant_value: 'c' } }, { name: 'n' }, { arn: true, id: true, name: false });
    expect(vals(d, 'aws_x.r')).toEqual({ arn: '${aws_s3_bucket.a.arn}', name: 'n' });
    // after_unknown true wins over a known planned value
    expect(vals(one({ a: { references: ['aws_s3_bucket.a.arn'] } }, { a: 'planned' }, { a: true }), 'aws_x.r')).toEqual({ a: '${aws_s3_bucket.a.arn}' });
  });

  it('a planned null: the references of the expression, but a constant is not brought back', () => {
    const d = one({ a: { references: ['aws_s3_bucket.a.arn'] }, c: { constant_value: 'cfg' }, n: { references: ['local.q'] } }, { a: null, c: null, n: null });
    expect(vals(d, 'aws_x.r')).toStrictEqual({ a: '${aws_s3_bucket.a.arn}' });
    expect(unknowns(d)).toEqual([['aws_x.r', 'n is only known after apply and depends on local.q, which the plan does not describe']]);
  });

  it('an attribute absent from the planned values: the expression', () => {
    expect(vals(one({ a: { references: ['aws_s3_bucket.a.arn'] }, c: { constant_value: 'cfg' } }, { other: 1 }), 'aws_x.r')).toEqual({ a: '${aws_s3_bucket.a.arn}', c: 'cfg', other: 1 });
  });

  it('prior_state values when there is no planned entry; after_unknown is then ignored', () => {
    const d = one({ json: { references: ['aws_s3_bucket.a.arn'] }, p: { references: ['aws_s3_bucket.b.arn'] } }, undefined, { json: true }, { json: '{"a":1}', id: 'i', p: null });
    expect(vals(d, 'aws_x.r')).toEqual({ json: '{"a":1}', id: 'i', p: '${aws_s3_bucket.b.arn}' });
  });

  it('planned values over prior values; prior fills what the plan lacks', () => {
    const d = one({}, { a: 'new' }, {}, { a: 'old', arn: 'arn:old' });
    expect(vals(d, 'aws_x.r')).toEqual({ a: 'new', arn: 'arn:old' });
    // after_unknown applies to prior-only keys too when the resource is planned
    const e = one({ arn: { references: ['aws_s3_bucket.a.arn'] } }, { a: 'new' }, { arn: true }, { arn: 'arn:old' });
    expect(vals(e, 'aws_x.r')).toEqual({ a: 'new', arn: '${aws_s3_bucket.a.arn}' });
  });

  it('a resource change without `change` or address is harmless', () => {
    const p = mkPlan({ root: { resources: [cres('aws_x.r', { a: { references: ['aws_s3_bucket.a.arn'] } })] }, planned: { resources: [pres('aws_x.r', { a: 'k' })] } });
    p.resource_changes = [{ address: 'aws_x.r' }, { change: { after_unknown: { a: true } } }, 'junk'];
    expect(vals(loadPlanJson('s', p), 'aws_x.r')).toEqual({ a: 'k' });
  });

  it('nested blocks merge part by part with after_unknown', () => {
    const d = one(
      {
        statement: [
          { actions: { constant_value: ['s3:GetObject'] }, resources: { references: ['aws_s3_bucket.a.arn', 'aws_s3_bucket.a', 'aws_s3_bucket.b.arn'] }, sid: { constant_value: 'S' } },
        ],
      },
      { statement: [{ actions: ['s3:GetObject'], resources: [null, null], sid: 'S', effect: null, condition: [] }] },
      { statement: [{ actions: [false], resources: [true, true], condition: [] }], json: true },
    );
    expect(vals(d, 'aws_x.r')).toEqual({
      statement: [{ actions: ['s3:GetObject'], resources: ['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.b.arn}', '${aws_s3_bucket.a.arn}/*', '${aws_s3_bucket.b.arn}/*'], sid: 'S', condition: [] }],
    });
    expect(d.unknowns).toEqual([]);
  });

  it('list holes: null elements of a referenced list without after_unknown are holes; false marks a known null', () => {
    const refs = { references: ['aws_iam_user.a.arn', 'aws_iam_user.b.arn'] };
    expect(vals(one({ l: refs }, { l: [null, null] }), 'aws_x.r')).toEqual({ l: ['${aws_iam_user.a.arn}', '${aws_iam_user.b.arn}'] });
    expect(vals(one({ l: refs }, { l: ['x', null] }, { l: [false, true] }), 'aws_x.r')).toEqual({
      l: ['x', '${aws_iam_user.a.arn}', '${aws_iam_user.b.arn}'],
    });
    expect(vals(one({ l: refs }, { l: [null, null] }, { l: [false, false] }), 'aws_x.r')).toEqual({ l: [null, null] });
    expect(vals(one({ l: { references: ['aws_iam_user.a.arn'] } }, { l: [null] }, { l: { 0: true } }), 'aws_x.r')).toEqual({ l: ['${aws_iam_user.a.arn}'] });
    // A constant list's null is not a hole.
    expect(vals(one({ l: { references: [] } }, { l: [null] }), 'aws_x.r')).toEqual({ l: [] });
    expect(vals(one({}, { l: [null, 'k'] }), 'aws_x.r')).toEqual({ l: [null, 'k'] });
    // An element marked unknown is a hole even when the plan shows a value.
    expect(vals(one({ l: { references: ['aws_iam_user.a.arn'] } }, { l: ['shown', 'k'] }, { l: [true, false] }), 'aws_x.r')).toEqual({ l: ['${aws_iam_user.a.arn}', 'k'] });
  });

  it('as many holes as references: in order; IAM resources lists read a repeated ARN as its objects', () => {
    const twice = { references: ['aws_s3_bucket.a.arn', 'aws_s3_bucket.a', 'aws_s3_bucket.a.arn', 'aws_s3_bucket.a'] };
    const h = { l: [true, true] };
    const top = (attr: string, e: J) => vals(one({ [attr]: e }, { [attr]: [null, null] }, { [attr]: h.l }), 'aws_x.r')?.[attr];
    expect(top('resources', twice)).toEqual(['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}/*']);
    expect(top('not_resources', twice)).toEqual(['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}/*']);
    expect(top('items', twice)).toEqual(['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}']);
    expect(top('xresources', twice)).toEqual(['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}']);
    expect(top('resources_x', twice)).toEqual(['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}']);
    expect(top('resources', { references: ['aws_s3_bucket.a.id', 'aws_s3_bucket.a.id'] })).toEqual(['${aws_s3_bucket.a.id}', '${aws_s3_bucket.a.id}']);
    expect(top('resources', { references: ['aws_s3_bucket.a.arn', 'aws_s3_bucket.b.arn'] })).toEqual(['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.b.arn}']);
    // known elements keep their places
    expect(vals(one({ l: { references: ['aws_s3_bucket.a.arn'] } }, { l: ['k0', null, 'k2'] }, { l: [false, true, false] }), 'aws_x.r')?.l).toEqual(['k0', '${aws_s3_bucket.a.arn}', 'k2']);
    // inside a statement the path ends in `.resources`
    const d = one(
      { statement: [{ not_resources: twice }] },
      { statement: [{ not_resources: [null, null], effect: 'Deny' }] },
      { statement: [{ not_resources: [true, true] }] },
    );
    expect(vals(d, 'aws_x.r')).toEqual({ statement: [{ not_resources: ['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}/*'], effect: 'Deny' }] });
    expect(d.unknowns).toEqual([]);
  });

  it('more or fewer references than holes: every distinct reference, recorded', () => {
    const d = one(
      { l: { references: ['aws_s3_bucket.a.arn', 'aws_s3_bucket.a.arn', 'aws_s3_bucket.b.arn'] }, m: { constant_value: 'x' } },
      { l: ['keep', null, null], m: ['k', null], n: [null, 'z'] },
      { l: [false, true, true], m: [false, true], n: [true, false] },
    );
    expect(vals(d, 'aws_x.r')).toEqual({ l: ['keep', '${aws_s3_bucket.a.arn}', '${aws_s3_bucket.b.arn}'], m: ['k'], n: ['z'] });
    expect(unknowns(d)).toEqual([
      ['aws_x.r', 'l has 2 element(s) only known after apply and 3 reference(s) (aws_s3_bucket.a.arn, aws_s3_bucket.a.arn, aws_s3_bucket.b.arn); read as every reference'],
      ['aws_x.r', 'm has 1 element(s) only known after apply and 0 reference(s) (none); read as every reference'],
      ['aws_x.r', 'n has 1 element(s) only known after apply and 0 reference(s) (none); read as every reference'],
    ]);
  });

  it('lists without holes: objects and lists inside are cleaned of nulls', () => {
    const d = one({ l: { references: ['aws_s3_bucket.a.arn'] } }, { l: [{ a: 1, b: null }, [{ c: null, d: 2 }], 'k'], o: [{ x: null }] }, { l: [false, [{ c: false }], false] });
    expect(vals(d, 'aws_x.r')).toStrictEqual({ l: [{ a: 1 }, [{ d: 2 }], 'k'], o: [{}] });
    const n = one({}, { l: ['k', { r: [null] }] }, { l: [false, { r: [true] }] });
    expect(vals(n, 'aws_x.r')).toStrictEqual({ l: ['k', { r: [] }] });
    expect(unknowns(n)).toEqual([['aws_x.r', 'l[1].r has 1 element(s) only known after apply and 0 reference(s) (none); read as every reference']]);
  });

  it('list of blocks: each planned element over its own block; extra elements stand alone', () => {
    const d = one(
      { rule: [{ id: { constant_value: 'r0' }, target: { references: ['aws_s3_bucket.a.arn'] } }] },
      { rule: [{ id: 'r0', target: null }, { id: 'r1', target: null, list: [null] }] },
      { rule: [{ target: true }, { target: true, list: [true] }] },
    );
    expect(vals(d, 'aws_x.r')).toEqual({ rule: [{ id: 'r0', target: '${aws_s3_bucket.a.arn}' }, { id: 'r1', list: [] }] });
    expect(unknowns(d)).toEqual([['aws_x.r', 'rule[1].list has 1 element(s) only known after apply and 0 reference(s) (none); read as every reference']]);
  });

  it('an object planned value over a block, or over the first block of a list', () => {
    const e = { a: { references: ['aws_s3_bucket.a.arn'] }, b: { constant_value: 'B' }, c: { references: ['aws_s3_bucket.c.arn'] }, z: { constant_value: null } };
    const planned = { a: null, k: 'known' };
    const u = { a: true, c: true, z: true };
    expect(vals(one({ cfg: e }, { cfg: planned }, { cfg: u }), 'aws_x.r')).toStrictEqual({ cfg: { a: '${aws_s3_bucket.a.arn}', c: '${aws_s3_bucket.c.arn}', k: 'known' } });
    const two = one({ cfg: { c: { references: ['aws_s3_bucket.c.arn', 'aws_s3_bucket.d.arn'] } } }, { cfg: {} }, { cfg: { c: true } });
    expect(vals(two, 'aws_x.r')).toStrictEqual({ cfg: { c: '${aws_s3_bucket.c.arn}${aws_s3_bucket.d.arn}' } });
    expect(unknowns(two)).toEqual([
      ['aws_x.r', 'cfg.c is only known after apply and the plan lists only its references (aws_s3_bucket.c.arn, aws_s3_bucket.d.arn), not its text; read as those references'],
    ]);
    expect(vals(one({ cfg: [e] }, { cfg: planned }, { cfg: u }), 'aws_x.r')).toEqual({ cfg: { a: '${aws_s3_bucket.a.arn}', c: '${aws_s3_bucket.c.arn}', k: 'known' } });
    // Without after_unknown the attributes the plan does not list stay out.
    expect(vals(one({ cfg: e }, { cfg: planned }), 'aws_x.r')).toStrictEqual({ cfg: { a: '${aws_s3_bucket.a.arn}', k: 'known' } });
    // An empty block list, or a list whose first item is not a block: no attributes to add.
    expect(vals(one({ cfg: [] }, { cfg: { k: 1 } }, { cfg: { a: true } }), 'aws_x.r')).toEqual({ cfg: { k: 1 } });
    expect(vals(one({ cfg: [{ constant_value: 'x' }, e] }, { cfg: { k: 1 } }, { cfg: { a: true } }), 'aws_x.r')).toEqual({ cfg: { k: 1 } });
    expect(vals(one({ cfg: { references: ['aws_s3_bucket.a.arn'] } }, { cfg: { k: 1 } }, { cfg: { references: true } }), 'aws_x.r')).toEqual({ cfg: { k: 1 } });
  });

  it('after_unknown parts of the wrong shape are ignored', () => {
    const d = one({ statement: [{ resources: { references: ['aws_s3_bucket.a.arn'] } }] }, { statement: [{ resources: ['k'] }], m: { a: 1 } }, { statement: 'x', m: [true] });
    expect(vals(d, 'aws_x.r')).toEqual({ statement: [{ resources: ['k'] }], m: { a: 1 } });
  });
});

describe('constants merge with planned values part by part', () => {
  const one = (expressions: J, planned: J, unk: unknown) =>
    vals(load({ root: { resources: [cres('aws_x.r', expressions)] }, planned: { resources: [pres('aws_x.r', planned)] }, changes: { 'aws_x.r': unk } }), 'aws_x.r');

  it('a constant list is a list of parts: an unknown element takes the constant’s element', () => {
    expect(one({ l: { constant_value: ['x', 'y'] } }, { l: ['x', null] }, { l: [false, true] })).toStrictEqual({ l: ['x', 'y'] });
    expect(one({ l: { constant_value: [{ a: 'c' }] } }, { l: [{}] }, { l: [{ a: true }] })).toStrictEqual({ l: [{ a: 'c' }] });
  });

  it('a constant object is an object of parts: an unknown member takes the constant’s member', () => {
    expect(one({ o: { constant_value: { a: 'c', b: 'd' } } }, { o: { k: 1 } }, { o: { a: true } })).toStrictEqual({ o: { k: 1, a: 'c' } });
  });
});

describe('Allow statements whose resources lost their text also cover the objects', () => {
  const stmt = (planned: J, resourcesUnk: unknown = undefined) =>
    vals(
      load({
        root: { resources: [cres('aws_x.r', { statement: [{ resources: { references: ['aws_s3_bucket.a.arn'] } }] })] },
        planned: { resources: [pres('aws_x.r', { statement: [planned] })] },
        changes: { 'aws_x.r': { statement: [{ resources: resourcesUnk }] } },
      }),
      'aws_x.r',
    )?.statement;

  it('adds `${…arn}/*` next to a lone `${…arn}` unless the statement denies or has it already', () => {
    expect(stmt({ resources: [null] }, [true])).toEqual([{ resources: ['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}/*'] }]);
    expect(stmt({ resources: [null], effect: 'Allow' }, [true])).toEqual([{ resources: ['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}/*'], effect: 'Allow' }]);
    expect(stmt({ resources: [null], effect: 'Deny' }, [true])).toEqual([{ resources: ['${aws_s3_bucket.a.arn}'], effect: 'Deny' }]);
    expect(stmt({ resources: ['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}/*'] })).toEqual([{ resources: ['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}/*'] }]);
    expect(stmt({ resources: ['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}'] })).toEqual([
      { resources: ['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}/*'] },
    ]);
  });

  it('only whole `${…arn}` strings', () => {
    const list = ['arn:aws:s3:::b', '${aws_s3_bucket.a.id}', 'x${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}x', '${a}.arn}', 7, ['${aws_s3_bucket.n.arn}'], '${aws_s3_bucket.c.arn}'];
    expect(stmt({ resources: list })).toEqual([{ resources: [...list, '${aws_s3_bucket.c.arn}/*'] }]);
    expect(stmt({ resources: '${aws_s3_bucket.a.arn}' })).toEqual([{ resources: '${aws_s3_bucket.a.arn}' }]);
  });
});

describe('count, for_each and module instances', () => {
  it('one resource per planned instance, in index order; count 0 gives none; a single block its plain address', () => {
    const d = load({
      root: {
        resources: [
          cres('aws_iam_user.c', { name: { references: ['count.index'] } }, { count_expression: { constant_value: 3 } }),
          cres('aws_iam_user.f', { name: { references: ['each.key'] } }, { for_each_expression: { references: ['var.m'] } }),
          cres('aws_iam_user.zero', {}, { count_expression: { constant_value: 0 } }),
          cres('aws_iam_user.none', {}, { for_each_expression: { constant_value: {} } }),
          cres('aws_iam_user.single', { name: { constant_value: 'single' } }),
          cres('data.aws_caller_identity.me'),
        ],
      },
      planned: {
        resources: [
          pres('aws_iam_user.c[10]', { name: 'c10' }),
          pres('aws_iam_user.c[2]', { name: 'c2' }),
          pres('aws_iam_user.c[1]', { name: 'c1' }),
          pres('aws_iam_user.f["b"]', { name: 'b' }),
          pres('aws_iam_user.f["a"]', { name: 'a' }),
          pres('aws_iam_user.f["c"]', { name: 'c' }),
          pres('aws_iam_user.cx', { name: 'other' }),
          { values: { name: 'no address' } },
        ],
      },
    });
    expect(addrs(d)).toEqual([
      'aws_iam_user.c[1]',
      'aws_iam_user.c[2]',
      'aws_iam_user.c[10]',
      'aws_iam_user.f["a"]',
      'aws_iam_user.f["b"]',
      'aws_iam_user.f["c"]',
      'aws_iam_user.single',
      'data.aws_caller_identity.me',
    ]);
    expect(d.resources.map((r) => r.values.name)).toEqual(['c1', 'c2', 'c10', 'a', 'b', 'c', 'single', undefined]);
    expect(res(d, 'aws_iam_user.c[10]')).toEqual({ stack: 's', mode: 'managed', type: 'aws_iam_user', name: 'c', address: 'aws_iam_user.c[10]', module: '', values: { name: 'c10' }, provider: 'aws' });
    expect(res(d, 'data.aws_caller_identity.me')).toEqual({ stack: 's', mode: 'data', type: 'aws_caller_identity', name: 'me', address: 'data.aws_caller_identity.me', module: '', values: {}, provider: 'aws' });
  });

  it('numeric indices sort numerically in any input order; string keys as strings', () => {
    const order = [10, 2, 11, 1, 0, 3, 20, 9];
    for (const list of [order, [...order].reverse(), [2, 10], [10, 2], [1, 10, 2]]) {
      const d = load({
        root: { resources: [cres('aws_x.c', {}, { count_expression: { constant_value: list.length } })] },
        planned: { resources: list.map((i) => pres(`aws_x.c[${i}]`, { i })) },
      });
      expect(d.resources.map((r) => r.values.i)).toEqual([...list].sort((a, b) => a - b));
    }
    // Inside an indexed module instance the resource's own index counts, not the module's.
    for (const list of [order, [...order].reverse(), [2, 10, 1], [10, 2, 1]]) {
      const d = load({
        root: { module_calls: { m: { module: { resources: [cres('aws_x.c', {}, { count_expression: { constant_value: list.length } })] } } } },
        planned: { child_modules: [{ address: 'module.m[3]', resources: list.map((i) => pres(`module.m[3].aws_x.c[${i}]`, { i })) }] },
      });
      expect(d.resources.map((r) => r.values.i)).toEqual([...list].sort((a, b) => a - b));
    }
    const keys = ['b', 'a10', 'a2', 'B', 'c'];
    const f = load({ root: { resources: [cres('aws_x.f', {}, { for_each_expression: {} })] }, planned: { resources: keys.map((k) => pres(`aws_x.f["${k}"]`, {})) } });
    expect(addrs(f)).toEqual(['aws_x.f["B"]', 'aws_x.f["a10"]', 'aws_x.f["a2"]', 'aws_x.f["b"]', 'aws_x.f["c"]']);
  });

  it('an unindexed instance sorts before indexed ones of the same block', () => {
    for (const list of [['aws_x.r[1]', 'aws_x.r'], ['aws_x.r', 'aws_x.r[1]']]) {
      const d = load({ root: { resources: [cres('aws_x.r')] }, planned: { resources: list.map((a) => pres(a, {})) } });
      expect(addrs(d)).toEqual(['aws_x.r', 'aws_x.r[1]']);
    }
  });

  it('the configuration address wins over type and name; a missing name is empty', () => {
    const d = load({ root: { resources: [{ address: 'aws_x.alias', mode: 'managed', type: 'aws_x', name: 'r' }, { address: 'aws_y.n', type: 'aws_y' }] } });
    expect(d.resources.map((r) => [r.address, r.type, r.name])).toEqual([
      ['aws_x.alias', 'aws_x', 'r'],
      ['aws_y.n', 'aws_y', ''],
    ]);
  });

  it('a data source instance and a managed resource of the same type and name are kept apart', () => {
    const d = load({
      root: { resources: [cres('aws_s3_bucket.b', { bucket: { constant_value: 'm' } }), cres('data.aws_s3_bucket.b', { bucket: { constant_value: 'd' } })] },
      planned: { resources: [pres('aws_s3_bucket.b', { bucket: 'managed' }), pres('data.aws_s3_bucket.b', { bucket: 'data' })] },
    });
    expect(d.resources.map((r) => [r.address, r.mode, r.values.bucket])).toEqual([
      ['aws_s3_bucket.b', 'managed', 'managed'],
      ['data.aws_s3_bucket.b', 'data', 'data'],
    ]);
  });

  it('addresses from type and name when the configuration has none; provider keys', () => {
    const d = load({
      root: {
        resources: [
          { mode: 'data', type: 'aws_iam_policy_document', name: 'p', provider_config_key: 'module.x:aws.keys' },
          { mode: 'managed', type: 'google_storage_bucket', name: 'g' },
          { type: 'aws_s3_bucket', name: 'e', provider_config_key: '' },
          { type: 'aws_s3_bucket', name: 'k', provider_config_key: 'aws.keys' },
          { type: 'aws_s3_bucket', name: 'n', provider_config_key: 5 },
          { mode: 'data', name: 'q', provider_config_key: 'aws' },
        ],
      },
    });
    expect(d.resources.map((r) => [r.address, r.mode, r.type, r.name, r.provider, r.module])).toEqual([
      ['data.aws_iam_policy_document.p', 'data', 'aws_iam_policy_document', 'p', 'aws.keys', ''],
      ['google_storage_bucket.g', 'managed', 'google_storage_bucket', 'g', 'google', ''],
      ['aws_s3_bucket.e', 'managed', 'aws_s3_bucket', 'e', 'aws', ''],
      ['aws_s3_bucket.k', 'managed', 'aws_s3_bucket', 'k', 'aws.keys', ''],
      ['aws_s3_bucket.n', 'managed', 'aws_s3_bucket', 'n', 'aws', ''],
      ['data.undefined.q', 'data', '', 'q', 'aws', ''],
    ]);
  });

  it('module instances (count) each get their resources, from their own planned values', () => {
    const d = load({
      root: {
        module_calls: {
          m: {
            expressions: { n: { references: ['count.index'] } },
            count_expression: { constant_value: 3 },
            module: { resources: [cres('aws_iam_user.u', { name: { references: ['var.n'] }, arn: { references: ['aws_iam_user.x.arn'] } })] },
          },
        },
      },
      planned: {
        child_modules: [
          { address: 'module.m[10]', resources: [pres('module.m[10].aws_iam_user.u', { name: 'u10' })] },
          { address: 'module.m[2]', resources: [pres('module.m[2].aws_iam_user.u', { name: 'u2' })] },
          { address: 'module.m[1]', resources: [pres('module.m[1].aws_iam_user.u', { name: 'u1', arn: null })] },
        ],
      },
      changes: { 'module.m[2].aws_iam_user.u': { arn: true }, 'module.m[1].aws_iam_user.u': { arn: false } },
    });
    expect(d.resources.map((r) => [r.address, r.module, r.values])).toEqual([
      ['module.m[1].aws_iam_user.u', 'module.m[1]', { name: 'u1', arn: '${module.m[1].aws_iam_user.x.arn}' }],
      ['module.m[2].aws_iam_user.u', 'module.m[2]', { name: 'u2', arn: '${module.m[2].aws_iam_user.x.arn}' }],
      ['module.m[10].aws_iam_user.u', 'module.m[10]', { name: 'u10', arn: '${module.m[10].aws_iam_user.x.arn}' }],
    ]);
    expect(d.unknowns).toEqual([]);
  });

  it('nested module instances: each parent instance walks only its own children', () => {
    const leaf = { resources: [cres('aws_s3_bucket.b', { bucket: { constant_value: 'cfg' } }, { count_expression: { constant_value: 2 } })] };
    const d = load({
      root: { module_calls: { a: { module: { module_calls: { b: { module: leaf } } } } } },
      planned: {
        child_modules: [
          {
            address: 'module.a["y"]',
            child_modules: [{ address: 'module.a["y"].module.b', resources: [pres('module.a["y"].module.b.aws_s3_bucket.b[0]', { bucket: 'y0' })] }],
          },
          {
            address: 'module.a["x"]',
            child_modules: [
              {
                address: 'module.a["x"].module.b',
                resources: [pres('module.a["x"].module.b.aws_s3_bucket.b[1]', { bucket: 'x1' }), pres('module.a["x"].module.b.aws_s3_bucket.b[0]', { bucket: 'x0' })],
              },
            ],
          },
        ],
      },
    });
    expect(d.resources.map((r) => [r.address, r.module, r.values.bucket])).toEqual([
      ['module.a["x"].module.b.aws_s3_bucket.b[0]', 'module.a["x"].module.b', 'x0'],
      ['module.a["x"].module.b.aws_s3_bucket.b[1]', 'module.a["x"].module.b', 'x1'],
      ['module.a["y"].module.b.aws_s3_bucket.b[0]', 'module.a["y"].module.b', 'y0'],
    ]);
  });

  it('nested indexed module instances sort numerically and stay under their parent instance', () => {
    const leaf = { resources: [cres('aws_x.r')] };
    const inner = (a: string, b: number): J => ({ address: `${a}.module.b[${b}]`, resources: [pres(`${a}.module.b[${b}].aws_x.r`, { v: `${a}/${b}` })] });
    const d = load({
      root: { module_calls: { a: { module: { module_calls: { b: { module: leaf } } } } } },
      planned: {
        child_modules: [
          { address: 'module.a[1]', child_modules: [inner('module.a[1]', 0)] },
          { address: 'module.a[0]', child_modules: [inner('module.a[0]', 10), inner('module.a[0]', 2), inner('module.a[0]', 1)] },
        ],
      },
    });
    expect(d.resources.map((r) => [r.address, r.module, r.values.v])).toEqual([
      ['module.a[0].module.b[1].aws_x.r', 'module.a[0].module.b[1]', 'module.a[0]/1'],
      ['module.a[0].module.b[2].aws_x.r', 'module.a[0].module.b[2]', 'module.a[0]/2'],
      ['module.a[0].module.b[10].aws_x.r', 'module.a[0].module.b[10]', 'module.a[0]/10'],
      ['module.a[1].module.b[0].aws_x.r', 'module.a[1].module.b[0]', 'module.a[1]/0'],
    ]);
  });

  it('sibling module calls get only their own instances', () => {
    const d = load({
      root: { module_calls: { a: { module: { resources: [cres('aws_x.ra')] } }, b: { module: { resources: [cres('aws_x.rb')] } } } },
      planned: {
        child_modules: [
          { address: 'module.a[0]', resources: [pres('module.a[0].aws_x.ra', { v: 'a' })] },
          { address: 'module.b["k"]', resources: [pres('module.b["k"].aws_x.rb', { v: 'b' })] },
        ],
      },
    });
    expect(d.resources.map((r) => [r.address, r.values])).toEqual([
      ['module.a[0].aws_x.ra', { v: 'a' }],
      ['module.b["k"].aws_x.rb', { v: 'b' }],
    ]);
  });

  it('child modules without an address keep the parent module address', () => {
    const idx = load({
      root: { module_calls: { a: { module: { resources: [cres('aws_x.r')] } } } },
      planned: { child_modules: [{ address: 'module.a[0]', child_modules: [{ resources: [pres('module.a[0].aws_x.r', { v: 1 })] }] }] },
    });
    expect(idx.resources.map((r) => [r.address, r.module, r.values])).toEqual([['module.a[0].aws_x.r', 'module.a[0]', { v: 1 }]]);
    const d = load({
      root: { module_calls: { a: { module: { resources: [cres('aws_x.r')] } } } },
      planned: { child_modules: [{ address: 'module.a', child_modules: [{ resources: [pres('module.a.aws_x.r', { v: 1 })] }] }] },
    });
    expect(d.resources.map((r) => [r.address, r.values])).toEqual([['module.a.aws_x.r', { v: 1 }]]);
  });

  it('a module with nothing planned: its plain path, values from the configuration', () => {
    const d = load({
      root: {
        resources: [cres('aws_x.top', { a: { constant_value: 1 } })],
        module_calls: { 'my-mod': { expressions: { t: { references: ['aws_x.top.id'] } }, module: { resources: [cres('aws_x.in', { t: { references: ['var.t'] } })] } } },
      },
      planned: { resources: [pres('aws_x.top', { a: 1 })] },
    });
    expect(d.resources.map((r) => [r.address, r.module, r.values])).toEqual([
      ['aws_x.top', '', { a: 1 }],
      ['module.my-mod.aws_x.in', 'module.my-mod', { t: '${aws_x.top.id}' }],
    ]);
  });

  it('instances that exist only in prior_state (data sources read during plan)', () => {
    const d = load({
      root: {
        resources: [cres('data.aws_iam_policy_document.p', { json: { references: ['aws_s3_bucket.a.arn'] } }, { count_expression: { constant_value: 1 } })],
        module_calls: { m: { module: { resources: [cres('data.aws_caller_identity.me')] } } },
      },
      prior: {
        resources: [pres('data.aws_iam_policy_document.p[0]', { json: '{"Statement":[]}', id: '1' })],
        child_modules: [{ address: 'module.m', resources: [pres('module.m.data.aws_caller_identity.me', { account_id: '123' })] }],
      },
    });
    expect(d.resources.map((r) => [r.address, r.mode, r.module, r.values])).toEqual([
      ['data.aws_iam_policy_document.p[0]', 'data', '', { json: '{"Statement":[]}', id: '1' }],
      ['module.m.data.aws_caller_identity.me', 'data', 'module.m', { account_id: '123' }],
    ]);
  });

  it('a root resource is not matched by a module resource of the same relative address', () => {
    const d = load({
      root: { resources: [cres('aws_x.r', {}, { count_expression: { constant_value: 1 } })], module_calls: { m: { module: { resources: [cres('aws_x.r')] } } } },
      planned: { resources: [pres('aws_x.r[0]', { root: true })], child_modules: [{ address: 'module.m', resources: [pres('module.m.aws_x.r', { mod: true })] }] },
    });
    expect(d.resources.map((r) => [r.address, r.values])).toEqual([
      ['aws_x.r[0]', { root: true }],
      ['module.m.aws_x.r', { mod: true }],
    ]);
  });
});

describe('providers', () => {
  it('root provider configurations with their values and alias; module providers are skipped', () => {
    const d = load({
      providers: {
        aws: { name: 'aws', expressions: { region: { constant_value: 'eu-central-1' }, default_tags: [{ tags: { constant_value: { a: 'b' } } }] } },
        'aws.keys': { name: 'aws', alias: 'keys', expressions: { region: { references: ['var.region'] } } },
        'google.west': { expressions: {} },
        'module.m:aws': { name: 'aws', expressions: { region: { constant_value: 'x' } } },
        docker: { name: 'docker', alias: 7 },
        renamed: { name: 'kubernetes' },
        'aws.loc': { name: 'aws', alias: 'loc', expressions: { region: { references: ['local.r'] }, role: { references: ['aws_iam_role.a.arn', 'aws_iam_role.b.arn'] } } },
      },
    });
    expect(d.providers).toEqual([
      { stack: 's', key: 'aws', type: 'aws', alias: undefined, values: { region: 'eu-central-1', default_tags: [{ tags: { a: 'b' } }] } },
      { stack: 's', key: 'aws.keys', type: 'aws', alias: 'keys', values: { alias: 'keys' } },
      { stack: 's', key: 'google.west', type: 'google', alias: undefined, values: {} },
      { stack: 's', key: 'docker', type: 'docker', alias: undefined, values: {} },
      { stack: 's', key: 'renamed', type: 'kubernetes', alias: undefined, values: {} },
      { stack: 's', key: 'aws.loc', type: 'aws', alias: 'loc', values: { role: '${aws_iam_role.a.arn}${aws_iam_role.b.arn}', alias: 'loc' } },
    ]);
    expect(d.providers.map((p) => 'alias' in p.values)).toEqual([false, true, false, false, false, true]);
    expect(unknowns(d)).toEqual([
      ['provider.aws.loc', 'provider.region is only known after apply and depends on local.r, which the plan does not describe'],
      ['provider.aws.loc', 'provider.role is only known after apply and the plan lists only its references (aws_iam_role.a.arn, aws_iam_role.b.arn), not its text; read as those references'],
    ]);
  });

  it('no provider_config: no providers; no backend ever', () => {
    const d = load({});
    expect(d).toEqual({ stack: 's', source: 's', resources: [], providers: [], backend: undefined, outputs: {}, unknowns: [] });
    expect(loadPlanJson('st', mkPlan({}), 'plan.json').source).toBe('plan.json');
    expect(loadPlanJson('st', mkPlan({})).source).toBe('st');
  });
});

describe('outputs', () => {
  it('references win over the planned value; else the planned value; else the expression', () => {
    const d = load({
      root: {
        outputs: {
          ref: { expression: { references: ['aws_s3_bucket.a.arn', 'aws_s3_bucket.a'] } },
          two: { expression: { references: ['aws_s3_bucket.a.id', 'aws_s3_bucket.b.id'] } },
          mod: { expression: { references: ['module.m.o', 'module.m'] } },
          onlyLocal: { expression: { references: ['local.x'] } },
          onlyLocalNoValue: { expression: { references: ['local.x'] } },
          konst: { expression: { constant_value: 'cfg' } },
          konstNoValue: { expression: { constant_value: 'cfg' } },
          obj: { expression: { constant_value: { a: 1 } } },
          noExpr: {},
          noExprValue: { sensitive: true },
          nullValue: { expression: { constant_value: 'cfg' } },
        },
        module_calls: { m: { module: { outputs: { o: { expression: { references: ['aws_iam_user.u.arn'] } } } } } },
      },
      outputs: {
        ref: { value: 'planned' },
        two: { value: 'planned' },
        onlyLocal: { value: 'from-plan' },
        konst: { value: 'planned' },
        noExprValue: { value: 'secret' },
        nullValue: { value: null },
        obj: 'junk',
      },
    });
    expect(d.outputs).toEqual({
      ref: '${aws_s3_bucket.a.arn}',
      two: '${aws_s3_bucket.a.id}${aws_s3_bucket.b.id}',
      mod: '${module.m.aws_iam_user.u.arn}',
      onlyLocal: 'from-plan',
      konst: 'planned',
      konstNoValue: 'cfg',
      obj: { a: 1 },
      noExprValue: 'secret',
      nullValue: null,
    });
    expect(Object.keys(d.outputs)).toEqual(['ref', 'two', 'mod', 'onlyLocal', 'onlyLocalNoValue', 'konst', 'konstNoValue', 'obj', 'noExpr', 'noExprValue', 'nullValue']);
    expect(d.outputs.onlyLocalNoValue).toBeUndefined();
    // Outputs record nothing.
    expect(d.unknowns).toEqual([]);
  });

  it('a block-shaped output expression is read part by part (and its template parts are recorded at address "")', () => {
    const d = load({ root: { outputs: { blk: { expression: { a: { references: ['aws_s3_bucket.a.arn', 'aws_s3_bucket.b.arn'] }, k: { constant_value: 1 } } } } } });
    expect(d.outputs).toStrictEqual({ blk: { a: '${aws_s3_bucket.a.arn}${aws_s3_bucket.b.arn}', k: 1 } });
    expect(unknowns(d)).toEqual([['', '.a is only known after apply and the plan lists only its references (aws_s3_bucket.a.arn, aws_s3_bucket.b.arn), not its text; read as those references']]);
  });
});

describe('identity policies whose text was lost', () => {
  const policyPlan = (type: string, refs: string[], planned: J = {}, unk: unknown = { policy: true }, extra: J[] = []) =>
    load({
      root: { resources: [cres(`${type}.p`, { policy: { references: refs }, user: { references: ['aws_iam_user.a.name', 'aws_iam_user.b.name'] } }), ...extra] },
      planned: { resources: [pres(`${type}.p`, planned)] },
      changes: { [`${type}.p`]: unk },
    });
  const conservative = (resources: string[]) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'PlanUnknownPolicy', Effect: 'Allow', Action: '${unknown action}', Resource: resources }] });
  const userUnknown = 'user is only known after apply and the plan lists only its references (aws_iam_user.a.name, aws_iam_user.b.name), not its text; read as those references';

  it('each identity policy type is read as full access to what it references; the first record is replaced', () => {
    for (const type of ['aws_iam_user_policy', 'aws_iam_role_policy', 'aws_iam_group_policy', 'aws_iam_policy']) {
      const d = policyPlan(type, ['aws_s3_bucket.a.arn', 'aws_s3_bucket.a', 'aws_kms_key.k.key_id', 'aws_s3_bucket.b.arn'], { user: null }, { policy: true, user: true });
      expect(vals(d, `${type}.p`)).toEqual({
        policy: conservative(['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}/*', '${aws_kms_key.k.key_id}', '${aws_s3_bucket.b.arn}', '${aws_s3_bucket.b.arn}/*']),
        user: '${aws_iam_user.a.name}${aws_iam_user.b.name}',
      });
      expect(unknowns(d)).toEqual([
        [`${type}.p`, userUnknown],
        [`${type}.p`, 'policy is only known after apply and the plan does not hold its text; read conservatively as any action on aws_s3_bucket.a.arn, aws_kms_key.k.key_id, aws_s3_bucket.b.arn'],
      ]);
    }
  });

  it('a single reference to a document or another policy is exact; a single ARN is not', () => {
    for (const ref of ['data.aws_iam_policy_document.d.json', 'data.aws_iam_policy_document.d.minified_json', 'aws_iam_policy.o.policy']) {
      const d = policyPlan('aws_iam_role_policy', [ref]);
      expect(vals(d, 'aws_iam_role_policy.p')?.policy).toBe(`\${${ref}}`);
      expect(unknowns(d)).toEqual([['aws_iam_role_policy.p', userUnknown]]);
    }
    for (const ref of ['data.aws_iam_policy_document.d.jsonx', 'data.aws_iam_policy_document.json.id']) {
      expect(vals(policyPlan('aws_iam_role_policy', [ref]), 'aws_iam_role_policy.p')?.policy).toBe(conservative([`\${${ref}}`]));
    }
    const arn = policyPlan('aws_iam_policy', ['aws_s3_bucket.a.arn']);
    expect(vals(arn, 'aws_iam_policy.p')?.policy).toBe(conservative(['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}/*']));
    expect(unknowns(arn)).toEqual([
      ['aws_iam_policy.p', userUnknown],
      ['aws_iam_policy.p', 'policy is only known after apply and the plan does not hold its text; read conservatively as any action on aws_s3_bucket.a.arn'],
    ]);
    // A document reference next to another one is not exact.
    expect(vals(policyPlan('aws_iam_policy', ['data.aws_iam_policy_document.d.json', 'aws_s3_bucket.a.arn']), 'aws_iam_policy.p')?.policy).toBe(
      conservative(['${data.aws_iam_policy_document.d.json}', '${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}/*']),
    );
  });

  it('known policy text, constants, no references, no policy and other types are left alone', () => {
    const known = policyPlan('aws_iam_policy', ['aws_s3_bucket.a.arn', 'aws_s3_bucket.b.arn'], { policy: '  {"Version":"2012-10-17"}' }, {});
    expect(vals(known, 'aws_iam_policy.p')?.policy).toBe('  {"Version":"2012-10-17"}');
    expect(unknowns(known)).toEqual([['aws_iam_policy.p', userUnknown]]);
    const plainText = policyPlan('aws_iam_policy', ['local.doc'], { policy: 'text' }, {});
    expect(vals(plainText, 'aws_iam_policy.p')?.policy).toBe('text');
    expect(unknowns(plainText)).toEqual([['aws_iam_policy.p', userUnknown]]);
    const d = load({ root: { resources: [cres('aws_iam_policy.c', { policy: { constant_value: '${data.x.y.arn}' } }), cres('aws_iam_policy.n', { name: { constant_value: 'n' } })] } });
    expect(d.resources.map((r) => r.values)).toEqual([{ policy: '${data.x.y.arn}' }, { name: 'n' }]);
    expect(d.unknowns).toEqual([]);
    const bucketPolicy = policyPlan('aws_s3_bucket_policy', ['aws_s3_bucket.a.arn', 'aws_s3_bucket.b.arn']);
    expect(vals(bucketPolicy, 'aws_s3_bucket_policy.p')?.policy).toBe('${aws_s3_bucket.a.arn}${aws_s3_bucket.b.arn}');
    expect(unknowns(bucketPolicy)).toEqual([
      ['aws_s3_bucket_policy.p', 'policy is only known after apply and the plan lists only its references (aws_s3_bucket.a.arn, aws_s3_bucket.b.arn), not its text; read as those references'],
      ['aws_s3_bucket_policy.p', userUnknown],
    ]);
    // A planned policy text without a policy expression.
    const noExpr = load({ root: { resources: [cres('aws_iam_policy.p', { name: { constant_value: 'n' } })] }, planned: { resources: [pres('aws_iam_policy.p', { policy: 'text', name: 'n' })] } });
    expect(vals(noExpr, 'aws_iam_policy.p')).toEqual({ policy: 'text', name: 'n' });
    expect(noExpr.unknowns).toEqual([]);
    // A policy value that is not a string.
    const notString = policyPlan('aws_iam_policy', ['aws_s3_bucket.a.arn', 'aws_s3_bucket.b.arn'], { policy: { a: 1 } }, {});
    expect(vals(notString, 'aws_iam_policy.p')?.policy).toEqual({ a: 1 });
  });

  it('only the policy record of that resource is replaced; others stay, in order', () => {
    const other = cres('aws_x.first', { policy: { references: ['aws_s3_bucket.x.arn', 'aws_s3_bucket.y.arn'] }, k: { references: ['local.k'] } });
    const d = load({
      root: {
        resources: [
          other,
          cres('aws_iam_policy.p', { policy: { references: ['aws_s3_bucket.a.arn', 'aws_s3_bucket.b.arn'] }, policy_x: { references: ['aws_s3_bucket.c.arn', 'aws_s3_bucket.d.arn'] } }),
        ],
      },
    });
    expect(unknowns(d)).toEqual([
      ['aws_x.first', 'policy is only known after apply and the plan lists only its references (aws_s3_bucket.x.arn, aws_s3_bucket.y.arn), not its text; read as those references'],
      ['aws_x.first', 'k is only known after apply and depends on local.k, which the plan does not describe'],
      ['aws_iam_policy.p', 'policy_x is only known after apply and the plan lists only its references (aws_s3_bucket.c.arn, aws_s3_bucket.d.arn), not its text; read as those references'],
      ['aws_iam_policy.p', 'policy is only known after apply and the plan does not hold its text; read conservatively as any action on aws_s3_bucket.a.arn, aws_s3_bucket.b.arn'],
    ]);
    // The policy record at index 0 is removed too.
    const first = load({ root: { resources: [cres('aws_iam_policy.p', { policy: { references: ['aws_s3_bucket.a.arn', 'aws_s3_bucket.b.id'] } })] } });
    expect(unknowns(first)).toEqual([
      ['aws_iam_policy.p', 'policy is only known after apply and the plan does not hold its text; read conservatively as any action on aws_s3_bucket.a.arn, aws_s3_bucket.b.id'],
    ]);
    expect(vals(first, 'aws_iam_policy.p')?.policy).toBe(conservative(['${aws_s3_bucket.a.arn}', '${aws_s3_bucket.a.arn}/*', '${aws_s3_bucket.b.id}']));
  });

  it('inside a module the references are module-qualified', () => {
    const d = load({
      root: {
        module_calls: {
          m: {
            expressions: { t: { references: ['aws_s3_bucket.top.arn'] } },
            module: { resources: [cres('aws_iam_role_policy.p', { policy: { references: ['aws_s3_bucket.own.arn', 'var.t'] } })] },
          },
        },
      },
    });
    expect(vals(d, 'module.m.aws_iam_role_policy.p')?.policy).toBe(
      conservative(['${module.m.aws_s3_bucket.own.arn}', '${module.m.aws_s3_bucket.own.arn}/*', '${aws_s3_bucket.top.arn}', '${aws_s3_bucket.top.arn}/*']),
    );
    expect(unknowns(d)).toEqual([
      ['module.m.aws_iam_role_policy.p', 'policy is only known after apply and the plan does not hold its text; read conservatively as any action on module.m.aws_s3_bucket.own.arn, aws_s3_bucket.top.arn'],
    ]);
  });
});

/** A plan whose root module has one for_each bucket block, planned with these keys. */
function forEachPlan(keys: string[], module?: string): Record<string, unknown> {
  const prefix = module ? `${module}.` : '';
  const bucketBlock = {
    address: 'aws_s3_bucket.b',
    mode: 'managed',
    type: 'aws_s3_bucket',
    name: 'b',
    provider_config_key: 'aws',
    expressions: { bucket: { references: ['each.key'] }, tags: { constant_value: { 'custody:role': 'key-backup' } } },
    for_each_expression: { references: ['var.keys'] },
  };
  const planned = keys.map((k) => ({ address: `${prefix}aws_s3_bucket.b[${JSON.stringify(k)}]`, values: { bucket: k } }));
  return {
    format_version: '1.2',
    configuration: module
      ? { root_module: { module_calls: { m: { module: { resources: [bucketBlock] } } } } }
      : { root_module: { resources: [bucketBlock] } },
    planned_values: { root_module: module ? { child_modules: [{ address: module, resources: planned }] } : { resources: planned } },
    resource_changes: [],
  };
}

describe('for_each keys that hold ] or . are instance keys, not the end of the address', () => {
  it('each instance keeps its configuration (tags) whatever its key', () => {
    const d = loadPlanJson('s', forEachPlan(['plain', 'a]b', 'x.y', 'q"]r']));
    expect(d.resources.map((r) => [r.address, r.values.bucket, (r.values.tags as Record<string, string> | undefined)?.['custody:role']])).toEqual([
      ['aws_s3_bucket.b["a]b"]', 'a]b', 'key-backup'],
      ['aws_s3_bucket.b["plain"]', 'plain', 'key-backup'],
      ['aws_s3_bucket.b["q\\"]r"]', 'q"]r', 'key-backup'],
      ['aws_s3_bucket.b["x.y"]', 'x.y', 'key-backup'],
    ]);
    expect(buildModel([d]).stores.map((s) => s.address)).toEqual(['aws_s3_bucket.b["a]b"]', 'aws_s3_bucket.b["plain"]', 'aws_s3_bucket.b["q\\"]r"]', 'aws_s3_bucket.b["x.y"]']);
  });

  it('inside a module instance keyed the same way', () => {
    const d = loadPlanJson('s', forEachPlan(['a]b'], 'module.m["k]1"]'));
    expect(d.resources.map((r) => [r.address, r.module, (r.values.tags as Record<string, string> | undefined)?.['custody:role']])).toEqual([
      ['module.m["k]1"].aws_s3_bucket.b["a]b"]', 'module.m["k]1"]', 'key-backup'],
    ]);
  });

  it('a reference to such an instance keeps its whole index', () => {
    expect(extractRefs('${aws_s3_bucket.b["a]b"].arn}')).toEqual([expect.objectContaining({ address: 'aws_s3_bucket.b', index: '["a]b"]', attr: 'arn' })]);
    expect(extractRefs('${aws_s3_bucket.b[0].arn}')).toEqual([expect.objectContaining({ address: 'aws_s3_bucket.b', index: '[0]', attr: 'arn' })]);
  });
});
