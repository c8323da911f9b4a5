/**
 * Module calls of Terraform JSON (issue 18, item 4): module folders read with the --source
 * reader, resources joined with module addresses, inputs from the call, instances, providers.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTerraformJson } from '../../../lib/model/load/cdktf-json';
import { HclParserUnavailable, parseHclSync } from '../../../lib/model/load/hcl-sync';
import { withModules } from '../../../lib/model/load/modules';
import type { HclParseSync } from '../../../lib/model/load/source';

const tmp = mkdtempSync(join(tmpdir(), 'kc-modules-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const noParser: HclParseSync = () => {
  throw new Error('no .tf file should be parsed here');
};

/** A folder with `files` (name → content; objects are written as JSON). */
function folder(name: string, files: Record<string, unknown>): string {
  const dir = join(tmp, name);
  for (const [f, content] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const BUCKET_MODULE = {
  variable: { name: {}, role: { default: null }, tags: { default: {} } },
  locals: { tags: '${merge(var.tags, var.role == null ? {} : { "custody:role" = var.role })}' },
  resource: {
    aws_s3_bucket: { this: { bucket: '${var.name}', tags: '${local.tags}' } },
    aws_s3_bucket_policy: { this: { bucket: '${aws_s3_bucket.this.id}', policy: '${jsonencode({ Statement = [{ Effect = "Deny", Action = "s3:*", Resource = "${aws_s3_bucket.this.arn}/*" }] })}' } },
  },
  output: { arn: { value: '${aws_s3_bucket.this.arn}' } },
};

function load(dir: string, json: Record<string, unknown>, parse: HclParseSync = noParser) {
  return withModules(loadTerraformJson('s', json, 'cdk.tf.json'), json, dir, parse);
}

describe('withModules', () => {
  it('reads a local module: module addresses, inputs from the call (a root reference stays a reference), folded tags', () => {
    const json = {
      resource: { aws_iam_role: { w: { name: 'w' } } },
      module: { keys: { source: './mod', name: 'acme-keys', role: 'key-backup', tags: { 'custody:app': 'acme' }, writer: '${aws_iam_role.w.arn}' } },
    };
    const dir = folder('local', { 'cdk.tf.json': json, 'mod/main.tf.json': BUCKET_MODULE });
    const doc = load(dir, json);
    const bucket = doc.resources.find((r) => r.address === 'module.keys.aws_s3_bucket.this');
    expect(bucket?.module).toBe('module.keys');
    expect(bucket?.values.bucket).toBe('acme-keys');
    expect(bucket?.values.tags).toEqual({ 'custody:app': 'acme', 'custody:role': 'key-backup' });
    const policy = doc.resources.find((r) => r.address === 'module.keys.aws_s3_bucket_policy.this');
    expect(policy?.values.bucket).toBe('${module.keys.aws_s3_bucket.this.id}');
    expect(String(policy?.values.policy)).toContain('${module.keys.aws_s3_bucket.this.arn}/*');
    expect(doc.unknowns ?? []).toEqual([]);
  });

  it('a module without the role input has no custody:role (the null branch of the conditional)', () => {
    const json = { module: { replica: { source: './mod', name: 'acme-replica' } } };
    const dir = folder('null-role', { 'mod/main.tf.json': BUCKET_MODULE });
    const bucket = load(dir, json).resources.find((r) => r.address === 'module.replica.aws_s3_bucket.this');
    expect(bucket?.values.tags).toEqual({});
  });

  it('root values that name a module output or a local get its expression', () => {
    const json = {
      locals: { keys: '${module.keys.arn}' },
      resource: { aws_iam_role_policy: { p: { policy: '${jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "${local.keys}/*" }] })}' } } },
      module: { keys: { source: './mod', name: 'k' } },
    };
    const dir = folder('outputs', { 'mod/main.tf.json': BUCKET_MODULE });
    const p = load(dir, json).resources.find((r) => r.address === 'aws_iam_role_policy.p');
    expect(String(p?.values.policy)).toContain('${module.keys.aws_s3_bucket.this.arn}/*');
  });

  it('count and for_each give one instance each; each.value is the element; nested modules nest their addresses', () => {
    const json = {
      module: {
        many: { source: './mod', count: 2, name: 'n' },
        each: { source: './mod', for_each: { a: 'bucket-a', b: 'bucket-b' }, name: '${each.value}' },
        outer: { source: './outer' },
      },
    };
    const dir = folder('instances', { 'mod/main.tf.json': BUCKET_MODULE, 'outer/main.tf.json': { module: { inner: { source: '../mod', name: 'inner' } } } });
    const doc = load(dir, json);
    const buckets = doc.resources.filter((r) => r.type === 'aws_s3_bucket').map((r) => `${r.address}=${String(r.values.bucket)}`);
    expect(buckets.sort()).toEqual([
      'module.each["a"].aws_s3_bucket.this=bucket-a',
      'module.each["b"].aws_s3_bucket.this=bucket-b',
      'module.many[0].aws_s3_bucket.this=n',
      'module.many[1].aws_s3_bucket.this=n',
      'module.outer.module.inner.aws_s3_bucket.this=inner',
    ]);
  });

  it('a for_each the file cannot read: the module is read once and the count is recorded as unknown', () => {
    const json = { module: { m: { source: './mod', for_each: '${var.buckets}', name: 'x' } } };
    const dir = folder('unknown-each', { 'mod/main.tf.json': BUCKET_MODULE });
    const doc = load(dir, json);
    expect(doc.resources.some((r) => r.address === 'module.m.aws_s3_bucket.this')).toBe(true);
    expect(doc.unknowns?.map((u) => `${u.address}: ${u.what}`)).toEqual([expect.stringMatching(/^module\.m: for_each of module m cannot be read/)]);
  });

  it('providers passed to a module map its resources to the root configuration', () => {
    const json = { provider: { aws: [{}, { alias: 'keys' }] }, module: { k: { source: './mod', name: 'x', providers: { aws: 'aws.keys' } } } };
    const dir = folder('providers', { 'mod/main.tf.json': BUCKET_MODULE });
    expect(load(dir, json).resources.find((r) => r.address === 'module.k.aws_s3_bucket.this')?.provider).toBe('aws.keys');
  });

  it('a registry module that was not downloaded is unknown (KC092 names it), never silently skipped', () => {
    const json = { module: { s3: { source: 'terraform-aws-modules/s3-bucket/aws', version: '4.1.0' } } };
    const doc = load(folder('registry', {}), json);
    expect(doc.resources).toEqual([]);
    expect(doc.unknowns?.[0].address).toBe('module.s3');
    expect(doc.unknowns?.[0].what).toMatch(/resources of module s3 are not in the model: its source "terraform-aws-modules\/s3-bucket\/aws" is not a local folder.*terraform init/);
  });

  it('without the HCL parser, an HCL module is unknown with the install command', () => {
    const json = { module: { keys: { source: './mod', name: 'k' } } };
    const dir = folder('no-parser', { 'mod/main.tf': 'resource "aws_s3_bucket" "this" {}\n' });
    const doc = load(dir, json, () => {
      throw new HclParserUnavailable('the HCL parser @cdktf/hcl2json is not installed; install it');
    });
    expect(doc.unknowns?.[0].address).toBe('module.keys');
    expect(doc.unknowns?.[0].what).toContain('@cdktf/hcl2json is not installed');
  });

  it('reads an HCL module synchronously through the worker parser', () => {
    const json = { module: { keys: { source: './mod', name: 'acme-keys', role: 'key-backup' } } };
    const hcl = `variable "name" {}\nvariable "role" {}\nresource "aws_s3_bucket" "this" {\n  bucket = var.name\n  tags   = { "custody:role" = var.role }\n}\n`;
    const dir = folder('hcl', { 'mod/main.tf': hcl });
    const bucket = load(dir, json, parseHclSync).resources.find((r) => r.address === 'module.keys.aws_s3_bucket.this');
    expect(bucket?.values).toMatchObject({ bucket: 'acme-keys', tags: { 'custody:role': 'key-backup' } });
  }, 60_000);

  it('a configuration without module calls or locals is returned as it is', () => {
    const json = { resource: { aws_s3_bucket: { b: { bucket: '${var.x}' } } } };
    const doc = loadTerraformJson('s', json, 'cdk.tf.json');
    expect(withModules(doc, json, tmp, noParser)).toBe(doc);
  });
});
