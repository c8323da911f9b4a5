import { Fn, Op, ref, TerraformStack, Token, type Postcondition, type Precondition, type TerraformProvider } from 'cdktf';
import type { Construct, IConstruct } from 'constructs';
import { distinctAccountFromOtherStack, sameCustodyBucket } from '../errors';
import { bareBucketName } from './names';
import type { BackupBucketRole } from './types';
import { dataAwsCallerIdentity } from '../lazy-providers';

// Plan-time preconditions shared by managed and adopted buckets.

function assertSameStack(scope: IConstruct, construct: string, provider: TerraformProvider): void {
  if (TerraformStack.of(provider) !== TerraformStack.of(scope)) {
    throw distinctAccountFromOtherStack(scope, construct, provider.node.path, TerraformStack.of(scope).node.id);
  }
}

function providerName(p: TerraformProvider | undefined): string {
  return p?.alias ? `provider aws.${p.alias}` : 'the default aws provider';
}

/** Bucket name or ARN, lower-cased and without the ARN prefix, as a Terraform expression. */
function normalizedBucket(v: string): string {
  return Fn.lower(Fn.replace(v, '/^arn:[^:]+:s3:::/', ''));
}

/** The lifecycle conditions a bucket (or adopted data source) gets. */
export interface PlanTimeGuards {
  readonly precondition: Precondition[];
  readonly postcondition: Postcondition[];
}

/** The guards as a `lifecycle` block, or none when there are no guards. */
export function guardLifecycle(g: PlanTimeGuards): { precondition?: Precondition[]; postcondition?: Postcondition[] } | undefined {
  if (g.precondition.length === 0 && g.postcondition.length === 0) return undefined;
  return { precondition: g.precondition.length ? g.precondition : undefined, postcondition: g.postcondition.length ? g.postcondition : undefined };
}

/**
 * The plan-time layer of custody separation, as lifecycle conditions of the bucket (or
 * adopted data source) itself, where KC010 looks for them: the other custody role must not
 * resolve to the same bucket, and (opt-in) the two providers must not resolve to the same
 * AWS account. `selfName` is the configured name; without one (a generated name) the
 * comparison runs as a postcondition on the name AWS chose.
 */
export function planTimeGuards(
  scope: Construct,
  construct: string,
  role: BackupBucketRole,
  selfName: string | undefined,
  provider: TerraformProvider | undefined,
  other: string | undefined,
  distinctAccountFrom: TerraformProvider | undefined,
): PlanTimeGuards {
  const otherRole = role === 'db-backup' ? 'key-backup' : 'db-backup';
  const precondition: Precondition[] = [];
  const postcondition: Postcondition[] = [];
  if (other !== undefined) {
    if (selfName !== undefined && !Token.isUnresolved(other) && !Token.isUnresolved(selfName) && bareBucketName(other) === bareBucketName(selfName)) {
      throw sameCustodyBucket(scope, construct, role, selfName, otherRole, other);
    }
  }
  // Two literal names were compared above; Terraform refuses a condition on constants alone.
  const bothLiteral = other !== undefined && selfName !== undefined && !Token.isUnresolved(other) && !Token.isUnresolved(selfName);
  if (other !== undefined && !bothLiteral) {
    const condition = {
      condition: Op.neq(normalizedBucket(selfName ?? Token.asString(ref('self.bucket'))), normalizedBucket(other)),
      errorMessage:
        `Custody separation (KC010): the ${role} bucket of ${scope.node.path} and the ${otherRole} bucket "${Token.isUnresolved(other) ? 'given by otherCustodyBucket' : other}" ` +
        `resolve to the same bucket. DB backups and key backups must never share a bucket.`,
    };
    (selfName !== undefined ? precondition : postcondition).push(condition);
  }
  if (distinctAccountFrom) {
    assertSameStack(scope, construct, distinctAccountFrom);
    const mine = new (dataAwsCallerIdentity())(scope, 'GuardIdentity', { provider });
    const theirs = new (dataAwsCallerIdentity())(scope, 'OtherGuardIdentity', { provider: distinctAccountFrom });
    precondition.push({
      condition: Op.neq(mine.accountId, theirs.accountId),
      errorMessage:
        `Custody separation (KC013): ${providerName(provider)} of the ${role} bucket (${scope.node.path}) and ${providerName(distinctAccountFrom)} ` +
        `of the ${otherRole} side resolve to the same AWS account; use separate accounts so that one credential cannot reach both.`,
    });
  }
  return { precondition, postcondition };
}
