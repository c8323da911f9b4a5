/**
 * B5 input generator: the shapes that once grew faster than linearly (issue 15, "Output and
 * time bounded at scale"), as Terraform JSON of one stack:
 *
 * - `buckets <n>`: n custody buckets in one stack, half key-backup, half db-backup. KC013 once
 *   warned per (key store × DB store) pair: 62,500 warnings at n = 500.
 * - `mesh <n>`: n roles that each trust their account and may `sts:AssumeRole` on `*` (a
 *   wildcard mesh), the first reading the key-backup bucket and the second the DB-backup
 *   bucket, so every role reaches both (one KC011 error each). Role assumption was worked out
 *   pair by pair and walked per principal over n² edges: 90 s at n = 1,200.
 * - `chain <n>`: n roles in a line, each trusting the one before; the last reads both
 *   buckets, so each earlier role's grant names a chain through every role after it.
 * - `tfjson <n>`: a folder of n hand-written `*.tf.json` files (one resource each, the
 *   provider in `main.tf.json`), merged into one stack as Terraform does: 61 s at n = 8,000
 *   while the merge was quadratic.
 *
 * Usage: `node gen-shapes.js <shape> <out-dir> <n>`: writes the files (`cdk.tf.json`, or the
 * `*.tf.json` files) into `<out-dir>` and prints `{ shape, n, resources, files, bytes, path }`.
 * The builders are exported for the tests (test/rules/kc013-scale.test.ts,
 * test/model/iam/trust-scale.test.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, unknown>;

export const ACCOUNT = '111111111111';

const custodyTags = (role: string, i: number) => ({ 'custody:role': role, 'custody:key': `app${i}-master`, 'custody:app': `app${i}` });
const policy = (...statements: Json[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const provider = { aws: [{ region: 'eu-central-1', allowed_account_ids: [ACCOUNT] }] };

/**
 * `n` buckets (at least 2) in one stack: the first half key-backup, the rest db-backup. With
 * `sharedKey`, every bucket encrypts with that one KMS key (KC012 once failed per pair too);
 * with `prefix`, every bucket is named by that `bucket_prefix` only (KC010 likewise).
 */
export function bucketsShape(n: number, opts: { readonly sharedKey?: string; readonly prefix?: string } = {}): Json {
  const { sharedKey, prefix } = opts;
  const buckets: Json = {};
  const sse: Json = {};
  const keys = Math.ceil(n / 2);
  for (let i = 0; i < n; i++) {
    const role = i < keys ? 'key-backup' : 'db-backup';
    const name = i < keys ? `keys_${i}` : `db_${i - keys}`;
    buckets[name] = { ...(prefix ? { bucket_prefix: prefix } : { bucket: `kc-${name.replace('_', '-')}` }), tags: custodyTags(role, i < keys ? i : i - keys) };
    if (sharedKey) sse[name] = { bucket: `\${aws_s3_bucket.${name}.id}`, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: sharedKey } }] };
  }
  return { provider, resource: { aws_s3_bucket: buckets, ...(sharedKey ? { aws_s3_bucket_server_side_encryption_configuration: sse } : {}) } };
}

/** The two buckets every role shape reads: one key-backup, one db-backup. */
function twoBuckets(): Json {
  return { keys: { bucket: 'kc-keys', tags: custodyTags('key-backup', 0) }, db: { bucket: 'kc-db', tags: custodyTags('db-backup', 0) } };
}

const read = (bucket: string) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: `\${aws_s3_bucket.${bucket}.arn}/*` });

/** `n` roles (at least 2) that each trust the account and may assume any role; r0 reads the key bucket, r1 the DB bucket. */
export function meshShape(n: number): Json {
  const roles: Json = {};
  const policies: Json = {};
  for (let i = 0; i < n; i++) {
    roles[`r${i}`] = { name: `mesh-${i}`, assume_role_policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }) };
    const stmts: Json[] = [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }];
    if (i === 0) stmts.push(read('keys'));
    if (i === 1) stmts.push(read('db'));
    policies[`p${i}`] = { name: `mesh-${i}`, role: `\${aws_iam_role.r${i}.id}`, policy: policy(...stmts) };
  }
  return { provider, resource: { aws_s3_bucket: twoBuckets(), aws_iam_role: roles, aws_iam_role_policy: policies } };
}

/** `n` roles in a line: r(i+1) trusts r(i); the last one reads both buckets. */
export function chainShape(n: number): Json {
  const roles: Json = {};
  for (let i = 0; i < n; i++) {
    const trusted = i === 0 ? { Service: 'ec2.amazonaws.com' } : { AWS: `\${aws_iam_role.r${i - 1}.arn}` };
    roles[`r${i}`] = { name: `chain-${i}`, assume_role_policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: trusted }) };
  }
  const last = { name: 'chain-last', role: `\${aws_iam_role.r${n - 1}.id}`, policy: policy(read('keys'), read('db')) };
  return { provider, resource: { aws_s3_bucket: twoBuckets(), aws_iam_role: roles, aws_iam_role_policy: { last } } };
}

/** `n` files: `main.tf.json` with the provider and two custody buckets, then one plain bucket per file. */
export function tfJsonFiles(n: number): Map<string, Json> {
  const files = new Map<string, Json>();
  files.set('main.tf.json', { provider, resource: { aws_s3_bucket: twoBuckets() } });
  for (let i = 1; i < n; i++) files.set(`b${String(i).padStart(5, '0')}.tf.json`, { resource: { aws_s3_bucket: { [`b${i}`]: { bucket: `kc-plain-${i}` } } } });
  return files;
}

export const SHAPES = ['buckets', 'sharedkey', 'prefix', 'mesh', 'chain', 'tfjson'] as const;
export type Shape = (typeof SHAPES)[number];

/** Writes one shape into `dir`; returns what a check of it is given. */
export function writeShape(shape: Shape, dir: string, n: number): { shape: Shape; n: number; resources: number; files: number; bytes: number; path: string } {
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  const write = (file: string, json: Json) => {
    const text = JSON.stringify(json, null, 2);
    bytes += Buffer.byteLength(text);
    writeFileSync(join(dir, file), text);
  };
  if (shape === 'tfjson') {
    const files = tfJsonFiles(n);
    for (const [file, json] of files) write(file, json);
    return { shape, n, resources: n + 1, files: files.size, bytes, path: dir };
  }
  const json =
    shape === 'buckets'
      ? bucketsShape(n)
      : shape === 'sharedkey'
        ? bucketsShape(n, { sharedKey: 'alias/shared' })
        : shape === 'prefix'
          ? bucketsShape(n, { prefix: 'kc-' })
          : shape === 'mesh'
            ? meshShape(n)
            : chainShape(n);
  write('cdk.tf.json', json);
  const resources = Object.values(json.resource as Record<string, Json>).reduce((k, byName) => k + Object.keys(byName).length, 0);
  return { shape, n, resources, files: 1, bytes, path: join(dir, 'cdk.tf.json') };
}

if (require.main === module) {
  const [shape, dir, n] = process.argv.slice(2);
  if (!SHAPES.includes(shape as Shape) || !dir || !(Number(n) >= 2)) {
    process.stderr.write(`usage: node gen-shapes.js <${SHAPES.join('|')}> <out-dir> <n >= 2>\n`);
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(writeShape(shape as Shape, dir, Number(n)))}\n`);
}
