/**
 * Who can read the host key file (#20). The Zitadel image runs as `USER zitadel` (uid 1000,
 * apps/api/Dockerfile; the Helm chart's runAsUser 1000), so a `0400 root:root` key is
 * unreadable to it: the Zitadel key file belongs to 1000:1000 and the app runs as 1000:1000
 * explicitly. ServOS/ACT key files may be 0600, as their runbooks ask. `configFiles` mounts
 * the app's configuration read-only, never the key.
 */
import { describe, expect, it } from 'vitest';
import { ProtectedAppContainer } from '../../../lib/constructs/app/protected-app-container';
import { ProtectedAppService } from '../../../lib/constructs/app/protected-app-service';
import { MasterKey } from '../../../lib/constructs/key/master-key';
import { block, labelsOf, manifestKeys, newApp, only, strs, synthJson, thrown, type Block, type Built, type TfJson } from '../key-test-utils';

const COPIES = [
  { kind: 'cold' as const, medium: 'nas', location: '/mnt/nas/k.age' },
  { kind: 'paper' as const, medium: 'paper', location: 'safe', offsite: true },
];

function key(b: Built, hot: Record<string, unknown> = {}, profile = 'zitadel'): MasterKey {
  return new MasterKey(b.stack, 'Key', {
    keyId: `${profile}-prod`,
    profile,
    hotCopy: { kind: 'host-file', path: `/etc/${profile}/masterkey`, ...hot } as never,
    copies: COPIES,
  });
}

function containers(json: TfJson): Block[] {
  return Object.values(json.resource.docker_container ?? {});
}
const app = (json: TfJson) => containers(json).find((c) => !labelsOf(c).some((l) => l.label === 'custody:check')) as Block;
const checkScript = (json: TfJson) => strs((containers(json).find((c) => labelsOf(c).some((l) => l.label === 'custody:check')) as Block).command)[2];

describe('the Zitadel key file belongs to the image user, and the app runs as it', () => {
  it('by default: 0400 1000:1000, user "1000:1000", the check wants 400 1000 1000, the manifest records the app user, KC005 passes', () => {
    const b = newApp();
    const k = key(b);
    expect(k.keyFileOwner).toEqual({ uid: 1000, gid: 1000 });
    new ProtectedAppContainer(b.stack, 'Zitadel', { masterKey: k });
    const { json } = synthJson(b); // the synth-time check (KC001-KC005) passes, or synth throws
    expect(app(json).user).toBe('1000:1000');
    expect(checkScript(json)).toContain('[ "$fs" != "400 1000 1000" ]');
    expect(checkScript(json)).toContain('[ "$ds" != "700 0 0" ]');
    const hf = manifestKeys(json)[0].hostFile;
    expect(hf).toMatchObject({ mode: '0400', owner: '1000', group: '1000', dirMode: '0700', deployCheck: true, appUser: '1000:1000' });
    expect(hf?.modes).toBeUndefined();
    const error = (block(containers(json).find((c) => labelsOf(c).some((l) => l.label === 'custody:check')) as Block, 'lifecycle').postcondition as { error_message: string }[])[0].error_message;
    expect(error).toContain('chown 1000:1000 /etc/zitadel/masterkey && chown root:root /etc/zitadel && chmod 0400 /etc/zitadel/masterkey && chmod 0700 /etc/zitadel');
  });

  it('user "0" (root) and the owner uid are accepted; another user is refused', () => {
    for (const user of ['0', 'root', '0:0', '1000', '1000:1000', 'zitadel']) {
      const b = newApp();
      new ProtectedAppContainer(b.stack, 'Zitadel', { masterKey: key(b), user });
      expect(app(synthJson(b).json).user, user).toBe(user);
    }
    const b = newApp();
    expect(thrown(() => new ProtectedAppContainer(b.stack, 'Zitadel', { masterKey: key(b), user: '2000:2000' }))).toBe(
      '[app-host/Zitadel] ProtectedAppContainer: user "2000:2000" cannot read the key file /etc/zitadel/masterkey: it is mode 0400, owned by 1000:1000, so only uid 1000 (or root) can read it.\n' +
        'fix: leave user out (the construct runs the app as 1000:1000), set user to "1000:1000", or give the MasterKey\'s hotCopy owner and group the numeric uid and gid the app runs as',
    );
  });

  it('a root-owned Zitadel key file is refused unless the app runs as root', () => {
    const b = newApp();
    expect(thrown(() => new ProtectedAppContainer(b.stack, 'Zitadel', { masterKey: key(b, { owner: 'root', group: 'root' }) }))).toBe(
      '[app-host/Zitadel] ProtectedAppContainer: the zitadel image runs as USER zitadel (uid 1000), which cannot read the key file /etc/zitadel/masterkey (mode 0400, owned by root).\n' +
        'fix: leave hotCopy owner and group out (the key file then belongs to 1000:1000 and the app runs as it), or run the app as root with user: "0:0"',
    );
    const ok = newApp();
    new ProtectedAppContainer(ok.stack, 'Zitadel', { masterKey: key(ok, { owner: 'root', group: 'root' }), user: '0:0' });
    const { json } = synthJson(ok);
    expect(app(json).user).toBe('0:0');
    expect(checkScript(json)).toContain('[ "$fs" != "400 0 0" ]');
    expect(manifestKeys(json)[0].hostFile).toMatchObject({ owner: 'root', group: 'root' });
    expect(manifestKeys(json)[0].hostFile?.appUser).toBeUndefined();
  });

  it('another numeric owner: the app runs as it and the check wants it', () => {
    const b = newApp();
    new ProtectedAppContainer(b.stack, 'Zitadel', { masterKey: key(b, { owner: 10001, group: 10001 }) });
    const { json } = synthJson(b);
    expect(app(json).user).toBe('10001:10001');
    expect(checkScript(json)).toContain('"400 10001 10001"');
    expect(manifestKeys(json)[0].hostFile).toMatchObject({ owner: '10001', group: '10001', appUser: '10001:10001' });
  });

  it('owner and group take "root" or a number, nothing else', () => {
    for (const owner of ['zitadel', -1, 1.5, '1000']) {
      const b = newApp();
      expect(thrown(() => key(b, { owner })), String(owner)).toContain('is not allowed: give "root" or the numeric uid the app runs as');
    }
  });

  it('a Swarm service runs as the owner, and its Swarm secret file belongs to it', () => {
    const b = newApp();
    new ProtectedAppService(b.stack, 'Zitadel', { masterKey: key(b), swarmSecret: { secretId: 's1', secretName: 'zitadel_masterkey' } });
    const { json } = synthJson(b);
    const spec = block(only(json, 'docker_service'), 'task_spec', 'container_spec');
    expect(spec.user).toBe('1000:1000');
    expect(spec.secrets).toEqual([{ secret_id: 's1', secret_name: 'zitadel_masterkey', file_name: '/run/secrets/masterkey', file_uid: '1000', file_gid: '1000', file_mode: 256 }]);
  });

  it('servos and act keep root and the image user: no user is set', () => {
    const b = newApp();
    new ProtectedAppContainer(b.stack, 'Servos', { masterKey: key(b, {}, 'servos') });
    const { json } = synthJson(b);
    expect(app(json).user).toBeUndefined();
    expect(checkScript(json)).toContain('"400 0 0"');
  });
});

