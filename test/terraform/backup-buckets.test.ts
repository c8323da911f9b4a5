/**
 * Terraform tier (docs/ARCHITECTURE.md, "Test tiers") of the backup buckets: the two-stack custody app
 * passes `terraform validate` and an offline `terraform plan` stack by stack, and the
 * plan-time separation guards really stop a plan.
 */
import { TerraformVariable } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DatabaseBackupBucket } from '../../lib/constructs/buckets/database-backup-bucket';
import { KeyCustody } from '../../lib/synth/custody-check';
import { blocking } from '../../lib/rules/engine';
import { custodyApp, loadCatalogue, type CustodyApp } from '../constructs/backup-bucket-fixtures';
import { describeTerraform, terraformCheck, TerraformCheckError } from '../helpers/terraform';

interface PlanJson {
  resource_changes?: { address: string; type: string; mode?: string; change: { actions: string[]; after?: Record<string, unknown> } }[];
}

const apps: CustodyApp[] = [];
beforeAll(async () => {
  await loadCatalogue();
});
afterAll(() => {
  for (const a of apps.splice(0)) a.cleanup();
});

const BUCKET_TYPES = [
  'aws_s3_bucket',
  'aws_kms_key',
  'aws_kms_alias',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_object_lock_configuration',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_s3_bucket_policy',
  'aws_iam_role',
  'aws_iam_role_policy',
  'terraform_data',
];

async function planFailure(dir: string, vars: Record<string, string>): Promise<TerraformCheckError> {
  try {
    await terraformCheck(dir, { plan: true, showJson: false, vars });
  } catch (e) {
    if (e instanceof TerraformCheckError) return e;
    throw e;
  }
  throw new Error(`plan of ${dir} with ${JSON.stringify(vars)} succeeded; expected the separation precondition to stop it`);
}

describeTerraform('backup buckets: terraform validate and offline plan', () => {
  it('the two-stack app synthesizes clean, and each stack validates and plans on its own', async () => {
    const a = custodyApp({ db: { writerAccessKey: { pgpKey: 'keybase:db-backup-operator' } } });
    apps.push(a);
    expect(a.synth()).toBeUndefined();
    expect(blocking(KeyCustody.checkOf(a.app)!.lastResult!.findings)).toEqual([]);

    for (const stack of ['key-custody', 'db-backups'] as const) {
      const r = await terraformCheck(a.stackDir(stack), { plan: true });
      expect(r.validate.valid).toBe(true);
      // Each stack is planned alone: no state of the other stack is read.
      expect(r.remoteState).toEqual([]);
      const changes = (r.planJson as PlanJson).resource_changes ?? [];
      const types = new Set(changes.map((c) => c.type));
      for (const t of BUCKET_TYPES) expect(types, `${stack} plans ${t}`).toContain(t);
      expect(changes.every((c) => c.change.actions.join() === 'create')).toBe(true);
      const bucket = changes.find((c) => c.type === 'aws_s3_bucket')!;
      expect(bucket.change.after).toMatchObject({ object_lock_enabled: true, force_destroy: false });
      const lock = changes.find((c) => c.type === 'aws_s3_bucket_object_lock_configuration')!;
      expect(lock.change.after?.rule).toEqual([
        { default_retention: [stack === 'key-custody' ? { mode: 'COMPLIANCE', days: 365, years: null } : { mode: 'GOVERNANCE', days: 35, years: null }] },
      ]);
      expect(changes.find((c) => c.type === 'aws_kms_key')!.change.after).toMatchObject({ enable_key_rotation: true });
      if (stack === 'db-backups') {
        const key = changes.find((c) => c.type === 'aws_iam_access_key')!;
        expect(key.change.after).toMatchObject({ pgp_key: 'keybase:db-backup-operator' });
      }
    }
  });

  it('the plan-time precondition refuses the other custody bucket given by a variable', async () => {
    const a = custodyApp({
      db: { bucketName: 'zitadel-master-db-prod' },
      // The name is only known at plan time; the precondition is what KC010 relies on.
      key: ({ keyStack }) => ({
        bucketName: new TerraformVariable(keyStack, 'key_bucket_name', { type: 'string' }).stringValue,
        otherCustodyBucket: 'arn:aws:s3:::zitadel-master-db-prod',
      }),
    });
    apps.push(a);
    expect(a.synth()).toBeUndefined();

    const ok = await terraformCheck(a.stackDir('key-custody'), { plan: true, showJson: false, vars: { key_bucket_name: 'zitadel-master-keys-prod' } });
    expect(ok.planFile).toBeDefined();

    const err = await planFailure(a.stackDir('key-custody'), { key_bucket_name: 'Zitadel-Master-DB-Prod' });
    expect(err.step).toBe('plan');
    const stderr = err.stderr.replace(/\s+/g, ' ');
    expect(stderr).toContain('Resource precondition failed');
    expect(stderr).toContain('Custody separation (KC010): the key-backup bucket of key-custody/KeyBackups and the db-backup bucket "arn:aws:s3:::zitadel-master-db-prod" resolve to the same bucket');
  });

  it('an adopted bucket: validates, and the precondition stops the plan before the bucket is read', async () => {
    let name!: TerraformVariable;
    // The adopted bucket's hardening is not in this configuration, so the custody check would
    // (rightly) refuse it; this test is about Terraform accepting what we generate.
    const a = custodyApp({
      skipValidation: true,
      before: ({ dbStack }) => {
        name = new TerraformVariable(dbStack, 'legacy_db_bucket', { type: 'string' });
        new AwsProvider(dbStack, 'key-account', { alias: 'key_account', region: 'eu-central-1', profile: 'key-custody' });
      },
    });
    apps.push(a);
    DatabaseBackupBucket.fromExistingBucket(a.dbStack, 'LegacyDb', {
      bucketName: name.stringValue,
      key: 'legacy',
      app: 'legacy',
      otherCustodyBucket: 'zitadel-master-keys-prod',
    });
    DatabaseBackupBucket.fromExistingBucket(a.dbStack, 'Other', {
      bucketName: 'zitadel-db-other',
      key: 'other',
      app: 'other',
      distinctAccountFrom: a.dbStack.node.findChild('key-account') as AwsProvider,
    });
    expect(a.synth()).toBeUndefined();
    const err = await planFailure(a.stackDir('db-backups'), { legacy_db_bucket: 'zitadel-master-keys-prod' });
    expect(err.stderr.replace(/\s+/g, ' ')).toContain('Custody separation (KC010): the db-backup bucket of db-backups/LegacyDb and the key-backup bucket "zitadel-master-keys-prod"');
  });
});
