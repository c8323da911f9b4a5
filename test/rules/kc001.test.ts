/**
 * The rule on whole configurations first, then the exact-output tests.
 * KC001 with exact messages and fixes: key variables in docker env (sorted by name, with
 * the by-path hint per app and variable), ECS `secrets` and `environment` per container
 * definition, and Zitadel's --masterkeyFromEnv (reported once per container).
 */
import { describe, expect, it } from 'vitest';
import { formatFinding } from '../../lib/rules/engine';
import { rule } from '../../lib/rules/kc001-no-key-in-env';
import { container, doc, findings, goodZitadel, labels, model, type Json } from './kc0xx-fixtures';

const SECRET = 'MasterkeyNeedsToHave32Characters';

describe('KC001 no key in environment variables', () => {
  it('passes the seed container (key mounted and passed by path)', () => {
    expect(findings(rule, ['app', doc(goodZitadel())])).toEqual([]);
  });

  it('flags ZITADEL_MASTERKEY and never prints its value', () => {
    const f = findings(rule, ['app', doc(container('zitadel', { env: [`ZITADEL_MASTERKEY=${SECRET}`, 'ZITADEL_TLS_ENABLED=false'], command: ['start-from-init'] }))]);
    expect(f).toHaveLength(1);
    expect(f[0].address).toBe('docker_container.zitadel');
    expect(f[0].severity).toBe('error');
    expect(f[0].message).toContain('ZITADEL_MASTERKEY=<redacted>');
    expect(f[0].fix).toContain('--masterkeyFile /run/secrets/masterkey');
    expect(JSON.stringify(f)).not.toContain(SECRET);
    expect(formatFinding(f[0])).toMatch(/^KC001 docker_container\.zitadel \(stack app\) passes the key/);
  });

  it('flags SERVOS_MASTER_KEY / ACT_MASTER_KEY / generic *_MASTER_KEY and points at the _FILE twin', () => {
    const f = findings(rule, [
      'app',
      doc(
        container('servos', { image: 'actplatform/servos', env: ['SERVOS_MASTER_KEY=abc', 'LOG=1'] }),
        container('act', { image: 'actplatform/act', env: ['ACT_MASTER_KEY=${var.key}'] }),
        container('other', { image: 'x', env: ['MY_APP_MASTERKEY=1', 'MASTER_KEY=2'] }),
      ),
    ]);
    expect(f.map((x) => x.address).sort()).toEqual(['docker_container.act', 'docker_container.other', 'docker_container.other', 'docker_container.servos']);
    const servos = f.find((x) => x.address === 'docker_container.servos');
    expect(servos?.fix).toContain('SERVOS_MASTER_KEY_FILE=/run/secrets/masterkey');
    expect(JSON.stringify(f)).not.toContain('var.key');
  });

  it('does not flag *_FILE variables or look-alike names', () => {
    const f = findings(rule, [
      'app',
      doc(container('servos', { env: ['SERVOS_MASTER_KEY_FILE=/run/secrets/servos_master_key', 'MASTER_KEYRING=x', 'MASTERKEY_ROTATION_DAYS=90'] })),
    ]);
    expect(f).toEqual([]);
  });

  it('flags --masterkeyFromEnv, also inside a single shell string', () => {
    const f = findings(rule, [
      'app',
      doc(
        container('z1', { command: ['start-from-init', '--masterkeyFromEnv'] }),
        container('z2', { entrypoint: ['sh', '-c', 'zitadel start --masterkeyFromEnv --tlsMode disabled'] }),
      ),
    ]);
    expect(f.map((x) => x.address)).toEqual(['docker_container.z1', 'docker_container.z2']);
    expect(f[0].message).toContain('--masterkeyFromEnv');
    expect(f[0].fix).toContain('--masterkeyFile');
  });

  it('checks docker_service env maps and ECS environment and secrets', () => {
    const f = findings(rule, [
      'app',
      doc({
        resource: {
          docker_service: {
            servos: {
              name: 'servos',
              task_spec: { container_spec: { image: 'actplatform/servos', env: { SERVOS_MASTER_KEY: 'x' }, labels: labels({ 'custody:app': 'servos' }) } },
            },
          },
          aws_ecs_task_definition: {
            zitadel: {
              family: 'zitadel',
              container_definitions: JSON.stringify([
                { name: 'zitadel', image: 'z', environment: [{ name: 'ZITADEL_MASTERKEY', value: 'y' }] },
                { name: 'sidecar', image: 's', secrets: [{ name: 'ACT_MASTER_KEY', valueFrom: 'arn:aws:secretsmanager:eu-central-1:1:secret:k' }] },
              ]),
            },
          },
        },
      }),
    ]);
    expect(f.map((x) => x.address).sort()).toEqual(['aws_ecs_task_definition.zitadel', 'aws_ecs_task_definition.zitadel', 'docker_service.servos']);
    expect(f.some((x) => x.message.includes('ECS `secrets`') && x.message.includes('"sidecar"'))).toBe(true);
    expect(f.find((x) => x.address === 'docker_service.servos')?.fix).toContain('SERVOS_MASTER_KEY_FILE');
  });
});

const check = (...parts: Json[]) => rule.check(model(['s', doc(...parts)])).map((v) => [v.address, v.message, v.fix]);

const ZITADEL_FIX = 'pass `--masterkeyFile /run/secrets/masterkey` in the command';

