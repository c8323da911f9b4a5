/**
 * The custody model: one normalized view of everything the rules look at, built from
 * Terraform JSON (cdk.tf.json as cdktf writes it) or from a `terraform show -json` plan.
 * Rules are pure functions of this model; they never see construct objects.
 */

import type { CustodyRole } from '../policy/tags';
import type { GrantOrigin } from './load/origins';
import type { ModelViews } from './views';

// The tag vocabulary lives in lib/policy; re-exported here because the public API has always
// offered it next to the model types.
export { CUSTODY_ROLES, TAG_APP, TAG_KEY, TAG_ROLE, type CustodyRole } from '../policy/tags';

/**
 * One Terraform resource or data source, normalized. Values are as written in the
 * configuration: `${...}` strings stay strings; the resolver in `load/refs.ts` reads them.
 */
export interface TfResource {
  /** Stack (cdktf stack name, or the label the CLI gives an input file). */
  readonly stack: string;
  /** `managed` for resources, `data` for data sources. */
  readonly mode: 'managed' | 'data';
  /** Resource type, e.g. `aws_s3_bucket`. */
  readonly type: string;
  /** Resource name, e.g. `keys`. */
  readonly name: string;
  /** Terraform address without the stack, e.g. `aws_s3_bucket.keys`, `module.m.aws_iam_user.u[0]`. */
  readonly address: string;
  /** Module path prefix (`module.a.module.b`), empty at the root. */
  readonly module: string;
  /** Attribute values, as written in the configuration or as planned. */
  readonly values: Record<string, unknown>;
  /** Provider configuration key: `aws`, `aws.keys`, `docker.scratch`. */
  readonly provider: string;
  /** Source file and line of the block, where the input format allows it (for SARIF). */
  readonly location?: SourceLocation;
  /** The line of the user's code that made it, where a library construct recorded it (see load/origins.ts). */
  readonly origin?: SourceLocation;
}

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
}

/** A provider configuration of one stack. */
export interface TfProvider {
  readonly stack: string;
  /** `aws` or `aws.alias`. */
  readonly key: string;
  /** Provider type, `aws`, `docker`, ... */
  readonly type: string;
  readonly alias?: string;
  readonly values: Record<string, unknown>;
}

/** One input document: one stack's Terraform configuration. */
export interface TfDocument {
  readonly stack: string;
  /** Where it came from (a path), for messages. */
  readonly source: string;
  readonly resources: readonly TfResource[];
  readonly providers: readonly TfProvider[];
  /** Backend type and its configuration, if any. */
  readonly backend?: { readonly type: string; readonly config: Record<string, unknown> };
  /** Outputs by name: their value expressions. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /**
   * Facts the front end could not read (plan input: values only known after apply whose
   * expression the plan does not spell out). Merged into `CustodyModel.unknowns`.
   */
  readonly unknowns?: readonly Unknown[];
  /** Grants the library's grant methods made in this stack, with the call that made each (cdk.tf.json only). */
  readonly grantOrigins?: readonly GrantOrigin[];
}

/** An addressable thing in the model, qualified by stack. */
export interface Ref {
  readonly stack: string;
  readonly address: string;
}

/** A place that holds DB backups or key copies: a bucket, a secret, an SSM parameter. */
export interface Store {
  readonly id: string;
  readonly stack: string;
  readonly address: string;
  readonly kind: 's3' | 'secretsmanager' | 'ssm' | 'other';
  readonly role: CustodyRole;
  /** `custody:key` tag. */
  readonly key?: string;
  /** `custody:app` tag. */
  readonly app?: string;
  /** Bucket / secret / parameter name when known at synth time. */
  readonly name?: string;
  /** Name prefix (bucket_prefix, name_prefix) when only that is known. */
  readonly namePrefix?: string;
  /** True when the store is adopted through a data source rather than managed. */
  readonly adopted: boolean;
  /** For adopted stores: the retention the manifest declares, since their lifecycle is not in this configuration. */
  readonly declaredRetentionDays?: number;
  /** Account context (see accounts.ts). */
  readonly account: string;
  /** Store-level settings the hardening rules read. */
  readonly settings: StoreSettings;
  readonly resource: TfResource;
}

