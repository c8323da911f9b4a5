import * as fs from 'node:fs';
import * as path from 'node:path';
import { runVerifyKey } from './verify-key';
import { ALL_RULES } from '../rules';
import type { CustodyModel, Finding } from '../model/types';
import { blocking, NOT_PROVEN } from '../rules/engine';
import type { CustodyRule } from '../rules/rule';
import { renderJsonCheck } from '../report/json';
import { renderMarkdown } from '../report/markdown';
import { renderSarif } from '../report/sarif';
import { summarizeModel } from '../report/summarize';
import { renderText } from '../report/text';
import { escapeControls, escapeControlsKeepNewlines, escapeJsonControls } from '../report/escape';
import { FRONT_ENDS, InputError, readInputs, type InputFrontEnd } from './inputs';
import { capturingPlans, sourceNote, withSources } from './source';
import { checkWithContext, withContext } from './app-context';
import { runDiff } from './diff';

/** Where the CLI writes, and what tests may inject. */
export interface CliIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  /** Colour the text format (the bin passes `process.stdout.isTTY`). */
  readonly isTTY?: boolean;
  /**
   * Columns of the terminal the text format is wrapped to (the bin passes
   * `process.stdout.columns` when stdout is a terminal); unset, lines are not wrapped, so that
   * logs and pipes keep one finding per line for grep.
   * @default undefined
   */
  readonly columns?: number;
  /** The rules to run; default the whole catalogue, `ALL_RULES`. */
  readonly rules?: readonly CustodyRule[];
  /** Directory relative paths are resolved against; default `process.cwd()`. */
  readonly cwd?: string;
  /** Date suppressions expire against (`YYYY-MM-DD`); default today. */
  readonly today?: string;
  /** Input front ends; default those of `inputs.ts`. */
  readonly frontEnds?: readonly InputFrontEnd[];
}

export const FORMATS = ['text', 'markdown', 'json', 'sarif'] as const;

export { NOT_PROVEN };
export type Format = (typeof FORMATS)[number];

export const USAGE = `Usage: key-custody check <path>... [--format text|markdown|json|sarif] [--strict] [--source <dir>]
       key-custody check <path>... --diff <base-path>... [--format markdown|text|json] [--strict]
       key-custody verify-key <file> --app zitadel|servos|act [--fingerprint <kcfp1:...>]
       key-custody keygen --app <app> --hot <file> [--cold <file.age> --recipient <age1...>]...
                          [--offsite s3://<bucket>[/<prefix>]] [--paper <file.html>] [--manifest <record.json>]

Check the key custody of synthesized cdktf stacks: custody separation, 3-2-1 copies,
bucket hardening, recovery drills (rules KC001-KC034).

<path> is a cdktf.out folder (after \`cdktf synth\`), one stack folder, a cdk.tf.json,
another *.tf.json file, or the JSON of a saved plan (\`terraform show -json plan.out >
plan.json\`). Several paths are checked as one model, so cross-stack rules see every
stack: pass one plan per stack. A plan's stack is named after its file
(\`keys.plan.json\` → keys) or, for a generic name like plan.json, its folder; a
folder of plans is read plan by plan. Plans given with the cdktf.out folder are
checked as parts of the whole app: stacks without a plan are read from cdktf.out
for context only, and a result that depends on their facts is "not checked here",
not an error.
Values a plan only knows after apply are read from the configuration's references;
what cannot be proven that way is reported as ${NOT_PROVEN} (a warning).

Options:
  --format <f>   text (default), markdown, json or sarif
  --strict       warnings fail the check too
  --source <dir> the Terraform configuration a plan was made from (the folder
                 \`terraform plan\` ran in): its .tf files and local modules fill in
                 what the plan lost (jsonencode, locals, dynamic blocks); once per plan
  --diff <path>  compare with a base (the main branch's cdktf.out or plans; repeat
                 for several paths) and print what changed in custody: principals
                 reaching stores, copies, stores, drills, suppressions, rule results.
                 Markdown for a pull-request comment by default; exit 1 only when a
                 finding blocks in the head that did not block in the base
  -h, --help     show this help
  -V, --version  show the version

Exit codes: 0 no unsuppressed error, 1 findings, 2 unreadable input, bad usage, or
an output that could not be written (a full disk; quietly when a pipe's reader left).

verify-key checks a key file on a host (encoding, length, trailing newline, mode 0400,
owner root, directory 0700) and prints its SHA-256 fingerprint, never the key;
\`key-custody verify-key --help\` says more.

keygen makes a new key and its copies (hot, age-encrypted cold and offsite, paper) and
prints their fingerprint, never the key; \`key-custody keygen --help\` says more.
`;

