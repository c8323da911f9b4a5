/**
 * KC001 with exact messages and fixes: key variables in docker env (sorted by name, with
 * the by-path hint per app and variable), ECS `secrets` and `environment` per container
 * definition, and Zitadel's --masterkeyFromEnv (reported once per container).
 */
import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc001-no-key-in-env';
import { container, doc, goodZitadel, labels, model, type Json } from './kc0xx-fixtures';

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
