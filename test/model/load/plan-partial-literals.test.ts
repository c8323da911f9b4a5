/**
 * The plan front end (lib/model/load/plan.ts) on lists that are partly known at plan time.
 *
 * The shape of test/terraform/plan-equivalence.test.ts case (b): an `aws_iam_policy_document`
 * (JSON syntax, as cdktf writes it) whose `resources` mix a bucket ARN known only after apply
 * with another bucket's literal ARN. Terraform defers the data source and reports `resources`,
 * a set, sorted: the known literals first, the unknown elements (`null`, `after_unknown: true`)
 * last, while the configuration gives the raw list, in source order, as `constant_value`.
 * Pairing the two by position filled the holes with the literals again and lost the
 * reference, silently: KC011 was missed on the plan and no KC092 said so.
 */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../lib/model/build';
import { loadPlanJson } from '../../../lib/model/load/plan';
import type { TfDocument } from '../../../lib/model/types';
import { ALL_RULES } from '../../../lib/rules';
import { runRules } from '../../../lib/rules/engine';
import { rule as kc011 } from '../../../lib/rules/kc011-no-shared-principal';
import type { CustodyRule } from '../../../lib/rules/rule';

type J = Record<string, unknown>;

const RULES: readonly CustodyRule[] = ALL_RULES.some((r) => r.id === 'KC011') ? ALL_RULES : [...ALL_RULES, kc011];

const KEY_TAGS = { 'custody:role': 'key-backup', 'custody:key': 'zitadel', 'custody:app': 'zitadel' };
const DB_TAGS = { 'custody:role': 'db-backup', 'custody:app': 'zitadel' };
const KEY_ARN = 'arn:aws:s3:::kc-key-backup';

interface Res {
  readonly address: string;
  readonly expressions: J;
  readonly values: J;
  readonly afterUnknown: J;
}

function split(address: string): { mode: string; type: string; name: string } {
  const data = address.startsWith('data.');
  const [type, name] = (data ? address.slice(5) : address).split('.');
  return { mode: data ? 'data' : 'managed', type, name };
}

