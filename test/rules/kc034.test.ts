import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc034-drill-recorded-and-alarmed';
import { at, findings, firstDrill, stacks, tags, world, type World } from './drill-fixtures';

const alarm = (w: World) => at(w.drill, 'resource', 'aws_cloudwatch_metric_alarm', 'drill_stale');
const messages = (w: World) => findings(rule, ...stacks(w)).map((f) => `${f.address}: ${f.message}`);

describe('KC034 drill outcomes are recorded and staleness raises an alarm', () => {
  it('passes with log: true and a tagged alarm with actions', () => {
    expect(findings(rule, ...stacks(world()))).toEqual([]);
  });

  it('warns when outcomes are not logged', () => {
    const w = world();
    firstDrill(w).log = false;
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'KC034', severity: 'warning', address: 'app/terraform_data.custody_manifest' });
    expect(f[0].message).toBe('declares drill "quarterly" of key "zitadel-master" with log: false: drill outcomes (date, who, pass/fail) are not recorded');
    delete firstDrill(w).log;
    expect(messages(w)[0]).toContain('with no log');
  });

  it('warns when the manifest claims an alarm that does not exist: the resource is the truth', () => {
    const w = world();
    delete at(w.drill, 'resource').aws_cloudwatch_metric_alarm;
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.message)).toEqual([
      'declares drill "quarterly" of key "zitadel-master" with alarm: true, but no aws_cloudwatch_metric_alarm tagged custody:role=drill, custody:key=zitadel-master exists in the configuration',
    ]);
    expect(f[0].fix).toContain('treat_missing_data = "breaching"');
    firstDrill(w).alarm = false;
    expect(messages(w)[0]).toContain('without a staleness alarm');
  });

  it('an alarm resource counts even when the manifest omits alarm', () => {
    const w = world();
    delete firstDrill(w).alarm;
    expect(messages(w)).toEqual([]);
  });

  it('does not count an alarm of another key, counts an alarm without a key tag', () => {
    const w = world();
    alarm(w).tags = tags('drill', 'servos-master');
    expect(messages(w)[0]).toContain('but no aws_cloudwatch_metric_alarm tagged');
    alarm(w).tags = { 'custody:role': 'drill' };
    expect(messages(w)).toEqual([]);
  });

  it('warns for an alarm that tells nobody or stays quiet without data', () => {
    const w = world();
    alarm(w).alarm_actions = [];
    expect(messages(w)).toEqual([
      'drill/aws_cloudwatch_metric_alarm.drill_stale: is the drill staleness alarm but has no alarm_actions, so nobody is told when drills stop passing (drill "quarterly" of key "zitadel-master", declared in terraform_data.custody_manifest (stack app))',
    ]);
    alarm(w).alarm_actions = ['arn:aws:sns:eu-central-1:333333333333:custody-pager'];
    alarm(w).actions_enabled = false;
    expect(messages(w)[0]).toContain('actions_enabled = false');
    delete alarm(w).actions_enabled;
    delete alarm(w).treat_missing_data;
    const f = findings(rule, ...stacks(w));
    expect(f[0].message).toContain('treat_missing_data is unset (missing): when drills stop reporting there is no data and the alarm stays quiet');
    expect(f[0].fix).toBe('set `treat_missing_data = "breaching"` so that a drill that did not run raises the alarm');
  });
});
