import type { CustodyModel, KmsKey, Store } from '../model/types';
import { violationAt, type CustodyRule, type RuleViolation } from './rule';
import { unproven } from './unproven';

function companion(s: Store, type: string): { name: string; exists: boolean } {
  const existing = s.settings.companions[type];
  return existing ? { name: existing, exists: true } : { name: `${type}.${s.resource.name}`, exists: false };
}

function literalOf(v: unknown): string | undefined {
  return typeof v === 'string' && !v.includes('${') ? v : undefined;
}

/** True when a literal key id / ARN names an AWS-managed key (`alias/aws/s3`). */
function awsManaged(id: string): boolean {
  return /(^|:)alias\/aws\//.test(id);
}

/** The KMS problem of a store, or undefined when it encrypts with a customer-managed key. */
function kmsProblem(model: CustodyModel, s: Store): string | undefined {
  const st = s.settings;
  if (!st.sseKms) return 'is not encrypted with SSE-KMS (no aws:kms default encryption)';
  if (st.kmsKey === undefined) return 'uses SSE-KMS with the AWS-managed key aws/s3 (no kms_master_key_id)';
  const managed: KmsKey | undefined = model.kmsKeys.find((k) => k.id === st.kmsKey);
  if (managed) {
    if (managed.resource.mode === 'data') {
      const keyId = literalOf(managed.resource.values.key_id);
      if (keyId && awsManaged(keyId)) return `uses the AWS-managed key ${keyId} (through ${managed.address})`;
    }
    return undefined;
  }
  if (awsManaged(st.kmsKey)) return `uses the AWS-managed key ${st.kmsKey}`;
  return `uses KMS key ${st.kmsKey}, which is not an aws_kms_key in this configuration, so it cannot be shown to be a customer-managed key with its own key policy`;
}

export const rule: CustodyRule = {
  id: 'KC023',
  title: 'Custody buckets are hardened: public access block, TLS-only, SSE-KMS with a customer key, owner-enforced, DB bucket versioned',
  severity: 'error',
  explanation:
    'DB-backup and key-backup buckets hold the two halves that decrypt everything. Each needs: a public access block ' +
    'with all four settings true; a bucket policy that denies requests without TLS (aws:SecureTransport = false); ' +
    'default encryption SSE-KMS with a customer-managed aws_kms_key of this configuration (not aws/s3, whose key policy ' +
    'lets every principal of the account with S3 access decrypt); ownership controls BucketOwnerEnforced (ACLs off); ' +
    'and, for DB backups, versioning (key backups: KC021). One finding per missing safeguard, naming the companion ' +
    'resource to add or fix. Adopted buckets are checked the same way: companions configured here count.',
  fix: 'use KeyBackupBucket / DatabaseBackupBucket, which add every companion resource',
  suppressible: true,
  check(model) {
    const out: RuleViolation[] = [];
    for (const s of model.stores) {
      if (s.kind !== 's3' || (s.role !== 'db-backup' && s.role !== 'key-backup')) continue;
      const start = out.length;
      const r = s.resource;
      const st = s.settings;
      const what = `${s.adopted ? 'adopted ' : ''}${s.role === 'db-backup' ? 'DB-backup bucket' : 'key-backup bucket'}`;

      if (!st.publicAccessBlock) {
        const c = companion(s, 'aws_s3_bucket_public_access_block');
        out.push(
          violationAt(
            r,
            c.exists ? `${what}: ${c.name} does not set all four public access settings to true` : `${what} has no public access block (${c.name})`,
            `${c.exists ? 'set' : `add ${c.name} with`} block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets = true`,
          ),
        );
      }
      if (!st.tlsOnly && !unproven(model, s.stack, st.companions.aws_s3_bucket_policy)) {
        const c = companion(s, 'aws_s3_bucket_policy');
        out.push(
          violationAt(
            r,
            `${what} does not deny requests without TLS${c.exists ? ` (${c.name} has no aws:SecureTransport deny)` : ` (no bucket policy, ${c.name})`}`,
            `${c.exists ? `add to ${c.name}` : `add ${c.name} with`} a statement { Effect = "Deny", Principal = "*", Action = "s3:*", Resource = [bucket ARN, "<bucket ARN>/*"], Condition = { Bool = { "aws:SecureTransport" = "false" } } }`,
          ),
        );
      }
      const kms = st.kmsKey === undefined && st.sseKms && unproven(model, s.stack, st.companions.aws_s3_bucket_server_side_encryption_configuration) ? undefined : kmsProblem(model, s);
      if (kms) {
        const c = companion(s, 'aws_s3_bucket_server_side_encryption_configuration');
        out.push(
          violationAt(
            r,
            `${what} ${kms}${c.exists ? ` (${c.name})` : ''}`,
            `${c.exists ? `set in ${c.name}` : `add ${c.name} with`} rule { apply_server_side_encryption_by_default { sse_algorithm = "aws:kms", kms_master_key_id = aws_kms_key.${r.name}.arn } } and a dedicated aws_kms_key.${r.name} (enable_key_rotation = true)`,
          ),
        );
      }
      if (!st.ownerEnforced) {
        const c = companion(s, 'aws_s3_bucket_ownership_controls');
        out.push(
          violationAt(
            r,
            `${what} ${c.exists ? `does not enforce bucket ownership (${c.name} is not BucketOwnerEnforced)` : `has no ownership controls (${c.name}): ACLs stay enabled`}`,
            `${c.exists ? `set in ${c.name}` : `add ${c.name} with`} rule { object_ownership = "BucketOwnerEnforced" }`,
          ),
        );
      }
      if (s.role === 'db-backup' && st.versioning !== true) {
        const c = companion(s, 'aws_s3_bucket_versioning');
        out.push(
          violationAt(
            r,
            `${what} is ${st.versioning === undefined ? 'not provably versioned (its versioning status is an expression)' : 'not versioned'}${c.exists ? ` (${c.name})` : ''}: an overwrite or delete destroys a backup`,
            `${c.exists ? `set in ${c.name}` : `add ${c.name} with`} versioning_configuration { status = "Enabled" }`,
          ),
        );
      }
      if (s.adopted) {
        // An adopted bucket may be hardened where it is managed; say how to record that.
        for (let i = start; i < out.length; i++) {
          out[i] = { ...out[i], fix: `${out[i].fix} (the bucket is adopted: if this is enforced where it is managed, suppress with a reason that says where)` };
        }
      }
    }
    return out;
  },
};
