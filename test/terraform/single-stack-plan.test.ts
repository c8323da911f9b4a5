/**
 * The Terraform tier of whole-app context (issue 22): real offline `terraform plan`s of the
 * zitadel-single-host example's AWS stacks, written as README "Checking plans" says
 * (`terraform show -json` per stack, named `<stack>.plan.json`), checked with the cdktf.out.
 * The key-backup stack's plan alone fails KC020/KC030; with the cdktf.out they are "not
 * checked here", naming the stacks whose facts decide them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../lib/cli/main';
import { ALL_RULES } from '../../lib/rules';
import { synthExample } from '../cli/example-variants';
import { describeTerraform, terraformCheck } from '../helpers/terraform';

const tmp = mkdtempSync(join(tmpdir(), 'kc-tf-single-plan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function check(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, isTTY: false, rules: ALL_RULES, cwd: tmp });
  return { code, stdout, stderr };
}

/** The example's stacks that use only the AWS provider (the mirror has no docker provider). */
const AWS_STACKS = ['db-backups', 'drill-schedule', 'key-custody'];

interface JsonCheck {
  findings: { ruleId: string; severity: string; suppressed: boolean }[];
  inputs: { stack: string; kind: string; checked: boolean }[];
  notCheckedHere: { ruleId: string; stack: string; factsIn: string[] }[];
}

describeTerraform('whole-app context: real plans of single stacks with the cdktf.out', () => {
  beforeAll(async () => {
    const out = synthExample(join(tmp, 'cdktf.out'));
    mkdirSync(join(tmp, 'plans'));
    for (const stack of AWS_STACKS) {
      const r = await terraformCheck(join(out, 'stacks', stack), { plan: true, showJson: true });
      writeFileSync(join(tmp, 'plans', `${stack}.plan.json`), JSON.stringify(r.planJson));
    }
  }, 600_000);

  it('fails KC020 and KC030 on the key-backup plan alone, and not with the cdktf.out', async () => {
    const alone = await check(['check', join('plans', 'key-custody.plan.json'), '--format', 'json']);
    expect(alone.code).toBe(1);
    const errors = (JSON.parse(alone.stdout) as JsonCheck).findings.filter((f) => f.severity === 'error' && !f.suppressed).map((f) => f.ruleId);
    expect(errors).toEqual(['KC020', 'KC030']);

    const r = await check(['check', join('plans', 'key-custody.plan.json'), 'cdktf.out', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as JsonCheck;
    expect(j.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(j.notCheckedHere.map((n) => [n.ruleId, n.stack, n.factsIn])).toEqual([
      ['KC020', 'key-custody', ['zitadel-host']],
      ['KC030', 'key-custody', ['drill-host', 'drill-schedule']],
    ]);
    expect(j.inputs.filter((i) => i.checked).map((i) => [i.stack, i.kind])).toEqual([['key-custody', 'plan']]);
  });

  it('checks every planned stack from its plan and reads only the unplanned ones from the cdktf.out', async () => {
    const r = await check(['check', 'plans', 'cdktf.out', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as JsonCheck;
    expect(j.inputs.map((i) => [i.stack, i.kind, i.checked])).toEqual([
      ['db-backups', 'plan', true],
      ['drill-host', 'synthesized', false],
      ['drill-schedule', 'plan', true],
      ['key-custody', 'plan', true],
      ['zitadel-host', 'synthesized', false],
    ]);
    // The key is first seen on the DB-backup bucket (it carries custody:key too): the copies are
    // declared with the key in zitadel-host, the drill in drill-host; the schedule is planned.
    expect(j.notCheckedHere.map((n) => [n.ruleId, n.stack, n.factsIn])).toEqual([
      ['KC020', 'db-backups', ['zitadel-host']],
      ['KC030', 'db-backups', ['drill-host']],
    ]);
  });
});
