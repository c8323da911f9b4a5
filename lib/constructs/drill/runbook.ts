import { TerraformStack } from 'cdktf';
import type { AppProfile } from '../../profiles';
import { fingerprintPrefix } from '../../policy/fingerprint';
import { DEFAULT_DRILL_SCHEDULE } from '../../policy/schedule';
import type { AdoptedBackupBucket } from '../buckets/adopted-backup-bucket';
import { hasBrand } from '../../synth/identity';
import type { DrillAlerting } from './alerting';
import { DRILL_METRIC_DIMENSION, DRILL_METRIC_NAME, DRILL_METRIC_NAMESPACE, providerHost, providerRef, stackAddress } from './names';
import type { ParsedDrillProps } from './props';
import type { DrillReaders } from './reader';
import type { RecoveryDrill } from './recovery-drill';
import type { ScratchEnvironment } from './scratch-environment';

/** What the runbook is rendered from: names, paths and addresses only. */
export interface RunbookFacts {
  drillId: string;
  keyId: string;
  app: string;
  profile: AppProfile;
  schedule: string;
  timezone: string;
  nextRun?: string;
  restoreAgeDays: number;
  stalenessDays: number;
  keyBucket: string;
  keyObject: string;
  dbBucket: string;
  dbPrefix: string;
  keyCreds: { hostDir: string; profile: string };
  dbCreds: { hostDir: string; profile: string };
  keyReaderOutput: string;
  /** The stack output naming the created DB reader role, when one was created. */
  dbReaderOutput?: string;
  /** The existing DB reader (`dbReaderArn`), when none was created. */
  dbReaderArn?: string;
  dockerStack: string;
  awsStack: string;
  scratchProvider: string;
  scratchHost?: string;
  names: { keyRestore: string; keyDecrypt: string; dbFetch: string; database: string; dbRestore: string; app: string; readiness: string; outcome: string; keyVolume: string };
  keyFile: string;
  /** Generations the key-fetch job chooses from: number, retirement day, fingerprint prefix. */
  generations: { generation: number; retiredOn?: string; fingerprint?: string }[];
  keyObjectPrefix: string;
  identityFile: string;
  breakGlassFile?: string;
  recorderCreds: { hostDir: string; profile: string };
  drillLogHostPath: string;
  /** `postgres` or `sqlite <dir>/<file>`. */
  database: { kind: 'postgres' | 'sqlite'; path?: string; env: string[] };
  operatorVariable: string;
  toolsImage: string;
  failureSignal?: string;
  readinessUrl: string;
  scheduleGroup: string;
  heartbeat: string;
  alarmName?: string;
  log: boolean;
  drillLogPath: string;
}

/** The parts of a drill the runbook describes. */
export interface RunbookParts {
  readonly readers: DrillReaders;
  readonly scratchEnv: ScratchEnvironment;
  readonly alerting: DrillAlerting;
  readonly prefix: string;
  /** Whether outcomes are recorded in the drill log. */
  readonly log: boolean;
}

