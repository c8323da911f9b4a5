import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc033-drill-restores-old-backup';
import { findings, firstDrill, stacks, world } from './drill-fixtures';

describe('KC033 the drill restores a DB backup at least 7 days old', () => {
  it('passes for restoreAgeDays 7 and more', () => {
    const w = world();
    expect(findings(rule, ...stacks(w))).toEqual([]);
    firstDrill(w).restoreAgeDays = 30;
    expect(findings(rule, ...stacks(w))).toEqual([]);
  });

  it('warns for a backup younger than 7 days', () => {
    const w = world();
    firstDrill(w).restoreAgeDays = 1;
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'KC033', severity: 'warning', address: 'app/terraform_data.custody_manifest' });
    expect(f[0].message).toBe('declares drill "quarterly" of key "zitadel-master" restoring a DB backup 1 day(s) old, younger than 7 days');
    expect(f[0].fix).toContain('at least 7');
  });

  it('warns when the age is not declared', () => {
    const w = world();
    delete firstDrill(w).restoreAgeDays;
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('without restoreAgeDays, so it is not declared which DB backup the drill restores');
    expect(f[0].fix).toContain('restoreAgeDays: 7');
  });

  it('has nothing to say without drills (KC030 reports those)', () => {
    const w = world();
    (firstDrill(w) as Record<string, unknown>).key = undefined;
    expect(findings(rule, ...stacks(w))).toEqual([]);
  });
});
