/**
 * Logic shared by the recovery-drill rules (KC030-KC034): which keys exist, which drills
 * and drill resources belong to a key, which containers are drill vs production, the
 * docker host a container runs on, and a parser for AWS EventBridge Scheduler expressions
 * that tells whether a schedule fires at least quarterly. Pure functions of the model.
 */
import { block, blocks, bool, literal } from '../model/load/refs';
import {
  TAG_KEY,
  TAG_ROLE,
  type Container,
  type CustodyModel,
  type Manifest,
  type ManifestDrill,
  type ManifestKey,
  type Principal,
  type ProviderInfo,
  type Store,
  type TfResource,
} from '../model/types';
import { describeAt, resourceTags } from './custody-helpers';
import { declarationOf, hotCopiesMountedBy, resourcesOfType } from './helpers';

/** A drill is "at least quarterly" when its interval is at most this many days. */
export const QUARTER_DAYS = 92;
/** A cron schedule is quarterly when no more than this many calendar months pass between runs. */
export const QUARTER_MONTHS = 3;
/** The schedule the RecoveryDrill construct uses by default: first Monday of Jan/Apr/Jul/Oct, 10:00. */
export const DEFAULT_DRILL_SCHEDULE = 'cron(0 10 ? 1,4,7,10 MON#1 *)';

// ---------------------------------------------------------------------------------------
// Keys and drills

/** One key the model knows of, and where it was seen. */
export interface KnownKey {
  readonly id: string;
  /** The manifest key declaration (first manifest that declares it), if any. */
  readonly declared?: { readonly manifest: Manifest; readonly key: ManifestKey };
  /** Where the key was seen when no manifest declares it: a store or container tagged `custody:key`. */
  readonly seenAt: { readonly stack: string; readonly address: string; readonly resource?: TfResource };
}

/**
 * Every key: manifest keys first, then keys seen only through `custody:key` on stores or
 * on production containers (a key in use with no declaration still needs a drill).
 */
export function knownKeys(model: CustodyModel): KnownKey[] {
  const out = new Map<string, KnownKey>();
  for (const m of model.manifests) {
    for (const k of m.keys) {
      if (!out.has(k.id)) out.set(k.id, { id: k.id, declared: { manifest: m, key: k }, seenAt: { stack: m.stack, address: m.address, resource: model.resource(m.stack, m.address) } });
    }
  }
  for (const s of model.stores) {
    if (s.key && !out.has(s.key)) out.set(s.key, { id: s.key, seenAt: { stack: s.stack, address: s.address, resource: s.resource } });
  }
  for (const c of model.containers) {
    const k = c.labels[TAG_KEY];
    if (k && !isDrillContainer(c) && !out.has(k)) out.set(k, { id: k, seenAt: { stack: c.stack, address: c.address, resource: c.resource } });
  }
  return [...out.values()];
}

/** A manifest drill together with the manifest that declares it. */
export interface DeclaredDrill {
  readonly drill: ManifestDrill;
  readonly manifest: Manifest;
  /** The manifest resource, for locations. */
  readonly resource?: TfResource;
}

