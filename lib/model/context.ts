import { accountOf } from './accounts';
import { bareAddress, extractRefs, literal, type RawRef } from './load/refs';
import type { Ref, TfDocument, TfProvider, TfResource } from './types';

/** A reference resolved to the resource it finally points at (cross-stack outputs followed). */
export interface ResolvedRef {
  readonly resource: TfResource;
  readonly attr?: string;
  readonly path: readonly string[];
}

/**
 * Indexes over the input documents, shared by every part of the model builder. Lookups
 * are maps, so building the model stays linear in the number of resources.
 */
export class ModelContext {
  readonly documents: readonly TfDocument[];
  readonly resources: TfResource[] = [];
  private readonly byKey = new Map<string, TfResource>();
  private readonly byType = new Map<string, TfResource[]>();
  private readonly outputsByName = new Map<string, { stack: string; value: unknown }[]>();
  private readonly providers = new Map<string, TfProvider>();
  /** Resources that reference a given resource (stack|address) in any attribute. */
  private referrers?: Map<string, TfResource[]>;

  constructor(documents: readonly TfDocument[]) {
    this.documents = documents;
    for (const d of documents) {
      for (const r of d.resources) {
        this.resources.push(r);
        this.byKey.set(key(r.stack, r.address), r);
        let list = this.byType.get(r.type);
        if (!list) this.byType.set(r.type, (list = []));
        list.push(r);
      }
      for (const [name, value] of Object.entries(d.outputs)) {
        let list = this.outputsByName.get(name);
        if (!list) this.outputsByName.set(name, (list = []));
        list.push({ stack: d.stack, value });
      }
      for (const p of d.providers) this.providers.set(key(d.stack, p.key), p);
    }
    // Plan input holds one resource per count/for_each instance (`aws_iam_user.u[0]`); a
    // reference without the index (`aws_iam_user.u`) resolves to the first instance.
    for (const r of this.resources) {
      if (!r.address.endsWith(']')) continue;
      const k = key(r.stack, bareAddress(r.address));
      if (!this.byKey.has(k)) this.byKey.set(k, r);
    }
  }

  get multiStack(): boolean {
    return this.documents.length > 1;
  }

  resource(stack: string, address: string): TfResource | undefined {
    return this.byKey.get(key(stack, address));
  }

  ofType(...types: string[]): TfResource[] {
    const out: TfResource[] = [];
    for (const t of types) out.push(...(this.byType.get(t) ?? []));
    return out;
  }

  provider(stack: string, providerKey: string): TfProvider | undefined {
    return this.providers.get(key(stack, providerKey));
  }

  allProviders(): TfProvider[] {
    return [...this.providers.values()];
  }

  /** Account identity of the provider a resource is managed through. */
  accountOfResource(r: TfResource): string {
    return accountOf(this.provider(r.stack, r.provider), r.stack);
  }

  /**
   * Follow a raw reference to its resource. Cross-stack references in cdktf go through a
   * `terraform_remote_state` data source and a `cross-stack-output-*` output of the other
   * stack; we follow those to the resource the output names.
   */
  resolve(stack: string, ref: RawRef, depth = 0): ResolvedRef | undefined {
    if (depth > 8) return undefined;
    if (ref.address.startsWith('data.terraform_remote_state.') && ref.attr === 'outputs' && ref.path.length > 0) {
      const outputName = ref.path[0];
      const candidates = this.outputsByName.get(outputName) ?? [];
      const hit = candidates.find((c) => c.stack !== stack) ?? candidates[0];
      if (!hit) return undefined;
      const inner = extractRefs(hit.value);
      if (inner.length !== 1) return undefined;
      return this.resolve(hit.stack, inner[0], depth + 1);
    }
    const r = (ref.index !== undefined ? this.resource(stack, ref.address + ref.index) : undefined) ?? this.resource(stack, ref.address);
    if (!r) return undefined;
    return { resource: r, attr: ref.attr, path: ref.path };
  }

  /** Every resource an expression points at, cross-stack references followed. */
  resolveAll(stack: string, value: unknown): ResolvedRef[] {
    const out: ResolvedRef[] = [];
    for (const raw of extractRefs(value)) {
      const r = this.resolve(stack, raw);
      if (r) out.push(r);
    }
    return out;
  }

  /** Stack-qualified references of an expression (for the public model API). */
  referencesOf(stack: string, value: unknown): Ref[] {
    return this.resolveAll(stack, value).map((r) => ({ stack: r.resource.stack, address: r.resource.address }));
  }

  /**
   * The resource an attribute like `bucket = "${aws_s3_bucket.k.id}"` points at, or one
   * of `types` whose literal name attribute equals the literal value.
   */
  target(stack: string, value: unknown, types: readonly string[], nameAttrs: readonly string[] = ['bucket']): TfResource | undefined {
    for (const r of this.resolveAll(stack, value)) {
      if (types.includes(r.resource.type)) return r.resource;
    }
    const lit = literal(value);
    if (lit === undefined) return undefined;
    for (const r of this.ofType(...types)) {
      for (const a of nameAttrs) {
        if (literal(r.values[a]) === lit) return r;
      }
      if (lit.startsWith('arn:') && lit.endsWith(`:${literal(r.values.bucket) ?? '\u0000'}`)) return r;
    }
    return undefined;
  }

  /** Resources whose attributes reference `target` (built once, on first use). */
  referrersOf(target: TfResource): TfResource[] {
    if (!this.referrers) {
      this.referrers = new Map();
      for (const r of this.resources) {
        const seen = new Set<string>();
        for (const rr of this.resolveAll(r.stack, r.values)) {
          const k = key(rr.resource.stack, rr.resource.address);
          if (seen.has(k)) continue;
          seen.add(k);
          let list = this.referrers.get(k);
          if (!list) this.referrers.set(k, (list = []));
          list.push(r);
        }
      }
    }
    return this.referrers.get(key(target.stack, target.address)) ?? [];
  }
}

export function key(stack: string, address: string): string {
  return `${stack}\u0000${address}`;
}

/** `stack/address` when several stacks are in play, else the address alone. */
export function qualify(multiStack: boolean, stack: string, address: string): string {
  return multiStack ? `${stack}/${address}` : address;
}
