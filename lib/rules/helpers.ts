/**
 * Logic shared by several custody rules: which containers carry which key, how a
 * container is told where its key file is, and the 3-2-1 tally of a key's copies.
 * Everything here is a pure function of the model.
 */
import {
  TAG_APP,
  TAG_KEY,
  TAG_ROLE,
  type Container,
  type CustodyModel,
  type KeyCopy,
  type Manifest,
  type ManifestKey,
  type Mount,
  type TfResource,
} from '../model/types';
import type { RuleViolation } from './rule';

/** Days a key backup must outlive the DB backups that need it. */
export const RETENTION_MARGIN_DAYS = 30;

// ---------------------------------------------------------------------------------------
// Manifest keys

/** A key as one manifest declares it. */
export interface DeclaredKey {
  readonly key: ManifestKey;
  readonly manifest: Manifest;
}

interface DeclaredIndex {
  readonly list: DeclaredKey[];
  readonly first: Map<string, DeclaredKey>;
  readonly byId: Map<string, DeclaredKey[]>;
  readonly copies: Map<string, KeyCopy[]>;
}

const declaredCache = new WeakMap<CustodyModel, DeclaredIndex>();

/** The declared keys of a model, listed once per model (rules ask per key: no K × K scans). */
function declared(model: CustodyModel): DeclaredIndex {
  let d = declaredCache.get(model);
  if (!d) {
    const list = model.manifests.flatMap((manifest) => manifest.keys.map((key) => ({ key, manifest })));
    const first = new Map<string, DeclaredKey>();
    const byId = new Map<string, DeclaredKey[]>();
    for (const x of list) {
      if (!first.has(x.key.id)) first.set(x.key.id, x);
      const all = byId.get(x.key.id);
      if (all) all.push(x);
      else byId.set(x.key.id, [x]);
    }
    // The 3-2-1 helpers ask per key; filtering every copy per key is quadratic in keys.
    const copies = new Map<string, KeyCopy[]>();
    for (const c of model.copies) {
      const l = copies.get(c.key);
      if (l) l.push(c);
      else copies.set(c.key, [c]);
    }
    declaredCache.set(model, (d = { list, first, byId, copies }));
  }
  return d;
}

/** Every key every manifest declares (a key declared twice appears twice). */
export function declaredKeys(model: CustodyModel): DeclaredKey[] {
  return [...declared(model).list];
}

/** The first declaration of a key id, if any manifest declares it. */
export function declarationOf(model: CustodyModel, keyId: string): DeclaredKey | undefined {
  return declared(model).first.get(keyId);
}

const byTypeCache = new WeakMap<CustodyModel, Map<string, TfResource[]>>();

/** Managed and data resources of one type (indexed once per model). */
export function resourcesOfType(model: CustodyModel, type: string): readonly TfResource[] {
  let m = byTypeCache.get(model);
  if (!m) {
    m = new Map();
    for (const r of model.resources) {
      const l = m.get(r.type);
      if (l) l.push(r);
      else m.set(r.type, [r]);
    }
    byTypeCache.set(model, m);
  }
  return m.get(type) ?? [];
}

/** Every key id the model knows of: declared in a manifest, tagged on a store, or copied. */
export function knownKeyIds(model: CustodyModel): string[] {
  const ids = new Set<string>();
  for (const d of declaredKeys(model)) ids.add(d.key.id);
  for (const s of model.stores) if (s.key && (s.role === 'key-backup' || s.role === 'key-store')) ids.add(s.key);
  for (const c of model.copies) ids.add(c.key);
  return [...ids].sort();
}

/** A violation located at a manifest (for manifest-level findings). */
export function manifestViolation(model: CustodyModel, manifest: Manifest, message: string, fix?: string): RuleViolation {
  const r = model.resource(manifest.stack, manifest.address);
  return { stack: manifest.stack, address: manifest.address, message, fix, location: r?.location };
}

/** Host paths where a key's hot copy (of any generation) lives, as the manifest declares them. */
export function hotPaths(k: ManifestKey): string[] {
  const out = new Set<string>();
  if (k.hostFile?.path) out.add(k.hostFile.path);
  if (k.hostPath) out.add(k.hostPath);
  for (const g of k.generations ?? []) if (g.hostPath) out.add(g.hostPath);
  return [...out];
}

/** The current hot-copy path of a key: `hostFile.path`, else `hostPath`. */
export function currentHotPath(k: ManifestKey): string | undefined {
  return k.hostFile?.path || k.hostPath || undefined;
}

// ---------------------------------------------------------------------------------------
// Environment variables and command lines

