/**
 * The rule on whole configurations first, then the exact-output tests.
 * KC004 with exact messages and fixes: Secrets Manager versions of key stores (by
 * reference, by name, by ARN, by path suffix), SSM key stores (with and without a key tag,
 * adopted ones skipped), S3 objects in key buckets, docker_secret data (custody label, key
 * container mount, key-like name), docker uploads (every "key-ish" reason), and the random
 * generators feeding each sink, directly or through pass-through resources.
 */
import { describe, expect, it } from 'vitest';
import { runRules } from '../../lib/rules/engine';
import { rule } from '../../lib/rules/kc004-no-key-material-in-terraform';
import { container, doc, findings, labels, manifest, model, tags, zitadelKey, bucket, type Json } from './kc0xx-fixtures';

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

type Row = [string, string, string | undefined];
const rows = (...stacks: [string, Json][]): Row[] => rule.check(model(...stacks)).map((v) => [v.address, v.message, v.fix]);
const check = (...parts: Json[]) => rows(['s', doc(...parts)]);

const SM_FIX = (attr: string) => `replace \`${attr}\` with write-only \`secret_string_wo\` (with \`secret_string_wo_version\`) fed by an ephemeral value, or write the secret value out of band`;
const SSM_FIX = (attr: string) =>
  `replace \`${attr}\` with write-only \`value_wo\` (with \`value_wo_version\`) fed by an ephemeral value, or set the parameter out of band (aws ssm put-parameter) with lifecycle ignore_changes = [value]`;
const RND_FIX = (type: string) => `generate the key out of band (e.g. \`openssl rand\` on the host), or use an ephemeral ${type} (Terraform >= 1.10) feeding a write-only argument`;
const S3_FIX = 'upload the (age-encrypted) key backup out of band (e.g. `aws s3 cp` from the host), never through Terraform `content`';
const SECRET_FIX =
  'do not create the key secret with Terraform: bind-mount the host key file read-only instead (KC003), or create the secret out of band (`docker secret create`) and reference it by name';
const UPLOAD_FIX = 'remove the upload block; bind-mount the host key file read-only instead (source = the declared hot copy, read_only = true) and pass it by path';
const UPLOAD_RND_FIX = 'generate the key out of band on the host (e.g. `openssl rand -base64 32 | head -c 32`), never with a Terraform random resource';

const secrets = {
  resource: {
    aws_secretsmanager_secret: {
      hot: { name: 'zitadel/masterkey', tags: tags('key-store') },
      backup: { name: 'zitadel/backup', tags: tags('key-backup') },
      db: { name: 'zitadel/db', tags: tags('db-backup') },
    },
  },
};

