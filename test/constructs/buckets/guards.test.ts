import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatabaseBackupBucket } from '../../../lib/constructs/buckets/database-backup-bucket';
import { custodyApps, loadCatalogue, onlyResource } from '../backup-bucket-fixtures';

beforeAll(async () => {
  await loadCatalogue();
});

const make = custodyApps();

describe('plan-time separation guards', () => {
  it('compares two literal names at synth and writes no constant-only precondition (Terraform refuses one)', () => {
    const a = make({ key: { bucketName: 'zitadel-master-keys-prod', otherCustodyBucket: 'arn:aws:s3:::zitadel-master-db-prod' } });
    a.synth();
    const bucket = onlyResource(a.json('key-custody'), 'aws_s3_bucket') as { lifecycle?: { precondition?: unknown[] } };
    expect(bucket.lifecycle?.precondition).toBeUndefined();
    // A name known only at plan time gets the precondition (planned for real in
    // test/terraform/backup-buckets.test.ts, where a variable names the other bucket).
  });

  it('uses a postcondition on the generated name when the bucket has only a prefix', () => {
    const a = make({ db: { otherCustodyBucket: 'zitadel-master-keys-prod' } });
    a.synth();
    const bucket = onlyResource(a.json('db-backups'), 'aws_s3_bucket') as { lifecycle: { postcondition: { condition: string }[]; precondition?: unknown } };
    expect(bucket.lifecycle.precondition).toBeUndefined();
    expect(bucket.lifecycle.postcondition[0].condition).toMatch(/self\.bucket.*!=.*zitadel-master-keys-prod/);
  });

  it('refuses literally equal names at construct time', () => {
    expect(() => make({ db: { bucketName: 'zitadel-backups', otherCustodyBucket: 'arn:aws:s3:::Zitadel-Backups' } })).toThrow(
      /\[db-backups\/DbBackups\] DatabaseBackupBucket: the db-backup bucket "zitadel-backups" is the same bucket as the key-backup bucket "arn:aws:s3:::Zitadel-Backups" \(KC010\)/,
    );
  });

  it('opt-in: reads the caller identity through both providers and refuses one account', () => {
    const a = make({
      skipValidation: true,
      before: ({ dbStack }) => {
        new AwsProvider(dbStack, 'key-account', { alias: 'key_account', region: 'eu-central-1', profile: 'key-custody' });
      },
    });
    const other = a.dbStack.node.findChild('key-account') as AwsProvider;
    DatabaseBackupBucket.fromExistingBucket(a.dbStack, 'Legacy', { bucketName: 'zitadel-db-legacy', key: 'legacy', app: 'legacy', distinctAccountFrom: other });
    a.synth();
    const json = a.json('db-backups');
    const ids = json.data?.aws_caller_identity ?? {};
    expect(
      Object.values(ids)
        .map((d) => d.provider ?? 'aws')
        .sort(),
    ).toEqual(['aws', 'aws.key_account']);
    const [mine, theirs] = Object.entries(ids)
      .sort(([, x], [, y]) => String(x.provider ?? '').localeCompare(String(y.provider ?? '')))
      .map(([n]) => n);
    const data = json.data?.aws_s3_bucket?.adopted_db_backup_legacy as { lifecycle: { precondition: { condition: string; error_message: string }[] } };
    const pre = data.lifecycle.precondition[0];
    expect(pre.condition).toBe(`\${(data.aws_caller_identity.${mine}.account_id != data.aws_caller_identity.${theirs}.account_id)}`);
    expect(pre.error_message).toMatch(
      /Custody separation \(KC013\): the default aws provider .* and provider aws\.key_account .* resolve to the same AWS account/,
    );
  });

  it('refuses distinctAccountFrom naming a provider of another stack', () => {
    const a = make();
    expect(() =>
      DatabaseBackupBucket.fromExistingBucket(a.dbStack, 'Legacy', {
        bucketName: 'zitadel-db-legacy',
        key: 'legacy',
        app: 'legacy',
        distinctAccountFrom: a.keyProvider,
      }),
    ).toThrow(/distinctAccountFrom is the provider key-custody\/aws, which is in another stack[\s\S]*fix: declare a second provider/);
  });
});
