import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SchedulerScheduleGroup } from '@cdktf/provider-aws/lib/scheduler-schedule-group';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { TerraformOutput, TerraformProvider, TerraformResource, TerraformStack, Token, type ISynthesisSession } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import { Construct, type IConstruct } from 'constructs';
import { z } from 'zod';
import { addDays, formatDate, parseDate } from '../policy/dates';
import { MIN_RESTORE_AGE_DAYS, QUARTER_DAYS } from '../policy/limits';
import { DEFAULT_DRILL_SCHEDULE, analyzeSchedule, isTimeZone, nextCronRun } from '../policy/schedule';
import { TAG_APP, TAG_KEY, TAG_ROLE } from '../policy/tags';
import type { AppProfile } from '../profiles';
import { AdoptedBackupBucket, type CustodyBucket, type CustodyRoleTrust, DatabaseBackupBucket, KeyBackupBucket } from './backup-bucket';
import { CustodyManifest } from './custody-manifest';
import { keyPassingOf, keyPassingSchema, ProtectedAppContainer, protectedAppsOf } from './key-mount';
import { MasterKey } from './master-key';
import { ProtectedAppService } from './protected-app-service';
import { parseProps } from './validation';

export { DEFAULT_DRILL_SCHEDULE };

/** Namespace of the drill metric the staleness alarm watches. */
export const DRILL_METRIC_NAMESPACE = 'KeyCustody/Drills';
/** The metric: 1 while a passing drill is on record within the staleness period. */
export const DRILL_METRIC_NAME = 'DrillPassed';
/** Dimension that ties the metric to one key. */
export const DRILL_METRIC_DIMENSION = 'KeyId';
/** File the runbook is written to, in the stack's output folder. */
export const DRILL_RUNBOOK_FILE = 'drill-runbook.md';

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
   * Object key of the key backup in the key bucket.
   * @default `<keyId>/<secretName>` (Zitadel: `zitadel-master/masterkey`)
   */
  readonly keyObjectKey?: string;
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
   * Image of the readiness check (needs `curl`).
   * @default 'curlimages/curl:8.11.1'
   */
  readonly curlImage?: string;
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

const absoluteHostDir = z
  .string()
  .refine((v) => v.startsWith('/') && !v.split('/').includes('..') && !TOKEN_RE.test(v), { error: (i) => `must be an absolute literal host path; got "${String(i.input)}"` });

const credentialsSchema = z.object({
  hostDir: absoluteHostDir.optional(),
  profile: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'must be an AWS profile name')
    .optional(),
});

const trustSchema = z.object({ principals: z.array(z.string().min(1)).min(1, 'name at least one principal'), externalId: z.string().min(2).optional() });

const propsSchema = z.object({
  masterKey: z.instanceof(MasterKey, { message: 'must be a MasterKey' }),
  keyBucket: z.instanceof(KeyBackupBucket, {
    message: 'must be a KeyBackupBucket (the offsite key backup); an adopted bucket has no policy this construct can grant on',
  }),
  dbBucket: z.union([z.instanceof(DatabaseBackupBucket), z.instanceof(AdoptedBackupBucket)], {
    message: 'must be a DatabaseBackupBucket, or an adopted one (DatabaseBackupBucket.fromExistingBucket)',
  }),
  dbReaderArn: z
    .string()
    .refine((v) => Token.isUnresolved(v) || /^arn:[a-z-]+:(iam|sts)::\d{12}:.+$/.test(v), { error: (i) => `must be an IAM role ARN like "arn:aws:iam::123456789012:role/drill-db-read"; got "${String(i.input)}"` })
    .optional(),
  scratchProvider: z.custom<TerraformProvider>((v) => v instanceof TerraformProvider && v.terraformResourceType === 'docker', 'must be a docker provider (DockerProvider) of the scratch host'),
  productionProviders: z.array(z.custom<TerraformProvider>((v) => v instanceof TerraformProvider, 'must be a provider')).optional(),
  drillId: z.string().regex(NAME, 'must be a lower-case id like "quarterly"').optional(),
  schedule: z
    .string()
    .superRefine((v, ctx) => {
      const a = analyzeSchedule(v);
      if (a.error) ctx.addIssue({ code: 'custom', message: `"${v}" is not a valid EventBridge Scheduler expression: ${a.error}; e.g. "${DEFAULT_DRILL_SCHEDULE}"` });
      else if (!a.atLeastQuarterly) ctx.addIssue({ code: 'custom', message: `"${v}" ${a.summary}: a drill must run at least quarterly (KC030); e.g. "${DEFAULT_DRILL_SCHEDULE}"` });
    })
    .optional(),
  timezone: z
    .string()
    .refine(isTimeZone, { error: (i) => `"${String(i.input)}" is not an IANA time zone; use e.g. "UTC" or "Europe/Berlin"` })
    .optional(),
  restoreAgeDays: z.number().int().min(0).max(3650).optional(),
  stalenessDays: z
    .number()
    .int()
    .min(QUARTER_DAYS, { error: (i) => `must be at least ${QUARTER_DAYS} days (one quarter), or the alarm fires between two on-time drills; got ${String(i.input)}` })
    .max(3650)
    .optional(),
  lastPassedOn: z.iso.date('must be a date like "2025-01-06"').optional(),
  now: z.date().optional(),
  keyReaderTrust: trustSchema.optional(),
  dbReaderTrust: trustSchema.optional(),
  keyCredentials: credentialsSchema.optional(),
  dbCredentials: credentialsSchema.optional(),
  keyObjectKey: z.string().min(1).optional(),
  dbBackupPrefix: z.string().optional(),
  keyFileOwner: z
    .string()
    .regex(/^\d+:\d+$/, 'must be a numeric "uid:gid" such as "1000:1000"')
    .optional(),
  appUser: z.string().min(1).optional(),
  appEnv: z.record(z.string(), z.string()).optional(),
  appCommand: z.array(z.string()).optional(),
  appImage: z.string().min(1).optional(),
  databaseImage: z.string().min(1).optional(),
  databaseName: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a plain PostgreSQL database name')
    .optional(),
  fetchImage: z.string().min(1).optional(),
  curlImage: z.string().min(1).optional(),
  readinessTimeoutSeconds: z.number().int().min(10).max(3600).optional(),
  namePrefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'must be at most 31 lower-case letters, digits and dashes')
    .optional(),
  subscribers: z.array(z.object({ protocol: z.string().min(1), endpoint: z.string().min(1) })).optional(),
  pagerTopicArns: z.array(z.string().min(1)).optional(),
  alarm: z.boolean().optional(),
  log: z.boolean().optional(),
  drillLogPath: z.string().min(1).optional(),
});

