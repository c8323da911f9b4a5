import { describeTally, listCopies, missing321, tally, type CountedCopy } from '../model/views/copies';
import { declarationOf } from '../model/views/declared';
import { hotFingerprint, missingEvidence } from '../model/views/evidence';
import type { CustodyModel } from '../model/types';
import { manifestViolation } from './helpers';
import type { RuleViolation } from './rule';

/**
 * KC020's second look (#20): the declared copies hold 3-2-1, but do those with evidence? A
 * warning when they do not, naming each copy without evidence and why.
 */
export function evidenceWarnings(model: CustodyModel, keyId: string, generation: number | undefined, copies: readonly CountedCopy[]): RuleViolation[] {
  const decl = declarationOf(model, keyId);
  const keyFp = decl ? hotFingerprint(decl.key, generation) : undefined;
  const gaps = copies.map((c) => ({ c, why: missingEvidence(c, keyFp) }));
  const proven = gaps.filter((g) => g.why === undefined).map((g) => g.c);
  const missing = missing321(tally(proven));
  if (missing.length === 0) return [];
  const gen = generation !== undefined ? ` (generation ${generation})` : '';
  const unproven = gaps.filter((g) => g.why !== undefined).map((g) => `${listCopies([g.c])}: ${g.why}`);
  const message =
    `key ${keyId}${gen} holds 3-2-1 only as declared: with evidence it has ${describeTally(tally(proven))} [${listCopies(proven)}], ` +
    `and 3-2-1 needs ${missing.join(', ')}; without evidence: ${unproven.join('; ')}`;
  const fix =
    `make the copies with \`key-custody keygen --app <app> --key-id ${keyId} ... --manifest custody-copies.json\` and set copiesRecord: "custody-copies.json" on the MasterKey, ` +
    'or declare with each copy the fingerprint it holds (checked with `key-custody verify-key <file> --fingerprint <kcfp1...>`)';
  if (decl) return [{ ...manifestViolation(model, decl.manifest, message, fix), severity: 'warning' }];
  const store = model.stores.find((s) => s.key === keyId);
  return store ? [{ stack: store.stack, address: store.address, message, fix, location: store.resource.location, severity: 'warning' }] : [];
}
