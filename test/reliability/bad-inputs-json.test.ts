/**
 * Bad-input catalogue, JSON parsing: what `key-custody check` and the synth-time check refuse
 * in the files they read, and the prototype names that must stay plain data. Same row style as
 * bad-inputs.test.ts: each row names what was wrong, the offending value and the fix; CLI
 * errors are one stderr line `key-custody: ...` with exit 2 and no stack frames. Rows that
 * plant a key also check that it is not printed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { main } from '../../lib/cli/main';
import { MasterKey } from '../../lib/constructs/key/master-key';
import { profileNamed } from '../../lib/profiles';
import { planOf } from './plan-of';

const tmp = mkdtempSync(join(tmpdir(), 'kc-bad-json-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A 32-character key as a user might paste it; it must never reach the output. */
const KEY = 'Zq8vN2kR7tY4wP1mX6cB3hJ9dF5gL0sA';

function file(name: string, content: string | Buffer): string {
  const p = join(tmp, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, content);
  return p;
}

function matches(text: string, want: string | RegExp): boolean {
  return typeof want === 'string' ? text.includes(want) : want.test(text);
}

interface CliRow {
  readonly name: string;
  readonly argv: () => string[];
  readonly what: string | RegExp;
  /** The offending value (a path, an address, a key name) the message must name. */
  readonly value: string;
  readonly fix: string | RegExp;
  /** Planted text that must not appear anywhere in the output. */
  readonly secret?: string;
}

const bucket = { bucket: 'kc-keys', tags: { 'custody:role': 'key-backup' } };
const validTfJson = JSON.stringify({ resource: { aws_s3_bucket: { keys: bucket } } }, null, 2);
const user = { name: 'hidden' };
const plan = planOf({ resource: { aws_s3_bucket: { keys: bucket } } }) as {
  planned_values: { root_module: { resources: unknown[] } };
  resource_changes: unknown[];
};

const CLI_ROWS: CliRow[] = [
  { name: 'a key file given to check', argv: () => ['check', file('leak/masterkey', KEY)], what: 'is not JSON (unexpected character at line 1, column 1)', value: 'masterkey', fix: 'pass a cdktf.out folder', secret: KEY },
  {
    name: 'an unquoted key next to a syntax error',
    argv: () => ['check', file('leak2/cdk.tf.json', `{\n  "resource": {\n    "aws_s3_bucket": {"k": {"bucket": "b", "x": ${KEY}}}\n  }\n}\n`)],
    what: 'is not JSON (unexpected character at line 3, column 49)',
    value: 'cdk.tf.json',
    fix: 'pass a cdktf.out folder',
    secret: KEY,
  },
  {
    name: 'a key inside a string, with a syntax error after it',
    argv: () => ['check', file('leak3/cdk.tf.json', `{"resource": {"aws_s3_bucket": {"k": {"bucket": "${KEY}" "tags": {}}}}}`)],
    what: 'is not JSON ("," was expected at line 1, column 84)',
    value: 'cdk.tf.json',
    fix: 'pass a cdktf.out folder',
    secret: KEY,
  },
  {
    name: 'the same resource twice in one file (repeated "resource" keys)',
    argv: () => ['check', file('dup1/cdk.tf.json', '{"resource": {"aws_s3_bucket": {"keys": {"bucket": "a"}}},\n "resource": {"aws_s3_bucket": {"keys": {"bucket": "b"}}}}')],
    what: 'is declared twice',
    value: 'resource aws_s3_bucket.keys',
    fix: 'keep one',
  },
  {
    name: 'the same resource in two *.tf.json files of a folder',
    argv: () => {
      file('dup2/a.tf.json', validTfJson);
      file('dup2/b.tf.json', validTfJson);
      return ['check', join(tmp, 'dup2')];
    },
    what: 'is declared twice',
    value: 'b.tf.json line 4, column 7',
    fix: 'keep one',
  },
  {
    name: 'an argument given twice',
    argv: () => ['check', file('dup3/cdk.tf.json', '{"resource": {"aws_s3_bucket": {"keys": {"bucket": "a", "bucket": "b"}}}}')],
    what: 'repeated key "bucket"',
    value: 'aws_s3_bucket.keys',
    fix: 'keep one',
  },
  {
    name: 'a key repeated in plan JSON',
    argv: () => ['check', file('dup4/plan.json', JSON.stringify(plan).replace('"resource_changes":', '"resource_changes":[],"resource_changes":'))],
    what: 'repeated key "resource_changes"',
    value: 'plan.json',
    fix: 'produce it again',
  },
  {
    name: 'JSON nested deeper than the limit',
    argv: () => ['check', file('deep/cdk.tf.json', `{"resource": {"aws_s3_bucket": {"k": {"x": ${'['.repeat(50_000)}${']'.repeat(50_000)}}}}}`)],
    what: 'nested deeper than 256 levels at line 1, column 296',
    value: 'cdk.tf.json',
    fix: 'produce it again',
  },
  {
    name: 'a UTF-16 file (as PowerShell writes it)',
    argv: () => ['check', file('utf16/cdk.tf.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(validTfJson, 'utf16le')]))],
    what: 'file is UTF-16; Terraform JSON is UTF-8',
    value: 'cdk.tf.json',
    fix: 'save it as UTF-8 (`iconv -f UTF-16 -t UTF-8`)',
  },
  {
    name: 'a plan whose planned_values hold a resource its configuration does not',
    argv: () => {
      const p = structuredClone(plan);
      p.planned_values.root_module.resources.push({ address: 'aws_iam_user.hidden', mode: 'managed', type: 'aws_iam_user', name: 'hidden', values: user });
      return ['check', file('stray1/plan.json', JSON.stringify(p))];
    },
    what: 'lists 1 resource(s) that its configuration does not hold',
    value: 'aws_iam_user.hidden',
    fix: 'run `terraform show -json plan.out > plan.json` again',
  },
  {
    name: 'a plan whose resource_changes hold a resource its configuration does not',
    argv: () => {
      const p = structuredClone(plan);
      p.resource_changes.push({ address: 'aws_iam_user.hidden', mode: 'managed', type: 'aws_iam_user', name: 'hidden', change: { actions: ['create'], after: user, after_unknown: {} } });
      return ['check', file('stray2/plan.json', JSON.stringify(p))];
    },
    what: 'that its configuration does not hold',
    value: 'aws_iam_user.hidden',
    fix: 'run `terraform show -json plan.out > plan.json` again',
  },
  {
    name: 'an empty plan',
    argv: () => ['check', file('empty-plan/plan.json', JSON.stringify(planOf({})))],
    what: 'holds no resources at all, so there is nothing to check',
    value: 'plan.json',
    fix: 'pass the plan of the configuration that holds the custody resources',
  },
];

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd: tmp });
  return { code, out, err };
}