/** The construct's tags (AWS) and labels (docker): custody:role=drill for the key and app. */
function custodyTags(key: MasterKey): Record<string, string> {
  return { [TAG_ROLE]: 'drill', [TAG_KEY]: key.keyId, [TAG_APP]: key.app };
}

function labelList(tags: Record<string, string>, component: string): { label: string; value: string }[] {
  return [...Object.entries(tags).map(([label, value]) => ({ label, value })), { label: 'custody:component', value: component }];
}

/** `<stack>/<type>.<logical id>`: how the manifest and the rules name a resource across stacks. */
export function stackAddress(r: TerraformResource): string {
  return `${TerraformStack.of(r).node.id}/${r.terraformResourceType}.${r.friendlyUniqueId}`;
}

function providerHost(p: TerraformProvider): string | undefined {
  const h = p instanceof DockerProvider ? p.host : undefined;
  return typeof h === 'string' && !Token.isUnresolved(h) ? h.trim().replace(/\/+$/, '').toLowerCase() : undefined;
}

/** `<stack>/docker.<alias>` (or `<stack>/docker` for a default provider). */
function providerRef(p: TerraformProvider): string {
  return `${TerraformStack.of(p).node.id}/docker${p.alias ? `.${p.alias}` : ''}`;
}

/**
 * Docker providers production apps run on, found in the construct tree: every
 * ProtectedAppContainer / ProtectedAppService, of any key (a drill belongs on no production host).
 */
function productionProvidersOf(root: IConstruct): TerraformProvider[] {
  const out: TerraformProvider[] = [];
  for (const c of protectedAppsOf(root)) {
    const resource: TerraformResource | undefined =
      c instanceof ProtectedAppContainer ? c.container : c instanceof ProtectedAppService ? c.service : undefined;
    // Still being constructed (its container is made last): it has no provider to compare yet.
    if (!resource) continue;
    const p = resource.provider ?? defaultDocker(TerraformStack.of(resource));
    if (p && !out.includes(p)) out.push(p);
  }
  return out;
}

// A stack's default docker provider, once found, stays its default (Terraform allows one
// unaliased configuration per provider); only hits are kept, so one added later is still seen.
const defaultDockerOf = new WeakMap<TerraformStack, TerraformProvider>();

function defaultDocker(stack: TerraformStack): TerraformProvider | undefined {
  const known = defaultDockerOf.get(stack);
  if (known) return known;
  const found = stack.node.findAll().find((c): c is TerraformProvider => c instanceof TerraformProvider && c.terraformResourceType === 'docker' && !c.alias);
  if (found) defaultDockerOf.set(stack, found);
  return found;
}

/** The identity policy of a read-only reader of one bucket. */
function readerPolicy(bucket: CustodyBucket): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadBackups', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: `${bucket.bucketArn}/*` },
      { Sid: 'ListBackups', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: bucket.bucketArn },
      { Sid: 'DecryptWithBucketKey', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: bucket.kmsKey.arn },
    ],
  });
}

/**
 * One read-only drill principal of one bucket, in that bucket's stack and account: it may
 * read and list backups and decrypt them with the bucket's key, nothing else, and the
 * bucket's deny-all-but policy lets it in through `grantRead`.
 */
export class DrillReader extends Construct {
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: { bucket: CustodyBucket; key: MasterKey; what: 'key' | 'db'; namePrefix: string; trust?: CustodyRoleTrust }) {
    super(scope, id);
    const b = props.bucket;
    const provider = b.bucket.provider;
    let principals = props.trust?.principals.map((x) => (/^\d{12}$/.test(x) ? `arn:aws:iam::${x}:root` : x));
    if (!principals) {
      const caller = new DataAwsCallerIdentity(this, 'Account', { provider });
      principals = [`arn:aws:iam::${caller.accountId}:root`];
    }
    const statement: Record<string, unknown> = { Sid: 'AssumeForDrill', Effect: 'Allow', Principal: { AWS: principals }, Action: 'sts:AssumeRole' };
    if (props.trust?.externalId) statement.Condition = { StringEquals: { 'sts:ExternalId': props.trust.externalId } };
    this.role = new IamRole(this, 'Role', {
      provider,
      namePrefix: `${props.namePrefix}-${props.what}-rd-`.slice(0, 38),
      description: `Recovery drill of key ${props.key.keyId}: reads ${b.role} backups of this bucket only (read-only)`,
      assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
      maxSessionDuration: 3600,
      tags: { ...custodyTags(props.key), 'custody:access': 'drill-read', 'custody:reads': b.role },
    });
    new IamRolePolicy(this, 'Policy', { provider, role: this.role.id, name: 'custody-drill-read', policy: readerPolicy(b) });
    b.grantRead(this.role.arn);
  }
}

/** A one-shot docker container: runs to completion; Terraform fails the apply on a non-zero exit. */
function oneShot(what: string): Pick<ConstructorParameters<typeof Container>[2], 'attach' | 'mustRun' | 'logs' | 'restart' | 'lifecycle'> {
  return {
    attach: true,
    mustRun: false,
    logs: true,
    restart: 'no',
    lifecycle: {
      postcondition: [{ condition: '${self.exit_code == 0}', errorMessage: `Recovery drill FAILED at "${what}" (a failed drill is a P1 incident): \${self.container_logs}` }],
    },
  };
}

/**
 * The quarterly recovery drill of one master key (DESIGN.md §4, KC030-KC034): in a scratch
 * environment on a docker host of its own, restore a DB backup at least `restoreAgeDays`
 * old with the DB restore credential, restore the key from the OFFSITE key bucket with the
 * key restore credential, start the app with that key mounted read-only and passed by path,
 * and check its readiness endpoint.
 *
 * - docker part (`dockerScope`): an internal network; a fetch network for the two fetch
 *   jobs only; volumes for the key and the dump; the database; the restore job; the app;
 *   a readiness check. Every job is a one-shot container whose non-zero exit fails
 *   `terraform apply` (lifecycle postcondition on `exit_code`).
 * - AWS part (`awsScope`): a tagged schedule group with the reminder schedule (SNS), the
 *   staleness heartbeat, an SNS topic, the P1 staleness alarm and the scheduler roles.
 * - readers: one read-only role per bucket, in the bucket's own stack and account.
 * - the custody manifest entry and a generated `drill-runbook.md` next to the stack's output.
 *
 * CloudWatch alarms evaluate at most 7 days of data, so "no passing drill for 100 days"
 * cannot be a plain alarm. It is a dead man's switch: a heartbeat schedule puts
 * `DrillPassed = 1` every 6 hours until its `end_date`; a passing drill moves `end_date`
 * to `stalenessDays` after the drill (the runbook's record step). When the deadline passes,
 * the metric stops, and the alarm (`treat_missing_data = breaching`) pages within a day.
 */
