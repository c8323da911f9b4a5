import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { describe, expect, it } from 'vitest';
import { KeyFileCheck } from '../../../lib/constructs/app/key-file-check';
import { EphemeralKeyInput } from '../../../lib/constructs/key/ephemeral-key-input';
import { MasterKey, type MasterKeyProps } from '../../../lib/constructs/key/master-key';
import { genericProfile } from '../../../lib/profiles';
import { manifestKeys, newApp, only, synthJson, thrown, type PolicyDoc } from '../key-test-utils';

const READER = 'arn:aws:iam::111111111111:role/zitadel-host';
const COPIES: MasterKeyProps['copies'] = [
  { kind: 'cold', medium: 'nas', location: '/mnt/nas/zitadel/masterkey.age' },
  { kind: 'paper', medium: 'paper', location: 'safe, head office', offsite: true, custodian: 'ops lead' },
];

describe('MasterKey: host-file hot copy', () => {
  it('declares the host file, its copies, generation and fingerprint in the manifest, and creates no resource for the file', () => {
    const b = newApp();
    const key = new MasterKey(b.stack, 'Key', {
      keyId: 'zitadel-prod',
      profile: 'zitadel',
      hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' },
      copies: COPIES,
      generation: 2,
      fingerprint: 'AB'.repeat(32),
    });
    new KeyFileCheck(b.stack, 'Check', { masterKey: key });
    expect(key.hotCopyPath).toBe('/etc/zitadel/masterkey');
    const { json } = synthJson(b);
    const [k] = manifestKeys(json);
    expect(k).toMatchObject({
      id: 'zitadel-prod',
      app: 'zitadel',
      profile: 'zitadel',
      fingerprint: 'ab'.repeat(32),
      hostPath: '/etc/zitadel/masterkey',
      // Owned by 1000:1000, the user the Zitadel image runs as (#20).
      hostFile: { path: '/etc/zitadel/masterkey', mode: '0400', owner: '1000', group: '1000', dirMode: '0700', deployCheck: true, appUser: '1000:1000' },
    });
    expect(k.copies).toEqual([
      { kind: 'hot', medium: 'host-file', location: '/etc/zitadel/masterkey', offsite: false, generation: 2 },
      { kind: 'cold', medium: 'nas', location: '/mnt/nas/zitadel/masterkey.age', offsite: false, generation: 2 },
      { kind: 'paper', medium: 'paper', location: 'safe, head office', offsite: true, custodian: 'ops lead', generation: 2 },
    ]);
    // Declared, never created: no local_file / upload / aws resource for the key.
    expect(Object.keys(json.resource).sort()).toEqual(['docker_container', 'docker_image', 'terraform_data']);
  });

  it('without a deploy-time check the manifest says so and synth fails with KC005', () => {
    const b = newApp();
    new MasterKey(b.stack, 'Key', {
      keyId: 'zitadel-prod',
      profile: 'zitadel',
      hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' },
      copies: COPIES,
    });
    expect(() => b.app.synth()).toThrow(/KC005[^\n]*no deploy-time check/);
  });

  it('accepts a generic profile object', () => {
    const b = newApp({ docker: false });
    const profile = genericProfile({ name: 'myapp', fileVariable: 'MYAPP_MASTER_KEY_FILE' });
    const key = new MasterKey(b.stack, 'Key', {
      keyId: 'myapp',
      profile,
      hotCopy: { kind: 'secrets-manager', readers: [READER] },
    });
    expect(key.profile.name).toBe('myapp');
    expect(key.app).toBe('myapp');
  });
});

