/**
 * Report facts that are not a store's settings or a principal's grants: what a store's kind
 * provides by itself, which containers run with a key, and when a drill runs next. Computed
 * here (from the model) so that the renderers only render.
 */
import { qualify } from '../model/context';
import { hotCopiesMountedBy, keyCarriers } from '../model/views/carriers';
import type { CustodyModel, ManifestDrill, Store, TfResource } from '../model/types';
import { isTimeZone, nextCronRun } from '../policy/schedule';
import type { ContainerRow, HardeningColumn } from './data';

/** What a store's kind decides about its hardening, beyond the settings the model read. */
export interface KindHardening {
  readonly builtIn: readonly HardeningColumn[];
  readonly notApplicable: readonly HardeningColumn[];
  /** A value the kind's own resources give (a secret policy's `block_public_policy`). */
  readonly publicAccessBlock?: boolean;
}

const NONE: KindHardening = { builtIn: [], notApplicable: [] };

function isTrue(v: unknown): boolean {
  return v === true || v === 'true';
}

const policyIndex = new WeakMap<CustodyModel, Map<string, TfResource[]>>();

/** Secret policies by the secret they name, read once per model (a scan per store is quadratic). */
function secretPolicies(model: CustodyModel): Map<string, TfResource[]> {
  let idx = policyIndex.get(model);
  if (idx) return idx;
  idx = new Map();
  for (const r of model.resources) {
    if (r.type !== 'aws_secretsmanager_secret_policy') continue;
    for (const ref of model.referencesOf(r.stack, r.values.secret_arn)) {
      const k = `${ref.stack}\u0000${ref.address}`;
      const list = idx.get(k);
      if (list) list.push(r);
      else idx.set(k, [r]);
    }
  }
  policyIndex.set(model, idx);
  return idx;
}

/**
 * Secrets Manager and SSM keep every version and answer over TLS only, and have no Object
 * Lock, object ownership or per-writer delete deny: their table cells say so instead of `?`.
 * A secret's public-policy guard is `block_public_policy` on the secret policy that names it;
 * a secret without a resource policy has nothing to make public.
 */
export function kindHardening(model: CustodyModel, s: Store): KindHardening {
  if (s.kind === 'ssm') {
    return { builtIn: ['versioning', 'tlsOnly'], notApplicable: ['objectLock', 'publicAccessBlock', 'ownerEnforced', 'denyDeleteToWriters'] };
  }
  if (s.kind !== 'secretsmanager') return NONE;
  const policies = secretPolicies(model).get(`${s.stack}\u0000${s.address}`) ?? [];
  const base: HardeningColumn[] = ['objectLock', 'ownerEnforced', 'denyDeleteToWriters'];
  if (policies.length === 0) return { builtIn: ['versioning', 'tlsOnly'], notApplicable: [...base, 'publicAccessBlock'] };
  return { builtIn: ['versioning', 'tlsOnly'], notApplicable: base, publicAccessBlock: policies.every((p) => isTrue(p.values.block_public_policy)) };
}

/** Every (container, key) pair where the container runs with the key, as report rows. */
export function containerRows(model: CustodyModel): ContainerRow[] {
  const multi = model.multiStack;
  return keyCarriers(model).map((k): ContainerRow => {
    const c = k.container;
    const hit = hotCopiesMountedBy(model, c).find((h) => h.declared.key.id === k.keyId);
    const m = hit?.mount;
    return {
      ref: qualify(multi, c.stack, c.address),
      stack: c.stack,
      address: c.address,
      kind: c.kind,
      image: c.image ?? null,
      key: k.keyId,
      drill: k.drill,
      mount: m ? `${m.source ?? '(none)'} -> ${m.target}${m.readOnly ? ' (read-only)' : ' (writable)'}` : null,
      reasons: [...k.reasons],
    };
  });
}

/**
 * When a drill runs next. The manifest's `nextRun` stands when the construct was given a
 * `now` (pinned on purpose, for a deterministic manifest and runbook); otherwise it is
 * computed from the drill's cron schedule and time zone by the given clock, so a report says
 * it without `now`. A `rate`/`at` schedule or an unknown zone cannot be computed: null.
 */
export function drillNextRun(d: ManifestDrill, now: Date): string | null {
  if (d.nextRun !== undefined) return d.nextRun;
  const tz = d.timezone ?? 'UTC';
  return (d.schedule && isTimeZone(tz) ? nextCronRun(d.schedule, tz, now) : undefined) ?? null;
}
