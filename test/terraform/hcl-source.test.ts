/**
 * Terraform tier (issue 18): plans of ordinary HCL, checked with and without --source.
 *
 * The careful setup in test/fixtures/hcl/careful (local module-style custody buckets with
 * dynamic encryption blocks, policies merged from source_policy_documents, locals, jsonencode
 * policies with one reference, an untagged replica of the key backups) is planned offline, then
 * each planted break of test/fixtures/hcl/breaks.ts on a copy of it.
 *
 * Expected: the careful setup gives zero errors with and without --source; with --source every
 * break gives its error.
 * Without --source, every break is reported as its error or as a KC092 naming the value.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { main } from '../../lib/cli/main';
import { BREAKS, type PlantedBreak } from '../fixtures/hcl/breaks';
import { carefulCopy, planHclFolder } from '../fixtures/hcl/plan-folder';
import { describeTerraform } from '../helpers/terraform';

const root = mkdtempSync(join(tmpdir(), 'kc-hcl-source-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Finding {
  readonly ruleId: string;
  readonly severity: string;
  readonly address: string;
  readonly message: string;
}

/** Copy the careful setup, apply a break, `terraform init/plan/show -json`; returns the folder. */
function plan(name: string, edit?: PlantedBreak): string {
  const dir = carefulCopy(join(root, name), edit);
  planHclFolder(dir);
  return dir;
}

async function check(dir: string, withSource: boolean): Promise<Finding[]> {
  let out = '';
  const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, today: '2026-12-06' };
  const code = await main(['check', join(dir, 'plan.json'), '--format', 'json', ...(withSource ? ['--source', dir] : [])], io);
  expect(code, out).not.toBe(2);
  return (JSON.parse(out) as { findings: Finding[] }).findings;
}

const errors = (f: readonly Finding[]) => f.filter((x) => x.severity === 'error');

describeTerraform('plans of ordinary HCL, with and without --source', () => {
  it('the careful setup gives zero errors, with and without --source', async () => {
    const dir = plan('careful');
    const found = await check(dir, true);
    expect(errors(found).map((f) => `${f.ruleId} ${f.address} ${f.message}`)).toEqual([]);
    // Nothing is left unproven: the source spells out every value the plan lost.
    expect(found.filter((f) => f.ruleId === 'KC092').map((f) => f.message)).toEqual([]);
    // The untagged replica of the key backups is a key-backup store: checked, and hardened.
    const report = await check(dir, false);
    expect(report.some((f) => f.address.includes('module.keys_replica'))).toBe(true);
    // Without --source too: what the plan cannot prove is KC092, never an error (issue 18).
    expect(errors(report).map((f) => `${f.ruleId} ${f.address} ${f.message}`)).toEqual([]);
  }, 300_000);

  for (const b of BREAKS) {
    it(`${b.name}: ${b.what}`, async () => {
      const dir = plan(b.name, b);
      const withSource = errors(await check(dir, true));
      expect(withSource.map((f) => `${f.ruleId} ${f.message}`).join('\n')).toContain(b.expect.ruleId);
      const names = (f: Finding) => f.address === b.expect.address || f.message.includes(b.expect.address);
      expect(withSource.some((f) => f.ruleId === b.expect.ruleId && names(f))).toBe(true);
      // Without --source: the break itself, or a KC092 that names a value of the plan.
      const without = await check(dir, false);
      const reported = without.some((f) => f.ruleId === b.expect.ruleId && f.severity === 'error' && names(f));
      const unproven = without.filter((f) => f.ruleId === 'KC092');
      expect(reported || unproven.length > 0, JSON.stringify(without, null, 1)).toBe(true);
    }, 300_000);
  }
});
