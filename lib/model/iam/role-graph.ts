/**
 * Role assumption as a graph, and the walk that turns it into chains of access.
 *
 * Two kinds of out-links: an edge to one role (a trust policy that names the principal, or an
 * open trust admitting one principal under its own conditions), and a link to a hub: the
 * ordered list of roles whose trust is open to a whole account without principal conditions
 * or trust denies, which every principal of that account with an unconditional
 * `sts:AssumeRole` on every role can assume alike. A wildcard mesh of N roles is N links to one
 * hub instead of N² edges.
 *
 * The walk is a breadth-first search per principal (the shortest chain to each role wins). A
 * hub is expanded once per walk, from a summary computed once per model: the first role (in
 * hub order) holding each (store, access), the hub roles that have edges of their own, and the
 * hubs its other roles link to. So a walk costs what it finds, not the size of the mesh, and
 * it reaches exactly the roles a role-by-role walk reaches (which of two equally short chains
 * names a grant may differ when hubs overlap; the grants do not).
 *
 * Chains longer than {@link CHAIN_HEAD} + {@link CHAIN_TAIL} hops keep their first and last
 * hops and say how many were left out: a chain through 1,000 roles would otherwise be copied
 * into every grant and every finding that reaches past it.
 */
import type { Access } from '../types';

/** Hops kept from the start of a long chain. */
export const CHAIN_HEAD = 3;
/** Hops kept from the end of a long chain (the roles next to the access). */
export const CHAIN_TAIL = 3;

/** What one principal may do on its own: store id → access → via (granted, and blocked today). */
export interface Held {
  readonly access: ReadonlyMap<string, ReadonlyMap<Access, string>>;
  readonly blocked: ReadonlyMap<string, ReadonlyMap<Access, string>>;
}

/** One (store, access) a walk found, with the chain that gives it. */
export interface Reached {
  readonly store: string;
  readonly access: Access;
  readonly via: string;
  readonly blocked: boolean;
}

/** A chain of role assumptions, kept to its first and last hops. */
class Chain {
  private rendered?: string;
  constructor(
    private readonly segs: readonly string[],
    readonly hops: number,
  ) {}

  then(seg: string): Chain {
    if (this.hops < CHAIN_HEAD + CHAIN_TAIL) return new Chain([...this.segs, seg], this.hops + 1);
    // Full: drop the oldest of the tail hops, keep the head.
    return new Chain([...this.segs.slice(0, CHAIN_HEAD), ...this.segs.slice(CHAIN_HEAD + 1), seg], this.hops + 1);
  }

  /** `a → b → ` (empty for no hops), with `… N more assumed roles … → ` in place of the middle. */
  text(): string {
    if (this.rendered !== undefined) return this.rendered;
    const left = this.hops - this.segs.length;
    const parts = left > 0 ? [...this.segs.slice(0, CHAIN_HEAD), `… ${left} more assumed role${left === 1 ? '' : 's'} …`, ...this.segs.slice(CHAIN_HEAD)] : this.segs;
    this.rendered = parts.map((p) => `${p} → `).join('');
    return this.rendered;
  }
}

const NO_CHAIN = new Chain([], 0);

interface Hub {
  /** Role ids in the order the open trusts were read. */
  readonly targets: readonly string[];
  /** The hop to one of its roles, given the via of the link (the principal's own statement). */
  readonly hop: (target: string, linkVia: string) => string;
  summary?: HubSummary;
}

interface HubSummary {
  /** The first role holding each (store, access), in role order then the role's own order. */
  readonly access: readonly { readonly role: string; readonly store: string; readonly access: Access; readonly via: string }[];
  readonly blocked: readonly { readonly role: string; readonly store: string; readonly access: Access; readonly via: string }[];
  /** Roles with edges of their own: walked one by one. */
  readonly withEdges: readonly string[];
  /** Hubs the other roles link to: the first role (and its link) for each. */
  readonly next: readonly { readonly hub: number; readonly role: string; readonly via: string }[];
}

type Item = { readonly id: string; readonly chain: Chain } | { readonly hub: number; readonly via: string; readonly chain: Chain };

export class RoleGraph {
  private readonly edges = new Map<string, { to: string; via: string }[]>();
  private readonly edgeKeys = new Set<string>();
  private readonly links = new Map<string, { hub: number; via: string }[]>();
  private readonly hubs: Hub[] = [];
  private readonly hubsOf = new Map<string, number[]>();

  /** An edge from one principal to one role; the first via between two ids wins. */
  addEdge(from: string, to: string, via: string): void {
    if (from === to) return;
    const k = `${from}\u0000${to}`;
    if (this.edgeKeys.has(k)) return;
    this.edgeKeys.add(k);
    let list = this.edges.get(from);
    if (!list) this.edges.set(from, (list = []));
    list.push({ to, via });
  }

