import { Token, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import * as z from '../../vendor/zod';
import { QUARTER_DAYS } from '../../policy/limits';
import { DEFAULT_DRILL_SCHEDULE, analyzeSchedule, isTimeZone, rateUnitProblem } from '../../policy/schedule';
import type { AdoptedBackupBucket } from '../buckets/adopted-backup-bucket';
import { type CustodyRoleTrust } from '../buckets/custody-bucket';
import type { DatabaseBackupBucket } from '../buckets/database-backup-bucket';
import type { KeyBackupBucket } from '../buckets/key-backup-bucket';
import type { MasterKey } from '../key/master-key';
import type { AppDatabase } from '../../profiles';
import { branded, cdktfObject, hasBrand, isProvider, isProviderOf } from '../../synth/identity';
import { hostPathProblem, shownValue } from '../safe-names';

/**
 * How the restore jobs on the scratch host get AWS credentials: a host folder per job
 * holding an AWS shared config (and, if the source identity needs one, a credentials file)
 * that names one profile. It is bind-mounted read-only; Terraform only carries the folder's
 * path, the variable names and the profile name, never a credential.
 */
export interface DrillCredentialSource {
  /**
   * Absolute host path of the folder with `config` (and optionally `credentials`) for this job.
   * @default `/etc/key-custody/drill/<key-restore|db-restore>`
   */
  readonly hostDir?: string;
  /**
   * Profile in that config. It should assume the drill reader role this construct creates
   * (`role_arn` + `source_profile`/`credential_source`), from a source identity that can
   * assume nothing else.
   * @default `custody-drill-<key|db>-restore`
   */
  readonly profile?: string;
}

/** A subscriber of the drill topic (reminders, results and the P1 staleness alarm). */
export interface DrillSubscriber {
  /** SNS protocol: `email`, `https`, `sqs`, `lambda`, ... */
  readonly protocol: string;
  /** Address for the protocol: an e-mail address, an HTTPS URL, an ARN. */
  readonly endpoint: string;
}

/** Props of {@link RecoveryDrill}. */
export interface RecoveryDrillProps {
  /** The key the drill restores. */
  readonly masterKey: MasterKey;
  /** The offsite key-backup bucket the key is restored from (never the hot copy). */
  readonly keyBucket: KeyBackupBucket;
  /**
   * The bucket the DB backup is restored from: a managed one, or an adopted one
   * (`DatabaseBackupBucket.fromExistingBucket`), which needs `dbReaderArn`.
   */
  readonly dbBucket: DatabaseBackupBucket | AdoptedBackupBucket;
  /**
   * An existing read-only principal of the DB bucket for the DB-restore job, instead of the
   * reader role this construct creates. Required for an adopted bucket: its policy is
   * managed elsewhere, so the grant (s3:GetObject, s3:ListBucket, kms:Decrypt; nothing
   * else, no access to the key bucket) is made there.
   * @default - a read-only DrillReader role in the DB bucket's stack, granted through its bucket policy
   */
  readonly dbReaderArn?: string;
  /**
   * Docker provider of the scratch host: an alias of its own whose `host` is not the
   * production docker host. Refused at construction when it is the production app's provider.
   */
  readonly scratchProvider: TerraformProvider;
  /**
   * Docker provider(s) the production app runs on, refused as the scratch provider.
   * @default - the providers of every ProtectedAppContainer / ProtectedAppService of the same key in the app
   */
  readonly productionProviders?: readonly TerraformProvider[];
  /**
   * Id of the drill, unique per key.
   * @default 'quarterly'
   */
  readonly drillId?: string;
  /**
   * EventBridge Scheduler expression of the reminder; must fire at least quarterly.
   * @default 'cron(0 10 ? 1,4,7,10 MON#1 *)' - first Monday of January, April, July and October, 10:00
   */
  readonly schedule?: string;
  /**
   * IANA time zone of the schedule.
   * @default 'UTC'
   */
  readonly timezone?: string;
  /**
   * Minimum age in days of the DB backup the drill restores.
   * @default 7
   */
  readonly restoreAgeDays?: number;
  /**
   * Days without a recorded passing drill after which the P1 alarm fires.
   * @default 100
   */
  readonly stalenessDays?: number;
  /**
   * Date (`YYYY-MM-DD`) of the last passing drill, when one happened before this construct;
   * the staleness deadline starts from it.
   * @default - the deadline starts `stalenessDays` after the first apply
   */
  readonly lastPassedOn?: string;
  /**
   * The instant `nextRun` is computed from, for a deterministic manifest and runbook.
   * @default - no nextRun is written
   */
  readonly now?: Date;
  /**
   * Where the AWS part (schedule group, schedules, SNS topic, alarm, scheduler roles) lives.
   * @default - this construct
   */
  readonly awsScope?: Construct;
  /**
   * AWS provider of the AWS part.
   * @default - the default aws provider of awsScope's stack
   */
  readonly awsProvider?: TerraformProvider;
  /**
   * Where the docker part (network, volumes, containers) lives; its stack must hold scratchProvider.
   * @default - this construct
   */
  readonly dockerScope?: Construct;
  /**
   * Where the read-only key reader role lives.
   * @default - the key bucket's stack, with the key bucket's provider
   */
  readonly keyReaderScope?: Construct;
  /**
   * Where the read-only DB reader role lives.
   * @default - the DB bucket's stack, with the DB bucket's provider
   */
  readonly dbReaderScope?: Construct;
  /**
   * Who may assume the key reader role: the scratch host's key-restore identity.
   * @default - principals of the key bucket's account whose IAM policy allows it (read with data.aws_caller_identity)
   */
  readonly keyReaderTrust?: CustodyRoleTrust;
  /**
   * Who may assume the DB reader role: the scratch host's DB-restore identity, a different one.
   * @default - principals of the DB bucket's account whose IAM policy allows it (read with data.aws_caller_identity)
   */
  readonly dbReaderTrust?: CustodyRoleTrust;
  /**
   * Credentials of the key-restore job on the scratch host.
   * @default - `/etc/key-custody/drill/key-restore`, profile `custody-drill-key-restore`
   */
  readonly keyCredentials?: DrillCredentialSource;
  /**
   * Credentials of the DB-restore job on the scratch host.
   * @default - `/etc/key-custody/drill/db-restore`, profile `custody-drill-db-restore`
   */
  readonly dbCredentials?: DrillCredentialSource;
  /**
   * Prefix of the offsite copies in the key bucket: the `<prefix>` of `key-custody keygen
   * --offsite s3://<bucket>/<prefix>`. The drill fetches `<prefix>/<keyId>/<generation>/masterkey.age`
   * of the generation active on the restored backup's day.
   * @default '' (objects `<keyId>/<generation>/masterkey.age`)
   */
  readonly keyObjectPrefix?: string;
  /**
   * Absolute path, on the scratch host, of the drill operator's age identity (the private key
   * whose recipient the offsite copies are encrypted to). Mounted read-only into the decrypt
   * job only, which has no network; never in Terraform.
   * @default '/etc/key-custody/drill/age-identity'
   */
  readonly identityFile?: string;
  /**
   * Zitadel: absolute path, on the scratch host, of the break-glass admin's credential for the
   * proof's login (client id on line 1, client secret on line 2, of a machine user with
   * IAM_OWNER made for the drill). Mounted read-only into the proof job only.
   * @default '/etc/key-custody/drill/zitadel-break-glass'
   */
  readonly breakGlassFile?: string;
  /**
   * How the drill app reaches the restored database, over the profile's `database`.
   * @default - the profile's (Zitadel: `ZITADEL_DATABASE_POSTGRES_*`); required when the profile has none, or names a SQLite file without its folder (ServOS, ACT)
   */
  readonly appDatabase?: AppDatabase;
  /**
   * Credentials of the outcome job (publishes to the drill topic, puts the metric, moves the
   * heartbeat): a profile that assumes a role with the drill's `recorderPolicy`.
   * @default - `/etc/key-custody/drill/recorder`, profile `custody-drill-recorder`
   */
  readonly recorderCredentials?: DrillCredentialSource;
  /**
   * Absolute path, on the scratch host, of the drill log the outcome job appends a row to
   * (date, operator, backup, key object, proof, result); copy the row into `drillLogPath`.
   * @default `/var/lib/key-custody/drill-log/<app>-<keyId>.md`
   */
  readonly drillLogHostPath?: string;
  /**
   * Docker's data root on the scratch host: the proof reads the app's json-file log under
   * `<root>/containers/<id>/` (read-only) to look for the profile's failure signal.
   * @default '/var/lib/docker'
   */
  readonly dockerDataRoot?: string;
  /**
   * Prefix under which DB backups are listed.
   * @default '' (the whole bucket)
   */
  readonly dbBackupPrefix?: string;
  /**
   * Numeric uid:gid the restored key file is owned by (mode 0400); the drill app must run as it.
   * @default '0:0'
   */
  readonly keyFileOwner?: string;
  /**
   * User the drill app runs as.
   * @default - '0' for a key file owned by root, else the uid of keyFileOwner
   */
  readonly appUser?: string;
  /**
   * Extra environment of the drill app (never the key: key variables are refused).
   * @default - for Zitadel, the restored database's connection; otherwise none
   */
  readonly appEnv?: Readonly<Record<string, string>>;
  /**
   * Arguments of the drill app before the key-file flag.
   * @default - the profile's baseCommand
   */
  readonly appCommand?: readonly string[];
  /**
   * App image.
   * @default - the profile's image
   */
  readonly appImage?: string;
  /**
   * Database image.
   * @default 'postgres:17-alpine'
   */
  readonly databaseImage?: string;
  /**
   * Name of the database the backup restores.
   * @default - the app's name
   */
  readonly databaseName?: string;
  /**
   * Image of the fetch jobs (needs `aws` and a POSIX shell).
   * @default 'amazon/aws-cli:2.22.35'
   */
  readonly fetchImage?: string;
  /**
   * Image of the decrypt, SQLite-restore, proof and outcome jobs: needs `sh`, `age`, `python3`,
   * `curl`, `sqlite3` and `aws`.
   * @default - built on the scratch host from `drill-tools-<drill>/Dockerfile`, written beside the stack (debian:bookworm-slim and Debian's packages)
   */
  readonly toolsImage?: string;
  /**
   * Seconds the readiness check keeps retrying before the drill fails.
   * @default 300
   */
  readonly readinessTimeoutSeconds?: number;
  /**
   * Prefix of docker names (containers, network, volumes) and AWS names.
   * @default `<app>-drill`
   */
  readonly namePrefix?: string;
  /**
   * Subscribers of the drill topic.
   * @default - none; subscribe the key custodians' pager out of band
   */
  readonly subscribers?: readonly DrillSubscriber[];
  /**
   * Further SNS topic ARNs the P1 staleness alarm notifies (an existing pager topic).
   * @default - only the drill topic
   */
  readonly pagerTopicArns?: readonly string[];
  /**
   * Create the staleness alarm. Without it KC034 reports the drill.
   * @default true
   */
  readonly alarm?: boolean;
  /**
   * Record outcomes in the drill log. Without it KC034 reports the drill.
   * @default true
   */
  readonly log?: boolean;
  /**
   * Where the runbook tells operators to keep the drill log.
   * @default `docs/ops/<app>/drill-log.md`
   */
  readonly drillLogPath?: string;
}

const TOKEN_RE = /\$\{|TfToken\[/;
const NAME = /^[a-z0-9][a-z0-9_.-]{0,40}$/;

const absoluteHostDir = z.string().check(
  z.refine((v) => v.startsWith('/') && !v.split('/').includes('..') && !TOKEN_RE.test(v), { error: (i) => `must be an absolute literal host path; got "${String(i.input)}"` }),
  z.superRefine((v, ctx) => {
    // Bind-mounted into the restore jobs and quoted in the runbook, like the key's own paths.
    const why = v.startsWith('/') ? hostPathProblem(v) : undefined;
    if (why) ctx.addIssue({ code: 'custom', message: `${shownValue(v)} ${why}; give a plain absolute path, e.g. "/etc/key-custody/drill/key-restore"` });
  }),
);

const credentialsSchema = z.object({
  hostDir: z.optional(absoluteHostDir),
  profile: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.-]+$/, 'must be an AWS profile name'))),
});

