import type { IConstruct } from 'constructs';
import type { RetentionFacts } from './buckets/coupling';
import type { BackupBucketRole } from './buckets/types';
import type { MasterKey } from './key/master-key';
import { constructError, redactedError } from './validation';

// The errors the constructs throw, as factories: one place to read every message a user can
// get at construct time, and each message written once. Every message starts with the
// construct path and ends with the fix; tests assert the exact texts, so change them only
// together with the tests. (Props errors come from `propsError` in validation.ts: they are
// built from zod's issues.) Every message goes through `constructError`/`redactedError`, which
// redact whatever looks like key material (lib/policy/key-material.ts) and escape control
// characters: a value a user typed may be a pasted key, whichever prop it was typed into.

// --- drill and custody L3 (RecoveryDrill, MasterKeyCustody, key generations) ---
//
// The texts are unchanged from the inline errors they replace (tests match on them): the
// construct's path and name, what was wrong with which prop and value, and a `fix:` line.

/** `[<path>] <Construct>: <text>`, the shape of every construct refusal. */
function refusal(scope: IConstruct, construct: string, text: string): Error {
  return constructError(scope, construct, text);
}

/** RecoveryDrill: a bucket of another key than the drill's. */
export function drillBucketsOfOtherKey(scope: IConstruct, keyBucketKey: string, dbBucketKey: string, keyId: string): Error {
  return refusal(
    scope,
    'RecoveryDrill',
    `the buckets belong to keys "${keyBucketKey}" (key bucket) and "${dbBucketKey}" (DB bucket), but the drill restores key "${keyId}".\n` +
      `fix: pass the KeyBackupBucket and DatabaseBackupBucket created with key: "${keyId}"`,
  );
}

/** RecoveryDrill: an adopted DB bucket, and no `dbReaderArn` to restore with. */
export function drillAdoptedDbBucketNeedsReader(scope: IConstruct, bucketPath: string): Error {
  return refusal(
    scope,
    'RecoveryDrill',
    `the DB bucket ${bucketPath} is adopted, so this construct cannot grant a reader on it.\n` +
      'fix: grant a read-only role on the bucket where it is managed (s3:GetObject, s3:ListBucket, kms:Decrypt; nothing on the key bucket) and pass its ARN as dbReaderArn',
  );
}

/** RecoveryDrill: keyBucket and dbBucket are one bucket. */
export function drillOneBucketForBoth(scope: IConstruct): Error {
  return refusal(scope, 'RecoveryDrill', 'keyBucket and dbBucket must be two different managed buckets.\nfix: pass the KeyBackupBucket and the DatabaseBackupBucket of the key');
}

/** RecoveryDrill: the two restore jobs would use one host folder or one profile. */
export function drillSharedCredentials(scope: IConstruct, keyCreds: { hostDir: string; profile: string }, dbCreds: { hostDir: string }): Error {
  return refusal(
    scope,
    'RecoveryDrill',
    `the key-restore and DB-restore jobs would share credentials (${keyCreds.hostDir === dbCreds.hostDir ? `host folder "${keyCreds.hostDir}"` : `profile "${keyCreds.profile}"`}); one credential reading both backups is the 1-2 backup custody separation forbids (KC011).\n` +
      'fix: give keyCredentials and dbCredentials different hostDir and profile values',
  );
}

/** RecoveryDrill: a credentials folder that holds the key's hot copy. */
export function drillCredentialsHoldHotCopy(scope: IConstruct, hostDir: string, hotCopyPath: string): Error {
  return refusal(
    scope,
    'RecoveryDrill',
    `credentials folder "${hostDir}" contains the hot copy ${hotCopyPath} of the key (KC031).\nfix: keep drill credentials in a folder of their own, e.g. /etc/key-custody/drill/...`,
  );
}

const SCRATCH_PROVIDER_FIX =
  'fix: declare a docker provider of its own for the drill, e.g. new DockerProvider(stack, "scratch", { alias: "scratch", host: "ssh://deploy@scratch.example.com" }), and pass it as scratchProvider';

/**
 * RecoveryDrill: the scratch provider is (or points where) a production app's provider is.
 * `same` says how: "is the same provider object", "has the same alias ...", "points at ...".
 */
