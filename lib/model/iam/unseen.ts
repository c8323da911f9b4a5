/**
 * What the configuration does not show: the reach of principals whose own policies live
 * elsewhere (external ARNs, adopted roles and users), and what key policies and KMS grants
 * let the principals they name do with the key of a store beyond decrypting.
 */
import { key } from '../context';
import { kmsKeyId } from '../settings';
import { strings } from '../load/refs';
import type { Access, Grant, KeyUse, Store } from '../types';
import { KMS_KEY_ADMIN_ACTIONS, KMS_USE_ACTIONS, STORE_ACTIONS } from '../../policy/perms';
import { mayBeSameAccount } from './accounts';
import { globMatch } from './globs';
import type { KmsTarget, PrincipalRec, PSpec, Stmt } from './types';
import { Evaluation } from './evaluation';

const POSITIVE_TESTS = new Set(['stringequals', 'stringlike', 'arnequals', 'arnlike', 'stringequalsignorecase']);
const NEGATIVE_TESTS = new Set(['stringnotequals', 'stringnotlike', 'arnnotequals', 'arnnotlike', 'stringnotequalsignorecase']);

function baseTest(test: string): string {
  return test.replace(/^For(Any|All)Values?:/i, '').replace(/IfExists$/i, '').toLowerCase();
}

/** Which of `list` a statement's Action/NotAction covers; an action we cannot read is any action on an Allow, none on a Deny. */
export function actionsIn(st: Stmt, list: readonly string[]): string[] {
  const deny = st.s.effect === 'Deny';
  const { notActions } = st.s;
  if (notActions) {
    if (deny && notActions.some((a) => a.includes('${'))) return [];
    const nots = notActions.filter((a) => !a.includes('${')).map((a) => a.toLowerCase());
    return list.filter((a) => !nots.some((p) => globMatch(p, a)));
  }
  const acts = st.s.actions.flatMap((a) => (a.includes('${') ? (deny ? [] : ['*']) : [a.toLowerCase()]));
  return list.filter((a) => acts.some((p) => globMatch(p, a)));
}

interface ParsedGrant {
  readonly address: string;
  readonly kid: string;
  readonly ids: ReadonlySet<string>;
  readonly operations: readonly string[];
}

export abstract class Unseen extends Evaluation {
  private readonly parsedGrants: ParsedGrant[] = [];

