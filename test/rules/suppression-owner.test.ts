/**
 * Suppressions answer "by whom, and until when" (issue 22): an error-severity rule needs an
 * owner and an expiry (else KC090, an error, and the finding stays); a warning-severity rule
 * without them is suppressed with a KC090 warning (an error under --strict); no expiry may be
 * more than a year after the check's date; every format shows owner and expiry.
 */
import { describe, expect, it } from 'vitest';
import { App, TerraformStack } from 'cdktf';
import { CustodySuppressions } from '../../lib';
import { blocking, runRules } from '../../lib/rules/engine';
import type { CustodyRule, RuleViolation } from '../../lib/rules/rule';
import { latestExpiry } from '../../lib/rules/suppression-checks';
import { toJsonCheckOutput } from '../../lib/report/json';
import { renderText } from '../../lib/report/text';
import { toSarif } from '../../lib/report/sarif';
import { doc, manifest, model, type Json } from './kc0xx-fixtures';

const rule = (id: string, severity: 'error' | 'warning'): CustodyRule => ({
  id, title: 't', severity, explanation: 'e', fix: 'f', suppressible: true,
  check: (): RuleViolation[] => [{ stack: 'app', address: 'aws_s3_bucket.a', message: 'bad' }],
});
const ERR = rule('KC900', 'error');
const WARN = rule('KC901', 'warning');
const resources: Json = { resource: { aws_s3_bucket: { a: { bucket: 'a' } } } };
const TODAY = '2026-12-06';
function run(rules: CustodyRule[], ...suppressions: Json[]) {
  return runRules(model(['app', doc(resources, manifest([], { suppressions: suppressions.map((s) => ({ reason: 'accepted for a documented reason', scope: '', ...s })) }))]), rules, { today: TODAY });
}

describe('suppressions of error-severity rules need an owner and an expiry', () => {
  it.each([
    [{}, 'no owner and no expiry date'],
    [{ owner: 'platform' }, 'no expiry date'],
    [{ expires: '2027-01-31' }, 'no owner'],
    [{ owner: '  ', expires: '2027-01-31' }, 'no owner'],
  ])('%j is not applied and is a KC090 error', (given, lacking) => {
    const r = run([ERR], { id: 'KC900', ...given });
    const kc090 = r.findings.find((f) => f.ruleId === 'KC090');
    expect(kc090).toMatchObject({ severity: 'error', suppressed: false });
    expect(kc090?.message).toBe(`suppression of KC900 cannot be honoured: it has ${lacking}; a suppression of an error-severity rule needs an owner and an expiry date`);
    expect(kc090?.fix).toContain('give the suppression an `owner`');
    expect(r.findings.find((f) => f.ruleId === 'KC900')?.suppressed).toBe(false);
  });

  it('with both it applies, and the finding carries them', () => {
    const r = run([ERR], { id: 'KC900', owner: 'platform', expires: '2027-01-31' });
    expect(r.findings).toEqual([expect.objectContaining({ ruleId: 'KC900', suppressed: true, owner: 'platform', expires: '2027-01-31' })]);
  });
});

describe('suppressions of warning-severity rules without owner or expiry', () => {
  it('apply, with a KC090 warning that only --strict turns into a failure', () => {
    const r = run([WARN], { id: 'KC901', owner: 'platform' });
    expect(r.findings.find((f) => f.ruleId === 'KC901')?.suppressed).toBe(true);
    const kc090 = r.findings.find((f) => f.ruleId === 'KC090');
    expect(kc090).toMatchObject({ severity: 'warning', message: 'suppression of KC901 has no expiry date; it is applied, but an accepted risk needs an owner and an expiry date' });
    expect(blocking(r.findings)).toEqual([]);
    expect(blocking(r.findings, true).map((f) => f.ruleId)).toEqual(['KC090']);
  });
});

describe('no suppression runs for more than a year', () => {
  it('the last allowed day is one calendar year after the check date', () => {
    expect(latestExpiry('2026-12-06')).toBe('2027-12-06');
    expect(latestExpiry('2024-02-29')).toBe('2025-03-01');
    expect(run([ERR], { id: 'KC900', owner: 'o', expires: '2027-12-06' }).findings.map((f) => [f.ruleId, f.suppressed])).toEqual([['KC900', true]]);
  });

  it.each([[ERR, 'KC900'], [WARN, 'KC901']] as const)('one day more is a KC090 error and not applied (%s)', (r, id) => {
    const res = run([r], { id, owner: 'o', expires: '2027-12-07' });
    expect(res.findings.map((f) => [f.ruleId, f.severity, f.suppressed])).toEqual([['KC090', 'error', false], [id, r.severity, false]]);
    expect(res.findings[0].message).toBe(`suppression of ${id} cannot be honoured: its expiry 2027-12-07 is more than 1 year after ${TODAY} (at most 2027-12-06)`);
  });
});

describe('the construct API refuses an error-severity suppression without owner and expiry at the call', () => {
  it('names the construct, the rule and what is missing', () => {
    const app = new App({ outdir: '/tmp/kc-unused', skipValidation: true });
    const stack = new TerraformStack(app, 'app-host');
    expect(() => CustodySuppressions.add(stack, [{ id: 'KC023', reason: 'hardened in the platform repository', owner: 'platform' }])).toThrow(
      /\[app-host\] CustodySuppressions: the suppression of KC023, an error-severity rule, has no expiry date; give \{ id: "KC023", reason, owner: "<team or person>", expires: "YYYY-MM-DD" \}/,
    );
    // A warning-severity rule is accepted without them (the check warns).
    expect(() => CustodySuppressions.add(stack, [{ id: 'KC024', reason: 'rotation is done by the HSM team' }])).not.toThrow();
  });
});

describe('every format shows owner and expiry', () => {
  const r = run([ERR], { id: 'KC900', owner: 'platform-team', expires: '2027-01-31' });
  it('JSON', () => {
    expect(toJsonCheckOutput(r.findings, { stacks: ['app'] }).findings[0]).toMatchObject({ suppressed: true, owner: 'platform-team', expires: '2027-01-31' });
  });
  it('text', () => {
    expect(renderText(r.findings, { stacks: ['app'] })).toContain('(reason: accepted for a documented reason; owner: platform-team; expires: 2027-01-31)');
  });
  it('SARIF, as suppression properties', () => {
    const s = toSarif(r.findings, { rules: [ERR] }) as { runs: { results: { suppressions: unknown[] }[] }[] };
    expect(s.runs[0].results[0].suppressions).toEqual([
      { kind: 'inSource', status: 'accepted', justification: 'accepted for a documented reason', properties: { owner: 'platform-team', expires: '2027-01-31' } },
    ]);
  });
});
