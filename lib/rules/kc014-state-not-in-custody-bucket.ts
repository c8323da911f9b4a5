import { block, literal } from '../model/load/refs';
import type { CustodyModel, Store } from '../model/types';
import { bucketIdentity, compareIdentities, describeAt, storeIdentity, type StoreIdentity } from './custody-helpers';
import { violationAt, type CustodyRule, type RuleViolation } from './rule';

/** Custody buckets: S3 stores of any custody role. */
function custodyBuckets(model: CustodyModel): { store: Store; identity: StoreIdentity }[] {
  return model.stores.filter((s) => s.kind === 's3').map((store) => ({ store, identity: storeIdentity(model, store) }));
}

/**
 * The custody buckets a state bucket is, or may be. Literal names and references decide;
 * against a `bucket_prefix` store a literal name that has the generated shape may be it.
 * Stores named only by a variable are not compared (every adopted bucket would match).
 */
function matches(buckets: ReturnType<typeof custodyBuckets>, id: StoreIdentity): { store: Store; verdict: 'same' | 'maybe' }[] {
  const out: { store: Store; verdict: 'same' | 'maybe' }[] = [];
  for (const b of buckets) {
    if (b.identity.kind === 'expr') continue;
    const v = compareIdentities(id, b.identity);
    if (v !== 'different') out.push({ store: b.store, verdict: v });
  }
  return out;
}

const FIX = 'keep Terraform state in a dedicated state bucket that is neither a DB-backup nor a key-backup bucket';

export const rule: CustodyRule = {
  id: 'KC014',
  title: 'Terraform state is not stored in a custody bucket',
  severity: 'error',
  explanation:
    'Terraform state holds every attribute of every resource, often including credentials, and whoever can write the ' +
    'state can rewrite what Terraform believes about the custody buckets. Storing it in a key-backup or DB-backup bucket ' +
    'gives the state readers access to the backups (and the backup writers a way to tamper with the state), and ties the ' +
    'retention and Object Lock of the backups to the churn of state files. Checks every stack backend with a `bucket` ' +
    '(s3, gcs, ...) and every `data.terraform_remote_state` that reads from an s3 bucket.',
  fix: FIX,
  suppressible: true,
  check(model) {
    const out: RuleViolation[] = [];
    const buckets = custodyBuckets(model);
    if (buckets.length === 0) return out;
    const describe = (hits: { store: Store; verdict: 'same' | 'maybe' }[]) =>
      hits
        .map((h) =>
          h.verdict === 'same'
            ? `is the ${h.store.role} bucket ${describeAt(model, h.store.stack, h.store.address)}`
            : `may be the ${h.store.role} bucket ${describeAt(model, h.store.stack, h.store.address)}, whose name is generated from prefix "${h.store.namePrefix ?? '?'}"`,
        )
        .join(' and ');

    for (const doc of model.documents) {
      const b = doc.backend;
      const bucket = literal(b?.config.bucket);
      if (!b || bucket === undefined) continue;
      const hits = matches(buckets, { kind: 'exact', value: `s3:${bucket}`, shown: `"${bucket}"` });
      if (hits.length === 0) continue;
      out.push({
        stack: doc.stack,
        address: 'terraform.backend',
        message: `${b.type} backend stores the state in bucket "${bucket}", which ${describe(hits)}`,
        fix: `${FIX}: change \`terraform.backend.${b.type}.bucket\` to a state bucket of its own`,
      });
    }

    for (const r of model.resources) {
      if (r.type !== 'terraform_remote_state' || r.mode !== 'data') continue;
      if (literal(r.values.backend) !== 's3') continue;
      const config = block(r.values.config) ?? {};
      const value = config.bucket;
      if (value === undefined) continue;
      const id = bucketIdentity(model, r.stack, value);
      if (!id) continue;
      if (id.kind === 'expr') {
        out.push(
          violationAt(
            r,
            `reads Terraform state from bucket ${id.shown}, which is only known at plan time and cannot be proven not to be a custody bucket`,
            `give \`config.bucket\` the literal name of the dedicated state bucket`,
          ),
        );
        continue;
      }
      const hits = matches(buckets, id);
      if (hits.length === 0) continue;
      out.push(
        violationAt(
          r,
          `reads Terraform state from bucket ${id.shown}, which ${describe(hits)}: state would be kept in a custody bucket`,
          `${FIX}, and point \`config.bucket\` at it`,
        ),
      );
    }
    return out;
  },
};
