/**
 * Join the HCL source to a plan document (`key-custody check plan.json --source <dir>`).
 *
 * Each plan resource finds its source block by module path and address (instance keys
 * stripped: `module.a[0].aws_x.y` → module `module.a`, block `aws_x.y`). Where the plan does
 * not know a value (after_unknown, or a value the plan front end rebuilt from references,
 * which holds `${…}`), the source's expression is put in, rewritten into document address
 * space (see source-eval.ts). Known planned values always win: they are exact.
 *
 * Dynamic blocks: a block the plan expanded keeps its known parts and takes the unknown ones
 * from the `content`; a block whose `for_each` itself is only known after apply is read as
 * present once, and recorded as unknown.
 */
import type { TfDocument, TfResource, Unknown } from '../types';
import { dataObject } from './json';
import { bareAddress } from './refs';
import { SourceEvaluator, type SourceScope } from './source-eval';
import type { SourceTree } from './source';

type Json = Record<string, unknown>;

/** Block arguments that are Terraform's, not the resource type's. */
const META = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection', 'dynamic', '//']);

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function hasInterpolation(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('${');
  if (Array.isArray(v)) return v.some(hasInterpolation);
  if (isObj(v)) return Object.values(v).some(hasInterpolation);
  return false;
}

/** What the overlay did, for tests and the CLI's summary. */
export interface OverlayResult {
  readonly document: TfDocument;
  /** `address attr` of every value taken from the source. */
  readonly filled: readonly string[];
  /** Resources of the plan that have no block in the source (a module outside --source). */
  readonly unmatched: readonly string[];
}

/**
 * The plan value where it is known, else the source value: recursively, guided by
 * after_unknown (`unk`: true, or an object/array marking unknown parts).
 */
function fill(planned: unknown, source: unknown, unk: unknown): unknown {
  if (source === undefined) return planned;
  if (unk === true || planned === undefined || (typeof planned === 'string' && planned.includes('${')) || (planned !== null && typeof planned !== 'object')) {
    if (unk === true || planned === undefined || hasInterpolation(planned)) return source;
    return planned;
  }
  if (Array.isArray(planned)) {
    const src = Array.isArray(source) ? source : [source];
    const u = Array.isArray(unk) ? unk : [];
    // A list of references the plan rebuilt (`[${a}, ${b}]`) is replaced whole: the source
    // spells out the literal parts (`"${arn}/*"`) the plan lost.
    if (planned.some((x) => typeof x === 'string' && x.includes('${')) && !Array.isArray(unk)) return src;
    return planned.map((p, i) => fill(p, src[Math.min(i, src.length - 1)], u[i]));
  }
  if (isObj(planned)) {
    if (!isObj(source)) return planned;
    const u = isObj(unk) ? unk : dataObject();
    const out: Json = dataObject();
    for (const k of new Set([...Object.keys(planned), ...Object.keys(source)])) {
      const v = Object.hasOwn(planned, k) ? fill(planned[k], source[k], u[k]) : u[k] === true ? source[k] : undefined;
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  return planned;
}

/** after_unknown and root variable values of a plan, by resource address. */
function planFacts(plan: unknown): { unknown: Map<string, Json>; vars: Record<string, unknown> } {
  const unknown = new Map<string, Json>();
  const p = isObj(plan) ? plan : {};
  for (const rc of Array.isArray(p.resource_changes) ? p.resource_changes : []) {
    if (isObj(rc) && typeof rc.address === 'string' && isObj(rc.change) && isObj(rc.change.after_unknown)) unknown.set(rc.address, rc.change.after_unknown);
  }
  const vars: Record<string, unknown> = dataObject();
  for (const [k, v] of Object.entries(isObj(p.variables) ? p.variables : {})) if (isObj(v) && 'value' in v) vars[k] = v.value;
  return { unknown, vars };
}

/** Read one plan document together with its source (see the file comment). */
export function overlaySource(doc: TfDocument, plan: unknown, tree: SourceTree): OverlayResult {
  const ev = new SourceEvaluator(tree);
  const facts = planFacts(plan);
  const filled: string[] = [];
  const unmatched: string[] = [];
  const extra: Unknown[] = [];
  const forget = new Set<string>();
  const scopes = new Map<string, SourceScope | undefined>();

  const resources: TfResource[] = doc.resources.map((r) => {
    if (!scopes.has(r.module)) scopes.set(r.module, ev.scopeOf(r.module, facts.vars));
    const scope = scopes.get(r.module);
    const inModule = r.module ? r.address.slice(r.module.length + 1) : r.address;
    const block = scope?.module.resources[bareAddress(inModule)];
    if (!scope || !block) {
      unmatched.push(r.address);
      return r;
    }
    const unk = facts.unknown.get(r.address) ?? dataObject();
    const values: Json = { ...r.values };
    const take = (attr: string, v: unknown) => {
      if (v === undefined) return;
      values[attr] = v;
      filled.push(`${r.address} ${attr}`);
      forget.add(`${r.address}\u0000${attr}`);
    };
    for (const [attr, raw] of Object.entries(block)) {
      if (META.has(attr)) continue;
      const planned = r.values[attr];
      if (!(unk[attr] === true || hasInterpolation(planned) || (planned === undefined && Object.hasOwn(unk, attr)) || (planned !== undefined && hasUnknownPart(unk[attr])))) continue;
      const merged = fill(planned, ev.value(raw, scope), unk[attr]);
      if (JSON.stringify(merged) !== JSON.stringify(planned)) take(attr, merged);
    }
    for (const [name, defs] of Object.entries(isObj(block.dynamic) ? block.dynamic : {})) {
      for (const def of Array.isArray(defs) ? defs.filter(isObj) : isObj(defs) ? [defs] : []) {
        const content = (Array.isArray(def.content) ? def.content : [def.content]).find(isObj);
        if (!content) continue;
        const iterator = typeof def.iterator === 'string' ? def.iterator.replace(/^\$\{|\}$/g, '') : name;
        const element = ev.forEachElement(def.for_each, scope);
        const inner: SourceScope = { ...scope, iterators: { ...scope.iterators, [iterator]: element } };
        const body = ev.value(content, inner);
        const planned = r.values[name];
        if (Array.isArray(planned) && planned.length > 0) {
          const merged = planned.map((p, i) => fill(p, body, Array.isArray(unk[name]) ? (unk[name] as unknown[])[i] : unk[name]));
          if (JSON.stringify(merged) !== JSON.stringify(planned)) take(name, merged);
        } else if (unk[name] === true) {
          take(name, [body]);
          extra.push({ stack: doc.stack, address: r.address, what: `${name} is a dynamic block whose for_each is only known after apply; read from the source as one block` });
        }
      }
    }
    return filled.length > 0 && values !== r.values ? { ...r, values } : r;
  });

  const unknowns = (doc.unknowns ?? []).filter((u) => {
    const attr = /^[A-Za-z_][\w-]*/.exec(u.what)?.[0] ?? '';
    return !forget.has(`${u.address}\u0000${attr}`);
  });
  return { document: { ...doc, resources, unknowns: [...unknowns, ...extra] }, filled, unmatched };
}

function hasUnknownPart(unk: unknown): boolean {
  if (unk === true) return true;
  if (Array.isArray(unk)) return unk.some(hasUnknownPart);
  if (isObj(unk)) return Object.values(unk).some(hasUnknownPart);
  return false;
}
