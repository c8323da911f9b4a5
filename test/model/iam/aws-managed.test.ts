/** The action and AWS-managed policy tables, and AWS-managed policies attached by ARN. */
import { describe, expect, it } from 'vitest';
import { AWS_MANAGED_POLICIES } from '../../../lib/model/iam/aws-managed';
import { STORE_ACTIONS } from '../../../lib/policy/perms';
import { BK, PARAM, S3FULL, SEC, U, byStore, grantLines as grants, merge, mk, tags, unknownLines as unknowns, type Res } from '../../fixtures/iam/fixtures';

/** Bucket k encrypted with key kk. */
const BKK: Res = {
  aws_s3_bucket: { k: { bucket: 'kb', tags: tags('key-backup') } },
  aws_kms_key: { kk: { description: 'k' } },
  aws_s3_bucket_server_side_encryption_configuration: {
    k: { bucket: '${aws_s3_bucket.k.id}', rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.kk.arn}' } }] },
  },
};
const ALL3 = merge(BKK, SEC, PARAM);
const attached = (arn: string) => mk(merge(ALL3, U, { aws_iam_user_policy_attachment: { a: { user: 'u', policy_arn: arn } } }));

describe('the action and AWS-managed policy tables', () => {
  it('lists the custody actions per store kind', () => {
    const rows = Object.fromEntries(Object.entries(STORE_ACTIONS).map(([k, l]) => [k, l.map((s) => `${s.action} ${s.access} ${s.level}`)]));
    expect(rows).toEqual({
      s3: [
        's3:getobject read object',
        's3:getobjectversion read object',
        's3:putobject write object',
        's3:deleteobject delete object',
        's3:deleteobjectversion delete object',
        's3:deletebucket delete bucket',
        's3:putbucketpolicy admin bucket',
        's3:deletebucketpolicy admin bucket',
        's3:putbucketobjectlockconfiguration admin bucket',
        's3:putlifecycleconfiguration admin bucket',
        's3:putbucketversioning admin bucket',
        's3:bypassgovernanceretention admin object',
      ],
      secretsmanager: [
        'secretsmanager:getsecretvalue read any',
        'secretsmanager:putsecretvalue write any',
        'secretsmanager:updatesecret write any',
        'secretsmanager:deletesecret delete any',
        'secretsmanager:putresourcepolicy admin any',
        'secretsmanager:deleteresourcepolicy admin any',
      ],
      ssm: ['ssm:getparameter read any', 'ssm:getparameters read any', 'ssm:putparameter write any', 'ssm:deleteparameter delete any', 'ssm:deleteparameters delete any'],
      other: [],
    });
  });

  it('reduces the AWS-managed policies to the statements that matter', () => {
    expect(AWS_MANAGED_POLICIES).toEqual({
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
      AmazonSSMManagedInstanceCore: [
        { a: ['ssm:DescribeAssociation', 'ssm:GetDocument', 'ssm:DescribeDocument', 'ssm:GetManifest', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:ListAssociations', 'ssm:ListInstanceAssociations', 'ssm:PutInventory', 'ssm:UpdateInstanceInformation'] },
      ],
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
    });
  });
});

describe('AWS-managed policies attached by ARN', () => {
  it.each<[string, Record<string, string[]>]>([
    [
      'AdministratorAccess',
      { 'aws_s3_bucket.k': [...S3FULL, 'decrypt'], 'aws_secretsmanager_secret.sec': S3FULL, 'aws_ssm_parameter.prm': ['read', 'write', 'delete'] },
    ],
    [
      'PowerUserAccess',
      { 'aws_s3_bucket.k': [...S3FULL, 'decrypt'], 'aws_secretsmanager_secret.sec': S3FULL, 'aws_ssm_parameter.prm': ['read', 'write', 'delete'] },
    ],
    ['ReadOnlyAccess', { 'aws_s3_bucket.k': ['read'], 'aws_ssm_parameter.prm': ['read'] }],
    ['ViewOnlyAccess', {}],
    ['AmazonS3FullAccess', { 'aws_s3_bucket.k': S3FULL }],
    ['AmazonS3ReadOnlyAccess', { 'aws_s3_bucket.k': ['read'] }],
    ['SecretsManagerReadWrite', { 'aws_secretsmanager_secret.sec': S3FULL }],
    ['AmazonSSMFullAccess', { 'aws_ssm_parameter.prm': ['read', 'write', 'delete'] }],
    ['AmazonSSMReadOnlyAccess', { 'aws_ssm_parameter.prm': ['read'] }],
    ['AmazonSSMManagedInstanceCore', { 'aws_ssm_parameter.prm': ['read'] }],
    ['AmazonEC2RoleforSSM', { 'aws_s3_bucket.k': ['read', 'write'], 'aws_ssm_parameter.prm': ['read', 'write', 'delete'] }],
    ['AWSKeyManagementServicePowerUser', {}],
    ['AWSLambdaExecute', { 'aws_s3_bucket.k': ['read', 'write'] }],
    ['AWSBackupFullAccess', {}],
    ['IAMFullAccess', {}],
  ])('%s', (name, expected) => {
    const m = attached(`arn:aws:iam::aws:policy/${name}`);
    expect(byStore(m)).toEqual(expected);
    expect(unknowns(m)).toEqual([]);
    for (const g of m.grants) expect(g.via).toMatch(new RegExp(`^AWS-managed policy ${name}( on key aws_kms_key\\.kk)?$`));
  });

  it('reads the name after a path and in any partition', () => {
    const m = attached('arn:aws-cn:iam::aws:policy/service-role/AmazonS3ReadOnlyAccess');
    expect(grants(m)).toEqual(['aws_iam_user.u aws_s3_bucket.k read | AWS-managed policy AmazonS3ReadOnlyAccess']);
    expect(unknowns(m)).toEqual([]);
  });

  it.each<[string, Record<string, string[]>]>([
    [
      'DatabaseAdministrator',
      { 'aws_s3_bucket.k': [...S3FULL, 'decrypt'], 'aws_secretsmanager_secret.sec': S3FULL, 'aws_ssm_parameter.prm': ['read', 'write', 'delete'] },
    ],
    ['AdministratorReadOnlyView', {}],
    ['AmazonS3OutpostsFullAccess', { 'aws_s3_bucket.k': S3FULL }],
    ['AmazonS3OutpostsReadOnlyAccess', { 'aws_s3_bucket.k': ['read'] }],
    ['AmazonS3OutpostsViewOnly', { 'aws_s3_bucket.k': ['read'] }],
    ['secretsmanagerRotation', { 'aws_secretsmanager_secret.sec': S3FULL }],
    ['SecretsManagerReadonlyX', { 'aws_secretsmanager_secret.sec': ['read'] }],
    ['AmazonSSMAutomationRole', { 'aws_ssm_parameter.prm': ['read', 'write', 'delete'] }],
    ['SystemsManagerOps', { 'aws_ssm_parameter.prm': ['read', 'write', 'delete'] }],
    ['AmazonSSMDirectoryReadOnlyAccess', { 'aws_ssm_parameter.prm': ['read'] }],
    ['AWSKMSUser', { 'aws_s3_bucket.k': ['decrypt'] }],
    ['KeyManagementOps', { 'aws_s3_bucket.k': ['decrypt'] }],
    ['KeyManagementReadOnly', {}],
    ['NothingThatMatters', {}],
  ])('guesses %s from its name and records that', (name, expected) => {
    const m = attached(`arn:aws:iam::aws:policy/job-function/${name}`);
    expect(byStore(m)).toEqual(expected);
    expect(unknowns(m)).toEqual([`aws_iam_user_policy_attachment.a: AWS-managed policy ${name} is not in the built-in table; read from its name`]);
  });

  it('records a guessed managed policy once per owner that attaches it', () => {
    const m = mk(
      merge(BK, U, {
        aws_iam_user: { v: { name: 'v' } },
        aws_iam_user_policy_attachment: {
          a: { user: 'u', policy_arn: 'arn:aws:iam::aws:policy/AmazonS3Thing' },
          b: { user: 'v', policy_arn: 'arn:aws:iam::aws:policy/AmazonS3Thing' },
        },
      }),
    );
    expect(unknowns(m)).toEqual([
      'aws_iam_user_policy_attachment.a: AWS-managed policy AmazonS3Thing is not in the built-in table; read from its name',
      'aws_iam_user_policy_attachment.b: AWS-managed policy AmazonS3Thing is not in the built-in table; read from its name',
    ]);
    expect(byStore(m, 'aws_iam_user.v')).toEqual({ 'aws_s3_bucket.k': S3FULL });
  });
});
