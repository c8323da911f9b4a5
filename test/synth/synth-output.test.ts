/**
 * Synth-time output (issue 22): one block per finding, no Node stack trace, no cdktf hint to
 * skip validation, a last line with the counts and the report path; the synth still fails.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PLANTED_PRINCIPAL, plantedExample, runApp } from '../helpers/planted-example';

const root = join(__dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'kc-synth-out-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const STACK_FRAME = /^\s+at .*:\d+:\d+\)?$/m;

describe('synth-time output of an app run directly (npx tsx main.ts)', () => {
  it('prints one block per finding with the .ts line of the construct call, no stack, no skipValidation hint, and a summary line last', () => {
    const planted = plantedExample(tmp);
    const r = runApp(planted);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stderr).not.toContain('skipValidation');
    expect(r.stderr).not.toContain('Validation failed');
    const blocks = r.stderr.trimEnd().split('\n\n');
    const kc011 = blocks.filter((b) => b.startsWith('KC011 ') && b.includes(PLANTED_PRINCIPAL));
    expect(kc011).toHaveLength(1);
    const lines = kc011[0].split('\n');
    expect(lines[0]).toMatch(/^KC011 arn:aws:iam::222222222222:role\/ops \(stack [a-z-]+\) can /);
    expect(lines[1]).toBe(`  at infra/main.ts:${planted.grantLine}`);
    expect(lines[2]).toMatch(new RegExp(`^  fix: the access to .* was granted by \`keyBucket\\.grantRead\\('${PLANTED_PRINCIPAL.replace(/[/.]/g, '\\$&')}'\\);\` at infra/main.ts:${planted.grantLine}`));
    // Every finding is printed once, as one block that starts with its rule id.
    for (const b of blocks.slice(0, -1)) expect(b).toMatch(/^KC\d{3} /);
    expect(blocks[blocks.length - 1]).toMatch(/^key custody check failed: \d+ errors?, \d+ warnings?, \d+ suppressed; report: cdktf\.out\/custody-report\.md$/);
  }, 300_000);
});

describe('synth-time output through the cdktf CLI', () => {
  it('`cdktf synth` prints each finding once, without a stack or the skipValidation hint, ends with the counts, and exits non-zero', () => {
    const dir = join(tmp, 'cli');
    cpSync(join(root, 'test', 'fixtures', 'apps', 'violation'), dir, { recursive: true });
    writeFileSync(join(dir, 'main.ts'), readFileSync(join(dir, 'main.ts'), 'utf8').replace("'../../../../lib'", JSON.stringify(join(root, 'lib'))));
    writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: `${join(root, 'node_modules', '.bin', 'tsx')} main.ts` }));
    const res = spawnSync(join(root, 'node_modules', '.bin', 'cdktf'), ['synth'], {
      cwd: dir,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', NO_COLOR: '1', FORCE_COLOR: '0', NODE_PATH: join(root, 'node_modules') },
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(res.status).not.toBe(0);
    // eslint-disable-next-line no-control-regex
    const out = `${res.stdout}\n${res.stderr}`.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
    expect(out.match(/KC001 docker_container\.zitadel \(stack app-host\)/g)).toHaveLength(1);
    expect(out).toContain('ERROR [app-host/zitadel]: KC001 docker_container.zitadel (stack app-host) passes the key in environment variable ZITADEL_MASTERKEY=<redacted>\n  at construct app-host/zitadel\n  fix: remove ZITADEL_MASTERKEY');
    expect(out).not.toMatch(STACK_FRAME);
    expect(out).not.toContain('skipValidation');
    const ours = out.split('\n').filter((l) => /^(ERROR|WARN|INFO) \[/.test(l));
    expect(ours[ours.length - 1]).toBe('ERROR [app-host]: key custody check failed: 1 error, 0 warnings, 0 suppressed; report: cdktf.out/custody-report.md');
    // What the CLI needs to read stands in for the removed configuration, and no Terraform accepts it.
    const stub = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', 'app-host', 'cdk.tf.json'), 'utf8')) as { resource?: unknown; terraform: { required_version: string } };
    expect(stub.resource).toBeUndefined();
    expect(stub.terraform.required_version).toBe('= 0.0.0');
  }, 300_000);
});
