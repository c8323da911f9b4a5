import { qualify } from '../model/context';
import { ACCESS_LEVELS, type Access, type CustodyModel, type Finding, type Grant, type Store } from '../model/types';
import { currentCopies, locationKey, type Tally } from '../model/views/copies';
import { fingerprintPrefix } from '../policy/fingerprint';
import type { CheckResult } from '../rules/engine';
import { containerRows, drillNextRun, kindHardening } from './custody-facts';
import {
  countFindings,
  type AccessMatrix,
  type AccessRow,
  type CopyRow,
  type DrillRow,
  type FindingRow,
  type GenerationRow,
  type GrantBasis,
  type GrantRow,
  type KeyInventory,
  type PrincipalRow,
  type ReportData,
  type StoreRow,
  type SuppressionRow,
  type ThreeTwoOne,
  type UnknownRow,
} from './data';

/** Cell letters of the access matrix. */
export const ACCESS_LETTERS: Readonly<Record<Access, string>> = {
  read: 'r',
  write: 'w',
  delete: 'd',
  decrypt: 'k',
  admin: 'a',
};

const SEP = '\u0000';
const BASES: readonly GrantBasis[] = ['policy', 'key-admin', 'exempt', 'blocked'];

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

type Cells = Map<string, Map<string, Set<Access>>>;

function addCell(cells: Cells, principal: string, store: string, access: Access): void {
  let row = cells.get(principal);
  if (!row) cells.set(principal, (row = new Map()));
  let set = row.get(store);
  if (!set) row.set(store, (set = new Set()));
  set.add(access);
}

function lettersOf(cells: Cells, principal: string, except?: Cells): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [store, set] of [...(cells.get(principal) ?? new Map<string, Set<Access>>())].sort((a, b) => cmp(a[0], b[0]))) {
    const have = except?.get(principal)?.get(store);
    const letters = accessLetters([...set].filter((a) => !have?.has(a)));
    if (letters !== '') out[store] = letters;
  }
  return out;
}

/**
 * Build the access matrix of a set of grants; `principals` are those in scope (for the
 * principals that reach nothing). A cell holds what the principal can do today (`policy`,
 * `key-admin` and `exempt` grants, as KC011 counts them); `exempt` marks the letters only an
 * exemption gives, `blocked` what an identity policy asks for and the store refuses.
 */
export function accessMatrix(grants: readonly GrantRow[], principals: readonly PrincipalRow[], extraStores: readonly string[] = []): AccessMatrix {
  const reach: Cells = new Map();
  const sure: Cells = new Map();
  const exempt: Cells = new Map();
  const blocked: Cells = new Map();
  const storeStacks = new Map<string, string>();
  for (const g of grants) {
    storeStacks.set(g.store, g.storeStack);
    const basis = g.basis ?? 'policy';
    if (basis === 'blocked') {
      addCell(blocked, g.principal, g.store, g.access);
      continue;
    }
    addCell(reach, g.principal, g.store, g.access);
    addCell(basis === 'exempt' ? exempt : sure, g.principal, g.store, g.access);
  }
  const principalByRef = new Map(principals.map((p) => [p.ref, p]));
  const refs = [...new Set([...reach.keys(), ...blocked.keys()])].sort(cmp);
  const rows: AccessRow[] = refs.map((ref) => {
    const p = principalByRef.get(ref);
    return {
      principal: ref,
      kind: p?.kind ?? 'unknown',
      role: p?.role ?? null,
      cells: lettersOf(reach, ref),
      exempt: lettersOf(exempt, ref, sure),
      blocked: lettersOf(blocked, ref, reach),
      account: p?.account ?? 'unknown',
    };
  });
  const stores = [...new Set([...storeStacks.keys(), ...extraStores])].sort(cmp);
  const unreached = principals.filter((p) => !reach.has(p.ref) && !blocked.has(p.ref)).map((p) => p.ref).sort(cmp);
  const legend: Record<string, Access> = {};
  for (const a of ACCESS_LEVELS) legend[ACCESS_LETTERS[a]] = a;
  return { stores, rows, omittedPrincipals: unreached.length, unreached, legend };
}

/** Options of {@link summarizeModel}. */
export interface SummarizeOptions {
  /**
   * The clock the drills' next run is computed from.
   * @default - now
   */
  readonly now?: Date;
}

/**
 * Derive the report data from a model and the engine's result. No I/O; the clock is read only
 * for the drills' next run (`options.now`, injectable for tests).
 */
