import type { CustodyRole } from '../model/types';
import { accessCell, type AccessRow, type ReportData, type StoreRow } from './data';

/**
 * The picture of custody in `custody-report.md`: a Mermaid flowchart of principals → stores,
 * grouped by custody side (DB backups, key copies) and account, with every edge of a
 * principal that reaches both sides (what KC011 forbids) drawn red. GitHub renders a
 * ```` ```mermaid ```` block in files and in PR comments.
 */

/** Above this many edges the diagram is left out: GitHub stops rendering large charts, and the matrix says the same. */
export const MAX_DIAGRAM_EDGES = 300;

/** The colour of a crossing. */
export const CROSSING_COLOUR = '#d32f2f';

type Side = 'db' | 'key' | 'other';

const SIDE_TITLES: Record<Side, string> = {
  db: 'DB-backup side',
  key: 'Key side (key backups and key stores)',
  other: 'Other custody stores',
};

function sideOf(role: CustodyRole | null | undefined): Side {
  if (role === 'db-backup') return 'db';
  if (role === 'key-backup' || role === 'key-store') return 'key';
  return 'other';
}

/**
 * Text for a quoted Mermaid label. Mermaid reads `#name;` as an entity and a quote as the
 * label's end, so `#`, `"`, `<`, `>` and backticks become entities; line breaks become spaces.
 */
export function mermaidLabel(text: string): string {
  return text
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;')
    .replace(/[\r\n]+/g, ' ');
}

function accountLabel(account: string): string {
  return account.startsWith('acct:') ? `account ${account.slice(5)}` : account === 'unknown' ? 'account unknown' : `account ${account}`;
}

/** One edge as drawn, in the order of its `linkStyle` index. */
export interface DiagramEdge {
  readonly principal: string;
  readonly store: string;
  readonly label: string;
  /** Drawn red: the principal reaches (or asks for) stores on both sides. */
  readonly crossing: boolean;
  /** Dashed: only what an identity policy asks for and the store blocks today. */
  readonly blockedOnly: boolean;
}

/** The diagram and what it drew, for tests and for the sentence under it. */
export interface CustodyDiagram {
  /** Mermaid source, without the fence; undefined when there is nothing to draw or too much. */
  readonly source?: string;
  readonly edges: readonly DiagramEdge[];
  /** Principals drawn red, sorted. */
  readonly crossing: readonly string[];
  /** Why there is no diagram, when there is none. */
  readonly omitted?: string;
}

/** Sides a matrix row touches: what it reaches, and what it asks for while blocked. */
function sidesOf(row: AccessRow, storeSide: ReadonlyMap<string, Side>): Set<Side> {
  const out = new Set<Side>();
  for (const s of [...Object.keys(row.cells), ...Object.keys(row.blocked ?? {})]) out.add(storeSide.get(s) ?? 'other');
  return out;
}

