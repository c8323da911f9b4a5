/**
 * Terraform tier (issue 18, "the same configuration through both front ends"): the careful
 * HCL setup of test/fixtures/hcl/careful and each planted break of breaks.ts, once as HCL
 * (offline `terraform plan` + `show -json`, checked with --source) and once as Terraform JSON
 * (the root written as main.tf.json, as cdktf writes cdk.tf.json, calling the same HCL
 * module). Both must give the same error findings.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { main } from '../../lib/cli/main';
import { BREAKS, type PlantedBreak } from '../fixtures/hcl/breaks';
import { writeAsTerraformJson } from '../fixtures/hcl/to-tf-json';
import { cliConfigFor, describeTerraform, requireTerraform } from '../helpers/terraform';

const CAREFUL = join(__dirname, '..', 'fixtures', 'hcl', 'careful');
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
  const dir = join(root, kind, name);
  mkdirSync(join(root, kind), { recursive: true });
  cpSync(CAREFUL, dir, { recursive: true });
  if (edit) {
    const file = join(dir, edit.file);
    const text = readFileSync(file, 'utf8');
    if (!text.includes(edit.find)) throw new Error(`break ${edit.name}: ${edit.file} has no ${JSON.stringify(edit.find)}; update test/fixtures/hcl/breaks.ts`);
    writeFileSync(file, text.replace(edit.find, edit.replace));
  }
  return dir;
}

function plan(dir: string): void {
  const tool = requireTerraform();
  const rc = `${dir}.tfrc`;
  writeFileSync(rc, cliConfigFor(tool.mirror));
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TF_CLI_CONFIG_FILE: rc, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  const tf = (args: string[]) => {
    const r = spawnSync(tool.bin, args, { cwd: dir, env, encoding: 'utf8', timeout: 240_000, maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`terraform ${args[0]} in ${dir} failed: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  tf(['init', '-input=false', '-no-color', '-lock=false']);
  tf(['plan', '-refresh=false', '-out=plan.bin', '-input=false', '-lock=false', '-no-color']);
  writeFileSync(join(dir, 'plan.json'), tf(['show', '-json', '-no-color', 'plan.bin']));
}

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