export function drillScratchIsProduction(scope: IConstruct, scratchPath: string, same: string, productionPath: string, productionRef: string): Error {
  return refusal(
    scope,
    'RecoveryDrill',
    `scratchProvider ${scratchPath} ${same} as ${productionPath}, the production app's docker provider (${productionRef}); ` +
      'the drill would restore onto the production host (KC031/KC032).\n' +
      SCRATCH_PROVIDER_FIX,
  );
}

/** RecoveryDrill: a default (unaliased) docker provider as the scratch provider. */
export function drillScratchWithoutAlias(scope: IConstruct, scratchPath: string): Error {
  return refusal(
    scope,
    'RecoveryDrill',
    `scratchProvider ${scratchPath} has no alias; the drill runs on a docker provider alias of its own, never on the stack's default docker provider.\n${SCRATCH_PROVIDER_FIX}`,
  );
}

/** RecoveryDrill: the scratch provider is declared in another stack than the docker part. */
export function drillScratchInOtherStack(scope: IConstruct, scratchPath: string, scratchStack: string, dockerStack: string): Error {
  return refusal(
    scope,
    'RecoveryDrill',
    `scratchProvider ${scratchPath} is in stack "${scratchStack}", but the docker part is in stack "${dockerStack}".\nfix: declare the scratch provider in the stack of dockerScope`,
  );
}

/** MasterKeyCustody: no appStack and no enclosing stack. */
export function custodyWithoutAppStack(scope: IConstruct): Error {
  return refusal(
    scope,
    'MasterKeyCustody',
    'appStack is missing and the construct is not inside a stack, so there is no stack for the app container and the key.\n' +
      'fix: pass appStack: the TerraformStack of the production docker host (or create the construct inside that stack)',
  );
}

/** MasterKeyCustody: created in one stack with appStack naming another. */
export function custodyOutsideAppStack(scope: IConstruct, ownStack: string, appStack: string): Error {
  return refusal(
    scope,
    'MasterKeyCustody',
    `the construct is in stack "${ownStack}" but appStack is "${appStack}".\n` + 'fix: create the construct in the app stack (or at the app root), or leave appStack out',
  );
}

/** MasterKeyCustody: key backups and DB backups pinned to one AWS account. */
export function custodyBackupsInOneAccount(scope: IConstruct, accountId: string): Error {
  return refusal(
    scope,
    'MasterKeyCustody',
    `key backups and DB backups would both live in AWS account ${accountId}. ` +
      'In one account, one administrator credential reaches both: the 1-2 backup custody separation forbids (KC011/KC013).\n' +
      'fix: put the key-backup bucket and the DB-backup bucket in two different AWS accounts (keyCustodyProvider / dbBackupProvider pinned with allowedAccountIds)',
  );
}

/** MasterKeyCustody: the two buckets have the same literal name. */
export function custodyBucketsShareName(scope: IConstruct, bucketName: string): Error {
  return refusal(
    scope,
    'MasterKeyCustody',
    `the key-backup bucket and the DB-backup bucket are both named "${bucketName}" (KC010): DB backups and key backups never share a bucket.\n` +
      'fix: give the two buckets different names, in two accounts',
  );
}

/** MasterKeyCustody: an adopted DB bucket without `existingDbBucket.drillReaderArn`. */
export function custodyAdoptedBucketWithoutDrillReader(scope: IConstruct, bucketName: string | undefined): Error {
  return refusal(
    scope,
    'MasterKeyCustody',
    `the adopted DB-backup bucket "${bucketName}" has no drill reader. The recovery drill restores a DB backup with a ` +
      'read-only principal of its own; this construct cannot grant one on a bucket it does not manage.\n' +
      'fix: grant a read-only role on the bucket (s3:GetObject, s3:ListBucket, kms:Decrypt) where it is managed, and pass its ARN as existingDbBucket.drillReaderArn',
  );
}

/** MasterKeyCustody: another construct already holds this construct's id in a part's stack. */
export function custodyIdTaken(scope: IConstruct, stack: string, id: string): Error {
  return refusal(scope, 'MasterKeyCustody', `stack "${stack}" already has a construct named "${id}".\nfix: give this MasterKeyCustody another id`);
}

