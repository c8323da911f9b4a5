import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { TerraformStack } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { ProtectedAppContainer } from '../../../lib/constructs/app/protected-app-container';
import { MasterKey, type MasterKeyProps } from '../../../lib/constructs/key/master-key';
import { ProtectedAppService } from '../../../lib/constructs/app/protected-app-service';
import { generationForDate, switchOver, type KeyGeneration } from '../../../lib/constructs/key/rotation';
import { buildModel } from '../../../lib/model/build';
import { loadTerraformJson } from '../../../lib/model/load/cdktf-json';
import { SERVOS, ZITADEL, ZITADEL_V5, genericProfile } from '../../../lib/profiles';
import { ALL_RULES } from '../../../lib/rules';
import { runRules } from '../../../lib/rules/engine';
import { rule as kc022 } from '../../../lib/rules/kc022-retention-coupling';
import { rule as kc025 } from '../../../lib/rules/kc025-generation-activation';
import { MOUNT_RULES, block, labelsOf, manifestKeys, newApp, synthJson, thrown, type Block, type Built, type TfJson } from '../key-test-utils';

const G1 = [
  { kind: 'cold', medium: 'nas', location: '/mnt/nas/zitadel/masterkey.g1.age' },
  { kind: 'paper', medium: 'paper', location: 'safe, head office (g1)', offsite: true },
];
const G2 = [
  { kind: 'cold', medium: 'nas', location: '/mnt/nas/zitadel/masterkey.g2.age' },
  { kind: 'paper', medium: 'paper', location: 'safe, head office (g2)', offsite: true },
];

function appContainer(json: TfJson): Block {
  return Object.values(json.resource.docker_container).find((c) => !labelsOf(c).some((l) => l.label === 'custody:check'))!;
}

function rotatingZitadelV5(b: Built, extra: Partial<MasterKeyProps> = {}): MasterKey {
  return new MasterKey(b.stack, 'Key', {
    keyId: 'zitadel-prod',
    profile: 'zitadel-v5',
    app: 'zitadel',
    generation: 2,
    state: 'rotating',
    hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey.g2' },
    copies: G2,
    previousGenerations: [{ generation: 1, state: 'active', hostPath: '/etc/zitadel/masterkey', copies: G1 }],
    ...extra,
  });
}

/** Every rule of the catalogue on what the app wrote. */
function allFindings(b: Built, file: string, json: TfJson) {
  const model = buildModel([loadTerraformJson(b.stack.node.id, json, file)]);
  return runRules(model, ALL_RULES).findings;
}

