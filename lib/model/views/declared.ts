/**
 * The keys the manifests declare, indexed once per model: rules and reports ask per key, and
 * a scan of every declaration (or every copy) per key is quadratic in keys.
 */
import type { CustodyModel, KeyCopy, Manifest, ManifestKey } from '../types';

/** A key as one manifest declares it. */
export interface DeclaredKey {
  readonly key: ManifestKey;
  readonly manifest: Manifest;
}

/** The declarations of a model: listed, first by key id, all by key id; and the copies by key. */
export interface DeclaredIndex {
  readonly list: DeclaredKey[];
  readonly first: Map<string, DeclaredKey>;
  readonly byId: Map<string, DeclaredKey[]>;
  readonly copies: Map<string, KeyCopy[]>;
}

/** The declared keys of a model, listed once per model (rules ask per key: no K × K scans). */
export function declared(model: CustodyModel): DeclaredIndex {
  let d = model.views.declared;
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
    model.views.declared = d = { list, first, byId, copies };
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

/** Every key id the model knows of: declared in a manifest, tagged on a store, or copied. */
export function knownKeyIds(model: CustodyModel): string[] {
  const ids = new Set<string>();
  for (const d of declaredKeys(model)) ids.add(d.key.id);
  for (const s of model.stores) if (s.key && (s.role === 'key-backup' || s.role === 'key-store')) ids.add(s.key);
  for (const c of model.copies) ids.add(c.key);
  return [...ids].sort();
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