describe('bad JSON input files (exit 2, one line, nothing quoted from the file)', () => {
  it.each(CLI_ROWS.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const { code, out, err } = await run(row.argv());
    expect(code, err).toBe(2);
    expect(out).toBe('');
    expect(err.endsWith('\n')).toBe(true);
    expect(err.trimEnd().split('\n'), err).toHaveLength(1);
    expect(err.startsWith('key-custody: '), err).toBe(true);
    expect(err).not.toMatch(/\s+at \S+ \(|internal error|Maximum call stack/);
    expect(matches(err, row.what), `what was wrong: ${err}`).toBe(true);
    expect(err.includes(row.value), `the value ${row.value}: ${err}`).toBe(true);
    expect(matches(err, row.fix), `the fix: ${err}`).toBe(true);
    if (row.secret) expect(err + out).not.toContain(row.secret.slice(0, 8));
  });
});

describe('prototype names as app names', () => {
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    it(`verify-key --app ${name} is an unknown app`, async () => {
      const key = file(`vk-${name}/masterkey`, 'MasterkeyNeedsToHave32Characters');
      const { code, out, err } = await run(['verify-key', key, '--app', name]);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toContain(`unknown app "${name}": use one of zitadel, servos, act, zitadel-v5`);
    });

    it(`MasterKey profile "${name}" is refused as an unknown profile`, () => {
      const app = new App({ outdir: mkdtempSync(join(tmp, 'app-')) });
      const stack = new TerraformStack(app, 'custody');
      new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
      expect(() => new MasterKey(stack, 'Key', { keyId: 'k', profile: name, hotCopy: { kind: 'host-file', path: '/etc/app/masterkey' } })).toThrow(
        new RegExp(`\\[custody/Key\\][\\s\\S]*unknown app profile "${name}"[\\s\\S]*genericProfile`),
      );
      expect(() => profileNamed(name)).toThrow(`unknown app profile "${name}"`);
    });
  }
});
