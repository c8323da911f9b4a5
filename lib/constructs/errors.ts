import type { IConstruct } from 'constructs';

// --- drill and custody L3 (RecoveryDrill, MasterKeyCustody, key generations) ---
//
// The texts are unchanged from the inline errors they replace (tests match on them): the
// construct's path and name, what was wrong with which prop and value, and a `fix:` line.
// None of these values can be key material (paths, profile names, account ids, bucket
// names), so nothing here is redacted; props that may carry a key go through parseProps.

/** `[<path>] <Construct>: <text>`, the shape of every construct refusal. */
function refusal(scope: IConstruct, construct: string, text: string): Error {
  return new Error(`[${scope.node.path}] ${construct}: ${text}`);
}

/** The app's profile has no image and the construct was given none either. */
export function namesNoImage(scope: IConstruct, construct: string, profile: string, prop: string): Error {
  return refusal(scope, construct, `profile "${profile}" names no image.\nfix: give ${prop}, e.g. "registry/app:1.2.3"`);
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
  return new Error(`generationFor: "${String(backupDate)}" is not a YYYY-MM-DD date (or a Date)`);
}

/** Key generations: an old-key-file rotation of a profile that passes the key by variable. */
export function oldKeyFileNeedsFlag(profile: string): Error {
  return new Error(`profile "${profile}": an old-key-file rotation needs a flag-passed key (passing.kind "flag")`);
}

// --- end drill and custody L3 ---
