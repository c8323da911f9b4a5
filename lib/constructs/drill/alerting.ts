import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SchedulerScheduleGroup } from '@cdktf/provider-aws/lib/scheduler-schedule-group';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { AppProfile } from '../../profiles';
import { DRILL_METRIC_DIMENSION, DRILL_METRIC_NAME, DRILL_METRIC_NAMESPACE, DRILL_RUNBOOK_FILE } from './names';
import type { ParsedDrillProps } from './props';
import { addDays, formatDate, parseDate } from '../../policy/dates';
import { snsTopicSubscription } from '../lazy-providers';
import { recordCallSite } from '../../synth/sources';

/** The drill's AWS resources: reminder, dead man's switch, P1 alarm, and the recorder's policy. */
export interface DrillAlerting {
  /** The construct holding the AWS resources (`Aws`, or `<stem>Aws` in another scope). */
  readonly scope: Construct;
  readonly topic: SnsTopic;
  readonly scheduleGroup: SchedulerScheduleGroup;
  readonly reminder: SchedulerSchedule;
  readonly heartbeat: SchedulerSchedule;
  readonly alarm?: CloudwatchMetricAlarm;
  readonly recorderPolicy: IamPolicy;
  /** Name of the schedule group. */
  readonly groupName: string;
}

/** What the alerting is built from, besides the parsed props. */
export interface AlertingInputs {
  /** The drill: the default scope, and the stack the runbook is written to. */
  readonly drill: Construct;
  readonly awsScope: Construct;
  readonly profile: AppProfile;
  readonly prefix: string;
  readonly tags: Record<string, string>;
  readonly stem: string;
  readonly drillId: string;
  readonly schedule: string;
  readonly timezone: string;
  readonly restoreAgeDays: number;
  readonly stalenessDays: number;
}

/**
 * The AWS part (see {@link RecoveryDrill}): a tagged schedule group with the reminder
 * schedule (SNS), the staleness heartbeat, an SNS topic, the P1 staleness alarm and the
 * scheduler roles, in one `Aws` construct with the ids they always had.
 */
export function createAlerting(p: ParsedDrillProps, inputs: AlertingInputs): DrillAlerting {
  const { drill, awsScope, profile, prefix, tags, stem, drillId, schedule, timezone, restoreAgeDays, stalenessDays } = inputs;
  const key = p.masterKey;
  const a = new Construct(awsScope, awsScope === drill ? 'Aws' : `${stem}Aws`);
  recordCallSite(a);
  const awsProvider = p.awsProvider;
  const groupName = `${prefix}-${key.keyId}`.slice(0, 64);
  const topic = new SnsTopic(a, 'Topic', { provider: awsProvider, name: `${prefix}-${key.keyId}-${drillId}`.slice(0, 256), tags });
  for (const [i, s] of (p.subscribers ?? []).entries()) {
    new (snsTopicSubscription())(a, `Subscriber${i}`, { provider: awsProvider, topicArn: topic.arn, protocol: s.protocol, endpoint: s.endpoint });
  }
  const scheduleGroup = new SchedulerScheduleGroup(a, 'Group', { provider: awsProvider, name: groupName, tags });
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
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'PublishReminder', Effect: 'Allow', Action: ['sns:Publish'], Resource: topic.arn }] }),
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

  const runbookRef = `cdktf.out/stacks/${TerraformStack.of(drill).node.id}/${DRILL_RUNBOOK_FILE}`;
  const reminder = new SchedulerSchedule(a, 'Reminder', {
    provider: awsProvider,
    name: `${drillId}-reminder`,
    groupName: scheduleGroup.name,
    description: `Recovery drill "${drillId}" of key ${key.keyId} (${key.app}) is due; runbook: ${runbookRef}`,
    scheduleExpression: schedule,
    scheduleExpressionTimezone: timezone,
    flexibleTimeWindow: { mode: 'OFF' },
    state: 'ENABLED',
    target: {
      arn: topic.arn,
      roleArn: reminderRole.arn,
      input: JSON.stringify({
        ...tags,
        event: 'recovery-drill-due',
        drill: drillId,
        message: `Recovery drill "${drillId}" of key ${key.keyId} (${key.app}) is due: restore a DB backup at least ${restoreAgeDays} days old and the key from the offsite key bucket on the scratch host, check ${profile.readinessPath}, record pass/fail. A failed drill is a P1 incident.`,
        runbook: runbookRef,
        restoreAgeDays: restoreAgeDays,
        keySource: 'offsite key-backup bucket',
      }),
      retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 86400 },
    },
  });
  const passedOn = parseDate(p.lastPassedOn);
  const deadline = passedOn !== undefined ? `${formatDate(addDays(passedOn, stalenessDays))}T00:00:00Z` : `\${timeadd(plantimestamp(), "${stalenessDays * 24}h")}`;
  const heartbeat = new SchedulerSchedule(a, 'Heartbeat', {
    provider: awsProvider,
    name: `${drillId}-passed-heartbeat`,
    groupName: scheduleGroup.name,
    description: `Puts ${DRILL_METRIC_NAME}=1 for key ${key.keyId} until end_date; a passing drill moves end_date ${stalenessDays} days ahead (dead man's switch)`,
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

  let alarm: CloudwatchMetricAlarm | undefined;
  if (p.alarm !== false) {
    alarm = new CloudwatchMetricAlarm(a, 'StaleAlarm', {
      provider: awsProvider,
      alarmName: `${prefix}-${key.keyId}-${drillId}-stale`,
      alarmDescription:
        `P1: no passing recovery drill of key ${key.keyId} (${key.app}) has been recorded for more than ${stalenessDays} days. ` +
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
      alarmActions: [topic.arn, ...(p.pagerTopicArns ?? [])],
      okActions: [topic.arn],
      tags,
    });
  }

  const recorderPolicy = new IamPolicy(a, 'RecorderPolicy', {
    provider: awsProvider,
    namePrefix: `${prefix}-record-`.slice(0, 100),
    description: `Record the outcome of recovery drill "${drillId}" of key ${key.keyId}: publish the result, put ${DRILL_METRIC_NAME}, move the heartbeat deadline`,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'PublishResult', Effect: 'Allow', Action: ['sns:Publish'], Resource: topic.arn },
        { Sid: 'PutMetric', Effect: 'Allow', Action: ['cloudwatch:PutMetricData'], Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': DRILL_METRIC_NAMESPACE } } },
        { Sid: 'MoveDeadline', Effect: 'Allow', Action: ['scheduler:GetSchedule', 'scheduler:UpdateSchedule'], Resource: heartbeat.arn },
        { Sid: 'PassHeartbeatRole', Effect: 'Allow', Action: ['iam:PassRole'], Resource: heartbeatRole.arn },
      ],
    }),
    tags,
  });
  return { scope: a, topic, scheduleGroup, reminder, heartbeat, alarm, recorderPolicy, groupName };
}

