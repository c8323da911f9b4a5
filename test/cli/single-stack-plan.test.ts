/**
 * Whole-app context for plans (issue 22): one stack's plan checked with the cdktf.out does not
 * fail KC020 (3-2-1) or KC030 (drill) when the copies and the drill live in other stacks; it
 * says "not checked here", names those stacks, and lists where each stack's facts came from.
 * The plans are the offline plans of the synthesized stacks (test/reliability/plan-of.ts);
 * test/terraform/single-stack-plan.test.ts does the same with real `terraform plan`s.
 */
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/main';
import { ALL_RULES } from '../../lib/rules';
import { offlinePlans, RESTORE_ROLE, synthCrossingVariant, synthExample } from './example-variants';

const tmp = mkdtempSync(join(tmpdir(), 'kc-single-plan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function check(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, isTTY: false, rules: ALL_RULES, today: '2030-01-01', cwd: tmp });
  return { code, stdout, stderr };
}

const STACKS = ['db-backups', 'drill-host', 'drill-schedule', 'key-custody', 'zitadel-host'];
let out: string;
let plans: string;
const plan = (stack: string) => join(plans, `${stack}.plan.json`);

beforeAll(() => {
  out = synthExample(join(tmp, 'cdktf.out'));
  plans = offlinePlans(out, join(tmp, 'plans'));
}, 120_000);

interface JsonCheck {
  findings: { ruleId: string; stack: string; severity: string; address: string }[];
  summary: { errors: number; stackNames: string[]; passed: boolean };
  inputs: { stack: string; kind: string; path: string; checked: boolean }[];
  notCheckedHere: { ruleId: string; stack: string; address: string; severity: string; message: string; factsIn: string[] }[];
}

describe('one stack plan alone', () => {
  it('still fails KC020 and KC030 without the cdktf.out: nothing says the facts are elsewhere', async () => {
    const r = await check(['check', plan('key-custody'), '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as JsonCheck;
    expect(j.findings.filter((f) => f.severity === 'error').map((f) => f.ruleId)).toEqual(['KC020', 'KC030']);
    expect(j.inputs).toBeUndefined();
  });
});

describe('one stack plan with the cdktf.out', () => {
  it('does not raise KC020 or KC030 for the key-backup stack: they are not checked here, naming the stacks that hold the facts', async () => {
    const r = await check(['check', plan('key-custody'), 'cdktf.out', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as JsonCheck;
    expect(j.findings).toEqual([]);
    expect(j.summary).toMatchObject({ errors: 0, stackNames: ['key-custody'], passed: true });
    expect(j.notCheckedHere.map((n) => [n.ruleId, n.stack, n.address, n.severity, n.factsIn])).toEqual([
      ['KC020', 'key-custody', 'aws_s3_bucket.KeyBackups_Bucket_4054C801', 'error', ['zitadel-host']],
      ['KC030', 'key-custody', 'aws_s3_bucket.KeyBackups_Bucket_4054C801', 'error', ['drill-host', 'drill-schedule']],
    ]);
    expect(j.notCheckedHere[0].message).toContain('3-2-1 needs 2 more copies');
    // Which facts came from where.
    expect(j.inputs).toEqual([
      { stack: 'db-backups', kind: 'synthesized', path: join('cdktf.out', 'stacks', 'db-backups', 'cdk.tf.json'), checked: false },
      { stack: 'drill-host', kind: 'synthesized', path: join('cdktf.out', 'stacks', 'drill-host', 'cdk.tf.json'), checked: false },
      { stack: 'drill-schedule', kind: 'synthesized', path: join('cdktf.out', 'stacks', 'drill-schedule', 'cdk.tf.json'), checked: false },
      { stack: 'key-custody', kind: 'plan', path: join('plans', 'key-custody.plan.json'), checked: true },
      { stack: 'zitadel-host', kind: 'synthesized', path: join('cdktf.out', 'stacks', 'zitadel-host', 'cdk.tf.json'), checked: false },
    ]);
  });

  it('says so in the text output after the summary line', async () => {
    const r = await check(['check', plan('key-custody'), join('cdktf.out', 'manifest.json')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('0 errors, 0 warnings, 0 suppressed in 1 stack');
    expect(lines).toContain(`inputs (the app's stacks, from ${join('cdktf.out', 'manifest.json')}):`);
    expect(lines).toContain(`  key-custody: plan ${join('plans', 'key-custody.plan.json')}`);
    expect(lines).toContain(`  zitadel-host: synthesized ${join('cdktf.out', 'stacks', 'zitadel-host', 'cdk.tf.json')} (no plan given: context only, not checked)`);
    const kc020 = lines.find((l) => l.startsWith('not checked here: KC020'));
    expect(kc020).toMatch(/^not checked here: KC020 aws_s3_bucket\.KeyBackups_Bucket_4054C801 \(stack key-custody\): its facts live in stack zitadel-host, read from the synthesized cdktf\.out \(no plan given\); with this stack alone it would say: key zitadel-master has 1 copy/);
    expect(kc020).toMatch(/Pass that stack's plan too to check it$/);
  });

  it('lists the drill stack\'s results that depend on other stacks: KC030, KC031, KC034', async () => {
    const r = await check(['check', plan('drill-host'), 'cdktf.out', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as JsonCheck;
    expect(j.notCheckedHere.map((n) => [n.ruleId, n.factsIn])).toEqual([
      ['KC030', ['drill-schedule', 'zitadel-host']],
      ['KC031', ['key-custody']],
      ['KC034', ['drill-schedule']],
    ]);
  });

  it('adds an Inputs and a Not checked here section to the Markdown report, and notes plus properties to SARIF', async () => {
    const md = await check(['check', plan('zitadel-host'), 'cdktf.out', '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('## Inputs');
    expect(md.stdout).toContain('| `zitadel-host` | plan | `plans/key-custody.plan.json` |'.replace('key-custody', 'zitadel-host'));
    expect(md.stdout).toContain('## Not checked here');
    expect(md.stdout).toMatch(/\| KC030 \| `zitadel-host` \| `terraform_data\.custody_manifest` \| `drill-host`, `drill-schedule` \|/);
    const sarif = await check(['check', plan('zitadel-host'), 'cdktf.out', '--format', 'sarif']);
    expect(sarif.code).toBe(0);
    const log = JSON.parse(sarif.stdout) as { runs: { results: unknown[]; invocations: { toolExecutionNotifications: { level: string; message: { text: string } }[] }[]; properties: { notCheckedHere: { ruleId: string }[]; inputs: unknown[] } }[] };
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].invocations[0].toolExecutionNotifications.map((n) => [n.level, n.message.text.slice(0, 28)])).toEqual([['note', 'not checked here: KC030 terr']]);
    expect(log.runs[0].properties.notCheckedHere.map((n) => n.ruleId)).toEqual(['KC030']);
    expect(log.runs[0].properties.inputs).toHaveLength(5);
  });

  it('checks every stack from its plan when all plans are given (a folder of plans), with nothing left unchecked', async () => {
    const r = await check(['check', 'plans', 'cdktf.out', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as JsonCheck;
    expect(j.notCheckedHere).toEqual([]);
    expect(j.inputs.map((i) => [i.stack, i.kind, i.checked])).toEqual(STACKS.map((s) => [s, 'plan', true]));
    expect(j.summary.stackNames).toEqual(STACKS);
  });

  it('refuses a plan whose stack the manifest does not list, saying how to name it', async () => {
    const odd = join(tmp, 'odd');
    offlinePlans(out, odd, ['key-custody']);
    renameSync(join(odd, 'key-custody.plan.json'), join(odd, 'keys.plan.json'));
    const r = await check(['check', join('odd', 'keys.plan.json'), 'cdktf.out']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is the plan of stack "keys", which cdktf.out/manifest.json does not list (stacks: db-backups, drill-host, drill-schedule, key-custody, zitadel-host)');
    expect(r.stderr).toContain('name each plan after its stack');
  });

  it('keeps a finding the context adds: a DB-side role that reads the key bucket of the other stack is KC011 here', async () => {
    const crossing = synthCrossingVariant(join(tmp, 'crossing', 'cdktf.out'));
    offlinePlans(crossing, join(tmp, 'crossing', 'plans'), ['db-backups']);
    const r = await check(['check', join('crossing', 'plans', 'db-backups.plan.json'), join('crossing', 'cdktf.out'), '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as JsonCheck;
    expect(j.findings.filter((f) => f.ruleId === 'KC011').map((f) => f.address)).toEqual([`db-backups/${RESTORE_ROLE}`]);
    expect(j.findings.every((f) => f.stack === 'db-backups')).toBe(true);
  });
});
