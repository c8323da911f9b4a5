import type { CustodyModel, Store } from '../model/types';
import { declaredKeys, knownKeyIds } from '../model/views/declared';
import { addDays, days, formatDate, parseDate } from '../policy/dates';
import { RETENTION_MARGIN_DAYS } from '../policy/limits';
import { manifestViolation } from './helpers';
import { violationAt, type CustodyRule, type RuleViolation } from './rule';

/** What governs a key's DB-backup retention, and for how long. */
interface DbRetention {
  readonly days: number;
  /** `db-backup store aws_s3_bucket.db (stack db) keeps backups 365 days` */
  readonly source: string;
}

function storeLabel(s: Store): string {
  return `${s.address} (stack ${s.stack})`;
}

/**
 * How long a DB backup in this store can still be restored. An object lives
 * `currentExpirationDays` as the current version, then (versioned bucket) another
 * `noncurrentExpirationDays` as a noncurrent version; undefined means forever. Object Lock
 * keeps a version at least its retention days even when lifecycle would delete it. Unknown
 * versioning counts as versioned (the longer, safer assumption for the DB side).
 */
function dbStoreRetention(s: Store): { days: number; detail: string } {
  // An adopted bucket's lifecycle lives in another configuration; its declaration is all we have.
  if (s.adopted && s.declaredRetentionDays !== undefined) return { days: s.declaredRetentionDays, detail: `declared retention of the adopted bucket` };
  const st = s.settings;
  const cur = st.currentExpirationDays ?? Infinity;
  const nc = st.noncurrentExpirationDays ?? Infinity;
  const versioned = st.versioning !== false;
  let life = versioned ? cur + nc : cur;
  let detail: string;
  if (!Number.isFinite(cur)) detail = 'no expiration';
  else if (versioned && !Number.isFinite(nc)) detail = `current versions expire after ${cur} days but noncurrent versions never do`;
  else if (versioned) detail = `${cur} days current + ${nc} days noncurrent`;
  else detail = `current versions expire after ${cur} days`;
  const lock = st.objectLock?.enabled && st.objectLock.days ? st.objectLock.days : 0;
  if (lock > life) {
    life = lock;
    detail = `Object Lock retention ${lock} days`;
  }
  return { days: life, detail };
}

/**
 * How long a key-backup store keeps a key version: the shortest of its expirations. A
 * current object is gone (behind a delete marker) after the current expiration; a version
 * that became noncurrent (re-upload, sync tool, delete) is gone after the noncurrent
 * expiration. Object Lock does not count: S3 does not delete a locked version, but the
 * current expiration still hides it behind a delete marker, and once the lock lapses the
 * noncurrent rule deletes it, so lock days only protect the upload's first N days.
 */
function keyStoreRetention(s: Store): { days: number; detail: string } {
  const cur = s.settings.currentExpirationDays ?? Infinity;
  const nc = s.settings.noncurrentExpirationDays ?? Infinity;
  if (cur <= nc) return { days: cur, detail: Number.isFinite(cur) ? `objects expire after ${cur} days` : 'no expiration' };
  return { days: nc, detail: `noncurrent versions expire after ${nc} days` };
}

function appOf(model: CustodyModel, keyId: string): string | undefined {
  const d = declaredKeys(model).find((x) => x.key.id === keyId);
  if (d) return d.key.app;
  return model.stores.find((s) => s.key === keyId && s.app)?.app;
}

/** Stores of a role that belong to a key: tagged `custody:key`, or only `custody:app` of the key's app. */
function storesOf(model: CustodyModel, keyId: string, app: string | undefined, role: Store['role']): Store[] {
  return model.stores.filter((s) => s.role === role && (s.key === keyId || (s.key === undefined && app !== undefined && s.app === app)));
}

function dbRetentionOf(model: CustodyModel, keyId: string, app: string | undefined): DbRetention | undefined {
  let best: DbRetention | undefined;
  for (const s of storesOf(model, keyId, app, 'db-backup')) {
    const r = dbStoreRetention(s);
    if (!best || r.days > best.days) {
      best = { days: r.days, source: `db-backup store ${storeLabel(s)} keeps backups ${days(r.days)}${Number.isFinite(r.days) ? '' : ` (${r.detail})`}` };
    }
  }
  for (const d of declaredKeys(model)) {
    if (d.key.id !== keyId || d.key.dbRetentionDays === undefined) continue;
    if (!best || d.key.dbRetentionDays > best.days) {
      best = { days: d.key.dbRetentionDays, source: `the manifest declares DB backups of key ${keyId} are kept ${days(d.key.dbRetentionDays)} (dbRetentionDays)` };
    }
  }
  return best;
}

function required(db: DbRetention): number {
  return db.days + RETENTION_MARGIN_DAYS;
}

