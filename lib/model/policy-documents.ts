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
export interface PolicyDocumentParts {
  readonly sources?: readonly (readonly PolicyStatement[])[];
  readonly own?: readonly PolicyStatement[];
  readonly overrides?: readonly (readonly PolicyStatement[])[];
}

/** Replace the statement with the same non-empty sid, else append. */
function put(list: PolicyStatement[], st: PolicyStatement): void {
  const i = st.sid ? list.findIndex((x) => x.sid === st.sid) : -1;
  if (i >= 0) list[i] = st;
  else list.push(st);
}

/** The statements of the merged document, in Terraform's order. */
export function mergePolicyDocuments(parts: PolicyDocumentParts): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  // Terraform refuses duplicate sids across sources; should one slip through, the later wins.
  for (const doc of parts.sources ?? []) for (const st of doc) put(out, st);
  for (const st of parts.own ?? []) put(out, st);
  for (const doc of parts.overrides ?? []) for (const st of doc) put(out, st);
  return out;
}
