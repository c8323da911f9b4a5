/**
 * `npm run bench` (full) / `npm run bench:quick` (BENCH_QUICK=1: one run per item, tiny sizes).
 *
 * Runs B1-B5 (see bench/README.md), prints a table and writes bench/results.json. Every
 * measured thing runs in a fresh child process of precompiled JS (see harness/build.ts);
 * things compared with each other run interleaved in the same rounds, and each figure is the
 * median of `runs` rounds after `warmups` unmeasured ones.
 *
 * Environment:
 * - BENCH_QUICK=1        quick mode (CI smoke test): 1 run, no warm-up, N = 1, 10, 1k resources
 * - BENCH_BUDGET_S=540   wall-clock budget; items projected to overrun it are measured once or
 *                        skipped, and the result says so
 * - BENCH_TERRAFORM=0|1  measure `terraform show -json` of a real plan (default: on in full
 *                        mode when terraform and the provider mirror are available, off in quick)
 * - BENCH_OUT=<file>     where to write the results (default bench/results.json)
 * - BENCH_ONLY=B1,B4     run only these benchmarks (B5: the shapes of bench/gen-shapes.ts)
 * - BENCH_LIB_OVERRIDE=<dir>  replace the compiled lib/ by this compiled tree (to measure a
 *                        candidate patch of lib/ before applying it)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { compile } from './harness/build';
import { GNU_TIME, logLogSlope, runOnce, series, sideBySide, type RunSpec, type Sample, type Series } from './harness/measure';

const REPO = join(__dirname, '..');
const QUICK = ['1', 'true'].includes((process.env.BENCH_QUICK ?? '').toLowerCase()) || process.argv.includes('--quick');
const RUNS = QUICK ? 1 : 5;
const WARMUPS = QUICK ? 0 : 1;
const BUDGET_S = Number(process.env.BENCH_BUDGET_S ?? (QUICK ? 300 : 540));
const OUT = process.env.BENCH_OUT ?? join(REPO, 'bench', 'results.json');
const started = performance.now();
const elapsedS = () => (performance.now() - started) / 1000;
const remainingS = () => BUDGET_S - elapsedS();

type Json = Record<string, unknown>;

interface Row {
  readonly bench: string;
  readonly item: string;
  readonly wallMs?: number;
  readonly rssMb?: number;
  /** The headline ratio of the row, or undefined for rows that only carry absolute values. */
  readonly ratio?: number;
  /** What the ratio is of, e.g. `wall vs baseline`. */
  readonly ratioOf?: string;
  readonly target?: string;
  /** met / missed / n/a */
  readonly verdict?: 'met' | 'missed' | 'n/a';
  readonly note?: string;
}

const rows: Row[] = [];
const results: Json = {};
const log = (s: string) => process.stderr.write(`[bench ${elapsedS().toFixed(0).padStart(3)}s] ${s}\n`);
const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

function machine(): Json {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpuModel = m[1].trim();
  } catch {
    // not Linux
  }
  const tf = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  let terraform: string | undefined;
  try {
    terraform = (JSON.parse(tf.stdout) as { terraform_version?: string }).terraform_version;
  } catch {
    terraform = undefined;
  }
  return {
    nproc: availableParallelism(),
    cpuModel,
    memoryGb: r1(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    terraform,
    gnuTime: GNU_TIME ?? null,
    loadAverageAtStart: loadavg().map(r1),
  };
}

/** A node child of the compiled tree. */
function node(js: string, script: string, args: readonly string[], extra: Partial<RunSpec> = {}): RunSpec {
  return { cmd: process.execPath, args: [join(js, script), ...args], cwd: tmpdir(), env: { ...process.env, CHECKPOINT_DISABLE: '1' }, ...extra };
}

function summary(s: Series, fields: readonly string[] = []): Json {
  const out: Json = { wallMs: r1(s.wallMs), minWallMs: r1(s.minWallMs), maxWallMs: r1(s.maxWallMs), rssMb: r1(s.rssMb), runs: s.samples.length };
  for (const f of fields) out[f] = r1(s.field(f));
  return out;
}

const verdict = (ok: boolean): 'met' | 'missed' => (ok ? 'met' : 'missed');

// ---------------------------------------------------------------------------------------------
// B2: import cost
// ---------------------------------------------------------------------------------------------

