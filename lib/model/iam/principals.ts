/** Principals: managed and data users and roles, external ones, and the principal lists of policy statements. */
import { key } from '../context';
import type { PolicyPrincipal } from '../policy';
import { literal, singleRef } from '../load/refs';
import { CUSTODY_ROLES, TAG_ROLE, type CustodyRole, type Principal, type TfResource } from '../types';
import { accountId, mayBeSameAccount, surelySameAccount } from './accounts';
import type { PrincipalRec, PSpec, Stmt } from './types';
import { PolicyReader } from './policies';

const PRINCIPAL_TYPES = ['aws_iam_user', 'aws_iam_role'];

function isRole(v: string | undefined): v is CustodyRole {
  return v !== undefined && (CUSTODY_ROLES as readonly string[]).includes(v);
}

export abstract class Principals extends PolicyReader {
  protected readonly principals = new Map<string, PrincipalRec>();
  /** Resource key of a user/role (managed or data) → canonical principal id. */
  protected readonly canonical = new Map<string, string>();
  /** `user|name` / `role|name` → principal ids. */
  private readonly byName = new Map<string, string[]>();

  private addName(kind: 'user' | 'role', name: string | undefined, id: string): void {
    if (!name) return;
    const k = `${kind}|${name}`;
    const list = this.byName.get(k);
    if (list) list.push(id);
    else this.byName.set(k, [id]);
  }

  protected findByName(kind: 'user' | 'role', name: string, account: string | undefined, preferStack?: string): string[] {
    const list = this.byName.get(`${kind}|${name}`) ?? [];
    const ok = list.filter((id) => account === undefined || mayBeSameAccount(this.principals.get(id)!.p.account, account));
    const same = preferStack ? ok.filter((id) => this.principals.get(id)!.p.stack === preferStack) : [];
    return same.length ? same : ok;
  }

  protected collectPrincipals(): void {
    const all = this.ctx.ofType(...PRINCIPAL_TYPES);
    // Managed first, so data sources naming the same identity fold into them.
    for (const r of [...all.filter((r) => r.mode === 'managed'), ...all.filter((r) => r.mode === 'data')]) {
      const kind = r.type === 'aws_iam_user' ? 'user' : 'role';
      const name = literal(kind === 'user' && r.mode === 'data' ? (r.values.user_name ?? r.values.name) : r.values.name);
      const account = this.ctx.accountOfResource(r);
      const rk = key(r.stack, r.address);
      if (r.mode === 'data' && name) {
        const same = this.findByName(kind, name, account).filter((id) => this.principals.get(id)!.resource?.mode === 'managed');
        if (same.length) {
          this.canonical.set(rk, same[0]);
          continue;
        }
      }
      const tags = this.tagsOf(r);
      const role = tags[TAG_ROLE];
      const p: Principal = { id: rk, stack: r.stack, address: r.address, kind, name, account, role: isRole(role) ? role : undefined, tags };
      this.principals.set(rk, { p, arn: this.targetOf(r)!.arn, resource: r });
      this.canonical.set(rk, rk);
      this.addName(kind, name, rk);
    }
  }

  /** An external principal for an ARN (or an expression) seen in a policy or attachment. */
  private external(arn: string, stack: string, account: string, kind?: 'user' | 'role', name?: string): string {
    const id = `external:${arn}`;
    if (!this.principals.has(id)) {
      const p: Principal = { id, stack, address: arn, kind: 'external', name, account, tags: {} };
      this.principals.set(id, { p, arn: arn.includes('${') ? '*' : arn });
      if (kind) this.addName(kind, name, id);
    }
    return id;
  }

  /** Principal ids an attribute names (`user = "${aws_iam_user.u.name}"`, `role = "ops"`). */
  protected principalIds(stack: string, value: unknown, kind: 'user' | 'role', owner: TfResource): string[] {
    if (typeof value !== 'string') return [];
    const lit = literal(value);
    if (lit !== undefined) {
      const name = lit.startsWith('arn:') ? lit.slice(lit.lastIndexOf('/') + 1) : lit;
      const account = this.ctx.accountOfResource(owner);
      const found = this.findByName(kind, name, account, stack);
      if (found.length) return found;
      const acct = accountId(account);
      return [this.external(lit.startsWith('arn:') ? lit : `arn:aws:iam::${acct}:${kind}/${name}`, stack, account, kind, name)];
    }
    const out: string[] = [];
    for (const res of this.ctx.resolveAll(stack, value)) {
      const id = this.canonical.get(key(res.resource.stack, res.resource.address));
      if (id) out.push(id);
    }
    if (!out.length) {
      this.unknown(owner, `the ${kind} ${value} cannot be followed`);
      out.push(this.external(`${value}@${stack}`, stack, this.ctx.accountOfResource(owner)));
    }
    return out;
  }

