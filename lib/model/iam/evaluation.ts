/** Evaluation: whether one principal may act on one store or key, what its policies name but the store blocks, and which stores to try. */
import { key } from '../context';
import { singleRef } from '../load/refs';
import type { Access } from '../types';
import { KMS_DECRYPT_ACTIONS, STORE_ACTIONS, type Level } from '../../policy/perms';
import { mayBeSameAccount } from './accounts';
import { globsIntersect } from './globs';
import { templates } from './targets';
import type { Entry, KmsTarget, PrincipalRec, Stmt, Target } from './types';
import { Trust } from './trust';

export abstract class Evaluation extends Trust {
  /** Store ids whose resource or key policy (or a KMS grant) names a principal id in an Allow. */
  private readonly namedIn = new Map<string, Set<string>>();
  /** Store ids whose resource or key policy allows anyone (`*`, NotPrincipal). */
  private readonly openStores = new Set<string>();
  /** Store ids by the resource key of the store or of its KMS key (identity policy references). */
  private readonly storesByResource = new Map<string, Set<string>>();
  /** Store ids whose store or KMS key is not a managed resource (matched by name, not by reference). */
  private readonly unmanagedStores = new Set<string>();

  /**
   * Whether P may perform `action` on target `t`: identity policies, the resource's own
   * policy, explicit denies and the account boundary. Returns the via, or undefined.
   */
  private evaluate(
    rec: PrincipalRec,
    action: string,
    t: Target,
    level: Level,
    resourcePolicy: Entry[] | undefined,
    targetAccount: string,
    rootGrantRequired: boolean,
  ): string | undefined {
    const pid = rec.p.id;
    for (const e of this.denyIdx.get(pid)?.get(action) ?? []) {
      if (this.resMatch(e.stmt, t, level, true)) return undefined;
    }
    let direct: string | undefined;
    let viaRoot: string | undefined;
    for (const e of resourcePolicy ?? []) {
      if (!this.stmtActions(e.stmt).has(action)) continue;
      if (e.stmt.s.effect === 'Deny') {
        if (this.resMatch(e.stmt, t, level, true) && this.denyApplies(e.stmt, rec)) return undefined;
        continue;
      }
      if (direct && viaRoot) continue;
      if (!this.resMatch(e.stmt, t, level, false)) continue;
      let m: 'direct' | 'account' | undefined;
      if (e.stmt.s.principals.length > 0) m = this.specMatch(this.pspec(e.stmt), rec.p);
      else if (e.stmt.s.notPrincipals) m = this.specSurelyMatches(this.npspec(e.stmt)!, rec.p) ? undefined : 'direct';
      if (!m || !this.allowConditionsAdmit(e.stmt, rec)) continue;
      if (m === 'direct') direct ??= e.via;
      else viaRoot ??= e.via;
    }
    // Across accounts the principal's own policies must allow too, unless some of them are not read.
    if (direct && !this.crossesAccounts(rec, targetAccount)) {
      if (!this.resourceAloneNeedsItsAccount(rec, targetAccount) || this.identityAllow(rec, action, t, level)) return direct;
      // Granted by the resource policy alone, so P acts from the store's account: read the
      // policy with P there (an exclusion or a Deny of that account then surely applies).
      return this.evaluate({ ...rec, p: { ...rec.p, account: targetAccount } }, action, t, level, resourcePolicy, targetAccount, rootGrantRequired);
    }
    const idAllow = this.identityAllow(rec, action, t, level);
    if (!idAllow) return undefined;
    if (direct) return direct;
    if (mayBeSameAccount(rec.p.account, targetAccount) && !rootGrantRequired) return idAllow.via;
    if (viaRoot) return `${idAllow.via} + ${viaRoot}`;
    return undefined;
  }

  /**
   * Whether a grant of the resource policy alone holds only where P acts from the store's
   * account: the store's account is pinned, P's may be another, and all of P's own policies are
   * read (so none of them allows what the resource policy grants).
   */
  private resourceAloneNeedsItsAccount(rec: PrincipalRec, targetAccount: string): boolean {
    return /^acct:\d{12}$/.test(targetAccount) && rec.p.account !== targetAccount && mayBeSameAccount(rec.p.account, targetAccount) && this.ownPoliciesKnown(rec);
  }

