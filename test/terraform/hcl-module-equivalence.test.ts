/**
 * Terraform tier (issue 18, "the same configuration through both front ends"): the careful
 * HCL setup of test/fixtures/hcl/careful and each planted break of breaks.ts, once as HCL
 * (offline `terraform plan` + `show -json`, checked with --source) and once as Terraform JSON
 * (the root written as main.tf.json, as cdktf writes cdk.tf.json, calling the same HCL
 * module). Both must give the same error findings.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { main } from '../../lib/cli/main';
import { BREAKS, type PlantedBreak } from '../fixtures/hcl/breaks';
import { carefulCopy, planHclFolder } from '../fixtures/hcl/plan-folder';
import { writeAsTerraformJson } from '../fixtures/hcl/to-tf-json';
import { describeTerraform } from '../helpers/terraform';

const root = mkdtempSync(join(tmpdir(), 'kc-hcl-equiv-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Finding {
  readonly ruleId: string;
  readonly severity: string;
  readonly address: string;
  readonly message: string;
}

/** The careful setup with one break, under `<root>/<kind>/<name>` (the stack is named `name` either way). */
function edited(kind: string, name: string, edit?: PlantedBreak): string {
  mkdirSync(join(root, kind), { recursive: true });
  return carefulCopy(join(root, kind, name), edit);
}

const plan = planHclFolder;

async function check(args: string[]): Promise<Finding[]> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, today: '2026-12-06' };
  const code = await main(['check', ...args, '--format', 'json'], io);
  expect(code, err).not.toBe(2);
  return (JSON.parse(out) as { findings: Finding[] }).findings;
}

const errors = (f: readonly Finding[]) =>
  f
    .filter((x) => x.severity === 'error')
    .map((x) => `${x.ruleId} ${x.address} ${x.message}`)
    .sort();

describeTerraform('one configuration as HCL (plan + --source) and as Terraform JSON with HCL modules', () => {
  for (const b of [undefined, ...BREAKS]) {
    const name = b?.name ?? 'careful';
    it(`${name}: the same errors from both front ends`, async () => {
      const hcl = edited('hcl', name, b);
      plan(hcl);
      const fromPlan = errors(await check([join(hcl, 'plan.json'), '--source', hcl]));
      const json = join(root, 'json', name);
      await writeAsTerraformJson(edited('src', name, b), json);
      const fromJson = errors(await check([json]));
      expect(fromJson).toEqual(fromPlan);
      if (b) expect(fromJson.some((f) => f.startsWith(`${b.expect.ruleId} `) && f.includes(b.expect.address))).toBe(true);
      else expect(fromJson).toEqual([]);
    }, 300_000);
  }
});
