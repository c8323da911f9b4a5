import { describe, expect, it } from 'vitest';
import { genericProfile, profileNamed } from '../../lib/profiles';

// A key pasted into the wrong argument must not come back in the error that refuses it.
const KEY = 'Q7mZ2kR9pL4xV8nB3cT6yH1wJ5sD0fG2';

describe('profile errors', () => {
  it('an unknown profile named by a key is refused without printing the key', () => {
    expect(() => profileNamed(KEY)).toThrow('unknown app profile "<redacted>": use one of');
    expect(() => profileNamed(KEY)).not.toThrow(KEY);
  });

  it('a fileVariable holding a key is refused without printing the key', () => {
    expect(() => genericProfile({ name: 'myapp', fileVariable: KEY })).toThrow('genericProfile: fileVariable "<redacted>" must be an upper-case variable ending in _FILE');
  });

  it('ordinary wrong values are quoted, with control characters escaped', () => {
    expect(() => profileNamed('keycloak')).toThrow('unknown app profile "keycloak"');
    expect(() => genericProfile({ name: 'myapp', fileVariable: 'key\u001b[2Jfile' })).toThrow('fileVariable "key\\u001b[2Jfile"');
  });

  it('prototype names are unknown profiles', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(() => profileNamed(name), name).toThrow(`unknown app profile "${name}"`);
  });
});