/** MasterKeyCustody: two roles given one stack; `roleA`/`roleB` say what each holds, `why` what that breaks. */
export function custodyStacksShared(scope: IConstruct, a: string, b: string, stack: string, roleA: string, roleB: string, why: string | undefined): Error {
  return refusal(
    scope,
    'MasterKeyCustody',
    `${a} and ${b} are the same stack "${stack}" (${roleA} and ${roleB}): ${why}.\n` +
      `fix: give ${roleA} and ${roleB} a stack each, each with its own provider (account, credentials) and backend; ` +
      'if you really want another layout, compose MasterKey, KeyBackupBucket, DatabaseBackupBucket, ProtectedAppContainer and RecoveryDrill by hand',
  );
}

/** MasterKeyCustody: the drill's AWS part in the stack of a custody bucket or the app. */
export function custodyDrillAwsStackShared(scope: IConstruct, stack: string, other: string, role: string): Error {
  return refusal(
    scope,
    'MasterKeyCustody',
    `drillAwsStack is the same stack "${stack}" as ${other} (${role}); the drill's schedule and alarm belong in a stack of their own.\n` +
      'fix: give drillAwsStack a stack of its own (or leave it out to keep them in drillStack)',
  );
}

/** Key generations: validation let through a key with no active generation (a bug, not a user error). */
export function noActiveGeneration(): Error {
  return new Error('internal: a key without an active generation passed validation');
}

/** generationFor: the backup date is neither `YYYY-MM-DD` nor a Date. */
export function notABackupDate(backupDate: string | Date): Error {
  return redactedError(`generationFor: "${String(backupDate)}" is not a YYYY-MM-DD date (or a Date)`, [String(backupDate)]);
}

/** Key generations: an old-key-file rotation of a profile that passes the key by variable. */
export function oldKeyFileNeedsFlag(profile: string): Error {
  return redactedError(`profile "${profile}": an old-key-file rotation needs a flag-passed key (passing.kind "flag")`);
}

// --- end drill and custody L3 ---

// ---------------------------------------------------------------------------------------------
// Keys, buckets, apps and the manifest (key/, buckets/, app/, manifest/)
// ---------------------------------------------------------------------------------------------

/** A rotating or multi-generation key whose profile cannot rotate; `refusal` says why and what to do. */
export function rotationRefused(scope: IConstruct, refusal: string): Error {
  return constructError(scope, 'MasterKey', refusal);
}

/** `offsiteBackup.object` is a resource of another stack, where KC025 does not look for it. */
export function offsiteObjectInOtherStack(scope: IConstruct, generation: number, objectPath: string): Error {
  return constructError(
    scope,
    'MasterKey',
    `offsiteBackup.object of generation ${generation} (${objectPath}) is in another stack; ` +
      'KC025 looks for it in the key\'s own stack: create the aws_s3_object there, or use offsiteBackup.verify { bucket, key } for a plan-time check from this stack',
  );
}

/** A construct asked a key for a generation it does not declare. */
export function noSuchGeneration(key: MasterKey, construct: string, generation: number): Error {
  return constructError(key, construct, `key "${key.keyId}" has no generation ${generation}`);
}

/** A generation a container must mount has no host file; the fix names the prop of that generation. */
export function generationWithoutHostFile(key: MasterKey, construct: string, generation: number, state: string): Error {
  return constructError(
    key,
    construct,
    `key "${key.keyId}" generation ${generation} (${state}) has no host file to mount; ` +
      (generation === key.generation
        ? `give hotCopy.hostPath (the host path where an agent writes the key, e.g. "/etc/${key.app}/masterkey")`
        : `give previousGenerations[].hostPath for generation ${generation} (e.g. "/etc/${key.app}/masterkey.g${generation}"): the app still runs with it`),
  );
}

/** `MasterKey.grantRead` on a host file, which IAM does not govern. */
export function grantReadOnHostFile(scope: IConstruct, principalArn: string): Error {
  return constructError(
    scope,
    `MasterKey.grantRead("${principalArn}")`,
    `the hot copy is a host file, which IAM does not govern; ` +
      'give the container access with ProtectedAppContainer instead, or use a "secrets-manager" hot copy',
    [principalArn],
  );
}