/** A `terraform show -json` plan of these root resources (no prior state: nothing applied yet). */
function mkPlan(rs: readonly Res[]): J {
  return {
    format_version: '1.2',
    terraform_version: '1.11.0',
    configuration: {
      provider_config: { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws' } },
      root_module: { resources: rs.map((r) => ({ address: r.address, ...split(r.address), provider_config_key: 'aws', expressions: r.expressions, schema_version: 0 })) },
    },
    planned_values: { root_module: { resources: rs.map((r) => ({ address: r.address, ...split(r.address), schema_version: 0, values: r.values })) } },
    resource_changes: rs.map((r) => {
      const s = split(r.address);
      const read = s.mode === 'data';
      return {
        address: r.address,
        ...s,
        change: { actions: [read ? 'read' : 'create'], before: null, after: r.values, after_unknown: r.afterUnknown },
        ...(read ? { action_reason: 'read_because_config_unknown' } : {}),
      };
    }),
    complete: true,
    errored: false,
  };
}

const bucket = (name: string, tags: J): Res => ({
  address: `aws_s3_bucket.${name}`,
  expressions: { bucket: { constant_value: name }, tags: { constant_value: tags } },
  values: { bucket: name, tags },
  afterUnknown: { arn: true, id: true, tags_all: true },
});

/**
 * The db stack: bucket `db` (ARN known only after apply), user `ops`, and one policy document
 * naming `configured` (raw JSON-syntax text, source order) whose plan holds `planned` (a
 * sorted set, `null` where `unknown` is true).
 */
function dbPlan(configured: readonly string[], planned: readonly (string | null)[], unknown: readonly boolean[]): J {
  return mkPlan([
    bucket('db', DB_TAGS),
    { address: 'aws_iam_user.ops', expressions: { name: { constant_value: 'ops' } }, values: { name: 'ops', path: '/' }, afterUnknown: { arn: true, id: true } },
    {
      address: 'data.aws_iam_policy_document.ops',
      expressions: {
        statement: [
          {
            actions: { constant_value: ['s3:GetObject', 's3:PutObject'] },
            resources: { constant_value: configured, references: ['aws_s3_bucket.db.arn', 'aws_s3_bucket.db', 'aws_s3_bucket.db.arn', 'aws_s3_bucket.db'] },
          },
        ],
      },
      values: { statement: [{ actions: ['s3:GetObject', 's3:PutObject'], condition: [], principals: [], not_principals: [], resources: planned, effect: null, sid: null }] },
      afterUnknown: { id: true, json: true, minified_json: true, statement: [{ actions: [false, false], condition: [], principals: [], not_principals: [], resources: unknown }] },
    },
    {
      address: 'aws_iam_user_policy.ops',
      expressions: {
        name: { constant_value: 'ops' },
        policy: { constant_value: '${data.aws_iam_policy_document.ops.json}', references: ['data.aws_iam_policy_document.ops.json', 'data.aws_iam_policy_document.ops'] },
        user: { constant_value: '${aws_iam_user.ops.name}', references: ['aws_iam_user.ops.name', 'aws_iam_user.ops'] },
      },
      values: { name: 'ops', user: 'ops' },
      afterUnknown: { id: true, name_prefix: true, policy: true },
    },
  ]);
}

/** The key stack: the key-backup bucket the db stack names by its literal ARN. */
const keysDoc = (): TfDocument => loadPlanJson('keys', mkPlan([bucket('kc-key-backup', KEY_TAGS)]));

const MIXED = ['${aws_s3_bucket.db.arn}', '${aws_s3_bucket.db.arn}/*', KEY_ARN, `${KEY_ARN}/*`];

const resourcesOf = (d: TfDocument): unknown => {
  const v = d.resources.find((r) => r.address === 'data.aws_iam_policy_document.ops')?.values as { statement: { resources: unknown }[] } | undefined;
  return v?.statement[0].resources;
};

describe('loadPlanJson: a deferred policy document mixing unknown references and literal ARNs', () => {
  const db = (): TfDocument => loadPlanJson('db', dbPlan(MIXED, [KEY_ARN, `${KEY_ARN}/*`, null, null], [false, false, true, true]));

  it('keeps the known literals and fills the unknown elements with the configured references, not by position', () => {
    const d = db();
    expect(resourcesOf(d)).toEqual([KEY_ARN, `${KEY_ARN}/*`, '${aws_s3_bucket.db.arn}', '${aws_s3_bucket.db.arn}/*']);
    // The configuration's text is exact (JSON syntax): nothing is guessed, so nothing is recorded.
    expect(d.unknowns ?? []).toEqual([]);
  });

  it('KC011 reports the user that reaches the DB bucket by reference and the key store by literal ARN', () => {
    const result = runRules(buildModel([keysDoc(), db()]), RULES, { today: '2030-01-01' });
    expect(result.findings.filter((f) => f.ruleId === 'KC011').map((f) => f.address)).toEqual(['db/aws_iam_user.ops']);
  });

  it('keeps the positions of an ordered list whose unknown element sits between known ones', () => {
    const d = loadPlanJson('db', dbPlan([KEY_ARN, '${aws_s3_bucket.db.arn}', `${KEY_ARN}/*`], [KEY_ARN, null, `${KEY_ARN}/*`], [false, true, false]));
    // (An Allow's lone `${arn}` is also read as `${arn}/*`, appended: allowObjectsToo.)
    expect(resourcesOf(d)).toEqual([KEY_ARN, '${aws_s3_bucket.db.arn}', `${KEY_ARN}/*`, '${aws_s3_bucket.db.arn}/*']);
    expect(d.unknowns ?? []).toEqual([]);
  });

  it('keeps every configured element it cannot place, and records the list (KC092), when they do not match the holes', () => {
    // `${var.prefix}` was known at plan time, so its value matches no configured text: two
    // configured elements are left for one hole, and both are kept.
    const configured = ['${var.prefix}-extra', '${aws_s3_bucket.db.arn}', KEY_ARN];
    const d = loadPlanJson('db', dbPlan(configured, [KEY_ARN, 'arn:aws:s3:::p-extra', null], [false, false, true]));
    expect(resourcesOf(d)).toEqual([KEY_ARN, 'arn:aws:s3:::p-extra', '${var.prefix}-extra', '${aws_s3_bucket.db.arn}', '${aws_s3_bucket.db.arn}/*']);
    expect((d.unknowns ?? []).map((u) => [u.address, u.what])).toEqual([
      [
        'data.aws_iam_policy_document.ops',
        'statement[0].resources has 1 element(s) only known after apply and 2 configured element(s) not among its known ones (${var.prefix}-extra, ${aws_s3_bucket.db.arn}); read as all of them',
      ],
    ]);
    const result = runRules(buildModel([keysDoc(), d]), RULES, { today: '2030-01-01' });
    expect(result.findings.filter((f) => f.ruleId === 'KC011').map((f) => f.address)).toEqual(['db/aws_iam_user.ops']);
    expect(result.findings.some((f) => f.ruleId === 'KC092' && f.address.endsWith('data.aws_iam_policy_document.ops'))).toBe(true);
  });

  it('leaves lists of nested blocks paired by position (statement order is the configuration order)', () => {
    const d = db();
    const v = d.resources.find((r) => r.address === 'data.aws_iam_policy_document.ops')?.values as { statement: J[] };
    expect(v.statement).toHaveLength(1);
    expect(v.statement[0].actions).toEqual(['s3:GetObject', 's3:PutObject']);
  });
});
