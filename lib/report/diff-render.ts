import type { CustodyDiff, FindingChange } from './diff';
import type { ThreeTwoOne } from './data';
import { escapeControls, escapeControlsKeepNewlines } from './escape';
import { cell, codeCell } from './markdown';

/**
 * Renderers of a {@link CustodyDiff}: Markdown for a pull-request comment (the default of
 * `key-custody check --diff`), plain text for a terminal, and JSON (`--format json`).
 */

export interface DiffRenderOptions {
  /** What the base was read from, as given (`main/cdktf.out`). */
  readonly baseLabel?: string;
  /** What the head was read from. */
  readonly headLabel?: string;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const SIGN = { added: '+', removed: '−', changed: '~', new: '+', fixed: '−' } as const;

function tally(t: ThreeTwoOne | null): string {
  if (!t) return '—';
  return `${plural(t.copies, 'copy', 'copies')}, ${plural(t.media, 'medium', 'media')}, ${t.offsite} offsite: ${t.holds ? 'holds' : 'fails'}`;
}

function findingState(f: { severity: string; suppressed: boolean }): string {
  return f.suppressed ? `${f.severity} (suppressed)` : f.severity;
}

/** The counts line both renderers start with. */
export function diffHeadline(d: CustodyDiff): string {
  const count = (kind: FindingChange['change']) => d.findings.filter((f) => f.change === kind).length;
  const parts = [
    plural(d.crossings.added.length, 'new crossing'),
    `${plural(d.access.filter((a) => a.change === 'added').length, 'new access', 'new accesses')}`,
    plural(count('new'), 'new finding'),
    plural(count('fixed'), 'fixed finding'),
    plural(count('changed'), 'changed finding'),
  ];
  if (d.crossings.removed.length > 0) parts.splice(1, 0, plural(d.crossings.removed.length, 'crossing removed', 'crossings removed'));
  return parts.join(', ');
}

/** Markdown for a pull-request comment. Empty sections are left out. */
export function renderDiffMarkdown(d: CustodyDiff, options: DiffRenderOptions = {}): string {
  const out: string[] = ['## Key custody: what changed', ''];
  const from = options.baseLabel ? ` ${codeCell(options.baseLabel)}` : '';
  const to = options.headLabel ? ` ${codeCell(options.headLabel)}` : '';
  out.push(
    `Base${from}: ${plural(d.base.stacks.length, 'stack')}, ${plural(d.base.errors, 'error')}, ${plural(d.base.warnings, 'warning')}. ` +
      `Head${to}: ${plural(d.head.stacks.length, 'stack')}, ${plural(d.head.errors, 'error')}, ${plural(d.head.warnings, 'warning')}.`,
    '',
  );
  if (d.unchanged) {
    out.push('No custody change: the same principals reach the same stores, and copies, drills, suppressions and findings are unchanged.', '');
    return escapeControlsKeepNewlines(`${out.join('\n')}\n`);
  }
  out.push(`**${diffHeadline(d)}**${d.newlyBlocking > 0 ? ` · ${plural(d.newlyBlocking, 'finding')} newly blocking` : ''}`, '');

  if (d.crossings.added.length + d.crossings.removed.length > 0) {
    out.push('### Crossings (one principal reaches DB backups and key copies: KC011)', '');
    out.push(
      table(
        ['', 'principal', 'kind', 'DB-backup stores', 'key stores'],
        [...d.crossings.added.map((c) => ['+', c] as const), ...d.crossings.removed.map((c) => ['−', c] as const)].map(([s, c]) => [
          s === '+' ? '**+ new**' : '− gone',
          codeCell(c.principal),
          cell(c.kind),
          c.dbStores.map(codeCell).join('<br>'),
          c.keyStores.map(codeCell).join('<br>'),
        ]),
      ),
      '',
    );
  }
  if (d.access.length > 0) {
    out.push('### Who reaches which store', '', 'Letters: r read, w write, d delete, k decrypt, a admin.', '');
    out.push(
      table(
        ['', 'principal', 'kind', 'store', 'role', 'before', 'after', 'via'],
        d.access.map((a) => [SIGN[a.change], codeCell(a.principal), cell(a.kind), codeCell(a.store), cell(a.role ?? '?'), cell(a.before || '—'), cell(a.after || '—'), cell(a.via.join('; '))]),
      ),
      '',
    );
  }
  if (d.stores.length > 0 || d.stacks.added.length + d.stacks.removed.length > 0) {
    out.push('### Stores and stacks', '');
    const rows = [
      ...d.stacks.added.map((s) => ['+', `stack ${codeCell(s)}`, '', '', '']),
      ...d.stacks.removed.map((s) => ['−', `stack ${codeCell(s)}`, '', '', '']),
      ...d.stores.map((s) => [SIGN[s.change], codeCell(s.ref), cell(s.role), cell(s.key), cell(s.fields.join('; '))]),
    ];
    out.push(table(['', 'store', 'role', 'key', 'changed'], rows), '');
  }
  if (d.keys.added.length + d.keys.removed.length + d.copies.length + d.threeTwoOne.length > 0) {
    out.push('### Keys and copies', '');
    const rows = [
      ...d.keys.added.map((k) => ['+', codeCell(k), 'key', '', '', '']),
      ...d.keys.removed.map((k) => ['−', codeCell(k), 'key', '', '', '']),
      ...d.copies.map((c) => [
        SIGN[c.change],
        codeCell(c.key),
        cell(`${c.copy.kind}${c.copy.generation !== null ? ` (generation ${c.copy.generation})` : ''}`),
        cell(c.copy.medium),
        cell(`${c.copy.location}${c.copy.offsite ? ' (offsite)' : ''}`),
        cell(c.fields.join('; ')),
      ]),
    ];
    if (rows.length > 0) out.push(table(['', 'key', 'copy', 'medium', 'location', 'changed'], rows), '');
    if (d.threeTwoOne.length > 0) out.push(table(['key', '3-2-1 before', '3-2-1 after'], d.threeTwoOne.map((t) => [codeCell(t.key), cell(tally(t.before)), cell(tally(t.after))])), '');
  }
  if (d.drills.length > 0) {
    out.push('### Drills', '');
    out.push(
      table(
        ['', 'drill', 'key', 'stack', 'schedule', 'changed'],
        d.drills.map((x) => [SIGN[x.change], codeCell(x.drill.id), codeCell(x.drill.key), codeCell(x.drill.stack), cell(x.drill.schedule ?? (x.drill.intervalDays !== null ? `every ${x.drill.intervalDays} d` : '')), cell(x.fields.join('; '))]),
      ),
      '',
    );
  }
  if (d.suppressions.length > 0) {
    out.push('### Suppressions', '');
    out.push(
      table(
        ['', 'rule', 'stack', 'scope', 'reason', 'owner', 'expires', 'changed'],
        d.suppressions.map((x) => [
          SIGN[x.change],
          cell(x.suppression.id),
          codeCell(x.suppression.stack),
          x.suppression.scope ? codeCell(x.suppression.scope) : 'whole stack',
          cell(x.suppression.reason),
          cell(x.suppression.owner ?? '—'),
          cell(x.suppression.expires ?? 'never'),
          cell(x.fields.join('; ')),
        ]),
      ),
      '',
    );
  }
  if (d.findings.length > 0) {
    out.push('### Rule results', '');
    out.push(
      table(
        ['', 'rule', 'severity', 'stack', 'address', 'message'],
        d.findings.map((f) => [
          f.change === 'new' ? (f.newlyBlocking ? '**+ new**' : '+ new') : f.change === 'fixed' ? '− fixed' : f.newlyBlocking ? '**~ changed**' : '~ changed',
          cell(f.finding.ruleId),
          cell(f.before && f.before.severity !== f.finding.severity ? `${findingState(f.before)} → ${findingState(f.finding)}` : findingState(f.finding)),
          codeCell(f.finding.stack),
          codeCell(f.finding.address),
          cell(f.before && f.before.message !== f.finding.message ? `${f.finding.message} (was: ${f.before.message})` : f.finding.message),
        ]),
      ),
      '',
    );
  }
  return escapeControlsKeepNewlines(`${out.join('\n')}\n`);
}

/** Plain text for a terminal: one line per change, grouped like the Markdown. */
export function renderDiffText(d: CustodyDiff, options: DiffRenderOptions = {}): string {
  const lines: string[] = [];
  const line = (s: string) => lines.push(escapeControls(s));
  line(`custody changes${options.baseLabel ? ` from ${options.baseLabel}` : ''}${options.headLabel ? ` to ${options.headLabel}` : ''}`);
  if (d.unchanged) {
    line('no custody change');
    return `${lines.join('\n')}\n`;
  }
  for (const c of d.crossings.added) line(`+ crossing ${c.principal} reaches DB backups ${c.dbStores.join(', ')} and key copies ${c.keyStores.join(', ')}`);
  for (const c of d.crossings.removed) line(`- crossing gone: ${c.principal}`);
  for (const a of d.access) line(`${a.change === 'removed' ? '-' : a.change === 'added' ? '+' : '~'} access ${a.principal} -> ${a.store} (${a.role ?? '?'}): ${a.before || '-'} -> ${a.after || '-'} via ${a.via.join('; ')}`);
  for (const s of d.stacks.added) line(`+ stack ${s}`);
  for (const s of d.stacks.removed) line(`- stack ${s}`);
  for (const s of d.stores) line(`${s.change === 'removed' ? '-' : s.change === 'added' ? '+' : '~'} store ${s.ref} (${s.role})${s.fields.length ? `: ${s.fields.join('; ')}` : ''}`);
  for (const k of d.keys.added) line(`+ key ${k}`);
  for (const k of d.keys.removed) line(`- key ${k}`);
  for (const c of d.copies) line(`${c.change === 'removed' ? '-' : c.change === 'added' ? '+' : '~'} copy of ${c.key}: ${c.copy.kind} ${c.copy.medium} ${c.copy.location}${c.fields.length ? `: ${c.fields.join('; ')}` : ''}`);
  for (const t of d.threeTwoOne) line(`~ 3-2-1 of ${t.key}: ${tally(t.before)} -> ${tally(t.after)}`);
  for (const x of d.drills) line(`${x.change === 'removed' ? '-' : x.change === 'added' ? '+' : '~'} drill ${x.drill.id} of ${x.drill.key} (stack ${x.drill.stack})${x.fields.length ? `: ${x.fields.join('; ')}` : ''}`);
  for (const x of d.suppressions) {
    const s = x.suppression;
    line(`${x.change === 'removed' ? '-' : x.change === 'added' ? '+' : '~'} suppression of ${s.id} on ${s.scope || 'the whole stack'} (stack ${s.stack}), owner ${s.owner ?? 'none'}, expires ${s.expires ?? 'never'}: ${s.reason}${x.fields.length ? ` [${x.fields.join('; ')}]` : ''}`);
  }
  for (const f of d.findings) {
    const mark = f.change === 'new' ? '+ new' : f.change === 'fixed' ? '- fixed' : '~ changed';
    line(`${mark} ${findingState(f.finding)} ${f.finding.ruleId} ${f.finding.address} (stack ${f.finding.stack}) ${f.finding.message}${f.fields.length && f.change === 'changed' ? ` [${f.fields.join('; ')}]` : ''}`);
  }
  line(diffHeadline(d) + (d.newlyBlocking > 0 ? `; ${plural(d.newlyBlocking, 'finding')} newly blocking` : ''));
  return `${lines.join('\n')}\n`;
}

/** `--diff --format json`: the diff itself, with `kind` and `version` so consumers can tell it from a check. */
export function renderDiffJson(d: CustodyDiff, options: DiffRenderOptions = {}): string {
  return `${JSON.stringify({ kind: 'cdktf-key-custody/diff', version: 1, baseLabel: options.baseLabel ?? null, headLabel: options.headLabel ?? null, ...d }, null, 2)}\n`;
}
