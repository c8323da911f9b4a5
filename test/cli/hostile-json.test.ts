/**
 * Fail closed on hostile Terraform JSON: repeated keys that Terraform merges are all checked,
 * and prototype names (`__proto__`, `constructor`, `toString`, `hasOwnProperty`) are plain
 * data, read the same by the Terraform JSON and the plan front ends.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeTerraformJson } from '../../lib/cli/inputs';
import { main } from '../../lib/cli/main';
import type { Finding } from '../../lib/model/types';
import { planOf, rec, type Json } from '../reliability/plan-of';

const tmp = mkdtempSync(join(tmpdir(), 'kc-hostile-json-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

const TODAY = '2026-01-01';

async function check(path: string): Promise<{ code: number; findings: Finding[]; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['check', path, '--format', 'json'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd: tmp, today: TODAY });
  return { code, findings: out ? (JSON.parse(out) as { findings: Finding[] }).findings : [], err };
}

/** Write `text` as `<fresh>/s/<name>` (stack "s" for both front ends) and check it. */
async function checkText(name: string, text: string) {
  const dir = join(tmp, `case-${n++}`, 's');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), text);
  return check(join(dir, name));
}

const comparable = (fs: readonly Finding[]) => fs.map((f) => JSON.stringify([f.ruleId, f.severity, f.address, f.message, f.suppressed])).sort();

const tags = (role: string) => ({ 'custody:role': role, 'custody:key': 'zitadel', 'custody:app': 'zitadel' });

/** Key-backup and DB-backup buckets, and a user whose inline policy reads both (KC011). */
function custody(names: { keys?: string; db?: string; user?: string; policy?: string } = {}): { buckets: Json; iam: Json; provider: Json } {
  const keys = names.keys ?? 'keys';
  const db = names.db ?? 'db';
  const user = names.user ?? 'ops';
  const statement = { Effect: 'Allow', Action: 's3:GetObject', Resource: [`\${aws_s3_bucket.${keys}.arn}/*`, `\${aws_s3_bucket.${db}.arn}/*`] };
  return {
    provider: { aws: [{ region: 'eu-central-1' }] },
    buckets: {
      aws_s3_bucket: rec([
        [keys, { bucket: 'acme-zitadel-key-backup', tags: tags('key-backup') }],
        [db, { bucket: 'acme-zitadel-db-backup', tags: tags('db-backup') }],
      ]),
    },
    iam: {
      aws_iam_user: rec([[user, { name: 'ops' }]]),
      aws_iam_user_policy: rec([[names.policy ?? 'p', { user: `\${aws_iam_user.${user}.name}`, policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) }]]),
    },
  };
}

describe('repeated keys that Terraform merges are all checked', () => {
  it('a KC011 violation in the first of two "resource" objects is found', async () => {
    const c = custody();
    const text = `{"provider": ${JSON.stringify(c.provider)},\n "resource": ${JSON.stringify(c.iam)},\n "resource": ${JSON.stringify(c.buckets)}}`;
    const r = await checkText('cdk.tf.json', text);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.findings.filter((f) => f.ruleId === 'KC011').map((f) => f.address)).toEqual(['aws_iam_user.ops']);
  });

  it('one resource type twice in one object: both buckets are stores', async () => {
    const c = custody();
    const buckets = c.buckets.aws_s3_bucket as Json;
    const resource = `{"aws_s3_bucket": ${JSON.stringify({ keys: buckets.keys })}, ${JSON.stringify(c.iam).slice(1, -1)}, "aws_s3_bucket": ${JSON.stringify({ db: buckets.db })}}`;
    const r = await checkText('cdk.tf.json', `{"provider": ${JSON.stringify(c.provider)}, "resource": ${resource}}`);
    expect(r.code).toBe(1);
    expect(r.findings.filter((f) => f.ruleId === 'KC011').map((f) => f.address)).toEqual(['aws_iam_user.ops']);
  });

  it('repeated keys read like the same configuration written once', async () => {
    const c = custody();
    const once = await checkText('cdk.tf.json', JSON.stringify({ provider: c.provider, resource: { ...c.buckets, ...c.iam } }));
    const split = await checkText('cdk.tf.json', `{"resource": ${JSON.stringify(c.iam)}, "provider": ${JSON.stringify(c.provider)}, "resource": ${JSON.stringify(c.buckets)}}`);
    expect(comparable(split.findings)).toEqual(comparable(once.findings));
  });
});

