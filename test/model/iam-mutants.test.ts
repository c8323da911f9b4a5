/**
 * Mutation tests for lib/model/iam.ts, part 1: the pure helpers (globs, accounts, the
 * action and AWS-managed policy tables), how each custody action maps to an access level,
 * how resource patterns and references match a store (allow side and deny side), and how
 * policies are read (documents, jsonencode, attachments, approximations, unknowns).
 * Every test asserts the exact grant list (principal, store, access, via) of a small model.
 */
import { describe, expect, it } from 'vitest';
import { STORE_ACTIONS } from '../../lib/policy/perms';
import { mayBeSameAccount } from '../../lib/model/iam/accounts';
import { AWS_MANAGED_POLICIES } from '../../lib/model/iam/aws-managed';
import { globMatch, globsIntersect } from '../../lib/model/iam/globs';
import type { CustodyModel } from '../../lib/model/types';
import { allow, deny, grantLines as grants, merge, mk, policy, tags, unknownLines as unknowns, type Json, type Res } from '../fixtures/iam/fixtures';



const BK: Res = { aws_s3_bucket: { k: { bucket: 'kb', tags: tags('key-backup') } } };
const U: Res = { aws_iam_user: { u: { name: 'u' } } };
const SEC: Res = { aws_secretsmanager_secret: { sec: { name: 'hot', tags: tags('key-store') } } };
const PARAM: Res = { aws_ssm_parameter: { prm: { name: '/p', type: 'SecureString', tags: tags('key-store') } } };
/** Bucket k encrypted with key kk. */
const BKK: Res = {
  aws_s3_bucket: { k: { bucket: 'kb', tags: tags('key-backup') } },
  aws_kms_key: { kk: { description: 'k' } },
  aws_s3_bucket_server_side_encryption_configuration: {
    k: { bucket: '${aws_s3_bucket.k.id}', rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.kk.arn}' } }] },
  },
};

/** User u with one inline policy p. */
const up = (...statements: Json[]): Res => merge(U, { aws_iam_user_policy: { p: { user: 'u', policy: policy(...statements) } } });
const P = 'inline policy aws_iam_user_policy.p';
/** Access levels of user u on store `store` (in grant order). */
const accessU = (m: CustodyModel, store = 'aws_s3_bucket.k'): string[] =>
  m.grants.filter((g) => m.principalById(g.principal)?.address === 'aws_iam_user.u' && m.storeById(g.store)?.address === store).map((g) => g.access);

describe('globMatch', () => {
  it('matches literals, ? and * with backtracking', () => {
    expect(globMatch('abc', 'abc')).toBe(true);
    expect(globMatch('abc', 'abd')).toBe(false);
    expect(globMatch('abc', 'ab')).toBe(false);
    expect(globMatch('ab', 'abc')).toBe(false);
    expect(globMatch('a?c', 'abc')).toBe(true);
    expect(globMatch('a?c', 'ac')).toBe(false);
    expect(globMatch('a*c', 'ac')).toBe(true);
    expect(globMatch('a*c', 'abbbc')).toBe(true);
    expect(globMatch('a*c', 'abbbd')).toBe(false);
    expect(globMatch('*ab', 'aab')).toBe(true);
    expect(globMatch('a*b*c', 'axbxbxc')).toBe(true);
    expect(globMatch('a*b*c', 'axbxbx')).toBe(false);
    expect(globMatch('a**', 'a')).toBe(true);
    expect(globMatch('a*?', 'a')).toBe(false);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('', 'a')).toBe(false);
    expect(globMatch('?', '')).toBe(false);
    expect(globMatch('A', 'a')).toBe(false);
    expect(globMatch('*a', 'ba')).toBe(true);
    expect(globMatch('*a', 'ab')).toBe(false);
  });
});

describe('globsIntersect', () => {
  it('decides whether two globs share a string', () => {
    expect(globsIntersect('', '')).toBe(true);
    expect(globsIntersect('a', '')).toBe(false);
    expect(globsIntersect('', 'a')).toBe(false);
    expect(globsIntersect('*', '')).toBe(true);
    expect(globsIntersect('', '*')).toBe(true);
    expect(globsIntersect('*', 'abc')).toBe(true);
    expect(globsIntersect('abc', '*')).toBe(true);
    expect(globsIntersect('ABC', 'abc')).toBe(true);
    expect(globsIntersect('abc', 'ABD')).toBe(false);
    expect(globsIntersect('a*', '*b')).toBe(true);
    expect(globsIntersect('a*', 'b*')).toBe(false);
    expect(globsIntersect('*a', '*b')).toBe(false);
    expect(globsIntersect('?', '*')).toBe(true);
    expect(globsIntersect('*', '?')).toBe(true);
    expect(globsIntersect('?', '')).toBe(false);
    expect(globsIntersect('', '?')).toBe(false);
    expect(globsIntersect('a?', 'ab')).toBe(true);
    expect(globsIntersect('ab', 'a?')).toBe(true);
    expect(globsIntersect('a?', 'abc')).toBe(false);
    expect(globsIntersect('a*c', 'abd')).toBe(false);
    expect(globsIntersect('abd', 'a*c')).toBe(false);
    expect(globsIntersect('a*c*e', 'abcde')).toBe(true);
    expect(globsIntersect('x*', 'x')).toBe(true);
    expect(globsIntersect('x', 'x*')).toBe(true);
    expect(globsIntersect('*x', 'x')).toBe(true);
    expect(globsIntersect('x', '*x')).toBe(true);
    expect(globsIntersect('ab*', 'a*c')).toBe(true);
    expect(globsIntersect('ab*', 'ac*')).toBe(false);
  });
});

describe('mayBeSameAccount', () => {
  it('treats identities that pin different things as different accounts', () => {
    expect(mayBeSameAccount('acct:111111111111', 'acct:111111111111')).toBe(true);
    expect(mayBeSameAccount('acct:111111111111', 'acct:222222222222')).toBe(false);
    expect(mayBeSameAccount('profile:a', 'profile:b')).toBe(false);
    expect(mayBeSameAccount('profile:a', 'acct:111111111111')).toBe(false);
  });

  it('lets an identity that pins nothing be any account', () => {
    expect(mayBeSameAccount('default', 'acct:111111111111')).toBe(true);
    expect(mayBeSameAccount('acct:111111111111', 'default')).toBe(true);
    expect(mayBeSameAccount('s:default', 'acct:111111111111')).toBe(true);
    expect(mayBeSameAccount('acct:111111111111', 'other:default')).toBe(true);
    expect(mayBeSameAccount('*', 'acct:111111111111')).toBe(true);
    expect(mayBeSameAccount('acct:111111111111', '*')).toBe(true);
    expect(mayBeSameAccount('s:defaults', 'acct:111111111111')).toBe(false);
    expect(mayBeSameAccount('xdefault', 'acct:111111111111')).toBe(false);
    expect(mayBeSameAccount('acct:111111111111', 'xdefault')).toBe(false);
  });
});

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

