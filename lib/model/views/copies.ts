/**
 * The 3-2-1 arithmetic of a key's copies: which copies count for a generation, and what a
 * set of copies lacks. KC020 and KC025 judge with it and the reports' inventory lists it,
 * so they agree.
 */
import type { CustodyModel, ManifestKey } from '../types';
import { currentHotPath, declarationOf, declared } from './declared';
import { hotFingerprint, proofOf, withProof } from './evidence';

/** One copy as the 3-2-1 tally counts it. */
export interface CountedCopy {
  readonly kind: string;
  readonly medium: string;
  readonly location: string;
  readonly offsite: boolean;
  readonly generation?: number;
  /** Where the copy is declared (a store or the manifest), for messages. */
  readonly declaredAt: string;
  /** Fingerprint of the key it holds, and the day and source of that evidence (see views/evidence.ts). */
  readonly fingerprint?: string;
  readonly date?: string;
  readonly evidence?: 'keygen';
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

/** Where a copy is, for counting each place once (for S3: the bucket). */
export function locationKey(c: Pick<CountedCopy, 'kind' | 'medium' | 'location'>): string {
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
    raw.push({ kind: c.kind, medium: c.medium, location: c.location, offsite: c.offsite, generation: c.generation, declaredAt: c.address, ...proofOf(c) });
  }
  for (const d of index.byId.get(keyId) ?? []) {
    const hot = currentHotPath(d.key);
    const ownHost = opts.generation !== undefined && (d.key.generations ?? []).some((g) => g.generation === opts.generation && g.hostPath);
    if (hot && opts.hotIsThisGeneration && !ownHost) {
      raw.unshift({ kind: 'hot', medium: 'host-file', location: hot, offsite: false, generation: opts.generation, declaredAt: d.manifest.address, ...proofOf({ fingerprint: hotFingerprint(d.key, opts.generation) }) });
    }
    for (const g of d.key.generations ?? []) {
      if (opts.generation !== undefined && g.generation !== opts.generation) continue;
      for (const c of g.copies) {
        raw.push({ kind: c.kind, medium: c.medium, location: c.location, offsite: c.offsite, generation: g.generation, declaredAt: d.manifest.address, ...proofOf(c) });
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
    // Keep the more informative entry: an offsite declaration wins; evidence is kept from either.
    if (!prev || (!isOffsite(prev) && isOffsite(c))) seen.set(k, withProof(c, prev));
    else seen.set(k, withProof(prev, c));
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
