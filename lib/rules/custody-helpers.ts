/**
 * Small helpers shared by the custody-separation rules (KC010, KC013, KC014) and the drill
 * rules: which bucket a store or object resolves to, and where a stack keeps its Terraform
 * state. Pure functions of the model (tags of a resource are a model view: views/tags.ts).
 */
import { block, literal, singleRef } from '../model/load/refs';
import type { CustodyModel, Store, TfDocument, TfResource } from '../model/types';

/** `db` for DB backups, `key` for key copies (backup or hot store), undefined otherwise. */
export type CustodySide = 'db' | 'key';

export function sideOf(role: string | undefined): CustodySide | undefined {
  if (role === 'db-backup') return 'db';
  if (role === 'key-backup' || role === 'key-store') return 'key';
  return undefined;
}

/** `aws_s3_bucket.keys (stack key-custody)` when several stacks are in play, else the address. */
export function describeAt(model: CustodyModel, stack: string, address: string): string {
  return model.multiStack ? `${address} (stack ${stack})` : address;
}

/**
 * What a bucket (or other store) resolves to, as far as the configuration tells:
 * - `exact`: a known identity (a literal name, or a managed store whose name the cloud
 *   generates uniquely: `res:<stack>/<address>`);
 * - `prefix`: only `bucket_prefix` / `name_prefix` is known;
 * - `expr`: the name is an expression we cannot evaluate (a variable, a function).
 */
export type StoreIdentity =
  | { readonly kind: 'exact'; readonly value: string; readonly shown: string }
  | { readonly kind: 'prefix'; readonly value: string; readonly shown: string }
  | { readonly kind: 'expr'; readonly value: string; readonly shown: string };

const S3_TYPES = ['aws_s3_bucket'];

/** `arn:aws:s3:::name` and `s3://name/...` → `name`; anything else unchanged. */
export function bucketNameFromArn(value: string): string {
  const arn = /^arn:[^:]+:s3:::([^/]+)/.exec(value);
  if (arn) return arn[1];
  const url = /^s3:\/\/([^/]+)/.exec(value);
  if (url) return url[1];
  return value;
}

/**
 * Identity of a bucket named by an attribute value (`bucket = ...` of a bucket, a data
 * source, an object or a companion). References to a bucket resource are followed, across
 * stacks too, so `${aws_s3_bucket.keys.id}` and the bucket itself share one identity.
 */
export function bucketIdentity(model: CustodyModel, stack: string, value: unknown, depth = 0): StoreIdentity | undefined {
  const lit = literal(value);
  if (lit !== undefined) {
    const name = bucketNameFromArn(lit);
    return { kind: 'exact', value: `s3:${name}`, shown: `"${name}"` };
  }
  if (typeof value !== 'string') return undefined;
  const single = singleRef(value);
  if (single && single.prefix === '' && depth < 8) {
    const target = model.referencesOf(stack, value)[0];
    const r = target ? model.resource(target.stack, target.address) : undefined;
    if (r && S3_TYPES.includes(r.type)) {
      const id = identityOfBucketResource(model, r, depth + 1);
      // `${aws_s3_bucket.k.arn}/*` is still that bucket; `${aws_s3_bucket.k.id}-db` is another
      // one, whose name is known only when the referenced name is a literal.
      if (single.suffix === '' || single.suffix.startsWith('/')) return id;
      if (id.kind === 'exact' && id.value.startsWith('s3:') && !single.suffix.includes('${')) {
        const name = `${id.value.slice('s3:'.length)}${single.suffix}`;
        return { kind: 'exact', value: `s3:${name}`, shown: `"${name}"` };
      }
    }
  }
  return { kind: 'expr', value: value.trim(), shown: `\`${value}\`` };
}

/** Identity of a bucket resource or data source itself. */
export function identityOfBucketResource(model: CustodyModel, r: TfResource, depth = 0): StoreIdentity {
  if (r.values.bucket !== undefined) {
    const id = bucketIdentity(model, r.stack, r.values.bucket, depth);
    if (id) return id;
  }
  const prefix = literal(r.values.bucket_prefix);
  if (prefix !== undefined) return { kind: 'prefix', value: `s3:${prefix}`, shown: `prefix "${prefix}"` };
  if (r.values.bucket_prefix !== undefined) return { kind: 'expr', value: String(r.values.bucket_prefix), shown: `prefix \`${String(r.values.bucket_prefix)}\`` };
  // A managed bucket without name or prefix gets a unique generated name.
  return { kind: 'exact', value: `res:${r.stack}/${r.address}`, shown: 'a generated name' };
}