describe('KC004 Secrets Manager (mutation tests)', () => {
  it('plain secret_string and secret_binary on key stores, matched by reference, name, ARN or path suffix', () => {
    expect(
      check(secrets, {
        resource: {
          aws_secretsmanager_secret_version: {
            ref: { secret_id: '${aws_secretsmanager_secret.hot.id}', secret_string: 'x', secret_binary: 'y' },
            name: { secret_id: 'zitadel/backup', secret_binary: 'y' },
            arn: { secret_id: 'arn:aws:secretsmanager:eu-central-1:1:secret:zitadel/masterkey-AbCdEf', secret_string: 'x' },
            suffix: { secret_id: 'prefix/zitadel/backup', secret_string: 'x' },
            db: { secret_id: '${aws_secretsmanager_secret.db.id}', secret_string: 'x' },
            dbName: { secret_id: 'zitadel/db', secret_string: 'x' },
            other: { secret_id: 'unrelated', secret_string: 'x' },
            empty: { secret_id: 'zitadel/masterkey', secret_string: '', secret_binary: null },
            wo: { secret_id: 'zitadel/masterkey', secret_string_wo: '${var.k}' },
            expr: { secret_id: '${var.id}', secret_string: 'x' },
          },
        },
      }),
    ).toEqual([
      ['aws_secretsmanager_secret_version.ref', 'writes the key of key-store aws_secretsmanager_secret.hot through plain `secret_string` (value <redacted>), which Terraform keeps in plan and state', SM_FIX('secret_string')],
      ['aws_secretsmanager_secret_version.ref', 'writes the key of key-store aws_secretsmanager_secret.hot through plain `secret_binary` (value <redacted>), which Terraform keeps in plan and state', SM_FIX('secret_binary')],
      ['aws_secretsmanager_secret_version.name', 'writes the key of key-backup aws_secretsmanager_secret.backup through plain `secret_binary` (value <redacted>), which Terraform keeps in plan and state', SM_FIX('secret_binary')],
      ['aws_secretsmanager_secret_version.arn', 'writes the key of key-store aws_secretsmanager_secret.hot through plain `secret_string` (value <redacted>), which Terraform keeps in plan and state', SM_FIX('secret_string')],
      ['aws_secretsmanager_secret_version.suffix', 'writes the key of key-backup aws_secretsmanager_secret.backup through plain `secret_string` (value <redacted>), which Terraform keeps in plan and state', SM_FIX('secret_string')],
    ]);
  });

  it('random generators feeding a key secret (also write-only and through terraform_data), one finding per generator and sink', () => {
    expect(
      check(secrets, {
        resource: {
          random_password: { a: { length: 32 } },
          random_bytes: { b: { length: 32 } },
          terraform_data: { pass: { input: '${random_bytes.b.base64}' } },
          aws_secretsmanager_secret_version: {
            wo: { secret_id: '${aws_secretsmanager_secret.hot.id}', secret_string_wo: '${random_password.a.result}' },
            via: { secret_id: '${aws_secretsmanager_secret.backup.id}', secret_string: '${terraform_data.pass.output}-${random_password.a.result}' },
          },
        },
      }),
    ).toEqual([
      ['random_password.a', 'generates key material that feeds key-store aws_secretsmanager_secret.hot through aws_secretsmanager_secret_version.wo.secret_string_wo; a non-ephemeral random_password keeps its result in plan and state', RND_FIX('random_password')],
      ['aws_secretsmanager_secret_version.via', 'writes the key of key-backup aws_secretsmanager_secret.backup through plain `secret_string` (value <redacted>), which Terraform keeps in plan and state', SM_FIX('secret_string')],
      ['random_bytes.b', 'generates key material that feeds key-backup aws_secretsmanager_secret.backup through aws_secretsmanager_secret_version.via.secret_string; a non-ephemeral random_bytes keeps its result in plan and state', RND_FIX('random_bytes')],
      ['random_password.a', 'generates key material that feeds key-backup aws_secretsmanager_secret.backup through aws_secretsmanager_secret_version.via.secret_string; a non-ephemeral random_password keeps its result in plan and state', RND_FIX('random_password')],
    ]);
  });

  it('pass-through stops after four hops and at resources that are not pass-through; data sources are not generators', () => {
    const chain = (hops: number): Json => {
      const td: Record<string, Json> = {};
      for (let i = 0; i < hops; i++) td[`t${i}`] = { input: i === hops - 1 ? '${random_id.r.hex}' : `\${terraform_data.t${i + 1}.output}` };
      return {
        resource: {
          random_id: { r: { byte_length: 32 } },
          terraform_data: td,
          aws_secretsmanager_secret_version: { v: { secret_id: 'zitadel/masterkey', secret_string_wo: '${terraform_data.t0.output}' } },
        },
      };
    };
    expect(check(secrets, chain(4)).map((r) => r[0])).toEqual(['random_id.r']);
    expect(check(secrets, chain(5))).toEqual([]);
    expect(
      check(secrets, {
        resource: {
          null_resource: { n: { triggers: { k: '${random_string.s.result}' } } },
          local_file: { f: { content: '${null_resource.n.id}' } },
          aws_kms_key: { k: { description: '${random_string.t.result}' } },
          random_string: { s: { length: 4 }, t: { length: 4 } },
          aws_secretsmanager_secret_version: { v: { secret_id: 'zitadel/masterkey', secret_string_wo: '${local_file.f.content} ${aws_kms_key.k.arn} ${data.random_password.d.result}' } },
        },
        data: { random_password: { d: { length: 4 } } },
      }),
    ).toEqual([
      ['random_string.s', 'generates key material that feeds key-store aws_secretsmanager_secret.hot through aws_secretsmanager_secret_version.v.secret_string_wo; a non-ephemeral random_string keeps its result in plan and state', RND_FIX('random_string')],
    ]);
  });

  it('names the stack of the sink when several stacks are in play', () => {
    expect(rows(['s', doc(secrets, { resource: { aws_secretsmanager_secret_version: { v: { secret_id: '${aws_secretsmanager_secret.hot.id}', secret_string: 'x' } } } })], ['t', {}])).toEqual([
      [
        'aws_secretsmanager_secret_version.v',
        'writes the key of key-store aws_secretsmanager_secret.hot (stack s) through plain `secret_string` (value <redacted>), which Terraform keeps in plan and state',
        SM_FIX('secret_string'),
      ],
    ]);
  });
});

