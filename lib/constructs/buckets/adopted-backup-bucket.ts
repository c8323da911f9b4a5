import type { DataAwsS3Bucket } from '@cdktf/provider-aws/lib/data-aws-s3-bucket';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CustodyManifest } from '../manifest/custody-manifest';
import { adoptedBucketSchema } from '../props';
import { parseProps } from '../validation';
import { registerForCoupling, type RetentionFacts } from './coupling';
import { guardLifecycle, planTimeGuards } from './guards';
import { slug } from './names';
import { ROLE_DEFAULTS, type BackupBucketRole, type ICustodyBucket } from './types';
import { dataAwsS3Bucket } from '../lazy-providers';
import { brand } from '../../synth/identity';

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

/**
 * An existing bucket adopted into a custody role. It is read with `data.aws_s3_bucket` at a
 * stable, readable address (`data.aws_s3_bucket.adopted_<role>_<id>`) and declared in the
 * stack's custody manifest, so the rules treat it as a store of that role.
 */
export class AdoptedBackupBucket extends Construct implements ICustodyBucket {
  public readonly role: BackupBucketRole;
  public readonly key: string;
  public readonly app: string;
  public readonly bucket: DataAwsS3Bucket;
  /** The data source's Terraform address, as the manifest records it. */
  public readonly address: string;
  private readonly restorable?: number;

  constructor(scope: Construct, id: string, role: BackupBucketRole, props: AdoptedBackupBucketProps) {
    super(scope, id);
    brand(this, 'AdoptedBackupBucket');
    const construct = `${ROLE_DEFAULTS[role].construct}.fromExistingBucket`;
    const p = parseProps(construct, this, adoptedBucketSchema(), { ...props, provider: undefined, distinctAccountFrom: undefined }, 'give { bucketName, key, app }');
    this.role = role;
    this.key = p.key;
    this.app = p.app;
    this.restorable = p.restorableDays;
    const logicalId = `adopted_${slug(role)}_${slug(id)}`;
    const guards = planTimeGuards(this, construct, role, p.bucketName, props.provider, p.otherCustodyBucket, props.distinctAccountFrom);
    this.bucket = new (dataAwsS3Bucket())(this, 'Bucket', {
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
