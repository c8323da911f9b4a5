import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { IConstruct } from 'constructs';
import type { ManifestCopy } from '../../model/types';
import { parseCopiesRecord } from '../../policy/copies-record';
import { constructError } from '../validation';

/**
 * The copies `key-custody keygen` recorded for one key, by generation, as manifest copies
 * with their evidence (fingerprint, date, `evidence: "keygen"`). The record is read at synth
 * time from `file` (relative to the working directory of the synth); it holds no key
 * material, so it is committed next to the stack's code.
 */
export function recordedCopies(scope: IConstruct, keyId: string, file: string): ManifestCopy[] {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw constructError(
      scope,
      'MasterKey',
      `copiesRecord ${path}: ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(e)})`}.\nfix: run \`key-custody keygen ... --manifest ${file}\` and commit the record, or leave copiesRecord out`,
    );
  }
  const r = parseCopiesRecord(text, path);
  if (typeof r === 'string') throw constructError(scope, 'MasterKey', `copiesRecord: ${r}.\nfix: give the file \`key-custody keygen --manifest\` wrote`);
  return r.copies
    .filter((c) => c.key === keyId)
    .map((c) => ({
      kind: c.kind,
      medium: c.medium,
      location: c.location,
      offsite: c.offsite === true,
      generation: c.generation,
      fingerprint: typeof c.fingerprint === 'string' ? c.fingerprint.toLowerCase() : undefined,
      date: typeof c.date === 'string' ? c.date : undefined,
      evidence: 'keygen',
    }));
}

/**
 * `declared` with the recorded copies merged in: a recorded copy at the same medium and
 * location as a declared one (the host file, above all) gives it its evidence instead of
 * counting twice.
 */
export function mergeRecorded(declared: readonly ManifestCopy[], recorded: readonly ManifestCopy[]): ManifestCopy[] {
  const at = (c: ManifestCopy) => `${c.medium}\u0000${c.location}`;
  const byPlace = new Map(recorded.map((c) => [at(c), c]));
  const out = declared.map((c) => {
    const r = byPlace.get(at(c));
    if (!r) return c;
    byPlace.delete(at(c));
    return { ...c, fingerprint: c.fingerprint ?? r.fingerprint, date: c.date ?? r.date, evidence: r.evidence };
  });
  return [...out, ...byPlace.values()];
}