  /**
   * Register the principals that resource and key policies and KMS grants name, also where
   * they name them only as an exemption (`NotPrincipal`, a negative `aws:PrincipalArn`
   * condition) or as a key administrator: a deployer role named only by ARN is a principal
   * of the configuration too. Runs before the grants, so that what these policies allow the
   * newly registered principals is evaluated like everyone else's.
   */
  protected collectNamedPrincipals(): void {
    const seen = new Set<Stmt>();
    const visit = (st: Stmt) => {
      if (seen.has(st)) return;
      seen.add(st);
      if (st.s.principals.length > 0) this.pspec(st);
      this.npspec(st);
      for (const c of st.s.conditions) {
        if (c.variable.toLowerCase() !== 'aws:principalarn') continue;
        for (const v of c.values) {
          // A literal role or user ARN (no wildcard): parseIdent registers it when it is not declared.
          // An account root here is the root user alone, not "whoever the account lets in": not registered.
          if (/^arn:[^:]*:(iam|sts)::[^:]*:(user|role|assumed-role)\//.test(v) && !/[*?]/.test(v)) this.parseIdent(st.stack, v, true, { any: false, ids: new Set(), accounts: [] });
        }
      }
    };
    for (const entries of this.resourcePolicies.values()) for (const e of entries) visit(e.stmt);
    for (const kt of new Set(this.storeKms.values())) for (const e of kt.policy ?? []) visit(e.stmt);
    for (const r of this.ctx.ofType('aws_kms_grant')) {
      const kid = kmsKeyId(this.ctx, r.stack, r.values.key_id);
      const grantee = r.values.grantee_principal;
      if (!kid || typeof grantee !== 'string') continue;
      const spec: PSpec = { any: false, ids: new Set(), accounts: [] };
      this.parseIdent(r.stack, grantee, true, spec);
      const operations = strings(r.values.operations).map((o) => `kms:${o.toLowerCase()}`);
      this.parsedGrants.push({ address: r.address, kid, ids: spec.ids, operations });
    }
  }

  /** Whether the principal's own policies are outside the configuration (an ARN it only names, or an adopted role or user). */
  private policiesUnseen(rec: PrincipalRec): boolean {
    return rec.p.kind === 'external' || rec.resource?.mode === 'data';
  }

  /** How a resource-policy statement names P itself: it allows P, or exempts P from a Deny. */
  private singlesOut(st: Stmt, rec: PrincipalRec): 'allows' | 'exempts' | undefined {
    const allow = st.s.effect === 'Allow';
    if (allow && st.s.principals.length > 0 && this.pspec(st).ids.has(rec.p.id)) return 'allows';
    if (!allow && this.npspec(st)?.ids.has(rec.p.id)) return 'exempts';
    for (const c of st.s.conditions) {
      if (c.variable.toLowerCase() !== 'aws:principalarn') continue;
      const t = baseTest(c.test);
      if (!(allow ? POSITIVE_TESTS : NEGATIVE_TESTS).has(t)) continue;
      if (c.values.some((v) => this.namesArn(st.stack, v, rec))) return allow ? 'allows' : 'exempts';
    }
    return undefined;
  }

  private namesArn(stack: string, v: string, rec: PrincipalRec): boolean {
    if (v === rec.p.address) return true;
    if (v.includes('${')) {
      const spec: PSpec = { any: false, ids: new Set(), accounts: [] };
      return this.parseIdent(stack, v, false, spec) && spec.ids.has(rec.p.id);
    }
    // A pattern that matches every ARN exempts no one in particular.
    return v !== '*' && /[*?]/.test(v) && globMatch(v, rec.p.address);
  }

  private allowNames(st: Stmt, rec: PrincipalRec): boolean {
    let m: 'direct' | 'account' | undefined;
    if (st.s.principals.length > 0) m = this.specMatch(this.pspec(st), rec.p);
    else if (st.s.notPrincipals) m = this.specMatch(this.npspec(st)!, rec.p) ? undefined : 'direct';
    return m !== undefined && this.allowConditionsAdmit(st, rec);
  }

  /**
   * What a principal with unseen policies may do to a store its resource policy singles it
   * out on, if its own policies allow it (the worse case): every store action that no Deny
   * in the configuration removes, in the store's account, and in another account what the
   * resource policy also allows it.
   */
  private unseenReach(rec: PrincipalRec, s: Store): Map<Access, string> {
    const out = new Map<Access, string>();
    const t = this.storeTargets.get(s.id);
    const rp = this.resourcePolicies.get(s.id) ?? [];
    if (!t) return out;
    let named: string | undefined;
    for (const e of rp) {
      const how = this.singlesOut(e.stmt, rec);
      if (!how) continue;
      const sid = e.stmt.s.sid ? ` (statement ${e.stmt.s.sid})` : '';
      named = `${e.via}${sid} ${how === 'allows' ? 'allows it' : 'exempts it from its Deny'}`;
      break;
    }
    if (!named) return out;
    const sameAccount = mayBeSameAccount(rec.p.account, s.account);
    for (const spec of STORE_ACTIONS[s.kind]) {
      if (out.has(spec.access)) continue;
      if ((this.denyIdx.get(rec.p.id)?.get(spec.action) ?? []).some((e) => this.resMatch(e.stmt, t, spec.level, true))) continue;
      let denied = false;
      let allowed = sameAccount;
      for (const e of rp) {
        if (!this.stmtActions(e.stmt).has(spec.action)) continue;
        if (e.stmt.s.effect === 'Deny') {
          if (this.resMatch(e.stmt, t, spec.level, true) && this.denyApplies(e.stmt, rec)) denied = true;
        } else if (!allowed && this.resMatch(e.stmt, t, spec.level, false) && this.allowNames(e.stmt, rec)) allowed = true;
        if (denied) break;
      }
      if (allowed && !denied) out.set(spec.access, `${named}; what its own policies allow is not in the configuration`);
    }
    return out;
  }

  /** Store access of principals whose own policies are not in the configuration, beyond their grants. */
  protected unseenGrants(grants: readonly Grant[]): Grant[] {
    const have = new Set(grants.map((g) => `${g.principal}|${g.store}|${g.access}`));
    const out: Grant[] = [];
    for (const rec of this.principals.values()) {
      if (!this.policiesUnseen(rec)) continue;
      for (const s of this.stores) {
        for (const [access, via] of this.unseenReach(rec, s)) {
          if (!have.has(`${rec.p.id}|${s.id}|${access}`)) out.push({ principal: rec.p.id, store: s.id, access, via });
        }
      }
    }
    return out;
  }

  /** Key-policy Denies that remove `actions` from P on the key. */
  private keyDenied(kt: KmsTarget, rec: PrincipalRec, actions: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const e of kt.policy ?? []) {
      if (e.stmt.s.effect !== 'Deny' || !this.resMatch(e.stmt, kt.target, 'any', true) || !this.denyApplies(e.stmt, rec)) continue;
      for (const a of actionsIn(e.stmt, actions)) out.add(a);
    }
    return out;
  }

