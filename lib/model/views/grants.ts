/** The effective grants of each principal, indexed once per model. */
import type { CustodyModel, Grant } from '../types';

/** The grants of one principal, in model order (indexed once per model). */
export function grantsOf(model: CustodyModel, principalId: string): readonly Grant[] {
  let byPrincipal = model.views.grantsByPrincipal;
  if (!byPrincipal) {
    byPrincipal = new Map();
    for (const g of model.grants) {
      const list = byPrincipal.get(g.principal);
      if (list) list.push(g);
      else byPrincipal.set(g.principal, [g]);
    }
    model.views.grantsByPrincipal = byPrincipal;
  }
  return byPrincipal.get(principalId) ?? [];
}