/** Every manifest drill, once per (key, drill id) even when several manifests repeat it. */
export function declaredDrills(model: CustodyModel): DeclaredDrill[] {
  const seen = new Set<string>();
  const out: DeclaredDrill[] = [];
  for (const m of model.manifests) {
    for (const d of m.drills) {
      const k = `${d.key}\u0000${d.id}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ drill: d, manifest: m, resource: model.resource(m.stack, m.address) });
    }
  }
  return out;
}

export function drillsForKey(model: CustodyModel, keyId: string): DeclaredDrill[] {
  return declaredDrills(model).filter((d) => d.drill.key === keyId);
}

/**
 * Does a resource tagged for a drill belong to `keyId`? Tagged with that key, or tagged
 * with no key at all (then it counts for every key: the conservative reading).
 */
export function belongsToKey(tags: Readonly<Record<string, string>>, keyId: string): boolean {
  const k = tags[TAG_KEY];
  return k === undefined || k === keyId;
}

// ---------------------------------------------------------------------------------------
// Containers and hosts

export function isDrillContainer(c: Container): boolean {
  return c.labels[TAG_ROLE] === 'drill';
}

/**
 * Items grouped by the key they name, for per-key questions asked once per key (quadratic
 * if each filters every item): `of(keyId)` gives, in the original order, the items naming
 * that key plus those naming none (undefined), which belong to every key.
 */
export class KeyedIndex<T> {
  private readonly byKey = new Map<string | undefined, T[]>();
  private readonly order = new Map<T, number>();

  constructor(items: Iterable<T>, keyOf: (item: T) => string | undefined) {
    let i = 0;
    for (const item of items) {
      this.order.set(item, i++);
      const k = keyOf(item);
      const list = this.byKey.get(k);
      if (list) list.push(item);
      else this.byKey.set(k, [item]);
    }
  }

  /** Items naming `keyId` or no key, in the original order. */
  of(keyId: string): T[] {
    const own = this.byKey.get(keyId) ?? [];
    const anyKey = this.byKey.get(undefined) ?? [];
    if (anyKey.length === 0) return [...own];
    if (own.length === 0) return [...anyKey];
    return [...own, ...anyKey].sort((a, b) => (this.order.get(a) ?? 0) - (this.order.get(b) ?? 0));
  }
}

const drillContainerIndex = new WeakMap<CustodyModel, KeyedIndex<Container>>();

/** Drill containers of a key (labelled with it, or drill containers labelled with no key). */
export function drillContainers(model: CustodyModel, keyId?: string): Container[] {
  if (keyId === undefined) return model.containers.filter(isDrillContainer);
  let idx = drillContainerIndex.get(model);
  if (!idx) drillContainerIndex.set(model, (idx = new KeyedIndex(model.containers.filter(isDrillContainer), (c) => c.labels[TAG_KEY])));
  return idx.of(keyId);
}

/** Every container that is not part of a drill: production, as far as a drill is concerned. */
export function productionContainers(model: CustodyModel): Container[] {
  return model.containers.filter((c) => !isDrillContainer(c));
}

const appContainerIndex = new WeakMap<CustodyModel, Map<string, Container[]>>();

/** The production app containers of a key: labelled with the key, or mounting its hot copy. */
export function appContainers(model: CustodyModel, keyId: string): Container[] {
  let idx = appContainerIndex.get(model);
  if (!idx) {
    idx = new Map();
    for (const c of productionContainers(model)) {
      const keys = new Set<string>();
      const label = c.labels[TAG_KEY];
      if (label !== undefined) keys.add(label);
      // Only the key's first declaration names its hot copy, as declarationOf does.
      for (const h of hotCopiesMountedBy(model, c)) if (declarationOf(model, h.declared.key.id) === h.declared) keys.add(h.declared.key.id);
      for (const k of keys) {
        const list = idx.get(k);
        if (list) list.push(c);
        else idx.set(k, [c]);
      }
    }
    appContainerIndex.set(model, idx);
  }
  return [...(idx.get(keyId) ?? [])];
}

/** Docker's default daemon address when the provider sets no `host`. */
export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

export interface HostInfo {
  readonly stack: string;
  readonly providerKey: string;
  /** Normalized docker host, or undefined when it is an expression we cannot read. */
  readonly host?: string;
  readonly provider?: ProviderInfo;
}

function normalizeHost(h: string): string {
  return h.trim().replace(/\/+$/, '').toLowerCase();
}

/** The provider configuration and docker host a container (or provider key) runs on. */
export function hostOf(model: CustodyModel, stack: string, providerKey: string): HostInfo {
  const provider = model.providers.find((p) => p.stack === stack && p.key === providerKey);
  const raw = provider?.values.host;
  let host: string | undefined;
  if (raw === undefined) host = DEFAULT_DOCKER_HOST;
  else if (literal(raw) !== undefined) host = normalizeHost(literal(raw) as string);
  return { stack, providerKey, host, provider };
}

/** Whether two hosts are the same provider configuration, or point at the same known host. */
export function sameHost(a: HostInfo, b: HostInfo): 'provider' | 'host' | undefined {
  if (a.stack === b.stack && a.providerKey === b.providerKey) return 'provider';
  if (a.host !== undefined && b.host !== undefined && a.host === b.host) return 'host';
  return undefined;
}

/**
 * The host a manifest drill's `dockerProvider` (`docker.scratch` or `stack/docker.scratch`)
 * names. Without a stack, the manifest's stack is tried first, then a unique declaration in
 * any stack; a provider declared nowhere has an unknown host.
 */
export function resolveProviderRef(model: CustodyModel, ref: string, defaultStack: string): HostInfo {
  const i = ref.lastIndexOf('/');
  const key = (i >= 0 ? ref.slice(i + 1) : ref).replace(/^\$\{/, '').replace(/\}$/, '');
  if (i >= 0) return hostOf(model, ref.slice(0, i), key);
  const declared = model.providers.filter((p) => p.key === key);
  const own = declared.find((p) => p.stack === defaultStack);
  if (own) return hostOf(model, own.stack, key);
  if (declared.length === 1) return hostOf(model, declared[0].stack, key);
  return { stack: defaultStack, providerKey: key, host: undefined };
}

/** Network attachments of a container as written: names/references, plus `network_mode`. */
export function networkAttachments(c: Container): { readonly values: unknown[]; readonly mode?: string } {
  const v = c.resource.values;
  if (c.kind === 'docker_service') {
    const spec = block(v.task_spec) ?? {};
    const values: unknown[] = blocks(spec.networks_advanced).map((n) => n.name);
    if (Array.isArray(spec.networks)) values.push(...spec.networks);
    return { values };
  }
  return { values: blocks(v.networks_advanced).map((n) => n.name), mode: literal(v.network_mode) };
}

/** A docker network a container attaches to, resolved as far as possible. */
export interface NetworkRef {
  readonly shown: string;
  /** `stack/address` of the docker_network resource, or `name:<host>:<name>` for unresolved literals. */
  readonly id: string;
  readonly resource?: TfResource;
  /** internal = true on the docker_network; undefined when unknown. */
  readonly internal?: boolean;
}

export function resolveNetwork(model: CustodyModel, c: Container, value: unknown): NetworkRef {
  const ref = model.referencesOf(c.stack, value).find((r) => model.resource(r.stack, r.address)?.type === 'docker_network');
  let r = ref ? model.resource(ref.stack, ref.address) : undefined;
  const lit = literal(value);
  if (!r && lit !== undefined) {
    r = model.resources.find((x) => x.type === 'docker_network' && x.mode === 'managed' && x.stack === c.stack && x.provider === c.provider && literal(x.values.name) === lit);
  }
  if (r) return { shown: describeAt(model, r.stack, r.address), id: `${r.stack}/${r.address}`, resource: r, internal: bool(r.values.internal) };
  const h = hostOf(model, c.stack, c.provider).host ?? `${c.stack}/${c.provider}`;
  return { shown: lit !== undefined ? `network "${lit}"` : `network \`${String(value)}\``, id: `name:${h}:${lit ?? String(value)}`, internal: undefined };
}

// ---------------------------------------------------------------------------------------
// Drill resources: schedules, alarms, principals

/** Tags of a drill schedule: its own, its schedule group's, and a JSON `target.input` carrying custody tags. */
export function scheduleTags(model: CustodyModel, r: TfResource): Readonly<Record<string, string>> {
  const known = scheduleTagsOf.get(r);
  if (known) return known;
  const out: Record<string, string> = {};
  const group = r.values.group_name;
  if (group !== undefined) {
    const ref = model.referencesOf(r.stack, group).find((x) => model.resource(x.stack, x.address)?.type === 'aws_scheduler_schedule_group');
    const lit = literal(group);
    // Without a reference, only a literal name can point at a group (an expression names none we know).
    const g = ref
      ? model.resource(ref.stack, ref.address)
      : lit === undefined
        ? undefined
        : model.resources.find((x) => x.type === 'aws_scheduler_schedule_group' && x.mode === 'managed' && literal(x.values.name) === lit);
    if (g) Object.assign(out, resourceTags(model, g));
  }
  const target = block(r.values.target);
  const input = literal(target?.input);
  if (input) {
    try {
      const parsed: unknown = JSON.parse(input);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) if (k.startsWith('custody:') && typeof v === 'string') out[k] = v;
      }
    } catch {
      // not JSON: no tags from it
    }
  }
  Object.assign(out, resourceTags(model, r));
  scheduleTagsOf.set(r, out);
  return out;
}

