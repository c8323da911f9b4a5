/**
 * adopted-db-bucket: Zitadel whose database backups already go to a bucket another team
 * manages (here `acme-zitadel-db-backups`, written by the platform team's pg_dump job).
 * Nothing about that bucket changes; it is adopted into the custody model:
 *
 * - it is read with `data.aws_s3_bucket` and declared in the custody manifest as the
 *   DB-backup store of key `zitadel-prod`, so every rule (separation, access, drills) sees it;
 * - its name comes in as a Terraform variable (per environment), so whether it is the
 *   key-backup bucket is only known at plan time: a precondition on the data source refuses
 *   the plan if it ever resolves to the key-backup bucket (KC010);
 * - its retention (`restorableDays`, from its lifecycle) is declared, so the key backups are
 *   checked to outlive every DB backup they decrypt (KC022) before anything is deployed;
 * - the recovery drill reads it with a read-only role the platform team grants on their
 *   bucket (`drillReaderArn`): this app cannot change a policy it does not own.
 *
 * Stacks, each with its own provider configuration and its own state in the state bucket of
 * the account it deploys to (see examples/ci); credentials come from the environment. The
 * drill host reads no other stack's state: the key bucket's name is a literal, and the
 * adopted bucket's name reaches it as its own variable (`zitadel_prod_drill_db_backup_bucket`),
 * which the deploy job sets like `existing_db_bucket`:
 * `zitadel-host` (docker), `key-custody` (account 111111111111), `db-backups` (account
 * 222222222222, the adopted bucket only), `drill-host` (scratch docker host) and
 * `drill-schedule` (account 333333333333).
 */
import { App, S3Backend, TerraformStack, TerraformVariable } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { CustodySuppressions } from '../../lib/constructs/manifest/suppressions';
import { MasterKeyCustody } from '../../lib/constructs/master-key-custody';

/**
 * The fingerprint `key-custody keygen` printed when it made the key and its copies (a salted
 * scrypt hash, not the key; see README "Key ceremony"). Declared with each copy, it is the
 * evidence KC020 counts; `key-custody verify-key <file> --fingerprint <it>` checks a copy.
 */
const KEY_FINGERPRINT = 'kcfp1:0ebd1beb701508e2e86ba61a08cc7c9f:0fef89c6a8c703618252d82773a92b44c0af316c73cc8ecd40872611141bc59c';

/** Accounts, hosts and names of the example; replace them with yours. */
export const SETTINGS = {
  keyAccount: '111111111111',
  dbAccount: '222222222222',
  drillAccount: '333333333333',
  appAccount: '444444444444',
  region: 'eu-central-1',
  prodHost: 'ssh://deploy@zitadel.example.com',
  scratchHost: 'ssh://deploy@scratch.example.com',
  keyId: 'zitadel-prod',
  /** The bucket the platform team's backup job already writes to. */
  existingDbBucket: 'acme-zitadel-db-backups',
  keyBucket: 'acme-zitadel-key-backups',
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
    new S3Backend(st, { bucket: stateBucket(account), key: `${name}/terraform.tfstate`, region: s.region, encrypt: true });
    // S3-native locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no property for it yet.
    st.addOverride('terraform.backend.s3.use_lockfile', true);
    return st;
  };
  // The production host's state: the app account (its deploy role reaches no custody bucket).
  const host = stack('zitadel-host', s.appAccount);
  const keys = stack('key-custody', s.keyAccount);
  const db = stack('db-backups', s.dbAccount);
  const drillHost = stack('drill-host', s.drillAccount);
  const drillAws = stack('drill-schedule', s.drillAccount);

  const prodDocker = new DockerProvider(host, 'docker', { host: s.prodHost });
  new AwsProvider(keys, 'aws', { region: s.region, allowedAccountIds: [s.keyAccount] });
  // Read-only credentials in the platform team's account are enough: the bucket is only read.
  new AwsProvider(db, 'aws', { region: s.region, allowedAccountIds: [s.dbAccount] });
  // Known per environment, at plan time: `-var existing_db_bucket=...` (default: production).
  const existingDbBucket = new TerraformVariable(db, 'existing_db_bucket', {
    type: 'string',
    default: s.existingDbBucket,
    description: 'Name of the existing DB-backup bucket the platform team manages',
  });
  const scratch = new DockerProvider(drillHost, 'scratch', { alias: 'scratch', host: s.scratchHost });
  new AwsProvider(drillAws, 'aws', { region: s.region, allowedAccountIds: [s.drillAccount] });

  const custody = new MasterKeyCustody(app, 'Zitadel', {
    keyId: s.keyId,
    profile: 'zitadel',
    hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' },
    copies: [
      { kind: 'cold', medium: 'nas', location: 'nas01:/vault/zitadel/masterkey.age (age-encrypted)', custodian: 'ops', fingerprint: KEY_FINGERPRINT, date: '2026-12-06' },
      { kind: 'paper', medium: 'paper', location: 'office safe, sealed envelope', offsite: true, custodian: 'CFO', fingerprint: KEY_FINGERPRINT, date: '2026-12-06' },
    ],
    masterKeyProps: { fingerprint: KEY_FINGERPRINT },
    appStack: host,
    appProvider: prodDocker,
    keyCustodyStack: keys,
    dbBackupStack: db,
    existingDbBucket: {
      bucketName: existingDbBucket.stringValue,
      // 30 daily backups, each kept 14 more days once superseded (the bucket's lifecycle).
      restorableDays: 44,
      // Granted by the platform team on their bucket and KMS key: s3:GetObject, s3:ListBucket,
      // kms:Decrypt; nothing on the key-backup bucket.
      drillReaderArn: `arn:aws:iam::${s.dbAccount}:role/zitadel-drill-db-read`,
    },
    drillStack: drillHost,
    drillProvider: scratch,
    drillAwsStack: drillAws,
    timezone: 'Europe/Berlin',
    // A literal key-bucket name is what the adopted bucket's precondition compares against.
    keyBucketProps: { bucketName: s.keyBucket, admins: [`arn:aws:iam::${s.keyAccount}:role/key-custody-deployer`] },
    appProps: {
      command: ['start-from-init', '--config', '/etc/zitadel/config.yaml', '--tlsMode', 'external'],
      ports: [{ internal: 8080, external: 8080 }],
    },
  });

  // The adopted bucket's hardening (public access block, TLS-only policy, SSE-KMS, ...) is
  // configured in the platform team's repository, not here, so KC023 cannot read it. Say so,
  // with an owner and a date to look again, instead of pretending.
  CustodySuppressions.add(custody.dbBucket, [
    {
      id: 'KC023',
      reason: 'hardened in platform-team/infra (s3-backups module): public access block, TLS-only policy, SSE-KMS with its own key',
      owner: 'platform-team',
      expires: '2027-11-30',
    },
  ]);
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