/** `MasterKey.grantRead` with something that is not a principal ARN. */
export function grantReadNotArn(scope: IConstruct, principalArn: string): Error {
  return constructError(scope, 'MasterKey.grantRead', `"${principalArn}" is not an IAM principal ARN; give one like "arn:aws:iam::123456789012:role/zitadel-host"`, [principalArn]);
}

/** `grantRead`/`grantWrite` of a backup bucket with something that is not an IAM principal ARN. */
export function bucketGrantNotArn(scope: IConstruct, construct: string, method: string, arn: string): Error {
  return constructError(scope, `${construct}.${method}`, `"${arn}" is not an IAM principal ARN.\nfix: pass a role or user ARN like "arn:aws:iam::123456789012:role/restore"`, [arn]);
}

/** A key bucket that does not outlive the DB backups it decrypts plus the margin (KC022 at construct time). */
export function keyBackupsTooShort(key: RetentionFacts, db: RetentionFacts, problems: readonly string[], margin: number, need: number): Error {
  return redactedError(
    `[${key.path}] KeyBackupBucket: key backups must outlive the DB backups they decrypt (KC022), but ${problems.join(' and ')}, ` +
      `while the DB backups in [${db.path}] stay restorable ${db.days} days (${db.explain}); ` +
      `${db.days} + ${margin} days margin = ${need} days needed.\n` +
      `fix: set retentionDays and objectLockDays to at least ${need} on [${key.path}], or shorten the DB backups' retentionDays on [${db.path}]`,
  );
}

/** `distinctAccountFrom` names a provider of another stack, which this stack cannot read through. */
export function distinctAccountFromOtherStack(scope: IConstruct, construct: string, providerPath: string, stackId: string): Error {
  return constructError(
    scope,
    construct,
    `distinctAccountFrom is the provider ${providerPath}, which is in another stack; ` +
      `a stack can only read the caller identity through its own providers.\n` +
      `fix: declare a second provider for the other custody account in stack ${stackId} and pass that one`,
  );
}

/** The two custody roles name the same bucket literally (KC010 at construct time). */
export function sameCustodyBucket(scope: IConstruct, construct: string, role: BackupBucketRole, selfName: string, otherRole: BackupBucketRole, other: string): Error {
  return constructError(
    scope,
    construct,
    `the ${role} bucket "${selfName}" is the same bucket as the ${otherRole} bucket "${other}" (KC010): ` +
      `DB backups and key backups must never share a bucket.\nfix: use two buckets, in two accounts with two credentials`,
  );
}

/** An app would start on a rotating generation that has no offsite copy yet. */
export function rotatingWithoutOffsiteCopy(scope: IConstruct, construct: string, keyId: string, generation: number): Error {
  return constructError(
    scope,
    construct,
    `key "${keyId}" generation ${generation} is rotating and the app would encrypt new data with it at once, ` +
      'but it declares no offsite copy yet; back it up first (age copy offsite, key-backup bucket), then declare the copy ' +
      `({ kind: "offsite", medium: "s3", location: "s3://<key-backup bucket>/...", offsite: true } in copies) or offsiteBackup, and deploy the rotation`,
  );
}

/** A protected app of a cloud hot copy without `hostPath`: there is no file to mount. */
export function noHostFileToMount(scope: IConstruct, construct: string, key: MasterKey): Error {
  return constructError(
    scope,
    construct,
    `key "${key.keyId}" has a ${key.hotCopyKind} hot copy without hostPath, so there is no file to mount; ` +
      `give hotCopy.hostPath (the host path where an agent writes the key, e.g. "/etc/${key.app}/masterkey")`,
  );
}

/** A KeyFileCheck of a cloud hot copy without `hostPath`: there is no file to check. */
export function noHostFileToCheck(scope: IConstruct, key: MasterKey): Error {
  return constructError(
    scope,
    'KeyFileCheck',
    `key "${key.keyId}" has a ${key.hotCopyKind} hot copy without hostPath, so there is no host file to check; ` +
      'give hotCopy.hostPath (where the host agent writes the key), or drop the check',
  );
}

/** The app's profile has no image and the construct was given none either (`prop` names the image prop). */
export function namesNoImage(scope: IConstruct, construct: string, profile: string, prop: string): Error {
  return constructError(
    scope,
    construct,
    `profile "${profile}" names no image.\nfix: give ${prop}, e.g. ${prop}: "registry/app:1.2.3"`,
  );
}

