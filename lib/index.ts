// Public API: re-exports only.
export * from './model/types';
export { buildModel } from './model/build';
export { loadTerraformJson } from './model/load';
export { MANIFEST_KIND } from './model/manifest';
export * from './rules/rule';
export { runRules, blocking, formatFinding, type CheckResult, type EngineOptions } from './rules/engine';
export { ALL_RULES } from './rules';
export { ruleById } from './rules/catalogue';
export * from './profiles';
export { KeyCustody, KeyCustodyCheck, type KeyCustodyOptions } from './synth/custody-check';
export { CustodyManifest } from './constructs/custody-manifest';
export { CustodySuppressions, type CustodySuppression } from './constructs/suppressions';
export {
  MasterKey,
  type MasterKeyProps,
  type HotCopy,
  type HostFileHotCopy,
  type SecretsManagerHotCopy,
  type SsmHotCopy,
  type KeyCopyDeclaration,
} from './constructs/master-key';
export { EphemeralKeyInput, type EphemeralKeyInputProps } from './constructs/ephemeral-key-input';
export { KeyFileCheck, type KeyFileCheckProps } from './constructs/key-file-check';
export { ProtectedAppContainer, type ProtectedAppContainerProps, type ProtectedAppCommonProps, type KeyPassingProps } from './constructs/key-mount';
export { ProtectedAppService, type ProtectedAppServiceProps, type SwarmSecretRef } from './constructs/protected-app-service';
export {
  CustodyBucket,
  DatabaseBackupBucket,
  KeyBackupBucket,
  AdoptedBackupBucket,
  assertKeyOutlivesDb,
  RETENTION_MARGIN_DAYS,
  WRITER_DENIED_ACTIONS,
  RESTORE_DENIED_ACTIONS,
  type CustodyBucketProps,
  type DatabaseBackupBucketProps,
  type KeyBackupBucketProps,
  type AdoptedBackupBucketProps,
  type ExistingBucketProps,
  type CustodyRoleTrust,
  type WriterAccessKeyOptions,
  type BackupBucketRole,
  type ObjectLockMode,
  type RetentionFacts,
} from './constructs/backup-bucket';
export { summarizeModel, forStack, renderMarkdown, renderJsonReport, renderJsonCheck, renderText, type ReportData } from './report';
export { verifyKeyFile, type VerifyKeyResult } from './cli/verify-key';
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
} from './constructs/recovery-drill';
export { nextCronRun } from './policy/schedule';
export { generationForDate, type KeyGeneration, type GenerationState } from './constructs/rotation';
export { RotationRunbook, rotationRunbookFileName, renderRotationRunbook, type RotationRunbookProps } from './constructs/rotation-runbook';
export type { OffsiteBackupProps, PreviousKeyGeneration } from './constructs/master-key';
export { MasterKeyCustody, MasterKeyCustodyPart, type MasterKeyCustodyProps, type ExistingDbBucketOptions } from './constructs/master-key-custody';
