import { expect, it } from 'vitest';
import { join } from 'node:path';
import { MasterKey } from '../../../lib/constructs/key/master-key';
import { rule as kc025 } from '../../../lib/rules/kc025-generation-activation';
import { describeTerraform, terraformCheck } from '../../helpers/terraform';
import { newApp, synthJson } from '../key-test-utils';

describeTerraform('rotation: the plan-time check of a generation\'s offsite backup (terraform validate)', () => {
  it('the data.aws_s3_objects listing and its postcondition are valid Terraform', async () => {
    const b = newApp({ docker: false, aws: true, stack: 'key-custody', custody: { rules: [kc025] } });
    new MasterKey(b.stack, 'Key', {
      keyId: 'servos-prod',
      profile: 'servos',
      generation: 2,
      hotCopy: { kind: 'host-file', path: '/etc/servos/masterkey.g2' },
      copies: [{ kind: 'cold', medium: 'nas', location: '/mnt/nas/servos/masterkey.g2.age' }],
      offsiteBackup: { verify: { bucket: 'acme-servos-key-backup', key: 'servos-prod/masterkey.g2.age' } },
      previousGenerations: [{ generation: 1, state: 'retired', retiredOn: '2025-01-10' }],
    });
    const { file } = synthJson(b);
    // Validate only: the listing is a data source, so `terraform plan` reads the bucket (that is
    // the point of the check), which an offline plan cannot.
    const res = await terraformCheck(join(file, '..'));
    expect(res.validate.valid).toBe(true);
    expect(res.validate.error_count).toBe(0);
  }, 120_000);
});
