import { qualify } from '../model/context';
import { ACCESS_LEVELS, type Access, type CustodyModel, type Finding, type Severity } from '../model/types';
import { currentCopies, type Tally } from '../model/views/copies';
import type { CustodyRole } from '../policy/tags';
import type { CheckResult } from '../rules/engine';

/**
 * The serializable view every report renderer works from. It is derived from the custody
 * model and the engine's result only: it never carries attribute values of resources, so
 * no key material can reach a report. Every list is sorted, so the same inputs always give
 * byte-identical reports.
 */
export interface ReportData {
  /** Stack names, sorted. */
  readonly stacks: readonly string[];
  readonly summary: ReportSummary;
  readonly keys: readonly KeyInventory[];
  readonly stores: readonly StoreRow[];
  readonly principals: readonly PrincipalRow[];
  readonly grants: readonly GrantRow[];
  /** Principal × store matrix derived from `grants`. */
  readonly access: AccessMatrix;
  readonly drills: readonly DrillRow[];
  readonly findings: readonly FindingRow[];
  readonly suppressions: readonly SuppressionRow[];
  /** Facts the model could not decide (e.g. a bucket name only known after apply). */
  readonly unknowns: readonly UnknownRow[];
}

export interface ReportSummary {
  /** Unsuppressed errors. */
  readonly errors: number;
  /** Unsuppressed warnings. */
  readonly warnings: number;
  /** Suppressed findings of either severity. */
  readonly suppressed: number;
  /** Number of stacks. */
  readonly stacks: number;
  readonly findings: number;
  readonly keys: number;
  readonly stores: number;
  readonly principals: number;
  readonly drills: number;
  readonly suppressions: number;
}

/** 3-2-1 status of one key: at least 3 copies, on 2 media, 1 offsite. */
export interface ThreeTwoOne {
  readonly copies: number;
  readonly media: number;
  readonly offsite: number;
  readonly threeCopies: boolean;
  readonly twoMedia: boolean;
  readonly oneOffsite: boolean;
  /** All three hold. */
  readonly holds: boolean;
}

export interface CopyRow {
  readonly kind: string;
  readonly medium: string;
  readonly location: string;
  readonly offsite: boolean;
  readonly custodian: string | null;
  readonly generation: number | null;
  readonly stack: string;
  /** Store (stack-qualified when several stacks) for Terraform-managed copies, else the manifest. */
  readonly address: string;
}

/** One generation of a key, as its manifest declares it. */
export interface GenerationRow {
  readonly generation: number;
  readonly state: 'active' | 'rotating' | 'retired';
  readonly retiredOn: string | null;
  /** Date until which the generation and its backups must be kept; null = indefinitely (or while in use). */
  readonly keepUntil: string | null;
  readonly fingerprint: string | null;
  readonly hostPath: string | null;
  readonly offsiteObject: string | null;
  /** Copies the generation declares itself. */
  readonly copies: number;
}

export interface KeyInventory {
  readonly id: string;
  readonly app: string | null;
  /** Stacks where the key is declared or has copies, sorted. */
  readonly stacks: readonly string[];
  readonly fingerprint: string | null;
  readonly hostPath: string | null;
  readonly copies: readonly CopyRow[];
  readonly threeTwoOne: ThreeTwoOne;
  /** Generations, newest first; empty for a key that declares none. */
  readonly generations: readonly GenerationRow[];
  /** Drill ids covering this key. */
  readonly drills: readonly string[];
}

export interface StoreHardening {
  readonly versioning: boolean | null;
  readonly objectLock: { readonly enabled: boolean; readonly mode: string | null; readonly days: number | null } | null;
  readonly publicAccessBlock: boolean | null;
  readonly tlsOnly: boolean | null;
  readonly sseKms: boolean | null;
  readonly kmsKey: string | null;
  readonly ownerEnforced: boolean | null;
  readonly currentExpirationDays: number | null;
  readonly noncurrentExpirationDays: number | null;
  readonly denyDeleteToWriters: boolean | null;
}

