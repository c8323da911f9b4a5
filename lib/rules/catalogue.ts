import { ALL_RULES } from './index';
import type { CustodyRule } from './rule';

/** A rule of the catalogue by id. */
export function ruleById(id: string): CustodyRule | undefined {
  return ALL_RULES.find((r) => r.id === id);
}
