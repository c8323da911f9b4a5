import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EphemeralKeyInput } from '../../../lib/constructs/key/ephemeral-key-input';
import { ProtectedAppContainer } from '../../../lib/constructs/app/protected-app-container';
import { MasterKey } from '../../../lib/constructs/key/master-key';
import { REPORT_JSON, REPORT_MD } from '../../../lib/synth/reports';
import { newApp, synthJson, type Built } from '../key-test-utils';

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

const planted: string[] = [];
afterEach(() => {
  for (const v of planted.splice(0)) delete process.env[v];
});

/**
 * A ServOS key in the middle of a rotation, with REAL key values planted where a careless
 * implementation could pick them up: in the host files the generations name, and in the
 * TF_VAR_ variable of an ephemeral input in the same stack.
 */
function servosRotation(b: Built): { key: MasterKey; values: string[]; newPath: string; oldPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kc-rot-keys-'));
  mkdirSync(join(dir, 'servos'), { mode: 0o700 });
  const oldPath = join(dir, 'servos', 'masterkey');
  const newPath = join(dir, 'servos', 'masterkey.g2');
  const oldValue = randomBytes(32).toString('hex');
  const newValue = randomBytes(32).toString('hex');
  writeFileSync(oldPath, oldValue, { mode: 0o400 });
  writeFileSync(newPath, newValue, { mode: 0o400 });
  const input = new EphemeralKeyInput(b.stack, 'NewKey', { variableName: 'servos_new_key' });
  const envValue = randomBytes(32).toString('hex');
  process.env[`TF_VAR_${input.variableName}`] = envValue;
  planted.push(`TF_VAR_${input.variableName}`);
  const key = new MasterKey(b.stack, 'Key', {
    keyId: 'servos-prod',
    profile: 'servos',
    generation: 2,
    state: 'rotating',
    hotCopy: { kind: 'host-file', path: newPath },
    copies: [
      { kind: 'cold', medium: 'nas', location: '/mnt/nas/servos/masterkey.g2.age' },
      { kind: 'offsite', medium: 's3', location: 's3://acme-servos-key-backup/servos-prod/masterkey.g2.age', offsite: true },
    ],
    fingerprint: 'cd'.repeat(32),
    previousGenerations: [
      {
        generation: 1,
        state: 'active',
        hostPath: oldPath,
        copies: [
          { kind: 'cold', medium: 'nas', location: '/mnt/nas/servos/masterkey.g1.age' },
          { kind: 'paper', medium: 'paper', location: 'safe (g1)', offsite: true },
        ],
      },
    ],
    dbRetentionDays: 365,
  });
  new ProtectedAppContainer(b.stack, 'Servos', { masterKey: key, name: 'servos-prod' });
  return { key, values: [oldValue, newValue, envValue], newPath, oldPath };
}

