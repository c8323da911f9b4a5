/**
 * Direct tests of lib/rules/custody-helpers.ts: bucket names from ARNs and URLs, store and
 * bucket identities (references followed, suffixes, cycles), identity comparison (exact /
 * prefix / expression), generated-name detection, and state locations per backend type.
 */
import { describe, expect, it } from 'vitest';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';
import type { TfDocument } from '../../lib/model/types';
import { resourceTags } from '../../lib/model/views/tags';
import { bucketIdentity, bucketNameFromArn, compareIdentities, mayBeGeneratedFrom, sideOf, stateLocation, storeIdentity, type StoreIdentity, describeAt, identityOfBucketResource } from '../../lib/rules/custody-helpers';
import { model, bucket, doc, manifest, tags } from './kc0xx-fixtures';

const exact = (value: string): StoreIdentity => ({ kind: 'exact', value, shown: value });
const prefix = (value: string): StoreIdentity => ({ kind: 'prefix', value, shown: value });
const expr = (value: string): StoreIdentity => ({ kind: 'expr', value, shown: value });
const gen = 'a'.repeat(20) + '012345';

describe('custody sides and bucket names', () => {
  it('sideOf maps roles to db/key sides', () => {
    expect(sideOf('db-backup')).toBe('db');
    expect(sideOf('key-backup')).toBe('key');
    expect(sideOf('key-store')).toBe('key');
    expect(sideOf('drill')).toBeUndefined();
    expect(sideOf(undefined)).toBeUndefined();
  });

  it('bucketNameFromArn reads ARNs of any partition and s3:// URLs', () => {
    expect(bucketNameFromArn('arn:aws:s3:::kc-keys')).toBe('kc-keys');
    expect(bucketNameFromArn('arn:aws-us-gov:s3:::kc-keys/path/obj')).toBe('kc-keys');
    expect(bucketNameFromArn('s3://kc-keys/masterkey.age')).toBe('kc-keys');
    expect(bucketNameFromArn('s3://kc-keys')).toBe('kc-keys');
    expect(bucketNameFromArn('kc-keys')).toBe('kc-keys');
    expect(bucketNameFromArn('x arn:aws:s3:::kc-keys')).toBe('x arn:aws:s3:::kc-keys');
    expect(bucketNameFromArn('xs3://kc-keys')).toBe('xs3://kc-keys');
    expect(bucketNameFromArn('arn:aws:s3:::')).toBe('arn:aws:s3:::');
  });

  it('bucketIdentity: literals are exact, references follow the bucket, other expressions stay expressions', () => {
    const m = model(['s', { resource: { aws_s3_bucket: { b: { bucket: 'kc-b' }, p: { bucket_prefix: 'kc-p-' }, g: {} } } }]);
    expect(bucketIdentity(m, 's', 'arn:aws:s3:::kc-b/x')).toEqual({ kind: 'exact', value: 's3:kc-b', shown: '"kc-b"' });
    expect(bucketIdentity(m, 's', '${aws_s3_bucket.b.id}')).toEqual({ kind: 'exact', value: 's3:kc-b', shown: '"kc-b"' });
    expect(bucketIdentity(m, 's', '${aws_s3_bucket.p.id}')).toEqual({ kind: 'prefix', value: 's3:kc-p-', shown: 'prefix "kc-p-"' });
    expect(bucketIdentity(m, 's', '${aws_s3_bucket.g.bucket}')).toEqual({ kind: 'exact', value: 'res:s/aws_s3_bucket.g', shown: 'a generated name' });
    expect(bucketIdentity(m, 's', ' ${var.bucket} ')).toEqual({ kind: 'expr', value: '${var.bucket}', shown: '` ${var.bucket} `' });
    expect(bucketIdentity(m, 's', 'kc-${aws_s3_bucket.b.id}')).toEqual({ kind: 'expr', value: 'kc-${aws_s3_bucket.b.id}', shown: '`kc-${aws_s3_bucket.b.id}`' });
    expect(bucketIdentity(m, 's', 42)).toBeUndefined();
  });
});

