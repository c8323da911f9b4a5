/**
 * Mount arithmetic (lib/model/views/mounts.ts): where a mount puts a host path inside the
 * container, where secret mounts appear, and which mount provides a path; at the edges too.
 */
import { describe, expect, it } from 'vitest';
import { mountedAt, mountProviding, mountTarget } from '../../../lib/model/views/mounts';
import { argvOf, flagsOf, keyFileRefs } from '../../../lib/rules/helpers';
import { ct, mnt, container, bind } from '../hand-model';

describe('mounts', () => {
  it('mountedAt maps the file or a directory above it, ignoring trailing slashes', () => {
    expect(mountedAt(bind('/etc/z/masterkey', '/run/k'), '/etc/z/masterkey')).toBe('/run/k');
    expect(mountedAt(bind('/etc/z/', '/run/secrets/'), '/etc/z/masterkey')).toBe('/run/secrets/masterkey');
    expect(mountedAt(bind('/etc/z', '/run/secrets'), '/etc/z/sub/masterkey/')).toBe('/run/secrets/sub/masterkey');
    expect(mountedAt(bind('/etc/z', '/r'), '/etc/zz/masterkey')).toBeUndefined();
    expect(mountedAt(bind('/etc/z/masterkey', '/r'), '/etc/z')).toBeUndefined();
  });
  it('mountedAt ignores secret, upload and tmpfs mounts and mounts without a source', () => {
    for (const t of ['secret', 'upload', 'tmpfs'] as const) expect(mountedAt(bind('/etc/k', '/r', t), '/etc/k'), t).toBeUndefined();
    expect(mountedAt(bind(undefined, '/r'), '/etc/k')).toBeUndefined();
    expect(mountedAt(bind('/etc/k', '/r', 'volume'), '/etc/k')).toBe('/r');
  });
  it('mountTarget puts relative secret targets under /run/secrets', () => {
    expect(mountTarget(bind(undefined, 'masterkey', 'secret'))).toBe('/run/secrets/masterkey');
    expect(mountTarget(bind(undefined, '/custom/k', 'secret'))).toBe('/custom/k');
    expect(mountTarget(bind('/x', 'rel', 'bind'))).toBe('rel');
  });
  it('mountProviding picks the deepest mount that holds the path', () => {
    const top = bind('/a', '/run');
    const deep = bind('/b', '/run/secrets/');
    const exact = bind('/c', '/run/secrets/k');
    const sibling = bind('/d', '/run/secretsx');
    expect(mountProviding(container({ mounts: [top, deep, sibling] }), '/run/secrets/k')).toBe(deep);
    expect(mountProviding(container({ mounts: [exact, deep, top] }), '/run/secrets/k')).toBe(exact);
    expect(mountProviding(container({ mounts: [deep, top] }), '/run/other')).toBe(top);
    expect(mountProviding(container({ mounts: [sibling] }), '/run/secrets/k')).toBeUndefined();
    expect(mountProviding(container({ mounts: [bind(undefined, 'k', 'secret')] }), '/run/secrets/k')?.target).toBe('k');
    expect(mountProviding(container({ mounts: [bind('/x', '')] }), '/run/k')).toBeUndefined();
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
