/**
 * Terraform tier (docs/ARCHITECTURE.md, "Test tiers") of the recovery drill: its AWS part (schedule group,
 * reminder and heartbeat schedules, SNS topic, staleness alarm, scheduler roles, recorder
 * policy) and the two bucket stacks that hold its read-only reader roles pass
 * `terraform validate` and an offline `terraform plan`. The docker part is synth-tested only:
 * the docker provider is not in the mirror.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { drillWorld, KEY_ID, loadCatalogue, type DrillWorld } from '../constructs/drill/fixtures';
import { describeTerraform, terraformCheck } from '../helpers/terraform';

interface PlanJson {
  resource_changes?: { address: string; type: string; change: { actions: string[]; after?: Record<string, unknown> } }[];
}

const worlds: DrillWorld[] = [];
beforeAll(async () => {
  await loadCatalogue();
});
afterAll(() => {
  for (const w of worlds.splice(0)) w.cleanup();
});

describeTerraform('recovery drill: terraform validate and offline plan of the AWS part', () => {
  it('the drill-aws stack validates and plans: schedule, time zone, topic, alarm, scheduler roles', async () => {
    const w = drillWorld();
    worlds.push(w);
    expect(w.synth()).toBeUndefined();
    const r = await terraformCheck(w.stackDir('drill-aws'), { plan: true });
    expect(r.validate.valid).toBe(true);
    expect(r.remoteState).toEqual([]);
    const changes = (r.planJson as PlanJson).resource_changes ?? [];
    expect(changes.every((c) => c.change.actions.join() === 'create')).toBe(true);
    const types = new Set(changes.map((c) => c.type));
    for (const t of ['aws_scheduler_schedule_group', 'aws_scheduler_schedule', 'aws_sns_topic', 'aws_cloudwatch_metric_alarm', 'aws_iam_role', 'aws_iam_role_policy', 'aws_iam_policy']) {
      expect(types, t).toContain(t);
    }
    const reminder = changes.find((c) => c.type === 'aws_scheduler_schedule' && c.change.after?.name === 'quarterly-reminder')!;
    expect(reminder.change.after).toMatchObject({
      schedule_expression: 'cron(0 10 ? 1,4,7,10 MON#1 *)',
      schedule_expression_timezone: 'Europe/Berlin',
      flexible_time_window: [{ mode: 'OFF', maximum_window_in_minutes: null }],
      state: 'ENABLED',
    });
    const alarm = changes.find((c) => c.type === 'aws_cloudwatch_metric_alarm')!;
    expect(alarm.change.after).toMatchObject({ namespace: 'KeyCustody/Drills', metric_name: 'DrillPassed', dimensions: { KeyId: KEY_ID }, treat_missing_data: 'breaching', period: 86400 });
  });

  it('the two bucket stacks, each with its drill reader role, validate and plan on their own', async () => {
    const w = drillWorld();
    worlds.push(w);
    expect(w.synth()).toBeUndefined();
    for (const stack of ['keys', 'db'] as const) {
      const r = await terraformCheck(w.stackDir(stack), { plan: true });
      expect(r.validate.valid).toBe(true);
      const changes = (r.planJson as PlanJson).resource_changes ?? [];
      const readers = changes.filter((c) => c.type === 'aws_iam_role' && (c.change.after?.tags as Record<string, string> | undefined)?.['custody:role'] === 'drill');
      expect(readers, stack).toHaveLength(1);
      expect(readers[0].change.after?.tags).toMatchObject({ 'custody:access': 'drill-read', 'custody:key': KEY_ID });
    }
  });
});
