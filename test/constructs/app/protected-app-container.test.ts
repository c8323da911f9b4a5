import { Container } from '@cdktf/provider-docker/lib/container';
import { describe, expect, it } from 'vitest';
import { KeyCustody } from '../../../lib/synth/custody-check';
import { ProtectedAppContainer, type ProtectedAppContainerProps } from '../../../lib/constructs/app/protected-app-container';
import { MasterKey } from '../../../lib/constructs/key/master-key';
import { SECRET_VALUE, block, labelsOf, manifestKeys, newApp, strs, synthJson, thrown, zitadelKey, type Block, type TfJson } from '../key-test-utils';

function containers(json: TfJson): Block[] {
  return Object.values(json.resource.docker_container);
}

const isCheck = (c: Block) => labelsOf(c).some((l) => l.label === 'custody:check');

function appContainer(json: TfJson): Block {
  return containers(json).find((c) => !isCheck(c))!;
}


describe('ProtectedAppContainer (Zitadel)', () => {
  it('mounts the key read-only at /run/secrets and passes --masterkeyFile after the command; no env carries the key', () => {
    const b = newApp();
    const app = new ProtectedAppContainer(b.stack, 'Zitadel', { masterKey: zitadelKey(b), ports: [{ internal: 8080, external: 8080 }] });
    expect(app.keyPath).toBe('/run/secrets/masterkey');
    const { json } = synthJson(b); // passes KC001-KC005 at synth
    const c = appContainer(json);
    expect(c.mounts).toEqual([{ type: 'bind', source: '/etc/zitadel/masterkey', target: '/run/secrets/masterkey', read_only: true }]);
    expect(c.command).toEqual(['start-from-init', '--tlsMode', 'external', '--masterkeyFile', '/run/secrets/masterkey']);
    expect(c.env ?? []).toEqual([]);
    expect(JSON.stringify(c)).not.toMatch(/ZITADEL_MASTERKEY|--masterkey[= ]|masterkeyFromEnv/);
    expect(c.labels).toEqual([
      { label: 'custody:key', value: 'zitadel-prod' },
      { label: 'custody:app', value: 'zitadel' },
    ]);
    expect(c.image).toMatch(/^\$\{docker_image\..+\.image_id\}$/);
  });

  it('wires a deploy-time check that fails terraform apply unless the host file is 400 (owned by the image user 1000) in a 700 root directory', () => {
    const b = newApp();
    new ProtectedAppContainer(b.stack, 'Zitadel', { masterKey: zitadelKey(b) });
    const { json } = synthJson(b);
    const check = containers(json).find(isCheck)!;
    const app = appContainer(json);
    expect(app.depends_on).toEqual([expect.stringMatching(/^docker_container\.Zitadel_KeyFileCheck_Container_/)]);
    expect(check).toMatchObject({ attach: true, must_run: false, logs: true, network_mode: 'none' });
    expect(check.mounts).toEqual([{ type: 'bind', source: '/etc/zitadel', target: '/custody/keydir', read_only: true }]);
    const script = strs(check.command);
    expect(script.slice(-2)).toEqual(['key-check', '/custody/keydir/masterkey']);
    expect(script[2]).toContain(`stat -c '%a %u %g'`);
    // The Zitadel image runs as USER zitadel (uid 1000): its key file belongs to 1000:1000 (#20).
    expect(script[2]).toContain('"400 1000 1000"');
    expect(script[2]).toContain('"700 0 0"');
    // The script never reads the file's content, and contains nothing Terraform would interpolate.
    expect(script[2]).not.toMatch(/\bcat\b|\bhead\b|\$\{|%\{/);
    expect(block(check, 'lifecycle').postcondition).toEqual([
      { condition: '${self.exit_code == 0}', error_message: expect.stringContaining('${self.container_logs}') },
    ]);
    expect(manifestKeys(json)[0].hostFile?.deployCheck).toBe(true);
  });

  it('with deployCheck: false the manifest says so, and synth fails with KC005', () => {
    const b = newApp();
    new ProtectedAppContainer(b.stack, 'Zitadel', { masterKey: zitadelKey(b), deployCheck: false });
    expect(() => b.app.synth()).toThrow(/KC005/);
  });

  it('passes a ServOS key by SERVOS_MASTER_KEY_FILE', () => {
    const b = newApp();
    const key = new MasterKey(b.stack, 'Key', { keyId: 'servos-prod', profile: 'servos', hotCopy: { kind: 'host-file', path: '/etc/servos/master.key' } });
    new ProtectedAppContainer(b.stack, 'Servos', { masterKey: key, env: { LOG_LEVEL: 'info' } });
    const { json } = synthJson(b);
    const c = appContainer(json);
    expect(c.env).toEqual(['LOG_LEVEL=info', 'SERVOS_MASTER_KEY_FILE=/run/secrets/servos_master_key']);
    expect(c.command).toEqual([]);
    expect((c.mounts as Block[])[0]).toMatchObject({ source: '/etc/servos/master.key', target: '/run/secrets/servos_master_key', read_only: true });
  });

  it('refuses a cloud hot copy without a host path to mount', () => {
    const b = newApp({ aws: true });
    const key = new MasterKey(b.stack, 'Key', {
      keyId: 'zitadel-prod',
      profile: 'zitadel',
      hotCopy: { kind: 'secrets-manager', readers: ['arn:aws:iam::111111111111:role/zitadel-host'] },
    });
    expect(thrown(() => new ProtectedAppContainer(b.stack, 'Zitadel', { masterKey: key }))).toMatch(
      /\[app-host\/Zitadel\] ProtectedAppContainer: key "zitadel-prod" has a secrets-manager hot copy without hostPath.*give hotCopy\.hostPath/,
    );
  });
});

describe('ProtectedAppContainer refuses key-by-value props at construction', () => {
  const cases: [string, Partial<ProtectedAppContainerProps>, RegExp][] = [
    [
      'ZITADEL_MASTERKEY in env',
      { env: { ZITADEL_MASTERKEY: SECRET_VALUE } },
      /environment variable "ZITADEL_MASTERKEY" would carry the master key itself.*KC001/,
    ],
    [
      '--masterkey <x> in command',
      { command: ['start-from-init', '--masterkey', SECRET_VALUE] },
      /flag "--masterkey" puts the master key on the command line.*KC002/,
    ],
    ['--masterkey=<x> in command', { command: ['start', `--masterkey=${SECRET_VALUE}`] }, /flag "--masterkey=" puts the master key on the command line/],
    [
      '--masterkeyFromEnv in command',
      { command: ['start-from-init', '--masterkeyFromEnv'] },
      /flag "--masterkeyFromEnv" makes the app read the master key from an environment variable/,
    ],
    ['--masterkey inside a shell string', { entrypoint: ['sh', '-c', `zitadel start --masterkey ${SECRET_VALUE}`] }, /flag "--masterkey" puts the master key/],
    ['a generic *_MASTER_KEY variable', { env: { APP_MASTER_KEY: SECRET_VALUE } }, /environment variable "APP_MASTER_KEY"/],
  ];
  for (const [name, patch, pattern] of cases) {
    it(name, () => {
      const b = newApp();
      const msg = thrown(() => new ProtectedAppContainer(b.stack, 'Zitadel', { masterKey: zitadelKey(b), ...patch }));
      expect(msg.startsWith('[app-host/Zitadel] ProtectedAppContainer: invalid props\n✖ ')).toBe(true);
      expect(msg).toMatch(pattern);
      // Why and what to do instead, never the value.
      expect(msg).toContain('mounts the key file read-only at /run/secrets/masterkey and passes it by path (--masterkeyFile /run/secrets/masterkey)');
      expect(msg).toMatch(/\nfix: /);
      expect(msg).not.toContain(SECRET_VALUE);
    });
  }

  it('refuses a --masterkeyFile of its own: the construct adds the flag for the mounted file', () => {
    const b = newApp();
    const msg = thrown(() => new ProtectedAppContainer(b.stack, 'Zitadel', { masterKey: zitadelKey(b), command: ['start', '--masterkeyFile', '/tmp/k'] }));
    expect(msg).toMatch(/flag "--masterkeyFile" is added by ProtectedAppContainer.*remove it \(to change the file name, set secretName\)/);
    expect(msg).toContain('→ at command[1]');
  });

  it('refuses SERVOS_MASTER_KEY for a ServOS key and names SERVOS_MASTER_KEY_FILE as the way', () => {
    const b = newApp();
    const key = new MasterKey(b.stack, 'Key', { keyId: 'servos-prod', profile: 'servos', hotCopy: { kind: 'host-file', path: '/etc/servos/master.key' } });
    const msg = thrown(() => new ProtectedAppContainer(b.stack, 'Servos', { masterKey: key, env: { SERVOS_MASTER_KEY: SECRET_VALUE } }));
    expect(msg).toContain('[app-host/Servos] ProtectedAppContainer');
    expect(msg).toContain('"SERVOS_MASTER_KEY"');
    expect(msg).toContain('SERVOS_MASTER_KEY_FILE=/run/secrets/servos_master_key');
    expect(msg).toContain('→ at env.SERVOS_MASTER_KEY');
    expect(msg).not.toContain(SECRET_VALUE);
  });
});

describe('raw docker_container resources that pass the key by value fail synth (KC001/KC002)', () => {
  const cases: [string, { env?: string[]; command?: string[] }, RegExp][] = [
    ['ZITADEL_MASTERKEY', { env: [`ZITADEL_MASTERKEY=${SECRET_VALUE}`] }, /KC001 docker_container\.raw .*ZITADEL_MASTERKEY=<redacted>/],
    ['--masterkey <x>', { command: ['start-from-init', '--masterkey', SECRET_VALUE] }, /KC002 docker_container\.raw .*--masterkey <redacted>/],
    ['--masterkeyFromEnv', { command: ['start-from-init', '--masterkeyFromEnv'] }, /KC001 docker_container\.raw .*--masterkeyFromEnv/],
  ];
  for (const [name, attrs, pattern] of cases) {
    it(name, () => {
      const b = newApp();
      KeyCustody.enable(b.stack);
      new Container(b.stack, 'raw', { name: 'zitadel', image: 'ghcr.io/zitadel/zitadel:v4.13.0', ...attrs });
      let msg = '';
      try {
        b.app.synth();
      } catch (e) {
        msg = (e as Error).message;
      }
      expect(msg).toMatch(pattern);
      expect(msg).not.toContain(SECRET_VALUE);
    });
  }
});
