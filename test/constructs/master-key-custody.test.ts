import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App, LocalBackend, TerraformStack, TerraformVariable } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { AdoptedBackupBucket } from '../../lib/constructs/buckets/adopted-backup-bucket';
import { DatabaseBackupBucket } from '../../lib/constructs/buckets/database-backup-bucket';
import { KeyBackupBucket } from '../../lib/constructs/buckets/key-backup-bucket';
import { ProtectedAppContainer } from '../../lib/constructs/app/protected-app-container';
import { MasterKey } from '../../lib/constructs/key/master-key';
import { MasterKeyCustody, type MasterKeyCustodyProps } from '../../lib/constructs/master-key-custody';
import { RecoveryDrill } from '../../lib/constructs/drill/recovery-drill';
import { CustodySuppressions } from '../../lib/constructs/manifest/suppressions';
import { ALL_RULES } from '../../lib/rules';
import { KeyCustody } from '../../lib/synth/custody-check';

const KEY_ACCOUNT = '111111111111';
const FINGERPRINT = `kcfp1:${'1'.repeat(32)}:${'2'.repeat(64)}`;
const DB_ACCOUNT = '222222222222';
const DRILL_ACCOUNT = '333333333333';
const STACKS = ['host', 'keys', 'db', 'drill', 'drill-aws'] as const;
type StackName = (typeof STACKS)[number];
type Block = Record<string, unknown>;
interface TfJson {
  resource?: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface World {
  app: App;
  stacks: Record<StackName, TerraformStack>;
  prodDocker: DockerProvider;
  scratch: DockerProvider;
  props: MasterKeyCustodyProps;
  build(over?: Partial<MasterKeyCustodyProps>): MasterKeyCustody;
  json(s: StackName): TfJson;
}

/** Five stacks over three AWS accounts and two docker hosts, as in examples/zitadel-single-host. */
function world(): World {
  const outdir = mkdtempSync(join(tmpdir(), 'kc-mkc-'));
  dirs.push(outdir);
  const app = new App({ outdir });
  KeyCustody.enable(app, { rules: ALL_RULES, reports: false });
  const stacks = Object.fromEntries(
    STACKS.map((n) => {
      const s = new TerraformStack(app, n);
      new LocalBackend(s, { path: join(outdir, 'state', `${n}.tfstate`) });
      return [n, s];
    }),
  ) as Record<StackName, TerraformStack>;
  const prodDocker = new DockerProvider(stacks.host, 'docker', { host: 'ssh://deploy@prod.example.com' });
  new AwsProvider(stacks.keys, 'aws', { region: 'eu-central-1', profile: 'key-custody', allowedAccountIds: [KEY_ACCOUNT] });
  new AwsProvider(stacks.db, 'aws', { region: 'eu-central-1', profile: 'db-backups', allowedAccountIds: [DB_ACCOUNT] });
  new AwsProvider(stacks['drill-aws'], 'aws', { region: 'eu-central-1', profile: 'drill', allowedAccountIds: [DRILL_ACCOUNT] });
  const scratch = new DockerProvider(stacks.drill, 'scratch', { alias: 'scratch', host: 'ssh://deploy@scratch.example.com' });
  const props: MasterKeyCustodyProps = {
    keyId: 'zitadel-prod',
    profile: 'zitadel',
    hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' },
    // #20: copies count for 3-2-1 with evidence, here the fingerprint keygen printed.
    copies: [
      { kind: 'cold', medium: 'nas', location: '/mnt/nas/zitadel/masterkey.age', fingerprint: FINGERPRINT },
      { kind: 'paper', medium: 'paper', location: 'office safe', offsite: true, fingerprint: FINGERPRINT },
    ],
    masterKeyProps: { fingerprint: FINGERPRINT },
    appStack: stacks.host,
    appProvider: prodDocker,
    keyCustodyStack: stacks.keys,
    dbBackupStack: stacks.db,
    drillStack: stacks.drill,
    drillProvider: scratch,
    drillAwsStack: stacks['drill-aws'],
    keyBucketProps: { admins: [`arn:aws:iam::${KEY_ACCOUNT}:role/key-deployer`] },
    dbBucketProps: { admins: [`arn:aws:iam::${DB_ACCOUNT}:role/db-deployer`] },
  };
  return {
    app,
    stacks,
    prodDocker,
    scratch,
    props,
    build: (over = {}) => new MasterKeyCustody(app, 'Zitadel', { ...props, ...over }),
    json: (s) => JSON.parse(readFileSync(join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8')) as TfJson,
  };
}

function only(json: TfJson, type: string, data = false): Block {
  const all = Object.values((data ? json.data : json.resource)?.[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('MasterKeyCustody', () => {
  it('composes key, both buckets, the app and the drill, and synthesizes clean under the full rule set', () => {
    const w = world();
    const c = w.build();
    w.app.synth();
    const result = KeyCustody.checkOf(w.app)?.lastResult;
    expect(result).toBeDefined();
    expect(result!.findings.filter((f) => !f.suppressed)).toEqual([]);

    // Each part is reachable, of its own type, in its own stack.
    expect(c.key).toBeInstanceOf(MasterKey);
    expect(c.keyBucket).toBeInstanceOf(KeyBackupBucket);
    expect(c.dbBucket).toBeInstanceOf(DatabaseBackupBucket);
    expect(c.app).toBeInstanceOf(ProtectedAppContainer);
    expect(c.drill).toBeInstanceOf(RecoveryDrill);
    expect(TerraformStack.of(c.key)).toBe(w.stacks.host);
    expect(TerraformStack.of(c.app)).toBe(w.stacks.host);
    expect(TerraformStack.of(c.keyBucket)).toBe(w.stacks.keys);
    expect(TerraformStack.of(c.dbBucket)).toBe(w.stacks.db);
    expect(TerraformStack.of(c.drill)).toBe(w.stacks.drill);
    expect(c.keyBucket.node.path).toBe('keys/Zitadel/KeyBackups');
    expect(c.stacks.drillAws).toBe(w.stacks['drill-aws']);

    // The drill's schedule in its AWS stack, its readers next to their buckets.
    expect(only(w.json('drill-aws'), 'aws_scheduler_schedule_group').tags).toMatchObject({ 'custody:role': 'drill', 'custody:key': 'zitadel-prod' });
    expect(Object.keys(w.json('keys').resource?.aws_iam_role ?? {}).some((k) => k.includes('DrillKeyReader'))).toBe(true);
    expect(Object.keys(w.json('db').resource?.aws_iam_role ?? {}).some((k) => k.includes('DrillDbReader'))).toBe(true);

    // Account ids come from the providers' allowedAccountIds: the stacks plan without AWS look-ups.
    expect(w.json('keys').data?.aws_caller_identity).toBeUndefined();
    const trusts = Object.values(w.json('keys').resource?.aws_iam_role ?? {}).map((r) => String(r.assume_role_policy));
    expect(trusts.every((t) => t.includes(`arn:aws:iam::${KEY_ACCOUNT}:root`))).toBe(true);
    const container = Object.values(w.json('host').resource?.docker_container ?? {}).find((x) => x.name === 'zitadel')!;
    expect(container.command).toEqual(['start-from-init', '--tlsMode', 'external', '--masterkeyFile', '/run/secrets/masterkey']);
    expect(container.provider).toBe('docker');
  });

  it('passes per-part props over the defaults, and they land in cdk.tf.json', () => {
    const w = world();
    w.build({
      masterKeyProps: { fingerprint: 'a'.repeat(64) },
      keyBucketProps: { ...w.props.keyBucketProps, retentionDays: 500, objectLockDays: 400 },
      dbBucketProps: { ...w.props.dbBucketProps, retentionDays: 20, bucketName: 'acme-zitadel-db' },
      appProps: { name: 'idp', ports: [{ internal: 8080, external: 8443 }] },
      drillProps: { schedule: 'cron(0 9 ? 1,4,7,10 TUE#1 *)', restoreAgeDays: 10 },
      timezone: 'Europe/Berlin',
    });
    w.app.synth();
    const keys = w.json('keys');
    const db = w.json('db');
    expect(only(keys, 'aws_s3_bucket_lifecycle_configuration').rule).toMatchObject([{ noncurrent_version_expiration: [{ noncurrent_days: 500 }] }]);
    expect(only(keys, 'aws_s3_bucket_object_lock_configuration').rule).toMatchObject({ default_retention: { days: 400 } });
    expect(only(db, 'aws_s3_bucket_lifecycle_configuration').rule).toMatchObject([{ expiration: [{ days: 20 }] }]);
    expect(Object.values(w.json('host').resource?.docker_container ?? {}).map((x) => x.name)).toContain('idp');
    const schedules = Object.values(w.json('drill-aws').resource?.aws_scheduler_schedule ?? {});
    expect(schedules.find((s) => s.name === 'quarterly-reminder')).toMatchObject({
      schedule_expression: 'cron(0 9 ? 1,4,7,10 TUE#1 *)',
      schedule_expression_timezone: 'Europe/Berlin',
    });
    const manifest = only(w.json('host'), 'terraform_data').input as { keys: { fingerprint?: string }[] };
    expect(manifest.keys[0].fingerprint).toBe('a'.repeat(64));
    // The DB bucket's name is a literal, the key bucket's the stable default (app, key, account;
    // issue 19): two literals are compared at construction (KC010), no plan-time condition needed.
    const keyBucket = only(keys, 'aws_s3_bucket');
    expect(keyBucket).toMatchObject({ bucket: 'zitadel-prod-keys-111111111111' });
    expect(keyBucket.lifecycle).toBeUndefined();
    expect(only(db, 'aws_s3_bucket').lifecycle).toBeUndefined();
  });

  it('keeps every part overridable after construction (escape hatches on the public parts)', () => {
    const w = world();
    const c = w.build();
    c.keyBucket.bucket.addOverride('force_destroy', false);
    c.app.container.addOverride('memory', 1024);
    c.drill.reminder.addOverride('description', 'quarterly drill, see the wiki');
    w.app.synth();
    expect(Object.values(w.json('host').resource?.docker_container ?? {}).find((x) => x.name === 'zitadel')?.memory).toBe(1024);
    expect(Object.values(w.json('drill-aws').resource?.aws_scheduler_schedule ?? {}).map((s) => s.description)).toContain('quarterly drill, see the wiki');
  });

  it('adopts an existing DB-backup bucket, with a plan-time precondition where its name is only known at plan time', () => {
    const w = world();
    // The existing bucket's name is known at plan time only (a variable of the DB stack).
    const name = new TerraformVariable(w.stacks.db, 'existing_db_bucket', { type: 'string', default: 'legacy-zitadel-db' });
    const c = w.build({
      dbBucketProps: undefined,
      keyBucketProps: { ...w.props.keyBucketProps, bucketName: 'acme-zitadel-keys' },
      existingDbBucket: { bucketName: name.stringValue, restorableDays: 44, drillReaderArn: `arn:aws:iam::${DB_ACCOUNT}:role/drill-db-read` },
    });
    // The adopted bucket's hardening and lifecycle are managed elsewhere: accepted with reasons.
    CustodySuppressions.add(c.dbBucket, [{ id: 'KC023', reason: 'hardened where the bucket is managed (platform repo)', owner: 'platform-team', expires: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10) }]);
    w.app.synth();
    expect(c.dbBucket).toBeInstanceOf(AdoptedBackupBucket);
    const adopted = only(w.json('db'), 'aws_s3_bucket', true);
    expect(adopted.bucket).toBe('${var.existing_db_bucket}');
    const pre = JSON.stringify((adopted.lifecycle as Block).precondition);
    expect(pre).toContain('acme-zitadel-keys');
    expect(pre).toContain('var.existing_db_bucket');
    // The key stack never reads the DB stack's variable or state: no cross-stack reference there.
    expect(only(w.json('keys'), 'aws_s3_bucket').lifecycle).toBeUndefined();
    expect(JSON.stringify(w.json('keys'))).not.toContain('terraform_remote_state');
    const manifest = only(w.json('host'), 'terraform_data').input as { keys: { dbRetentionDays?: number }[] };
    expect(manifest.keys[0].dbRetentionDays).toBe(44);
    // The drill reads the adopted bucket with the principal its owner granted; no reader role is created there.
    expect(w.json('db').resource?.aws_iam_role).toBeUndefined();
    // Its name reaches the drill as the drill stack's own variable, never through the DB stack's state (KC015).
    expect(JSON.stringify(w.json('drill').resource?.docker_container)).toContain('BUCKET=${var.zitadel_prod_drill_db_backup_bucket}');
    expect(JSON.stringify(w.json('drill'))).not.toContain('terraform_remote_state');
    const runbook = readFileSync(join(w.app.outdir, 'stacks', 'drill', 'drill-runbook.md'), 'utf8');
    expect(runbook).toContain(`arn:aws:iam::${DB_ACCOUNT}:role/drill-db-read`);
    expect(KeyCustody.checkOf(w.app)?.lastResult?.findings.filter((f) => !f.suppressed)).toEqual([]);
  });

  describe('refuses layouts and props that defeat custody, naming the path, the value and the fix', () => {
    it('key custody and DB backups in the same stack', () => {
      const w = world();
      const msg = errorOf(() => w.build({ dbBackupStack: w.stacks.keys }));
      expect(msg).toContain('[Zitadel] MasterKeyCustody: keyCustodyStack and dbBackupStack are the same stack "keys"');
      expect(msg).toContain('1-2 backup');
      expect(msg).toContain('fix: give key backups and DB backups a stack each');
    });

    it('the drill on the production stack, or its schedule with a custody bucket', () => {
      const w = world();
      expect(errorOf(() => w.build({ drillStack: w.stacks.host }))).toMatch(/appStack and drillStack are the same stack "host".*scratch environment/);
      expect(errorOf(() => world().build({ drillAwsStack: undefined, appStack: undefined }))).toContain('appStack is missing');
      const w2 = world();
      expect(errorOf(() => w2.build({ drillAwsStack: w2.stacks.keys }))).toContain('drillAwsStack is the same stack "keys" as keyCustodyStack');
    });

    it('both buckets with the same literal name (KC010)', () => {
      const w = world();
      const msg = errorOf(() =>
        w.build({ keyBucketProps: { ...w.props.keyBucketProps, bucketName: 'acme-backups' }, dbBucketProps: { ...w.props.dbBucketProps, bucketName: 'acme-backups' } }),
      );
      expect(msg).toContain('the key-backup bucket and the DB-backup bucket are both named "acme-backups" (KC010)');
      expect(msg).toContain('fix: give the two buckets different names');
    });

    it('both buckets in one AWS account', () => {
      const w = world();
      const msg = errorOf(() => w.build({ dbAccountId: KEY_ACCOUNT }));
      expect(msg).toContain(`both live in AWS account ${KEY_ACCOUNT}`);
      expect(msg).toContain('fix: put the key-backup bucket and the DB-backup bucket in two different AWS accounts');
    });

    it('bad or missing props, through zod with the construct path', () => {
      const w = world();
      const msg = errorOf(() => w.build({ drillProvider: w.prodDocker.node.root as never }));
      expect(msg).toContain('[Zitadel] MasterKeyCustody: invalid props');
      expect(msg).toContain('drillProvider');
      expect(msg).toContain('must be the docker provider of the scratch host');
      expect(errorOf(() => world().build({ keyAccountId: '1234' }))).toContain('must be a 12-digit AWS account id; got "1234"');
      const both = errorOf(() => world().build({ existingDbBucket: { bucketName: 'legacy-db', restorableDays: 30 } }));
      expect(both).toContain('give existingDbBucket (adopt a bucket) or dbBucketProps');
      const noDays = errorOf(() => world().build({ dbBucketProps: undefined, existingDbBucket: { bucketName: 'legacy-db' } as never }));
      expect(noDays).toContain('give restorableDays');
    });

    it('an adopted bucket without a drill reader', () => {
      const msg = errorOf(() => world().build({ dbBucketProps: undefined, existingDbBucket: { bucketName: 'legacy-db', restorableDays: 30 } }));
      expect(msg).toContain('the adopted DB-backup bucket "legacy-db" has no drill reader');
      expect(msg).toContain('existingDbBucket.drillReaderArn');
    });

    it('key backups that do not outlive the DB backups (KC022), at construction', () => {
      const w = world();
      const msg = errorOf(() => w.build({ keyBucketProps: { ...w.props.keyBucketProps, retentionDays: 60, objectLockDays: 60 } }));
      expect(msg).toContain('key backups must outlive the DB backups they decrypt (KC022)');
      expect(msg).toContain('fix: set retentionDays and objectLockDays to at least');
    });

    it('a key by value in the app props, through the part that owns the rule', () => {
      const msg = errorOf(() => world().build({ appProps: { env: { ZITADEL_MASTERKEY: 'x' } } }));
      expect(msg).toContain('Zitadel/App');
      expect(msg).toContain('ZITADEL_MASTERKEY');
    });
  });
});
