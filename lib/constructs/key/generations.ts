import type { DataAwsS3Objects } from '@cdktf/provider-aws/lib/data-aws-s3-objects';
import type { TerraformProvider, TerraformResource } from 'cdktf';
import type { MasterKey } from './master-key';
import { dataAwsS3Objects } from '../lazy-providers';

// The copies and older generations a MasterKey declares, and the plan-time check of a
// generation's offsite backup.

/** A copy of the key that Terraform does not manage: declared into the custody manifest. */
export interface KeyCopyDeclaration {
  /** What the copy is for, e.g. `cold`, `paper`, `offsite`. */
  readonly kind: string;
  /** The medium, e.g. `nas`, `disk`, `usb`, `paper`, `password-manager`. */
  readonly medium: string;
  /** Where it is: a path (`/mnt/nas/zitadel/masterkey.2025-01-06.age`), a safe, a vault item. */
  readonly location: string;
  /**
   * Whether the copy is outside the site of the production host (3-2-1 needs one).
   * @default false
   */
  readonly offsite?: boolean;
  /**
   * Who holds it (person or team).
   * @default - none recorded
   */
  readonly custodian?: string;
  /**
   * Fingerprint of the key this copy holds (`kcfp1:...` from `key-custody keygen`, checked
   * with `verify-key --fingerprint`): the evidence that the copy exists and is this key.
   * @default - none: the copy is declared without evidence
   */
  readonly fingerprint?: string;
  /**
   * Day the copy was made, `YYYY-MM-DD`.
   * @default - not recorded
   */
  readonly date?: string;
}

/**
 * Where a generation's offsite backup is. KC025 lets a generation become `active` only
 * once its own 3-2-1 copies exist, its offsite backup included; this is how Terraform
 * knows about that backup.
 */
export interface OffsiteBackupProps {
  /**
   * The `aws_s3_object` (in this key's stack) that uploads the generation's encrypted
   * backup (e.g. the age file) into the key-backup bucket, or its Terraform address
   * (`aws_s3_object.zitadel_key_g2`). Upload from a file (`source`), never `content`.
   * @default - none
   */
  readonly object?: TerraformResource | string;
  /**
   * Check at plan time that the backup object exists: a `data.aws_s3_objects` listing
   * (object keys only, never a body, so nothing of the key reaches plan or state) with a
   * postcondition that fails `terraform plan` when the object is missing. Opt in by
   * naming the bucket and the object key; the listing becomes the generation's
   * `offsiteObject` unless `object` is given.
   * @default - no plan-time check
   */
  readonly verify?: {
    /** Name of the key-backup bucket (e.g. `keyBackup.bucket.bucket`). */
    readonly bucket: string;
    /** Object key of the backup, e.g. `zitadel-prod/masterkey.g2.age`. */
    readonly key: string;
    /**
     * AWS provider with read access to the bucket's listing (the key-custody account).
     * @default - the stack's default `aws` provider
     */
    readonly provider?: TerraformProvider;
  };
}

/** A generation of the key older than the one `hotCopy` describes. */
export interface PreviousKeyGeneration {
  /** Generation number, lower than the key's `generation`. */
  readonly generation: number;
  /**
   * `active` while the key's newest generation is `rotating` (the app still needs this
   * one), else `retired`.
   */
  readonly state: 'active' | 'retired';
  /**
   * Absolute host path of this generation's key file (`0400 root:root` in a `0700`
   * directory), e.g. `/etc/zitadel/masterkey.g1`. Needed while the generation is active
   * and a newer one rotates: the app container mounts it (read-only, by path).
   * @default - none (a retired generation usually has no hot copy left)
   */
  readonly hostPath?: string;
  /**
   * This generation's copies outside Terraform (its age file, its paper envelope).
   * @default - none
   */
  readonly copies?: readonly KeyCopyDeclaration[];
  /**
   * SHA-256 of this generation's key file (64 hex characters).
   * @default - none recorded
   */
  readonly fingerprint?: string;
  /**
   * `YYYY-MM-DD` the generation stopped encrypting new data. Required for `retired`.
   * @default - none
   */
  readonly retiredOn?: string;
  /**
   * `YYYY-MM-DD` until which the generation and its backups must be kept (KC022 checks it
   * against the DB-backup retention).
   * @default - retiredOn + dbRetentionDays + 30 days when the key gives dbRetentionDays, else kept indefinitely
   */
  readonly keepUntil?: string;
  /**
   * This generation's offsite backup.
   * @default - none
   */
  readonly offsiteBackup?: OffsiteBackupProps;
}

/**
 * The plan-time check that a generation's offsite backup exists, created in the key's own
 * scope (`OffsiteBackupG<n>` under the MasterKey, as it always was).
 */
export function offsiteCheck(key: MasterKey, v: NonNullable<OffsiteBackupProps['verify']>, generation: number): DataAwsS3Objects {
  const objects = new (dataAwsS3Objects())(key, `OffsiteBackupG${generation}`, {
    provider: v.provider,
    bucket: v.bucket,
    prefix: v.key,
    maxKeys: 1000,
    lifecycle: {
      postcondition: [
        {
          condition: `\${contains(self.keys, ${JSON.stringify(v.key)})}`,
          errorMessage:
            `the offsite backup of key ${key.keyId} generation ${generation} (s3://${v.bucket}/${v.key}) does not exist; ` +
            `upload it before this generation becomes active (KC025), or keep the generation in state "rotating"`,
        },
      ],
    },
  });
  return objects;
}
