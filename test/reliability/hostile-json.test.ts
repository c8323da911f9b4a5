/**
 * Property test over hostile Terraform JSON (fast-check): random custody configurations whose
 * resource, policy, tag and attribute names include prototype names (`__proto__`,
 * `constructor`, `toString`, `hasOwnProperty`, `valueOf`) and control characters, written as
 * Terraform JSON with repeated `"resource"` and type keys (which Terraform merges), and as the
 * equivalent `terraform show -json` plan. For every case:
 *
 * 1. neither front end crashes: exit 0 or 1, nothing on stderr;
 * 2. both report the same findings (and the same as the configuration written without
 *    repeated keys);
 * 3. a key planted in the configuration is never printed, not even when a syntax error sits
 *    right next to it (then: exit 2, one line);
 * 4. `Object.prototype` is untouched.
 *
 * The seed comes from KEY_CUSTODY_FC_SEED and is in every test name; KEY_CUSTODY_FC_RUNS sets
 * the number of cases (replay: KEY_CUSTODY_FC_SEED=<seed>, or fc.assert(..., { seed, path })).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/main';
import type { Finding } from '../../lib/model/types';
import { planOf, rec, type Json } from './plan-of';

const SEED = Number(process.env.KEY_CUSTODY_FC_SEED ?? 20260601);
const RUNS = Math.max(1, Math.floor(Number(process.env.KEY_CUSTODY_FC_RUNS ?? 500) / 5));
const TODAY = '2026-01-01';

const tmp = mkdtempSync(join(tmpdir(), 'kc-hostile-prop-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

/** Planted in every configuration: must never be printed. */
const SECRET = 'Zq8vN2kR7tY4wP1mX6cB3hJ9dF5gL0sA';

const PROTO = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
const CONTROL = ['\u001b[31mred\u001b[0m', 'line\rover', 'nul\u0000byte', 'tab\there', '\u009b2J', 'bell\u0007', 'plain'];

const nameArb = fc.oneof(fc.constantFrom(...PROTO), fc.constantFrom('keys', 'db', 'ops', 'app'), fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), fc.constantFrom('esc\u001b[2J', 'cr\rname'));
const textArb = fc.oneof(fc.constantFrom(...CONTROL), fc.constantFrom(...PROTO), fc.string({ maxLength: 8 }));

/** A JSON value whose object keys are prototype names or control characters. */
const hostileValueArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    textArb,
    fc.integer(),
    fc.boolean(),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.uniqueArray(fc.tuple(fc.oneof(fc.constantFrom(...PROTO), textArb), tie('value')), { maxLength: 3, selector: (t) => t[0] }).map((es) => rec(es)),
  ),
})).value;

const tags = (role: string, extra: readonly (readonly [string, string])[]) => rec([['custody:role', role], ['custody:key', 'zitadel'], ['custody:app', 'zitadel'], ...extra.filter(([k]) => !k.startsWith('custody:'))]);

const specArb = fc.record({
  names: fc.uniqueArray(nameArb, { minLength: 5, maxLength: 5 }),
  users: fc.array(fc.record({ keys: fc.boolean(), db: fc.boolean(), managed: fc.option(fc.constantFrom(...PROTO, 'AdministratorAccess', 'ReadOnlyAccess', 'NoSuchPolicy'), { nil: undefined }) }), { minLength: 1, maxLength: 3 }),
  extraTags: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PROTO), textArb), textArb), { maxLength: 3 }),
  extraAttrs: fc.array(fc.tuple(fc.constantFrom(...PROTO), hostileValueArb), { maxLength: 3 }),
  /** Which `"resource"` object each resource is written in (repeated keys), per resource. */
  chunks: fc.array(fc.nat(3), { minLength: 16, maxLength: 16 }),
});

type Spec = typeof specArb extends fc.Arbitrary<infer T> ? T : never;

/** Resources of a spec, as [type, name, values] in a fixed order. */
function resourcesOf(spec: Spec): [string, string, Json][] {
  const [keys, db, ...userNames] = spec.names;
  const extra = rec(spec.extraAttrs);
  const out: [string, string, Json][] = [
    ['aws_s3_bucket', keys, { ...extra, bucket: 'acme-zitadel-key-backup', tags: tags('key-backup', spec.extraTags) }],
    ['aws_s3_bucket', db, { bucket: 'acme-zitadel-db-backup', tags: tags('db-backup', spec.extraTags), ...extra }],
  ];
  spec.users.forEach((u, i) => {
    const name = userNames[i];
    const resources = [...(u.keys ? [`\${aws_s3_bucket.${keys}.arn}/*`] : []), ...(u.db ? [`\${aws_s3_bucket.${db}.arn}/*`] : [])];
    out.push(['aws_iam_user', name, { ...extra, name: `user${i}`, x_note: SECRET }]);
    if (resources.length > 0) {
      out.push(['aws_iam_user_policy', name, { user: `\${aws_iam_user.${name}.name}`, policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resources }] }) }]);
    }
    if (u.managed) out.push(['aws_iam_user_policy_attachment', name, { user: `\${aws_iam_user.${name}.name}`, policy_arn: `arn:aws:iam::aws:policy/${u.managed}` }]);
  });
  return out;
}

