/**
 * lib/model/containers.ts on its own: docker containers (mounts, volumes, uploads, env as a
 * list or a map), swarm services (container_spec mounts, secrets, labels, command + args) and
 * ECS task definitions (JSON or object container_definitions, environment), managed only.
 */
import { describe, expect, it } from 'vitest';
import { ModelContext } from '../../lib/model/context';
import { readContainers } from '../../lib/model/containers';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';

function read(resource: Record<string, unknown>, data: Record<string, unknown> = {}) {
  const ctx = new ModelContext([loadTerraformJson('s', { resource, data })]);
  return readContainers(ctx, (r) => ({ from: r.address }));
}

describe('readContainers', () => {
  it('docker_container: mounts, volumes, uploads, env list, command and entrypoint', () => {
    const [c] = read({
      docker_container: {
        z: {
          image: 'ghcr.io/zitadel/zitadel:v4',
          env: ['A=1', 'B=x=y', 'EMPTY', '=nokey', 7],
          command: ['start', '--masterkeyFile', '/run/k'],
          entrypoint: '/bin/zitadel',
          mounts: [
            { type: 'bind', source: '/etc/z/masterkey', target: '/run/k', read_only: true },
            { type: 'volume', source: '${docker_volume.v.name}', target: '/data', read_only: 'false' },
            { type: 'tmpfs', target: '/tmp' },
            { type: '${var.t}', source: '/x', target: '/y' },
          ],
          volumes: [
            { host_path: '/etc/z', container_path: '/etc/z', read_only: true },
            { volume_name: 'vol', container_path: '/v' },
            {},
          ],
          upload: [{ file: '/run/secrets/k', content: 'x' }, {}],
          provider: 'docker.remote',
        },
      },
    });
    expect(c).toMatchObject({
      id: 's\u0000docker_container.z',
      stack: 's',
      address: 'docker_container.z',
      kind: 'docker_container',
      image: 'ghcr.io/zitadel/zitadel:v4',
      env: { A: '1', B: 'x=y', EMPTY: '', '=nokey': '' },
      command: ['start', '--masterkeyFile', '/run/k'],
      entrypoint: ['/bin/zitadel'],
      provider: 'docker.remote',
      labels: { from: 'docker_container.z' },
    });
    expect(c.mounts).toEqual([
      { source: '/etc/z/masterkey', target: '/run/k', readOnly: true, type: 'bind' },
      { source: '${docker_volume.v.name}', target: '/data', readOnly: false, type: 'volume' },
      { source: undefined, target: '/tmp', readOnly: false, type: 'tmpfs' },
      { source: '/x', target: '/y', readOnly: false, type: 'bind' },
      { source: '/etc/z', target: '/etc/z', readOnly: true, type: 'bind' },
      { source: 'vol', target: '/v', readOnly: false, type: 'volume' },
      { source: undefined, target: '', readOnly: false, type: 'volume' },
      { source: undefined, target: '/run/secrets/k', readOnly: false, type: 'upload' },
      { source: undefined, target: '', readOnly: false, type: 'upload' },
    ]);
  });

  it('docker_container: env as a map keeps strings and JSON-encodes other values; no image when not a string', () => {
    const [c] = read({ docker_container: { a: { image: { x: 1 }, env: { S: 's', N: 1, B: true } } } });
    expect(c.env).toEqual({ S: 's', N: '1', B: 'true' });
    expect(c.image).toBeUndefined();
    expect(c.mounts).toEqual([]);
  });

  it('docker_service: container_spec mounts, secrets, labels, command then args', () => {
    const [c] = read({
      docker_service: {
        svc: {
          name: 'svc',
          task_spec: {
            container_spec: {
              image: 'app:1',
              env: { K: 'v' },
              command: ['/app'],
              args: ['--masterkeyFile', '/run/secrets/mk'],
              mounts: [{ source: '/etc/k', target: '/k', read_only: true, type: 'bind' }, { target: '/t', type: 'tmpfs' }],
              secrets: [{ secret_id: 'sid', secret_name: 'sname', file_name: '/run/secrets/mk' }, { secret_name: 'only-name' }, {}],
              labels: [{ label: 'custody:app', value: 'zitadel' }, { label: 'n', value: 1 }],
            },
          },
        },
      },
    });
    expect(c).toMatchObject({
      id: 's\u0000docker_service.svc',
      kind: 'docker_service',
      image: 'app:1',
      env: { K: 'v' },
      command: ['/app', '--masterkeyFile', '/run/secrets/mk'],
      entrypoint: [],
      labels: { from: 'docker_service.svc', 'custody:app': 'zitadel' },
    });
    expect(c.mounts).toEqual([
      { source: '/etc/k', target: '/k', readOnly: true, type: 'bind' },
      { source: undefined, target: '/t', readOnly: false, type: 'tmpfs' },
      { source: 'sid', target: '/run/secrets/mk', readOnly: true, type: 'secret' },
      { source: 'only-name', target: '', readOnly: true, type: 'secret' },
      { source: '', target: '', readOnly: true, type: 'secret' },
    ]);
    const [bare] = read({ docker_service: { b: { name: 'b' } } });
    expect(bare).toMatchObject({ image: undefined, env: {}, command: [], mounts: [] });
  });

  it('aws_ecs_task_definition: one container per definition, JSON or already parsed', () => {
    const defs = [
      { name: 'a', image: 'app:1', environment: [{ name: 'MASTER_KEY', value: 'x' }, { name: 'N', value: 3 }, { value: 'no-name' }], command: ['run'], entryPoint: ['/entry'] },
      { name: 'b', environment: 'not-a-list' },
    ];
    const cs = read({ aws_ecs_task_definition: { t: { family: 't', container_definitions: JSON.stringify(defs) }, o: { family: 'o', container_definitions: defs.slice(0, 1) } } });
    expect(cs.map((c) => [c.id, c.kind, c.image, c.env, c.command, c.entrypoint, c.mounts])).toEqual([
      ['s\u0000aws_ecs_task_definition.t#0', 'ecs_task', 'app:1', { MASTER_KEY: 'x', N: '3' }, ['run'], ['/entry'], []],
      ['s\u0000aws_ecs_task_definition.t#1', 'ecs_task', undefined, {}, [], [], []],
      ['s\u0000aws_ecs_task_definition.o#0', 'ecs_task', 'app:1', { MASTER_KEY: 'x', N: '3' }, ['run'], ['/entry'], []],
    ]);
  });

  it('skips unreadable task definitions and data sources', () => {
    expect(read({ aws_ecs_task_definition: { bad: { container_definitions: '[{' }, obj: { container_definitions: '{"a":1}' } } })).toEqual([]);
    expect(read({}, { docker_container: { d: { name: 'd' } }, docker_service: { s: {} }, aws_ecs_task_definition: { t: { container_definitions: '[]' } } })).toEqual([]);
  });
});
