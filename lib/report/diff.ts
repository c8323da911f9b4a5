import type { Access } from '../model/types';
import { blocking } from '../rules/engine';
import type { CopyRow, DrillRow, FindingRow, GrantRow, ReportData, StoreRow, SuppressionRow, ThreeTwoOne } from './data';
import { accessLetters } from './summarize';

/**
 * What changed in custody between two reports (`key-custody check --diff`): who reaches which
 * store, copies, stores, drills, suppressions and rule results. Pure, over two
 * {@link ReportData} objects, so it works the same on two synth outputs and on two sets of plans.
 *
 * Things are matched by identity, never by message text: a principal or a store by its stack
 * and Terraform address (so a report of one stack, whose addresses are not stack-qualified,
 * matches a report of several), a copy by key, generation, kind, medium, location and store,
 * a drill by stack, id and key, a suppression by stack, rule and scope, a finding by rule,
 * stack and address. A finding whose message changed (a count went up) is "changed", not one
 * fixed and one new.
 */

/** Access that reaches a store's contents or its protection; decrypt alone is KC012's business, as in KC011. */
const REACH: ReadonlySet<Access> = new Set<Access>(['read', 'write', 'delete', 'admin']);
const KEY_SIDE: ReadonlySet<string> = new Set(['key-backup', 'key-store']);

export type ChangeKind = 'added' | 'removed' | 'changed';

/** One principal × store cell that appeared, disappeared or changed letters. */
export interface AccessChange {
  readonly change: ChangeKind;
  readonly principal: string;
  readonly principalStack: string;
  /** `iam-role`, `iam-user`, `external`, ... from the report's principal rows; `unknown` when it has none. */
  readonly kind: string;
  readonly store: string;
  readonly storeStack: string;
  /** The store's custody role, or null for a store the report does not list. */
  readonly role: string | null;
  /** Letters before and after (`r`, `rwk`; empty when none). */
  readonly before: string;
  readonly after: string;
  /** The chains that give the access, from the side that has it (head, or base when removed). */
  readonly via: readonly string[];
}

/** A principal that reaches both a DB-backup store and a key copy (what KC011 forbids). */
export interface Crossing {
  readonly principal: string;
  readonly principalStack: string;
  readonly kind: string;
  /** DB-backup stores it reaches, with letters: `db-backups/aws_s3_bucket.db (r)`. */
  readonly dbStores: readonly string[];
  /** Key-backup and key-store stores it reaches, with letters. */
  readonly keyStores: readonly string[];
}

export interface StoreChange {
  readonly change: ChangeKind;
  readonly ref: string;
  readonly stack: string;
  readonly role: string;
  readonly kind: string;
  readonly key: string | null;
  /** For `changed`: each field that differs, `field: before → after`. */
  readonly fields: readonly string[];
}

export interface CopyChange {
  readonly change: ChangeKind;
  readonly key: string;
  readonly copy: CopyRow;
  readonly fields: readonly string[];
}

export interface ThreeTwoOneChange {
  readonly key: string;
  /** Null when the key is new (before) or gone (after). */
  readonly before: ThreeTwoOne | null;
  readonly after: ThreeTwoOne | null;
}

export interface DrillChange {
  readonly change: ChangeKind;
  readonly drill: DrillRow;
  readonly fields: readonly string[];
}

export interface SuppressionChange {
  readonly change: ChangeKind;
  readonly suppression: SuppressionRow;
  readonly fields: readonly string[];
}

export interface FindingChange {
  readonly change: 'new' | 'fixed' | 'changed';
  /** Head's row (base's for `fixed`). */
  readonly finding: FindingRow;
  /** Base's row, for `changed`. */
  readonly before?: FindingRow;
  /** For `changed`: what differs (`message`, `severity: warning → error`, `suppressed: no → yes`). */
  readonly fields: readonly string[];
  /** It blocks in head (unsuppressed error, or a warning under --strict) and did not in base. */
  readonly newlyBlocking: boolean;
}

