/**
 * A container's argv is split once and shared by the rules that read it (KC001-KC003): the
 * same words for every caller, and no caller can change what the next one reads.
 */
import { describe, expect, it } from 'vitest';
import { containerArgv } from '../../lib/model/containers';
import { argvOf } from '../../lib/rules/helpers';
import { container } from './hand-model';

describe('containerArgv', () => {
  it('splits once per container and hands every rule the same frozen words', () => {
    const c = container({ entrypoint: ['/bin/sh', '-c'], command: ['"start --masterkeyFile', "'/run/k';"] });
    const first = containerArgv(c);
    expect(first).toEqual(['/bin/sh', '-c', 'start', '--masterkeyFile', '/run/k']);
    expect(argvOf(c)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => (first as string[]).push('--x')).toThrow(TypeError);
  });

  it('keeps containers apart: equal-looking containers are split each for itself', () => {
    const a = container({ command: ['app', '--a'] });
    const b = container({ command: ['app', '--b'] });
    expect(containerArgv(a)).toEqual(['app', '--a']);
    expect(containerArgv(b)).toEqual(['app', '--b']);
  });
});
