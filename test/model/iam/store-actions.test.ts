/** Store actions the hand table missed: each returns or changes a stored value, so the model reports it. */
import { describe, expect, it } from 'vitest';
import { BK, PARAM, SEC, U, accessU, allow, byStore, deny, grantLines as grants, merge, mk, policy, tags, up, type Res } from '../../fixtures/iam/fixtures';

/** A key-store parameter deep in a hierarchy. */
const DEEP: Res = { aws_ssm_parameter: { prm: { name: '/app/keys/master', type: 'SecureString', tags: tags('key-store') } } };
const ssm = (m: ReturnType<typeof mk>) => accessU(m, 'aws_ssm_parameter.prm');

describe('SSM: GetParametersByPath and GetParameterHistory', () => {
  it('reads a parameter through GetParametersByPath on any path above it', () => {
    for (const path of ['/app', '/app/keys']) {
      const m = mk(merge(DEEP, up(allow('ssm:GetParametersByPath', `arn:aws:ssm:eu-central-1:123456789012:parameter${path}`))));
      expect(ssm(m), path).toEqual(['read']);
    }
    expect(ssm(mk(merge(DEEP, up(allow('ssm:GetParametersBy*', 'arn:aws:ssm:*:*:parameter/app*')))))).toEqual(['read']);
  });

  it('does not read it through a path beside it, or through its own name (which lists only what is below)', () => {
    expect(ssm(mk(merge(DEEP, up(allow('ssm:GetParametersByPath', 'arn:aws:ssm:*:*:parameter/other')))))).toEqual([]);
    expect(ssm(mk(merge(DEEP, up(allow('ssm:GetParametersByPath', '${aws_ssm_parameter.prm.arn}')))))).toEqual([]);
  });

  it('reads a parameter whose name is unknown through any path', () => {
    const m = mk(merge({ aws_ssm_parameter: { prm: { name: '${var.name}', type: 'SecureString', tags: tags('key-store') } } }, up(allow('ssm:GetParametersByPath', 'arn:aws:ssm:*:*:parameter/x'))));
    expect(ssm(m)).toEqual(['read']);
  });

  it('is stopped only by a Deny on every path above the parameter', () => {
    const byPath = allow('ssm:GetParametersByPath', 'arn:aws:ssm:*:*:parameter/app');
    expect(ssm(mk(merge(DEEP, up(byPath, deny('ssm:GetParametersByPath', '${aws_ssm_parameter.prm.arn}')))))).toEqual(['read']);
    expect(ssm(mk(merge(DEEP, up(byPath, deny('ssm:GetParametersByPath', '*')))))).toEqual([]);
  });

  it('reads a parameter through GetParameterHistory, and writes it through LabelParameterVersion', () => {
    expect(ssm(mk(merge(PARAM, up(allow('ssm:GetParameterHistory', '${aws_ssm_parameter.prm.arn}')))))).toEqual(['read']);
    expect(ssm(mk(merge(PARAM, up(allow('ssm:LabelParameterVersion', '*')))))).toEqual(['write']);
  });
});

describe('Secrets Manager: UpdateSecretVersionStage', () => {
  it('writes a secret by moving AWSCURRENT to another version', () => {
    expect(byStore(mk(merge(SEC, up(allow('secretsmanager:UpdateSecretVersionStage', '*')))))).toEqual({ 'aws_secretsmanager_secret.sec': ['write'] });
  });
});

describe('S3: replication configuration', () => {
  it('reads a bucket whose replication it may configure', () => {
    const m = mk(merge(BK, up(allow('s3:PutReplicationConfiguration', 'arn:aws:s3:::kb'))));
    expect(grants(m)).toEqual(['aws_iam_user.u aws_s3_bucket.k read | inline policy aws_iam_user_policy.p']);
    // On the objects only, it names nothing the action is authorized on.
    expect(accessU(mk(merge(BK, up(allow('s3:PutReplicationConfiguration', 'arn:aws:s3:::kb/*')))))).toEqual([]);
  });
});

describe('KMS: ReEncryptFrom', () => {
  const BKK: Res = merge(BK, {
    aws_kms_key: { kk: { description: 'k' } },
    aws_s3_bucket_server_side_encryption_configuration: {
      k: { bucket: '${aws_s3_bucket.k.id}', rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.kk.arn}' } }] },
    },
  });

  it('decrypts by re-encrypting under a key the caller holds', () => {
    expect(byStore(mk(merge(BKK, up(allow('kms:ReEncrypt*', '*')))))).toEqual({ 'aws_s3_bucket.k': ['decrypt'] });
  });

  it('still decrypts when a key policy denies only kms:Decrypt', () => {
    const kp = policy({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }, { Effect: 'Deny', Principal: { AWS: '${aws_iam_user.u.arn}' }, Action: 'kms:Decrypt', Resource: '*' });
    expect(byStore(mk(merge(BKK, U, { aws_kms_key: { kk: { description: 'k', policy: kp } } })))).toEqual({ 'aws_s3_bucket.k': ['decrypt'] });
  });
});