/** Settings read off the bucket and its companion resources. Unknown is `undefined`. */
export interface StoreSettings {
  readonly versioning?: boolean;
  readonly objectLock?: { readonly enabled: boolean; readonly mode?: string; readonly days?: number };
  readonly publicAccessBlock?: boolean;
  readonly tlsOnly?: boolean;
  readonly sseKms?: boolean;
  /** KMS key the store encrypts with (resolved address or literal ARN). */
  readonly kmsKey?: string;
  readonly ownerEnforced?: boolean;
  /** Longest object lifetime in days (lifecycle expiration), undefined = kept forever. */
  readonly currentExpirationDays?: number;
  /** Days noncurrent versions are kept, undefined = kept forever. */
  readonly noncurrentExpirationDays?: number;
  /** Whether the bucket policy denies object deletes to writers. */
  readonly denyDeleteToWriters?: boolean;
  /** Addresses of companion resources, for findings. */
  readonly companions: Readonly<Record<string, string>>;
}

/** One copy of a key, Terraform-managed or declared in the manifest. */
export interface KeyCopy {
  readonly key: string;
  readonly generation?: number;
  /** `hot`, `cold`, `offsite`... free text kind from the manifest, or derived. */
  readonly kind: string;
  /** Medium: `host-file`, `disk`, `nas`, `s3`, `secretsmanager`, `ssm`, `paper`, ... */
  readonly medium: string;
  readonly location: string;
  readonly offsite: boolean;
  readonly custodian?: string;
  /** Store id when Terraform-managed. */
  readonly store?: string;
  readonly stack: string;
  readonly address: string;
  /** Evidence the copy exists (manifest copies): see ManifestCopy. */
  readonly fingerprint?: string;
  readonly date?: string;
  readonly evidence?: 'keygen';
}

/** The custody manifest a stack carries (a `terraform_data` resource named by MANIFEST_TYPE). */
export interface Manifest {
  readonly stack: string;
  readonly address: string;
  readonly keys: readonly ManifestKey[];
  readonly drills: readonly ManifestDrill[];
  readonly suppressions: readonly ManifestSuppression[];
  /** Stores adopted through data sources, which cannot carry tags themselves. */
  readonly adoptedStores: readonly ManifestAdoptedStore[];
}

export interface ManifestAdoptedStore {
  /** Address of the data source (or resource) in this stack. */
  readonly address: string;
  readonly role: CustodyRole;
  readonly key?: string;
  readonly app?: string;
  /** Days a backup in the adopted store stays restorable, as declared (its lifecycle lives elsewhere). */
  readonly retentionDays?: number;
}

export interface ManifestKey {
  readonly id: string;
  readonly app: string;
  readonly profile?: string;
  readonly fingerprint?: string;
  readonly hostPath?: string;
  readonly hostFile?: {
    readonly path: string;
    readonly mode: string;
    readonly owner: string;
    readonly group: string;
    readonly dirMode: string;
    readonly deployCheck: boolean;
    /** Owner-only modes the app's runbook allows besides 0400 (ServOS/ACT: 0600). */
    readonly modes?: readonly string[];
    /** `uid:gid` the app containers run as; a non-root owner must be this user. */
    readonly appUser?: string;
  };
  readonly copies: readonly ManifestCopy[];
  readonly generations?: readonly ManifestGeneration[];
  /** Longest DB-backup retention the key must outlive, in days, if declared. */
  readonly dbRetentionDays?: number;
}

