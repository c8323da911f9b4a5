/**
 * Bad-input catalogue, constructs (issue 15): a key pasted into any prop is never printed
 * back, and props that are unsafe or that AWS would refuse later (path-unsafe secret names,
 * host paths with control characters or shell substitution, app names and bucket names S3
 * refuses, absurd numbers, malformed drill schedules, prototype names as profiles) are
 * refused at construction, naming the construct, the prop, the value and the fix.
 * Same row style as bad-inputs.test.ts; every row fails on the code before these checks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { DatabaseBackupBucket } from '../../lib/constructs/buckets/database-backup-bucket';
import { KeyBackupBucket } from '../../lib/constructs/buckets/key-backup-bucket';
import { ProtectedAppContainer } from '../../lib/constructs/app/protected-app-container';
import { ProtectedAppService } from '../../lib/constructs/app/protected-app-service';
import { MasterKey, type MasterKeyProps } from '../../lib/constructs/key/master-key';
import { MasterKeyCustody, type MasterKeyCustodyProps } from '../../lib/constructs/master-key-custody';
import { CustodySuppressions } from '../../lib/constructs/manifest/suppressions';
import { genericProfile, ZITADEL } from '../../lib/profiles';
import { drillWorld } from '../constructs/drill/fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'kc-bad-constructs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fresh app with one stack holding aws and docker providers. */
function scope(): TerraformStack {
  const app = new App({ outdir: mkdtempSync(join(tmp, 'app-')) });
  const stack = new TerraformStack(app, 'custody');
  new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  new DockerProvider(stack, 'docker', { host: 'ssh://deploy@idp-1' });
  return stack;
}

