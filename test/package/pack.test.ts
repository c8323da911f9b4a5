/**
 * The package tier: build, `npm pack`, install the tarball into a fresh consumer app, and
 * synthesize it there. Peers (cdktf, constructs, the providers) are linked from this repo's
 * node_modules rather than downloaded again, which is what a consumer's own install gives.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'kc-pack-'));
const consumer = join(tmp, 'consumer');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PEERS = ['cdktf', 'constructs', '@cdktf/provider-aws', '@cdktf/provider-docker'];

const APP = `
const { App, TerraformStack } = require('cdktf');
const { DockerProvider } = require('@cdktf/provider-docker/lib/provider');
const { Container } = require('@cdktf/provider-docker/lib/container');
const { MasterKey, ProtectedAppContainer, KeyCustody, CustodySuppressions } = require('cdktf-key-custody');

const FP = 'kcfp1:${'1'.repeat(32)}:${'2'.repeat(64)}';
const app = new App({ outdir: process.argv[2] });
const check = KeyCustody.enable(app);
const stack = new TerraformStack(app, 'host');
const docker = new DockerProvider(stack, 'docker', { host: 'ssh://deploy@zitadel.example.com' });
const key = new MasterKey(stack, 'Key', {
  keyId: 'zitadel-master', profile: 'zitadel',
  hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' },
  // The fingerprint keygen printed: the evidence KC020 counts (#20).
  fingerprint: FP,
  copies: [
    { kind: 'cold', medium: 'nas', location: 'nas01:/vault/masterkey.age', fingerprint: FP },
    { kind: 'paper', medium: 'paper', location: 'safe', offsite: true, fingerprint: FP },
  ],
});
new ProtectedAppContainer(stack, 'Zitadel', { masterKey: key, provider: docker });
// This small consumer has no drill environment; say so, with a reason, as a consumer would.
CustodySuppressions.add(stack, [{ id: 'KC030', reason: 'the drill environment lives in the ops repository', owner: 'ops', expires: new Date(Date.now() + 90 * 86400000).toISOString().slice(0, 10) }]);
if (process.env.PLANT_VIOLATION) {
  new Container(stack, 'Legacy', { name: 'legacy', image: 'ghcr.io/zitadel/zitadel:v4.13.0', env: ['ZITADEL_MASTERKEY=\${var.k}'], provider: docker });
}
app.synth();
const ids = [...new Set(check.lastResult.findings.filter((f) => !f.suppressed).map((f) => f.ruleId))];
process.stdout.write(JSON.stringify({ ids }) + '\\n');
`;

let tarball = '';

beforeAll(() => {
  // `npm pack` runs the `prepack` build, so the tarball holds what `tsc` emits now.
  const out = execFileSync('npm', ['pack', '--pack-destination', tmp, '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const info = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  tarball = join(tmp, info[0].filename);
  mkdirSync(consumer, { recursive: true });
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  execFileSync('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--legacy-peer-deps', '--no-package-lock'], {
    cwd: consumer,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // After the install: npm prunes what its package.json does not name.
  mkdirSync(join(consumer, 'node_modules', '@cdktf'), { recursive: true });
  for (const p of PEERS) symlinkSync(join(root, 'node_modules', p), join(consumer, 'node_modules', p), 'dir');
  writeFileSync(join(consumer, 'main.js'), APP);
}, 600_000);

describe('package tier: the packed tarball in a fresh consumer app', () => {
  it('ships the compiled library with declarations, RULES.md and the bin, and no sources or tests', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files).toContain('package/dist/lib/index.js');
    expect(files).toContain('package/dist/lib/index.d.ts');
    expect(files).toContain('package/dist/lib/cli/bin.js');
    expect(files).toContain('package/RULES.md');
    expect(files.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => f.includes('/test/') || f.includes('node_modules'))).toEqual([]);
  });

  it('a consumer app synthesizes clean with the installed package', () => {
    const outdir = join(tmp, 'out-clean');
    const r = spawnSync('node', ['main.js', outdir], { cwd: consumer, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const { ids } = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { ids: string[] };
    expect(ids).toEqual([]);
  });

  it('a violation in the consumer app still fails synth with the rule id', () => {
    const r = spawnSync('node', ['main.js', join(tmp, 'out-violation')], { cwd: consumer, encoding: 'utf8', env: { ...process.env, PLANT_VIOLATION: '1' } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/KC001 docker_container\.Legacy \(stack host\)/);
  });

  it('the key-custody bin runs from the installed package', () => {
    const outdir = join(tmp, 'out-bin');
    spawnSync('node', ['main.js', outdir], { cwd: consumer, encoding: 'utf8' });
    const r = spawnSync(join(consumer, 'node_modules', '.bin', 'key-custody'), ['check', outdir, '--format', 'json'], { encoding: 'utf8' });
    const out = JSON.parse(r.stdout) as { findings: { ruleId: string; suppressed: boolean }[] };
    expect(Array.isArray(out.findings)).toBe(true);
    expect(r.status, r.stderr).toBe(0);
    expect(out.findings.find((f) => f.ruleId === 'KC030')).toMatchObject({ suppressed: true });
  });

  it('importing the library never loads the root of @cdktf/provider-aws or @cdktf/provider-docker', () => {
    const probe = `require('cdktf-key-custody');
const roots = Object.keys(require.cache).filter((p) => /@cdktf[\\/\\\\]provider-(aws|docker)[\\/\\\\]lib[\\/\\\\]index\\.js$/.test(p));
process.stdout.write(JSON.stringify(roots));`;
    const r = spawnSync('node', ['-e', probe], { cwd: consumer, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    // And the probe can see root imports when they happen (the test is not vacuous).
    const control = spawnSync('node', ['-e', `require('@cdktf/provider-docker'); ${probe.split('\n').slice(1).join('\n')}`], { cwd: consumer, encoding: 'utf8' });
    expect(JSON.parse(control.stdout).length).toBe(1);
  });

  it('exposes the report, vocabulary and key-file checks as subpaths, and keeps them out of the root', () => {
    const probe = `const root = require('cdktf-key-custody');
const report = require('cdktf-key-custody/report');
const policy = require('cdktf-key-custody/policy');
const keyfile = require('cdktf-key-custody/keyfile');
process.stdout.write(JSON.stringify({
  report: typeof report.renderMarkdown, policy: policy.TAG_ROLE, keyfile: typeof keyfile.verifyKeyFile,
  rootHasRenderer: 'renderMarkdown' in root, rootHasCheck: typeof root.runRules, rootHasConstruct: typeof root.MasterKey,
}));`;
    const r = spawnSync('node', ['-e', probe], { cwd: consumer, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ report: 'function', policy: 'custody:role', keyfile: 'function', rootHasRenderer: false, rootHasCheck: 'function', rootHasConstruct: 'function' });
  });

  it('declares cdktf, constructs and the providers as peer dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(consumer, 'node_modules', 'cdktf-key-custody', 'package.json'), 'utf8')) as { peerDependencies: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }>; dependencies: Record<string, string> };
    // The optional peers are loaded only by the commands that need them (check --source, keygen).
    const optional = ['@aws-sdk/client-s3', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm', '@cdktf/hcl2json'];
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual([...PEERS, ...optional].sort());
    expect(Object.keys(pkg.peerDependenciesMeta ?? {}).sort()).toEqual(optional);
    expect(Object.values(pkg.peerDependenciesMeta ?? {}).every((m) => m.optional === true)).toBe(true);
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['age-encryption', 'jsonc-parser', 'zod']);
    expect(readdirSync(join(consumer, 'node_modules'))).toEqual(expect.arrayContaining(['age-encryption', 'jsonc-parser', 'zod']));
  });
});
