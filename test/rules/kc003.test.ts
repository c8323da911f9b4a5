/**
 * The rule on whole configurations first, then the exact-output tests.
 * KC003 with exact messages and fixes for every branch: key-file paths nothing provides,
 * no key mount at all (docker, ECS, drill), uploads and writable mounts (reported once per
 * mount), a key never passed by path (literal or expression), and a key read from something
 * other than the declared hot copy (volume, expression, unknown source), across two keys.
 */
import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc003-key-mount-read-only';
import { container, doc, findings, goodZitadel, labels, manifest, zitadelKey, model, type Json } from './kc0xx-fixtures';

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

const keys = manifest([zitadelKey(), { id: 'servos', app: 'servos', hostPath: '/srv/servos/key', copies: [] }]);
const check = (...parts: Json[]) => rule.check(model(['s', doc(keys, ...parts)])).map((v) => [v.address.replace(/^docker_container\./, ''), v.message, v.fix]);

const ZKEY = 'label custody:key=zitadel-master';
const zLabel = (extra: Record<string, string> = {}) => labels({ 'custody:key': 'zitadel-master', ...extra });
const hotMount = (target = '/run/secrets/masterkey', readOnly = true): Json => ({ type: 'bind', source: '/etc/zitadel/masterkey', target, read_only: readOnly });
const ADD_MOUNT = 'add a bind mount { source = "/etc/zitadel/masterkey", target = "/run/secrets/masterkey", read_only = true } and pass `--masterkeyFile /run/secrets/masterkey` in the command';