/** Names that carry a master key by value: `ZITADEL_MASTERKEY`, `SERVOS_MASTER_KEY`, `MASTER_KEY`... */
export function isKeyEnvName(name: string): boolean {
  return /(^|_)MASTER_?KEY$/i.test(name) && !/_FILE$/i.test(name);
}

/** `SERVOS_MASTER_KEY_FILE`, `ACT_MASTER_KEY_FILE`, ...: the by-path twin of a key variable. */
export function isKeyFileEnvName(name: string): boolean {
  return /(^|_)MASTER_?KEY_FILE$/i.test(name);
}

/** The argv a container runs: entrypoint then command, each element split on whitespace. */
export function argvOf(c: Container): string[] {
  const out: string[] = [];
  for (const part of [...c.entrypoint, ...c.command]) {
    for (const tok of part.split(/\s+/)) {
      const t = tok.replace(/^['"]+|['";]+$/g, '');
      if (t) out.push(t);
    }
  }
  return out;
}

/** One flag on a command line, with its value when it has one (`--f v` or `--f=v`). */
export interface FlagUse {
  readonly flag: string;
  readonly value?: string;
  /** True when the value was written inline (`--f=v`). */
  readonly inline: boolean;
}

/** The flags of an argv. A following token that does not start with `-` is the value. */
export function flagsOf(argv: readonly string[]): FlagUse[] {
  const out: FlagUse[] = [];
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i];
    if (!/^--?[A-Za-z]/.test(t)) continue;
    const eq = t.indexOf('=');
    if (eq > 0) {
      out.push({ flag: t.slice(0, eq), value: t.slice(eq + 1), inline: true });
    } else {
      const next = argv[i + 1];
      out.push({ flag: t, value: next !== undefined && !next.startsWith('-') ? next : undefined, inline: false });
    }
  }
  return out;
}

function normFlag(flag: string): string {
  return flag.replace(/^-+/, '').replace(/[-_]/g, '').toLowerCase();
}

/** `--masterkeyFile`, `--masterkey-file`, Zitadel's `-m` shorthand: the key passed by path. */
export function isKeyFileFlag(flag: string): boolean {
  const n = normFlag(flag);
  return flag === '-m' || (n.includes('masterkey') && n.includes('file'));
}

/** `--masterkeyFromEnv`: Zitadel then reads `ZITADEL_MASTERKEY`. */
export function isKeyFromEnvFlag(flag: string): boolean {
  return normFlag(flag) === 'masterkeyfromenv';
}

/** `--masterkey`, `--masterkey-old`, `--master-key`: the key passed by value. */
export function isKeyValueFlag(flag: string): boolean {
  const n = normFlag(flag);
  return n.includes('masterkey') && !n.includes('file') && !n.includes('fromenv');
}

/** One way a container is told where to read its key file. */
export interface KeyFileRef {
  /** `--masterkeyFile` or `env SERVOS_MASTER_KEY_FILE`. */
  readonly via: string;
  /** The path, when it is a literal. */
  readonly path?: string;
  /** True for key-specific flags and `*_MASTER_KEY_FILE` variables. */
  readonly keySpecific: boolean;
}

/** Every key-file path a container is given: key-file flags and `*_FILE` variables. */
export function keyFileRefs(c: Container): KeyFileRef[] {
  const out: KeyFileRef[] = [];
  for (const f of flagsOf(argvOf(c))) {
    if (!isKeyFileFlag(f.flag)) continue;
    // `-m` is Zitadel's shorthand but means other things elsewhere (`python -m mod`): only an absolute path counts.
    if (f.flag === '-m' && !(f.value ?? '').startsWith('/')) continue;
    out.push({ via: f.flag, path: f.value !== undefined && !f.value.includes('${') ? f.value : undefined, keySpecific: true });
  }
  for (const [name, value] of Object.entries(c.env)) {
    if (!/_FILE$/i.test(name)) continue;
    out.push({ via: `env ${name}`, path: value && !value.includes('${') ? value : undefined, keySpecific: isKeyFileEnvName(name) });
  }
  return out;
}

/** How a container should be given the key by path, for fixes. */
export function byPathHint(app: string | undefined, envName: string | undefined, target: string): string {
  const zitadel = (app ?? '').toLowerCase().includes('zitadel') || /^ZITADEL_/i.test(envName ?? '');
  if (zitadel) return `pass \`--masterkeyFile ${target}\` in the command`;
  const base = envName && isKeyEnvName(envName) ? envName : app ? `${app.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_MASTER_KEY` : 'APP_MASTER_KEY';
  return `set \`${base}_FILE=${target}\``;
}