export interface StoreRow {
  /** Stack-qualified address when several stacks; the matrix columns use it. */
  readonly ref: string;
  readonly role: CustodyRole;
  readonly kind: string;
  /** Name, or `prefix*` when only a prefix is known, or null when only known after apply. */
  readonly name: string | null;
  readonly stack: string;
  readonly address: string;
  readonly key: string | null;
  readonly app: string | null;
  readonly adopted: boolean;
  readonly account: string;
  readonly hardening: StoreHardening;
}

export interface PrincipalRow {
  readonly ref: string;
  readonly stack: string;
  readonly address: string;
  readonly kind: string;
  readonly name: string | null;
  readonly role: CustodyRole | null;
  readonly account: string;
}

export interface GrantRow {
  readonly principal: string;
  readonly principalStack: string;
  readonly store: string;
  readonly storeStack: string;
  readonly access: Access;
  readonly via: string;
}

export interface AccessMatrix {
  /** Column refs (stores), sorted by stack and address. */
  readonly stores: readonly string[];
  readonly rows: readonly AccessRow[];
  /** Principals in scope that reach no store (left out of `rows`). */
  readonly omittedPrincipals: number;
  /** What the letters in the cells mean. */
  readonly legend: Readonly<Record<string, Access>>;
}

export interface AccessRow {
  readonly principal: string;
  readonly kind: string;
  readonly role: CustodyRole | null;
  /** store ref → letters, e.g. `rwk`; stores the principal cannot touch are absent. */
  readonly cells: Readonly<Record<string, string>>;
}

export interface DrillRow {
  readonly id: string;
  readonly key: string;
  readonly stack: string;
  readonly manifest: string;
  readonly schedule: string | null;
  readonly timezone: string | null;
  readonly intervalDays: number | null;
  readonly restoreAgeDays: number | null;
  readonly keySource: string | null;
  readonly dockerProvider: string | null;
  readonly alarm: boolean | null;
  readonly log: boolean | null;
  readonly nextRun: string | null;
}

export interface FindingRow {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly stack: string;
  readonly address: string;
  readonly message: string;
  readonly fix: string;
  readonly suppressed: boolean;
  readonly reason: string | null;
  readonly location: { readonly file: string; readonly line: number } | null;
}

export interface SuppressionRow {
  readonly id: string;
  readonly reason: string;
  readonly owner: string | null;
  readonly expires: string | null;
  /** Address or construct-path prefix; empty = the whole stack. */
  readonly scope: string;
  readonly stack: string;
  readonly manifest: string;
  /** How many findings it suppressed. */
  readonly used: number;
  readonly valid: boolean;
  readonly problem: string | null;
}

export interface UnknownRow {
  readonly stack: string;
  readonly address: string;
  readonly what: string;
}

/** Cell letters of the access matrix. */
export const ACCESS_LETTERS: Readonly<Record<Access, string>> = {
  read: 'r',
  write: 'w',
  delete: 'd',
  decrypt: 'k',
  admin: 'a',
};

const SEP = '\u0000';

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byKeys<T>(...fns: ((t: T) => string | number)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const f of fns) {
      const x = f(a);
      const y = f(b);
      if (typeof x === 'number' && typeof y === 'number') {
        if (x !== y) return x - y;
      } else {
        const c = cmp(String(x), String(y));
        if (c !== 0) return c;
      }
    }
    return 0;
  };
}

/** Items by a key, each list in the original order. */
function groupBy<T, K>(items: readonly T[], keyOf: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const t of items) {
    const k = keyOf(t);
    const list = out.get(k);
    if (list) list.push(t);
    else out.set(k, [t]);
  }
  return out;
}

function nul<T>(v: T | undefined): T | null {
  return v === undefined ? null : v;
}

/** Human form of a model id (`stack\0address`), or the id itself when it is a literal. */
function displayId(multiStack: boolean, id: string): string {
  const i = id.indexOf(SEP);
  return i < 0 ? id : qualify(multiStack, id.slice(0, i), id.slice(i + 1));
}

/** Letters of a set of access levels, in the fixed order r w d k a. */
export function accessLetters(levels: Iterable<Access>): string {
  const set = new Set(levels);
  return ACCESS_LEVELS.filter((a) => set.has(a))
    .map((a) => ACCESS_LETTERS[a])
    .join('');
}

