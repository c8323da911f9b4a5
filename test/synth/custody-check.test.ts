import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App, TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Container } from '@cdktf/provider-docker/lib/container';
import { CustodySuppressions, KeyCustody } from '../../lib';

const root = join(__dirname, '..', '..');
const fixture = join(root, 'test', 'fixtures', 'apps', 'violation');
const tmp = mkdtempSync(join(tmpdir(), 'kc-synth-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Run the real `cdktf synth` on a copy of the fixture app. */
function cdktfSynth(mode: string): { status: number | null; out: string; dir: string } {
  const dir = join(tmp, mode);
  cpSync(fixture, dir, { recursive: true });
  // The fixture imports the library by a relative path; keep it resolvable from the copy.
  const main = readFileSync(join(dir, 'main.ts'), 'utf8').replace("'../../../../lib'", JSON.stringify(join(root, 'lib')));
  writeFileSync(join(dir, 'main.ts'), main);
  writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: `${join(root, 'node_modules', '.bin', 'tsx')} main.ts` }));
  const res = spawnSync(join(root, 'node_modules', '.bin', 'cdktf'), ['synth'], {
    cwd: dir,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', CUSTODY_FIXTURE_MODE: mode, NODE_PATH: join(root, 'node_modules') },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: res.status, out: `${res.stdout}\n${res.stderr}`, dir };
}

function violatingApp(outdir: string) {
  const app = new App({ outdir });
  const check = KeyCustody.enable(app);
  const stack = new TerraformStack(app, 'app-host');
  new DockerProvider(stack, 'docker', {});
  const c = new Container(stack, 'zitadel', {
    name: 'zitadel',
    image: 'ghcr.io/zitadel/zitadel:v4.13.0',
    env: ['ZITADEL_MASTERKEY=${var.masterkey}'],
  });
  return { app, check, stack, container: c };
}

describe('synth-time enforcement (in process)', () => {
  it('fails app.synth() with the rule id, address, stack and fix, and leaves no stack output behind', () => {
    const outdir = join(tmp, 'inproc-violation');
    const { app } = violatingApp(outdir);
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    // One block per finding: the finding's line, then where it is, then the fix.
    expect(message).toMatch(/KC001 docker_container\.zitadel \(stack app-host\) .*ZITADEL_MASTERKEY.*\n(?: {2}at .*\n)? {2}fix: /);
    expect(message).not.toContain('${var.masterkey}');
    expect(existsSync(join(outdir, 'stacks', 'app-host', 'cdk.tf.json'))).toBe(false);
  });

  it('passes with a valid suppression, and the reports list it with its reason', () => {
    const outdir = join(tmp, 'inproc-suppressed');
    const { app, check, container } = violatingApp(outdir);
    CustodySuppressions.add(container, [{ id: 'KC001', reason: 'legacy host being migrated this quarter', owner: 'platform', expires: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10) }]);
    app.synth();
    const f = check.lastResult?.findings.find((x) => x.ruleId === 'KC001');
    expect(f?.suppressed).toBe(true);
    expect(f?.reason).toBe('legacy host being migrated this quarter');
    const appReport = readFileSync(join(outdir, 'custody-report.md'), 'utf8');
    const stackReport = readFileSync(join(outdir, 'stacks', 'app-host', 'custody-report.md'), 'utf8');
    for (const r of [appReport, stackReport]) {
      expect(r).toContain('KC001');
      expect(r).toContain('legacy host being migrated this quarter');
    }
    const json = JSON.parse(readFileSync(join(outdir, 'stacks', 'app-host', 'custody-report.json'), 'utf8'));
    expect(JSON.stringify(json)).toContain('legacy host being migrated this quarter');
  });

  it('a suppression on another construct does not cover the finding', () => {
    const outdir = join(tmp, 'inproc-wrong-scope');
    const { app, stack } = violatingApp(outdir);
    const other = new Container(stack, 'other', { name: 'other', image: 'busybox' });
    CustodySuppressions.add(other, [{ id: 'KC001', reason: 'this container never sees the key', owner: 'ops', expires: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10) }]);
    expect(() => app.synth()).toThrow(/KC001 docker_container\.zitadel/);
  });

  it('refuses an unsuppressible rule at the call, naming the construct and the fix', () => {
    const { stack } = violatingApp(join(tmp, 'inproc-unsuppressible'));
    expect(() => CustodySuppressions.add(stack, [{ id: 'KC011', reason: 'one principal is simpler for us' }])).toThrow(
      /\[app-host\] CustodySuppressions: KC011 .*cannot be suppressed.*Fix the finding instead/,
    );
  });

  it('refuses a short reason with a zod-prettified message and the construct path', () => {
    const { container } = violatingApp(join(tmp, 'inproc-short'));
    expect(() => CustodySuppressions.add(container, [{ id: 'KC001', reason: 'todo' }])).toThrow(/\[app-host\/zitadel\] CustodySuppressions: invalid props[\s\S]*reason/);
  });

  it('an expired suppression is an error and an unused one a warning', () => {
    const outdir = join(tmp, 'inproc-expired');
    const { app, container } = violatingApp(outdir);
    CustodySuppressions.add(container, [{ id: 'KC001', reason: 'legacy host being migrated this quarter', owner: 'ops', expires: '2020-01-01' }]);
    expect(() => app.synth()).toThrow(/KC090 .*expired on 2020-01-01/);

    const outdir2 = join(tmp, 'inproc-unused');
    const app2 = new App({ outdir: outdir2 });
    const check2 = KeyCustody.enable(app2);
    const s2 = new TerraformStack(app2, 'clean');
    new DockerProvider(s2, 'docker', {});
    CustodySuppressions.add(s2, [{ id: 'KC024', reason: 'rotation handled by a separate process' }]);
    app2.synth();
    const unused = check2.lastResult?.findings.find((f) => f.ruleId === 'KC091');
    expect(unused?.severity).toBe('warning');
    expect(unused?.message).toMatch(/KC024 matched no finding/);
  });
});

describe('synth-time enforcement through the cdktf CLI', () => {
  it('`cdktf synth` exits non-zero on a violation and shows the rule id', () => {
    const r = cdktfSynth('violation');
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/KC001 docker_container\.zitadel \(stack app-host\)/);
  });

  it('`cdktf synth` passes with a valid suppression and the report lists it', () => {
    const r = cdktfSynth('suppressed');
    expect(r.status, r.out).toBe(0);
    const report = readFileSync(join(r.dir, 'cdktf.out', 'custody-report.md'), 'utf8');
    expect(report).toContain('legacy host being migrated to the file mount this quarter');
  });

  it('`cdktf synth` fails with a clear error when an unsuppressible rule is suppressed', () => {
    const r = cdktfSynth('unsuppressible');
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/KC010 .*cannot be suppressed/);
  });
});
