import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import type { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import type { SchedulerScheduleGroup } from '@cdktf/provider-aws/lib/scheduler-schedule-group';
import type { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import type { Container } from '@cdktf/provider-docker/lib/container';
import type { Network } from '@cdktf/provider-docker/lib/network';
import type { Volume } from '@cdktf/provider-docker/lib/volume';
import { TerraformStack, TerraformVariable, Token, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { MIN_RESTORE_AGE_DAYS, QUARTER_DAYS } from '../../policy/limits';
import { DEFAULT_DRILL_SCHEDULE, nextCronRun } from '../../policy/schedule';
import { writeBesideStack } from '../../synth/custom-synthesis';
import { brand, hasBrand } from '../../synth/identity';
import { CustodyManifest } from '../manifest/custody-manifest';
import { parseProps } from '../validation';
import { createAlerting } from './alerting';
import { custodyTags, DRILL_RUNBOOK_FILE, providerRef, stackAddress } from './names';
import { propsSchema, type RecoveryDrillProps } from './props';
import { createDrillReaders, type DrillReader } from './reader';
import { renderRunbook, runbookFacts } from './runbook';
import { createScratchEnvironment } from './scratch-environment';
import { slug } from '../buckets/names';
import { checkBuckets, checkScratchProvider, productionProvidersOf } from './validation';

// What lib/index.ts exports of the drill, from the module that always exported it.
export { DEFAULT_DRILL_SCHEDULE };
export { DRILL_METRIC_NAME, DRILL_METRIC_NAMESPACE, DRILL_RUNBOOK_FILE } from './names';
export type { DrillCredentialSource, DrillSubscriber, RecoveryDrillProps } from './props';
export { DrillReader } from './reader';

/**
 * The quarterly recovery drill of one master key (KC030-KC034 in RULES.md): in a scratch
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
  /** Status of the steps, shared with the outcome job (dates, object names, PASSED/FAILED). */
  public readonly statusVolume: Volume;
  /** The outcome job: pages a failure (P1) at once, records a pass (heartbeat, drill log). */
  public readonly outcome: Container;
  /** Fetches the age-encrypted offsite copy of the generation active on the backup's day. */
  public readonly keyRestore: Container;
  /** Decrypts it with the operator's age identity and checks its fingerprint; no network. */
  public readonly keyDecrypt: Container;
  public readonly dbFetch: Container;
  /** The drill's PostgreSQL server; none for a SQLite app. */
  public readonly database?: Container;
  public readonly dbRestore: Container;
  /** The drill app container. */
  public readonly appContainer: Container;
  /** The proof: readiness, no failure signal in the app's log, and Zitadel's break-glass login. */
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
    brand(this, 'RecoveryDrill');
    const p = parseProps(
      'RecoveryDrill',
      this,
      propsSchema,
      props,
      'give { masterKey, keyBucket, dbBucket, scratchProvider: new DockerProvider(stack, "scratch", { alias: "scratch", host: "ssh://...scratch-host" }) }',
    );
    const key = p.masterKey;
    const profile = key.profile;
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

    checkBuckets(this, p);
    const dockerScope = p.dockerScope ?? this;
    const awsScope = p.awsScope ?? this;
    const scratch = p.scratchProvider;
    checkScratchProvider(this, scratch, p.productionProviders ?? productionProvidersOf(this.node.root), dockerScope);
    // Providers created later than this construct are checked once the tree is complete.
    this.node.addValidation({
      validate: () => {
        try {
          checkScratchProvider(this, scratch, p.productionProviders ?? productionProvidersOf(this.node.root), dockerScope);
          return [];
        } catch (e) {
          return [(e as Error).message];
        }
      },
    });

    // The parts, in the order (and so with the ids and the Terraform order) they always had.
    const stem = this.uniqueStem();
    const readers = createDrillReaders(p, prefix, stem, this.drillId);
    this.keyReader = readers.keyReader;
    this.dbReader = readers.dbReader;
    this.dbReaderArn = readers.dbReaderArn;

    // The AWS part first: the outcome job on the scratch host publishes to its topic.
    const alerting = createAlerting(p, {
      drill: this,
      awsScope,
      profile,
      prefix,
      tags,
      stem,
      drillId: this.drillId,
      schedule: this.schedule,
      timezone: this.timezone,
      restoreAgeDays: this.restoreAgeDays,
      stalenessDays: this.stalenessDays,
    });
    this.topic = alerting.topic;
    this.scheduleGroup = alerting.scheduleGroup;
    this.reminder = alerting.reminder;
    this.heartbeat = alerting.heartbeat;
    this.alarm = alerting.alarm;
    this.recorderPolicy = alerting.recorderPolicy;

    const scratchEnv = createScratchEnvironment(p, {
      drill: this,
      dockerScope,
      profile,
      prefix,
      tags,
      stem,
      restoreAgeDays: this.restoreAgeDays,
      stalenessDays: this.stalenessDays,
      drillId: this.drillId,
      aws: {
        topicArn: drillTopicArn(dockerScope, alerting.topic, key.keyId, this.drillId),
        scheduleGroup: alerting.groupName,
        heartbeat: `${this.drillId}-passed-heartbeat`,
        region: literalRegion(p.awsProvider),
      },
      runbook: `cdktf.out/stacks/${TerraformStack.of(this).node.id}/${DRILL_RUNBOOK_FILE}`,
    });
    this.network = scratchEnv.network;
    this.fetchNetwork = scratchEnv.fetchNetwork;
    this.keyVolume = scratchEnv.keyVolume;
    this.dumpVolume = scratchEnv.dumpVolume;
    this.statusVolume = scratchEnv.statusVolume;
    this.outcome = scratchEnv.outcome;
    this.keyRestore = scratchEnv.keyRestore;
    this.keyDecrypt = scratchEnv.keyDecrypt;
    this.dbFetch = scratchEnv.dbFetch;
    this.database = scratchEnv.database;
    this.dbRestore = scratchEnv.dbRestore;
    this.appContainer = scratchEnv.appContainer;
    this.readiness = scratchEnv.readiness;

    // ----- manifest and runbook -----------------------------------------------------------
    const log = p.log !== false;
    CustodyManifest.of(this).addDrill({
      id: this.drillId,
      key: key.keyId,
      schedule: this.schedule,
      timezone: this.timezone,
      intervalDays: QUARTER_DAYS,
      restoreAgeDays: this.restoreAgeDays,
      keySource: stackAddress(p.keyBucket.bucket),
      keySourcePath: scratchEnv.keyObject,
      stalenessDays: this.stalenessDays,
      lastPassedOn: p.lastPassedOn,
      drillLog: p.drillLogPath ?? `docs/ops/${key.app}/drill-log.md`,
      dockerProvider: providerRef(scratch),
      alarm: p.alarm !== false,
      log,
      nextRun: this.nextRun,
    });

    const runbook = runbookFacts(this, p, { readers, scratchEnv, alerting, prefix, log });
    writeBesideStack(
      this,
      () => runbookFileName(this),
      () => renderRunbook(runbook),
    );
  }

  /** A stable, readable stem for ids this construct places in other scopes. */
  private uniqueStem(): string {
    return `${this.node.id}${this.drillId === 'quarterly' ? '' : `-${this.drillId}`}`.replace(/[^A-Za-z0-9_-]/g, '_');
  }
}

/**
 * The drill topic's ARN for the outcome job in `scope`: a reference within the topic's stack;
 * across stacks a variable of the docker stack (a reference would make the docker stack read
 * the AWS stack's state), filled in from the topic's output or the console.
 */
function drillTopicArn(scope: Construct, topic: SnsTopic, keyId: string, drillId: string): string {
  if (TerraformStack.of(scope) === TerraformStack.of(topic)) return topic.arn;
  const stack = TerraformStack.of(scope);
  const id = `${slug(keyId)}_${drillId === 'quarterly' ? '' : `${slug(drillId)}_`}drill_topic_arn`;
  const existing = stack.node.tryFindChild(id);
  if (existing instanceof TerraformVariable) return existing.stringValue;
  const v = new TerraformVariable(stack, id, {
    type: 'string',
    description: `ARN of the SNS topic of the recovery drill of key ${keyId} (stack ${TerraformStack.of(topic).node.id}), where the drill's outcome job pages a failure (P1) and publishes a pass`,
  });
  v.overrideLogicalId(id);
  return v.stringValue;
}

function literalRegion(provider: TerraformProvider | undefined): string | undefined {
  const r = (provider as { region?: unknown } | undefined)?.region;
  return typeof r === 'string' && !Token.isUnresolved(r) ? r : undefined;
}

const runbookNames = new WeakMap<TerraformStack, RecoveryDrill[]>();
/** `drill-runbook.md` for the first drill of a stack; `drill-runbook-<id>.md` for further ones. */
function runbookFileName(drill: RecoveryDrill): string {
  const stack = TerraformStack.of(drill);
  let list = runbookNames.get(stack);
  if (!list) runbookNames.set(stack, (list = stack.node.findAll().filter((c): c is RecoveryDrill => hasBrand<RecoveryDrill>(c, 'RecoveryDrill'))));
  return list.indexOf(drill) <= 0 ? DRILL_RUNBOOK_FILE : `drill-runbook-${drill.node.id}-${drill.drillId}.md`;
}
