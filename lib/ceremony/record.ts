import { readFileSync } from 'node:fs';
import { CeremonyError } from './errors';

// The copies record: what `keygen` wrote, where, when, for which key generation, and the
// fingerprint of what it wrote. It holds no key material. `MasterKey` reads it
// (`copiesRecord`) into the custody manifest, so that the 3-2-1 check counts these copies
// with their evidence.

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

/** The record at `file`, or an empty one when it does not exist. */
export function readCopiesRecord(file: string): CopiesRecord {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: COPIES_RECORD_KIND, version: COPIES_RECORD_VERSION, copies: [] };
    throw new CeremonyError(`cannot read the copies record ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CeremonyError(`the copies record ${file} is not JSON; fix or move it (keygen only adds to a record it can read)`);
  }
  const o = data as Partial<CopiesRecord> | null;
  if (!o || o.kind !== COPIES_RECORD_KIND || !Array.isArray(o.copies)) {
    throw new CeremonyError(`${file} is not a copies record (kind "${COPIES_RECORD_KIND}"); give another --manifest path`);
  }
  return { kind: COPIES_RECORD_KIND, version: COPIES_RECORD_VERSION, copies: o.copies };
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