const PROVIDER = { aws: [{ region: 'eu-central-1' }] };

/** Resources in the order the split text declares them (chunk by chunk), which is the order Terraform merges them in. */
function declared(spec: Spec): [string, string, Json][] {
  const all = resourcesOf(spec).map((r, i) => ({ r, chunk: spec.chunks[i % spec.chunks.length] }));
  return [0, 1, 2, 3].flatMap((c) => all.filter((x) => x.chunk === c).map((x) => x.r));
}

/**
 * The configuration as one object without repeated keys, in the merged order (types in order
 * of first appearance, names in order): findings name the first store of a key, so order counts.
 */
function configOf(spec: Spec): Json {
  const resource: Record<string, Json> = rec([]) as Record<string, Json>;
  for (const [type, name, values] of declared(spec)) {
    if (!Object.hasOwn(resource, type)) Object.defineProperty(resource, type, { value: rec([]), enumerable: true, writable: true, configurable: true });
    Object.defineProperty(resource[type], name, { value: values, enumerable: true, writable: true, configurable: true });
  }
  return { provider: PROVIDER, resource };
}

/** The same configuration written with repeated `"resource"` and type keys. */
function splitText(spec: Spec): string {
  const chunks: string[][] = [[], [], [], []];
  resourcesOf(spec).forEach(([type, name, values], i) => chunks[spec.chunks[i % spec.chunks.length]].push(`${JSON.stringify(type)}: {${JSON.stringify(name)}: ${JSON.stringify(values)}}`));
  // Chunks are written in order 0..3, so the text declares resources in the order of declared().
  const blocks = chunks.filter((c) => c.length > 0).map((c) => `"resource": {${c.join(', ')}}`);
  return `{${blocks.join(',\n')},\n"provider": ${JSON.stringify(PROVIDER)}}`;
}

async function check(name: string, text: string): Promise<{ code: number; out: string; err: string; findings: Finding[] }> {
  const dir = join(tmp, `case-${n++}`, 'stack');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
  let out = '';
  let err = '';
  const code = await main(['check', join(dir, name), '--format', 'json'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd: tmp, today: TODAY });
  return { code, out, err, findings: code === 2 || !out ? [] : (JSON.parse(out) as { findings: Finding[] }).findings };
}

const comparable = (fs: readonly Finding[]) => fs.map((f) => JSON.stringify([f.ruleId, f.severity, f.address, f.message, f.suppressed])).sort();

function untouched(): void {
  const probe = {} as Record<string, unknown>;
  for (const k of ['tags', 'bucket', 'policy', 'name', 'polluted']) expect(probe[k], `Object.prototype.${k}`).toBeUndefined();
}

describe(`hostile Terraform JSON (fast-check seed ${SEED}, ${RUNS} runs; replay with KEY_CUSTODY_FC_SEED=${SEED})`, () => {
  it(`both front ends read it alike: no crash, no leak, same findings [seed ${SEED}]`, async () => {
    await fc.assert(
      fc.asyncProperty(specArb, async (spec) => {
        const config = configOf(spec);
        const tf = await check('cdk.tf.json', splitText(spec));
        const once = await check('cdk.tf.json', JSON.stringify(config));
        const plan = await check('plan.json', JSON.stringify(planOf(config)));
        for (const r of [tf, once, plan]) {
          expect(r.err, r.err).toBe('');
          expect([0, 1]).toContain(r.code);
          expect(r.out + r.err).not.toContain(SECRET);
        }
        expect(comparable(tf.findings)).toEqual(comparable(once.findings));
        expect(comparable(plan.findings)).toEqual(comparable(tf.findings));
        expect(plan.code).toBe(tf.code);
        // Every user whose inline policy reads both buckets is a KC011 finding, whatever its name.
        const ident = (s: string) => /^[A-Za-z_][\w-]*$/.test(s);
        const readsBoth = ident(spec.names[0]) && ident(spec.names[1]) ? spec.users.filter((u, i) => u.keys && u.db && ident(spec.names[2 + i])).length : 0;
        expect(tf.findings.filter((f) => f.ruleId === 'KC011').length).toBeGreaterThanOrEqual(readsBoth);
        untouched();
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });

  it(`a syntax error next to a planted key: exit 2, one line, the key not printed [seed ${SEED}]`, async () => {
    await fc.assert(
      fc.asyncProperty(specArb, fc.constantFrom(' x', ',', ' "y"', '}', ':', '\u0001'), async (spec, junk) => {
        const text = splitText(spec).replace(`"${SECRET}"`, `"${SECRET}"${junk}`);
        const r = await check('cdk.tf.json', text);
        expect(r.code).toBe(2);
        expect(r.out).toBe('');
        expect(r.err.trimEnd().split('\n')).toHaveLength(1);
        expect(r.err).toMatch(/^key-custody: .*cdk\.tf\.json is not JSON \(.* at line \d+, column \d+\)/);
        expect(r.err).not.toContain(SECRET.slice(0, 6));
        untouched();
      }),
      { numRuns: Math.max(1, Math.floor(RUNS / 2)), seed: SEED, endOnFailure: true },
    );
  });
});