describe('KC003 (mutation tests)', () => {
  it('sound containers give nothing: flag, *_FILE variable, plain argument, secret mount, directory mount', () => {
    expect(
      check(
        goodZitadel(),
        container('env', { env: ['SERVOS_MASTER_KEY_FILE=/k/key'], mounts: [{ type: 'bind', source: '/srv/servos', target: '/k', read_only: true }] }),
        container('sidecar', { command: ['backup', '/run/secrets/masterkey'], mounts: [hotMount()], labels: zLabel() }),
        container('dir', { command: ['-m', '/run/z/masterkey'], mounts: [{ type: 'bind', source: '/etc/zitadel/', target: '/run/z/', read_only: true }] }),
      ),
    ).toEqual([]);
    const svc = {
      resource: {
        docker_service: {
          svc: {
            name: 'svc',
            labels: zLabel(),
            task_spec: { container_spec: { image: 'x', command: ['--masterkeyFile', '/run/secrets/masterkey'], secrets: [{ secret_id: '${docker_secret.k.id}', file_name: 'masterkey' }] } },
          },
        },
      },
    };
    expect(check(svc)).toEqual([]);
  });

  it('no copy mounted: docker, ECS, an undeclared key, and drill containers (which may have none)', () => {
    const ecs = { resource: { aws_ecs_task_definition: { t: { family: 't', container_definitions: JSON.stringify([{ name: 'a', image: 'x' }]), tags: { 'custody:key': 'servos' } } } } };
    expect(
      check(
        container('none', { labels: zLabel() }),
        container('ghost', { labels: labels({ 'custody:key': 'ghost', 'custody:app': 'ghostapp' }) }),
        container('ghost2', { labels: labels({ 'custody:key': 'ghost' }) }),
        container('drill', { labels: zLabel({ 'custody:role': 'drill' }) }),
        ecs,
      ),
    ).toEqual([
      ['none', `carries key zitadel-master (${ZKEY}) but mounts no copy of it`, ADD_MOUNT],
      [
        'ghost',
        'carries key ghost (label custody:key=ghost) but mounts no copy of it',
        'add a bind mount { source = "<declared hot-copy path>", target = "/run/secrets/masterkey", read_only = true } and set `GHOSTAPP_MASTER_KEY_FILE=/run/secrets/masterkey`',
      ],
      [
        'ghost2',
        'carries key ghost (label custody:key=ghost) but mounts no copy of it',
        'add a bind mount { source = "<declared hot-copy path>", target = "/run/secrets/masterkey", read_only = true } and set `APP_MASTER_KEY_FILE=/run/secrets/masterkey`',
      ],
      [
        'aws_ecs_task_definition.t',
        'carries key servos (label custody:key=servos) but mounts no copy of it (ECS mountPoints are not read by the model, so a mount there cannot be proven)',
        'add a bind mount { source = "/srv/servos/key", target = "/run/secrets/masterkey", read_only = true } and set `SERVOS_MASTER_KEY_FILE=/run/secrets/masterkey`',
      ],
    ]);
  });

  it('a key-specific path nothing provides is reported first, also for drill containers; other *_FILE paths are not', () => {
    expect(
      check(
        container('unprov', { command: ['--masterkeyFile', '/run/k'], env: ['TLS_CERT_FILE=/tls', 'ZITADEL_MASTERKEY_FILE=/run/k2'], labels: zLabel() }),
        container('drill', { command: ['--masterkeyFile', '/restored/k'], labels: zLabel({ 'custody:role': 'drill' }) }),
      ),
    ).toEqual([
      ['unprov', 'passes --masterkeyFile /run/k but mounts nothing at that path', 'add a bind mount { source = "/etc/zitadel/masterkey", target = "/run/k", read_only = true }'],
      ['unprov', 'passes env ZITADEL_MASTERKEY_FILE /run/k2 but mounts nothing at that path', 'add a bind mount { source = "/etc/zitadel/masterkey", target = "/run/k2", read_only = true }'],
      ['unprov', `carries key zitadel-master (${ZKEY}) but mounts no copy of it`, ADD_MOUNT],
      ['drill', 'passes --masterkeyFile /restored/k but mounts nothing at that path', 'add a bind mount { source = "/etc/zitadel/masterkey", target = "/restored/k", read_only = true }'],
    ]);
  });

  it('writable mounts: once per mount, with the docker_container or docker_service fix', () => {
    const svc = {
      resource: {
        docker_service: {
          svc: {
            name: 'svc',
            labels: zLabel(),
            task_spec: { container_spec: { image: 'x', command: ['--masterkeyFile', '/run/secrets/masterkey'], mounts: [{ type: 'bind', source: '/etc/zitadel/masterkey', target: '/run/secrets/masterkey' }] } },
          },
        },
      },
    };
    expect(
      check(
        container('rw', { command: ['--masterkeyFile', '/run/secrets/masterkey'], mounts: [hotMount('/run/secrets/masterkey', false)] }),
        container('rwdir', {
          command: ['--masterkeyFile', '/run/secrets/other'],
          mounts: [{ type: 'bind', source: '/etc/zitadel', target: '/run/secrets', read_only: false }],
          labels: zLabel(),
        }),
        container('tmpfs', { command: ['--masterkeyFile', '/run/secrets/masterkey'], mounts: [{ type: 'tmpfs', target: '/run/secrets' }], labels: zLabel() }),
        svc,
      ),
    ).toEqual([
      [
        'rw',
        'carries key zitadel-master (mounts the hot copy /etc/zitadel/masterkey) but mounts it writable (/etc/zitadel/masterkey → /run/secrets/masterkey)',
        'set read_only = true on the mount (or the `volumes` block) for /etc/zitadel/masterkey → /run/secrets/masterkey',
      ],
      [
        'rwdir',
        `carries key zitadel-master (${ZKEY}; mounts the hot copy /etc/zitadel/masterkey) but mounts it writable (/etc/zitadel → /run/secrets)`,
        'set read_only = true on the mount (or the `volumes` block) for /etc/zitadel → /run/secrets',
      ],
      [
        'tmpfs',
        `carries key zitadel-master (${ZKEY}) but mounts it writable (<unknown source> → /run/secrets)`,
        'set read_only = true on the mount (or the `volumes` block) for <unknown source> → /run/secrets',
      ],
      [
        'tmpfs',
        `carries key zitadel-master (${ZKEY}) but reads it from <unknown source> (tmpfs mount at /run/secrets), not from the declared hot copy /etc/zitadel/masterkey`,
        'mount the declared hot copy instead: { source = "/etc/zitadel/masterkey", target = "/run/secrets", read_only = true }, or correct hostPath in the manifest',
      ],
      [
        'docker_service.svc',
        `carries key zitadel-master (${ZKEY}; mounts the hot copy /etc/zitadel/masterkey) but mounts it writable (/etc/zitadel/masterkey → /run/secrets/masterkey)`,
        'set read_only = true on the mount for /etc/zitadel/masterkey → /run/secrets/masterkey',
      ],
    ]);
  });

  it('an upload block holding the key file', () => {
    expect(check(container('up', { command: ['--masterkeyFile', '/run/secrets/masterkey'], upload: [{ file: '/run/secrets/masterkey', content: 'x' }], labels: zLabel() }))).toEqual([
      [
        'up',
        `carries key zitadel-master (${ZKEY}) but gets the key file /run/secrets/masterkey from an \`upload\` block: a writable file whose content is in Terraform state`,
        `remove the upload; ${ADD_MOUNT}`,
      ],
    ]);
  });

  it('mounted but never passed by path: no flag, a by-value flag, or an expression', () => {
    expect(
      check(
        container('silent', { command: ['start'], mounts: [hotMount()], labels: zLabel() }),
        container('byValue', { command: ['start', '--masterkey', '/run/secrets/masterkey'], mounts: [hotMount()] }),
        container('servos', { mounts: [{ type: 'bind', source: '/srv/servos/key', target: '/k', read_only: true }] }),
        container('expr', {
          command: ['--masterkeyFile', '${var.p}'],
          env: ['ZITADEL_MASTERKEY_FILE=${var.q}', 'TLS_FILE=${var.t}'],
          mounts: [hotMount('/run/z')],
        }),
      ),
    ).toEqual([
      [
        'silent',
        `carries key zitadel-master (${ZKEY}; mounts the hot copy /etc/zitadel/masterkey) and mounts it at /run/secrets/masterkey but never passes that path (no key-file flag or *_FILE variable names it)`,
        'pass `--masterkeyFile /run/secrets/masterkey` in the command',
      ],
      [
        'byValue',
        'carries key zitadel-master (mounts the hot copy /etc/zitadel/masterkey) and mounts it at /run/secrets/masterkey but never passes that path (no key-file flag or *_FILE variable names it)',
        'pass `--masterkeyFile /run/secrets/masterkey` in the command',
      ],
      [
        'servos',
        'carries key servos (mounts the hot copy /srv/servos/key) and mounts it at /k but never passes that path (no key-file flag or *_FILE variable names it)',
        'set `SERVOS_MASTER_KEY_FILE=/k`',
      ],
      [
        'expr',
        'carries key zitadel-master (mounts the hot copy /etc/zitadel/masterkey); it passes the key file path through --masterkeyFile, env ZITADEL_MASTERKEY_FILE as an expression that cannot be matched to the key mount at /run/z',
        'pass the literal path: pass `--masterkeyFile /run/z` in the command',
      ],
    ]);
  });

  it('the key passed by path comes from somewhere other than the declared hot copy', () => {
    const fix = (target: string) => `mount the declared hot copy instead: { source = "/etc/zitadel/masterkey", target = "${target}", read_only = true }, or correct hostPath in the manifest`;
    expect(
      check(
        container('vol', { command: ['--masterkeyFile', '/run/secrets/masterkey'], mounts: [{ type: 'volume', source: 'vol', target: '/run/secrets', read_only: true }], labels: zLabel() }),
        container('exprsrc', { command: ['-m', '/k/masterkey'], mounts: [{ type: 'bind', source: '${var.dir}', target: '/k', read_only: true }], labels: zLabel() }),
        // The hot copy is mounted, but the path passed is another mount's.
        container('other', {
          command: ['--masterkeyFile', '/other/k'],
          mounts: [hotMount('/hot'), { type: 'bind', source: '/tmp/k', target: '/other/k', read_only: true }, { type: 'bind', source: '/tmp/k2', target: '/other', read_only: true }],
        }),
        // Drill containers and keys without a declared hot copy are not held to it.
        container('drill', { command: ['--masterkeyFile', '/run/secrets/masterkey'], mounts: [{ type: 'volume', source: 'vol', target: '/run/secrets', read_only: true }], labels: zLabel({ 'custody:role': 'drill' }) }),
        container('ghost', { command: ['--masterkeyFile', '/run/secrets/masterkey'], mounts: [{ type: 'volume', source: 'vol', target: '/run/secrets', read_only: true }], labels: labels({ 'custody:key': 'ghost' }) }),
      ),
    ).toEqual([
      ['vol', `carries key zitadel-master (${ZKEY}) but reads it from vol (volume mount at /run/secrets), not from the declared hot copy /etc/zitadel/masterkey`, fix('/run/secrets')],
      ['exprsrc', `carries key zitadel-master (${ZKEY}) but reads it from an expression (bind mount at /k), not from the declared hot copy /etc/zitadel/masterkey`, fix('/k')],
      ['other', 'carries key zitadel-master (mounts the hot copy /etc/zitadel/masterkey) but reads it from /tmp/k (bind mount at /other/k), not from the declared hot copy /etc/zitadel/masterkey', fix('/other/k')],
    ]);
  });

  it('a container carrying two keys is checked once per key, in declaration order', () => {
    const both = (over: Json) => container('both', { mounts: [{ type: 'bind', source: '/srv/servos', target: '/s', read_only: true }, { type: 'bind', source: '/etc/zitadel', target: '/z', read_only: true }], ...over });
    expect(check(both({ command: ['--masterkeyFile', '/z/masterkey'], env: ['SERVOS_MASTER_KEY_FILE=/s/key'] }))).toEqual([]);
    expect(check(both({}))).toEqual([
      [
        'both',
        'carries key zitadel-master (mounts the hot copy /etc/zitadel/masterkey) and mounts it at /z/masterkey but never passes that path (no key-file flag or *_FILE variable names it)',
        'pass `--masterkeyFile /z/masterkey` in the command',
      ],
      [
        'both',
        'carries key servos (mounts the hot copy /srv/servos/key) and mounts it at /s/key but never passes that path (no key-file flag or *_FILE variable names it)',
        'set `SERVOS_MASTER_KEY_FILE=/s/key`',
      ],
    ]);
  });
});
