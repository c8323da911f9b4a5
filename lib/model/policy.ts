import type { ModelContext } from './context';
import { parseJsonencode } from './load/hcl';
import { blocks, singleRef, strings } from './load/refs';
import { mergePolicyDocuments } from './policy-documents';

/** One IAM policy statement, normalized from JSON policies or `aws_iam_policy_document`. */
export interface PolicyStatement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** `Action` values; empty when the statement uses `NotAction`. */
  readonly actions: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources: readonly string[];
  readonly notResources?: readonly string[];
  /** Principal entries as `{ type: 'AWS' | 'Service' | '*' | ..., ids }`. */
  readonly principals: readonly PolicyPrincipal[];
  readonly notPrincipals?: readonly PolicyPrincipal[];
  readonly conditions: readonly PolicyCondition[];
}

export interface PolicyPrincipal {
  readonly type: string;
  readonly ids: readonly string[];
}

export interface PolicyCondition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

export interface ParsedPolicy {
  readonly statements: PolicyStatement[];
  /** True when the policy could not be read (an HCL function expression, say). */
  readonly unparsed: boolean;
  /** Address of the policy document data source, when the policy came from one. */
  readonly document?: string;
}

function principalsOf(v: unknown): PolicyPrincipal[] {
  if (v === undefined) return [];
  if (v === '*') return [{ type: '*', ids: ['*'] }];
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    return Object.entries(v as Record<string, unknown>).map(([type, ids]) => ({ type, ids: strings(ids) }));
  }
  return [];
}

function conditionsOf(v: unknown): PolicyCondition[] {
  const out: PolicyCondition[] = [];
  if (!v || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [test, vars] of Object.entries(v as Record<string, unknown>)) {
    if (!vars || typeof vars !== 'object') continue;
    for (const [variable, values] of Object.entries(vars as Record<string, unknown>)) {
      out.push({ test, variable, values: Array.isArray(values) ? values.map(String) : [String(values)] });
    }
  }
  return out;
}

/** Statements of a JSON policy document object. */
export function statementsOfJson(doc: unknown): PolicyStatement[] {
  if (!doc || typeof doc !== 'object') return [];
  const raw = (doc as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list
    .filter((s): s is Record<string, unknown> => !!s && typeof s === 'object')
    .map((s) => ({
      sid: typeof s.Sid === 'string' ? s.Sid : undefined,
      effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
      actions: strings(s.Action),
      notActions: s.NotAction !== undefined ? strings(s.NotAction) : undefined,
      resources: strings(s.Resource),
      notResources: s.NotResource !== undefined ? strings(s.NotResource) : undefined,
      principals: principalsOf(s.Principal),
      notPrincipals: s.NotPrincipal !== undefined ? principalsOf(s.NotPrincipal) : undefined,
      conditions: conditionsOf(s.Condition),
    }));
}

/** Statements of an `aws_iam_policy_document` data source's blocks. */
export function statementsOfDocument(values: Record<string, unknown>): PolicyStatement[] {
  return blocks(values.statement).map((s) => ({
    sid: typeof s.sid === 'string' ? s.sid : undefined,
    effect: s.effect === 'Deny' ? 'Deny' : 'Allow',
    actions: strings(s.actions),
    notActions: s.not_actions !== undefined ? strings(s.not_actions) : undefined,
    resources: strings(s.resources),
    notResources: s.not_resources !== undefined ? strings(s.not_resources) : undefined,
    principals: blocks(s.principals).map((p) => ({ type: String(p.type ?? ''), ids: strings(p.identifiers) })),
    notPrincipals: s.not_principals !== undefined ? blocks(s.not_principals).map((p) => ({ type: String(p.type ?? ''), ids: strings(p.identifiers) })) : undefined,
    conditions: blocks(s.condition).map((c) => ({ test: String(c.test ?? ''), variable: String(c.variable ?? ''), values: strings(c.values) })),
  }));
}

/**
 * Read a `policy` attribute: a JSON string (tokens inside string values are kept as
 * they are), an already-parsed object (plan JSON), or a reference to an
 * `aws_iam_policy_document` data source (followed across stacks). Documents that merge
 * others (`source_policy_documents`, `override_policy_documents`) contribute theirs.
 */
export function parsePolicy(ctx: ModelContext, stack: string, value: unknown, depth = 0): ParsedPolicy {
  if (value === undefined || value === null) return { statements: [], unparsed: false };
  if (typeof value === 'object') return { statements: statementsOfJson(value), unparsed: false };
  if (typeof value !== 'string') return { statements: [], unparsed: true };
  const trimmed = value.trim();
  if (trimmed.startsWith('{')) {
    try {
      return { statements: statementsOfJson(JSON.parse(trimmed)), unparsed: false };
    } catch {
      return { statements: [], unparsed: true };
    }
  }
  const single = singleRef(trimmed);
  if (single && single.prefix === '' && single.suffix === '' && depth < 5) {
    const resolved = ctx.resolve(stack, single.ref);
    if (resolved && resolved.resource.type === 'aws_iam_policy_document' && resolved.resource.mode === 'data') {
      const doc = resolved.resource;
      const read = (attrs: readonly string[]) => attrs.flatMap((a) => strings(doc.values[a])).map((src) => parsePolicy(ctx, doc.stack, src, depth + 1).statements);
      const statements = mergePolicyDocuments({
        sources: read(['source_json', 'source_policy_documents']),
        own: statementsOfDocument(doc.values),
        overrides: read(['override_json', 'override_policy_documents']),
      });
      return { statements, unparsed: false, document: doc.address };
    }
    if (resolved && resolved.resource.type === 'aws_iam_policy' && resolved.attr === 'policy') {
      return parsePolicy(ctx, resolved.resource.stack, resolved.resource.values.policy, depth + 1);
    }
  }
  if (single === undefined && trimmed.startsWith('${') && trimmed.endsWith('}')) {
    const doc = parseJsonencode(trimmed.slice(2, -1));
    if (doc && typeof doc === 'object') return { statements: statementsOfJson(doc), unparsed: false };
  }
  // Other HCL we do not evaluate: report it, never guess.
  return { statements: [], unparsed: true };
}
