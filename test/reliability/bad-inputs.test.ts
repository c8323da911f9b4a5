/**
 * Bad-input catalogue: construct props, CLI arguments and input files. Every row states
 * what the error must name: what was wrong, the offending value, and the fix. Construct
 * errors start with `[construct/path]`; CLI errors are one stderr line `key-custody: ...`
 * with exit 2 and no stack frames; a synth that fails leaves no stacks/<name>/cdk.tf.json.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { main } from '../../lib/cli/main';
import { DatabaseBackupBucket } from '../../lib/constructs/buckets/database-backup-bucket';
import { KeyBackupBucket } from '../../lib/constructs/buckets/key-backup-bucket';
import { EphemeralKeyInput } from '../../lib/constructs/key/ephemeral-key-input';
import { ProtectedAppContainer } from '../../lib/constructs/app/protected-app-container';
import { MasterKey, type MasterKeyProps } from '../../lib/constructs/key/master-key';
import { CustodySuppressions } from '../../lib/constructs/manifest/suppressions';
import { genericProfile } from '../../lib/profiles';
import { KeyCustody } from '../../lib/synth/custody-check';

const tmp = mkdtempSync(join(tmpdir(), 'kc-bad-inputs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fresh app with one stack holding aws and docker providers. */
function scope(): { app: App; stack: TerraformStack } {
  const app = new App({ outdir: mkdtempSync(join(tmp, 'app-')) });
  const stack = new TerraformStack(app, 'custody');
  new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  new DockerProvider(stack, 'docker', { host: 'ssh://deploy@idp-1' });
  return { app, stack };
}

