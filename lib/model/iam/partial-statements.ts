/**
 * Policy documents that are known only in part: a `Statement` list with an element that is an
 * expression (`[{...}, local.extra]`, as `jsonencode` reads when the source holds a value the
 * plan cannot prove), or a `Statement` that is one expression (`concat(...)`). The literal
 * statements are read as they are; an unknown one is never silently dropped, and never makes
 * its literal siblings unknown. It becomes an Allow of unknown actions on the resources it
 * references (a possible grant: reach between custody sides counts it, write and delete rules
 * leave it to KC092), and the policy is recorded as not fully read.
 */
import type { PolicyStatement } from '../policy';
import { UNKNOWN_ACTION } from '../load/refs';

/** Resource references inside an expression, the attributes that name a store or a key. */
const RESOURCE_REF = /(?<![\w.$-])((?:module\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?\.)*(?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]*\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?\.(?:arn|id|bucket|name|key_id))\b/g;

/** The statement elements of a policy document that are expressions (`${…}` strings). */
export function unknownStatementParts(doc: unknown): string[] {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return [];
  const raw = (doc as { Statement?: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((s): s is string => typeof s === 'string' && s.includes('${'));
}

/**
 * What an unknown statement may grant: unknown actions on each resource it references (an
 * ARN reference also on its objects), or nothing when it references none (it stays a KC092).
 */
export function unknownStatement(text: string): PolicyStatement | undefined {
  const resources = new Set<string>();
  for (const m of text.matchAll(RESOURCE_REF)) {
    resources.add('${' + m[1] + '}');
    if (m[1].endsWith('.arn')) resources.add('${' + m[1] + '}/*');
  }
  if (resources.size === 0) return undefined;
  return { effect: 'Allow', actions: [UNKNOWN_ACTION], resources: [...resources], principals: [], conditions: [] };
}

/** The problem text for the unknown statement parts of a document. */
export function unknownPartsProblem(parts: readonly string[]): string {
  const shown = parts.map((p) => (p.length > 60 ? `${p.slice(0, 57)}...` : p)).join(', ');
  return `the policy statement${parts.length === 1 ? '' : 's'} ${shown} ${parts.length === 1 ? 'is an expression' : 'are expressions'} that ${parts.length === 1 ? 'is' : 'are'} not evaluated; read as unknown actions on what ${parts.length === 1 ? 'it references' : 'they reference'}, next to the literal statements`;
}