export function summarizeModel(model: CustodyModel, result: CheckResult, options: SummarizeOptions = {}): ReportData {
  const now = options.now ?? new Date();
  const multi = model.multiStack;
  const stacks = [...new Set([...model.documents.map((d) => d.stack), ...model.resources.map((r) => r.stack)])].sort(cmp);

  const storeRow = (s: Store): StoreRow => {
    const kind = kindHardening(model, s);
    const builtIn = (c: 'versioning' | 'tlsOnly', v: boolean | undefined): boolean | null => (kind.builtIn.includes(c) ? true : nul(v));
    return {
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
        versioning: builtIn('versioning', s.settings.versioning),
        objectLock: s.settings.objectLock
          ? { enabled: s.settings.objectLock.enabled, mode: nul(s.settings.objectLock.mode), days: nul(s.settings.objectLock.days) }
          : null,
        publicAccessBlock: kind.publicAccessBlock ?? nul(s.settings.publicAccessBlock),
        tlsOnly: builtIn('tlsOnly', s.settings.tlsOnly),
        sseKms: nul(s.settings.sseKms),
        kmsKey: s.settings.kmsKey !== undefined ? displayId(multi, s.settings.kmsKey) : null,
        ownerEnforced: nul(s.settings.ownerEnforced),
        currentExpirationDays: nul(s.settings.currentExpirationDays),
        noncurrentExpirationDays: nul(s.settings.noncurrentExpirationDays),
        denyDeleteToWriters: nul(s.settings.denyDeleteToWriters),
        builtIn: kind.builtIn,
        notApplicable: kind.notApplicable,
      },
    };
  };
  const stores: StoreRow[] = model.stores.map(storeRow).sort(byKeys((s) => s.stack, (s) => s.address));

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
  // The four sources KC011 weighs, so the matrix shows every reach the rule judges: what works
  // today, KMS key administration, what a store's policy exempts a principal named only by ARN
  // from (deployers, admins), and what an identity policy asks for while the store blocks it.
  const keyAdmin: Grant[] = model.keyUses
    .filter((u) => u.kind === 'admin')
    .map((u) => ({ principal: u.principal, store: u.store, access: 'admin', via: `${u.via} (${u.actions.join(', ')})` }));
  const sources: [readonly Grant[], GrantBasis][] = [
    [model.grants, 'policy'],
    [keyAdmin, 'key-admin'],
    [model.unseenGrants, 'exempt'],
    [model.blockedGrants, 'blocked'],
  ];
  const seenGrant = new Set<string>();
  const grants: GrantRow[] = sources
    .flatMap(([list, basis]) =>
      list.map((g): GrantRow => {
        const p = principalRef(g.principal);
        const s = storeRef(g.store);
        return { principal: p.ref, principalStack: p.stack, store: s.ref, storeStack: s.stack, access: g.access, via: g.via, basis };
      }),
    )
    .filter((g) => {
      const k = [g.principal, g.store, g.access, g.via, g.basis].join(SEP);
      if (seenGrant.has(k)) return false;
      seenGrant.add(k);
      return true;
    })
    .sort(byKeys((g) => g.principal, (g) => g.store, (g) => ACCESS_LEVELS.indexOf(g.access), (g) => BASES.indexOf(g.basis), (g) => g.via));

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
        nextRun: drillNextRun(d, now),
        lastPassedOn: nul(d.lastPassedOn),
      })),
    )
    .sort(byKeys((d) => d.stack, (d) => d.id, (d) => d.key));

  const keys = keyInventory(model, drills);
  const containers = containerRows(model).sort(byKeys((c) => c.stack, (c) => c.address, (c) => c.key));

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

  return assemble({ stacks, keys, stores, principals, grants, drills, containers, findings, suppressions, unknowns });
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
    ...(f.suppressed && f.owner ? { owner: f.owner } : {}),
    ...(f.suppressed && f.expires ? { expires: f.expires } : {}),
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
    // The hot copy is the one the app runs with: the key's declared fingerprint is its evidence (as KC020 counts it).
    const hotFp = (c: { kind: string; generation?: number }): string | undefined => {
      if (c.kind !== 'hot' || !first) return undefined;
      const g = c.generation === undefined ? undefined : first.generations?.find((x) => x.generation === c.generation);
      return g?.fingerprint ?? first.fingerprint;
    };
    const listed: Omit<CopyRow, 'counted'>[] = (copiesById.get(id) ?? []).map((c) => {
      const store = c.store ? model.storeById(c.store) : undefined;
      const fp = c.fingerprint ?? hotFp(c);
      return {
        kind: c.kind,
        medium: c.medium,
        location: c.location,
        offsite: c.offsite,
        custodian: nul(c.custodian),
        generation: nul(c.generation),
        stack: c.stack,
        address: store ? qualify(multi, store.stack, store.address) : qualify(multi, c.stack, c.address),
        fingerprint: fp ? fingerprintPrefix(fp) : null,
        date: nul(c.date),
        evidence: c.evidence ?? (fp ? 'fingerprint' : null),
      };
    });
    const copies = countedRows(listed, currentCopies(model, id), declared[0]?.m.stack ?? '', multi);
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

