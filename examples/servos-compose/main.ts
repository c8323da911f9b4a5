/**
 * servos-compose: a ServOS-style app (the key file named by `SERVOS_MASTER_KEY_FILE`) whose
 * hot copy lives in AWS Secrets Manager, written with the one-line `MasterKeyCustody`.
 *
 * Why Secrets Manager: the host that runs ServOS is rebuilt from an image, so the key
 * cannot live only on its disk. The secret is the hot copy; an agent on the host (the
 * `aws secretsmanager get-secret-value` in a systemd unit, or your config tool) writes it
 * to /etc/servos/master_key (0400 root:root in a 0700 directory) before the app starts, and
 * the container gets that file read-only. ServOS refuses to boot with the wrong key (its
 * integrity canary), which is what the drill's readiness check relies on.
 *
 * Six stacks, each with its own provider configuration and its own state in the state bucket
 * of the account it deploys to, so that CI plans and deploys each one with that account's
 * credentials only (see examples/ci). Credentials come from the environment, never from a
 * named profile. No stack reads another's state: MasterKeyCustody names the buckets stably
 * (app, key, account) and gives the drill those names as plain configuration.
 *
 * | stack            | what                                                   | account      |
 * |------------------|--------------------------------------------------------|--------------|
 * | `servos-host`    | the ServOS container on the production docker host     | (docker)     |
 * | `servos-secret`  | the Secrets Manager hot copy and its own KMS key       | 444444444444 |
 * | `key-custody`    | the offsite key-backup bucket                          | 111111111111 |
 * | `db-backups`     | the DB-backup bucket                                   | 222222222222 |
 * | `drill-host`     | the quarterly recovery drill on a scratch docker host  | (docker)     |
 * | `drill-schedule` | the drill's reminder, heartbeat and staleness alarm    | 333333333333 |
 */