describe('storeIdentity', () => {
  it('secrets and parameters: by ARN, name, name prefix, name expression, else generated; per account', () => {
    const t = { 'custody:role': 'key-store', 'custody:key': 'k', 'custody:app': 'a' };
    const m = model([
      's',
      {
        provider: { aws: [{ allowed_account_ids: ['111111111111'] }] },
        resource: {
          aws_secretsmanager_secret: {
            named: { name: 'kc/key', tags: t },
            prefixed: { name_prefix: 'kc/key-', tags: t },
            expr: { name: ' ${var.name} ', tags: t },
            generated: { tags: t },
          },
          aws_ssm_parameter: { p: { name: '/kc/key', type: 'SecureString', value: '${var.v}', tags: t } },
        },
        data: { aws_secretsmanager_secret: { adopted: { arn: 'arn:aws:secretsmanager:eu:111111111111:secret:kc' } } },
      },
    ]);
    const id = (address: string) => {
      const s = m.stores.find((x) => x.address === address);
      return s && storeIdentity(m, s);
    };
    expect(id('aws_secretsmanager_secret.named')).toEqual({ kind: 'exact', value: 'secretsmanager:acct:111111111111:kc/key', shown: '"kc/key"' });
    expect(id('aws_secretsmanager_secret.prefixed')).toEqual({ kind: 'prefix', value: 'secretsmanager:acct:111111111111:kc/key-', shown: 'prefix "kc/key-"' });
    expect(id('aws_secretsmanager_secret.expr')).toEqual({ kind: 'expr', value: '${var.name}', shown: '` ${var.name} `' });
    expect(id('aws_secretsmanager_secret.generated')).toEqual({ kind: 'exact', value: 'res:s/aws_secretsmanager_secret.generated', shown: 'a generated name' });
    expect(id('aws_ssm_parameter.p')).toEqual({ kind: 'exact', value: 'ssm:acct:111111111111:/kc/key', shown: '"/kc/key"' });
  });

  it('buckets: by name, prefix, prefix expression or generated name', () => {
    const t = (role: string) => ({ 'custody:role': role, 'custody:key': 'k', 'custody:app': 'a' });
    const m = model([
      's',
      {
        resource: {
          aws_s3_bucket: {
            named: { bucket: 'kc-named', tags: t('key-backup') },
            prefixed: { bucket_prefix: 'kc-p-', tags: t('key-backup') },
            exprPrefix: { bucket_prefix: '${var.p}', tags: t('db-backup') },
            generated: { tags: t('db-backup') },
          },
        },
      },
    ]);
    const id = (address: string) => storeIdentity(m, m.stores.find((x) => x.address === address)!);
    expect(id('aws_s3_bucket.named')).toEqual({ kind: 'exact', value: 's3:kc-named', shown: '"kc-named"' });
    expect(id('aws_s3_bucket.prefixed')).toEqual({ kind: 'prefix', value: 's3:kc-p-', shown: 'prefix "kc-p-"' });
    expect(id('aws_s3_bucket.exprPrefix')).toEqual({ kind: 'expr', value: '${var.p}', shown: 'prefix `${var.p}`' });
    expect(id('aws_s3_bucket.generated')).toEqual({ kind: 'exact', value: 'res:s/aws_s3_bucket.generated', shown: 'a generated name' });
  });
});

