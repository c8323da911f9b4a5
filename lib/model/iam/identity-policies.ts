/** Identity policies: inline, attached and group policies per principal, indexed by the custody actions they allow or deny. */
import { key } from '../context';
import { blocks, literal, strings } from '../load/refs';
import type { TfResource } from '../types';
import type { Entry, PrincipalRec, ReadPolicy, Stmt } from './types';
import { awsManagedStatements } from './aws-managed';
import { actionsUnknown } from './policies';
import { Conditions } from './conditions';

export abstract class IdentityPolicies extends Conditions {
  /** Identity policy entries per principal and per group. */
  private readonly identity = new Map<string, Entry[]>();
  private readonly groupPolicies = new Map<string, Entry[]>();
  private readonly groupLabels = new Map<string, string>();
  private readonly userGroups = new Map<string, Set<string>>();
  private readonly groupByName = new Map<string, string>();
  /**
   * Principal and group ids with an identity policy we could not read, or a group outside the
   * configuration: what they hold is not all in allowIdx, so evaluation must not rely on its absence.
   */
  private readonly unread = new Set<string>();

  /** Whether an attached policy is missing, unreadable, or an AWS-managed one only guessed from its name. */
  protected partial(pol: { read: ReadPolicy } | undefined): boolean {
    return !pol || pol.read.problem !== undefined || (pol.read.managed !== undefined && awsManagedStatements(pol.read.managed).guessed);
  }

  /** Whether every identity policy of a managed user or role is read (its allowIdx is all it holds). */
  protected ownPoliciesKnown(rec: PrincipalRec): boolean {
    return rec.resource?.mode === 'managed' && rec.p.kind !== 'external' && !this.unread.has(rec.p.id);
  }

  /** Indexed identity statements per principal: action → entries. */
  protected readonly allowIdx = new Map<string, Map<string, Entry[]>>();
  protected readonly denyIdx = new Map<string, Map<string, Entry[]>>();

  private groupIds(stack: string, value: unknown, owner: TfResource): string[] {
    if (typeof value !== 'string') return [];
    const lit = literal(value);
    if (lit !== undefined) {
      const name = lit.startsWith('arn:') ? lit.slice(lit.lastIndexOf('/') + 1) : lit;
      const found = this.groupByName.get(name);
      if (found) return [found];
      const id = `group:${name}`;
      this.unread.add(id);
      this.groupByName.set(name, id);
      this.groupLabels.set(id, `group ${name}`);
      return [id];
    }
    const out: string[] = [];
    for (const res of this.ctx.resolveAll(stack, value)) {
      const r = res.resource;
      if (r.type !== 'aws_iam_group') continue;
      const name = literal(r.mode === 'data' ? r.values.group_name : r.values.name);
      const k = key(r.stack, r.address);
      const id = name ? (this.groupByName.get(name) ?? k) : k;
      if (r.mode === 'data' && id === k) this.unread.add(id);
      if (!this.groupLabels.has(id)) this.groupLabels.set(id, `group ${name ?? r.address}`);
      out.push(id);
    }
    if (!out.length) this.unknown(owner, `the group ${value} cannot be followed`);
    return out;
  }

  protected collectGroups(): void {
    for (const g of this.ctx.ofType('aws_iam_group')) {
      if (g.mode !== 'managed') continue;
      const name = literal(g.values.name);
      const id = key(g.stack, g.address);
      if (name && !this.groupByName.has(name)) this.groupByName.set(name, id);
      this.groupLabels.set(id, `group ${name ?? g.address}`);
    }
    const join = (users: string[], groups: string[]) => {
      for (const u of users) {
        let set = this.userGroups.get(u);
        if (!set) this.userGroups.set(u, (set = new Set()));
        for (const g of groups) set.add(g);
      }
    };
    for (const r of this.ctx.ofType('aws_iam_user_group_membership')) {
      const groups = strings(r.values.groups).flatMap((g) => this.groupIds(r.stack, g, r));
      join(this.principalIds(r.stack, r.values.user, 'user', r), groups);
    }
    for (const r of this.ctx.ofType('aws_iam_group_membership')) {
      const groups = this.groupIds(r.stack, r.values.group, r);
      join(strings(r.values.users).flatMap((u) => this.principalIds(r.stack, u, 'user', r)), groups);
    }
  }

  protected addEntries(map: Map<string, Entry[]>, id: string, stmts: Stmt[], via: string): void {
    if (!stmts.length) return;
    let list = map.get(id);
    if (!list) map.set(id, (list = []));
    for (const stmt of stmts) list.push({ stmt, via: stmt.approximate ? `${via} (read conservatively)` : actionsUnknown(stmt) ? `${via} (actions unknown)` : via });
  }