/** 3-2-1 status of a key, counted exactly as KC020 counts it. */
export function threeTwoOne(t: Tally): ThreeTwoOne {
  const copies = t.copies;
  const media = t.media.length;
  const offsite = t.offsite;
  const threeCopies = copies.length >= 3;
  const twoMedia = media >= 2;
  const oneOffsite = offsite >= 1;
  return { copies: copies.length, media, offsite, threeCopies, twoMedia, oneOffsite, holds: threeCopies && twoMedia && oneOffsite };
}

/** Count findings the way every report and the CLI summary line do. */
export function countFindings(findings: readonly Pick<Finding, 'severity' | 'suppressed'>[]): { errors: number; warnings: number; suppressed: number } {
  let errors = 0;
  let warnings = 0;
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed) suppressed++;
    else if (f.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings, suppressed };
}

/** Build the access matrix of a set of grants; `principals` are those in scope (for the omitted count). */
export function accessMatrix(grants: readonly GrantRow[], principals: readonly PrincipalRow[], extraStores: readonly string[] = []): AccessMatrix {
  const cells = new Map<string, Map<string, Set<Access>>>();
  const storeStacks = new Map<string, string>();
  for (const g of grants) {
    storeStacks.set(g.store, g.storeStack);
    let row = cells.get(g.principal);
    if (!row) cells.set(g.principal, (row = new Map()));
    let set = row.get(g.store);
    if (!set) row.set(g.store, (set = new Set()));
    set.add(g.access);
  }
  const principalByRef = new Map(principals.map((p) => [p.ref, p]));
  const rows: AccessRow[] = [...cells.keys()].sort(cmp).map((ref) => {
    const p = principalByRef.get(ref);
    const out: Record<string, string> = {};
    for (const [store, set] of [...(cells.get(ref) ?? new Map<string, Set<Access>>())].sort((a, b) => cmp(a[0], b[0]))) {
      out[store] = accessLetters(set);
    }
    return { principal: ref, kind: p?.kind ?? 'unknown', role: p?.role ?? null, cells: out };
  });
  const stores = [...new Set([...storeStacks.keys(), ...extraStores])].sort(cmp);
  const omittedPrincipals = principals.filter((p) => !cells.has(p.ref)).length;
  const legend: Record<string, Access> = {};
  for (const a of ACCESS_LEVELS) legend[ACCESS_LETTERS[a]] = a;
  return { stores, rows, omittedPrincipals, legend };
}

/**
 * Derive the report data from a model and the engine's result. Pure: no I/O, no clock.
 */