const scheduleTagsOf = new WeakMap<TfResource, Readonly<Record<string, string>>>();

const drillIndex = new WeakMap<CustodyModel, Map<string, KeyedIndex<TfResource>>>();

/** Managed resources of one type tagged `custody:role=drill` for a key (indexed once per model and type). */
function drillResourcesOf(model: CustodyModel, type: string, keyId: string, tagsOf: (r: TfResource) => Readonly<Record<string, string>>): TfResource[] {
  let perType = drillIndex.get(model);
  if (!perType) drillIndex.set(model, (perType = new Map()));
  let idx = perType.get(type);
  if (!idx) {
    const drills = resourcesOfType(model, type).filter((r) => r.mode === 'managed' && tagsOf(r)[TAG_ROLE] === 'drill');
    perType.set(type, (idx = new KeyedIndex(drills, (r) => tagsOf(r)[TAG_KEY])));
  }
  return idx.of(keyId);
}

/** `aws_scheduler_schedule` resources that run a drill of the key. */
export function drillSchedules(model: CustodyModel, keyId: string): TfResource[] {
  return drillResourcesOf(model, 'aws_scheduler_schedule', keyId, (r) => scheduleTags(model, r));
}

/** `aws_cloudwatch_metric_alarm` resources tagged for drills of the key. */
export function drillAlarms(model: CustodyModel, keyId: string): TfResource[] {
  return drillResourcesOf(model, 'aws_cloudwatch_metric_alarm', keyId, (r) => resourceTags(model, r));
}

