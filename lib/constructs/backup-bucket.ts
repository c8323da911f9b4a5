import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamSessionContext } from '@cdktf/provider-aws/lib/data-aws-iam-session-context';
import { DataAwsS3Bucket } from '@cdktf/provider-aws/lib/data-aws-s3-bucket';
import { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Fn, Lazy, Op, ref, TerraformStack, Token, type Postcondition, type Precondition, type TerraformProvider } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { z } from 'zod';
import { RETENTION_MARGIN_DAYS } from '../policy/limits';
import { TAG_APP, TAG_KEY, TAG_ROLE } from '../policy/tags';
import { CustodyManifest } from './custody-manifest';
import { parseProps } from './validation';
import { KMS_ADMIN_ACTIONS } from './kms';

/** The two custody roles a backup bucket can hold. */
export type BackupBucketRole = 'db-backup' | 'key-backup';

/** S3 Object Lock retention modes. */
export type ObjectLockMode = 'GOVERNANCE' | 'COMPLIANCE';

/** Days key backups must outlive the DB backups they decrypt; the same margin KC022 applies. */
export { RETENTION_MARGIN_DAYS };

/** Who may assume a role the construct creates. */
export interface CustodyRoleTrust {
  /**
   * AWS principals allowed to assume the role: 12-digit account ids (any principal of that
   * account whose own IAM policy allows `sts:AssumeRole` on the role) or IAM ARNs.
   */
  readonly principals: readonly string[];
  /**
   * An `sts:ExternalId` the caller must present, for third-party backup services.
   * @default - no external id required
   */
  readonly externalId?: string;
}

/** Opt-in IAM user with an access key for tools that cannot assume roles (rclone on a host). */
export interface WriterAccessKeyOptions {
  /**
   * PGP public key (base64) or `keybase:<user>` the secret access key is encrypted with.
   * Required: an unencrypted secret access key would land in Terraform state. Read the
   * `encrypted_secret` attribute and decrypt it offline.
   */
  readonly pgpKey: string;
}

