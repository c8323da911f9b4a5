import { TerraformProvider, TerraformStack, TerraformVariable, Token } from 'cdktf';
import type { Construct } from 'constructs';
import type { AdoptedBackupBucket } from '../buckets/adopted-backup-bucket';
import type { CustodyBucket } from '../buckets/custody-bucket';
import { slug } from '../buckets/names';
import { isProviderOf } from '../../synth/identity';

/** The bucket name and region a restore job is given. */
export interface DrillBucketEnv {
  readonly name: string;
  /** Undefined: the job's AWS profile (in its credential folder) names the region. */
  readonly region?: string;
}

const literal = (v: unknown): string | undefined => (typeof v === 'string' && !Token.isUnresolved(v) ? v : undefined);

/** The provider a bucket is managed or read through: its own, else its stack's default aws provider. */
function providerOf(bucket: CustodyBucket | AdoptedBackupBucket): TerraformProvider | undefined {
  const own = bucket.bucket.provider;
  if (own) return own;
  return TerraformStack.of(bucket).node.children.find(
    (c): c is TerraformProvider => isProviderOf(c, 'aws') && !c.alias,
  );
}

/**
 * Name and region of a custody bucket for a restore job in `scope`. Within the bucket's own
 * stack these are references. Across stacks a reference would become a cdktf cross-stack
 * reference, i.e. the drill stack reading the bucket stack's Terraform state, a state read
 * across a custody line (KC015); so the name is the bucket's literal name, or, when the name
 * is generated, a variable of the drill stack that deploy configuration fills in. The region
 * is the literal region of the bucket's provider, or left to the job's AWS profile.
 */
export function drillBucketEnv(scope: Construct, bucket: CustodyBucket | AdoptedBackupBucket, keyId: string): DrillBucketEnv {
  if (TerraformStack.of(scope) === TerraformStack.of(bucket)) return { name: bucket.bucketName, region: bucket.bucket.region };
  const region = literal((providerOf(bucket) as { region?: unknown } | undefined)?.region);
  const name = literal(bucket.bucket.bucketInput);
  if (name !== undefined) return { name, region };
  const id = `${slug(keyId)}_drill_${slug(bucket.role)}_bucket`;
  const variable = new TerraformVariable(scope, `${bucket.role}-bucket-name`, {
    type: 'string',
    description:
      `Name of the ${bucket.role} bucket ${bucket.node.path} (stack ${TerraformStack.of(bucket).node.id}), passed as plain ` +
      'configuration so that this stack never reads that stack\'s Terraform state; give the bucket a literal bucketName to drop this variable',
  });
  variable.overrideLogicalId(id);
  return { name: variable.stringValue, region };
}
