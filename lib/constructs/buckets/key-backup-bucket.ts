import type { Construct } from 'constructs';
import { AdoptedBackupBucket, type ExistingBucketProps } from './adopted-backup-bucket';
import { hasBrand } from '../../synth/identity';
import { assertKeyOutlivesDb, type RetentionFacts } from './coupling';
import { CustodyBucket, type CustodyBucketProps } from './custody-bucket';
import type { DatabaseBackupBucket } from './database-backup-bucket';

/** Props of {@link KeyBackupBucket}. */
export type KeyBackupBucketProps = CustodyBucketProps;

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
    const facts = hasBrand<CustodyBucket>(db, 'CustodyBucket') || hasBrand<AdoptedBackupBucket>(db, 'AdoptedBackupBucket') ? db.retentionFacts() : db;
    if (!facts) return;
    assertKeyOutlivesDb(this.retentionFacts(), facts);
  }
}