describe('compareIdentities', () => {
  it('exact against exact', () => {
    expect(compareIdentities(exact('s3:a'), exact('s3:a'))).toBe('same');
    expect(compareIdentities(exact('s3:a'), exact('s3:b'))).toBe('different');
  });
  it('an expression is the same only as an identical expression, else maybe', () => {
    expect(compareIdentities(expr('${var.a}'), expr('${var.a}'))).toBe('same');
    expect(compareIdentities(expr('${var.a}'), expr('${var.b}'))).toBe('maybe');
    expect(compareIdentities(expr('${var.a}'), exact('s3:a'))).toBe('maybe');
    expect(compareIdentities(exact('s3:a'), expr('${var.a}'))).toBe('maybe');
    expect(compareIdentities(prefix('s3:a'), expr('s3:a'))).toBe('maybe');
  });
  it('prefixes overlap when one starts with the other', () => {
    expect(compareIdentities(prefix('s3:kc-'), prefix('s3:kc-db-'))).toBe('maybe');
    expect(compareIdentities(prefix('s3:kc-db-'), prefix('s3:kc-'))).toBe('maybe');
    expect(compareIdentities(prefix('s3:kc-db-'), prefix('s3:kc-key-'))).toBe('different');
  });
  it('an exact name may be generated from a prefix (either order), a generated resource name may not', () => {
    expect(compareIdentities(exact(`s3:kc-${gen}`), prefix('s3:kc-'))).toBe('maybe');
    expect(compareIdentities(prefix('s3:kc-'), exact(`s3:kc-${gen}`))).toBe('maybe');
    expect(compareIdentities(exact('s3:kc-keys'), prefix('s3:kc-'))).toBe('different');
    expect(compareIdentities(prefix('res:s/'), exact(`res:s/${gen}`))).toBe('different');
  });
  it('mayBeGeneratedFrom wants exactly 26 lowercase hex characters after the prefix', () => {
    expect(mayBeGeneratedFrom(`kc-${gen}`, 'kc-')).toBe(true);
    expect(mayBeGeneratedFrom(`kc-${gen}0`, 'kc-')).toBe(false);
    expect(mayBeGeneratedFrom(`kc-${gen.slice(1)}`, 'kc-')).toBe(false);
    expect(mayBeGeneratedFrom(`kc-${gen.toUpperCase()}`, 'kc-')).toBe(false);
    expect(mayBeGeneratedFrom(`kc-${'g'.repeat(26)}`, 'kc-')).toBe(false);
    expect(mayBeGeneratedFrom(`xx-${gen}`, 'kc-')).toBe(false);
  });
});

describe('stateLocation', () => {
  const doc = (backend?: TfDocument['backend'], stack = 'app'): TfDocument => ({ stack, source: 'x', resources: [], providers: [], outputs: {}, backend });

  it('defaults to the local state in the stack folder', () => {
    expect(stateLocation(doc())).toEqual({ id: 'local:/cdktf.out/stacks/app/terraform.tfstate', shown: 'the default local state of the stack', type: 'local' });
  });
  it('resolves local paths against the stack folder', () => {
    expect(stateLocation(doc({ type: 'local', config: {} }))).toEqual({ id: 'local:/cdktf.out/stacks/app/terraform.tfstate', shown: 'local state terraform.tfstate', type: 'local' });
    expect(stateLocation(doc({ type: 'local', config: { path: '../other/./x.tfstate' } })).id).toBe('local:/cdktf.out/stacks/other/x.tfstate');
    expect(stateLocation(doc({ type: 'local', config: { path: '/var/tf//s.tfstate' } }))).toEqual({ id: 'local:/var/tf/s.tfstate', shown: 'local state /var/tf//s.tfstate', type: 'local' });
    expect(stateLocation(doc({ type: 'local', config: { path: '../../../../../../x' } })).id).toBe('local:/x');
  });
  it('s3 needs bucket and key', () => {
    expect(stateLocation(doc({ type: 's3', config: { bucket: 'b', key: 'k/s.tfstate' } }))).toEqual({ id: 's3://b/k/s.tfstate', shown: 's3://b/k/s.tfstate', type: 's3' });
    expect(stateLocation(doc({ type: 's3', config: { bucket: 'b' } }))).toEqual({ id: undefined, shown: 's3://b/?', type: 's3' });
    expect(stateLocation(doc({ type: 's3', config: { key: 'k' } }))).toEqual({ id: undefined, shown: 's3://?/k', type: 's3' });
  });
  it('gcs needs a bucket, the prefix defaults to empty', () => {
    expect(stateLocation(doc({ type: 'gcs', config: { bucket: 'g', prefix: 'p' } }))).toEqual({ id: 'gcs://g/p', shown: 'gs://g/p', type: 'gcs' });
    expect(stateLocation(doc({ type: 'gcs', config: { bucket: 'g' } }))).toEqual({ id: 'gcs://g/', shown: 'gs://g/', type: 'gcs' });
    expect(stateLocation(doc({ type: 'gcs', config: {} }))).toEqual({ id: undefined, shown: 'gs://?/', type: 'gcs' });
  });
  it('azurerm needs account, container and key', () => {
    expect(stateLocation(doc({ type: 'azurerm', config: { storage_account_name: 'a', container_name: 'c', key: 'k' } }))).toEqual({ id: 'azurerm://a/c/k', shown: 'azurerm a/c/k', type: 'azurerm' });
    expect(stateLocation(doc({ type: 'azurerm', config: { storage_account_name: 'a', key: 'k' } }))).toEqual({ id: undefined, shown: 'azurerm (partial configuration)', type: 'azurerm' });
  });
  it('remote and cloud name the workspace, with app.terraform.io as the default host', () => {
    expect(stateLocation(doc({ type: 'cloud', config: { organization: 'o', workspaces: { name: 'w' } } }))).toEqual({ id: 'tfc://app.terraform.io/o/w', shown: 'cloud workspace app.terraform.io/o/w', type: 'cloud' });
    expect(stateLocation(doc({ type: 'remote', config: { hostname: 'tfe.example', organization: 'o', workspaces: [{ name: 'w' }] } }))).toEqual({ id: 'tfc://tfe.example/o/w', shown: 'remote workspace tfe.example/o/w', type: 'remote' });
    expect(stateLocation(doc({ type: 'remote', config: { organization: 'o', workspaces: { prefix: 'w-' } } }))).toEqual({ id: undefined, shown: 'remote workspace (partial configuration)', type: 'remote' });
  });
  it('other backends compare by their sorted configuration', () => {
    expect(stateLocation(doc({ type: 'consul', config: { path: 'p', address: 'a', port: 8500 } }))).toEqual({ id: 'consul:address="a",path="p",port=8500', shown: 'consul backend', type: 'consul' });
    expect(stateLocation(doc({ type: 'pg', config: {} }))).toEqual({ id: undefined, shown: 'pg backend', type: 'pg' });
  });
});