/** A Swarm service of a rotating Zitadel v5 key needs the old key's secret too. */
export function missingOldSwarmSecret(scope: IConstruct, key: MasterKey, old: { readonly generation: number; readonly source: string }): Error {
  return constructError(
    scope,
    'ProtectedAppService',
    `key "${key.keyId}" is rotating and the app needs the old key (generation ${old.generation}) as well; ` +
      `create it out of band (\`docker secret create ${key.app}-masterkey-g${old.generation} ${old.source}\`) and give oldSwarmSecret { secretId, secretName }`,
  );
}

/** A suppression of a rule id the catalogue does not know. */
export function unknownRuleId(scope: IConstruct, id: string): Error {
  return constructError(scope, 'CustodySuppressions', `unknown rule id "${id}"; use one of the ids listed in RULES.md`, [id]);
}

/** A suppression of a rule that guards against losing or leaking the key outright. */
export function unsuppressibleRule(scope: IConstruct, id: string, rule: { readonly title: string; readonly fix: string }): Error {
  return constructError(
    scope,
    'CustodySuppressions',
    `${id} (${rule.title}) cannot be suppressed: it guards against losing or leaking the key outright. Fix the finding instead: ${rule.fix}`,
  );
}

/** A suppression of an error-severity rule without someone who answers for it and a date to look again. */
export function suppressionWithoutOwner(scope: IConstruct, id: string, lacking: string): Error {
  return constructError(
    scope,
    'CustodySuppressions',
    `the suppression of ${id}, an error-severity rule, has ${lacking}; give { id: "${id}", reason, owner: "<team or person>", expires: "YYYY-MM-DD" } with an expiry at most a year ahead`,
    [id],
  );
}

// --- the host key file: mode and owner, and who the app runs as (#20) ---

/** MasterKey: a host-file mode the app's runbook does not allow (0600 for Zitadel). */
export function keyFileModeNotAllowed(scope: IConstruct, profile: string, mode: string, allowed: readonly string[]): Error {
  return refusal(
    scope,
    'MasterKey',
    `hotCopy.mode "${mode}" is not allowed for the ${profile} key file: its runbook asks for ${allowed.join(' or ')}.\n` +
      `fix: set hotCopy.mode to ${allowed.map((m) => `"${m}"`).join(' or ')}, or leave it out ("${allowed[0]}")`,
  );
}

/** ProtectedAppContainer/Service: a `user` that cannot read the host key file. */
export function userCannotReadKey(scope: IConstruct, construct: string, key: MasterKey, user: string, owner: string): Error {
  return refusal(
    scope,
    construct,
    `user "${user}" cannot read the key file ${key.hotCopyPath ?? ''}: it is mode ${key.keyFileMode}, owned by ${owner}, so only ${owner === '0:0' ? 'root' : `uid ${owner.split(':')[0]}`} (or root) can read it.\n` +
      `fix: leave user out (the construct runs the app as ${owner}), set user to "${owner}", or give the MasterKey's hotCopy owner and group the numeric uid and gid the app runs as`,
  );
}

/** ProtectedAppContainer/Service: the image runs as a non-root user, and the key file belongs to root. */
export function imageUserCannotReadRootKey(scope: IConstruct, construct: string, key: MasterKey, runsAs: { user: string; uid: number; gid: number }): Error {
  return refusal(
    scope,
    construct,
    `the ${key.profile.name} image runs as USER ${runsAs.user} (uid ${runsAs.uid}), which cannot read the key file ${key.hotCopyPath ?? ''} (mode ${key.keyFileMode}, owned by root).\n` +
      `fix: leave hotCopy owner and group out (the key file then belongs to ${runsAs.uid}:${runsAs.gid} and the app runs as it), or run the app as root with user: "0:0"`,
  );
}

/** ProtectedAppContainer/Service: a further read-only file that would expose the key or shadow its mount. */
export function configFileOverlapsKey(scope: IConstruct, construct: string, source: string, target: string, why: string): Error {
  return refusal(
    scope,
    construct,
    `configFiles entry "${source}" -> "${target}" ${why}.\n` + `fix: mount only files that are not the key, outside its directory and outside its path in the container`,
  );
}
