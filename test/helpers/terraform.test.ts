import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, S3Backend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3 } from './s3-server';
import {
  cliConfigFor,
  describeTerraform,
  isCi,
  isProviderMirror,
  missingFromMirror,
  mirrorProviders,
  requiredProviderSources,
  rewriteForOffline,
  terraformAvailable,
  terraformCheck,
  TerraformCheckError,
  tfbackend,
} from './terraform';

interface PlanJson {
  resource_changes?: { address: string; type: string; change: { actions: string[]; after?: Record<string, unknown> } }[];
  configuration?: { provider_config?: Record<string, { expressions?: Record<string, unknown> }> };
}

/** Two stacks: `keys` (bucket, S3 backend, a real-world provider) and `consumer` reading it cross-stack. */
function synthApp(outdir: string): { keys: string; consumer: string } {
  const app = new App({ outdir });
  const keys = new TerraformStack(app, 'keys');
  new AwsProvider(keys, 'aws', {
    region: 'eu-central-1',
    profile: 'custody-prod',
    allowedAccountIds: ['123456789012'],
    assumeRole: [{ roleArn: 'arn:aws:iam::123456789012:role/custody-deployer' }],
  });
  new S3Backend(keys, { bucket: 'tf-state', key: 'keys.tfstate', region: 'eu-central-1' });
  const bucket = new S3Bucket(keys, 'key-backup', { bucket: 'kc-harness-key-backup', tags: { 'custody:role': 'key-backup' } });

  const consumer = new TerraformStack(app, 'consumer');
  new AwsProvider(consumer, 'aws', { region: 'eu-central-1' });
  new S3BucketPolicy(consumer, 'policy', {
    bucket: bucket.bucket,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecure',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucket.arn, `${bucket.arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    }),
  });
  app.synth();
  return { keys: join(outdir, 'stacks', 'keys'), consumer: join(outdir, 'stacks', 'consumer') };
}