/** The runbook's facts of a built drill: names, paths and addresses only. */
export function runbookFacts(drill: RecoveryDrill, p: ParsedDrillProps, parts: RunbookParts): RunbookFacts {
  const { readers, scratchEnv, alerting, prefix, log } = parts;
  const key = p.masterKey;
  const profile = key.profile;
  const dbBucket = p.dbBucket;
  return {
    drillId: drill.drillId,
    keyId: key.keyId,
    app: key.app,
    profile,
    schedule: drill.schedule,
    timezone: drill.timezone,
    nextRun: drill.nextRun,
    restoreAgeDays: drill.restoreAgeDays,
    stalenessDays: drill.stalenessDays,
    keyBucket: stackAddress(p.keyBucket.bucket),
    keyObject: scratchEnv.keyObject,
    dbBucket: hasBrand<AdoptedBackupBucket>(dbBucket, 'AdoptedBackupBucket') ? `${TerraformStack.of(dbBucket).node.id}/${dbBucket.address}` : stackAddress(dbBucket.bucket),
    dbPrefix: p.dbBackupPrefix ?? '',
    keyCreds: scratchEnv.keyCreds,
    dbCreds: scratchEnv.dbCreds,
    keyReaderOutput: readers.keyReaderOutput,
    dbReaderOutput: readers.dbReaderOutput,
    dbReaderArn: drill.dbReader ? undefined : drill.dbReaderArn,
    dockerStack: TerraformStack.of(scratchEnv.scope).node.id,
    awsStack: TerraformStack.of(alerting.scope).node.id,
    scratchProvider: providerRef(p.scratchProvider),
    scratchHost: providerHost(p.scratchProvider),
    names: {
      keyRestore: `${prefix}-key-restore`,
      keyDecrypt: `${prefix}-key-decrypt`,
      outcome: `${prefix}-outcome`,
      dbFetch: `${prefix}-db-fetch`,
      database: `${prefix}-db`,
      dbRestore: `${prefix}-db-restore`,
      app: `${prefix}-app`,
      readiness: `${prefix}-readiness`,
      keyVolume: `${prefix}-restored-key`,
    },
    keyFile: scratchEnv.keyFile,
    generations: key.generations
      .filter((g) => g.generation === key.generation || g.state === 'retired')
      .map((g) => ({ generation: g.generation, retiredOn: g.state === 'retired' ? g.retiredOn : undefined, fingerprint: g.fingerprint ? fingerprintPrefix(g.fingerprint) : undefined }))
      .sort((a, b) => a.generation - b.generation),
    keyObjectPrefix: scratchEnv.keyObjectPrefix,
    identityFile: scratchEnv.identityFile,
    breakGlassFile: scratchEnv.breakGlassFile,
    recorderCreds: scratchEnv.recorderCreds,
    drillLogHostPath: scratchEnv.drillLogHostPath,
    database: {
      kind: scratchEnv.appDatabase.kind,
      path: scratchEnv.appDatabase.kind === 'sqlite' ? `${scratchEnv.appDatabase.dir as string}/${scratchEnv.appDatabase.file}` : undefined,
      env: Object.keys(scratchEnv.databaseEnv),
    },
    operatorVariable: scratchEnv.operatorVariable,
    toolsImage: scratchEnv.toolsImage,
    failureSignal: profile.failureSignal,
    readinessUrl: scratchEnv.readinessUrl,
    scheduleGroup: alerting.groupName,
    heartbeat: `${drill.drillId}-passed-heartbeat`,
    alarmName: drill.alarm ? `${prefix}-${key.keyId}-${drill.drillId}-stale` : undefined,
    log,
    drillLogPath: p.drillLogPath ?? `docs/ops/${key.app}/drill-log.md`,
  };
}

