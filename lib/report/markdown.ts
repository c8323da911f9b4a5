import { accessCell, type HardeningColumn, type ReportData, type StoreHardening } from './data';
import { escapeControlsKeepNewlines } from './escape';
import { renderDiagramSection } from './mermaid';

export interface MarkdownOptions {
  /** Title of the report; default `Key custody report`, with the stack name when there is one stack. */
  readonly title?: string;
}

/** Text for a GitHub-flavoured Markdown table cell: pipes escaped, no raw HTML, no line breaks. */
export function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  return String(value)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, '<br>');
}

/** A code span inside a table cell (pipes still escaped, as GFM tables require). */
export function codeCell(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const body = value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const fence = body.includes('`') ? '``' : '`';
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** Above this many stores the matrix is split into one table per key. */
export const MAX_MATRIX_COLUMNS = 12;

/**
 * The matrix columns: one table while it stays readable, else one per key (a principal that
 * reaches stores of several keys appears in each of their tables). One table of every
 * principal against every store grows with the square of the number of keys; the JSON
 * report keeps the full, sparse matrix.
 */
function matrixGroups(data: ReportData): { key: string | null; stores: string[] }[] {
  if (data.access.stores.length <= MAX_MATRIX_COLUMNS) return [{ key: null, stores: [...data.access.stores] }];
  const keyOf = new Map(data.stores.map((s) => [s.ref, s.key]));
  const groups = new Map<string | null, string[]>();
  for (const s of data.access.stores) {
    const k = keyOf.get(s) ?? null;
    const list = groups.get(k);
    if (list) list.push(s);
    else groups.set(k, [s]);
  }
  return [...groups]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([key, stores]) => ({ key, stores }));
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function yn(v: boolean | null): string {
  return v === null ? '?' : v ? 'yes' : 'no';
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function days(v: number | null): string {
  return v === null ? 'never' : `${v} d`;
}

/** A hardening cell: `n/a` where the store's kind has no such setting, `built in` where the kind always has it. */
export function hardeningCell(h: StoreHardening, column: HardeningColumn, value: () => string): string {
  if (h.notApplicable?.includes(column)) return 'n/a';
  if (h.builtIn?.includes(column)) return 'built in';
  return value();
}

/** Principals named in a sentence: the first `max`, then how many more. */
export function nameList(names: readonly string[], span: (s: string) => string, max = 20): string {
  const shown = names.slice(0, max).map(span).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

function objectLock(h: StoreHardening): string {
  if (h.objectLock === null) return '?';
  if (!h.objectLock.enabled) return 'no';
  const parts = [h.objectLock.mode, h.objectLock.days !== null ? `${h.objectLock.days} d` : null].filter((p): p is string => !!p);
  return parts.length > 0 ? `yes (${parts.join(', ')})` : 'yes';
}

/** The summary line shared by the Markdown report: `2 errors, 1 warning, 1 suppressed in 3 stacks`. */
export function summaryLine(s: { errors: number; warnings: number; suppressed: number; stacks: number }): string {
  return `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.suppressed} suppressed in ${plural(s.stacks, 'stack')}`;
}

/** `custody-report.md`: the human-readable custody report for policy reviewers. */
export function renderMarkdown(data: ReportData, options: MarkdownOptions = {}): string {
  const title = options.title ?? (data.stacks.length === 1 ? `Key custody report: ${data.stacks[0]}` : 'Key custody report');
  const out: string[] = [];
  out.push(`# ${cell(title)}`, '');
  const verdict = data.summary.errors > 0 ? 'FAIL' : 'PASS';
  out.push(
    `**${verdict}**: ${summaryLine(data.summary)}` +
      (data.stacks.length > 0 ? ` (${data.stacks.map((s) => codeCell(s)).join(', ')})` : '') +
      `; ${plural(data.summary.keys, 'key')}, ${plural(data.summary.stores, 'store')}, ${plural(data.summary.drills, 'drill')}, ${plural(data.summary.containers ?? 0, 'container')} with a key.`,
    '',
  );
  out.push(...renderDiagramSection(data, (s) => codeCell(s)));

  // Key inventory.
  out.push('## Key inventory', '');
  if (data.keys.length === 0) {
    out.push('No keys are declared.', '');
  } else {
    out.push(
      table(
        ['Key', 'App', 'Copies', 'Media', 'Offsite', '3 copies', '2 media', '1 offsite', '3-2-1', 'Drills'],
        data.keys.map((k) => [
          codeCell(k.id),
          cell(k.app),
          String(k.threeTwoOne.copies),
          String(k.threeTwoOne.media),
          String(k.threeTwoOne.offsite),
          yn(k.threeTwoOne.threeCopies),
          yn(k.threeTwoOne.twoMedia),
          yn(k.threeTwoOne.oneOffsite),
          k.threeTwoOne.holds ? '**holds**' : '**fails**',
          k.drills.length > 0 ? k.drills.map((d) => codeCell(d)).join(', ') : 'none',
        ]),
      ),
      '',
    );
    for (const k of data.keys) {
      out.push(`### Key ${codeCell(k.id)}`, '');
      const facts = [
        k.app ? `app ${codeCell(k.app)}` : null,
        k.hostPath ? `hot copy at ${codeCell(k.hostPath)}` : null,
        k.fingerprint ? `fingerprint ${codeCell(k.fingerprint)}` : null,
        k.stacks.length > 0 ? `stacks ${k.stacks.map((s) => codeCell(s)).join(', ')}` : null,
      ].filter((f): f is string => !!f);
      if (facts.length > 0) out.push(`${facts.join('; ')}.`, '');
      if (k.generations.length > 0) {
        out.push(
          table(
            ['Generation', 'State', 'Retired on', 'Keep until', 'Host file', 'Fingerprint', 'Offsite backup', 'Own copies'],
            k.generations.map((g) => [
              String(g.generation),
              g.state === 'active' ? '**active**' : cell(g.state),
              cell(g.retiredOn),
              g.keepUntil ?? (g.state === 'retired' ? 'indefinitely' : 'while in use'),
              codeCell(g.hostPath),
              codeCell(g.fingerprint),
              codeCell(g.offsiteObject),
              String(g.copies),
            ]),
          ),
          '',
        );
      }
      if (k.copies.length === 0) {
        out.push('No copies are declared.', '');
      } else {
        out.push(
          table(
            ['Kind', 'Medium', 'Location', 'Offsite', 'Custodian', 'Generation', 'Fingerprint', 'Made on', 'Declared at'],
            k.copies.map((c) => [
              cell(c.kind),
              cell(c.medium),
              codeCell(c.location),
              yn(c.offsite),
              cell(c.custodian),
              [c.generation === null ? '' : String(c.generation), c.counted === false ? '(not counted)' : ''].filter((x) => x).join(' '),
              c.fingerprint === null ? (c.medium === 's3' ? 'none (no recorded upload)' : 'none (no evidence)') : `${codeCell(c.fingerprint)}${c.evidence === 'keygen' ? ' (keygen)' : ''}`,
              cell(c.date),
              codeCell(c.address),
            ]),
          ),
          '',
        );
      }
      const uncounted = k.copies.filter((c) => c.counted === false).length;
      if (uncounted > 0) {
        out.push(
          `${plural(k.threeTwoOne.copies, 'copy', 'copies')} count for 3-2-1; the ${uncounted === 1 ? 'row' : `${uncounted} rows`} marked "(not counted)" ${uncounted === 1 ? 'belongs' : 'belong'} to another generation or ${uncounted === 1 ? 'repeats' : 'repeat'} a place already counted.`,
          '',
        );
      }
    }
  }

  // Containers that run with a key.
  if ((data.containers ?? []).length > 0) {
    out.push('## Containers with a key', '');
    out.push(
      table(
        ['Container', 'Stack', 'Key', 'Use', 'Key mount', 'Why'],
        data.containers.map((c) => [
          codeCell(c.address),
          codeCell(c.stack),
          codeCell(c.key),
          c.drill ? 'recovery drill' : 'app',
          codeCell(c.mount),
          cell(c.reasons.join('; ')),
        ]),
      ),
      '',
    );
  }

  // Stores.
  out.push('## Stores', '');
  if (data.stores.length === 0) {
    out.push('No custody stores (resources tagged `custody:role`) were found.', '');
  } else {
    out.push(
      table(
        ['Role', 'Kind', 'Name', 'Stack', 'Address', 'Key', 'Versioning', 'Object Lock', 'Public access block', 'TLS only', 'SSE-KMS', 'KMS key', 'Owner enforced', 'Expiry (current / noncurrent)', 'Deletes denied to writers'],
        data.stores.map((s) => [
          cell(s.role),
          cell(s.kind),
          s.name === null ? '(known after apply)' : codeCell(s.name),
          codeCell(s.stack),
          codeCell(s.address) + (s.adopted ? ' (adopted)' : ''),
          codeCell(s.key),
          hardeningCell(s.hardening, 'versioning', () => yn(s.hardening.versioning)),
          hardeningCell(s.hardening, 'objectLock', () => objectLock(s.hardening)),
          hardeningCell(s.hardening, 'publicAccessBlock', () => yn(s.hardening.publicAccessBlock)),
          hardeningCell(s.hardening, 'tlsOnly', () => yn(s.hardening.tlsOnly)),
          yn(s.hardening.sseKms),
          codeCell(s.hardening.kmsKey),
          hardeningCell(s.hardening, 'ownerEnforced', () => yn(s.hardening.ownerEnforced)),
          hardeningCell(s.hardening, 'expiry', () => `${days(s.hardening.currentExpirationDays)} / ${days(s.hardening.noncurrentExpirationDays)}`),
          hardeningCell(s.hardening, 'denyDeleteToWriters', () => yn(s.hardening.denyDeleteToWriters)),
        ]),
      ),
      '',
    );
  }

  // Access matrix.
  out.push('## Access matrix', '');
  const legend = Object.entries(data.access.legend)
    .map(([letter, access]) => `\`${letter}\` ${access}`)
    .join(', ');
  if (data.access.rows.length === 0) {
    out.push('No principal can reach a custody store.', '');
  } else {
    const marks = [
      data.access.rows.some((r) => Object.keys(r.exempt ?? {}).length > 0)
        ? '`*`: the store\'s policy exempts the principal from its deny, and its own policies are not in the configuration, so it has whatever they allow'
        : null,
      data.access.rows.some((r) => Object.keys(r.blocked ?? {}).length > 0) ? '`[r]`: an identity policy asks for it and the store blocks it today' : null,
    ].filter((m): m is string => m !== null);
    out.push(`Letters: ${legend}. Empty: no access.${marks.length > 0 ? ` ${marks.join('; ')}.` : ''}`, '');
    const groups = matrixGroups(data);
    for (const g of groups) {
      if (groups.length > 1) out.push(`### Access to the stores of ${g.key === null ? 'no key' : `key ${codeCell(g.key)}`}`, '');
      const columns = new Set(g.stores);
      const rows = data.access.rows.filter((r) => Object.keys(r.cells).some((s) => columns.has(s)));
      out.push(
        rows.length === 0
          ? 'No principal reaches these stores.'
          : table(
              ['Principal', 'Kind', 'Role', ...g.stores.map((s) => codeCell(s))],
              rows.map((r) => [codeCell(r.principal), cell(r.kind), cell(r.role), ...g.stores.map((s) => cell(accessCell(r, s)))]),
            ),
        '',
      );
    }
  }
  if (data.access.omittedPrincipals > 0) {
    const names = data.access.unreached ?? [];
    const n = data.access.omittedPrincipals;
    out.push(
      names.length > 0
        ? `${plural(n, 'principal')} ${n === 1 ? 'reaches' : 'reach'} no custody store: ${nameList(names, (s) => codeCell(s))}.`
        : `${plural(n, 'principal')} that ${n === 1 ? 'reaches' : 'reach'} no custody store ${n === 1 ? 'is' : 'are'} not shown.`,
      '',
    );
  }
  if (data.grants.length > 0) {
    out.push('### How access is granted', '');
    out.push(
      table(
        ['Principal', 'Store', 'Access', 'Basis', 'Via'],
        data.grants.map((g) => [codeCell(g.principal), codeCell(g.store), cell(g.access), cell(g.basis ?? 'policy'), cell(g.via)]),
      ),
      '',
    );
  }

  // Drills.
  out.push('## Recovery drills', '');
  if (data.drills.length === 0) {
    out.push('No recovery drills are declared.', '');
  } else {
    out.push(
      table(
        ['Drill', 'Key', 'Stack', 'Schedule', 'Every', 'Restores backups aged', 'Key source', 'Alarm', 'Log', 'Last passed', 'Next run'],
        data.drills.map((d) => [
          codeCell(d.id),
          codeCell(d.key),
          codeCell(d.stack),
          cell([d.schedule, d.timezone].filter((x) => !!x).join(' ')),
          d.intervalDays === null ? '' : `${d.intervalDays} d`,
          d.restoreAgeDays === null ? '' : `${d.restoreAgeDays} d`,
          codeCell(d.keySource),
          yn(d.alarm),
          yn(d.log),
          d.lastPassedOn ? cell(d.lastPassedOn) : 'none recorded',
          cell(d.nextRun),
        ]),
      ),
      '',
    );
  }

  // Findings.
  out.push('## Findings', '');
  if (data.findings.length === 0) {
    out.push('No findings.', '');
  } else {
    out.push(
      table(
        ['Rule', 'Severity', 'Address', 'Message', 'Fix', 'Status'],
        data.findings.map((f) => [
          cell(f.ruleId),
          cell(f.severity),
          codeCell(f.address),
          cell(f.message),
          cell(f.fix),
          f.suppressed ? `suppressed: ${cell(f.reason)}${suppressedBy(f)}` : 'open',
        ]),
      ),
      '',
    );
  }

  // Suppressions.
  out.push('## Suppressions', '');
  if (data.suppressions.length === 0) {
    out.push('No suppressions.', '');
  } else {
    out.push(
      table(
        ['Rule', 'Stack', 'Scope', 'Reason', 'Owner', 'Expires', 'Used', 'Status'],
        data.suppressions.map((s) => [
          cell(s.id),
          codeCell(s.stack),
          s.scope === '' ? '(whole stack)' : codeCell(s.scope),
          cell(s.reason),
          cell(s.owner),
          cell(s.expires),
          String(s.used),
          s.valid ? (s.used > 0 ? 'in use' : 'unused') : `invalid: ${cell(s.problem)}`,
        ]),
      ),
      '',
    );
  }

  if (data.unknowns.length > 0) {
    out.push('## Not decidable from the configuration', '');
    out.push(table(['Stack', 'Address', 'What'], data.unknowns.map((u) => [codeCell(u.stack), codeCell(u.address), cell(u.what)])), '');
  }

  // Read with `cat` as often as rendered: no raw control character of a name or tag value.
  return `${escapeControlsKeepNewlines(out.join('\n')).replace(/\n+$/, '')}\n`;
}

/** ` (owner platform-team, expires 2027-03-31)` after a suppressed finding's reason. */
function suppressedBy(f: { readonly owner?: string; readonly expires?: string }): string {
  const parts = [f.owner ? `owner ${cell(f.owner)}` : '', f.expires ? `expires ${cell(f.expires)}` : ''].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