describe('KC004 SSM and S3 (mutation tests)', () => {
  it('SSM key stores hold the value in value / insecure_value; the key id is named when tagged', () => {
    expect(
      check(
        {
          resource: {
            aws_ssm_parameter: {
              a: { name: '/z/a', type: 'SecureString', value: 'x', insecure_value: 'y', tags: tags('key-store') },
              b: { name: '/z/b', type: 'String', insecure_value: 'y', tags: { 'custody:role': 'key-backup' } },
              c: { name: '/z/c', type: 'String', value: '', tags: tags('key-store') },
              d: { name: '/z/d', type: 'String', value: 'x', tags: tags('db-backup') },
              e: { name: '/z/e', type: 'String', value_wo: '${random_password.p.result}', tags: tags('key-store') },
            },
            random_password: { p: { length: 4 } },
          },
        },
        { data: { aws_ssm_parameter: { adopted: { name: '/z/adopted', value: 'x' } } } },
        manifest([], { adoptedStores: [{ address: 'data.aws_ssm_parameter.adopted', role: 'key-store', key: 'k' }] }),
      ),
    ).toEqual([
      ['aws_ssm_parameter.a', 'holds the key zitadel-master (key-store) in plain `value` (value <redacted>), which Terraform keeps in plan and state', SSM_FIX('value')],
      ['aws_ssm_parameter.a', 'holds the key zitadel-master (key-store) in plain `insecure_value` (value <redacted>), which Terraform keeps in plan and state', SSM_FIX('insecure_value')],
      ['aws_ssm_parameter.b', 'holds the key (key-backup) in plain `insecure_value` (value <redacted>), which Terraform keeps in plan and state', SSM_FIX('insecure_value')],
      ['random_password.p', 'generates key material that feeds key-store aws_ssm_parameter.e through aws_ssm_parameter.e.value_wo; a non-ephemeral random_password keeps its result in plan and state', RND_FIX('random_password')],
    ]);
  });

  it('S3 objects with content in key buckets, by reference or literal name; other buckets and data objects are fine', () => {
    expect(
      check(bucket('kb', 'key-backup'), bucket('db', 'db-backup', { tags: tags('db-backup') }), {
        resource: {
          random_bytes: { r: { length: 32 } },
          aws_s3_object: {
            ref: { bucket: '${aws_s3_bucket.kb.id}', key: 'k', content: 'x', content_base64: 'eA==' },
            lit: { bucket: 'kc-kb', key: 'k', content_base64: '${random_bytes.r.base64}' },
            db: { bucket: '${aws_s3_bucket.db.id}', key: 'k', content: 'x' },
            file: { bucket: 'kc-kb', key: 'k', source: '/tmp/k.age' },
          },
          aws_s3_bucket_object: { old: { bucket: 'kc-kb', key: 'k', content: 'x' } },
        },
        data: { aws_s3_object: { d: { bucket: 'kc-kb', key: 'k', content: 'x' } } },
      }),
    ).toEqual([
      ['aws_s3_object.ref', 'uploads key material into key-backup bucket aws_s3_bucket.kb through `content` (value <redacted>), which Terraform keeps in plan and state', S3_FIX],
      ['aws_s3_object.ref', 'uploads key material into key-backup bucket aws_s3_bucket.kb through `content_base64` (value <redacted>), which Terraform keeps in plan and state', S3_FIX],
      ['aws_s3_object.lit', 'uploads key material into key-backup bucket aws_s3_bucket.kb through `content_base64` (value <redacted>), which Terraform keeps in plan and state', S3_FIX],
      ['random_bytes.r', 'generates key material that feeds key-backup bucket aws_s3_bucket.kb through aws_s3_object.lit.content_base64; a non-ephemeral random_bytes keeps its result in plan and state', RND_FIX('random_bytes')],
      ['aws_s3_bucket_object.old', 'uploads key material into key-backup bucket aws_s3_bucket.kb through `content` (value <redacted>), which Terraform keeps in plan and state', S3_FIX],
    ]);
  });
});

