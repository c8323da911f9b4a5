/**
 * What the construct path of the built package loads (bench/README.md, B1: every module the
 * library loads is paid by every `cdktf synth`). Built here the way `npm run build` builds (and
 * the bench measures: tsc, then scripts/bundle-entry.mjs), the package's entry is one file, and
 * it validates props with the zod bundled into it (what lib/vendor/zod.ts re-exports), not with
 * the zod package, whose 95 modules cost ~40 ms: the
 * construct path loads no module of the zod package, and everything a user sees is the same as
 * from the source, which imports zod itself (props errors, findings, synthesized files).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../bench/harness/build';

const repo = join(__dirname, '..', '..');
const tsx = join(repo, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const scenarios = join(repo, 'test', 'fixtures', 'construct-path', 'scenarios.cjs');
const env = { ...process.env, CHECKPOINT_DISABLE: '1' };
const tmp = mkdtempSync(join(tmpdir(), 'kc-construct-path-'));
let out = '';

/** Synthesize the example through `main` (a built .js or the source .ts) into `outdir`; the modules it loaded. */
function synthExample(runner: string[], main: string, outdir: string): string[] {
  const script = `const m = require(${JSON.stringify(main)}); m.buildApp(${JSON.stringify(outdir)}).synth(); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const file = join(tmp, `synth-${runner.length ? 'source' : 'built'}.cjs`);
  writeFileSync(file, script);
  const r = spawnSync(process.execPath, [...runner, file], { cwd: repo, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`synth of ${main} failed (exit ${r.status}):\n${r.stderr.slice(-4000)}`);
  return JSON.parse(r.stdout) as string[];
}

function runScenarios(runner: string[], entry: string): Record<string, { ok?: unknown; error?: string }> {
  const r = spawnSync(process.execPath, [...runner, scenarios, entry, join(tmp, `scenarios-${runner.length}`)], { cwd: repo, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scenarios on ${entry} failed (exit ${r.status}):\n${r.stderr.slice(-4000)}`);
  return JSON.parse(r.stdout) as Record<string, { ok?: unknown; error?: string }>;
}