describe('custody helpers', () => {
  it('bucket_prefix names: only names of the generated shape may be the prefixed bucket', () => {
    expect(mayBeGeneratedFrom('zitadel-key-20240101120000000000000001', 'zitadel-key-')).toBe(true);
    expect(mayBeGeneratedFrom('zitadel-key-backup', 'zitadel-key-')).toBe(false);
    expect(compareIdentities({ kind: 'prefix', value: 's3:kc-', shown: '' }, { kind: 'prefix', value: 's3:kc-key-', shown: '' })).toBe('maybe');
    expect(compareIdentities({ kind: 'prefix', value: 's3:kc-db-', shown: '' }, { kind: 'prefix', value: 's3:kc-key-', shown: '' })).toBe('different');
    expect(compareIdentities({ kind: 'expr', value: '${var.a}', shown: '' }, { kind: 'expr', value: '${var.a}', shown: '' })).toBe('same');
  });

  it('state locations', () => {
    const s3 = (stack: string, key: string) => stateLocation(loadTerraformJson(stack, { terraform: { backend: { s3: { bucket: 'b', key } } } }));
    expect(s3('a', 'x').id).toBe(s3('b', 'x').id);
    expect(s3('a', 'x').id).not.toBe(s3('b', 'y').id);
    const local = (stack: string, path?: string) => stateLocation(loadTerraformJson(stack, path ? { terraform: { backend: { local: { path } } } } : {}));
    expect(local('a').id).not.toBe(local('b').id);
    expect(local('a', 'terraform.tfstate').id).not.toBe(local('b', 'terraform.tfstate').id);
    expect(local('a', '../../shared.tfstate').id).toBe(local('b', '../../shared.tfstate').id);
    expect(local('a', '/abs/s.tfstate').id).toBe(local('b', '/abs/s.tfstate').id);
    expect(stateLocation(loadTerraformJson('a', { terraform: { backend: { s3: { region: 'x' } } } })).id).toBeUndefined();
  });
});

