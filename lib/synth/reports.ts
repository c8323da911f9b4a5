import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CustodyModel } from '../model/types';
import type { CheckResult } from '../rules/engine';
import { forStack, renderJsonReport, renderMarkdown, summarizeModel } from '../report';

export const REPORT_MD = 'custody-report.md';
export const REPORT_JSON = 'custody-report.json';

/**
 * Write the app-wide report into `outdir` and one report per stack next to its
 * `cdk.tf.json`. `stackDir` maps a stack name to its folder relative to `outdir`.
 */
export function writeReports(outdir: string, model: CustodyModel, result: CheckResult, stackDir: (stack: string) => string): void {
  const data = summarizeModel(model, result);
  writeFileSync(join(outdir, REPORT_MD), renderMarkdown(data));
  writeFileSync(join(outdir, REPORT_JSON), renderJsonReport(data));
  for (const doc of model.documents) {
    const dir = join(outdir, stackDir(doc.stack));
    mkdirSync(dir, { recursive: true });
    const one = forStack(data, doc.stack);
    writeFileSync(join(dir, REPORT_MD), renderMarkdown(one));
    writeFileSync(join(dir, REPORT_JSON), renderJsonReport(one));
  }
}
