import { describe, expect, it } from 'vitest';
import { ProtectedAppService } from '../../../lib/constructs/app/protected-app-service';
import { MasterKey } from '../../../lib/constructs/key/master-key';
import { SECRET_VALUE, block, manifestKeys, newApp, only, synthJson, thrown, zitadelKey } from '../key-test-utils';

describe('ProtectedAppService (Swarm)', () => {
  it('bind-mounts the key read-only and passes --masterkeyFile in args', () => {
    const b = newApp();
    const key = zitadelKey(b);
    new ProtectedAppService(b.stack, 'Zitadel', {
      masterKey: key,
      placementConstraints: ['node.hostname==idp-1'],
      ports: [{ targetPort: 8080, publishedPort: 8080 }],
    });
    const { json } = synthJson(b);
    const svc = only(json, 'docker_service');
    const spec = block(svc, 'task_spec', 'container_spec');
    expect(spec.mounts).toEqual([{ type: 'bind', source: '/etc/zitadel/masterkey', target: '/run/secrets/masterkey', read_only: true }]);
    expect(spec.args).toEqual(['start-from-init', '--tlsMode', 'external', '--masterkeyFile', '/run/secrets/masterkey']);
    expect(spec.env).toBeUndefined();
    expect(svc.labels).toEqual(expect.arrayContaining([{ label: 'custody:key', value: 'zitadel-prod' }]));
    expect(block(svc, 'task_spec', 'placement').constraints).toEqual(['node.hostname==idp-1']);
    expect(svc.depends_on).toEqual([expect.stringMatching(/KeyFileCheck/)]);
    expect(manifestKeys(json)[0].hostFile?.deployCheck).toBe(true);
  });

  it('references an out-of-band Swarm secret by id and name, 0400 uid 0, and creates no docker_secret', () => {
    const b = newApp();
    const key = new MasterKey(b.stack, 'Key', { keyId: 'act-prod', profile: 'act', hotCopy: { kind: 'host-file', path: '/etc/act/master.key' } });
    new ProtectedAppService(b.stack, 'Act', { masterKey: key, swarmSecret: { secretId: 'q1w2e3r4t5', secretName: 'act_master_key' } });
    const { json } = synthJson(b);
    const spec = block(only(json, 'docker_service'), 'task_spec', 'container_spec');
    expect(spec.secrets).toEqual([
      { secret_id: 'q1w2e3r4t5', secret_name: 'act_master_key', file_name: '/run/secrets/act_master_key', file_uid: '0', file_gid: '0', file_mode: 256 },
    ]);
    expect(spec.mounts).toBeUndefined();
    expect(spec.env).toEqual({ ACT_MASTER_KEY_FILE: '/run/secrets/act_master_key' });
    expect(json.resource.docker_secret).toBeUndefined();
  });

  it('refuses key-by-value props as the container does', () => {
    const b = newApp();
    const msg = thrown(() => new ProtectedAppService(b.stack, 'Zitadel', { masterKey: zitadelKey(b), env: { ZITADEL_MASTERKEY: SECRET_VALUE } }));
    expect(msg).toMatch(/^\[app-host\/Zitadel\] ProtectedAppService: invalid props\n✖ environment variable "ZITADEL_MASTERKEY"/);
    expect(msg).not.toContain(SECRET_VALUE);
  });
});
