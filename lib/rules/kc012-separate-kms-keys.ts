import { mayBeSameAccount } from '../model/iam/accounts';
import type { CustodyModel, Grant, Principal, Store } from '../model/types';
import { foldPerSubject, type PairFinding } from './fold';
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

function principalLabel(p: Principal): string {
  return p.kind === 'external' ? `external principal ${p.address}` : p.address;
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
    'over-broad bucket policy). Each bucket gets its own customer-managed key whose key policy names only its own principals.',
  fix:
    'Give each bucket its own customer-managed KMS key (SSE-KMS with kms_master_key_id pointing at it) and let each key policy ' +
    'and KMS grant allow kms:Decrypt only to the principals of its own bucket.',
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
      out.push({
        stack: p.stack,
        address: p.address,
        message:
          `${principalLabel(p)} (stack ${p.stack}) can decrypt the ${storeLabel(ks)}${keyOf(ks)} via ${s.key.via} ` +
          `and the ${storeLabel(ds)}${keyOf(ds)} via ${s.db.via}`,
        fix:
          `let ${p.address} use only one of the two keys: remove kms:Decrypt on the other key from its policies (or narrow a ` +
          `Resource "*"), from that key's key policy, and from any KMS grant; give DB-backup and key-backup jobs separate principals`,
        location: model.resource(p.stack, p.address)?.location,
      });
    }
    return out;
  },
};