describe('KC004 docker (mutation tests)', () => {
  it('docker_secret data: custody-labelled, mounted by a key container, or named like a key; others and empty data are fine', () => {
    const svc = (name: string, secretRef: string, lbls: Json[]) => ({
      resource: { docker_service: { [name]: { name, labels: lbls, task_spec: { container_spec: { image: 'x', secrets: [{ secret_id: secretRef, file_name: 'k' }] } } } } },
    });
    expect(
      check(
        manifest([zitadelKey()]),
        {
          resource: {
            random_password: { p: { length: 32 } },
            docker_secret: {
              labelled: { name: 'a', data: 'x', labels: [{ label: 'custody:app', value: 'zitadel' }] },
              used: { name: 'b', data: '${random_password.p.result}' },
              named: { name: 'zitadel-master_key', data: 'x' },
              namedEmpty: { name: 'masterkey', data: '' },
              plain: { name: 'tls', data: 'x', labels: [{ label: 'team', value: 'x' }, { value: 'custody:x' }] },
              plainUsed: { name: 'c', data: 'x' },
              all: { name: 'masterkey2', data: 'x', labels: [{ label: 'custody:key', value: 'zitadel-master' }] },
              labelledNamed: { name: 'masterkey3', data: 'x', labels: [{ label: 'custody:key', value: 'zitadel-master' }] },
            },
          },
        },
        svc('app', '${docker_secret.used.id}', labels({ 'custody:key': 'zitadel-master' })),
        svc('web', '${docker_secret.plainUsed.id}', labels({ team: 'web' })),
        svc('app2', '${docker_secret.all.id}', labels({ 'custody:app': 'zitadel' })),
      ),
    ).toEqual([
      ['docker_secret.labelled', 'carries the key in `data` (value <redacted>; custody-labelled); docker_secret data is stored in plan and state', SECRET_FIX],
      ['docker_secret.used', 'carries the key in `data` (value <redacted>; mounted by key container docker_service.app); docker_secret data is stored in plan and state', SECRET_FIX],
      ['random_password.p', 'generates key material that feeds docker_secret docker_secret.used through docker_secret.used.data; a non-ephemeral random_password keeps its result in plan and state', RND_FIX('random_password')],
      ['docker_secret.named', 'carries the key in `data` (value <redacted>; named zitadel-master_key); docker_secret data is stored in plan and state', SECRET_FIX],
      ['docker_secret.all', 'carries the key in `data` (value <redacted>; mounted by key container docker_service.app2); docker_secret data is stored in plan and state', SECRET_FIX],
      ['docker_secret.labelledNamed', 'carries the key in `data` (value <redacted>; custody-labelled); docker_secret data is stored in plan and state', SECRET_FIX],
    ]);
  });

  it('uploads of key files: every reason a file is key-ish, with the generator behind the content', () => {
    const up = (file: string | undefined, attr = 'content', value = 'x') => ({ ...(file === undefined ? {} : { file }), [attr]: value });
    expect(
      check(
        manifest([zitadelKey({ hostPath: '/etc/zitadel/masterkey', hostFile: undefined }), zitadelKey({ id: 'k2', app: 'k2', hostPath: '/keys/k2', hostFile: undefined })]),
        { resource: { random_password: { p: { length: 32 } } } },
        container('secrets', { image: 'nginx', upload: [up('/run/secrets/x'), up('/etc/nginx.conf')] }),
        container('hostpath', { image: 'nginx', upload: up('/keys/k2', 'content_base64', '${random_password.p.result}') }),
        container('passed', { image: 'nginx', command: ['--masterkeyFile', '/opt/k'], upload: [up('/opt/k')] }),
        container('named', { image: 'nginx', upload: [up('/opt/Master-Key.txt'), up('/opt/masterkey', 'content', '')] }),
        container('labelled', { image: 'nginx', labels: labels({ 'custody:component': 'x' }), upload: [up(undefined)] }),
        container('carrier', { image: 'nginx', mounts: [{ type: 'bind', source: '/etc/zitadel', target: '/z', read_only: true }], upload: [up('/opt/conf')] }),
        container('plain', { image: 'nginx', labels: labels({ team: 'x' }), upload: [up('/opt/conf'), up('/run/secret')] }),
      ),
    ).toEqual([
      ['docker_container.secrets', 'uploads /run/secrets/x with `upload.content` (value <redacted>), which Terraform keeps in plan and state', UPLOAD_FIX],
      ['docker_container.hostpath', 'uploads /keys/k2 with `upload.content_base64` (value <redacted>), which Terraform keeps in plan and state', UPLOAD_FIX],
      ['random_password.p', 'generates key material that feeds the upload of /keys/k2 into docker_container.hostpath; a non-ephemeral random_password keeps its result in plan and state', UPLOAD_RND_FIX],
      ['docker_container.passed', 'uploads /opt/k with `upload.content` (value <redacted>), which Terraform keeps in plan and state', UPLOAD_FIX],
      ['docker_container.named', 'uploads /opt/Master-Key.txt with `upload.content` (value <redacted>), which Terraform keeps in plan and state', UPLOAD_FIX],
      ['docker_container.labelled', 'uploads a file with `upload.content` (value <redacted>), which Terraform keeps in plan and state', UPLOAD_FIX],
      ['docker_container.carrier', 'uploads /opt/conf with `upload.content` (value <redacted>), which Terraform keeps in plan and state', UPLOAD_FIX],
    ]);
  });

  it('nothing to report: no stores, no secrets, no uploads', () => {
    expect(check(manifest([zitadelKey()]), container('z', { mounts: [{ type: 'bind', source: '/etc/zitadel/masterkey', target: '/k', read_only: true }] }))).toEqual([]);
  });
});