const HOST: MasterKeyProps = { keyId: 'zitadel-prod', profile: 'zitadel', hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' } };
const ROLE = 'arn:aws:iam::111111111111:role/zitadel-host';
const bucketProps = { key: 'zitadel-prod', app: 'zitadel' };

function key(stack: TerraformStack, over: Partial<MasterKeyProps> = {}, id = 'Key'): MasterKey {
  return new MasterKey(stack, id, { ...HOST, ...over });
}

// Key material in the shapes the profiles use: a Zitadel key (32 printable characters), a
// ServOS/ACT key (64 hex characters), a base64 key with "/" in it, and a key with punctuation.
const ZITADEL_KEY = 'q7Xv2LmN9pR4sT8wK3zB6cF1hJ5dG0yA';
const HEX_KEY = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const B64_KEY = 'cTdYdjJMbU45cFI0/c1Q4d0szekI2Y0Yx/aEo1ZEcweUE=';
const PUNCT_KEY = 'a8#K!2m:Q/z(9)Lw{P}3^x~Y&5*R%b7$';
const KEYS = [ZITADEL_KEY, HEX_KEY, B64_KEY, PUNCT_KEY];

/** Five stacks over three accounts and two docker hosts (as in test/constructs/master-key-custody.test.ts). */
function custody(over: Partial<MasterKeyCustodyProps>): MasterKeyCustody {
  const outdir = mkdtempSync(join(tmp, 'mkc-'));
  const app = new App({ outdir });
  const stack = (n: string) => {
    const s = new TerraformStack(app, n);
    new LocalBackend(s, { path: join(outdir, 'state', `${n}.tfstate`) });
    return s;
  };
  const host = stack('host');
  const keys = stack('keys');
  const db = stack('db');
  const drill = stack('drill');
  const drillAws = stack('drill-aws');
  const prodDocker = new DockerProvider(host, 'docker', { host: 'ssh://deploy@prod.example.com' });
  new AwsProvider(keys, 'aws', { region: 'eu-central-1', allowedAccountIds: ['111111111111'] });
  new AwsProvider(db, 'aws', { region: 'eu-central-1', allowedAccountIds: ['222222222222'] });
  new AwsProvider(drillAws, 'aws', { region: 'eu-central-1', allowedAccountIds: ['333333333333'] });
  const scratch = new DockerProvider(drill, 'scratch', { alias: 'scratch', host: 'ssh://deploy@scratch.example.com' });
  return new MasterKeyCustody(app, 'Zitadel', {
    keyId: 'zitadel-prod',
    profile: 'zitadel',
    hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' },
    copies: [
      { kind: 'cold', medium: 'nas', location: '/mnt/nas/zitadel/masterkey.age' },
      { kind: 'paper', medium: 'paper', location: 'office safe', offsite: true },
    ],
    appStack: host,
    appProvider: prodDocker,
    keyCustodyStack: keys,
    dbBackupStack: db,
    drillStack: drill,
    drillProvider: scratch,
    drillAwsStack: drillAws,
    ...over,
  });
}

interface ConstructRow {
  readonly name: string;
  /** Builds the bad construct; must throw. */
  readonly build: (s: TerraformStack) => unknown;
  /** Construct path the message starts with (`[path]`). */
  readonly path: string;
  /** What was wrong, the value, the fix: each a substring (or pattern) of the message. */
  readonly what: string | RegExp;
  readonly value: string;
  readonly fix: string | RegExp;
}

function matches(message: string, want: string | RegExp): boolean {
  return typeof want === 'string' ? message.includes(want) : want.test(message);
}

function messageOf(build: () => unknown): string {
  try {
    build();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the construct to refuse the props');
}

function check(row: ConstructRow, m: string): void {
  expect(m.startsWith(`[${row.path}]`), m).toBe(true);
  expect(matches(m, row.what), `what was wrong: ${m}`).toBe(true);
  expect(m.includes(row.value), `the value ${row.value}: ${m}`).toBe(true);
  expect(matches(m, row.fix), `the fix: ${m}`).toBe(true);
  expect(m).not.toMatch(/\n\s+at /);
  for (const k of KEYS) expect(m.includes(k), `leaks a key: ${m}`).toBe(false);
  // No raw control character but the newlines between the message's own lines.
  // eslint-disable-next-line no-control-regex
  expect(m).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
}

// ---------------------------------------------------------------------------------------
// A key pasted into a prop is redacted, whichever prop it is.

const REDACTED = '<redacted>';

const REDACTION_ROWS: ConstructRow[] = [
  { name: 'MasterKey: a Zitadel key as fingerprint', build: (s) => key(s, { fingerprint: ZITADEL_KEY }), path: 'custody/Key', what: 'is not a SHA-256 fingerprint', value: REDACTED, fix: 'give the 64 hex characters' },
  { name: 'MasterKey: a key with punctuation as fingerprint', build: (s) => key(s, { fingerprint: PUNCT_KEY }), path: 'custody/Key', what: 'is not a SHA-256 fingerprint', value: REDACTED, fix: 'give the 64 hex characters' },
  { name: 'MasterKey: a key as the host-file path', build: (s) => key(s, { hotCopy: { kind: 'host-file', path: ZITADEL_KEY } }), path: 'custody/Key', what: 'is relative', value: REDACTED, fix: 'give an absolute path on the docker host' },
  { name: 'MasterKey: a key in a host-file path', build: (s) => key(s, { hotCopy: { kind: 'host-file', path: `/${ZITADEL_KEY}` } }), path: 'custody/Key', what: 'sits directly in "/"', value: REDACTED, fix: 'put the key in a directory of its own' },
  { name: 'MasterKey: a base64 key as the host-file path', build: (s) => key(s, { hotCopy: { kind: 'host-file', path: B64_KEY } }), path: 'custody/Key', what: 'is relative', value: REDACTED, fix: 'give an absolute path on the docker host' },
  { name: 'MasterKey: a key as keyId', build: (s) => key(s, { keyId: ZITADEL_KEY }), path: 'custody/Key', what: 'must be a lower-case id', value: `got keyId = ${REDACTED}`, fix: 'zitadel-prod' },
  { name: 'MasterKey: a hex key as keyId', build: (s) => key(s, { keyId: HEX_KEY }), path: 'custody/Key', what: 'must be a lower-case id', value: `got keyId = ${REDACTED}`, fix: 'zitadel-prod' },
  { name: 'MasterKey: a key as a reader', build: (s) => key(s, { hotCopy: { kind: 'secrets-manager', readers: [ZITADEL_KEY] } }), path: 'custody/Key', what: 'is not an IAM principal ARN', value: REDACTED, fix: 'arn:aws:iam::123456789012:role/zitadel-host' },
  { name: 'MasterKey: a key as the cloud hot copy hostPath', build: (s) => key(s, { hotCopy: { kind: 'secrets-manager', readers: [ROLE], hostPath: HEX_KEY } }), path: 'custody/Key', what: 'is relative', value: REDACTED, fix: 'give an absolute path' },
  { name: 'MasterKey.grantRead of a key', build: (s) => key(s, { hotCopy: { kind: 'secrets-manager', readers: [ROLE] } }).grantRead(ZITADEL_KEY), path: 'custody/Key', what: 'is not an IAM principal ARN', value: REDACTED, fix: 'arn:aws:iam::123456789012:role/zitadel-host' },
  { name: 'MasterKey.grantRead of a key on a host-file key', build: (s) => key(s).grantRead(B64_KEY), path: 'custody/Key', what: 'the hot copy is a host file', value: REDACTED, fix: 'use a "secrets-manager" hot copy' },
  { name: 'KeyBackupBucket: a hex key as bucketName', build: (s) => new KeyBackupBucket(s, 'Keys', { ...bucketProps, bucketName: HEX_KEY }), path: 'custody/Keys', what: 'must be a valid S3 bucket name', value: REDACTED, fix: '3-63 lowercase letters, digits, dots and dashes' },
  { name: 'KeyBackupBucket: a key as bucketName', build: (s) => new KeyBackupBucket(s, 'Keys', { ...bucketProps, bucketName: ZITADEL_KEY }), path: 'custody/Keys', what: 'must be a valid S3 bucket name', value: REDACTED, fix: '3-63 lowercase letters, digits, dots and dashes' },
  { name: 'KeyBackupBucket.grantWrite of a key', build: (s) => new KeyBackupBucket(s, 'Keys', bucketProps).grantWrite(ZITADEL_KEY), path: 'custody/Keys', what: 'is not an IAM principal ARN', value: REDACTED, fix: 'pass a role or user ARN' },
  { name: 'CustodySuppressions: a key as the rule id', build: (s) => CustodySuppressions.add(s, [{ id: ZITADEL_KEY, reason: 'pasted into the wrong field' }]), path: 'custody', what: 'must be a rule id like "KC024"', value: REDACTED, fix: 'give { id: "KC0NN"' },
  { name: 'ProtectedAppContainer: a key as secretName', build: (s) => new ProtectedAppContainer(s, 'App', { masterKey: key(s), secretName: PUNCT_KEY }), path: 'custody/App', what: 'must be a plain file name', value: REDACTED, fix: 'e.g. "masterkey"' },
  {
    name: 'MasterKey: an ESC in a path is escaped, not printed',
    build: (s) => key(s, { hotCopy: { kind: 'host-file', path: 'etc/\u001b[2Jzitadel/masterkey' } }),
    path: 'custody/Key',
    what: 'contains a control character',
    value: '\\u001b[2J',
    fix: 'give a plain absolute path',
  },
];

describe('a key pasted into any prop is never printed', () => {
  it.each(REDACTION_ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const stack = scope();
    const m = messageOf(() => row.build(stack));
    check(row, m);
    if (row.value === REDACTED || row.value.endsWith(REDACTED)) expect(m).toContain('note: values that look like key material are shown as <redacted>');
  });

  it('legitimate values stay readable: ARNs, paths, bucket names, construct paths', () => {
    const stack = scope();
    const arn = 'arn:aws:iam::111111111111:role/service-role/ZitadelProductionHostRole2024';
    const m1 = messageOf(() => key(stack, { hotCopy: { kind: 'secrets-manager', readers: [arn], hostPath: '/Users/Alice/Projects2024/ZitadelProduction/masterkey/' } }));
    expect(m1).toContain('"/Users/Alice/Projects2024/ZitadelProduction/masterkey/"');
    expect(m1).not.toContain(REDACTED);
    const m2 = messageOf(() => new KeyBackupBucket(stack, 'ZitadelProductionKeyBackups2024Bucket', { ...bucketProps, bucketName: 'zitadel-production-key-backups-eu-central-1-111111111111..x' }));
    expect(m2).toContain('"zitadel-production-key-backups-eu-central-1-111111111111..x"');
    expect(m2.startsWith('[custody/ZitadelProductionKeyBackups2024Bucket]')).toBe(true);
    expect(m2).not.toContain(REDACTED);
  });
});

// ---------------------------------------------------------------------------------------
// Unsafe or doomed props are refused with the prop, the value and the fix.

// Not hex: 32+ hex digits in a row are redacted as a possible key.
const longSegment = 'k'.repeat(300);
const longPath = `/etc/${'k/'.repeat(600)}masterkey`;

const VALIDATION_ROWS: ConstructRow[] = [
  // secret names that are not file names
  { name: 'ProtectedAppContainer: secretName ".."', build: (s) => new ProtectedAppContainer(s, 'App', { masterKey: key(s), secretName: '..' }), path: 'custody/App', what: 'names a folder, not a file', value: '".."', fix: 'give a plain file name, e.g. "masterkey"' },
  { name: 'ProtectedAppContainer: secretName "."', build: (s) => new ProtectedAppContainer(s, 'App', { masterKey: key(s), secretName: '.' }), path: 'custody/App', what: 'would be mounted over /run/secrets itself', value: '"."', fix: 'give a plain file name, e.g. "masterkey"' },
  { name: 'ProtectedAppService: secretName ".."', build: (s) => new ProtectedAppService(s, 'Svc', { masterKey: key(s), secretName: '..' }), path: 'custody/Svc', what: 'names a folder, not a file', value: '".."', fix: 'give a plain file name, e.g. "masterkey"' },
  { name: 'ProtectedAppContainer: absurdly long secretName', build: (s) => new ProtectedAppContainer(s, 'App', { masterKey: key(s), secretName: 'k'.repeat(500) }), path: 'custody/App', what: 'is 500 characters long', value: 'secretName "kkkk', fix: 'at most 128' },
  { name: 'MasterKey: a profile whose secretName is ".."', build: (s) => key(s, { profile: { ...ZITADEL, name: 'zitadel-custom', secretName: '..' } }), path: 'custody/Key', what: 'names a folder, not a file', value: '".."', fix: 'e.g. "masterkey"' },
  // host paths
  { name: 'MasterKey: host path with a newline', build: (s) => key(s, { hotCopy: { kind: 'host-file', path: '/etc/zitadel/master\nkey' } }), path: 'custody/Key', what: 'contains a control character', value: '"/etc/zitadel/master\\nkey"', fix: 'give a plain absolute path on the docker host' },
  { name: 'MasterKey: host path with $(...)', build: (s) => key(s, { hotCopy: { kind: 'host-file', path: '/etc/$(reboot)/masterkey' } }), path: 'custody/Key', what: 'shell command substitution', value: '"/etc/$(reboot)/masterkey"', fix: 'give a plain absolute path on the docker host' },
  { name: 'MasterKey: host path with a backtick', build: (s) => key(s, { hotCopy: { kind: 'host-file', path: '/etc/`id`/masterkey' } }), path: 'custody/Key', what: 'shell command substitution', value: '"/etc/`id`/masterkey"', fix: 'give a plain absolute path' },
  { name: 'MasterKey: host path with "//"', build: (s) => key(s, { hotCopy: { kind: 'host-file', path: '/etc//zitadel/masterkey' } }), path: 'custody/Key', what: 'has an empty segment ("//")', value: '"/etc//zitadel/masterkey"', fix: 'give a plain absolute path' },
  { name: 'MasterKey: host path with "/./"', build: (s) => key(s, { hotCopy: { kind: 'host-file', path: '/etc/./zitadel/masterkey' } }), path: 'custody/Key', what: 'has a "." segment ("/./")', value: '"/etc/./zitadel/masterkey"', fix: 'give a plain absolute path' },
  { name: 'MasterKey: absurdly long host path', build: (s) => key(s, { hotCopy: { kind: 'host-file', path: longPath } }), path: 'custody/Key', what: `is ${longPath.length} characters long; a host path has at most 1024`, value: `(${longPath.length} characters)`, fix: 'give a plain absolute path' },
  { name: 'MasterKey: a host path segment over 255 characters', build: (s) => key(s, { hotCopy: { kind: 'host-file', path: `/etc/${longSegment}/masterkey` } }), path: 'custody/Key', what: 'has a segment of 300 characters', value: '"/etc/kkkk', fix: 'at most 255' },
  { name: 'MasterKey: cloud hot copy hostPath with $(', build: (s) => key(s, { hotCopy: { kind: 'secrets-manager', readers: [ROLE], hostPath: '/etc/zitadel/$(curl evil)' } }), path: 'custody/Key', what: 'shell command substitution', value: '$(curl evil)', fix: 'give a plain absolute path' },
  { name: 'MasterKey: previous generation hostPath with "//"', build: (s) => key(s, { profile: 'servos', hotCopy: { kind: 'host-file', path: '/etc/servos/masterkey.g2' }, generation: 2, previousGenerations: [{ generation: 1, state: 'retired', retiredOn: '2025-01-01', hostPath: '/etc/servos//masterkey' }] }), path: 'custody/Key', what: 'has an empty segment', value: '"/etc/servos//masterkey"', fix: 'give a plain absolute path' },
  // app names the buckets (or S3) would refuse
  { name: 'MasterKey: app with upper case and a space', build: (s) => key(s, { app: 'Zitadel Prod' }), path: 'custody/Key', what: 'must be 1-63 lowercase letters, digits and dashes', value: '"Zitadel Prod"', fix: 'like "zitadel"' },
  { name: 'MasterKey: app starting with xn--', build: (s) => key(s, { app: 'xn--zitadel' }), path: 'custody/Key', what: 'S3 reserves that prefix', value: '"xn--zitadel"', fix: 'must not start with "xn--"' },
  { name: 'MasterKey: a profile name too long to be the app', build: (s) => key(s, { profile: genericProfile({ name: `app-${'x'.repeat(70)}`, fileVariable: 'APP_MASTER_KEY_FILE' }) }), path: 'custody/Key', what: "is the key's default app name", value: '"app-xxxx', fix: 'must be 1-63 lowercase letters' },
  { name: 'KeyBackupBucket: app starting with sthree-', build: (s) => new KeyBackupBucket(s, 'Keys', { ...bucketProps, app: 'sthree-zitadel' }), path: 'custody/Keys', what: 'S3 reserves that prefix', value: '"sthree-zitadel"', fix: 'must not start with "sthree-"' },
  { name: 'MasterKeyCustody: app the buckets refuse', build: () => custody({ app: 'Zitadel_App' }), path: 'Zitadel', what: 'must be 1-63 lowercase letters, digits and dashes', value: '"Zitadel_App"', fix: 'the backup buckets, their roles and the drill are named after it' },
  { name: 'MasterKeyCustody: keyId the buckets refuse', build: () => custody({ keyId: 'zitadel.prod' }), path: 'Zitadel', what: 'must be 1-63 lowercase letters, digits and dashes', value: '"zitadel.prod"', fix: 'like "zitadel-prod"' },
  // absurd numbers
  { name: 'MasterKey: dbRetentionDays 1e9', build: (s) => key(s, { dbRetentionDays: 1e9 }), path: 'custody/Key', what: 'must be at most 36500 days', value: 'got 1000000000', fix: 'dbRetentionDays' },
  { name: 'MasterKey: generation 1e9', build: (s) => key(s, { generation: 1e9 }), path: 'custody/Key', what: 'must be at most 1000', value: 'got 1000000000', fix: 'number the generations 1, 2, 3...' },
  { name: 'MasterKeyCustody: existingDbBucket.restorableDays 1e9', build: () => custody({ existingDbBucket: { bucketName: 'zitadel-db-backups', restorableDays: 1e9, drillReaderArn: 'arn:aws:iam::222222222222:role/drill' } }), path: 'Zitadel', what: 'must be at most 36500 days (100 years)', value: 'got 1000000000', fix: 'existingDbBucket.restorableDays' },
  // S3 bucket names
  { name: 'KeyBackupBucket: bucket name formatted as an IP address', build: (s) => new KeyBackupBucket(s, 'Keys', { ...bucketProps, bucketName: '192.168.5.4' }), path: 'custody/Keys', what: 'it is formatted as an IP address', value: '"192.168.5.4"', fix: '3-63 lowercase letters, digits, dots and dashes' },
  { name: 'KeyBackupBucket: bucket name with ".."', build: (s) => new KeyBackupBucket(s, 'Keys', { ...bucketProps, bucketName: 'zitadel..keys' }), path: 'custody/Keys', what: 'two adjacent dots', value: '"zitadel..keys"', fix: 'no ".."' },
  { name: 'KeyBackupBucket: bucket name with amzn-s3-demo-', build: (s) => new KeyBackupBucket(s, 'Keys', { ...bucketProps, bucketName: 'amzn-s3-demo-keys' }), path: 'custody/Keys', what: 'the prefix "amzn-s3-demo-" is reserved by S3', value: '"amzn-s3-demo-keys"', fix: 'no reserved prefix or suffix' },
  { name: 'DatabaseBackupBucket: bucket name ending in .mrap', build: (s) => new DatabaseBackupBucket(s, 'Db', { ...bucketProps, bucketName: 'zitadel-db.mrap' }), path: 'custody/Db', what: 'the suffix ".mrap" is reserved by S3', value: '"zitadel-db.mrap"', fix: 'no reserved prefix or suffix' },
  { name: 'DatabaseBackupBucket: bucket name ending in --x-s3', build: (s) => new DatabaseBackupBucket(s, 'Db', { ...bucketProps, bucketName: 'zitadel-db--x-s3' }), path: 'custody/Db', what: 'the suffix "--x-s3" is reserved by S3', value: '"zitadel-db--x-s3"', fix: 'no reserved prefix or suffix' },
  { name: 'DatabaseBackupBucket: bucket name ending in --table-s3', build: (s) => new DatabaseBackupBucket(s, 'Db', { ...bucketProps, bucketName: 'zitadel-db--table-s3' }), path: 'custody/Db', what: 'the suffix "--table-s3" is reserved by S3', value: '"zitadel-db--table-s3"', fix: 'no reserved prefix or suffix' },
  { name: 'adopted bucket: name formatted as an IP address', build: (s) => DatabaseBackupBucket.fromExistingBucket(s, 'Adopted', { ...bucketProps, bucketName: '10.0.0.1', restorableDays: 30 }), path: 'custody/Adopted', what: 'it is formatted as an IP address', value: '"10.0.0.1"', fix: '3-63 lowercase letters' },
  { name: 'KeyBackupBucket: bucketPrefix starting with xn--', build: (s) => new KeyBackupBucket(s, 'Keys', { ...bucketProps, bucketPrefix: 'xn--keys-' }), path: 'custody/Keys', what: 'the prefix "xn--" is reserved by S3', value: '"xn--keys-"', fix: 'must be the start of a valid S3 bucket name' },
  { name: 'KeyBackupBucket: bucketPrefix with ".."', build: (s) => new KeyBackupBucket(s, 'Keys', { ...bucketProps, bucketPrefix: 'zitadel..keys-' }), path: 'custody/Keys', what: 'two adjacent dots', value: '"zitadel..keys-"', fix: 'must be the start of a valid S3 bucket name' },
  // prototype names are not profiles
  ...['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'].map(
    (name): ConstructRow => ({ name: `MasterKey: profile "${name}"`, build: (s) => key(s, { profile: name }), path: 'custody/Key', what: 'unknown app profile', value: `"${name}"`, fix: 'use one of zitadel, servos, act, zitadel-v5' }),
  ),
  { name: 'MasterKeyCustody: profile "constructor"', build: () => custody({ profile: 'constructor' }), path: 'host/Zitadel/MasterKey', what: 'unknown app profile', value: '"constructor"', fix: 'genericProfile({ name, fileVariable })' },
];

describe('unsafe or doomed construct props are refused', () => {
  it.each(VALIDATION_ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const stack = scope();
    check(row, messageOf(() => row.build(stack)));
  });
});