describe('ServOS/ACT host key files may be 0600, as their runbooks ask', () => {
  it('mode "0600" is declared in the manifest with the modes the runbook allows, and KC005 passes', () => {
    for (const profile of ['servos', 'act']) {
      const b = newApp();
      const k = key(b, { mode: '0600' }, profile);
      expect(k.keyFileMode).toBe('0600');
      new ProtectedAppContainer(b.stack, 'App', { masterKey: k });
      const { json } = synthJson(b);
      expect(manifestKeys(json)[0].hostFile).toMatchObject({ mode: '0600', owner: 'root', group: 'root', modes: ['0400', '0600'] });
      expect(checkScript(json)).toContain('[ "$fs" != "400 0 0" ] && [ "$fs" != "600 0 0" ]');
      const error = (block(containers(json).find((c) => labelsOf(c).some((l) => l.label === 'custody:check')) as Block, 'lifecycle').postcondition as { error_message: string }[])[0].error_message;
      expect(error).toContain(`chmod 0600 /etc/${profile}/masterkey`);
    }
  });

  it('Zitadel refuses 0600, and no profile takes a mode that is not owner-only', () => {
    expect(thrown(() => key(newApp(), { mode: '0600' }))).toBe(
      '[app-host/Key] MasterKey: hotCopy.mode "0600" is not allowed for the zitadel key file: its runbook asks for 0400.\nfix: set hotCopy.mode to "0400", or leave it out ("0400")',
    );
    expect(thrown(() => key(newApp(), { mode: '0640' }, 'servos'))).toContain('"0640" is not allowed: the key file must be readable by its owner only');
  });
});

describe('configFiles: the app configuration, mounted read-only; never the key', () => {
  it('mounts each file read-only after the key', () => {
    const b = newApp();
    new ProtectedAppContainer(b.stack, 'Zitadel', {
      masterKey: key(b),
      command: ['start-from-init', '--config', '/etc/zitadel/config.yaml', '--tlsMode', 'external'],
      configFiles: [{ source: '/etc/zitadel/config.yaml', target: '/etc/zitadel/config.yaml' }],
    });
    const c = app(synthJson(b).json);
    expect(c.mounts).toEqual([
      { type: 'bind', source: '/etc/zitadel/masterkey', target: '/run/secrets/masterkey', read_only: true },
      { type: 'bind', source: '/etc/zitadel/config.yaml', target: '/etc/zitadel/config.yaml', read_only: true },
    ]);
    expect(strs(c.command)).toEqual(['start-from-init', '--config', '/etc/zitadel/config.yaml', '--tlsMode', 'external', '--masterkeyFile', '/run/secrets/masterkey']);
  });

  it('refuses the key file, its directory, and targets at, above or inside the key mount', () => {
    const cases: [string, string, string][] = [
      ['/etc/zitadel/masterkey', '/etc/k', 'is the key file itself'],
      ['/etc/zitadel', '/etc/z', 'is a directory that holds the key file /etc/zitadel/masterkey'],
      ['/etc/other/x.yaml', '/run/secrets/masterkey', "would cover the key's mount at /run/secrets/masterkey in the container"],
      ['/etc/other/x.yaml', '/run/secrets', "would cover the key's mount at /run/secrets/masterkey in the container"],
      ['/etc/other/x.yaml', '/run/secrets/masterkey/x', "would cover the key's mount at /run/secrets/masterkey in the container"],
    ];
    for (const [source, target, why] of cases) {
      const b = newApp();
      expect(thrown(() => new ProtectedAppContainer(b.stack, 'Zitadel', { masterKey: key(b), configFiles: [{ source, target }] })), `${source} ${target}`).toBe(
        `[app-host/Zitadel] ProtectedAppContainer: configFiles entry "${source}" -> "${target}" ${why}.\nfix: mount only files that are not the key, outside its directory and outside its path in the container`,
      );
    }
    const b = newApp();
    expect(thrown(() => new ProtectedAppContainer(b.stack, 'Z', { masterKey: key(b), configFiles: [{ source: 'config.yaml', target: '/c' }] }))).toContain(
      'must be an absolute path naming a file',
    );
  });
});
