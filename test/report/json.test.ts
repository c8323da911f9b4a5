import { describe, expect, it } from 'vitest';
import { renderJsonCheck, toJsonCheckOutput } from '../../lib/report/json';
import { fakeResult } from './fake-model';

describe('--format json (the output contract)', () => {
  const { findings } = fakeResult();

  it('has findings with the contract fields and a summary', () => {
    const out = JSON.parse(renderJsonCheck(findings, { stacks: ['keys', 'db'] }));
    expect(Object.keys(out)).toEqual(['findings', 'summary']);
    for (const f of out.findings) {
      expect(typeof f.ruleId).toBe('string');
      expect(['error', 'warning']).toContain(f.severity);
      expect(typeof f.address).toBe('string');
      expect(typeof f.message).toBe('string');
      expect(typeof f.suppressed).toBe('boolean');
    }
    expect(out.findings[0]).toEqual({
      ruleId: 'KC011',
      severity: 'error',
      address: 'db/aws_iam_user.ops',
      message: 'ops can read DB backups and key backups | both',
      suppressed: false,
      stack: 'db',
      fix: 'split the credentials',
    });
    expect(out.summary).toEqual({ errors: 2, warnings: 1, suppressed: 1, stacks: 2, stackNames: ['db', 'keys'], strict: false, passed: false });
  });

  it('gives the reason only for suppressed findings', () => {
    const out = toJsonCheckOutput(findings, { stacks: ['keys', 'db'] });
    const suppressed = out.findings.filter((f) => f.suppressed);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0].reason).toBe('rotation is handled by the HSM team');
    for (const f of out.findings.filter((x) => !x.suppressed)) expect('reason' in f).toBe(false);
  });

  it('passes with warnings only, unless strict', () => {
    const warnings = findings.filter((f) => f.severity === 'warning');
    expect(toJsonCheckOutput(warnings, { stacks: ['a'] }).summary.passed).toBe(true);
    expect(toJsonCheckOutput(warnings, { stacks: ['a'], strict: true }).summary).toMatchObject({ passed: false, strict: true });
    expect(toJsonCheckOutput([], { stacks: ['a'] })).toEqual({
      findings: [],
      summary: { errors: 0, warnings: 0, suppressed: 0, stacks: 1, stackNames: ['a'], strict: false, passed: true },
    });
  });
});

describe('SARIF', () => {
  it('adds engine rules that the rule list lacks', async () => {
    const { toSarif } = await import('../../lib/report/sarif');
    const sarif = toSarif(
      [{ ruleId: 'KC091', severity: 'warning', address: 'terraform_data.m', stack: 'a', message: 'unused', fix: 'remove it', suppressed: false }],
      { rules: [] },
    ) as { runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } }; results: { locations: unknown[] }[] }[] };
    expect(sarif.runs[0].tool.driver.rules).toEqual([expect.objectContaining({ id: 'KC091', shortDescription: { text: 'suppressions must match a finding' } })]);
    expect(sarif.runs[0].results[0].locations).toEqual([{ logicalLocations: [{ fullyQualifiedName: 'terraform_data.m', kind: 'resource' }] }]);
  });
});