  /**
   * Whether a statement names `t` itself: one of its resources, read the deny way (an
   * unresolved part names nothing), matches the target with no wildcard but a trailing
   * `/*` for the objects. `*`, `arn:aws:s3:::*`, a prefix glob or a `?` (one character,
   * any) do not name a store.
   */
  private names(st: Stmt, t: Target, level: Level): boolean {
    const tpls = templates(t, level);
    return st.s.resources.some((raw) => {
      const g = this.toGlob(st.stack, raw, t, true);
      if (g === null || /[*?]/.test(g.replace(/\/\*$/, ''))) return false;
      return tpls.some((tp) => globsIntersect(g, tp));
    });
  }

  /** An identity allow that names the store, not denied by the principal's own policies. */
  private namedIntent(rec: PrincipalRec, action: string, t: Target, level: Level): string | undefined {
    const pid = rec.p.id;
    for (const e of this.denyIdx.get(pid)?.get(action) ?? []) {
      if (this.resMatch(e.stmt, t, level, true)) return undefined;
    }
    return (this.allowIdx.get(pid)?.get(action) ?? []).find((e) => this.names(e.stmt, t, level))?.via;
  }

  /**
   * Direct (non-assumed) access of one principal (store id → access → via), and the access
   * its identity policies name but the store's side blocks.
   */
  protected directAccessAndBlocked(rec: PrincipalRec): { access: Map<string, Map<Access, string>>; blocked: Map<string, Map<Access, string>> } {
    const out = new Map<string, Map<Access, string>>();
    const blocked = new Map<string, Map<Access, string>>();
    const decryptCache = new Map<KmsTarget, string | null>();
    const candidates = this.candidateStores(rec);
    for (const s of candidates === 'all' ? this.stores : this.stores.filter((x) => candidates.has(x.id))) {
      const t = this.storeTargets.get(s.id);
      if (!t) continue;
      const rp = this.resourcePolicies.get(s.id);
      const got = new Map<Access, string>();
      const stopped = new Map<Access, string>();
      for (const spec of STORE_ACTIONS[s.kind]) {
        if (got.has(spec.access)) continue;
        const via = this.evaluate(rec, spec.action, t, spec.level, rp, s.account, false);
        if (via) {
          got.set(spec.access, via);
          stopped.delete(spec.access);
        } else if (!stopped.has(spec.access)) {
          const intent = this.namedIntent(rec, spec.action, t, spec.level);
          if (intent) stopped.set(spec.access, `${intent} [blocked today by the store's resource policy or the account boundary]`);
        }
      }
      if (stopped.size) blocked.set(s.id, stopped);
      const kt = this.storeKms.get(s.id);
      if (kt) {
        let via = decryptCache.get(kt);
        if (via === undefined) {
          via = this.decrypt(rec, kt) ?? null;
          decryptCache.set(kt, via);
        }
        if (via === null && kt.awsManaged && got.has('read')) via = `${got.get('read')} (AWS-managed ${kt.awsManaged})`;
        if (via) got.set('decrypt', via);
      }
      if (got.size) out.set(s.id, got);
    }
    return { access: out, blocked };
  }

  private decrypt(rec: PrincipalRec, kt: KmsTarget): string | undefined {
    if (kt.awsManaged) return undefined;
    const grant = kt.grants.get(rec.p.id);
    if (grant) return `${grant} on ${kt.label}`;
    // Default key policy (none written): the key's account root, i.e. IAM policies of that account.
    const policy = kt.policy;
    for (const action of KMS_DECRYPT_ACTIONS) {
      const via = this.evaluate(rec, action, kt.target, 'any', policy, kt.account, policy !== undefined);
      if (via) return `${via} on ${kt.label}`;
    }
    return undefined;
  }

  // ----- candidate stores (keeps effectiveGrants linear) -------------------------------

  private addTo(m: Map<string, Set<string>>, k: string, v: string): void {
    let set = m.get(k);
    if (!set) m.set(k, (set = new Set()));
    set.add(v);
  }