export function isDrillPrincipal(p: Principal): boolean {
  return p.role === 'drill' || p.tags[TAG_ROLE] === 'drill';
}

const grantIndex = new WeakMap<CustodyModel, Map<string, CustodyModel['grants'][number][]>>();

/** The grants of one principal, in model order (indexed once per model). */
function grantsOf(model: CustodyModel, principalId: string): readonly CustodyModel['grants'][number][] {
  let byPrincipal = grantIndex.get(model);
  if (!byPrincipal) {
    byPrincipal = new Map();
    for (const g of model.grants) {
      const list = byPrincipal.get(g.principal);
      if (list) list.push(g);
      else byPrincipal.set(g.principal, [g]);
    }
    grantIndex.set(model, byPrincipal);
  }
  return byPrincipal.get(principalId) ?? [];
}

/** Stores a principal reaches, with the accesses it has on each. */
export function reachOf(model: CustodyModel, principalId: string): Map<string, { store?: Store; access: Set<string>; via: string[] }> {
  const out = new Map<string, { store?: Store; access: Set<string>; via: string[] }>();
  for (const g of grantsOf(model, principalId)) {
    let e = out.get(g.store);
    if (!e) out.set(g.store, (e = { store: model.storeById(g.store), access: new Set(), via: [] }));
    e.access.add(g.access);
    if (!e.via.includes(g.via)) e.via.push(g.via);
  }
  return out;
}

