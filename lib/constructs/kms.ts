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