async function b2(js: string): Promise<void> {
  log('B2 import');
  const lib = join(js, 'lib', 'index.js');
  const specs = {
    node: node(js, 'bench/children/import.js', ['none']),
    deep: node(js, 'bench/children/import.js', ['@cdktf/provider-aws/lib/s3-bucket']),
    library: node(js, 'bench/children/import.js', [lib]),
  };
  const s = await sideBySide(specs, { runs: RUNS, warmups: WARMUPS });
  let root: Series | undefined;
  let rootNote: string | undefined;
  // ~9 s and ~700 MB per run: measured separately after the others, and skipped in quick mode.
  if (QUICK) rootNote = 'skipped in quick mode';
  else {
    const one = await runOnce(node(js, 'bench/children/import.js', ['@cdktf/provider-aws']));
    const runs = one.wallMs / 1000 * RUNS < remainingS() * 0.25 ? RUNS : 1;
    if (runs < RUNS) rootNote = `measured once (budget): ${r1(one.wallMs)} ms`;
    const more = [one];
    // `one` was the warm-up when there is budget for the full series.
    if (runs === RUNS) more.length = 0;
    for (let i = more.length; i < runs; i++) more.push(await runOnce(node(js, 'bench/children/import.js', ['@cdktf/provider-aws'])));
    root = (await import('./harness/measure')).series(more);
  }
  const breakdown = await runOnce(node(js, 'bench/children/import.js', [lib, '--breakdown']));
  const deepBreakdown = await runOnce(node(js, 'bench/children/import.js', ['@cdktf/provider-aws/lib/s3-bucket', '--breakdown']));
  const libRatio = s.library.wallMs / s.deep.wallMs;
  results.B2 = {
    what: 'fresh node process that requires one module; wall = process spawn to exit, requireMs = the require call alone',
    node: summary(s.node, ['requireMs']),
    deepImport: { module: '@cdktf/provider-aws/lib/s3-bucket', ...summary(s.deep, ['requireMs', 'modules']) },
    library: { module: 'cdktf-key-custody (lib/index.js, compiled)', ...summary(s.library, ['requireMs', 'modules']) },
    rootImport: root ? { module: '@cdktf/provider-aws', ...summary(root, ['requireMs', 'modules']), note: rootNote } : { skipped: rootNote },
    ratios: {
      libraryVsDeepWall: r3(libRatio),
      libraryVsDeepRequire: r3(s.library.field('requireMs') / s.deep.field('requireMs')),
      libraryVsDeepRss: r3(s.library.rssMb / s.deep.rssMb),
      rootVsDeepWall: root ? r3(root.wallMs / s.deep.wallMs) : null,
      libraryVsRootWall: root ? r3(s.library.wallMs / root.wallMs) : null,
    },
    libraryBreakdown: { note: 'one instrumented run; self time per package/folder, ms (the hook slows loading: compare shares, not totals)', requireMs: r1(Number(breakdown.report.requireMs)), top: breakdown.report.top },
    deepImportBreakdown: { requireMs: r1(Number(deepBreakdown.report.requireMs)), top: (deepBreakdown.report.top as unknown[]).slice(0, 8) },
  };
  rows.push({ bench: 'B2', item: 'node (empty)', wallMs: s.node.wallMs, rssMb: s.node.rssMb });
  rows.push({ bench: 'B2', item: 'deep import s3-bucket', wallMs: s.deep.wallMs, rssMb: s.deep.rssMb });
  rows.push({ bench: 'B2', item: 'cdktf-key-custody', wallMs: s.library.wallMs, rssMb: s.library.rssMb, ratio: libRatio, ratioOf: 'wall vs deep import', target: '<= 1.5', verdict: verdict(libRatio <= 1.5) });
  if (root) rows.push({ bench: 'B2', item: 'root @cdktf/provider-aws', wallMs: root.wallMs, rssMb: root.rssMb, ratio: root.wallMs / s.deep.wallMs, ratioOf: 'wall vs deep import', note: rootNote });
  else rows.push({ bench: 'B2', item: 'root @cdktf/provider-aws', note: rootNote });
}

// ---------------------------------------------------------------------------------------------
// B1: full synth of the example vs the plain-cdktf baseline
// ---------------------------------------------------------------------------------------------