/** Identity of a store: buckets by name (global), secrets and parameters by account and name. */
export function storeIdentity(model: CustodyModel, s: Store): StoreIdentity {
  if (s.kind === 's3') return identityOfBucketResource(model, s.resource);
  const ns = `${s.kind}:${s.account}:`;
  const arn = literal(s.resource.values.arn);
  if (arn !== undefined) return { kind: 'exact', value: `arn:${arn}`, shown: `"${arn}"` };
  if (s.name !== undefined) return { kind: 'exact', value: ns + s.name, shown: `"${s.name}"` };
  if (s.namePrefix !== undefined) return { kind: 'prefix', value: ns + s.namePrefix, shown: `prefix "${s.namePrefix}"` };
  const nameExpr = s.resource.values.name;
  if (typeof nameExpr === 'string') return { kind: 'expr', value: nameExpr.trim(), shown: `\`${nameExpr}\`` };
  return { kind: 'exact', value: `res:${s.stack}/${s.address}`, shown: 'a generated name' };
}

/**
 * The AWS provider names a `bucket_prefix` bucket `<prefix><26 characters>` (a timestamp
 * and a counter); a literal name of that shape may be the very bucket that prefix created.
 */
export function mayBeGeneratedFrom(name: string, prefix: string): boolean {
  return name.startsWith(prefix) && /^[0-9a-f]{26}$/.test(name.slice(prefix.length));
}

/** Can two identities be the same store? `same` = certainly, `maybe` = cannot prove otherwise. */
export function compareIdentities(a: StoreIdentity, b: StoreIdentity): 'same' | 'maybe' | 'different' {
  if (a.kind === 'exact' && b.kind === 'exact') return a.value === b.value ? 'same' : 'different';
  if (a.kind === 'expr' || b.kind === 'expr') {
    if (a.kind === 'expr' && b.kind === 'expr' && a.value === b.value) return 'same';
    return 'maybe';
  }
  if (a.kind === 'prefix' && b.kind === 'prefix') {
    return a.value.startsWith(b.value) || b.value.startsWith(a.value) ? 'maybe' : 'different';
  }
  const exact = a.kind === 'exact' ? a : b;
  const prefix = a.kind === 'prefix' ? a : b;
  return !exact.value.startsWith('res:') && mayBeGeneratedFrom(exact.value, prefix.value) ? 'maybe' : 'different';
}

/** Where a stack's Terraform state lives, for comparing backends. */
export interface StateLocation {
  /** Comparable identity; undefined when the configuration leaves it to `terraform init`. */
  readonly id?: string;
  /** Human-readable form for messages. */
  readonly shown: string;
  readonly type: string;
}

function posixResolve(base: string, p: string): string {
  const parts = (p.startsWith('/') ? p : `${base}/${p}`).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/**
 * The state location of a document. Relative local paths resolve against the stack's own
 * working directory (`cdktf.out/stacks/<stack>`), which is where cdktf runs Terraform.
 */
export function stateLocation(doc: TfDocument): StateLocation {
  const b = doc.backend;
  const stackDir = `/cdktf.out/stacks/${doc.stack}`;
  if (!b) {
    const p = `${stackDir}/terraform.tfstate`;
    return { id: `local:${p}`, shown: 'the default local state of the stack', type: 'local' };
  }
  const c = b.config;
  const need = (...vals: (string | undefined)[]) => (vals.every((v) => v !== undefined) ? vals.join('/') : undefined);
  switch (b.type) {
    case 'local': {
      const p = posixResolve(stackDir, str(c.path) ?? 'terraform.tfstate');
      return { id: `local:${p}`, shown: `local state ${str(c.path) ?? 'terraform.tfstate'}`, type: 'local' };
    }
    case 's3': {
      const id = need(str(c.bucket), str(c.key));
      return { id: id && `s3://${id}`, shown: `s3://${str(c.bucket) ?? '?'}/${str(c.key) ?? '?'}`, type: 's3' };
    }
    case 'gcs': {
      const id = need(str(c.bucket), str(c.prefix) ?? '');
      return { id: id && `gcs://${id}`, shown: `gs://${str(c.bucket) ?? '?'}/${str(c.prefix) ?? ''}`, type: 'gcs' };
    }
    case 'azurerm': {
      const id = need(str(c.storage_account_name), str(c.container_name), str(c.key));
      return { id: id && `azurerm://${id}`, shown: `azurerm ${id ?? '(partial configuration)'}`, type: 'azurerm' };
    }
    case 'remote':
    case 'cloud': {
      const ws = block(c.workspaces);
      const id = need(str(c.hostname) ?? 'app.terraform.io', str(c.organization), str(ws?.name));
      return { id: id && `tfc://${id}`, shown: `${b.type} workspace ${id ?? '(partial configuration)'}`, type: b.type };
    }
    default: {
      const sorted = Object.keys(c)
        .sort()
        .map((k) => `${k}=${JSON.stringify(c[k])}`)
        .join(',');
      return { id: sorted ? `${b.type}:${sorted}` : undefined, shown: `${b.type} backend`, type: b.type };
    }
  }
}