// ---------------------------------------------------------------------------------------
// Containers that carry a key

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/**
 * If a mount's source is `path` or a directory holding it, the path inside the container
 * where `path` appears; else undefined.
 */
export function mountedAt(m: Mount, path: string): string | undefined {
  if (m.source === undefined || m.type === 'secret' || m.type === 'upload' || m.type === 'tmpfs') return undefined;
  const src = trimSlash(m.source);
  const p = trimSlash(path);
  if (src === p) return m.target;
  if (p.startsWith(`${src}/`)) return `${trimSlash(m.target)}${p.slice(src.length)}`;
  return undefined;
}

/** Where a mount appears inside the container (`secret` mounts default to `/run/secrets/<name>`). */
export function mountTarget(m: Mount): string {
  if (m.type === 'secret' && !m.target.startsWith('/')) return `/run/secrets/${m.target}`;
  return m.target;
}

/** The mount that provides `path` inside the container: its target, or a directory above it. */
export function mountProviding(c: Container, path: string): Mount | undefined {
  const p = trimSlash(path);
  let best: Mount | undefined;
  for (const m of c.mounts) {
    const t = trimSlash(mountTarget(m));
    if (!t) continue;
    if (t === p || p.startsWith(`${t}/`)) {
      if (!best || trimSlash(mountTarget(best)).length < t.length) best = m;
    }
  }
  return best;
}

/** One (container, key) pair: the container runs with that key. */
export interface KeyCarrier {
  readonly container: Container;
  readonly keyId: string;
  /** The manifest's declaration of the key, if any manifest declares it. */
  readonly declared?: DeclaredKey;
  /** Why we think the container carries the key, for messages. */
  readonly reasons: readonly string[];
  /** True for recovery-drill containers (`custody:role=drill`), which use a restored copy. */
  readonly drill: boolean;
}

/**
 * Containers that carry a key: labelled `custody:key`, labelled `custody:app` with an app
 * a manifest key belongs to (when no `custody:key` label narrows it), or mounting a
 * key's declared hot-copy path (or a directory holding it).
 */
export function keyCarriers(model: CustodyModel): readonly KeyCarrier[] {
  const known = carriersOf.get(model);
  if (known) return known;
  // Several rules ask, and a scan of every declared key per container is quadratic in keys.
  const byApp = new Map<string, DeclaredKey[]>();
  for (const d of declaredKeys(model)) {
    const apps = byApp.get(d.key.app);
    if (apps) apps.push(d);
    else byApp.set(d.key.app, [d]);
  }
  const out: KeyCarrier[] = [];
  for (const c of model.containers) {
    const reasons = new Map<string, string[]>();
    const add = (id: string, why: string) => {
      const list = reasons.get(id) ?? [];
      if (!list.includes(why)) list.push(why);
      reasons.set(id, list);
    };
    const labelKey = c.labels[TAG_KEY];
    const labelApp = c.labels[TAG_APP];
    if (labelKey) add(labelKey, `label ${TAG_KEY}=${labelKey}`);
    else if (labelApp) for (const d of byApp.get(labelApp) ?? []) add(d.key.id, `label ${TAG_APP}=${labelApp}`);
    for (const { declared, path } of hotCopiesMountedBy(model, c)) add(declared.key.id, `mounts the hot copy ${path}`);
    for (const [keyId, why] of reasons) {
      out.push({ container: c, keyId, declared: declarationOf(model, keyId), reasons: why, drill: c.labels[TAG_ROLE] === 'drill' });
    }
  }
  carriersOf.set(model, out);
  return out;
}

/** A declared hot-copy path that a container mounts, with the first of its mounts that does. */
export interface HotCopyMount {
  readonly declared: DeclaredKey;
  readonly path: string;
  readonly mount: Mount;
}

interface HotPathEntry {
  readonly order: number;
  readonly declared: DeclaredKey;
  readonly path: string;
}

const hotPathIndexOf = new WeakMap<CustodyModel, Map<string, HotPathEntry[]>>();

/**
 * Every declared hot-copy path (every manifest's, in declaration order), under the path
 * itself and every directory it lies in: a mount whose source is one of those carries the
 * key (exactly the paths {@link mountedAt} matches), found with one lookup per mount.
 */
function hotPathIndex(model: CustodyModel): Map<string, HotPathEntry[]> {
  let byDir = hotPathIndexOf.get(model);
  if (byDir) return byDir;
  byDir = new Map();
  let order = 0;
  for (const declared of declaredKeys(model)) {
    for (const path of hotPaths(declared.key)) {
      const entry = { order: order++, declared, path };
      const t = trimSlash(path);
      const dirs = new Set([t]);
      for (let i = 0; i < t.length; i++) if (t[i] === '/') dirs.add(t.slice(0, i));
      for (const dir of dirs) {
        const list = byDir.get(dir);
        if (list) list.push(entry);
        else byDir.set(dir, [entry]);
      }
    }
  }
  hotPathIndexOf.set(model, byDir);
  return byDir;
}