/** Props shared by {@link DatabaseBackupBucket} and {@link KeyBackupBucket}. */
export interface CustodyBucketProps {
  /** Id of the master key these backups belong to (the `custody:key` tag). */
  readonly key: string;
  /** The application the key belongs to (the `custody:app` tag), e.g. `zitadel`. */
  readonly app: string;
  /**
   * Days an object version stays restorable: current versions expire after this many days
   * (when {@link expireCurrentVersions} is on) and noncurrent versions this many days after
   * they were superseded (unless {@link noncurrentRetentionDays} says otherwise).
   * @default 35 for DB backups; 365 for key backups
   */
  readonly retentionDays?: number;
  /**
   * Days a superseded (noncurrent) version is kept before lifecycle removes it.
   * @default - the same as retentionDays
   */
  readonly noncurrentRetentionDays?: number;
  /**
   * Whether lifecycle expires current object versions after `retentionDays`.
   * @default true for DB backups; false for key backups (expiring the current version of a
   * key backup deletes the only offsite copy of the key in use)
   */
  readonly expireCurrentVersions?: boolean;
  /**
   * Object Lock default retention, in days, for every new object version.
   * @default - retentionDays for DB backups; 365 for key backups
   */
  readonly objectLockDays?: number;
  /**
   * Object Lock mode. COMPLIANCE cannot be shortened or lifted by anyone, root included.
   * @default 'GOVERNANCE' for DB backups; 'COMPLIANCE' for key backups
   */
  readonly objectLockMode?: ObjectLockMode;
  /**
   * Exact bucket name. Conflicts with `bucketPrefix`.
   * @default - a unique name generated from bucketPrefix
   */
  readonly bucketName?: string;
  /**
   * Prefix of a generated bucket name (at most 37 characters).
   * @default - `<app>-<key>-db-` or `<app>-<key>-keys-`
   */
  readonly bucketPrefix?: string;
  /**
   * Let `terraform destroy` delete a bucket that still holds objects. Object Lock still
   * protects locked versions; this only matters for unlocked ones.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * The 12-digit AWS account the bucket lives in, used for the key administrators and the
   * default role trust.
   * @default - read at plan time through `data.aws_caller_identity` (needs credentials when planning)
   */
  readonly accountId?: string;
  /**
   * AWS partition of the account (`aws`, `aws-us-gov`, `aws-cn`).
   * @default 'aws'
   */
  readonly partition?: string;
  /**
   * IAM ARNs of the bucket and key administrators: the role Terraform deploys with and any
   * break-glass role. They administer the KMS key and keep management access through the
   * bucket policy's deny, but are never key users: they cannot decrypt a backup.
   * @default - the account root and the identity Terraform runs as (`data.aws_iam_session_context`), read at plan time
   */
  readonly admins?: readonly string[];
  /**
   * Who may assume the writer role the construct creates.
   * @default - principals of the bucket's own account whose IAM policy allows assuming it
   */
  readonly writerTrust?: CustodyRoleTrust;
  /**
   * Who may assume the restore role the construct creates.
   * @default - principals of the bucket's own account whose IAM policy allows assuming it
   */
  readonly restoreTrust?: CustodyRoleTrust;
  /**
   * Use this existing principal as the writer instead of creating a role.
   * @default - a writer role is created
   */
  readonly writerArn?: string;
  /**
   * Use this existing principal as the restore principal instead of creating a role.
   * @default - a restore role is created
   */
  readonly restoreArn?: string;
  /**
   * Create an IAM user with an access key as an additional writer, the secret encrypted with
   * a PGP key. Prefer roles; or create the key out of band (`aws iam create-access-key`) for
   * a user you manage, and pass it with `grantWrite`.
   * @default - no IAM user and no access key
   */
  readonly writerAccessKey?: WriterAccessKeyOptions;
  /**
   * Give writers `kms:Decrypt` on this bucket's key, which S3 needs to complete multipart
   * uploads of SSE-KMS objects. Writers still cannot read objects (no `s3:GetObject`).
   * @default true for DB backups (dumps are large); false for key backups
   */
  readonly multipartWrites?: boolean;
  /**
   * The AWS provider (account, profile, region) to manage every resource with.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Name of the KMS alias.
   * @default - `alias/custody/<app>/<key>/<db-backup|key-backup>`
   */
  readonly kmsAliasName?: string;
  /**
   * Waiting period before a deleted KMS key is gone, 7 to 30 days.
   * @default 30
   */
  readonly kmsDeletionWindowDays?: number;
  /**
   * Name or ARN of the bucket holding the other custody role (DB backups for a key bucket,
   * key backups for a DB bucket). A plan-time precondition refuses the two resolving to the
   * same bucket. Pass a literal or a variable rather than a cross-stack reference: the
   * latter makes this stack read the other stack's state.
   * @default - no plan-time separation precondition
   */
  readonly otherCustodyBucket?: string;
  /**
   * The provider (in this same stack) the other custody role is managed with. A plan-time
   * precondition reads the caller identity through both and refuses the same AWS account.
   * @default - no account check (KC013 still compares the provider configurations)
   */
  readonly distinctAccountFrom?: TerraformProvider;
  /**
   * Extra tags for every resource; the custody tags always win.
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Props of {@link DatabaseBackupBucket}. */
export type DatabaseBackupBucketProps = CustodyBucketProps;

/** Props of {@link KeyBackupBucket}. */
export type KeyBackupBucketProps = CustodyBucketProps;

/** Props of {@link AdoptedBackupBucket}. */
export interface AdoptedBackupBucketProps {
  /** Name of the existing bucket. */
  readonly bucketName: string;
  /** Id of the master key the bucket's backups belong to. */
  readonly key: string;
  /** The application the key belongs to. */
  readonly app: string;
  /**
   * Name or ARN of the bucket holding the other custody role; a plan-time precondition
   * refuses the two resolving to the same bucket.
   * @default - no plan-time separation precondition
   */
  readonly otherCustodyBucket?: string;
  /**
   * The provider the existing bucket is read with.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
  /**
   * The provider (in this same stack) of the other custody role; a plan-time precondition
   * refuses both resolving to the same AWS account.
   * @default - no account check
   */
  readonly distinctAccountFrom?: TerraformProvider;
  /**
   * How long the existing bucket keeps backups restorable, in days, as you know it from
   * its lifecycle. Used for the retention coupling check at construct time.
   * @default - unknown; the coupling is then only checked on managed buckets
   */
  readonly restorableDays?: number;
}

/** Props of `fromExistingBucket`: the role comes from the class it is called on. */
export type ExistingBucketProps = AdoptedBackupBucketProps;

interface RoleDefaults {
  readonly retentionDays: number;
  readonly expireCurrentVersions: boolean;
  readonly objectLockDays: (retentionDays: number) => number;
  readonly objectLockMode: ObjectLockMode;
  readonly multipartWrites: boolean;
  readonly prefixSuffix: string;
  readonly construct: string;
}

const ROLE_DEFAULTS: Record<BackupBucketRole, RoleDefaults> = {
  'db-backup': {
    retentionDays: 35,
    expireCurrentVersions: true,
    objectLockDays: (r) => r,
    objectLockMode: 'GOVERNANCE',
    multipartWrites: true,
    prefixSuffix: 'db',
    construct: 'DatabaseBackupBucket',
  },
  'key-backup': {
    retentionDays: 365,
    expireCurrentVersions: false,
    objectLockDays: () => 365,
    objectLockMode: 'COMPLIANCE',
    multipartWrites: false,
    prefixSuffix: 'keys',
    construct: 'KeyBackupBucket',
  },
};

/** What writers must never do: delete history, or loosen the rules that keep it. */
export const WRITER_DENIED_ACTIONS: readonly string[] = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:BypassGovernanceRetention',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:PutObjectLockConfiguration',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutBucketVersioning',
  's3:PutLifecycleConfiguration',
  's3:PutEncryptionConfiguration',
  's3:DeleteBucket',
];

/** What restore principals must never do: they read, nothing else. */
export const RESTORE_DENIED_ACTIONS: readonly string[] = ['s3:PutObject', ...WRITER_DENIED_ACTIONS];

const WRITER_S3_ACTIONS = ['s3:PutObject'];
const RESTORE_S3_OBJECT_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'];
const RESTORE_S3_BUCKET_ACTIONS = ['s3:ListBucket', 's3:ListBucketVersions'];
const RESTORE_KMS_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];

function writerKmsActions(multipart: boolean): string[] {
  return multipart ? ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'] : ['kms:GenerateDataKey', 'kms:Encrypt'];
}


