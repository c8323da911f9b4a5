/**
 * The zitadel-single-host example synthesized as it is, and a copy with one custody crossing
 * added through the constructs: a DB-side restore role that `DatabaseBackupBucket.grantRead`
 * and `KeyBackupBucket.grantRead` let read both buckets (the change a reviewer must catch).
 * Shared by the `--diff` and whole-app plan tests.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { App, TerraformStack } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { DatabaseBackupBucket, KeyBackupBucket } from '../../lib';
import { buildApp, SETTINGS } from '../../examples/zitadel-single-host/main';
import { planOf, type Json } from '../reliability/plan-of';

/** The example's cdktf.out in `outdir`. */
export function synthExample(outdir: string): string {
  mkdirSync(dirname(outdir), { recursive: true });
  buildApp(outdir).synth();
  return outdir;
}

/** The address of the restore role the crossing variant adds (stack db-backups). */
export const RESTORE_ROLE = 'aws_iam_role.DbRestore';

/**
 * The example plus a DB-side role that reads DB backups and key backups. The custody check
 * refuses it at synth time (KC011), so the app is synthesized without validation: what
 * `key-custody check` must then find on its own.
 */
export function synthCrossingVariant(outdir: string): string {
  mkdirSync(dirname(outdir), { recursive: true });
  const app: App = buildApp(outdir);
  const db = app.node.findChild('db-backups') as TerraformStack;
  const keyBucket = app.node.findChild('key-custody').node.findChild('KeyBackups') as KeyBackupBucket;
  const dbBucket = db.node.findChild('DbBackups') as DatabaseBackupBucket;
  const name = 'db-restore';
  new IamRole(db, 'DbRestore', {
    name,
    assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${SETTINGS.dbAccount}:root` } }] }),
  });
  // Cross-account S3 needs the identity policy as well as the key bucket's policy.
  new IamRolePolicy(db, 'DbRestorePolicy', {
    role: name,
    name: 'restore',
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [SETTINGS.dbBucket, SETTINGS.keyBucket].flatMap((b) => [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`]) }],
    }),
  });
  const arn = `arn:aws:iam::${SETTINGS.dbAccount}:role/${name}`;
  dbBucket.grantRead(arn);
  keyBucket.grantRead(arn);
  // buildApp makes its own App; skipping its validation is the only way to synthesize a crossing.
  Object.assign(app, { skipValidation: true });
  app.synth();
  return outdir;
}

/**
 * `<dir>/<stack>.plan.json` for each synthesized stack: the plan its configuration gives when
 * every value is known at plan time (test/reliability/plan-of.ts), so no terraform is needed.
 */
export function offlinePlans(cdktfOut: string, dir: string, stacks?: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const s of stacks ?? readdirSync(join(cdktfOut, 'stacks'))) {
    const tf = JSON.parse(readFileSync(join(cdktfOut, 'stacks', s, 'cdk.tf.json'), 'utf8')) as Json;
    writeFileSync(join(dir, `${s}.plan.json`), JSON.stringify(planOf(tf)));
  }
  return dir;
}
