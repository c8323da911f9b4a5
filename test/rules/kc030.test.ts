import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc030-quarterly-drill';
import { at, bucket, doc, findings, firstDrill, manifestInput, stacks, tags, world, type World } from './drill-fixtures';

const schedule = (w: World) => at(w.drill, 'resource', 'aws_scheduler_schedule', 'drill');
const messages = (w: World) => findings(rule, ...stacks(w)).map((f) => `${f.address}: ${f.message}`);

describe('KC030 every key has a recovery drill at least quarterly', () => {
  it('passes with a quarterly manifest drill and a quarterly schedule resource', () => {
    expect(findings(rule, ...stacks(world()))).toEqual([]);
  });

  it('fails for a key with no drill at all, naming the RecoveryDrill construct', () => {
    const w = world();
    manifestInput(w).drills = [];
    delete at(w.drill, 'resource').aws_scheduler_schedule;
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'KC030', severity: 'error', address: 'app/terraform_data.custody_manifest' });
    expect(f[0].message).toBe('declares key "zitadel-master", which has no recovery drill at all: nothing proves the key and its backups can be restored');
    expect(f[0].fix).toContain('RecoveryDrill');
    expect(f[0].fix).toContain('cron(0 10 ? 1,4,7,10 MON#1 *)');
  });

  it('fails for a key seen only through custody:key on a store', () => {
    const w = world();
    w.keys = doc(w.keys, bucket('servos', 'key-backup', { tags: tags('key-backup', 'servos-master', 'servos') }));
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['keys/aws_s3_bucket.servos']);
    expect(f[0].message).toContain('carries custody:key=servos-master for a key no manifest declares, which has no recovery drill at all');
  });

  it('fails for a manifest drill scheduled yearly', () => {
    const w = world();
    firstDrill(w).schedule = 'cron(0 10 1 1 ? *)';
    delete firstDrill(w).intervalDays;
    expect(messages(w)).toEqual([
      'app/terraform_data.custody_manifest: declares drill "quarterly" for key "zitadel-master", but its schedule "cron(0 10 1 1 ? *)" fires at most once a year; up to 12 month(s) (366 days) pass between runs, less often than quarterly',
    ]);
  });

  it('fails for intervalDays above 92 and for a drill without any frequency', () => {
    const w = world();
    delete firstDrill(w).schedule;
    firstDrill(w).intervalDays = 120;
    expect(messages(w)).toEqual(['app/terraform_data.custody_manifest: declares drill "quarterly" for key "zitadel-master", but its intervalDays is 120, more than 92 days']);
    delete firstDrill(w).intervalDays;
    expect(messages(w)[0]).toContain('declares neither a schedule nor intervalDays');
    firstDrill(w).intervalDays = 92;
    expect(messages(w)).toEqual([]);
  });

  it('fails for an invalid manifest schedule', () => {
    const w = world();
    firstDrill(w).schedule = 'cron(0 10 * * * *)';
    expect(messages(w)[0]).toContain('is not a valid EventBridge Scheduler expression: exactly one of day-of-month and day-of-week must be "?"');
  });

  it('fails for a manifest drill that no schedule resource triggers', () => {
    const w = world();
    delete at(w.drill, 'resource').aws_scheduler_schedule;
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['app/terraform_data.custody_manifest']);
    expect(f[0].message).toContain('no aws_scheduler_schedule tagged custody:role=drill and custody:key=zitadel-master exists, so nothing triggers it');
    expect(f[0].fix).toContain('schedule_expression `cron(0 10 ? 1,4,7,10 MON#1 *)`');
  });

  it('does not count a schedule of another key', () => {
    const w = world();
    at(w.drill, 'resource', 'aws_scheduler_schedule_group', 'drill').tags = tags('drill', 'servos-master');
    expect(messages(w)[0]).toContain('nothing triggers it');
  });

  it('recognizes custody tags in the schedule target input', () => {
    const w = world();
    delete at(w.drill, 'resource', 'aws_scheduler_schedule', 'drill').group_name;
    at(w.drill, 'resource', 'aws_scheduler_schedule', 'drill').target = { arn: 'arn:aws:lambda:x', role_arn: 'arn:aws:iam::333333333333:role/s', input: JSON.stringify({ 'custody:role': 'drill', 'custody:key': 'zitadel-master' }) };
    expect(messages(w)).toEqual([]);
  });

  it.each([
    ['cron(0 10 1 1 ? *)', 'fires at most once a year'],
    ['rate(120 days)', 'fires every 120 days (120 days): less often than quarterly'],
    ['cron(0 10 1 1,4,7,10 ? 2025)', 'stops firing after 2025'],
    ['at(2026-01-05T10:00:00)', 'fires once'],
  ])('fails for a schedule resource %s', (expr, text) => {
    const w = world();
    schedule(w).schedule_expression = expr;
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['drill/aws_scheduler_schedule.drill']);
    expect(f[0].message).toContain('runs the recovery drill of key "zitadel-master" but has schedule_expression');
    expect(f[0].message).toContain(text);
    expect(f[0].fix).toContain('cron(0 10 ? 1,4,7,10 MON#1 *)');
  });

  it('passes for rate(30 days)', () => {
    const w = world();
    schedule(w).schedule_expression = 'rate(30 days)';
    expect(messages(w)).toEqual([]);
  });

  it('fails for a disabled schedule and for a schedule expression only known at plan time', () => {
    const w = world();
    schedule(w).state = 'DISABLED';
    expect(messages(w)).toEqual(['drill/aws_scheduler_schedule.drill: runs the recovery drill of key "zitadel-master" but is DISABLED, so the drill never runs']);
    delete schedule(w).state;
    schedule(w).schedule_expression = '${var.drill_schedule}';
    expect(messages(w)[0]).toContain('which is not a literal, so a quarterly drill cannot be proven');
  });

  it('fails for a schedule resource without a manifest drill', () => {
    const w = world();
    manifestInput(w).drills = [];
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['app/terraform_data.custody_manifest']);
    expect(f[0].message).toContain('has a drill schedule (drill/aws_scheduler_schedule.drill) but no drill declared in the custody manifest'.replace('drill/aws_scheduler_schedule.drill', 'aws_scheduler_schedule.drill (stack drill)'));
  });
});

describe('KC030 drills of unknown keys', () => {
  it('reports a drill whose key nothing carries, and the key it was meant for', () => {
    const w = world();
    firstDrill(w).key = 'zitadel-mastre';
    const m = messages(w);
    expect(m).toContain('app/terraform_data.custody_manifest: declares drill "quarterly" for key "zitadel-mastre", which no manifest key, store or container carries, so the drill proves nothing about any known key');
    expect(m.some((x) => x.includes('declares key "zitadel-master"'))).toBe(true);
  });
});