describe('rewriteForOffline (no terraform needed)', () => {
  let dirs: { keys: string; consumer: string };
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'kc-rewrite-'));
    dirs = synthApp(join(tmp, 'cdktf.out'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const load = (dir: string) => JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as Record<string, unknown>;

  it('mocks credentials, drops identities, keeps region and records what it dropped', () => {
    const original = load(dirs.keys);
    const rw = rewriteForOffline(original);
    const aws = (rw.config.provider as { aws: Record<string, unknown>[] }).aws;
    expect(aws).toHaveLength(1);
    expect(aws[0]).toMatchObject({
      region: 'eu-central-1',
      access_key: 'mock',
      secret_key: 'mock',
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
    });
    expect(aws[0]).not.toHaveProperty('profile');
    expect(aws[0]).not.toHaveProperty('assume_role');
    expect(aws[0]).not.toHaveProperty('allowed_account_ids');
    expect(rw.providers[0].dropped).toEqual({
      profile: 'custody-prod',
      allowed_account_ids: ['123456789012'],
      assume_role: [{ role_arn: 'arn:aws:iam::123456789012:role/custody-deployer' }],
    });
    expect(rw.replacedBackend?.type).toBe('s3');
    expect((rw.config.terraform as { backend: unknown }).backend).toEqual({ local: { path: 'terraform.tfstate' } });
    // the input is untouched
    expect((original.provider as { aws: Record<string, unknown>[] }).aws[0].profile).toBe('custody-prod');
  });

  it('never replaces remote state: the reads stay, and s3 reads can be pointed at a local server', () => {
    const original = load(dirs.consumer);
    const rw = rewriteForOffline(original);
    expect(rw.remoteState).toEqual(['cross-stack-reference-input-keys']);
    expect(JSON.stringify(rw.config)).toContain('data.terraform_remote_state.cross-stack-reference-input-keys.outputs');
    const pointed = rewriteForOffline(original, { remoteStateConfig: { endpoints: { s3: 'http://127.0.0.1:9' }, use_path_style: true } });
    const ds = (pointed.config.data as { terraform_remote_state: Record<string, { config: Record<string, unknown> }> }).terraform_remote_state['cross-stack-reference-input-keys'];
    expect(ds.config).toMatchObject({ bucket: 'tf-state', key: 'keys.tfstate', endpoints: { s3: 'http://127.0.0.1:9' }, use_path_style: true });
  });

  it('keeps the synthesized backend when asked, and writes -backend-config files', () => {
    const rw = rewriteForOffline(load(dirs.keys), { backend: 'keep' });
    expect(rw.replacedBackend).toBeUndefined();
    expect((rw.config.terraform as { backend: unknown }).backend).toEqual({ s3: { bucket: 'tf-state', key: 'keys.tfstate', region: 'eu-central-1' } });
    expect(tfbackend({ endpoints: { s3: 'http://127.0.0.1:9' }, use_path_style: true, access_key: 'x' })).toBe(
      'endpoints = { s3 = "http://127.0.0.1:9" }\nuse_path_style = true\naccess_key = "x"\n',
    );
  });

  it('adds a mock default aws provider when resources need one and only aliases exist', () => {
    const rw = rewriteForOffline({
      provider: { aws: [{ alias: 'backup', region: 'eu-west-1' }] },
      resource: { aws_s3_bucket: { b: { bucket: 'x' } }, aws_kms_key: { k: { provider: 'aws.backup' } } },
    });
    expect(rw.providers.map((p) => [p.alias, p.added, p.region])).toEqual([
      ['backup', false, 'eu-west-1'],
      [undefined, true, 'us-east-1'],
    ]);
  });

  it('lists the providers a config needs, including implied ones', () => {
    const needs = requiredProviderSources({
      terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' }, docker: { source: 'kreuzwerker/docker', version: '3.6.2' } } },
      resource: { random_password: { p: { length: 32 } }, terraform_data: { m: {} } },
    });
    expect([...needs]).toEqual([
      ['registry.terraform.io/hashicorp/aws', '5.100.0'],
      ['registry.terraform.io/kreuzwerker/docker', '3.6.2'],
      ['registry.terraform.io/hashicorp/random', undefined],
    ]);
  });

  it('reads a mirror layout and writes a CLI config pinned to it', () => {
    const root = join(tmp, 'mirror');
    const platformDir = join(root, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
    mkdirSync(platformDir, { recursive: true });
    writeFileSync(join(platformDir, 'terraform-provider-aws_v5.100.0_x5'), '');
    expect(isProviderMirror(root, 'linux_amd64')).toBe(true);
    expect(isProviderMirror(root, 'darwin_arm64')).toBe(false);
    expect(mirrorProviders(root, 'linux_amd64')).toEqual([{ source: 'registry.terraform.io/hashicorp/aws', versions: ['5.100.0'] }]);
    const cfg = cliConfigFor(root);
    expect(cfg).toContain(`path    = ${JSON.stringify(root)}`);
    expect(cfg).toContain('include = ["registry.terraform.io/hashicorp/aws"]');
    expect(cfg).toContain('exclude = ["registry.terraform.io/hashicorp/aws"]');
    if (process.platform === 'linux' && process.arch === 'x64') {
      expect(
        missingFromMirror(
          { terraform: { required_providers: { aws: { source: 'aws', version: '5.99.0' }, docker: { source: 'kreuzwerker/docker' } } } },
          root,
        ).map((m) => m.source),
      ).toEqual(['registry.terraform.io/hashicorp/aws', 'registry.terraform.io/kreuzwerker/docker']);
    }
  });
});

describe('terraform tier gate', () => {
  it('finds terraform and a mirror, or says why', () => {
    const a = terraformAvailable();
    if (a.ok) {
      expect(a.bin).toMatch(/terraform(\.exe)?$/);
    } else {
      expect(a.why).toMatch(/terraform|mirror/i);
      // In CI the Terraform tier must not be skippable.
      expect(isCi()).toBe(false);
    }
  });
});

describeTerraform('terraformCheck (real terraform, offline)', () => {
  let dirs: { keys: string; consumer: string };
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'kc-tfcheck-'));
    dirs = synthApp(join(tmp, 'cdktf.out'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('validates and plans a synthesized stack with an S3 backend and a real-world provider', async () => {
    const res = await terraformCheck(dirs.keys, { plan: true, showJson: true });
    console.info(`[terraform tier] keys stack timings (ms): ${JSON.stringify(res.timings)}`);
    expect(res.validate.valid).toBe(true);
    expect(res.validate.error_count).toBe(0);
    expect(res.planFile).toMatch(/plan\.bin$/);
    const plan = res.planJson as PlanJson;
    const change = plan.resource_changes?.find((r) => r.type === 'aws_s3_bucket');
    expect(change?.address).toBe('aws_s3_bucket.key-backup');
    expect(change?.change.actions).toEqual(['create']);
    expect(change?.change.after).toMatchObject({ bucket: 'kc-harness-key-backup', tags: { 'custody:role': 'key-backup' } });
    expect(res.replacedBackend?.type).toBe('s3');
    expect(res.remoteState).toEqual([]);
  });

  it('plans a stack that reads another stack through remote state it really reads (local S3 server)', async () => {
    // The producer's state exists only once the producer is applied: write it to the server
    // through the keys stack's own backend (the bucket is not applicable offline, so the
    // consumer's reads are of outputs the producer really wrote).
    const s3 = await startLocalS3(['tf-state']);
    try {
      const err = await terraformCheck(dirs.consumer, { plan: true, remoteStateConfig: s3.remoteStateConfig }).catch((e: unknown) => e);
      // Nothing applied yet: the read is real, so the plan fails on the missing state instead of planning with made-up values.
      expect((err as TerraformCheckError).step).toBe('plan');
      expect((err as Error).message).toMatch(/Unable to find remote state|No stored state was found|does not exist|NoSuchKey/i);
      expect((err as Error).message).toContain('remote state read for real: cross-stack-reference-input-keys');
    } finally {
      await s3.close();
    }
  });

  it('validate-only skips the plan', async () => {
    const res = await terraformCheck(dirs.keys);
    expect(res.validate.valid).toBe(true);
    expect(res.planJson).toBeUndefined();
    expect(res.timings.plan).toBeUndefined();
  });

  it('fails with terraform diagnostics for an invalid configuration', async () => {
    const bad = join(tmp, 'bad');
    mkdirSync(bad);
    writeFileSync(
      join(bad, 'cdk.tf.json'),
      JSON.stringify({
        terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } },
        provider: { aws: [{ region: 'eu-west-1' }] },
        resource: { aws_s3_bucket: { b: { bucket: 'x', no_such_argument: true } } },
      }),
    );
    const err = await terraformCheck(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TerraformCheckError);
    expect((err as TerraformCheckError).step).toBe('validate');
    expect((err as Error).message).toMatch(/no_such_argument/);
    expect((err as Error).message).toMatch(/resource\.aws_s3_bucket\.b/);
  });

  it('names a provider the mirror cannot serve instead of hanging on the registry', async () => {
    const docker = join(tmp, 'docker');
    mkdirSync(docker);
    writeFileSync(
      join(docker, 'cdk.tf.json'),
      JSON.stringify({
        terraform: { required_providers: { docker: { source: 'kreuzwerker/docker', version: '3.6.2' } } },
        resource: { docker_network: { n: { name: 'drill' } } },
      }),
    );
    const err = await terraformCheck(docker).catch((e: unknown) => e);
    expect((err as TerraformCheckError).step).toBe('preflight');
    expect((err as Error).message).toMatch(/kreuzwerker\/docker/);
  });
});