describe('each custody action maps to one access level at one ARN level', () => {
  const s3 = (action: string, resource: string) => accessU(mk(merge(BK, up(allow(action, resource)))));
  it.each([
    ['s3:GetObject', 'read', 'object'],
    ['s3:GetObjectVersion', 'read', 'object'],
    ['s3:PutObject', 'write', 'object'],
    ['s3:DeleteObject', 'delete', 'object'],
    ['s3:DeleteObjectVersion', 'delete', 'object'],
    ['s3:DeleteBucket', 'delete', 'bucket'],
    ['s3:PutBucketPolicy', 'admin', 'bucket'],
    ['s3:DeleteBucketPolicy', 'admin', 'bucket'],
    ['s3:PutBucketObjectLockConfiguration', 'admin', 'bucket'],
    ['s3:PutLifecycleConfiguration', 'admin', 'bucket'],
    ['s3:PutBucketVersioning', 'admin', 'bucket'],
    ['s3:BypassGovernanceRetention', 'admin', 'object'],
  ])('%s gives %s on the %s ARN only', (action, access, level) => {
    expect(s3(action, 'arn:aws:s3:::kb/*')).toEqual(level === 'object' ? [access] : []);
    expect(s3(action, 'arn:aws:s3:::kb')).toEqual(level === 'bucket' ? [access] : []);
    expect(s3(action, '*')).toEqual([access]);
  });

  it.each([
    ['secretsmanager:GetSecretValue', 'read'],
    ['secretsmanager:PutSecretValue', 'write'],
    ['secretsmanager:UpdateSecret', 'write'],
    ['secretsmanager:DeleteSecret', 'delete'],
    ['secretsmanager:PutResourcePolicy', 'admin'],
    ['secretsmanager:DeleteResourcePolicy', 'admin'],
    ['ssm:GetParameter', 'read'],
    ['ssm:GetParameters', 'read'],
    ['ssm:PutParameter', 'write'],
    ['ssm:DeleteParameter', 'delete'],
    ['ssm:DeleteParameters', 'delete'],
  ])('%s gives %s on the secret or parameter', (action, access) => {
    const m = mk(merge(SEC, PARAM, up(allow(action, '*'))));
    const onSecret = action.startsWith('secretsmanager:') ? [access] : [];
    const onParam = action.startsWith('ssm:') ? [access] : [];
    expect(accessU(m, 'aws_secretsmanager_secret.sec')).toEqual(onSecret);
    expect(accessU(m, 'aws_ssm_parameter.prm')).toEqual(onParam);
  });

  it('takes the via of the first action in table order that gives an access', () => {
    const m = mk(
      merge(BK, U, {
        aws_iam_user_policy: {
          a: { user: 'u', policy: policy(allow('s3:GetObjectVersion', '*')) },
          b: { user: 'u', policy: policy(allow('s3:GetObject', '*')) },
        },
      }),
    );
    expect(grants(m)).toEqual(['aws_iam_user.u aws_s3_bucket.k read | inline policy aws_iam_user_policy.b']);
  });

  it('lists a full grant in table order with the same via', () => {
    expect(grants(mk(merge(BK, up(allow('s3:*', '*')))))).toEqual([
      `aws_iam_user.u aws_s3_bucket.k read | ${P}`,
      `aws_iam_user.u aws_s3_bucket.k write | ${P}`,
      `aws_iam_user.u aws_s3_bucket.k delete | ${P}`,
      `aws_iam_user.u aws_s3_bucket.k admin | ${P}`,
    ]);
  });
});

/** Access of user u per store address, in grant order (stores without access left out). */
function byStore(m: CustodyModel, principal = 'aws_iam_user.u'): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const g of m.grants) {
    if (m.principalById(g.principal)?.address !== principal) continue;
    const s = m.storeById(g.store)?.address ?? g.store;
    (out[s] ??= []).push(g.access);
  }
  return out;
}

const ALL3 = merge(BKK, SEC, PARAM);
const attached = (arn: string) => mk(merge(ALL3, U, { aws_iam_user_policy_attachment: { a: { user: 'u', policy_arn: arn } } }));
const S3FULL = ['read', 'write', 'delete', 'admin'];

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