async function b1(js: string): Promise<void> {
  log('B1 synth');
  // Equivalence check first (it doubles as a warm-up): the baseline must still declare what the example does.
  const ex = await runOnce(node(js, 'bench/children/synth.js', ['example', '--keep']));
  const bl = await runOnce(node(js, 'bench/children/synth.js', ['baseline', '--keep']));
  const { compareApps } = await import('./gen-baseline');
  const read = (dir: string) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
    return new Map(Object.entries(manifest.stacks).map(([n, st]) => [n, JSON.parse(readFileSync(join(dir, st.synthesizedStackPath), 'utf8')) as Json]));
  };
  const exStacks = read(String(ex.report.outdir));
  const diffs = compareApps(exStacks, read(String(bl.report.outdir)));
  const resources = [...exStacks.values()].reduce((n, j) => n + Object.values((j.resource ?? {}) as Record<string, Json>).reduce((m, x) => m + Object.keys(x).length, 0), 0);
  for (const r of [ex, bl]) rmSync(String(r.report.outdir), { recursive: true, force: true });

  const s = await sideBySide(
    { example: node(js, 'bench/children/synth.js', ['example']), baseline: node(js, 'bench/children/synth.js', ['baseline']) },
    { runs: RUNS, warmups: Math.max(0, WARMUPS - 1) },
  );
  const wall = s.example.wallMs / s.baseline.wallMs;
  const rss = s.example.rssMb / s.baseline.rssMb;
  const inProcess = s.example.field('totalMs') / s.baseline.field('totalMs');
  // The check's phases come from instrumented runs of their own (children/synth.ts --phases:
  // tsc's unbundled entry, so the wrappers see the calls); the ratios above never use them.
  const phaseRuns: Sample[] = [];
  for (let i = 0; i < RUNS; i++) phaseRuns.push(await runOnce(node(js, 'bench/children/synth.js', ['example', '--phases'])));
  const phases = series(phaseRuns);
  const phaseFields = ['checkMs', 'checkReadMs', 'checkModelMs', 'checkRulesMs', 'checkReportsMs'];
  results.B1 = {
    what: 'fresh node process: require the app module, build the construct tree, app.synth() into a temp outdir (all stacks; for the example the custody check and reports too)',
    stacks: exStacks.size,
    resources,
    baselineMatchesExample: diffs.length === 0,
    baselineDifferences: diffs.slice(0, 10),
    example: summary(s.example, ['importMs', 'constructMs', 'synthMs', 'totalMs']),
    exampleCheckPhases: { note: 'instrumented runs of the unbundled entry (lib/index.modules.js), not interleaved, not in any ratio', ...summary(phases, ['totalMs', ...phaseFields]) },
    baseline: summary(s.baseline, ['importMs', 'constructMs', 'synthMs', 'totalMs']),
    ratios: {
      wall: r3(wall),
      rss: r3(rss),
      inProcess: r3(inProcess),
      importMs: r3(s.example.field('importMs') / s.baseline.field('importMs')),
      constructMs: r3(s.example.field('constructMs') / s.baseline.field('constructMs')),
      synthMs: r3(s.example.field('synthMs') / s.baseline.field('synthMs')),
    },
  };
  const note = diffs.length ? `BASELINE STALE (${diffs.length} differences): run npx tsx bench/gen-baseline.ts` : undefined;
  rows.push({ bench: 'B1', item: `baseline (${resources} resources)`, wallMs: s.baseline.wallMs, rssMb: s.baseline.rssMb, note });
  rows.push({ bench: 'B1', item: 'zitadel-single-host synth', wallMs: s.example.wallMs, rssMb: s.example.rssMb, ratio: wall, ratioOf: 'wall vs baseline', target: '<= 1.25', verdict: verdict(wall <= 1.25), note });
  rows.push({ bench: 'B1', item: 'zitadel-single-host peak RSS', rssMb: s.example.rssMb, ratio: rss, ratioOf: 'RSS vs baseline', target: '<= 1.25', verdict: verdict(rss <= 1.25) });
}

// ---------------------------------------------------------------------------------------------
// B3: scale in keys under custody
// ---------------------------------------------------------------------------------------------

