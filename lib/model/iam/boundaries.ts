/**
 * Permissions boundaries and service control policies.
 *
 * Boundaries: the managed policy (`permissions_boundary`) that caps what a user's or
 * role's identity policies can grant. An identity Allow counts only where the boundary allows the
 * same action on the same resource as well; an unconditional Deny in the boundary denies like an
 * identity Deny. A boundary we cannot read limits nothing.
 *
 * Resource-policy grants that name the principal itself are not limited here. AWS limits them
 * for a role's ARN but not for a user's or a role session's, and the model does not tell a role
 * ARN from a session ARN in a principal list: over-report, never under-report.
 */
import { key } from '../context';
import { literal } from '../load/refs';
import type { Level } from '../../policy/perms';
import type { Entry, PrincipalRec, Stmt, Target } from './types';
import { IdentityPolicies } from './identity-policies';

export abstract class Boundaries extends IdentityPolicies {
  /** Principal id → action → the Allow statements of its boundary. */
  private readonly boundaryAllow = new Map<string, Map<string, Entry[]>>();

  /** Read the boundaries of managed users and roles; run after indexIdentity (it adds their denies there). */
  protected collectBoundaries(): void {
    for (const rec of this.principals.values()) {
      const r = rec.resource;
      if (!r || r.mode !== 'managed' || rec.p.id !== key(r.stack, r.address)) continue;
      const value = r.values.permissions_boundary;
      if (value === undefined || value === null || value === '') continue;
      const pol = this.policyByArn(r.stack, value, r);
      if (!pol || this.partial(pol)) {
        this.unknown(r, `the permissions boundary ${String(value)} cannot be read; no limit is assumed`);
        continue;
      }
      const via = `permissions boundary ${pol.label}`;
      const allow = new Map<string, Entry[]>();
      let deny = this.denyIdx.get(rec.p.id);
      if (!deny) this.denyIdx.set(rec.p.id, (deny = new Map()));
      for (const stmt of pol.read.stmts) {
        const isDeny = stmt.s.effect === 'Deny';
        // Only unconditional denies surely apply; conditions on an Allow are read as they hold.
        if (isDeny && stmt.s.conditions.length > 0) continue;
        const idx = isDeny ? deny : allow;
        for (const a of this.stmtActions(stmt)) {
          let list = idx.get(a);
          if (!list) idx.set(a, (list = []));
          list.push({ stmt, via });
        }
      }
      this.boundaryAllow.set(rec.p.id, allow);
    }
    this.collectScpDenies();
  }

  /**
   * Service control policies, where the configuration declares them: the Denies of an
   * `aws_organizations_policy` attached (`aws_organizations_policy_attachment`) to a member
   * account by its literal id deny for every principal of that account. Only where the same
   * configuration creates the organization (`aws_organizations_organization`) in a pinned
   * account other than the target: that is the management account, which SCPs never limit.
   * Attachments to OUs or the root, ids only known after apply, and SCP Allows (FullAWSAccess
   * is attached outside the configuration by default) limit nothing.
   */
  private collectScpDenies(): void {
    const management = new Set(
      this.ctx
        .ofType('aws_organizations_organization')
        .filter((r) => r.mode === 'managed')
        .map((r) => this.ctx.accountOfResource(r)),
    );
    if (![...management].some((a) => /^acct:\d{12}$/.test(a))) return;
    for (const att of this.ctx.ofType('aws_organizations_policy_attachment')) {
      const target = literal(att.values.target_id);
      if (!target || !/^\d{12}$/.test(target) || management.has(`acct:${target}`)) continue;
      const pol = this.ctx.target(att.stack, att.values.policy_id, ['aws_organizations_policy'], ['id']);
      if (!pol || pol.mode !== 'managed' || (literal(pol.values.type) ?? 'SERVICE_CONTROL_POLICY') !== 'SERVICE_CONTROL_POLICY') continue;
      const read = this.readPolicy(pol.stack, pol.values.content, pol);
      const via = `SCP ${pol.address}`;
      for (const st of read.stmts) {
        if (st.s.effect !== 'Deny' || st.approximate) continue;
        // An SCP statement names no principal: read it as a resource-policy Deny to everyone.
        const toAll: Stmt = { s: { ...st.s, principals: [{ type: '*', ids: ['*'] }], notPrincipals: undefined }, stack: st.stack, approximate: false };
        for (const rec of this.principals.values()) {
          if (rec.p.account !== `acct:${target}` || rec.p.kind === 'external') continue;
          if (st.s.conditions.length > 0 && !this.denyApplies(toAll, rec)) continue;
          let deny = this.denyIdx.get(rec.p.id);
          if (!deny) this.denyIdx.set(rec.p.id, (deny = new Map()));
          for (const a of this.stmtActions(st)) {
            let list = deny.get(a);
            if (!list) deny.set(a, (list = []));
            list.push({ stmt: st, via });
          }
        }
      }
    }
  }

  /** Whether P's boundary (if it has one) allows `action` on `t`. */
  protected boundaryAdmits(rec: PrincipalRec, action: string, t: Target, level: Level): boolean {
    const idx = this.boundaryAllow.get(rec.p.id);
    if (!idx) return true;
    return (idx.get(action) ?? []).some((e) => this.resMatch(e.stmt, t, level, false) && this.allowConditionsAdmit(e.stmt, rec));
  }

  /** Whether P has a boundary (which may limit what a wildcard statement of its own reaches). */
  protected hasBoundary(pid: string): boolean {
    return this.boundaryAllow.has(pid);
  }

  /**
   * Whether P acts from another account than `account`, for certain (both pin their 12 digits,
   * and they differ), and all of P's own policies are read: then its own side must allow too.
   * A profile, a variable or nothing pinned may be the same account: either side is enough.
   */
  protected crossesAccounts(rec: PrincipalRec, account: string): boolean {
    const pinned = /^acct:\d{12}$/;
    return pinned.test(rec.p.account) && pinned.test(account) && rec.p.account !== account && this.ownPoliciesKnown(rec);
  }

  /** P's own identity Allow of `action` on `t`, within its boundary; undefined when there is none. */
  protected identityAllow(rec: PrincipalRec, action: string, t: Target, level: Level): Entry | undefined {
    const e = (this.allowIdx.get(rec.p.id)?.get(action) ?? []).find((x) => this.resMatch(x.stmt, t, level, false));
    return e && this.boundaryAdmits(rec, action, t, level) ? e : undefined;
  }
}