/**
 * The declared hot copies (of any key) a container mounts, in declaration order, each with
 * the first mount that provides it: the same answer as trying {@link mountedAt} on every
 * mount for every declared path.
 */
export function hotCopiesMountedBy(model: CustodyModel, c: Container): HotCopyMount[] {
  const byDir = hotPathIndex(model);
  const hits = new Map<number, HotCopyMount>();
  for (const m of c.mounts) {
    if (m.source === undefined || m.type === 'secret' || m.type === 'upload' || m.type === 'tmpfs') continue;
    for (const e of byDir.get(trimSlash(m.source)) ?? []) if (!hits.has(e.order)) hits.set(e.order, { declared: e.declared, path: e.path, mount: m });
  }
  return [...hits].sort((a, b) => a[0] - b[0]).map(([, h]) => h);
}

const carriersOf = new WeakMap<CustodyModel, readonly KeyCarrier[]>();

/** True when any custody label is on the container. */
export function hasCustodyLabel(c: Container): boolean {
  return Object.keys(c.labels).some((l) => l.startsWith('custody:'));
}

// ---------------------------------------------------------------------------------------
// 3-2-1

/** One copy as the 3-2-1 tally counts it. */
export interface CountedCopy {
  readonly kind: string;
  readonly medium: string;
  readonly location: string;
  readonly offsite: boolean;
  readonly generation?: number;
  /** Where the copy is declared (a store or the manifest), for messages. */
  readonly declaredAt: string;
}

/** A copy is offsite when declared so, or when it sits in an S3 bucket (off the host by nature). */
export function isOffsite(c: { offsite: boolean; medium: string }): boolean {
  return c.offsite || c.medium === 's3';
}

/** The generation whose copies count as "the key" for 3-2-1: the newest active one. */
export function currentGeneration(k: ManifestKey | undefined, copyGenerations: readonly number[] = []): number | undefined {
  const gens = k?.generations ?? [];
  const active = gens.filter((g) => g.state === 'active').map((g) => g.generation);
  if (active.length > 0) return Math.max(...active);
  const live = gens.filter((g) => g.state !== 'retired').map((g) => g.generation);
  if (live.length > 0) return Math.max(...live);
  if (gens.length > 0) return Math.max(...gens.map((g) => g.generation));
  return copyGenerations.length > 0 ? Math.max(...copyGenerations) : undefined;
}

