/**
 * Which containers carry which key: by label, or by mounting a declared hot copy. Built once
 * per model, since several rules ask and a scan of every declared key per container is
 * quadratic in keys.
 */
import { TAG_APP, TAG_KEY, TAG_ROLE } from '../../policy/tags';
import type { Container, CustodyModel, Mount } from '../types';
import { declarationOf, declaredKeys, hotPaths, type DeclaredKey } from './declared';
import { trimSlash } from './mounts';

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
  const known = model.views.carriers;
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
  model.views.carriers = out;
  return out;
}

/** A declared hot-copy path that a container mounts, with the first of its mounts that does. */
export interface HotCopyMount {
  readonly declared: DeclaredKey;
  readonly path: string;
  readonly mount: Mount;
}

/** One declared hot-copy path under one of the directories it lies in (see hotPathIndex). */
export interface HotPathEntry {
  readonly order: number;
  readonly declared: DeclaredKey;
  readonly path: string;
}

/**
 * Every declared hot-copy path (every manifest's, in declaration order), under the path
 * itself and every directory it lies in: a mount whose source is one of those carries the
 * key (exactly the paths {@link mountedAt} matches), found with one lookup per mount.
 */
function hotPathIndex(model: CustodyModel): Map<string, HotPathEntry[]> {
  let byDir = model.views.hotPaths;
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
  model.views.hotPaths = byDir;
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

/** True when any custody label is on the container. */
export function hasCustodyLabel(c: Container): boolean {
  return Object.keys(c.labels).some((l) => l.startsWith('custody:'));
}
