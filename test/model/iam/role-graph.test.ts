/** The role graph on its own: edges, hubs and their summaries, the walk's order, and chains kept to their ends. */
import { describe, expect, it } from 'vitest';
import { CHAIN_HEAD, CHAIN_TAIL, RoleGraph, type Held } from '../../../lib/model/iam/role-graph';
import type { Access } from '../../../lib/model/types';

type Spec = Record<string, { access?: [string, Access, string][]; blocked?: [string, Access, string][] }>;

function heldOf(spec: Spec): (id: string) => Held {
  const toMap = (list: [string, Access, string][] = []) => {
    const m = new Map<string, Map<Access, string>>();
    for (const [store, a, via] of list) {
      let byAccess = m.get(store);
      if (!byAccess) m.set(store, (byAccess = new Map()));
      byAccess.set(a, via);
    }
    return m;
  };
  return (id) => ({ access: toMap(spec[id]?.access), blocked: toMap(spec[id]?.blocked) });
}

const plain = (hop: string) => hop;
const lines = (g: RoleGraph, start: string, spec: Spec, note: (hop: string, role: string) => string = plain) => g.reach(start, heldOf(spec), note).map((r) => `${r.blocked ? 'blocked ' : ''}${r.store} ${r.access} | ${r.via}`);
const hop = (t: string, via: string) => `assumes ${t} (${via})`;

