/**
 * zitadel-single-host: the setup of the Zitadel field notes (shared/seeds), as code.
 *
 * - `zitadel-host`: Zitadel v4.13.0 and postgres 17 on one docker host; the master key is the
 *   host file /etc/zitadel/masterkey (0400, owned by 1000:1000, the user the Zitadel image runs
 *   as, in a 0700 root:root directory, checked at deploy), mounted read-only and passed with
 *   --masterkeyFile; Zitadel runs as 1000:1000 explicitly. Its configuration, the host file
 *   /etc/zitadel/config.yaml, is mounted read-only where `--config` names it. Declared copies
 *   outside Terraform: an age-encrypted cold copy on the NAS and a paper copy in the office safe.
 * - `key-custody`: the offsite key-backup bucket, in its own AWS account and state.
 * - `db-backups`: the DB-backup bucket, in another AWS account and state.
 * - `drill-host` + `drill-schedule`: the quarterly recovery drill on a scratch docker host,
 *   and its schedule, reminder and staleness alarm in a third account.
 *
 * Each stack has its own provider configuration and its own state, in the state bucket of the
 * account it deploys to (S3, encrypted, versioned, locked with a lock file), so CI plans and
 * deploys each with that account's credentials only (see examples/ci). Credentials come from
 * the environment (OIDC in CI, `AWS_PROFILE=...` locally), never from a profile named here. No
 * stack reads another stack's state: what the drill needs from the bucket stacks (their names
 * and region) is plain configuration, which is why the bucket names are literal and stable.
 */
import { App, S3Backend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Network } from '@cdktf/provider-docker/lib/network';
import { DatabaseBackupBucket, KeyBackupBucket, MasterKey, ProtectedAppContainer, RecoveryDrill } from '../../lib';

/**
 * The fingerprint `key-custody keygen` printed when it made the key and its copies (a salted
 * scrypt hash, not the key; see README "Key ceremony"). Declared with each copy, it is the
 * evidence KC020 counts; `key-custody verify-key <file> --fingerprint <it>` checks a copy.
 */
const KEY_FINGERPRINT = 'kcfp1:5b30c0eca437358ca0d034b554d6bad1:01b2170fd0840e31f12e802391699f2cbaf779797e18bd6e1c52053245ad1df0';

/** Accounts and hosts of the example; replace them with yours. */
export const SETTINGS = {
  keyAccount: '111111111111',
  dbAccount: '222222222222',
  drillAccount: '333333333333',
  /** Where the production host's state lives (its deploy role reaches no custody bucket). */
  appAccount: '444444444444',
  region: 'eu-central-1',
  prodHost: 'ssh://deploy@zitadel.example.com',
  scratchHost: 'ssh://deploy@scratch.example.com',
  keyId: 'zitadel-master',
  /**
   * Zitadel's configuration file on the production host (database connection, external
   * domain; no secrets in it that the key protects), mounted read-only at the same path in the
   * container. It must be readable by uid 1000 (e.g. `chown root:1000`, `chmod 0440`).
   */
  zitadelConfig: '/etc/zitadel/config.yaml',
  /** Stable names (app, key, account): the drill is given them, it never reads the bucket stacks' state. */
  keyBucket: 'zitadel-master-keys-111111111111',
  dbBucket: 'zitadel-master-db-222222222222',
} as const;

/** The state bucket of an account: reachable only by that account's deploy role (see README, "State"). */
export function stateBucket(account: string): string {
  return `key-custody-tfstate-${account}`;
}