export interface CustodyDiff {
  readonly base: { readonly stacks: readonly string[]; readonly errors: number; readonly warnings: number; readonly suppressed: number };
  readonly head: { readonly stacks: readonly string[]; readonly errors: number; readonly warnings: number; readonly suppressed: number };
  readonly stacks: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly crossings: { readonly added: readonly Crossing[]; readonly removed: readonly Crossing[] };
  readonly access: readonly AccessChange[];
  readonly stores: readonly StoreChange[];
  readonly keys: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly copies: readonly CopyChange[];
  readonly threeTwoOne: readonly ThreeTwoOneChange[];
  readonly drills: readonly DrillChange[];
  readonly suppressions: readonly SuppressionChange[];
  readonly findings: readonly FindingChange[];
  /** Number of findings that block in head and did not in base: what makes `--diff` exit 1. */
  readonly newlyBlocking: number;
  /** Nothing above changed. */
  readonly unchanged: boolean;
}

export interface DiffOptions {
  /** Warnings block too (as `--strict` in the check). Default false. */
  readonly strict?: boolean;
}

const SEP = '\u0000';

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `stack\0address` of a report ref: the same thing whether or not the report qualified it with its stack. */
export function identity(stack: string, ref: string): string {
  return `${stack}${SEP}${ref.startsWith(`${stack}/`) ? ref.slice(stack.length + 1) : ref}`;
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** `field: before → after` for each listed field that differs (values compared as JSON). */
function changedFields<T extends object>(before: T, after: T, fields: readonly (keyof T & string)[]): string[] {
  return fields.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])).map((f) => `${f}: ${show(before[f])} → ${show(after[f])}`);
}

/**
 * Pair the items of two lists by identity (several items may share one: they are paired in
 * order, after exact matches). Returns the pairs and what is left on each side.
 */
function pairUp<T>(base: readonly T[], head: readonly T[], idOf: (t: T) => string, exactOf: (t: T) => string): { pairs: [T, T][]; removed: T[]; added: T[] } {
  const group = (list: readonly T[]) => {
    const m = new Map<string, T[]>();
    for (const t of list) {
      const id = idOf(t);
      const l = m.get(id);
      if (l) l.push(t);
      else m.set(id, [t]);
    }
    return m;
  };
  const b = group(base);
  const h = group(head);
  const pairs: [T, T][] = [];
  const removed: T[] = [];
  const added: T[] = [];
  for (const id of new Set([...b.keys(), ...h.keys()])) {
    const left = [...(b.get(id) ?? [])];
    const right = [...(h.get(id) ?? [])];
    // Exact twins first, so that of two findings at one address the one that stayed is not called changed.
    for (let i = 0; i < left.length; ) {
      const j = right.findIndex((r) => exactOf(r) === exactOf(left[i]));
      if (j < 0) {
        i++;
        continue;
      }
      pairs.push([left[i], right[j]]);
      left.splice(i, 1);
      right.splice(j, 1);
    }
    const n = Math.min(left.length, right.length);
    for (let i = 0; i < n; i++) pairs.push([left[i], right[i]]);
    removed.push(...left.slice(n));
    added.push(...right.slice(n));
  }
  return { pairs, removed, added };
}

interface Cell {
  readonly principal: string;
  readonly principalStack: string;
  readonly store: string;
  readonly storeStack: string;
  readonly levels: Set<Access>;
  readonly via: Set<string>;
}

/** principal identity → store identity → cell. */
function cellsOf(grants: readonly GrantRow[]): Map<string, Map<string, Cell>> {
  const out = new Map<string, Map<string, Cell>>();
  for (const g of grants) {
    const p = identity(g.principalStack, g.principal);
    const s = identity(g.storeStack, g.store);
    let row = out.get(p);
    if (!row) out.set(p, (row = new Map()));
    let c = row.get(s);
    if (!c) row.set(s, (c = { principal: g.principal, principalStack: g.principalStack, store: g.store, storeStack: g.storeStack, levels: new Set(), via: new Set() }));
    c.levels.add(g.access);
    c.via.add(g.via);
  }
  return out;
}

