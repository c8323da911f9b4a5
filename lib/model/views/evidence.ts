/**
 * Evidence that a copy of a key exists (#20): a 3-2-1 count of copies that were only declared
 * is a count of intentions. A copy has evidence when `key-custody keygen` recorded it when it
 * made it (the copies record `MasterKey.copiesRecord` reads), or when a fingerprint is
 * declared with it; the running hot copy has the key's own fingerprint. A Terraform-managed
 * key-backup bucket is a place, not a copy, until a recorded upload lands in it.
 */
import type { ManifestKey } from '../types';

/** The evidence fields of a copy. */
export interface Proof {
  readonly fingerprint?: string;
  readonly date?: string;
  readonly evidence?: 'keygen';
}

/** Only the evidence fields that are set (so that spreading them adds no `undefined` keys). */
export function proofOf(c: Proof): Proof {
  return {
    ...(c.fingerprint ? { fingerprint: c.fingerprint.toLowerCase() } : {}),
    ...(c.date ? { date: c.date } : {}),
    ...(c.evidence ? { evidence: c.evidence } : {}),
  };
}

/** `keep` with the evidence of `other` where `keep` has none (two entries for one place). */
export function withProof<T extends Proof>(keep: T, other: Proof | undefined): T {
  if (!other) return keep;
  return { ...keep, ...proofOf({ fingerprint: keep.fingerprint ?? other.fingerprint, date: keep.date ?? other.date, evidence: keep.evidence ?? other.evidence }) };
}

/** The fingerprint declared for a key's generation (or the key's own, for its current one). */
export function hotFingerprint(k: ManifestKey, generation: number | undefined): string | undefined {
  const g = generation === undefined ? undefined : k.generations?.find((x) => x.generation === generation);
  return g?.fingerprint ?? k.fingerprint;
}

/** Why a copy does not count as present, or undefined when it has evidence. */
export function missingEvidence(c: Proof & { readonly kind: string; readonly medium: string }, keyFingerprint: string | undefined): string | undefined {
  if (c.fingerprint && keyFingerprint && c.fingerprint.toLowerCase() !== keyFingerprint.toLowerCase()) return "its fingerprint differs from the key's: it holds another key";
  if (c.evidence === 'keygen' || c.fingerprint) return undefined;
  // The hot copy in a cloud store is the one the app runs with: the key's declared fingerprint is its evidence.
  if (c.kind === 'hot' && keyFingerprint) return undefined;
  return c.medium === 's3' ? 'declared, never written: no upload is recorded' : 'declared without evidence: no keygen record, no fingerprint';
}