/** Bad usage: printed as one line, exit 2. */
class UsageError extends Error {}

export interface CheckArgs {
  readonly paths: string[];
  readonly format: Format;
  /** Whether --format was given (--diff defaults to markdown). */
  readonly formatGiven: boolean;
  readonly strict: boolean;
  readonly sources: string[];
  /** --diff: the base to compare with; empty for a plain check. */
  readonly diff: string[];
}

type Parsed = { kind: 'help' } | { kind: 'version' } | ({ kind: 'check' } & CheckArgs);

const HINT = 'run `key-custody --help`';

function parseArgs(argv: readonly string[]): Parsed {
  if (argv.some((a) => a === '--help' || a === '-h')) return { kind: 'help' };
  if (argv.some((a) => a === '--version' || a === '-V')) return { kind: 'version' };
  if (argv.length === 0) throw new UsageError(`no command given; usage: key-custody check <path>... [--format text|markdown|json|sarif] [--strict]`);
  const [command, ...rest] = argv;
  if (command === 'help') return { kind: 'help' };
  if (command !== 'check') {
    throw new UsageError(command.startsWith('-') ? `unknown option ${command} before the command; ${HINT}` : `unknown command "${command}"; ${HINT}`);
  }
  const paths: string[] = [];
  let format: Format = 'text';
  let strict = false;
  const sources: string[] = [];
  const diff: string[] = [];
  let formatGiven = false;
  let optionsDone = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (optionsDone || !a.startsWith('-') || a === '-') {
      paths.push(a);
    } else if (a === '--') {
      optionsDone = true;
    } else if (a === '--strict') {
      strict = true;
    } else if (a === '--source' || a.startsWith('--source=')) {
      const value = a.startsWith('--source=') ? a.slice('--source='.length) : rest[++i];
      if (value === undefined || value === '') throw new UsageError('--source needs a folder: the one `terraform plan` ran in');
      sources.push(value);
    } else if (a === '--diff' || a.startsWith('--diff=')) {
      const value = a.startsWith('--diff=') ? a.slice('--diff='.length) : rest[++i];
      if (value === undefined || value === '') throw new UsageError('--diff needs the base to compare with: a cdktf.out folder or plan JSON (of the main branch)');
      diff.push(value);
    } else if (a === '--format' || a === '-f' || a.startsWith('--format=')) {
      const value = a.startsWith('--format=') ? a.slice('--format='.length) : rest[++i];
      if (value === undefined || value === '') throw new UsageError(`--format needs a value: ${FORMATS.join(', ')}`);
      if (!(FORMATS as readonly string[]).includes(value)) throw new UsageError(`unknown format "${value}"; use one of ${FORMATS.join(', ')}`);
      format = value as Format;
      formatGiven = true;
    } else {
      throw new UsageError(`unknown option ${a}; ${HINT}`);
    }
  }
  if (paths.length === 0) throw new UsageError('check needs at least one path; run `cdktf synth` first and pass its cdktf.out folder');
  if (diff.length > 0 && format === 'sarif') throw new UsageError('--diff prints markdown, text or json; for SARIF run the check without --diff');
  return { kind: 'check', paths, format, formatGiven, strict, sources, diff };
}

