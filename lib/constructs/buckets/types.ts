import type { IConstruct } from 'constructs';
import type { RetentionFacts } from './coupling';

/** The two custody roles a backup bucket can hold. */
export type BackupBucketRole = 'db-backup' | 'key-backup';

/** S3 Object Lock retention modes. */
export type ObjectLockMode = 'GOVERNANCE' | 'COMPLIANCE';

/**
 * What every custody bucket offers, managed ({@link CustodyBucket}: {@link DatabaseBackupBucket},
 * {@link KeyBackupBucket}) or adopted ({@link AdoptedBackupBucket}): its role, the key and app
 * it belongs to, where it is, and the retention figures the coupling check compares.
 */
export interface ICustodyBucket extends IConstruct {
  /** The custody role the bucket holds. */
  readonly role: BackupBucketRole;
  /** Id of the master key the bucket's backups belong to. */
  readonly key: string;
  /** The application the key belongs to. */
  readonly app: string;
  /** Name of the bucket (a token when Terraform generates or reads it). */
  readonly bucketName: string;
  /** ARN of the bucket. */
  readonly bucketArn: string;
  /** The retention figures of the bucket, when known. */
  retentionFacts(): RetentionFacts | undefined;
}

/** What a custody role changes in a managed bucket's defaults. */
export interface RoleDefaults {
  readonly retentionDays: number;
  readonly expireCurrentVersions: boolean;
  readonly objectLockDays: (retentionDays: number) => number;
  readonly objectLockMode: ObjectLockMode;
  readonly multipartWrites: boolean;
  readonly prefixSuffix: string;
  readonly construct: string;
}

/** The defaults that set the two roles apart, and the construct name each role is created by. */
export const ROLE_DEFAULTS: Record<BackupBucketRole, RoleDefaults> = {
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
