/**
 * Logic shared by the recovery-drill rules (KC030-KC034): which keys exist, which drills
 * belong to a key, the networks a container attaches to, what a drill principal reaches,
 * and which store a drill's key source names. Pure functions of the model; the per-key
 * indexes (drill and app containers, drill schedules and alarms) are model views
 * (views/drills.ts), and the schedule parser is vocabulary (lib/policy/schedule.ts).
 */
import { block, blocks, bool, literal } from '../model/load/refs';
import type { Container, CustodyModel, Manifest, ManifestDrill, ManifestKey, Principal, Store, TfResource } from '../model/types';
import { isDrillContainer } from '../model/views/drills';
import { grantsOf } from '../model/views/grants';
import { hostOf } from '../model/views/hosts';
import { TAG_KEY, TAG_ROLE } from '../policy/tags';
import { describeAt } from './custody-helpers';

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
// Networks

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
// Drill principals and key sources

export function isDrillPrincipal(p: Principal): boolean {
  return p.role === 'drill' || p.tags[TAG_ROLE] === 'drill';
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
