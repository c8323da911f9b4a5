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
 * principals × stores × matching statements plus one walk per principal over role edges, in
 * which a wildcard mesh of roles is one hub (role-graph.ts), so a walk costs what it finds.
 */
import type { ModelContext } from '../context';
import type { Access, Grant, KmsKey, Store, TfResource } from '../types';
import type { AccessResult } from './types';
import { Unseen } from './unseen';

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
  const full = new AccessAnalysis(ctx, stores, kmsKeys, tagsOf);
  const result = full.run();
  if (!full.sawUnknownActions) return result;
  // Statements whose actions are unknown may grant anything on what they name: the grants they
  // alone give are possible grants (reach between custody sides counts them; rules on writes and
  // deletes leave them to KC092). A second run without those statements tells them apart.
  const exact = new AccessAnalysis(ctx, stores, kmsKeys, tagsOf, true).run();
  const grantKey = (g: Grant) => `${g.principal}|${g.store}|${g.access}`;
  const sure = new Map(exact.grants.map((g) => [grantKey(g), g]));
  const grants = result.grants.map((g): Grant => sure.get(grantKey(g)) ?? { ...g, possible: true });
  const seen = new Set(grants.map(grantKey));
  grants.push(...exact.grants.filter((g) => !seen.has(grantKey(g))));
  return { ...result, grants };
}

/**
 * One analysis is one object built up in layers, a file each, every layer owning its own
 * state: base (inputs, unknowns) → targets → policies → principals → conditions →
 * identity-policies → boundaries → resource-policies → trust → evaluation → unseen → this class (the run order
 * and the grants per principal; the role-chain walk itself is role-graph.ts, which trust fills). A
 * layer calls only itself and the layers below it.
 */
class AccessAnalysis extends Unseen {
  constructor(ctx: ModelContext, stores: Store[], kmsKeys: KmsKey[], tagsOf: (r: TfResource) => Record<string, string>, exactActionsOnly = false) {
    super(ctx, stores, kmsKeys, tagsOf);
    this.exactActionsOnly = exactActionsOnly;
  }

  run(): AccessResult {
    this.collectPrincipals();
    this.collectGroups();
    this.collectIdentityPolicies();
    this.indexIdentity();
    this.collectBoundaries();
    this.collectStores();
    this.collectTrust();
    this.indexCandidates();
    this.collectNamedPrincipals();
    const { grants, blocked } = this.effectiveGrants();
    const unseen = this.unseenGrants(grants);
    return { principals: [...this.principals.values()].map((r) => r.p), grants, blocked, unseen, keyUses: this.keyUses(), unknowns: this.unknowns };
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
      // Breadth-first over the roles it may assume (role-graph.ts); the first (shortest) chain to each access wins.
      for (const r of this.roles.reach(pid, both, (via, role) => this.stackNote(via, role, rec.p.stack))) {
        (r.blocked ? blockedGrants : grants).push({ principal: pid, store: r.store, access: r.access, via: r.via });
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