/** Build the custody diagram of a report. */
export function custodyDiagram(data: ReportData): CustodyDiagram {
  const storeByRef = new Map<string, StoreRow>(data.stores.map((s) => [s.ref, s]));
  const storeSide = new Map<string, Side>(data.access.stores.map((s) => [s, sideOf(storeByRef.get(s)?.role)]));
  const edges: DiagramEdge[] = [];
  const crossing = new Set<string>();
  for (const row of data.access.rows) {
    const sides = sidesOf(row, storeSide);
    const crosses = sides.has('db') && sides.has('key');
    if (crosses) crossing.add(row.principal);
    const stores = [...new Set([...Object.keys(row.cells), ...Object.keys(row.blocked ?? {})])].sort();
    for (const store of stores) {
      edges.push({ principal: row.principal, store, label: accessCell(row, store), crossing: crosses, blockedOnly: !row.cells[store] });
    }
  }
  const result = { edges, crossing: [...crossing].sort() };
  if (data.access.stores.length === 0) return { ...result, omitted: 'no custody stores' };
  if (edges.length > MAX_DIAGRAM_EDGES) {
    return { ...result, omitted: `${edges.length} access edges are more than a diagram can show (${MAX_DIAGRAM_EDGES}); the access matrix lists them` };
  }

  // Node ids are positional (s0, p0): names may hold any character, ids may not.
  const storeId = new Map(data.access.stores.map((s, i) => [s, `s${i}`]));
  const drawn = new Set(edges.map((e) => e.principal));
  const rows = data.access.rows.filter((r) => drawn.has(r.principal));
  const principalId = new Map(rows.map((r, i) => [r.principal, `p${i}`]));

  // Groups: side → account → nodes. A crossing principal sits outside both sides.
  const groups = new Map<Side, Map<string, string[]>>();
  const put = (side: Side, account: string, line: string) => {
    let bySide = groups.get(side);
    if (!bySide) groups.set(side, (bySide = new Map()));
    const list = bySide.get(account);
    if (list) list.push(line);
    else bySide.set(account, [line]);
  };
  for (const s of data.access.stores) {
    const row = storeByRef.get(s);
    const name = row ? `${row.kind} ${row.role}: ${row.name ?? row.address}` : s;
    put(storeSide.get(s) ?? 'other', row?.account ?? 'unknown', `${storeId.get(s)}[("${mermaidLabel(name)}")]`);
  }
  const crossingLines: string[] = [];
  for (const r of rows) {
    const line = `${principalId.get(r.principal)}["${mermaidLabel(`${r.kind} ${r.principal}`)}"]`;
    if (crossing.has(r.principal)) {
      crossingLines.push(line);
      continue;
    }
    const sides = sidesOf(r, storeSide);
    const side: Side = sides.has('db') ? 'db' : sides.has('key') ? 'key' : 'other';
    put(side, r.account ?? 'unknown', line);
  }

  const out: string[] = ['flowchart LR'];
  let group = 0;
  for (const side of ['db', 'key', 'other'] as const) {
    const bySide = groups.get(side);
    if (!bySide) continue;
    out.push(`  subgraph side_${side}["${mermaidLabel(SIDE_TITLES[side])}"]`);
    for (const [account, lines] of [...bySide].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      out.push(`    subgraph g${group++}["${mermaidLabel(accountLabel(account))}"]`);
      for (const l of lines) out.push(`      ${l}`);
      out.push('    end');
    }
    out.push('  end');
  }
  if (crossingLines.length > 0) {
    out.push(`  subgraph both_sides["${mermaidLabel('Reaches both sides (KC011)')}"]`);
    for (const l of crossingLines) out.push(`    ${l}`);
    out.push('  end');
  }
  for (const e of edges) {
    const arrow = e.blockedOnly ? '-.->' : '-->';
    out.push(`  ${principalId.get(e.principal)} ${arrow}|"${mermaidLabel(e.blockedOnly ? `${e.label} blocked` : e.label)}"| ${storeId.get(e.store)}`);
  }
  const red = edges.map((e, i) => (e.crossing ? i : -1)).filter((i) => i >= 0);
  if (red.length > 0) {
    out.push(`  linkStyle ${red.join(',')} stroke:${CROSSING_COLOUR},stroke-width:3px,color:${CROSSING_COLOUR}`);
    out.push(`  classDef crossing fill:#ffebee,stroke:${CROSSING_COLOUR},stroke-width:2px`);
    out.push(`  class ${result.crossing.map((p) => principalId.get(p)).join(',')} crossing`);
  }
  return { ...result, source: out.join('\n') };
}

/** The diagram section of `custody-report.md`: the fenced block and one sentence of legend. */
export function renderDiagramSection(data: ReportData, codeSpan: (s: string) => string): string[] {
  const d = custodyDiagram(data);
  if (d.source === undefined) return d.omitted === 'no custody stores' ? [] : ['## Custody diagram', '', `No diagram: ${d.omitted}.`, ''];
  const legend =
    d.crossing.length === 0
      ? 'No principal reaches both sides.'
      : `In red: ${d.crossing.map(codeSpan).join(', ')} ${d.crossing.length === 1 ? 'reaches' : 'reach'} both the DB-backup side and the key side (KC011).`;
  return [
    '## Custody diagram',
    '',
    'Principals → the stores they reach, grouped by custody side and account; edge labels are the access matrix letters (dashed: asked for, blocked today).',
    '',
    '```mermaid',
    d.source,
    '```',
    '',
    legend,
    '',
  ];
}