/** Build the example app into `outdir` (the CLI's default when omitted). */
export function buildApp(outdir?: string): App {
  const s = SETTINGS;
  const app = new App(outdir ? { outdir } : {});
  const stack = (name: string, account: string) => {
    const st = new TerraformStack(app, name);
    // One state per stack, in the state bucket of the account it deploys to: the key custody
    // state never sits with the DB-backup state, and no deploy job reaches the other's.
    new S3Backend(st, { bucket: stateBucket(account), key: `${name}/terraform.tfstate`, region: s.region, encrypt: true });
    // S3-native locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no property for it yet.
    st.addOverride('terraform.backend.s3.use_lockfile', true);
    return st;
  };
  const host = stack('zitadel-host', s.appAccount);
  const keys = stack('key-custody', s.keyAccount);
  const db = stack('db-backups', s.dbAccount);
  // The drill's docker part keeps its state with its AWS part, in the drill account.
  const drillHost = stack('drill-host', s.drillAccount);
  const drillAws = stack('drill-schedule', s.drillAccount);

  // Production host.
  const prodDocker = new DockerProvider(host, 'docker', { host: s.prodHost });
  const net = new Network(host, 'Network', { name: 'zitadel', internal: false });
  new Container(host, 'Postgres', {
    name: 'zitadel-db',
    image: 'postgres:17-alpine',
    restart: 'unless-stopped',
    // The database password is a file on the host as well, never a value in Terraform.
    env: ['POSTGRES_USER=zitadel', 'POSTGRES_DB=zitadel', 'POSTGRES_PASSWORD_FILE=/run/secrets/pg_password'],
    mounts: [
      { type: 'bind', source: '/etc/zitadel/pg_password', target: '/run/secrets/pg_password', readOnly: true },
      { type: 'volume', source: 'zitadel-pgdata', target: '/var/lib/postgresql/data' },
    ],
    networksAdvanced: [{ name: net.name }],
  });
  const key = new MasterKey(host, 'MasterKey', {
    keyId: s.keyId,
    profile: 'zitadel',
    hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' },
    fingerprint: KEY_FINGERPRINT,
    copies: [
      { kind: 'cold', medium: 'nas', location: 'nas01:/vault/zitadel/masterkey.age (age-encrypted)', custodian: 'ops', fingerprint: KEY_FINGERPRINT, date: '2026-12-06' },
      { kind: 'paper', medium: 'paper', location: 'office safe, sealed envelope', offsite: true, custodian: 'CFO', fingerprint: KEY_FINGERPRINT, date: '2026-12-06' },
    ],
  });
  new ProtectedAppContainer(host, 'Zitadel', {
    masterKey: key,
    provider: prodDocker,
    command: ['start-from-init', '--config', s.zitadelConfig, '--tlsMode', 'external'],
    // `--config` names a file: mount it, read-only, from where SETTINGS declares it.
    configFiles: [{ source: s.zitadelConfig, target: s.zitadelConfig }],
    ports: [{ internal: 8080, external: 8080 }],
    networks: [net.name],
  });

  // Key backups: account 1, its own credentials (from the environment) and state.
  // `allowedAccountIds` makes Terraform refuse any other account's credentials.
  new AwsProvider(keys, 'aws', { region: s.region, allowedAccountIds: [s.keyAccount] });
  const keyBucket = new KeyBackupBucket(keys, 'KeyBackups', {
    bucketName: s.keyBucket,
    key: s.keyId,
    app: 'zitadel',
    accountId: s.keyAccount,
    admins: [`arn:aws:iam::${s.keyAccount}:role/key-custody-deployer`],
  });

  // DB backups: account 2, its own credentials (from the environment) and state.
  new AwsProvider(db, 'aws', { region: s.region, allowedAccountIds: [s.dbAccount] });
  const dbBucket = new DatabaseBackupBucket(db, 'DbBackups', {
    bucketName: s.dbBucket,
    key: s.keyId,
    app: 'zitadel',
    retentionDays: 35,
    accountId: s.dbAccount,
    admins: [`arn:aws:iam::${s.dbAccount}:role/db-backups-deployer`],
  });
  keyBucket.assertOutlives(dbBucket);

  // Quarterly drill: scratch docker host, AWS parts in a third account.
  const scratch = new DockerProvider(drillHost, 'scratch', { alias: 'scratch', host: s.scratchHost });
  new AwsProvider(drillAws, 'aws', { region: s.region, allowedAccountIds: [s.drillAccount] });
  new RecoveryDrill(drillHost, 'Drill', {
    masterKey: key,
    keyBucket,
    dbBucket,
    scratchProvider: scratch,
    awsScope: drillAws,
    timezone: 'Europe/Berlin',
    keyReaderTrust: { principals: [s.keyAccount] },
    dbReaderTrust: { principals: [s.dbAccount] },
  });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
