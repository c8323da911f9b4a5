/**
 * Which folder is the library's own when call sites are recorded: the nearest `lib` around the
 * code, in the repository, in tsc's output and in the package's bundled entry alike.
 */
import { describe, expect, it } from 'vitest';
import { libFolderOf } from '../../lib/synth/sources';

describe('libFolderOf', () => {
  it('finds lib/ from a source file, a compiled file and the bundled entry', () => {
    expect(libFolderOf('/repo/lib/synth/sources.ts')).toBe('/repo/lib');
    expect(libFolderOf('/app/node_modules/cdktf-key-custody/dist/lib/synth/sources.js')).toBe('/app/node_modules/cdktf-key-custody/dist/lib');
    // The bundle sits in lib/ itself: its folder, never the package root above it.
    expect(libFolderOf('/app/node_modules/cdktf-key-custody/dist/lib/index.js')).toBe('/app/node_modules/cdktf-key-custody/dist/lib');
  });

  it('takes the nearest lib/, and gives up at the root', () => {
    expect(libFolderOf('/work/lib/project/lib/constructs/key/master-key.js')).toBe('/work/lib/project/lib');
    expect(libFolderOf('/somewhere/else/index.js')).toBe('');
    expect(libFolderOf('/library/x.js')).toBe('');
  });
});