describe('resource patterns: references to the store itself', () => {
  /** Read access of u on k with `s3:GetObject` allowed on * and denied on `denied`. */
  const readAfterDeny = (denied: string, store: Res = BK, data?: Res) => accessU(mk(merge(store, up(allow('s3:GetObject', '*'), deny('s3:GetObject', denied))), data));

  it('reads arn, bucket and id of a bucket on the deny side, and nothing else', () => {
    expect(readAfterDeny('${aws_s3_bucket.k.arn}/*')).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::${aws_s3_bucket.k.bucket}/*')).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::${aws_s3_bucket.k.id}/*')).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::${aws_s3_bucket.k.region}/*')).toEqual(['read']);
    expect(readAfterDeny('${aws_s3_bucket.k.arn}')).toEqual(['read']);
    expect(readAfterDeny('arn:aws:s3:::${var.b}/*')).toEqual(['read']);
    expect(readAfterDeny('arn:${data.aws_partition.p.partition}:s3:::kb/*', BK, { aws_partition: { p: {} } })).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::kb/*')).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::kb*')).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::k?/*')).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::kc/*')).toEqual(['read']);
  });

  it('reads the same attributes on the allow side, unknown ones as *', () => {
    const read = (resource: string, data?: Res) => accessU(mk(merge(BK, up(allow('s3:GetObject', resource))), data));
    expect(read('${aws_s3_bucket.k.arn}/*')).toEqual(['read']);
    expect(read('${aws_s3_bucket.k.arn}')).toEqual([]);
    expect(read('arn:aws:s3:::${aws_s3_bucket.k.bucket}/*')).toEqual(['read']);
    expect(read('arn:aws:s3:::${aws_s3_bucket.k.id}/x/*')).toEqual(['read']);
    expect(read('arn:aws:s3:::${aws_s3_bucket.k.region}')).toEqual(['read']);
    expect(read('arn:${data.aws_partition.p.partition}:s3:::kb/*', { aws_partition: { p: {} } })).toEqual(['read']);
    expect(read('arn:${data.aws_partition.p.partition}:s3:::kc/*', { aws_partition: { p: {} } })).toEqual([]);
    expect(read('arn:aws:s3:::${var.b}/*')).toEqual(['read']);
    expect(read('arn:aws:s3:::kb')).toEqual([]);
  });

  it('reads a secret by arn, id or name', () => {
    const m = (statements: Json[], provider?: Json) => accessU(mk(merge(SEC, up(...statements)), undefined, provider), 'aws_secretsmanager_secret.sec');
    const get = (r: string) => allow('secretsmanager:GetSecretValue', r);
    const denyGet = (r: string) => deny('secretsmanager:GetSecretValue', r);
    expect(m([get('${aws_secretsmanager_secret.sec.arn}')])).toEqual(['read']);
    expect(m([get('${aws_secretsmanager_secret.sec.id}')])).toEqual(['read']);
    expect(m([get('arn:aws:secretsmanager:eu-central-1:123456789012:secret:hot-AbCdEf')])).toEqual(['read']);
    expect(m([get('arn:aws:secretsmanager:eu-central-1:123456789012:secret:cold-AbCdEf')])).toEqual([]);
    expect(m([get('*'), denyGet('${aws_secretsmanager_secret.sec.arn}')])).toEqual([]);
    expect(m([get('*'), denyGet('${aws_secretsmanager_secret.sec.id}')])).toEqual([]);
    expect(m([get('*'), denyGet('arn:aws:secretsmanager:*:*:secret:${aws_secretsmanager_secret.sec.name}-*')])).toEqual([]);
    expect(m([get('*'), denyGet('${aws_secretsmanager_secret.sec.name}')])).toEqual(['read']);
    expect(m([get('*'), denyGet('${aws_secretsmanager_secret.sec.kms_key_id}')])).toEqual(['read']);
    // The account id is part of the ARN when the provider pins it.
    const pinned = { aws: [{ allowed_account_ids: ['111111111111'] }] };
    expect(m([get('arn:aws:secretsmanager:eu-central-1:111111111111:secret:hot-AbCdEf')], pinned)).toEqual(['read']);
    expect(m([get('arn:aws:secretsmanager:eu-central-1:222222222222:secret:hot-AbCdEf')], pinned)).toEqual([]);
    expect(m([get('arn:aws:secretsmanager:eu-central-1:222222222222:secret:hot-AbCdEf')], { aws: [{ profile: 'x' }] })).toEqual(['read']);
  });

  it('reads a parameter by arn, name or id, without a doubled slash', () => {
    const m = (statements: Json[], store: Res = PARAM) => accessU(mk(merge(store, up(...statements))), 'aws_ssm_parameter.prm');
    const get = (r: string) => allow('ssm:GetParameter', r);
    const denyGet = (r: string) => deny('ssm:GetParameter', r);
    expect(m([get('arn:aws:ssm:eu-central-1:123456789012:parameter/p')])).toEqual(['read']);
    expect(m([get('arn:aws:ssm:eu-central-1:123456789012:parameter/q')])).toEqual([]);
    expect(m([get('arn:aws:ssm:eu-central-1:123456789012:parameter/p')], { aws_ssm_parameter: { prm: { name: 'p', type: 'SecureString', tags: tags('key-store') } } })).toEqual(['read']);
    expect(m([get('*'), denyGet('${aws_ssm_parameter.prm.arn}')])).toEqual([]);
    expect(m([get('*'), denyGet('arn:aws:ssm:*:*:parameter${aws_ssm_parameter.prm.name}')])).toEqual([]);
    expect(m([get('*'), denyGet('arn:aws:ssm:*:*:parameter${aws_ssm_parameter.prm.id}')])).toEqual([]);
    expect(m([get('*'), denyGet('arn:aws:ssm:*:*:parameter${aws_ssm_parameter.prm.value}')])).toEqual(['read']);
  });

  it('reads an empty bucket name as absent', () => {
    const EB: Res = { aws_s3_bucket: { k: { bucket: '', bucket_prefix: 'kb-', tags: tags('key-backup') } } };
    expect(accessU(mk(merge(EB, up(allow('s3:GetObject', 'arn:aws:s3:::kb-*/*')))))).toEqual(['read']);
    expect(readAfterDeny('arn:aws:s3:::kb-*/*', EB)).toEqual([]);
  });

  it('matches a prefix-named bucket: a deny must cover every name the prefix allows', () => {
    const PB: Res = { aws_s3_bucket: { k: { bucket_prefix: 'kb-', tags: tags('key-backup') } } };
    expect(readAfterDeny('arn:aws:s3:::kb-*/*', PB)).toEqual([]);
    expect(readAfterDeny('${aws_s3_bucket.k.arn}/*', PB)).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::kb-1*/*', PB)).toEqual(['read']);
    expect(readAfterDeny('arn:aws:s3:::kb-1/*', PB)).toEqual(['read']);
    // A generated suffix is never empty: `kb-?*` covers every name too.
    expect(readAfterDeny('arn:aws:s3:::kb-?*/*', PB)).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::kb-??/*', PB)).toEqual(['read']);
  });
});

