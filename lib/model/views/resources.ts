/** The model's resources by type, indexed once per model. */
import type { CustodyModel, TfResource } from '../types';

/** Managed and data resources of one type (indexed once per model). */
export function resourcesOfType(model: CustodyModel, type: string): readonly TfResource[] {
  let m = model.views.byType;
  if (!m) {
    m = new Map();
    for (const r of model.resources) {
      const l = m.get(r.type);
      if (l) l.push(r);
      else m.set(r.type, [r]);
    }
    model.views.byType = m;
  }
  return m.get(type) ?? [];
}