function storesById(data: ReportData): Map<string, StoreRow> {
  return new Map(data.stores.map((s) => [identity(s.stack, s.ref), s]));
}

function kindsById(data: ReportData): Map<string, string> {
  return new Map(data.principals.map((p) => [identity(p.stack, p.ref), p.kind]));
}

function crossingsOf(data: ReportData): Map<string, Crossing> {
  const stores = storesById(data);
  const kinds = kindsById(data);
  const out = new Map<string, Crossing>();
  for (const [pid, row] of cellsOf(data.grants)) {
    const db: string[] = [];
    const key: string[] = [];
    let first: Cell | undefined;
    for (const [sid, c] of row) {
      const role = stores.get(sid)?.role;
      const reach = [...c.levels].filter((l) => REACH.has(l));
      if (!role || reach.length === 0) continue;
      first ??= c;
      const shown = `${c.store} (${accessLetters(c.levels)})`;
      if (role === 'db-backup') db.push(shown);
      else if (KEY_SIDE.has(role)) key.push(shown);
    }
    if (first && db.length > 0 && key.length > 0) {
      out.set(pid, { principal: first.principal, principalStack: first.principalStack, kind: kinds.get(pid) ?? 'unknown', dbStores: db.sort(cmp), keyStores: key.sort(cmp) });
    }
  }
  return out;
}

function accessChanges(base: ReportData, head: ReportData): AccessChange[] {
  const b = cellsOf(base.grants);
  const h = cellsOf(head.grants);
  const stores = new Map([...storesById(base), ...storesById(head)]);
  const kinds = new Map([...kindsById(base), ...kindsById(head)]);
  const out: AccessChange[] = [];
  for (const pid of new Set([...b.keys(), ...h.keys()])) {
    const br = b.get(pid) ?? new Map<string, Cell>();
    const hr = h.get(pid) ?? new Map<string, Cell>();
    for (const sid of new Set([...br.keys(), ...hr.keys()])) {
      const bc = br.get(sid);
      const hc = hr.get(sid);
      const before = bc ? accessLetters(bc.levels) : '';
      const after = hc ? accessLetters(hc.levels) : '';
      if (before === after) continue;
      const c = (hc ?? bc) as Cell;
      out.push({
        change: !bc ? 'added' : !hc ? 'removed' : 'changed',
        principal: c.principal,
        principalStack: c.principalStack,
        kind: kinds.get(pid) ?? 'unknown',
        store: c.store,
        storeStack: c.storeStack,
        role: stores.get(sid)?.role ?? null,
        before,
        after,
        via: [...c.via].sort(cmp),
      });
    }
  }
  return out.sort((x, y) => cmp(x.principal, y.principal) || cmp(x.store, y.store));
}

function storeChanges(base: ReportData, head: ReportData): StoreChange[] {
  const { pairs, removed, added } = pairUp(base.stores, head.stores, (s) => identity(s.stack, s.ref), (s) => JSON.stringify(s));
  const row = (change: ChangeKind, s: StoreRow, fields: string[] = []): StoreChange => ({ change, ref: s.ref, stack: s.stack, role: s.role, kind: s.kind, key: s.key, fields });
  const out = [...added.map((s) => row('added', s)), ...removed.map((s) => row('removed', s))];
  for (const [b, h] of pairs) {
    const fields = [
      ...changedFields(b, h, ['role', 'kind', 'name', 'key', 'app', 'adopted', 'account']),
      ...changedFields(b.hardening, h.hardening, Object.keys({ ...b.hardening, ...h.hardening }) as (keyof StoreRow['hardening'] & string)[]),
    ];
    if (fields.length > 0) out.push(row('changed', h, fields));
  }
  return out.sort((x, y) => cmp(x.ref, y.ref) || cmp(x.change, y.change));
}