export interface ManifestCopy {
  readonly kind: string;
  readonly medium: string;
  readonly location: string;
  readonly offsite: boolean;
  readonly custodian?: string;
  readonly generation?: number;
  /** Fingerprint of the key the copy holds, as recorded by `keygen` or declared with the copy. */
  readonly fingerprint?: string;
  /** Day the copy was written, `YYYY-MM-DD`. */
  readonly date?: string;
  /** `keygen`: the copy is in a copies record `keygen` wrote when it made the copy. */
  readonly evidence?: 'keygen';
}

export interface ManifestGeneration {
  readonly generation: number;
  readonly state: 'active' | 'rotating' | 'retired';
  /** Date (`YYYY-MM-DD`) the generation stopped encrypting new data. */
  readonly retiredOn?: string;
  /** Date until which the generation and its backups must be kept. */
  readonly keepUntil?: string;
  readonly fingerprint?: string;
  readonly hostPath?: string;
  readonly copies: readonly ManifestCopy[];
  /** Address of the offsite backup object, if Terraform manages it. */
  readonly offsiteObject?: string;
}

export interface ManifestDrill {
  readonly id: string;
  readonly key: string;
  readonly schedule?: string;
  readonly timezone?: string;
  readonly intervalDays?: number;
  readonly restoreAgeDays?: number;
  /** Where the drill takes the key from: a store id/address, or `hot`. */
  readonly keySource?: string;
  readonly keySourcePath?: string;
  readonly dockerProvider?: string;
  readonly alarm?: boolean;
  readonly log?: boolean;
  readonly nextRun?: string;
  /** Days without a recorded passing drill after which the staleness alarm pages. */
  readonly stalenessDays?: number;
  /** Date (`YYYY-MM-DD`) of the last passing drill on record when the configuration was written. */
  readonly lastPassedOn?: string;
  /** Where the drill log is kept (`docs/ops/<app>/drill-log.md`). */
  readonly drillLog?: string;
}

export interface ManifestSuppression {
  readonly id: string;
  readonly reason: string;
  readonly owner?: string;
  readonly expires?: string;
  /** Address or construct-path prefix the suppression covers; empty = whole stack. */
  readonly scope: string;
}

/** An IAM identity that can act: user, role, or an external ARN seen in a policy. */
export interface Principal {
  readonly id: string;
  readonly stack: string;
  readonly address: string;
  readonly kind: 'user' | 'role' | 'external' | 'service';
  readonly name?: string;
  readonly account: string;
  /** Custody role of the principal if tagged. */
  readonly role?: CustodyRole;
  readonly tags: Readonly<Record<string, string>>;
}

/** What a principal may do to a store. */
export type Access = 'read' | 'write' | 'delete' | 'decrypt' | 'admin';
export const ACCESS_LEVELS: readonly Access[] = ['read', 'write', 'delete', 'decrypt', 'admin'];

/** One effective grant: principal P may do `access` on store S, and why. */
export interface Grant {
  readonly principal: string;
  readonly store: string;
  readonly access: Access;
  /** How: the chain that gives it, e.g. `group ops → policy admin (AdministratorAccess)`. */
  readonly via: string;
  /**
   * Only a statement whose actions are unknown gives it (an action the plan and the source
   * cannot prove): a possible grant. Reach between custody sides (KC011, KC012) counts it; rules
   * on writes and deletes (KC021, KC032) leave it to KC092, so an unknown is never an invented writer.
   */
  readonly possible?: true;
}

/**
 * What a key policy statement or a KMS grant lets a principal it names do with the KMS key
 * of a store, beyond what the grants say (which only count decryption).
 */
export interface KeyUse {
  readonly principal: string;
  /** A store the key encrypts. */
  readonly store: string;
  /** `use`: encrypt, decrypt, make data keys; `admin`: change who may use the key (a key policy, a grant) or delete it. */
  readonly kind: 'use' | 'admin';
  /** The operations, lower case (`kms:encrypt`). */
  readonly actions: readonly string[];
  /** The key, e.g. `key aws_kms_key.k`. */
  readonly key: string;
  /** The statement or grant, e.g. `key policy aws_kms_key.k (statement Admins) on key aws_kms_key.k`. */
  readonly via: string;
}

