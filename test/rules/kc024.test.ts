import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc024-kms-rotation';
import { bucket, doc, findings, tags } from './kc0xx-fixtures';

describe('KC024 KMS key rotation', () => {
  it('passes rotating keys', () => {
    expect(findings(rule, ['s', doc(bucket('kb', 'key-backup'), bucket('db', 'db-backup', { tags: tags('db-backup') }))])).toEqual([]);
  });

  it('warns at the key when rotation is off, naming the stores that use it', () => {
    const f = findings(rule, ['s', doc(bucket('kb', 'key-backup', { rotation: false }))]);
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe('warning');
    expect(f[0].address).toBe('aws_kms_key.kb');
    expect(f[0].message).toBe('does not rotate (enable_key_rotation is not true; used by aws_s3_bucket.kb)');
    expect(f[0].fix).toBe('set enable_key_rotation = true on aws_kms_key.kb');
  });

  it('warns for a Secrets Manager key store through its kms_key_id, and for an adopted key', () => {
    const f = findings(rule, [
      's',
      doc({
        data: { aws_kms_key: { shared: { key_id: 'alias/custody' } } },
        resource: {
          aws_kms_key: { hot: { description: 'hot' } },
          aws_secretsmanager_secret: {
            hot: { name: 'z', kms_key_id: '${aws_kms_key.hot.arn}', tags: tags('key-store') },
            other: { name: 'y', kms_key_id: '${data.aws_kms_key.shared.arn}', tags: tags('key-store', 'k2') },
          },
        },
      }),
    ]);
    expect(f.map((x) => x.address).sort()).toEqual(['aws_kms_key.hot', 'data.aws_kms_key.shared']);
    expect(f.find((x) => x.address === 'data.aws_kms_key.shared')?.message).toContain('cannot be verified');
  });

  it('ignores KMS keys no custody store uses', () => {
    expect(findings(rule, ['s', doc({ resource: { aws_kms_key: { unrelated: { description: 'x' } } } })])).toEqual([]);
  });
});