/** The package version, read from the package.json above this file (source or dist layout). */
export function packageVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const p = path.join(dir, 'package.json');
    try {
      const pkg = JSON.parse(fs.readFileSync(p, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'cdktf-key-custody' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here; keep walking up
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return 'unknown';
}

/** One line for the terminal: line breaks folded, every other control character escaped. */
function oneLine(s: string): string {
  return escapeControls(s.replace(/\s*\r?\n\s*/g, ' ').trim());
}

/** Standard output could not take the report (`> /dev/full`, a closed pipe): exit 2, not "findings". */
export class OutputError extends Error {
  constructor(failure: unknown) {
    super(writeFailure(failure));
    this.name = 'OutputError';
  }
}

/**
 * The one line for a failed write to standard output. EPIPE (the reader went away, as
 * `| head` does) is not reported by the bin at all: see bin.ts.
 */
export function writeFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const why =
    code === 'ENOSPC'
      ? 'no space left on the device (ENOSPC); free space, or redirect the output to another file system'
      : code === 'EPIPE'
        ? 'the reading end of the pipe was closed (EPIPE); read the whole output, or write it to a file'
        : `${code ?? (e instanceof Error ? e.message : String(e))}; check where standard output goes`;
  return `cannot write the report to standard output: ${why}`;
}

/**
 * `key-custody` in-process: parses `argv` (without `node` and the script), writes the
 * report to `io.stdout` and a one-line reason to `io.stderr` on exit 2, and returns the
 * exit code. Never throws.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] === 'verify-key') return runVerifyKey(argv.slice(1), io);
  // Loaded only for keygen: it is the one command that makes keys, and it pulls in crypto packages.
  if (argv[0] === 'keygen') return (await import('./keygen')).runKeygen(argv.slice(1), io);
  const write = (chunk: string): void => {
    try {
      io.stdout.write(chunk);
    } catch (e) {
      // A stream that fails at once; one that fails later (a pipe) is handled by the bin.
      throw new OutputError(e);
    }
  };
  const fail = (reason: string): number => {
    try {
      io.stderr.write(`key-custody: ${oneLine(reason)}\n`);
    } catch {
      // Nowhere left to say it; the exit code still does.
    }
    return 2;
  };
  try {
    const parsed = parseArgs(argv);
    if (parsed.kind === 'help') {
      write(USAGE);
      return 0;
    }
    if (parsed.kind === 'version') {
      write(`${packageVersion()}\n`);
      return 0;
    }
    if (parsed.diff.length > 0) {
      const { out, code } = await runDiff(parsed, io);
      write(out);
      return code;
    }
    const capture = capturingPlans(io.frontEnds ?? FRONT_ENDS);
    const read = readInputs(parsed.paths, { cwd: io.cwd, frontEnds: capture.frontEnds });
    const documents = parsed.sources.length > 0 ? await withSources(read.documents, capture.plans, parsed.sources, io.cwd ?? process.cwd()) : read.documents;

    const rules = io.rules ?? ALL_RULES;
    const stacks = documents.map((d) => d.stack);
    const checked = checkWithContext(documents, rules, io.today ? { today: io.today } : {}, read);
    const { model, result: ran } = checked;
    const result = { ...ran, findings: withLocations(model, ran.findings) };

    // Said once, in every format, when plans were checked without --source and lost values.
    const note = parsed.sources.length === 0 ? sourceNote(documents, capture.plans) : undefined;
    let out: string;
    switch (parsed.format) {
      case 'json':
        out = renderJsonCheck(result.findings, { stacks, strict: parsed.strict, ...(note ? { sourceNote: note } : {}) });
        break;
      case 'markdown':
        out = renderMarkdown(summarizeModel(model, result));
        break;
      case 'sarif':
        out = renderSarif(result.findings, {
          rules,
          sources: Object.fromEntries(documents.map((d) => [d.stack, d.source])),
          version: packageVersion(),
          ...(note ? { sourceNote: note } : {}),
        });
        break;
      case 'text':
        out = renderText(result.findings, { stacks, color: io.isTTY === true, strict: parsed.strict, ...(io.columns ? { width: io.columns } : {}) });
        if (note) out += `note: ${note.message}\n`;
        break;
    }
    out = withContext(parsed.format, out, checked);
    write(parsed.format === 'json' || parsed.format === 'sarif' ? escapeJsonControls(out) : out);
    return blocking(result.findings, parsed.strict).length > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError || e instanceof OutputError) return fail(e.message);
    const why = e instanceof Error ? e.message : String(e);
    if (process.env.KEY_CUSTODY_DEBUG && e instanceof Error && e.stack) {
      io.stderr.write(`key-custody: internal error: ${oneLine(why)}\n${escapeControlsKeepNewlines(e.stack)}\n`);
      return 2;
    }
    return fail(`internal error while checking: ${why} (set KEY_CUSTODY_DEBUG=1 for details)`);
  }
}

/** Give findings the source line of their resource block where the input has one (SARIF). */
function withLocations(model: CustodyModel, findings: readonly Finding[]): Finding[] {
  return findings.map((f) => {
    if (f.location) return f;
    const bare = f.address.startsWith(`${f.stack}/`) ? f.address.slice(f.stack.length + 1) : f.address;
    const location = model.resource(f.stack, bare)?.location;
    return location ? { ...f, location } : f;
  });
}
