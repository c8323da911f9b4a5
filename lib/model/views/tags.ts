/**
 * Tags (AWS) and labels (docker) of a resource, merged in one place: the model builder
 * reads them to find stores, containers and principals, and the rules read them through
 * {@link resourceTags}, kept once per resource (resources belong to one model and never change).
 */
import { block, blocks, literal } from '../load/refs';
import type { CustodyModel, TfResource } from '../types';
import { dataObject } from '../load/json';

/**
 * Tags of a resource with the `default_tags` of its provider configuration under them:
 * `tags_all`, `tags` and `labels` maps, then docker's `labels` blocks (`{ label, value }`).
 * Values that are not strings are left out. A new object on every call.
 */
export function mergeTags(provider: { readonly values: Record<string, unknown> } | undefined, r: TfResource): Record<string, string> {
  const out: Record<string, string> = dataObject();
  const merge = (src: unknown) => {
    if (src && typeof src === 'object' && !Array.isArray(src)) {
      for (const [k, v] of Object.entries(src as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
    }
  };
  merge(block(provider?.values.default_tags)?.tags);
  merge(r.values.tags_all);
  merge(r.values.tags);
  merge(r.values.labels);
  for (const l of blocks(r.values.labels)) {
    if (typeof l.label === 'string' && typeof l.value === 'string') out[l.label] = l.value;
  }
  return out;
}

/** Tags (AWS) or labels (docker) of any resource, with the provider's `default_tags` under them. */
export function resourceTags(model: CustodyModel, r: TfResource): Readonly<Record<string, string>> {
  const known = model.views.tags.get(r);
  if (known) return known;
  const provider = model.providers.find((p) => p.stack === r.stack && p.key === r.provider);
  const out = mergeTags(provider, r);
  model.views.tags.set(r, out);
  return out;
}

/** Tags of a drill schedule: its own, its schedule group's, and a JSON `target.input` carrying custody tags. */
export function scheduleTags(model: CustodyModel, r: TfResource): Readonly<Record<string, string>> {
  const known = model.views.scheduleTags.get(r);
  if (known) return known;
  const out: Record<string, string> = dataObject();
  const group = r.values.group_name;
  if (group !== undefined) {
    const ref = model.referencesOf(r.stack, group).find((x) => model.resource(x.stack, x.address)?.type === 'aws_scheduler_schedule_group');
    const lit = literal(group);
    // Without a reference, only a literal name can point at a group (an expression names none we know).
    const g = ref
      ? model.resource(ref.stack, ref.address)
      : lit === undefined
        ? undefined
        : model.resources.find((x) => x.type === 'aws_scheduler_schedule_group' && x.mode === 'managed' && literal(x.values.name) === lit);
    if (g) Object.assign(out, resourceTags(model, g));
  }
  const target = block(r.values.target);
  const input = literal(target?.input);
  if (input) {
    try {
      const parsed: unknown = JSON.parse(input);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) if (k.startsWith('custody:') && typeof v === 'string') out[k] = v;
      }
    } catch {
      // not JSON: no tags from it
    }
  }
  Object.assign(out, resourceTags(model, r));
  model.views.scheduleTags.set(r, out);
  return out;
}
