// The S3 and KMS actions the bucket and key policies of a custody bucket grant and deny.
// (lib/policy/perms.ts is to hold every action list once; these move there.)

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

/** What a writer may do to the bucket: add objects. */
export const WRITER_S3_ACTIONS = ['s3:PutObject'];
/** What a restore principal may do to the objects: read them, old versions included. */
export const RESTORE_S3_OBJECT_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'];
/** What a restore principal may do to the bucket: list objects and versions. */
export const RESTORE_S3_BUCKET_ACTIONS = ['s3:ListBucket', 's3:ListBucketVersions'];
/** What a restore principal may do with the bucket's key. */
export const RESTORE_KMS_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];

/** What a writer may do with the bucket's key; multipart uploads also need to decrypt the parts. */
export function writerKmsActions(multipart: boolean): string[] {
  return multipart ? ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'] : ['kms:GenerateDataKey', 'kms:Encrypt'];
}
