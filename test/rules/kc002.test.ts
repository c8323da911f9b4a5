import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc002-no-key-on-command-line';
import { container, doc, findings, goodZitadel } from './kc0xx-fixtures';

const SECRET = 'MasterkeyNeedsToHave32Characters';

describe('KC002 no key on the command line', () => {
  it('passes by-path flags: --masterkeyFile, --masterkey-file, -m, --masterkeyFromEnv (KC001)', () => {
    const f = findings(rule, [
      'app',
      doc(
        goodZitadel(),
        container('a', { command: ['start', '--masterkey-file=/run/secrets/masterkey'] }),
        container('b', { command: ['start', '-m', '/run/secrets/masterkey'] }),
        container('c', { command: ['start', '--masterkeyFromEnv'] }),
      ),
    ]);
    expect(f).toEqual([]);
  });

  it('flags --masterkey <value> and redacts the value', () => {
    const f = findings(rule, ['app', doc(container('zitadel', { command: ['start-from-init', '--masterkey', SECRET, '--tlsMode', 'external'] }))]);
    expect(f).toHaveLength(1);
    expect(f[0].address).toBe('docker_container.zitadel');
    expect(f[0].message).toContain('--masterkey <redacted>');
    expect(f[0].fix).toContain('--masterkeyFile /run/secrets/masterkey');
    expect(JSON.stringify(f)).not.toContain(SECRET);
  });

  it('flags --masterkey=<value> inside one command string, and --masterkey-old', () => {
    const f = findings(rule, [
      'app',
      doc(
        container('one', { command: [`start-from-init --masterkey=${SECRET} --tlsMode external`] }),
        container('rot', { entrypoint: ['/app/zitadel'], command: ['start', '--masterkey', '${var.new}', '--masterkey-old', '${var.old}'] }),
      ),
    ]);
    expect(f.map((x) => x.address)).toEqual(['docker_container.one', 'docker_container.rot', 'docker_container.rot']);
    expect(f[0].message).toContain('--masterkey=<redacted>');
    expect(f.some((x) => x.message.includes('--masterkey-old <redacted>'))).toBe(true);
    expect(JSON.stringify(f)).not.toContain(SECRET);
    expect(JSON.stringify(f)).not.toContain('var.old');
  });

  it('flags shell-form entrypoints and --master-key variants of other apps', () => {
    const f = findings(rule, [
      'app',
      doc(
        container('sh', { entrypoint: ['sh', '-c', 'exec zitadel start --masterkey "$ZITADEL_KEY"'] }),
        container('other', { image: 'x', command: ['serve', '--master-key', 'abc'] }),
      ),
    ]);
    expect(f.map((x) => x.address)).toEqual(['docker_container.other', 'docker_container.sh']);
  });

  it('checks docker_service command and args', () => {
    const f = findings(rule, [
      'app',
      doc({
        resource: { docker_service: { z: { name: 'z', task_spec: { container_spec: { image: 'z', command: ['zitadel'], args: ['start', '--masterkey', 'x'] } } } } },
      }),
    ]);
    expect(f).toHaveLength(1);
    expect(f[0].address).toBe('docker_service.z');
  });
});
