/**
 * Exact-output tests of lib/rules/helpers.ts and lib/rules/custody-helpers.ts for the parts
 * the rules lean on most: which containers carry which key (labels, app labels, hot-copy
 * mounts of the file or a directory above it, several keys and manifests), the per-model
 * hot-path index (hotCopiesMountedBy: declaration order, first mount wins), mount
 * arithmetic at its edges, the 3-2-1 copy list, dates, resource tags and store identities.
 */
import { describe, expect, it } from 'vitest';
import type { CustodyModel, KeyCopy, Mount, TfDocument } from '../../lib/model/types';
import { bucketIdentity, compareIdentities, describeAt, identityOfBucketResource, stateLocation, storeIdentity } from '../../lib/rules/custody-helpers';
import { argvOf, flagsOf, keyFileRefs, manifestViolation } from '../../lib/rules/helpers';
import { ct, hand, mf, mkey, mnt } from './hand-model';
import { bucket, container as tfContainer, doc, labels, manifest, model, tags, zitadelKey } from './kc0xx-fixtures';
import { hotCopiesMountedBy, keyCarriers } from '../../lib/model/views/carriers';
import { copiesOf, currentCopies, tally } from '../../lib/model/views/copies';
import { declarationOf, declaredKeys, knownKeyIds } from '../../lib/model/views/declared';
import { mountedAt, mountProviding } from '../../lib/model/views/mounts';
import { resourcesOfType } from '../../lib/model/views/resources';
import { resourceTags } from '../../lib/model/views/tags';
import { addDays, formatDate, parseDate } from '../../lib/policy/dates';

const hostFile = (path: string) => ({ path, mode: '0400', owner: 'root', group: 'root', dirMode: '0700', deployCheck: true });

/** `container key [reasons] declared-stack drill` per carrier. */
const carriers = (m: CustodyModel) =>
  keyCarriers(m).map((c) => `${c.container.address.replace('docker_container.', '')} ${c.keyId} [${c.reasons.join('; ')}] ${c.declared ? c.declared.manifest.stack : '-'}${c.drill ? ' drill' : ''}`);

describe('keyCarriers', () => {
  const zit = mkey('zit', { app: 'zitadel', hostPath: '/etc/zitadel/masterkey' });
  const zit2 = mkey('zit2', { app: 'zitadel', hostFile: hostFile('/etc/zitadel2/key') });
  const srv = mkey('srv', { app: 'servos', hostFile: hostFile('/srv/servos/key'), hostPath: '/srv/servos/key', generations: [{ generation: 2, state: 'active', copies: [], hostPath: '/srv/servos/key.2' }] });

  it('a custody:key label names one key; custody:app names every key of the app unless custody:key narrows it', () => {
    const m = hand({
      manifests: [mf('s', [zit, srv, zit2])],
      containers: [
        ct('byKey', { 'custody:key': 'srv' }),
        ct('byApp', { 'custody:app': 'zitadel' }),
        ct('narrowed', { 'custody:app': 'zitadel', 'custody:key': 'zit2' }),
        ct('emptyKey', { 'custody:key': '', 'custody:app': 'servos' }),
        ct('unknownApp', { 'custody:app': 'nobody' }),
        ct('undeclared', { 'custody:key': 'ghost' }),
        ct('plain'),
      ],
    });
    expect(carriers(m)).toEqual([
      'byKey srv [label custody:key=srv] s',
      'byApp zit [label custody:app=zitadel] s',
      'byApp zit2 [label custody:app=zitadel] s',
      'narrowed zit2 [label custody:key=zit2] s',
      'emptyKey srv [label custody:app=servos] s',
      'undeclared ghost [label custody:key=ghost] -',
    ]);
  });

  it('hot-copy mounts: the file, a directory above it, every path of a key (hostFile, hostPath, generations), several keys', () => {
    const m = hand({
      manifests: [mf('s', [zit, srv, zit2])],
      containers: [
        ct('file', {}, [mnt('/etc/zitadel/masterkey', '/k')]),
        ct('dir', {}, [mnt('/etc/zitadel/', '/k')]),
        ct('srvDir', {}, [mnt('/srv/servos', '/k')]),
        ct('etc', {}, [mnt('/etc2', '/x'), mnt('/etc', '/e')]),
        ct('labelAndMount', { 'custody:key': 'zit', 'custody:role': 'drill' }, [mnt('/etc/zitadel', '/k')]),
        ct('appAndMount', { 'custody:app': 'servos' }, [mnt('/etc/zitadel/masterkey', '/k'), mnt('/srv/servos/key.2', '/k2')]),
        ct('notMounts', {}, [mnt('/etc/zitadel/masterkey', '/a', 'secret'), mnt('/etc/zitadel', '/b', 'upload'), mnt('/etc', '/c', 'tmpfs'), mnt(undefined, '/d'), mnt('/etc/zit', '/e'), mnt('/etc/zitadel/masterkey/x', '/f')]),
        ct('volume', {}, [mnt('/srv/servos/key.2', '/v', 'volume')]),
      ],
    });
    expect(carriers(m)).toEqual([
      'file zit [mounts the hot copy /etc/zitadel/masterkey] s',
      'dir zit [mounts the hot copy /etc/zitadel/masterkey] s',
      'srvDir srv [mounts the hot copy /srv/servos/key; mounts the hot copy /srv/servos/key.2] s',
      'etc zit [mounts the hot copy /etc/zitadel/masterkey] s',
      'etc zit2 [mounts the hot copy /etc/zitadel2/key] s',
      'labelAndMount zit [label custody:key=zit; mounts the hot copy /etc/zitadel/masterkey] s drill',
      'appAndMount srv [label custody:app=servos; mounts the hot copy /srv/servos/key.2] s',
      'appAndMount zit [mounts the hot copy /etc/zitadel/masterkey] s',
      'volume srv [mounts the hot copy /srv/servos/key.2] s',
    ]);
    expect(keyCarriers(m).map((c) => c.drill)).toEqual([false, false, false, false, false, true, false, false, false]);
    // Asked twice, the same answer (computed once per model).
    expect(keyCarriers(m)).toBe(keyCarriers(m));
  });

  it('a key declared by two manifests: both declarations\' paths carry it, the first declaration is the one named; app keys listed once', () => {
    const m = hand({
      manifests: [mf('a', [mkey('k', { app: 'x', hostPath: '/etc/a/key' })]), mf('b', [mkey('k', { app: 'x', hostPath: '/etc/b/key' })])],
      containers: [ct('second', {}, [mnt('/etc/b', '/k')]), ct('app', { 'custody:app': 'x' })],
    });
    expect(carriers(m)).toEqual(['second k [mounts the hot copy /etc/b/key] a', 'app k [label custody:app=x] a']);
  });

  it('no containers, no carriers', () => {
    expect(keyCarriers(hand({ manifests: [mf('s', [zit])] }))).toEqual([]);
  });
});

