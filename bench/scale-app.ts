/**
 * The B3 app: N keys under custody in one app, laid out like the zitadel-single-host example
 * (five stacks: app host, key custody, DB backups, drill host, drill schedule; each with its own
 * provider configuration and state). Every key i gets the example's full set: a MasterKey with a
 * host-file hot copy and declared cold/paper copies, the protected app container, a
 * KeyBackupBucket, a DatabaseBackupBucket (the key bucket outlives it) and a RecoveryDrill on
 * the scratch host with its schedule in the drill account.
 */
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { DatabaseBackupBucket, KeyBackupBucket, MasterKey, ProtectedAppContainer, RecoveryDrill } from '../lib';

const KEY_ACCOUNT = '111111111111';
const DB_ACCOUNT = '222222222222';
const DRILL_ACCOUNT = '333333333333';

export interface ScaleAppOptions {
  /**
   * Run the synth-time custody check. Off means `skipValidation` (cdktf then skips every
   * app validation, ours included): the control of the B3 check share.
   * @default true
   */
  readonly check?: boolean;
}

export function buildScaleApp(outdir: string, n: number, opts: ScaleAppOptions = {}): App {
  const app = new App({ outdir, skipValidation: opts.check === false });
  const stack = (name: string) => {
    const st = new TerraformStack(app, name);
    new LocalBackend(st, { path: `terraform.${name}.tfstate` });
    return st;
  };
  const host = stack('app-host');
  const keys = stack('key-custody');
  const db = stack('db-backups');
  const drillHost = stack('drill-host');
  const drillAws = stack('drill-schedule');
  const prodDocker = new DockerProvider(host, 'docker', { host: 'ssh://deploy@apps.example.com' });
  new AwsProvider(keys, 'aws', { region: 'eu-central-1', profile: 'key-custody', allowedAccountIds: [KEY_ACCOUNT] });
  new AwsProvider(db, 'aws', { region: 'eu-central-1', profile: 'db-backups', allowedAccountIds: [DB_ACCOUNT] });
  const scratch = new DockerProvider(drillHost, 'scratch', { alias: 'scratch', host: 'ssh://deploy@scratch.example.com' });
  new AwsProvider(drillAws, 'aws', { region: 'eu-central-1', profile: 'drill', allowedAccountIds: [DRILL_ACCOUNT] });

  for (let i = 0; i < n; i++) {
    const keyId = `app${i}-master`;
    const app = `app${i}`;
    const key = new MasterKey(host, `MasterKey${i}`, {
      keyId,
      profile: 'zitadel',
      app,
      hotCopy: { kind: 'host-file', path: `/etc/${app}/masterkey` },
      copies: [
        { kind: 'cold', medium: 'nas', location: `nas01:/vault/${app}/masterkey.age`, custodian: 'ops' },
        { kind: 'paper', medium: 'paper', location: 'office safe', offsite: true, custodian: 'CFO' },
      ],
    });
    new ProtectedAppContainer(host, `App${i}`, {
      masterKey: key,
      provider: prodDocker,
      name: app,
      command: ['start-from-init', '--tlsMode', 'external'],
    });
    const keyBucket = new KeyBackupBucket(keys, `KeyBackups${i}`, {
      key: keyId,
      app,
      accountId: KEY_ACCOUNT,
      admins: [`arn:aws:iam::${KEY_ACCOUNT}:role/key-custody-deployer`],
    });
    const dbBucket = new DatabaseBackupBucket(db, `DbBackups${i}`, {
      key: keyId,
      app,
      retentionDays: 35,
      accountId: DB_ACCOUNT,
      admins: [`arn:aws:iam::${DB_ACCOUNT}:role/db-backups-deployer`],
    });
    keyBucket.assertOutlives(dbBucket);
    new RecoveryDrill(drillHost, `Drill${i}`, {
      masterKey: key,
      keyBucket,
      dbBucket,
      scratchProvider: scratch,
      awsScope: drillAws,
      timezone: 'Europe/Berlin',
      keyReaderTrust: { principals: [KEY_ACCOUNT] },
      dbReaderTrust: { principals: [DB_ACCOUNT] },
    });
  }
  return app;
}
