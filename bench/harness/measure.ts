/**
 * Run one measured thing in a fresh child process and read its wall time and peak RSS.
 *
 * Wall time is taken by the harness around the child (spawn → exit), so it includes node's
 * start-up and module loading: what a user waits for. Peak RSS comes from GNU time
 * (`/usr/bin/time -f '%e %M'`, the child's maximum resident set size) when it is installed,
 * else from the child's own `process.resourceUsage().maxRSS` (node children only). Children
 * written for the harness also print one `BENCH_RESULT {json}` line with in-process phase
 * timings (see {@link report}).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p));

export const RESULT_MARKER = 'BENCH_RESULT ';

/** What a child reports about itself (all optional except maxRssKb for node children). */
export type ChildReport = Record<string, unknown> & { maxRssKb?: number };

export interface Sample {
  /** Wall time of the whole child process, ms (harness-measured). */
  readonly wallMs: number;
  /** Peak RSS of the child, MB. */
  readonly rssMb: number;
  /** The child's own report, if it printed one. */
  readonly report: ChildReport;
}

export interface RunSpec {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the child after this long (ms). @default 300000 */
  readonly timeoutMs?: number;
  /** Exit codes that count as success. @default [0] */
  readonly okCodes?: readonly number[];
}

let timeDir: string | undefined;

/** Run once; throws with the child's stderr when it fails. */
export async function runOnce(spec: RunSpec): Promise<Sample> {
  if (!timeDir) {
    const dir = mkdtempSync(join(tmpdir(), 'kc-bench-time-'));
    timeDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const timeFile = join(timeDir, 'time.txt');
  rmSync(timeFile, { force: true });
  const [cmd, args] = GNU_TIME ? [GNU_TIME, ['-f', '%e %M', '-o', timeFile, spec.cmd, ...spec.args]] : [spec.cmd, [...spec.args]];
  const started = process.hrtime.bigint();
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: spec.cwd, env: spec.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    // Keep only the tail of stdout: a check's report can be large, the marker line is last.
    let outBytes = 0;
    child.stdout.on('data', (d: Buffer) => {
      out.push(d);
      outBytes += d.length;
      while (outBytes > 1 << 20 && out.length > 1) outBytes -= out.shift()!.length;
    });
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), spec.timeoutMs ?? 300_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve({ code: c, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (code === null || !(spec.okCodes ?? [0]).includes(code)) {
    throw new Error(`${spec.cmd} ${spec.args.join(' ')} exited with ${code}\n${stderr.slice(-4000)}`);
  }
  let report: ChildReport = {};
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith(RESULT_MARKER));
  if (line) report = JSON.parse(line.slice(RESULT_MARKER.length)) as ChildReport;
  let rssKb = report.maxRssKb ?? NaN;
  if (GNU_TIME && existsSync(timeFile)) {
    // GNU time may prefix "Command exited with non-zero status N" on its own line.
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const kb = Number(last.split(/\s+/)[1]);
    if (Number.isFinite(kb)) rssKb = kb;
  }
  return { wallMs, rssMb: rssKb / 1024, report };
}

export interface Series {
  readonly samples: Sample[];
  readonly wallMs: number;
  readonly rssMb: number;
  readonly minWallMs: number;
  readonly maxWallMs: number;
  /** Median of a numeric field of the children's reports. */
  field(name: string): number;
}

export function median(xs: readonly number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function series(samples: Sample[]): Series {
  const walls = samples.map((s) => s.wallMs);
  return {
    samples,
    wallMs: median(walls),
    rssMb: median(samples.map((s) => s.rssMb)),
    minWallMs: Math.min(...walls),
    maxWallMs: Math.max(...walls),
    field: (name) => median(samples.map((s) => Number(s.report[name]))),
  };
}

/**
 * Measure several things side by side: `warmups` unmeasured rounds, then `runs` rounds in
 * which every thing runs once, interleaved (a, b, c, a, b, c, ...) so that drift of the
 * machine (page cache, CPU frequency, a neighbour) hits every thing alike.
 */
export async function sideBySide<K extends string>(
  specs: Record<K, RunSpec>,
  opts: { runs: number; warmups: number; onSample?: (k: K, s: Sample) => void },
): Promise<Record<K, Series>> {
  const keys = Object.keys(specs) as K[];
  for (let w = 0; w < opts.warmups; w++) for (const k of keys) await runOnce(specs[k]);
  const got = Object.fromEntries(keys.map((k) => [k, [] as Sample[]])) as Record<K, Sample[]>;
  for (let r = 0; r < opts.runs; r++) {
    for (const k of keys) {
      const s = await runOnce(specs[k]);
      got[k].push(s);
      opts.onSample?.(k, s);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, series(got[k])])) as Record<K, Series>;
}

/** Least-squares slope of log(y) over log(x): the growth exponent (1 = linear, 2 = quadratic). */
export function logLogSlope(points: readonly { x: number; y: number }[]): number {
  const p = points.filter((q) => q.x > 0 && q.y > 0);
  if (p.length < 2) return NaN;
  const lx = p.map((q) => Math.log(q.x));
  const ly = p.map((q) => Math.log(q.y));
  const mx = lx.reduce((a, b) => a + b, 0) / p.length;
  const my = ly.reduce((a, b) => a + b, 0) / p.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < p.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  return num / den;
}
