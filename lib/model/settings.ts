import { ModelContext, key } from './context';
import { block, blocks, bool, literal, num, singleRef, strings } from './load/refs';
import { parsePolicy, type PolicyStatement } from './policy';
import type { StoreSettings, TfResource } from './types';
import { DELETE_ACTIONS } from '../policy/perms';

const COMPANION_TYPES = [
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_object_lock_configuration',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_s3_bucket_policy',
] as const;

type Companions = Map<string, TfResource[]>;
const indexCache = new WeakMap<ModelContext, Map<string, Companions>>();

/** Companion resources of every bucket, indexed once per model (linear in resources). */
function companionIndex(ctx: ModelContext): Map<string, Companions> {
  let idx = indexCache.get(ctx);
  if (idx) return idx;
  idx = new Map();
  for (const c of ctx.ofType(...COMPANION_TYPES)) {
    const bucket = ctx.target(c.stack, c.values.bucket, ['aws_s3_bucket']);
    if (!bucket) continue;
    const k = key(bucket.stack, bucket.address);
    let byType = idx.get(k);
    if (!byType) idx.set(k, (byType = new Map()));
    let list = byType.get(c.type);
    if (!list) byType.set(c.type, (list = []));
    list.push(c);
  }
  indexCache.set(ctx, idx);
  return idx;
}

/** Companions of one type for a bucket (resources configuring it through `bucket = ...`). */
export function companionsOf(ctx: ModelContext, bucket: TfResource, type: string): TfResource[] {
  return companionIndex(ctx).get(key(bucket.stack, bucket.address))?.get(type) ?? [];
}

/** Resolve a KMS key expression to a stable id: `stack\0address` for managed keys, else the literal. */
export function kmsKeyId(ctx: ModelContext, stack: string, value: unknown): string | undefined {
  for (const r of ctx.resolveAll(stack, value)) {
    if (r.resource.type === 'aws_kms_key') return key(r.resource.stack, r.resource.address);
    if (r.resource.type === 'aws_kms_alias') {
      const target = ctx.resolveAll(r.resource.stack, r.resource.values.target_key_id).find((t) => t.resource.type === 'aws_kms_key');
      if (target) return key(target.resource.stack, target.resource.address);
    }
  }
  const lit = literal(value);
  if (lit) {
    // A literal alias or ARN of a managed alias maps back to its key.
    for (const a of ctx.ofType('aws_kms_alias')) {
      const name = literal(a.values.name);
      if (name && (lit === name || lit.endsWith(`:${name}`))) {
        const target = ctx.resolveAll(a.stack, a.values.target_key_id).find((t) => t.resource.type === 'aws_kms_key');
        if (target) return key(target.resource.stack, target.resource.address);
      }
    }
    return lit;
  }
  return undefined;
}

/** Statements of all bucket policies attached to a bucket. */
export function bucketPolicyStatements(ctx: ModelContext, bucket: TfResource): { policy: TfResource; statements: PolicyStatement[] }[] {
  const out: { policy: TfResource; statements: PolicyStatement[] }[] = [];
  for (const p of companionsOf(ctx, bucket, 'aws_s3_bucket_policy')) {
    out.push({ policy: p, statements: parsePolicy(ctx, p.stack, p.values.policy).statements });
  }
  if (bucket.values.policy !== undefined) {
    out.push({ policy: bucket, statements: parsePolicy(ctx, bucket.stack, bucket.values.policy).statements });
  }
  return out;
}

function isTlsDeny(s: PolicyStatement): boolean {
  if (s.effect !== 'Deny') return false;
  return s.conditions.some(
    (c) => /^bool$/i.test(c.test) && /^aws:securetransport$/i.test(c.variable) && c.values.some((v) => String(v).toLowerCase() === 'false'),
  );
}