describe('Zitadel v5 rotation: both keys mounted read-only and passed by path', () => {
  it('a rotating key runs with --masterkeyFile (new) and the old-key file flag (old); no key in env or argv; KC001-KC003 pass', () => {
    const b = newApp();
    const key = rotatingZitadelV5(b);
    const app = new ProtectedAppContainer(b.stack, 'Zitadel', { masterKey: key, image: 'ghcr.io/zitadel/zitadel:v5.0.0' });
    expect(key.isRotating).toBe(true);
    expect(app.keyMounts).toEqual([
      { source: '/etc/zitadel/masterkey.g2', target: '/run/secrets/masterkey', generation: 2 },
      { source: '/etc/zitadel/masterkey', target: '/run/secrets/masterkey-old', generation: 1 },
    ]);
    const { json, file } = synthJson(b); // KC001-KC005 at synth
    const c = appContainer(json);
    expect(c.mounts).toEqual([
      { type: 'bind', source: '/etc/zitadel/masterkey.g2', target: '/run/secrets/masterkey', read_only: true },
      { type: 'bind', source: '/etc/zitadel/masterkey', target: '/run/secrets/masterkey-old', read_only: true },
    ]);
    expect(c.command).toEqual([
      'start-from-init',
      '--tlsMode',
      'external',
      '--masterkeyFile',
      '/run/secrets/masterkey',
      ZITADEL_V5.rotation?.kind === 'old-key-file' ? ZITADEL_V5.rotation.oldKeyFileFlag : 'unreachable',
      '/run/secrets/masterkey-old',
    ]);
    expect(c.env ?? []).toEqual([]);
    // By value never: no key variable, no --masterkey <value>, no --masterkey-old <value>.
    expect(JSON.stringify(c)).not.toMatch(/ZITADEL_MASTERKEY|--masterkey[= ]|--masterkey-old|masterkeyFromEnv/);

    const findings = allFindings(b, file, json).filter((f) => ['KC001', 'KC002', 'KC003'].includes(f.ruleId));
    expect(findings).toEqual([]);

    const [k] = manifestKeys(json);
    expect(k.generations).toEqual([
      { generation: 2, state: 'rotating', hostPath: '/etc/zitadel/masterkey.g2', copies: G2.map((x) => ({ offsite: false, ...x, generation: 2 })) },
      { generation: 1, state: 'active', hostPath: '/etc/zitadel/masterkey', copies: G1.map((x) => ({ offsite: false, ...x, generation: 1 })) },
    ]);
  });

  it('once generation 2 is active and 1 retired, the container mounts only the new key', () => {
    const b = newApp();
    const key = rotatingZitadelV5(b, {
      state: 'active',
      previousGenerations: [{ generation: 1, state: 'retired', retiredOn: '2025-04-07', keepUntil: '2026-06-01', copies: G1 }],
    });
    new ProtectedAppContainer(b.stack, 'Zitadel', { masterKey: key, image: 'ghcr.io/zitadel/zitadel:v5.0.0' });
    const c = appContainer(synthJson(b).json);
    expect(c.mounts).toEqual([{ type: 'bind', source: '/etc/zitadel/masterkey.g2', target: '/run/secrets/masterkey', read_only: true }]);
    expect(c.command).toEqual(['start-from-init', '--tlsMode', 'external', '--masterkeyFile', '/run/secrets/masterkey']);
  });

  it('refuses to start the app on a rotating generation that has no offsite copy yet', () => {
    const b = newApp();
    const key = rotatingZitadelV5(b, { copies: [G2[0]] });
    const msg = thrown(() => new ProtectedAppContainer(b.stack, 'Zitadel', { masterKey: key, image: 'ghcr.io/zitadel/zitadel:v5.0.0' }));
    expect(msg).toMatch(/generation 2 is rotating .* declares no offsite copy yet/);
    expect(msg).toContain('app-host/Zitadel');
  });

  it('needs the active generation\'s host file while rotating', () => {
    const b = newApp();
    const key = rotatingZitadelV5(b, { previousGenerations: [{ generation: 1, state: 'active', copies: G1 }] });
    expect(thrown(() => new ProtectedAppContainer(b.stack, 'Zitadel', { masterKey: key, image: 'z:5' }))).toMatch(
      /generation 1 \(active\) has no host file to mount; give previousGenerations\[\]\.hostPath for generation 1/,
    );
  });

  it('a Swarm service gets both keys by path; with Swarm secrets it needs the old key\'s secret too', () => {
    const b = newApp();
    const key = rotatingZitadelV5(b);
    new ProtectedAppService(b.stack, 'Svc', { masterKey: key, image: 'z:5', placementConstraints: ['node.hostname==idp-1'] });
    expect(
      thrown(() => new ProtectedAppService(b.stack, 'Svc2', { masterKey: key, image: 'z:5', swarmSecret: { secretId: 'abc', secretName: 'zitadel-masterkey-g2' } })),
    ).toMatch(/give oldSwarmSecret/);
    new ProtectedAppService(b.stack, 'Svc3', {
      masterKey: key,
      image: 'z:5',
      name: 'zitadel3',
      swarmSecret: { secretId: 'abc', secretName: 'zitadel-masterkey-g2' },
      oldSwarmSecret: { secretId: 'def', secretName: 'zitadel-masterkey-g1' },
    });
    const { json } = synthJson(b);
    const svcs = Object.values(json.resource.docker_service);
    const byName = (n: string) => svcs.find((x) => x.name === n)!;
    const bind = block(byName('zitadel'), 'task_spec', 'container_spec');
    expect(bind.mounts).toEqual([
      expect.objectContaining({ source: '/etc/zitadel/masterkey.g2', target: '/run/secrets/masterkey', read_only: true }),
      expect.objectContaining({ source: '/etc/zitadel/masterkey', target: '/run/secrets/masterkey-old', read_only: true }),
    ]);
    expect(bind.args).toEqual(expect.arrayContaining(['--masterkeyFile', '/run/secrets/masterkey', '--masterkeyFileOld', '/run/secrets/masterkey-old']));
    const secrets = block(byName('zitadel3'), 'task_spec', 'container_spec').secrets as Block[];
    expect(secrets.map((s) => [s.secret_name, s.file_name, s.file_mode])).toEqual([
      ['zitadel-masterkey-g2', '/run/secrets/masterkey', 256],
      ['zitadel-masterkey-g1', '/run/secrets/masterkey-old', 256],
    ]);
  });
});

