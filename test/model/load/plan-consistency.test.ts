/**
 * Plans whose parts disagree (lib/model/load/plan-consistency.ts): a resource planned or changed
 * without a configuration block is named; removals and deposed objects are not.
 */
import { describe, expect, it } from 'vitest';
import { planConsistencyProblem } from '../../../lib/model/load/plan-consistency';
import type { TfResource } from '../../../lib/model/types';

const res = (address: string) => ({ address }) as TfResource;
const change = (address: string, actions: string[], extra: Record<string, unknown> = {}) => ({ address, change: { actions }, ...extra });

describe('planConsistencyProblem', () => {
  it('is quiet when every planned and changed resource was read from the configuration', () => {
    const plan = {
      planned_values: { root_module: { resources: [{ address: 'aws_s3_bucket.a' }], child_modules: [{ address: 'module.m', resources: [{ address: 'module.m.aws_iam_user.u[0]' }] }] } },
      resource_changes: [change('aws_s3_bucket.a', ['create']), change('module.m.aws_iam_user.u[0]', ['update'])],
    };
    expect(planConsistencyProblem(plan, [res('aws_s3_bucket.a'), res('module.m.aws_iam_user.u[0]')])).toBeUndefined();
  });

  it('exempts objects being destroyed or forgotten, and deposed objects', () => {
    const plan = {
      planned_values: { root_module: {} },
      resource_changes: [change('aws_iam_user.gone', ['delete']), change('aws_iam_user.left', ['forget']), change('aws_s3_bucket.a', ['delete', 'create'], { deposed: '00abc' })],
    };
    expect(planConsistencyProblem(plan, [])).toBeUndefined();
  });

  it('names what the configuration lacks, from planned_values (nested modules too) and resource_changes', () => {
    const plan = {
      planned_values: { root_module: { resources: [{ address: 'aws_iam_user.x' }], child_modules: [{ child_modules: [{ resources: [{ address: 'module.a.module.b.aws_iam_user.y' }] }] }] } },
      resource_changes: [change('aws_iam_user.z', ['create']), change('aws_iam_user.w', ['delete', 'create']), change('aws_iam_user.x', ['no-op'])],
    };
    expect(planConsistencyProblem(plan, [])).toBe(
      'the plan lists 4 resource(s) that its configuration does not hold (aws_iam_user.w, aws_iam_user.x, aws_iam_user.z, and 1 more), so they cannot be checked: the plan JSON was edited, spliced or truncated; run `terraform show -json plan.out > plan.json` again and pass its output unchanged',
    );
  });

  it('does not print an address that is not made of Terraform address characters', () => {
    const plan = { planned_values: { root_module: { resources: [{ address: 'aws_x.Zq8vN2kR7tY4 wP1m\u001b[2J' }] } } };
    expect(planConsistencyProblem(plan, [])).toContain('(<address not shown>)');
  });
});
