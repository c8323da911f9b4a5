/** The action and AWS-managed policy tables, and AWS-managed policies attached by ARN. */
import { describe, expect, it } from 'vitest';
import { awsManagedStatements } from '../../../lib/model/iam/aws-managed';
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
        's3:getobjecttorrent read object',
        's3:getobjectversionforreplication read object',
        's3:getobjectversiontorrent read object',
        's3:putreplicationconfiguration read bucket',
        's3:replicateobject write object',
        's3:putbucketacl admin bucket',
        's3:putbucketownershipcontrols admin bucket',
        's3:putbucketpublicaccessblock admin bucket',
        's3:putencryptionconfiguration admin bucket',
        's3:putobjectacl admin object',
        's3:putobjectlegalhold admin object',
        's3:putobjectretention admin object',
        's3:putobjectversionacl admin object',
        's3:updateobjectencryption admin object',
      ],
      secretsmanager: [
        'secretsmanager:getsecretvalue read any',
        'secretsmanager:putsecretvalue write any',
        'secretsmanager:updatesecret write any',
        'secretsmanager:deletesecret delete any',
        'secretsmanager:putresourcepolicy admin any',
        'secretsmanager:deleteresourcepolicy admin any',
        'secretsmanager:replicatesecrettoregions read any',
        'secretsmanager:rotatesecret write any',
        'secretsmanager:updatesecretversionstage write any',
      ],
      ssm: [
        'ssm:getparameter read any',
        'ssm:getparameters read any',
        'ssm:putparameter write any',
        'ssm:deleteparameter delete any',
        'ssm:deleteparameters delete any',
        'ssm:getparameterhistory read any',
        'ssm:getparametersbypath read path',
        'ssm:labelparameterversion write any',
        'ssm:unlabelparameterversion write any',
        'ssm:deleteresourcepolicy admin any',
        'ssm:putresourcepolicy admin any',
      ],
      other: [],
    });
  });

  it('reduces the AWS-managed policies to the statements that matter', () => {
    const read = (n: string) => awsManagedStatements(n).statements.map((s) => ({ effect: s.effect, actions: s.actions, notActions: s.notActions, resources: s.resources }));
    expect(read('AdministratorAccess')).toEqual([{ effect: 'Allow', actions: ['*'], notActions: undefined, resources: ['*'] }]);
    expect(read('PowerUserAccess')).toEqual([{ effect: 'Allow', actions: [], notActions: ['iam:*'], resources: ['*'] }]);
    expect(read('AmazonEC2RoleforSSM')).toEqual([
      { effect: 'Allow', actions: ['ssm:GetParameters'], notActions: undefined, resources: ['*'] },
      { effect: 'Allow', actions: ['s3:PutObject', 's3:GetObject'], notActions: undefined, resources: ['*'] },
    ]);
    expect(awsManagedStatements('IAMFullAccess')).toEqual({ statements: [], guessed: false });
  });
});

describe('AWS-managed policies attached by ARN', () => {
  it.each<[string, Record<string, string[]>]>([
    [
      'AdministratorAccess',
      { 'aws_s3_bucket.k': [...S3FULL, 'decrypt'], 'aws_secretsmanager_secret.sec': S3FULL, 'aws_ssm_parameter.prm': S3FULL },
    ],
    [
      'PowerUserAccess',
      { 'aws_s3_bucket.k': [...S3FULL, 'decrypt'], 'aws_secretsmanager_secret.sec': S3FULL, 'aws_ssm_parameter.prm': S3FULL },
    ],
    ['ReadOnlyAccess', { 'aws_s3_bucket.k': ['read'], 'aws_ssm_parameter.prm': ['read'] }],
    ['ViewOnlyAccess', {}],
    ['AmazonS3FullAccess', { 'aws_s3_bucket.k': S3FULL }],
    ['AmazonS3ReadOnlyAccess', { 'aws_s3_bucket.k': ['read'] }],
    ['SecretsManagerReadWrite', { 'aws_secretsmanager_secret.sec': S3FULL }],
    ['AmazonSSMFullAccess', { 'aws_ssm_parameter.prm': S3FULL }],
    ['AmazonSSMReadOnlyAccess', { 'aws_ssm_parameter.prm': ['read'] }],
    ['AmazonSSMManagedInstanceCore', { 'aws_ssm_parameter.prm': ['read'] }],
    ['AmazonEC2RoleforSSM', { 'aws_s3_bucket.k': ['read', 'write'], 'aws_ssm_parameter.prm': ['read'] }],
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
      'DatabaseAdministratorX',
      { 'aws_s3_bucket.k': [...S3FULL, 'decrypt'], 'aws_secretsmanager_secret.sec': S3FULL, 'aws_ssm_parameter.prm': S3FULL },
    ],
    ['AdministratorReadOnlyView', {}],
    ['AmazonS3OutpostsFullAccessX', { 'aws_s3_bucket.k': S3FULL }],
    ['AmazonS3OutpostsReadOnlyAccessX', { 'aws_s3_bucket.k': ['read'] }],
    ['AmazonS3OutpostsViewOnly', { 'aws_s3_bucket.k': ['read'] }],
    ['secretsmanagerRotation', { 'aws_secretsmanager_secret.sec': S3FULL }],
    ['SecretsManagerReadonlyX', { 'aws_secretsmanager_secret.sec': ['read'] }],
    ['AmazonSSMAutomationRoleX', { 'aws_ssm_parameter.prm': S3FULL }],
    ['SystemsManagerOps', { 'aws_ssm_parameter.prm': S3FULL }],
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
