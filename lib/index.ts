// Public API: re-exports only.
export * from './model/types';
export { buildModel } from './model/build';
export { loadTerraformJson } from './model/load';
export { MANIFEST_KIND } from './model/manifest';
export * from './rules/rule';
export { runRules, blocking, formatFinding, type CheckResult, type EngineOptions } from './rules/engine';
export { ALL_RULES } from './rules';
export * from './profiles';
export { KeyCustody, KeyCustodyCheck, type KeyCustodyOptions } from './synth/custody-check';
export { CustodyManifest } from './constructs/custody-manifest';
export { CustodySuppressions, type CustodySuppression } from './constructs/suppressions';
