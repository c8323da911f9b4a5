/**
 * B4 input generator: `terraform show -json`-shaped plan files of any size.
 *
 * The shapes are copied from real `terraform show -json` output of this library's stacks
 * (Terraform 1.11, hashicorp/aws 5.100.0, format_version 1.2): JSON-syntax configurations
 * report a template's raw text as `constant_value` next to its `references` (each traversal
 * followed by its resource prefix), values only known after apply are absent from
 * `planned_values` and marked `true` in `resource_changes[].change.after_unknown`, nested
 * blocks are arrays of objects. The docker resources follow the same rules (their provider is
 * not in the offline mirror, so they are not copied from a real plan).
 *
 * A plan set is made of "units" of 30 resources, one key under custody each, split over two
 * stacks as custody is deployed (two accounts, two plans, checked together):
 * - `keys.plan.json`: the key backup bucket with its own KMS key, versioning, Object Lock,
 *   public access block, ownership controls, SSE-KMS, a deny-all-but-designated bucket
 *   policy, writer and restore roles with inline policies, and a key custodian user allowed
 *   to assume the restore role (role assumption); plus one custody manifest declaring every
 *   key's copies outside Terraform;
 * - `app.plan.json`: the DB backup bucket (same hardening, writer role), an operator user in
 *   a group with a managed policy attached (group membership, managed policies), and the app
 *   container with its image and read-only key mount; plus a break-glass role whose inline
 *   policy reaches every DB bucket through a wildcard ARN, so that wildcard matching runs
 *   against every store.
 *
 * Usage: `node gen-plan.js <out-dir> <resources>`: writes `keys.plan.json` and `app.plan.json`
 * and prints `{ resources, units, bytes, files }`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, unknown>;

/** Resources besides the units: the manifest and the break-glass role + its policy. */
export const FIXED_RESOURCES = 3;

const KEY_ACCOUNT = '111111111111';
const APP_ACCOUNT = '222222222222';
const AWS = 'registry.terraform.io/hashicorp/aws';
const DOCKER = 'registry.terraform.io/kreuzwerker/docker';

/** `${a.b.c}` templates in a value → terraform's `references`: each chain, then its resource. */
function references(v: unknown, into: string[] = []): string[] {
  if (typeof v === 'string') {
    for (const m of v.matchAll(/\$\{([^}]+)\}/g)) {
      const chain = m[1];
      into.push(chain);
      const parts = chain.split('.');
      const resource = parts[0] === 'data' ? parts.slice(0, 3).join('.') : parts.slice(0, 2).join('.');
      if (resource !== chain) into.push(resource);
    }
  } else if (Array.isArray(v)) {
    for (const x of v) references(x, into);
  } else if (v && typeof v === 'object') {
    for (const x of Object.values(v)) references(x, into);
  }
  return into;
}

const hasTemplate = (v: unknown): boolean => references(v).length > 0;

/** A nested block list: `[{...}]` values are blocks, not attributes. */
class Blocks {
  constructor(readonly items: Json[]) {}
}

/** One resource: its config expressions, planned values and after_unknown. */
interface Res {
  readonly type: string;
  readonly name: string;
  readonly provider: 'aws' | 'docker' | 'terraform';
  /** Configured arguments (templates become references; they are unknown in the plan). */
  readonly args: Json;
  /** Computed attributes only known after apply. */
  readonly computed: readonly string[];
  /** Known computed/default attributes the provider fills in (nulls, defaults). */
  readonly defaults?: Json;
}

function expressions(args: Json): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(args)) {
    if (v instanceof Blocks) {
      out[k] = v.items.map((b) => expressions(b));
    } else {
      const refs = references(v);
      out[k] = refs.length > 0 ? { constant_value: v, references: refs } : { constant_value: v };
    }
  }
  return out;
}

function planned(r: Res): { values: Json; unknown: Json; sensitive: Json } {
  const values: Json = { ...(r.defaults ?? {}) };
  const unknown: Json = {};
  const sensitive: Json = {};
  for (const [k, v] of Object.entries(r.args)) {
    if (v instanceof Blocks) {
      const items = v.items.map((b) => planned({ ...r, args: b, computed: [], defaults: {} }));
      values[k] = items.map((x) => x.values);
      unknown[k] = items.map((x) => x.unknown);
      sensitive[k] = items.map((x) => x.sensitive);
    } else if (hasTemplate(v)) {
      unknown[k] = true;
    } else {
      values[k] = v;
      if (v && typeof v === 'object') sensitive[k] = Array.isArray(v) ? v.map(() => false) : {};
    }
  }
  if ('tags' in r.args && r.provider === 'aws') {
    values.tags_all = r.args.tags;
    sensitive.tags_all = {};
  }
  for (const c of r.computed) unknown[c] = true;
  return { values, unknown, sensitive };
}

