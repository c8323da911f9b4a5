/** Folding one subject's pairwise findings into one above PAIRS_ALONE (lib/rules/fold.ts). */
import { describe, expect, it } from 'vitest';
import { foldPerSubject, OTHERS_NAMED, PAIRS_ALONE, type PairFinding } from '../../lib/rules/fold';

const f = (address: string, other: string, stack = 's'): PairFinding => ({
  violation: { stack, address, message: `${address} shares with ${other}`, fix: `separate ${address}`, location: { file: 'f.tf.json', line: 3 } },
  other,
});
const others = (address: string, n: number, stack = 's') => Array.from({ length: n }, (_, i) => f(address, `o${i}`, stack));

describe('foldPerSubject', () => {
  it(`keeps up to ${PAIRS_ALONE} findings of a subject as they are, in their order`, () => {
    expect(PAIRS_ALONE).toBe(5);
    const pairs = [...others('a', 5), f('b', 'x'), f('a', 'late', 't')];
    expect(foldPerSubject(pairs)).toEqual(pairs.map((p) => p.violation));
    expect(foldPerSubject([])).toEqual([]);
  });

  it('folds a subject with more into its first finding, at its place, naming the first others and counting the rest', () => {
    expect(OTHERS_NAMED).toBe(5);
    const a = others('a', 8);
    const pairs = [f('z', 'first'), a[0], f('b', 'x'), ...a.slice(1)];
    const out = foldPerSubject(pairs);
    expect(out.map((v) => v.address)).toEqual(['z', 'a', 'b']);
    expect(out[1]).toEqual({ ...a[0].violation, message: 'a shares with o0; the same holds for 7 more: o1, o2, o3, o4, o5 and 2 more' });
    expect(out[1].fix).toBe('separate a');
    expect(out[1].location).toEqual({ file: 'f.tf.json', line: 3 });
  });

  it('names every other when they fit, and tells subjects apart by stack', () => {
    expect(foldPerSubject(others('a', 6))[0].message).toBe('a shares with o0; the same holds for 5 more: o1, o2, o3, o4, o5');
    const split = [...others('a', 3, 's'), ...others('a', 3, 't')];
    expect(foldPerSubject(split)).toHaveLength(6);
  });
});
