/** Role assumption: trust policies, trust in an account, and the edges from a principal to the roles it may assume. */
import { key } from '../context';
import { singleRef } from '../load/refs';
import { STS_ASSUME } from '../../policy/perms';
import { mayBeSameAccount } from './accounts';
import type { PrincipalRec, Stmt, Target } from './types';
import { ResourcePolicies } from './resource-policies';
import { OpenHubs } from './open-hubs';
import { RoleGraph } from './role-graph';

export abstract class Trust extends ResourcePolicies {
  /** Role assumption: edges from a principal to a role, and links to hubs of open roles (role-graph.ts). */
  protected readonly roles = new RoleGraph();

  private addEdge(from: string, to: string, via: string): void {
    this.roles.addEdge(from, to, via);
  }

  protected collectTrust(): void {
    const open: { role: PrincipalRec; target: Target; accounts: string[]; any: boolean; stmt: Stmt }[] = [];
    const trustDenies = new Map<string, Stmt[]>();
    for (const rec of this.principals.values()) {
      const r = rec.resource;
      if (!r || r.type !== 'aws_iam_role' || r.mode !== 'managed' || rec.p.id !== key(r.stack, r.address)) continue;
      const read = this.readPolicy(r.stack, r.values.assume_role_policy, r);
      const target = this.targetOf(r)!;
      const denies = read.stmts.filter((st) => st.s.effect === 'Deny' && this.stmtActions(st).has(STS_ASSUME));
      if (read.problem) {
        // Unreadable trust: whoever may call sts:AssumeRole on the role is assumed to get in.
        const any: Stmt = { s: { effect: 'Allow', actions: ['sts:AssumeRole'], resources: [], principals: [{ type: '*', ids: ['*'] }], conditions: [] }, stack: r.stack, approximate: true };
        open.push({ role: rec, target, accounts: [], any: true, stmt: any });
      }
      for (const st of read.stmts) {
        if (st.s.effect !== 'Allow' || !this.stmtActions(st).has(STS_ASSUME)) continue;
        if (st.approximate) continue;
        const spec = this.pspec(st);
        for (const id of spec.ids) {
          const from = this.principals.get(id);
          if (!from || denies.some((d) => this.denyApplies(d, from))) continue;
          if (!this.allowConditionsAdmit(st, from)) continue;
          // From another account its own policies must allow sts:AssumeRole too, unless some of them are not read.
          if (this.crossesAccounts(from, rec.p.account) && !this.identityAllow(from, STS_ASSUME, target, 'any')) continue;
          this.addEdge(id, rec.p.id, `assumes ${r.address}`);
        }
        if (spec.any || spec.accounts.length) open.push({ role: rec, target, accounts: spec.accounts, any: spec.any, stmt: st });
      }
      trustDenies.set(rec.p.id, denies);
    }
    if (!open.length) return;
    // Trust in an account (or anyone): principals whose own policies allow sts:AssumeRole on the role.
    const openByRole = new Map<string, typeof open>();
    for (const o of open) {
      const l = openByRole.get(o.role.p.id);
      if (l) l.push(o);
      else openByRole.set(o.role.p.id, [o]);
    }
    const hubs = new OpenHubs(this.roles, open, (o) => this.admitsEveryPrincipal(o.stmt) && !trustDenies.get(o.role.p.id)?.length);
    for (const [pid, allow] of this.allowIdx) {
      const entries = allow.get(STS_ASSUME);
      if (!entries?.length) continue;
      const from = this.principals.get(pid);
      if (!from) continue;
      const denied = this.denyIdx.get(pid)?.get(STS_ASSUME) ?? [];
      // The wildcard mesh: an unconditional sts:AssumeRole on every role links to the hub of the
      // open roles of the principal's account instead of to each; only the other open roles
      // (principal conditions, trust denies) are weighed one by one.
      const uniform = !denied.length && !this.hasBoundary(pid) && this.matchesEveryRole(entries[0].stmt, hubs.uniform);
      if (uniform) hubs.link(pid, from.p.account, entries[0].via);
      // Only the roles the statements can name, unless one of them is a wildcard.
      let candidates: typeof open = [];
      const named = new Set<string>();
      let all = false;
      for (const e of entries) {
        const c = this.assumeCandidates(e.stmt);
        if (c === 'all') {
          all = true;
          break;
        }
        for (const id of c) named.add(id);
      }
      if (all) candidates = uniform ? hubs.other : open;
      else for (const id of named) candidates.push(...(openByRole.get(id) ?? []));
      for (const o of candidates) {
        if (o.role.p.id === pid) continue;
        if (!o.any && !o.accounts.some((a) => a === '*' || mayBeSameAccount(a, from.p.account))) continue;
        if (!this.allowConditionsAdmit(o.stmt, from)) continue;
        const denies = trustDenies.get(o.role.p.id) ?? [];
        if (denies.some((d) => this.denyApplies(d, from))) continue;
        if (denied.some((e) => this.resMatch(e.stmt, o.target, 'any', true))) continue;
        const e = entries.find((x) => this.resMatch(x.stmt, o.target, 'any', false));
        if (e && this.boundaryAdmits(from, STS_ASSUME, o.target, 'any')) this.addEdge(pid, o.role.p.id, `assumes ${o.role.p.address} (${e.via})`);
      }
    }
  }

  /** Resource lists (with their stack when they hold references) that match every role of the hubs. */
  private readonly everyRole = new Map<string, boolean>();

  /** Whether an sts:AssumeRole statement may name any role, and names each of `roles` (memoized by its text). */
  private matchesEveryRole(st: Stmt, roles: readonly { readonly target: Target }[]): boolean {
    if (this.assumeCandidates(st) !== 'all') return false;
    const { resources, notResources } = st.s;
    if (resources.includes('*') || (resources.length === 0 && !notResources?.length)) return true;
    const k = JSON.stringify([resources.some((r) => r.includes('${')) ? st.stack : '', resources, notResources ?? []]);
    let ok = this.everyRole.get(k);
    if (ok === undefined) this.everyRole.set(k, (ok = roles.every((o) => this.resMatch(st, o.target, 'any', false))));
    return ok;
  }

  /** Role ids an sts:AssumeRole statement can name, or 'all' when it may name any role. */
  private assumeCandidates(st: Stmt): Set<string> | 'all' {
    if (st.assume) return st.assume;
    let out: Set<string> | 'all' = new Set<string>();
    if (st.s.resources.length === 0) out = 'all';
    for (const raw of st.s.resources) {
      if (out === 'all') break;
      if (!raw.includes('${')) {
        if (/[*?]/.test(raw)) {
          out = 'all';
          break;
        }
        const m = /:role\/(?:.*\/)?([^/]+)$/.exec(raw);
        if (m) for (const id of this.findByName('role', m[1], undefined)) out.add(id);
        continue;
      }
      const sr = singleRef(raw);
      if (!sr || sr.prefix !== '' || sr.suffix !== '') {
        out = 'all';
        break;
      }
      const res = this.ctx.resolve(st.stack, sr.ref);
      if (!res) {
        out = 'all';
        break;
      }
      const id = this.canonical.get(key(res.resource.stack, res.resource.address));
      if (id) out.add(id);
    }
    st.assume = out;
    return out;
  }
}
