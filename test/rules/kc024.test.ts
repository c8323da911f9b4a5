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

describe('KC024 messages per case (mutation tests)', () => {
  it('gives the exact message for a key without enable_key_rotation and for an adopted key', () => {
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
    expect(f.map((x) => [x.address, x.message, x.fix])).toEqual([
      ['aws_kms_key.hot', 'does not rotate (enable_key_rotation is not true; used by aws_secretsmanager_secret.hot)', 'set enable_key_rotation = true on aws_kms_key.hot'],
      [
        'data.aws_kms_key.shared',
        'is an adopted KMS key whose rotation cannot be verified here (used by aws_secretsmanager_secret.other)',
        'enable automatic rotation on the key where it is managed, then suppress with a reason that says where',
      ],
    ]);
  });

  it('reports an expression it cannot prove, and accepts the literal string "true"', () => {
    const f = findings(rule, [
      's',
      doc({
        resource: {
          aws_kms_key: { expr: { enable_key_rotation: '${var.rotate}' }, str: { enable_key_rotation: 'true' } },
          aws_secretsmanager_secret: {
            a: { name: 'a', kms_key_id: '${aws_kms_key.expr.arn}', tags: tags('key-store') },
            b: { name: 'b', kms_key_id: '${aws_kms_key.expr.arn}', tags: tags('key-store', 'k2') },
            c: { name: 'c', kms_key_id: '${aws_kms_key.str.arn}', tags: tags('key-store', 'k3') },
          },
        },
      }),
    ]);
    expect(f.map((x) => [x.address, x.message, x.fix])).toEqual([
      [
        'aws_kms_key.expr',
        'has enable_key_rotation set to an expression, so rotation cannot be proven (used by aws_secretsmanager_secret.a, aws_secretsmanager_secret.b)',
        'set enable_key_rotation = true literally on aws_kms_key.expr',
      ],
    ]);
  });

  it('names the stack of a store that uses a key of another stack through its alias', () => {
    const f = findings(
      rule,
      ['k', doc({ resource: { aws_kms_key: { shared: { description: 'x' } }, aws_kms_alias: { shared: { name: 'alias/custody', target_key_id: '${aws_kms_key.shared.key_id}' } } } })],
      ['s', doc({ resource: { aws_secretsmanager_secret: { hot: { name: 'z', kms_key_id: 'alias/custody', tags: tags('key-store') } } } })],
    );
    expect(f.map((x) => x.message)).toEqual(['does not rotate (enable_key_rotation is not true; used by aws_secretsmanager_secret.hot (stack s))']);
  });
});