function locationKey(c: CountedCopy): string {
  let loc = c.location.trim().replace(/\/+$/, '');
  if (c.medium === 's3') loc = loc.replace(/^s3:\/\//, '').replace(/^arn:aws[\w-]*:s3:::/, '').split('/')[0];
  return `${c.medium}|${loc || c.kind}`;
}

/**
 * The copies of one key that count for a generation.
 *
 * - `generation` undefined: the key without generations; every copy counts.
 * - `includeUngenerationed`: copies that name no generation count too (KC020 counts the
 *   current generation "or copies without a generation"; KC025 counts only a
 *   generation's own copies).
 *
 * Sources: `model.copies` (Terraform key-backup/key-store stores and the manifest's
 * `copies`), the generation's own `copies`, its `offsiteObject` when that resource is
 * in the configuration, its `hostPath`, and the key's declared hot copy (`hostFile.path`
 * / `hostPath`), which is the copy the running app uses, so it belongs to the current
 * generation. Copies on the same medium and location (for S3: the same bucket) count once.
 */
export function copiesOf(
  model: CustodyModel,
  keyId: string,
  opts: { readonly generation?: number; readonly includeUngenerationed: boolean; readonly hotIsThisGeneration: boolean },
): CountedCopy[] {
  const raw: CountedCopy[] = [];
  const wantGen = (g: number | undefined) => opts.generation === undefined || g === opts.generation || (g === undefined && opts.includeUngenerationed);
  const index = declared(model);
  for (const c of index.copies.get(keyId) ?? []) {
    if (!wantGen(c.generation)) continue;
    raw.push({ kind: c.kind, medium: c.medium, location: c.location, offsite: c.offsite, generation: c.generation, declaredAt: c.address });
  }
  for (const d of index.byId.get(keyId) ?? []) {
    const hot = currentHotPath(d.key);
    const ownHost = opts.generation !== undefined && (d.key.generations ?? []).some((g) => g.generation === opts.generation && g.hostPath);
    if (hot && opts.hotIsThisGeneration && !ownHost) {
      raw.unshift({ kind: 'hot', medium: 'host-file', location: hot, offsite: false, generation: opts.generation, declaredAt: d.manifest.address });
    }
    for (const g of d.key.generations ?? []) {
      if (opts.generation !== undefined && g.generation !== opts.generation) continue;
      for (const c of g.copies) {
        raw.push({ kind: c.kind, medium: c.medium, location: c.location, offsite: c.offsite, generation: g.generation, declaredAt: d.manifest.address });
      }
      if (g.hostPath) raw.push({ kind: 'hot', medium: 'host-file', location: g.hostPath, offsite: false, generation: g.generation, declaredAt: d.manifest.address });
      if (g.offsiteObject && model.resource(d.manifest.stack, g.offsiteObject)) {
        raw.push({ kind: 'backup', medium: 's3', location: g.offsiteObject, offsite: true, generation: g.generation, declaredAt: g.offsiteObject });
      }
    }
  }
  const seen = new Map<string, CountedCopy>();
  for (const c of raw) {
    const k = locationKey(c);
    const prev = seen.get(k);
    // Keep the more informative entry: an offsite declaration wins.
    if (!prev || (!isOffsite(prev) && isOffsite(c))) seen.set(k, c);
  }
  return [...seen.values()];
}

/**
 * The copies that count for a key's 3-2-1 today: the current generation's and those that
 * name no generation. KC020 and the reports' inventory both read this, so they agree.
 */
export function currentCopies(model: CustodyModel, keyId: string): { generation?: number; copies: CountedCopy[]; tally: Tally } {
  const decl = declarationOf(model, keyId);
  const gens = (declared(model).copies.get(keyId) ?? []).filter((c) => c.generation !== undefined).map((c) => c.generation as number);
  const generation = currentGeneration(decl?.key, gens);
  const copies = copiesOf(model, keyId, { generation, includeUngenerationed: true, hotIsThisGeneration: true });
  return { generation, copies, tally: tally(copies) };
}

/** The 3-2-1 counts of a set of copies. */
export interface Tally {
  readonly copies: readonly CountedCopy[];
  /** Distinct known media (`unknown` does not count as a medium). */
  readonly media: readonly string[];
  readonly offsite: number;
}

export function tally(copies: readonly CountedCopy[]): Tally {
  const media = [...new Set(copies.map((c) => c.medium).filter((m) => m && m !== 'unknown'))].sort();
  return { copies, media, offsite: copies.filter(isOffsite).length };
}

/** What a tally lacks for 3-2-1, as phrases; empty when it holds. */
export function missing321(t: Tally): string[] {
  const out: string[] = [];
  const n = t.copies.length;
  if (n < 3) out.push(`${3 - n} more ${3 - n === 1 ? 'copy' : 'copies'} (at least 3)`);
  if (t.media.length < 2) out.push(t.media.length === 0 ? 'copies on 2 distinct media' : `a copy on a second medium (all are on ${t.media[0]})`);
  if (t.offsite < 1) out.push('an offsite copy (an S3 key-backup bucket, or a copy declared offsite such as paper in a safe)');
  return out;
}

/** `3 copies on 2 media (host-file, s3), 1 offsite` */
export function describeTally(t: Tally): string {
  const n = t.copies.length;
  const media = t.media.length;
  return `${n} ${n === 1 ? 'copy' : 'copies'} on ${media} ${media === 1 ? 'medium' : 'media'}${media ? ` (${t.media.join(', ')})` : ''}, ${t.offsite} offsite`;
}

/** A short list of what was counted: `host-file /etc/zitadel/masterkey, s3 zitadel-key`. */
export function listCopies(copies: readonly CountedCopy[]): string {
  if (copies.length === 0) return 'none';
  return copies.map((c) => `${c.medium} ${c.location || c.kind}`).join(', ');
}

// ---------------------------------------------------------------------------------------
// Dates (ISO `YYYY-MM-DD`, UTC, no clock)

export function parseDate(s: string | undefined): number | undefined {
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
  const t = Date.parse(`${s}T00:00:00Z`);
  // A round trip refuses dates like 2025-02-30 that Date.parse rolls over.
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== s ? undefined : t;
}

export function addDays(date: number, days: number): number {
  return date + days * 86_400_000;
}

export function formatDate(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** `90 days`, `forever` */
export function days(n: number): string {
  return Number.isFinite(n) ? `${n} ${n === 1 ? 'day' : 'days'}` : 'forever';
}