describe('ServOS rotation runbook', () => {
  it('is written next to cdk.tf.json with the real steps, in order, and reads the new key from its file', () => {
    const b = newApp();
    const { newPath, oldPath } = servosRotation(b);
    const { file } = synthJson(b);
    const runbookFile = join(file, '..', 'rotation-runbook-servos-prod.md');
    expect(existsSync(runbookFile)).toBe(true);
    const md = readFileSync(runbookFile, 'utf8');

    expect(md).toMatch(/^# Rotation runbook: key `servos-prod`/);
    expect(md).toContain('**Rotation under way:** generation 2 is rotating; generation 1 is active.');
    const order = [
      '**Full database backup first.**',
      "**Create generation 2's key file**",
      '**Back up generation 2.**',
      '**Declare the rotation.**',
      '**Call the rotation API with the new key read from its file.**',
      '**Switch the mount and restart.**',
      '**Verify the integrity canary.**',
    ].map((s) => md.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    // The API call: POST to the endpoint, body from the new generation's FILE.
    expect(md).toContain('sudo curl --fail-with-body -sS -X POST');
    expect(md).toContain(`--data-binary @${newPath}`);
    expect(md).toContain('http://127.0.0.1:8080/api/v1/system/rotate-master-key');
    // The mount switch and the canary.
    expect(md).toContain(`\`${oldPath}\` mounted read-only at \`/run/secrets/servos_master_key\``);
    expect(md).toContain('`SERVOS_MASTER_KEY_FILE`');
    expect(md).toContain('docker logs servos-prod 2>&1 | grep -F "MASTER KEY INTEGRITY CHECK FAILED"');
    // Which generation restores which backup.
    expect(md).toContain('DB backups taken at any date: generation 1 (active).');
    expect(md).toContain('a backup taken after the rotation API call needs generation 2, one taken before it generation 1');
    expect(md).toMatch(/\| 2 \| rotating \| `[^`]+masterkey\.g2` \|/);
    expect(md).toMatch(/\| 1 \| active \| `[^`]+\/servos\/masterkey` \|/);
  });

  it('contains no key value: neither the runbook nor any other synthesized file', () => {
    const b = newApp({ custody: { reports: true } });
    const { values } = servosRotation(b);
    synthJson(b);
    const files = filesUnder(b.outdir);
    expect(files.some((f) => f.endsWith('rotation-runbook-servos-prod.md'))).toBe(true);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const v of values) expect(text.includes(v), `${f} contains a planted key value`).toBe(false);
    }
    const md = readFileSync(files.find((f) => f.endsWith('rotation-runbook-servos-prod.md'))!, 'utf8');
    // No command line carries a key: no --data with a literal, no key flags or key variables set inline.
    expect(md).not.toMatch(/--data(-raw|-urlencode)? ['"]?[0-9a-f]{16,}/);
    expect(md).not.toMatch(/SERVOS_MASTER_KEY=/);
    expect(md).not.toMatch(/echo [0-9a-f]{16,}/);
  });

  it('the report shows every generation, its state and until when it must be kept', () => {
    const b = newApp({ custody: { reports: true } });
    new MasterKey(b.stack, 'Key', {
      keyId: 'servos-prod',
      profile: 'servos',
      generation: 3,
      hotCopy: { kind: 'host-file', path: '/etc/servos/masterkey.g3' },
      copies: [
        { kind: 'cold', medium: 'nas', location: '/mnt/nas/servos/masterkey.g3.age' },
        { kind: 'paper', medium: 'paper', location: 'safe (g3)', offsite: true },
      ],
      previousGenerations: [
        { generation: 2, state: 'retired', retiredOn: '2025-04-07', copies: [{ kind: 'paper', medium: 'paper', location: 'safe (g2)', offsite: true }] },
        { generation: 1, state: 'retired', retiredOn: '2024-10-07', keepUntil: '2030-01-01' },
      ],
      dbRetentionDays: 365,
    });
    const key = b.stack.node.findChild('Key') as MasterKey;
    new ProtectedAppContainer(b.stack, 'Servos', { masterKey: key });
    const { file } = synthJson(b);
    const md = readFileSync(join(file, '..', REPORT_MD), 'utf8');
    expect(md).toContain('| Generation | State | Retired on | Keep until | Host file | Fingerprint | Offsite backup | Own copies |');
    expect(md).toMatch(/\| 3 \| \*\*active\*\* \| {2}\| while in use \| `\/etc\/servos\/masterkey\.g3` \|/);
    expect(md).toMatch(/\| 2 \| retired \| 2025-04-07 \| 2026-05-07 \|/);
    expect(md).toMatch(/\| 1 \| retired \| 2024-10-07 \| 2030-01-01 \|/);
    const json = JSON.parse(readFileSync(join(file, '..', REPORT_JSON), 'utf8')) as {
      keys: { id: string; generations: { generation: number; state: string; keepUntil: string | null }[] }[];
    };
    expect(json.keys.find((k) => k.id === 'servos-prod')?.generations.map((g) => [g.generation, g.state, g.keepUntil])).toEqual([
      [3, 'active', null],
      [2, 'retired', '2026-05-07'],
      [1, 'retired', '2030-01-01'],
    ]);
  });
});

describe('other profiles\' runbooks', () => {
  it('Zitadel v4: the fresh-instance migration, which the rotation refusal points to', () => {
    const b = newApp();
    const key = new MasterKey(b.stack, 'Key', {
      keyId: 'zitadel-prod',
      profile: 'zitadel',
      hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' },
    });
    new ProtectedAppContainer(b.stack, 'Zitadel', { masterKey: key });
    const md = key.rotationRunbook!.render();
    expect(md).toContain('## No rotation in place: migrate to a fresh instance');
    expect(md).toMatch(/2\. Stand up a parallel fresh Zitadel instance with a NEW master key .* and an EMPTY database\./);
    expect(md).toContain('Swap DNS to the new instance');
    const { file } = synthJson(b);
    expect(readFileSync(join(file, '..', 'rotation-runbook-zitadel-prod.md'), 'utf8')).toBe(md);
  });

  it('Zitadel v5: both keys by path during the switch-over; rotationRunbook: false writes none', () => {
    const b = newApp();
    const key = new MasterKey(b.stack, 'Key', {
      keyId: 'zitadel-prod',
      profile: 'zitadel-v5',
      hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' },
    });
    const md = key.rotationRunbook!.render();
    expect(md).toContain('No rotation under way: generation 1 is active. The steps below rotate it to generation 2.');
    expect(md).toContain('`--masterkeyFile /run/secrets/masterkey` (generation 2, from `/etc/zitadel/masterkey.g2`)');
    expect(md).toContain('`--masterkeyFileOld /run/secrets/masterkey-old` (generation 1, from `/etc/zitadel/masterkey`)');
    expect(md).toContain('openssl rand -base64 32 | head -c 32 > /etc/zitadel/masterkey.g2');

    const quiet = new MasterKey(b.stack, 'Quiet', {
      keyId: 'zitadel-other',
      profile: 'zitadel',
      hotCopy: { kind: 'host-file', path: '/etc/zitadel-other/masterkey' },
      rotationRunbook: false,
    });
    expect(quiet.rotationRunbook).toBeUndefined();
  });
});
