/**
 * CI smoke test of the benchmark harness: `npm run bench:quick` (BENCH_QUICK=1: one run per
 * item, N = 1 and 10 keys, 1k plan resources) must run end to end and produce figures. It
 * asserts that the harness produced results (numbers present, ratios finite), never timings:
 * CI machines are too noisy for timing assertions; the figures live in bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Row {
  bench: string;
  item: string;
  wallMs?: number;
  rssMb?: number;
  ratio?: number;
  note?: string;
}

interface Results {
  quick: boolean;
  machine: { nproc: number; cpuModel: string; memoryGb: number; node: string };
  table: Row[];
  benchmarks: Record<string, Record<string, unknown>>;
  errors: Record<string, string>;
}

const repo = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'kc-bench-quick-'));
const out = join(dir, 'results.json');
let results: Results;
let stdout = '';

beforeAll(() => {
  const res = spawnSync(process.execPath, [join(repo, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(repo, 'bench', 'run.ts')], {
    cwd: repo,
    env: { ...process.env, BENCH_QUICK: '1', BENCH_OUT: out, CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
    timeout: 600_000,
  });
  stdout = res.stdout;
  if (res.status !== 0) throw new Error(`bench:quick exited with ${res.status}\n${res.stderr.slice(-4000)}`);
  results = JSON.parse(readFileSync(out, 'utf8')) as Results;
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x > 0;

describe('bench:quick', () => {
  it('runs in quick mode without errors and describes the machine', () => {
    expect(results.quick).toBe(true);
    expect(results.errors).toEqual({});
    expect(results.machine.nproc).toBeGreaterThan(0);
    expect(results.machine.node).toMatch(/^v\d+/);
    expect(stdout).toContain('wall ms');
  });

  it('has a figure for every benchmark, with finite absolute values and ratios', () => {
    for (const bench of ['B1', 'B2', 'B3', 'B4']) {
      const measured = results.table.filter((r) => r.bench === bench && r.wallMs !== undefined);
      expect(measured.length, bench).toBeGreaterThan(0);
      for (const r of measured) {
        expect(finite(r.wallMs), `${bench} ${r.item} wallMs`).toBe(true);
        expect(finite(r.rssMb), `${bench} ${r.item} rssMb`).toBe(true);
      }
      const ratios = results.table.filter((r) => r.bench === bench && r.ratio !== undefined);
      expect(ratios.length, bench).toBeGreaterThan(0);
      for (const r of ratios) expect(finite(r.ratio), `${bench} ${r.item} ratio`).toBe(true);
    }
  });

  it('measures the check share at each N and the check against JSON.parse', () => {
    const b3 = results.benchmarks.B3 as { perN: { n: number; checkMs: number; synthMs: number }[] };
    expect(b3.perN.map((p) => p.n)).toEqual([1, 10]);
    for (const p of b3.perN) expect(finite(p.checkMs) && finite(p.synthMs)).toBe(true);
    const b4 = results.benchmarks.B4 as { perSize: { resources: number; ratios: { wall: number } }[] };
    expect(b4.perSize[0].resources).toBeGreaterThan(900);
    expect(finite(b4.perSize[0].ratios.wall)).toBe(true);
    const b1 = results.benchmarks.B1 as { baselineMatchesExample: boolean };
    expect(b1.baselineMatchesExample).toBe(true);
  });
});