  /**
   * What key policy statements and KMS grants let the principals they name do with the key
   * of each store: `use` (encrypt, decrypt, data keys) or `admin` (a new key policy, a grant,
   * deletion). Only principals named directly: an account root hands the key to IAM
   * policies, which the grants read.
   */
  protected keyUses(): KeyUse[] {
    const byKt = new Map<KmsTarget, Store[]>();
    for (const s of this.stores) {
      const kt = this.storeKms.get(s.id);
      if (!kt) continue;
      const list = byKt.get(kt);
      if (list) list.push(s);
      else byKt.set(kt, [s]);
    }
    const out: KeyUse[] = [];
    const seen = new Set<string>();
    const emit = (kt: KmsTarget, stores: Store[], rec: PrincipalRec, actions: string[], via: string) => {
      const denied = this.keyDenied(kt, rec, actions);
      const left = actions.filter((a) => !denied.has(a));
      for (const [kind, list] of [['use', KMS_USE_ACTIONS], ['admin', KMS_KEY_ADMIN_ACTIONS]] as const) {
        const acts = left.filter((a) => list.includes(a));
        if (!acts.length) continue;
        for (const s of stores) {
          const k = `${rec.p.id}|${s.id}|${kind}`;
          if (seen.has(k)) continue;
          seen.add(k);
          out.push({ principal: rec.p.id, store: s.id, kind, actions: acts, key: kt.label, via: `${via} on ${kt.label}` });
        }
      }
    };
    const all = [...KMS_USE_ACTIONS, ...KMS_KEY_ADMIN_ACTIONS];
    for (const [kt, stores] of byKt) {
      for (const e of kt.policy ?? []) {
        const st = e.stmt;
        if (st.s.effect !== 'Allow' || st.s.principals.length === 0 || !this.resMatch(st, kt.target, 'any', false)) continue;
        const actions = actionsIn(st, all);
        if (!actions.length) continue;
        const sid = st.s.sid ? ` (statement ${st.s.sid})` : '';
        for (const id of this.pspec(st).ids) {
          const rec = this.principals.get(id);
          if (rec && this.allowConditionsAdmit(st, rec)) emit(kt, stores, rec, actions, `${e.via}${sid}`);
        }
      }
      const kid = kt.target.resource ? key(kt.target.resource.stack, kt.target.resource.address) : kt.target.keyId;
      for (const g of this.parsedGrants) {
        if (g.kid !== kid) continue;
        const actions = all.filter((a) => g.operations.includes(a));
        for (const id of g.ids) {
          const rec = this.principals.get(id);
          if (rec && actions.length) emit(kt, stores, rec, actions, `KMS grant ${g.address}`);
        }
      }
    }
    return out;
  }
}
