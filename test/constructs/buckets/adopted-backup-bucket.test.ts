import { TerraformVariable } from 'cdktf';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdoptedBackupBucket } from '../../../lib/constructs/buckets/adopted-backup-bucket';
import { DatabaseBackupBucket } from '../../../lib/constructs/buckets/database-backup-bucket';
import { KeyBackupBucket } from '../../../lib/constructs/buckets/key-backup-bucket';
import { APP, KEY_ID, custodyApps, loadCatalogue } from '../backup-bucket-fixtures';

beforeAll(async () => {
  await loadCatalogue();
});

const make = custodyApps();

describe('adopting existing buckets', () => {
  it('reads the bucket with a data source at a readable address and declares it in the manifest', () => {
    const a = make({ skipValidation: true });
    const name = new TerraformVariable(a.dbStack, 'legacy_db_bucket', { type: 'string' });
    const adopted = DatabaseBackupBucket.fromExistingBucket(a.dbStack, 'LegacyDb', {
      bucketName: name.stringValue,
      key: KEY_ID,
      app: APP,
      otherCustodyBucket: 'zitadel-master-keys-prod',
    });
    expect(adopted).toBeInstanceOf(AdoptedBackupBucket);
    expect(adopted.address).toBe('data.aws_s3_bucket.adopted_db_backup_legacydb');
    expect(a.synth()).toBeUndefined();
    const json = a.json('db-backups');
    const data = json.data?.aws_s3_bucket?.adopted_db_backup_legacydb as {
      bucket: string;
      lifecycle: { precondition: { condition: string; error_message: string }[] };
    };
    expect(data.bucket).toBe('${var.legacy_db_bucket}');
    expect(data.lifecycle.precondition[0].condition).toBe(
      '${(lower(replace(var.legacy_db_bucket, "/^arn:[^:]+:s3:::/", "")) != lower(replace("zitadel-master-keys-prod", "/^arn:[^:]+:s3:::/", "")))}',
    );
    expect(data.lifecycle.precondition[0].error_message).toContain(
      'the db-backup bucket of db-backups/LegacyDb and the key-backup bucket "zitadel-master-keys-prod"',
    );
    const manifest = (json.resource?.terraform_data?.custody_manifest as { input: { adoptedStores: unknown[] } }).input;
    expect(manifest.adoptedStores).toEqual([{ address: 'data.aws_s3_bucket.adopted_db_backup_legacydb', role: 'db-backup', key: KEY_ID, app: APP }]);
    // The adopted bucket is a db-backup store now: its hardening cannot be read from here,
    // and the rules say so instead of assuming it.
    const adoptedFindings = a.findings().filter((f) => f.address.endsWith('data.aws_s3_bucket.adopted_db_backup_legacydb'));
    expect(adoptedFindings.map((f) => f.ruleId)).toContain('KC023');
  });

  it('KC010 sees an adopted key bucket that is the managed DB bucket', () => {
    const a = make({ db: { bucketName: 'zitadel-master-db-prod' } });
    KeyBackupBucket.fromExistingBucket(a.keyStack, 'OldKeys', { bucketName: 'zitadel-master-db-prod', key: KEY_ID, app: APP });
    expect(a.synth()?.message).toMatch(/KC010 data\.aws_s3_bucket\.adopted_key_backup_oldkeys/);
  });

  it('validates the adoption props', () => {
    const a = make();
    expect(() => KeyBackupBucket.fromExistingBucket(a.keyStack, 'Bad', { bucketName: 'Not A Bucket', key: KEY_ID, app: APP })).toThrow(
      /\[key-custody\/Bad\] KeyBackupBucket\.fromExistingBucket: invalid props[\s\S]*bucketName/,
    );
  });
});