export const rule: CustodyRule = {
  id: 'KC022',
  title: 'Retention coupling: key backups and previous key generations outlive every DB backup that needs them',
  severity: 'error',
  explanation:
    'A DB backup can only be restored with the key it was encrypted with. Each key-backup store of a key must keep key ' +
    'versions at least as long as the longest-lived DB backup of that key, plus a 30-day margin. DB-backup stores ' +
    'belong to a key by the `custody:key` tag (or `custody:app` when the key tag is absent); their retention is ' +
    'current expiration + noncurrent expiration for versioned buckets (undefined = forever), at least the Object Lock ' +
    'days, and the manifest\'s `dbRetentionDays` when larger; an adopted bucket, whose lifecycle lives in another configuration, counts with the retention the manifest declares for it (forever when none is declared). A key-backup store keeps a version for the SHORTER of its ' +
    'current and noncurrent expirations: a re-uploaded or synced key object turns the previous version noncurrent, and ' +
    'Object Lock days do not count, because the current expiration hides a locked version behind a delete marker and ' +
    'the noncurrent rule deletes it once the lock lapses. Retired generations: rules have no clock, so a retired ' +
    'generation is checked against its own dates: `keepUntil` must be at least `retiredOn` + DB retention + 30 days ' +
    '(DB backups made up to the retirement date need it that long). A retired generation with `keepUntil` but no ' +
    '`retiredOn` cannot be checked and is reported; one without `keepUntil` is kept indefinitely and passes. Keys with ' +
    'no known DB-backup retention are not checked.',
  fix: 'raise (or remove) the key-backup lifecycle expirations to at least the DB-backup retention + 30 days, or shorten the DB-backup retention',
  suppressible: true,
  check(model) {
    const out: RuleViolation[] = [];
    for (const keyId of knownKeyIds(model)) {
      const app = appOf(model, keyId);
      for (const kb of storesOf(model, keyId, app, 'key-backup')) {
        const db = dbRetentionOf(model, keyId, app);
        if (!db) continue;
        const keep = keyStoreRetention(kb);
        const need = required(db);
        if (keep.days >= need) continue;
        const lc = kb.settings.companions.aws_s3_bucket_lifecycle_configuration ?? `aws_s3_bucket_lifecycle_configuration.${kb.resource.name}`;
        const fix = Number.isFinite(need)
          ? `set expiration and noncurrent_version_expiration in ${lc} to at least ${need} days (or remove them), or shorten the DB-backup retention`
          : `remove the expiration rules of ${lc} so key versions are kept, or give the DB backups a finite retention (expiration and noncurrent_version_expiration) at least ${RETENTION_MARGIN_DAYS} days shorter than the key backups'`;
        out.push(
          violationAt(
            kb.resource,
            `keeps key versions ${days(keep.days)} but ${db.source} (+${RETENTION_MARGIN_DAYS} days margin); key-backup lifecycle: ${keep.detail}`,
            fix,
          ),
        );
      }

      for (const { key, manifest } of declaredKeys(model)) {
        if (key.id !== keyId) continue;
        const db = dbRetentionOf(model, keyId, app);
        if (!db) continue;
        for (const g of key.generations ?? []) {
          if (g.state !== 'retired' || g.keepUntil === undefined) continue;
          const keepUntil = parseDate(g.keepUntil);
          const retiredOnRaw = g.retiredOn;
          const retiredOn = parseDate(retiredOnRaw);
          const subject = `key ${key.id} generation ${g.generation} (retired)`;
          if (keepUntil === undefined) {
            out.push(manifestViolation(model, manifest, `${subject} has keepUntil "${g.keepUntil}", which is not a YYYY-MM-DD date`, `write keepUntil as YYYY-MM-DD`));
            continue;
          }
          if (!Number.isFinite(db.days)) {
            out.push(
              manifestViolation(
                model,
                manifest,
                `${subject} is kept until ${g.keepUntil} but ${db.source} (+${RETENTION_MARGIN_DAYS} days margin): backups encrypted with it outlive it`,
                `remove keepUntil from generation ${g.generation} (keep it indefinitely), or give the DB backups a finite retention`,
              ),
            );
            continue;
          }
          if (retiredOn === undefined) {
            out.push(
              manifestViolation(
                model,
                manifest,
                `${subject} is kept until ${g.keepUntil}, which cannot be checked against DB retention ${days(db.days)} (+${RETENTION_MARGIN_DAYS} days margin): ${retiredOnRaw === undefined ? 'it declares no retiredOn date' : `retiredOn "${retiredOnRaw}" is not a YYYY-MM-DD date`}`,
                `add retiredOn: "YYYY-MM-DD" (the day the generation stopped encrypting new data) to generation ${g.generation}; keepUntil must be at least retiredOn + ${required(db)} days`,
              ),
            );
            continue;
          }
          const earliest = addDays(retiredOn, required(db));
          if (keepUntil >= earliest) continue;
          out.push(
            manifestViolation(
              model,
              manifest,
              `${subject} is kept until ${g.keepUntil}, but it was retired on ${retiredOnRaw} and ${db.source} (+${RETENTION_MARGIN_DAYS} days margin): it must be kept until at least ${formatDate(earliest)}`,
              `set keepUntil of generation ${g.generation} to ${formatDate(earliest)} or later`,
            ),
          );
        }
      }
    }
    return out;
  },
};