  /**
   * Which stores a principal can possibly reach, so that directAccessAndBlocked does not
   * evaluate every (principal, store) pair: access needs an Allow that names the principal (or
   * anyone) in the store's resource policy or key policy, a KMS grant to it, or an identity
   * Allow of its own whose resources can match the store or its key ({@link storeCandidates});
   * blocked access needs the latter too.
   */
  protected indexCandidates(): void {
    for (const s of this.stores) {
      const kt = this.storeKms.get(s.id);
      const t = this.storeTargets.get(s.id);
      // The statements evaluate() would read for this store: an Allow with one of the store's
      // actions (or kms:Decrypt in its key policy) whose resources match. pspec registers the
      // external principals they name, as evaluate() does.
      const index = (st: Stmt, target: Target, level: Level, actions: readonly string[]) => {
        if (st.s.effect !== 'Allow' || !actions.some((a) => this.stmtActions(st).has(a)) || !this.resMatch(st, target, level, false)) return;
        if (st.s.principals.length === 0) {
          if (st.s.notPrincipals !== undefined) this.openStores.add(s.id);
          return;
        }
        const spec = this.pspec(st);
        if (spec.any) this.openStores.add(s.id);
        for (const id of spec.ids) this.addTo(this.namedIn, id, s.id);
      };
      if (t) {
        for (const e of this.resourcePolicies.get(s.id) ?? []) {
          for (const spec of STORE_ACTIONS[s.kind]) index(e.stmt, t, spec.level, [spec.action]);
        }
      }
      if (kt) for (const e of kt.policy ?? []) index(e.stmt, kt.target, 'any', KMS_DECRYPT_ACTIONS);
      if (kt) for (const id of kt.grants.keys()) this.addTo(this.namedIn, id, s.id);
      this.addTo(this.storesByResource, key(s.resource.stack, s.resource.address), s.id);
      if (kt?.target.resource) this.addTo(this.storesByResource, key(kt.target.resource.stack, kt.target.resource.address), s.id);
      if (!t?.managed || (kt && !kt.target.managed)) this.unmanagedStores.add(s.id);
    }
  }

  private candidateStores(rec: PrincipalRec): Set<string> | 'all' {
    if (rec.p.kind === 'external') return 'all';
    const out = new Set<string>([...this.openStores, ...(this.namedIn.get(rec.p.id) ?? [])]);
    for (const entries of this.allowIdx.get(rec.p.id)?.values() ?? []) {
      for (const e of entries) {
        const c = this.storeCandidates(e.stmt);
        if (c === 'all') return 'all';
        for (const id of c) out.add(id);
      }
    }
    return out;
  }

  /**
   * Stores an identity Allow statement can match. A resource pattern with one reference to a
   * managed store, bucket, key, role or user can only match that entity (toGlob: "two managed
   * resources are never the same thing"), so it adds the stores of that resource (the store
   * itself, or the stores encrypted with that KMS key); stores and keys that are not managed
   * (adopted data sources, literal keys) match by name and are always candidates. Anything
   * else (literals, globs, NotResource, references we cannot pin) gives 'all'.
   */
  private storeCandidates(st: Stmt): Set<string> | 'all' {
    if (st.stores) return st.stores;
    let out: Set<string> | 'all' = new Set<string>(this.unmanagedStores);
    if (st.s.resources.length === 0 || (st.s.notResources?.length ?? 0) > 0) out = 'all';
    for (const raw of st.s.resources) {
      if (out === 'all') break;
      const sr = raw.includes('${') ? singleRef(raw) : undefined;
      const res = sr ? this.ctx.resolve(st.stack, sr.ref) : undefined;
      const t = res ? this.targetOf(res.resource) : undefined;
      // A wildcard that runs past the reference (`${aws_s3_bucket.db.arn}*`) may match other stores too.
      const runsPast = sr !== undefined && /[*?]/.test(sr.prefix + sr.suffix) && !sr.suffix.startsWith('/');
      if (!res || !t || !t.managed || runsPast) {
        out = 'all';
        break;
      }
      for (const id of this.storesByResource.get(key(res.resource.stack, res.resource.address)) ?? []) out.add(id);
    }
    st.stores = out;
    return out;
  }
}
