/**
 * The drill side of the model, indexed once per model for per-key questions: drill and
 * production containers, the app containers of a key, and the schedules and alarms tagged
 * for a key's drills.
 */
import { TAG_KEY, TAG_ROLE } from '../../policy/tags';
import type { Container, CustodyModel, TfResource } from '../types';
import { hotCopiesMountedBy } from './carriers';
import { declarationOf } from './declared';
import { resourcesOfType } from './resources';
import { resourceTags, scheduleTags } from './tags';

export function isDrillContainer(c: Container): boolean {
  return c.labels[TAG_ROLE] === 'drill';
}

/**
 * Items grouped by the key they name, for per-key questions asked once per key (quadratic
 * if each filters every item): `of(keyId)` gives, in the original order, the items naming
 * that key plus those naming none (undefined), which belong to every key.
 */
export class KeyedIndex<T> {
  private readonly byKey = new Map<string | undefined, T[]>();
  private readonly order = new Map<T, number>();

  constructor(items: Iterable<T>, keyOf: (item: T) => string | undefined) {
    let i = 0;
    for (const item of items) {
      this.order.set(item, i++);
      const k = keyOf(item);
      const list = this.byKey.get(k);
      if (list) list.push(item);
      else this.byKey.set(k, [item]);
    }
  }

  /** Items naming `keyId` or no key, in the original order. */
  of(keyId: string): T[] {
    const own = this.byKey.get(keyId) ?? [];
    const anyKey = this.byKey.get(undefined) ?? [];
    if (anyKey.length === 0) return [...own];
    if (own.length === 0) return [...anyKey];
    return [...own, ...anyKey].sort((a, b) => (this.order.get(a) ?? 0) - (this.order.get(b) ?? 0));
  }
}

/** Drill containers of a key (labelled with it, or drill containers labelled with no key). */
export function drillContainers(model: CustodyModel, keyId?: string): Container[] {
  if (keyId === undefined) return model.containers.filter(isDrillContainer);
  let idx = model.views.drillContainers;
  if (!idx) model.views.drillContainers = idx = new KeyedIndex(model.containers.filter(isDrillContainer), (c) => c.labels[TAG_KEY]);
  return idx.of(keyId);
}

/** Every container that is not part of a drill: production, as far as a drill is concerned. */
export function productionContainers(model: CustodyModel): Container[] {
  return model.containers.filter((c) => !isDrillContainer(c));
}

/** The production app containers of a key: labelled with the key, or mounting its hot copy. */
export function appContainers(model: CustodyModel, keyId: string): Container[] {
  let idx = model.views.appContainers;
  if (!idx) {
    idx = new Map();
    for (const c of productionContainers(model)) {
      const keys = new Set<string>();
      const label = c.labels[TAG_KEY];
      if (label !== undefined) keys.add(label);
      // Only the key's first declaration names its hot copy, as declarationOf does.
      for (const h of hotCopiesMountedBy(model, c)) if (declarationOf(model, h.declared.key.id) === h.declared) keys.add(h.declared.key.id);
      for (const k of keys) {
        const list = idx.get(k);
        if (list) list.push(c);
        else idx.set(k, [c]);
      }
    }
    model.views.appContainers = idx;
  }
  return [...(idx.get(keyId) ?? [])];
}

/** Managed resources of one type tagged `custody:role=drill` for a key (indexed once per model and type). */
function drillResourcesOf(model: CustodyModel, type: string, keyId: string, tagsOf: (r: TfResource) => Readonly<Record<string, string>>): TfResource[] {
  const perType = model.views.drillResources;
  let idx = perType.get(type);
  if (!idx) {
    const drills = resourcesOfType(model, type).filter((r) => r.mode === 'managed' && tagsOf(r)[TAG_ROLE] === 'drill');
    perType.set(type, (idx = new KeyedIndex(drills, (r) => tagsOf(r)[TAG_KEY])));
  }
  return idx.of(keyId);
}

/** `aws_scheduler_schedule` resources that run a drill of the key. */
export function drillSchedules(model: CustodyModel, keyId: string): TfResource[] {
  return drillResourcesOf(model, 'aws_scheduler_schedule', keyId, (r) => scheduleTags(model, r));
}

/** `aws_cloudwatch_metric_alarm` resources tagged for drills of the key. */
export function drillAlarms(model: CustodyModel, keyId: string): TfResource[] {
  return drillResourcesOf(model, 'aws_cloudwatch_metric_alarm', keyId, (r) => resourceTags(model, r));
}

