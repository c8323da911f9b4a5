/**
 * The declared-keys view (lib/model/views/declared.ts): first declaration wins, every
 * declaration listed, known key ids, hot-copy paths; with resources by type
 * (views/resources.ts) and manifest-level violations, which the rules build on them.
 */
import { describe, expect, it } from 'vitest';
import { hasCustodyLabel } from '../../../lib/model/views/carriers';
import { currentHotPath, declarationOf, declaredKeys, hotPaths, knownKeyIds } from '../../../lib/model/views/declared';
import { resourcesOfType } from '../../../lib/model/views/resources';
import { manifestViolation } from '../../../lib/rules/helpers';
import { container, key } from '../hand-model';
import { bucket, doc, manifest, model, tags, zitadelKey } from '../../rules/kc0xx-fixtures';

describe('declared and known keys', () => {
  it('the first declaration of a key wins; every declaration is listed; known ids are sorted and unique', () => {
    const m = model(
      ['a', doc(manifest([zitadelKey({ app: 'first' })]))],
      ['b', doc(manifest([zitadelKey({ app: 'second' }), zitadelKey({ id: 'b-key' })]), bucket('kb', 'key-backup', { tags: tags('key-backup', 'a-store-key') }))],
    );
    expect(declarationOf(m, 'zitadel-master')?.key.app).toBe('first');
    expect(declarationOf(m, 'zitadel-master')?.manifest.stack).toBe('a');
    expect(declarationOf(m, 'nope')).toBeUndefined();
    expect(declaredKeys(m).map((d) => `${d.manifest.stack}:${d.key.id}`)).toEqual(['a:zitadel-master', 'b:zitadel-master', 'b:b-key']);
    expect(knownKeyIds(m)).toEqual(['a-store-key', 'b-key', 'zitadel-master']);
  });

  it('hasCustodyLabel looks for custody: label prefixes', () => {
    expect(hasCustodyLabel(container({ labels: { 'custody:role': 'drill' } }))).toBe(true);
    expect(hasCustodyLabel(container({ labels: { 'app.custody:': 'x', custody: 'y' } }))).toBe(false);
    expect(hasCustodyLabel(container())).toBe(false);
  });
});

describe('hot paths', () => {
  it('lists hostFile.path, hostPath and generation host paths once each', () => {
    const k = key({
      hostPath: '/h',
      hostFile: { path: '/hf', mode: '0400', owner: 'root', group: 'root', dirMode: '0700', deployCheck: true },
      generations: [
        { generation: 1, state: 'retired', copies: [], hostPath: '/h' },
        { generation: 2, state: 'active', copies: [], hostPath: '/g2' },
        { generation: 3, state: 'rotating', copies: [] },
      ],
    });
    expect(hotPaths(k)).toEqual(['/hf', '/h', '/g2']);
    expect(currentHotPath(k)).toBe('/hf');
    expect(currentHotPath(key({ hostPath: '/h' }))).toBe('/h');
    expect(currentHotPath(key({ hostPath: '' }))).toBeUndefined();
    expect(hotPaths(key())).toEqual([]);
  });
});

describe('declared keys, resources by type, manifest violations', () => {
  const m = model(
    [
      'a',
      doc(
        manifest([zitadelKey(), zitadelKey({ id: 'other', app: 'o' })]),
        bucket('kb', 'key-backup', { tags: tags('key-backup', 'kb-key') }),
        bucket('ks', 'key-store', { tags: tags('key-store', 'ks-key') }),
        bucket('db', 'db-backup', { tags: tags('db-backup', 'db-key') }),
        { data: { aws_s3_bucket: { adopted: { bucket: 'x' } } } },
      ),
    ],
    ['b', doc({ resource: { aws_s3_bucket: { late: { bucket: 'late' } } } })],
  );

  it('declaredKeys is a fresh list each time; knownKeyIds counts key-backup and key-store tags, not db-backup ones', () => {
    const list = declaredKeys(m);
    list.length = 0;
    expect(declaredKeys(m).map((d) => d.key.id)).toEqual(['zitadel-master', 'other']);
    expect(knownKeyIds(m)).toEqual(['kb-key', 'ks-key', 'other', 'zitadel-master']);
  });

  it('resourcesOfType: managed and data resources of one type in model order, none for an unknown type', () => {
    expect(resourcesOfType(m, 'aws_s3_bucket').map((r) => `${r.stack}/${r.mode}/${r.address}`)).toEqual([
      'a/managed/aws_s3_bucket.kb',
      'a/managed/aws_s3_bucket.ks',
      'a/managed/aws_s3_bucket.db',
      'a/data/data.aws_s3_bucket.adopted',
      'b/managed/aws_s3_bucket.late',
    ]);
    expect(resourcesOfType(m, 'terraform_data').map((r) => r.address)).toEqual(['terraform_data.custody_manifest']);
    expect(resourcesOfType(m, 'nope')).toEqual([]);
  });

  it('manifestViolation: at the manifest resource, with its location when the resource exists', () => {
    const mfst = m.manifests[0];
    const v = manifestViolation(m, mfst, 'msg', 'fix');
    expect([v.stack, v.address, v.message, v.fix, v.location]).toEqual(['a', 'terraform_data.custody_manifest', 'msg', 'fix', m.resource('a', 'terraform_data.custody_manifest')?.location]);
    expect(manifestViolation(m, { ...mfst, address: 'terraform_data.gone' }, 'm')).toEqual({ stack: 'a', address: 'terraform_data.gone', message: 'm', fix: undefined, location: undefined });
    expect(declarationOf(m, 'other')?.key.app).toBe('o');
  });
});