/**
 * The copy rows of a key, each marked whether the 3-2-1 count counts it, so the counted rows
 * are exactly the copies counted. A counted copy no row lists (the hot copy at the key's host
 * path, a generation's own hot file or offsite object) gets a row of its own; a row of another
 * generation, or a second row for a place already counted, stays listed but is not counted.
 */
function countedRows(listed: readonly Omit<CopyRow, 'counted'>[], current: ReturnType<typeof currentCopies>, manifestStack: string, multi: boolean): CopyRow[] {
  const place = (c: { kind: string; medium: string; location: string }) => locationKey(c);
  const open = new Map(current.copies.map((c) => [place(c), c]));
  const rows: Omit<CopyRow, 'counted'>[] = [...listed];
  const listedPlaces = new Set(listed.filter((c) => current.generation === undefined || c.generation === null || c.generation === current.generation).map(place));
  for (const [k, c] of open) {
    if (listedPlaces.has(k)) continue;
    rows.push({
      kind: c.kind,
      medium: c.medium,
      location: c.location,
      offsite: c.offsite,
      custodian: null,
      generation: nul(c.generation),
      stack: manifestStack,
      address: qualify(multi, manifestStack, c.declaredAt),
      fingerprint: c.fingerprint ? fingerprintPrefix(c.fingerprint) : null,
      date: nul(c.date),
      evidence: c.evidence ?? (c.fingerprint ? 'fingerprint' : null),
    });
  }
  rows.sort(byKeys((c) => c.generation ?? -1, (c) => c.kind, (c) => c.medium, (c) => c.location, (c) => c.address));
  return rows.map((c): CopyRow => {
    const k = place(c);
    const countable = current.generation === undefined || c.generation === null || c.generation === current.generation;
    const counted = countable && open.has(k);
    if (counted) open.delete(k);
    return { ...c, counted };
  });
}

function assemble(parts: Omit<ReportData, 'summary' | 'access'>): ReportData {
  const { stacks, keys, stores, principals, grants, drills, containers, findings, suppressions, unknowns } = parts;
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
      containers: containers.length,
      suppressions: suppressions.length,
    },
    keys,
    stores,
    principals,
    grants,
    access,
    drills,
    containers,
    findings,
    suppressions,
    unknowns,
  };
}

/**
 * The part of a report that belongs to one stack: its findings, stores, principals,
 * drills, containers and suppressions, the keys declared or copied there or that its
 * containers run with, and every grant that touches
 * one of its stores or principals (so the matrix shows outsiders who reach its stores and
 * stores elsewhere its principals reach).
 */
export function forStack(data: ReportData, stack: string): ReportData {
  const stores = data.stores.filter((s) => s.stack === stack);
  const grants = data.grants.filter((g) => g.storeStack === stack || g.principalStack === stack);
  const inGrants = new Set(grants.map((g) => g.principal));
  const principals = data.principals.filter((p) => p.stack === stack || inGrants.has(p.ref));
  const containers = data.containers.filter((c) => c.stack === stack);
  const storeKeys = new Set<string | null>([...stores.map((s) => s.key), ...containers.map((c) => c.key)]);
  return assemble({
    stacks: data.stacks.filter((s) => s === stack),
    keys: data.keys.filter((k) => k.stacks.includes(stack) || storeKeys.has(k.id)),
    stores,
    principals,
    grants,
    drills: data.drills.filter((d) => d.stack === stack),
    containers,
    findings: data.findings.filter((f) => f.stack === stack),
    suppressions: data.suppressions.filter((s) => s.stack === stack),
    unknowns: data.unknowns.filter((u) => u.stack === stack),
  });
}
