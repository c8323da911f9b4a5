/**
 * Terraform tier for an SSM hot copy whose key `key-custody keygen --hot-parameter` writes out
 * of band (issue 20): Terraform creates the parameter with the placeholder through the
 * write-only argument at a fixed version, so `terraform validate` and an offline plan pass with
 * no variable at all, and no plan needs the key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { expect, it } from 'vitest';
import { MasterKey } from '../../lib/constructs/key/master-key';
import { SSM_PLACEHOLDER } from '../../lib/constructs/key/stores';
import { newApp } from '../constructs/key-test-utils';
import { describeTerraform, terraformCheck } from '../helpers/terraform';

describeTerraform('an SSM hot copy written by keygen validates and plans without the key', () => {
  it('validate and plan pass with no variable; the parameter is created once with the placeholder at version 1', async () => {
    const b = newApp({ aws: true, docker: false, stack: 'hot-copy-ssm-keygen' });
    const host = new IamRole(b.stack, 'ServosHost', {
      name: 'servos-host',
      assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    });
    new MasterKey(b.stack, 'Key', {
      keyId: 'servos-prod',
      profile: 'servos',
      hotCopy: { kind: 'ssm', name: '/servos/master-key', readers: [host.arn] },
      copies: [
        { kind: 'cold', medium: 'nas', location: '/mnt/nas/servos/masterkey.age' },
        { kind: 'paper', medium: 'paper', location: 'safe, head office', offsite: true },
      ],
    });
    b.app.synth();
    const stackDir = join(b.outdir, 'stacks', b.stack.node.id);
    const config = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as { variable?: Record<string, unknown> };
    expect(config.variable ?? {}).toEqual({});

    const r = await terraformCheck(stackDir, { plan: true, showJson: true });
    expect(r.validate.valid).toBe(true);
    const plan = r.planJson as { resource_changes: { type: string; change: { after: Record<string, unknown> } }[] };
    const p = plan.resource_changes.find((c) => c.type === 'aws_ssm_parameter')!;
    expect(p.change.after).toMatchObject({ type: 'SecureString', value_wo_version: 1 });
    // Write-only: the planned resource (what state will hold) has no value; the placeholder,
    // which is no secret, is only in the configuration.
    expect(p.change.after.value ?? null).toBeNull();
    expect(JSON.stringify(p.change.after)).not.toContain(SSM_PLACEHOLDER);
  });
});
