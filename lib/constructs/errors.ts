import type { IConstruct } from 'constructs';
import type { RetentionFacts } from './buckets/coupling';
import type { BackupBucketRole } from './buckets/types';
import type { MasterKey } from './key/master-key';

// The errors the constructs throw, as factories: one place to read every message a user can
// get at construct time, and each message written once. Every message starts with the
// construct path and ends with the fix; tests assert the exact texts, so change them only
// together with the tests. (Props errors come from `propsError` in validation.ts: they are
// built from zod's issues.)

// ---------------------------------------------------------------------------------------------
// Keys, buckets, apps and the manifest (key/, buckets/, app/, manifest/)
// ---------------------------------------------------------------------------------------------

/** A rotating or multi-generation key whose profile cannot rotate; `refusal` says why and what to do. */
export function rotationRefused(scope: IConstruct, refusal: string): Error {
  return new Error(`[${scope.node.path}] MasterKey: ${refusal}`);
}

/** `offsiteBackup.object` is a resource of another stack, where KC025 does not look for it. */
export function offsiteObjectInOtherStack(scope: IConstruct, generation: number, objectPath: string): Error {
  return new Error(
    `[${scope.node.path}] MasterKey: offsiteBackup.object of generation ${generation} (${objectPath}) is in another stack; ` +
      'KC025 looks for it in the key\'s own stack: create the aws_s3_object there, or use offsiteBackup.verify { bucket, key } for a plan-time check from this stack',
  );
}

/** A construct asked a key for a generation it does not declare. */
export function noSuchGeneration(key: MasterKey, construct: string, generation: number): Error {
  return new Error(`[${key.node.path}] ${construct}: key "${key.keyId}" has no generation ${generation}`);
}

/** A generation a container must mount has no host file; the fix names the prop of that generation. */
export function generationWithoutHostFile(key: MasterKey, construct: string, generation: number, state: string): Error {
  return new Error(
    `[${key.node.path}] ${construct}: key "${key.keyId}" generation ${generation} (${state}) has no host file to mount; ` +
      (generation === key.generation
        ? `give hotCopy.hostPath (the host path where an agent writes the key, e.g. "/etc/${key.app}/masterkey")`
        : `give previousGenerations[].hostPath for generation ${generation} (e.g. "/etc/${key.app}/masterkey.g${generation}"): the app still runs with it`),
  );
}

/** `MasterKey.grantRead` on a host file, which IAM does not govern. */
export function grantReadOnHostFile(scope: IConstruct, principalArn: string): Error {
  return new Error(
    `[${scope.node.path}] MasterKey.grantRead("${principalArn}"): the hot copy is a host file, which IAM does not govern; ` +
      'give the container access with ProtectedAppContainer instead, or use a "secrets-manager" hot copy',
  );
}

/** `MasterKey.grantRead` with something that is not a principal ARN. */
export function grantReadNotArn(scope: IConstruct, principalArn: string): Error {
  return new Error(
    `[${scope.node.path}] MasterKey.grantRead: "${principalArn}" is not an IAM principal ARN; give one like "arn:aws:iam::123456789012:role/zitadel-host"`,
  );
}

/** `grantRead`/`grantWrite` of a backup bucket with something that is not an IAM principal ARN. */
export function bucketGrantNotArn(scope: IConstruct, construct: string, method: string, arn: string): Error {
  return new Error(`[${scope.node.path}] ${construct}.${method}: "${arn}" is not an IAM principal ARN.\nfix: pass a role or user ARN like "arn:aws:iam::123456789012:role/restore"`);
}

/** A key bucket that does not outlive the DB backups it decrypts plus the margin (KC022 at construct time). */
export function keyBackupsTooShort(key: RetentionFacts, db: RetentionFacts, problems: readonly string[], margin: number, need: number): Error {
  return new Error(
    `[${key.path}] KeyBackupBucket: key backups must outlive the DB backups they decrypt (KC022), but ${problems.join(' and ')}, ` +
      `while the DB backups in [${db.path}] stay restorable ${db.days} days (${db.explain}); ` +
      `${db.days} + ${margin} days margin = ${need} days needed.\n` +
      `fix: set retentionDays and objectLockDays to at least ${need} on [${key.path}], or shorten the DB backups' retentionDays on [${db.path}]`,
  );
}

