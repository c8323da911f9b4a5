import { ModelContext, key } from './context';
import { computeAccess } from './iam/analysis';
import { readManifest, MANIFEST_KIND } from './manifest';
import { readStoreSettings } from './settings';
import { readContainers } from './containers';
import { replicaStores } from './replicas';
import { bool, literal } from './load/refs';
import { accountOf } from './accounts';
import { CUSTODY_ROLES, TAG_APP, TAG_KEY, TAG_ROLE, type CustodyRole } from '../policy/tags';
import { ModelViews } from './views';
import { mergeTags } from './views/tags';
import type { Container, CustodyModel, Grant, KeyCopy, KmsKey, Manifest, Principal, ProviderInfo, Store, TfDocument, TfResource, Unknown } from './types';

export { MANIFEST_KIND };

const STORE_TYPES: Record<string, Store['kind']> = {
  aws_s3_bucket: 's3',
  aws_secretsmanager_secret: 'secretsmanager',
  aws_ssm_parameter: 'ssm',
};

/** Tags of a resource, with the provider's `default_tags` merged under them (a new object every call). */
export function tagsOf(ctx: ModelContext, r: TfResource): Record<string, string> {
  return mergeTags(ctx.provider(r.stack, r.provider), r);
}

function isRole(v: string | undefined): v is CustodyRole {
  return v !== undefined && (CUSTODY_ROLES as readonly string[]).includes(v);
}

/** Build the one custody model from any number of stack documents. */
export function buildModel(documents: readonly TfDocument[]): CustodyModel {
  const ctx = new ModelContext(documents);
  const unknowns: Unknown[] = documents.flatMap((d) => d.unknowns ?? []);

  const manifests: Manifest[] = [];
  for (const r of ctx.ofType('terraform_data')) {
    const m = readManifest(r);
    if (m) manifests.push(m);
  }

  // Stores: tagged managed resources, plus data sources the manifest adopts.
  const stores: Store[] = [];
  const storeIndex = new Map<string, Store>();
  const addStore = (r: TfResource, role: CustodyRole, keyId: string | undefined, app: string | undefined, adopted: boolean, declaredRetentionDays?: number) => {
    const kind = (Object.hasOwn(STORE_TYPES, r.type) ? STORE_TYPES[r.type] : undefined) ?? 'other';
    const name = literal(r.values.bucket) ?? literal(r.values.name);
    const namePrefix = literal(r.values.bucket_prefix) ?? literal(r.values.name_prefix);
    if (!name && !namePrefix && !adopted) {
      unknowns.push({ stack: r.stack, address: r.address, what: 'store name is only known after apply' });
    }
    const s: Store = {
      id: key(r.stack, r.address),
      stack: r.stack,
      address: r.address,
      kind,
      role,
      key: keyId,
      app,
      name,
      namePrefix,
      adopted,
      declaredRetentionDays,
      account: ctx.accountOfResource(r),
      settings: readStoreSettings(ctx, r),
      resource: r,
    };
    stores.push(s);
    storeIndex.set(s.id, s);
  };
  for (const r of ctx.resources) {
    if (r.mode !== 'managed' || !Object.hasOwn(STORE_TYPES, r.type)) continue;
    const tags = tagsOf(ctx, r);
    const role = tags[TAG_ROLE];
    if (isRole(role) && role !== 'drill') addStore(r, role, tags[TAG_KEY], tags[TAG_APP], false);
  }
  // A replica holds what its source holds, tagged or not.
  for (const rep of replicaStores(ctx, stores)) addStore(rep.resource, rep.role, rep.key, rep.app, false);
  for (const m of manifests) {
    for (const a of m.adoptedStores) {
      const r = ctx.resource(m.stack, a.address);
      if (r && !storeIndex.has(key(r.stack, r.address))) addStore(r, a.role, a.key, a.app, true, a.retentionDays);
      if (!r) unknowns.push({ stack: m.stack, address: a.address, what: 'the manifest adopts a store that is not in the configuration' });
    }
  }

  const kmsKeys: KmsKey[] = ctx.ofType('aws_kms_key').map((r) => ({
    id: key(r.stack, r.address),
    stack: r.stack,
    address: r.address,
    rotation: bool(r.values.enable_key_rotation),
    account: ctx.accountOfResource(r),
    resource: r,
  }));

  const containers: Container[] = readContainers(ctx, (r) => tagsOf(ctx, r));

  const access = computeAccess(ctx, stores, kmsKeys, (r) => tagsOf(ctx, r));
  const { principals, grants } = access;
  unknowns.push(...access.unknowns);

  const copies: KeyCopy[] = [];
  for (const s of stores) {
    if (!s.key || (s.role !== 'key-backup' && s.role !== 'key-store')) continue;
    copies.push({
      key: s.key,
      kind: s.role === 'key-backup' ? 'backup' : 'hot',
      medium: s.kind,
      location: s.name ?? s.namePrefix ?? s.address,
      offsite: s.role === 'key-backup',
      store: s.id,
      stack: s.stack,
      address: s.address,
    });
  }
  for (const m of manifests) {
    for (const k of m.keys) {
      for (const c of k.copies) {
        copies.push({ key: k.id, generation: c.generation, kind: c.kind, medium: c.medium, location: c.location, offsite: c.offsite, custodian: c.custodian, stack: m.stack, address: m.address, fingerprint: c.fingerprint, date: c.date, evidence: c.evidence });
      }
    }
  }

  const providers: ProviderInfo[] = ctx.allProviders().map((p) => ({
    stack: p.stack,
    key: p.key,
    type: p.type,
    account: accountOf(p, p.stack),
    host: literal(p.values.host),
    values: p.values,
  }));

  const principalIndex = new Map<string, Principal>(principals.map((p) => [p.id, p]));

  return {
    documents,
    resources: ctx.resources,
    stores,
    kmsKeys,
    principals,
    grants: dedupeGrants(grants),
    blockedGrants: dedupeGrants(access.blocked),
    unseenGrants: dedupeGrants(access.unseen),
    keyUses: access.keyUses,
    containers,
    manifests,
    copies,
    providers,
    unknowns,
    multiStack: ctx.multiStack,
    storeById: (id) => storeIndex.get(id),
    principalById: (id) => principalIndex.get(id),
    resource: (stack, address) => ctx.resource(stack, address),
    referencesOf: (stack, value) => ctx.referencesOf(stack, value),
    views: new ModelViews(),
  };
}

function dedupeGrants(grants: Grant[]): Grant[] {
  const seen = new Set<string>();
  const out: Grant[] = [];
  for (const g of grants) {
    const k = `${g.principal}|${g.store}|${g.access}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(g);
  }
  return out;
}
