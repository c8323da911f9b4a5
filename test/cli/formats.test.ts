import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planStackName } from '../../lib/cli/inputs';
import { ALL_RULES } from '../../lib/rules';
import { rule as kc011 } from '../../lib/rules/kc011-no-shared-principal';
import { run, tempDir, writeCdktfOut } from './fixtures';

/** The official SARIF 2.1.0 (rtm.5) JSON schema, as shipped in the npm package @microsoft/jest-sarif. */
function sarifValidator() {
  const req = createRequire(__filename);
  const file = join(req.resolve('@microsoft/jest-sarif/package.json'), '..', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv04({ allErrors: true, strict: false, // the schema's language pattern is not valid with the u flag
    unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

const RULES = ALL_RULES.some((r) => r.id === 'KC011') ? ALL_RULES : [...ALL_RULES, kc011];
const PLAN_FIXTURE = join(__dirname, '..', 'fixtures', 'plans', 'modules.json');

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

describe('--format sarif validates against the SARIF 2.1.0 schema', () => {
  it('for cdk.tf.json input, with rule ids, help text and line numbers of the resource blocks', async () => {
    writeCdktfOut(dir);
    const r = await run(['check', 'cdktf.out', '--format', 'sarif'], { cwd: dir, rules: RULES });
    expect(r.stderr).toBe('');
    interface Loc {
      physicalLocation?: { artifactLocation: { uri: string }; region?: { startLine: number } };
      logicalLocations: { fullyQualifiedName: string }[];
    }
    const sarif = JSON.parse(r.stdout) as { runs: { tool: { driver: { rules: { id: string; help: { text: string } }[] } }; results: { locations: Loc[] }[] }[] };
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const run0 = sarif.runs[0];
    expect(run0.results.length).toBeGreaterThan(0);
    for (const rule of run0.tool.driver.rules) expect(rule.help.text.length).toBeGreaterThan(0);
    // Every finding on a resource points at the line of its block in cdk.tf.json.
    const located = run0.results.filter((x) => x.locations[0].physicalLocation?.region);
    expect(located.length).toBeGreaterThan(0);
    for (const res of located) {
      const uri = res.locations[0].physicalLocation!.artifactLocation.uri;
      const line = res.locations[0].physicalLocation!.region!.startLine;
      const name = String(res.locations[0].logicalLocations[0].fullyQualifiedName).split('/').pop()!.split('.').pop()!;
      const text = readFileSync(join(dir, uri), 'utf8').split('\n');
      expect(uri).toMatch(/^cdktf\.out\/stacks\/[ab]\/cdk\.tf\.json$/);
      expect(text[line - 1].trim()).toBe(`"${name}": {`);
    }
  });

  it('for plan input', async () => {
    const r = await run(['check', PLAN_FIXTURE, '--format', 'sarif'], { rules: RULES });
    expect(r.code).toBe(1);
    const validate = sarifValidator();
    const sarif = JSON.parse(r.stdout);
    expect(validate(sarif), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain('KC011');
  });
});

describe('plan inputs in every format', () => {
  it('json matches §5: findings with ruleId, severity, address, message, suppressed; summary', async () => {
    const r = await run(['check', PLAN_FIXTURE, '--format', 'json'], { rules: RULES });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { findings: Record<string, unknown>[]; summary: Record<string, unknown> };
    expect(Object.keys(json)).toEqual(['findings', 'summary']);
    for (const f of json.findings) {
      expect(f).toEqual(expect.objectContaining({ ruleId: expect.stringMatching(/^KC\d{3}$/), severity: expect.stringMatching(/^(error|warning)$/), address: expect.any(String), message: expect.any(String), suppressed: expect.any(Boolean) }));
    }
    expect(json.findings).toContainEqual(expect.objectContaining({ ruleId: 'KC011', address: 'module.backup.aws_iam_user.operator', severity: 'error', suppressed: false }));
    // The fixture is named modules.json: the stack takes the file's base name.
    expect(json.summary).toMatchObject({ stacks: 1, stackNames: ['modules'], passed: false });
  });

  it('several plans at once form one model with stack-qualified addresses', async () => {
    mkdirSync(join(dir, 'prod-a'));
    copyFileSync(PLAN_FIXTURE, join(dir, 'prod-a', 'plan.json'));
    copyFileSync(PLAN_FIXTURE, join(dir, 'b.plan.json'));
    const r = await run(['check', join(dir, 'prod-a', 'plan.json'), join(dir, 'b.plan.json'), '--format', 'json'], { rules: RULES });
    const json = JSON.parse(r.stdout);
    expect(json.summary.stackNames).toEqual(['b', 'prod-a']);
    expect(json.findings).toContainEqual(expect.objectContaining({ ruleId: 'KC011', address: 'prod-a/module.backup.aws_iam_user.operator' }));
  });

  it('text groups by stack and colours only on a TTY; markdown is the custody report', async () => {
    const plain = await run(['check', PLAN_FIXTURE], { rules: RULES });
    expect(plain.stdout).toMatch(/^stack modules\n/);
    expect(plain.stdout).toContain('  error KC011 module.backup.aws_iam_user.operator (stack modules)');
    expect(plain.stdout).not.toContain('\u001b[');
    const tty = await run(['check', PLAN_FIXTURE], { rules: RULES, isTTY: true });
    expect(tty.stdout).toContain('\u001b[31merror\u001b[0m KC011');
    const md = await run(['check', PLAN_FIXTURE, '--format', 'markdown'], { rules: RULES });
    expect(md.stdout).toMatch(/^# Key custody report: modules\n/);
    expect(md.stdout).toContain('## Access matrix');
    expect(md.stdout).toContain('module.backup.aws_iam_user.operator');
  });

  it('names plan stacks after the file, or the folder for generic names', () => {
    expect(planStackName({ path: 'x/keys.plan.json', stack: 'x' })).toBe('keys');
    expect(planStackName({ path: 'x/tfplan-db.json', stack: 'x' })).toBe('db');
    expect(planStackName({ path: 'prod-keys/plan.json', stack: 'prod-keys' })).toBe('prod-keys');
    expect(planStackName({ path: 'prod/tfplan.json', stack: 'prod' })).toBe('prod');
  });
});
