// The copies record: what `keygen` wrote, where, when, for which key generation, and the
// fingerprint of what it wrote. It holds no key material. `keygen` writes it (lib/ceremony)
// and `MasterKey` reads it (`copiesRecord`) into the custody manifest, so that the 3-2-1
// check counts these copies with their evidence: one format, defined here.

export const COPIES_RECORD_KIND = 'cdktf-key-custody/copies';
export const COPIES_RECORD_VERSION = 1;

/** One copy `keygen` made. */
export interface RecordedCopy {
  /** The key id (`custody:key`). */
  readonly key: string;
  readonly app: string;
  readonly generation: number;
  /** `hot`, `cold`, `offsite` or `paper`. */
  readonly kind: 'hot' | 'cold' | 'offsite' | 'paper';
  /** `host-file`, `secrets-manager`, `ssm`, `disk`, `nas`, `s3`, `paper`. */
  readonly medium: string;
  /** Path, `s3://bucket/key`, ARN or parameter name. */
  readonly location: string;
  readonly offsite: boolean;
  /** `kcfp1:...` of the key the copy holds. */
  readonly fingerprint: string;
  /** Day it was written, `YYYY-MM-DD`. */
  readonly date: string;
  /** `age` for age-encrypted copies, `plain` otherwise. */
  readonly encryption: 'age' | 'plain';
  /** Recipients of an age-encrypted copy (public keys). */
  readonly recipients?: readonly string[];
}

export interface CopiesRecord {
  readonly kind: typeof COPIES_RECORD_KIND;
  readonly version: number;
  readonly copies: readonly RecordedCopy[];
}

/** The record's text parsed, or a one-line reason it is not a copies record. */
export function parseCopiesRecord(text: string, file: string): CopiesRecord | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return `the copies record ${file} is not JSON; fix or move it`;
  }
  const o = data as Partial<CopiesRecord> | null;
  if (!o || typeof o !== 'object' || o.kind !== COPIES_RECORD_KIND || !Array.isArray(o.copies)) {
    return `${file} is not a copies record (kind "${COPIES_RECORD_KIND}", written by \`key-custody keygen --manifest\`)`;
  }
  const copies = o.copies.filter(
    (c): c is RecordedCopy =>
      !!c && typeof c === 'object' && typeof c.key === 'string' && Number.isInteger(c.generation) && typeof c.kind === 'string' && typeof c.medium === 'string' && typeof c.location === 'string',
  );
  return { kind: COPIES_RECORD_KIND, version: COPIES_RECORD_VERSION, copies };
}

/** The record with `added`; an older entry for the same key, generation and location is replaced. */
export function withCopies(record: CopiesRecord, added: readonly RecordedCopy[]): CopiesRecord {
  const id = (c: RecordedCopy) => `${c.key}\u0000${c.generation}\u0000${c.medium}\u0000${c.location}`;
  const replaced = new Set(added.map(id));
  return { ...record, copies: [...record.copies.filter((c) => !replaced.has(id(c))), ...added] };
}

export function renderCopiesRecord(record: CopiesRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}
