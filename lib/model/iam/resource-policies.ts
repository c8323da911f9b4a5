/** Resource policies: bucket and secret policies per store, and each store's KMS key with its key policy and grants. */
import { key } from '../context';
import { kmsKeyId } from '../settings';
import { literal, strings } from '../load/refs';
import type { KmsKey, Store, TfResource } from '../types';
import type { Entry, KmsTarget, PSpec, Target } from './types';
import { Boundaries } from './boundaries';

export abstract class ResourcePolicies extends Boundaries {
  /** Resource policy entries per store id. */
  protected readonly resourcePolicies = new Map<string, Entry[]>();
  protected readonly storeTargets = new Map<string, Target>();
  protected readonly storeKms = new Map<string, KmsTarget>();

  protected collectStores(): void {
    const ctx = this.ctx;
    const byResource = new Map<string, Store[]>();
    const byName = new Map<string, Store[]>();
    const push = (m: Map<string, Store[]>, k: string, s: Store) => {
      const l = m.get(k);
      if (l) l.push(s);
      else m.set(k, [s]);
    };
    for (const s of this.stores) {
      const t = this.targetOf(s.resource);
      if (t) this.storeTargets.set(s.id, t);
      push(byResource, key(s.resource.stack, s.resource.address), s);
      if (s.name) push(byName, `${s.kind}|${s.name}`, s);
    }
    const storesFor = (target: TfResource | undefined, kind: Store['kind']): Store[] => {
      if (!target) return [];
      const direct = byResource.get(key(target.stack, target.address)) ?? [];
      const name = literal(kind === 's3' ? target.values.bucket : target.values.name);
      const named = name ? (byName.get(`${kind}|${name}`) ?? []) : [];
      return [...new Set([...direct, ...named])];
    };
    const addPolicy = (stores: Store[], owner: TfResource, value: unknown, via: string) => {
      if (!stores.length || value === undefined) return;
      const read = this.readPolicy(owner.stack, value, owner);
      for (const s of stores) this.addEntries(this.resourcePolicies, s.id, read.stmts, via);
    };
    for (const r of ctx.ofType('aws_s3_bucket_policy')) {
      addPolicy(storesFor(ctx.target(r.stack, r.values.bucket, ['aws_s3_bucket']), 's3'), r, r.values.policy, `bucket policy ${r.address}`);
    }
    for (const r of ctx.ofType('aws_secretsmanager_secret_policy')) {
      addPolicy(storesFor(ctx.target(r.stack, r.values.secret_arn, ['aws_secretsmanager_secret'], ['arn', 'name']), 'secretsmanager'), r, r.values.policy, `secret policy ${r.address}`);
    }
    for (const s of this.stores) {
      if (s.resource.mode === 'managed' && (s.kind === 's3' || s.kind === 'secretsmanager') && s.resource.values.policy !== undefined) {
        addPolicy([s], s.resource, s.resource.values.policy, `${s.kind === 's3' ? 'bucket' : 'secret'} policy on ${s.resource.address}`);
      }
    }

    // KMS keys.
    const keyPolicies = new Map<string, Entry[]>();
    const keyById = new Map(this.kmsKeys.map((k) => [k.id, k]));
    // A key policy we cannot read counts as the default one (IAM policies of the key's
    // account decide), so that it never hides access.
    const unreadable = new Set<string>();
    const addKeyPolicy = (id: string, owner: TfResource, value: unknown) => {
      const read = this.readPolicy(owner.stack, value, owner);
      if (read.problem) unreadable.add(id);
      this.addEntries(keyPolicies, id, read.stmts, `key policy ${owner.address}`);
      if (!keyPolicies.has(id)) keyPolicies.set(id, []);
    };
    for (const k of this.kmsKeys) {
      if (k.resource.values.policy !== undefined) addKeyPolicy(k.id, k.resource, k.resource.values.policy);
    }
    for (const r of ctx.ofType('aws_kms_key_policy')) {
      const target = ctx.target(r.stack, r.values.key_id, ['aws_kms_key'], ['key_id']);
      if (target) addKeyPolicy(key(target.stack, target.address), r, r.values.policy);
    }
    for (const id of unreadable) keyPolicies.delete(id);
    const keyGrants = new Map<string, Map<string, string>>();
    for (const r of ctx.ofType('aws_kms_grant')) {
      if (!strings(r.values.operations).some((o) => o.toLowerCase() === 'decrypt')) continue;
      const kid = kmsKeyId(ctx, r.stack, r.values.key_id);
      if (!kid) continue;
      const spec: PSpec = { any: false, ids: new Set(), accounts: [] };
      const grantee = r.values.grantee_principal;
      if (typeof grantee === 'string') this.parseIdent(r.stack, grantee, true, spec);
      let m = keyGrants.get(kid);
      if (!m) keyGrants.set(kid, (m = new Map()));
      for (const id of spec.ids) if (!m.has(id)) m.set(id, `KMS grant ${r.address}`);
    }

    const kmsCache = new Map<string, KmsTarget>();
    for (const s of this.stores) {
      let kid = s.settings?.kmsKey;
      if (kid === undefined && s.kind === 'ssm' && s.resource.values.key_id !== undefined) kid = kmsKeyId(ctx, s.stack, s.resource.values.key_id);
      if (kid === undefined && s.kind === 'secretsmanager' && s.resource.values.kms_key_id !== undefined) kid = kmsKeyId(ctx, s.stack, s.resource.values.kms_key_id);
      if (kid === undefined) continue;
      let kt = kmsCache.get(kid);
      if (!kt) {
        kt = this.kmsTarget(kid, s, keyById, keyPolicies, keyGrants);
        if (!kt) continue;
        kmsCache.set(kid, kt);
      }
      this.storeKms.set(s.id, kt);
    }
  }

  private kmsTarget(
    kid: string,
    s: Store,
    keyById: Map<string, KmsKey>,
    keyPolicies: Map<string, Entry[]>,
    keyGrants: Map<string, Map<string, string>>,
  ): KmsTarget | undefined {
    let r: TfResource | undefined = keyById.get(kid)?.resource;
    if (!r && kid.includes('\u0000')) {
      const [stack, address] = kid.split('\u0000');
      r = this.ctx.resource(stack, address);
    }
    if (!r && /^(data\.)?aws_kms_key\./.test(kid)) r = this.ctx.resource(s.stack, kid);
    if (!r && kid.includes('${')) r = this.ctx.resolveAll(s.stack, kid).find((x) => x.resource.type === 'aws_kms_key')?.resource;
    const grants = keyGrants.get(kid) ?? new Map<string, string>();
    if (r) {
      const t = this.targetOf(r);
      if (!t) return undefined;
      const id = key(r.stack, r.address);
      return { target: t, label: `key ${this.label(r, s.stack)}`, account: this.ctx.accountOfResource(r), policy: keyPolicies.get(id), grants, external: r.mode === 'data' };
    }
    const awsManaged = /(^|:)alias\/aws\//.test(kid) ? kid.slice(kid.indexOf('alias/')) : undefined;
    const arnAcct = /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(kid)?.[1];
    const arn = kid.startsWith('arn:') ? kid : kid.startsWith('alias/') ? `arn:aws:kms:*:*:${kid}` : `arn:aws:kms:*:*:key/${kid}`;
    const token = this.token();
    const t: Target = { id: `kms:${kid}`, kind: 'kms', managed: false, name: token, arn, keyId: kid, token, nameKnown: true };
    return { target: t, label: `key ${kid}`, account: arnAcct ? `acct:${arnAcct}` : 'default', grants, awsManaged, external: true };
  }
}
