/** Every IAM action list, once: what the constructs write into policies and what the access model reads out of them. */
import { GENERATED_ACTIONS } from './actions.generated';

/** The store kinds the access model knows (the model's `Store['kind']`). */
export type StoreKind = 's3' | 'secretsmanager' | 'ssm' | 'other';

/** What a store action gives (decryption comes from the store's KMS key, not from a store action). */
export type StoreAccess = 'read' | 'write' | 'delete' | 'admin';

/**
 * Which ARN of a store an action applies to: the bucket, its objects, either, or (SSM) a
 * path above the parameter (GetParametersByPath is authorized on the path it lists).
 */
export type Level = 'bucket' | 'object' | 'any' | 'path';

export interface ActionSpec {
  /** Lower-case action name. */
  readonly action: string;
  readonly access: StoreAccess;
  readonly level: Level;
}

/** An action row of the generated table as the model compares it. */
const specs = (rows: readonly (readonly [string, string, string])[], service: string): ActionSpec[] =>
  rows.map(([name, access, level]) => ({ action: `${service}:${name}`.toLowerCase(), access: access as StoreAccess, level: level as Level }));

/**
 * The actions that give each kind of access, per store kind: generated from iam-data
 * (scripts/gen-actions.ts), so every action that returns or changes a stored value is here.
 */
export const STORE_ACTIONS: Readonly<Record<StoreKind, readonly ActionSpec[]>> = {
  s3: specs(GENERATED_ACTIONS.s3, 's3'),
  secretsmanager: specs(GENERATED_ACTIONS.secretsmanager, 'secretsmanager'),
  ssm: specs(GENERATED_ACTIONS.ssm, 'ssm'),
  other: [],
};

/** Every KMS action that reveals plaintext (lower case): Decrypt, and ReEncryptFrom into a key the caller holds. */
export const KMS_DECRYPT_ACTIONS: readonly string[] = specs(GENERATED_ACTIONS.kms, 'kms').map((s) => s.action);

/** The action that decrypts with a KMS key, as the access model compares actions (lower case). */
export const KMS_DECRYPT = 'kms:decrypt';
/** The action that assumes a role, as the access model compares actions (lower case). */
export const STS_ASSUME = 'sts:assumerole';

/** Object deletes, as a bucket policy's Deny names them (lower case) to protect history. */
export const DELETE_ACTIONS = ['s3:deleteobject', 's3:deleteobjectversion'];

/**
 * What a KMS key administrator may do: manage the key's life, never use it. Keeping
 * administration and use apart in every key policy is what lets the key's owner be
 * someone other than the backup writer and the restorer.
 */
export const KMS_ADMIN_ACTIONS: readonly string[] = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

/** What writers must never do: delete history, or loosen the rules that keep it. */
export const WRITER_DENIED_ACTIONS: readonly string[] = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:BypassGovernanceRetention',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:PutBucketObjectLockConfiguration',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutBucketVersioning',
  's3:PutLifecycleConfiguration',
  's3:PutEncryptionConfiguration',
  's3:DeleteBucket',
  's3:PutBucketAcl',
  's3:PutObjectAcl',
  's3:PutObjectVersionAcl',
  's3:PutBucketOwnershipControls',
  's3:PutBucketPublicAccessBlock',
  's3:UpdateObjectEncryption',
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

/** What a drill reader may do to the objects of the bucket it restores from: read them. */
export const DRILL_READER_OBJECT_ACTIONS: readonly string[] = RESTORE_S3_OBJECT_ACTIONS;
/** What a drill reader may do to that bucket: list the current objects (no old versions). */
export const DRILL_READER_BUCKET_ACTIONS: readonly string[] = ['s3:ListBucket'];
/** What a drill reader may do with the bucket's key: decrypt, nothing else. */
export const DRILL_READER_KMS_ACTIONS: readonly string[] = ['kms:Decrypt'];

/** What a hot-copy store's admins may do with its key, and only through the store. */
export const HOT_COPY_KMS_WRITE_ACTIONS: readonly string[] = ['kms:Encrypt', 'kms:GenerateDataKey*'];
/** What a hot-copy store's readers may do with its key, and only through the store. */
export const HOT_COPY_KMS_READ_ACTIONS: readonly string[] = ['kms:Decrypt'];
/** What the readers of a Secrets Manager hot copy may do. */
export const SECRET_READ_ACTIONS: readonly string[] = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];
/** The one action a secret's policy denies to everyone but its readers. */
export const SECRET_VALUE_ACTION = 'secretsmanager:GetSecretValue';

/**
 * The KMS operations that use a key's material, as the access model compares actions (lower
 * case): who holds any of them on a key-side key is a principal of the key side.
 */
export const KMS_USE_ACTIONS: readonly string[] = [
  'kms:decrypt',
  'kms:encrypt',
  'kms:reencryptfrom',
  'kms:reencryptto',
  'kms:generatedatakey',
  'kms:generatedatakeywithoutplaintext',
  'kms:generatedatakeypair',
  'kms:generatedatakeypairwithoutplaintext',
];

/** The KMS operations that decide who may use a key (a new key policy, a grant) or destroy it (lower case). */
export const KMS_KEY_ADMIN_ACTIONS: readonly string[] = ['kms:putkeypolicy', 'kms:creategrant', 'kms:schedulekeydeletion'];