const providerName = (r: Res) => (r.provider === 'aws' ? AWS : r.provider === 'docker' ? DOCKER : 'terraform.io/builtin/terraform');

const policy = (statements: Json[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

const tags = (role: string, key: string, app: string, extra: Json = {}) => ({ 'custody:app': app, 'custody:key': key, 'custody:role': role, ...extra });

const S3_DENIED_TO_WRITERS = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:BypassGovernanceRetention',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutBucketVersioning',
  's3:PutLifecycleConfiguration',
  's3:DeleteBucket',
];

const KMS_ADMIN = ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'];

/** The buckets, key, policy and roles of one custody store (key-backup or db-backup). */
function store(i: number, role: 'key-backup' | 'db-backup', key: string, app: string, account: string, restoreTrust: string): Res[] {
  const p = role === 'key-backup' ? `keys_${i}` : `db_${i}`;
  const bucket = `aws_s3_bucket.${p}_bucket`;
  const kms = `aws_kms_key.${p}_kms`;
  const writer = `aws_iam_role.${p}_writer`;
  const restore = `aws_iam_role.${p}_restore`;
  const t = tags(role, key, app);
  const arns = [`\${${bucket}.arn}`, `\${${bucket}.arn}/*`];
  const trust = (who: string) => policy([{ Sid: 'Assume', Effect: 'Allow', Principal: { AWS: [who] }, Action: 'sts:AssumeRole' }]);
  const roleDefaults = { force_detach_policies: false, max_session_duration: 3600, path: '/', permissions_boundary: null };
  const rolePolicy = (name: string, roleRef: string, stmts: Json[]): Res => ({
    type: 'aws_iam_role_policy',
    name,
    provider: 'aws',
    args: { name: name.replace(/_/g, '-'), role: `\${${roleRef}.id}`, policy: policy(stmts) },
    computed: ['id', 'name_prefix'],
  });
  const bucketChild = (type: string, name: string, args: Json, defaults: Json = {}): Res => ({
    type,
    name: `${p}_${name}`,
    provider: 'aws',
    args: { bucket: `\${${bucket}.id}`, ...args },
    computed: ['id'],
    defaults,
  });
  const withRestore = role === 'key-backup';
  const designated = [`\${${writer}.arn}`, ...(withRestore ? [`\${${restore}.arn}`] : []), `arn:aws:iam::${account}:role/custody-deployer`];
  const out: Res[] = [
    {
      type: 'aws_kms_key',
      name: `${p}_kms`,
      provider: 'aws',
      args: {
        description: `${role} backups of key ${key} (${app}); used by this bucket only`,
        deletion_window_in_days: 30,
        enable_key_rotation: true,
        policy: policy([
          { Sid: 'KeyAdministrators', Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${account}:role/custody-deployer`] }, Action: KMS_ADMIN, Resource: '*' },
          { Sid: 'KeyUsersWriters', Effect: 'Allow', Principal: { AWS: [`\${${writer}.arn}`] }, Action: ['kms:GenerateDataKey', 'kms:Encrypt'], Resource: '*' },
          ...(withRestore ? [{ Sid: 'KeyUsersRestore', Effect: 'Allow', Principal: { AWS: [`\${${restore}.arn}`] }, Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: '*' }] : []),
        ]),
        tags: t,
      },
      computed: ['arn', 'id', 'key_id', 'multi_region', 'rotation_period_in_days'],
      defaults: { bypass_policy_lockout_safety_check: false, custom_key_store_id: null, customer_master_key_spec: 'SYMMETRIC_DEFAULT', is_enabled: true, key_usage: 'ENCRYPT_DECRYPT', timeouts: null, xks_key_id: null },
    },
    {
      type: 'aws_s3_bucket',
      name: `${p}_bucket`,
      provider: 'aws',
      args: { bucket: `${app}-${role === 'key-backup' ? 'keys' : 'db-backups'}-${i}`, force_destroy: false, object_lock_enabled: withRestore, tags: t },
      computed: ['acceleration_status', 'acl', 'arn', 'bucket_domain_name', 'bucket_regional_domain_name', 'hosted_zone_id', 'id', 'policy', 'region', 'request_payer', 'website_domain', 'website_endpoint'],
      defaults: { timeouts: null },
    },
    bucketChild('aws_s3_bucket_versioning', 'versioning', { versioning_configuration: new Blocks([{ status: 'Enabled' }]) }, { expected_bucket_owner: null, mfa: null }),
    bucketChild('aws_s3_bucket_public_access_block', 'public_access_block', { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }),
    bucketChild('aws_s3_bucket_ownership_controls', 'ownership', { rule: new Blocks([{ object_ownership: 'BucketOwnerEnforced' }]) }),
    bucketChild(
      'aws_s3_bucket_server_side_encryption_configuration',
      'encryption',
      { rule: new Blocks([{ bucket_key_enabled: true, apply_server_side_encryption_by_default: new Blocks([{ sse_algorithm: 'aws:kms', kms_master_key_id: `\${${kms}.arn}` }]) }]) },
      { expected_bucket_owner: null },
    ),
    bucketChild('aws_s3_bucket_policy', 'policy', {
      policy: policy([
        { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: ['s3:*'], Resource: arns, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        { Sid: 'DenyAllButDesignatedPrincipals', Effect: 'Deny', Principal: '*', Action: ['s3:*'], Resource: arns, Condition: { ArnNotLike: { 'aws:PrincipalArn': designated } } },
        { Sid: 'DenyWritersDelete', Effect: 'Deny', Principal: { AWS: [`\${${writer}.arn}`] }, Action: S3_DENIED_TO_WRITERS, Resource: arns },
        { Sid: 'AllowWriters', Effect: 'Allow', Principal: { AWS: [`\${${writer}.arn}`] }, Action: ['s3:PutObject'], Resource: `\${${bucket}.arn}/*` },
        ...(withRestore ? [{ Sid: 'AllowRestore', Effect: 'Allow', Principal: { AWS: [`\${${restore}.arn}`] }, Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'], Resource: arns }] : []),
      ]),
    }),
    {
      type: 'aws_iam_role',
      name: `${p}_writer`,
      provider: 'aws',
      args: { name_prefix: `${app}-${p}-writer-`, assume_role_policy: trust(`arn:aws:iam::${account}:root`), description: `Writes ${role} backups of key ${key}`, tags: { ...t, 'custody:access': 'write' } },
      computed: ['arn', 'create_date', 'id', 'inline_policy', 'managed_policy_arns', 'name', 'unique_id'],
      defaults: roleDefaults,
    },
    rolePolicy(`${p}_writer_policy`, writer, [
      { Sid: 'WriteBackups', Effect: 'Allow', Action: ['s3:PutObject'], Resource: `\${${bucket}.arn}/*` },
      { Sid: 'EncryptWithBucketKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Encrypt'], Resource: `\${${kms}.arn}` },
    ]),
  ];
  if (!withRestore) return out;
  out.push(
    bucketChild('aws_s3_bucket_object_lock_configuration', 'object_lock', { rule: new Blocks([{ default_retention: new Blocks([{ mode: 'COMPLIANCE', days: 120 }]) }]) }, { expected_bucket_owner: null, token: null }),
    {
      type: 'aws_iam_role',
      name: `${p}_restore`,
      provider: 'aws',
      // Role assumption: the key custodian may assume the restore role.
      args: { name_prefix: `${app}-${p}-restore-`, assume_role_policy: trust(restoreTrust), description: `Restores ${role} backups of key ${key}`, tags: { ...t, 'custody:access': 'restore' } },
      computed: ['arn', 'create_date', 'id', 'inline_policy', 'managed_policy_arns', 'name', 'unique_id'],
      defaults: roleDefaults,
    },
    rolePolicy(`${p}_restore_policy`, restore, [
      { Sid: 'ReadBackups', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: `\${${bucket}.arn}/*` },
      { Sid: 'ListBackups', Effect: 'Allow', Action: ['s3:ListBucket', 's3:ListBucketVersions'], Resource: `\${${bucket}.arn}` },
      { Sid: 'DecryptWithBucketKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: `\${${kms}.arn}` },
    ]),
  );
  return out;
}

/**
 * One unit. The key stack gets the key backup store and a key custodian (a user who may
 * assume the restore role: role assumption); the app stack gets the DB backup store, an
 * operator in a group with a managed policy attached (group membership, managed policies)
 * and the app container with its image and read-only key mount.
 */
function unit(i: number): { keys: Res[]; app: Res[] } {
  const app = `app${i}`;
  const key = `${app}-master`;
  const custodian = `aws_iam_user.custodian_${i}`;
  const operator = `aws_iam_user.op_${i}`;
  const group = `aws_iam_group.ops_${i}`;
  const managed = `aws_iam_policy.db_read_${i}`;
  const image = `docker_image.app_${i}`;
  const keys: Res[] = [
    ...store(i, 'key-backup', key, app, KEY_ACCOUNT, `\${${custodian}.arn}`),
    {
      type: 'aws_iam_user',
      name: `custodian_${i}`,
      provider: 'aws',
      args: { name: `custodian-${i}`, tags: { 'custody:app': app } },
      computed: ['arn', 'id', 'unique_id'],
      defaults: { force_destroy: false, path: '/', permissions_boundary: null },
    },
    {
      type: 'aws_iam_user_policy',
      name: `custodian_${i}_assume`,
      provider: 'aws',
      args: { name: 'assume-restore', user: `\${${custodian}.name}`, policy: policy([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `\${aws_iam_role.keys_${i}_restore.arn}` }]) },
      computed: ['id', 'name_prefix'],
    },
  ];
  const appRes: Res[] = [
    ...store(i, 'db-backup', key, app, APP_ACCOUNT, ''),
    {
      type: 'aws_iam_user',
      name: `op_${i}`,
      provider: 'aws',
      args: { name: `operator-${i}`, tags: { 'custody:app': app } },
      computed: ['arn', 'id', 'unique_id'],
      defaults: { force_destroy: false, path: '/', permissions_boundary: null },
    },
    { type: 'aws_iam_group', name: `ops_${i}`, provider: 'aws', args: { name: `ops-${i}` }, computed: ['arn', 'id', 'unique_id'], defaults: { path: '/' } },
    { type: 'aws_iam_user_group_membership', name: `op_${i}_groups`, provider: 'aws', args: { user: `\${${operator}.name}`, groups: [`\${${group}.name}`] }, computed: ['id'] },
    {
      type: 'aws_iam_policy',
      name: `db_read_${i}`,
      provider: 'aws',
      args: {
        name: `${app}-db-read`,
        policy: policy([{ Sid: 'ListDbBackups', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [`\${aws_s3_bucket.db_${i}_bucket.arn}`] }]),
        tags: { 'custody:app': app },
      },
      computed: ['arn', 'attachment_count', 'id', 'name_prefix', 'policy_id'],
      defaults: { description: null, path: '/' },
    },
    { type: 'aws_iam_group_policy_attachment', name: `ops_${i}_db_read`, provider: 'aws', args: { group: `\${${group}.name}`, policy_arn: `\${${managed}.arn}` }, computed: ['id'] },
    {
      type: 'docker_image',
      name: `app_${i}`,
      provider: 'docker',
      args: { name: 'ghcr.io/zitadel/zitadel:v4.13.0', keep_locally: true },
      computed: ['id', 'image_id', 'repo_digest'],
      defaults: { build: [], force_remove: null, platform: null, pull_triggers: null, triggers: null },
    },
    {
      type: 'docker_container',
      name: `app_${i}`,
      provider: 'docker',
      args: {
        name: `${app}`,
        image: `\${${image}.image_id}`,
        command: ['start-from-init', '--masterkeyFile', '/run/secrets/masterkey', '--tlsMode', 'external'],
        env: ['ZITADEL_DATABASE_POSTGRES_HOST=db', `ZITADEL_EXTERNALDOMAIN=${app}.example.com`],
        restart: 'unless-stopped',
        mounts: new Blocks([{ target: '/run/secrets/masterkey', source: `/etc/${app}/masterkey`, type: 'bind', read_only: true }]),
        labels: new Blocks([
          { label: 'custody:role', value: 'key-store' },
          { label: 'custody:key', value: key },
          { label: 'custody:app', value: app },
        ]),
      },
      computed: ['bridge', 'container_logs', 'exit_code', 'hostname', 'id', 'ipc_mode', 'log_driver', 'network_data', 'runtime', 'security_opts', 'shm_size', 'stop_signal', 'stop_timeout'],
      defaults: { attach: false, must_run: true, privileged: false, read_only: false, rm: false, start: true, tty: false, wait: false, wait_timeout: 60 },
    },
  ];
  return { keys, app: appRes };
}

function manifest(units: number): Res {
  const keys = [];
  for (let i = 0; i < units; i++) {
    keys.push({
      app: `app${i}`,
      id: `app${i}-master`,
      copies: [
        { kind: 'hot', location: `host-${i}:/etc/app${i}/masterkey`, medium: 'host-file', offsite: false },
        { kind: 'cold', location: `nas:/app${i}/masterkey.age`, medium: 'nas', offsite: false },
        { kind: 'paper', location: 'office safe', medium: 'paper', offsite: true },
      ],
    });
  }
  return {
    type: 'terraform_data',
    name: 'custody_manifest',
    provider: 'terraform',
    args: { input: { adoptedStores: [], drills: [], keys, kind: 'cdktf-key-custody/manifest', suppressions: [], version: 1 } },
    computed: ['id', 'output'],
    defaults: { triggers_replace: null },
  };
}

function breakGlass(): Res[] {
  return [
    {
      type: 'aws_iam_role',
      name: 'break_glass',
      provider: 'aws',
      args: { name: 'break-glass', assume_role_policy: policy([{ Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${APP_ACCOUNT}:root`] }, Action: 'sts:AssumeRole' }]) },
      computed: ['arn', 'create_date', 'id', 'inline_policy', 'managed_policy_arns', 'name_prefix', 'unique_id'],
      defaults: { force_detach_policies: false, max_session_duration: 3600, path: '/', permissions_boundary: null },
    },
    {
      type: 'aws_iam_role_policy',
      name: 'break_glass_db',
      provider: 'aws',
      args: {
        name: 'break-glass-db',
        role: '${aws_iam_role.break_glass.id}',
        policy: policy([{ Sid: 'ReadEveryDbBackup', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::app*-db-backups-*', 'arn:aws:s3:::app*-db-backups-*/*'] }]),
      },
      computed: ['id', 'name_prefix'],
    },
  ];
}

/** One `terraform show -json` document of the given resources. */
function planOf(all: readonly Res[], account: string, withDocker: boolean): Json {
  const addr = (r: Res) => `${r.type}.${r.name}`;
  const configResources: Json[] = [];
  const plannedResources: Json[] = [];
  const changes: Json[] = [];
  for (const r of all) {
    const p = planned(r);
    configResources.push({ address: addr(r), mode: 'managed', type: r.type, name: r.name, provider_config_key: r.provider, expressions: expressions(r.args), schema_version: 0 });
    plannedResources.push({ address: addr(r), mode: 'managed', type: r.type, name: r.name, provider_name: providerName(r), schema_version: 0, values: p.values, sensitive_values: p.sensitive });
    changes.push({
      address: addr(r),
      mode: 'managed',
      type: r.type,
      name: r.name,
      provider_name: providerName(r),
      change: { actions: ['create'], before: null, after: p.values, after_unknown: p.unknown, before_sensitive: false, after_sensitive: p.sensitive },
    });
  }
  const providers: Json = {
    aws: { name: 'aws', full_name: AWS, version_constraint: '5.100.0', expressions: { region: { constant_value: 'eu-central-1' }, allowed_account_ids: { constant_value: [account] } } },
    terraform: { name: 'terraform', full_name: 'terraform.io/builtin/terraform' },
  };
  if (withDocker) providers.docker = { name: 'docker', full_name: DOCKER, version_constraint: '3.6.2', expressions: { host: { constant_value: 'ssh://deploy@app-host' } } };
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    planned_values: { root_module: { resources: plannedResources } },
    resource_changes: changes,
    configuration: { provider_config: providers, root_module: { resources: configResources } },
    timestamp: '2025-01-01T00:00:00Z',
    applyable: true,
    complete: true,
    errored: false,
  };
}

/**
 * Plans of (about) `resources` resources in all, in whole units (at least one), as two
 * stacks the way custody is deployed: `keys` (key custody account) and `app` (DB backups,
 * operators and the app host). `key-custody check keys.plan.json app.plan.json` reads them
 * as one model.
 */
export function generatePlans(resources: number): { keys: Json; app: Json; resources: number; units: number } {
  const unitSize = (() => {
    const u = unit(0);
    return u.keys.length + u.app.length;
  })();
  const units = Math.max(1, Math.round((resources - FIXED_RESOURCES) / unitSize));
  const keys: Res[] = [manifest(units)];
  const app: Res[] = [...breakGlass()];
  for (let i = 0; i < units; i++) {
    const u = unit(i);
    keys.push(...u.keys);
    app.push(...u.app);
  }
  return { keys: planOf(keys, KEY_ACCOUNT, false), app: planOf(app, APP_ACCOUNT, true), resources: keys.length + app.length, units };
}

if (require.main === module) {
  const [dir, n] = process.argv.slice(2);
  if (!dir || !n) {
    process.stderr.write('usage: node gen-plan.js <out-dir> <resources>\n');
    process.exit(2);
  }
  const { keys, app, resources, units } = generatePlans(Number(n));
  let bytes = 0;
  for (const [name, plan] of [
    ['keys', keys],
    ['app', app],
  ] as const) {
    const text = JSON.stringify(plan);
    bytes += Buffer.byteLength(text);
    writeFileSync(join(dir, `${name}.plan.json`), text);
  }
  process.stdout.write(`${JSON.stringify({ resources, units, bytes, files: ['keys.plan.json', 'app.plan.json'].map((f) => join(dir, f)) })}\n`);
}
