/**
 * Terraform tier for cloud hot copies: the synthesized stacks pass `terraform validate`
 * and an offline `terraform plan`, and a key value planted through the one supported
 * input path (an ephemeral variable feeding a write-only argument) appears neither in
 * cdk.tf.json nor in the plan JSON.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { expect, it } from 'vitest';
import { EphemeralKeyInput } from '../../lib/constructs/key/ephemeral-key-input';
import { MasterKey } from '../../lib/constructs/key/master-key';
import { newApp } from '../constructs/key-test-utils';
import { describeTerraform, terraformCheck } from '../helpers/terraform';

/** Recognisable, and valid for Zitadel (32 printable ASCII characters). */
const PLANTED = 'PLANTED-KEY-7f3a9c1e5b2d4f6a8c0';

function planted(haystack: string): boolean {
  return haystack.includes(PLANTED) || haystack.includes(Buffer.from(PLANTED).toString('base64'));
}

function buildStack(kind: 'secrets-manager' | 'ssm'): { stackDir: string; variable: string } {
  const b = newApp({ aws: true, docker: false, stack: `hot-copy-${kind}` });
  const host = new IamRole(b.stack, 'ZitadelHost', {
    name: 'zitadel-host',
    assumeRolePolicy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
  });
  const input = new EphemeralKeyInput(b.stack, 'zitadel_masterkey');
  const key = new MasterKey(b.stack, 'Key', {
    keyId: 'zitadel-prod',
    profile: 'zitadel',
    hotCopy:
      kind === 'secrets-manager'
        ? { kind, name: 'zitadel/masterkey', readers: [host.arn], value: input }
        : { kind, name: '/zitadel/masterkey', readers: [host.arn], value: input },
    copies: [
      { kind: 'cold', medium: 'nas', location: '/mnt/nas/zitadel/masterkey.age' },
      { kind: 'paper', medium: 'paper', location: 'safe, head office', offsite: true },
    ],
  });
  key.grantRead('arn:aws:iam::111111111111:role/drill-runner');
  b.app.synth();
  return { stackDir: join(b.outdir, 'stacks', b.stack.node.id), variable: input.variableName };
}

describeTerraform('cloud hot copies pass terraform validate + offline plan and never carry the key', () => {
  for (const kind of ['secrets-manager', 'ssm'] as const) {
    it(`${kind}: validate, plan, and the planted key is in neither cdk.tf.json nor the plan JSON`, async () => {
      const { stackDir, variable } = buildStack(kind);
      const config = readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8');
      expect(planted(config)).toBe(false);

      const r = await terraformCheck(stackDir, { plan: true, showJson: true, vars: { [variable]: PLANTED } });
      expect(r.validate.valid).toBe(true);
      const plan = r.planJson as {
        resource_changes: { type: string; change: { after: Record<string, unknown>; after_sensitive?: unknown } }[];
        variables?: Record<string, unknown>;
      };
      const planText = JSON.stringify(plan);
      expect(planted(planText)).toBe(false);
      // The plan file itself (a zip) is re-read by show; also look at the raw bytes, uncompressed entries included.
      expect(planted(readFileSync(r.planFile!).toString('latin1'))).toBe(false);

      const types = plan.resource_changes.map((c) => c.type).sort();
      if (kind === 'secrets-manager') {
        expect(types).toEqual([
          'aws_iam_role',
          'aws_kms_key',
          'aws_secretsmanager_secret',
          'aws_secretsmanager_secret_policy',
          'aws_secretsmanager_secret_version',
          'terraform_data',
        ]);
        const version = plan.resource_changes.find((c) => c.type === 'aws_secretsmanager_secret_version')!;
        expect(version.change.after.secret_string_wo_version).toBe(1);
        expect(version.change.after.secret_string ?? null).toBeNull();
      } else {
        expect(types).toEqual(['aws_iam_role', 'aws_kms_key', 'aws_ssm_parameter', 'terraform_data']);
        const p = plan.resource_changes.find((c) => c.type === 'aws_ssm_parameter')!;
        expect(p.change.after).toMatchObject({ type: 'SecureString', value_wo_version: 1 });
      }
      // The ephemeral variable is not recorded with the plan.
      expect(JSON.stringify(plan.variables ?? {})).not.toContain(PLANTED);
      console.info(
        `[terraform tier] ${kind}: init ${r.timings.init} ms, validate ${r.timings.validate} ms, plan ${r.timings.plan} ms, show ${r.timings.show} ms`,
      );
    });
  }

  it('control: the same search finds a key planted through a plain (non-ephemeral) variable', async () => {
    // Without this, "not found" could mean the search looks in the wrong place.
    const outdir = mkdtempSync(join(tmpdir(), 'kc-control-'));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'control');
    new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
    const v = new TerraformVariable(stack, 'plain_key', { type: 'string', sensitive: true });
    const secret = new SecretsmanagerSecret(stack, 'Secret', { name: 'control' });
    new SecretsmanagerSecretVersion(stack, 'Value', { secretId: secret.id, secretString: v.stringValue });
    app.synth();
    const r = await terraformCheck(join(outdir, 'stacks', 'control'), { plan: true, showJson: true, vars: { plain_key: PLANTED } });
    expect(planted(JSON.stringify(r.planJson))).toBe(true);
  });
});