export function summarizeModel(model: CustodyModel, result: CheckResult): ReportData {
  const multi = model.multiStack;
  const stacks = [...new Set([...model.documents.map((d) => d.stack), ...model.resources.map((r) => r.stack)])].sort(cmp);

  const stores: StoreRow[] = model.stores
    .map((s): StoreRow => ({
      ref: qualify(multi, s.stack, s.address),
      role: s.role,
      kind: s.kind,
      name: s.name ?? (s.namePrefix !== undefined ? `${s.namePrefix}*` : null),
      stack: s.stack,
      address: s.address,
      key: nul(s.key),
      app: nul(s.app),
      adopted: s.adopted,
      account: s.account,
      hardening: {
        versioning: nul(s.settings.versioning),
        objectLock: s.settings.objectLock
          ? { enabled: s.settings.objectLock.enabled, mode: nul(s.settings.objectLock.mode), days: nul(s.settings.objectLock.days) }
          : null,
        publicAccessBlock: nul(s.settings.publicAccessBlock),
        tlsOnly: nul(s.settings.tlsOnly),
        sseKms: nul(s.settings.sseKms),
        kmsKey: s.settings.kmsKey !== undefined ? displayId(multi, s.settings.kmsKey) : null,
        ownerEnforced: nul(s.settings.ownerEnforced),
        currentExpirationDays: nul(s.settings.currentExpirationDays),
        noncurrentExpirationDays: nul(s.settings.noncurrentExpirationDays),
        denyDeleteToWriters: nul(s.settings.denyDeleteToWriters),
      },
    }))
    .sort(byKeys((s) => s.stack, (s) => s.address));

  const principals: PrincipalRow[] = model.principals
    .map((p): PrincipalRow => ({
      ref: p.kind === 'external' ? p.address : qualify(multi, p.stack, p.address),
      stack: p.stack,
      address: p.address,
      kind: p.kind,
      name: nul(p.name),
      role: nul(p.role),
      account: p.account,
    }))
    .sort(byKeys((p) => p.ref, (p) => p.stack));

  const principalRef = (id: string): { ref: string; stack: string } => {
    const p = model.principalById(id);
    if (p) return { ref: p.kind === 'external' ? p.address : qualify(multi, p.stack, p.address), stack: p.stack };
    const i = id.indexOf(SEP);
    return { ref: displayId(multi, id), stack: i < 0 ? '' : id.slice(0, i) };
  };
  const storeRef = (id: string): { ref: string; stack: string } => {
    const s = model.storeById(id);
    if (s) return { ref: qualify(multi, s.stack, s.address), stack: s.stack };
    const i = id.indexOf(SEP);
    return { ref: displayId(multi, id), stack: i < 0 ? '' : id.slice(0, i) };
  };
  const grants: GrantRow[] = model.grants
    .map((g): GrantRow => {
      const p = principalRef(g.principal);
      const s = storeRef(g.store);
      return { principal: p.ref, principalStack: p.stack, store: s.ref, storeStack: s.stack, access: g.access, via: g.via };
    })
    .sort(byKeys((g) => g.principal, (g) => g.store, (g) => ACCESS_LEVELS.indexOf(g.access), (g) => g.via));

  const drills: DrillRow[] = model.manifests
    .flatMap((m) =>
      m.drills.map((d): DrillRow => ({
        id: d.id,
        key: d.key,
        stack: m.stack,
        manifest: qualify(multi, m.stack, m.address),
        schedule: nul(d.schedule),
        timezone: nul(d.timezone),
        intervalDays: nul(d.intervalDays),
        restoreAgeDays: nul(d.restoreAgeDays),
        keySource: nul(d.keySource),
        dockerProvider: nul(d.dockerProvider),
        alarm: nul(d.alarm),
        log: nul(d.log),
        nextRun: nul(d.nextRun),
      })),
    )
    .sort(byKeys((d) => d.stack, (d) => d.id, (d) => d.key));

  const keys = keyInventory(model, drills);

  const findings: FindingRow[] = result.findings.map(findingRow).sort(byKeys((f) => f.stack, (f) => f.ruleId, (f) => f.address, (f) => f.message));

  const suppressions: SuppressionRow[] = result.suppressions
    .map((s): SuppressionRow => ({
      id: s.id,
      reason: s.reason,
      owner: nul(s.owner),
      expires: nul(s.expires),
      scope: s.scope,
      stack: s.stack,
      manifest: qualify(multi, s.stack, s.manifest),
      used: s.used,
      valid: s.valid,
      problem: nul(s.problem),
    }))
    .sort(byKeys((s) => s.stack, (s) => s.id, (s) => s.scope, (s) => s.reason));

  const unknowns: UnknownRow[] = model.unknowns
    .map((u) => ({ stack: u.stack, address: qualify(multi, u.stack, u.address), what: u.what }))
    .sort(byKeys((u) => u.stack, (u) => u.address, (u) => u.what));

  return assemble({ stacks, keys, stores, principals, grants, drills, findings, suppressions, unknowns });
}

export function findingRow(f: Finding): FindingRow {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    stack: f.stack,
    address: f.address,
    message: f.message,
    fix: f.fix,
    suppressed: f.suppressed,
    reason: nul(f.reason),
    location: f.location ? { file: f.location.file, line: f.location.line } : null,
  };
}

