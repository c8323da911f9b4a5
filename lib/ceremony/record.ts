import { readFileSync } from 'node:fs';
import { COPIES_RECORD_KIND, COPIES_RECORD_VERSION, parseCopiesRecord, type CopiesRecord } from '../policy/copies-record';
import { CeremonyError } from './errors';

export { renderCopiesRecord, withCopies, type CopiesRecord, type RecordedCopy } from '../policy/copies-record';

/** The record at `file`, or an empty one when it does not exist; keygen only adds to a record it can read. */
export function readCopiesRecord(file: string): CopiesRecord {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: COPIES_RECORD_KIND, version: COPIES_RECORD_VERSION, copies: [] };
    throw new CeremonyError(`cannot read the copies record ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const r = parseCopiesRecord(text, file);
  if (typeof r === 'string') throw new CeremonyError(`${r}; give another --manifest path`);
  return r;
}
