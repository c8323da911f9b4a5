import type { Access, CustodyModel, Grant, Store } from '../model/types';
import { grantFix } from './grant-origins';
import type { CustodyRule, RuleViolation } from './rule';

/** Access that lets a principal touch a store's contents or its protection (decrypt alone is KC012's). */
const REACH: readonly Access[] = ['read', 'write', 'delete', 'admin'];
const KEY_ROLES: ReadonlySet<string> = new Set(['key-backup', 'key-store']);

interface StoreAccess {
  readonly store: Store;
  /** Access levels in REACH order, each with the first chain that gives it. */
  readonly access: Map<Access, string>;
}

/** Grants of one principal on one side (DB backups or key copies), grouped by store. */
function group(grants: readonly Grant[], model: CustodyModel): StoreAccess[] {
  const byStore = new Map<string, StoreAccess>();
  for (const g of grants) {
    const store = model.storeById(g.store);
    if (!store) continue;
    let sa = byStore.get(g.store);
    if (!sa) byStore.set(g.store, (sa = { store, access: new Map() }));
    if (!sa.access.has(g.access)) sa.access.set(g.access, g.via);
  }
  const rank = (sa: StoreAccess) => Math.min(...[...sa.access.keys()].map((a) => REACH.indexOf(a)));
  return [...byStore.values()].sort((a, b) => rank(a) - rank(b) || a.store.id.localeCompare(b.store.id));
}

/** `read/write key-backup store aws_s3_bucket.keys (stack k) via ...` */
export function describeReach(sa: StoreAccess): string {
  const levels = REACH.filter((a) => sa.access.has(a));
  const via = sa.access.get(levels[0]) as string;
  return `${levels.join('/')} ${sa.store.role} store ${sa.store.address} (stack ${sa.store.stack}) via ${via}`;
}

/** Stores named in an "it also reaches" tail; the rest are counted, so a line stays short at any scale. */
export const MORE_LISTED = 5;

function more(list: readonly StoreAccess[], what: string): string {
  if (list.length <= 1) return '';
  const named = list.slice(1, 1 + MORE_LISTED).map((s) => `${s.store.address} (stack ${s.store.stack})`);
  const left = list.length - 1 - named.length;
  return `; it also reaches ${list.length - 1} more ${what} (${named.join(', ')}${left > 0 ? `, and ${left} more` : ''})`;
}

/** The fix when a bucket, secret or key policy names the principal itself (an exemption, a key administrator). */
function namedFix(principal: string, k: StoreAccess, d: StoreAccess): string {
  return (
    `give the key side and the DB side separate deployer and admin roles: ${principal} may stay named in the policies of ` +
    `${k.store.address} or of ${d.store.address}, not both; take it out of the other side's bucket policy exemption ` +
    `(NotPrincipal or aws:PrincipalArn) and key policy (${k.access.values().next().value} / ${d.access.values().next().value}), ` +
    'and name a role of that side there instead'
  );
}

/**
 * KC011: custody separation of credentials. A principal that can reach a DB backup and a
 * key copy turns two independent secrets into one: whoever holds it holds everything.
 */
export const rule: CustodyRule = {
  id: 'KC011',
  title: 'No principal can reach both a DB-backup store and a key copy',
  severity: 'error',
  suppressible: false,
  explanation:
    'Database backups are worthless without the master key and harmless without it; the key is what keeps a leaked backup ' +
    'unreadable. If one credential can read (or overwrite, delete or re-police) both a DB-backup store and a store that holds ' +
    'a copy of the key, leaking that one credential leaks every secret in the database: "if one key compromises both, you have ' +
    'a 1-2 backup". The check follows inline and attached policies, AWS-managed policies, group membership, role assumption ' +
    '(transitively), wildcard actions and resources, and bucket or secret policies, across stacks and accounts. An ' +
    'identity policy that names the other store (by reference or name, not a wildcard) is reported even while the ' +
    'store\'s bucket policy or the account boundary blocks it today: it is an attempt to cross custody lines, one ' +
    'loosened bucket policy away from a real grant, and each enforcement layer must catch it on its own. A principal whose ' +
    'own policies are not in the configuration (a deployer or admin role named only by its ARN, an adopted role) is ' +
    'reported when both sides single it out: exempt from the deny-all of both bucket policies, or administrator of both ' +
    'KMS keys (it may rewrite the key policy or grant itself the key).',
  fix:
    'Give the DB-backup job and the key-backup job separate principals, each allowed on its own store only; remove the broad ' +
    'policy (or narrow its Resource to one store), and make each bucket policy allow only its designated principals and deny everyone else.',
  check(model: CustodyModel): RuleViolation[] {
    const sides = new Map<string, { db: Grant[]; key: Grant[] }>();
    // Effective grants first, so a store's message names the path that works today; then the
    // grants an identity policy names but the store's side blocks (an attempt to cross).
    // Then what a store's policy or key policy singles out a principal for, beyond its grants.
    const keyAdmin = model.keyUses
      .filter((u) => u.kind === 'admin')
      .map((u): Grant => ({ principal: u.principal, store: u.store, access: 'admin', via: `${u.via} (${u.actions.join(', ')})` }));
    const singledOut = [...model.unseenGrants, ...keyAdmin];
    const named = new Set(singledOut.map((g) => `${g.principal}|${g.store}`));
    for (const g of [...model.grants, ...model.blockedGrants, ...singledOut]) {
      if (!REACH.includes(g.access)) continue;
      const store = model.storeById(g.store);
      if (!store) continue;
      const side = store.role === 'db-backup' ? 'db' : KEY_ROLES.has(store.role) ? 'key' : undefined;
      if (!side) continue;
      let s = sides.get(g.principal);
      if (!s) sides.set(g.principal, (s = { db: [], key: [] }));
      s[side].push(g);
    }
    const out: RuleViolation[] = [];
    for (const [pid, s] of sides) {
      if (!s.db.length || !s.key.length) continue;
      const p = model.principalById(pid);
      if (!p) continue;
      const keys = group(s.key, model);
      const dbs = group(s.db, model);
      const k = keys[0];
      const d = dbs[0];
      const message =
        `can ${describeReach(k)} and ${describeReach(d)}` +
        more(keys, 'key stores') +
        more(dbs, 'DB-backup stores') +
        '; one credential must never reach both a database backup and a copy of its master key';
      const singled = named.has(`${pid}|${k.store.id}`) || named.has(`${pid}|${d.store.id}`);
      const fix = singled
        ? namedFix(p.address, k, d)
        : `give the DB-backup job and the key-backup job separate principals: ${p.address} may keep access to ` +
        `${k.store.address} or to ${d.store.address}, not both; remove or narrow what grants the other ` +
        `(${k.access.values().next().value} / ${d.access.values().next().value}), e.g. scope the policy's Resource to one bucket ` +
        'instead of a wildcard, drop the broad managed policy or group membership, or stop the principal from assuming the role; ' +
        'and let each bucket policy allow only its designated principals';
      const r = model.resource(p.stack, p.address);
      // A grant method of ours made one side's access: the fix names that call, and the finding points at it.
      const made = grantFix(model, p, [...keys, ...dbs].map((x) => x.store));
      out.push({
        stack: p.stack,
        address: p.address,
        message,
        fix: made ? `${made.text}${fix}` : fix,
        location: r?.location,
        ...(made?.origin ? { origin: made.origin } : {}),
        store: `${k.store.stack}/${k.store.address}+${d.store.stack}/${d.store.address}`,
      });
    }
    return out;
  },
};
