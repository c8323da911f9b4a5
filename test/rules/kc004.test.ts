import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc004-no-key-material-in-terraform';
import { runRules } from '../../lib/rules/engine';
import { container, doc, findings, labels, manifest, model, tags, zitadelKey } from './kc0xx-fixtures';

const SECRET = 'MasterkeyNeedsToHave32Characters';

const secretStore = {
  resource: {
    aws_kms_key: { hot: { enable_key_rotation: true } },
    aws_secretsmanager_secret: { hot: { name: 'zitadel/masterkey', kms_key_id: '${aws_kms_key.hot.arn}', tags: tags('key-store') } },
  },
};

describe('KC004 no key material in Terraform', () => {
  it('passes write-only secret_string_wo, SSM value_wo, unrelated uploads and secrets', () => {
    const f = findings(rule, [
      'keys',
      doc(manifest([zitadelKey()]), secretStore, {
        variable: { key: { type: 'string', ephemeral: true } },
        resource: {
          aws_secretsmanager_secret_version: {
            hot: { secret_id: '${aws_secretsmanager_secret.hot.id}', secret_string_wo: '${var.key}', secret_string_wo_version: 1 },
            dbpw: { secret_id: '${aws_secretsmanager_secret.dbpw.id}', secret_string: '${random_password.db.result}' },
          },
          aws_ssm_parameter: { hot: { name: '/zitadel/masterkey', type: 'SecureString', value_wo: '${var.key}', value_wo_version: 1, tags: tags('key-store') } },
          random_password: { db: { length: 24 } },
          aws_secretsmanager_secret: { dbpw: { name: 'db-password' } },
          docker_secret: { tls: { name: 'tls_cert', data: 'Y2VydA==' } },
        },
      }, container('nginx', { image: 'nginx', upload: [{ file: '/etc/nginx/nginx.conf', content: 'server {}' }] })),
    ]);
    expect(f).toEqual([]);
  });

  it('flags plain secret_string / secret_binary on a key store, never printing the value', () => {
    const f = findings(rule, [
      'keys',
      doc(secretStore, {
        resource: {
          aws_secretsmanager_secret_version: {
            hot: { secret_id: '${aws_secretsmanager_secret.hot.id}', secret_string: SECRET },
            bin: { secret_id: 'zitadel/masterkey', secret_binary: 'TWFzdGVy' },
          },
        },
      }),
    ]);
    expect(f.map((x) => x.address).sort()).toEqual(['aws_secretsmanager_secret_version.bin', 'aws_secretsmanager_secret_version.hot']);
    const hot = f.find((x) => x.address.endsWith('.hot'));
    expect(hot?.message).toContain('plain `secret_string`');
    expect(hot?.message).toContain('key-store aws_secretsmanager_secret.hot');
    expect(hot?.fix).toContain('secret_string_wo');
    expect(JSON.stringify(f)).not.toContain(SECRET);
    expect(JSON.stringify(f)).not.toContain('TWFzdGVy');
  });

  it('flags SSM key stores with value / insecure_value', () => {
    const f = findings(rule, [
      'keys',
      doc({
        resource: {
          aws_ssm_parameter: {
            a: { name: '/z/a', type: 'SecureString', value: SECRET, tags: tags('key-store') },
            b: { name: '/z/b', type: 'String', insecure_value: SECRET, tags: tags('key-backup') },
            other: { name: '/z/other', type: 'String', value: 'not-a-key' },
          },
        },
      }),
    ]);
    expect(f.map((x) => x.address)).toEqual(['aws_ssm_parameter.a', 'aws_ssm_parameter.b']);
    expect(f[0].fix).toContain('value_wo');
    expect(JSON.stringify(f)).not.toContain(SECRET);
  });

  it('flags a non-ephemeral random_password feeding a key store, also through a write-only argument and terraform_data', () => {
    const f = findings(rule, [
      'keys',
      doc(secretStore, {
        resource: {
          random_password: { key: { length: 32, special: false } },
          random_bytes: { key2: { length: 32 } },
          terraform_data: { pass: { input: '${random_bytes.key2.base64}' } },
          aws_secretsmanager_secret_version: { hot: { secret_id: '${aws_secretsmanager_secret.hot.id}', secret_string_wo: '${random_password.key.result}', secret_string_wo_version: 1 } },
          aws_ssm_parameter: { p: { name: '/z', type: 'SecureString', value_wo: '${terraform_data.pass.output}', tags: tags('key-store') } },
        },
      }),
    ]);
    expect(f.map((x) => x.address).sort()).toEqual(['random_bytes.key2', 'random_password.key']);
    expect(f.find((x) => x.address === 'random_password.key')?.message).toContain('aws_secretsmanager_secret_version.hot.secret_string_wo');
    expect(f[0].fix).toMatch(/ephemeral|out of band/);
  });

  it('flags S3 object content in a key-backup bucket', () => {
    const f = findings(rule, [
      'keys',
      doc({
        resource: {
          aws_s3_bucket: { kb: { bucket: 'kc-kb', tags: tags('key-backup') } },
          aws_s3_object: {
            k: { bucket: '${aws_s3_bucket.kb.id}', key: 'masterkey.age', content_base64: 'YWdl' },
            ok: { bucket: '${aws_s3_bucket.kb.id}', key: 'README', source: 'README.md' },
          },
        },
      }),
    ]);
    expect(f.map((x) => x.address)).toEqual(['aws_s3_object.k']);
    expect(f[0].message).toContain('key-backup bucket aws_s3_bucket.kb');
  });

  it('flags docker_secret data carrying the key and key uploads into containers', () => {
    const f = findings(rule, [
      'app',
      doc(manifest([zitadelKey()]), {
        resource: {
          random_password: { mk: { length: 32 } },
          docker_secret: {
            mk: { name: 'servos_master_key', data: '${base64encode(random_password.mk.result)}' },
            labelled: { name: 'k2', data: 'eA==', labels: labels({ 'custody:role': 'key-store' }) },
            used: { name: 'k3', data: 'eA==' },
          },
          docker_service: {
            s: {
              name: 's',
              task_spec: {
                container_spec: {
                  image: 'x',
                  env: { ACT_MASTER_KEY_FILE: '/run/secrets/k3' },
                  secrets: [{ secret_id: '${docker_secret.used.id}', file_name: '/run/secrets/k3' }],
                  labels: labels({ 'custody:key': 'act-master' }),
                },
              },
            },
          },
        },
      }, container('zitadel', { upload: [{ file: '/run/secrets/masterkey', content: SECRET }], labels: labels({ 'custody:app': 'zitadel' }) }),
      container('plain', { image: 'x', upload: [{ file: '/etc/zitadel/masterkey', content_base64: 'eA==' }] })),
    ]);
    expect(f.map((x) => x.address).sort()).toEqual([
      'docker_container.plain',
      'docker_container.zitadel',
      'docker_secret.labelled',
      'docker_secret.mk',
      'docker_secret.used',
      'random_password.mk',
    ]);
    expect(f.find((x) => x.address === 'docker_secret.used')?.message).toContain('mounted by key container docker_service.s');
    expect(f.find((x) => x.address === 'docker_container.zitadel')?.message).toContain('upload.content');
    expect(JSON.stringify(f)).not.toContain(SECRET);
  });

  it('cannot be suppressed', () => {
    const m = model([
      'keys',
      doc(manifest([], { suppressions: [{ id: 'KC004', reason: 'legacy secret, migrating next quarter' }] }), secretStore, {
        resource: { aws_secretsmanager_secret_version: { hot: { secret_id: '${aws_secretsmanager_secret.hot.id}', secret_string: SECRET } } },
      }),
    ]);
    const r = runRules(m, [rule], { today: '2026-01-01' });
    const kc004 = r.findings.filter((x) => x.ruleId === 'KC004');
    expect(kc004).toHaveLength(1);
    expect(kc004[0].suppressed).toBe(false);
    expect(r.findings.some((x) => x.ruleId === 'KC090' && x.message.includes('cannot be suppressed'))).toBe(true);
  });
});
