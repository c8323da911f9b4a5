/**
 * Compile the library, the benchmark children and the examples to plain JS in a temp dir, the
 * way `npm run build` compiles the package (tsc, then scripts/bundle-entry.mjs), so that every
 * measured child runs precompiled code under plain
 * `node`: no tsx/esbuild transform on the clock (tsx transforms each .ts file on first load,
 * which inflates import and synth times by an amount that depends on the transform cache,
 * i.e. noise).
 *
 * `tsc --noCheck` only emits (type checking is `npm run typecheck`'s job). The temp dir gets a
 * `node_modules` symlink to the repository's, so `require('cdktf')` resolves exactly as in the
 * repository, and the library's own files keep their layout (`<out>/lib/index.js` is the
 * bundled entry, `<out>/lib/index.modules.js` tsc's).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Build {
  /** Root of the compiled tree: `<out>/lib`, `<out>/bench`, `<out>/examples`. */
  readonly out: string;
  readonly ms: number;
}

export function compile(repo: string): Build {
  const out = mkdtempSync(join(tmpdir(), 'kc-bench-js-'));
  const started = performance.now();
  const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  const res = spawnSync(process.execPath, [tsc, '-p', join(repo, 'bench', 'tsconfig.json'), '--outDir', out, '--noCheck', '--sourceMap', 'false'], {
    cwd: repo,
    encoding: 'utf8',
  });
  if (res.status !== 0 || !existsSync(join(out, 'lib', 'index.js'))) {
    throw new Error(`tsc failed (exit ${res.status}):\n${(res.stdout + res.stderr).slice(-4000)}`);
  }
  symlinkSync(join(repo, 'node_modules'), join(out, 'node_modules'), 'dir');
  // The same post-tsc step as `npm run build`: the entry bundle (scripts/bundle-entry.mjs); tsc's entry
  // is kept beside it as lib/index.modules.js for the instrumented runs (children/synth.ts --phases).
  const entry = spawnSync(process.execPath, [join(repo, 'scripts', 'bundle-entry.mjs'), out, '--keep-modules'], { cwd: repo, encoding: 'utf8' });
  if (entry.status !== 0) throw new Error(`scripts/bundle-entry.mjs failed (exit ${entry.status}):\n${(entry.stdout + entry.stderr).slice(-4000)}`);
  return { out, ms: performance.now() - started };
}
