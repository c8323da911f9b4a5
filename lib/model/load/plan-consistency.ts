/**
 * Fail closed on plans whose parts disagree. The plan front end builds each resource from its
 * `configuration` block, and takes `planned_values` and `resource_changes` only for the
 * instances of those blocks. A resource that is planned or changed but has no configuration
 * block would therefore be skipped without a word, and an edited or spliced plan could pass
 * with 0 findings while Terraform would apply what it lists. Such a plan is refused.
 */
import type { TfResource } from '../types';

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Every resource address of a `values`-shaped module tree (planned_values), iteratively (depth is the input's). */
function valueAddresses(root: unknown): string[] {
  const out: string[] = [];
  const todo: unknown[] = [root];
  while (todo.length > 0) {
    const m = todo.pop();
    if (!isObj(m)) continue;
    for (const r of arr(m.resources)) if (isObj(r) && typeof r.address === 'string') out.push(r.address);
    todo.push(...arr(m.child_modules));
  }
  return out;
}

/** A change that takes the object away: its configuration is gone, as it should be. */
function isRemoval(change: unknown): boolean {
  const actions = isObj(change) ? arr(change.actions) : [];
  return actions.length > 0 && actions.every((a) => a === 'delete' || a === 'forget');
}

/** An address for a message: Terraform's address characters only, else not shown (it could be anything). */
function shown(address: string): string {
  return /^[A-Za-z0-9_.\-[\]"]{1,120}$/.test(address) ? address : '<address not shown>';
}

/**
 * Why the plan cannot be checked (one line: what, which, the fix), or undefined when every planned
 * or changed resource is one of `resources`, the resources read from its configuration.
 */
export function planConsistencyProblem(plan: Json, resources: readonly TfResource[]): string | undefined {
  const made = new Set(resources.map((r) => r.address));
  const stray = new Set<string>();
  for (const a of valueAddresses(isObj(plan.planned_values) ? plan.planned_values.root_module : undefined)) if (!made.has(a)) stray.add(a);
  for (const rc of arr(plan.resource_changes)) {
    if (!isObj(rc) || typeof rc.address !== 'string') continue;
    // A deposed object, or one being destroyed or forgotten, is no longer in the configuration.
    if (rc.deposed !== undefined || isRemoval(rc.change) || made.has(rc.address)) continue;
    stray.add(rc.address);
  }
  if (stray.size > 0) {
    const list = [...stray].sort();
    const names = list.slice(0, 3).map(shown).join(', ');
    return `the plan lists ${list.length} resource(s) that its configuration does not hold (${names}${list.length > 3 ? `, and ${list.length - 3} more` : ''}), so they cannot be checked: the plan JSON was edited, spliced or truncated; run \`terraform show -json plan.out > plan.json\` again and pass its output unchanged`;
  }
  return undefined;
}