function copyChanges(base: ReportData, head: ReportData): CopyChange[] {
  const flat = (d: ReportData) => d.keys.flatMap((k) => k.copies.map((copy) => ({ key: k.id, copy })));
  const idOf = (c: { key: string; copy: CopyRow }) =>
    [c.key, c.copy.generation ?? '', c.copy.kind, c.copy.medium, c.copy.location, identity(c.copy.stack, c.copy.address)].join(SEP);
  const { pairs, removed, added } = pairUp(flat(base), flat(head), idOf, (c) => JSON.stringify(c));
  const out: CopyChange[] = [
    ...added.map((c) => ({ change: 'added' as const, key: c.key, copy: c.copy, fields: [] })),
    ...removed.map((c) => ({ change: 'removed' as const, key: c.key, copy: c.copy, fields: [] })),
  ];
  for (const [b, h] of pairs) {
    const fields = changedFields(b.copy, h.copy, ['offsite', 'custodian', 'fingerprint', 'date', 'evidence']);
    if (fields.length > 0) out.push({ change: 'changed', key: h.key, copy: h.copy, fields });
  }
  return out.sort((x, y) => cmp(x.key, y.key) || cmp(x.copy.kind, y.copy.kind) || cmp(x.copy.location, y.copy.location) || cmp(x.change, y.change));
}

function threeTwoOneChanges(base: ReportData, head: ReportData): ThreeTwoOneChange[] {
  const b = new Map(base.keys.map((k) => [k.id, k.threeTwoOne]));
  const h = new Map(head.keys.map((k) => [k.id, k.threeTwoOne]));
  const out: ThreeTwoOneChange[] = [];
  for (const key of [...new Set([...b.keys(), ...h.keys()])].sort(cmp)) {
    const before = b.get(key) ?? null;
    const after = h.get(key) ?? null;
    if (JSON.stringify(before) !== JSON.stringify(after)) out.push({ key, before, after });
  }
  return out;
}

/** Drill fields compared; `nextRun` is left out, it moves with the date of the synth. */
const DRILL_FIELDS = ['schedule', 'timezone', 'intervalDays', 'restoreAgeDays', 'keySource', 'dockerProvider', 'alarm', 'log', 'lastPassedOn'] as const;

function drillChanges(base: ReportData, head: ReportData): DrillChange[] {
  const { pairs, removed, added } = pairUp(base.drills, head.drills, (d) => [d.stack, d.id, d.key].join(SEP), (d) => JSON.stringify(d));
  const out: DrillChange[] = [
    ...added.map((drill) => ({ change: 'added' as const, drill, fields: [] })),
    ...removed.map((drill) => ({ change: 'removed' as const, drill, fields: [] })),
  ];
  for (const [b, h] of pairs) {
    const fields = changedFields(b, h, [...DRILL_FIELDS]);
    if (fields.length > 0) out.push({ change: 'changed', drill: h, fields });
  }
  return out.sort((x, y) => cmp(x.drill.stack, y.drill.stack) || cmp(x.drill.id, y.drill.id) || cmp(x.change, y.change));
}

function suppressionChanges(base: ReportData, head: ReportData): SuppressionChange[] {
  const { pairs, removed, added } = pairUp(base.suppressions, head.suppressions, (s) => [s.stack, s.id, s.scope].join(SEP), (s) => JSON.stringify(s));
  const out: SuppressionChange[] = [
    ...added.map((suppression) => ({ change: 'added' as const, suppression, fields: [] })),
    ...removed.map((suppression) => ({ change: 'removed' as const, suppression, fields: [] })),
  ];
  for (const [b, h] of pairs) {
    const fields = changedFields(b, h, ['reason', 'owner', 'expires', 'valid', 'problem']);
    if (fields.length > 0) out.push({ change: 'changed', suppression: h, fields });
  }
  return out.sort((x, y) => cmp(x.suppression.stack, y.suppression.stack) || cmp(x.suppression.id, y.suppression.id) || cmp(x.suppression.scope, y.suppression.scope));
}