describe('resource patterns: references to other resources', () => {
  const read = (resource: string, extra: Res = {}, data?: Res) => accessU(mk(merge(BK, extra, up(allow('s3:GetObject', resource))), data));
  const readAfterDeny = (denied: string, extra: Res = {}, data?: Res) => accessU(mk(merge(BK, extra, up(allow('s3:GetObject', '*'), deny('s3:GetObject', denied))), data));
  const J: Res = { aws_s3_bucket: { j: { bucket: 'jb' } } };
  const T: Res = { aws_dynamodb_table: { t: { name: 't' } } };

  it('never matches another managed bucket, role or user', () => {
    expect(read('${aws_s3_bucket.j.arn}/*', J)).toEqual([]);
    expect(read('arn:aws:s3:::${aws_s3_bucket.j.bucket}/*', J)).toEqual([]);
    expect(read('${aws_iam_user.u.arn}')).toEqual([]);
    expect(readAfterDeny('${aws_s3_bucket.j.arn}/*', J)).toEqual(['read']);
    // Even when the other bucket's name is unknown.
    const anon: Res = { aws_s3_bucket: { j: { bucket: '${var.n}' } }, aws_iam_role: { r: { name: '${var.r}' } } };
    const readWrite = (resource: string) => accessU(mk(merge(BK, anon, up(allow('s3:GetObject', resource), allow('s3:PutObject', '*')))));
    expect(readWrite('${aws_s3_bucket.j.arn}/*')).toEqual(['write']);
    expect(readWrite('arn:aws:s3:::${aws_s3_bucket.j.bucket}/*')).toEqual(['write']);
    expect(readWrite('${aws_iam_role.r.arn}')).toEqual(['write']);
    expect(read('${aws_s3_bucket.j.arn}/*', anon)).toEqual([]);
  });

  it('matches an adopted bucket data source by its literal name', () => {
    const d = (bucket: string): Res => ({ aws_s3_bucket: { d: { bucket } } });
    expect(read('${data.aws_s3_bucket.d.arn}/*', {}, d('kb'))).toEqual(['read']);
    expect(read('${data.aws_s3_bucket.d.arn}/*', {}, d('other'))).toEqual([]);
    expect(read('arn:aws:s3:::${data.aws_s3_bucket.d.bucket}/*', {}, d('kb'))).toEqual(['read']);
    expect(read('arn:aws:s3:::${data.aws_s3_bucket.d.bucket}/*', {}, d('other'))).toEqual([]);
    expect(read('arn:aws:s3:::${data.aws_s3_bucket.d.region}/*', {}, d('other'))).toEqual(['read']);
    expect(read('${data.aws_s3_bucket.d.arn}/*', {}, d('${var.n}'))).toEqual(['read']);
    expect(readAfterDeny('${data.aws_s3_bucket.d.arn}/*', {}, d('kb'))).toEqual([]);
    expect(readAfterDeny('${data.aws_s3_bucket.d.arn}/*', {}, d('other'))).toEqual(['read']);
    expect(readAfterDeny('${data.aws_s3_bucket.d.arn}/*', {}, d('${var.n}'))).toEqual(['read']);
    expect(readAfterDeny('arn:aws:s3:::${data.aws_s3_bucket.d.region}/*', {}, d('kb'))).toEqual(['read']);
  });

  it('reads a reference to a resource it does not model as anything, except a whole ARN', () => {
    expect(read('${aws_dynamodb_table.t.arn}', T)).toEqual([]);
    expect(read('${aws_dynamodb_table.t.arn}/*', T)).toEqual(['read']);
    expect(read('${aws_dynamodb_table.t.name}', T)).toEqual(['read']);
    expect(readAfterDeny('${aws_dynamodb_table.t.arn}/*', T)).toEqual(['read']);
    expect(readAfterDeny('${aws_dynamodb_table.t.name}', T)).toEqual(['read']);
  });

  it('reads an IAM policy data source by its token (arn, id) or as * (other attributes)', () => {
    const D: Res = { aws_iam_policy: { x: { name: 'x' } } };
    expect(read('${data.aws_iam_policy.x.arn}/*', {}, D)).toEqual([]);
    expect(read('${data.aws_iam_policy.x.id}/*', {}, D)).toEqual([]);
    expect(read('${data.aws_iam_policy.x.name}/*', {}, D)).toEqual(['read']);
  });
});

describe('statements: Action, NotAction, NotResource', () => {
  it('reads an action it cannot resolve as any action on the allow side and none on the deny side', () => {
    expect(byStore(mk(merge(BKK, up(allow('${var.action}', '*')))))).toEqual({ 'aws_s3_bucket.k': [...S3FULL, 'decrypt'] });
    expect(byStore(mk(merge(BKK, up(allow('s3:*', '*'), deny('${var.action}', '*')))))).toEqual({ 'aws_s3_bucket.k': S3FULL });
  });

  it('matches actions case-insensitively', () => {
    expect(accessU(mk(merge(BK, up(allow('S3:GETOBJECT', '*')))))).toEqual(['read']);
    expect(accessU(mk(merge(BK, up(allow('s3:*', '*'), deny('S3:PUT*', '*')))))).toEqual(['read', 'delete', 'admin']);
  });

  it('allows everything but NotAction, ignoring the parts it cannot read', () => {
    expect(byStore(mk(merge(BKK, up({ Effect: 'Allow', NotAction: ['s3:Get*', '${var.x}'], Resource: '*' }))))).toEqual({ 'aws_s3_bucket.k': ['write', 'delete', 'admin', 'decrypt'] });
    expect(byStore(mk(merge(BKK, up({ Effect: 'Allow', NotAction: ['S3:*', 'KMS:*'], Resource: '*' }))))).toEqual({});
  });

  it('denies everything but NotAction, and nothing when NotAction cannot be read', () => {
    expect(accessU(mk(merge(BK, up(allow('s3:*', '*'), { Effect: 'Deny', NotAction: ['s3:PutObject'], Resource: '*' }))))).toEqual(['write']);
    expect(accessU(mk(merge(BK, up(allow('s3:*', '*'), { Effect: 'Deny', NotAction: ['s3:Put*'], Resource: '*' }))))).toEqual(['write', 'admin']);
    expect(accessU(mk(merge(BK, up(allow('s3:*', '*'), { Effect: 'Deny', NotAction: ['s3:Put*', '${var.x}'], Resource: '*' }))))).toEqual(S3FULL);
  });

  it('reads NotResource the allow way (must not cover the store) and the deny way (must not touch it)', () => {
    const a = (notResource: string[]) => accessU(mk(merge(BK, up({ Effect: 'Allow', Action: 's3:GetObject', NotResource: notResource }))));
    expect(a(['arn:aws:s3:::kb/*'])).toEqual([]);
    expect(a(['arn:aws:s3:::k*'])).toEqual([]);
    expect(a(['*'])).toEqual([]);
    expect(a(['arn:aws:s3:::kb/secret/*'])).toEqual(['read']);
    expect(a(['${var.x}'])).toEqual(['read']);
    expect(a(['arn:aws:s3:::other/*', 'arn:aws:s3:::kb/*'])).toEqual([]);
    expect(a([])).toEqual(['read']);
    const d = (notResource: string[]) => accessU(mk(merge(BK, up(allow('s3:GetObject', '*'), { Effect: 'Deny', Action: 's3:GetObject', NotResource: notResource }))));
    expect(d(['arn:aws:s3:::other/*'])).toEqual([]);
    expect(d(['arn:aws:s3:::k*'])).toEqual(['read']);
    expect(d(['arn:aws:s3:::kb/secret/*'])).toEqual(['read']);
    expect(d(['${var.x}'])).toEqual(['read']);
    expect(d(['*'])).toEqual(['read']);
  });

  it('applies a statement without Resource or NotResource to every store', () => {
    expect(accessU(mk(merge(BK, up({ Effect: 'Allow', Action: 's3:GetObject' }))))).toEqual(['read']);
    expect(accessU(mk(merge(BK, up(allow('s3:GetObject', '*'), { Effect: 'Deny', Action: 's3:GetObject' }))))).toEqual([]);
  });

  it('needs every resource of a deny to be pinned down, one covering resource is enough', () => {
    expect(accessU(mk(merge(BK, up(allow('s3:GetObject', '*'), deny('s3:GetObject', ['${var.x}', 'arn:aws:s3:::kb/*'])))))).toEqual([]);
    expect(accessU(mk(merge(BK, up(allow('s3:GetObject', '*'), deny('s3:GetObject', ['${var.x}', 'arn:aws:s3:::kc/*'])))))).toEqual(['read']);
  });

  it('ignores an identity deny with a condition and applies one without', () => {
    const cond = { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'x' } } };
    expect(accessU(mk(merge(BK, up(allow('s3:GetObject', '*'), deny('s3:GetObject', '*', cond)))))).toEqual(['read']);
    expect(accessU(mk(merge(BK, up(allow('s3:GetObject', '*'), deny('s3:GetObject', '*')))))).toEqual([]);
  });

  it('does not need a condition-free allow: identity allows keep their conditions', () => {
    const cond = { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'x' } } };
    expect(grants(mk(merge(BK, up(allow('s3:GetObject', '*', cond)))))).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
  });
});

