/**
 * Effective IAM access: which principal may read, write, delete, decrypt or administer
 * which custody store, and through which chain (inline and attached policies, AWS-managed
 * policies, groups, bucket/secret/key policies, KMS grants, assumed roles, wildcards).
 *
 * We read Terraform JSON as cdktf writes it and never evaluate HCL. Where a value is only
 * known after apply we decide for the worse case on the allow side (a `${var.x}` resource
 * may be any store) and for the better case on the deny side (a deny we cannot pin down
 * removes nothing): the model may over-report access, it must never under-report it.
 *
 * Cost: policies are parsed once, statements are indexed per principal by the few actions
 * that matter, and resource matches are cached per (statement, target). The work is
 * principals × stores × matching statements plus one BFS per principal over role edges.
 */
import type { ModelContext } from '../context';
import type { Access, Grant, KmsKey, Store, TfResource } from '../types';
import type { AccessResult } from './types';
import { Evaluation } from './evaluation';

/**
 * Compute every principal's effective access to every store.
 *
 * @param ctx indexes over the input documents
 * @param stores the custody stores found by the model builder
 * @param kmsKeys the managed KMS keys
 * @param tagsOf tags of a resource (with provider default tags)
 */
export function computeAccess(
  ctx: ModelContext,
  stores: Store[],
  kmsKeys: KmsKey[],
  tagsOf: (r: TfResource) => Record<string, string>,
): AccessResult {
  return new AccessAnalysis(ctx, stores, kmsKeys, tagsOf).run();
}

/**
 * One analysis is one object built up in layers, a file each, every layer owning its own
 * state: base (inputs, unknowns) → targets → policies → principals → conditions →
 * identity-policies → resource-policies → trust → evaluation → this class (the run order
 * and the role-chain BFS). A layer calls only itself and the layers below it.
 */
class AccessAnalysis extends Evaluation {
  run(): AccessResult {
    this.collectPrincipals();
    this.collectGroups();
    this.collectIdentityPolicies();
    this.indexIdentity();
    this.collectStores();
    this.collectTrust();
    this.indexCandidates();
    const { grants, blocked } = this.effectiveGrants();
    return { principals: [...this.principals.values()].map((r) => r.p), grants, blocked, unknowns: this.unknowns };
  }

  private effectiveGrants(): { grants: Grant[]; blocked: Grant[] } {
    type Both = { access: Map<string, Map<Access, string>>; blocked: Map<string, Map<Access, string>> };
    const directCache = new Map<string, Both>();
    const both = (id: string): Both => {
      let d = directCache.get(id);
      if (!d) {
        const rec = this.principals.get(id);
        d = rec ? this.directAccessAndBlocked(rec) : { access: new Map(), blocked: new Map() };
        directCache.set(id, d);
      }
      return d;
    };
    const grants: Grant[] = [];
    const blockedGrants: Grant[] = [];
    for (const rec of this.principals.values()) {
      const pid = rec.p.id;
      const seen = new Set<string>();
      const seenBlocked = new Set<string>();
      const emit = (d: Both, chain: string) => {
        for (const [store, byAccess] of d.access) {
          for (const [a, via] of byAccess) {
            const k = `${store}|${a}`;
            if (seen.has(k)) continue;
            seen.add(k);
            grants.push({ principal: pid, store, access: a, via: chain + via });
          }
        }
        for (const [store, byAccess] of d.blocked) {
          for (const [a, via] of byAccess) {
            const k = `${store}|${a}`;
            if (seenBlocked.has(k)) continue;
            seenBlocked.add(k);
            blockedGrants.push({ principal: pid, store, access: a, via: chain + via });
          }
        }
      };
      emit(both(pid), '');
      // BFS over role edges; the first (shortest) chain to each role wins.
      const visited = new Set<string>([pid]);
      let frontier: { id: string; chain: string }[] = [{ id: pid, chain: '' }];
      while (frontier.length) {
        const next: { id: string; chain: string }[] = [];
        for (const f of frontier) {
          for (const e of this.edges.get(f.id) ?? []) {
            if (visited.has(e.to)) continue;
            visited.add(e.to);
            const chain = `${f.chain}${this.stackNote(e.via, e.to, rec.p.stack)} → `;
            emit(both(e.to), chain);
            next.push({ id: e.to, chain });
          }
        }
        frontier = next;
      }
    }
    // What is granted through another path is not blocked.
    const granted = new Set(grants.map((g) => `${g.principal}|${g.store}|${g.access}`));
    return { grants, blocked: blockedGrants.filter((g) => !granted.has(`${g.principal}|${g.store}|${g.access}`)) };
  }

  private stackNote(via: string, roleId: string, from: string): string {
    const role = this.principals.get(roleId)?.p;
    if (!role || !this.ctx.multiStack || role.stack === from) return via;
    return via.replace(role.address, `${role.address} (stack ${role.stack})`);
  }
}