/** Every file under `dir`, relative, with its content. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

beforeAll(() => {
  out = compile(repo).out;
}, 600_000);

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('the built package bundles the zod it uses', () => {
  let builtModules: string[] = [];
  const builtOut = join(tmp, 'built');
  const sourceOut = join(tmp, 'source');

  beforeAll(() => {
    builtModules = synthExample([], join(out, 'examples', 'zitadel-single-host', 'main.js'), builtOut);
    synthExample([tsx], join(repo, 'examples', 'zitadel-single-host', 'main.ts'), sourceOut);
  }, 120_000);

  it('loads no module of the zod package to construct and synthesize the example', () => {
    expect(builtModules.filter((f) => f.includes(`${join('node_modules', 'zod')}/`))).toEqual([]);
  });

  it('loads the library as one file: the bundled entry (scripts/bundle-entry.mjs), zod inside', () => {
    const own = builtModules.filter((f) => f.startsWith(join(out, 'lib') + '/'));
    // The example meets no AWS-managed policy ARN, so the policy extract stays unloaded too.
    expect(own).toEqual([join(out, 'lib', 'index.js')]);
    const entry = readFileSync(join(out, 'lib', 'index.js'), 'utf8');
    // The props were validated through the zod inside it, shipped under zod's licence.
    expect(entry).toMatch(/^\/\*! cdktf-key-custody entry bundle \(scripts\/bundle-entry\.mjs\)\. It contains zod \d+\.\d+\.\d+:\nMIT License/);
    expect(entry).not.toMatch(/require\(["']zod/);
    expect(entry).toContain('safeParse');
    expect([...entry.matchAll(/require\((["'])(\.[^"']*)\1\)/g)].map((m) => m[2])).toEqual(['./model/iam/aws-managed.generated']);
    // tsc's entry, kept by the bench build for its instrumented runs, is the same API.
    const names = (file: string) => {
      const r = spawnSync(process.execPath, ['-e', `process.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(file)}))))`], { encoding: 'utf8' });
      return (JSON.parse(r.stdout) as string[]).sort();
    };
    expect(names(join(out, 'lib', 'index.js'))).toEqual(names(join(out, 'lib', 'index.modules.js')));
    expect(names(join(out, 'lib', 'index.js'))).toEqual(expect.arrayContaining(['MasterKey', 'KeyCustody', 'RecoveryDrill', 'buildModel', 'runRules']));
  });

  it('ships zod under its license, and nothing of it is required from the zod package', () => {
    // zod ships inside the entry bundle, the one file the package loads to construct.
    const bundle = readFileSync(join(out, 'lib', 'index.js'), 'utf8');
    const version = (JSON.parse(readFileSync(join(repo, 'node_modules', 'zod', 'package.json'), 'utf8')) as { version: string }).version;
    expect(bundle.startsWith(`/*! cdktf-key-custody entry bundle (scripts/bundle-entry.mjs). It contains zod ${version}:`)).toBe(true);
    expect(bundle).toContain('MIT License');
    expect(bundle).not.toMatch(/require\(["']zod/);
  });

  it('synthesizes the same files as the source does with the zod package', () => {
    const built = tree(builtOut);
    const source = tree(sourceOut);
    expect([...built.keys()].sort()).toEqual([...source.keys()].sort());
    expect(built.size).toBeGreaterThan(10);
    // The call sites the constructs record (`//.metadata.keyCustody`) are lines of the example
    // that made them: its compiled .js in a temp folder here, its .ts from source. Everything
    // else is identical.
    const sites = (file: string, text: string | undefined): string | undefined => {
      if (text === undefined || !file.endsWith('cdk.tf.json')) return text;
      const doc = JSON.parse(text) as { '//'?: { metadata?: { keyCustody?: { sources?: Record<string, string>; grants?: { at?: string; call?: string }[] } } } };
      const kc = doc['//']?.metadata?.keyCustody;
      if (kc?.sources) for (const k of Object.keys(kc.sources)) kc.sources[k] = kc.sources[k].replace(/^(?:.*\/)?examples\/zitadel-single-host\/main\.(ts|js):\d+$/, 'examples/zitadel-single-host/main:<line>');
      for (const g of kc?.grants ?? []) if (g.at) g.at = g.at.replace(/^(?:.*\/)?examples\/zitadel-single-host\/main\.(ts|js):\d+$/, 'examples/zitadel-single-host/main:<line>');
      return JSON.stringify(doc, null, 2);
    };
    for (const [file, text] of source) expect(sites(file, built.get(file)), file).toBe(sites(file, text));
    expect([...source.values()].join('\n')).toMatch(/"examples\/zitadel-single-host\/main\.ts:\d+"/);
  });

  it('gives the same props errors and findings as the source does with the zod package', () => {
    const built = runScenarios([], join(out, 'lib', 'index.js'));
    const source = runScenarios([tsx], join(repo, 'lib', 'index.ts'));
    expect(built).toEqual(source);
    // The scenarios exercise zod: every bad one fails with zod's issues, the good one passes.
    const managed = 'an AWS-managed policy attached to a role is read from the policy table';
    const bad = Object.entries(source).filter(([name]) => name !== 'a good app synthesizes' && name !== managed);
    expect(bad.length).toBeGreaterThanOrEqual(8);
    for (const [name, r] of bad) expect(r.error, name).toMatch(/invalid props\n✖ /);
    expect(source['a good app synthesizes'].ok).toEqual(expect.arrayContaining([expect.stringMatching(/^KC030 error suppressed/)]));
    expect(JSON.stringify(source)).toContain('Invalid input: expected number, received string');
    // The policy table (outside the entry bundle) was read: the role's AWS-managed read-all
    // policy is weighed against the key bucket's policy, which keeps it out.
    expect(built[managed].error).toBeUndefined();
    expect(JSON.stringify(built[managed].ok)).toContain('"unreached":["keys/aws_iam_role.Reader"]');
  });
});

describe('lib/vendor/zod.ts is the only import of zod', () => {
  it('no other file of lib/ imports zod', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const importers = files(join(repo, 'lib'))
      .filter((f) => /(from |require\(|import\()\s*['"]zod(\/[^'"]*)?['"]/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(repo, f));
    expect(importers).toEqual(['lib/vendor/zod.ts']);
  });
});
