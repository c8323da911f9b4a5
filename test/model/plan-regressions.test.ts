/** Plan-reading bugs found while raising the mutation score, each pinned by the case that showed it. */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../lib/model/build';
import { loadPlanJson } from '../../lib/model/plan';
import { extractRefs } from '../../lib/model/refs';

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
