/**
 * keygen --hot-secret / --hot-parameter (#20): the value goes into the store Terraform created
 * without one, written with the SDK (here a recording client in place of AWS); a store that
 * holds a key already is refused unless --force, and a failed write leaves no copy behind.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendClient } from '../../lib/ceremony/aws-hot';
import { keygen } from '../../lib/ceremony/keygen';
import { fingerprintMatches } from '../../lib/policy/fingerprint';
import { SERVOS, ZITADEL } from '../../lib/profiles';

const hasAge = spawnSync('age', ['--version']).status === 0;
let dir: string;
let identity: string;
let recipient: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keygen-aws-'));
  if (!hasAge) return;
  identity = join(dir, 'id.txt');
  execFileSync('age-keygen', ['-o', identity], { stdio: 'ignore' });
  recipient = execFileSync('age-keygen', ['-y', identity]).toString().trim();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Sent = { name: string; input: Record<string, unknown> };

function fake(answers: Record<string, unknown | Error>): { client: SendClient; sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    client: {
      async send(c) {
        const name = c.constructor.name;
        sent.push({ name, input: c.input });
        const a = answers[name];
        if (a instanceof Error) throw a;
        return a ?? {};
      },
    },
  };
}

function awsError(name: string): Error {
  const e = new Error(`${name} happened`);
  e.name = name;
  return e;
}

describe.skipIf(!hasAge)('keygen hot copy in AWS', () => {
  it('writes the value of an empty secret, which the cold copy matches byte for byte', async () => {
    const sm = fake({ DescribeSecretCommand: { VersionIdsToStages: {} } });
    const cold = join(dir, 'sm', 'key.age');
    const r = await keygen({ profile: ZITADEL, keyId: 'zitadel-prod', hotAws: { kind: 'secrets-manager', id: 'zitadel-prod-abc' }, cold: [{ path: cold }], recipients: [recipient], aws: { clients: { secretsManager: sm.client } } });
    expect(sm.sent.map((s) => s.name)).toEqual(['DescribeSecretCommand', 'PutSecretValueCommand']);
    const value = sm.sent[1].input.SecretString as string;
    expect(value).toMatch(/^[A-Za-z0-9+/]{32}$/);
    expect(execFileSync('age', ['-d', '-i', identity, cold]).toString('latin1')).toBe(value);
    expect(r.copies.map((c) => [c.kind, c.medium, c.location])).toEqual([
      ['hot', 'secrets-manager', 'zitadel-prod-abc'],
      ['cold', 'disk', cold],
    ]);
    expect(fingerprintMatches(Buffer.from(value), r.fingerprint)).toBe(true);
    expect(JSON.stringify(r)).not.toContain(value);
  });

  it('refuses a secret that holds a key unless --force, before any key exists', async () => {
    const answers = { DescribeSecretCommand: { VersionIdsToStages: { v1: ['AWSCURRENT'] } } };
    const sm = fake(answers);
    const cold = join(dir, 'sm2', 'key.age');
    await expect(keygen({ profile: ZITADEL, keyId: 'z', hotAws: { kind: 'secrets-manager', id: 's' }, cold: [{ path: cold }], recipients: [recipient], aws: { clients: { secretsManager: sm.client } } })).rejects.toThrow(
      'secret s already holds a key (it has an AWSCURRENT version); refusing to replace the key the app runs with: pass --force to write a new one',
    );
    expect(sm.sent.map((s) => s.name)).toEqual(['DescribeSecretCommand']);
    expect(existsSync(cold)).toBe(false);
    const forced = fake(answers);
    await keygen({ profile: ZITADEL, keyId: 'z', hotAws: { kind: 'secrets-manager', id: 's' }, force: true, aws: { clients: { secretsManager: forced.client } } });
    expect(forced.sent.map((s) => s.name)).toEqual(['DescribeSecretCommand', 'PutSecretValueCommand']);
  });

  it('writes an SSM parameter Terraform created (version 1) with its own KMS key, and refuses one written since', async () => {
    const desc = (version: number) => ({ DescribeParametersCommand: { Parameters: [{ Name: '/servos/masterkey', Type: 'SecureString', KeyId: 'arn:aws:kms:eu-central-1:123456789012:key/abc', Version: version }] } });
    const ssm = fake(desc(1));
    await keygen({ profile: SERVOS, keyId: 'servos-prod', hotAws: { kind: 'ssm', name: '/servos/masterkey' }, aws: { clients: { ssm: ssm.client } } });
    expect(ssm.sent[1]).toEqual({
      name: 'PutParameterCommand',
      input: { Name: '/servos/masterkey', Value: expect.stringMatching(/^[0-9a-f]{64}$/), Type: 'SecureString', KeyId: 'arn:aws:kms:eu-central-1:123456789012:key/abc', Overwrite: true },
    });
    await expect(keygen({ profile: SERVOS, keyId: 'servos-prod', hotAws: { kind: 'ssm', name: '/servos/masterkey' }, aws: { clients: { ssm: fake(desc(2)).client } } })).rejects.toThrow(
      'parameter /servos/masterkey has been written since it was created (version 2), so it holds a key; refusing to replace the key the app runs with: pass --force to write a new one',
    );
    await expect(keygen({ profile: SERVOS, keyId: 'servos-prod', hotAws: { kind: 'ssm', name: '/nope' }, aws: { clients: { ssm: fake({ DescribeParametersCommand: { Parameters: [] } }).client } } })).rejects.toThrow(
      'parameter /nope does not exist; apply the key-store stack first',
    );
  });

  it('a failed write is one line and removes the copies made for it', async () => {
    const sm = fake({ DescribeSecretCommand: {}, PutSecretValueCommand: awsError('AccessDeniedException') });
    const base = join(dir, 'denied');
    await expect(
      keygen({ profile: ZITADEL, keyId: 'z', hotAws: { kind: 'secrets-manager', id: 's' }, cold: [{ path: join(base, 'k.age') }], paper: join(base, 'p.html'), recipients: [recipient], aws: { clients: { secretsManager: sm.client } } }),
    ).rejects.toThrow("cannot write the hot copy to secret s: access denied; run with a key admin's credentials");
    expect(readdirSync(base)).toEqual([]);
  });
});