describe('hotCopiesMountedBy', () => {
  const a = mkey('a', { hostPath: '/keys/a/key' });
  const b = mkey('b', { hostFile: hostFile('/keys/b/key'), generations: [{ generation: 1, state: 'retired', copies: [], hostPath: '/old/b/key' }] });
  const m = hand({ manifests: [mf('s', [a, b])] });
  const hits = (mounts: Mount[]) => hotCopiesMountedBy(m, ct('c', {}, mounts)).map((h) => `${h.declared.key.id} ${h.path} via ${h.mount.source}→${h.mount.target}`);

  it('lists the declared hot copies in declaration order, whatever the order of the mounts', () => {
    expect(hits([mnt('/old', '/o'), mnt('/keys/b/key', '/b'), mnt('/keys/a', '/a')])).toEqual(['a /keys/a/key via /keys/a→/a', 'b /keys/b/key via /keys/b/key→/b', 'b /old/b/key via /old→/o']);
  });

  it('one directory above several hot copies provides all of them; the first mount that provides a path is kept', () => {
    expect(hits([mnt('/keys', '/all'), mnt('/keys/a/key', '/a')])).toEqual(['a /keys/a/key via /keys→/all', 'b /keys/b/key via /keys→/all']);
    expect(hits([mnt('/keys/a/key', '/first'), mnt('/keys/a/', '/second')])).toEqual(['a /keys/a/key via /keys/a/key→/first']);
    expect(hits([mnt('/keys/a/', '/second'), mnt('/keys/a/key', '/first')])).toEqual(['a /keys/a/key via /keys/a/→/second']);
  });

  it('only whole path components match; secret, upload and tmpfs mounts and mounts without a source never do', () => {
    expect(hits([mnt('/key', '/x'), mnt('/keys/a/ke', '/y'), mnt('/keys/a/key/more', '/z'), mnt('/keys/', '/w', 'tmpfs')])).toEqual([]);
    expect(hits([mnt('/keys/a/key', '/s', 'secret'), mnt('/keys/a/key', '/u', 'upload'), mnt(undefined, '/n')])).toEqual([]);
    expect(hits([mnt('/keys/a/key', '/v', 'volume')])).toEqual(['a /keys/a/key via /keys/a/key→/v']);
    expect(hits([])).toEqual([]);
  });

  it('agrees with mountedAt for every mount and path', () => {
    const mounts = [mnt('/keys/b', '/run/b/'), mnt('/old/b/key', '/run/old')];
    expect(hotCopiesMountedBy(m, ct('c', {}, mounts)).map((h) => mountedAt(h.mount, h.path))).toEqual(['/run/b/key', '/run/old']);
  });
});

