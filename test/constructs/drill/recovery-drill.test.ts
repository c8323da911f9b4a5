import { describe, expect, it } from 'vitest';
import { summarizeModel } from '../../../lib/report/summarize';
import { DEFAULT_DRILL_SCHEDULE } from '../../../lib/policy/schedule';
import { reachOf, isDrillPrincipal } from '../../../lib/rules/drill-helpers';
import { runRules } from '../../../lib/rules/engine';
import { allRules } from '../backup-bucket-fixtures';
import { KEY_ID, PROD_HOST, lastFindings, onlyResource, resourcesOf, ruleIds } from './fixtures';
import { drillWorlds } from './worlds';

const world = drillWorlds();

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
}
const stmts = (policy: unknown) => (JSON.parse(String(policy)) as { Statement: Statement[] }).Statement;
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
type Labels = { label: string; value: string }[];

describe('RecoveryDrill: a complete four-account drill passes every custody rule', () => {
  it('synthesizes clean: no error, no unsuppressed warning', () => {
    const w = world();
    expect(w.synth()).toBeUndefined();
    const open = lastFindings(w).filter((f) => !f.suppressed);
    expect(open).toEqual([]);
  });

  it('schedule: the default expression, the configured time zone, no flexible window, the SNS topic as target, custody keys in the input', () => {
    const w = world();
    expect(w.synth()).toBeUndefined();
    const aws = w.json('drill-aws');
    const reminder = Object.values(resourcesOf(aws, 'aws_scheduler_schedule')).find((s) => String(s.name).endsWith('-reminder'))!;
    expect(reminder.schedule_expression).toBe(DEFAULT_DRILL_SCHEDULE);
    expect(reminder.schedule_expression).toBe('cron(0 10 ? 1,4,7,10 MON#1 *)');
    expect(reminder.schedule_expression_timezone).toBe('Europe/Berlin');
    expect(reminder.flexible_time_window).toEqual({ mode: 'OFF' });
    expect(reminder.state).toBe('ENABLED');
    const target = reminder.target as { arn: string; role_arn: string; input: string };
    expect(target.arn).toMatch(/^\$\{aws_sns_topic\..+\.arn\}$/);
    expect(JSON.parse(target.input)).toMatchObject({ 'custody:role': 'drill', 'custody:key': KEY_ID, 'custody:app': 'zitadel', event: 'recovery-drill-due' });
    const group = onlyResource(aws, 'aws_scheduler_schedule_group');
    expect(group.tags).toEqual({ 'custody:role': 'drill', 'custody:key': KEY_ID, 'custody:app': 'zitadel' });
    // The scheduler's role may publish to the drill topic and nothing else.
    const roles = resourcesOf(aws, 'aws_iam_role_policy');
    const reminderPolicy = Object.values(roles).find((r) => r.name === 'publish-drill-reminder')!;
    expect(stmts(reminderPolicy.policy)).toEqual([{ Sid: 'PublishReminder', Effect: 'Allow', Action: ['sns:Publish'], Resource: target.arn }]);
  });

  it('time zone defaults to UTC and is configurable; an invalid zone or a yearly schedule is refused', () => {
    const w = world({ drill: { timezone: undefined, now: undefined } });
    expect(w.synth()).toBeUndefined();
    const reminder = Object.values(resourcesOf(w.json('drill-aws'), 'aws_scheduler_schedule')).find((s) => String(s.name).endsWith('-reminder'))!;
    expect(reminder.schedule_expression_timezone).toBe('UTC');
    expect(() => world({ drill: { timezone: 'Mars/Olympus' } })).toThrow(/"Mars\/Olympus" is not an IANA time zone/);
    expect(() => world({ drill: { schedule: 'cron(0 10 ? 1 MON#1 *)' } })).toThrow(/at least quarterly \(KC030\)/);
  });

  it('alarm and SNS topic: the P1 staleness alarm on DrillPassed, breaching on missing data, within CloudWatch limits, notifying the topic', () => {
    const w = world({ drill: { subscribers: [{ protocol: 'email', endpoint: 'custodians@example.com' }] } });
    expect(w.synth()).toBeUndefined();
    const aws = w.json('drill-aws');
    const topic = onlyResource(aws, 'aws_sns_topic');
    expect(topic.tags).toMatchObject({ 'custody:role': 'drill', 'custody:key': KEY_ID });
    expect(onlyResource(aws, 'aws_sns_topic_subscription')).toMatchObject({ protocol: 'email', endpoint: 'custodians@example.com' });
    const alarm = onlyResource(aws, 'aws_cloudwatch_metric_alarm');
    expect(alarm).toMatchObject({
      namespace: 'KeyCustody/Drills',
      metric_name: 'DrillPassed',
      dimensions: { KeyId: KEY_ID },
      period: 86400,
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      treat_missing_data: 'breaching',
      actions_enabled: true,
      tags: { 'custody:role': 'drill', 'custody:key': KEY_ID, 'custody:app': 'zitadel' },
    });
    // CloudWatch evaluates at most 7 days (period >= 1 h); staleness is the heartbeat's deadline.
    expect((alarm.period as number) * (alarm.evaluation_periods as number)).toBeLessThanOrEqual(7 * 86400);
    expect(alarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\..+\.arn\}$/)]);
    expect(String(alarm.alarm_description)).toMatch(/^P1: no passing recovery drill of key zitadel-master .* more than 100 days/);
    const heartbeat = Object.values(resourcesOf(aws, 'aws_scheduler_schedule')).find((s) => String(s.name).endsWith('-heartbeat'))!;
    expect(heartbeat.end_date).toBe('${timeadd(plantimestamp(), "2400h")}');
    expect(heartbeat.lifecycle).toEqual({ ignore_changes: ['end_date'] });
    expect((heartbeat.target as { arn: string }).arn).toBe('arn:aws:scheduler:::aws-sdk:cloudwatch:putMetricData');
  });

  it('lastPassedOn seeds the staleness deadline; stalenessDays is configurable', () => {
    const w = world({ drill: { lastPassedOn: '2025-10-06', stalenessDays: 120 } });
    expect(w.synth()).toBeUndefined();
    const heartbeat = Object.values(resourcesOf(w.json('drill-aws'), 'aws_scheduler_schedule')).find((s) => String(s.name).endsWith('-heartbeat'))!;
    expect(heartbeat.end_date).toBe('2026-02-03T00:00:00Z');
    expect(() => world({ drill: { stalenessDays: 30 } })).toThrow(/at least 92 days[\s\S]*at stalenessDays/);
  });

  it('credentials: two read-only drill roles, each in its bucket\'s stack, each reading one bucket only (synthesized JSON)', () => {
    const w = world();
    expect(w.synth()).toBeUndefined();
    for (const [stack, other] of [
      ['keys', 'db'],
      ['db', 'keys'],
    ] as const) {
      const json = w.json(stack);
      const roles = Object.entries(resourcesOf(json, 'aws_iam_role')).filter(([, r]) => (r.tags as Record<string, string>)['custody:role'] === 'drill');
      expect(roles).toHaveLength(1);
      const [logicalId, role] = roles[0];
      expect(role.tags).toMatchObject({ 'custody:key': KEY_ID, 'custody:app': 'zitadel', 'custody:access': 'drill-read' });
      const policy = Object.values(resourcesOf(json, 'aws_iam_role_policy')).find((p) => p.role === `\${aws_iam_role.${logicalId}.id}`)!;
      const all = stmts(policy.policy);
      expect(all.every((s) => s.Effect === 'Allow')).toBe(true);
      expect(all.flatMap(actions).sort()).toEqual(['kms:Decrypt', 's3:GetObject', 's3:GetObjectVersion', 's3:ListBucket']);
      const bucketId = Object.keys(resourcesOf(json, 'aws_s3_bucket'))[0];
      const kmsId = Object.keys(resourcesOf(json, 'aws_kms_key'))[0];
      for (const s of all) {
        for (const r of [s.Resource].flat()) expect(r).toMatch(new RegExp(`^\\$\\{aws_(s3_bucket\\.${bucketId}|kms_key\\.${kmsId})\\.arn\\}(/\\*)?$`));
      }
      // The bucket's deny-all-but policy designates it as a reader, never as a writer.
      const bucketPolicy = stmts(onlyResource(json, 'aws_s3_bucket_policy').policy) as (Statement & { Sid: string; Principal?: { AWS: string[] } })[];
      const arn = `\${aws_iam_role.${logicalId}.arn}`;
      expect(bucketPolicy.find((s) => s.Sid === 'AllowRestoreRead')!.Principal!.AWS).toContain(arn);
      expect(bucketPolicy.find((s) => s.Sid === 'AllowWriters')!.Principal!.AWS).not.toContain(arn);
      // Nothing of the other bucket's stack appears in this one.
      expect(JSON.stringify(json)).not.toContain(`${other}/`);
    }
  });

  it('credentials through the model: each drill principal reaches exactly one store, read/decrypt only', () => {
    const w = world();
    expect(w.synth()).toBeUndefined();
    const model = w.model();
    const drill = model.principals.filter(isDrillPrincipal).filter((p) => p.address.startsWith('aws_iam_role.') && /Drill(Key|Db)Reader/.test(p.address));
    expect(drill.map((p) => p.stack).sort()).toEqual(['db', 'keys']);
    for (const p of drill) {
      const reach = reachOf(model, p.id);
      expect(reach.size).toBe(1);
      const [entry] = [...reach.values()];
      expect(entry.store!.role).toBe(p.stack === 'keys' ? 'key-backup' : 'db-backup');
      expect([...entry.access].sort()).toEqual(['decrypt', 'read']);
    }
    // The grants list has the same picture.
    const drillGrants = model.grants.filter((g) => drill.some((p) => p.id === g.principal));
    expect(new Set(drillGrants.map((g) => g.access))).toEqual(new Set(['read', 'decrypt']));
    // The scheduler roles are drill principals that reach no store.
    for (const p of model.principals.filter(isDrillPrincipal).filter((x) => x.stack === 'drill-aws')) expect(reachOf(model, p.id).size).toBe(0);
  });

  it('docker: internal network, postgres 17, key restored from the offsite bucket into a volume the app mounts read-only, readiness curl; all labelled', () => {
    const w = world();
    expect(w.synth()).toBeUndefined();
    const json = w.json('drill');
    const nets = Object.values(resourcesOf(json, 'docker_network'));
    expect(nets.find((n) => n.name === 'zitadel-drill-net')!.internal).toBe(true);
    const byName = (n: string) => Object.values(resourcesOf(json, 'docker_container')).find((c) => c.name === n)!;
    const all = Object.values(resourcesOf(json, 'docker_container'));
    for (const c of all) {
      expect(c.provider).toBe('docker.scratch');
      const labels = Object.fromEntries((c.labels as Labels).map((l) => [l.label, l.value]));
      expect(labels).toMatchObject({ 'custody:role': 'drill', 'custody:key': KEY_ID, 'custody:app': 'zitadel' });
    }
    expect(byName('zitadel-drill-db').image).toMatch(/^\$\{docker_image\./);
    expect(Object.values(resourcesOf(json, 'docker_image')).map((i) => i.name)).toContain('postgres:17-alpine');

    const app = byName('zitadel-drill-app');
    expect(app.command).toEqual(['start-from-init', '--tlsMode', 'external', '--masterkeyFile', '/run/secrets/masterkey']);
    expect(app.mounts).toEqual([{ type: 'volume', source: expect.stringMatching(/^\$\{docker_volume\..+\.name\}$/), target: '/run/secrets', read_only: true }]);
    expect(JSON.stringify(app)).not.toMatch(/ZITADEL_MASTERKEY|\/etc\/zitadel/);
    expect(app.networks_advanced).toEqual([{ name: expect.stringMatching(/^\$\{docker_network\.Drill_Scratch_Network_/) }]);

    const keyJob = byName('zitadel-drill-key-restore');
    // #21: the generation's age-encrypted offsite object, chosen by the backup's day.
    expect(keyJob.env).toEqual(expect.arrayContaining(['AWS_PROFILE=custody-drill-key-restore', `KEY_ID=${KEY_ID}`, 'ENCRYPTED_PATH=/restore/masterkey.age']));
    expect(keyJob.mounts).toEqual(expect.arrayContaining([{ type: 'bind', source: '/etc/key-custody/drill/key-restore', target: '/run/drill-aws', read_only: true }]));
    const dbJob = byName('zitadel-drill-db-fetch');
    expect(dbJob.env).toEqual(expect.arrayContaining(['AWS_PROFILE=custody-drill-db-restore', 'MIN_AGE_DAYS=7']));
    expect(dbJob.mounts).toEqual(expect.arrayContaining([{ type: 'bind', source: '/etc/key-custody/drill/db-restore', target: '/run/drill-aws', read_only: true }]));
    // Each job sees only its own credentials folder.
    expect(JSON.stringify(keyJob)).not.toContain('db-restore');
    expect(JSON.stringify(dbJob)).not.toContain('key-restore');
    // No credential value anywhere: only names and paths.
    expect(JSON.stringify(json)).not.toMatch(/AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|aws_secret_access_key|AKIA[0-9A-Z]{16}/);

    const ready = byName('zitadel-drill-readiness');
    // #21: the proof script: readiness, then the break-glass login.
    expect(ready.env).toEqual(expect.arrayContaining(['APP_URL=http://zitadel-drill-app:8080', 'READINESS_PATH=/debug/readyok', 'LOGIN=zitadel-break-glass']));
    expect(ready).toMatchObject({ attach: true, must_run: false });
    expect((ready.lifecycle as { postcondition: { condition: string }[] }).postcondition[0].condition).toBe('${self.exit_code == 0}');
  });

  it('manifest: the drill with schedule, time zone, restore age, the offsite key bucket, the scratch provider and a deterministic next run', () => {
    const w = world();
    expect(w.synth()).toBeUndefined();
    const manifest = resourcesOf(w.json('drill'), 'terraform_data').custody_manifest.input as { drills: unknown[] };
    const keyBucketId = Object.keys(resourcesOf(w.json('keys'), 'aws_s3_bucket'))[0];
    expect(manifest.drills).toEqual([
      {
        id: 'quarterly',
        key: KEY_ID,
        schedule: DEFAULT_DRILL_SCHEDULE,
        timezone: 'Europe/Berlin',
        intervalDays: 92,
        restoreAgeDays: 7,
        keySource: `keys/aws_s3_bucket.${keyBucketId}`,
        keySourcePath: 'zitadel-master/1/masterkey.age',
        dockerProvider: 'drill/docker.scratch',
        alarm: true,
        log: true,
        nextRun: '2026-01-05T10:00[Europe/Berlin]',
        // #21: what the report needs for the last pass and the next deadline.
        stalenessDays: 100,
        drillLog: 'docs/ops/zitadel/drill-log.md',
      },
    ]);
  });

  it('report: the drill row shows the next run, the restore age and which copy the key comes from', () => {
    const w = world();
    expect(w.synth()).toBeUndefined();
    const model = w.model();
    const data = summarizeModel(model, runRules(model, allRules(), {}));
    expect(data.drills).toEqual([
      expect.objectContaining({ id: 'quarterly', key: KEY_ID, restoreAgeDays: 7, nextRun: '2026-01-05T10:00[Europe/Berlin]', keySource: expect.stringMatching(/^keys\/aws_s3_bucket\./) }),
    ]);
  });
});