import { App, S3Backend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { MasterKeyCustody } from '../../lib/constructs/master-key-custody';

/**
 * The fingerprint `key-custody keygen` printed when it made the key and its copies (a salted
 * scrypt hash, not the key; see README "Key ceremony"). Declared with each copy, it is the
 * evidence KC020 counts; `key-custody verify-key <file> --fingerprint <it>` checks a copy.
 */
const KEY_FINGERPRINT = 'kcfp1:84a8b62bbd6d1078145094bdd1ff9efe:cf6f0adfe5c2177700118919ac9f1d900c062a417e80618989d2e23f960afa03';

/** Accounts, hosts and names of the example; replace them with yours. */
export const SETTINGS = {
  appAccount: '444444444444',
  keyAccount: '111111111111',
  dbAccount: '222222222222',
  drillAccount: '333333333333',
  region: 'eu-central-1',
  prodHost: 'ssh://deploy@servos.example.com',
  scratchHost: 'ssh://deploy@scratch.example.com',
  keyId: 'servos-prod',
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
    // One state per stack, in the state bucket of the account it deploys to: the key-backup
    // state never sits with the DB-backup state, and no deploy job reaches the other's.
    new S3Backend(st, { bucket: stateBucket(account), key: `${name}/terraform.tfstate`, region: s.region, encrypt: true });
    // S3-native locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no property for it yet.
    st.addOverride('terraform.backend.s3.use_lockfile', true);
    return st;
  };
  const host = stack('servos-host', s.appAccount);
  const secret = stack('servos-secret', s.appAccount);
  const keys = stack('key-custody', s.keyAccount);
  const db = stack('db-backups', s.dbAccount);
  const drillHost = stack('drill-host', s.drillAccount);
  const drillAws = stack('drill-schedule', s.drillAccount);

  // One provider per stack, credentials from the environment (OIDC in CI, AWS_PROFILE
  // locally), each pinned to its account: `allowedAccountIds` makes Terraform refuse to run
  // with the wrong credentials, and MasterKeyCustody reads the account ids from it (key
  // admins, drill reader trust, stable bucket names).
  const prodDocker = new DockerProvider(host, 'docker', { host: s.prodHost });
  new AwsProvider(secret, 'aws', { region: s.region, allowedAccountIds: [s.appAccount] });
  new AwsProvider(keys, 'aws', { region: s.region, allowedAccountIds: [s.keyAccount] });
  new AwsProvider(db, 'aws', { region: s.region, allowedAccountIds: [s.dbAccount] });
  // The drill runs on a docker host of its own, under an alias: never the production host.
  const scratch = new DockerProvider(drillHost, 'scratch', { alias: 'scratch', host: s.scratchHost });
  new AwsProvider(drillAws, 'aws', { region: s.region, allowedAccountIds: [s.drillAccount] });

  new MasterKeyCustody(app, 'Servos', {
    keyId: s.keyId,
    profile: 'servos',
    hotCopy: {
      kind: 'secrets-manager',
      name: 'servos/prod/master-key',
      // Only the host's instance role reads the secret; its policy denies everyone else,
      // administrators included.
      readers: [`arn:aws:iam::${s.appAccount}:role/servos-host`],
      keyAdmins: [`arn:aws:iam::${s.appAccount}:role/servos-deployer`],
      // Where the host agent writes the value for the container to mount.
      hostPath: '/etc/servos/master_key',
      // No `value`: Terraform never sees the key. keygen makes it and writes it once, out of band,
      // with its cold, offsite and paper copies:
      //   key-custody keygen --app servos --key-id servos-prod --hot-secret servos/prod/master-key \
      //     --cold /mnt/nas/servos/master_key.age=nas --recipient age1... --offsite s3://<key bucket> --paper sheet.html
      // To let Terraform write it instead, pass `value: new EphemeralKeyInput(secret, 'servos_master_key')`:
      // the value then arrives through `secret_string_wo` and never lands in plan or state.
    },
    // 3-2-1: the secret (hot), an age-encrypted copy on the NAS (second medium), the offsite
    // key-backup bucket, and paper in a safe off site.
    copies: [
      { kind: 'cold', medium: 'nas', location: 'nas01:/vault/servos/master_key.age (age-encrypted)', custodian: 'ops', fingerprint: KEY_FINGERPRINT, date: '2026-12-06' },
      { kind: 'paper', medium: 'paper', location: 'bank deposit box, sealed envelope', offsite: true, custodian: 'CTO', fingerprint: KEY_FINGERPRINT, date: '2026-12-06' },
    ],
    masterKeyProps: { fingerprint: KEY_FINGERPRINT },
    keyStoreStack: secret,
    appStack: host,
    appProvider: prodDocker,
    keyCustodyStack: keys,
    dbBackupStack: db,
    drillStack: drillHost,
    drillProvider: scratch,
    drillAwsStack: drillAws,
    timezone: 'Europe/Berlin',

    // Every part takes its own props over the defaults. The deployer roles administer the
    // buckets' KMS keys (never decrypt) and let the stacks plan without calling AWS.
    keyBucketProps: { admins: [`arn:aws:iam::${s.keyAccount}:role/key-custody-deployer`] },
    dbBucketProps: { admins: [`arn:aws:iam::${s.dbAccount}:role/db-backups-deployer`], retentionDays: 30 },
    appProps: {
      // The key file is 0400 root:root: the app reads it as root, or not at all.
      user: '0',
      ports: [{ internal: 8080, external: 8080 }],
      // Connection settings only. The key never goes here: SERVOS_MASTER_KEY is refused at
      // construction; MasterKeyCustody sets SERVOS_MASTER_KEY_FILE to the mounted file.
      env: { SERVOS_DATABASE_HOST: 'db.servos.internal', SERVOS_DATABASE_NAME: 'servos' },
    },
    drillProps: {
      // This ServOS runs on PostgreSQL (not the profile's default servos.db): the drill app is
      // wired to the drill's own database, restored from a backup at least 7 days old.
      appDatabase: { kind: 'postgres', env: { SERVOS_DATABASE_HOST: '{host}', SERVOS_DATABASE_NAME: '{database}', SERVOS_DATABASE_USER: '{user}' } },
      subscribers: [{ protocol: 'email', endpoint: 'key-custodians@example.com' }],
    },
  });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
