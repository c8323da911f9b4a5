import { blocks, block } from '../model/load/refs';
import type { CustodyModel, Store, TfResource } from '../model/types';
import { resourceTags } from '../model/views/tags';
import { TAG_ROLE } from '../policy/tags';
import { bucketIdentity, compareIdentities, describeAt, sideOf, storeIdentity, type CustodySide, type StoreIdentity } from './custody-helpers';
import { foldPerSubject, type PairFinding } from './fold';
import { violationAt, type CustodyRule, type RuleViolation } from './rule';

/** Something that puts DB backups or key copies into a bucket: a store, or an object tagged with a role. */
interface Holder {
  readonly side: CustodySide;
  readonly role: string;
  readonly identity: StoreIdentity;
  /** Namespace of names: `s3` (global), or `<kind>:<account>` for secrets and parameters. */
  readonly ns: string;
  readonly resource: TfResource;
  /** The store itself, or undefined for objects placed into a bucket. */
  readonly store?: Store;
}

const ROLE_WORD: Record<CustodySide, string> = { db: 'DB backups', key: 'key copies' };

function label(model: CustodyModel, h: Holder): string {
  return `${h.role} ${h.store ? 'store' : 'object'} ${describeAt(model, h.resource.stack, h.resource.address)}`;
}

/** Does a lifecycle precondition on one side mention the other (its name, expression or address)? */
function guardedByPrecondition(a: Holder, b: Holder): boolean {
  const mentions = (guard: TfResource, other: Holder) => {
    const needles = [other.resource.address];
    if (other.identity.kind === 'exact' && other.identity.value.startsWith('s3:')) needles.push(other.identity.value.slice(3));
    for (const v of [other.resource.values.bucket, other.resource.values.name]) {
      if (typeof v === 'string' && v.includes('${')) needles.push(v.replace(/^\s*\$\{\s*|\s*\}\s*$/g, ''));
    }
    for (const p of blocks(block(guard.values.lifecycle)?.precondition)) {
      const cond = typeof p.condition === 'string' ? p.condition : '';
      if (cond.includes('!=') && needles.some((n) => cond.includes(n))) return true;
    }
    return false;
  };
  return mentions(a.resource, b) || mentions(b.resource, a);
}

function holders(model: CustodyModel): Holder[] {
  const out: Holder[] = [];
  for (const s of model.stores) {
    const side = sideOf(s.role);
    if (side) out.push({ side, role: s.role, identity: storeIdentity(model, s), ns: s.kind === 's3' ? 's3' : `${s.kind}:${s.account}`, resource: s.resource, store: s });
  }
  const storeKeys = new Set(model.stores.map((s) => `${s.stack}/${s.address}`));
  for (const r of model.resources) {
    if (r.mode !== 'managed' || storeKeys.has(`${r.stack}/${r.address}`) || r.values.bucket === undefined) continue;
    const role = resourceTags(model, r)[TAG_ROLE];
    const side = sideOf(role);
    if (!side || !role) continue;
    const identity = bucketIdentity(model, r.stack, r.values.bucket);
    if (identity) out.push({ side, role, identity, ns: 's3', resource: r });
  }
  return out;
}

/** Report at the holder that introduces the sharing: an object, an adopted store, else the key side. */
function subject(a: Holder, b: Holder): [Holder, Holder] {
  const rank = (h: Holder) => (!h.store ? 0 : h.store.adopted ? 1 : h.side === 'key' ? 2 : 3);
  return rank(a) <= rank(b) ? [a, b] : [b, a];
}