describe('the *.tf.json files of a folder are merged in linear time', () => {
  it('8,000 one-resource files merge in well under 3 s (pairwise merging took 36 s)', () => {
    const docs = Array.from({ length: 8000 }, (_, i) => ({ resource: { aws_iam_user: { [`u${i}`]: { name: `u${i}` } } } }));
    mergeTerraformJson(docs.slice(0, 500));
    const t0 = performance.now();
    const merged = mergeTerraformJson(docs) as { resource: { aws_iam_user: Record<string, unknown> } };
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(Object.keys(merged.resource.aws_iam_user)).toHaveLength(8000);
  }, 60_000);

  it('a resource declared in two documents is refused, not overwritten', () => {
    const doc = { resource: { aws_s3_bucket: { keys: { bucket: 'a' } } } };
    expect(() => mergeTerraformJson([doc, doc])).toThrow('resource aws_s3_bucket.keys is declared twice (document 1 and document 2)');
  });
});

describe('prototype names are plain data, and both front ends agree', () => {
  const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

  async function both(tf: Json): Promise<{ tf: Awaited<ReturnType<typeof check>>; plan: Awaited<ReturnType<typeof check>> }> {
    return { tf: await checkText('cdk.tf.json', JSON.stringify(tf)), plan: await checkText('plan.json', JSON.stringify(planOf(tf))) };
  }

  for (const name of names) {
    it(`resources, a user and a policy named "${name}"`, async () => {
      const c = custody({ user: name, policy: name, keys: name, db: `${name}_db` });
      const r = await both({ provider: c.provider, resource: { ...c.buckets, ...c.iam } });
      expect(r.tf.err).toBe('');
      expect(r.tf.code).toBe(1);
      expect(r.tf.findings.filter((f) => f.ruleId === 'KC011').map((f) => f.address)).toEqual([`aws_iam_user.${name}`]);
      expect(comparable(r.plan.findings)).toEqual(comparable(r.tf.findings));
      expect(r.plan.code).toBe(r.tf.code);
    });

    it(`a resource type "${name}" is a type like any other unknown one (not a store type)`, async () => {
      const c = custody();
      const withType = (t: string) => ({ provider: c.provider, resource: { ...c.buckets, ...c.iam, ...rec([[t, rec([[t, { bucket: 'acme-other', tags: tags('key-backup') }]])]]) } });
      const r = await both(withType(name));
      const neutral = await both(withType('zz_thing'));
      expect(r.tf.err).toBe('');
      expect(r.tf.code).toBe(1);
      expect(comparable(r.tf.findings)).toEqual(comparable(neutral.tf.findings).map((f) => f.replaceAll('zz_thing', name)).sort());
      expect(comparable(r.plan.findings)).toEqual(comparable(r.tf.findings));
    });

    it(`an AWS-managed policy named "${name}" reads like any policy missing from the table`, async () => {
      const c = custody();
      const attach = (policy: string) => ({
        provider: c.provider,
        resource: { ...c.buckets, aws_iam_user: { ops: { name: 'ops' } }, aws_iam_user_policy_attachment: { a: { user: '${aws_iam_user.ops.name}', policy_arn: `arn:aws:iam::aws:policy/${policy}` } } },
      });
      const r = await both(attach(name));
      const unknown = await both(attach('NoSuchPolicy'));
      expect(r.tf.err).toBe('');
      expect(r.tf.code).toBe(unknown.tf.code);
      expect(comparable(r.tf.findings)).toEqual(comparable(unknown.tf.findings).map((f) => f.replaceAll('NoSuchPolicy', name)));
      expect(comparable(r.plan.findings)).toEqual(comparable(r.tf.findings));
    });
  }

  it('a "__proto__" key in plan JSON values is data: custody tags under it tag nothing', async () => {
    const c = custody();
    const buckets = c.buckets.aws_s3_bucket as Record<string, Json>;
    // The user's bucket carries its tags only under "__proto__": neither front end may read them as its tags.
    const hidden = rec([['__proto__', { tags: tags('key-backup') }], ['bucket', 'acme-zitadel-key-backup']]);
    const tf = { provider: c.provider, resource: { ...c.iam, aws_s3_bucket: { keys: hidden, db: buckets.db } } };
    const r = await both(tf);
    expect(r.tf.err).toBe('');
    expect(r.plan.err).toBe('');
    expect(r.tf.findings.some((f) => f.ruleId === 'KC011')).toBe(false);
    expect(comparable(r.plan.findings)).toEqual(comparable(r.tf.findings));
    expect(({} as Record<string, unknown>).tags).toBeUndefined();
  });

  it('an output named "__proto__" is an output like any other', async () => {
    const c = custody();
    const tf = { provider: c.provider, resource: { ...c.buckets, ...c.iam }, output: rec([['__proto__', { value: '${aws_s3_bucket.keys.arn}' }]]) };
    const r = await checkText('cdk.tf.json', JSON.stringify(tf));
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
  });
});
