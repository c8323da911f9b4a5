import type { CustodyModel, Grant, Store } from '../model/types';
import { violationAt, type CustodyRule, type RuleViolation } from './rule';
import { unproven } from './unproven';

function principalLabel(model: CustodyModel, id: string, from: string): string {
  const p = model.principalById(id);
  if (!p) return id.replace('\u0000', '/');
  if (p.kind === 'external' || p.kind === 'service') return `${p.kind} principal ${p.name ?? p.address}`;
  return p.stack !== from || model.multiStack ? `${p.address} (stack ${p.stack})` : p.address;
}

function companionName(s: Store, type: string): string {
  return s.settings.companions[type] ?? `${type}.${s.resource.name}`;
}

const WRITE = new Set(['write']);
const DELETE = new Set(['delete', 'admin']);

function settingsViolations(s: Store, policyUnproven = false): RuleViolation[] {
  const out: RuleViolation[] = [];
  const r = s.resource;
  const st = s.settings;
  const versioning = companionName(s, 'aws_s3_bucket_versioning');
  const lock = companionName(s, 'aws_s3_bucket_object_lock_configuration');
  const policy = companionName(s, 'aws_s3_bucket_policy');
  const adopted = s.adopted ? ' (the bucket is adopted: manage its configuration here or suppress with a reason that says where it is enforced)' : '';

  if (st.versioning === undefined) {
    out.push(violationAt(r, `holds key backups but its versioning status could not be read${adopted}`, `set versioning_configuration { status = "Enabled" } literally on ${versioning}`));
  } else if (!st.versioning) {
    out.push(violationAt(r, `holds key backups but is not versioned: an overwrite or delete destroys the only copy${adopted}`, `add ${versioning} with versioning_configuration { status = "Enabled" }`));
  }

  const ol = st.objectLock;
  if (!ol?.enabled) {
    out.push(
      violationAt(
        r,
        `holds key backups without Object Lock${adopted}`,
        `create the bucket with object_lock_enabled = true (this forces a new bucket) and add ${lock} with a default retention (mode COMPLIANCE, days >= the DB-backup retention + 30)`,
      ),
    );
  } else if (!ol.mode || ol.days === undefined || ol.days <= 0) {
    const missing = [!ol.mode ? 'mode' : '', ol.days === undefined || ol.days <= 0 ? 'days' : ''].filter(Boolean).join(' and ');
    out.push(
      violationAt(
        r,
        `has Object Lock enabled but no default retention ${missing}: new key backups are not locked${adopted}`,
        `add rule { default_retention { mode = "COMPLIANCE", days = <DB-backup retention + 30> } } to ${lock}`,
      ),
    );
  }

  if (!st.denyDeleteToWriters && !policyUnproven) {
    out.push(
      violationAt(
        r,
        `has no bucket policy statement denying s3:DeleteObject / s3:DeleteObjectVersion: a writer credential, or a policy added later, can hide or destroy key backups${adopted}`,
        `add a Deny statement for s3:DeleteObject and s3:DeleteObjectVersion on the bucket's objects to ${policy} (for every principal except a break-glass role, if any)`,
      ),
    );
  }
  return out;
}

/** Principals that may both write and delete in the store, with the chains that give each. */
function writersWhoDelete(model: CustodyModel, s: Store): { principal: string; write: Grant; del: Grant }[] {
  const byPrincipal = new Map<string, Grant[]>();
  for (const g of model.grants) {
    // A possible grant (actions unknown) is KC092's: an unknown is never an invented writer.
    if (g.store !== s.id || g.possible) continue;
    const list = byPrincipal.get(g.principal) ?? [];
    list.push(g);
    byPrincipal.set(g.principal, list);
  }
  const out: { principal: string; write: Grant; del: Grant }[] = [];
  for (const [principal, grants] of byPrincipal) {
    const write = grants.find((g) => WRITE.has(g.access));
    const del = grants.find((g) => g.access === 'delete') ?? grants.find((g) => DELETE.has(g.access));
    if (write && del) out.push({ principal, write, del });
  }
  return out.sort((a, b) => a.principal.localeCompare(b.principal));
}

export const rule: CustodyRule = {
  id: 'KC021',
  title: 'Key backups are immutable: versioning, Object Lock with a default retention, deletes denied to writers',
  severity: 'error',
  explanation:
    'The key backup is what survives when the host is lost or compromised; whoever can write it must not be able to ' +
    'destroy it. Every key-backup store must be an S3 bucket with versioning enabled, Object Lock enabled with a ' +
    'default retention (mode and days), and a bucket policy that denies s3:DeleteObject/s3:DeleteObjectVersion ' +
    '(required always, not only when a writer can delete today: Object Lock does not stop a delete marker from hiding ' +
    'the current version, and an IAM policy attached later would not show up in this configuration). No principal ' +
    'with write access may also have delete access (delete, or admin over versioning/lifecycle/Object Lock/policy, ' +
    'which deletes as surely; from the effective grants, with the chain ' +
    'that gives it). Settings that cannot be read (adopted buckets, expressions) are reported, not assumed. A Secrets ' +
    'Manager or SSM key backup cannot be made immutable and is reported.',
  fix: 'use a KeyBackupBucket: versioning Enabled, object_lock_enabled = true with a COMPLIANCE default retention, a bucket policy denying deletes, and a writer role without s3:Delete*',
  suppressible: true,
  check(model) {
    const out: RuleViolation[] = [];
    for (const s of model.stores) {
      if (s.role !== 'key-backup') continue;
      if (s.kind === 's3') {
        out.push(...settingsViolations(s, unproven(model, s.stack, s.settings.companions.aws_s3_bucket_policy)));
      } else {
        out.push(
          violationAt(
            s.resource,
            `holds key backups in ${s.kind === 'secretsmanager' ? 'Secrets Manager' : s.kind === 'ssm' ? 'SSM Parameter Store' : 'a store'}, which offers neither Object Lock nor retained versions: the backup cannot be made immutable`,
            'keep key backups in an S3 bucket with versioning and Object Lock (KeyBackupBucket); use Secrets Manager or SSM only for the hot copy (role key-store)',
          ),
        );
      }
      for (const { principal, write, del } of writersWhoDelete(model, s)) {
        const who = principalLabel(model, principal, s.stack);
        out.push(
          violationAt(
            s.resource,
            `lets ${who} both write key backups (write via ${write.via}) and ${del.access === 'admin' ? 'remove their protection (admin: versioning, lifecycle, Object Lock or bucket policy' : 'delete them (delete'} via ${del.via})`,
            `remove s3:Delete* (and s3:* / admin access) from ${who}'s path (${del.via}); give deletes, if anyone, to a separate break-glass role`,
          ),
        );
      }
    }
    return out;
  },
};
