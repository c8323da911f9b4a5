import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc003-key-mount-read-only';
import { container, doc, findings, goodZitadel, labels, manifest, zitadelKey } from './kc0xx-fixtures';

const m = manifest([zitadelKey()]);

describe('KC003 key mounted read-only from the hot copy and passed by path', () => {
  it('passes the seed compose service (read-only bind of /etc/zitadel/masterkey, --masterkeyFile)', () => {
    expect(findings(rule, ['app', doc(m, goodZitadel())])).toEqual([]);
  });

  it('passes a directory mount of the hot copy, the -m shorthand and legacy volumes blocks', () => {
    const f = findings(rule, [
      'app',
      doc(
        m,
        container('dir', {
          command: ['start', '-m', '/run/secrets/zitadel/masterkey'],
          mounts: [{ type: 'bind', source: '/etc/zitadel', target: '/run/secrets/zitadel', read_only: true }],
          labels: labels({ 'custody:app': 'zitadel' }),
        }),
        container('vol', {
          command: ['start', '--masterkeyFile=/run/secrets/masterkey'],
          volumes: [{ host_path: '/etc/zitadel/masterkey', container_path: '/run/secrets/masterkey', read_only: true }],
        }),
      ),
    ]);
    expect(f).toEqual([]);
  });

  it('passes SERVOS_MASTER_KEY_FILE with a docker service secret (secrets count as read-only mounts)', () => {
    const f = findings(rule, [
      'app',
      doc(manifest([{ id: 'servos-master', app: 'servos', copies: [] }]), {
        resource: {
          docker_service: {
            servos: {
              name: 'servos',
              task_spec: {
                container_spec: {
                  image: 'actplatform/servos',
                  env: { SERVOS_MASTER_KEY_FILE: '/run/secrets/servos_master_key' },
                  secrets: [{ secret_id: 'servos_master_key', file_name: '/run/secrets/servos_master_key' }],
                  labels: labels({ 'custody:key': 'servos-master' }),
                },
              },
            },
          },
        },
      }),
    ]);
    expect(f).toEqual([]);
  });

  it('flags a writable mount of the key', () => {
    const f = findings(rule, [
      'app',
      doc(m, goodZitadel('zitadel', { mounts: [{ type: 'bind', source: '/etc/zitadel/masterkey', target: '/run/secrets/masterkey', read_only: false }] })),
    ]);
    expect(f).toHaveLength(1);
    expect(f[0].address).toBe('docker_container.zitadel');
    expect(f[0].message).toContain('writable');
    expect(f[0].message).toContain('/etc/zitadel/masterkey → /run/secrets/masterkey');
    expect(f[0].fix).toContain('read_only = true');
  });

  it('flags an unlabelled sidecar that mounts the hot copy writable (carrier by mount)', () => {
    const f = findings(rule, [
      'app',
      doc(m, goodZitadel(), container('backup', { image: 'alpine', command: ['sh', '-c', 'age -r age1x /keys/masterkey > /nas/k.age'], volumes: [{ host_path: '/etc/zitadel', container_path: '/keys' }] })),
    ]);
    expect(f).toHaveLength(1);
    expect(f[0].address).toBe('docker_container.backup');
    expect(f[0].message).toContain('mounts the hot copy /etc/zitadel/masterkey');
    expect(f[0].message).toContain('writable');
  });

  it('flags a key container with no key mount, with the exact mount to add', () => {
    const f = findings(rule, ['app', doc(m, container('zitadel', { command: ['start-from-init'], labels: labels({ 'custody:app': 'zitadel' }) }))]);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('carries key zitadel-master (label custody:app=zitadel) but mounts no copy of it');
    expect(f[0].fix).toContain('source = "/etc/zitadel/masterkey", target = "/run/secrets/masterkey", read_only = true');
    expect(f[0].fix).toContain('--masterkeyFile /run/secrets/masterkey');
  });

  it('flags a key mount that is never passed by path', () => {
    const f = findings(rule, ['app', doc(m, goodZitadel('zitadel', { command: ['start-from-init', '--masterkeyFromEnv'] }))]);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('never passes that path');
    expect(f[0].fix).toContain('--masterkeyFile /run/secrets/masterkey');
  });

  it('flags a path flag that points where nothing is mounted', () => {
    const f = findings(rule, ['app', doc(m, goodZitadel('zitadel', { command: ['start', '--masterkeyFile', '/run/secrets/other'] }))]);
    expect(f.map((x) => x.message)).toEqual([
      'passes --masterkeyFile /run/secrets/other but mounts nothing at that path',
      'carries key zitadel-master (label custody:key=zitadel-master; mounts the hot copy /etc/zitadel/masterkey) and mounts it at /run/secrets/masterkey but never passes that path (no key-file flag or *_FILE variable names it)',
    ]);
  });

  it('flags a key read from somewhere other than the declared hot copy, but not for drill containers', () => {
    const wrong = {
      command: ['start', '--masterkeyFile', '/run/secrets/masterkey'],
      mounts: [{ type: 'bind', source: '/tmp/masterkey', target: '/run/secrets/masterkey', read_only: true }],
    };
    const f = findings(rule, [
      'app',
      doc(
        m,
        container('zitadel', { ...wrong, labels: labels({ 'custody:key': 'zitadel-master' }) }),
        container('drill', { ...wrong, labels: labels({ 'custody:key': 'zitadel-master', 'custody:role': 'drill' }) }),
      ),
    ]);
    expect(f).toHaveLength(1);
    expect(f[0].address).toBe('docker_container.zitadel');
    expect(f[0].message).toContain('reads it from /tmp/masterkey');
    expect(f[0].message).toContain('not from the declared hot copy /etc/zitadel/masterkey');
  });

  it('flags a key file provided through an upload block', () => {
    const f = findings(rule, [
      'app',
      doc(m, container('zitadel', { command: ['start', '--masterkeyFile', '/run/secrets/masterkey'], upload: [{ file: '/run/secrets/masterkey', content: 'x' }], labels: labels({ 'custody:key': 'zitadel-master' }) })),
    ]);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('from an `upload` block');
  });

  it('flags an unknown key id label with no mount, and ECS key containers (mounts cannot be proven)', () => {
    const f = findings(rule, [
      'app',
      doc(container('x', { labels: labels({ 'custody:key': 'other-key' }) }), {
        resource: {
          aws_ecs_task_definition: {
            t: { family: 't', container_definitions: JSON.stringify([{ name: 'z', image: 'z' }]), tags: { 'custody:key': 'zitadel-master' } },
          },
        },
      }),
    ]);
    expect(f.map((x) => x.address).sort()).toEqual(['aws_ecs_task_definition.t', 'docker_container.x']);
    expect(f.find((x) => x.address === 'aws_ecs_task_definition.t')?.message).toContain('ECS mountPoints');
  });

  it('leaves containers that carry no key alone', () => {
    expect(findings(rule, ['app', doc(m, container('postgres', { image: 'postgres:16', volumes: [{ host_path: '/var/lib/pg', container_path: '/var/lib/postgresql/data' }] }))])).toEqual([]);
  });
});

describe('KC003 edge cases', () => {
  it('does not read `python -m module` as a key-file flag', () => {
    const f = findings(rule, [
      'app',
      doc(
        manifest([zitadelKey()]),
        goodZitadel('zitadel', { command: ['python', '-m', 'http.server', '--masterkeyFile', '/run/secrets/masterkey'] }),
      ),
    ]);
    expect(f).toEqual([]);
  });

  it('reports a key-file path given as an expression that cannot be matched to the mount', () => {
    const f = findings(rule, ['app', doc(manifest([zitadelKey()]), goodZitadel('zitadel', { command: ['start', '--masterkeyFile', '${var.key_path}'] }))]);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('as an expression that cannot be matched to the key mount at /run/secrets/masterkey');
  });
});