export class RecoveryDrill extends Construct {
  public readonly drillId: string;
  public readonly keyId: string;
  public readonly app: string;
  public readonly schedule: string;
  public readonly timezone: string;
  public readonly restoreAgeDays: number;
  public readonly stalenessDays: number;
  /** Next reminder, when `now` was given. */
  public readonly nextRun?: string;

  /** Read-only role of the key bucket. */
  public readonly keyReader: DrillReader;
  /** Read-only role of the DB bucket, unless `dbReaderArn` named an existing one. */
  public readonly dbReader?: DrillReader;
  /** ARN of the DB-restore job's read-only principal (the created role's, or `dbReaderArn`). */
  public readonly dbReaderArn: string;

  public readonly network: Network;
  public readonly fetchNetwork: Network;
  public readonly keyVolume: Volume;
  public readonly dumpVolume: Volume;
  public readonly keyRestore: Container;
  public readonly dbFetch: Container;
  public readonly database: Container;
  public readonly dbRestore: Container;
  /** The drill app container. */
  public readonly appContainer: Container;
  public readonly readiness: Container;

  public readonly topic: SnsTopic;
  public readonly scheduleGroup: SchedulerScheduleGroup;
  public readonly reminder: SchedulerSchedule;
  public readonly heartbeat: SchedulerSchedule;
  public readonly alarm?: CloudwatchMetricAlarm;
  /** Managed policy an operator needs to record a drill result (attach it to whoever runs drills). */
  public readonly recorderPolicy: IamPolicy;