function keyInventory(model: CustodyModel, drills: readonly DrillRow[]): KeyInventory[] {
  const multi = model.multiStack;
  const ids = new Set<string>();
  for (const c of model.copies) ids.add(c.key);
  for (const m of model.manifests) for (const k of m.keys) ids.add(k.id);
  for (const s of model.stores) if (s.key && (s.role === 'key-backup' || s.role === 'key-store')) ids.add(s.key);

  // Per-key lookups are indexed once: filtering every list per key is quadratic in keys.
  const declaredById = groupBy(
    model.manifests.flatMap((m) => m.keys.map((k) => ({ m, k }))),
    (d) => d.k.id,
  );
  const copiesById = groupBy(model.copies, (c) => c.key);
  const appById = new Map<string, string>();
  for (const s of model.stores) if (s.key !== undefined && s.app && !appById.has(s.key)) appById.set(s.key, s.app);
  const drillsById = groupBy(drills, (d) => d.key);
  return [...ids].sort(cmp).map((id): KeyInventory => {
    const declared = declaredById.get(id) ?? [];
    const first = declared[0]?.k;
    const copies: CopyRow[] = (copiesById.get(id) ?? [])
      .map((c): CopyRow => {
        const store = c.store ? model.storeById(c.store) : undefined;
        return {
          kind: c.kind,
          medium: c.medium,
          location: c.location,
          offsite: c.offsite,
          custodian: nul(c.custodian),
          generation: nul(c.generation),
          stack: c.stack,
          address: store ? qualify(multi, store.stack, store.address) : qualify(multi, c.stack, c.address),
        };
      })
      .sort(byKeys((c) => c.generation ?? -1, (c) => c.kind, (c) => c.medium, (c) => c.location, (c) => c.address));
    const app = first?.app ?? appById.get(id) ?? null;
    const keyStacks = new Set<string>([...declared.map((d) => d.m.stack), ...copies.map((c) => c.stack)]);
    return {
      id,
      app,
      stacks: [...keyStacks].sort(cmp),
      fingerprint: nul(first?.fingerprint),
      hostPath: nul(first?.hostPath ?? first?.hostFile?.path),
      copies,
      threeTwoOne: threeTwoOne(currentCopies(model, id).tally),
      generations: (first?.generations ?? [])
        .map(
          (g): GenerationRow => ({
            generation: g.generation,
            state: g.state,
            retiredOn: nul(g.retiredOn),
            keepUntil: nul(g.keepUntil),
            fingerprint: nul(g.fingerprint),
            hostPath: nul(g.hostPath),
            offsiteObject: g.offsiteObject ? qualify(multi, declared[0].m.stack, g.offsiteObject) : null,
            copies: g.copies.length,
          }),
        )
        .sort((a, b) => b.generation - a.generation),
      drills: (drillsById.get(id) ?? []).map((d) => d.id),
    };
  });
}

function assemble(parts: Omit<ReportData, 'summary' | 'access'>): ReportData {
  const { stacks, keys, stores, principals, grants, drills, findings, suppressions, unknowns } = parts;
  const counts = countFindings(findings);
  // Every store in scope is a column, reached or not; principals that reach nothing are counted, not shown.
  const access = accessMatrix(grants, principals, stores.map((s) => s.ref));
  return {
    stacks,
    summary: {
      ...counts,
      stacks: stacks.length,
      findings: findings.length,
      keys: keys.length,
      stores: stores.length,
      principals: principals.length,
      drills: drills.length,
      suppressions: suppressions.length,
    },
    keys,
    stores,
    principals,
    grants,
    access,
    drills,
    findings,
    suppressions,
    unknowns,
  };
}

/**
 * The part of a report that belongs to one stack: its findings, stores, principals,
 * drills and suppressions, the keys declared or copied there, and every grant that touches
 * one of its stores or principals (so the matrix shows outsiders who reach its stores and
 * stores elsewhere its principals reach).
 */
export function forStack(data: ReportData, stack: string): ReportData {
  const stores = data.stores.filter((s) => s.stack === stack);
  const grants = data.grants.filter((g) => g.storeStack === stack || g.principalStack === stack);
  const inGrants = new Set(grants.map((g) => g.principal));
  const principals = data.principals.filter((p) => p.stack === stack || inGrants.has(p.ref));
  const storeKeys = new Set(stores.map((s) => s.key));
  return assemble({
    stacks: data.stacks.filter((s) => s === stack),
    keys: data.keys.filter((k) => k.stacks.includes(stack) || storeKeys.has(k.id)),
    stores,
    principals,
    grants,
    drills: data.drills.filter((d) => d.stack === stack),
    findings: data.findings.filter((f) => f.stack === stack),
    suppressions: data.suppressions.filter((s) => s.stack === stack),
    unknowns: data.unknowns.filter((u) => u.stack === stack),
  });
}
