import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network } from '@cdktf/provider-docker/lib/network';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { Construct } from 'constructs';
import type { AppProfile } from '../../profiles';
import type { AdoptedBackupBucket } from '../buckets/adopted-backup-bucket';
import type { CustodyBucket } from '../buckets/custody-bucket';
import { namesNoImage } from '../errors';
import { keyPassingOf, keyPassingSchema } from '../app/key-mount';
import { parseProps } from '../validation';
import type { ParsedDrillProps } from './props';
import { drillBucketEnv } from './bucket-env';
import { checkCredentials } from './validation';

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

/** The scratch environment's resources, and what the runbook says about them. */
export interface ScratchEnvironment {
  /** The construct holding the docker resources (`Scratch`, or `<stem>Scratch` in another scope). */
  readonly scope: Construct;
  readonly network: Network;
  readonly fetchNetwork: Network;
  readonly keyVolume: Volume;
  readonly dumpVolume: Volume;
  readonly keyRestore: Container;
  readonly dbFetch: Container;
  readonly database: Container;
  readonly dbRestore: Container;
  readonly appContainer: Container;
  readonly readiness: Container;
  /** Path of the restored key file inside the app container. */
  readonly keyFile: string;
  /** Object key of the key backup in the key bucket. */
  readonly keyObject: string;
  readonly keyCreds: { hostDir: string; profile: string };
  readonly dbCreds: { hostDir: string; profile: string };
  /** The URL the readiness check polls. */
  readonly readinessUrl: string;
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
}

/**
 * The docker part on the scratch host (see {@link RecoveryDrill}): an internal network, a
 * fetch network for the two fetch jobs only, volumes for the key and the dump, the
 * database, the restore job, the app and a readiness check. Ids as they always were, in
 * one `Scratch` construct, so the Terraform addresses of existing drills do not move.
 */
