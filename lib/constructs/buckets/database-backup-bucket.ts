import type { Construct } from 'constructs';
import { AdoptedBackupBucket, type ExistingBucketProps } from './adopted-backup-bucket';
import { CustodyBucket, type CustodyBucketProps } from './custody-bucket';

/** Props of {@link DatabaseBackupBucket}. */
export type DatabaseBackupBucketProps = CustodyBucketProps;

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
