/** The hubs of a wildcard AssumeRole mesh: per account, the open roles every principal of it may assume alike. */
import { mayBeSameAccount } from './accounts';
import type { RoleGraph } from './role-graph';
import type { PrincipalRec, Stmt, Target } from './types';

/** A role whose trust is open to an account (or anyone): one Allow statement of it. */
export interface OpenTrust {
  readonly role: PrincipalRec;
  readonly target: Target;
  /** Account identities the statement trusts. */
  readonly accounts: readonly string[];
  /** Whether it trusts anyone. */
  readonly any: boolean;
  readonly stmt: Stmt;
}

/**
 * Splits the open trusts into the uniform ones (no principal conditions, no trust denies: who
 * gets in depends only on the account) and the others, and builds one hub per account of the
 * uniform ones, lazily, in the order the trusts were read.
 */
export class OpenHubs<T extends OpenTrust> {
  /** Open trusts that admit every principal of a trusted account alike. */
  readonly uniform: T[];
  /** Open trusts that must be weighed principal by principal. */
  readonly other: T[];
  private readonly byAccount = new Map<string, number | undefined>();

  constructor(
    private readonly graph: RoleGraph,
    open: readonly T[],
    isUniform: (o: T) => boolean,
  ) {
    const uniform: T[] = [];
    const other: T[] = [];
    for (const o of open) (isUniform(o) ? uniform : other).push(o);
    this.uniform = uniform;
    this.other = other;
  }

  /** Links `from` (of `account`) to the hub of the uniform open roles that trust that account. */
  link(from: string, account: string, via: string): void {
    let hub = this.byAccount.get(account);
    if (!this.byAccount.has(account)) {
      const targets = new Map<string, string>();
      for (const o of this.uniform) {
        if (targets.has(o.role.p.id)) continue;
        if (o.any || o.accounts.some((a) => a === '*' || mayBeSameAccount(a, account))) targets.set(o.role.p.id, o.role.p.address);
      }
      hub = targets.size ? this.graph.addHub([...targets.keys()], (t, v) => `assumes ${targets.get(t)} (${v})`) : undefined;
      this.byAccount.set(account, hub);
    }
    if (hub !== undefined) this.graph.link(from, hub, via);
  }
}