/** A KMS key. */
export interface KmsKey {
  readonly id: string;
  readonly stack: string;
  readonly address: string;
  readonly rotation?: boolean;
  readonly account: string;
  readonly resource: TfResource;
}

/** A container or service that runs the app (docker_container, docker_service, ...). */
export interface Container {
  readonly id: string;
  readonly stack: string;
  readonly address: string;
  readonly kind: 'docker_container' | 'docker_service' | 'ecs_task' | 'other';
  readonly image?: string;
  /** Environment as name → value (value may be an unresolved expression). */
  readonly env: Readonly<Record<string, string>>;
  readonly command: readonly string[];
  readonly entrypoint: readonly string[];
  readonly mounts: readonly Mount[];
  readonly provider: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly resource: TfResource;
}

export interface Mount {
  readonly source?: string;
  readonly target: string;
  readonly readOnly: boolean;
  readonly type: 'bind' | 'volume' | 'secret' | 'tmpfs' | 'upload';
}

/** A docker provider or other host-level provider configuration, for drill isolation. */
export interface ProviderInfo {
  readonly stack: string;
  readonly key: string;
  readonly type: string;
  readonly account: string;
  /** docker host, when docker. */
  readonly host?: string;
  readonly values: Record<string, unknown>;
}

/** The whole model. */
export interface CustodyModel {
  readonly documents: readonly TfDocument[];
  readonly resources: readonly TfResource[];
  readonly stores: readonly Store[];
  readonly kmsKeys: readonly KmsKey[];
  readonly principals: readonly Principal[];
  readonly grants: readonly Grant[];
  /**
   * Access an identity policy grants by naming a store, which the store's resource policy
   * or the account boundary blocks today (see AccessResult.blocked).
   */
  readonly blockedGrants: readonly Grant[];
  /**
   * Access of principals whose own policies are not in the configuration (ARNs it only
   * names, adopted roles and users) to stores whose resource policy singles them out (allows
   * them, or exempts them from a Deny), read as if their own policies allowed it.
   */
  readonly unseenGrants: readonly Grant[];
  /** What key policies and KMS grants let the principals they name do with each store's key. */
  readonly keyUses: readonly KeyUse[];
  readonly containers: readonly Container[];
  readonly manifests: readonly Manifest[];
  readonly copies: readonly KeyCopy[];
  readonly providers: readonly ProviderInfo[];
  /** Facts the model could not decide (unknown values); rules turn relevant ones into findings. */
  readonly unknowns: readonly Unknown[];
  /** Look-ups. */
  storeById(id: string): Store | undefined;
  principalById(id: string): Principal | undefined;
  resource(stack: string, address: string): TfResource | undefined;
  /** Resolve an expression to the model addresses it references (stack-qualified). */
  referencesOf(stack: string, value: unknown): Ref[];
  /** True when more than one stack is in the model (addresses are then stack-qualified). */
  readonly multiStack: boolean;
  /** Indexes over this model, built on first use (see views/index.ts). */
  readonly views: ModelViews;
}

export interface Unknown {
  readonly stack: string;
  readonly address: string;
  readonly what: string;
}

/** A rule's result. */
export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** Terraform address; stack-qualified (`stack/address`) when several stacks. */
  readonly address: string;
  readonly stack: string;
  readonly message: string;
  readonly fix: string;
  readonly suppressed: boolean;
  readonly reason?: string;
  /** Owner and expiry of the suppression that applies. */
  readonly owner?: string;
  readonly expires?: string;
  readonly location?: SourceLocation;
  /** The line of the user's code that made the resource (or the grant) the finding is about. */
  readonly origin?: SourceLocation;
  /** Construct path of the resource, when cdktf recorded it. */
  readonly constructPath?: string;
  /** The store the finding is about, when that is not its address (stable fingerprints). */
  readonly store?: string;
}

export type Severity = 'error' | 'warning';