function isBlocking(f: FindingRow | undefined, strict: boolean): boolean {
  return f !== undefined && blocking([{ ...f, reason: f.reason ?? undefined, location: undefined }], strict).length > 0;
}

function findingChanges(base: ReportData, head: ReportData, strict: boolean): FindingChange[] {
  const idOf = (f: FindingRow) => [f.ruleId, identity(f.stack, f.address)].join(SEP);
  const { pairs, removed, added } = pairUp(base.findings, head.findings, idOf, (f) => `${f.message}${SEP}${f.severity}${SEP}${f.suppressed}`);
  const out: FindingChange[] = [
    ...added.map((finding) => ({ change: 'new' as const, finding, fields: [], newlyBlocking: isBlocking(finding, strict) })),
    ...removed.map((finding) => ({ change: 'fixed' as const, finding, fields: [], newlyBlocking: false })),
  ];
  for (const [b, h] of pairs) {
    const fields = [...(b.message !== h.message ? ['message'] : []), ...changedFields(b, h, ['severity', 'suppressed'])];
    if (fields.length > 0) out.push({ change: 'changed', finding: h, before: b, fields, newlyBlocking: isBlocking(h, strict) && !isBlocking(b, strict) });
  }
  const order = { new: 0, changed: 1, fixed: 2 } as const;
  return out.sort(
    (x, y) => order[x.change] - order[y.change] || cmp(x.finding.stack, y.finding.stack) || cmp(x.finding.ruleId, y.finding.ruleId) || cmp(x.finding.address, y.finding.address),
  );
}

/** The custody changes from `base` to `head` (see the file comment). Pure. */
export function diffReports(base: ReportData, head: ReportData, options: DiffOptions = {}): CustodyDiff {
  const strict = options.strict ?? false;
  const bc = crossingsOf(base);
  const hc = crossingsOf(head);
  const byPrincipal = (a: Crossing, b: Crossing) => cmp(a.principal, b.principal);
  const crossings = {
    added: [...hc].filter(([id]) => !bc.has(id)).map(([, c]) => c).sort(byPrincipal),
    removed: [...bc].filter(([id]) => !hc.has(id)).map(([, c]) => c).sort(byPrincipal),
  };
  const baseKeys = new Set(base.keys.map((k) => k.id));
  const headKeys = new Set(head.keys.map((k) => k.id));
  const findings = findingChanges(base, head, strict);
  const side = (d: ReportData) => ({ stacks: [...d.stacks], errors: d.summary.errors, warnings: d.summary.warnings, suppressed: d.summary.suppressed });
  const diff = {
    base: side(base),
    head: side(head),
    stacks: { added: head.stacks.filter((s) => !base.stacks.includes(s)), removed: base.stacks.filter((s) => !head.stacks.includes(s)) },
    crossings,
    access: accessChanges(base, head),
    stores: storeChanges(base, head),
    keys: { added: [...headKeys].filter((k) => !baseKeys.has(k)).sort(cmp), removed: [...baseKeys].filter((k) => !headKeys.has(k)).sort(cmp) },
    copies: copyChanges(base, head),
    threeTwoOne: threeTwoOneChanges(base, head),
    drills: drillChanges(base, head),
    suppressions: suppressionChanges(base, head),
    findings,
    newlyBlocking: findings.filter((f) => f.newlyBlocking).length,
  };
  const unchanged =
    diff.stacks.added.length + diff.stacks.removed.length + crossings.added.length + crossings.removed.length + diff.access.length + diff.stores.length +
      diff.keys.added.length + diff.keys.removed.length + diff.copies.length + diff.threeTwoOne.length + diff.drills.length + diff.suppressions.length + findings.length ===
    0;
  return { ...diff, unchanged };
}