/** Accesses that change or control a store (a drill must have none of them). */
export function isWrite(access: string): boolean {
  return access === 'write' || access === 'delete' || access === 'admin';
}

/**
 * Find the store a drill's `keySource` names: a store id, `stack/address`, an address
 * (the drill's own stack first, then a unique match in any stack), a bucket name, or an
 * `s3://bucket/...` / bucket ARN.
 */
export function resolveStoreRef(model: CustodyModel, ref: string, fromStack: string): Store | undefined {
  const byId = model.storeById(ref);
  if (byId) return byId;
  const slash = ref.indexOf('/');
  if (slash > 0 && !ref.startsWith('s3://') && !ref.startsWith('arn:')) {
    const st = model.stores.find((s) => s.stack === ref.slice(0, slash) && s.address === ref.slice(slash + 1));
    if (st) return st;
  }
  const own = model.stores.find((s) => s.stack === fromStack && s.address === ref);
  if (own) return own;
  const any = model.stores.filter((s) => s.address === ref);
  if (any.length === 1) return any[0];
  const name = /^arn:[^:]+:s3:::([^/]+)/.exec(ref)?.[1] ?? /^s3:\/\/([^/]+)/.exec(ref)?.[1] ?? ref;
  const byName = model.stores.filter((s) => s.name === name);
  return byName.length === 1 ? byName[0] : undefined;
}

/** A location of a manifest-level finding: the manifest resource if present. */
export function manifestLocation(d: DeclaredDrill): { stack: string; address: string; location?: TfResource['location'] } {
  return { stack: d.manifest.stack, address: d.manifest.address, location: d.resource?.location };
}

// ---------------------------------------------------------------------------------------
// Schedule expressions (AWS EventBridge Scheduler)

/** What a schedule expression means for drill frequency. */
export interface ScheduleAnalysis {
  readonly expression: string;
  readonly kind?: 'cron' | 'rate' | 'at';
  /** Why the expression is not a valid EventBridge Scheduler expression. */
  readonly error?: string;
  /** True when it keeps firing (false for `at(...)` and for crons whose years run out). */
  readonly recurring: boolean;
  /** Longest time between two runs, in days (Infinity when it stops). */
  readonly maxGapDays: number;
  /** Cron only: most calendar months from one month with a run to the next. */
  readonly maxGapMonths?: number;
  /** Runs at least once in every three calendar months (cron) / every 92 days (rate). */
  readonly atLeastQuarterly: boolean;
  /** Plain-words summary for messages. */
  readonly summary: string;
}

