import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc001-no-key-in-env';
import { formatFinding } from '../../lib/rules/engine';
import { container, doc, findings, goodZitadel, labels } from './kc0xx-fixtures';

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
