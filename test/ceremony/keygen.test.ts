/**
 * The key ceremony end to end (#20): `key-custody keygen` in-process, `age -d` (Debian's age,
 * installed by .ci/run) on its cold and offsite copies, the offsite upload against s3rver on
 * loopback, the paper sheet, the copies record, and no key bytes in any output.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/main';
import { fingerprintMatches, FINGERPRINT_RE } from '../../lib/policy/fingerprint';
import { createRequire } from 'node:module';
import { startLocalS3, type LocalS3 } from '../helpers/s3-server';

/** Whether s3rver is installed (the offsite tests skip otherwise, and fail in CI). */
function hasS3rver(): boolean {
  try {
    createRequire(__filename).resolve('s3rver');
    return true;
  } catch {
    return false;
  }
}

/** s3rver's own credentials (test/helpers/s3-server.ts), for the SDK keygen uploads with. */
const S3RVER_ENV = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };

/** An object's bytes, read back with the SDK (the helper's `read` gives text; an age file is binary). */
async function getObject(s3: LocalS3, bucket: string, key: string): Promise<Buffer> {
  const name = '@aws-sdk/client-s3';
  const sdk = (await import(name)) as typeof import('@aws-sdk/client-s3');
  const client = new sdk.S3Client({ region: 'us-east-1', endpoint: s3.url, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  try {
    const r = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await (r.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
  } finally {
    client.destroy();
  }
}

const hasAge = spawnSync('age', ['--version']).status === 0;
if (process.env.CI && !hasAge) throw new Error('the age CLI is missing: .ci/run must `apt-get install -y age`');
if (process.env.CI && !hasS3rver()) throw new Error('s3rver is missing: it is a devDependency');

let dir: string;
let identity: string;
let recipient: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keygen-'));
  if (!hasAge) return;
  identity = join(dir, 'identity.txt');
  execFileSync('age-keygen', ['-o', identity], { stdio: 'ignore' });
  recipient = execFileSync('age-keygen', ['-y', identity]).toString().trim();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function keygen(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['keygen', ...args], { stdout: { write: (c: string) => out.push(c) }, stderr: { write: (c: string) => err.push(c) } });
  return { code, out: out.join(''), err: err.join('') };
}

function ageDecrypt(file: string): Buffer {
  return execFileSync('age', ['-d', '-i', identity, file]);
}

/** Every file under `root`, recursively. */
function tree(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tree(join(root, e.name)) : [join(root, e.name)]));
}

