import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run, tempDir, writeJson, type RunResult } from './fixtures';

/**
 * Every unreadable input ends with exit 2 and exactly one `key-custody: ...` line that says
 * what is wrong and what to run instead; never a stack trace, never output on stdout.
 */
let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

function expectExit2(r: RunResult, reason: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n')).toHaveLength(2);
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr).toMatch(/^key-custody: /);
  expect(r.stderr).toMatch(reason);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

const PLAN_FIXTURE = join(__dirname, '..', 'fixtures', 'plans', 'modules.json');

describe('key-custody check: bad inputs exit 2 with one line', () => {
  it('a missing path', async () => {
    expectExit2(await run(['check', join(dir, 'plan.json')]), /plan\.json does not exist; run `cdktf synth` first, then pass .*`terraform show -json plan\.out`/);
  });

  it('an empty file', async () => {
    writeFileSync(join(dir, 'plan.json'), '');
    expectExit2(await run(['check', join(dir, 'plan.json')]), /plan\.json is empty; run `cdktf synth` first .*`terraform show -json plan\.out`/);
  });

  it('a file that is not JSON', async () => {
    writeFileSync(join(dir, 'plan.json'), 'Terraform will perform the following actions:\n  + resource "aws_s3_bucket" "x"\n');
    expectExit2(await run(['check', join(dir, 'plan.json')]), /plan\.json is not JSON \(.*\); pass a cdktf\.out folder, .* or the output of `terraform show -json plan\.out`/);
  });

  it('JSON of another kind: a package.json, an array, Terraform state', async () => {
    writeJson(join(dir, 'package.json'), { name: 'x', version: '1.0.0' });
    expectExit2(await run(['check', join(dir, 'package.json')]), /is JSON but not Terraform JSON \(an object with keys name, version\); pass a cdktf\.out folder/);
    writeJson(join(dir, 'list.json'), [1, 2]);
    expectExit2(await run(['check', join(dir, 'list.json')]), /not Terraform JSON \(an array\)/);
    writeJson(join(dir, 'state.json'), { format_version: '1.0', terraform_version: '1.11.4', values: { root_module: {} } });
    expectExit2(await run(['check', join(dir, 'state.json')]), /is Terraform state, not a plan; pass the output of `terraform show -json plan\.out`/);
  });

  it('a truncated plan: a valid prefix cut off mid-file', async () => {
    const text = readFileSync(PLAN_FIXTURE, 'utf8');
    writeFileSync(join(dir, 'plan.json'), text.slice(0, Math.floor(text.length / 2)));
    expectExit2(await run(['check', join(dir, 'plan.json')]), /plan\.json is a truncated or damaged plan JSON \(.*\); run `terraform show -json plan\.out > plan\.json` again/);
  });

  it('a plan JSON missing its required parts', async () => {
    writeJson(join(dir, 'plan.json'), { format_version: '1.2', terraform_version: '1.11.4', resource_changes: [] });
    expectExit2(await run(['check', join(dir, 'plan.json')]), /plan\.json: the plan JSON has no configuration or planned_values .*run `terraform show -json plan\.out > plan\.json` again/);
  });

  it('a plan of an unsupported format major', async () => {
    writeJson(join(dir, 'plan.json'), { format_version: '2.0', planned_values: { root_module: {} }, configuration: { root_module: {} } });
    expectExit2(await run(['check', join(dir, 'plan.json')]), /plan\.json: plan format_version 2\.0 is not supported \(this tool reads 1\.x\)/);
  });

  it('an errored plan', async () => {
    writeJson(join(dir, 'plan.json'), { format_version: '1.2', errored: true, planned_values: { root_module: {} }, configuration: { root_module: {} } });
    expectExit2(await run(['check', join(dir, 'plan.json')]), /the plan is marked errored .*fix the errors of `terraform plan`/);
  });

  it('a binary plan file (zip) says to run terraform show -json', async () => {
    writeFileSync(join(dir, 'plan.out'), Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 7)]));
    expectExit2(await run(['check', join(dir, 'plan.out')]), /plan\.out is a binary Terraform plan, not its JSON; run `terraform show -json plan\.out > plan\.json` and pass that file/);
  });

  it('a folder with a binary plan but no JSON', async () => {
    mkdirSync(join(dir, 'stack'));
    writeFileSync(join(dir, 'stack', 'tfplan'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]));
    expectExit2(await run(['check', join(dir, 'stack')]), /holds no stacks/);
  });
});