describe('mount arithmetic at the edges', () => {
  it('mountedAt returns the target as written for the file itself, and joins a trimmed target for a directory', () => {
    expect(mountedAt(mnt('/etc/k', '/run/k/'), '/etc/k')).toBe('/run/k/');
    expect(mountedAt(mnt('/etc/k/', '/run/k'), '/etc/k/')).toBe('/run/k');
    expect(mountedAt(mnt('/etc', '/run/'), '/etc/k')).toBe('/run/k');
    expect(mountedAt(mnt('/etc//', '/run//'), '/etc/a/b')).toBe('/run/a/b');
  });

  it('mountProviding: a mount at / provides every path; of two mounts at the same depth the first wins', () => {
    const root = mnt('/host', '/');
    expect(mountProviding(ct('c', {}, [root]), '/')).toBe(root);
    expect(mountProviding(ct('c', {}, [root]), '/run/k')).toBeUndefined();
    const first = mnt('/a', '/run/secrets');
    const second = mnt('/b', '/run/secrets/');
    expect(mountProviding(ct('c', {}, [first, second]), '/run/secrets/k')).toBe(first);
    expect(mountProviding(ct('c', {}, [second, first]), '/run/secrets/k')).toBe(second);
    expect(mountProviding(ct('c', {}, [mnt('/a', '/run'), first]), '/run/secrets/')).toBe(first);
  });

  it('argv and flags: a key-file flag at the end has no path; quotes around whole tokens go', () => {
    const c = ct('c', {}, [], { entrypoint: ['"/app"'], command: ["'--masterkeyFile'"] });
    expect(argvOf(c)).toEqual(['/app', '--masterkeyFile']);
    expect(keyFileRefs(c)).toEqual([{ via: '--masterkeyFile', path: undefined, keySpecific: true }]);
    expect(flagsOf(['-m', '/k', '--x', '--', 'v'])).toEqual([
      { flag: '-m', value: '/k', inline: false },
      { flag: '--x', value: undefined, inline: false },
    ]);
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

describe('copies', () => {
  const kc = (over: Partial<KeyCopy>): KeyCopy => ({ key: 'k', kind: 'cold', medium: 'nas', location: '/n', offsite: false, stack: 's', address: 'store', ...over });
  const shown = (cs: { medium: string; location: string; offsite: boolean; generation?: number; declaredAt: string }[]) =>
    cs.map((c) => `${c.medium} ${c.location}${c.offsite ? ' offsite' : ''} g${c.generation ?? '-'} @${c.declaredAt}`);

  it('without a declaration: every copy of the key (not of other keys), the current generation from the copies', () => {
    const m = hand({
      copies: [kc({ generation: 1, location: '/g1' }), kc({ key: 'other', generation: 9, location: '/o' }), kc({ generation: 3, location: '/g3', address: 'a3' }), kc({ location: '/any' })],
    });
    const cur = currentCopies(m, 'k');
    expect(cur.generation).toBe(3);
    expect(shown(cur.copies)).toEqual(['nas /g3 g3 @a3', 'nas /any g- @store']);
    expect(cur.tally).toEqual({ copies: cur.copies, media: ['nas'], offsite: 0 });
    expect(shown(copiesOf(m, 'k', { generation: undefined, includeUngenerationed: false, hotIsThisGeneration: true }))).toEqual(['nas /g1 g1 @store', 'nas /g3 g3 @a3', 'nas /any g- @store']);
    expect(currentCopies(m, 'none')).toEqual({ generation: undefined, copies: [], tally: { copies: [], media: [], offsite: 0 } });
  });

  it('one copy per place: the first offsite declaration is kept, an S3 location counts by bucket, other media by the full location', () => {
    const m = hand({
      copies: [
        kc({ medium: 'paper', location: 'safe', offsite: true, address: 'first' }),
        kc({ medium: 'paper', location: 'safe', offsite: false, address: 'second' }),
        kc({ medium: 'paper', location: 'safe', offsite: true, address: 'third' }),
        kc({ medium: 'nas', location: 's3://x/a', address: 'n1' }),
        kc({ medium: 'nas', location: 's3://x/b', address: 'n2' }),
        kc({ medium: 's3', location: 's3://bk/a', address: 's1' }),
        kc({ medium: 's3', location: 'bk', address: 's2' }),
        kc({ medium: 's3', location: 'arn:aws:s3:::bk/x', address: 's3' }),
        kc({ medium: 'disk', location: '/d/', address: 'd1' }),
        kc({ medium: 'disk', location: '/d', address: 'd2' }),
        kc({ medium: 'disk', location: '', kind: 'usb', address: 'e1' }),
        kc({ medium: 'disk', location: ' ', kind: 'usb', address: 'e2' }),
      ],
    });
    expect(shown(copiesOf(m, 'k', { includeUngenerationed: true, hotIsThisGeneration: false }))).toEqual([
      'paper safe offsite g- @first',
      'nas s3://x/a g- @n1',
      'nas s3://x/b g- @n2',
      's3 s3://bk/a g- @s1',
      'disk /d/ g- @d1',
      'disk  g- @e1',
    ]);
    const t = tally(copiesOf(m, 'k', { includeUngenerationed: true, hotIsThisGeneration: false }));
    expect([t.media, t.offsite]).toEqual([['disk', 'nas', 'paper', 's3'], 2]);
  });

  it('the key\'s hot copy comes first and belongs to the generation asked for unless that generation has its own host path', () => {
    const key = mkey('k', {
      hostFile: hostFile('/hot'),
      generations: [
        { generation: 1, state: 'retired', copies: [], hostPath: '/hot.1' },
        { generation: 2, state: 'active', copies: [{ kind: 'p', medium: 'paper', location: 'safe', offsite: true }] },
      ],
    });
    const m = hand({ manifests: [mf('s', [key])], copies: [kc({ location: '/n', generation: 2 })] });
    const of = (generation: number | undefined, hot = true) => shown(copiesOf(m, 'k', { generation, includeUngenerationed: false, hotIsThisGeneration: hot }));
    expect(of(2)).toEqual(['host-file /hot g2 @terraform_data.custody_manifest', 'nas /n g2 @store', 'paper safe offsite g2 @terraform_data.custody_manifest']);
    expect(of(1)).toEqual(['host-file /hot.1 g1 @terraform_data.custody_manifest']);
    expect(of(2, false)).toEqual(['nas /n g2 @store', 'paper safe offsite g2 @terraform_data.custody_manifest']);
    expect(of(undefined)).toEqual([
      'host-file /hot g- @terraform_data.custody_manifest',
      'nas /n g2 @store',
      'host-file /hot.1 g1 @terraform_data.custody_manifest',
      'paper safe offsite g2 @terraform_data.custody_manifest',
    ]);
    expect(currentCopies(m, 'k').generation).toBe(2);
  });
});

describe('dates', () => {
  it('leap years by the Gregorian rule; formatDate and addDays', () => {
    expect(parseDate('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
    expect(parseDate('2100-02-29')).toBeUndefined();
    expect(parseDate('2026-04-31')).toBeUndefined();
    expect(parseDate('2026-12-31')).toBe(Date.UTC(2026, 11, 31));
    expect(parseDate('2026-00-10')).toBeUndefined();
    expect(parseDate('2026-01-00')).toBeUndefined();
    expect(parseDate('x2026-01-01')).toBeUndefined();
    expect(parseDate('2026-01-01x')).toBeUndefined();
    expect(formatDate(addDays(Date.UTC(2024, 1, 28), 1))).toBe('2024-02-29');
    expect(formatDate(addDays(Date.UTC(2024, 1, 28), 0))).toBe('2024-02-28');
    expect(addDays(0, 2)).toBe(172_800_000);
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

// A real docker container built from JSON: labels, mounts and volumes feed keyCarriers the same way.
describe('keyCarriers on a synthesized model', () => {
  it('volumes with a host path and mounts both carry the key; results follow the model order', () => {
    const m = model([
      's',
      doc(
        manifest([zitadelKey(), zitadelKey({ id: 'k2', app: 'k2app', hostPath: '/etc/k2/key', hostFile: undefined })]),
        tfContainer('v', { volumes: [{ host_path: '/etc/k2', container_path: '/k2', read_only: true }] }),
        tfContainer('z', { mounts: [{ type: 'bind', source: '/etc/zitadel', target: '/z' }], labels: labels({ 'custody:app': 'k2app' }) }),
      ),
    ]);
    expect(carriers(m)).toEqual([
      'v k2 [mounts the hot copy /etc/k2/key] s',
      'z k2 [label custody:app=k2app] s',
      'z zitadel-master [mounts the hot copy /etc/zitadel/masterkey] s',
    ]);
  });
});