/** The runbook: this drill's exact steps (the scripts of scripts.ts), and the drill-log template. No secret values: only names and paths. */
export function renderRunbook(f: RunbookFacts): string {
  const code = (s: string) => `\`${s}\``;
  const zitadel = f.breakGlassFile !== undefined;
  const objectOf = (g: number) => `${f.keyObjectPrefix ? `${f.keyObjectPrefix}/` : ''}${f.keyId}/${g}/masterkey.age`;
  const out: string[] = [
    `# Recovery drill \`${f.drillId}\`: ${f.app} master key \`${f.keyId}\``,
    '',
    '> Generated by cdktf-key-custody at synth time. Do not edit: change the RecoveryDrill and synthesize again.',
    '> A non-recoverable backup is worse than no backup because it hides the risk. **A failed drill is a P1 incident**: the drill pages it on its SNS topic the moment a step fails.',
    '',
    '## Facts',
    '',
    `- Schedule: ${code(f.schedule)} (${f.timezone})${f.schedule === DEFAULT_DRILL_SCHEDULE ? ' - first Monday of January, April, July and October, 10:00' : ''}`,
    `- Next run: ${f.nextRun ?? 'see the reminder schedule in AWS'}`,
    `- DB backup restored: the newest object whose LastModified is at least **${f.restoreAgeDays} days** ago, from ${code(f.dbBucket)}${f.dbPrefix ? ` under prefix ${code(f.dbPrefix)}` : ''}`,
    `- Key restored from: the **offsite**, age-encrypted copy in ${code(f.keyBucket)}, object ${code(objectOf(0).replace('/0/', '/<generation>/'))} of the generation active on the backup's day - never the hot copy on the production host`,
    `- Generations: ${f.generations.map((g) => `${g.generation}${g.retiredOn ? ` (retired ${g.retiredOn})` : ' (active)'}${g.fingerprint ? ', fingerprint recorded' : ', **no fingerprint** (the drill fails on it)'}`).join('; ')}`,
    `- Database: ${f.database.kind === 'postgres' ? `PostgreSQL ${code(f.names.database)}; the app gets ${f.database.env.map(code).join(', ')}` : `SQLite ${code(f.database.path ?? '')} in the app's container`}`,
    `- Scratch host: docker provider ${code(f.scratchProvider)}${f.scratchHost ? ` (${code(f.scratchHost)})` : ''}; docker part in stack ${code(f.dockerStack)}`,
    `- Reminder, P1 pages, results and the staleness alarm: SNS topic and schedule group ${code(f.scheduleGroup)} in stack ${code(f.awsStack)}`,
    `- Staleness alarm: ${f.alarmName ? `${code(f.alarmName)} fires when no passing drill was recorded for ${f.stalenessDays} days` : '**none** (KC034)'}`,
    '',
    '## Before the first drill (once)',
    '',
    'Everything secret stays on the scratch host, in files the jobs mount read-only; Terraform carries only paths and profile names.',
    'Use different source identities for the two restore jobs, each allowed to assume only its one drill role, so that no single credential reads both backups.',
    '',
    `1. Key restore: ${code(`${f.keyCreds.hostDir}/config`)} with profile ${code(f.keyCreds.profile)} whose ${code('role_arn')} is the output of ${code(`cdktf ${f.keyReaderOutput}`)} (a role that can only read the key bucket).`,
    `2. DB restore: ${code(`${f.dbCreds.hostDir}/config`)} with profile ${code(f.dbCreds.profile)} whose ${code('role_arn')} is ${f.dbReaderOutput ? `the output of ${code(`cdktf ${f.dbReaderOutput}`)}` : code(f.dbReaderArn ?? '')} (a role that can only read the DB bucket).`,
    `3. Outcome: ${code(`${f.recorderCreds.hostDir}/config`)} with profile ${code(f.recorderCreds.profile)} for a role with the drill's recorder policy (publish to the drill topic, put ${code(DRILL_METRIC_NAME)}, move the heartbeat).`,
    `4. The drill operator's age identity at ${code(f.identityFile)}: the private key of a recipient the offsite copies are encrypted to (${code('key-custody keygen --recipient age1...')}). It is mounted into the decrypt job only, which has no network.`,
    ...(zitadel
      ? [`5. The break-glass admin's credential at ${code(f.breakGlassFile ?? '')}: client id on line 1, client secret on line 2, of a machine user with IAM_OWNER made for the drill.`]
      : []),
    `${zitadel ? 6 : 5}. Credential folders ${code('0700 root:root')}, files ${code('0400')}; never on the production host. The folder of ${code(f.drillLogHostPath)} exists.`,
    '',
    '## Steps',
    '',
    `Deploy stack ${code(f.dockerStack)} on the scratch host, naming yourself: ${code(`cdktf deploy ${f.dockerStack} --var='${f.operatorVariable}=<your name>'`)}`,
    `(or ${code(`terraform apply -var ${f.operatorVariable}=<your name>`)} in ${code(`cdktf.out/stacks/${f.dockerStack}`)}). Each job is a one-shot container running a script of the drill; a non-zero exit fails the apply.`,
    `The jobs that need no AWS or database run in the tools image ${code(f.toolsImage)}.`,
    '',
    `0. **Outcome job.** ${code(f.names.outcome)} starts first and watches the steps. The moment a step fails it publishes **P1** to the drill topic (subject ${code(`P1: recovery drill ${f.drillId} of key ${f.keyId} (${f.app}) FAILED`)}, with the step and the reason) and appends a FAIL row to the drill log. If the drill does not finish within an hour, that is a P1 too.`,
    `1. **Fetch the DB backup with the DB restore credential only.** ${code(f.names.dbFetch)} (profile ${code(f.dbCreds.profile)}) lists the DB bucket and downloads the newest object last modified at least ${f.restoreAgeDays} days ago; none that old fails the drill.`,
    `2. **Fetch the key with the key restore credential only.** ${code(f.names.keyRestore)} (profile ${code(f.keyCreds.profile)}) picks the generation active on the backup's day (the first retired generation whose retirement day is on or after it, else the active one) and downloads ${code(objectOf(0).replace('/0/', '/<generation>/'))}.`,
    '   An object without the age header is deleted and refused: a plaintext key in the offsite bucket fails the drill.',
    `3. **Decrypt and check the key.** ${code(f.names.keyDecrypt)} (no network) decrypts it with ${code(f.identityFile)} and compares it with the generation's fingerprint in the custody manifest (${code('kcfp1')}, scrypt); a mismatch fails the drill before the app sees the key. The key becomes a ${code('0400')} file in volume ${code(f.names.keyVolume)}.`,
    f.database.kind === 'postgres'
      ? `4. **Restore the database.** ${code(f.names.dbRestore)} reads the dump's format from its content: ${code('PGDMP')} (pg_dump custom format) is restored with ${code('pg_restore --exit-on-error --single-transaction')}, plain SQL (${code('pg_dump > backup.sql')}) with ${code('psql -v ON_ERROR_STOP=1 --single-transaction')} after creating the roles it names; gzip is unpacked first. Into ${code(f.names.database)}, its own PostgreSQL on the internal drill network.`
      : `4. **Restore the database.** ${code(f.names.dbRestore)} (no network): a SQLite file must pass ${code('PRAGMA integrity_check')}; a SQL dump is replayed with ${code('sqlite3 -bail')}. The result is ${code(f.database.path ?? '')} in the app's container.`,
    `5. **Start the app** ${code(f.names.app)} as its profile says, with the restored key mounted read-only and passed by path (${code(
      f.profile.passing.kind === 'flag' ? `${f.profile.passing.flag} ${f.keyFile}` : `${f.profile.passing.variable}=${f.keyFile}`,
    )}), wired to the restored database.`,
    `6. **Prove decryption.** ${code(f.names.readiness)} polls ${code(`${f.readinessUrl}`)} until it answers 200 (or fails the drill after the timeout)${
      f.failureSignal ? `, and reads the app's log: ${code(f.failureSignal)} in it means the restored key is not the key the database was encrypted with, and fails the drill` : ''
    }.`,
    ...(zitadel
      ? ['   Then the break-glass admin logs in: a token from `/oauth/v2/token` (client credentials) and `/auth/v1/users/me` with it. Issuing a token needs the instance\'s signing keys, which only the right master key decrypts.']
      : []),
    `7. **Record.** On PASS the outcome job puts ${code(`${DRILL_METRIC_NAME}=1`)} (${code(`${DRILL_METRIC_NAMESPACE}`)}, ${code(`${DRILL_METRIC_DIMENSION}=${f.keyId}`)}), moves the end date of heartbeat ${code(f.heartbeat)} ${f.stalenessDays} days ahead, appends a PASS row (date, operator, backup, key object, proof) to ${code(f.drillLogHostPath)} on the scratch host and publishes the result. Wait for it: ${code(`docker wait ${f.names.outcome}`)}.`,
    `   Copy the row into ${code(f.drillLogPath)}.${f.log ? '' : ' (The drill log is switched off for this drill: KC034.)'}`,
    `8. **Tear down**: ${code(`cdktf destroy ${f.dockerStack}`)} (removes the drill containers, the restored key, the dump and the restored data). Confirm with ${code('docker volume ls')} that no restored key is left on the scratch host.`,
    '',
    '## If the drill fails',
    '',
    '- The P1 is already paged: open the incident. Do not move the staleness deadline.',
    '- Keep the logs: `docker logs` of the failed job (the apply error includes them). Then tear down.',
    '- Typical causes: no DB backup old enough; no offsite copy of the generation the backup needs; a plaintext key object; a key that does not match its fingerprint; a corrupt dump; the app refusing the key.',
    '',
    '## Drill log template',
    '',
    `The outcome job appends one row per run to ${code(f.drillLogHostPath)}; keep them in ${code(f.drillLogPath)}:`,
    '',
    '| Date (UTC) | Who | Drill | DB backup restored (object, day) | Key object (generation, version) | Proof | Result | Incident |',
    '|---|---|---|---|---|---|---|---|',
    `| YYYY-MM-DD | name | ${f.drillId} | s3://.../<object> (YYYY-MM-DD) | s3://.../${objectOf(0).replace('/0/', '/<generation>/')} (generation N, version V) | ${f.readinessUrl} 200${zitadel ? '; break-glass login OK' : ''} | PASS / FAIL | P1: <step>: <reason> if FAIL |`,
    '',
  ];
  return out.join('\n');
}
