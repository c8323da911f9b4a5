/**
 * The Terraform tier (docs/ARCHITECTURE.md, "Test tiers"): synth → `terraform plan` (offline) → `terraform show -json` →
 * `key-custody check` on the plan JSON gives the same findings (rule id + address) as the
 * check of the synthesized cdktf.out.
 *
 * Across stacks only plain configuration is used (a bucket's literal ARN), as in the examples:
 * no stack reads another's state (KC015), so no remote state has to be read or faked here.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { afterAll, expect, it } from 'vitest';
import { ALL_RULES } from '../../lib/rules';
import { rule as kc011 } from '../../lib/rules/kc011-no-shared-principal';
import { run } from '../cli/fixtures';
import { describeTerraform, terraformCheck } from '../helpers/terraform';

const RULES = ALL_RULES.some((r) => r.id === 'KC011') ? ALL_RULES : [...ALL_RULES, kc011];

interface Custody {
  readonly bucket: S3Bucket;
  readonly kms: KmsKey;
  readonly writer: IamUser;
}

/** A custody bucket with its own KMS key, versioning, public access block and a writer user. */
function custodyBucket(stack: TerraformStack, id: string, name: string, tags: Record<string, string>, rotation = true): Custody {
  const kms = new KmsKey(stack, `${id}-kms`, { description: `${name} key`, enableKeyRotation: rotation, tags });
  const bucket = new S3Bucket(stack, id, { bucket: name, tags });
  new S3BucketVersioningA(stack, `${id}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
  new S3BucketPublicAccessBlock(stack, `${id}-pab`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
  new S3BucketServerSideEncryptionConfigurationA(stack, `${id}-sse`, {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: kms.arn } }],
  });
  const writer = new IamUser(stack, `${id}-writer`, { name: `${name}-writer`, tags });
  grant(stack, `${id}-writer`, writer, [bucket], [kms]);
  return { bucket, kms, writer };
}

/** An inline policy (through an aws_iam_policy_document) giving `user` read/write on the buckets. */
function grant(stack: TerraformStack, id: string, user: IamUser, buckets: readonly { arn: string }[], keys: readonly KmsKey[] = []): void {
  const doc = new DataAwsIamPolicyDocument(stack, `${id}-doc`, {
    statement: [
      { actions: ['s3:GetObject', 's3:PutObject'], resources: buckets.flatMap((b) => [b.arn, `${b.arn}/*`]) },
      ...(keys.length ? [{ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: keys.map((k) => k.arn) }] : []),
    ],
  });
  new IamUserPolicy(stack, `${id}-policy`, { name: `${id}-policy`, user: user.name, policy: doc.json });
}

function provider(stack: TerraformStack, region: string): void {
  new AwsProvider(stack, 'aws', { region });
}

const KEY_TAGS = { 'custody:role': 'key-backup', 'custody:key': 'zitadel', 'custody:app': 'zitadel' };
const DB_TAGS = { 'custody:role': 'db-backup', 'custody:app': 'zitadel' };

/** (a) Custody kept apart: key backups and DB backups in their own stacks, keys and writers. */
function separatedApp(outdir: string): string[] {
  const app = new App({ outdir });
  const keys = new TerraformStack(app, 'keys');
  provider(keys, 'eu-west-1');
  custodyBucket(keys, 'key-backup', 'kc-eq-a-key-backup', KEY_TAGS);
  const db = new TerraformStack(app, 'db');
  provider(db, 'eu-central-1');
  const dbc = custodyBucket(db, 'db-backup', 'kc-eq-a-db-backup', DB_TAGS);
  // A second principal of the DB stack with read access to DB backups only.
  const restore = new IamUser(db, 'restore', { name: 'kc-eq-a-restore' });
  grant(db, 'restore', restore, [dbc.bucket]);
  app.synth();
  return ['keys', 'db'];
}

/** (b) Planted violations, across stacks and within one. */
function violatingApp(outdir: string): string[] {
  const app = new App({ outdir });
  const keys = new TerraformStack(app, 'keys');
  provider(keys, 'eu-west-1');
  custodyBucket(keys, 'key-backup', 'kc-eq-b-key-backup', KEY_TAGS, false);
  const db = new TerraformStack(app, 'db');
  provider(db, 'eu-central-1');
  const dbc = custodyBucket(db, 'db-backup', 'kc-eq-b-db-backup', DB_TAGS);
  // One principal reaching both stores, the key store named by its ARN (plain configuration).
  const ops = new IamUser(db, 'ops', { name: 'kc-eq-b-ops' });
  // One document mixing the DB bucket's ARN (unknown until apply) with the key store's literal
  // ARN: the plan keeps only the references of such a document, and the literal must not be lost.
  grant(db, 'ops', ops, [dbc.bucket, { arn: 'arn:aws:s3:::kc-eq-b-key-backup' }]);
  // A key-backup bucket in the DB stack, without hardening, sharing a principal with DB backups.
  const stray = new S3Bucket(db, 'stray-keys', { bucket: 'kc-eq-b-stray-keys', tags: KEY_TAGS });
  grant(db, 'db-writer-stray', dbc.writer, [stray]);
  app.synth();
  return ['keys', 'db'];
}

type Pair = { ruleId: string; address: string };
const pairs = (json: { findings: Pair[] }): string[] => json.findings.map((f) => `${f.ruleId} ${f.address}`).sort();

async function synthVsPlan(build: (outdir: string) => string[]): Promise<{ synth: string[]; plan: string[]; ms: Record<string, number> }> {
  const root = mkdtempSync(join(tmpdir(), 'kc-plan-eq-'));
  roots.push(root);
  const outdir = join(root, 'cdktf.out');
  const stacks = build(outdir);
  const synthRun = await run(['check', outdir, '--format', 'json'], { rules: RULES });
  expect(synthRun.stderr).toBe('');
  const ms: Record<string, number> = {};
  const planFiles: string[] = [];
  // cdktf.out lists stacks by name; give the plans in the same order (rules that name the
  // first store of a key follow document order).
  for (const s of [...stacks].sort()) {
    const res = await terraformCheck(join(outdir, 'stacks', s), { plan: true, showJson: true });
    ms[s] = res.timings.total;
    const file = join(root, 'plans', s, 'plan.json');
    mkdirSync(join(root, 'plans', s), { recursive: true });
    writeFileSync(file, JSON.stringify(res.planJson));
    planFiles.push(file);
  }
  const planRun = await run(['check', ...planFiles, '--format', 'json'], { rules: RULES });
  expect(planRun.stderr).toBe('');
  expect(planRun.code).toBe(synthRun.code);
  return { synth: pairs(JSON.parse(synthRun.stdout)), plan: pairs(JSON.parse(planRun.stdout)), ms };
}

const roots: string[] = [];
afterAll(() => {
  if (!process.env.KEY_CUSTODY_TF_KEEP) for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describeTerraform('key-custody check on terraform plans equals the synth-time check', () => {

  it('(a) custody-separated multi-stack app', async () => {
    const { synth, plan, ms } = await synthVsPlan(separatedApp);
    console.info(`plan-equivalence (a) terraform ms per stack: ${JSON.stringify(ms)}`);
    expect(synth.filter((p) => /^KC01[012] /.test(p))).toEqual([]);
    expect(plan).toEqual(synth);
  });

  it('(b) planted violations: shared principal (across stacks), missing rotation, stray key bucket', async () => {
    const { synth, plan, ms } = await synthVsPlan(violatingApp);
    console.info(`plan-equivalence (b) terraform ms per stack: ${JSON.stringify(ms)}`);
    expect(synth).toContain('KC011 db/aws_iam_user.ops');
    expect(synth.some((p) => p.startsWith('KC024 keys/'))).toBe(true);
    expect(plan).toEqual(synth);
  });
});