describe('RecoveryDrill: the custody rules catch what the construct would refuse', () => {
  it('a drill pointed at the production docker host (escape hatch) fails synth with KC031/KC032', () => {
    const w = world({ after: (x) => x.scratch.addOverride('host', PROD_HOST) });
    const err = w.synth();
    expect(err?.message).toMatch(/KC031/);
    expect(err?.message).toMatch(/KC032/);
  });

  it('a drill container that mounts the hot-copy host path fails synth with KC031', () => {
    const w = world({
      after: (x) => x.drill!.appContainer.addOverride('mounts', [{ type: 'bind', source: '/etc/zitadel/masterkey', target: '/run/secrets/masterkey', read_only: true }]),
    });
    const err = w.synth();
    expect(err?.message).toMatch(/KC031 docker_container\.Drill_Scratch_App_\w+ \(stack drill\) is a drill container that mounts \/etc\/zitadel\/masterkey/);
  });

  it('drill credentials that reach both buckets fail synth with KC032', () => {
    const w = world({ after: (x) => x.dbBucket.grantRead(x.drill!.keyReader.role.arn) });
    // The key reader also gets an identity policy on every bucket.
    w.drill!.keyReader.role.addOverride('inline_policy', [
      { name: 'leak', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 'kms:Decrypt'], Resource: '*' }] }) },
    ]);
    const err = w.synth();
    expect(err?.message).toMatch(/KC032 .*is a drill principal that reaches 2 custody stores/);
  });

  it('a key without any drill fails synth with KC030', () => {
    const w = world({ drill: false });
    const err = w.synth();
    expect(err?.message).toMatch(/KC030 .*declares key "zitadel-master", which has no recovery drill at all/);
  });

  it('a restore age under 7 days gives a KC033 warning (synth still passes)', () => {
    const w = world({ drill: { restoreAgeDays: 3 } });
    expect(w.synth()).toBeUndefined();
    const f = lastFindings(w).filter((x) => !x.suppressed);
    expect(ruleIds(f)).toEqual(['KC033']);
    expect(f[0]).toMatchObject({ severity: 'warning', message: expect.stringContaining('restoring a DB backup 3 day(s) old') });
  });

  it('a drill with no staleness alarm gives KC034, and so does one with the log switched off', () => {
    const w = world({ drill: { alarm: false } });
    expect(w.synth()).toBeUndefined();
    expect(resourcesOf(w.json('drill-aws'), 'aws_cloudwatch_metric_alarm')).toEqual({});
    const f = lastFindings(w).filter((x) => !x.suppressed);
    expect(ruleIds(f)).toEqual(['KC034']);
    expect(f[0].severity).toBe('warning');
    const w2 = world({ drill: { log: false } });
    expect(w2.synth()).toBeUndefined();
    expect(ruleIds(lastFindings(w2))).toEqual(['KC034']);
  });

  it('needs no suppression: the fetch jobs alone use the non-internal fetch network', () => {
    const w = world();
    expect(w.synth()).toBeUndefined();
    expect(lastFindings(w).filter((f) => f.suppressed)).toEqual([]);
    expect(lastFindings(w).filter((f) => f.ruleId === 'KC032')).toEqual([]);
  });
});
