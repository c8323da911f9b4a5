import { accessCell, type ReportData, type StoreRow } from './data';
import { escapeControls } from './escape';
import { hardeningCell, summaryLine } from './markdown';
import { custodyDiagram } from './mermaid';

/**
 * The custody report for a terminal: the same sections as `custody-report.md`, laid out to a
 * width (100 columns by default) instead of Markdown tables whose rows run to 250 characters.
 * Tables shrink their widest columns by cutting the middle of long names (resource names end
 * in a unique hash, so the end is kept); prose wraps at spaces. No line is longer than the
 * width, and no raw control character of a name reaches the terminal.
 */
export interface TextReportOptions {
  /**
   * Columns of the terminal.
   * @default 100
   */
  readonly width?: number;
  /**
   * ANSI colours for headings and the verdict.
   * @default false
   */
  readonly color?: boolean;
}

/** The narrowest a table column is cut to before the table is printed one record per block. */
const MIN_COLUMN = 8;
/** The least room a table's last (wrapping) column is given before other columns are cut. */
const LAST_MIN = 24;

function len(s: string): number {
  return [...s].length;
}

/** `s` cut to `width` characters by replacing its middle with `…`. */
export function abbreviate(s: string, width: number): string {
  const chars = [...s];
  if (chars.length <= width) return s;
  if (width <= 1) return chars.slice(0, width).join('');
  const head = Math.ceil((width - 1) / 2);
  const tail = width - 1 - head;
  return `${chars.slice(0, head).join('')}…${tail > 0 ? chars.slice(chars.length - tail).join('') : ''}`;
}

/** Wrap `text` at spaces to `width`, every line after the first indented by `hang`; words longer than a line are cut. */
export function wrap(text: string, width: number, indent = '', hang = indent): string[] {
  const out: string[] = [];
  let line = indent;
  let fresh = true;
  const room = () => width - len(line);
  for (const word of text.split(/ +/).filter((w) => w !== '')) {
    let w = word;
    if (!fresh && len(w) + 1 > room()) {
      out.push(line);
      line = hang;
      fresh = true;
    }
    while (len(w) > room()) {
      const space = room() - (fresh ? 0 : 1);
      if (space <= 0) {
        out.push(line);
        line = hang;
        fresh = true;
        continue;
      }
      const chars = [...w];
      line += (fresh ? '' : ' ') + chars.slice(0, space).join('');
      out.push(line);
      line = hang;
      fresh = true;
      w = chars.slice(space).join('');
    }
    if (w !== '') {
      line += (fresh ? '' : ' ') + w;
      fresh = false;
    }
  }
  if (!fresh || out.length === 0) out.push(line);
  return out;
}

function pad(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - len(s)));
}