function invalid(expression: string, error: string, kind?: ScheduleAnalysis['kind']): ScheduleAnalysis {
  return { expression, kind, error, recurring: false, maxGapDays: Infinity, atLeastQuarterly: false, summary: `not a valid schedule expression (${error})` };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Parse one plain cron field (`*`, lists, ranges, steps, names) into its values. */
function parseSet(field: string, min: number, max: number, names: string[] | undefined, wrap: boolean): Set<number> | string {
  const out = new Set<number>();
  const value = (t: string): number | undefined => {
    const u = t.toUpperCase();
    if (names) {
      const i = names.indexOf(u);
      if (i >= 0) return i + min;
    }
    if (!/^\d+$/.test(t)) return undefined;
    const n = Number(t);
    return n >= min && n <= max ? n : undefined;
  };
  for (const item of field.split(',')) {
    if (item === '') return `empty list item in "${field}"`;
    const [rangePart, stepPart, extra] = item.split('/');
    if (extra !== undefined) return `bad step in "${item}"`;
    let step = 1;
    if (stepPart !== undefined) {
      if (!/^\d+$/.test(stepPart) || Number(stepPart) < 1) return `bad step in "${item}"`;
      step = Number(stepPart);
    }
    let from: number;
    let to: number;
    if (rangePart === '*') {
      from = min;
      to = max;
    } else if (rangePart.includes('-')) {
      const [a, b] = rangePart.split('-');
      const va = value(a);
      const vb = value(b);
      if (va === undefined || vb === undefined) return `"${item}" is out of range ${min}-${max}`;
      from = va;
      to = vb;
    } else {
      const v = value(rangePart);
      if (v === undefined) return `"${item}" is out of range ${min}-${max}`;
      from = v;
      to = stepPart !== undefined ? max : v;
    }
    if (from <= to) {
      for (let n = from; n <= to; n += step) out.add(n);
    } else {
      if (!wrap) return `range "${rangePart}" runs backwards`;
      const span = max - min + 1;
      for (let i = 0; i <= to - from + span; i += step) out.add(((from - min + i) % span) + min);
    }
  }
  return out;
}

type DayTest = (dom: number, dow: number, dim: number) => boolean;

/** Day-of-month field: plain sets plus `L`, `LW` and `nW`. */
function parseDom(field: string): DayTest | string {
  const tests: DayTest[] = [];
  for (const item of field.split(',')) {
    const u = item.toUpperCase();
    if (u === 'L') tests.push((d, _w, dim) => d === dim);
    else if (u === 'LW') tests.push((d, w, dim) => d === lastWeekday(dim, d, w));
    else if (/^\d+W$/.test(u)) {
      const n = Number(u.slice(0, -1));
      if (n < 1 || n > 31) return `"${item}" is out of range 1-31`;
      tests.push((d, w, dim) => n <= dim && d === nearestWeekday(n, d, w, dim));
    } else {
      const set = parseSet(item, 1, 31, undefined, false);
      if (typeof set === 'string') return set;
      tests.push((d) => set.has(d));
    }
  }
  return (d, w, dim) => tests.some((t) => t(d, w, dim));
}

/** Day of week (1 = SUN ... 7 = SAT) of day `target`, given that day `d` is weekday `w`. */
function dowOf(target: number, d: number, w: number): number {
  return ((((w - 1 + target - d) % 7) + 7) % 7) + 1;
}

function nearestWeekday(n: number, d: number, w: number, dim: number): number {
  const dow = dowOf(n, d, w);
  if (dow === 7) return n === 1 ? 3 : n - 1; // Saturday: Friday before, or Monday after the 1st
  if (dow === 1) return n === dim ? n - 2 : n + 1; // Sunday: Monday after, or Friday before the last
  return n;
}

function lastWeekday(dim: number, d: number, w: number): number {
  const dow = dowOf(dim, d, w);
  return dow === 7 ? dim - 1 : dow === 1 ? dim - 2 : dim;
}

/** Day-of-week field: plain sets plus `L` (Saturday), `nL` (last n of the month), `n#k` (k-th n). */
function parseDow(field: string): DayTest | string {
  const tests: DayTest[] = [];
  const day = (t: string): number | undefined => {
    const i = DAYS.indexOf(t.toUpperCase());
    if (i >= 0) return i + 1;
    return /^[1-7]$/.test(t) ? Number(t) : undefined;
  };
  for (const item of field.split(',')) {
    const u = item.toUpperCase();
    const hash = /^(\w+)#(\d+)$/.exec(u);
    const last = /^(\w+)L$/.exec(u);
    if (hash) {
      const n = day(hash[1]);
      const k = Number(hash[2]);
      if (n === undefined || k < 1 || k > 5) return `"${item}" is not a valid n#k day of week`;
      tests.push((d, w) => w === n && Math.ceil(d / 7) === k);
    } else if (u === 'L') {
      tests.push((_d, w) => w === 7);
    } else if (last) {
      const n = day(last[1]);
      if (n === undefined) return `"${item}" is not a valid last-weekday`;
      tests.push((d, w, dim) => w === n && d + 7 > dim);
    } else {
      const set = parseSet(item, 1, 7, DAYS, true);
      if (typeof set === 'string') return set;
      tests.push((_d, w) => set.has(w));
    }
  }
  return (d, w, dim) => tests.some((t) => t(d, w, dim));
}

const FIRST_YEAR = 1970;
const LAST_YEAR = 2199;
/** Simulation window: long enough to contain every calendar alignment (a 28-year cycle). */
const SIM_FROM = 2000;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function analyzeCron(expression: string, body: string): ScheduleAnalysis {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) return invalid(expression, `cron needs 6 fields (minutes hours day-of-month month day-of-week year), found ${fields.length}`, 'cron');
  const [min, hour, domF, monF, dowF, yearF] = fields;
  const minutes = parseSet(min, 0, 59, undefined, false);
  if (typeof minutes === 'string') return invalid(expression, `minutes: ${minutes}`, 'cron');
  const hours = parseSet(hour, 0, 23, undefined, false);
  if (typeof hours === 'string') return invalid(expression, `hours: ${hours}`, 'cron');
  if ((domF === '?') === (dowF === '?')) return invalid(expression, 'exactly one of day-of-month and day-of-week must be "?"', 'cron');
  const dom = domF === '?' ? undefined : parseDom(domF);
  if (typeof dom === 'string') return invalid(expression, `day-of-month: ${dom}`, 'cron');
  const dow = dowF === '?' ? undefined : parseDow(dowF);
  if (typeof dow === 'string') return invalid(expression, `day-of-week: ${dow}`, 'cron');
  const months = parseSet(monF, 1, 12, MONTHS, true);
  if (typeof months === 'string') return invalid(expression, `month: ${months}`, 'cron');
  const years = parseSet(yearF, FIRST_YEAR, LAST_YEAR, undefined, false);
  if (typeof years === 'string') return invalid(expression, `year: ${years}`, 'cron');
  const dayTest: DayTest = dom ?? (dow as DayTest);

  // Walk every day from SIM_FROM to the last year AWS accepts; note months and days with a run.
  let dayIndex = 0;
  let weekday = new Date(Date.UTC(SIM_FROM, 0, 1)).getUTCDay() + 1;
  let firstMonth: number | undefined;
  let lastMonth: number | undefined;
  let lastDay: number | undefined;
  let maxGapMonths = 0;
  let maxGapDays = 0;
  for (let y = SIM_FROM; y <= LAST_YEAR; y++) {
    for (let m = 1; m <= 12; m++) {
      const dim = daysIn(y, m);
      const active = years.has(y) && months.has(m);
      if (active) {
        let ran = false;
        for (let d = 1; d <= dim; d++) {
          if (dayTest(d, ((weekday - 1 + d - 1) % 7) + 1, dim)) {
            ran = true;
            const idx = dayIndex + d - 1;
            if (lastDay !== undefined) maxGapDays = Math.max(maxGapDays, idx - lastDay);
            lastDay = idx;
          }
        }
        if (ran) {
          const mi = y * 12 + (m - 1);
          if (lastMonth !== undefined) maxGapMonths = Math.max(maxGapMonths, mi - lastMonth);
          firstMonth ??= mi;
          lastMonth = mi;
        }
      }
      dayIndex += dim;
      weekday = ((weekday - 1 + dim) % 7) + 1;
    }
  }
  if (lastMonth === undefined || firstMonth === undefined) {
    return { expression, kind: 'cron', error: 'it never fires (no day matches)', recurring: false, maxGapDays: Infinity, atLeastQuarterly: false, summary: 'never fires' };
  }
  const endMonth = LAST_YEAR * 12 + 11;
  const stopsYear = Math.max(...years);
  if (stopsYear < LAST_YEAR && endMonth - lastMonth > QUARTER_MONTHS) {
    return {
      expression,
      kind: 'cron',
      recurring: false,
      maxGapDays: Infinity,
      maxGapMonths: Infinity,
      atLeastQuarterly: false,
      summary: `stops firing after ${stopsYear}`,
    };
  }
  if (firstMonth === lastMonth) maxGapMonths = 12;
  const atLeastQuarterly = maxGapMonths <= QUARTER_MONTHS;
  const perYear = monthsPerYear(months, maxGapMonths);
  return {
    expression,
    kind: 'cron',
    recurring: true,
    maxGapDays,
    maxGapMonths,
    atLeastQuarterly,
    summary: `${perYear}; up to ${maxGapMonths} month(s) (${maxGapDays} days) pass between runs`,
  };
}

