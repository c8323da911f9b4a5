import { App, TerraformStack } from 'cdktf';
import { beforeAll, describe, expect, it } from 'vitest';
import { RETENTION_MARGIN_DAYS } from '../../../lib/constructs/buckets/coupling';
import { DatabaseBackupBucket } from '../../../lib/constructs/buckets/database-backup-bucket';
import { KeyBackupBucket } from '../../../lib/constructs/buckets/key-backup-bucket';
import { APP, DB_ACCOUNT, KEY_ACCOUNT, KEY_ID, custodyApps, loadCatalogue } from '../backup-bucket-fixtures';

beforeAll(async () => {
  await loadCatalogue();
});

const make = custodyApps();

describe('retention coupling (KC022 at construct time)', () => {
  it('refuses a key bucket that does not outlive the DB backups plus the margin, naming both values and paths', () => {
    // DB: 60 days current + 60 noncurrent = 120 restorable; key keeps superseded generations 90.
    let err: Error | undefined;
    try {
      make({ db: { retentionDays: 60 }, key: { retentionDays: 90, objectLockDays: 90 } });
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toMatch(/^\[key-custody\/KeyBackups\] KeyBackupBucket: key backups must outlive the DB backups they decrypt \(KC022\)/);
    expect(err?.message).toContain('keeps a superseded key generation 90 days');
    expect(err?.message).toContain('Object Lock retention is 90 days');
    expect(err?.message).toContain('[db-backups/DbBackups] stay restorable 120 days (60 days current + 60 days noncurrent)');
    expect(err?.message).toContain(`120 + ${RETENTION_MARGIN_DAYS} days margin = 150 days needed`);
    expect(err?.message).toContain('fix: set retentionDays and objectLockDays to at least 150');
  });

  it('checks whichever bucket comes second, and a short Object Lock alone', () => {
    const app = new App({ outdir: '/tmp/kc-unused' });
    const s1 = new TerraformStack(app, 'db');
    const s2 = new TerraformStack(app, 'keys');
    new DatabaseBackupBucket(s1, 'Db', { key: KEY_ID, app: APP, accountId: DB_ACCOUNT, admins: [`arn:aws:iam::${DB_ACCOUNT}:role/d`], retentionDays: 100 });
    expect(
      () =>
        new KeyBackupBucket(s2, 'Keys', {
          key: KEY_ID,
          app: APP,
          accountId: KEY_ACCOUNT,
          admins: [`arn:aws:iam::${KEY_ACCOUNT}:role/d`],
          retentionDays: 400,
          objectLockDays: 200,
        }),
    ).toThrow(/Object Lock retention is 200 days, while the DB backups in \[db\/Db\] stay restorable 200 days[\s\S]*= 230 days needed/);
    // Another key id is not coupled automatically; assertOutlives does it on request.
    const other = new KeyBackupBucket(s2, 'Other', {
      key: 'servos-master',
      app: 'servos',
      accountId: KEY_ACCOUNT,
      admins: [`arn:aws:iam::${KEY_ACCOUNT}:role/d`],
      retentionDays: 100,
    });
    expect(() => other.assertOutlives({ path: 'elsewhere/db', days: 90, explain: 'declared' })).toThrow(
      /keeps a superseded key generation 100 days[\s\S]*elsewhere\/db\] stay restorable 90 days/,
    );
  });

  it('accepts the defaults and an adopted DB bucket with declared restorable days', () => {
    expect(() => make()).not.toThrow();
    const app = new App({ outdir: '/tmp/kc-unused' });
    const s = new TerraformStack(app, 'keys');
    new KeyBackupBucket(s, 'Keys', { key: KEY_ID, app: APP, accountId: KEY_ACCOUNT, admins: [`arn:aws:iam::${KEY_ACCOUNT}:role/d`] });
    expect(() => DatabaseBackupBucket.fromExistingBucket(s, 'OldDb', { bucketName: 'zitadel-db-legacy', key: KEY_ID, app: APP, restorableDays: 400 })).toThrow(
      /stay restorable 400 days \(declared restorableDays of the adopted bucket\)/,
    );
  });

  it("KC022 still catches a key lifecycle shortened behind the construct's back", () => {
    const a = make();
    a.keyBucket.lifecycle.addOverride('rule.0.noncurrent_version_expiration.0.noncurrent_days', 60);
    expect(a.synth()?.message).toMatch(/KC022 aws_s3_bucket\.KeyBackups_Bucket_\w+ \(stack key-custody\) keeps key versions 60 days/);
  });
});
