/**
 * B1/B3 child: one full `app.synth()` into a fresh temp outdir.
 *
 *   node synth.js example            the zitadel-single-host example (examples/.../main.ts)
 *   node synth.js example --phases   the same, instrumented (check phases; see below)
 *   node synth.js baseline           its plain-cdktf twin (bench/baseline/zitadel-single-host.ts)
 *   node synth.js scale <N>          the B3 app with N keys under custody (bench/scale-app.ts), instrumented
 *   node synth.js scale <N> --no-check   the same app without the custody check (B3 control)
 *
 * Reports `importMs` (loading the app module and what it imports), `constructMs` (building
 * the construct tree) and `synthMs` (`app.synth()`, the custody check and reports included).
 *
 * Instrumented runs (`--phases`, and `scale`) also report `checkMs` (the app-wide custody
 * check: the app validation `KeyCustodyCheck.validate`, measured by wrapping it) with its
 * phases `checkReadMs` (reading the written cdk.tf.json files), `checkModelMs` (buildModel),
 * `checkRulesMs` (runRules) and `checkReportsMs` (writing the custody reports). The wrappers
 * replace module exports, which tsc's CommonJS output calls through
 * (`(0, build_1.buildModel)(...)`), so they see every call. The package's entry is one bundle
 * (scripts/bundle-entry.mjs) whose inner functions no wrapper reaches, so instrumented runs load
 * tsc's entry instead (`lib/index.modules.js`, kept by the bench build): the same code, in
 * ~150 files. Their times are the unbundled library's; B1's ratios come from plain runs.
 * With `--keep`, the outdir is left in place and printed as `outdir` (for comparisons).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report, since } from './report';

type Fn = (...args: unknown[]) => unknown;
type AppLike = { synth(): void };

const [mode, arg, ...flags] = process.argv.slice(2);
const phases: Record<string, number> = {};

function wrap(obj: Record<string, unknown>, name: string, phase: string): void {
  const orig = obj[name] as Fn;
  if (typeof orig !== 'function') throw new Error(`cannot instrument ${name}: not a function`);
  obj[name] = function (this: unknown, ...args: unknown[]) {
    const t = performance.now();
    try {
      return orig.apply(this, args);
    } finally {
      phases[phase] = (phases[phase] ?? 0) + since(t);
    }
  };
}

/* eslint-disable @typescript-eslint/no-require-imports */
function instrumentCheck(): void {
  // The wrappers must see the calls: load the library as tsc's files, not as the bundle.
  const Module = require('node:module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const bundled = require.resolve('../../lib/index');
  const modules = require.resolve('../../lib/index.modules');
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request: string, ...rest: unknown[]): string {
    const file = resolveFilename.call(this, request, ...rest);
    return file === bundled ? modules : file;
  };
  const check = require('../../lib/synth/custody-check') as { KeyCustodyCheck: { prototype: Record<string, unknown> } };
  wrap(check.KeyCustodyCheck.prototype, 'validate', 'checkMs');
  wrap(check.KeyCustodyCheck.prototype, 'documents', 'checkReadMs');
  wrap(require('../../lib/model/build') as Record<string, unknown>, 'buildModel', 'checkModelMs');
  wrap(require('../../lib/rules/engine') as Record<string, unknown>, 'runRules', 'checkRulesMs');
  wrap(require('../../lib/synth/reports') as Record<string, unknown>, 'writeReports', 'checkReportsMs');
}

const outdir = mkdtempSync(join(tmpdir(), 'kc-bench-synth-'));
const t0 = performance.now();
let build: () => AppLike;
if (mode === 'example') {
  if (flags.includes('--phases') || arg === '--phases') instrumentCheck();
  const m = require('../../examples/zitadel-single-host/main') as { buildApp(outdir: string): AppLike };
  build = () => m.buildApp(outdir);
} else if (mode === 'baseline') {
  const m = require('../baseline/zitadel-single-host') as { buildApp(outdir: string): AppLike };
  build = () => m.buildApp(outdir);
} else if (mode === 'scale') {
  instrumentCheck();
  const m = require('../scale-app') as { buildScaleApp(outdir: string, n: number, opts: { check: boolean }): AppLike };
  const n = Number(arg);
  build = () => m.buildScaleApp(outdir, n, { check: !flags.includes('--no-check') });
} else {
  throw new Error(`unknown mode ${mode}`);
}
/* eslint-enable @typescript-eslint/no-require-imports */
const importMs = since(t0);
const t1 = performance.now();
const app = build();
const constructMs = since(t1);
const t2 = performance.now();
app.synth();
const synthMs = since(t2);
const keep = flags.includes('--keep') || arg === '--keep';
if (!keep) rmSync(outdir, { recursive: true, force: true });
report({ importMs, constructMs, synthMs, totalMs: importMs + constructMs + synthMs, ...phases, ...(keep ? { outdir } : {}) });
