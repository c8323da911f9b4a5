import { blocks, bool, literal, strings } from '../model/load/refs';
import type { TfResource } from '../model/types';
import { drillAlarms } from '../model/views/drills';
import { describeAt } from './custody-helpers';
import { declaredDrills, manifestLocation } from './drill-helpers';
import { violationAt, type CustodyRule, type RuleViolation } from './rule';

/** What keeps a drill alarm from ever telling anyone, or undefined when it can. */
function alarmProblem(r: TfResource): { message: string; fix: string } | undefined {
  const actions = strings(r.values.alarm_actions);
  if (actions.length === 0 && blocks(r.values.alarm_actions).length === 0) {
    return { message: 'is the drill staleness alarm but has no alarm_actions, so nobody is told when drills stop passing', fix: 'set `alarm_actions` to an SNS topic that pages the key custodians' };
  }
  if (bool(r.values.actions_enabled) === false) {
    return { message: 'is the drill staleness alarm but has actions_enabled = false, so its actions never run', fix: 'set `actions_enabled = true`' };
  }
  const missing = literal(r.values.treat_missing_data);
  if (missing !== 'breaching') {
    return {
      message: `is the drill staleness alarm but treat_missing_data is ${missing === undefined ? 'unset (missing)' : `"${missing}"`}: when drills stop reporting there is no data and the alarm stays quiet`,
      fix: 'set `treat_missing_data = "breaching"` so that a drill that did not run raises the alarm',
    };
  }
  return undefined;
}

export const rule: CustodyRule = {
  id: 'KC034',
  title: 'Drill outcomes are recorded and staleness raises an alarm',
  severity: 'warning',
  explanation:
    'A drill nobody records cannot be audited, and a drill that silently stops running is the failure the drill was ' +
    'meant to catch. The manifest drill must set `log: true` (date, who, pass/fail), and an `aws_cloudwatch_metric_alarm` ' +
    'tagged `custody:role=drill` (with `custody:key` of the key, or no key tag) must exist with `alarm_actions`, actions ' +
    'enabled and `treat_missing_data = "breaching"` (a stale drill produces no data). The alarm resource is the truth: ' +
    'the manifest\'s `alarm: true` alone does not count, and an alarm resource counts even where the manifest omits it.',
  fix: 'Enable the drill log and the staleness alarm of the RecoveryDrill (log: true, alarm with an SNS topic).',
  suppressible: true,
  check(model) {
    const out: RuleViolation[] = [];
    const reportedAlarms = new Set<string>();
    for (const d of declaredDrills(model)) {
      const loc = manifestLocation(d);
      const name = `drill "${d.drill.id}" of key "${d.drill.key}"`;
      if (d.drill.log !== true) {
        out.push({
          ...loc,
          message: `declares ${name} with ${d.drill.log === false ? 'log: false' : 'no log'}: drill outcomes (date, who, pass/fail) are not recorded`,
          fix: 'set log: true on the drill so that every run is written to the drill log',
        });
      }
      const alarms = drillAlarms(model, d.drill.key);
      if (alarms.length === 0) {
        out.push({
          ...loc,
          message:
            d.drill.alarm === true
              ? `declares ${name} with alarm: true, but no aws_cloudwatch_metric_alarm tagged custody:role=drill, custody:key=${d.drill.key} exists in the configuration`
              : `declares ${name} without a staleness alarm: no aws_cloudwatch_metric_alarm tagged custody:role=drill, custody:key=${d.drill.key} exists, so a drill that stops running goes unnoticed`,
          fix: `add an aws_cloudwatch_metric_alarm on the drill's pass metric, tagged custody:role=drill and custody:key=${d.drill.key}, with alarm_actions and treat_missing_data = "breaching" (RecoveryDrill creates it)`,
        });
        continue;
      }
      const problems = alarms.map((a) => ({ a, p: alarmProblem(a) }));
      if (problems.some((x) => x.p === undefined)) continue;
      for (const { a, p } of problems) {
        const k = `${a.stack}/${a.address}`;
        if (!p || reportedAlarms.has(k)) continue;
        reportedAlarms.add(k);
        out.push(violationAt(a, `${p.message} (${name}${model.multiStack ? `, declared in ${describeAt(model, d.manifest.stack, d.manifest.address)}` : ''})`, p.fix));
      }
    }
    return out;
  },
};
