import { mayBeSameAccount } from '../model/iam/accounts';
import type { CustodyModel, Grant, Store } from '../model/types';
import { foldPerSubject, type PairFinding } from './fold';
import { grantFix } from './grant-origins';
import type { CustodyRule, RuleViolation } from './rule';

const KEY_ROLES: ReadonlySet<string> = new Set(['key-backup', 'key-store']);

/** A KMS key as written in the settings: `stack\0address` for managed keys, else the literal. */
function keyLabel(k: string): string {
  const i = k.indexOf('\u0000');
  return i < 0 ? k : `${k.slice(i + 1)} (stack ${k.slice(0, i)})`;
}

/** Whether two buckets certainly encrypt with the same key. */
function sameKey(a: Store, b: Store): boolean {
  const ka = a.settings?.kmsKey;
  const kb = b.settings?.kmsKey;
  if (ka === undefined || kb === undefined || ka !== kb) return false;
  // A managed key (stack\0address) or a full ARN names one key; an alias or a bare id is per account.
  if (ka.includes('\u0000') || ka.startsWith('arn:')) return true;
  return mayBeSameAccount(a.account, b.account);
}

function storeLabel(s: Store): string {
  return `${s.role} store ${s.address} (stack ${s.stack})`;
}

/**
 * KC012: the DB-backup bucket and the key-backup bucket encrypt with different KMS keys,
 * and no principal can decrypt with both.
 */
export const rule: CustodyRule = {
  id: 'KC012',
  title: 'DB-backup and key-backup buckets use different KMS keys, and no principal can decrypt with both',
  severity: 'error',
  suppressible: true,
  explanation:
    'A bucket policy separates who may fetch objects; the KMS key separates who may read them. When the DB-backup bucket and ' +
    'the key-backup bucket share a KMS key, or one principal may use both keys, the key policy no longer separates custody: ' +
    'anyone who can decrypt one can decrypt the other once they get hold of the objects (a replica, a misrouted copy, an ' +
    'over-broad bucket policy). Each bucket gets its own customer-managed key whose key policy names only its own principals. ' +
    'A key policy statement or KMS grant that lets a principal of the DB side use or administer the key of a key store is ' +
    'reported as well, even when that principal cannot decrypt on its own side: the key-side key serves only its own side.',
  fix:
    'Give each bucket its own customer-managed KMS key (SSE-KMS with kms_master_key_id pointing at it) and let each key policy ' +
    'and KMS grant allow kms:Decrypt, and any other use of the key, only to the principals of its own bucket.',
  check(model: CustodyModel): RuleViolation[] {
    const out: RuleViolation[] = [];
    const dbBuckets = model.stores.filter((s) => s.kind === 's3' && s.role === 'db-backup');
    const keyBuckets = model.stores.filter((s) => s.kind === 's3' && s.role === 'key-backup');
    const pairs: PairFinding[] = [];
    for (const kb of keyBuckets) {
      for (const db of dbBuckets) {
        if (!sameKey(kb, db)) continue;
        const k = keyLabel(kb.settings.kmsKey as string);
        pairs.push({ other: `db-backup bucket ${db.address} (stack ${db.stack})`, violation: {
          stack: kb.stack,
          address: kb.address,
          message: `key-backup bucket ${kb.address} (stack ${kb.stack}) and db-backup bucket ${db.address} (stack ${db.stack}) both encrypt with KMS key ${k}`,
          fix: `create a separate customer-managed KMS key for ${kb.address} and point its SSE-KMS configuration (kms_master_key_id) at it, so that ${k} serves the DB backups only`,
          location: kb.resource.location,
        } });
      }
    }
    // One finding per pair grows with their product (every key bucket against every DB bucket on one key).
    out.push(...foldPerSubject(pairs));

    const sides = new Map<string, { db?: Grant; key?: Grant }>();
    for (const g of model.grants) {
      if (g.access !== 'decrypt') continue;
      const store = model.storeById(g.store);
      if (!store) continue;
      const side = store.role === 'db-backup' ? 'db' : KEY_ROLES.has(store.role) ? 'key' : undefined;
      if (!side) continue;
      let s = sides.get(g.principal);
      if (!s) sides.set(g.principal, (s = {}));
      s[side] ??= g;
    }
    for (const [pid, s] of sides) {
      if (!s.db || !s.key) continue;
      const p = model.principalById(pid);
      const ks = model.storeById(s.key.store);
      const ds = model.storeById(s.db.store);
      if (!p || !ks || !ds) continue;
      const keyOf = (st: Store) => (st.settings?.kmsKey ? ` (key ${keyLabel(st.settings.kmsKey)})` : '');
      const made = grantFix(model, p, [ks, ds]);
      out.push({
        stack: p.stack,
        address: p.address,
        // The finding's address is the principal: the message does not repeat it.
        message: `can decrypt the ${storeLabel(ks)}${keyOf(ks)} via ${s.key.via} and the ${storeLabel(ds)}${keyOf(ds)} via ${s.db.via}`,
        fix:
          (made?.text ?? '') +
          `let ${p.address} use only one of the two keys: remove kms:Decrypt on the other key from its policies (or narrow a ` +
          `Resource "*"), from that key's key policy, and from any KMS grant; give DB-backup and key-backup jobs separate principals`,
        location: model.resource(p.stack, p.address)?.location,
        ...(made?.origin ? { origin: made.origin } : {}),
        store: `${ks.stack}/${ks.address}+${ds.stack}/${ds.address}`,
      });
    }
    out.push(...keySideUses(model, new Set(out.map((v) => v.address))));
    return out;
  },
};

