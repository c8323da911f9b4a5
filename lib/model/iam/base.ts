/** The inputs of one access analysis, the unknowns it records, and how it labels resources. */
import { accountOf } from '../accounts';
import type { ModelContext } from '../context';
import type { KmsKey, Store, TfResource, Unknown } from '../types';

export abstract class AnalysisBase {
  protected readonly unknowns: Unknown[] = [];
  /** Accounts the configuration's own providers act in. */
  protected readonly ownAccounts = new Set<string>();
  /** At most one AWS provider leaves its account open, so two equal open identities are one account. */
  protected readonly oneOpenProvider: boolean;

  constructor(
    protected readonly ctx: ModelContext,
    protected readonly stores: Store[],
    protected readonly kmsKeys: KmsKey[],
    protected readonly tagsOf: (r: TfResource) => Record<string, string>,
  ) {
    let open = 0;
    for (const p of ctx.allProviders()) {
      const a = accountOf(p, p.stack);
      if (a.startsWith('acct:')) this.ownAccounts.add(a);
      else if (p.type === 'aws') open++;
    }
    this.oneOpenProvider = open <= 1;
  }

  protected label(r: TfResource, relativeTo?: string): string {
    return this.ctx.multiStack && relativeTo !== undefined && r.stack !== relativeTo ? `${r.address} (stack ${r.stack})` : r.address;
  }

  protected unknown(r: TfResource, what: string): void {
    this.unknowns.push({ stack: r.stack, address: r.address, what });
  }
}