  constructor(scope: Construct, id: string, props: RecoveryDrillProps) {
    super(scope, id);
    const p = parseProps(
      'RecoveryDrill',
      this,
      propsSchema,
      props,
      'give { masterKey, keyBucket, dbBucket, scratchProvider: new DockerProvider(stack, "scratch", { alias: "scratch", host: "ssh://...scratch-host" }) }',
    );
    const key = props.masterKey;
    const profile: AppProfile = key.profile;
    this.keyId = key.keyId;
    this.app = key.app;
    this.drillId = p.drillId ?? 'quarterly';
    this.schedule = p.schedule ?? DEFAULT_DRILL_SCHEDULE;
    this.timezone = p.timezone ?? 'UTC';
    this.restoreAgeDays = p.restoreAgeDays ?? MIN_RESTORE_AGE_DAYS;
    this.stalenessDays = p.stalenessDays ?? 100;
    this.nextRun = p.now ? nextCronRun(this.schedule, this.timezone, p.now) : undefined;
    const prefix = p.namePrefix ?? `${key.app}-drill`.slice(0, 31).replace(/-+$/, '');
    const tags = custodyTags(key);

    if (props.keyBucket.key !== key.keyId || props.dbBucket.key !== key.keyId) {
      throw new Error(
        `[${this.node.path}] RecoveryDrill: the buckets belong to keys "${props.keyBucket.key}" (key bucket) and "${props.dbBucket.key}" (DB bucket), but the drill restores key "${key.keyId}".\n` +
          `fix: pass the KeyBackupBucket and DatabaseBackupBucket created with key: "${key.keyId}"`,
      );
    }
    if (props.dbBucket instanceof AdoptedBackupBucket && p.dbReaderArn === undefined) {
      throw new Error(
        `[${this.node.path}] RecoveryDrill: the DB bucket ${props.dbBucket.node.path} is adopted, so this construct cannot grant a reader on it.\n` +
          'fix: grant a read-only role on the bucket where it is managed (s3:GetObject, s3:ListBucket, kms:Decrypt; nothing on the key bucket) and pass its ARN as dbReaderArn',
      );
    }
    if ((props.keyBucket as unknown) === (props.dbBucket as unknown)) {
      throw new Error(`[${this.node.path}] RecoveryDrill: keyBucket and dbBucket must be two different managed buckets.\nfix: pass the KeyBackupBucket and the DatabaseBackupBucket of the key`);
    }

    const dockerScope = props.dockerScope ?? this;
    const awsScope = props.awsScope ?? this;
    const scratch = props.scratchProvider;
    this.checkScratchProvider(scratch, props.productionProviders ?? productionProvidersOf(this.node.root), dockerScope);
    // Providers created later than this construct are checked once the tree is complete.
    this.node.addValidation({
      validate: () => {
        try {
          this.checkScratchProvider(scratch, props.productionProviders ?? productionProvidersOf(this.node.root), dockerScope);
          return [];
        } catch (e) {
          return [(e as Error).message];
        }
      },
    });

    // ----- credentials: one read-only reader per bucket, each in its bucket's stack -------
    this.keyReader = new DrillReader(props.keyReaderScope ?? TerraformStack.of(props.keyBucket), `${this.uniqueStem()}DrillKeyReader`, {
      bucket: props.keyBucket,
      key,
      what: 'key',
      namePrefix: prefix,
      trust: p.keyReaderTrust,
    });
    const dbBucket = props.dbBucket;
    if (p.dbReaderArn === undefined && dbBucket instanceof DatabaseBackupBucket) {
      this.dbReader = new DrillReader(props.dbReaderScope ?? TerraformStack.of(dbBucket), `${this.uniqueStem()}DrillDbReader`, {
        bucket: dbBucket,
        key,
        what: 'db',
        namePrefix: prefix,
        trust: p.dbReaderTrust,
      });
    }
    this.dbReaderArn = this.dbReader?.role.arn ?? (p.dbReaderArn as string);
    // A named reader of a managed bucket still has to pass its deny-all-but policy.
    if (!this.dbReader && dbBucket instanceof DatabaseBackupBucket) dbBucket.grantRead(this.dbReaderArn);
    new TerraformOutput(TerraformStack.of(this.keyReader), `${this.uniqueStem()}_drill_key_reader_arn`, {
      value: this.keyReader.role.arn,
      description: `Role the key-restore profile on the scratch host assumes (drill "${this.drillId}" of key ${key.keyId})`,
    });
    if (this.dbReader) {
      new TerraformOutput(TerraformStack.of(this.dbReader), `${this.uniqueStem()}_drill_db_reader_arn`, {
        value: this.dbReader.role.arn,
        description: `Role the DB-restore profile on the scratch host assumes (drill "${this.drillId}" of key ${key.keyId})`,
      });
    }

    // ----- docker part ----------------------------------------------------------------------
    const d = new Construct(dockerScope, dockerScope === this ? 'Scratch' : `${this.uniqueStem()}Scratch`);
    const provider = scratch;
    const images = new Map<string, string>();
    const image = (ref: string) => {
      let idRef = images.get(ref);
      if (!idRef) {
        const img = new Image(d, `Image${images.size}`, { provider, name: ref, keepLocally: true });
        images.set(ref, (idRef = img.imageId));
      }
      return idRef;
    };

    this.network = new Network(d, 'Network', { provider, name: `${prefix}-net`, internal: true, labels: labelList(tags, 'network') });
    // The two fetch jobs need S3; nothing else joins this network (see the KC032 note below).
    this.fetchNetwork = new Network(d, 'FetchNetwork', { provider, name: `${prefix}-fetch`, internal: false, labels: labelList(tags, 'fetch-network') });
    this.keyVolume = new Volume(d, 'KeyVolume', { provider, name: `${prefix}-restored-key`, labels: labelList(tags, 'restored-key') });
    this.dumpVolume = new Volume(d, 'DumpVolume', { provider, name: `${prefix}-db-dump`, labels: labelList(tags, 'db-dump') });

    const passing = keyPassingOf(profile, { command: p.appCommand ? [...p.appCommand] : undefined });
    const keyFile = passing.target;
    const keyDir = keyFile.slice(0, keyFile.lastIndexOf('/'));
    const keyName = keyFile.slice(keyFile.lastIndexOf('/') + 1);
    const keyObject = p.keyObjectKey ?? `${key.keyId}/${keyName}`;
    const owner = p.keyFileOwner ?? '0:0';
    const keyCreds = { hostDir: p.keyCredentials?.hostDir ?? '/etc/key-custody/drill/key-restore', profile: p.keyCredentials?.profile ?? 'custody-drill-key-restore' };
    const dbCreds = { hostDir: p.dbCredentials?.hostDir ?? '/etc/key-custody/drill/db-restore', profile: p.dbCredentials?.profile ?? 'custody-drill-db-restore' };
    if (keyCreds.hostDir === dbCreds.hostDir || keyCreds.profile === dbCreds.profile) {
      throw new Error(
        `[${this.node.path}] RecoveryDrill: the key-restore and DB-restore jobs would share credentials (${keyCreds.hostDir === dbCreds.hostDir ? `host folder "${keyCreds.hostDir}"` : `profile "${keyCreds.profile}"`}); one credential reading both backups is the 1-2 backup custody separation forbids (KC011).\n` +
          'fix: give keyCredentials and dbCredentials different hostDir and profile values',
      );
    }
    for (const c of [keyCreds, dbCreds]) {
      const hot = key.hotCopyPath;
      if (hot && (hot === c.hostDir || hot.startsWith(`${c.hostDir.replace(/\/+$/, '')}/`))) {
        throw new Error(`[${this.node.path}] RecoveryDrill: credentials folder "${c.hostDir}" contains the hot copy ${hot} of the key (KC031).\nfix: keep drill credentials in a folder of their own, e.g. /etc/key-custody/drill/...`);
      }
    }
    const awsEnv = (c: { profile: string }, bucket: CustodyBucket | AdoptedBackupBucket) => [
      'AWS_CONFIG_FILE=/run/drill-aws/config',
      'AWS_SHARED_CREDENTIALS_FILE=/run/drill-aws/credentials',
      `AWS_PROFILE=${c.profile}`,
      `AWS_REGION=${bucket.bucket.region}`,
      `BUCKET=${bucket.bucketName}`,
    ];
    const credMount = (c: { hostDir: string }) => ({ type: 'bind', source: c.hostDir, target: '/run/drill-aws', readOnly: true });
    const fetchImage = p.fetchImage ?? 'amazon/aws-cli:2.22.35';

    // The key: the one object of the OFFSITE bucket, with the key-restore credential only.
    this.keyRestore = new Container(d, 'KeyRestore', {
      provider,
      name: `${prefix}-key-restore`,
      image: image(fetchImage),
      entrypoint: ['/bin/sh', '-c'],
      command: [KEY_RESTORE_SCRIPT, 'key-restore'],
      env: [...awsEnv(keyCreds, props.keyBucket), `S3_OBJECT=${keyObject}`, `RESTORE_PATH=/restore/${keyName}`, `FILE_OWNER=${owner}`],
      mounts: [credMount(keyCreds), { type: 'volume', source: this.keyVolume.name, target: '/restore', readOnly: false }],
      networksAdvanced: [{ name: this.fetchNetwork.name }],
      labels: labelList(tags, 'key-restore'),
      ...oneShot('key restore from the offsite key bucket'),
    });
    // The DB backup: the newest one at least restoreAgeDays old, with the DB-restore credential only.
    this.dbFetch = new Container(d, 'DbFetch', {
      provider,
      name: `${prefix}-db-fetch`,
      image: image(fetchImage),
      entrypoint: ['/bin/sh', '-c'],
      command: [DB_FETCH_SCRIPT, 'db-fetch'],
      env: [...awsEnv(dbCreds, props.dbBucket), `PREFIX=${p.dbBackupPrefix ?? ''}`, `MIN_AGE_DAYS=${this.restoreAgeDays}`],
      mounts: [credMount(dbCreds), { type: 'volume', source: this.dumpVolume.name, target: '/restore', readOnly: false }],
      networksAdvanced: [{ name: this.fetchNetwork.name }],
      labels: labelList(tags, 'db-fetch'),
      ...oneShot(`fetch of a DB backup at least ${this.restoreAgeDays} days old`),
    });
    // Fetch jobs are the only drill containers that need a route out (to S3). They stay off the
    // internal network, hold no restored data but their own volume, and run with one credential.
    // KC032 admits them on a non-internal network only while no other drill container joins it.

    const dbName = p.databaseName ?? key.app.replace(/-/g, '_');
    const dbImage = p.databaseImage ?? 'postgres:17-alpine';
    this.database = new Container(d, 'Database', {
      provider,
      name: `${prefix}-db`,
      image: image(dbImage),
      // A scratch database on an internal network: trust auth, so that no password has to be
      // generated into Terraform state; nothing outside the drill network can reach it.
      env: ['POSTGRES_HOST_AUTH_METHOD=trust', `POSTGRES_DB=${dbName}`],
      networksAdvanced: [{ name: this.network.name }],
      labels: labelList(tags, 'database'),
      restart: 'no',
      healthcheck: { test: ['CMD-SHELL', 'pg_isready -U postgres'], interval: '5s', timeout: '5s', retries: 30 },
      wait: true,
      waitTimeout: 180,
    });
    this.dbRestore = new Container(d, 'DbRestore', {
      provider,
      name: `${prefix}-db-restore`,
      image: image(dbImage),
      entrypoint: ['/bin/sh', '-c'],
      command: [DB_RESTORE_SCRIPT, 'db-restore'],
      env: [`PGHOST=${this.database.name}`, 'PGUSER=postgres', `PGDATABASE=${dbName}`],
      mounts: [{ type: 'volume', source: this.dumpVolume.name, target: '/restore', readOnly: true }],
      networksAdvanced: [{ name: this.network.name }],
      labels: labelList(tags, 'db-restore'),
      dependsOn: [this.database, this.dbFetch],
      ...oneShot('restore of the DB backup into the drill database'),
    });

    const envDefaults = profile.name === 'zitadel' ? zitadelDbEnv(this.database.name, dbName) : {};
    const appEnv = { ...envDefaults, ...(p.appEnv ?? {}) };
    parseProps('RecoveryDrill', this, keyPassingSchema(profile, 'RecoveryDrill'), { env: appEnv, command: p.appCommand }, 'the drill passes the restored key by path; keep it out of appEnv and appCommand');
    const env = { ...appEnv, ...passing.env };
    const appImage = p.appImage ?? profile.image;
    if (!appImage) throw new Error(`[${this.node.path}] RecoveryDrill: profile "${profile.name}" names no image.\nfix: give appImage, e.g. "registry/app:1.2.3"`);
    this.appContainer = new Container(d, 'App', {
      provider,
      name: `${prefix}-app`,
      image: image(appImage),
      command: passing.command,
      env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      user: p.appUser ?? (owner === '0:0' ? '0' : owner.split(':')[0]),
      // The restored key, read-only, at the path the app is told: the same shape as production.
      mounts: [{ type: 'volume', source: this.keyVolume.name, target: keyDir, readOnly: true }],
      networksAdvanced: [{ name: this.network.name }],
      labels: labelList(tags, 'app'),
      restart: 'no',
      dependsOn: [this.dbRestore, this.keyRestore],
    });
    const timeout = p.readinessTimeoutSeconds ?? 300;
    // The literal container name: docker's DNS on the drill network resolves it, and the runbook can print it.
    const url = `http://${prefix}-app:${profile.port}${profile.readinessPath}`;
    this.readiness = new Container(d, 'Readiness', {
      provider,
      name: `${prefix}-readiness`,
      image: image(p.curlImage ?? 'curlimages/curl:8.11.1'),
      command: ['-fsS', '--retry', String(Math.ceil(timeout / 5)), '--retry-delay', '5', '--retry-all-errors', '--max-time', '10', url],
      networksAdvanced: [{ name: this.network.name }],
      labels: labelList(tags, 'readiness'),
      dependsOn: [this.appContainer],
      ...oneShot(`readiness check ${profile.readinessPath}`),
    });

    // ----- AWS part ---------------------------------------------------------------------
    const a = new Construct(awsScope, awsScope === this ? 'Aws' : `${this.uniqueStem()}Aws`);
    const awsProvider = props.awsProvider;
    const groupName = `${prefix}-${key.keyId}`.slice(0, 64);
    this.topic = new SnsTopic(a, 'Topic', { provider: awsProvider, name: `${prefix}-${key.keyId}-${this.drillId}`.slice(0, 256), tags });
    for (const [i, s] of (p.subscribers ?? []).entries()) {
      new SnsTopicSubscription(a, `Subscriber${i}`, { provider: awsProvider, topicArn: this.topic.arn, protocol: s.protocol, endpoint: s.endpoint });
    }
    this.scheduleGroup = new SchedulerScheduleGroup(a, 'Group', { provider: awsProvider, name: groupName, tags });
    const schedulerTrust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { ArnLike: { 'aws:SourceArn': `arn:*:scheduler:*:*:schedule/${groupName}/*` } },
        },
      ],
    });
    const reminderRole = new IamRole(a, 'ReminderRole', {
      provider: awsProvider,
      namePrefix: `${prefix}-remind-`.slice(0, 38),
      description: `Lets EventBridge Scheduler publish the drill reminder of key ${key.keyId} to its topic; nothing else`,
      assumeRolePolicy: schedulerTrust,
      tags,
    });
    new IamRolePolicy(a, 'ReminderPolicy', {
      provider: awsProvider,
      role: reminderRole.id,
      name: 'publish-drill-reminder',
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'PublishReminder', Effect: 'Allow', Action: ['sns:Publish'], Resource: this.topic.arn }] }),
    });
    const heartbeatRole = new IamRole(a, 'HeartbeatRole', {
      provider: awsProvider,
      namePrefix: `${prefix}-beat-`.slice(0, 38),
      description: `Lets EventBridge Scheduler put the ${DRILL_METRIC_NAME} heartbeat of key ${key.keyId}; nothing else`,
      assumeRolePolicy: schedulerTrust,
      tags,
    });
    new IamRolePolicy(a, 'HeartbeatPolicy', {
      provider: awsProvider,
      role: heartbeatRole.id,
      name: 'put-drill-heartbeat',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'PutDrillMetric',
            Effect: 'Allow',
            Action: ['cloudwatch:PutMetricData'],
            Resource: '*',
            Condition: { StringEquals: { 'cloudwatch:namespace': DRILL_METRIC_NAMESPACE } },
          },
        ],
      }),
    });

    const runbookRef = `cdktf.out/stacks/${TerraformStack.of(this).node.id}/${DRILL_RUNBOOK_FILE}`;
    this.reminder = new SchedulerSchedule(a, 'Reminder', {
      provider: awsProvider,
      name: `${this.drillId}-reminder`,
      groupName: this.scheduleGroup.name,
      description: `Recovery drill "${this.drillId}" of key ${key.keyId} (${key.app}) is due; runbook: ${runbookRef}`,
      scheduleExpression: this.schedule,
      scheduleExpressionTimezone: this.timezone,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.topic.arn,
        roleArn: reminderRole.arn,
        input: JSON.stringify({
          ...tags,
          event: 'recovery-drill-due',
          drill: this.drillId,
          message: `Recovery drill "${this.drillId}" of key ${key.keyId} (${key.app}) is due: restore a DB backup at least ${this.restoreAgeDays} days old and the key from the offsite key bucket on the scratch host, check ${profile.readinessPath}, record pass/fail. A failed drill is a P1 incident.`,
          runbook: runbookRef,
          restoreAgeDays: this.restoreAgeDays,
          keySource: 'offsite key-backup bucket',
        }),
        retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 86400 },
      },
    });
    const passedOn = parseDate(p.lastPassedOn);
    const deadline = passedOn !== undefined ? `${formatDate(addDays(passedOn, this.stalenessDays))}T00:00:00Z` : `\${timeadd(plantimestamp(), "${this.stalenessDays * 24}h")}`;
    this.heartbeat = new SchedulerSchedule(a, 'Heartbeat', {
      provider: awsProvider,
      name: `${this.drillId}-passed-heartbeat`,
      groupName: this.scheduleGroup.name,
      description: `Puts ${DRILL_METRIC_NAME}=1 for key ${key.keyId} until end_date; a passing drill moves end_date ${this.stalenessDays} days ahead (dead man's switch)`,
      scheduleExpression: 'rate(6 hours)',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      endDate: deadline,
      target: {
        arn: 'arn:aws:scheduler:::aws-sdk:cloudwatch:putMetricData',
        roleArn: heartbeatRole.arn,
        input: JSON.stringify({
          Namespace: DRILL_METRIC_NAMESPACE,
          MetricData: [{ MetricName: DRILL_METRIC_NAME, Dimensions: [{ Name: DRILL_METRIC_DIMENSION, Value: key.keyId }], Value: 1, Unit: 'Count' }],
        }),
      },
      // Passing drills move end_date (the runbook's record step); Terraform must not move it back.
      lifecycle: { ignoreChanges: ['end_date'] },
    });

    if (p.alarm !== false) {
      this.alarm = new CloudwatchMetricAlarm(a, 'StaleAlarm', {
        provider: awsProvider,
        alarmName: `${prefix}-${key.keyId}-${this.drillId}-stale`,
        alarmDescription:
          `P1: no passing recovery drill of key ${key.keyId} (${key.app}) has been recorded for more than ${this.stalenessDays} days. ` +
          `Run the drill now (${runbookRef}); until it passes, nobody knows whether the key and the DB backups can be restored.`,
        namespace: DRILL_METRIC_NAMESPACE,
        metricName: DRILL_METRIC_NAME,
        dimensions: { [DRILL_METRIC_DIMENSION]: key.keyId },
        statistic: 'Maximum',
        period: 86400,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        threshold: 1,
        comparisonOperator: 'LessThanThreshold',
        treatMissingData: 'breaching',
        actionsEnabled: true,
        alarmActions: [this.topic.arn, ...(p.pagerTopicArns ?? [])],
        okActions: [this.topic.arn],
        tags,
      });
    }

    this.recorderPolicy = new IamPolicy(a, 'RecorderPolicy', {
      provider: awsProvider,
      namePrefix: `${prefix}-record-`.slice(0, 100),
      description: `Record the outcome of recovery drill "${this.drillId}" of key ${key.keyId}: publish the result, put ${DRILL_METRIC_NAME}, move the heartbeat deadline`,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'PublishResult', Effect: 'Allow', Action: ['sns:Publish'], Resource: this.topic.arn },
          { Sid: 'PutMetric', Effect: 'Allow', Action: ['cloudwatch:PutMetricData'], Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': DRILL_METRIC_NAMESPACE } } },
          { Sid: 'MoveDeadline', Effect: 'Allow', Action: ['scheduler:GetSchedule', 'scheduler:UpdateSchedule'], Resource: this.heartbeat.arn },
          { Sid: 'PassHeartbeatRole', Effect: 'Allow', Action: ['iam:PassRole'], Resource: heartbeatRole.arn },
        ],
      }),
      tags,
    });

    // ----- manifest and runbook -----------------------------------------------------------
    const log = p.log !== false;
    CustodyManifest.of(this).addDrill({
      id: this.drillId,
      key: key.keyId,
      schedule: this.schedule,
      timezone: this.timezone,
      intervalDays: QUARTER_DAYS,
      restoreAgeDays: this.restoreAgeDays,
      keySource: stackAddress(props.keyBucket.bucket),
      keySourcePath: keyObject,
      dockerProvider: providerRef(scratch),
      alarm: p.alarm !== false,
      log,
      nextRun: this.nextRun,
    });

    const runbook: RunbookFacts = {
      drillId: this.drillId,
      keyId: key.keyId,
      app: key.app,
      profile,
      schedule: this.schedule,
      timezone: this.timezone,
      nextRun: this.nextRun,
      restoreAgeDays: this.restoreAgeDays,
      stalenessDays: this.stalenessDays,
      keyBucket: stackAddress(props.keyBucket.bucket),
      keyObject,
      dbBucket: dbBucket instanceof AdoptedBackupBucket ? `${TerraformStack.of(dbBucket).node.id}/${dbBucket.address}` : stackAddress(dbBucket.bucket),
      dbPrefix: p.dbBackupPrefix ?? '',
      keyCreds,
      dbCreds,
      keyReaderOutput: `${TerraformStack.of(this.keyReader).node.id} output ${this.uniqueStem()}_drill_key_reader_arn`,
      dbReaderOutput: this.dbReader ? `${TerraformStack.of(this.dbReader).node.id} output ${this.uniqueStem()}_drill_db_reader_arn` : undefined,
      dbReaderArn: this.dbReader ? undefined : this.dbReaderArn,
      dockerStack: TerraformStack.of(d).node.id,
      awsStack: TerraformStack.of(a).node.id,
      scratchProvider: providerRef(scratch),
      scratchHost: providerHost(scratch),
      names: {
        keyRestore: `${prefix}-key-restore`,
        dbFetch: `${prefix}-db-fetch`,
        database: `${prefix}-db`,
        dbRestore: `${prefix}-db-restore`,
        app: `${prefix}-app`,
        readiness: `${prefix}-readiness`,
        keyVolume: `${prefix}-restored-key`,
      },
      keyFile,
      readinessUrl: url,
      scheduleGroup: groupName,
      heartbeat: `${this.drillId}-passed-heartbeat`,
      alarmName: this.alarm ? `${prefix}-${key.keyId}-${this.drillId}-stale` : undefined,
      log,
      drillLogPath: p.drillLogPath ?? `docs/ops/${key.app}/drill-log.md`,
    };
    const stack = TerraformStack.of(this);
    addCustomSynthesis(this, {
      onSynthesize: (session: ISynthesisSession) => {
        const dir = join(session.outdir, session.manifest.forStack(stack).workingDirectory);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, runbookFileName(this)), renderRunbook(runbook));
      },
    });
  }

  /** A stable, readable stem for ids this construct places in other scopes. */
  private uniqueStem(): string {
    return `${this.node.id}${this.drillId === 'quarterly' ? '' : `-${this.drillId}`}`.replace(/[^A-Za-z0-9_-]/g, '_');
  }

  private checkScratchProvider(scratch: TerraformProvider, production: readonly TerraformProvider[], dockerScope: Construct): void {
    const fix =
      'fix: declare a docker provider of its own for the drill, e.g. new DockerProvider(stack, "scratch", { alias: "scratch", host: "ssh://deploy@scratch.example.com" }), and pass it as scratchProvider';
    const mine = providerHost(scratch);
    for (const prod of production) {
      const same =
        prod === scratch
          ? 'is the same provider object'
          : TerraformStack.of(prod) === TerraformStack.of(scratch) && prod.alias === scratch.alias
            ? `has the same alias "${scratch.alias}" in the same stack`
            : mine !== undefined && mine === providerHost(prod)
              ? `points at the same docker host "${mine}"`
              : undefined;
      if (same) {
        throw new Error(
          `[${this.node.path}] RecoveryDrill: scratchProvider ${scratch.node.path} ${same} as ${prod.node.path}, the production app's docker provider (${providerRef(prod)}); ` +
            'the drill would restore onto the production host (KC031/KC032).\n' +
            fix,
        );
      }
    }
    if (!scratch.alias) {
      throw new Error(`[${this.node.path}] RecoveryDrill: scratchProvider ${scratch.node.path} has no alias; the drill runs on a docker provider alias of its own, never on the stack's default docker provider.\n${fix}`);
    }
    if (TerraformStack.of(scratch) !== TerraformStack.of(dockerScope)) {
      throw new Error(
        `[${this.node.path}] RecoveryDrill: scratchProvider ${scratch.node.path} is in stack "${TerraformStack.of(scratch).node.id}", but the docker part is in stack "${TerraformStack.of(dockerScope).node.id}".\nfix: declare the scratch provider in the stack of dockerScope`,
      );
    }
  }
}