/** Why a principal belongs to the DB side: the first of its access to a DB-backup store, its use of that store's key, its tag. */
function dbSide(model: CustodyModel): Map<string, string> {
  const why = new Map<string, string>();
  const isDb = (store: string) => model.storeById(store)?.role === 'db-backup';
  for (const g of [...model.grants, ...model.blockedGrants, ...model.unseenGrants]) {
    const st = model.storeById(g.store);
    if (st && isDb(g.store) && !why.has(g.principal)) why.set(g.principal, `can ${g.access} the ${storeLabel(st)} via ${g.via}`);
  }
  for (const u of model.keyUses) {
    const st = model.storeById(u.store);
    if (st && isDb(u.store) && !why.has(u.principal)) why.set(u.principal, `may use ${u.key} of the ${storeLabel(st)} via ${u.via}`);
  }
  for (const p of model.principals) if (p.role === 'db-backup' && !why.has(p.id)) why.set(p.id, 'is tagged custody:role=db-backup');
  return why;
}

/**
 * A key policy statement or KMS grant that lets a DB-side principal use (or administer) the
 * key of a key-side store: the key then serves principals of both sides, whatever they can
 * decrypt today. A key that also encrypts a DB-backup store is the shared-key finding instead.
 */
function keySideUses(model: CustodyModel, reported: ReadonlySet<string>): RuleViolation[] {
  const why = dbSide(model);
  const out: RuleViolation[] = [];
  const done = new Set<string>(reported);
  const onDbStore = new Set(model.keyUses.filter((u) => model.storeById(u.store)?.role === 'db-backup').map((u) => `${u.principal}|${u.key}`));
  for (const u of model.keyUses) {
    const ks = model.storeById(u.store);
    const p = model.principalById(u.principal);
    const side = why.get(u.principal);
    if (!ks || !p || !side || !KEY_ROLES.has(ks.role) || done.has(p.address)) continue;
    if (onDbStore.has(`${u.principal}|${u.key}`)) continue;
    done.add(p.address);
    const what = u.kind === 'admin' ? 'administer' : 'use';
    out.push({
      stack: p.stack,
      address: p.address,
      message:
        `${side}, and ${u.via} lets it ${what} the key of the ${storeLabel(ks)} ` +
        `(${u.actions.join(', ')}); a key-side KMS key must serve only the principals of its own store`,
      store: `${ks.stack}/${ks.address}`,
      fix:
        `remove ${p.address} from ${u.via}: only the key side's own principals may use ${u.key}; a DB-side job that needs a ` +
        'KMS key uses the DB-backup store\'s own key, and a job that needs both sides is two jobs with separate principals',
      location: model.resource(p.stack, p.address)?.location,
    });
  }
  return out;
}
