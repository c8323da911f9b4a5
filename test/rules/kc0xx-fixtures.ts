/**
 * Hand-written Terraform JSON building blocks for the KC001–KC025 rule tests, in the
 * cdk.tf.json shape. Each builder returns a partial document; `doc` merges them.
 */
import { buildModel } from '../../lib/model/build';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';
import type { CustodyModel, Finding } from '../../lib/model/types';
import { runRules } from '../../lib/rules/engine';
import type { CustodyRule } from '../../lib/rules/rule';

export type Json = Record<string, unknown>;

/** Deep-merge partial Terraform JSON documents (resource/data maps merge by type and name). */
export function doc(...parts: Json[]): Json {
  const out: Json = {};
  const mergeInto = (a: Json, b: Json) => {
    for (const [k, v] of Object.entries(b)) {
      const cur = a[k];
      if (cur && typeof cur === 'object' && !Array.isArray(cur) && v && typeof v === 'object' && !Array.isArray(v)) mergeInto(cur as Json, v as Json);
      else a[k] = v;
    }
  };
  for (const p of parts) mergeInto(out, JSON.parse(JSON.stringify(p)) as Json);
  return out;
}

export function model(...stacks: [string, Json][]): CustodyModel {
  return buildModel(stacks.map(([name, json]) => loadTerraformJson(name, json)));
}

/** Findings of one rule over the given stacks. */
export function findings(rule: CustodyRule, ...stacks: [string, Json][]): Finding[] {
  return runRules(model(...stacks), [rule], { today: '2026-01-01' }).findings.filter((f) => f.ruleId === rule.id);
}

export const awsProvider: Json = { provider: { aws: [{ region: 'eu-central-1' }] } };

export interface KeyDecl {
  id?: string;
  app?: string;
  hostPath?: string;
  hostFile?: Json;
  copies?: Json[];
  generations?: Json[];
  dbRetentionDays?: number;
}

/** A good Zitadel key declaration: hot file with correct modes, cold NAS copy, paper in a safe. */
export function zitadelKey(over: KeyDecl = {}): KeyDecl {
  return {
    id: 'zitadel-master',
    app: 'zitadel',
    hostPath: '/etc/zitadel/masterkey',
    hostFile: { path: '/etc/zitadel/masterkey', mode: '0400', owner: 'root', group: 'root', dirMode: '0700', deployCheck: true },
    copies: [
      { kind: 'cold', medium: 'nas', location: '/mnt/nas/zitadel/masterkey.age', offsite: false },
      { kind: 'offsite', medium: 'paper', location: 'safe', offsite: true },
    ],
    ...over,
  };
}

/** The custody manifest resource. */
export function manifest(keys: KeyDecl[], extra: Json = {}): Json {
  return {
    resource: {
      terraform_data: {
        custody_manifest: {
          input: { kind: 'cdktf-key-custody/manifest', version: 1, keys, drills: [], suppressions: [], adoptedStores: [], ...extra },
        },
      },
    },
  };
}

export function tags(role: string, key = 'zitadel-master', app = 'zitadel'): Record<string, string> {
  return { 'custody:role': role, 'custody:key': key, 'custody:app': app };
}

export interface BucketOpts {
  versioning?: boolean;
  objectLock?: boolean | { mode?: string; days?: number };
  publicAccessBlock?: boolean;
  tlsOnly?: boolean;
  denyDelete?: boolean;
  /** `customer` (own aws_kms_key), `aws` (alias/aws/s3), `aes` (SSE-S3), `none`. */
  kms?: 'customer' | 'aws' | 'aes' | 'none';
  rotation?: boolean;
  ownership?: boolean;
  expiration?: number;
  noncurrent?: number;
  tags?: Record<string, string>;
}

