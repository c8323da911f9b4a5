import { literal } from '../model/load/refs';
import type { TfResource } from '../model/types';
import { drillSchedules } from '../model/views/drills';
import { QUARTER_DAYS } from '../policy/limits';
import { DEFAULT_DRILL_SCHEDULE, analyzeSchedule } from '../policy/schedule';
import { describeAt } from './custody-helpers';
import { drillsForKey, declaredDrills, knownKeys, manifestLocation, type DeclaredDrill } from './drill-helpers';
import { violationAt, type CustodyRule, type RuleViolation } from './rule';

const CONSTRUCT_FIX = (keyId: string) =>
  `add a RecoveryDrill for key "${keyId}" (it declares the drill in the manifest and creates an aws_scheduler_schedule with the default schedule \`${DEFAULT_DRILL_SCHEDULE}\`, first Monday of January, April, July and October)`;

/** Problems of one manifest drill's own schedule declaration. */
function declarationProblems(d: DeclaredDrill): string[] {
  const out: string[] = [];
  const { drill } = d;
  if (drill.schedule !== undefined) {
    const a = analyzeSchedule(drill.schedule);
    if (a.error) out.push(`its schedule "${drill.schedule}" is not a valid EventBridge Scheduler expression: ${a.error}`);
    else if (!a.atLeastQuarterly) out.push(`its schedule "${drill.schedule}" ${a.summary}, less often than quarterly`);
  }
  if (drill.intervalDays !== undefined && drill.intervalDays > QUARTER_DAYS) {
    out.push(`its intervalDays is ${drill.intervalDays}, more than ${QUARTER_DAYS} days`);
  }
  if (drill.schedule === undefined && drill.intervalDays === undefined) {
    out.push('it declares neither a schedule nor intervalDays, so its frequency cannot be proven');
  }
  return out;
}

/** Problems of one schedule resource. */
function scheduleProblem(r: TfResource): { message: string; fix: string } | undefined {
  const raw = r.values.schedule_expression;
  const expr = literal(raw);
  const fix = `set \`schedule_expression\` to a quarterly (or more frequent) expression such as \`${DEFAULT_DRILL_SCHEDULE}\` or \`rate(90 days)\``;
  if (literal(r.values.state) === 'DISABLED') {
    return { message: 'is DISABLED, so the drill never runs', fix: 'set `state = "ENABLED"`' };
  }
  if (expr === undefined) {
    return { message: `has schedule_expression \`${String(raw)}\`, which is not a literal, so a quarterly drill cannot be proven`, fix };
  }
  const a = analyzeSchedule(expr);
  if (a.error) return { message: `has schedule_expression "${expr}", which is not a valid EventBridge Scheduler expression (${a.error})`, fix };
  if (!a.atLeastQuarterly) return { message: `has schedule_expression "${expr}", which ${a.summary}: less often than quarterly`, fix };
  return undefined;
}

export const rule: CustodyRule = {
  id: 'KC030',
  title: 'Every key has a recovery drill at least quarterly',
  severity: 'error',
  explanation:
    'A backup that was never restored is a hope, not a backup: "a non-recoverable backup is worse than no backup because ' +
    'it hides the risk". Every key (declared in a manifest, or seen through `custody:key` on a store or a production ' +
    'container) needs a manifest drill that runs at least quarterly (intervalDays <= 92, or a schedule that fires in at ' +
    'least one month of every three; `rate(...)` at most 92 days) and an `aws_scheduler_schedule` tagged ' +
    '`custody:role=drill` (on its schedule group, or as custody keys in its target input) that actually triggers it, ' +
    'enabled and at least quarterly.',
  fix: `Add a RecoveryDrill for the key; its default schedule is \`${DEFAULT_DRILL_SCHEDULE}\`.`,
  suppressible: true,
  check(model) {
    const out: RuleViolation[] = [];
    const reportedSchedules = new Set<string>();
    const keys = knownKeys(model);
    const ids = new Set(keys.map((k) => k.id));
    for (const d of declaredDrills(model)) {
      if (ids.has(d.drill.key)) continue;
      out.push({
        ...manifestLocation(d),
        message: `declares drill "${d.drill.id}" for key "${d.drill.key}", which no manifest key, store or container carries, so the drill proves nothing about any known key`,
        fix: `set the drill's key to the id of the key it restores${keys.length > 0 ? ` (known keys: ${keys.map((k) => k.id).join(', ')})` : ''}`,
      });
    }
    for (const k of keys) {
      const drills = drillsForKey(model, k.id);
      const schedules = drillSchedules(model, k.id);
      const at = (message: string, fix: string): RuleViolation =>
        k.seenAt.resource ? violationAt(k.seenAt.resource, message, fix) : { stack: k.seenAt.stack, address: k.seenAt.address, message, fix };
      const seen = k.declared ? `declares key "${k.id}"` : `carries custody:key=${k.id} for a key no manifest declares`;

      if (drills.length === 0 && schedules.length === 0) {
        out.push(at(`${seen}, which has no recovery drill at all: nothing proves the key and its backups can be restored`, CONSTRUCT_FIX(k.id)));
        continue;
      }
      if (drills.length === 0) {
        const list = schedules.map((s) => describeAt(model, s.stack, s.address)).join(', ');
        out.push(
          at(
            `${seen}, which has a drill schedule (${list}) but no drill declared in the custody manifest, so where the drill takes the key from and what it restores cannot be checked`,
            `declare the drill with a RecoveryDrill for key "${k.id}" (or add a drills entry with key "${k.id}" to the manifest)`,
          ),
        );
      }
      for (const d of drills) {
        const loc = manifestLocation(d);
        for (const p of declarationProblems(d)) {
          out.push({
            ...loc,
            message: `declares drill "${d.drill.id}" for key "${k.id}", but ${p}`,
            fix: `set the drill's schedule to \`${DEFAULT_DRILL_SCHEDULE}\` (quarterly) or intervalDays to at most ${QUARTER_DAYS}`,
          });
        }
        if (schedules.length === 0) {
          out.push({
            ...loc,
            message: `declares drill "${d.drill.id}" for key "${k.id}", but no aws_scheduler_schedule tagged custody:role=drill and custody:key=${k.id} exists, so nothing triggers it`,
            fix: `create the schedule with RecoveryDrill, or add an aws_scheduler_schedule with schedule_expression \`${d.drill.schedule && analyzeSchedule(d.drill.schedule).atLeastQuarterly ? d.drill.schedule : DEFAULT_DRILL_SCHEDULE}\` in a schedule group tagged custody:role=drill, custody:key=${k.id}`,
          });
        }
      }
      for (const s of schedules) {
        if (reportedSchedules.has(`${s.stack}/${s.address}`)) continue;
        reportedSchedules.add(`${s.stack}/${s.address}`);
        const p = scheduleProblem(s);
        if (p) out.push(violationAt(s, `runs the recovery drill of key "${k.id}" but ${p.message}`, p.fix));
      }
    }
    return out;
  },
};
