import { MIN_RESTORE_AGE_DAYS } from '../policy/limits';
import { declaredDrills, manifestLocation } from './drill-helpers';
import type { CustodyRule, RuleViolation } from './rule';

export const rule: CustodyRule = {
  id: 'KC033',
  title: 'The drill restores a DB backup at least 7 days old',
  severity: 'warning',
  explanation:
    'Restoring last night\'s backup proves little: the key that encrypts it is almost surely still on the host. ' +
    'Restoring a backup at least a week old also proves that older backups stay readable with the key copies that ' +
    'exist now (retention of the key and of its previous generations), which is what an incident discovered late ' +
    `needs. The manifest drill must declare restoreAgeDays >= ${MIN_RESTORE_AGE_DAYS}; an undeclared age is reported.`,
  fix: `Set restoreAgeDays to ${MIN_RESTORE_AGE_DAYS} (or more) on the RecoveryDrill.`,
  suppressible: true,
  check(model) {
    const out: RuleViolation[] = [];
    for (const d of declaredDrills(model)) {
      const age = d.drill.restoreAgeDays;
      const name = `drill "${d.drill.id}" of key "${d.drill.key}"`;
      if (age === undefined) {
        out.push({
          ...manifestLocation(d),
          message: `declares ${name} without restoreAgeDays, so it is not declared which DB backup the drill restores`,
          fix: `set restoreAgeDays: ${MIN_RESTORE_AGE_DAYS} on the drill (RecoveryDrill prop restoreAgeDays)`,
        });
      } else if (age < MIN_RESTORE_AGE_DAYS) {
        out.push({
          ...manifestLocation(d),
          message: `declares ${name} restoring a DB backup ${age} day(s) old, younger than ${MIN_RESTORE_AGE_DAYS} days`,
          fix: `set restoreAgeDays to at least ${MIN_RESTORE_AGE_DAYS} (the seeds restore the 7-day-old daily)`,
        });
      }
    }
    return out;
  },
};
