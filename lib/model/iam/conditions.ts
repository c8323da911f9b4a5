/** Principal conditions (aws:PrincipalArn, PrincipalAccount, userid, username) on Allows and Denies, and which Denies apply. */
import { key } from '../context';
import { singleRef } from '../load/refs';
import { mayBeSameAccount } from './accounts';
import { globCovers, globMatch, globsIntersect } from './globs';
import type { PrincipalRec, PSpec, Stmt } from './types';
import { Principals } from './principals';

function baseTest(test: string): string {
  // AWS spells the set operators ForAnyValue: and ForAllValues:; accept either plural.
  return test.replace(/^For(Any|All)Values?:/i, '').replace(/IfExists$/i, '').toLowerCase();
}

const NEGATIVE_TESTS = new Set(['stringnotequals', 'stringnotlike', 'arnnotequals', 'arnnotlike', 'stringnotequalsignorecase']);
const POSITIVE_TESTS = new Set(['stringequals', 'stringlike', 'arnequals', 'arnlike', 'stringequalsignorecase']);
const PRINCIPAL_VARS = new Set(['aws:principalarn', 'aws:userid', 'aws:principalaccount', 'aws:username']);
/** Tests that compare a whole string, where `*` and `?` are plain characters. */
const EXACT_TESTS = new Set(['stringequals', 'stringnotequals', 'stringequalsignorecase', 'stringnotequalsignorecase']);

/**
 * Whether a literal aws:PrincipalArn value surely matches the principal's ARN: its ARN must be
 * known exactly where the value is exact, and covered wherever the value has wildcards.
 */
function arnSurelyMatches(value: string, arn: string, test: string): boolean {
  const ic = test.endsWith('ignorecase');
  const v = ic ? value.toLowerCase() : value;
  const a = ic ? arn.toLowerCase() : arn;
  // Tokens (\uE000…\uE001) stand for names only known after apply.
  if (EXACT_TESTS.has(test)) return !/[*?\uE000]/.test(a) && v === a;
  return globCovers(v, a);
}

export abstract class Conditions extends Principals {
  /** Whether P may be among the values of a principal condition (conservative: unknown = yes). */
  private inList(stack: string, variable: string, values: readonly string[], rec: PrincipalRec, test = ''): boolean {
    const p = rec.p;
    for (const v of values) {
      if (variable === 'aws:principalaccount') {
        const a = /^\d{12}$/.test(v) ? `acct:${v}` : this.accountPart(stack, v);
        if (a === undefined || mayBeSameAccount(a, p.account)) return true;
        continue;
      }
      if (variable === 'aws:username' && !v.includes('${')) {
        // A user name, not an ARN: only IAM users have one (role sessions and services do not);
        // an unknown name or an external principal may match.
        if (p.kind === 'external' || (p.kind === 'user' && (p.name === undefined || globMatch(v, p.name)))) return true;
        continue;
      }
      const sr = v.includes('${') ? singleRef(v) : undefined;
      const res = sr ? this.ctx.resolve(stack, sr.ref) : undefined;
      const id = res ? this.canonical.get(key(res.resource.stack, res.resource.address)) : undefined;
      if (id) {
        if (id === p.id) return true;
        continue;
      }
      if (variable === 'aws:userid') return true; // literal unique ids cannot be read
      if (!v.includes('${') && test.endsWith('ignorecase') && globsIntersect(v.toLowerCase(), rec.arn.toLowerCase())) return true;
      if (!v.includes('${') && /[*?]/.test(v)) {
        if (globsIntersect(v, rec.arn)) return true;
        continue;
      }
      const spec: PSpec = { any: false, ids: new Set(), accounts: [] };
      if (!this.parseIdent(stack, v, false, spec)) {
        if (v.includes('${')) return true;
        if (!v.includes('${') && p.kind === 'external' && v === p.address) return true;
        continue;
      }
      if (spec.any || spec.ids.has(p.id)) return true;
    }
    return false;
  }

  /** Whether the principal-narrowing conditions of an Allow leave P in (conservative). */
  protected allowConditionsAdmit(st: Stmt, rec: PrincipalRec): boolean {
    for (const c of st.s.conditions) {
      const v = c.variable.toLowerCase();
      const t = baseTest(c.test);
      if (PRINCIPAL_VARS.has(v) && POSITIVE_TESTS.has(t) && !this.inList(st.stack, v, c.values, rec, t)) return false;
      if (PRINCIPAL_VARS.has(v) && NEGATIVE_TESTS.has(t) && this.inListDefinitely(st.stack, c.values, rec, v, t)) return false;
    }
    return true;
  }

  /** Whether an Allow's conditions narrow nothing by principal, so that it admits every principal alike. */
  protected admitsEveryPrincipal(st: Stmt): boolean {
    return !st.s.conditions.some((c) => PRINCIPAL_VARS.has(c.variable.toLowerCase()));
  }

  private inListDefinitely(stack: string, values: readonly string[], rec: PrincipalRec, variable = '', test = ''): boolean {
    for (const v of values) {
      // Literal values: the principal's own ARN or account, where the configuration pins it.
      if (!v.includes('${') && rec.p.kind !== 'external') {
        if (variable === 'aws:principalarn' && arnSurelyMatches(v, rec.arn, test)) return true;
        if (variable === 'aws:principalaccount' && /^\d{12}$/.test(v) && rec.p.account === `acct:${v}`) return true;
      }
      const sr = v.includes('${') ? singleRef(v) : undefined;
      const res = sr ? this.ctx.resolve(stack, sr.ref) : undefined;
      const id = res ? this.canonical.get(key(res.resource.stack, res.resource.address)) : undefined;
      if (id === rec.p.id) return true;
      if (rec.p.kind === 'external' && v === rec.p.address) return true;
    }
    return false;
  }

  /** Whether a resource-policy Deny applies to P (only denies we can pin down count). */
  protected denyApplies(st: Stmt, rec: PrincipalRec): boolean {
    const p = rec.p;
    if (st.s.principals.length > 0 && !this.specSurelyMatches(this.pspec(st), p)) return false;
    const np = this.npspec(st);
    if (np && this.specMatch(np, p)) return false;
    if (st.s.principals.length === 0 && !np) return false;
    for (const c of st.s.conditions) {
      const v = c.variable.toLowerCase();
      const t = baseTest(c.test);
      // A TLS-only deny does not block normal (TLS) access.
      if (v === 'aws:securetransport') return false;
      if (PRINCIPAL_VARS.has(v) && NEGATIVE_TESTS.has(t)) {
        if (this.inList(st.stack, v, c.values, rec, t)) return false;
        continue;
      }
      if (PRINCIPAL_VARS.has(v) && POSITIVE_TESTS.has(t)) {
        if (!this.inListDefinitely(st.stack, c.values, rec, v, t)) return false;
        continue;
      }
      // Any other condition may not hold: ignore the deny (never under-report access).
      return false;
    }
    return true;
  }
}