describe('custody helpers: tags, identities, state', () => {
  it('resourceTags ignores non-object tags and non-string values, reads label maps, and is computed once per resource', () => {
    const m = model([
      's',
      {
        provider: { aws: [{ default_tags: { tags: ['x'] } }], google: [{ default_tags: { tags: 'y' } }] },
        resource: {
          aws_s3_bucket: { t: { bucket: 't', tags: 'x', tags_all: ['a'], labels: { l: 'v', n: 1 } } },
          google_storage_bucket: { g: { provider: 'google', labels: { team: 'g' } } },
        },
      },
    ]);
    const r = m.resource('s', 'aws_s3_bucket.t')!;
    expect(resourceTags(m, r)).toEqual({ l: 'v' });
    expect(resourceTags(m, r)).toBe(resourceTags(m, r));
    expect(resourceTags(m, m.resource('s', 'google_storage_bucket.g')!)).toEqual({ team: 'g' });
  });

  it('describeAt names the stack only when several stacks are in play', () => {
    expect(describeAt(model(['s', {}]), 's', 'aws_s3_bucket.x')).toBe('aws_s3_bucket.x');
    expect(describeAt(model(['s', {}], ['t', {}]), 's', 'aws_s3_bucket.x')).toBe('aws_s3_bucket.x (stack s)');
  });

  it('bucket identities: reference cycles stop after 8 hops; non-bucket and missing references stay expressions; a numeric name is no name', () => {
    const m = model([
      's',
      {
        resource: {
          aws_s3_bucket: {
            a: { bucket: '${aws_s3_bucket.b.id}' },
            b: { bucket: '${aws_s3_bucket.a.id}' },
            n: { bucket: 42, bucket_prefix: 'p-' },
            n2: { bucket: 42 },
            k: { bucket: '${aws_kms_key.k.id}' },
            miss: { bucket: '${aws_s3_bucket.nope.id}' },
            viaData: { bucket: '${data.aws_s3_bucket.d.bucket}' },
          },
          aws_kms_key: { k: {} },
        },
        data: { aws_s3_bucket: { d: { bucket: 'kc-d' } } },
      },
    ]);
    const id = (name: string) => identityOfBucketResource(m, m.resource('s', `aws_s3_bucket.${name}`)!);
    expect(id('a')).toEqual({ kind: 'expr', value: '${aws_s3_bucket.b.id}', shown: '`${aws_s3_bucket.b.id}`' });
    expect(id('b')).toEqual({ kind: 'expr', value: '${aws_s3_bucket.a.id}', shown: '`${aws_s3_bucket.a.id}`' });
    expect(id('n')).toEqual({ kind: 'prefix', value: 's3:p-', shown: 'prefix "p-"' });
    expect(id('n2')).toEqual({ kind: 'exact', value: 'res:s/aws_s3_bucket.n2', shown: 'a generated name' });
    expect(id('k')).toEqual({ kind: 'expr', value: '${aws_kms_key.k.id}', shown: '`${aws_kms_key.k.id}`' });
    expect(id('miss')).toEqual({ kind: 'expr', value: '${aws_s3_bucket.nope.id}', shown: '`${aws_s3_bucket.nope.id}`' });
    expect(id('viaData')).toEqual({ kind: 'exact', value: 's3:kc-d', shown: '"kc-d"' });
    expect(bucketIdentity(m, 's', '${aws_s3_bucket.a.id}', 8)).toEqual({ kind: 'expr', value: '${aws_s3_bucket.a.id}', shown: '`${aws_s3_bucket.a.id}`' });
    expect(bucketIdentity(m, 's', '${aws_s3_bucket.n2.id}', 7)).toEqual({ kind: 'exact', value: 'res:s/aws_s3_bucket.n2', shown: 'a generated name' });
    expect(bucketIdentity(m, 's', undefined)).toBeUndefined();
  });

  it('store identities: an adopted secret by its ARN; buckets in two stacks with one name are the same', () => {
    const m = model(
      [
        's',
        doc(
          { data: { aws_secretsmanager_secret: { adopted: { arn: 'arn:aws:secretsmanager:eu:1:secret:kc' } } } },
          manifest([], { adoptedStores: [{ address: 'data.aws_secretsmanager_secret.adopted', role: 'key-store', key: 'k' }] }),
          bucket('kb', 'key-backup'),
        ),
      ],
      ['t', doc(bucket('kb', 'db-backup', { tags: tags('db-backup') }))],
    );
    const st = (stack: string, address: string) => storeIdentity(m, m.stores.find((s) => s.stack === stack && s.address === address)!);
    expect(st('s', 'data.aws_secretsmanager_secret.adopted')).toEqual({ kind: 'exact', value: 'arn:arn:aws:secretsmanager:eu:1:secret:kc', shown: '"arn:aws:secretsmanager:eu:1:secret:kc"' });
    expect(compareIdentities(st('s', 'aws_s3_bucket.kb'), st('t', 'aws_s3_bucket.kb'))).toBe('same');
  });

  it('stateLocation: numbers count as values; a gcs prefix without a bucket is partial', () => {
    const d = (backend: TfDocument['backend']): TfDocument => ({ stack: 'st', source: 'x', resources: [], providers: [], outputs: {}, backend });
    expect(stateLocation(d({ type: 's3', config: { bucket: 'b', key: 5 } }))).toEqual({ id: 's3://b/5', shown: 's3://b/5', type: 's3' });
    expect(stateLocation(d({ type: 's3', config: { bucket: true, key: 'k' } }))).toEqual({ id: undefined, shown: 's3://?/k', type: 's3' });
    expect(stateLocation(d({ type: 'gcs', config: { prefix: 'p' } }))).toEqual({ id: undefined, shown: 'gs://?/p', type: 'gcs' });
    expect(stateLocation(d({ type: 'local', config: { path: 'sub/../s.tfstate' } }))).toEqual({ id: 'local:/cdktf.out/stacks/st/s.tfstate', shown: 'local state sub/../s.tfstate', type: 'local' });
    expect(stateLocation(d({ type: 'remote', config: { organization: 'o' } }))).toEqual({ id: undefined, shown: 'remote workspace (partial configuration)', type: 'remote' });
    expect(stateLocation(d({ type: 'cloud', config: { hostname: 'h', workspaces: { name: 'w' } } }))).toEqual({ id: undefined, shown: 'cloud workspace (partial configuration)', type: 'cloud' });
  });
});

