/** Folding one subject's findings about many others into one, so that output grows with the subjects, not with their pairs. */
import type { RuleViolation } from './rule';

/** Up to this many findings per subject stay as they are; above, they fold into one. */
export const PAIRS_ALONE = 5;
/** Others named in a folded finding; the rest are counted. */
export const OTHERS_NAMED = 5;

/** One finding about a subject and one other thing (named in `other`). */
export interface PairFinding {
  readonly violation: RuleViolation;
  readonly other: string;
}

/**
 * The findings in their order, except that a subject (stack and address) with more than
 * PAIRS_ALONE of them keeps only its first, at its place, extended by how many more others
 * the same holds for, OTHERS_NAMED of them named. The fix stays the first one's: it is about
 * the subject, which the others share.
 */
export function foldPerSubject(pairs: readonly PairFinding[]): RuleViolation[] {
  const bySubject = new Map<string, PairFinding[]>();
  for (const p of pairs) {
    const k = `${p.violation.stack}\u0000${p.violation.address}`;
    const l = bySubject.get(k);
    if (l) l.push(p);
    else bySubject.set(k, [p]);
  }
  const out: RuleViolation[] = [];
  for (const p of pairs) {
    const all = bySubject.get(`${p.violation.stack}\u0000${p.violation.address}`) as PairFinding[];
    if (all.length <= PAIRS_ALONE) {
      out.push(p.violation);
      continue;
    }
    if (all[0] !== p) continue;
    const rest = all.slice(1);
    const named = rest.slice(0, OTHERS_NAMED).map((x) => x.other);
    const left = rest.length - named.length;
    out.push({ ...p.violation, message: `${p.violation.message}; the same holds for ${rest.length} more: ${named.join(', ')}${left > 0 ? ` and ${left} more` : ''}` });
  }
  return out;
}
