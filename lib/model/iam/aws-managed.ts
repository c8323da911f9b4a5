/** The AWS-managed policies, reduced to what matters for custody stores, and how to read one by name or ARN. */
import type { PolicyStatement } from '../policy';

type ManagedSpec = readonly { readonly a?: readonly string[]; readonly na?: readonly string[] }[];

/**
 * The broad AWS-managed policies, reduced to the statements that matter for custody
 * stores (every one applies to Resource `*`). Actions outside S3, Secrets Manager, SSM,
 * KMS and STS are left out except where NotAction makes them matter.
 */
export const AWS_MANAGED_POLICIES: Readonly<Record<string, ManagedSpec>> = {
  AdministratorAccess: [{ a: ['*'] }],
  PowerUserAccess: [{ na: ['iam:*', 'organizations:*', 'account:*'] }],
  ReadOnlyAccess: [
    {
      a: ['s3:Get*', 's3:List*', 's3:Describe*', 'ssm:Get*', 'ssm:Describe*', 'ssm:List*', 'secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy', 'secretsmanager:ListSecrets', 'secretsmanager:ListSecretVersionIds', 'kms:Describe*', 'kms:Get*', 'kms:List*'],
    },
  ],
  ViewOnlyAccess: [{ a: ['s3:ListAllMyBuckets', 's3:ListBucket', 's3:GetBucketLocation', 'ssm:Describe*', 'ssm:List*', 'secretsmanager:ListSecrets', 'kms:ListKeys', 'kms:ListAliases', 'kms:DescribeKey'] }],
  AmazonS3FullAccess: [{ a: ['s3:*', 's3-object-lambda:*'] }],
  AmazonS3ReadOnlyAccess: [{ a: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'] }],
  SecretsManagerReadWrite: [{ a: ['secretsmanager:*', 'kms:DescribeKey', 'kms:ListAliases', 'kms:ListKeys'] }],
  AmazonSSMFullAccess: [{ a: ['ssm:*'] }],
  AmazonSSMReadOnlyAccess: [{ a: ['ssm:Describe*', 'ssm:Get*', 'ssm:List*'] }],
  AmazonSSMManagedInstanceCore: [{ a: ['ssm:DescribeAssociation', 'ssm:GetDocument', 'ssm:DescribeDocument', 'ssm:GetManifest', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:ListAssociations', 'ssm:ListInstanceAssociations', 'ssm:PutInventory', 'ssm:UpdateInstanceInformation'] }],
  AmazonEC2RoleforSSM: [{ a: ['ssm:*', 's3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:ListBucketMultipartUploads'] }],
  AWSKeyManagementServicePowerUser: [
    { a: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'] },
  ],
  AWSLambdaExecute: [{ a: ['s3:GetObject', 's3:PutObject'] }],
  AWSBackupFullAccess: [{ a: ['s3:GetBucket*', 's3:ListBucket*', 'kms:Describe*', 'kms:List*'] }],
  AWSLambdaBasicExecutionRole: [],
  IAMFullAccess: [],
  IAMReadOnlyAccess: [],
  CloudWatchFullAccess: [],
  CloudWatchLogsFullAccess: [],
  AmazonEC2FullAccess: [],
  AmazonEC2ReadOnlyAccess: [],
};

/** Statements for an AWS-managed policy name; undefined when it is not in the table. */
export function awsManagedStatements(name: string): { statements: PolicyStatement[]; guessed: boolean } {
  // Own keys only: `arn:aws:iam::aws:policy/toString` is a name like any other, not Object.prototype's.
  const known = Object.hasOwn(AWS_MANAGED_POLICIES, name) ? AWS_MANAGED_POLICIES[name] : undefined;
  const toStatements = (spec: ManagedSpec) =>
    spec.map((s) => ({
      effect: 'Allow' as const,
      actions: s.a ?? [],
      notActions: s.na,
      resources: ['*'],
      principals: [],
      conditions: [],
    }));
  if (known) return { statements: toStatements(known), guessed: false };
  // Not in the table: read the name for the services we care about, conservatively.
  const ro = /ReadOnly|ViewOnly/i.test(name);
  const actions: string[] = [];
  const svc = (prefix: string) => (ro ? [`${prefix}:Get*`, `${prefix}:List*`, `${prefix}:Describe*`] : [`${prefix}:*`]);
  if (/Administrator/i.test(name) && !ro) actions.push('*');
  if (/S3/.test(name)) actions.push(...svc('s3'));
  if (/SecretsManager/i.test(name)) actions.push(...svc('secretsmanager'));
  if (/SSM|SystemsManager/.test(name)) actions.push(...svc('ssm'));
  if (/KMS|KeyManagement/.test(name)) actions.push(...(ro ? svc('kms') : ['kms:*']));
  return { statements: actions.length ? toStatements([{ a: actions }]) : [], guessed: true };
}

export function awsManagedName(arn: string): string | undefined {
  const m = /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m?.[1];
}