const runbookNames = new WeakMap<TerraformStack, RecoveryDrill[]>();
/** `drill-runbook.md` for the first drill of a stack; `drill-runbook-<id>.md` for further ones. */
function runbookFileName(drill: RecoveryDrill): string {
  const stack = TerraformStack.of(drill);
  let list = runbookNames.get(stack);
  if (!list) runbookNames.set(stack, (list = stack.node.findAll().filter((c): c is RecoveryDrill => c instanceof RecoveryDrill)));
  return list.indexOf(drill) <= 0 ? DRILL_RUNBOOK_FILE : `drill-runbook-${drill.node.id}-${drill.drillId}.md`;
}

/** Zitadel against the restored database: superuser over trust auth on the internal network. */
function zitadelDbEnv(host: string, db: string): Record<string, string> {
  return {
    ZITADEL_DATABASE_POSTGRES_HOST: host,
    ZITADEL_DATABASE_POSTGRES_PORT: '5432',
    ZITADEL_DATABASE_POSTGRES_DATABASE: db,
    ZITADEL_DATABASE_POSTGRES_USER_USERNAME: 'postgres',
    ZITADEL_DATABASE_POSTGRES_USER_SSL_MODE: 'disable',
    ZITADEL_DATABASE_POSTGRES_ADMIN_USERNAME: 'postgres',
    ZITADEL_DATABASE_POSTGRES_ADMIN_SSL_MODE: 'disable',
  };
}

