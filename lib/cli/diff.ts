/**
 * `key-custody check <head>... --diff <base>...`: check both sides the way `check` does
 * (plans with a cdktf.out as a whole app, `--source` for the head's plans) and print what
 * changed in custody between them (lib/report/diff.ts).
 */
import { ALL_RULES } from '../rules';
import type { EngineOptions } from '../rules/engine';
import type { ReportData } from '../report/data';
import { diffReports } from '../report/diff';
import { renderDiffJson, renderDiffMarkdown, renderDiffText } from '../report/diff-render';
import { escapeJsonControls } from '../report/escape';
import { summarizeModel } from '../report/summarize';
import { checkWithContext } from './app-context';
import { FRONT_ENDS, InputError, readInputs } from './inputs';
import type { CheckArgs, CliIo } from './main';
import { capturingPlans, withSources } from './source';

async function reportOf(paths: readonly string[], sources: readonly string[], io: CliIo, options: EngineOptions): Promise<ReportData> {
  const capture = capturingPlans(io.frontEnds ?? FRONT_ENDS);
  const read = readInputs(paths, { cwd: io.cwd, frontEnds: capture.frontEnds });
  const documents = sources.length > 0 ? await withSources(read.documents, capture.plans, sources, io.cwd ?? process.cwd()) : read.documents;
  const checked = checkWithContext(documents, io.rules ?? ALL_RULES, options, read);
  return summarizeModel(checked.model, checked.result);
}

/**
 * The diff's text and exit code: 1 when a finding blocks in the head (an unsuppressed error,
 * or a warning with --strict) that did not block in the base, else 0. Findings the base had
 * already do not fail a pull request here; the plain check still reports them.
 */
export async function runDiff(args: CheckArgs, io: CliIo): Promise<{ out: string; code: number }> {
  const options: EngineOptions = io.today ? { today: io.today } : {};
  let base: ReportData;
  try {
    base = await reportOf(args.diff, [], io, options);
  } catch (e) {
    // Say which side could not be read: both sides take the same kinds of paths.
    if (e instanceof InputError) throw new InputError(`--diff base: ${e.message}`);
    throw e;
  }
  const head = await reportOf(args.paths, args.sources, io, options);
  const diff = diffReports(base, head, { strict: args.strict });
  const labels = { baseLabel: args.diff.join(' '), headLabel: args.paths.join(' ') };
  const format = args.formatGiven ? args.format : 'markdown';
  const out = format === 'json' ? escapeJsonControls(renderDiffJson(diff, labels)) : format === 'text' ? renderDiffText(diff, labels) : renderDiffMarkdown(diff, labels);
  return { out, code: diff.newlyBlocking > 0 ? 1 : 0 };
}
