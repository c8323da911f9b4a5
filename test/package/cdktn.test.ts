/**
 * The package tier on CDK Terrain (issue 23): the packed tarball in a fresh consumer that uses
 * cdktn, the community fork of the archived cdktf, the way the README says:
 *
 *   "cdktf": "npm:cdktn@0.24.0"  in dependencies, and  "overrides": { "cdktf": "npm:cdktn@0.24.0" }
 *
 * with @cdktf/provider-aws 20.1.0 and @cdktf/provider-docker 12.0.3 riding on the alias. It is
 * a real `npm install` from the registry (no --force, no --legacy-peer-deps), so that the peer
 * declarations are tested as a user meets them. The main example (examples/zitadel-single-host)
 * synthesizes with `app.synth()` on this Node (20 in CI; cdktn-cli itself needs Node >= 22.19,
 * so the CLI is not used) and must give what the cdktf 0.21 consumer gives, metadata aside; a
 * planted KC011 violation must fail synth with the same findings.
 *
 * The tarball is built into a temp folder (not the repo's dist/), so this file and
 * test/package/pack.test.ts can run side by side.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'kc-cdktn-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CDKTN = 'npm:cdktn@0.24.0';
const CDKTN_DEPS = {
  cdktf: CDKTN,
  '@cdktf/provider-aws': '20.1.0',
  '@cdktf/provider-docker': '12.0.3',
};

/** The app of examples/zitadel-single-host, importing the installed package instead of ../../lib. */
function exampleJs(): string {
  const src = readFileSync(join(root, 'examples', 'zitadel-single-host', 'main.ts'), 'utf8');
  const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const out = js.replace(/require\("\.\.\/\.\.\/lib"\)/g, 'require("cdktf-key-custody")');
  expect(out).toContain('require("cdktf-key-custody")');
  return out;
}

// One principal (an IAM user) that reads a DB-backup bucket and a key-backup bucket, in the
// key-custody stack through escape-hatch resources: KC011, which cannot be suppressed.
const MAIN = `
const { buildApp } = require('./example');
const app = buildApp(process.argv[2]);
if (process.env.PLANT_KC011) {
  const { S3Bucket } = require('@cdktf/provider-aws/lib/s3-bucket');
  const { IamUser } = require('@cdktf/provider-aws/lib/iam-user');
  const { IamUserPolicy } = require('@cdktf/provider-aws/lib/iam-user-policy');
  const keys = app.node.findChild('key-custody');
  const tags = (role) => ({ 'custody:role': role, 'custody:key': 'zitadel-master', 'custody:app': 'zitadel' });
  const dumps = new S3Bucket(keys, 'LegacyDbDumps', { bucket: 'zitadel-legacy-db-dumps', tags: tags('db-backup') });
  const copy = new S3Bucket(keys, 'LegacyKeyCopy', { bucket: 'zitadel-legacy-key-copy', tags: tags('key-backup') });
  const ops = new IamUser(keys, 'Ops', { name: 'ops' });
  new IamUserPolicy(keys, 'OpsPolicy', {
    user: ops.name,
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: [copy.arn + '/*', dumps.arn + '/*'] }] }),
  });
}
app.synth();
`;

let cdktnInstall = { ms: 0, stderr: '' };

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
}

function consumerDir(name: string, pkg: object): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true, ...pkg }, null, 2));
  writeFileSync(join(dir, 'example.js'), exampleJs());
  writeFileSync(join(dir, 'main.js'), MAIN);
  return dir;
}

let cdktf021 = '';
let cdktn = '';

beforeAll(() => {
  // The tarball, built into a stage of its own: the package.json, docs and `tsc` output.
  const stage = join(tmp, 'stage');
  mkdirSync(stage, { recursive: true });
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(stage, 'dist')], { stdio: ['ignore', 'pipe', 'pipe'] });
  for (const f of ['package.json', 'README.md', 'RULES.md', 'LICENSE']) cpSync(join(root, f), join(stage, f));
  const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--pack-destination', tmp, '--json'], stage)) as { filename: string }[];
  const tarball = join(tmp, packed[0].filename);

  // The cdktf 0.21 consumer: the tarball, with this repo's cdktf 0.21 and providers (as pack.test.ts).
  cdktf021 = consumerDir('consumer-cdktf', {});
  npm(['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--legacy-peer-deps', '--no-package-lock'], cdktf021);
  mkdirSync(join(cdktf021, 'node_modules', '@cdktf'), { recursive: true });
  for (const p of ['cdktf', 'constructs', '@cdktf/provider-aws', '@cdktf/provider-docker']) symlinkSync(join(root, 'node_modules', p), join(cdktf021, 'node_modules', p), 'dir');

  // The cdktn consumer: everything from the registry, as a new user installs it.
  cdktn = consumerDir('consumer-cdktn', { dependencies: { ...CDKTN_DEPS, 'cdktf-key-custody': `file:${tarball}` }, overrides: { cdktf: CDKTN } });
  const t0 = Date.now();
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: cdktn, encoding: 'utf8' });
  cdktnInstall = { ms: Date.now() - t0, stderr: r.stderr };
  if (r.status !== 0) throw new Error(`npm install of the cdktn consumer failed:\n${r.stderr}`);
}, 900_000);