/** Read everything the hardening and retention rules need about one store. */
export function readStoreSettings(ctx: ModelContext, r: TfResource): StoreSettings {
  const companions: Record<string, string> = {};
  if (r.type !== 'aws_s3_bucket') {
    // An SSM parameter names its KMS key `key_id`; a secret, `kms_key_id`.
    const kmsValue = r.type === 'aws_ssm_parameter' ? r.values.key_id : r.values.kms_key_id;
    const kms = kmsValue !== undefined ? kmsKeyId(ctx, r.stack, kmsValue) : undefined;
    return { sseKms: kms !== undefined, kmsKey: kms, companions };
  }
  const first = (type: string) => {
    const c = companionsOf(ctx, r, type);
    if (c[0]) companions[type] = c[0].address;
    return c[0];
  };

  // Versioning: the separate resource wins over the legacy inline block.
  const versioningRes = first('aws_s3_bucket_versioning');
  const inlineVersioning = block(r.values.versioning);
  let versioning: boolean | undefined;
  if (versioningRes) {
    const status = literal(block(versioningRes.values.versioning_configuration)?.status);
    versioning = status === undefined ? undefined : status === 'Enabled';
  } else if (inlineVersioning) {
    versioning = bool(inlineVersioning.enabled);
  } else {
    versioning = false;
  }

  const lockEnabled = bool(r.values.object_lock_enabled) ?? literal(block(r.values.object_lock_configuration)?.object_lock_enabled) === 'Enabled';
  const lockRes = first('aws_s3_bucket_object_lock_configuration');
  const retention = block(block(lockRes?.values.rule ?? block(r.values.object_lock_configuration)?.rule)?.default_retention);
  const days = num(retention?.days) ?? (num(retention?.years) !== undefined ? (num(retention?.years) as number) * 365 : undefined);
  const objectLock = { enabled: Boolean(lockEnabled), mode: literal(retention?.mode), days };

  const pab = first('aws_s3_bucket_public_access_block');
  const publicAccessBlock = pab
    ? ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'].every((k) => bool(pab.values[k]) === true)
    : false;

  const sseRes = first('aws_s3_bucket_server_side_encryption_configuration');
  const sseDefault = block(block(sseRes?.values.rule ?? block(r.values.server_side_encryption_configuration)?.rule)?.apply_server_side_encryption_by_default);
  const algorithm = literal(sseDefault?.sse_algorithm);
  const sseKms = algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse';
  const kmsKey = sseKms && sseDefault?.kms_master_key_id !== undefined ? kmsKeyId(ctx, r.stack, sseDefault.kms_master_key_id) : undefined;

  const own = first('aws_s3_bucket_ownership_controls');
  const ownerEnforced = literal(block(own?.values.rule)?.object_ownership) === 'BucketOwnerEnforced';

  const lc = first('aws_s3_bucket_lifecycle_configuration');
  let currentExpirationDays: number | undefined;
  let noncurrentExpirationDays: number | undefined;
  for (const rule of blocks(lc?.values.rule ?? r.values.lifecycle_rule)) {
    const status = literal(rule.status);
    if (status !== undefined && status !== 'Enabled') continue;
    if (rule.enabled !== undefined && bool(rule.enabled) === false) continue;
    const exp = num(block(rule.expiration)?.days);
    if (exp !== undefined) currentExpirationDays = Math.min(currentExpirationDays ?? Infinity, exp);
    const nc = num(block(rule.noncurrent_version_expiration)?.noncurrent_days ?? block(rule.noncurrent_version_expiration)?.days);
    if (nc !== undefined) noncurrentExpirationDays = Math.min(noncurrentExpirationDays ?? Infinity, nc);
  }

  const policies = bucketPolicyStatements(ctx, r);
  if (policies[0]) companions.aws_s3_bucket_policy = policies[0].policy.address;
  const statements = policies.flatMap((p) => p.statements);
  const tlsOnly = statements.some(isTlsDeny);
  const denyDeleteToWriters = statements.some(
    (s) => s.effect === 'Deny' && !isTlsDeny(s) && s.actions.some((a) => DELETE_ACTIONS.includes(a.toLowerCase()) || a === 's3:Delete*' || a === 's3:*'),
  );

  return {
    versioning,
    objectLock,
    publicAccessBlock,
    tlsOnly,
    sseKms,
    kmsKey,
    ownerEnforced,
    currentExpirationDays,
    noncurrentExpirationDays,
    denyDeleteToWriters,
    companions,
  };
}

/** Literal bucket names an expression may name: used where a backend or path holds a bucket. */
export function bucketNameOf(ctx: ModelContext, stack: string, value: unknown): string | undefined {
  const lit = literal(value);
  if (lit) return lit;
  if (typeof value === 'string') {
    const s = singleRef(value);
    if (s) {
      const r = ctx.resolve(stack, s.ref);
      if (r) return literal(r.resource.values.bucket);
    }
  }
  return strings(value)[0];
}
