import type { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import type { IamAccessKey } from '@cdktf/provider-aws/lib/iam-access-key';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { IamUser } from '@cdktf/provider-aws/lib/iam-user';
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
import { Lazy, Token, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { TAG_APP, TAG_KEY, TAG_ROLE } from '../../policy/tags';
import { bucketGrantNotArn } from '../errors';
import { KMS_ADMIN_ACTIONS } from '../../policy/perms';
import { CustodyManifest } from '../manifest/custody-manifest';
import { custodyBucketSchema } from '../props';
import { parseProps } from '../validation';
import {
  RESTORE_DENIED_ACTIONS,
  RESTORE_KMS_ACTIONS,
  RESTORE_S3_BUCKET_ACTIONS,
  RESTORE_S3_OBJECT_ACTIONS,
  WRITER_DENIED_ACTIONS,
  WRITER_S3_ACTIONS,
  writerKmsActions,
} from '../../policy/perms';
import { registerForCoupling, type RetentionFacts } from './coupling';
import { guardLifecycle, planTimeGuards } from './guards';
import { ACCOUNT_ID, defaultPrefix, IAM_ARN } from './names';
import { ROLE_DEFAULTS, type BackupBucketRole, type ICustodyBucket, type ObjectLockMode } from './types';
import { dataAwsCallerIdentity, dataAwsIamSessionContext, iamAccessKey, iamUser, iamUserPolicy } from '../lazy-providers';
import { brand } from '../../synth/identity';
import { recordGrant } from '../../synth/sources';

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
export abstract class CustodyBucket extends Construct implements ICustodyBucket {
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
    brand(this, 'CustodyBucket');
    brand(this, role === 'key-backup' ? 'KeyBackupBucket' : 'DatabaseBackupBucket');
    const d = ROLE_DEFAULTS[role];
    this.construct = d.construct;
    const fix = 'see the prop documentation of ' + d.construct;
    const p = parseProps(d.construct, this, custodyBucketSchema(), { ...props, provider: undefined, distinctAccountFrom: undefined }, fix);
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
    const callerIdentity = () => (caller ??= new (dataAwsCallerIdentity())(this, 'Caller', { provider }));
    const account = p.accountId ?? callerIdentity().accountId;
    const accountRoot = `arn:${this.partition}:iam::${account}:root`;
    if (p.admins) {
      this.admins = [...p.admins];
    } else {
      // Without the deployer in the allow-list, the deny-all-but statement would lock
      // Terraform itself out of the bucket after the first apply.
      const session = new (dataAwsIamSessionContext())(this, 'Deployer', { provider, arn: callerIdentity().arn });
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
      this.writerUser = new (iamUser())(this, 'WriterUser', {
        provider,
        name: defaultPrefix(p.app, p.key, `${d.prefixSuffix}-writer`, 64).replace(/-$/, ''),
        tags: { ...tags, 'custody:access': 'writer' },
      });
      new (iamUserPolicy())(this, 'WriterUserPolicy', { provider, user: this.writerUser.name, name: 'custody-writer', policy: this.writerPolicy(multipart) });
      this.writerAccessKey = new (iamAccessKey())(this, 'WriterAccessKey', { provider, user: this.writerUser.name, pgpKey: p.writerAccessKey.pgpKey });
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
    recordGrant(this, this.role === 'key-backup' ? 'KeyBackupBucket' : 'DatabaseBackupBucket', 'grantRead', principalArn);
  }

  /**
   * Let another principal write backups: `s3:PutObject` and encryption with this bucket's
   * key, never deletes. The principal joins the allow-list and the writers' deny statement.
   */
  public grantWrite(principalArn: string): void {
    this.checkArn('grantWrite', principalArn);
    if (!this.writers.includes(principalArn)) this.writers.push(principalArn);
    recordGrant(this, this.role === 'key-backup' ? 'KeyBackupBucket' : 'DatabaseBackupBucket', 'grantWrite', principalArn);
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
      throw bucketGrantNotArn(this, this.construct, method, arn);
    }
  }

  private createRole(id: string, access: 'writer' | 'restore', trust: CustodyRoleTrust | undefined, accountRoot: string, tags: Record<string, string>): IamRole {
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
