import type { Finding } from '../model/types';
import { formatFinding } from '../rules/engine';
import { summaryLine } from './markdown';
import { countFindings } from './data';
import { escapeControls } from './escape';
import { wrap } from './text-report';

/** What the text renderer needs of a finding (a `Finding`, or a report `FindingRow`). */
export type TextFinding = Pick<Finding, 'ruleId' | 'severity' | 'address' | 'stack' | 'message' | 'fix' | 'suppressed'> & {
  readonly reason?: string | null;
  readonly owner?: string;
  readonly expires?: string;
};

export interface TextOptions {
  /** Every stack that was checked (for the count in the summary line), findings or not. */
  readonly stacks: readonly string[];
  /** ANSI colours; the CLI passes `process.stdout.isTTY`. Default false. */
  readonly color?: boolean;
  /** Warnings count as errors (only changes the wording of the last line). */
  readonly strict?: boolean;
  /**
   * Wrap each finding at this many columns, continuation lines indented under it.
   * @default no wrapping (one line per finding)
   */
  readonly width?: number;
}

const ANSI = { red: '31', yellow: '33', green: '32', dim: '2', bold: '1' } as const;

function paint(on: boolean, style: keyof typeof ANSI, s: string): string {
  return on ? `\u001b[${ANSI[style]}m${s}\u001b[0m` : s;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The CLI's default output: findings grouped by stack, then by rule, one line each in
 * the engine's `formatFinding` shape with a severity word in front, then one summary line
 * (`2 errors, 1 warning, 1 suppressed in 3 stacks`).
 */
export function renderText(findings: readonly TextFinding[], options: TextOptions): string {
  const color = options.color ?? false;
  const byStack = new Map<string, TextFinding[]>();
  for (const f of findings) {
    let list = byStack.get(f.stack);
    if (!list) byStack.set(f.stack, (list = []));
    list.push(f);
  }
  const lines: string[] = [];
  for (const stack of [...byStack.keys()].sort(cmp)) {
    const list = (byStack.get(stack) ?? []).sort((a, b) => cmp(a.ruleId, b.ruleId) || cmp(a.address, b.address) || cmp(a.message, b.message));
    lines.push(paint(color, 'bold', `stack ${escapeControls(stack)}`));
    for (const f of list) {
      // Names and messages carry the user's strings: no raw control character reaches the terminal.
      const line = escapeControls(formatFinding({ ...f, reason: f.reason ?? undefined } as Finding));
      // Wrapped before painting, so that escape codes do not count as columns.
      const fit = (text: string): string[] => (options.width ? wrap(text, options.width, '  ', '      ') : [`  ${text}`]);
      if (f.suppressed) {
        const by = [f.owner ? `owner: ${f.owner}` : '', f.expires ? `expires: ${f.expires}` : ''].filter(Boolean).map((x) => `; ${x}`).join('');
        for (const l of fit(`suppressed ${line} (reason: ${escapeControls(`${f.reason ?? 'none given'}${by}`)})`)) lines.push(paint(color, 'dim', l));
      } else {
        const word = f.severity === 'error' ? 'error' : 'warning';
        const [first, ...rest] = fit(`${word} ${line}`);
        lines.push(first.replace(word, paint(color, f.severity === 'error' ? 'red' : 'yellow', word)), ...rest);
      }
    }
    lines.push('');
  }
  const counts = countFindings(findings);
  const stacks = new Set([...options.stacks, ...byStack.keys()]).size;
  const failing = counts.errors > 0 || (options.strict === true && counts.warnings > 0);
  const summary = summaryLine({ ...counts, stacks }) + (options.strict && counts.warnings > 0 ? ' (--strict: warnings fail)' : '');
  lines.push(paint(color, failing ? 'red' : 'green', summary));
  return `${lines.join('\n')}\n`;
}