describe('MasterKey: Secrets Manager hot copy', () => {
  it('creates the secret with its own rotating KMS key, a readers-only policy and custody tags; no value without an input', () => {
    const b = newApp({ aws: true, docker: false });
    const key = new MasterKey(b.stack, 'Key', {
      keyId: 'zitadel-prod',
      profile: 'zitadel',
      hotCopy: { kind: 'secrets-manager', name: 'zitadel/masterkey', readers: [READER] },
      copies: COPIES,
    });
    key.grantRead('arn:aws:iam::111111111111:role/drill-runner');
    expect(key.putValueCommand).toContain('aws secretsmanager put-secret-value --secret-id zitadel/masterkey --secret-string file://');
    const { json } = synthJson(b);
    const tags = { 'custody:role': 'key-store', 'custody:key': 'zitadel-prod', 'custody:app': 'zitadel' };
    const kms = only(json, 'aws_kms_key');
    expect(kms.enable_key_rotation).toBe(true);
    expect(kms.tags).toEqual(tags);
    const kmsPolicy = JSON.parse(kms.policy as string) as PolicyDoc;
    const decrypt = kmsPolicy.Statement.find((s) => s.Sid === 'ReadersDecryptThroughStore')!;
    expect(decrypt.Principal).toHaveProperty('AWS');
    expect((decrypt.Principal as { AWS: string[] }).AWS).toEqual([READER, 'arn:aws:iam::111111111111:role/drill-runner']);
    const admin = kmsPolicy.Statement.find((s) => s.Sid === 'KeyAdministration')!;
    expect((admin.Principal as { AWS: string[] }).AWS).toEqual(['arn:aws:iam::111111111111:root']);
    expect(admin.Action).not.toContain('kms:Decrypt');

    const secret = only(json, 'aws_secretsmanager_secret');
    expect(secret.name).toBe('zitadel/masterkey');
    expect(secret.kms_key_id).toMatch(/^\$\{aws_kms_key\.[^.]+\.arn\}$/);
    expect(secret.tags).toEqual(tags);

    const policy = JSON.parse(only(json, 'aws_secretsmanager_secret_policy').policy as string) as PolicyDoc;
    const deny = policy.Statement.find((s) => s.Effect === 'Deny')!;
    expect(deny).toMatchObject({ Principal: '*', Action: 'secretsmanager:GetSecretValue' });
    expect(deny.Condition?.ArnNotLike['aws:PrincipalArn']).toEqual([READER, 'arn:aws:iam::111111111111:role/drill-runner']);
    expect(json.resource.aws_secretsmanager_secret_version).toBeUndefined();

    // The store is a copy the model counts; the manifest carries only the declared ones.
    const [k] = manifestKeys(json);
    expect(k.hostFile).toBeUndefined();
    expect(k.copies.map((c) => c.kind)).toEqual(['cold', 'paper']);
  });

  it('writes a value only through secret_string_wo from an ephemeral variable', () => {
    const b = newApp({ aws: true, docker: false });
    const input = new EphemeralKeyInput(b.stack, 'zitadel_masterkey');
    new MasterKey(b.stack, 'Key', {
      keyId: 'zitadel-prod',
      profile: 'zitadel',
      generation: 3,
      hotCopy: { kind: 'secrets-manager', readers: [READER], value: input },
    });
    const { json } = synthJson(b);
    expect(json.variable?.zitadel_masterkey).toMatchObject({ ephemeral: true, sensitive: true, type: 'string' });
    const version = only(json, 'aws_secretsmanager_secret_version');
    expect(version.secret_string_wo).toBe('${var.zitadel_masterkey}');
    expect(version.secret_string_wo_version).toBe(3);
    expect(version).not.toHaveProperty('secret_string');
    expect(version).not.toHaveProperty('secret_binary');
    expect(only(json, 'aws_secretsmanager_secret').name_prefix).toBe('zitadel-prod-');
  });

  it('derives the key admin from a reader given as a Terraform reference', () => {
    const b = newApp({ aws: true, docker: false });
    const role = new IamRole(b.stack, 'Host', { name: 'zitadel-host', assumeRolePolicy: '{}' });
    new MasterKey(b.stack, 'Key', {
      keyId: 'zitadel-prod',
      profile: 'zitadel',
      hotCopy: { kind: 'secrets-manager', readers: [role.arn] },
    });
    const { json } = synthJson(b);
    const policy = only(json, 'aws_kms_key').policy as string;
    // A JSON string cannot carry HCL quotes: references make it a jsonencode expression.
    expect(policy).toMatch(/^\$\{jsonencode\(/);
    expect(policy).toContain('iam::${element(split(":", aws_iam_role.Host.arn), 4)}:root');
  });

  it('asks for keyAdmins when the first reader is a raw "${...}" string', () => {
    const b = newApp({ aws: true, docker: false });
    const msg = thrown(
      () =>
        new MasterKey(b.stack, 'Key', {
          keyId: 'zitadel-prod',
          profile: 'zitadel',
          hotCopy: { kind: 'secrets-manager', readers: ['${aws_iam_role.host.arn}'] },
        }),
    );
    expect(msg).toContain('give keyAdmins');
    expect(msg).toContain('→ at hotCopy.keyAdmins');
  });
});

describe('MasterKey: SSM hot copy', () => {
  it('is a SecureString with its own KMS key, written only through value_wo', () => {
    const b = newApp({ aws: true, docker: false });
    const input = new EphemeralKeyInput(b.stack, 'servos_key', {});
    const key = new MasterKey(b.stack, 'Key', {
      keyId: 'servos-prod',
      profile: 'servos',
      hotCopy: { kind: 'ssm', name: '/servos/master-key', readers: [READER], value: input },
    });
    expect(key.parameter).toBeDefined();
    const { json } = synthJson(b);
    const p = only(json, 'aws_ssm_parameter');
    expect(p).toMatchObject({ type: 'SecureString', name: '/servos/master-key', value_wo: '${var.servos_key}', value_wo_version: 1 });
    expect(p).not.toHaveProperty('value');
    expect(p).not.toHaveProperty('insecure_value');
    expect(p.key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(p.tags).toEqual({ 'custody:role': 'key-store', 'custody:key': 'servos-prod', 'custody:app': 'servos' });
  });

  // #20: Terraform creates only the parameter; `key-custody keygen --hot-parameter` writes the key.
  it('creates an SSM hot copy without a value: a placeholder through value_wo at a version that never changes', () => {
    const b = newApp({ aws: true, docker: false });
    new MasterKey(b.stack, 'Key', { keyId: 'servos-prod', profile: 'servos', generation: 3, hotCopy: { kind: 'ssm', name: '/servos/k', readers: [READER] } });
    const p = only(synthJson(b).json, 'aws_ssm_parameter');
    expect(p.value_wo).toBe('unset: write the key with key-custody keygen --hot-parameter');
    expect(p.value_wo_version).toBe(1);
    expect(p.value).toBeUndefined();
  });
});

describe('MasterKey: invalid props give a zod-prettified message with the construct path', () => {
  const base: MasterKeyProps = { keyId: 'zitadel-prod', profile: 'zitadel', hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' } };
  const cases: [string, Partial<MasterKeyProps> | Record<string, unknown>, RegExp[]][] = [
    [
      'a relative host path',
      { hotCopy: { kind: 'host-file', path: 'etc/zitadel/masterkey' } },
      [/"etc\/zitadel\/masterkey" is relative/, /→ at hotCopy\.path/],
    ],
    ['an unknown profile', { profile: 'keycloak' }, [/unknown app profile "keycloak": use one of zitadel, servos, act/, /→ at profile/]],
    [
      'a fingerprint that is not 64 hex characters',
      { fingerprint: 'abc123' },
      [/"abc123" is not a SHA-256 fingerprint/, /64 hex characters/, /→ at fingerprint/],
    ],
    [
      'a world-readable mode',
      { hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey', mode: '0644' } },
      [/"0644" is not allowed/, /→ at hotCopy\.mode/],
    ],
    ['a key file directly in /', { hotCopy: { kind: 'host-file', path: '/masterkey' } }, [/directory of its own/]],
    [
      'a reader that is not an ARN',
      { hotCopy: { kind: 'secrets-manager', readers: ['zitadel-host'] } },
      [/"zitadel-host" is not an IAM principal ARN/, /→ at hotCopy\.readers\[0\]/],
    ],
    ['an upper-case key id', { keyId: 'Zitadel Prod' }, [/lower-case id/, /→ at keyId/]],
  ];
  for (const [name, patch, patterns] of cases) {
    it(name, () => {
      const b = newApp({ aws: true });
      const msg = thrown(() => new MasterKey(b.stack, 'Key', { ...base, ...patch } as MasterKeyProps));
      expect(msg.startsWith('[app-host/Key] MasterKey: invalid props\n✖ ')).toBe(true);
      for (const p of patterns) expect(msg).toMatch(p);
      expect(msg).toMatch(/\nfix: /);
    });
  }

  it('grantRead on a host file explains why and what to do', () => {
    const b = newApp();
    const key = new MasterKey(b.stack, 'Key', base);
    expect(thrown(() => key.grantRead(READER))).toMatch(/\[app-host\/Key\] MasterKey\.grantRead.*host file.*ProtectedAppContainer/);
  });
});