describe('KC001 (mutation tests)', () => {
  it('sound containers give nothing', () => {
    expect(check(goodZitadel(), container('servos', { env: ['SERVOS_MASTER_KEY_FILE=/run/secrets/k', 'LOG=1'], command: ['--masterkeyFile', '/k'] }))).toEqual([]);
    expect(check()).toEqual([]);
  });

  it('key variables, sorted by name, with the hint for the app or the variable', () => {
    expect(
      check(
        container('z', { env: ['ZITADEL_MASTERKEY=secret', 'OTHER=1', 'MASTER_KEY=v', 'A_MASTER_KEY_FILE=/x'], labels: labels({ 'custody:app': 'zitadel' }) }),
        container('s', { env: { SERVOS_MASTER_KEY: 'x' } }),
        container('a', { env: ['MASTERKEY='], labels: labels({ 'custody:app': 'My App' }) }),
      ),
    ).toEqual([
      [
        'docker_container.z',
        'passes the key in environment variable MASTER_KEY=<redacted>',
        `remove MASTER_KEY; mount the key file read-only at /run/secrets/masterkey and ${ZITADEL_FIX}`,
      ],
      [
        'docker_container.z',
        'passes the key in environment variable ZITADEL_MASTERKEY=<redacted>',
        `remove ZITADEL_MASTERKEY; mount the key file read-only at /run/secrets/masterkey and ${ZITADEL_FIX}`,
      ],
      [
        'docker_container.s',
        'passes the key in environment variable SERVOS_MASTER_KEY=<redacted>',
        'remove SERVOS_MASTER_KEY; mount the key file read-only at /run/secrets/masterkey and set `SERVOS_MASTER_KEY_FILE=/run/secrets/masterkey`',
      ],
      [
        'docker_container.a',
        'passes the key in environment variable MASTERKEY=<redacted>',
        'remove MASTERKEY; mount the key file read-only at /run/secrets/masterkey and set `MASTERKEY_FILE=/run/secrets/masterkey`',
      ],
    ]);
  });

  it('--masterkeyFromEnv once per container, in any spelling, after the variables', () => {
    expect(
      check(
        container('z', { env: ['ZITADEL_MASTERKEY=x'], command: ['start', '--master-key-from-env', '--masterkeyFromEnv'] }),
        container('y', { entrypoint: ['zitadel start --masterkeyFromEnv=true'] }),
      ),
    ).toEqual([
      [
        'docker_container.z',
        'passes the key in environment variable ZITADEL_MASTERKEY=<redacted>',
        `remove ZITADEL_MASTERKEY; mount the key file read-only at /run/secrets/masterkey and ${ZITADEL_FIX}`,
      ],
      [
        'docker_container.z',
        'runs with --master-key-from-env, which makes Zitadel read the key from environment variable ZITADEL_MASTERKEY',
        'replace --master-key-from-env with `--masterkeyFile /run/secrets/masterkey` and mount the key file read-only there',
      ],
      [
        'docker_container.y',
        'runs with --masterkeyFromEnv, which makes Zitadel read the key from environment variable ZITADEL_MASTERKEY',
        'replace --masterkeyFromEnv with `--masterkeyFile /run/secrets/masterkey` and mount the key file read-only there',
      ],
    ]);
  });

  it('ECS: environment and secrets per container definition, named when the definition has a name', () => {
    const defs = [
      {
        name: 'app',
        image: 'x',
        environment: [{ name: 'MASTER_KEY', value: 'v' }, { name: 'LOG', value: '1' }],
        secrets: [{ name: 'ACT_MASTER_KEY', valueFrom: 'arn:x' }, { name: 'DB_PASSWORD', valueFrom: 'arn:y' }, { name: 5 }, null],
      },
      { image: 'y', secrets: 'not-a-list', command: ['--masterkeyFromEnv'] },
      { name: 'side', image: 'z', secrets: [{ name: 'SERVOS_MASTER_KEY_FILE' }, { name: 'ZITADEL_MASTERKEY' }] },
    ];
    const task = { resource: { aws_ecs_task_definition: { t: { family: 't', container_definitions: JSON.stringify(defs), tags: { 'custody:app': 'act' } } } } };
    expect(check(task)).toEqual([
      [
        'aws_ecs_task_definition.t',
        'passes the key in environment variable MASTER_KEY=<redacted> (container definition "app")',
        'remove MASTER_KEY; mount the key file read-only at /run/secrets/masterkey and set `MASTER_KEY_FILE=/run/secrets/masterkey`',
      ],
      [
        'aws_ecs_task_definition.t',
        'injects the key as environment variable ACT_MASTER_KEY through ECS `secrets` (container definition "app")',
        'remove the ACT_MASTER_KEY secret; mount the key as a read-only file and set `ACT_MASTER_KEY_FILE=/run/secrets/masterkey`',
      ],
      [
        'aws_ecs_task_definition.t',
        'runs with --masterkeyFromEnv, which makes Zitadel read the key from environment variable ZITADEL_MASTERKEY',
        'replace --masterkeyFromEnv with `--masterkeyFile /run/secrets/masterkey` and mount the key file read-only there',
      ],
      [
        'aws_ecs_task_definition.t',
        'injects the key as environment variable ZITADEL_MASTERKEY through ECS `secrets` (container definition "side")',
        `remove the ZITADEL_MASTERKEY secret; mount the key as a read-only file and ${ZITADEL_FIX}`,
      ],
    ]);
  });

  it('ECS definitions given as a list rather than a JSON string', () => {
    const task = { resource: { aws_ecs_task_definition: { t: { family: 't', container_definitions: [{ name: 'c', secrets: [{ name: 'MASTERKEY' }] }] } } } };
    expect(check(task)).toEqual([
      [
        'aws_ecs_task_definition.t',
        'injects the key as environment variable MASTERKEY through ECS `secrets` (container definition "c")',
        'remove the MASTERKEY secret; mount the key as a read-only file and set `MASTERKEY_FILE=/run/secrets/masterkey`',
      ],
    ]);
  });
});
