/**
 * A complete, well-separated custody setup across four stacks, in cdk.tf.json shape, for
 * the separation (KC010, KC013, KC014) and drill (KC030-KC034) rule tests. Each test takes
 * a fresh copy with `world()` and breaks one thing.
 *
 * - `app`:   the production Zitadel container and its database on the production docker host,
 *            plus the custody manifest (key + drill);
 * - `keys`:  the offsite key-backup bucket (account 111111111111) and the drill's key reader;
 * - `db`:    the DB-backup bucket (account 222222222222) and the drill's DB reader;
 * - `drill`: scratch docker host, internal network, drill database and app, the schedule and the alarm.
 */
import { bucket, doc, goodZitadel, labels, tags, zitadelKey, type Json } from './kc0xx-fixtures';
import { DEFAULT_DRILL_SCHEDULE } from '../../lib/policy/schedule';

export { bucket, doc, findings, labels, tags, type Json } from './kc0xx-fixtures';

export const KEY = 'zitadel-master';

export interface World {
  app: Json;
  keys: Json;
  db: Json;
  drill: Json;
}

export function awsAccount(acct: string): Json {
  return { provider: { aws: [{ region: 'eu-central-1', assume_role: [{ role_arn: `arn:aws:iam::${acct}:role/terraform` }] }] } };
}

export function s3Backend(key: string, bucketName = 'kc-tfstate'): Json {
  return { terraform: { backend: { s3: { bucket: bucketName, key, region: 'eu-central-1' } } } };
}

export function goodDrill(over: Json = {}): Json {
  return {
    id: 'quarterly',
    key: KEY,
    schedule: DEFAULT_DRILL_SCHEDULE,
    intervalDays: 92,
    restoreAgeDays: 7,
    keySource: 'keys/aws_s3_bucket.keys',
    dockerProvider: 'drill/docker.scratch',
    alarm: true,
    log: true,
    ...over,
  };
}

export function manifestWith(drills: Json[], extra: Json = {}): Json {
  return {
    resource: {
      terraform_data: {
        custody_manifest: {
          input: { kind: 'cdktf-key-custody/manifest', version: 1, keys: [zitadelKey()], drills, suppressions: [], adoptedStores: [], ...extra },
        },
      },
    },
  };
}

/** An IAM role with one inline policy. */
export function role(name: string, roleTags: Record<string, string>, statements: Json[]): Json {
  return {
    resource: {
      aws_iam_role: {
        [name]: {
          name: `kc-${name}`,
          assume_role_policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
          tags: roleTags,
        },
      },
      aws_iam_role_policy: {
        [name]: { role: `\${aws_iam_role.${name}.id}`, policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) },
      },
    },
  };
}

export const readObjects = (bucketName: string): Json => ({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`] });

export function world(): World {
  const app = doc(
    { provider: { docker: [{ host: 'ssh://deploy@prod.example.com' }] } },
    s3Backend('app.tfstate'),
    { resource: { docker_network: { prod: { name: 'zitadel-prod' } } } },
    goodZitadel('zitadel', { networks_advanced: [{ name: '${docker_network.prod.name}' }] }),
    {
      resource: {
        docker_container: {
          db: { name: 'zitadel-db', image: 'postgres:17-alpine', networks_advanced: [{ name: '${docker_network.prod.name}' }], labels: labels({ 'custody:app': 'zitadel' }) },
        },
      },
    },
    manifestWith([goodDrill()]),
  );
  const keys = doc(
    awsAccount('111111111111'),
    s3Backend('keys.tfstate'),
    bucket('keys', 'key-backup'),
    role('drill_key_reader', { 'custody:role': 'drill', 'custody:key': KEY }, [readObjects('kc-keys')]),
  );
  const db = doc(
    awsAccount('222222222222'),
    s3Backend('db.tfstate'),
    bucket('db', 'db-backup'),
    role('drill_db_reader', { 'custody:role': 'drill', 'custody:key': KEY }, [readObjects('kc-db')]),
  );
  const drillLabels = labels({ 'custody:role': 'drill', 'custody:key': KEY, 'custody:app': 'zitadel' });
  const drill = doc(
    { provider: { docker: [{ alias: 'scratch', host: 'ssh://deploy@scratch.example.com' }] } },
    awsAccount('333333333333'),
    s3Backend('drill.tfstate'),
    {
      resource: {
        docker_network: { drill: { provider: 'docker.scratch', name: 'zitadel-drill', internal: true } },
        docker_container: {
          drill_db: {
            provider: 'docker.scratch',
            name: 'zitadel-drill-db',
            image: 'postgres:17-alpine',
            networks_advanced: [{ name: '${docker_network.drill.name}' }],
            labels: drillLabels,
          },
          drill_app: {
            provider: 'docker.scratch',
            name: 'zitadel-drill',
            image: 'ghcr.io/zitadel/zitadel:v4.0.0',
            command: ['start', '--masterkeyFile', '/run/secrets/masterkey', '--tlsMode', 'disabled'],
            env: ['ZITADEL_DATABASE_POSTGRES_HOST=${docker_container.drill_db.name}'],
            mounts: [{ type: 'volume', source: 'drill-restored-key', target: '/run/secrets', read_only: true }],
            networks_advanced: [{ name: '${docker_network.drill.name}' }],
            labels: drillLabels,
          },
        },
        aws_scheduler_schedule_group: { drill: { name: 'zitadel-drill', tags: tags('drill') } },
        aws_scheduler_schedule: {
          drill: {
            name: 'zitadel-drill',
            group_name: '${aws_scheduler_schedule_group.drill.name}',
            schedule_expression: DEFAULT_DRILL_SCHEDULE,
            schedule_expression_timezone: 'Europe/Berlin',
            flexible_time_window: { mode: 'OFF' },
            target: { arn: 'arn:aws:sns:eu-central-1:333333333333:drill-run', role_arn: 'arn:aws:iam::333333333333:role/scheduler' },
          },
        },
        aws_cloudwatch_metric_alarm: {
          drill_stale: {
            alarm_name: 'zitadel-drill-stale',
            namespace: 'KeyCustody',
            metric_name: 'DrillPassed',
            statistic: 'Sum',
            period: 86400,
            evaluation_periods: 1,
            threshold: 1,
            comparison_operator: 'LessThanThreshold',
            treat_missing_data: 'breaching',
            alarm_actions: ['arn:aws:sns:eu-central-1:333333333333:custody-pager'],
            tags: tags('drill'),
          },
        },
      },
    },
  );
  return { app, keys, db, drill };
}

export function stacks(w: World): [string, Json][] {
  return [
    ['app', w.app],
    ['keys', w.keys],
    ['db', w.db],
    ['drill', w.drill],
  ];
}

/** Property access into a stack document by path, creating nothing. */
export function at(j: Json, ...path: string[]): Json {
  let cur: unknown = j;
  for (const p of path) cur = (cur as Json)[p];
  return cur as Json;
}

/** The manifest input of the app stack. */
export function manifestInput(w: World): Json {
  return at(w.app, 'resource', 'terraform_data', 'custody_manifest', 'input');
}

/** The first drill of the manifest. */
export function firstDrill(w: World): Json {
  return (manifestInput(w).drills as Json[])[0];
}