  protected collectIdentityPolicies(): void {
    const ctx = this.ctx;
    const inline: [string, 'user' | 'role' | 'group'][] = [
      ['aws_iam_user_policy', 'user'],
      ['aws_iam_role_policy', 'role'],
      ['aws_iam_group_policy', 'group'],
    ];
    for (const [type, kind] of inline) {
      for (const r of ctx.ofType(type)) {
        if (r.mode !== 'managed') continue;
        const read = this.readPolicy(r.stack, r.values.policy, r);
        const via = `inline policy ${r.address}`;
        const ids = kind === 'group' ? this.groupIds(r.stack, r.values.group, r) : this.principalIds(r.stack, r.values[kind], kind, r);
        for (const id of ids) {
          this.addEntries(kind === 'group' ? this.groupPolicies : this.identity, id, read.stmts, via);
          if (read.problem) this.unread.add(id);
        }
      }
    }

    // Roles: inline_policy blocks and managed_policy_arns.
    for (const r of ctx.ofType('aws_iam_role')) {
      if (r.mode !== 'managed') continue;
      const id = this.canonical.get(key(r.stack, r.address));
      if (!id) continue;
      for (const b of blocks(r.values.inline_policy)) {
        if (b.policy === undefined) continue;
        const read = this.readPolicy(r.stack, b.policy, r);
        if (read.problem) this.unread.add(id);
        const name = literal(b.name);
        this.addEntries(this.identity, id, read.stmts, `inline policy ${r.address}${name ? ` "${name}"` : ''}`);
      }
      for (const arn of strings(r.values.managed_policy_arns)) {
        const pol = this.policyByArn(r.stack, arn, r);
        if (this.partial(pol)) this.unread.add(id);
        if (pol) this.addEntries(this.identity, id, pol.read.stmts, pol.label);
      }
    }

    // Attachments.
    const attach = (r: TfResource, policyArns: unknown[], users: unknown[], roles: unknown[], groups: unknown[]) => {
      for (const arn of policyArns) {
        const pol = this.policyByArn(r.stack, arn, r);
        const add = (map: Map<string, Entry[]>, id: string) => {
          // A policy we cannot read still reaches the principal: it holds more than we see.
          if (this.partial(pol)) this.unread.add(id);
          if (pol) this.addEntries(map, id, pol.read.stmts, pol.label);
        };
        for (const u of users) for (const p of this.principalIds(r.stack, u, 'user', r)) add(this.identity, p);
        for (const u of roles) for (const p of this.principalIds(r.stack, u, 'role', r)) add(this.identity, p);
        for (const g of groups) for (const gid of this.groupIds(r.stack, g, r)) add(this.groupPolicies, gid);
      }
    };
    for (const r of ctx.ofType('aws_iam_user_policy_attachment')) attach(r, [r.values.policy_arn], [r.values.user], [], []);
    for (const r of ctx.ofType('aws_iam_role_policy_attachment')) attach(r, [r.values.policy_arn], [], [r.values.role], []);
    for (const r of ctx.ofType('aws_iam_group_policy_attachment')) attach(r, [r.values.policy_arn], [], [], [r.values.group]);
    for (const r of ctx.ofType('aws_iam_policy_attachment')) attach(r, [r.values.policy_arn], strings(r.values.users), strings(r.values.roles), strings(r.values.groups));
    for (const r of ctx.ofType('aws_iam_user_policy_attachments_exclusive')) attach(r, strings(r.values.policy_arns), [r.values.user_name], [], []);
    for (const r of ctx.ofType('aws_iam_role_policy_attachments_exclusive')) attach(r, strings(r.values.policy_arns), [], [r.values.role_name], []);
    for (const r of ctx.ofType('aws_iam_group_policy_attachments_exclusive')) attach(r, strings(r.values.policy_arns), [], [], [r.values.group_name]);

    // Groups a user belongs to contribute their policies.
    for (const [user, groups] of this.userGroups) {
      for (const g of groups) {
        if (this.unread.has(g)) this.unread.add(user);
        const entries = this.groupPolicies.get(g) ?? [];
        const label = this.groupLabels.get(g) ?? g;
        let list = this.identity.get(user);
        if (!list) this.identity.set(user, (list = []));
        for (const e of entries) list.push({ stmt: e.stmt, via: `${label} → ${e.via}` });
      }
    }
  }

  /** Index identity statements by the custody actions they allow or deny. */
  protected indexIdentity(): void {
    for (const [pid, entries] of this.identity) {
      const allow = new Map<string, Entry[]>();
      const deny = new Map<string, Entry[]>();
      const rec = this.principals.get(pid);
      for (const e of entries) {
        const isDeny = e.stmt.s.effect === 'Deny';
        // Only unconditional identity denies remove access.
        if (isDeny && e.stmt.s.conditions.length > 0) continue;
        // An Allow whose principal conditions (aws:PrincipalArn, ...) leave this principal out gives it nothing.
        if (!isDeny && rec && !this.admitsEveryPrincipal(e.stmt) && !this.allowConditionsAdmit(e.stmt, rec)) continue;
        const idx = isDeny ? deny : allow;
        for (const a of this.stmtActions(e.stmt)) {
          let list = idx.get(a);
          if (!list) idx.set(a, (list = []));
          list.push(e);
        }
      }
      this.allowIdx.set(pid, allow);
      this.denyIdx.set(pid, deny);
    }
  }
}
