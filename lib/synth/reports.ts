import { lstatSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CustodyModel } from '../model/types';
import type { CheckResult } from '../rules/engine';
import { renderJsonReport } from '../report/json';
import { renderMarkdown } from '../report/markdown';
import { forStack, summarizeModel } from '../report/summarize';
import { writeFileAtomic } from './output-guard';

export const REPORT_MD = 'custody-report.md';
export const REPORT_JSON = 'custody-report.json';

/** What a failed synth says at the top of its app-wide report. */
export interface FailedSynth {
  /** Findings that blocked the synth. */
  readonly blocking: number;
  /** Whether warnings counted as errors. */
  readonly strict: boolean;
}

/**
 * Write the app-wide report into `outdir` and, unless the synth failed, one report per
 * stack next to its `cdk.tf.json`. `stackDir` maps a stack name to its folder (absolute, and
 * already checked to lie inside `<outdir>/stacks`), or undefined for a stack whose folder
 * must not be written. Every file is written atomically.
 */
export function writeReports(
  outdir: string,
  model: CustodyModel,
  result: CheckResult,
  stackDir: (stack: string) => string | undefined,
  failed?: FailedSynth,
): void {
  const data = summarizeModel(model, result);
  if (failed) {
    // The stack outputs are gone, so only the app-wide report says why. The banner keeps a
    // strict-mode failure (warnings only, so the verdict line says PASS) from reading as a pass.
    const banner = `> **Synth refused**: ${failed.blocking} blocking finding(s)${failed.strict ? ' (strict: warnings count as errors)' : ''}; the stack outputs were removed.\n\n`;
    writeFileAtomic(join(outdir, REPORT_MD), banner + renderMarkdown(data));
    const json = JSON.parse(renderJsonReport(data)) as Record<string, unknown>;
    writeFileAtomic(join(outdir, REPORT_JSON), `${JSON.stringify({ ...json, synth: { passed: false, blocking: failed.blocking, strict: failed.strict } }, null, 2)}\n`);
    return;
  }
  writeFileAtomic(join(outdir, REPORT_MD), renderMarkdown(data));
  writeFileAtomic(join(outdir, REPORT_JSON), renderJsonReport(data));
  for (const doc of model.documents) {
    const dir = stackDir(doc.stack);
    if (dir === undefined) continue;
    // A symlink in place of a stack folder points somewhere that is not ours to write.
    const st = lstatOrUndefined(dir);
    if (st && !st.isDirectory()) continue;
    mkdirSync(dir, { recursive: true });
    const one = forStack(data, doc.stack);
    writeFileAtomic(join(dir, REPORT_MD), renderMarkdown(one));
    writeFileAtomic(join(dir, REPORT_JSON), renderJsonReport(one));
  }
}

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