/**
 * A plain table at most `width` wide: columns padded to their widest cell; the last column
 * takes the room that is left and wraps; while it has less than {@link LAST_MIN} the widest
 * other column is cut (in the middle) down to {@link MIN_COLUMN}. If even that does not fit,
 * one block of `header: value` lines per row.
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], width: number, indent = '  '): string[] {
  const gap = 2;
  const n = header.length;
  const widths = header.map((h, i) => Math.max(len(h), ...rows.map((r) => len(r[i] ?? ''))));
  const lastMin = Math.min(widths[n - 1], LAST_MIN);
  const before = () => len(indent) + widths.slice(0, n - 1).reduce((a, b) => a + b + gap, 0);
  while (before() + lastMin > width) {
    let widest = -1;
    for (let i = 0; i < n - 1; i++) if (widths[i] > MIN_COLUMN && (widest < 0 || widths[i] > widths[widest])) widest = i;
    if (widest < 0) break;
    widths[widest] = Math.max(MIN_COLUMN, widths[widest] - (before() + lastMin - width));
  }
  if (before() + lastMin > width) {
    // Too many columns for the width: one block per row, each value wrapped under its name.
    const name = Math.max(...header.map(len));
    return rows.flatMap((r, ri) => [
      ...(ri > 0 ? [''] : []),
      ...header.flatMap((h, i) => wrap(r[i] ?? '', width, `${indent}${pad(h, name)}  `, `${indent}${' '.repeat(name + 2)}`)),
    ]);
  }
  widths[n - 1] = Math.min(widths[n - 1], width - before());
  const line = (cells: readonly string[]): string[] => {
    const prefix = indent + cells.slice(0, n - 1).map((c, i) => pad(abbreviate(c, widths[i]), widths[i] + gap)).join('');
    return wrap(cells[n - 1] ?? '', width, prefix, ' '.repeat(len(prefix))).map((l) => l.trimEnd());
  };
  return [...line(header), ...line(header.map((_, i) => '-'.repeat(widths[i]))), ...rows.flatMap(line)];
}

function yn(v: boolean | null): string {
  return v === null ? '?' : v ? 'yes' : 'no';
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function storeLabel(s: StoreRow | undefined, ref: string): string {
  return s ? `${ref} (${s.role}, ${s.kind} ${s.name ?? 'name known after apply'}, ${s.account})` : ref;
}

/** `key-custody`'s custody report as terminal text (what `npm run report` prints). */
export function renderTextReport(input: ReportData, options: TextReportOptions = {}): string {
  const width = Math.max(40, options.width ?? 100);
  const color = options.color ?? false;
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const e = escapeControls;
  const data = input;
  const out: string[] = [];
  const heading = (title: string) => out.push('', paint('1', title.toUpperCase()));
  const para = (text: string, indent = '  ', hang = indent) => out.push(...wrap(e(text), width, indent, hang));

  const verdict = data.summary.errors > 0 ? 'FAIL' : 'PASS';
  out.push(...wrap(`Key custody report: ${verdict}, ${summaryLine(data.summary)}`, width).map((l, i) => (i === 0 ? l.replace(verdict, paint(verdict === 'FAIL' ? '31' : '32', verdict)) : l)));
  para(`Stacks: ${data.stacks.join(', ') || 'none'}`, '');
  para(`${plural(data.summary.keys, 'key')}, ${plural(data.summary.stores, 'store')}, ${plural(data.summary.drills, 'drill')}, ${plural(data.summary.containers ?? 0, 'container')} with a key.`, '');

  heading('Keys and 3-2-1');
  if (data.keys.length === 0) para('No keys are declared.');
  for (const k of data.keys) {
    const t = k.threeTwoOne;
    para(
      `${k.id}${k.app ? ` (app ${k.app})` : ''}: 3-2-1 ${t.holds ? 'holds' : 'FAILS'}: ${plural(t.copies, 'copy', 'copies')} on ${plural(t.media, 'medium', 'media')}, ${t.offsite} offsite; drills: ${k.drills.join(', ') || 'none'}`,
    );
    if (k.copies.length > 0) {
      out.push(
        ...textTable(
          ['Kind', 'Medium', 'Offsite', 'Gen', 'Counted', 'Evidence', 'Location'],
          k.copies.map((c) => [
            e(c.kind),
            e(c.medium),
            yn(c.offsite),
            c.generation === null ? '' : String(c.generation),
            c.counted === false ? 'no' : 'yes',
            c.fingerprint === null ? (c.medium === 's3' ? 'no upload recorded' : 'none') : `${e(c.fingerprint)}${c.evidence === 'keygen' ? ' (keygen)' : ''}`,
            e(c.location),
          ]),
          width,
          '    ',
        ),
      );
    }
  }

  if ((data.containers ?? []).length > 0) {
    heading('Containers with a key');
    for (const c of data.containers) {
      para(`${c.stack}: ${c.drill ? 'recovery drill' : 'app'} ${c.address} (key ${c.key})`, '  ', '    ');
      para(c.mount ? `mounts ${c.mount}` : c.reasons.join('; '), '    ', '      ');
    }
  }

  // Stores are tagged S1, S2, ... once, and the hardening and access tables use the tags.
  const stores = new Map(data.stores.map((s) => [s.ref, s]));
  const tags = new Map([...new Set([...data.stores.map((s) => s.ref), ...data.access.stores])].map((ref, i) => [ref, `S${i + 1}`]));
  heading('Stores');
  if (data.stores.length === 0) para('No custody stores (resources tagged custody:role) were found.');
  else {
    for (const [ref, tag] of tags) para(`${tag} ${storeLabel(stores.get(ref), ref)}`, '  ', '     ');
    out.push('');
    para('Ver versioning, Lock Object Lock, PAB public access block, TLS TLS only, KMS SSE-KMS with its own key (aws: the AWS-managed key), Own owner enforced, NoDel deletes denied to writers.');
    out.push(
      ...textTable(
        ['Store', 'Role', 'Ver', 'Lock', 'PAB', 'TLS', 'KMS', 'Own', 'Expiry', 'NoDel'],
        data.stores.map((s) => {
          const h = s.hardening;
          const lock = h.objectLock === null ? '?' : h.objectLock.enabled ? (h.objectLock.mode ?? 'yes').toLowerCase() : 'no';
          const days = (v: number | null) => (v === null ? 'never' : `${v}d`);
          return [
            tags.get(s.ref) ?? '',
            e(s.role),
            hardeningCell(h, 'versioning', () => yn(h.versioning)),
            hardeningCell(h, 'objectLock', () => lock),
            hardeningCell(h, 'publicAccessBlock', () => yn(h.publicAccessBlock)),
            hardeningCell(h, 'tlsOnly', () => yn(h.tlsOnly)),
            h.sseKms === null ? '?' : h.sseKms ? (h.kmsKey ? 'yes' : 'aws') : 'no',
            hardeningCell(h, 'ownerEnforced', () => yn(h.ownerEnforced)),
            hardeningCell(h, 'expiry', () => `${days(h.currentExpirationDays)}/${days(h.noncurrentExpirationDays)}`),
            hardeningCell(h, 'denyDeleteToWriters', () => yn(h.denyDeleteToWriters)),
          ].map((c) => c.replace('built in', 'built-in'));
        }),
        width,
      ),
    );
  }

  heading('Who can touch which store');
  if (data.access.rows.length === 0) para('No principal can reach a custody store.');
  else {
    para('r read, w write, d delete, k decrypt, a admin; * only through an exemption in the store\'s policy (the principal\'s own policies are not in the configuration); [r] asked for and blocked today.');
    const cols = data.access.stores.map((ref) => ({ ref, tag: tags.get(ref) ?? ref }));
    // Stores of other stacks that this stack's principals reach have no row in the stores table.
    for (const c of cols) if (!stores.has(c.ref)) para(`${c.tag} ${c.ref}`, '  ', '     ');
    // As many store columns per table as fit beside a principal column of up to half the width.
    const cellWidth = (ref: string) => Math.max(3, ...data.access.rows.map((r) => len(accessCell(r, ref))));
    const principalWidth = Math.min(Math.floor(width / 2), Math.max(...data.access.rows.map((r) => len(e(r.principal)))));
    let start = 0;
    while (start < cols.length) {
      let used = 2 + principalWidth;
      let end = start;
      while (end < cols.length && (end === start || used + 2 + cellWidth(cols[end].ref) <= width)) used += 2 + cellWidth(cols[end++].ref);
      const group = cols.slice(start, end);
      const rows = data.access.rows.filter((r) => group.some((c) => accessCell(r, c.ref) !== ''));
      out.push('');
      out.push(...textTable(['Principal', ...group.map((c) => c.tag)], rows.map((r) => [e(r.principal), ...group.map((c) => accessCell(r, c.ref))]), width));
      start = end;
    }
  }
  const diagram = custodyDiagram(data);
  out.push('');
  para(diagram.crossing.length === 0 ? 'No principal reaches both the DB-backup side and the key side.' : `Reach both the DB-backup side and the key side (KC011): ${diagram.crossing.join(', ')}.`);
  if (data.access.omittedPrincipals > 0) {
    const names = data.access.unreached ?? [];
    const shown = names.slice(0, 20).join(', ') + (names.length > 20 ? ` and ${names.length - 20} more` : '');
    para(`${plural(data.access.omittedPrincipals, 'principal')} ${data.access.omittedPrincipals === 1 ? 'reaches' : 'reach'} no custody store${shown ? `: ${shown}` : ''}.`);
  }

  heading('Recovery drills');
  if (data.drills.length === 0) para('No recovery drills are declared.');
  for (const d of data.drills) {
    para(
      `${d.id} (key ${d.key}, stack ${d.stack}): last passed ${d.lastPassedOn ?? 'never recorded'}; next run ${d.nextRun ?? 'unknown (not a cron schedule)'}; ` +
        `schedule ${[d.schedule, d.timezone].filter((x) => !!x).join(' ') || 'none'}; restores backups aged ${d.restoreAgeDays ?? '?'} d; key from ${d.keySource ?? '?'}; alarm ${yn(d.alarm)}, log ${yn(d.log)}.`,
      '  ',
      '    ',
    );
  }

  heading('Findings');
  if (data.findings.length === 0) para('No findings.');
  for (const f of data.findings) {
    const bare = f.address.startsWith(`${f.stack}/`) ? f.address.slice(f.stack.length + 1) : f.address;
    const state = f.suppressed ? 'suppressed' : f.severity;
    const first = wrap(e(`${state} ${f.ruleId} ${bare} (stack ${f.stack})`), width, '  ', '    ');
    out.push(...first.map((l, i) => (i === 0 && !f.suppressed ? l.replace(state, paint(f.severity === 'error' ? '31' : '33', state)) : l)));
    para(f.message, '    ');
    para(`fix: ${f.fix}`, '    ', '      ');
    if (f.suppressed) para(`reason: ${f.reason ?? 'none given'}`, '    ', '      ');
  }

  heading('Suppressions');
  if (data.suppressions.length === 0) para('No suppressions.');
  for (const x of data.suppressions) {
    const status = x.valid ? (x.used > 0 ? `in use (${plural(x.used, 'finding')})` : 'unused') : `invalid: ${x.problem ?? 'invalid'}`;
    para(
      `${x.id} (stack ${x.stack}, ${x.scope === '' ? 'whole stack' : `scope ${x.scope}`}): owner ${x.owner ?? 'none'}, expires ${x.expires ?? 'never'}; ${status}`,
      '  ',
      '    ',
    );
    para(`reason: ${x.reason}`, '    ', '      ');
  }

  if (data.unknowns.length > 0) {
    heading('Not decidable from the configuration');
    for (const u of data.unknowns) para(`${u.address}: ${u.what}`, '  ', '    ');
  }
  return `${out.join('\n')}\n`;
}