/** A bucket with every companion a custody bucket should have (each one switchable off). */
export function bucket(name: string, role: string, o: BucketOpts = {}): Json {
  const ref = `\${aws_s3_bucket.${name}.id}`;
  const arn = `\${aws_s3_bucket.${name}.arn}`;
  const lockOn = o.objectLock !== false;
  const lock = typeof o.objectLock === 'object' ? o.objectLock : { mode: 'COMPLIANCE', days: 400 };
  const r: Json = {
    aws_s3_bucket: { [name]: { bucket: `kc-${name}`, object_lock_enabled: lockOn, tags: o.tags ?? tags(role) } },
  };
  const add = (type: string, body: Json) => {
    r[type] = { ...((r[type] as Json) ?? {}), [name]: { bucket: ref, ...body } };
  };
  if (o.versioning !== false) add('aws_s3_bucket_versioning', { versioning_configuration: { status: 'Enabled' } });
  if (lockOn) {
    add('aws_s3_bucket_object_lock_configuration', {
      rule: lock.mode || lock.days ? { default_retention: { ...(lock.mode ? { mode: lock.mode } : {}), ...(lock.days ? { days: lock.days } : {}) } } : undefined,
    });
  }
  if (o.publicAccessBlock !== false) {
    add('aws_s3_bucket_public_access_block', { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
  }
  const kms = o.kms ?? 'customer';
  if (kms !== 'none') {
    const byDefault: Json =
      kms === 'customer'
        ? { sse_algorithm: 'aws:kms', kms_master_key_id: `\${aws_kms_key.${name}.arn}` }
        : kms === 'aws'
          ? { sse_algorithm: 'aws:kms', kms_master_key_id: 'alias/aws/s3' }
          : { sse_algorithm: 'AES256' };
    add('aws_s3_bucket_server_side_encryption_configuration', { rule: [{ apply_server_side_encryption_by_default: byDefault }] });
  }
  if (kms === 'customer') r.aws_kms_key = { [name]: { description: `${name} key`, enable_key_rotation: o.rotation ?? true } };
  if (o.ownership !== false) add('aws_s3_bucket_ownership_controls', { rule: { object_ownership: 'BucketOwnerEnforced' } });
  if (o.expiration !== undefined || o.noncurrent !== undefined) {
    add('aws_s3_bucket_lifecycle_configuration', {
      rule: [
        {
          id: 'expire',
          status: 'Enabled',
          filter: {},
          ...(o.expiration !== undefined ? { expiration: { days: o.expiration } } : {}),
          ...(o.noncurrent !== undefined ? { noncurrent_version_expiration: { noncurrent_days: o.noncurrent } } : {}),
        },
      ],
    });
  }
  const statements: Json[] = [];
  if (o.tlsOnly !== false) {
    statements.push({ Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  }
  if (o.denyDelete !== false && role === 'key-backup') {
    statements.push({ Sid: 'NoDeletes', Effect: 'Deny', Principal: '*', Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'], Resource: `${arn}/*` });
  }
  if (statements.length) add('aws_s3_bucket_policy', { policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) });
  return { resource: r };
}

/** A docker container resource. */
export function container(name: string, body: Json): Json {
  return { resource: { docker_container: { [name]: { name, image: 'ghcr.io/zitadel/zitadel:v4.0.0', ...body } } } };
}

export function labels(l: Record<string, string>): Json[] {
  return Object.entries(l).map(([label, value]) => ({ label, value }));
}

/** The well-formed Zitadel container of the seed: hot copy mounted read-only, passed by path. */
export function goodZitadel(name = 'zitadel', over: Json = {}): Json {
  return container(name, {
    command: ['start-from-init', '--masterkeyFile', '/run/secrets/masterkey', '--tlsMode', 'external'],
    mounts: [{ type: 'bind', source: '/etc/zitadel/masterkey', target: '/run/secrets/masterkey', read_only: true }],
    labels: labels({ 'custody:app': 'zitadel', 'custody:key': 'zitadel-master' }),
    ...over,
  });
}