async function b3(js: string): Promise<void> {
  const ns = QUICK ? [1, 10] : [1, 10, 100, 500];
  log(`B3 scale N=${ns.join(',')}`);
  const fields = ['importMs', 'constructMs', 'synthMs', 'totalMs', 'checkMs', 'checkReadMs', 'checkModelMs', 'checkRulesMs', 'checkReportsMs'];
  const perN: Json[] = [];
  const points: { n: number; s: Series; runs: number; note?: string }[] = [];
  for (const n of ns) {
    const spec = node(js, 'bench/children/synth.js', ['scale', String(n)], { timeoutMs: 900_000 });
    // Project this N from the last one (assume the worst of linear and the growth seen so far).
    const prev = points[points.length - 1];
    if (prev) {
      // Project the in-process work (construct + synth) with the worst exponent seen over the
      // last segment (work or check alone, at least 1): the fixed import cost flattens the wall
      // slope at small N and would under-project a quadratic step.
      const seg = points.slice(-2);
      const slopeOf = (f: (s: Series) => number) => (seg.length === 2 ? logLogSlope(seg.map((p) => ({ x: p.n, y: f(p.s) }))) : 1);
      const exp = Math.max(1, slopeOf((x) => x.field('constructMs') + x.field('synthMs')), slopeOf((x) => x.field('checkMs')));
      const fixed = prev.s.wallMs - prev.s.field('constructMs') - prev.s.field('synthMs');
      const projected = (fixed + (prev.s.field('constructMs') + prev.s.field('synthMs')) * (n / prev.n) ** exp) / 1000;
      if (projected > remainingS() - 30) {
        perN.push({ n, skipped: `projected ${Math.round(projected)} s (growth exponent ${r3(exp)}) exceeds the remaining budget of ${Math.round(remainingS())} s` });
        rows.push({ bench: 'B3', item: `N=${n}`, note: `skipped: projected ${Math.round(projected)} s` });
        continue;
      }
    }
    let first;
    try {
      first = await runOnce({ ...spec, timeoutMs: Math.max(60, remainingS() - 30) * 1000 });
    } catch (e) {
      const why = `did not finish within the remaining budget (${Math.round(remainingS())} s left)`;
      perN.push({ n, skipped: why, error: String(e).slice(0, 300) });
      rows.push({ bench: 'B3', item: `N=${n}`, note: why });
      break;
    }
    // Enough budget for warm-up + RUNS? (`first` is the warm-up then.) Else `first` is the figure.
    const perRun = first.wallMs / 1000;
    // Keep room for the next N's first run (projected linearly; the projection above is redone there).
    const next = ns[ns.indexOf(n) + 1];
    const reserve = next ? perRun * 1.2 * (next / n) : 0;
    let samples = [first];
    let note: string | undefined;
    if (!QUICK && perRun * RUNS < remainingS() - reserve - 60) {
      samples = [];
      for (let i = 0; i < RUNS; i++) samples.push(await runOnce(spec));
    } else if (!QUICK) note = `measured once (one run took ${r1(perRun)} s; ${RUNS} more do not fit the budget)`;
    const { series } = await import('./harness/measure');
    const s = series(samples);
    points.push({ n, s, runs: samples.length, note });
    const share = s.field('checkMs') / s.field('synthMs');
    perN.push({ n, ...summary(s, fields), checkShareOfSynth: r3(share), checkShareOfTotal: r3(s.field('checkMs') / s.field('totalMs')), note });
    rows.push({
      bench: 'B3',
      item: `N=${n} keys`,
      wallMs: s.wallMs,
      rssMb: s.rssMb,
      ratio: share,
      ratioOf: 'check / synth',
      target: n === 500 ? '<= 0.10' : undefined,
      verdict: n === 500 ? verdict(share <= 0.1) : undefined,
      note,
    });
  }
  const slope = (f: (s: Series) => number, from = 0) => r3(logLogSlope(points.slice(from).map((p) => ({ x: p.n, y: f(p.s) }))));
  const work = (s: Series) => s.field('constructMs') + s.field('synthMs');
  const exponents = {
    wall: slope((s) => s.wallMs),
    inProcessWork: slope(work),
    check: slope((s) => s.field('checkMs')),
    rss: slope((s) => s.rssMb),
    lastSegmentInProcessWork: points.length >= 2 ? slope(work, points.length - 2) : null,
    lastSegmentCheck: points.length >= 2 ? slope((s) => s.field('checkMs'), points.length - 2) : null,
  };
  results.B3 = {
    what: 'one app (5 stacks like the example) with N keys, each: MasterKey + protected container + KeyBackupBucket + DatabaseBackupBucket + RecoveryDrill; fresh process per run; checkMs = the custody check (app validation) inside synthMs',
    perN,
    exponents,
    exponentNote: 'least-squares slope of log(time) over log(N); 1 = linear, 2 = quadratic. inProcessWork = construct + synth (excludes the fixed import cost, which flattens the wall slope)',
  };
  const last = exponents.lastSegmentInProcessWork ?? exponents.inProcessWork;
  rows.push({
    bench: 'B3',
    item: `growth exponent (construct+synth, N=${points.map((p) => p.n).join(',')})`,
    ratio: exponents.inProcessWork,
    ratioOf: 'log-log slope',
    target: '~1 (linear)',
    // Fixed costs dominate small N (slope < 1): judge growth only with N >= 100 measured.
    verdict: points.length >= 3 && points[points.length - 1].n >= 100 ? verdict(last <= 1.15) : 'n/a',
    note: `last segment ${last}; check alone ${exponents.check} (last segment ${exponents.lastSegmentCheck})`,
  });
}

