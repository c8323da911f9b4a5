/**
 * #20: a prop that was not given is said as "nothing (not given)", never "<redacted>" (which
 * suggests a value was given and hidden), and the MasterKey fix names every hot-copy kind, not
 * only a host file.
 */
import { describe, expect, it } from 'vitest';
import { EphemeralKeyInput } from '../../../lib/constructs/key/ephemeral-key-input';
import { MasterKey, type MasterKeyProps } from '../../../lib/constructs/key/master-key';
import { newApp, thrown } from '../key-test-utils';

const READER = 'arn:aws:iam::123456789012:role/servos-host';

describe('MasterKey: a value that was not given', () => {
  it('says "nothing (not given)" for a secret-bearing prop left out, and the fix names the cloud hot copies', () => {
    const b = newApp({ aws: true, docker: false });
    const msg = thrown(() => new MasterKey(b.stack, 'Key', { keyId: 'servos-prod', profile: 'servos', hotCopy: { kind: 'ssm', readers: [READER] } as unknown as MasterKeyProps['hotCopy'] }));
    expect(msg).toContain('got hotCopy.name = nothing (not given)');
    expect(msg).not.toContain('<redacted>');
    expect(msg).toContain('{ kind: "ssm", name, readers }');
    expect(msg).toContain('key-custody keygen --hot-secret/--hot-parameter');
  });

  it('a value that was given and is refused stays redacted', () => {
    const b = newApp({ aws: true, docker: false });
    const msg = thrown(
      () =>
        new MasterKey(b.stack, 'Key', {
          keyId: 'servos-prod',
          profile: 'servos',
          hotCopy: { kind: 'ssm', name: '/servos/k', readers: [READER], value: 'Sup3rS3cretMasterKeyValue-000001' as unknown as EphemeralKeyInput },
        }),
    );
    expect(msg).toContain('got hotCopy.value = <redacted>');
    expect(msg).not.toContain('Sup3rS3cret');
  });
});