const HOST: MasterKeyProps = { keyId: 'zitadel-prod', profile: 'zitadel', hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' } };
const ROLE = 'arn:aws:iam::111111111111:role/zitadel-host';

function key(stack: TerraformStack, over: Partial<MasterKeyProps> = {}, id = 'Key'): MasterKey {
  return new MasterKey(stack, id, { ...HOST, ...over });
}

interface ConstructRow {
  readonly name: string;
  /** Builds the bad construct; must throw. */
  readonly build: (s: TerraformStack) => unknown;
  /** Construct path the message starts with (`[path]`); undefined for plain functions (profiles). */
  readonly path?: string;
  /** What was wrong, the value, the fix: each a substring (or pattern) of the message. */
  readonly what: string | RegExp;
  readonly value: string;
  readonly fix: string | RegExp;
}

const bucketProps = { key: 'zitadel-prod', app: 'zitadel' };

const CONSTRUCT_ROWS: ConstructRow[] = [
  { name: 'MasterKey: relative host path', build: (s) => key(s, { hotCopy: { kind: 'host-file', path: 'etc/zitadel/masterkey' } }), path: 'custody/Key', what: 'is relative', value: '"etc/zitadel/masterkey"', fix: 'give an absolute path on the docker host' },
  { name: 'MasterKey: host path with ".."', build: (s) => key(s, { hotCopy: { kind: 'host-file', path: '/etc/../masterkey' } }), path: 'custody/Key', what: 'without ".." segments', value: '"/etc/../masterkey"', fix: 'must name a file without' },
  { name: 'MasterKey: key directly in /', build: (s) => key(s, { hotCopy: { kind: 'host-file', path: '/masterkey' } }), path: 'custody/Key', what: 'sits directly in "/"', value: '"/masterkey"', fix: 'put the key in a directory of its own (mode 0700)' },
  { name: 'MasterKey: host path is a Terraform expression', build: (s) => key(s, { hotCopy: { kind: 'host-file', path: '${var.keyfile}' } }), path: 'custody/Key', what: 'must be a literal path known at synth time', value: '"${var.keyfile}"', fix: 'literal path' },
  { name: 'MasterKey: unknown profile', build: (s) => key(s, { profile: 'keycloak' }), path: 'custody/Key', what: 'unknown app profile', value: '"keycloak"', fix: 'genericProfile({ name, fileVariable })' },
  { name: 'MasterKey: short fingerprint', build: (s) => key(s, { fingerprint: 'abc123' }), path: 'custody/Key', what: 'is not a SHA-256 fingerprint', value: '"abc123"', fix: 'give the 64 hex characters' },
  { name: 'MasterKey: file mode other than 0400', build: (s) => key(s, { hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey', mode: '0644' as '0400' } }), path: 'custody/Key', what: 'readable by its owner only', value: '"0644"', fix: 'use "0400" (or "0600" where the app\'s runbook asks for it) or leave it out' },
  { name: 'MasterKey: directory mode other than 0700', build: (s) => key(s, { hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey', directoryMode: '0755' as '0700' } }), path: 'custody/Key', what: 'must not be listable', value: '"0755"', fix: 'use "0700" or leave it out' },
  { name: 'MasterKey: file owner given by name', build: (s) => key(s, { hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey', owner: 'zitadel' as 'root' } }), path: 'custody/Key', what: 'a name cannot be checked on the host', value: '"zitadel"', fix: 'give "root" or the numeric uid the app runs as' },
  { name: 'MasterKey: value as a plain string', build: (s) => key(s, { hotCopy: { kind: 'secrets-manager', readers: [ROLE], value: 'MasterkeyNeedsToHave32Characters' as never } }), path: 'custody/Key', what: 'must be an EphemeralKeyInput', value: 'hotCopy.value', fix: 'only an ephemeral variable keeps the key out of plan and state' },
  { name: 'MasterKey: reader that is not an ARN', build: (s) => key(s, { hotCopy: { kind: 'secrets-manager', readers: ['zitadel-host'] } }), path: 'custody/Key', what: 'is not an IAM principal ARN', value: '"zitadel-host"', fix: 'arn:aws:iam::123456789012:role/zitadel-host' },
  { name: 'MasterKey: no readers', build: (s) => key(s, { hotCopy: { kind: 'secrets-manager', readers: [] } }), path: 'custody/Key', what: 'name at least one reader', value: 'hotCopy.readers', fix: 'the store denies everyone who is not listed' },
  { name: 'MasterKey.grantRead on a host-file key', build: (s) => key(s).grantRead(ROLE), path: 'custody/Key', what: 'the hot copy is a host file', value: ROLE, fix: 'use a "secrets-manager" hot copy' },
  { name: 'ProtectedAppContainer: key in an environment variable', build: (s) => new ProtectedAppContainer(s, 'App', { masterKey: key(s), env: { ZITADEL_MASTERKEY: '${var.k}' } }), path: 'custody/App', what: 'would carry the master key itself', value: '"ZITADEL_MASTERKEY"', fix: 'mounts the key file read-only at /run/secrets/masterkey and passes it by path' },
  { name: 'ProtectedAppContainer: *_MASTER_KEY variable (ServOS)', build: (s) => new ProtectedAppContainer(s, 'App', { masterKey: key(s, { profile: 'servos', hotCopy: { kind: 'host-file', path: '/etc/servos/masterkey' } }), env: { SERVOS_MASTER_KEY: 'x' } }), path: 'custody/App', what: 'would carry the master key itself', value: '"SERVOS_MASTER_KEY"', fix: 'SERVOS_MASTER_KEY_FILE=/run/secrets/' },
  { name: 'ProtectedAppContainer: --masterkey flag', build: (s) => new ProtectedAppContainer(s, 'App', { masterKey: key(s), command: ['start', '--masterkey', 'MasterkeyNeedsToHave32Characters'] }), path: 'custody/App', what: 'puts the master key on the command line', value: '"--masterkey"', fix: 'remove it and its value' },
  { name: 'ProtectedAppContainer: --masterkey= inline', build: (s) => new ProtectedAppContainer(s, 'App', { masterKey: key(s), command: ['start', '--masterkey=MasterkeyNeedsToHave32Characters'] }), path: 'custody/App', what: 'puts the master key on the command line', value: '"--masterkey="', fix: 'passes it by path (--masterkeyFile /run/secrets/masterkey)' },
  { name: 'ProtectedAppContainer: --masterkeyFromEnv', build: (s) => new ProtectedAppContainer(s, 'App', { masterKey: key(s), command: ['start', '--masterkeyFromEnv'] }), path: 'custody/App', what: 'read the master key from an environment variable', value: '"--masterkeyFromEnv"', fix: 'remove it' },
  { name: 'ProtectedAppContainer: custody label given by hand', build: (s) => new ProtectedAppContainer(s, 'App', { masterKey: key(s), labels: { 'custody:key': 'other' } }), path: 'custody/App', what: 'is set by the construct from the key', value: '"custody:key"', fix: 'remove it' },
  { name: 'ProtectedAppContainer: secret name with a slash', build: (s) => new ProtectedAppContainer(s, 'App', { masterKey: key(s), secretName: '../masterkey' }), path: 'custody/App', what: 'must be a plain file name', value: 'secretName', fix: 'e.g. "masterkey"' },
  { name: 'ProtectedAppContainer: cloud hot copy without hostPath', build: (s) => new ProtectedAppContainer(s, 'App', { masterKey: key(s, { hotCopy: { kind: 'secrets-manager', readers: [ROLE] } }) }), path: 'custody/App', what: 'without hostPath, so there is no file to mount', value: '"zitadel-prod"', fix: 'give hotCopy.hostPath' },
  { name: 'CustodySuppressions: reason too short', build: (s) => CustodySuppressions.add(s, [{ id: 'KC024', reason: 'because' }]), path: 'custody', what: 'must say why the risk is accepted', value: 'reason', fix: '10+ characters' },
  { name: 'CustodySuppressions: unsuppressible rule', build: (s) => CustodySuppressions.add(s, [{ id: 'KC010', reason: 'the buckets are separated elsewhere' }]), path: 'custody', what: 'cannot be suppressed', value: 'KC010', fix: 'Fix the finding instead' },
  { name: 'CustodySuppressions: unknown rule id', build: (s) => CustodySuppressions.add(s, [{ id: 'KC999', reason: 'no such rule at all, really' }]), path: 'custody', what: 'unknown rule id', value: '"KC999"', fix: 'use one of the ids listed in RULES.md' },
  { name: 'CustodySuppressions: malformed rule id', build: (s) => CustodySuppressions.add(s, [{ id: 'kc24', reason: 'rotation is done by hand' }]), path: 'custody', what: 'must be a rule id like "KC024"', value: 'id', fix: 'give { id: "KC0NN"' },
  { name: 'CustodySuppressions: bad expiry date', build: (s) => CustodySuppressions.add(s, [{ id: 'KC024', reason: 'rotation is done by hand', expires: '31.12.2027' }]), path: 'custody', what: 'must be a date like "2027-03-31"', value: 'expires', fix: 'give { id: "KC0NN"' },
  { name: 'DatabaseBackupBucket: retention of 0 days', build: (s) => new DatabaseBackupBucket(s, 'Db', { ...bucketProps, retentionDays: 0 }), path: 'custody/Db', what: 'must be at least 1 day', value: 'got 0', fix: /fix|retentionDays/ },
  { name: 'KeyBackupBucket: invalid bucket name', build: (s) => new KeyBackupBucket(s, 'Keys', { ...bucketProps, bucketName: 'Zitadel_Keys' }), path: 'custody/Keys', what: 'must be a valid S3 bucket name', value: '"Zitadel_Keys"', fix: '3-63 lowercase letters, digits, dots and dashes' },
  { name: 'KeyBackupBucket: writer that is not an ARN', build: (s) => new KeyBackupBucket(s, 'Keys', { ...bucketProps, writerArn: 'backup-writer' }), path: 'custody/Keys', what: 'must be an IAM ARN', value: '"backup-writer"', fix: 'arn:aws:iam::123456789012:role/name' },
  {
    name: 'KeyBackupBucket: key retention shorter than the DB backups (KC022)',
    build: (s) => {
      new DatabaseBackupBucket(s, 'Db', { ...bucketProps, retentionDays: 365 });
      return new KeyBackupBucket(s, 'Keys', { ...bucketProps, retentionDays: 30, objectLockDays: 30 });
    },
    path: 'custody/Keys',
    what: 'key backups must outlive the DB backups they decrypt',
    value: '30 days',
    fix: 'set retentionDays and objectLockDays to at least',
  },
  { name: 'EphemeralKeyInput: variable name starting with a digit', build: (s) => new EphemeralKeyInput(s, 'In', { variableName: '1key' }), path: 'custody/In', what: 'must be a Terraform variable name', value: 'variableName', fix: 'e.g. "zitadel_masterkey"' },
  { name: 'genericProfile: file variable not ending in _FILE', build: () => genericProfile({ name: 'myapp', fileVariable: 'MYAPP_MASTER_KEY' }), what: 'must be an upper-case variable ending in _FILE', value: '"MYAPP_MASTER_KEY"', fix: 'e.g. "MYAPP_MASTER_KEY_FILE"' },
];

function matches(message: string, want: string | RegExp): boolean {
  return typeof want === 'string' ? message.includes(want) : want.test(message);
}

describe('bad construct props', () => {
  it.each(CONSTRUCT_ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const { stack } = scope();
    let message: string | undefined;
    try {
      row.build(stack);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message, 'expected the construct to refuse the props').toBeDefined();
    const m = message as string;
    if (row.path !== undefined) expect(m.startsWith(`[${row.path}]`), m).toBe(true);
    expect(matches(m, row.what), `what was wrong: ${m}`).toBe(true);
    expect(m.includes(row.value), `the value ${row.value}: ${m}`).toBe(true);
    expect(matches(m, row.fix), `the fix: ${m}`).toBe(true);
    expect(m).not.toMatch(/\n\s+at /);
  });
});

describe('synth failures leave nothing half-written', () => {
  const cases: [string, (stack: TerraformStack) => void, string][] = [
    [
      'a hand-written container with the key in its environment',
      (stack) => void new Container(stack, 'zitadel', { name: 'zitadel', image: 'ghcr.io/zitadel/zitadel:v4.13.0', env: ['ZITADEL_MASTERKEY=${var.masterkey}'], labels: [{ label: 'custody:app', value: 'zitadel' }] }),
      'KC001',
    ],
    [
      'an expired suppression',
      (stack) => {
        key(stack, { copies: [{ kind: 'cold', medium: 'nas', location: '/mnt/nas/k.age' }, { kind: 'paper', medium: 'paper', location: 'safe', offsite: true }] });
        CustodySuppressions.add(stack, [{ id: 'KC030', reason: 'drills start next quarter', owner: 'ops', expires: '2020-01-01' }]);
      },
      'KC090',
    ],
    ['a key with a single copy', (stack) => void key(stack), 'KC020'],
  ];
  it.each(cases)('%s', (_name, build, ruleId) => {
    const { app, stack } = scope();
    KeyCustody.enable(app, { today: '2026-01-01' });
    build(stack);
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(ruleId);
    expect(message).toContain('(stack custody)');
    expect(message).toContain('fix: ');
    expect(message).not.toContain('${var.masterkey}');
    const stacksDir = join(app.outdir, 'stacks');
    const written = existsSync(stacksDir) ? readdirSync(stacksDir).filter((s) => existsSync(join(stacksDir, s, 'cdk.tf.json'))) : [];
    expect(written).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// CLI

const good = join(tmp, 'good');
mkdirSync(join(good, 'stacks', 'app'), { recursive: true });
writeFileSync(join(good, 'stacks', 'app', 'cdk.tf.json'), JSON.stringify({ resource: { docker_container: { app: { name: 'app', image: 'nginx' } } } }));

function file(name: string, content: string | Buffer): string {
  const p = join(tmp, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, content);
  return p;
}

interface CliRow {
  readonly name: string;
  readonly argv: () => string[];
  readonly what: string | RegExp;
  /** The offending value (an argument or a path) the message must name. */
  readonly value: () => string;
  readonly fix: string | RegExp;
}

const validTfJson = JSON.stringify({ resource: { aws_s3_bucket: { keys: { bucket: 'kc-keys', tags: { 'custody:role': 'key-backup' } } } } }, null, 2);
const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]), Buffer.from('tfplan\u0000\u0001\u0002garbage', 'binary')]);

const CLI_ROWS: CliRow[] = [
  { name: 'no command', argv: () => [], what: 'no command given', value: () => 'key-custody check <path>', fix: 'usage: key-custody check' },
  { name: 'unknown subcommand', argv: () => ['lint', good], what: 'unknown command', value: () => '"lint"', fix: 'run `key-custody --help`' },
  { name: 'unknown option before the command', argv: () => ['--frobnicate'], what: 'unknown option', value: () => '--frobnicate', fix: 'run `key-custody --help`' },
  { name: 'check without paths', argv: () => ['check'], what: 'check needs at least one path', value: () => 'path', fix: 'run `cdktf synth` first and pass its cdktf.out folder' },
  { name: 'unknown format', argv: () => ['check', good, '--format', 'yaml'], what: 'unknown format', value: () => '"yaml"', fix: 'use one of text, markdown, json, sarif' },
  { name: '--format without a value', argv: () => ['check', good, '--format'], what: '--format needs a value', value: () => '--format', fix: 'text, markdown, json, sarif' },
  { name: '--strict with a value', argv: () => ['check', good, '--strict=yes'], what: 'unknown option', value: () => '--strict=yes', fix: 'run `key-custody --help`' },
  { name: 'missing path', argv: () => ['check', join(tmp, 'no-such-dir')], what: 'does not exist', value: () => join(tmp, 'no-such-dir'), fix: 'run `cdktf synth` first' },
  { name: 'empty file', argv: () => ['check', file('empty/cdk.tf.json', '')], what: 'is empty', value: () => 'cdk.tf.json', fix: 'run `cdktf synth` first' },
  { name: 'not JSON', argv: () => ['check', file('text/cdk.tf.json', 'resource "aws_s3_bucket" "x" {}\n')], what: 'is not JSON', value: () => 'cdk.tf.json', fix: 'pass a cdktf.out folder' },
  { name: 'another kind of JSON', argv: () => ['check', file('other/package.json', '{"name":"x","version":"1.0.0"}')], what: 'is JSON but not Terraform JSON', value: () => 'package.json', fix: 'pass a cdktf.out folder' },
  { name: 'binary plan file (zip)', argv: () => ['check', file('bin/plan.out', zip)], what: 'is a binary Terraform plan, not its JSON', value: () => 'plan.out', fix: 'terraform show -json' },
  { name: 'truncated Terraform JSON', argv: () => ['check', file('trunc/cdk.tf.json', validTfJson.slice(0, validTfJson.length / 2))], what: /is not JSON \(Unterminated|is not JSON \(Expected|is not JSON/, value: () => 'cdk.tf.json', fix: 'pass a cdktf.out folder' },
  { name: 'state JSON instead of a plan', argv: () => ['check', file('state/state.json', JSON.stringify({ format_version: '1.0', terraform_version: '1.11.0', values: { root_module: {} } }))], what: 'is Terraform state, not a plan', value: () => 'state.json', fix: 'pass the output of `terraform show -json plan.out`' },
  { name: 'cdktf.out whose manifest lists a missing stack', argv: () => { const d = join(tmp, 'broken-out'); mkdirSync(d, { recursive: true }); writeFileSync(join(d, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: { gone: { name: 'gone', synthesizedStackPath: 'stacks/gone/cdk.tf.json' } } })); return ['check', d]; }, what: 'is listed in', value: () => 'stacks/gone/cdk.tf.json', fix: 'run `cdktf synth` again' },
  { name: 'empty folder', argv: () => { const d = join(tmp, 'empty-dir'); mkdirSync(d, { recursive: true }); return ['check', d]; }, what: 'holds no stacks', value: () => 'empty-dir', fix: /cdktf synth/ },
];

describe('bad CLI arguments and input files', () => {
  it.each(CLI_ROWS.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    let out = '';
    let err = '';
    const code = await main(row.argv(), { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd: tmp });
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.endsWith('\n')).toBe(true);
    expect(err.trimEnd().split('\n'), err).toHaveLength(1);
    expect(err.startsWith('key-custody: '), err).toBe(true);
    expect(err).not.toMatch(/\s+at \S+ \(|internal error/);
    expect(matches(err, row.what), `what was wrong: ${err}`).toBe(true);
    expect(err.includes(row.value()), `the value ${row.value()}: ${err}`).toBe(true);
    expect(matches(err, row.fix), `the fix: ${err}`).toBe(true);
  });
});

describe('catalogue size', () => {
  it('has at least 30 rows across construct props, CLI arguments and input files', () => {
    expect(CONSTRUCT_ROWS.length + CLI_ROWS.length).toBeGreaterThanOrEqual(30);
  });
});