function monthsPerYear(months: Set<number>, gap: number): string {
  if (gap >= 12) return 'fires at most once a year';
  if (months.size === 12) return 'fires every month';
  return `fires in ${months.size} month(s) of the year (${[...months].sort((a, b) => a - b).map((m) => MONTHS[m - 1]).join(', ')})`;
}

const RATE_UNITS: Record<string, number> = { minute: 1 / 1440, minutes: 1 / 1440, hour: 1 / 24, hours: 1 / 24, day: 1, days: 1 };

function analyzeRate(expression: string, body: string): ScheduleAnalysis {
  const m = /^\s*(\d+)\s+([a-z]+)\s*$/i.exec(body);
  if (!m) return invalid(expression, 'rate needs "<value> <unit>", e.g. rate(30 days)', 'rate');
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  if (n < 1) return invalid(expression, 'the rate value must be a positive whole number', 'rate');
  const perUnit = RATE_UNITS[unit];
  if (perUnit === undefined) return invalid(expression, `unit "${m[2]}" is not one of minute(s), hour(s), day(s)`, 'rate');
  const days = n * perUnit;
  return {
    expression,
    kind: 'rate',
    recurring: true,
    maxGapDays: days,
    atLeastQuarterly: days <= QUARTER_DAYS,
    summary: `fires every ${n} ${unit} (${Number.isInteger(days) ? days : days.toFixed(2)} days)`,
  };
}

