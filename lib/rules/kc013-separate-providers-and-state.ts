import type { CustodyModel, Store, TfDocument } from '../model/types';
import { describeAt, sideOf, stateLocation } from './custody-helpers';
import { OTHERS_NAMED, PAIRS_ALONE } from './fold';
import { violationAt, type CustodyRule, type RuleViolation } from './rule';

function docOf(model: CustodyModel, stack: string): TfDocument | undefined {
  return model.documents.find((d) => d.stack === stack);
}

/** Why two stores are managed through the same credentials or state, as phrases. */
function sharedBy(model: CustodyModel, k: Store, d: Store): { reasons: string[]; fixes: string[] } {
  const reasons: string[] = [];
  const fixes: string[] = [];
  if (k.stack === d.stack) {
    reasons.push(`it lives in the same stack ${k.stack}, so one Terraform state (and whoever can apply it) holds both`);
    fixes.push('move the key custody resources and the DB-backup resources into two stacks with their own backends');
  }
  if (k.account === d.account) {
    const sameConfig = k.stack === d.stack && k.resource.provider === d.resource.provider;
    const pk = `provider ${k.resource.provider}${model.multiStack ? ` (stack ${k.stack})` : ''}`;
    const pd = `provider ${d.resource.provider}${model.multiStack ? ` (stack ${d.stack})` : ''}`;
    reasons.push(
      sameConfig
        ? `both are managed through the same provider configuration ${k.resource.provider}`
        : `${pk} and ${pd} resolve to the same account identity "${k.account}"`,
    );
    fixes.push(
      `configure the two providers with different identities: set \`assume_role.role_arn\` (or \`allowed_account_ids\`) of ${k.resource.provider} and ${d.resource.provider} to different roles in different accounts`,
    );
  }
  if (k.stack !== d.stack) {
    const dk = docOf(model, k.stack);
    const dd = docOf(model, d.stack);
    if (dk && dd) {
      const lk = stateLocation(dk);
      const ld = stateLocation(dd);
      if (lk.id !== undefined && lk.id === ld.id) {
        reasons.push(`stacks ${k.stack} and ${d.stack} keep their state in the same place (${lk.shown})`);
        fixes.push(`give stack ${k.stack} its own state location (a different backend bucket and key)`);
      } else if (lk.id === undefined && ld.id === undefined && lk.type === ld.type) {
        reasons.push(`stacks ${k.stack} and ${d.stack} leave their ${lk.type} backend to \`terraform init\` settings, so separate state cannot be proven`);
        fixes.push('write the full backend configuration (bucket and key) into each stack');
      }
    }
  }
  return { reasons, fixes };
}

/** Up to PAIRS_ALONE DB stores per key store, each pair is its own finding; above, one finding per key store. */
export { PAIRS_ALONE };
/** An aggregated finding shows this many groups of DB stores (by what they share) ... */
export const GROUPS_SHOWN = 3;
/** ... and names this many DB stores per group; the rest are counted. */
export const STORES_NAMED = OTHERS_NAMED;

type Shared = { reasons: string[]; fixes: string[] };

/**
 * One finding for a key store managed together with many DB stores: one per pair grows with
 * their product (62,500 warnings at 250 + 250 buckets). The DB stores are grouped by what
 * they share, the first groups shown with a few stores named, and every store counted.
 */
function aggregated(model: CustodyModel, k: Store, hits: readonly { store: Store; found: Shared }[]): RuleViolation {
  const groups = new Map<string, { stores: Store[]; found: Shared }>();
  for (const { store, found } of hits) {
    const key = found.reasons.join('; ');
    const g = groups.get(key);
    if (g) g.stores.push(store);
    else groups.set(key, { stores: [store], found });
  }
  const all = [...groups.values()];
  const shown = all.slice(0, GROUPS_SHOWN);
  const named = (stores: readonly Store[]) => {
    const names = stores.slice(0, STORES_NAMED).map((d) => describeAt(model, d.stack, d.address));
    const left = stores.length - names.length;
    return left > 0 ? `${names.join(', ')} and ${left} more` : names.join(', ');
  };
  const parts = shown.map((g) => `[${named(g.stores)}] ${g.found.reasons.join('; ')}`);
  const hidden = all.slice(GROUPS_SHOWN).reduce((n, g) => n + g.stores.length, 0);
  if (hidden > 0) parts.push(`[and ${hidden} more db-backup ${hidden === 1 ? 'store that shares' : 'stores that share'} a provider identity or state with it in other ways, not listed]`);
  const fixes = [...new Set(shown.flatMap((g) => g.found.fixes))];
  if (hidden > 0) fixes.push('do the same for the DB stores not listed');
  return violationAt(k.resource, `is a ${k.role} store managed together with ${hits.length} db-backup stores: ${parts.join(' ')}`, fixes.join('; '));
}

export const rule: CustodyRule = {
  id: 'KC013',
  title: 'Key custody and DB backups are managed through different provider configurations and state backends',
  severity: 'warning',
  explanation:
    'Separate buckets protect little when one credential manages both: whoever holds the provider credentials or the ' +
    'Terraform state of the key custody can also reconfigure (or delete, or open up) the DB-backup bucket. The seeds ask ' +
    'for "a different rclone remote using a different API key". This rule warns when a key-backup/key-store store and a ' +
    'db-backup store sit in one stack (one state), are managed through provider configurations that resolve to the same ' +
    'account identity (see lib/model/accounts.ts: providers that pin nothing count as one identity), or live in stacks ' +
    'whose backends point at the same state.',
  fix: 'Put key custody and DB backups in separate stacks, each with its own backend and its own provider identity (assume_role into different accounts).',
  suppressible: true,
  check(model) {
    const out: RuleViolation[] = [];
    const keys = model.stores.filter((s) => sideOf(s.role) === 'key');
    const dbs = model.stores.filter((s) => sideOf(s.role) === 'db');
    // What two stores share depends only on their stack, provider and account, so it is worked
    // out once per pair of those groups: every key store against every DB store is quadratic.
    const signature = (s: Store) => `${s.stack}\u0000${s.resource.provider}\u0000${s.account}`;
    const dbGroups = new Map<string, { index: number; store: Store }[]>();
    dbs.forEach((d, index) => {
      const g = dbGroups.get(signature(d));
      if (g) g.push({ index, store: d });
      else dbGroups.set(signature(d), [{ index, store: d }]);
    });
    const shared = new Map<string, { reasons: string[]; fixes: string[] }[]>();
    for (const k of keys) {
      let perGroup = shared.get(signature(k));
      if (!perGroup) shared.set(signature(k), (perGroup = [...dbGroups.values()].map((g) => sharedBy(model, k, g[0].store))));
      const hits = [...dbGroups.values()].flatMap((g, i) => (perGroup[i].reasons.length > 0 ? g.map((d) => ({ ...d, found: perGroup[i] })) : []));
      hits.sort((a, b) => a.index - b.index);
      if (hits.length > PAIRS_ALONE) {
        out.push(aggregated(model, k, hits));
        continue;
      }
      for (const { store: d, found } of hits) {
        const { reasons, fixes } = found;
        out.push(
          violationAt(
            k.resource,
            `is a ${k.role} store managed together with db-backup store ${describeAt(model, d.stack, d.address)}: ${reasons.join('; ')}`,
            [...new Set(fixes)].join('; '),
          ),
        );
      }
    }
    return out;
  },
};