describe('RoleGraph', () => {
  it('ignores an edge to itself and keeps the first via between two ids', () => {
    const g = new RoleGraph();
    g.addEdge('p', 'p', 'self');
    g.addEdge('p', 'a', 'first');
    g.addEdge('p', 'a', 'second');
    g.addEdge('p', 'b', 'to b');
    expect(lines(g, 'p', { p: { access: [['s0', 'read', 'own']] }, a: { access: [['s1', 'read', 'pa']] }, b: { access: [['s1', 'read', 'pb'], ['s2', 'write', 'pb2']] } })).toEqual([
      's0 read | own',
      's1 read | first → pa',
      's2 write | to b → pb2',
    ]);
  });

  it('walks breadth-first: the shorter chain wins, and a role is walked once', () => {
    const g = new RoleGraph();
    g.addEdge('p', 'a', 'pa');
    g.addEdge('a', 'b', 'ab');
    g.addEdge('p', 'c', 'pc');
    g.addEdge('c', 'b', 'cb');
    g.addEdge('b', 'a', 'ba');
    g.addEdge('c', 'd', 'cd');
    const spec: Spec = { b: { access: [['s', 'read', 'vb']] }, d: { access: [['s', 'read', 'vd'], ['t', 'read', 'vd']] } };
    expect(lines(g, 'p', spec)).toEqual(['s read | pa → ab → vb', 't read | pc → cd → vd']);
  });

  it('keeps grants and blocked access apart, each first chain winning', () => {
    const g = new RoleGraph();
    g.addEdge('p', 'a', 'pa');
    const spec: Spec = { p: { blocked: [['s', 'read', 'named']] }, a: { access: [['s', 'read', 'va']], blocked: [['s', 'read', 'again'], ['t', 'write', 'vt']] } };
    expect(lines(g, 'p', spec)).toEqual(['blocked s read | named', 's read | pa → va', 'blocked t write | pa → vt']);
  });

  it('expands a hub from its summary: the first role holding each access, in hub order', () => {
    const g = new RoleGraph();
    const h = g.addHub(['a', 'b', 'c'], hop);
    g.link('p', h, 'pp');
    const spec: Spec = { b: { access: [['s1', 'read', 'vb']], blocked: [['s9', 'read', 'nb']] }, c: { access: [['s1', 'read', 'vc'], ['s2', 'write', 'vc2']], blocked: [['s9', 'read', 'nc']] } };
    expect(lines(g, 'p', spec)).toEqual(['s1 read | assumes b (pp) → vb', 's2 write | assumes c (pp) → vc2', 'blocked s9 read | assumes b (pp) → nb']);
    // The summary is computed once; another principal sees the same roles through its own link.
    g.link('q', h, 'qq');
    expect(lines(g, 'q', spec)).toEqual(['s1 read | assumes b (qq) → vb', 's2 write | assumes c (qq) → vc2', 'blocked s9 read | assumes b (qq) → nb']);
  });

  it('skips what the principal holds itself, and walks on from hub roles with edges and from the hubs they link to', () => {
    const g = new RoleGraph();
    const h1 = g.addHub(['p', 'a', 'c'], hop);
    const h2 = g.addHub(['y', 'z'], (t, v) => `takes ${t} (${v})`);
    g.link('p', h1, 'pp');
    g.link('a', h1, 'aa');
    g.link('c', h1, 'cc1');
    g.link('c', h2, 'cc2');
    g.addEdge('a', 'x', 'ax');
    const spec: Spec = {
      p: { access: [['s0', 'read', 'own']] },
      a: { access: [['s0', 'read', 'va']] },
      x: { access: [['s3', 'read', 'vx']] },
      z: { access: [['s4', 'admin', 'vz']] },
    };
    expect(lines(g, 'p', spec)).toEqual(['s0 read | own', 's3 read | assumes a (pp) → ax → vx', 's4 admin | assumes c (pp) → takes z (cc2) → vz']);
  });

  it('counts a role of an expanded hub as walked: an edge to it later adds nothing', () => {
    const g = new RoleGraph();
    const h = g.addHub(['a', 'b'], hop);
    g.link('p', h, 'pp');
    g.addEdge('a', 'x', 'ax');
    g.addEdge('x', 'b', 'xb');
    g.addEdge('b', 'y', 'by');
    const spec: Spec = { y: { access: [['s', 'read', 'vy']] } };
    // b is walked once, from the hub; its edge to y is walked in the level after the hub.
    expect(lines(g, 'p', spec)).toEqual(['s read | assumes b (pp) → by → vy']);
  });

  it('does not expand a hub twice in one walk', () => {
    const g = new RoleGraph();
    const h = g.addHub(['a'], hop);
    g.link('p', h, 'first');
    g.link('p', h, 'second');
    g.addEdge('p', 'q', 'pq');
    g.link('q', h, 'third');
    expect(lines(g, 'p', { a: { access: [['s', 'read', 'va']], blocked: [['t', 'read', 'na']] } })).toEqual(['s read | assumes a (first) → va', 'blocked t read | assumes a (first) → na']);
  });

  it('rewrites each hop through the note, with the role it leads to', () => {
    const g = new RoleGraph();
    g.addEdge('p', 'a', 'assumes a');
    const h = g.addHub(['b'], hop);
    g.link('a', h, 'pa');
    const note = (via: string, role: string) => `${via} [${role}]`;
    expect(lines(g, 'p', { b: { access: [['s', 'read', 'vb']] } }, note)).toEqual(['s read | assumes a [a] → assumes b (pa) [b] → vb']);
  });

  it(`keeps ${CHAIN_HEAD} first and ${CHAIN_TAIL} last hops of a long chain and counts the rest`, () => {
    expect([CHAIN_HEAD, CHAIN_TAIL]).toEqual([3, 3]);
    const chainOf = (n: number) => {
      const g = new RoleGraph();
      for (let i = 0; i < n; i++) g.addEdge(`r${i}`, `r${i + 1}`, `h${i + 1}`);
      return g.reach('r0', heldOf({ [`r${n}`]: { access: [['s', 'read', 'v']] } }), plain)[0].via;
    };
    expect(chainOf(1)).toBe('h1 → v');
    expect(chainOf(6)).toBe('h1 → h2 → h3 → h4 → h5 → h6 → v');
    expect(chainOf(7)).toBe('h1 → h2 → h3 → … 1 more assumed role … → h5 → h6 → h7 → v');
    expect(chainOf(8)).toBe('h1 → h2 → h3 → … 2 more assumed roles … → h6 → h7 → h8 → v');
    expect(chainOf(1000)).toBe('h1 → h2 → h3 → … 994 more assumed roles … → h998 → h999 → h1000 → v');
  });
});
