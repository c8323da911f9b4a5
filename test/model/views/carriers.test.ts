/**
 * Which containers carry which key (lib/model/views/carriers.ts): labels, app labels,
 * hot-copy mounts of the file or a directory above it, several keys and manifests; and the
 * per-model hot-path index behind it (hotCopiesMountedBy: declaration order, first mount wins).
 */
import { describe, expect, it } from 'vitest';
import type { CustodyModel, Mount } from '../../../lib/model/types';
import { hotCopiesMountedBy, keyCarriers } from '../../../lib/model/views/carriers';
import { mountedAt } from '../../../lib/model/views/mounts';
import { ct, hand, mf, mkey, mnt, hostFile } from '../hand-model';
import { container as tfContainer, doc, labels, manifest, model, zitadelKey } from '../../rules/kc0xx-fixtures';

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