  /** A hub of roles (in order); `hop` words the step to one of them. Returns its index. */
  addHub(targets: readonly string[], hop: (target: string, linkVia: string) => string): number {
    const i = this.hubs.length;
    this.hubs.push({ targets, hop });
    for (const t of targets) {
      const l = this.hubsOf.get(t);
      if (l) l.push(i);
      else this.hubsOf.set(t, [i]);
    }
    return i;
  }

  /** Principal `from` may assume every role of hub `hub`, through its statement `via`. */
  link(from: string, hub: number, via: string): void {
    const l = this.links.get(from);
    if (l) l.push({ hub, via });
    else this.links.set(from, [{ hub, via }]);
  }

  private summarize(h: number, held: (id: string) => Held): HubSummary {
    const hub = this.hubs[h];
    if (hub.summary) return hub.summary;
    const firsts = (pick: (d: Held) => ReadonlyMap<string, ReadonlyMap<Access, string>>) => {
      const seen = new Set<string>();
      const out: { role: string; store: string; access: Access; via: string }[] = [];
      for (const role of hub.targets) {
        for (const [store, byAccess] of pick(held(role))) {
          for (const [access, via] of byAccess) {
            const k = `${store}|${access}`;
            if (seen.has(k)) continue;
            seen.add(k);
            out.push({ role, store, access, via });
          }
        }
      }
      return out;
    };
    const withEdges: string[] = [];
    const next: { hub: number; role: string; via: string }[] = [];
    const nextSeen = new Set<number>();
    for (const role of hub.targets) {
      if (this.edges.get(role)?.length) {
        withEdges.push(role);
        continue;
      }
      for (const l of this.links.get(role) ?? []) {
        if (nextSeen.has(l.hub)) continue;
        nextSeen.add(l.hub);
        next.push({ hub: l.hub, role, via: l.via });
      }
    }
    hub.summary = { access: firsts((d) => d.access), blocked: firsts((d) => d.blocked), withEdges, next };
    return hub.summary;
  }

  /**
   * Everything `start` reaches: its own access first, then breadth-first through the roles it
   * may assume; the first (shortest) chain to each (store, access) wins.
   *
   * @param held what one principal may do on its own (cached by the caller)
   * @param note rewrites one hop to a role (e.g. to name the role's stack)
   */
  reach(start: string, held: (id: string) => Held, note: (hop: string, role: string) => string): Reached[] {
    const out: Reached[] = [];
    const seen = new Set<string>();
    const seenBlocked = new Set<string>();
    const emit = (store: string, access: Access, via: string, blocked: boolean) => {
      const k = `${store}|${access}`;
      const s = blocked ? seenBlocked : seen;
      if (s.has(k)) return;
      s.add(k);
      out.push({ store, access, via, blocked });
    };
    const emitHeld = (d: Held, chain: string) => {
      for (const [store, byAccess] of d.access) for (const [a, via] of byAccess) emit(store, a, chain + via, false);
      for (const [store, byAccess] of d.blocked) for (const [a, via] of byAccess) emit(store, a, chain + via, true);
    };
    emitHeld(held(start), '');
    const visited = new Set<string>([start]);
    const expanded = new Set<number>();
    // A role of an expanded hub counts as visited: the hub's summary has spoken for it.
    const isVisited = (id: string) => visited.has(id) || (this.hubsOf.get(id)?.some((h) => expanded.has(h)) ?? false);
    const expand = (h: number, linkVia: string, chain: Chain, next: Item[]) => {
      if (expanded.has(h)) return;
      const hub = this.hubs[h];
      const sum = this.summarize(h, held);
      const step = (role: string) => chain.then(note(hub.hop(role, linkVia), role));
      for (const x of sum.access) if (!seen.has(`${x.store}|${x.access}`)) emit(x.store, x.access, step(x.role).text() + x.via, false);
      for (const x of sum.blocked) if (!seenBlocked.has(`${x.store}|${x.access}`)) emit(x.store, x.access, step(x.role).text() + x.via, true);
      for (const role of sum.withEdges) {
        if (isVisited(role)) continue;
        visited.add(role);
        next.push({ id: role, chain: step(role) });
      }
      expanded.add(h);
      for (const n of sum.next) if (!expanded.has(n.hub)) next.push({ hub: n.hub, via: n.via, chain: step(n.role) });
    };
    let frontier: Item[] = [{ id: start, chain: NO_CHAIN }];
    while (frontier.length) {
      const next: Item[] = [];
      for (const f of frontier) {
        if ('hub' in f) {
          expand(f.hub, f.via, f.chain, next);
          continue;
        }
        for (const e of this.edges.get(f.id) ?? []) {
          if (isVisited(e.to)) continue;
          visited.add(e.to);
          const chain = f.chain.then(note(e.via, e.to));
          emitHeld(held(e.to), chain.text());
          next.push({ id: e.to, chain });
        }
        for (const l of this.links.get(f.id) ?? []) expand(l.hub, l.via, f.chain, next);
      }
      frontier = next;
    }
    return out;
  }
}
