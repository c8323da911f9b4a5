import type { IConstruct } from 'constructs';
import { RETENTION_MARGIN_DAYS } from '../../policy/limits';
import { keyBackupsTooShort } from '../errors';
import type { BackupBucketRole } from './types';

/** Days key backups must outlive the DB backups they decrypt; the same margin KC022 applies. */
export { RETENTION_MARGIN_DAYS };

/** The retention figures the coupling check compares. */
export interface RetentionFacts {
  /** Construct path, for messages. */
  readonly path: string;
  /**
   * DB side: the longest a backup stays restorable (current life plus noncurrent life).
   * Key side: the shortest time a key generation is guaranteed to be kept once superseded.
   */
  readonly days: number;
  /** Key side only: Object Lock days. */
  readonly objectLockDays?: number;
  /** How `days` was computed, for messages. */
  readonly explain: string;
}

/**
 * Refuse key backups that do not outlive the DB backups they decrypt plus the margin
 * (KC022, see RULES.md): both the lifecycle retention and the Object Lock period of the key
 * bucket must reach the DB backups' restorable life plus {@link RETENTION_MARGIN_DAYS}.
 */
export function assertKeyOutlivesDb(key: RetentionFacts, db: RetentionFacts, margin = RETENTION_MARGIN_DAYS): void {
  const need = db.days + margin;
  const problems: string[] = [];
  if (key.days < need) problems.push(`its lifecycle keeps a superseded key generation ${key.days} days (${key.explain})`);
  if (key.objectLockDays !== undefined && key.objectLockDays < need) problems.push(`its Object Lock retention is ${key.objectLockDays} days`);
  if (problems.length === 0) return;
  throw keyBackupsTooShort(key, db, problems, margin, need);
}

interface CouplingEntry {
  readonly key: string;
  readonly role: BackupBucketRole;
  readonly facts: RetentionFacts;
}

/**
 * The backup buckets created so far, per app: KeyBackupBucket and DatabaseBackupBucket live in
 * different stacks (often created in either order), and whichever comes second checks the
 * pair at construct time, before any Terraform is written. The map is module-level but keyed
 * by the construct root (the App) and held weakly, so it is per-app state: two apps in one
 * process never see each other's buckets, and an app's entries go when the app does. (Keeping
 * the list on the tree instead would take a construct of its own under the App.)
 */
const couplingRegistry = new WeakMap<IConstruct, CouplingEntry[]>();

/** Record a bucket's retention figures, and refuse it if it breaks the coupling with a bucket of the other role and the same key. */
export function registerForCoupling(scope: IConstruct, entry: CouplingEntry): void {
  const root = scope.node.root;
  let list = couplingRegistry.get(root);
  if (!list) couplingRegistry.set(root, (list = []));
  for (const other of list) {
    if (other.key !== entry.key || other.role === entry.role) continue;
    if (entry.role === 'key-backup') assertKeyOutlivesDb(entry.facts, other.facts);
    else assertKeyOutlivesDb(other.facts, entry.facts);
  }
  list.push(entry);
}