export const rule: CustodyRule = {
  id: 'KC010',
  title: 'DB backups and key backups never share a bucket',
  severity: 'error',
  explanation:
    'A master key stored next to the database backups it decrypts turns one leaked bucket (or one over-broad credential) ' +
    'into the loss of every secret in the database, and one deleted bucket into the loss of both. The seeds put DB ' +
    'backups in `offsite:<app>-db` and key copies in `offsite:<app>-key`, "never to the same bucket". This rule resolves ' +
    'every `db-backup` store and every `key-backup`/`key-store` store (and every object tagged with one of those roles) ' +
    'to the bucket it lands in - literal names, ARNs, `${aws_s3_bucket.x.id}` references across stacks, data sources the ' +
    'manifest adopts, replication destinations - and fails when a DB side and a key side may be the same bucket. When a ' +
    'name is only known at plan time (a variable) or only by its `bucket_prefix`, it reports what could not be proven.',
  fix: 'Keep DB backups and key copies in two different buckets (KeyBackupBucket and DatabaseBackupBucket), ideally in different stacks and accounts.',
  suppressible: false,
  check(model) {
    const out: RuleViolation[] = [];
    const list = holders(model);
    const reported = new Set<string>();
    const pairs: PairFinding[] = [];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i];
        const b = list[j];
        // Secrets and parameters are per account and kind; never the same thing as a bucket.
        if (a.side === b.side || a.ns !== b.ns) continue;
        const verdict = compareIdentities(a.identity, b.identity);
        if (verdict === 'different') continue;
        if (verdict === 'maybe' && (a.identity.kind === 'expr' || b.identity.kind === 'expr') && guardedByPrecondition(a, b)) continue;
        const [s, o] = subject(a, b);
        const k = `${s.resource.stack}/${s.resource.address}|${o.resource.stack}/${o.resource.address}`;
        if (reported.has(k)) continue;
        reported.add(k);
        const other = label(model, o);
        let message: string;
        let fix: string;
        if (verdict === 'same') {
          const shared = s.identity.shown === 'a generated name' ? 'the same bucket' : `bucket ${s.identity.shown}`;
          message = s.store
            ? `is a ${s.role} store in ${shared}, which ${other} also uses: ${ROLE_WORD[s.side]} and ${ROLE_WORD[o.side]} share one bucket`
            : `puts ${ROLE_WORD[s.side]} (custody:role=${s.role}) into ${shared}, which is the ${other}: ${ROLE_WORD[s.side]} and ${ROLE_WORD[o.side]} share one bucket`;
          fix = s.store
            ? `give ${s.resource.address} its own bucket (a distinct \`bucket\` name), separate from ${o.resource.address}`
            : `write ${s.resource.address} to the ${s.side === 'key' ? 'key-backup' : 'db-backup'} bucket instead (e.g. \`bucket = "\${${s.side === 'key' ? 'aws_s3_bucket.<key_backup>' : 'aws_s3_bucket.<db_backup>'}.id}"\`), never to ${o.resource.address}`;
        } else {
          const why =
            s.identity.kind === 'expr' || o.identity.kind === 'expr'
              ? `its bucket ${s.identity.shown} and the bucket ${o.identity.shown} of ${other} are only known at plan time`
              : s.identity.kind === 'prefix' && o.identity.kind === 'prefix'
                ? `its bucket ${s.identity.shown} and ${o.identity.shown} of ${other} overlap (one prefix starts the other)`
                : `its bucket ${s.identity.shown} may be the bucket generated from ${o.identity.shown} of ${other}`;
          message = `cannot be proven to use a different bucket than ${other}: ${why}`;
          fix =
            s.identity.kind === 'expr' || o.identity.kind === 'expr'
              ? `use literal bucket names, or add \`lifecycle { precondition { condition = <this bucket> != <the other bucket> } }\` so terraform plan fails when they are equal`
              : `use literal, distinct bucket names, or bucket prefixes where neither is a prefix of the other (e.g. "<app>-key-" and "<app>-db-")`;
        }
        pairs.push({ violation: violationAt(s.resource, message, fix), other });
      }
    }
    // One finding per pair grows with their product (every key bucket against every DB bucket of one prefix).
    out.push(...foldPerSubject(pairs));

    // A resource the manifest adopts with one role while it is tagged with the other.
    for (const m of model.manifests) {
      for (const a of m.adoptedStores) {
        const s = model.stores.find((x) => x.stack === m.stack && x.address === a.address);
        const want = sideOf(a.role);
        const have = s ? sideOf(s.role) : undefined;
        if (!s || !want || !have || want === have) continue;
        out.push(
          violationAt(
            s.resource,
            `is tagged custody:role=${s.role} but the manifest ${m.address} adopts it as ${a.role}: one bucket would hold both ${ROLE_WORD[have]} and ${ROLE_WORD[want]}`,
            `adopt a different bucket for the ${a.role} role, or correct the adoptedStores entry for ${a.address}`,
          ),
        );
      }
    }

    // Replication that copies one side's objects into the other side's bucket.
    const sideOfBucket = (stack: string, value: unknown): Holder | undefined => {
      const id = bucketIdentity(model, stack, value);
      if (!id) return undefined;
      return list.find((h) => h.store && h.ns === 's3' && compareIdentities(h.identity, id) === 'same');
    };
    for (const r of model.resources) {
      if (r.type !== 'aws_s3_bucket_replication_configuration' || r.mode !== 'managed') continue;
      const src = sideOfBucket(r.stack, r.values.bucket);
      if (!src) continue;
      for (const ru of blocks(r.values.rule)) {
        const destBucket = block(ru.destination)?.bucket;
        const dst = sideOfBucket(r.stack, destBucket);
        if (!dst || dst.side === src.side) continue;
        out.push(
          violationAt(
            r,
            `replicates the ${label(model, src)} into the ${label(model, dst)}: ${ROLE_WORD[src.side]} would land in the bucket that holds ${ROLE_WORD[dst.side]}`,
            `replicate ${src.resource.address} only to another ${src.role} bucket`,
          ),
        );
      }
    }
    return out;
  },
};
