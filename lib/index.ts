// The public API: the constructs, the synth-time check, suppressions, app profiles and the
// check API. Everything else is internal, or reachable through a subpath export
// (`cdktf-key-custody/report`, `/policy`, `/keyfile`; see package.json "exports").

// Constructs.
export { MasterKeyCustody, MasterKeyCustodyPart, type MasterKeyCustodyProps, type ExistingDbBucketOptions } from './constructs/master-key-custody';
export { MasterKey, type MasterKeyProps } from './constructs/key/master-key';
export type { HotCopy, HostFileHotCopy, SecretsManagerHotCopy, SsmHotCopy } from './constructs/key/hot-copy';
export type { KeyCopyDeclaration, OffsiteBackupProps, PreviousKeyGeneration } from './constructs/key/generations';
export type { KeyGeneration, GenerationState, KeyMount } from './constructs/key/rotation';
export { EphemeralKeyInput, type EphemeralKeyInputProps } from './constructs/key/ephemeral-key-input';
export { RotationRunbook, type RotationRunbookProps } from './constructs/key/rotation-runbook';
export { ProtectedAppContainer, type ProtectedAppContainerProps } from './constructs/app/protected-app-container';
export { ProtectedAppService, type ProtectedAppServiceProps, type SwarmSecretRef } from './constructs/app/protected-app-service';
export type { ProtectedAppCommonProps, KeyPassingProps } from './constructs/app/key-mount';
export { KeyFileCheck, type KeyFileCheckProps } from './constructs/app/key-file-check';
export { CustodyBucket, type CustodyBucketProps, type CustodyRoleTrust, type WriterAccessKeyOptions } from './constructs/buckets/custody-bucket';
export { DatabaseBackupBucket, type DatabaseBackupBucketProps } from './constructs/buckets/database-backup-bucket';
export { KeyBackupBucket, type KeyBackupBucketProps } from './constructs/buckets/key-backup-bucket';
export { AdoptedBackupBucket, type AdoptedBackupBucketProps, type ExistingBucketProps } from './constructs/buckets/adopted-backup-bucket';
export type { BackupBucketRole, ICustodyBucket, ObjectLockMode } from './constructs/buckets/types';
export {
  RecoveryDrill,
  DrillReader,
  DRILL_METRIC_NAMESPACE,
  DRILL_METRIC_NAME,
  DRILL_RUNBOOK_FILE,
  type RecoveryDrillProps,
  type DrillCredentialSource,
  type DrillSubscriber,
} from './constructs/drill/recovery-drill';
export { CustodyManifest } from './constructs/manifest/custody-manifest';

// The synth-time check and suppressions.
export { KeyCustody, KeyCustodyCheck, type KeyCustodyOptions } from './synth/custody-check';
export { CustodySuppressions, type CustodySuppression } from './constructs/manifest/suppressions';

// App profiles.
export * from './profiles';

// The check API: Terraform JSON -> model -> findings, as `key-custody check` runs it.
export { loadTerraformJson } from './model/load/cdktf-json';
export { loadPlanJson } from './model/load/plan';
export { buildModel } from './model/build';
export { runRules, blocking, formatFinding, type CheckResult, type EngineOptions } from './rules/engine';
export { ALL_RULES } from './rules';
export { ruleById } from './rules/catalogue';
export type { CustodyRule, RuleViolation } from './rules/rule';
export type { CustodyModel, Finding, Severity, TfDocument } from './model/types';
