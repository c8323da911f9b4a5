import { isAbsolute, relative } from 'node:path';
import type { Finding } from '../model/types';
import { formatFinding } from '../rules/engine';
import { escapeControls } from '../report/escape';

/**
 * What the synth-time check prints: one block per finding, no Node stack trace, no cdktf hint
 * to turn validation off, and a last line with the counts and where the report is.
 *
 * Under the cdktf CLI the blocks go out as manifest annotations, which the CLI prints once
 * each and then fails the synth on (it sets CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS for the
 * app). An app run directly (`npx tsx main.ts`, `node main.js`, `app.synth()` in a test) gets a
 * {@link CustodyCheckFailure}; if nothing catches it, it is printed without a stack and the
 * process exits 1.
 */

/** The environment variable the cdktf CLI (and cdktn's) sets when it runs the app for synth. */
export const CDKTF_CLI_ENV = 'CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS';

/** True when the app runs under the cdktf CLI, which prints manifest annotations itself. */
export function underCdktfCli(): boolean {
  return process.env[CDKTF_CLI_ENV] !== undefined;
}

/**
 * One finding: the line `formatFinding` prints without its fix, then the user's line that made
 * the resource and its construct path, then the fix.
 */
export function findingBlock(f: Finding): string {
  const line = formatFinding({ ...f, fix: '' }).replace(/; fix: $/, '');
  const where = [f.origin ? `${f.origin.file}:${f.origin.line}` : '', f.constructPath ? `construct ${f.constructPath}` : ''].filter(Boolean).join(', ');
  return escapeControls(line) + (where ? `\n  at ${escapeControls(where)}` : '') + `\n  fix: ${escapeControls(f.fix)}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A path as the user would type it: relative to the working directory when below it. */
export function shownPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
}

/** `key custody check failed: 2 errors, 1 warning, 3 suppressed (strict); report: cdktf.out/custody-report.md` */
export function summaryLine(findings: readonly Finding[], passed: boolean, strict: boolean, report: string | undefined): string {
  const open = findings.filter((f) => !f.suppressed);
  const counts = [
    plural(open.filter((f) => f.severity === 'error').length, 'error'),
    plural(open.filter((f) => f.severity === 'warning').length, 'warning'),
    `${findings.length - open.length} suppressed`,
  ].join(', ');
  return escapeControls(`key custody check ${passed ? 'passed' : 'failed'}: ${counts}${strict ? ' (strict: warnings fail)' : ''}${report ? `; report: ${shownPath(report)}` : ''}`);
}

const FAILURE = Symbol.for('cdktf-key-custody/CustodyCheckFailure');
const MONITOR = Symbol.for('cdktf-key-custody/uncaughtMonitor');

/** A failed synth-time check: its message is the whole printout (blocks and summary line). */
export class CustodyCheckFailure extends Error {
  constructor(text: string) {
    super(text);
    this.name = 'CustodyCheckFailure';
    Object.defineProperty(this, FAILURE, { value: true });
    // Printed as it is: the place in the library that threw says nothing to the user.
    this.stack = text;
    printCleanlyIfUncaught();
  }
}

/** Whether `e` is a {@link CustodyCheckFailure} of this or another copy of the library. */
export function isCustodyCheckFailure(e: unknown): e is CustodyCheckFailure {
  return typeof e === 'object' && e !== null && FAILURE in e;
}

/**
 * Once per process: when a CustodyCheckFailure is not caught, print its text alone and exit 1,
 * before Node would print the throwing source line and a stack. Any other error is left to
 * Node as it is (a monitor listener does not change its handling).
 */
function printCleanlyIfUncaught(): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[MONITOR]) return;
  g[MONITOR] = true;
  process.on('uncaughtExceptionMonitor', (e) => {
    // Someone handles uncaught errors (a test runner, a server): theirs to print, not ours.
    if (!isCustodyCheckFailure(e) || process.listenerCount('uncaughtException') > 0) return;
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  });
}