const ACCOUNT_ID = /^\d{12}$/;
const BUCKET_NAME = /^(?!xn--)(?!sthree-)(?!.*-s3alias$)(?!.*--ol-s3$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IAM_ARN = /^arn:[a-z-]+:(iam|sts)::(\d{12}|aws):.+$/;

/** The value as the error message quotes it. */
function quoted(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : String(v);
}

/**
 * A string matching `re`, or still a token (`${var.x}`, a reference) that only Terraform can
 * check; the error quotes the bad value.
 */
function pattern(re: RegExp, what: string) {
  return z.string().refine((v) => Token.isUnresolved(v) || re.test(v), { error: (iss) => `${what}; got ${quoted(iss.input)}` });
}

const days = (max: number) =>
  z
    .number()
    .int({ error: (iss) => `must be a whole number of days; got ${quoted(iss.input)}` })
    .min(1, { error: (iss) => `must be at least 1 day; got ${quoted(iss.input)}` })
    .max(max, { error: (iss) => `must be at most ${max} days; got ${quoted(iss.input)}` });

const NAME_PART = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ARN_MSG = 'must be an IAM ARN like "arn:aws:iam::123456789012:role/name"';

const trustSchema = z.object({
  principals: z.array(pattern(new RegExp(`${ACCOUNT_ID.source}|${IAM_ARN.source}`), 'must be a 12-digit account id or an IAM ARN')).min(1, 'name at least one principal'),
  externalId: z.string().min(2).optional(),
});

const propsSchema = z
  .object({
    key: pattern(NAME_PART, 'must be lowercase letters, digits and dashes, like "zitadel-master"'),
    app: pattern(NAME_PART, 'must be lowercase letters, digits and dashes, like "zitadel"'),
    retentionDays: days(36500).optional(),
    noncurrentRetentionDays: days(36500).optional(),
    expireCurrentVersions: z.boolean().optional(),
    objectLockDays: days(36500).optional(),
    objectLockMode: z.enum(['GOVERNANCE', 'COMPLIANCE']).optional(),
    bucketName: pattern(BUCKET_NAME, 'must be a valid S3 bucket name: 3-63 lowercase letters, digits, dots and dashes').optional(),
    bucketPrefix: pattern(/^[a-z0-9][a-z0-9.-]{0,36}$/, 'must be at most 37 lowercase letters, digits, dots and dashes, starting with a letter or digit').optional(),
    forceDestroy: z.boolean().optional(),
    accountId: pattern(ACCOUNT_ID, 'must be a 12-digit AWS account id').optional(),
    partition: z.enum(['aws', 'aws-us-gov', 'aws-cn', 'aws-iso', 'aws-iso-b']).optional(),
    admins: z.array(pattern(IAM_ARN, ARN_MSG)).min(1, 'name at least one administrator').optional(),
    writerTrust: trustSchema.optional(),
    restoreTrust: trustSchema.optional(),
    writerArn: pattern(IAM_ARN, ARN_MSG).optional(),
    restoreArn: pattern(IAM_ARN, ARN_MSG).optional(),
    writerAccessKey: z
      .object({
        pgpKey: z
          .string()
          .trim()
          .regex(/^(keybase:\S+|[A-Za-z0-9+/=\s]{40,})$/, 'must be a base64 PGP public key or "keybase:<user>"; an access key is never created without one'),
      })
      .optional(),
    multipartWrites: z.boolean().optional(),
    kmsAliasName: pattern(/^alias\/(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/, 'must look like "alias/name" and not start with "alias/aws/"').optional(),
    kmsDeletionWindowDays: z.number().int().min(7).max(30).optional(),
    otherCustodyBucket: z.string().min(3).optional(),
    tags: z.record(z.string(), z.string()).optional(),
  })
  .refine((p) => !(p.bucketName !== undefined && p.bucketPrefix !== undefined), {
    message: 'give bucketName or bucketPrefix, not both',
    path: ['bucketPrefix'],
  });

const adoptedSchema = z.object({
  bucketName: pattern(BUCKET_NAME, 'must be a valid S3 bucket name: 3-63 lowercase letters, digits, dots and dashes'),
  key: propsSchema.shape.key,
  app: propsSchema.shape.app,
  otherCustodyBucket: z.string().min(3).optional(),
  restorableDays: days(73000).optional(),
});

const ARN_PREFIX = /^arn:[^:]+:s3:::/;

function bareBucketName(v: string): string {
  return v.replace(ARN_PREFIX, '').toLowerCase();
}

/**
 * `<app>-<key>-<suffix>-`, without repeating the app when the key id already starts with it,
 * cut to `max` characters with the role suffix kept: the suffix keeps DB and key names apart
 * (KC010 compares prefixes), so it is the last thing to shorten.
 */
function defaultPrefix(app: string, key: string, suffix: string, max: number): string {
  const stem = key === app || key.startsWith(`${app}-`) ? key : `${app}-${key}`;
  const tail = `-${suffix}-`;
  return `${stem.slice(0, Math.max(1, max - tail.length)).replace(/-+$/, '')}${tail}`;
}

/** A Terraform-safe, readable name part. */
function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

// ---------------------------------------------------------------------------------------------
// Retention coupling
// ---------------------------------------------------------------------------------------------

/** The retention figures the coupling check compares. */
export interface RetentionFacts {
  /** Construct path, for messages. */
  readonly path: string;
  /**
   * DB side: the longest a backup stays restorable (current life plus noncurrent life).
   * Key side: the shortest time a key generation is guaranteed to be kept once superseded.
   */
  readonly days: number;
  /** Key side only: Object Lock days. */
  readonly objectLockDays?: number;
  /** How `days` was computed, for messages. */
  readonly explain: string;
}

/**
 * Refuse key backups that do not outlive the DB backups they decrypt plus the margin
 * (DESIGN.md KC022): both the lifecycle retention and the Object Lock period of the key
 * bucket must reach the DB backups' restorable life plus {@link RETENTION_MARGIN_DAYS}.
 */
export function assertKeyOutlivesDb(key: RetentionFacts, db: RetentionFacts, margin = RETENTION_MARGIN_DAYS): void {
  const need = db.days + margin;
  const problems: string[] = [];
  if (key.days < need) problems.push(`its lifecycle keeps a superseded key generation ${key.days} days (${key.explain})`);
  if (key.objectLockDays !== undefined && key.objectLockDays < need) problems.push(`its Object Lock retention is ${key.objectLockDays} days`);
  if (problems.length === 0) return;
  throw new Error(
    `[${key.path}] KeyBackupBucket: key backups must outlive the DB backups they decrypt (KC022), but ${problems.join(' and ')}, ` +
      `while the DB backups in [${db.path}] stay restorable ${db.days} days (${db.explain}); ` +
      `${db.days} + ${margin} days margin = ${need} days needed.\n` +
      `fix: set retentionDays and objectLockDays to at least ${need} on [${key.path}], or shorten the DB backups' retentionDays on [${db.path}]`,
  );
}

interface CouplingEntry {
  readonly key: string;
  readonly role: BackupBucketRole;
  readonly facts: RetentionFacts;
}

/** Backup buckets of one app by custody key, for the automatic coupling check. */
const couplingRegistry = new WeakMap<IConstruct, CouplingEntry[]>();

function registerForCoupling(scope: IConstruct, entry: CouplingEntry): void {
  const root = scope.node.root;
  let list = couplingRegistry.get(root);
  if (!list) couplingRegistry.set(root, (list = []));
  for (const other of list) {
    if (other.key !== entry.key || other.role === entry.role) continue;
    if (entry.role === 'key-backup') assertKeyOutlivesDb(entry.facts, other.facts);
    else assertKeyOutlivesDb(other.facts, entry.facts);
  }
  list.push(entry);
}

// ---------------------------------------------------------------------------------------------
// Plan-time preconditions shared by managed and adopted buckets
// ---------------------------------------------------------------------------------------------

function assertSameStack(scope: IConstruct, construct: string, provider: TerraformProvider): void {
  if (TerraformStack.of(provider) !== TerraformStack.of(scope)) {
    throw new Error(
      `[${scope.node.path}] ${construct}: distinctAccountFrom is the provider ${provider.node.path}, which is in another stack; ` +
        `a stack can only read the caller identity through its own providers.\n` +
        `fix: declare a second provider for the other custody account in stack ${TerraformStack.of(scope).node.id} and pass that one`,
    );
  }
}

function providerName(p: TerraformProvider | undefined): string {
  return p?.alias ? `provider aws.${p.alias}` : 'the default aws provider';
}

/** Bucket name or ARN, lower-cased and without the ARN prefix, as a Terraform expression. */
function normalizedBucket(v: string): string {
  return Fn.lower(Fn.replace(v, '/^arn:[^:]+:s3:::/', ''));
}

interface PlanTimeGuards {
  readonly precondition: Precondition[];
  readonly postcondition: Postcondition[];
}

function guardLifecycle(g: PlanTimeGuards): { precondition?: Precondition[]; postcondition?: Postcondition[] } | undefined {
  if (g.precondition.length === 0 && g.postcondition.length === 0) return undefined;
  return { precondition: g.precondition.length ? g.precondition : undefined, postcondition: g.postcondition.length ? g.postcondition : undefined };
}

/**
 * The plan-time guards of DESIGN.md §3 layer 2, as lifecycle conditions of the bucket (or
 * adopted data source) itself, where KC010 looks for them: the other custody role must not
 * resolve to the same bucket, and (opt-in) the two providers must not resolve to the same
 * AWS account. `selfName` is the configured name; without one (a generated name) the
 * comparison runs as a postcondition on the name AWS chose.
 */
function planTimeGuards(
  scope: Construct,
  construct: string,
  role: BackupBucketRole,
  selfName: string | undefined,
  provider: TerraformProvider | undefined,
  other: string | undefined,
  distinctAccountFrom: TerraformProvider | undefined,
): PlanTimeGuards {
  const otherRole = role === 'db-backup' ? 'key-backup' : 'db-backup';
  const precondition: Precondition[] = [];
  const postcondition: Postcondition[] = [];
  if (other !== undefined) {
    if (selfName !== undefined && !Token.isUnresolved(other) && !Token.isUnresolved(selfName) && bareBucketName(other) === bareBucketName(selfName)) {
      throw new Error(
        `[${scope.node.path}] ${construct}: the ${role} bucket "${selfName}" is the same bucket as the ${otherRole} bucket "${other}" (KC010): ` +
          `DB backups and key backups must never share a bucket.\nfix: use two buckets, in two accounts with two credentials`,
      );
    }
  }
  // Two literal names were compared above; Terraform refuses a condition on constants alone.
  const bothLiteral = other !== undefined && selfName !== undefined && !Token.isUnresolved(other) && !Token.isUnresolved(selfName);
  if (other !== undefined && !bothLiteral) {
    const condition = {
      condition: Op.neq(normalizedBucket(selfName ?? Token.asString(ref('self.bucket'))), normalizedBucket(other)),
      errorMessage:
        `Custody separation (KC010): the ${role} bucket of ${scope.node.path} and the ${otherRole} bucket "${Token.isUnresolved(other) ? 'given by otherCustodyBucket' : other}" ` +
        `resolve to the same bucket. DB backups and key backups must never share a bucket.`,
    };
    (selfName !== undefined ? precondition : postcondition).push(condition);
  }
  if (distinctAccountFrom) {
    assertSameStack(scope, construct, distinctAccountFrom);
    const mine = new DataAwsCallerIdentity(scope, 'GuardIdentity', { provider });
    const theirs = new DataAwsCallerIdentity(scope, 'OtherGuardIdentity', { provider: distinctAccountFrom });
    precondition.push({
      condition: Op.neq(mine.accountId, theirs.accountId),
      errorMessage:
        `Custody separation (KC013): ${providerName(provider)} of the ${role} bucket (${scope.node.path}) and ${providerName(distinctAccountFrom)} ` +
        `of the ${otherRole} side resolve to the same AWS account; use separate accounts so that one credential cannot reach both.`,
    });
  }
  return { precondition, postcondition };
}

// ---------------------------------------------------------------------------------------------
// Managed buckets
// ---------------------------------------------------------------------------------------------

/** A statement of an identity policy (no principal). */
interface IdentityStatementJson {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** A statement of a resource policy (bucket or key policy). */
interface PolicyStatementJson extends IdentityStatementJson {
  Principal: '*' | { AWS: string[] };
}

// Plain JSON with references inside string values (not `jsonencode`): Terraform reads it as a
// template, and the custody model can parse it statement by statement at synth time.
function policyJson(statements: IdentityStatementJson[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * An S3 bucket that holds one custody role's backups, with everything that keeps it
 * separate: its own KMS key (rotation on, administrators separated from users), versioning,
 * Object Lock, a full public access block, owner-enforced objects, SSE-KMS with a bucket key,
 * a lifecycle, and a bucket policy that requires TLS, names its principals, denies everyone
 * else, and denies writers any delete or loosening of the bucket's rules. Its writer and
 * restore principals are its own; grant further principals with {@link grantRead} and
 * {@link grantWrite}.
 *
 * Use {@link DatabaseBackupBucket} and {@link KeyBackupBucket}; they differ in defaults and
 * in the custody role they declare. Put each in its own stack with its own provider and state
 * backend: that is what makes the credentials separate.
 */
export abstract class CustodyBucket extends Construct {
  /** The custody role this bucket holds. */
  public readonly role: BackupBucketRole;
  /** Id of the master key these backups belong to. */
  public readonly key: string;
  /** The application the key belongs to. */
  public readonly app: string;
  public readonly bucket: S3Bucket;
  /** The bucket's own customer managed key. */
  public readonly kmsKey: KmsKey;
  public readonly kmsAlias: KmsAlias;
  public readonly versioning: S3BucketVersioningA;
  public readonly objectLock: S3BucketObjectLockConfigurationA;
  public readonly publicAccessBlock: S3BucketPublicAccessBlock;
  public readonly ownershipControls: S3BucketOwnershipControls;
  public readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  public readonly lifecycle: S3BucketLifecycleConfiguration;
  public readonly bucketPolicy: S3BucketPolicy;
  /** The writer role, when the construct created one. */
  public readonly writerRole?: IamRole;
  /** The restore role, when the construct created one. */
  public readonly restoreRole?: IamRole;
  /** The opt-in writer user, when `writerAccessKey` was given. */
  public readonly writerUser?: IamUser;
  /** The opt-in access key; its secret is PGP-encrypted (`encrypted_secret`). */
  public readonly writerAccessKey?: IamAccessKey;
  /** ARN of the designated writer. */
  public readonly writerArn: string;
  /** ARN of the designated restore principal. */
  public readonly restoreArn: string;
  /** Days current versions live, or undefined when they never expire. */
  public readonly currentRetentionDays?: number;
  /** Days superseded versions are kept. */
  public readonly noncurrentRetentionDays: number;
  public readonly objectLockDays: number;
  public readonly objectLockMode: ObjectLockMode;

  private readonly writers: string[] = [];
  private readonly readers: string[] = [];
  private readonly admins: string[];
  private readonly provider?: TerraformProvider;
  private readonly partition: string;
  private readonly construct: string;
  private readonly multipart: boolean;

  protected constructor(scope: Construct, id: string, role: BackupBucketRole, props: CustodyBucketProps) {
    super(scope, id);
    const d = ROLE_DEFAULTS[role];
    this.construct = d.construct;
    const fix = 'see the prop documentation of ' + d.construct;
    const p = parseProps(d.construct, this, propsSchema, { ...props, provider: undefined, distinctAccountFrom: undefined }, fix);
    this.role = role;
    this.key = p.key;
    this.app = p.app;
    this.provider = props.provider;
    this.partition = p.partition ?? 'aws';
    const provider = props.provider;

    const retentionDays = p.retentionDays ?? d.retentionDays;
    const expireCurrent = p.expireCurrentVersions ?? d.expireCurrentVersions;
    this.currentRetentionDays = expireCurrent ? retentionDays : undefined;
    this.noncurrentRetentionDays = p.noncurrentRetentionDays ?? retentionDays;
    this.objectLockDays = p.objectLockDays ?? d.objectLockDays(retentionDays);
    this.objectLockMode = p.objectLockMode ?? d.objectLockMode;

    const tags = { ...(p.tags ?? {}), [TAG_ROLE]: role, [TAG_KEY]: p.key, [TAG_APP]: p.app };
    // The manifest also switches on the app-wide synth-time check.
    CustodyManifest.of(this);

    // Plan-time look-ups only for what the props leave open: with accountId and admins
    // given, the stack plans without calling AWS.
    let caller: DataAwsCallerIdentity | undefined;
    const callerIdentity = () => (caller ??= new DataAwsCallerIdentity(this, 'Caller', { provider }));
    const account = p.accountId ?? callerIdentity().accountId;
    const accountRoot = `arn:${this.partition}:iam::${account}:root`;
    if (p.admins) {
      this.admins = [...p.admins];
    } else {
      // Without the deployer in the allow-list, the deny-all-but statement would lock
      // Terraform itself out of the bucket after the first apply.
      const session = new DataAwsIamSessionContext(this, 'Deployer', { provider, arn: callerIdentity().arn });
      this.admins = [accountRoot, session.issuerArn];
    }

    const guards = planTimeGuards(this, d.construct, role, p.bucketName, provider, p.otherCustodyBucket, props.distinctAccountFrom);
    this.bucket = new S3Bucket(this, 'Bucket', {
      provider,
      bucket: p.bucketName,
      lifecycle: guardLifecycle(guards),
      bucketPrefix: p.bucketName === undefined ? (p.bucketPrefix ?? defaultPrefix(p.app, p.key, d.prefixSuffix, 37)) : undefined,
      objectLockEnabled: true,
      forceDestroy: p.forceDestroy ?? false,
      tags,
    });

    this.kmsKey = new KmsKey(this, 'Key', {
      provider,
      description: `${role} backups of key ${p.key} (${p.app}); used by this bucket only`,
      enableKeyRotation: true,
      deletionWindowInDays: p.kmsDeletionWindowDays ?? 30,
      policy: Lazy.stringValue({ produce: () => this.renderKeyPolicy() }),
      tags,
    });
    this.kmsAlias = new KmsAlias(this, 'KeyAlias', {
      provider,
      name: p.kmsAliasName ?? `alias/custody/${p.app}/${p.key}/${role}`,
      targetKeyId: this.kmsKey.keyId,
    });

    this.versioning = new S3BucketVersioningA(this, 'Versioning', {
      provider,
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });
    this.objectLock = new S3BucketObjectLockConfigurationA(this, 'ObjectLock', {
      provider,
      bucket: this.bucket.id,
      rule: { defaultRetention: { mode: this.objectLockMode, days: this.objectLockDays } },
      dependsOn: [this.versioning],
    });
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'PublicAccessBlock', {
      provider,
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.ownershipControls = new S3BucketOwnershipControls(this, 'Ownership', {
      provider,
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    this.encryption = new S3BucketServerSideEncryptionConfigurationA(this, 'Encryption', {
      provider,
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.kmsKey.arn }, bucketKeyEnabled: true }],
    });
    this.lifecycle = new S3BucketLifecycleConfiguration(this, 'Lifecycle', {
      provider,
      bucket: this.bucket.id,
      rule: [
        {
          id: 'custody-retention',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          expiration: this.currentRetentionDays !== undefined ? [{ days: this.currentRetentionDays }] : undefined,
          noncurrentVersionExpiration: [{ noncurrentDays: this.noncurrentRetentionDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      dependsOn: [this.versioning],
    });

    const multipart = (this.multipart = p.multipartWrites ?? d.multipartWrites);
    if (props.writerArn !== undefined) {
      this.writerArn = props.writerArn;
    } else {
      this.writerRole = this.createRole('Writer', 'writer', p.writerTrust, accountRoot, tags);
      this.writerArn = this.writerRole.arn;
      new IamRolePolicy(this, 'WriterPolicy', { provider, role: this.writerRole.id, name: 'custody-writer', policy: this.writerPolicy(multipart) });
    }
    if (props.restoreArn !== undefined) {
      this.restoreArn = props.restoreArn;
    } else {
      this.restoreRole = this.createRole('Restore', 'restore', p.restoreTrust, accountRoot, tags);
      this.restoreArn = this.restoreRole.arn;
      new IamRolePolicy(this, 'RestorePolicy', { provider, role: this.restoreRole.id, name: 'custody-restore', policy: this.restorePolicy() });
    }
    this.writers.push(this.writerArn);
    this.readers.push(this.restoreArn);

    if (p.writerAccessKey) {
      this.writerUser = new IamUser(this, 'WriterUser', {
        provider,
        name: defaultPrefix(p.app, p.key, `${d.prefixSuffix}-writer`, 64).replace(/-$/, ''),
        tags: { ...tags, 'custody:access': 'writer' },
      });
      new IamUserPolicy(this, 'WriterUserPolicy', { provider, user: this.writerUser.name, name: 'custody-writer', policy: this.writerPolicy(multipart) });
      this.writerAccessKey = new IamAccessKey(this, 'WriterAccessKey', { provider, user: this.writerUser.name, pgpKey: p.writerAccessKey.pgpKey });
      this.writers.push(this.writerUser.arn);
    }

    this.bucketPolicy = new S3BucketPolicy(this, 'Policy', {
      provider,
      bucket: this.bucket.id,
      policy: Lazy.stringValue({ produce: () => this.renderBucketPolicy() }),
      // A policy naming principals is only accepted once public access is blocked for good.
      dependsOn: [this.publicAccessBlock],
    });

    registerForCoupling(this, { key: p.key, role, facts: this.retentionFacts() });
  }

  /** Name of the bucket (known after apply when generated from a prefix). */
  public get bucketName(): string {
    return this.bucket.bucket;
  }

  public get bucketArn(): string {
    return this.bucket.arn;
  }

  /**
   * The longest an object version stays restorable: its current life plus its noncurrent
   * life; undefined when current versions never expire.
   */
  public get restorableDays(): number | undefined {
    return this.currentRetentionDays === undefined ? undefined : this.currentRetentionDays + this.noncurrentRetentionDays;
  }

  /** The figures the retention coupling compares. */
  public retentionFacts(): RetentionFacts {
    if (this.role === 'db-backup') {
      // As KC022 reads a DB bucket: current plus noncurrent life, at least the lock period.
      const restorable = this.restorableDays;
      if (restorable === undefined) return { path: this.node.path, days: Number.POSITIVE_INFINITY, explain: 'current versions never expire' };
      if (this.objectLockDays > restorable) return { path: this.node.path, days: this.objectLockDays, explain: `Object Lock retention ${this.objectLockDays} days` };
      return { path: this.node.path, days: restorable, explain: `${this.currentRetentionDays} days current + ${this.noncurrentRetentionDays} days noncurrent` };
    }
    const keep = Math.min(this.noncurrentRetentionDays, this.currentRetentionDays ?? Number.POSITIVE_INFINITY);
    return {
      path: this.node.path,
      days: keep,
      objectLockDays: this.objectLockDays,
      explain:
        this.currentRetentionDays === undefined
          ? `noncurrent versions expire after ${this.noncurrentRetentionDays} days`
          : `current versions expire after ${this.currentRetentionDays} days, noncurrent after ${this.noncurrentRetentionDays}`,
    };
  }

  /**
   * Let another principal read (restore) backups: `s3:GetObject`/`GetObjectVersion`,
   * listing, and `kms:Decrypt` on this bucket's key, through the bucket and key policies.
   * The principal joins the allow-list of the deny-all-but statement.
   */
  public grantRead(principalArn: string): void {
    this.checkArn('grantRead', principalArn);
    if (!this.readers.includes(principalArn)) this.readers.push(principalArn);
  }

  /**
   * Let another principal write backups: `s3:PutObject` and encryption with this bucket's
   * key, never deletes. The principal joins the allow-list and the writers' deny statement.
   */
  public grantWrite(principalArn: string): void {
    this.checkArn('grantWrite', principalArn);
    if (!this.writers.includes(principalArn)) this.writers.push(principalArn);
  }

  /** Principals allowed to write, in grant order. */
  public get writerPrincipals(): readonly string[] {
    return [...this.writers];
  }

  /** Principals allowed to restore, in grant order. */
  public get restorePrincipals(): readonly string[] {
    return [...this.readers];
  }

  private checkArn(method: string, arn: string): void {
    if (!Token.isUnresolved(arn) && !IAM_ARN.test(arn)) {
      throw new Error(`[${this.node.path}] ${this.construct}.${method}: "${arn}" is not an IAM principal ARN.\nfix: pass a role or user ARN like "arn:aws:iam::123456789012:role/restore"`);
    }
  }

  private createRole(id: string, access: 'writer' | 'restore', trust: z.infer<typeof trustSchema> | undefined, accountRoot: string, tags: Record<string, string>): IamRole {
    const principals = (trust?.principals ?? [accountRoot]).map((x) => (ACCOUNT_ID.test(x) ? `arn:${this.partition}:iam::${x}:root` : x));
    const statement: Record<string, unknown> = {
      Sid: 'AssumeForCustody',
      Effect: 'Allow',
      Principal: { AWS: principals },
      Action: 'sts:AssumeRole',
    };
    if (trust?.externalId) statement.Condition = { StringEquals: { 'sts:ExternalId': trust.externalId } };
    const d = ROLE_DEFAULTS[this.role];
    return new IamRole(this, id, {
      provider: this.provider,
      namePrefix: defaultPrefix(this.app, this.key, `${d.prefixSuffix}-${access}`, 38),
      description: `${access === 'writer' ? 'Writes' : 'Restores'} ${this.role} backups of key ${this.key} (${this.app}); this bucket and key only`,
      assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
      maxSessionDuration: 3600,
      tags: { ...tags, 'custody:access': access },
    });
  }

  private writerPolicy(multipart: boolean): string {
    return policyJson([
      { Sid: 'PutBackups', Effect: 'Allow', Action: WRITER_S3_ACTIONS, Resource: `${this.bucket.arn}/*` },
      { Sid: 'EncryptWithBucketKey', Effect: 'Allow', Action: writerKmsActions(multipart), Resource: this.kmsKey.arn },
    ]);
  }

  private restorePolicy(): string {
    return policyJson([
      { Sid: 'ReadBackups', Effect: 'Allow', Action: RESTORE_S3_OBJECT_ACTIONS, Resource: `${this.bucket.arn}/*` },
      { Sid: 'ListBackups', Effect: 'Allow', Action: RESTORE_S3_BUCKET_ACTIONS, Resource: this.bucket.arn },
      { Sid: 'DecryptWithBucketKey', Effect: 'Allow', Action: RESTORE_KMS_ACTIONS, Resource: this.kmsKey.arn },
    ]);
  }

  private renderKeyPolicy(): string {
    const statements: PolicyStatementJson[] = [
      // Administrators manage the key but are not key users: without kms:Decrypt here, no
      // IAM policy in the account can give them (or anyone) decryption either.
      { Sid: 'KeyAdministrators', Effect: 'Allow', Principal: { AWS: [...this.admins] }, Action: [...KMS_ADMIN_ACTIONS], Resource: '*' },
    ];
    statements.push({ Sid: 'KeyUsersWriters', Effect: 'Allow', Principal: { AWS: [...this.writers] }, Action: writerKmsActions(this.multipart), Resource: '*' });
    statements.push({ Sid: 'KeyUsersRestore', Effect: 'Allow', Principal: { AWS: [...this.readers] }, Action: RESTORE_KMS_ACTIONS, Resource: '*' });
    return policyJson(statements);
  }

  private renderBucketPolicy(): string {
    const arn = this.bucket.arn;
    const both = [arn, `${arn}/*`];
    const designated = [...new Set([...this.writers, ...this.readers, ...this.admins])];
    const readersOnly = this.readers.filter((r) => !this.writers.includes(r));
    const statements: PolicyStatementJson[] = [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:*'],
        Resource: both,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'DenyAllButDesignatedPrincipals',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:*'],
        Resource: both,
        Condition: { ArnNotLike: { 'aws:PrincipalArn': designated } },
      },
      { Sid: 'DenyWritersDeleteOrLoosen', Effect: 'Deny', Principal: { AWS: [...this.writers] }, Action: [...WRITER_DENIED_ACTIONS], Resource: both },
    ];
    if (readersOnly.length > 0) {
      statements.push({ Sid: 'DenyRestoreWriteOrDelete', Effect: 'Deny', Principal: { AWS: readersOnly }, Action: [...RESTORE_DENIED_ACTIONS], Resource: both });
    }
    statements.push({ Sid: 'AllowWriters', Effect: 'Allow', Principal: { AWS: [...this.writers] }, Action: WRITER_S3_ACTIONS, Resource: `${arn}/*` });
    statements.push(
      { Sid: 'AllowRestoreRead', Effect: 'Allow', Principal: { AWS: [...this.readers] }, Action: RESTORE_S3_OBJECT_ACTIONS, Resource: `${arn}/*` },
      { Sid: 'AllowRestoreList', Effect: 'Allow', Principal: { AWS: [...this.readers] }, Action: RESTORE_S3_BUCKET_ACTIONS, Resource: arn },
    );
    return policyJson(statements);
  }
}

/**
 * The bucket that holds a database's backups, in the custody of its own writer and restore
 * principals and its own KMS key. Object Lock defaults to GOVERNANCE with the retention
 * period, so the backup job cannot delete what it wrote and ransomware with its credential
 * cannot either.
 */
export class DatabaseBackupBucket extends CustodyBucket {
  /**
   * Adopt an existing DB-backup bucket by name: read through `data.aws_s3_bucket` and
   * declared in the custody manifest, so the rules see it; nothing is changed on it.
   */
  public static fromExistingBucket(scope: Construct, id: string, props: ExistingBucketProps): AdoptedBackupBucket {
    return new AdoptedBackupBucket(scope, id, 'db-backup', props);
  }

  constructor(scope: Construct, id: string, props: DatabaseBackupBucketProps) {
    super(scope, id, 'db-backup', props);
  }
}

/**
 * The offsite bucket that holds backups of a master key. Defaults to COMPLIANCE Object
 * Lock, and keeps superseded key generations a year, so old DB backups stay decryptable.
 * Construction refuses a key bucket that does not outlive a DB bucket of the same key.
 */
export class KeyBackupBucket extends CustodyBucket {
  /** Adopt an existing key-backup bucket by name (see {@link DatabaseBackupBucket.fromExistingBucket}). */
  public static fromExistingBucket(scope: Construct, id: string, props: ExistingBucketProps): AdoptedBackupBucket {
    return new AdoptedBackupBucket(scope, id, 'key-backup', props);
  }

  constructor(scope: Construct, id: string, props: KeyBackupBucketProps) {
    super(scope, id, 'key-backup', props);
  }

  /**
   * Refuse this key bucket if it does not outlive `db` plus {@link RETENTION_MARGIN_DAYS}.
   * Buckets of the same key in one app are checked automatically; use this for a DB bucket
   * of another key id or a figure you know from elsewhere.
   */
  public assertOutlives(db: DatabaseBackupBucket | AdoptedBackupBucket | RetentionFacts): void {
    const facts = db instanceof CustodyBucket ? db.retentionFacts() : db instanceof AdoptedBackupBucket ? db.retentionFacts() : db;
    if (!facts) return;
    assertKeyOutlivesDb(this.retentionFacts(), facts);
  }
}

/**
 * An existing bucket adopted into a custody role. It is read with `data.aws_s3_bucket` at a
 * stable, readable address (`data.aws_s3_bucket.adopted_<role>_<id>`) and declared in the
 * stack's custody manifest, so the rules treat it as a store of that role.
 */
export class AdoptedBackupBucket extends Construct {
  public readonly role: BackupBucketRole;
  public readonly key: string;
  public readonly app: string;
  public readonly bucket: DataAwsS3Bucket;
  /** The data source's Terraform address, as the manifest records it. */
  public readonly address: string;
  private readonly restorable?: number;

  constructor(scope: Construct, id: string, role: BackupBucketRole, props: AdoptedBackupBucketProps) {
    super(scope, id);
    const construct = `${ROLE_DEFAULTS[role].construct}.fromExistingBucket`;
    const p = parseProps(construct, this, adoptedSchema, { ...props, provider: undefined, distinctAccountFrom: undefined }, 'give { bucketName, key, app }');
    this.role = role;
    this.key = p.key;
    this.app = p.app;
    this.restorable = p.restorableDays;
    const logicalId = `adopted_${slug(role)}_${slug(id)}`;
    const guards = planTimeGuards(this, construct, role, p.bucketName, props.provider, p.otherCustodyBucket, props.distinctAccountFrom);
    this.bucket = new DataAwsS3Bucket(this, 'Bucket', {
      provider: props.provider,
      bucket: p.bucketName,
      lifecycle: guardLifecycle(guards),
    });
    this.bucket.overrideLogicalId(logicalId);
    this.address = `data.aws_s3_bucket.${logicalId}`;
    CustodyManifest.of(this).addAdoptedStore({ address: this.address, role, key: p.key, app: p.app, retentionDays: p.restorableDays });
    if (role === 'db-backup' && p.restorableDays !== undefined) {
      registerForCoupling(this, { key: p.key, role, facts: this.retentionFacts()! });
    }
  }

  public get bucketName(): string {
    return this.bucket.bucket;
  }

  public get bucketArn(): string {
    return this.bucket.arn;
  }

  /** Retention figures declared for a DB bucket, if any. */
  public retentionFacts(): RetentionFacts | undefined {
    if (this.restorable === undefined) return undefined;
    return { path: this.node.path, days: this.restorable, explain: 'declared restorableDays of the adopted bucket' };
  }
}