describe('reading policies', () => {
  const withPolicy = (value: unknown, extra: Res = {}, data?: Res) => mk(merge(BK, U, extra, { aws_iam_user_policy: { p: { user: 'u', policy: value } } }), data);

  it('reads a policy given as an object', () => {
    const m = withPolicy({ Statement: [allow('s3:GetObject', '*')] });
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
    expect(unknowns(m)).toEqual([]);
  });

  it('reads nothing from a missing or non-string policy', () => {
    expect(grants(withPolicy(null))).toEqual([]);
    expect(unknowns(withPolicy(null))).toEqual([]);
    expect(grants(withPolicy(42))).toEqual([]);
  });

  it('follows every source and override of a policy document', () => {
    const doc = (over: Json): Res => ({ aws_iam_policy_document: { d: { statement: [{ actions: ['s3:GetObject'], resources: ['*'] }], ...over }, e: { statement: { actions: ['s3:PutObject'], resources: ['*'] } } } });
    for (const attr of ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json']) {
      const m = withPolicy('${data.aws_iam_policy_document.d.json}', {}, doc({ [attr]: ['${data.aws_iam_policy_document.e.json}'] }));
      expect(accessU(m), attr).toEqual(['read', 'write']);
    }
    expect(accessU(withPolicy('${data.aws_iam_policy_document.d.json}', {}, doc({ other_json: ['${data.aws_iam_policy_document.e.json}'] })))).toEqual(['read']);
  });

  it('stops following policy documents more than six levels deep', () => {
    const chain = (n: number): Res => {
      const docs: Json = {};
      for (let i = 0; i < n; i++) docs[`d${i}`] = { statement: [{ actions: [`s3:${i === n - 1 ? 'PutObject' : 'GetObject'}`], resources: ['*'] }], source_policy_documents: i < n - 1 ? [`\${data.aws_iam_policy_document.d${i + 1}.json}`] : [] };
      return { aws_iam_policy_document: docs };
    };
    const seven = withPolicy('${data.aws_iam_policy_document.d0.json}', {}, chain(7));
    expect(accessU(seven)).toEqual(['read', 'write']);
    expect(unknowns(seven)).toEqual([]);
    const eight = withPolicy('${data.aws_iam_policy_document.d0.json}', {}, chain(8));
    expect(accessU(eight)).toEqual(['read']);
    expect(unknowns(eight)).toEqual(['data.aws_iam_policy_document.d6: policy references nest too deeply']);
  });

  it('reads a policy JSON that does not parse conservatively', () => {
    const m = withPolicy('{"Statement": [{"Action": "s3:GetObject", "Resource": "${aws_s3_bucket.k.arn}/*"}');
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P} (read conservatively)`]);
    expect(unknowns(m)).toEqual(['aws_iam_user_policy.p: the policy JSON does not parse; read conservatively']);
  });

  it('reports a policy reference that is not in the configuration or only known after apply', () => {
    const missing = withPolicy('${data.aws_iam_policy_document.missing.json}');
    expect(grants(missing)).toEqual([]);
    expect(unknowns(missing)).toEqual(['aws_iam_user_policy.p: the policy comes from ${data.aws_iam_policy_document.missing.json}, which is not in the configuration']);
    const later = withPolicy('${aws_iam_policy.x.arn}', { aws_iam_policy: { x: { name: 'x', policy: policy(allow('s3:*', '*')) } } });
    expect(grants(later)).toEqual([]);
    expect(unknowns(later)).toEqual(['aws_iam_user_policy.p: the policy comes from ${aws_iam_policy.x.arn}, which is only known after apply']);
  });

  it('follows a reference to another resource’s policy attribute', () => {
    const m = withPolicy('${aws_iam_policy.x.policy}', { aws_iam_policy: { x: { name: 'x', policy: policy(allow('s3:GetObject', '*')) } } });
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
    expect(unknowns(m)).toEqual([]);
  });

  it('follows a data.aws_iam_policy to an AWS-managed or customer policy', () => {
    const managed = withPolicy('${data.aws_iam_policy.m.policy}', {}, { aws_iam_policy: { m: { arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' } } });
    expect(grants(managed)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
    const cust = { aws_iam_policy: { c: { name: 'cust', policy: policy(allow('s3:PutObject', '*')) } } };
    const byName = withPolicy('${data.aws_iam_policy.m.policy}', cust, { aws_iam_policy: { m: { name: 'cust' } } });
    expect(grants(byName)).toEqual([`aws_iam_user.u aws_s3_bucket.k write | ${P}`]);
    const byArn = withPolicy('${data.aws_iam_policy.m.policy}', cust, { aws_iam_policy: { m: { arn: 'arn:aws:iam::123456789012:policy/cust' } } });
    expect(grants(byArn)).toEqual([`aws_iam_user.u aws_s3_bucket.k write | ${P}`]);
    const outside = withPolicy('${data.aws_iam_policy.m.policy}', cust, { aws_iam_policy: { m: { name: 'elsewhere' } } });
    expect(grants(outside)).toEqual([]);
    expect(unknowns(outside)).toEqual(['aws_iam_user_policy.p: data.aws_iam_policy.m names a policy outside the configuration']);
    const nothing = withPolicy('${data.aws_iam_policy.m.policy}', cust, { aws_iam_policy: { m: {} } });
    expect(unknowns(nothing)).toEqual(['aws_iam_user_policy.p: data.aws_iam_policy.m names a policy outside the configuration']);
  });

  it('does not index data sources or unnamed policies as customer policies', () => {
    const m = withPolicy('${data.aws_iam_policy.m.policy}', { aws_iam_policy: { c: { name: '${var.n}', policy: policy(allow('s3:*', '*')) } } }, { aws_iam_policy: { m: { name: 'cust' }, other: { name: 'cust', policy: policy(allow('s3:*', '*')) } } });
    expect(grants(m)).toEqual([]);
    expect(unknowns(m)).toEqual(['aws_iam_user_policy.p: data.aws_iam_policy.m names a policy outside the configuration']);
  });

  it('reads an expression conservatively: the actions and resources it names', () => {
    const m = withPolicy('${jsonencode(merge(local.base, {Statement = [{Action = "s3:PutObject", Resource = "arn:aws:s3:::kb/*"}]}))}');
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k write | ${P} (read conservatively)`]);
    const other = withPolicy('${jsonencode(merge(local.base, {Statement = [{Action = "s3:PutObject", Resource = "arn:aws:s3:::kc/*"}]}))}');
    expect(grants(other)).toEqual([]);
    const star = withPolicy('${jsonencode(merge(local.base, {Statement = [{Action = "*", Resource = "*"}]}))}');
    expect(accessU(star)).toEqual(S3FULL);
    const noResource = withPolicy('${jsonencode(merge(local.base, {Statement = [{Action = ["s3:DeleteObject"]}]}))}');
    expect(accessU(noResource)).toEqual(['delete']);
    const json = withPolicy('{"Statement": [{"Action": ["*"], "Resource": ["*"]}');
    expect(accessU(json)).toEqual(S3FULL);
    const ref = withPolicy('${jsonencode(merge(local.base, {Statement = [{Action = "s3:GetObject", Resource = "${aws_s3_bucket.j.arn}/*"}]}))}', { aws_s3_bucket: { j: { bucket: 'jb' } } });
    expect(accessU(ref)).toEqual([]);
    const dataRef = withPolicy('${jsonencode(merge(local.base, {Statement = [{Action = "s3:GetObject", Resource = "${data.aws_s3_bucket.d.arn}"}]}))}', {}, { aws_s3_bucket: { d: { bucket: 'kb' } } });
    expect(accessU(dataRef)).toEqual(['read']);
  });

  it('keeps a reference an unparsed policy names, whatever its attribute', () => {
    const m = withPolicy('{"Statement": [{"Action": "s3:GetObject", "Resource": "${aws_s3_bucket.j.website_endpoint}"}', { aws_s3_bucket: { j: { bucket: 'jb' } } });
    expect(grants(m)).toEqual([]);
    const own = withPolicy('{"Statement": [{"Action": "s3:GetObject", "Resource": "${aws_s3_bucket.k.region}"}');
    expect(grants(own)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P} (read conservatively)`]);
    expect(unknowns(m)).toEqual(['aws_iam_user_policy.p: the policy JSON does not parse; read conservatively']);
  });

  it('reads only the custody services out of an expression', () => {
    const v = '${jsonencode(merge(local.base, {Statement = [{Action = ["xs3:GetObject", "ec2:*", "s3-object-lambda:GetObject"], Resource = "*"}]}))}';
    const m = withPolicy(v);
    expect(accessU(m)).toEqual([]);
    expect(unknowns(m)).toEqual([`aws_iam_user_policy.p: the policy ${v.slice(0, 77)}... is an expression that is not evaluated; read conservatively`]);
  });

  it('records an expression with no custody action without reading it', () => {
    const m = withPolicy('${jsonencode(merge(local.base, {Statement = [{Action = "ec2:*"}]}))}');
    expect(grants(m)).toEqual([]);
    expect(unknowns(m)).toEqual(['aws_iam_user_policy.p: the policy ${jsonencode(merge(local.base, {Statement = [{Action = "ec2:*"}]}))} is an expression that is not evaluated']);
  });

  it('shows an expression of 80 characters whole and cuts a longer one to 77 and "..."', () => {
    const of = (n: number) => '${var.' + 'x'.repeat(n - 7) + '}';
    expect(of(80)).toHaveLength(80);
    expect(unknowns(withPolicy(of(80)))).toEqual([`aws_iam_user_policy.p: the policy ${of(80)} is an expression that is not evaluated`]);
    expect(unknowns(withPolicy(of(81)))).toEqual([`aws_iam_user_policy.p: the policy ${of(81).slice(0, 77)}... is an expression that is not evaluated`]);
    const expr = (n: number) => '${merge(' + 'y'.repeat(n - 10) + ')}';
    expect(expr(80)).toHaveLength(80);
    expect(unknowns(withPolicy(expr(80)))).toEqual([`aws_iam_user_policy.p: the policy ${expr(80)} is an expression that is not evaluated`]);
    expect(unknowns(withPolicy(expr(81)))).toEqual([`aws_iam_user_policy.p: the policy ${expr(81).slice(0, 77)}... is an expression that is not evaluated`]);
  });

  it('reads a star resource next to named ones in an expression', () => {
    const m = withPolicy('${jsonencode(merge(local.base, {Statement = [{Action = "s3:GetObject", Resource = "*"}, {Action = "s3:PutObject", Resource = "arn:aws:s3:::other/*"}]}))}');
    expect(accessU(m)).toEqual(['read', 'write']);
  });

  it('does not follow a reference with text around it', () => {
    const m = withPolicy('x${aws_iam_policy.x.policy}', { aws_iam_policy: { x: { name: 'x', policy: policy(allow('s3:GetObject', '*')) } } });
    expect(grants(m)).toEqual([]);
    expect(unknowns(m)).toEqual(['aws_iam_user_policy.p: the policy x${aws_iam_policy.x.policy} is an expression that is not evaluated']);
  });

  it('follows the policy attribute of a data source that is not an IAM policy', () => {
    const m = withPolicy('${data.aws_s3_bucket_policy.d.policy}', {}, { aws_s3_bucket_policy: { d: { bucket: 'kb', policy: policy(allow('s3:GetObject', '*')) } } });
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
    expect(unknowns(m)).toEqual([]);
  });

  it('follows the policy attribute of an unnamed managed policy', () => {
    const m = withPolicy('${aws_iam_policy.x.policy}', { aws_iam_policy: { x: { policy: policy(allow('s3:GetObject', '*')) } } });
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
  });

  it('parses ${jsonencode(...)} but not a jsonencode of something other than an object', () => {
    const m = withPolicy('${jsonencode({Statement = [{Effect = "Allow", Action = "s3:GetObject", Resource = "*"}]})}');
    expect(grants(m)).toEqual([`aws_iam_user.u aws_s3_bucket.k read | ${P}`]);
    expect(unknowns(m)).toEqual([]);
    expect(unknowns(withPolicy('${jsonencode("s3")}'))).toEqual(['aws_iam_user_policy.p: the policy ${jsonencode("s3")} is an expression that is not evaluated']);
    const two = withPolicy('${jsonencode({Statement = []})}${var.x}');
    expect(unknowns(two)).toEqual(['aws_iam_user_policy.p: the policy ${jsonencode({Statement = []})}${var.x} is an expression that is not evaluated']);
  });

  it('records an unreadable policy text once, for the first owner that uses it', () => {
    const m = mk(merge(BK, U, { aws_iam_user: { v: { name: 'v' } }, aws_iam_user_policy: { p: { user: 'u', policy: '${var.p}' }, q: { user: 'v', policy: '${var.p}' } } }));
    expect(unknowns(m)).toEqual(['aws_iam_user_policy.p: the policy ${var.p} is an expression that is not evaluated']);
  });
});

describe('attached policies and their labels', () => {
  const CUST: Res = { aws_iam_policy: { c: { name: 'cust', policy: policy(allow('s3:GetObject', '*')) } } };
  const attach = (policyArn: unknown, extra: Res = {}, data?: Res) => mk(merge(BK, U, CUST, extra, { aws_iam_user_policy_attachment: { a: { user: 'u', policy_arn: policyArn } } }), data);

  it('labels a customer policy by address, with its name when that differs', () => {
    expect(grants(attach('${aws_iam_policy.c.arn}'))).toEqual(['aws_iam_user.u aws_s3_bucket.k read | policy aws_iam_policy.c (cust)']);
    const same = mk(merge(BK, U, { aws_iam_policy: { cust: { name: 'cust', policy: policy(allow('s3:GetObject', '*')) } }, aws_iam_user_policy_attachment: { a: { user: 'u', policy_arn: '${aws_iam_policy.cust.arn}' } } }));
    expect(grants(same)).toEqual(['aws_iam_user.u aws_s3_bucket.k read | policy aws_iam_policy.cust']);
    const unnamed = mk(merge(BK, U, { aws_iam_policy: { c: { policy: policy(allow('s3:GetObject', '*')) } }, aws_iam_user_policy_attachment: { a: { user: 'u', policy_arn: '${aws_iam_policy.c.arn}' } } }));
    expect(grants(unnamed)).toEqual(['aws_iam_user.u aws_s3_bucket.k read | policy aws_iam_policy.c']);
  });

  it('finds a customer policy by the name in a literal ARN', () => {
    expect(grants(attach('arn:aws:iam::123456789012:policy/team/cust'))).toEqual(['aws_iam_user.u aws_s3_bucket.k read | policy aws_iam_policy.c (cust)']);
    const m = attach('arn:aws:iam::123456789012:policy/nope');
    expect(grants(m)).toEqual([]);
    expect(unknowns(m)).toEqual(['aws_iam_user_policy_attachment.a: policy arn:aws:iam::123456789012:policy/nope is not in the configuration']);
  });

  it('reports attachments it cannot follow', () => {
    const notFound = attach('${var.policy_arn}');
    expect(grants(notFound)).toEqual([]);
    expect(unknowns(notFound)).toEqual(['aws_iam_user_policy_attachment.a: attached policy ${var.policy_arn} cannot be followed']);
    const notPolicy = attach('${aws_iam_user.u.arn}');
    expect(unknowns(notPolicy)).toEqual(['aws_iam_user_policy_attachment.a: attached policy ${aws_iam_user.u.arn} is not an IAM policy']);
    const dataNotPolicy = attach('${data.aws_s3_bucket.d.arn}', {}, { aws_s3_bucket: { d: { bucket: 'x', name: 'cust' } } });
    expect(unknowns(dataNotPolicy)).toEqual(['aws_iam_user_policy_attachment.a: attached policy ${data.aws_s3_bucket.d.arn} is not an IAM policy']);
    expect(grants(dataNotPolicy)).toEqual([]);
    const twoRefs = attach('${aws_iam_policy.c.arn}${aws_iam_policy.c.id}');
    expect(unknowns(twoRefs)).toEqual(['aws_iam_user_policy_attachment.a: attached policy ${aws_iam_policy.c.arn}${aws_iam_policy.c.id} cannot be followed']);
    expect(grants(attach(7))).toEqual([]);
    expect(unknowns(attach(7))).toEqual([]);
  });

  it('reads a data.aws_iam_policy attachment: AWS-managed by ARN or by table name, customer by name or ARN', () => {
    const d = (v: Json) => attach('${data.aws_iam_policy.m.arn}', {}, { aws_iam_policy: { m: v } });
    expect(grants(d({ arn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' }))).toEqual([
      'aws_iam_user.u aws_s3_bucket.k read | policy data.aws_iam_policy.m (AmazonS3FullAccess)',
      'aws_iam_user.u aws_s3_bucket.k write | policy data.aws_iam_policy.m (AmazonS3FullAccess)',
      'aws_iam_user.u aws_s3_bucket.k delete | policy data.aws_iam_policy.m (AmazonS3FullAccess)',
      'aws_iam_user.u aws_s3_bucket.k admin | policy data.aws_iam_policy.m (AmazonS3FullAccess)',
    ]);
    expect(grants(d({ name: 'AmazonS3ReadOnlyAccess' }))).toEqual(['aws_iam_user.u aws_s3_bucket.k read | policy data.aws_iam_policy.m (AmazonS3ReadOnlyAccess)']);
    expect(grants(d({ name: 'cust' }))).toEqual(['aws_iam_user.u aws_s3_bucket.k read | policy data.aws_iam_policy.m → policy aws_iam_policy.c (cust)']);
    expect(grants(d({ arn: 'arn:aws:iam::123456789012:policy/cust' }))).toEqual(['aws_iam_user.u aws_s3_bucket.k read | policy data.aws_iam_policy.m → policy aws_iam_policy.c (cust)']);
    const elsewhere = d({ name: 'NotInTheTable' });
    expect(grants(elsewhere)).toEqual([]);
    expect(unknowns(elsewhere)).toEqual(['aws_iam_user_policy_attachment.a: data.aws_iam_policy.m names a policy outside the configuration']);
    expect(unknowns(d({}))).toEqual(['aws_iam_user_policy_attachment.a: data.aws_iam_policy.m names a policy outside the configuration']);
  });

  it('prefers a customer policy over the AWS-managed one of the same name', () => {
    const m = mk(
      merge(BK, U, {
        aws_iam_policy: { c: { name: 'AmazonS3FullAccess', policy: policy(allow('s3:GetObject', '*')) } },
        aws_iam_user_policy_attachment: { a: { user: 'u', policy_arn: '${data.aws_iam_policy.m.arn}' } },
      }),
      { aws_iam_policy: { m: { name: 'AmazonS3FullAccess' } } },
    );
    expect(grants(m)).toEqual(['aws_iam_user.u aws_s3_bucket.k read | policy data.aws_iam_policy.m → policy aws_iam_policy.c (AmazonS3FullAccess)']);
  });

  it('follows every attachment resource type', () => {
    const roleTrust = { assume_role_policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }) };
    const base = merge(BK, U, CUST, { aws_iam_role: { r: { name: 'r', ...roleTrust } }, aws_iam_group: { g: { name: 'g' } }, aws_iam_user: { w: { name: 'w' } }, aws_iam_user_group_membership: { m: { user: 'w', groups: ['g'] } } });
    const who = (extra: Res) => {
      const m = mk(merge(base, extra));
      return m.grants.map((g) => `${m.principalById(g.principal)?.address} ${g.via}`);
    };
    const ARN = '${aws_iam_policy.c.arn}';
    const L = 'policy aws_iam_policy.c (cust)';
    expect(who({ aws_iam_user_policy_attachment: { a: { user: 'u', policy_arn: ARN } } })).toEqual([`aws_iam_user.u ${L}`]);
    expect(who({ aws_iam_role_policy_attachment: { a: { role: 'r', policy_arn: ARN } } })).toEqual([`aws_iam_role.r ${L}`]);
    expect(who({ aws_iam_group_policy_attachment: { a: { group: 'g', policy_arn: ARN } } })).toEqual([`aws_iam_user.w group g → ${L}`]);
    expect(who({ aws_iam_policy_attachment: { a: { name: 'a', policy_arn: ARN, users: ['u'], roles: ['r'], groups: ['g'] } } })).toEqual([`aws_iam_user.u ${L}`, `aws_iam_user.w group g → ${L}`, `aws_iam_role.r ${L}`]);
    expect(who({ aws_iam_user_policy_attachments_exclusive: { a: { user_name: 'u', policy_arns: [ARN] } } })).toEqual([`aws_iam_user.u ${L}`]);
    expect(who({ aws_iam_role_policy_attachments_exclusive: { a: { role_name: 'r', policy_arns: [ARN] } } })).toEqual([`aws_iam_role.r ${L}`]);
    expect(who({ aws_iam_group_policy_attachments_exclusive: { a: { group_name: 'g', policy_arns: [ARN] } } })).toEqual([`aws_iam_user.w group g → ${L}`]);
    expect(who({ aws_iam_role: { r: { name: 'r', ...roleTrust, managed_policy_arns: [ARN] } } })).toEqual([`aws_iam_role.r ${L}`]);
  });

  it('labels role inline_policy blocks with their name when it is literal', () => {
    const m = mk(
      merge(BK, {
        aws_iam_role: {
          r: { name: 'r', inline_policy: [{ name: 'keys', policy: policy(allow('s3:GetObject', '*')) }, { name: 'none' }] },
          q: { name: 'q', inline_policy: { name: '${var.n}', policy: policy(allow('s3:PutObject', '*')) } },
        },
      }),
    );
    expect(grants(m)).toEqual(['aws_iam_role.r aws_s3_bucket.k read | inline policy aws_iam_role.r "keys"', 'aws_iam_role.q aws_s3_bucket.k write | inline policy aws_iam_role.q']);
  });

  it('reads inline policies of users, roles and groups, and not data sources of those types', () => {
    const m = mk(
      merge(BK, U, {
        aws_iam_role: { r: { name: 'r' } },
        aws_iam_group: { g: { name: 'g' } },
        aws_iam_user_group_membership: { m: { user: 'u', groups: ['g'] } },
        aws_iam_role_policy: { rp: { role: 'r', policy: policy(allow('s3:PutObject', '*')) } },
        aws_iam_group_policy: { gp: { group: 'g', policy: policy(allow('s3:GetObject', '*')) } },
      }),
      { aws_iam_role_policy: { drp: { role: 'r', policy: policy(allow('s3:*', '*')) } } },
    );
    expect(grants(m)).toEqual(['aws_iam_user.u aws_s3_bucket.k read | group g → inline policy aws_iam_group_policy.gp', 'aws_iam_role.r aws_s3_bucket.k write | inline policy aws_iam_role_policy.rp']);
  });
});