/** `distinctAccountFrom` names a provider of another stack, which this stack cannot read through. */
export function distinctAccountFromOtherStack(scope: IConstruct, construct: string, providerPath: string, stackId: string): Error {
  return new Error(
    `[${scope.node.path}] ${construct}: distinctAccountFrom is the provider ${providerPath}, which is in another stack; ` +
      `a stack can only read the caller identity through its own providers.\n` +
      `fix: declare a second provider for the other custody account in stack ${stackId} and pass that one`,
  );
}

/** The two custody roles name the same bucket literally (KC010 at construct time). */
export function sameCustodyBucket(scope: IConstruct, construct: string, role: BackupBucketRole, selfName: string, otherRole: BackupBucketRole, other: string): Error {
  return new Error(
    `[${scope.node.path}] ${construct}: the ${role} bucket "${selfName}" is the same bucket as the ${otherRole} bucket "${other}" (KC010): ` +
      `DB backups and key backups must never share a bucket.\nfix: use two buckets, in two accounts with two credentials`,
  );
}

/** An app would start on a rotating generation that has no offsite copy yet. */
export function rotatingWithoutOffsiteCopy(scope: IConstruct, construct: string, keyId: string, generation: number): Error {
  return new Error(
    `[${scope.node.path}] ${construct}: key "${keyId}" generation ${generation} is rotating and the app would encrypt new data with it at once, ` +
      'but it declares no offsite copy yet; back it up first (age copy offsite, key-backup bucket), then declare the copy ' +
      `({ kind: "offsite", medium: "s3", location: "s3://<key-backup bucket>/...", offsite: true } in copies) or offsiteBackup, and deploy the rotation`,
  );
}

/** A protected app of a cloud hot copy without `hostPath`: there is no file to mount. */
export function noHostFileToMount(scope: IConstruct, construct: string, key: MasterKey): Error {
  return new Error(
    `[${scope.node.path}] ${construct}: key "${key.keyId}" has a ${key.hotCopyKind} hot copy without hostPath, so there is no file to mount; ` +
      `give hotCopy.hostPath (the host path where an agent writes the key, e.g. "/etc/${key.app}/masterkey")`,
  );
}

/** A KeyFileCheck of a cloud hot copy without `hostPath`: there is no file to check. */
export function noHostFileToCheck(scope: IConstruct, key: MasterKey): Error {
  return new Error(
    `[${scope.node.path}] KeyFileCheck: key "${key.keyId}" has a ${key.hotCopyKind} hot copy without hostPath, so there is no host file to check; ` +
      'give hotCopy.hostPath (where the host agent writes the key), or drop the check',
  );
}

/**
 * The app's profile has no image and the construct was given none either (`prop` names the
 * image prop). RecoveryDrill says the same in another shape today (`names no image.\nfix:
 * give appImage, ...`); one text for all three changes a message, so it is left to the merge.
 */
export function namesNoImage(scope: IConstruct, construct: string, profile: string, prop: string): Error {
  return new Error(`[${scope.node.path}] ${construct}: profile "${profile}" names no image; give ${prop}, e.g. ${prop}: "registry/app:1.2.3"`);
}

/** A Swarm service of a rotating Zitadel v5 key needs the old key's secret too. */
export function missingOldSwarmSecret(scope: IConstruct, key: MasterKey, old: { readonly generation: number; readonly source: string }): Error {
  return new Error(
    `[${scope.node.path}] ProtectedAppService: key "${key.keyId}" is rotating and the app needs the old key (generation ${old.generation}) as well; ` +
      `create it out of band (\`docker secret create ${key.app}-masterkey-g${old.generation} ${old.source}\`) and give oldSwarmSecret { secretId, secretName }`,
  );
}

/** A suppression of a rule id the catalogue does not know. */
export function unknownRuleId(scope: IConstruct, id: string): Error {
  return new Error(`[${scope.node.path}] CustodySuppressions: unknown rule id "${id}"; use one of the ids listed in RULES.md`);
}

/** A suppression of a rule that guards against losing or leaking the key outright. */
export function unsuppressibleRule(scope: IConstruct, id: string, rule: { readonly title: string; readonly fix: string }): Error {
  return new Error(
    `[${scope.node.path}] CustodySuppressions: ${id} (${rule.title}) cannot be suppressed: it guards against losing or leaking the key outright. Fix the finding instead: ${rule.fix}`,
  );
}