// Scripts run by `sh -c`; they must not contain "${" or "%{", which Terraform would interpolate.

/** Fetch the key object and make it a 0400 file; prints only the object's version and size. */
export const KEY_RESTORE_SCRIPT = [
  'set -eu',
  'aws s3api get-object --bucket "$BUCKET" --key "$S3_OBJECT" "$RESTORE_PATH" --query "[VersionId,ContentLength]" --output text',
  'chown "$FILE_OWNER" "$RESTORE_PATH"',
  'chmod 0400 "$RESTORE_PATH"',
  'test -s "$RESTORE_PATH"',
  'echo "key restored from s3://$BUCKET/$S3_OBJECT"',
].join('\n');

/** Pick the newest DB backup at least MIN_AGE_DAYS old (ISO timestamps sort as text) and fetch it. */
export const DB_FETCH_SCRIPT = [
  'set -eu',
  'cutoff=$(date -u -d "@$(( $(date +%s) - MIN_AGE_DAYS * 86400 ))" +%Y-%m-%dT%H:%M:%S+00:00)',
  'key=$(aws s3api list-objects-v2 --bucket "$BUCKET" --prefix "$PREFIX" --query "Contents[].[LastModified,Key]" --output text | awk -F "\\t" -v c="$cutoff" \'$1 <= c\' | sort | tail -n 1 | cut -f 2-)',
  'if [ -z "$key" ] || [ "$key" = "None" ]; then echo "no DB backup at least $MIN_AGE_DAYS days old under s3://$BUCKET/$PREFIX" >&2; exit 1; fi',
  'aws s3api get-object --bucket "$BUCKET" --key "$key" /restore/db.dump --query "[VersionId,LastModified]" --output text',
  'printf "%s\\n" "s3://$BUCKET/$key" > /restore/SOURCE',
  'echo "restoring s3://$BUCKET/$key (older than $cutoff)"',
].join('\n');