  /**
   * Read one principal identifier of a policy (`*`, an ARN, an account id, a reference).
   * `register` creates external principals for ARNs outside the configuration.
   */
  protected parseIdent(stack: string, raw: string, register: boolean, into: PSpec): boolean {
    const s = raw.trim();
    if (s === '*') {
      into.any = true;
      return true;
    }
    if (/^\d{12}$/.test(s)) {
      this.addRoot(`acct:${s}`, stack, register, into);
      return true;
    }
    if (s.includes('${')) {
      const sr = singleRef(s);
      const res = sr ? this.ctx.resolve(stack, sr.ref) : undefined;
      if (res) {
        const id = this.canonical.get(key(res.resource.stack, res.resource.address));
        if (id) {
          into.ids.add(id);
          return true;
        }
        if (res.resource.type === 'aws_caller_identity' && res.attr === 'account_id' && sr?.prefix === '' && sr.suffix === '') {
          into.accounts.push(this.ctx.accountOfResource(res.resource));
          return true;
        }
      }
    }
    const m = /^arn:[^:]*:(iam|sts)::([^:]*):(.+)$/.exec(s);
    if (m) {
      const account = this.accountPart(stack, m[2]);
      const rest = m[3];
      if (rest === 'root') {
        this.addRoot(account ?? '*', stack, register, into, s);
        return true;
      }
      let kind: 'user' | 'role' | undefined;
      let name: string | undefined;
      // `assumed-role/<role>/<session>` names one session of the role, not the role.
      const session = rest.startsWith('assumed-role/');
      if (rest.startsWith('user/') || rest.startsWith('role/')) {
        kind = rest.startsWith('user/') ? 'user' : 'role';
        name = rest.slice(rest.lastIndexOf('/') + 1);
      } else if (rest.startsWith('assumed-role/')) {
        kind = 'role';
        name = rest.split('/')[1];
      }
      if (kind && name) {
        if (name.includes('${')) {
          const sr = singleRef(name);
          const res = sr ? this.ctx.resolve(stack, sr.ref) : undefined;
          const id = res ? this.canonical.get(key(res.resource.stack, res.resource.address)) : undefined;
          if (id) {
            this.addId(into, id, session || !surelySameAccount(this.principals.get(id)!.p.account, account ?? '*', this.oneOpenProvider));
            return true;
          }
        } else if (!/[*?]/.test(name)) {
          const found = this.findByName(kind, name, account);
          if (found.length) {
            for (const id of found) this.addId(into, id, session || !surelySameAccount(this.principals.get(id)!.p.account, account ?? '*', this.oneOpenProvider));
            return true;
          }
          if (register) {
            into.ids.add(this.external(s, stack, account ?? 'default', kind, name));
            return true;
          }
          return false;
        }
      }
    }
    if (register) {
      into.ids.add(this.external(s.includes('${') ? `${s}@${stack}` : s, stack, 'default'));
      return true;
    }
    return false;
  }

  private addId(into: PSpec, id: string, partial: boolean): void {
    if (!partial) into.partial?.delete(id);
    else if (!into.ids.has(id)) (into.partial ??= new Set()).add(id);
    into.ids.add(id);
  }

  protected accountPart(stack: string, part: string): string | undefined {
    if (/^\d{12}$/.test(part)) return `acct:${part}`;
    const sr = part.includes('${') ? singleRef(part) : undefined;
    const res = sr ? this.ctx.resolve(stack, sr.ref) : undefined;
    if (res && res.resource.type === 'aws_caller_identity') return this.ctx.accountOfResource(res.resource);
    return undefined;
  }

  private addRoot(account: string, stack: string, register: boolean, into: PSpec, arn?: string): void {
    into.accounts.push(account);
    // A foreign account's root stands for "whoever that account lets in": keep it as a principal.
    if (register && account.startsWith('acct:') && !this.ownAccounts.has(account)) {
      into.ids.add(this.external(arn ?? `arn:aws:iam::${account.slice(5)}:root`, stack, account));
    }
  }

  private pspecOf(list: readonly PolicyPrincipal[], stack: string): PSpec {
    const spec: PSpec = { any: false, ids: new Set(), accounts: [] };
    for (const p of list) {
      const type = p.type.toUpperCase();
      if (type === '*') {
        spec.any = true;
        continue;
      }
      if (type !== 'AWS') continue;
      for (const id of p.ids) this.parseIdent(stack, id, true, spec);
    }
    return spec;
  }

  protected pspec(st: Stmt): PSpec {
    return (st.pspec ??= this.pspecOf(st.s.principals, st.stack));
  }

  protected npspec(st: Stmt): PSpec | undefined {
    if (!st.s.notPrincipals) return undefined;
    return (st.npspec ??= this.pspecOf(st.s.notPrincipals, st.stack));
  }

  /** How a principal list names P: directly, through its account root, or not at all. */
  protected specMatch(spec: PSpec, p: Principal): 'direct' | 'account' | undefined {
    if (spec.any || spec.ids.has(p.id)) return 'direct';
    if (spec.accounts.some((a) => a === '*' || mayBeSameAccount(a, p.account))) return 'account';
    return undefined;
  }

  /** Whether a principal list certainly names P (what a Deny or a NotPrincipal exclusion needs). */
  protected specSurelyMatches(spec: PSpec, p: Principal): boolean {
    if (spec.any || (spec.ids.has(p.id) && !spec.partial?.has(p.id))) return true;
    return spec.accounts.some((a) => surelySameAccount(a, p.account, this.oneOpenProvider));
  }
}