export function createScratchEnvironment(p: ParsedDrillProps, inputs: ScratchInputs): ScratchEnvironment {
  const { drill, dockerScope, profile, prefix, tags, stem, restoreAgeDays } = inputs;
  const key = p.masterKey;
  const scratch = p.scratchProvider;
  const d = new Construct(dockerScope, dockerScope === drill ? 'Scratch' : `${stem}Scratch`);
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

  const network = new Network(d, 'Network', { provider, name: `${prefix}-net`, internal: true, labels: labelList(tags, 'network') });
  // The two fetch jobs need S3; nothing else joins this network (see the KC032 note below).
  const fetchNetwork = new Network(d, 'FetchNetwork', { provider, name: `${prefix}-fetch`, internal: false, labels: labelList(tags, 'fetch-network') });
  const keyVolume = new Volume(d, 'KeyVolume', { provider, name: `${prefix}-restored-key`, labels: labelList(tags, 'restored-key') });
  const dumpVolume = new Volume(d, 'DumpVolume', { provider, name: `${prefix}-db-dump`, labels: labelList(tags, 'db-dump') });

  const passing = keyPassingOf(profile, { command: p.appCommand ? [...p.appCommand] : undefined });
  const keyFile = passing.target;
  const keyDir = keyFile.slice(0, keyFile.lastIndexOf('/'));
  const keyName = keyFile.slice(keyFile.lastIndexOf('/') + 1);
  const keyObject = p.keyObjectKey ?? `${key.keyId}/${keyName}`;
  const owner = p.keyFileOwner ?? '0:0';
  const keyCreds = { hostDir: p.keyCredentials?.hostDir ?? '/etc/key-custody/drill/key-restore', profile: p.keyCredentials?.profile ?? 'custody-drill-key-restore' };
  const dbCreds = { hostDir: p.dbCredentials?.hostDir ?? '/etc/key-custody/drill/db-restore', profile: p.dbCredentials?.profile ?? 'custody-drill-db-restore' };
  checkCredentials(drill, key, keyCreds, dbCreds);
  const awsEnv = (c: { profile: string }, bucket: CustodyBucket | AdoptedBackupBucket) => {
    const b = drillBucketEnv(d, bucket, key.keyId);
    return [
      'AWS_CONFIG_FILE=/run/drill-aws/config',
      'AWS_SHARED_CREDENTIALS_FILE=/run/drill-aws/credentials',
      `AWS_PROFILE=${c.profile}`,
      ...(b.region === undefined ? [] : [`AWS_REGION=${b.region}`]),
      `BUCKET=${b.name}`,
    ];
  };
  const credMount = (c: { hostDir: string }) => ({ type: 'bind', source: c.hostDir, target: '/run/drill-aws', readOnly: true });
  const fetchImage = p.fetchImage ?? 'amazon/aws-cli:2.22.35';

  // The key: the one object of the OFFSITE bucket, with the key-restore credential only.
  const keyRestore = new Container(d, 'KeyRestore', {
    provider,
    name: `${prefix}-key-restore`,
    image: image(fetchImage),
    entrypoint: ['/bin/sh', '-c'],
    command: [KEY_RESTORE_SCRIPT, 'key-restore'],
    env: [...awsEnv(keyCreds, p.keyBucket), `S3_OBJECT=${keyObject}`, `RESTORE_PATH=/restore/${keyName}`, `FILE_OWNER=${owner}`],
    mounts: [credMount(keyCreds), { type: 'volume', source: keyVolume.name, target: '/restore', readOnly: false }],
    networksAdvanced: [{ name: fetchNetwork.name }],
    labels: labelList(tags, 'key-restore'),
    ...oneShot('key restore from the offsite key bucket'),
  });
  // The DB backup: the newest one at least restoreAgeDays old, with the DB-restore credential only.
  const dbFetch = new Container(d, 'DbFetch', {
    provider,
    name: `${prefix}-db-fetch`,
    image: image(fetchImage),
    entrypoint: ['/bin/sh', '-c'],
    command: [DB_FETCH_SCRIPT, 'db-fetch'],
    env: [...awsEnv(dbCreds, p.dbBucket), `PREFIX=${p.dbBackupPrefix ?? ''}`, `MIN_AGE_DAYS=${restoreAgeDays}`],
    mounts: [credMount(dbCreds), { type: 'volume', source: dumpVolume.name, target: '/restore', readOnly: false }],
    networksAdvanced: [{ name: fetchNetwork.name }],
    labels: labelList(tags, 'db-fetch'),
    ...oneShot(`fetch of a DB backup at least ${restoreAgeDays} days old`),
  });
  // Fetch jobs are the only drill containers that need a route out (to S3). They stay off the
  // internal network, hold no restored data but their own volume, and run with one credential.
  // KC032 admits them on a non-internal network only while no other drill container joins it.

  const dbName = p.databaseName ?? key.app.replace(/-/g, '_');
  const dbImage = p.databaseImage ?? 'postgres:17-alpine';
  const database = new Container(d, 'Database', {
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
  const dbRestore = new Container(d, 'DbRestore', {
    provider,
    name: `${prefix}-db-restore`,
    image: image(dbImage),
    entrypoint: ['/bin/sh', '-c'],
    command: [DB_RESTORE_SCRIPT, 'db-restore'],
    env: [`PGHOST=${database.name}`, 'PGUSER=postgres', `PGDATABASE=${dbName}`],
    mounts: [{ type: 'volume', source: dumpVolume.name, target: '/restore', readOnly: true }],
    networksAdvanced: [{ name: network.name }],
    labels: labelList(tags, 'db-restore'),
    dependsOn: [database, dbFetch],
    ...oneShot('restore of the DB backup into the drill database'),
  });

  const envDefaults = profile.name === 'zitadel' ? zitadelDbEnv(database.name, dbName) : {};
  const appEnv = { ...envDefaults, ...(p.appEnv ?? {}) };
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
    mounts: [{ type: 'volume', source: keyVolume.name, target: keyDir, readOnly: true }],
    networksAdvanced: [{ name: network.name }],
    labels: labelList(tags, 'app'),
    restart: 'no',
    dependsOn: [dbRestore, keyRestore],
  });
  const timeout = p.readinessTimeoutSeconds ?? 300;
  // The literal container name: docker's DNS on the drill network resolves it, and the runbook can print it.
  const url = `http://${prefix}-app:${profile.port}${profile.readinessPath}`;
  const readiness = new Container(d, 'Readiness', {
    provider,
    name: `${prefix}-readiness`,
    image: image(p.curlImage ?? 'curlimages/curl:8.11.1'),
    command: ['-fsS', '--retry', String(Math.ceil(timeout / 5)), '--retry-delay', '5', '--retry-all-errors', '--max-time', '10', url],
    networksAdvanced: [{ name: network.name }],
    labels: labelList(tags, 'readiness'),
    dependsOn: [appContainer],
    ...oneShot(
      `readiness check ${profile.readinessPath}${
        profile.failureSignal ? `; if \`docker logs ${prefix}-app\` shows "${profile.failureSignal}", the restored key is the wrong key` : ''
      }`,
    ),
  });
  return {
    scope: d,
    network,
    fetchNetwork,
    keyVolume,
    dumpVolume,
    keyRestore,
    dbFetch,
    database,
    dbRestore,
    appContainer,
    readiness,
    keyFile,
    keyObject,
    keyCreds,
    dbCreds,
    readinessUrl: url,
  };
}
