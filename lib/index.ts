// Public API: re-exports only.
export * from './model/types';
export { buildModel } from './model/build';
export { loadTerraformJson } from './model/load/cdktf-json';
export { MANIFEST_KIND } from './model/manifest';
export * from './rules/rule';
export { runRules, blocking, formatFinding, type CheckResult, type EngineOptions } from './rules/engine';
export { ALL_RULES } from './rules';
export { ruleById } from './rules/catalogue';
export * from './profiles';
export { KeyCustody, KeyCustodyCheck, type KeyCustodyOptions } from './synth/custody-check';
export { CustodyManifest } from './constructs/manifest/custody-manifest';
export { CustodySuppressions, type CustodySuppression } from './constructs/manifest/suppressions';
export { MasterKey, type MasterKeyProps } from './constructs/key/master-key';
export type { HotCopy, HostFileHotCopy, SecretsManagerHotCopy, SsmHotCopy } from './constructs/key/hot-copy';
export type { KeyCopyDeclaration } from './constructs/key/generations';
export { EphemeralKeyInput, type EphemeralKeyInputProps } from './constructs/key/ephemeral-key-input';
export { KeyFileCheck, type KeyFileCheckProps } from './constructs/app/key-file-check';
export type { ProtectedAppCommonProps, KeyPassingProps } from './constructs/app/key-mount';
export { ProtectedAppContainer, type ProtectedAppContainerProps } from './constructs/app/protected-app-container';
export { ProtectedAppService, type ProtectedAppServiceProps, type SwarmSecretRef } from './constructs/app/protected-app-service';
export { CustodyBucket, type CustodyBucketProps, type CustodyRoleTrust, type WriterAccessKeyOptions } from './constructs/buckets/custody-bucket';
export { DatabaseBackupBucket, type DatabaseBackupBucketProps } from './constructs/buckets/database-backup-bucket';
export { KeyBackupBucket, type KeyBackupBucketProps } from './constructs/buckets/key-backup-bucket';
export { AdoptedBackupBucket, type AdoptedBackupBucketProps, type ExistingBucketProps } from './constructs/buckets/adopted-backup-bucket';
export { assertKeyOutlivesDb, RETENTION_MARGIN_DAYS, type RetentionFacts } from './constructs/buckets/coupling';
export { WRITER_DENIED_ACTIONS, RESTORE_DENIED_ACTIONS } from './policy/perms';
export type { BackupBucketRole, ObjectLockMode, ICustodyBucket } from './constructs/buckets/types';
export { summarizeModel, forStack, renderMarkdown, renderJsonReport, renderJsonCheck, renderText, type ReportData } from './report';
export { verifyKeyFile, type VerifyKeyResult } from './keyfile/verify';
export {
  RecoveryDrill,
  DrillReader,
  DRILL_METRIC_NAMESPACE,
  DRILL_METRIC_NAME,
  DRILL_RUNBOOK_FILE,
  DEFAULT_DRILL_SCHEDULE,
  type RecoveryDrillProps,
  type DrillCredentialSource,
  type DrillSubscriber,
} from './constructs/drill/recovery-drill';
export { nextCronRun } from './policy/schedule';
export { generationForDate, type KeyGeneration, type GenerationState } from './constructs/key/rotation';
export { RotationRunbook, rotationRunbookFileName, renderRotationRunbook, type RotationRunbookProps } from './constructs/key/rotation-runbook';
export type { OffsiteBackupProps, PreviousKeyGeneration } from './constructs/key/generations';
export { MasterKeyCustody, MasterKeyCustodyPart, type MasterKeyCustodyProps, type ExistingDbBucketOptions } from './constructs/master-key-custody';
