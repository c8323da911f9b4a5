/**
 * A cdktf app with `TerraformHclModule` (issue 18, item 4): the careful setup of
 * test/fixtures/hcl/careful written as a cdktf app whose custody buckets come from the HCL
 * module. cdktf copies the module into the stack folder as an asset; the synth-time check
 * reads it from there (synchronously), and `key-custody check cdktf.out` reads it the same way.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App, Fn, TerraformHclModule, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3BucketReplicationConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-replication-configuration';
import { KeyCustody } from '../../lib';
import { main } from '../../lib/cli/main';

const MODULE = './test/fixtures/hcl/careful/modules/custody-bucket';
const tmp = mkdtempSync(join(tmpdir(), 'kc-hcl-module-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function carefulApp(outdir: string, opts: { dbRestoreReadsReplica?: boolean } = {}) {
  const app = new App({ outdir, context: { cdktfRelativeModules: [MODULE] } });
  const check = KeyCustody.enable(app, { today: '2026-12-06' });
  const stack = new TerraformStack(app, 'careful');
  new AwsProvider(stack, 'aws', { region: 'eu-central-1', accessKey: 'mock', secretKey: 'mock', skipCredentialsValidation: true });
  const keysKey = new KmsKey(stack, 'keys_key', {
    description: 'key backups',
    enableKeyRotation: true,
    policy: Fn.jsonencode({ Version: '2012-10-17', Statement: [{ Sid: 'Admin', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' }] }),
  });
  const dbKey = new KmsKey(stack, 'db_key', { description: 'DB backups', enableKeyRotation: true });
  const ec2 = new DataAwsIamPolicyDocument(stack, 'assume_ec2', { statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] }] });
  const s3 = new DataAwsIamPolicyDocument(stack, 'assume_s3', { statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['s3.amazonaws.com'] }] }] });
  const role = (id: string, assume = ec2) => new IamRole(stack, id, { name: id.replace(/_/g, '-'), assumeRolePolicy: assume.json });
  const keyWriter = role('key_writer');
  const keyRestore = role('key_restore');
  const dbWriter = role('db_writer');
  const dbRestore = role('db_restore');
  const replication = role('key_replication', s3);
  const bucket = (id: string, variables: Record<string, unknown>) => new TerraformHclModule(stack, id, { source: MODULE, variables: { tags: { 'custody:app': 'acme' }, ...variables } });
  const keys = bucket('keys', { name: 'acme-key-backups', role: 'key-backup', writer_arns: [keyWriter.arn], encryption: { kms_master_key_id: keysKey.arn } });
  const db = bucket('db', { name: 'acme-db-backups', role: 'db-backup', lock_mode: 'GOVERNANCE', lock_days: 35, writer_arns: [dbWriter.arn], encryption: { kms_master_key_id: dbKey.arn } });
  const replica = bucket('keys_replica', { name: 'acme-key-backups-replica', encryption: { kms_master_key_id: keysKey.arn } });
  const policy = (id: string, r: IamRole, statements: Record<string, unknown>[]) =>
    new IamRolePolicy(stack, id, { name: id, role: r.id, policy: Fn.jsonencode({ Version: '2012-10-17', Statement: statements }) });
  policy('key_writer_policy', keyWriter, [{ Effect: 'Allow', Action: ['s3:PutObject'], Resource: `${keys.getString('arn')}/*` }]);
  policy('key_restore_policy', keyRestore, [
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [keys.getString('arn'), `${keys.getString('arn')}/*`] },
    { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: keysKey.arn },
  ]);
  policy('db_writer_policy', dbWriter, [{ Effect: 'Allow', Action: ['s3:PutObject'], Resource: `${db.getString('arn')}/*` }]);
  policy('db_restore_policy', dbRestore, [
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [db.getString('arn'), `${db.getString('arn')}/*`] },
    { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: dbKey.arn },
    ...(opts.dbRestoreReadsReplica ? [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: `${replica.getString('arn')}/*` }] : []),
  ]);
  policy('key_replication_policy', replication, [
    { Effect: 'Allow', Action: ['s3:GetReplicationConfiguration', 's3:ListBucket', 's3:GetObjectVersionForReplication'], Resource: [keys.getString('arn'), `${keys.getString('arn')}/*`] },
    { Effect: 'Allow', Action: ['s3:ReplicateObject'], Resource: `${replica.getString('arn')}/*` },
    { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: keysKey.arn },
  ]);
  new S3BucketReplicationConfigurationA(stack, 'keys_replication', {
    bucket: keys.getString('id'),
    role: replication.arn,
    rule: [{ id: 'all', status: 'Enabled', destination: { bucket: replica.getString('arn') } }],
  });
  return { app, check };
}

async function cli(outdir: string): Promise<{ ruleId: string; severity: string; address: string; message: string }[]> {
  let out = '';
  const code = await main(['check', outdir, '--format', 'json'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, today: '2026-12-06' });
  expect(code).not.toBe(2);
  return (JSON.parse(out) as { findings: { ruleId: string; severity: string; address: string; message: string }[] }).findings;
}

describe('a cdktf app with TerraformHclModule', () => {
  it('the synth-time check reads the module from its asset folder: the careful app passes, and its buckets are custody stores', async () => {
    const outdir = join(tmp, 'careful');
    const { app, check } = carefulApp(outdir);
    app.synth();
    expect(existsSync(join(outdir, 'stacks', 'careful', 'cdk.tf.json'))).toBe(true);
    const addresses = check.documents().flatMap((d) => d.resources.map((r) => r.address));
    expect(addresses).toContain('module.keys.aws_s3_bucket.this');
    expect(addresses).toContain('module.db.aws_s3_bucket_policy.this');
    const findings = check.lastResult?.findings ?? [];
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    // Both buckets are seen (one state holds both sides: the warning names the module buckets).
    expect(findings.some((f) => f.ruleId === 'KC013' && f.address === 'module.keys.aws_s3_bucket.this')).toBe(true);
    expect(findings.some((f) => f.ruleId === 'KC092')).toBe(false);
    // `key-custody check cdktf.out` reads the same modules and finds the same.
    const fromCli = await cli(outdir);
    expect(fromCli.map((f) => `${f.ruleId} ${f.address}`).sort()).toEqual(findings.map((f) => `${f.ruleId} ${f.address}`).sort());
  }, 120_000);

  it('a DB restore role that reads the untagged replica of the key backups fails synth with KC011 naming the module bucket', async () => {
    const outdir = join(tmp, 'break');
    const { app } = carefulApp(outdir, { dbRestoreReadsReplica: true });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/KC011 aws_iam_role\.db_restore \(stack careful\) .*module\.keys_replica\.aws_s3_bucket\.this/);
  }, 120_000);
});
