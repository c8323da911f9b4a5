/**
 * Every example synthesized once per test file, with its model, check result and report data
 * (at a fixed clock), for the report tests that read what a reviewer reads.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'cdktf';
import { afterAll } from 'vitest';
import { KeyCustody } from '../../lib';
import { buildModel } from '../../lib/model/build';
import type { CustodyModel } from '../../lib/model/types';
import type { ReportData } from '../../lib/report/data';
import { summarizeModel } from '../../lib/report/summarize';
import type { CheckResult } from '../../lib/rules/engine';

export const ROOT = join(__dirname, '..', '..');
export const EXAMPLES = readdirSync(join(ROOT, 'examples')).filter((d) => existsSync(join(ROOT, 'examples', d, 'main.ts')));
/** The clock the tests' reports are made with. */
export const NOW = new Date('2026-11-02T09:00:00Z');

export interface ExampleReport {
  readonly name: string;
  readonly outdir: string;
  readonly stacks: readonly string[];
  readonly model: CustodyModel;
  readonly result: CheckResult;
  readonly data: ReportData;
}

type BuildApp = (outdir?: string) => App;

/** Synthesize an example (optionally changed by `edit` before synth) and summarize it. */
export async function exampleReport(name: string, tmp: string, edit?: (app: App) => void): Promise<ExampleReport & { error?: unknown }> {
  const mod = (await import(join(ROOT, 'examples', name, 'main.ts'))) as { buildApp: BuildApp };
  const outdir = join(tmp, `${name}-${Math.random().toString(36).slice(2, 8)}`);
  const app = mod.buildApp(outdir);
  edit?.(app);
  let error: unknown;
  try {
    app.synth();
  } catch (e) {
    error = e;
  }
  const check = KeyCustody.checkOf(app);
  if (!check?.lastResult) throw new Error(`${name}: the custody check did not run`);
  const model = buildModel(check.documents());
  const result = check.lastResult;
  const stacks = existsSync(join(outdir, 'stacks')) ? readdirSync(join(outdir, 'stacks')) : [];
  return { name, outdir, stacks, model, result, data: summarizeModel(model, result, { now: NOW }), error };
}

/** A temporary folder removed after the file's tests. */
export function tempDir(): string {
  const tmp = mkdtempSync(join(tmpdir(), 'kc-report-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  return tmp;
}