/** Restore a pg_dump custom-format dump into the drill database. */
export const DB_RESTORE_SCRIPT = [
  'set -eu',
  'until pg_isready -q; do sleep 2; done',
  'echo "restoring $(cat /restore/SOURCE)"',
  'pg_restore --no-owner --no-privileges --exit-on-error --dbname "$PGDATABASE" /restore/db.dump',
].join('\n');

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
  names: { keyRestore: string; dbFetch: string; database: string; dbRestore: string; app: string; readiness: string; keyVolume: string };
  keyFile: string;
  readinessUrl: string;
  scheduleGroup: string;
  heartbeat: string;
  alarmName?: string;
  log: boolean;
  drillLogPath: string;
}

/** The runbook: this drill's exact steps, and the drill-log template. No secret values: only names and paths. */
export function renderRunbook(f: RunbookFacts): string {
  const code = (s: string) => `\`${s}\``;
  const zitadel = f.profile.name === 'zitadel';
  const out: string[] = [
    `# Recovery drill \`${f.drillId}\`: ${f.app} master key \`${f.keyId}\``,
    '',
    '> Generated by cdktf-key-custody at synth time. Do not edit: change the RecoveryDrill and synthesize again.',
    '> A non-recoverable backup is worse than no backup because it hides the risk. **A failed drill is a P1 incident.**',
    '',
    '## Facts',
    '',
    `- Schedule: ${code(f.schedule)} (${f.timezone})${f.schedule === DEFAULT_DRILL_SCHEDULE ? ' - first Monday of January, April, July and October, 10:00' : ''}`,
    `- Next run: ${f.nextRun ?? 'see the reminder schedule in AWS'}`,
    `- DB backup restored: the newest backup at least **${f.restoreAgeDays} days** old, from ${code(f.dbBucket)}${f.dbPrefix ? ` under prefix ${code(f.dbPrefix)}` : ''}`,
    `- Key restored from: the **offsite** key backup ${code(f.keyBucket)}, object ${code(f.keyObject)} - never the hot copy on the production host`,
    `- Scratch host: docker provider ${code(f.scratchProvider)}${f.scratchHost ? ` (${code(f.scratchHost)})` : ''}; docker part in stack ${code(f.dockerStack)}`,
    `- Reminder, results and P1 alarm: SNS topic and schedule group ${code(f.scheduleGroup)} in stack ${code(f.awsStack)}`,
    `- Staleness alarm: ${f.alarmName ? `${code(f.alarmName)} fires when no passing drill was recorded for ${f.stalenessDays} days` : '**none** (KC034)'}`,
    '',
    '## Before the first drill (once)',
    '',
    'The restore jobs read AWS credentials from a folder on the scratch host, mounted read-only; Terraform carries only the path and the profile name.',
    'Use two different source identities, each allowed to assume only its one drill role, so that no single credential reads both backups.',
    '',
    `1. Key restore: ${code(`${f.keyCreds.hostDir}/config`)} with profile ${code(f.keyCreds.profile)} whose ${code('role_arn')} is the output of ${code(`cdktf ${f.keyReaderOutput}`)} (a role that can only read the key bucket).`,
    `2. DB restore: ${code(`${f.dbCreds.hostDir}/config`)} with profile ${code(f.dbCreds.profile)} whose ${code('role_arn')} is ${f.dbReaderOutput ? `the output of ${code(`cdktf ${f.dbReaderOutput}`)}` : code(f.dbReaderArn ?? '')} (a role that can only read the DB bucket).`,
    `3. Both folders ${code('0700 root:root')}, files ${code('0400')}; never on the production host.`,
    '',
    '## Steps',
    '',
    `Everything below runs on the scratch host by deploying stack ${code(f.dockerStack)}: ${code(`cdktf deploy ${f.dockerStack}`)}`,
    `(or ${code('terraform apply')} in ${code(`cdktf.out/stacks/${f.dockerStack}`)}). Each job is a one-shot container; a non-zero exit fails the apply and the drill.`,
    '',
    `1. **Restore the DB backup (at least ${f.restoreAgeDays} days old) with the DB restore credential only.**`,
    `   Container ${code(f.names.dbFetch)} (profile ${code(f.dbCreds.profile)}) lists the DB bucket, picks the newest object older than ${f.restoreAgeDays} days and downloads it;`,
    `   ${code(f.names.dbRestore)} restores it into the drill database ${code(f.names.database)} (its own PostgreSQL, on the internal drill network) with ${code('pg_restore')}.`,
    `   Check: ${code(`docker logs ${f.names.dbRestore}`)} names the restored object.`,
    `2. **Restore the key from the offsite copy with the key restore credential only.**`,
    `   Container ${code(f.names.keyRestore)} (profile ${code(f.keyCreds.profile)}) downloads ${code(f.keyObject)} from the key bucket into volume ${code(f.names.keyVolume)} as a ${code('0400')} file.`,
    '   Never copy the key from the production host: that defeats the drill.',
    `3. **Start the app.** ${code(f.names.app)} starts as its profile says, with the restored key mounted read-only and passed by path (${code(
      f.profile.passing.kind === 'flag' ? `${f.profile.passing.flag} ${f.keyFile}` : `${f.profile.passing.variable}=${f.keyFile}`,
    )}), against the drill database.`,
    `4. **Check readiness.** ${code(f.names.readiness)} runs ${code(`curl -fsS ${f.readinessUrl}`)} until it answers 200 or times out.`,
    `   By hand: ${code(`docker run --rm --network <drill network> curlimages/curl -fsS ${f.readinessUrl}`)}`,
  ];
  let n = 5;
  if (zitadel) {
    out.push(`${n++}. **Log in as the break-glass admin** on the drill instance (through an SSH tunnel to the scratch host); secrets decrypt only with the right key.`);
  }
  out.push(
    `${n++}. **Record the result** in ${code(f.drillLogPath)} (template below): date, who ran it, which DB backup, which key object version, pass/fail.${f.log ? '' : ' (The drill log is switched off for this drill: KC034.)'}`,
    '   On PASS, with a principal that has the drill recorder policy:',
    '',
    '   ```sh',
    `   aws cloudwatch put-metric-data --namespace ${DRILL_METRIC_NAMESPACE} --metric-name ${DRILL_METRIC_NAME} --dimensions ${DRILL_METRIC_DIMENSION}=${f.keyId} --value 1`,
    `   # move the staleness deadline ${f.stalenessDays} days ahead (the heartbeat keeps ${DRILL_METRIC_NAME} at 1 until then)`,
    `   aws scheduler get-schedule --group-name ${f.scheduleGroup} --name ${f.heartbeat} --output json \\`,
    `     | jq --arg end "$(date -u -d '+${f.stalenessDays} days' +%Y-%m-%dT%H:%M:%SZ)" '{Name, GroupName, ScheduleExpression, FlexibleTimeWindow, Target, State, EndDate: $end}' > heartbeat.json`,
    '   aws scheduler update-schedule --cli-input-json file://heartbeat.json',
    '   ```',
    '',
    `   Publish the result (pass or fail) to the drill topic: ${code(`aws sns publish --topic-arn <drill topic> --subject "drill ${f.drillId} ${f.keyId}: PASS|FAIL" --message "<log line>"`)}.`,
    `${n++}. **Tear down**: ${code(`cdktf destroy ${f.dockerStack}`)} (removes the drill containers, the restored key volume and the dump). Confirm with ${code('docker volume ls')} that no restored key is left on the scratch host.`,
    '',
    '## If the drill fails',
    '',
    '- Open a **P1 incident**. Do not move the staleness deadline.',
    '- Keep the logs: `docker logs` of the failed job (the apply error includes them). Then tear down.',
    '- Typical causes: no DB backup old enough; the key object missing or from another generation; the restore role denied by the bucket policy; the app refusing the key.',
    '',
    '## Drill log template',
    '',
    `Append one row per run to ${code(f.drillLogPath)}:`,
    '',
    '| Date (UTC) | Who | Drill | DB backup restored (object, age) | Key object (version) | Readiness | Result | Incident | Notes |',
    '|---|---|---|---|---|---|---|---|---|',
    `| YYYY-MM-DD | name | ${f.drillId} | s3://.../<object> (N days) | ${f.keyObject} (<version id>) | ${f.profile.readinessPath} 200? | PASS / FAIL | P1-... if FAIL | |`,
    '',
  );
  return out.join('\n');
}
