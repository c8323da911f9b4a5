import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { databaseEnv, type AppDatabase, type AppProfile } from '../../profiles';
import { slug } from '../buckets/names';
import type { AdoptedBackupBucket } from '../buckets/adopted-backup-bucket';
import type { CustodyBucket } from '../buckets/custody-bucket';
import { namesNoImage } from '../errors';
import { keyPassingOf, keyPassingSchema } from '../app/key-mount';
import { parseProps } from '../validation';
import type { ParsedDrillProps } from './props';
import { drillBucketEnv } from './bucket-env';
import { DRILL_METRIC_DIMENSION, DRILL_METRIC_NAME, DRILL_METRIC_NAMESPACE } from './names';
import {
  dbFetchScript,
  DRILL_TOOLS_DOCKERFILE,
  keyDecryptScript,
  keyFetchScript,
  keyGenerationTable,
  offsiteKeyObject,
  outcomeScript,
  postgresRestoreScript,
  proofScript,
  sqliteRestoreScript,
} from './scripts';
import { checkCredentials } from './validation';
import { writeBesideStack } from '../../synth/custom-synthesis';

function labelList(tags: Record<string, string>, component: string): { label: string; value: string }[] {
  return [...Object.entries(tags).map(([label, value]) => ({ label, value })), { label: 'custody:component', value: component }];
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

/** The scratch environment's resources, and what the runbook says about them. */
export interface ScratchEnvironment {
  /** The construct holding the docker resources (`Scratch`, or `<stem>Scratch` in another scope). */
  readonly scope: Construct;
  readonly network: Network;
  readonly fetchNetwork: Network;
  readonly keyVolume: Volume;
  readonly dumpVolume: Volume;
  readonly statusVolume: Volume;
  /** The restored SQLite file's volume (SQLite apps only). */
  readonly dataVolume?: Volume;
  readonly outcome: Container;
  readonly keyRestore: Container;
  readonly keyDecrypt: Container;
  readonly dbFetch: Container;
  /** The drill's PostgreSQL server (PostgreSQL apps only). */
  readonly database?: Container;
  readonly dbRestore: Container;
  readonly appContainer: Container;
  readonly readiness: Container;
  /** Path of the restored key file inside the app container. */
  readonly keyFile: string;
  /** Object key of the active generation's offsite copy; other generations differ in the generation segment. */
  readonly keyObject: string;
  readonly keyObjectPrefix: string;
  /** `KEY_GENERATIONS` of the key-fetch job. */
  readonly generations: string;
  readonly keyCreds: { hostDir: string; profile: string };
  readonly dbCreds: { hostDir: string; profile: string };
  readonly recorderCreds: { hostDir: string; profile: string };
  /** The operator's age identity on the scratch host. */
  readonly identityFile: string;
  /** Zitadel: the break-glass admin's credential file on the scratch host. */
  readonly breakGlassFile?: string;
  /** The drill log on the scratch host the outcome job appends to. */
  readonly drillLogHostPath: string;
  /** The database the app is wired to. */
  readonly appDatabase: AppDatabase;
  /** The app's environment for the restored database. */
  readonly databaseEnv: Readonly<Record<string, string>>;
  /** The URL the proof polls. */
  readonly readinessUrl: string;
  /** Name of the Terraform variable that names the drill operator. */
  readonly operatorVariable: string;
  /** Tools image reference (built from `drill-tools/Dockerfile` unless `toolsImage` is given). */
  readonly toolsImage: string;
}

/** What the scratch environment is built from, besides the parsed props. */
export interface ScratchInputs {
  /** The drill: the default scope, and the path in its errors. */
  readonly drill: Construct;
  readonly dockerScope: Construct;
  readonly profile: AppProfile;
  readonly prefix: string;
  readonly tags: Record<string, string>;
  readonly stem: string;
  readonly restoreAgeDays: number;
  readonly stalenessDays: number;
  readonly drillId: string;
  /** Where the AWS part is: the outcome job's topic, heartbeat and metric. */
  readonly aws: { readonly topicArn: string; readonly scheduleGroup: string; readonly heartbeat: string; readonly region?: string };
  /** The runbook's path, for the P1 message. */
  readonly runbook: string;
}

/**
 * The database the drill wires the app to: `appDatabase` over the profile's. Refused when
 * neither says how the app reaches its database, or a SQLite app's folder is unknown.
 */
export function drillAppDatabase(drill: Construct, profile: AppProfile, given: AppDatabase | undefined): AppDatabase {
  const db = given ?? profile.database;
  if (!db) {
    throw new Error(
      `RecoveryDrill at ${drill.node.path}: the ${profile.name} profile does not say how the app reaches its database, so the drill cannot hand it the restored one ` +
        '(and an app started on an empty database proves nothing); give appDatabase: { kind: "postgres", env: { MYAPP_DB_HOST: "{host}", MYAPP_DB_PORT: "{port}", MYAPP_DB_NAME: "{database}", MYAPP_DB_USER: "{user}" } } ' +
        'or { kind: "sqlite", file: "myapp.db", dir: "/var/lib/myapp" }',
    );
  }
  if (db.kind === 'sqlite' && !db.dir) {
    throw new Error(
      `RecoveryDrill at ${drill.node.path}: the ${profile.name} profile names its SQLite database "${db.file}" but not the folder the app reads it from in its container, so the drill cannot place the restored file there; ` +
        `give appDatabase: { kind: "sqlite", file: "${db.file}", dir: "<the folder of ${db.file} in the ${profile.name} image>" }`,
    );
  }
  if (db.kind === 'sqlite' && !/^\/[A-Za-z0-9._/-]*$/.test(db.dir as string)) {
    throw new Error(`RecoveryDrill at ${drill.node.path}: appDatabase.dir "${String(db.dir)}" must be an absolute folder in the app's container, e.g. "/var/lib/${profile.name}"`);
  }
  return db;
}

/**
 * The docker part on the scratch host (see {@link RecoveryDrill}). The jobs run the scripts of
 * scripts.ts; each one-shot job fails the apply on a non-zero exit, and the outcome job pages.
 * Existing ids keep their Terraform addresses.
 */
export function createScratchEnvironment(p: ParsedDrillProps, inputs: ScratchInputs): ScratchEnvironment {
  const { drill, dockerScope, profile, prefix, tags, stem, restoreAgeDays, stalenessDays, drillId } = inputs;
  const key = p.masterKey;
  const scratch = p.scratchProvider;
  const d = new Construct(dockerScope, dockerScope === drill ? 'Scratch' : `${stem}Scratch`);
  const provider = scratch;
  const appDb = drillAppDatabase(drill, profile, p.appDatabase as AppDatabase | undefined);
  const images = new Map<string, string>();
  const image = (ref: string) => {
    let idRef = images.get(ref);
    if (!idRef) {
      const img = new Image(d, `Image${images.size}`, { provider, name: ref, keepLocally: true });
      images.set(ref, (idRef = img.imageId));
    }
    return idRef;
  };

  const network = new Network(d, 'Network', { provider, name: `${prefix}-net`, internal: true, labels: labelList(tags, 'network') });
  // The fetch jobs and the outcome job need AWS; nothing holding restored data joins this network (KC032).
  const fetchNetwork = new Network(d, 'FetchNetwork', { provider, name: `${prefix}-fetch`, internal: false, labels: labelList(tags, 'fetch-network') });
  const keyVolume = new Volume(d, 'KeyVolume', { provider, name: `${prefix}-restored-key`, labels: labelList(tags, 'restored-key') });
  const dumpVolume = new Volume(d, 'DumpVolume', { provider, name: `${prefix}-db-dump`, labels: labelList(tags, 'db-dump') });
  // Dates, object names and the outcome: what the steps tell each other and the outcome job.
  const statusVolume = new Volume(d, 'StatusVolume', { provider, name: `${prefix}-status`, labels: labelList(tags, 'status') });
  const status = { type: 'volume', source: statusVolume.name, target: '/status', readOnly: false };

  const passing = keyPassingOf(profile, { command: p.appCommand ? [...p.appCommand] : undefined });
  const keyFile = passing.target;
  const keyDir = keyFile.slice(0, keyFile.lastIndexOf('/'));
  const keyObjectPrefix = (p.keyObjectPrefix ?? '').replace(/^\/+|\/+$/g, '');
  const keyObject = offsiteKeyObject(key.keyId, key.generation, keyObjectPrefix);
  const active = key.generations.find((g) => g.generation === key.generation);
  const generations = keyGenerationTable(
    { generation: key.generation, fingerprint: active?.fingerprint ?? key.fingerprint },
    key.generations.filter((g) => g.state === 'retired').map((g) => ({ generation: g.generation, retiredOn: g.retiredOn, fingerprint: g.fingerprint })),
  );
  // A generation without a fingerprint is not refused here (keys declared before fingerprints
  // existed still synthesize); the decrypt job fails the drill on it, and the runbook says so.
  const owner = p.keyFileOwner ?? '0:0';
  const keyCreds = { hostDir: p.keyCredentials?.hostDir ?? '/etc/key-custody/drill/key-restore', profile: p.keyCredentials?.profile ?? 'custody-drill-key-restore' };
  const dbCreds = { hostDir: p.dbCredentials?.hostDir ?? '/etc/key-custody/drill/db-restore', profile: p.dbCredentials?.profile ?? 'custody-drill-db-restore' };
  const recorderCreds = { hostDir: p.recorderCredentials?.hostDir ?? '/etc/key-custody/drill/recorder', profile: p.recorderCredentials?.profile ?? 'custody-drill-recorder' };
  checkCredentials(drill, key, keyCreds, dbCreds);
  const identityFile = p.identityFile ?? '/etc/key-custody/drill/age-identity';
  const drillLogHostPath = p.drillLogHostPath ?? `/var/lib/key-custody/drill-log/${key.app}-${key.keyId}.md`;
  const credEnv = (c: { profile: string }) => ['AWS_CONFIG_FILE=/run/drill-aws/config', 'AWS_SHARED_CREDENTIALS_FILE=/run/drill-aws/credentials', `AWS_PROFILE=${c.profile}`];
  const awsEnv = (c: { profile: string }, bucket: CustodyBucket | AdoptedBackupBucket) => {
    const b = drillBucketEnv(d, bucket, key.keyId);
    return [...credEnv(c), ...(b.region === undefined ? [] : [`AWS_REGION=${b.region}`]), `BUCKET=${b.name}`];
  };
  const credMount = (c: { hostDir: string }) => ({ type: 'bind', source: c.hostDir, target: '/run/drill-aws', readOnly: true });
  const fetchImage = p.fetchImage ?? 'amazon/aws-cli:2.22.35';
  let toolsRef = p.toolsImage;
  let toolsImageId: string;
  if (toolsRef) {
    toolsImageId = image(toolsRef);
  } else {
    // Built on the scratch host from the Dockerfile written beside the stack: Debian's packages, as the rehearsal tier runs them.
    toolsRef = `${prefix}-tools:bookworm`;
    const dir = `drill-tools-${stem}`;
    writeBesideStack(drill, () => `${dir}/Dockerfile`, () => DRILL_TOOLS_DOCKERFILE);
    const img = new Image(d, 'ToolsImage', { provider, name: toolsRef, keepLocally: true, buildAttribute: { context: `\${path.module}/${dir}` } });
    toolsImageId = img.imageId;
  }

  // Who ran the drill: given at apply time (`-var`), never guessed.
  const operatorVariable = `${slug(key.keyId)}_drill_operator`;
  const stack = TerraformStack.of(d);
  let operator = stack.node.tryFindChild(operatorVariable) as TerraformVariable | undefined;
  if (!operator) {
    operator = new TerraformVariable(stack, operatorVariable, {
      type: 'string',
      description: `Who runs the recovery drills of key ${key.keyId} (written to the drill log): cdktf deploy --var='${operatorVariable}=<name>'`,
      // A default keeps plans of the drill stack (CI) working; a drill run without -var says so in its log row.
      default: 'not named (set -var drill operator)',
    });
    operator.overrideLogicalId(operatorVariable);
  }

  // The outcome job: up before any step, it pages a failure at once and records a pass.
  const outcome = new Container(d, 'Outcome', {
    provider,
    name: `${prefix}-outcome`,
    image: toolsImageId,
    entrypoint: ['/bin/sh', '-c'],
    command: [outcomeScript(), 'outcome'],
    env: [
      ...credEnv(recorderCreds),
      ...(inputs.aws.region ? [`AWS_REGION=${inputs.aws.region}`] : []),
      'STATUS_DIR=/status',
      `TOPIC_ARN=${inputs.aws.topicArn}`,
      `DEADLINE_SECONDS=${(p.readinessTimeoutSeconds ?? 300) + 3600}`,
      `DRILL_ID=${drillId}`,
      `KEY_ID=${key.keyId}`,
      `APP=${key.app}`,
      `OPERATOR=${operator.stringValue}`,
      `DRILL_LOG=/drill-log/${drillLogHostPath.slice(drillLogHostPath.lastIndexOf('/') + 1)}`,
      `STALENESS_DAYS=${stalenessDays}`,
      `SCHEDULE_GROUP=${inputs.aws.scheduleGroup}`,
      `HEARTBEAT_NAME=${inputs.aws.heartbeat}`,
      `METRIC_NAMESPACE=${DRILL_METRIC_NAMESPACE}`,
      `METRIC_NAME=${DRILL_METRIC_NAME}`,
      `METRIC_DIMENSION=${DRILL_METRIC_DIMENSION}`,
      `RUNBOOK=${inputs.runbook}`,
    ],
    mounts: [credMount(recorderCreds), status, { type: 'bind', source: drillLogHostPath.slice(0, drillLogHostPath.lastIndexOf('/')), target: '/drill-log', readOnly: false }],
    networksAdvanced: [{ name: fetchNetwork.name }],
    labels: labelList(tags, 'outcome'),
    // Not attached: it outlives a failed apply, which is when it must page.
    attach: false,
    mustRun: false,
    restart: 'no',
  });

  // The DB backup: the newest one at least restoreAgeDays old, with the DB-restore credential only.
  const dbFetch = new Container(d, 'DbFetch', {
    provider,
    name: `${prefix}-db-fetch`,
    image: image(fetchImage),
    entrypoint: ['/bin/sh', '-c'],
    command: [dbFetchScript(), 'db-fetch'],
    env: [...awsEnv(dbCreds, p.dbBucket), `PREFIX=${p.dbBackupPrefix ?? ''}`, `MIN_AGE_DAYS=${restoreAgeDays}`, 'DUMP_PATH=/restore/db.dump', 'STATUS_DIR=/status'],
    mounts: [credMount(dbCreds), { type: 'volume', source: dumpVolume.name, target: '/restore', readOnly: false }, status],
    networksAdvanced: [{ name: fetchNetwork.name }],
    labels: labelList(tags, 'db-fetch'),
    dependsOn: [outcome],
    ...oneShot(`fetch of a DB backup at least ${restoreAgeDays} days old`),
  });
  // The key: the generation active on the backup's day, age-encrypted, from the OFFSITE bucket, with the key-restore credential only.
  const keyRestore = new Container(d, 'KeyRestore', {
    provider,
    name: `${prefix}-key-restore`,
    image: image(fetchImage),
    entrypoint: ['/bin/sh', '-c'],
    command: [keyFetchScript(), 'key-fetch'],
    env: [...awsEnv(keyCreds, p.keyBucket), `KEY_ID=${key.keyId}`, `KEY_PREFIX=${keyObjectPrefix}`, `KEY_GENERATIONS=${generations}`, 'ENCRYPTED_PATH=/restore/masterkey.age', 'STATUS_DIR=/status'],
    mounts: [credMount(keyCreds), { type: 'volume', source: keyVolume.name, target: '/restore', readOnly: false }, status],
    networksAdvanced: [{ name: fetchNetwork.name }],
    labels: labelList(tags, 'key-restore'),
    dependsOn: [dbFetch],
    ...oneShot('fetch of the offsite key copy'),
  });
  // Decryption holds the operator's identity and runs with no network at all.
  const keyDecrypt = new Container(d, 'KeyDecrypt', {
    provider,
    name: `${prefix}-key-decrypt`,
    image: toolsImageId,
    entrypoint: ['/bin/sh', '-c'],
    command: [keyDecryptScript(), 'key-decrypt'],
    env: ['IDENTITY_PATH=/run/drill-identity/identity', 'ENCRYPTED_PATH=/restore/masterkey.age', `RESTORED_KEY_PATH=/restore/${keyFile.slice(keyFile.lastIndexOf('/') + 1)}`, `FILE_OWNER=${owner}`, `KEY_ENCODING=${profile.encoding.kind}`, 'STATUS_DIR=/status'],
    mounts: [
      { type: 'bind', source: identityFile, target: '/run/drill-identity/identity', readOnly: true },
      { type: 'volume', source: keyVolume.name, target: '/restore', readOnly: false },
      status,
    ],
    networkMode: 'none',
    labels: labelList(tags, 'key-decrypt'),
    dependsOn: [keyRestore],
    ...oneShot('decryption and fingerprint check of the offsite key copy'),
  });

  const dbName = p.databaseName ?? key.app.replace(/-/g, '_');
  let database: Container | undefined;
  let dbRestore: Container;
  let dataVolume: Volume | undefined;
  let dbEnv: Record<string, string>;
  let dataMount: { type: string; source: string; target: string; readOnly: boolean }[] = [];
  if (appDb.kind === 'postgres') {
    const dbImage = p.databaseImage ?? 'postgres:17-alpine';
    database = new Container(d, 'Database', {
      provider,
      name: `${prefix}-db`,
      image: image(dbImage),
      // A scratch database on an internal network: trust auth, so that no password has to be
      // generated into Terraform state; nothing outside the drill network can reach it.
      env: ['POSTGRES_HOST_AUTH_METHOD=trust', `POSTGRES_DB=${dbName}`],
      networksAdvanced: [{ name: network.name }],
      labels: labelList(tags, 'database'),
      restart: 'no',
      healthcheck: { test: ['CMD-SHELL', 'pg_isready -U postgres'], interval: '5s', timeout: '5s', retries: 30 },
      wait: true,
      waitTimeout: 180,
    });
    dbRestore = new Container(d, 'DbRestore', {
      provider,
      name: `${prefix}-db-restore`,
      image: image(dbImage),
      entrypoint: ['/bin/sh', '-c'],
      command: [postgresRestoreScript(), 'db-restore'],
      env: [`PGHOST=${database.name}`, 'PGUSER=postgres', `PGDATABASE=${dbName}`, 'DUMP_PATH=/restore/db.dump', 'STATUS_DIR=/status'],
      mounts: [{ type: 'volume', source: dumpVolume.name, target: '/restore', readOnly: false }, status],
      networksAdvanced: [{ name: network.name }],
      labels: labelList(tags, 'db-restore'),
      dependsOn: [database, dbFetch],
      ...oneShot('restore of the DB backup into the drill database'),
    });
    dbEnv = databaseEnv(appDb, { host: database.name, port: 5432, database: dbName, user: 'postgres' });
  } else {
    dataVolume = new Volume(d, 'DataVolume', { provider, name: `${prefix}-data`, labels: labelList(tags, 'restored-data') });
    const path = `${appDb.dir as string}/${appDb.file}`;
    dbRestore = new Container(d, 'DbRestore', {
      provider,
      name: `${prefix}-db-restore`,
      image: toolsImageId,
      entrypoint: ['/bin/sh', '-c'],
      command: [sqliteRestoreScript(), 'db-restore'],
      env: ['DUMP_PATH=/restore/db.dump', `DATA_PATH=/data/${appDb.file}`, `FILE_OWNER=${owner}`, 'STATUS_DIR=/status'],
      mounts: [{ type: 'volume', source: dumpVolume.name, target: '/restore', readOnly: false }, { type: 'volume', source: dataVolume.name, target: '/data', readOnly: false }, status],
      networkMode: 'none',
      // The drill's own database is this job's file: KC032 counts `sqlite-restore` as the drill database.
      labels: labelList(tags, 'sqlite-restore'),
      dependsOn: [dbFetch],
      ...oneShot('restore of the DB backup into the drill data volume'),
    });
    dataMount = [{ type: 'volume', source: dataVolume.name, target: appDb.dir as string, readOnly: false }];
    dbEnv = databaseEnv(appDb, { path });
  }

  const appEnv = { ...dbEnv, ...(p.appEnv ?? {}) };
  parseProps('RecoveryDrill', drill, keyPassingSchema(profile, 'RecoveryDrill'), { env: appEnv, command: p.appCommand }, 'the drill passes the restored key by path; keep it out of appEnv and appCommand');
  const env = { ...appEnv, ...passing.env };
  const appImage = p.appImage ?? profile.image;
  if (!appImage) throw namesNoImage(drill, 'RecoveryDrill', profile.name, 'appImage');
  const appContainer = new Container(d, 'App', {
    provider,
    name: `${prefix}-app`,
    image: image(appImage),
    command: passing.command,
    env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    user: p.appUser ?? (owner === '0:0' ? '0' : owner.split(':')[0]),
    // The restored key, read-only, at the path the app is told: the same shape as production.
    mounts: [{ type: 'volume', source: keyVolume.name, target: keyDir, readOnly: true }, ...dataMount],
    networksAdvanced: [{ name: network.name }],
    labels: labelList(tags, 'app'),
    // json-file, so that the proof can read the app's log from the host's docker folder.
    logDriver: 'json-file',
    restart: 'no',
    dependsOn: [dbRestore, keyDecrypt],
  });
  const timeout = p.readinessTimeoutSeconds ?? 300;
  // The literal container name: docker's DNS on the drill network resolves it, and the runbook can print it.
  const appUrl = `http://${prefix}-app:${profile.port}`;
  const dockerRoot = (p.dockerDataRoot ?? '/var/lib/docker').replace(/\/+$/, '');
  const zitadelLogin = profile.name === 'zitadel' || profile.name === 'zitadel-v5';
  const breakGlassFile = zitadelLogin ? (p.breakGlassFile ?? '/etc/key-custody/drill/zitadel-break-glass') : undefined;
  const readiness = new Container(d, 'Readiness', {
    provider,
    name: `${prefix}-readiness`,
    image: toolsImageId,
    entrypoint: ['/bin/sh', '-c'],
    command: [proofScript(), 'proof'],
    env: [
      `APP_URL=${appUrl}`,
      `READINESS_PATH=${profile.readinessPath}`,
      `TIMEOUT_SECONDS=${timeout}`,
      'STATUS_DIR=/status',
      ...(profile.failureSignal ? [`FAILURE_SIGNAL=${profile.failureSignal}`, `APP_LOG=/app-log/${appContainer.id}-json.log`] : []),
      ...(breakGlassFile ? ['LOGIN=zitadel-break-glass', 'BREAK_GLASS_PATH=/run/drill-break-glass/credential'] : []),
    ],
    mounts: [
      status,
      ...(profile.failureSignal ? [{ type: 'bind', source: `${dockerRoot}/containers/${appContainer.id}`, target: '/app-log', readOnly: true }] : []),
      ...(breakGlassFile ? [{ type: 'bind', source: breakGlassFile, target: '/run/drill-break-glass/credential', readOnly: true }] : []),
    ],
    networksAdvanced: [{ name: network.name }],
    labels: labelList(tags, 'readiness'),
    dependsOn: [appContainer],
    ...oneShot(`proof: ${profile.readinessPath}${profile.failureSignal ? ` and no "${profile.failureSignal}" in the app's log` : ''}${breakGlassFile ? ' and the break-glass login' : ''}`),
  });
  return {
    scope: d,
    network,
    fetchNetwork,
    keyVolume,
    dumpVolume,
    statusVolume,
    dataVolume,
    outcome,
    keyRestore,
    keyDecrypt,
    dbFetch,
    database,
    dbRestore,
    appContainer,
    readiness,
    keyFile,
    keyObject,
    keyObjectPrefix,
    generations,
    keyCreds,
    dbCreds,
    recorderCreds,
    identityFile,
    breakGlassFile,
    drillLogHostPath,
    appDatabase: appDb,
    databaseEnv: dbEnv,
    readinessUrl: `${appUrl}${profile.readinessPath}`,
    operatorVariable,
    toolsImage: toolsRef,
  };
}
