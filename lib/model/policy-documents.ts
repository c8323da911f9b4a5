/**
 * How `aws_iam_policy_document` combines documents (hashicorp/aws 5.x, data source docs):
 * 1. the statements of `source_policy_documents` (and the legacy `source_json`), in order;
 * 2. the document's own `statement` blocks: one whose non-empty `sid` is already present
 *    replaces that statement in place, the others are appended;
 * 3. each of `override_policy_documents` (and the legacy `override_json`, before them), in
 *    order, the same way: same sid replaces, other statements are appended.
 *
 * Concatenating everything instead keeps statements Terraform drops: a Deny that an override
 * replaced by an Allow would still be read as a deny, hiding access (under-reporting).
 */
import type { PolicyStatement } from './policy';

/** The parts of one `aws_iam_policy_document`, each already read into statements. */
export interface PolicyDocumentParts<T = PolicyStatement> {
  readonly sources?: readonly (readonly T[])[];
  readonly own?: readonly T[];
  readonly overrides?: readonly (readonly T[])[];
}

/**
 * The statements of the merged document, in Terraform's order. `sidOf` reads the sid of a
 * wrapped statement (the IAM layer's `Stmt` wraps a PolicyStatement as `s`).
 */
export function mergePolicyDocuments<T = PolicyStatement>(parts: PolicyDocumentParts<T>, sidOf: (st: T) => string | undefined = (st) => (st as PolicyStatement).sid): T[] {
  const out: T[] = [];
  // Replace the statement with the same non-empty sid, else append.
  const put = (st: T) => {
    const sid = sidOf(st);
    const i = sid ? out.findIndex((x) => sidOf(x) === sid) : -1;
    if (i >= 0) out[i] = st;
    else out.push(st);
  };
  // Terraform refuses duplicate sids across sources; should one slip through, the later wins.
  for (const doc of parts.sources ?? []) for (const st of doc) put(st);
  for (const st of parts.own ?? []) put(st);
  for (const doc of parts.overrides ?? []) for (const st of doc) put(st);
  return out;
}
