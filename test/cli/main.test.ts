import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPlanJson, terraformJsonFrontEnd, type InputFrontEnd } from '../../lib/cli/inputs';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';
import type { CustodyRule } from '../../lib/rules/rule';
import { run, stackA, stackB, tempDir, writeCdktfOut, writeJson, type RunResult } from './fixtures';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

/** Exit 2 with exactly one `key-custody: ...` line on stderr, nothing on stdout, no stack trace. */
function expectUsageFailure(r: RunResult, reason: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('');
  expect(lines[0]).toMatch(/^key-custody: /);
  expect(lines[0]).toMatch(reason);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('key-custody check: exit codes', () => {
  it('exits 0 with no findings and says so in the text summary', async () => {
    const out = writeCdktfOut(dir);
    const r = await run(['check', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('0 errors, 0 warnings, 0 suppressed in 2 stacks\n');
  });

  it('exits 1 on an unsuppressed error and names rule, address, stack and fix', async () => {
    const out = writeCdktfOut(dir, { bTags: { 'test:error': 'x' } });
    const r = await run(['check', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('stack b\n  error KT001 aws_s3_bucket.db_backup (stack b) aws_s3_bucket.db_backup is tagged test:error; fix: remove the test:error tag\n');
    expect(r.stdout).toMatch(/1 error, 0 warnings, 0 suppressed in 2 stacks\n$/);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('exits 0 on warnings, 1 on warnings with --strict', async () => {
    const out = writeCdktfOut(dir, { aTags: { 'test:warning': 'x' } });
    expect((await run(['check', out])).code).toBe(0);
    const strict = await run(['check', '--strict', out]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('warning KT002 aws_s3_bucket.key_backup (stack a)');
  });

  it('exits 0 when the only error is suppressed, and reports the suppression', async () => {
    const out = writeCdktfOut(dir, {
      aTags: { 'test:error': 'x' },
      suppressions: [{ id: 'KT001', reason: 'accepted for this fixture until 2031', owner: 'sec', expires: '2030-12-31', scope: '' }],
    });
    const r = await run(['check', out, '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.findings).toEqual([
      expect.objectContaining({ ruleId: 'KT001', severity: 'error', address: 'a/aws_s3_bucket.key_backup', suppressed: true, reason: 'accepted for this fixture until 2031' }),
    ]);
    expect(json.summary).toMatchObject({ errors: 0, warnings: 0, suppressed: 1, stacks: 2 });
  });

  it('colours the text format only on a TTY', async () => {
    const out = writeCdktfOut(dir, { bTags: { 'test:error': 'x' } });
    const r = await run(['check', out], { isTTY: true });
    expect(r.stdout).toContain('\u001b[31merror\u001b[0m');
  });
});

describe('key-custody check with the real catalogue', () => {
  it('runs ALL_RULES when no rules are injected', async () => {
    const r = await run(['check', writeCdktfOut(dir), '--format', 'json'], { rules: undefined });
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout);
    expect(json.findings.length).toBeGreaterThan(0);
    for (const f of json.findings) expect(f.ruleId).toMatch(/^KC\d{3}$/);
    expect(r.code).toBe(json.summary.passed ? 0 : 1);
  });
});

describe('key-custody check --format json (the output contract)', () => {
  it('prints findings with ruleId, severity, stack-qualified address, message, suppressed, and a summary', async () => {
    const out = writeCdktfOut(dir, { aTags: { 'test:warning': 'x' }, bTags: { 'test:error': 'x' } });
    const r = await run(['check', out, '--format=json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual(['findings', 'summary']);
    expect(json.findings).toEqual([
      {
        ruleId: 'KT001',
        severity: 'error',
        address: 'b/aws_s3_bucket.db_backup',
        message: 'aws_s3_bucket.db_backup is tagged test:error',
        suppressed: false,
        stack: 'b',
        fix: 'remove the test:error tag',
      },
      {
        ruleId: 'KT002',
        severity: 'warning',
        address: 'a/aws_s3_bucket.key_backup',
        message: 'aws_s3_bucket.key_backup is tagged test:warning',
        suppressed: false,
        stack: 'a',
        fix: 'remove the test:warning tag',
      },
    ]);
    expect(json.summary).toEqual({ errors: 1, warnings: 1, suppressed: 0, stacks: 2, stackNames: ['a', 'b'], strict: false, passed: false });
  });
});

describe('key-custody check --format markdown', () => {
  it('prints the custody report with the access matrix, inventory, drills and findings', async () => {
    const out = writeCdktfOut(dir, { bTags: { 'test:error': 'x' } });
    const r = await run(['check', out, '--format', 'markdown']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^# Key custody report\n/);
    expect(r.stdout).toContain('## Access matrix');
    expect(r.stdout).toContain('## Key inventory');
    expect(r.stdout).toContain('| `zitadel` | zitadel |');
    expect(r.stdout).toContain('| `a/aws_s3_bucket.key_backup` |');
    expect(r.stdout).toContain('`zitadel-quarterly`');
    expect(r.stdout).toContain('| KT001 | error | `b/aws_s3_bucket.db_backup` |');
  });
});

describe('key-custody check: inputs', () => {
  it('merges several paths into one model, so cross-stack rules see every stack', async () => {
    const out = writeCdktfOut(dir);
    const alone = await run(['check', join(out, 'stacks', 'a'), '--format', 'json']);
    expect(alone.code).toBe(1);
    const aloneJson = JSON.parse(alone.stdout);
    // One stack: addresses are not stack-qualified.
    expect(aloneJson.findings).toEqual([expect.objectContaining({ ruleId: 'KT003', address: 'aws_s3_bucket.key_backup' })]);
    expect(aloneJson.summary.stacks).toBe(1);

    const both = await run(['check', join(out, 'stacks', 'a'), join(out, 'stacks', 'b'), '--format', 'json']);
    expect(both.code).toBe(0);
    expect(JSON.parse(both.stdout).summary).toMatchObject({ errors: 0, stacks: 2, stackNames: ['a', 'b'] });
  });

  it('reads cdktf.out without manifest.json through stacks/*/cdk.tf.json', async () => {
    const out = writeCdktfOut(dir, { manifestJson: false, bTags: { 'test:error': 'x' } });
    const r = await run(['check', out, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary.stackNames).toEqual(['a', 'b']);
  });

  it('reads a cdk.tf.json file with the parent folder as the stack name', async () => {
    const file = writeJson(join(dir, 'prod-db', 'cdk.tf.json'), stackB({ bTags: { 'test:error': 'x' } }));
    const r = await run(['check', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error KT001 aws_s3_bucket.db_backup (stack prod-db)');
  });

  it('reads a folder of hand-written *.tf.json files as one stack', async () => {
    const b = stackB({ bTags: { 'test:error': 'x' } });
    writeJson(join(dir, 'legacy', 'main.tf.json'), { resource: b.resource });
    writeJson(join(dir, 'legacy', 'providers.tf.json'), { provider: b.provider });
    writeJson(join(dir, 'legacy', 'extra.tf.json'), { resource: { aws_s3_bucket: { other: { bucket: 'other', tags: { 'test:warning': 'x' } } } } });
    const r = await run(['check', join(dir, 'legacy'), '--format', 'json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.summary).toMatchObject({ stacks: 1, stackNames: ['legacy'], errors: 1, warnings: 1 });
  });

  it('finds cdktf.out inside a project folder, and resolves paths against the working directory', async () => {
    writeCdktfOut(dir, { bTags: { 'test:error': 'x' } });
    writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ app: 'npx tsx main.ts', language: 'typescript' }));
    const r = await run(['check', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('in 2 stacks');
  });

  it('reads the same stack only once when paths overlap', async () => {
    const out = writeCdktfOut(dir);
    const r = await run(['check', out, join(out, 'stacks', 'a', 'cdk.tf.json'), '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.stacks).toBe(2);
  });

  it('lets a plan front end plug in through the front-end list', async () => {
    const planFrontEnd: InputFrontEnd = {
      name: 'plan-json',
      accepts: isPlanJson,
      load: (input) => [loadTerraformJson(input.stack, (input.json as { configuration: unknown }).configuration, input.path)],
    };
    const file = writeJson(join(dir, 'prod', 'plan.json'), { format_version: '1.2', planned_values: {}, configuration: stackB({ bTags: { 'test:error': 'x' } }) });
    const r = await run(['check', file], { frontEnds: [planFrontEnd, terraformJsonFrontEnd] });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error KT001 aws_s3_bucket.db_backup (stack prod)');
  });

  it('refuses two different inputs with the same stack name', async () => {
    writeJson(join(dir, 'one', 'a', 'cdk.tf.json'), stackA());
    writeJson(join(dir, 'two', 'a', 'cdk.tf.json'), stackA());
    expectUsageFailure(await run(['check', join(dir, 'one', 'a'), join(dir, 'two', 'a')]), /stack "a" is given twice/);
  });
});

describe('key-custody check: unreadable input (exit 2, one line)', () => {
  it('missing path', async () => {
    expectUsageFailure(await run(['check', join(dir, 'nope')]), /nope does not exist; run `cdktf synth` first/);
  });

  it('empty file', async () => {
    writeFileSync(join(dir, 'cdk.tf.json'), '  \n');
    expectUsageFailure(await run(['check', join(dir, 'cdk.tf.json')]), /is empty; run `cdktf synth` first/);
  });

  it('non-JSON file', async () => {
    writeFileSync(join(dir, 'cdk.tf.json'), 'resource "aws_s3_bucket" "x" {\n  bucket = "y"\n}\n');
    expectUsageFailure(await run(['check', join(dir, 'cdk.tf.json')]), /is not JSON \(.*\); pass a cdktf.out folder/);
  });

  it('JSON of the wrong kind', async () => {
    writeJson(join(dir, 'package.json'), { name: 'x', version: '1.0.0' });
    expectUsageFailure(await run(['check', join(dir, 'package.json')]), /is JSON but not Terraform JSON \(an object with keys name, version\)/);
    writeJson(join(dir, 'list.json'), [1, 2]);
    expectUsageFailure(await run(['check', join(dir, 'list.json')]), /not Terraform JSON \(an array\)/);
  });

  it('plan JSON without a plan front end says what to pass instead', async () => {
    writeJson(join(dir, 'plan.json'), { format_version: '1.2', terraform_version: '1.11.0', planned_values: { root_module: {} }, configuration: { root_module: {} } });
    expectUsageFailure(await run(['check', join(dir, 'plan.json')], { frontEnds: [terraformJsonFrontEnd] }), /is plan JSON, but no plan front end is enabled; pass the cdktf.out folder/);
  });

  it('a binary plan says to run terraform show -json', async () => {
    writeFileSync(join(dir, 'plan.out'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]));
    expectUsageFailure(await run(['check', join(dir, 'plan.out')]), /binary Terraform plan, not its JSON; run `terraform show -json plan.out > plan.json`/);
  });

  it('a folder with no stacks', async () => {
    mkdirSync(join(dir, 'empty'));
    expectUsageFailure(await run(['check', join(dir, 'empty')]), /holds no stacks .*run `cdktf synth` first/);
  });

  it('an unsynthesized cdktf project', async () => {
    writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ app: 'npx tsx main.ts', language: 'typescript' }));
    expectUsageFailure(await run(['check', dir]), /cdktf project that has not been synthesized; run `cdktf synth`/);
  });

  it('a cdktf.out with an empty stacks folder', async () => {
    mkdirSync(join(dir, 'cdktf.out', 'stacks', 'a'), { recursive: true });
    expectUsageFailure(await run(['check', join(dir, 'cdktf.out')]), /no stacks\/<name>\/cdk.tf.json/);
  });

  it('a rule that throws is reported in one line, not a stack trace', async () => {
    const broken: CustodyRule = { id: 'KT999', title: 't', severity: 'error', explanation: 'e', fix: 'f', suppressible: true, check: () => { throw new Error('boom\nsecond line'); } };
    expectUsageFailure(await run(['check', writeCdktfOut(dir)], { rules: [broken] }), /internal error while checking: boom second line/);
  });
});

describe('key-custody: usage', () => {
  it('--help prints usage and exits 0', async () => {
    for (const argv of [['--help'], ['check', '--help'], ['-h'], ['help']]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: key-custody check <path>\.\.\. \[--format text\|markdown\|json\|sarif\] \[--strict\]/);
      expect(r.stderr).toBe('');
    }
  });

  it('--version prints the package version', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });

  it('bad usage exits 2 with one line', async () => {
    expectUsageFailure(await run([]), /no command given; usage: key-custody check/);
    expectUsageFailure(await run(['lint', 'x']), /unknown command "lint"/);
    expectUsageFailure(await run(['check']), /check needs at least one path/);
    expectUsageFailure(await run(['check', 'x', '--frobnicate']), /unknown option --frobnicate/);
    expectUsageFailure(await run(['check', 'x', '--format', 'xml']), /unknown format "xml"; use one of text, markdown, json, sarif/);
    expectUsageFailure(await run(['check', 'x', '--format']), /--format needs a value/);
  });

  it('--format sarif prints SARIF 2.1.0 with rules, levels, locations and suppressions', async () => {
    writeCdktfOut(dir, {
      aTags: { 'test:warning': 'x' },
      bTags: { 'test:error': 'x' },
      suppressions: [{ id: 'KT002', reason: 'accepted for this fixture until 2031', owner: 'sec', expires: '2030-12-31', scope: '' }],
    });
    const r = await run(['check', 'cdktf.out', '--format', 'sarif'], { cwd: dir });
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const run0 = sarif.runs[0];
    expect(run0.tool.driver.name).toBe('key-custody');
    expect(run0.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(['KT001', 'KT002', 'KT003']);
    expect(run0.results).toHaveLength(2);
    const [err, warn] = run0.results;
    expect(err).toMatchObject({ ruleId: 'KT001', ruleIndex: 0, level: 'error' });
    expect(err.locations[0].physicalLocation.artifactLocation.uri).toBe('cdktf.out/stacks/b/cdk.tf.json');
    expect(err.locations[0].logicalLocations[0].fullyQualifiedName).toBe('b/aws_s3_bucket.db_backup');
    expect(err.suppressions).toBeUndefined();
    expect(warn).toMatchObject({ ruleId: 'KT002', level: 'warning', suppressions: [{ kind: 'inSource', justification: 'accepted for this fixture until 2031' }] });
  });
});
