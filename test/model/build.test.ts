/**
 * lib/model/build.ts on its own: which resources become stores (managed, tagged with a
 * custody role other than drill; adopted data sources), unknown names, KMS keys, copies
 * derived from key stores, providers, tags with provider defaults and docker labels, and the
 * lookups of the finished model.
 */
import { describe, expect, it } from 'vitest';
import { buildModel, tagsOf } from '../../lib/model/build';
import { ModelContext } from '../../lib/model/context';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';
import { MANIFEST_KIND } from '../../lib/model/manifest';

const t = (role: string, keyId?: string, app = 'zitadel') => ({ 'custody:role': role, ...(keyId ? { 'custody:key': keyId } : {}), 'custody:app': app });

describe('buildModel', () => {
  const json = {
    provider: { aws: [{ region: 'eu', allowed_account_ids: ['111111111111'], default_tags: { tags: { 'custody:app': 'zitadel', team: 'x' } } }], docker: [{ host: 'ssh://h' }] },
    resource: {
      aws_s3_bucket: {
        kb: { bucket: 'kc-kb', tags: t('key-backup', 'k') },
        db: { bucket_prefix: 'kc-db-', tags: t('db-backup', 'k') },
        gen: { tags: t('db-backup') },
        drill: { bucket: 'kc-drill', tags: t('drill', 'k') },
        bogus: { bucket: 'kc-bogus', tags: { 'custody:role': 'backup' } },
        plain: { bucket: 'plain' },
      },
      aws_secretsmanager_secret: { hot: { name: 'k-hot', tags: t('key-store', 'k') } },
      aws_ssm_parameter: { p: { name_prefix: '/k-', tags: t('key-backup', 'k2') } },
      aws_kms_key: { a: { enable_key_rotation: true }, b: { enable_key_rotation: '${var.r}' } },
      terraform_data: {
        custody_manifest: { input: { kind: MANIFEST_KIND, version: 1, keys: [{ id: 'k', app: 'zitadel', copies: [{ kind: 'cold', medium: 'nas', location: '/mnt/k', offsite: false, generation: 2 }] }], adoptedStores: [{ address: 'data.aws_s3_bucket.old', role: 'db-backup', key: 'k', retentionDays: 400 }, { address: 'data.aws_s3_bucket.missing', role: 'key-backup' }, { address: 'aws_s3_bucket.kb', role: 'db-backup' }] } },
        other: { input: { kind: 'x' } },
      },
    },
    data: { aws_s3_bucket: { old: { bucket: 'legacy' } }, aws_secretsmanager_secret: { tagged: { name: 'x', tags: t('key-store', 'k') } } },
  };
  const m = buildModel([loadTerraformJson('s', json)]);

  it('makes stores of managed resources tagged with a custody role (not drill), and of adopted data sources', () => {
    expect(m.stores.map((s) => [s.address, s.kind, s.role, s.key, s.app, s.name, s.namePrefix, s.adopted, s.declaredRetentionDays, s.account])).toEqual([
      ['aws_s3_bucket.kb', 's3', 'key-backup', 'k', 'zitadel', 'kc-kb', undefined, false, undefined, 'acct:111111111111'],
      ['aws_s3_bucket.db', 's3', 'db-backup', 'k', 'zitadel', undefined, 'kc-db-', false, undefined, 'acct:111111111111'],
      ['aws_s3_bucket.gen', 's3', 'db-backup', undefined, 'zitadel', undefined, undefined, false, undefined, 'acct:111111111111'],
      ['aws_secretsmanager_secret.hot', 'secretsmanager', 'key-store', 'k', 'zitadel', 'k-hot', undefined, false, undefined, 'acct:111111111111'],
      ['aws_ssm_parameter.p', 'ssm', 'key-backup', 'k2', 'zitadel', undefined, '/k-', false, undefined, 'acct:111111111111'],
      ['data.aws_s3_bucket.old', 's3', 'db-backup', 'k', undefined, 'legacy', undefined, true, 400, 'acct:111111111111'],
    ]);
    expect(m.storeById('s\u0000aws_s3_bucket.kb')?.role).toBe('key-backup');
    expect(m.storeById('s\u0000aws_s3_bucket.plain')).toBeUndefined();
  });

  it('reports names only known after apply and adopted stores that are not in the configuration', () => {
    expect(m.unknowns).toEqual([
      { stack: 's', address: 'aws_s3_bucket.gen', what: 'store name is only known after apply' },
      { stack: 's', address: 'data.aws_s3_bucket.missing', what: 'the manifest adopts a store that is not in the configuration' },
    ]);
  });

  it('reads KMS keys, manifests, copies of key stores and the manifest, providers', () => {
    expect(m.kmsKeys.map((k) => [k.id, k.rotation, k.account])).toEqual([
      ['s\u0000aws_kms_key.a', true, 'acct:111111111111'],
      ['s\u0000aws_kms_key.b', undefined, 'acct:111111111111'],
    ]);
    expect(m.manifests.map((x) => x.address)).toEqual(['terraform_data.custody_manifest']);
    expect(m.copies).toEqual([
      { key: 'k', kind: 'backup', medium: 's3', location: 'kc-kb', offsite: true, store: 's\u0000aws_s3_bucket.kb', stack: 's', address: 'aws_s3_bucket.kb' },
      { key: 'k', kind: 'hot', medium: 'secretsmanager', location: 'k-hot', offsite: false, store: 's\u0000aws_secretsmanager_secret.hot', stack: 's', address: 'aws_secretsmanager_secret.hot' },
      { key: 'k2', kind: 'backup', medium: 'ssm', location: '/k-', offsite: true, store: 's\u0000aws_ssm_parameter.p', stack: 's', address: 'aws_ssm_parameter.p' },
      { key: 'k', generation: 2, kind: 'cold', medium: 'nas', location: '/mnt/k', offsite: false, custodian: undefined, stack: 's', address: 'terraform_data.custody_manifest' },
    ]);
    expect(m.providers.map((p) => [p.stack, p.key, p.type, p.account, p.host])).toEqual([
      ['s', 'aws', 'aws', 'acct:111111111111', undefined],
      ['s', 'docker', 'docker', 'default', 'ssh://h'],
    ]);
    expect(m.multiStack).toBe(false);
    expect(m.resource('s', 'aws_s3_bucket.plain')?.values.bucket).toBe('plain');
    expect(m.referencesOf('s', '${aws_s3_bucket.kb.arn}')).toEqual([{ stack: 's', address: 'aws_s3_bucket.kb' }]);
  });

  it('dedupes grants per principal, store and access', () => {
    const g = buildModel([
      loadTerraformJson('s', {
        resource: {
          aws_s3_bucket: { kb: { bucket: 'kc-kb', tags: t('key-backup', 'k') } },
          aws_iam_user: { u: { name: 'u' } },
          aws_iam_user_policy: {
            a: { user: 'u', policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kc-kb/*' }] }) },
            b: { user: 'u', policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kc-kb/*' }] }) },
          },
        },
      }),
    ]);
    const reads = g.grants.filter((x) => x.principal === 's\u0000aws_iam_user.u' && x.access === 'read');
    expect(reads).toHaveLength(1);
    expect(g.principalById('s\u0000aws_iam_user.u')?.address).toBe('aws_iam_user.u');
    expect(g.principalById('nope')).toBeUndefined();
  });
});

describe('tagsOf', () => {
  it('merges provider default_tags, tags_all, tags and docker labels, strings only', () => {
    const ctx = new ModelContext([
      loadTerraformJson('s', {
        provider: { aws: [{ default_tags: [{ tags: { a: 'default', b: 'default' } }] }] },
        resource: {
          aws_s3_bucket: { b: { tags_all: { b: 'all', c: 'all' }, tags: { c: 'own', n: 1 } } },
          docker_container: { c: { labels: [{ label: 'custody:key', value: 'k' }, { label: 'x', value: 2 }, null] } },
          docker_service: { s: { labels: { 'custody:app': 'a' } } },
        },
      }),
    ]);
    expect(tagsOf(ctx, ctx.resource('s', 'aws_s3_bucket.b')!)).toEqual({ a: 'default', b: 'all', c: 'own' });
    expect(tagsOf(ctx, ctx.resource('s', 'docker_container.c')!)).toEqual({ 'custody:key': 'k' });
    expect(tagsOf(ctx, ctx.resource('s', 'docker_service.s')!)).toEqual({ 'custody:app': 'a' });
  });
});