describe('Zitadel v4: no rotation in place', () => {
  const steps = [/fresh Zitadel instance with a NEW master key/, /EMPTY database/, /export the users/, /OIDC clients/, /invalidate all sessions/, /swap DNS/];

  it('a rotating generation is refused with the fresh-instance migration path and the runbook', () => {
    const b = newApp();
    const msg = thrown(
      () =>
        new MasterKey(b.stack, 'Key', {
          keyId: 'zitadel-prod',
          profile: 'zitadel',
          generation: 2,
          state: 'rotating',
          hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey.g2' },
          previousGenerations: [{ generation: 1, state: 'active', hostPath: '/etc/zitadel/masterkey' }],
        }),
    );
    expect(msg).toMatch(/cannot rotate its master key in place \(Zitadel v4 has no live rotation\)/);
    expect(msg).toMatch(/migrating to a fresh instance/);
    for (const s of steps) expect(msg).toMatch(s);
    expect(msg).toContain('rotation-runbook-zitadel-prod.md');
    expect(msg).toContain('[app-host/Key]');
  });

  it('a second (retired) generation is refused too', () => {
    const b = newApp();
    expect(
      thrown(
        () =>
          new MasterKey(b.stack, 'Key', {
            keyId: 'zitadel-prod',
            profile: ZITADEL,
            generation: 2,
            hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' },
            previousGenerations: [{ generation: 1, state: 'retired', retiredOn: '2025-01-10' }],
          }),
      ),
    ).toMatch(/migrating to a fresh instance/);
  });

  it('a profile that declares no rotation is refused with what to add', () => {
    const b = newApp({ docker: false });
    expect(
      thrown(
        () =>
          new MasterKey(b.stack, 'Key', {
            keyId: 'myapp',
            profile: genericProfile({ name: 'myapp', fileVariable: 'MYAPP_MASTER_KEY_FILE' }),
            generation: 2,
            state: 'rotating',
            hotCopy: { kind: 'host-file', path: '/etc/myapp/masterkey.g2' },
            previousGenerations: [{ generation: 1, state: 'active', hostPath: '/etc/myapp/masterkey' }],
          }),
      ),
    ).toMatch(/profile "myapp" does not say how the app switches to a new key.*give the profile a rotation/);
  });
});