describe('a bucket named from another bucket plus a suffix is a different bucket', () => {
  const m = model([
    's',
    {
      resource: {
        aws_s3_bucket: {
          kb: { bucket: 'kc-app' },
          gen: {},
        },
      },
    },
  ]);

  it('a literal name plus a literal suffix gives the exact new name', () => {
    expect(bucketIdentity(m, 's', '${aws_s3_bucket.kb.id}-db')).toEqual({ kind: 'exact', value: 's3:kc-app-db', shown: '"kc-app-db"' });
  });

  it('a path after the reference (an object ARN) is still the bucket itself', () => {
    expect(bucketIdentity(m, 's', '${aws_s3_bucket.kb.arn}/*')).toEqual({ kind: 'exact', value: 's3:kc-app', shown: '"kc-app"' });
    expect(bucketIdentity(m, 's', '${aws_s3_bucket.kb.id}')).toEqual({ kind: 'exact', value: 's3:kc-app', shown: '"kc-app"' });
  });

  it('a suffix on a generated name, or an expression suffix, cannot be named', () => {
    expect(bucketIdentity(m, 's', '${aws_s3_bucket.gen.id}-db')).toEqual({ kind: 'expr', value: '${aws_s3_bucket.gen.id}-db', shown: '`${aws_s3_bucket.gen.id}-db`' });
    expect(bucketIdentity(m, 's', '${aws_s3_bucket.kb.id}-${var.env}')).toEqual({ kind: 'expr', value: '${aws_s3_bucket.kb.id}-${var.env}', shown: '`${aws_s3_bucket.kb.id}-${var.env}`' });
  });
});