// ---------------------------------------------------------------------------------------
// Drill schedules AWS would refuse at apply time.

describe('malformed drill schedules are refused', () => {
  it.each([
    ['rate(1 minutes)', 'a rate of 1 takes a singular unit: rate(1 minute)'],
    ['rate(1 days)', 'a rate of 1 takes a singular unit: rate(1 day)'],
    ['rate(5 hour)', 'a rate above 1 takes a plural unit: rate(5 hours)'],
    ['rate(30 day)', 'a rate above 1 takes a plural unit: rate(30 days)'],
  ])('%s', (schedule, what) => {
    const m = messageOf(() => drillWorld({ drill: { schedule } }));
    expect(m).toMatch(/^\[drill\/[^\]]+\] RecoveryDrill: invalid props/);
    check({ name: schedule, build: () => undefined, path: m.slice(1, m.indexOf(']')), what, value: `"${schedule}"`, fix: 'e.g. "cron(0 10 ? 1,4,7,10 MON#1 *)"' }, m);
    expect(m).toContain('is not a valid EventBridge Scheduler expression');
  });

  it('a drill credentials folder with a newline is refused', () => {
    const m = messageOf(() => drillWorld({ drill: { keyCredentials: { hostDir: '/etc/key-custody/drill/key\nrestore' } } }));
    expect(m).toMatch(/^\[drill\/[^\]]+\] RecoveryDrill: invalid props/);
    expect(m).toContain('"/etc/key-custody/drill/key\\nrestore" contains a control character');
    expect(m).toContain('give a plain absolute path');
  });

  it('valid rates in both numbers are accepted', () => {
    for (const schedule of ['rate(1 day)', 'rate(30 days)']) {
      const w = drillWorld({ drill: { schedule } });
      try {
        expect(w.drill?.schedule, schedule).toBe(schedule);
      } finally {
        w.cleanup();
      }
    }
  });
});