/** Synthesize the example in `consumer`; the exit status, stderr and every file written, parsed. */
function synth(consumer: string, out: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['main.js', out], { cwd: consumer, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env } });
  return { status: r.status, stderr: r.stderr, files: r.status === 0 ? files(out) : {} };
}

/** Every file under `dir` by relative path: JSON parsed, cdktf's version metadata dropped. */
function files(dir: string, rel = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, files(dir, p));
    else if (e.name.endsWith('.json')) out[p] = withoutVersion(JSON.parse(readFileSync(join(dir, p), 'utf8')) as Record<string, unknown>, p);
    else out[p] = readFileSync(join(dir, p), 'utf8');
  }
  return out;
}

/** Metadata aside: the cdktf version in `//.metadata` of each stack and in manifest.json. */
function withoutVersion(json: Record<string, unknown>, path: string): Record<string, unknown> {
  if (path === 'manifest.json') return { ...json, version: '<cdktf version>' };
  const meta = (json['//'] as { metadata?: Record<string, unknown> } | undefined)?.metadata;
  if (meta && typeof meta.version === 'string') meta.version = '<cdktf version>';
  return json;
}

const findings = (stderr: string) => stderr.split('\n').map((l) => l.trim()).filter((l) => /^KC\d{3} /.test(l));

describe('package tier: the library on CDK Terrain (cdktn) through the "cdktf" alias', () => {
  it('installs with the alias and overrides, without --force, as one copy of cdktn under the name cdktf', () => {
    expect(cdktnInstall.stderr).not.toMatch(/ERESOLVE|--force|--legacy-peer-deps/);
    const pkg = JSON.parse(readFileSync(join(cdktn, 'node_modules', 'cdktf', 'package.json'), 'utf8')) as { name: string; version: string };
    expect(pkg).toMatchObject({ name: 'cdktn', version: '0.24.0' });
    // One copy: nothing installed cdktn under its own name, and no nested cdktf.
    expect(readdirSync(join(cdktn, 'node_modules'))).not.toContain('cdktn');
    for (const p of ['cdktf-key-custody', '@cdktf/provider-aws', '@cdktf/provider-docker']) {
      expect(readdirSync(join(cdktn, 'node_modules', p)), p).not.toContain('node_modules');
    }
    // npm finds the tree valid: no invalid or missing peer (the library's own peer names 0.24.0).
    const ls = spawnSync('npm', ['ls', '--all'], { cwd: cdktn, encoding: 'utf8' });
    expect(ls.status, ls.stdout + ls.stderr).toBe(0);
    const peers = (JSON.parse(readFileSync(join(cdktn, 'node_modules', 'cdktf-key-custody', 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> }).peerDependencies;
    expect(peers.cdktf.split('||').map((v) => v.trim())).toEqual(['0.21.0', '0.24.0']);
    process.stdout.write(`cdktn consumer: npm install took ${(cdktnInstall.ms / 1000).toFixed(1)} s on Node ${process.version}\n`);
  });

  it('without the overrides npm refuses the alias: the providers peer on cdktf@^0.21.0 (why the README asks for them)', () => {
    const dir = join(tmp, 'consumer-no-overrides');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'no-overrides', version: '1.0.0', private: true, dependencies: CDKTN_DEPS }));
    const r = spawnSync('npm', ['install', '--dry-run', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/ERESOLVE[\s\S]*peer cdktf@"\^0\.21\.0" from @cdktf\/provider-(aws|docker)/);
  });

  it('synthesizes the main example to the same Terraform JSON, reports and runbooks as on cdktf 0.21', () => {
    const a = synth(cdktf021, join(tmp, 'out-cdktf'));
    const b = synth(cdktn, join(tmp, 'out-cdktn'));
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    expect(Object.keys(a.files)).toEqual(expect.arrayContaining(['stacks/key-custody/cdk.tf.json', 'stacks/drill-host/drill-runbook.md', 'custody-report.json']));
    expect(b.files).toEqual(a.files);
    // And it was cdktn that synthesized: its version is in the metadata the comparison set aside.
    const meta = JSON.parse(readFileSync(join(tmp, 'out-cdktn', 'stacks', 'key-custody', 'cdk.tf.json'), 'utf8')) as { '//': { metadata: { version: string } } };
    expect(meta['//'].metadata.version).toBe('0.24.0');
  });

  it('a planted KC011 violation fails synth on cdktn with the same findings as on cdktf 0.21', () => {
    const a = synth(cdktf021, join(tmp, 'kc011-cdktf'), { PLANT_KC011: '1' });
    const b = synth(cdktn, join(tmp, 'kc011-cdktn'), { PLANT_KC011: '1' });
    expect(a.status).not.toBe(0);
    expect(b.status).not.toBe(0);
    expect(findings(a.stderr).filter((l) => l.startsWith('KC011 '))).toEqual([expect.stringMatching(/^KC011 aws_iam_user\.Ops \(stack key-custody\) /)]);
    expect(findings(b.stderr)).toEqual(findings(a.stderr));
    // Nothing half-written that a deploy could pick up.
    expect(existsSync(join(tmp, 'kc011-cdktn', 'stacks', 'key-custody', 'cdk.tf.json'))).toBe(false);
  });
});