// ---------------------------------------------------------------------------------------------
// B4: key-custody check on plan JSON
// ---------------------------------------------------------------------------------------------

async function b4(js: string): Promise<void> {
  const sizes = QUICK ? [1000] : [1000, 10000, 50000];
  log(`B4 checker sizes=${sizes.join(',')}`);
  const dir = mkdtempSync(join(tmpdir(), 'kc-bench-plans-'));
  const perSize: Json[] = [];
  const points: { n: number; check: Series; parse: Series }[] = [];
  try {
    for (const size of sizes) {
      const prev = points[points.length - 1];
      if (prev) {
        // In-process work of the check, projected with the last segment's exponent (at least 1).
        const exp = points.length >= 2 ? Math.max(1, logLogSlope(points.slice(-2).map((p) => ({ x: p.n, y: p.check.field('workMs') })))) : 1;
        const projected = (prev.check.wallMs - prev.check.field('workMs') + prev.check.field('workMs') * (size / prev.n) ** exp) / 1000;
        if (projected > remainingS() - 60) {
          perSize.push({ resources: size, skipped: `projected ${Math.round(projected)} s per check (growth exponent ${r3(exp)}) exceeds the remaining budget of ${Math.round(remainingS())} s` });
          rows.push({ bench: 'B4', item: `${size} resources`, note: `skipped: projected ${Math.round(projected)} s per check` });
          continue;
        }
      }
      const sub = join(dir, String(size));
      mkdirSync(sub);
      const gen = spawnSync(process.execPath, [join(js, 'bench', 'gen-plan.js'), sub, String(size)], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (gen.status !== 0) throw new Error(`gen-plan failed: ${gen.stderr}`);
      const info = JSON.parse(gen.stdout) as { resources: number; units: number; bytes: number; files: string[] };
      const checkSpec = node(js, 'bench/children/check.js', [...info.files, '--format', 'json'], { timeoutMs: 1_800_000 });
      // The baseline reads and parses the same files, in one process like the check.
      const parseSpec = node(js, 'bench/children/parse.js', info.files);
      let first;
      try {
        first = await runOnce({ ...checkSpec, timeoutMs: Math.max(60, remainingS() - 90) * 1000 });
      } catch (e) {
        const why = `check did not finish within the remaining budget (${Math.round(remainingS())} s left)`;
        perSize.push({ resources: info.resources, skipped: why, error: String(e).slice(0, 300) });
        rows.push({ bench: 'B4', item: `${info.resources} resources`, note: why });
        break;
      }
      let runs = RUNS;
      let note: string | undefined;
      const perRun = first.wallMs / 1000;
      if (!QUICK && perRun * (RUNS + 1) > remainingS() * 0.5) {
        runs = 1;
        note = `check measured once (one run took ${r1(perRun)} s)`;
      }
      let s: { check: Series; parse: Series };
      if (runs === 1) {
        const { series } = await import('./harness/measure');
        const parses = [];
        for (let i = 0; i < Math.max(1, RUNS); i++) parses.push(await runOnce(parseSpec));
        s = { check: series([first]), parse: series(parses) };
      } else {
        s = await sideBySide({ check: checkSpec, parse: parseSpec }, { runs, warmups: 0 });
      }
      points.push({ n: info.resources, ...s });
      const wall = s.check.wallMs / s.parse.wallMs;
      const work = s.check.field('workMs') / s.parse.field('workMs');
      perSize.push({
        resources: info.resources,
        units: info.units,
        bytes: info.bytes,
        check: summary(s.check, ['loadMs', 'workMs', 'readMs', 'modelMs', 'rulesMs', 'renderMs', 'exitCode', 'outputChars']),
        parse: summary(s.parse, ['readMs', 'parseMs', 'workMs']),
        ratios: { wall: r3(wall), inProcessWork: r3(work), rss: r3(s.check.rssMb / s.parse.rssMb) },
        note,
      });
      rows.push({ bench: 'B4', item: `${info.resources} resources: JSON.parse`, wallMs: s.parse.wallMs, rssMb: s.parse.rssMb });
      rows.push({
        bench: 'B4',
        item: `${info.resources} resources: key-custody check`,
        wallMs: s.check.wallMs,
        rssMb: s.check.rssMb,
        ratio: wall,
        ratioOf: 'wall vs JSON.parse',
        target: '<= 2',
        verdict: verdict(wall <= 2),
        note: `in-process work ratio ${r1(work)}${note ? `; ${note}` : ''}`,
      });
    }
    const exponents = {
      checkWall: r3(logLogSlope(points.map((p) => ({ x: p.n, y: p.check.wallMs })))),
      checkModel: r3(logLogSlope(points.map((p) => ({ x: p.n, y: p.check.field('modelMs') })))),
      parseWall: r3(logLogSlope(points.map((p) => ({ x: p.n, y: p.parse.wallMs })))),
    };
    const real = await realPlan(js, dir);
    results.B4 = {
      what: 'generated terraform show -json plans (bench/gen-plan.ts: two stacks, keys + app, 30 resources per key) checked with `key-custody check keys.plan.json app.plan.json --format json` vs a node process that reads and JSON.parses the same files',
      perSize,
      exponents,
      realPlan: real,
    };
    if (points.length >= 2) {
      rows.push({ bench: 'B4', item: `growth exponent (check wall, ${points.map((p) => p.n).join(',')})`, ratio: exponents.checkWall, ratioOf: 'log-log slope', target: '~1 (linear)', verdict: verdict(exponents.checkWall <= 1.15), note: `buildModel alone ${exponents.checkModel}` });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `terraform show -json` of a real plan vs `key-custody check` and JSON.parse of its output. */
async function realPlan(js: string, dir: string): Promise<Json> {
  const want = process.env.BENCH_TERRAFORM ?? (QUICK ? '0' : '1');
  if (want !== '1') {
    rows.push({ bench: 'B4', item: 'real plan: terraform show -json', note: QUICK ? 'skipped in quick mode (BENCH_TERRAFORM=1 to include)' : 'skipped (BENCH_TERRAFORM=0)' });
    return { skipped: 'BENCH_TERRAFORM != 1' };
  }
  if (remainingS() < 120) {
    rows.push({ bench: 'B4', item: 'real plan: terraform show -json', note: 'skipped: budget' });
    return { skipped: `budget: ${Math.round(remainingS())} s left` };
  }
  const tfHelpers = await import('../test/helpers/terraform-run');
  const avail = tfHelpers.terraformAvailable();
  if (!avail.ok) {
    rows.push({ bench: 'B4', item: 'real plan: terraform show -json', note: `skipped: ${avail.why}` });
    return { skipped: avail.why };
  }
  const keys = Number(process.env.BENCH_REAL_PLAN_KEYS ?? 20);
  log(`B4 real plan: synth scale app N=${keys}, terraform init + plan of its key-custody stack`);
  const synth = await runOnce(node(js, 'bench/children/synth.js', ['scale', String(keys), '--keep']));
  const outdir = String(synth.report.outdir);
  try {
    const t0 = performance.now();
    const tf = await tfHelpers.terraformCheck(join(outdir, 'stacks', 'key-custody'), { plan: true, showJson: false });
    const setupMs = performance.now() - t0;
    const planBin = tf.planFile!;
    const session = dirname(tf.workDir);
    const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: join(session, 'terraformrc'), TF_PLUGIN_CACHE_DIR: join(session, 'plugin-cache') };
    const planJsonFile = join(dir, 'key-custody.plan.json');
    const show = spawnSync(avail.bin, ['show', '-json', '-no-color', planBin], { cwd: tf.workDir, env, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (show.status !== 0) throw new Error(`terraform show failed: ${show.stderr}`);
    writeFileSync(planJsonFile, show.stdout);
    const resources = ((JSON.parse(show.stdout) as { resource_changes?: unknown[] }).resource_changes ?? []).length;
    const s = await sideBySide(
      {
        show: { cmd: avail.bin, args: ['show', '-json', '-no-color', planBin], cwd: tf.workDir, env },
        check: node(js, 'bench/children/check.js', [planJsonFile, '--format', 'json']),
        parse: node(js, 'bench/children/parse.js', [planJsonFile]),
      },
      { runs: RUNS, warmups: WARMUPS },
    );
    const checkVsShow = s.check.wallMs / s.show.wallMs;
    rows.push({ bench: 'B4', item: `real plan (${resources} resources): terraform show -json`, wallMs: s.show.wallMs, rssMb: s.show.rssMb });
    rows.push({ bench: 'B4', item: `real plan (${resources} resources): JSON.parse`, wallMs: s.parse.wallMs, rssMb: s.parse.rssMb });
    rows.push({
      bench: 'B4',
      item: `real plan (${resources} resources): key-custody check`,
      wallMs: s.check.wallMs,
      rssMb: s.check.rssMb,
      ratio: checkVsShow,
      ratioOf: 'wall vs terraform show -json',
      note: `vs JSON.parse ${r1(s.check.wallMs / s.parse.wallMs)}x wall`,
    });
    return {
      what: `key-custody stack of the B3 app with ${keys} keys: terraform init + plan once (setup ${Math.round(setupMs / 1000)} s, not measured), then terraform show -json plan.bin vs key-custody check and JSON.parse of its output`,
      resources,
      bytes: Buffer.byteLength(show.stdout),
      show: summary(s.show),
      check: summary(s.check, ['loadMs', 'workMs', 'modelMs', 'rulesMs', 'exitCode']),
      parse: summary(s.parse, ['parseMs', 'workMs']),
      ratios: { checkVsShowWall: r3(checkVsShow), checkVsParseWall: r3(s.check.wallMs / s.parse.wallMs), showVsParseWall: r3(s.show.wallMs / s.parse.wallMs) },
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
    tfHelpers.cleanupTerraformSession();
  }
}

// ---------------------------------------------------------------------------------------------
// B5: shapes that once grew faster than linearly (bench/gen-shapes.ts)
// ---------------------------------------------------------------------------------------------

async function b5(js: string): Promise<void> {
  // Quick mode: one small size each (a smoke test of the shapes); full: the sizes the issue
  // measured and half of them, for a growth exponent of time and of output.
  const items: { shape: 'buckets' | 'mesh' | 'tfjson'; sizes: number[]; what: string }[] = [
    { shape: 'buckets', sizes: QUICK ? [100] : [250, 500], what: 'custody buckets in one stack, half key-backup, half db-backup (KC013: one finding per key store, not per pair)' },
    { shape: 'mesh', sizes: QUICK ? [200] : [600, 1200], what: 'roles that each trust the account and may sts:AssumeRole on * (one hub, not n² edges)' },
    { shape: 'tfjson', sizes: QUICK ? [500] : [2000, 8000], what: 'hand-written *.tf.json files in one folder, merged into one stack' },
  ];
  log(`B5 shapes ${items.map((i) => `${i.shape}=${i.sizes.join(',')}`).join(' ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'kc-bench-shapes-'));
  const out: Json = {};
  try {
    for (const item of items) {
      const points: { n: number; s: Series }[] = [];
      const perSize: Json[] = [];
      for (const n of item.sizes) {
        const prev = points[points.length - 1];
        // Projected pessimistically (quadratic) from the smaller size: these shapes were.
        const projected = prev ? (prev.s.wallMs / 1000) * (n / prev.n) ** 2 : 0;
        if (projected > remainingS() - 30) {
          perSize.push({ n, skipped: `projected ${Math.round(projected)} s (quadratic) exceeds the remaining budget of ${Math.round(remainingS())} s` });
          rows.push({ bench: 'B5', item: `${item.shape} n=${n}`, note: `skipped: projected ${Math.round(projected)} s` });
          continue;
        }
        const sub = join(dir, `${item.shape}-${n}`);
        const gen = spawnSync(process.execPath, [join(js, 'bench', 'gen-shapes.js'), item.shape, sub, String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 });
        if (gen.status !== 0) throw new Error(`gen-shapes failed: ${gen.stderr}`);
        const info = JSON.parse(gen.stdout) as { resources: number; files: number; bytes: number; path: string };
        const spec = node(js, 'bench/children/check.js', [info.path, '--format', 'json'], { timeoutMs: Math.max(60, remainingS() - 30) * 1000 });
        let first;
        try {
          first = await runOnce(spec);
        } catch (e) {
          const why = `check did not finish within the remaining budget (${Math.round(remainingS())} s left)`;
          perSize.push({ n, skipped: why, error: String(e).slice(0, 300) });
          rows.push({ bench: 'B5', item: `${item.shape} n=${n}`, note: why });
          break;
        }
        const samples = [first];
        const perRun = first.wallMs / 1000;
        if (!QUICK && perRun * (RUNS - 1) < remainingS() * 0.25) for (let i = 1; i < RUNS; i++) samples.push(await runOnce(spec));
        const { series } = await import('./harness/measure');
        const s = series(samples);
        points.push({ n, s });
        const chars = s.field('outputChars');
        perSize.push({ n, resources: info.resources, files: info.files, bytes: info.bytes, ...summary(s, ['workMs', 'readMs', 'modelMs', 'rulesMs', 'renderMs', 'exitCode', 'outputChars']) });
        rows.push({
          bench: 'B5',
          item: `${item.shape} n=${n}: key-custody check`,
          wallMs: s.wallMs,
          rssMb: s.rssMb,
          ratio: chars / info.resources,
          ratioOf: 'output chars per resource',
          note: samples.length < RUNS && !QUICK ? `measured ${samples.length}x (budget)` : undefined,
        });
      }
      const exponents =
        points.length >= 2
          ? { work: r3(logLogSlope(points.map((p) => ({ x: p.n, y: p.s.field('workMs') })))), output: r3(logLogSlope(points.map((p) => ({ x: p.n, y: p.s.field('outputChars') })))) }
          : undefined;
      out[item.shape] = { what: item.what, perSize, exponents };
      if (exponents) {
        rows.push({
          bench: 'B5',
          item: `${item.shape} growth exponent (check work, n=${points.map((p) => p.n).join(',')})`,
          ratio: exponents.work,
          ratioOf: 'log-log slope',
          target: '~1 (linear)',
          verdict: verdict(exponents.work <= 1.15 && exponents.output <= 1.15),
          note: `output ${exponents.output}`,
        });
      }
    }
    results.B5 = { what: 'key-custody check --format json on generated Terraform JSON (bench/gen-shapes.ts): one fresh process per run', ...out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

function table(): string {
  const fmt = (x: number | undefined, d = 0) => (x === undefined || !Number.isFinite(x) ? '' : x.toFixed(d));
  const lines = rows.map((r) => [r.bench, r.item, fmt(r.wallMs), fmt(r.rssMb), r.ratio === undefined ? '' : `${fmt(r.ratio, 2)} (${r.ratioOf})`, r.target ?? '', r.verdict ?? '', r.note ?? '']);
  const head = ['bench', 'item', 'wall ms', 'RSS MB', 'ratio', 'target', 'verdict', 'note'];
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...lines.map((l) => l[i].length))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...lines.map(line)].join('\n');
}

async function main(): Promise<void> {
  const info = machine();
  log(`${QUICK ? 'quick' : 'full'} run, budget ${BUDGET_S} s, ${info.nproc} cores, ${String(info.cpuModel)}, load ${(info.loadAverageAtStart as number[]).join(' ')}`);
  const build = compile(REPO);
  log(`compiled to ${build.out} in ${Math.round(build.ms)} ms`);
  const override = process.env.BENCH_LIB_OVERRIDE;
  if (override) {
    // Measure a candidate patch of lib/ before applying it: compiled JS of a patched lib tree.
    rmSync(join(build.out, 'lib'), { recursive: true, force: true });
    cpSync(override, join(build.out, 'lib'), { recursive: true });
    log(`lib replaced by ${override} (BENCH_LIB_OVERRIDE)`);
  }
  const only = (process.env.BENCH_ONLY ?? 'B2,B1,B3,B4,B5').split(',');
  const errors: Json = {};
  try {
    for (const [id, fn] of [
      ['B2', b2],
      ['B1', b1],
      ['B3', b3],
      ['B4', b4],
      ['B5', b5],
    ] as const) {
      if (!only.includes(id)) continue;
      try {
        await fn(build.out);
      } catch (e) {
        errors[id] = e instanceof Error ? e.message.slice(0, 2000) : String(e);
        rows.push({ bench: id, item: 'ERROR', note: String(errors[id]).split('\n')[0].slice(0, 200) });
        log(`${id} failed: ${String(errors[id])}`);
      }
    }
  } finally {
    rmSync(build.out, { recursive: true, force: true });
  }
  const out = {
    version: 1,
    quick: QUICK,
    runs: RUNS,
    warmups: WARMUPS,
    startedAt: new Date(Date.now() - elapsedS() * 1000).toISOString(),
    elapsedS: r1(elapsedS()),
    budgetS: BUDGET_S,
    machine: { ...info, loadAverageAtEnd: loadavg().map(r1) },
    libOverride: process.env.BENCH_LIB_OVERRIDE ?? null,
    method: 'each measured thing runs in a fresh child process of tsc-compiled JS; wall = spawn to exit (harness), RSS = GNU time %M (max resident set); figures are medians of `runs` interleaved rounds after `warmups` unmeasured rounds; ratios are of medians from the same run',
    table: rows.map((r) => ({ ...r, wallMs: r.wallMs === undefined ? undefined : r1(r.wallMs), rssMb: r.rssMb === undefined ? undefined : r1(r.rssMb), ratio: r.ratio === undefined ? undefined : r3(r.ratio) })),
    benchmarks: results,
    errors,
  };
  writeFileSync(OUT, `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`\n${table()}\n\n${QUICK ? 'quick' : 'full'} run in ${r1(elapsedS())} s; results in ${OUT}\n`);
  if (Object.keys(errors).length) process.exitCode = 1;
}

void main();