/**
 * Analyse an EventBridge Scheduler expression: `cron(min hour dom month dow year)`,
 * `rate(n unit)` or `at(yyyy-mm-ddThh:mm:ss)`. A bare 6-field cron body is accepted too.
 * Cron is judged by calendar months (a run in at least one month of every three), so the
 * default first-Monday-of-the-quarter schedule counts as quarterly even though its runs
 * can be up to 98 days apart; rates are judged by days (at most 92).
 */
export function analyzeSchedule(expression: string): ScheduleAnalysis {
  let a = analysisCache.get(expression);
  if (!a) {
    a = analyze(expression);
    if (analysisCache.size > 1000) analysisCache.clear();
    analysisCache.set(expression, a);
  }
  return a;
}

/** Results per expression: a cron is judged by walking two centuries of days, so reuse them. */
const analysisCache = new Map<string, ScheduleAnalysis>();

function analyze(expression: string): ScheduleAnalysis {
  const e = expression.trim();
  const m = /^(cron|rate|at)\((.*)\)$/is.exec(e);
  if (!m) {
    if (e.split(/\s+/).length === 6) return analyzeCron(expression, e);
    return invalid(expression, 'expected cron(...), rate(...) or at(...)');
  }
  const kind = m[1].toLowerCase();
  if (kind === 'cron') return analyzeCron(expression, m[2]);
  if (kind === 'rate') return analyzeRate(expression, m[2]);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(m[2].trim())) return invalid(expression, 'at() needs yyyy-mm-ddThh:mm:ss', 'at');
  return { expression, kind: 'at', recurring: false, maxGapDays: Infinity, atLeastQuarterly: false, summary: `fires once, at ${m[2].trim()}` };
}
