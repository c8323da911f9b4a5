import { describe, expect, it } from 'vitest';
import { loadPlanJson } from '../../../lib/model/load/plan';
import { addFile, type SourceModule } from '../../../lib/model/load/source';
import { hclText, rewriteTraversals } from '../../../lib/model/load/source-eval';
import { overlaySource } from '../../../lib/model/load/source-overlay';
import { buildModel } from '../../../lib/model/build';

function mod(doc: Record<string, unknown>): SourceModule {
  const m = { dir: '.', resources: {}, locals: {}, defaults: {}, outputs: {}, calls: {} };
  addFile(m, doc);
  return m;
}

describe('rewriteTraversals', () => {
  it('rewrites references in code and in ${} of strings, not literal text, keys or function names', () => {
    const out = rewriteTraversals('jsonencode({ Resource = [local.b, "${local.b}/*", "local.b"], x = merge(var.t, {}) })', (t) => (t === 'local.b' ? 'aws_s3_bucket.k.arn' : t === 'var.t' ? '{ "a" = "b" }' : undefined));
    expect(out).toBe('jsonencode({ Resource = [aws_s3_bucket.k.arn, "${aws_s3_bucket.k.arn}/*", "local.b"], x = merge({ "a" = "b" }, {}) })');
  });
  it('inlines a reference that became a literal string into its template', () => {
    expect(rewriteTraversals('"arn:aws:iam::${local.account}:root"', () => '"111"')).toBe('"arn:aws:iam::111:root"');
  });
  it('hclText writes a lone reference bare and other templates quoted', () => {
    expect(hclText('${aws_s3_bucket.k.arn}')).toBe('aws_s3_bucket.k.arn');
    expect(hclText('${aws_s3_bucket.k.arn}/*')).toBe('"${aws_s3_bucket.k.arn}/*"');
    expect(hclText({ k: [1, true, null] })).toBe('{ "k" = [1, true, null] }');
  });
});

/** A plan whose identity policy is a jsonencode with one reference through a local and a module output. */
function planWithJsonencode(): unknown {
  return {
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: [
          { address: 'aws_iam_role_policy.w', mode: 'managed', type: 'aws_iam_role_policy', name: 'w', values: { name: 'w' } },
          { address: 'aws_iam_role.w', mode: 'managed', type: 'aws_iam_role', name: 'w', values: { name: 'w' } },
        ],
        child_modules: [
          {
            address: 'module.keys',
            resources: [{ address: 'module.keys.aws_s3_bucket.this', mode: 'managed', type: 'aws_s3_bucket', name: 'this', values: { bucket: 'keys', tags: { 'custody:role': 'key-backup' } } }],
          },
          {
            address: 'module.db',
            resources: [{ address: 'module.db.aws_s3_bucket.this', mode: 'managed', type: 'aws_s3_bucket', name: 'this', values: { bucket: 'db', tags: { 'custody:role': 'db-backup' } } }],
          },
        ],
      },
    },
    resource_changes: [{ address: 'aws_iam_role_policy.w', change: { after_unknown: { policy: true, role: true } } }],
    configuration: {
      root_module: {
        resources: [
          { address: 'aws_iam_role.w', mode: 'managed', type: 'aws_iam_role', name: 'w', expressions: { name: { constant_value: 'w' } } },
          {
            address: 'aws_iam_role_policy.w',
            mode: 'managed',
            type: 'aws_iam_role_policy',
            name: 'w',
            expressions: { role: { references: ['aws_iam_role.w.id', 'aws_iam_role.w'] }, policy: { references: ['module.db.arn', 'module.db'] } },
          },
        ],
        module_calls: {
          keys: { module: { resources: [{ address: 'aws_s3_bucket.this', mode: 'managed', type: 'aws_s3_bucket', name: 'this', expressions: {} }], outputs: { arn: { expression: { references: ['aws_s3_bucket.this.arn', 'aws_s3_bucket.this'] } } } } },
          db: { module: { resources: [{ address: 'aws_s3_bucket.this', mode: 'managed', type: 'aws_s3_bucket', name: 'this', expressions: {} }], outputs: { arn: { expression: { references: ['aws_s3_bucket.this.arn', 'aws_s3_bucket.this'] } } } } },
        },
      },
    },
  };
}

function sourceTree(): Map<string, SourceModule> {
  const bucketModule = mod({ resource: { aws_s3_bucket: { this: [{ bucket: '${var.name}' }] } }, output: { arn: [{ value: '${aws_s3_bucket.this.arn}' }] }, variable: { name: [{}] } });
  const root = mod({
    locals: [{ keys: '${module.keys.arn}' }],
    module: { keys: [{ source: './b', name: 'keys' }], db: [{ source: './b', name: 'db' }] },
    resource: {
      aws_iam_role: { w: [{ name: 'w' }] },
      aws_iam_role_policy: {
        w: [{ role: '${aws_iam_role.w.id}', policy: '${jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:PutObject", Resource = "${module.db.arn}/*" }, { Effect = "Allow", Action = "s3:GetObject", Resource = "${local.keys}/*" }] })}' }],
      },
    },
  });
  return new Map([
    ['', root],
    ['module.keys', bucketModule],
    ['module.db', bucketModule],
  ]);
}

describe('overlaySource', () => {
  it('puts the jsonencode text in where the plan kept only one reference, in document address space', () => {
    const plan = planWithJsonencode();
    const doc = loadPlanJson('s', plan);
    const r = overlaySource(doc, plan, sourceTree());
    const policy = r.document.resources.find((x) => x.address === 'aws_iam_role_policy.w')?.values.policy;
    expect(policy).toBe('${jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:PutObject", Resource = "${module.db.aws_s3_bucket.this.arn}/*" }, { Effect = "Allow", Action = "s3:GetObject", Resource = "${module.keys.aws_s3_bucket.this.arn}/*" }] })}');
    expect(r.filled).toContain('aws_iam_role_policy.w policy');
    // The record that the plan could not read the policy is gone: the source proves it.
    expect(r.document.unknowns?.filter((u) => u.address === 'aws_iam_role_policy.w')).toEqual([]);
  });

  it('the statement beside the one reference is kept: the writer reaches both stores (KC011 material)', () => {
    const plan = planWithJsonencode();
    const without = buildModel([loadPlanJson('s', plan)]);
    const with_ = buildModel([overlaySource(loadPlanJson('s', plan), plan, sourceTree()).document]);
    const reach = (m: typeof with_) => m.grants.filter((g) => g.principal.endsWith('aws_iam_role.w')).map((g) => `${g.store.split('\u0000')[1]} ${g.access}`).sort();
    expect(reach(without)).not.toContain('module.keys.aws_s3_bucket.this read');
    expect(reach(with_)).toEqual(['module.db.aws_s3_bucket.this write', 'module.keys.aws_s3_bucket.this read']);
  });
});