describe('generation props validation', () => {
  const base: MasterKeyProps = { keyId: 'servos-prod', profile: 'servos', hotCopy: { kind: 'host-file', path: '/etc/servos/masterkey.g3' }, generation: 3 };
  it.each<[string, Partial<MasterKeyProps>, RegExp]>([
    ['rotating without an active previous generation', { state: 'rotating', previousGenerations: [{ generation: 2, state: 'retired', retiredOn: '2025-01-01' }] }, /exactly one previous generation must still be "active"/],
    ['two active generations', { previousGenerations: [{ generation: 2, state: 'active', hostPath: '/etc/servos/masterkey.g2' }] }, /generation 3 is active, so generation 2 cannot be active too/],
    ['a retired generation without retiredOn', { previousGenerations: [{ generation: 2, state: 'retired' }] }, /generation 2 is retired but gives no retiredOn/],
    ['a previous generation newer than the key', { previousGenerations: [{ generation: 4, state: 'retired', retiredOn: '2025-01-01' }] }, /generation 4 is not older than the key's generation 3/],
    ['a bad date', { previousGenerations: [{ generation: 2, state: 'retired', retiredOn: '2025-13-01' }] }, /"2025-13-01" is not a date; write it as YYYY-MM-DD/],
    ['keepUntil before retiredOn', { previousGenerations: [{ generation: 2, state: 'retired', retiredOn: '2025-05-01', keepUntil: '2025-04-01' }] }, /keepUntil "2025-04-01" is before retiredOn "2025-05-01"/],
    [
      'two generations in one file',
      { state: 'rotating', previousGenerations: [{ generation: 2, state: 'active', hostPath: '/etc/servos/masterkey.g3' }] },
      /generations 3 and 2 both name the host file "\/etc\/servos\/masterkey.g3"/,
    ],
    [
      'retirement dates out of order',
      {
        previousGenerations: [
          { generation: 2, state: 'retired', retiredOn: '2025-01-01' },
          { generation: 1, state: 'retired', retiredOn: '2025-03-01' },
        ],
      },
      /generation 2 was retired on 2025-01-01, before the older generation 1 \(2025-03-01\)/,
    ],
  ])('refuses %s', (_name, extra, re) => {
    const b = newApp();
    const msg = thrown(() => new MasterKey(b.stack, 'Key', { ...base, ...extra }));
    expect(msg).toMatch(re);
    expect(msg).toContain('app-host/Key');
  });
});

describe('ServOS/ACT: the container switches only when the new generation is marked active', () => {
  function servos(b: Built, state: 'active' | 'rotating'): MasterKey {
    return new MasterKey(b.stack, 'Key', {
      keyId: 'servos-prod',
      profile: 'servos',
      generation: 2,
      state,
      hotCopy: { kind: 'host-file', path: '/etc/servos/masterkey.g2' },
      copies: G2,
      previousGenerations: [
        state === 'rotating'
          ? { generation: 1, state: 'active', hostPath: '/etc/servos/masterkey', copies: G1 }
          : { generation: 1, state: 'retired', retiredOn: '2025-04-07', hostPath: '/etc/servos/masterkey', copies: G1 },
      ],
      dbRetentionDays: 365,
    });
  }

  it('rotating: still the active generation\'s file, by SERVOS_MASTER_KEY_FILE', () => {
    const b = newApp();
    new ProtectedAppContainer(b.stack, 'Servos', { masterKey: servos(b, 'rotating') });
    const c = appContainer(synthJson(b).json);
    expect(c.mounts).toEqual([{ type: 'bind', source: '/etc/servos/masterkey', target: '/run/secrets/servos_master_key', read_only: true }]);
    expect(c.env).toEqual(['SERVOS_MASTER_KEY_FILE=/run/secrets/servos_master_key']);
  });

  it('active: the new generation\'s file; the retired one\'s keepUntil derives from dbRetentionDays', () => {
    const b = newApp();
    const key = servos(b, 'active');
    new ProtectedAppContainer(b.stack, 'Servos', { masterKey: key });
    const { json } = synthJson(b);
    const c = appContainer(json);
    expect(c.mounts).toEqual([{ type: 'bind', source: '/etc/servos/masterkey.g2', target: '/run/secrets/servos_master_key', read_only: true }]);
    expect(c.env).toEqual(['SERVOS_MASTER_KEY_FILE=/run/secrets/servos_master_key']);
    const g1 = manifestKeys(json)[0].generations?.find((g) => g.generation === 1);
    // 2025-04-07 + 365 days DB retention + 30 days margin.
    expect(g1).toMatchObject({ state: 'retired', retiredOn: '2025-04-07', keepUntil: '2026-05-07' });
    expect(manifestKeys(json)[0].dbRetentionDays).toBe(365);
  });
});

describe('preconditions: KC025 and KC022 at synth', () => {
  const rules = [...MOUNT_RULES, kc022, kc025];

  function servosActive(b: Built, extra: Partial<MasterKeyProps>): MasterKey {
    const key = new MasterKey(b.stack, 'Key', {
      keyId: 'servos-prod',
      profile: 'servos',
      generation: 2,
      hotCopy: { kind: 'host-file', path: '/etc/servos/masterkey.g2' },
      copies: [{ kind: 'cold', medium: 'nas', location: '/mnt/nas/servos/masterkey.g2.age' }],
      previousGenerations: [{ generation: 1, state: 'retired', retiredOn: '2025-01-10', copies: G1 }],
      ...extra,
    });
    new ProtectedAppContainer(b.stack, 'Servos', { masterKey: key });
    return key;
  }

  it('a generation marked active without its offsite copy fails synth with KC025', () => {
    const b = newApp({ custody: { rules } });
    servosActive(b, {});
    expect(() => b.app.synth()).toThrow(/KC025[^\n]*key servos-prod generation 2 is active but its own copies are 2 copies on 2 media \(host-file, nas\), 0 offsite[^\n]*an offsite copy/);
  });

  it('passes once its offsite backup is verified in the key-backup bucket, with a plan-time check that reads no object body', () => {
    const b = newApp({ custody: { rules }, aws: true });
    const key = servosActive(b, { offsiteBackup: { verify: { bucket: 'acme-servos-key-backup', key: 'servos-prod/masterkey.g2.age' } } });
    const { json } = synthJson(b);
    const data = (json as unknown as { data: Record<string, Record<string, Block>> }).data.aws_s3_objects;
    const [name, listing] = Object.entries(data)[0];
    expect(listing).toMatchObject({ bucket: 'acme-servos-key-backup', prefix: 'servos-prod/masterkey.g2.age' });
    expect(listing.lifecycle).toEqual({
      postcondition: [
        {
          condition: '${contains(self.keys, "servos-prod/masterkey.g2.age")}',
          error_message: expect.stringMatching(/offsite backup of key servos-prod generation 2 \(s3:\/\/acme-servos-key-backup\/servos-prod\/masterkey\.g2\.age\) does not exist/),
        },
      ],
    });
    expect(key.offsiteChecks.get(2)).toBeDefined();
    expect(manifestKeys(json)[0].generations?.[0].offsiteObject).toBe(`data.aws_s3_objects.${name}`);
  });

  it('an aws_s3_object of the same stack counts as the offsite backup; one in another stack is refused', () => {
    const b = newApp({ custody: { rules }, aws: true });
    const obj = new S3Object(b.stack, 'BackupG2', { bucket: 'acme-servos-key-backup', key: 'servos-prod/masterkey.g2.age', source: '/mnt/nas/servos/masterkey.g2.age' });
    servosActive(b, { offsiteBackup: { object: obj } });
    const { json } = synthJson(b);
    expect(manifestKeys(json)[0].generations?.[0].offsiteObject).toMatch(/^aws_s3_object\.BackupG2/);

    const other = newApp({ aws: true });
    const keys = new TerraformStack(other.app, 'key-custody');
    new AwsProvider(keys, 'aws', { region: 'eu-central-1' });
    const far = new S3Object(keys, 'BackupG2', { bucket: 'b', key: 'k', source: '/x' });
    expect(thrown(() => servosActive(other, { offsiteBackup: { object: far } }))).toMatch(/is in another stack; KC025 looks for it in the key's own stack/);
  });

  it('retiring a generation whose DB backups are still retained, with its backups set to expire earlier, fails with KC022 naming the dates', () => {
    const b = newApp({ custody: { rules }, aws: true });
    servosActive(b, {
      copies: G2,
      dbRetentionDays: 365,
      previousGenerations: [{ generation: 1, state: 'retired', retiredOn: '2025-01-10', keepUntil: '2025-06-01', copies: G1 }],
    });
    expect(() => b.app.synth()).toThrow(
      /KC022[^\n]*key servos-prod generation 1 \(retired\) is kept until 2025-06-01, but it was retired on 2025-01-10 [^\n]*365 days[^\n]*must be kept until at least 2026-02-09/,
    );
  });

  it('passes KC022 and KC025 when the keepUntil is derived and the new generation is backed up', () => {
    const b = newApp({ custody: { rules } });
    servosActive(b, {
      copies: G2,
      dbRetentionDays: 365,
      previousGenerations: [{ generation: 1, state: 'retired', retiredOn: '2025-01-10', copies: G1 }],
    });
    expect(() => synthJson(b)).not.toThrow();
  });
});

describe('generationFor: which generation restores a DB backup', () => {
  const gens: KeyGeneration[] = [
    { generation: 3, state: 'active', hostPath: '/etc/servos/masterkey.g3', copies: [] },
    { generation: 2, state: 'retired', retiredOn: '2025-04-07', copies: [] },
    { generation: 1, state: 'retired', retiredOn: '2024-10-07', copies: [] },
  ];
  it.each([
    ['2024-09-30', 1],
    ['2024-10-07', 1],
    ['2024-10-08', 2],
    ['2025-04-07', 2],
    ['2025-04-08', 3],
  ])('a backup of %s needs generation %i', (date, gen) => {
    expect(generationForDate(gens, date).generation).toBe(gen);
  });

  it('on MasterKey, with a Date, and a clear error for a bad date', () => {
    const b = newApp();
    const key = new MasterKey(b.stack, 'Key', {
      keyId: 'servos-prod',
      profile: SERVOS,
      generation: 2,
      hotCopy: { kind: 'host-file', path: '/etc/servos/masterkey.g2' },
      previousGenerations: [{ generation: 1, state: 'retired', retiredOn: '2025-04-07' }],
    });
    expect(key.generationFor(new Date('2025-03-01T00:00:00Z')).generation).toBe(1);
    expect(key.generationFor('2025-05-01')).toMatchObject({ generation: 2, state: 'active' });
    expect(key.activeGeneration.generation).toBe(2);
    expect(key.generations.map((g) => g.generation)).toEqual([2, 1]);
    expect(() => key.generationFor('yesterday')).toThrow(/"yesterday" is not a YYYY-MM-DD date/);
  });

  it('switchOver keeps the single-generation mount for profiles without old-key support', () => {
    const so = switchOver(SERVOS, [
      { generation: 2, state: 'rotating', hostPath: '/k2', copies: [] },
      { generation: 1, state: 'active', hostPath: '/k1', copies: [] },
    ], (g) => g.hostPath as string);
    expect(so.mounts).toEqual([{ source: '/k1', target: '/run/secrets/servos_master_key', generation: 1 }]);
  });
});