const nonEmpty = () => z.string().check(z.minLength(1));

const trustSchema = z.object({
  principals: z.array(nonEmpty()).check(z.minLength(1, 'name at least one principal')),
  externalId: z.optional(z.string().check(z.minLength(2))),
});

// Where a part goes: any construct (a stack, or a construct inside one).
const scopeSchema = z.custom<Construct>((v) => Construct.isConstruct(v), 'must be a construct: a TerraformStack, or a construct inside one');

// Every prop of RecoveryDrillProps has its schema here (`satisfies` refuses a missing or an
// extra key), so the constructor reads only parsed props.
const propsShape = {
  masterKey: branded<MasterKey>('MasterKey', { message: 'must be a MasterKey' }),
  keyBucket: branded<KeyBackupBucket>('KeyBackupBucket', {
    message: 'must be a KeyBackupBucket (the offsite key backup); an adopted bucket has no policy this construct can grant on',
  }),
  dbBucket: z.custom<DatabaseBackupBucket | AdoptedBackupBucket>((v) => hasBrand(v, 'DatabaseBackupBucket') || hasBrand(v, 'AdoptedBackupBucket'), {
    message: 'must be a DatabaseBackupBucket, or an adopted one (DatabaseBackupBucket.fromExistingBucket)',
  }),
  dbReaderArn: z.optional(
    z.string().check(
      z.refine((v) => Token.isUnresolved(v) || /^arn:[a-z-]+:(iam|sts)::\d{12}:.+$/.test(v), {
        error: (i) => `must be an IAM role ARN like "arn:aws:iam::123456789012:role/drill-db-read"; got "${String(i.input)}"`,
      }),
    ),
  ),
  scratchProvider: cdktfObject<TerraformProvider>((v) => isProviderOf(v, 'docker'), 'TerraformProvider', 'must be a docker provider (DockerProvider) of the scratch host'),
  productionProviders: z.optional(z.array(cdktfObject<TerraformProvider>(isProvider, 'TerraformProvider', 'must be a provider'))),
  drillId: z.optional(z.string().check(z.regex(NAME, 'must be a lower-case id like "quarterly"'))),
  schedule: z.optional(
    z.string().check(
      z.superRefine((v, ctx) => {
        const a = analyzeSchedule(v);
        // The schedule is written as it is: what AWS would refuse at apply time is refused here.
        const unit = rateUnitProblem(v);
        if (a.error) ctx.addIssue({ code: 'custom', message: `"${v}" is not a valid EventBridge Scheduler expression: ${a.error}; e.g. "${DEFAULT_DRILL_SCHEDULE}"` });
        else if (unit) ctx.addIssue({ code: 'custom', message: `"${v}" is not a valid EventBridge Scheduler expression: ${unit}; e.g. "${DEFAULT_DRILL_SCHEDULE}"` });
        else if (!a.atLeastQuarterly) ctx.addIssue({ code: 'custom', message: `"${v}" ${a.summary}: a drill must run at least quarterly (KC030); e.g. "${DEFAULT_DRILL_SCHEDULE}"` });
      }),
    ),
  ),
  timezone: z.optional(z.string().check(z.refine(isTimeZone, { error: (i) => `"${String(i.input)}" is not an IANA time zone; use e.g. "UTC" or "Europe/Berlin"` }))),
  restoreAgeDays: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(3650))),
  stalenessDays: z.optional(
    z.number().check(
      z.int(),
      z.minimum(QUARTER_DAYS, { error: (i) => `must be at least ${QUARTER_DAYS} days (one quarter), or the alarm fires between two on-time drills; got ${String(i.input)}` }),
      z.maximum(3650),
    ),
  ),
  lastPassedOn: z.optional(z.iso.date('must be a date like "2025-01-06"')),
  now: z.optional(z.date()),
  keyReaderTrust: z.optional(trustSchema),
  dbReaderTrust: z.optional(trustSchema),
  keyCredentials: z.optional(credentialsSchema),
  dbCredentials: z.optional(credentialsSchema),
  keyObjectPrefix: z.optional(z.string().check(z.regex(/^[A-Za-z0-9._/-]*$/, 'must be an S3 key prefix of letters, digits, ".", "_", "-" and "/"'))),
  identityFile: z.optional(absoluteHostDir),
  breakGlassFile: z.optional(absoluteHostDir),
  appDatabase: z.optional(
    z.union([
      z.object({ kind: z.literal('postgres'), env: z.record(z.string(), z.string()) }),
      z.object({
        kind: z.literal('sqlite'),
        file: z.string().check(z.regex(/^[A-Za-z0-9._-]+$/, 'must be a file name such as "servos.db"')),
        dir: z.optional(z.string()),
        env: z.optional(z.record(z.string(), z.string())),
      }),
    ]),
  ),
  recorderCredentials: z.optional(credentialsSchema),
  drillLogHostPath: z.optional(absoluteHostDir),
  dockerDataRoot: z.optional(absoluteHostDir),
  dbBackupPrefix: z.optional(z.string()),
  keyFileOwner: z.optional(z.string().check(z.regex(/^\d+:\d+$/, 'must be a numeric "uid:gid" such as "1000:1000"'))),
  appUser: z.optional(nonEmpty()),
  appEnv: z.optional(z.record(z.string(), z.string())),
  appCommand: z.optional(z.array(z.string())),
  appImage: z.optional(nonEmpty()),
  databaseImage: z.optional(nonEmpty()),
  databaseName: z.optional(z.string().check(z.regex(/^[a-z_][a-z0-9_]*$/, 'must be a plain PostgreSQL database name'))),
  fetchImage: z.optional(nonEmpty()),
  toolsImage: z.optional(nonEmpty()),
  readinessTimeoutSeconds: z.optional(z.number().check(z.int(), z.minimum(10), z.maximum(3600))),
  namePrefix: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'must be at most 31 lower-case letters, digits and dashes'))),
  subscribers: z.optional(z.array(z.object({ protocol: nonEmpty(), endpoint: nonEmpty() }))),
  pagerTopicArns: z.optional(z.array(nonEmpty())),
  alarm: z.optional(z.boolean()),
  log: z.optional(z.boolean()),
  drillLogPath: z.optional(nonEmpty()),
  awsScope: z.optional(scopeSchema),
  awsProvider: z.optional(cdktfObject<TerraformProvider>(isProvider, 'TerraformProvider', 'must be a provider')),
  dockerScope: z.optional(scopeSchema),
  keyReaderScope: z.optional(scopeSchema),
  dbReaderScope: z.optional(scopeSchema),
} satisfies Record<keyof RecoveryDrillProps, z.ZodType>;

export const propsSchema = z.object(propsShape) satisfies z.ZodType<RecoveryDrillProps>;

/** RecoveryDrillProps after parsing: what the drill's parts are built from. */
export type ParsedDrillProps = z.output<typeof propsSchema>;