describe.skipIf(!hasAge)('keygen round trip', () => {
  it('writes the hot copy owner-only in a 0700 folder, a cold copy age -d gives back byte for byte, a paper sheet and a record, and prints no key', async () => {
    const base = join(dir, 'zitadel');
    const hot = join(base, 'etc', 'masterkey');
    const cold = join(base, 'nas', 'masterkey.age');
    const paper = join(base, 'paper', 'sheet.html');
    const record = join(base, 'custody-copies.json');
    const r = await keygen(['--app', 'zitadel', '--key-id', 'zitadel-prod', '--generation', '2', '--hot', hot, '--cold', `${cold}=nas`, '--recipient', recipient, '--paper', paper, '--manifest', record]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);

    const key = readFileSync(hot);
    expect(key.length).toBe(32);
    expect(key.toString('latin1')).toMatch(/^[A-Za-z0-9+/]{32}$/);
    expect(statSync(hot).mode & 0o777).toBe(0o400);
    expect(statSync(join(base, 'etc')).mode & 0o777).toBe(0o700);
    expect(ageDecrypt(cold).equals(key)).toBe(true);

    const copies = JSON.parse(readFileSync(record, 'utf8')) as { kind: string; copies: { kind: string; medium: string; generation: number; fingerprint: string; date: string; offsite: boolean }[] };
    expect(copies.kind).toBe('cdktf-key-custody/copies');
    expect(copies.copies.map((c) => [c.kind, c.medium, c.generation, c.offsite])).toEqual([
      ['hot', 'host-file', 2, false],
      ['cold', 'nas', 2, false],
      ['paper', 'paper', 2, true],
    ]);
    const fp = copies.copies[0].fingerprint;
    expect(fp).toMatch(FINGERPRINT_RE);
    expect(new Set(copies.copies.map((c) => c.fingerprint))).toEqual(new Set([fp]));
    expect(fingerprintMatches(key, fp)).toBe(true);
    expect(copies.copies[0].date).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const sheet = readFileSync(paper, 'utf8');
    expect(sheet).toContain(fp);
    expect(sheet).toContain('zitadel-prod');
    expect(sheet).toContain('tamper-evident envelope');
    // The key on paper, in groups of four.
    const groups = key.toString('latin1').match(/.{4}/g) as string[];
    for (const g of groups) expect(sheet).toContain(g.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`));
    expect(statSync(paper).mode & 0o777).toBe(0o600);

    // Every copy printed with its fingerprint; no key bytes anywhere but in the copies.
    for (const c of [hot, cold]) expect(r.out).toContain(c);
    for (const line of r.out.split('\n').filter((l) => /^ {2}(hot|cold|paper) /.test(l))) expect(line.endsWith(fp)).toBe(true);
    expect(r.out.split('\n').filter((l) => /^ {2}(hot|cold|paper) /.test(l))).toHaveLength(3);
    const text = key.toString('latin1');
    for (const s of [r.out, r.err, readFileSync(record, 'utf8')]) {
      expect(s).not.toContain(text);
      for (let i = 0; i + 12 <= text.length; i += 4) expect(s).not.toContain(text.slice(i, i + 12));
    }
    // No temporaries left beside the copies.
    expect(tree(base).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('makes 64 hex characters for servos unless pinned to hex32, and never a trailing newline', async () => {
    const a = join(dir, 'servos64', 'key');
    const b = join(dir, 'servos32', 'key');
    expect((await keygen(['--app', 'servos', '--hot', a])).code).toBe(0);
    expect((await keygen(['--app', 'act', '--key-format', 'hex32', '--hot', b])).code).toBe(0);
    expect(readFileSync(a, 'latin1')).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(b, 'latin1')).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe.skipIf(!hasAge || !hasS3rver())('keygen offsite copy', () => {
  let s3: LocalS3;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    s3 = await startLocalS3(['acme-servos-key']);
    for (const [k, v] of Object.entries(S3RVER_ENV)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await s3.close();
  });

  it('uploads the age-encrypted key to <prefix>/<keyId>/<generation>/masterkey.age, which age -d gives back byte for byte', async () => {
    const hot = join(dir, 'offsite', 'etc', 'servos_master_key');
    const record = join(dir, 'offsite', 'copies.json');
    const r = await keygen(['--app', 'servos', '--key-id', 'servos-prod', '--generation', '3', '--hot', hot, '--recipient', recipient, '--offsite', 's3://acme-servos-key/keys', '--endpoint', s3.url, '--manifest', record]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(s3.objects('acme-servos-key')).toEqual(['keys/servos-prod/3/masterkey.age']);
    const stored = join(dir, 'offsite', 'fetched.age');
    writeFileSync(stored, await getObject(s3, 'acme-servos-key', 'keys/servos-prod/3/masterkey.age'));
    const key = readFileSync(hot);
    expect(ageDecrypt(stored).equals(key)).toBe(true);
    expect(readFileSync(stored).includes(key)).toBe(false);
    const rec = readFileSync(record, 'utf8');
    expect(rec).toContain('s3://acme-servos-key/keys/servos-prod/3/masterkey.age');
    expect(rec).not.toContain(key.toString('latin1'));
    expect(r.out).not.toContain(key.toString('latin1'));
  });

  it('an unreachable endpoint is one line, and no copy is left behind', async () => {
    const base = join(dir, 'unreachable');
    const r = await keygen([
      '--app', 'act', '--hot', join(base, 'etc', 'key'), '--cold', join(base, 'nas', 'key.age'), '--recipient', recipient,
      '--paper', join(base, 'sheet.html'), '--manifest', join(base, 'copies.json'),
      '--offsite', 's3://acme-servos-key', '--endpoint', 'http://127.0.0.1:9',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^key-custody keygen: cannot upload the offsite copy to s3:\/\/acme-servos-key\/act\/1\/masterkey\.age at http:\/\/127\.0\.0\.1:9: the endpoint is unreachable \(ECONNREFUSED\)/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(tree(base)).toEqual([]);
  });
});

describe.skipIf(!hasAge)('keygen refuses bad input in one line and leaves nothing', () => {
  it('an existing hot copy unless --force; with --force it is replaced', async () => {
    const base = join(dir, 'exists');
    const hot = join(base, 'etc', 'masterkey');
    mkdirSync(join(base, 'etc'), { recursive: true, mode: 0o700 });
    writeFileSync(hot, 'old', { mode: 0o400 });
    const cold = join(base, 'cold.age');
    const r = await keygen(['--app', 'zitadel', '--hot', hot, '--cold', cold, '--recipient', recipient]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`key-custody keygen: the hot copy ${hot} already exists; refusing to overwrite a key copy: choose another path, or pass --force to replace it\n`);
    expect(readFileSync(hot, 'utf8')).toBe('old');
    expect(existsSync(cold)).toBe(false);
    const f = await keygen(['--app', 'zitadel', '--hot', hot, '--cold', cold, '--recipient', recipient, '--force']);
    expect(f.code).toBe(0);
    expect(readFileSync(hot).length).toBe(32);
    expect(ageDecrypt(cold).equals(readFileSync(hot))).toBe(true);
  });

  it('a wrong recipient, before any key exists', async () => {
    const base = join(dir, 'recipient');
    const r = await keygen(['--app', 'zitadel', '--hot', join(base, 'k'), '--cold', join(base, 'k.age'), '--recipient', 'age1notarecipient']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^key-custody keygen: --recipient "age1notarecipient" is not an age recipient \(.*\); give the age1\.\.\. public key `age-keygen -y <identity file>` prints\n$/);
    expect(existsSync(base)).toBe(false);
  });

  it('an age secret key given as recipient is refused without being echoed', async () => {
    const secret = readFileSync(identity, 'utf8').match(/AGE-SECRET-KEY-1[0-9A-Z]+/)?.[0] as string;
    const r = await keygen(['--app', 'zitadel', '--hot', join(dir, 'secret', 'k'), '--cold', join(dir, 'secret', 'k.age'), '--recipient', secret]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('is an age SECRET key');
    expect(r.err).not.toContain(secret);
  });

  it('a path that cannot be written: the cold copy under a file', async () => {
    const base = join(dir, 'unwritable');
    mkdirSync(base, { recursive: true });
    writeFileSync(join(base, 'file'), 'x');
    const r = await keygen(['--app', 'servos', '--hot', join(base, 'etc', 'k'), '--cold', join(base, 'file', 'k.age'), '--recipient', recipient]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^key-custody keygen: cannot write .*\/file\/k\.age: .*file\/ is not a folder|^key-custody keygen: cannot .*file/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(tree(base)).toEqual([join(base, 'file')]);
  });

  it('a hot folder others can enter', async () => {
    const base = join(dir, 'open');
    mkdirSync(base, { recursive: true, mode: 0o755 });
    execFileSync('chmod', ['0755', base]);
    const r = await keygen(['--app', 'zitadel', '--hot', join(base, 'k')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`run \`chmod 0700 ${base}\` first`);
    expect(tree(base)).toEqual([]);
  });

  it('cold or offsite copies without a recipient, 0600 for zitadel, unknown app', async () => {
    expect((await keygen(['--app', 'zitadel', '--hot', join(dir, 'x', 'k'), '--cold', join(dir, 'x', 'k.age')])).err).toContain('give at least one --recipient');
    expect((await keygen(['--app', 'zitadel', '--hot', join(dir, 'x', 'k'), '--hot-mode', '0600'])).err).toContain('the zitadel runbook wants the key file 0400');
    expect((await keygen(['--app', 'nope', '--hot', join(dir, 'x', 'k')])).err).toContain('unknown app "nope"');
    expect((await keygen(['--app', 'zitadel', '--hot', join(dir, 'x', 'k'), '--key-format', 'hex32'])).err).toContain('is for hex keys');
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});
