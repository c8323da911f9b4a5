/**
 * Module calls of a Terraform JSON configuration: a cdk.tf.json with a `TerraformHclModule`
 * (or a generated module binding), or hand-written `.tf.json`. Terraform reads the module's
 * folder; so does this, with the reader and evaluator of `--source` (source.ts,
 * source-eval.ts): the module's resources join the document with their module addresses
 * (`module.keys.aws_s3_bucket.this`, `module.a["x"].module.b.aws_x.y`), their `var.*` taken
 * from the call's arguments (evaluated in the caller, so a cdktf token naming a root resource
 * stays that reference), `local.*` and `module.x.out` inlined, dynamic blocks read from their
 * `content`.
 *
 * Where the folder is: cdktf copies a local module source (`./modules/x`) into the stack
 * folder as an asset and writes `./assets/__cdktf_module_asset_<id>/<hash>[/x]`, relative to
 * cdk.tf.json; an absolute source stays absolute; a registry or git module is read from
 * `.terraform/modules` once `cdktf get` / `terraform init` put it there. A module that cannot
 * be read is recorded as unknown (KC092 names it), never passed silently.
 *
 * Root `var.*` stays as written: its value is given at apply time, not in the file.
 */
import type { TfDocument, TfResource, Unknown } from '../types';
import { providerKey } from './cdktf-json';
import { dataObject } from './json';
import { foldValue } from './hcl-fold';
import { num } from './refs';
import { addFile, emptyModule, readSourceSync, SourceInputError, type HclParseSync, type SourceModule, type SourceTree } from './source';
import { SourceEvaluator, type SourceScope } from './source-eval';

type Json = Record<string, unknown>;

/** Block arguments that are Terraform's, read here rather than passed on as values. */
const SKIPPED = new Set(['dynamic']);

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function asRecord(v: unknown): Json {
  return isObj(v) ? v : dataObject();
}

function hasInterpolation(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('${');
  if (Array.isArray(v)) return v.some(hasInterpolation);
  if (isObj(v)) return Object.values(v).some(hasInterpolation);
  return false;
}

/** True when the configuration calls a module (only then is any module folder read). */
export function hasModuleCalls(json: unknown): boolean {
  return Object.keys(asRecord(asRecord(json).module)).length > 0;
}

/** One instance of a module call: its address key, and the element `each.value` stands for. */
interface Instance {
  readonly key: string;
  readonly each?: unknown;
  /** Why the instances are not known (then the module is read once, unkeyed). */
  readonly unknown?: string;
}

/** The instances of a module call, as far as `count` / `for_each` are known in the file. */
function instancesOf(ev: SourceEvaluator, call: Json, parent: SourceScope): Instance[] {
  if (call.count !== undefined) {
    const n = num(foldValue(ev.value(call.count, parent)));
    if (n === undefined || n < 0 || !Number.isInteger(n)) return [{ key: '', unknown: 'count' }];
    return Array.from({ length: Math.min(n, 256) }, (_, i) => ({ key: `[${i}]` }));
  }
  if (call.for_each !== undefined) {
    const v = foldValue(ev.value(call.for_each, parent));
    if (isObj(v)) return Object.entries(v).map(([k, each]) => ({ key: `[${JSON.stringify(k)}]`, each }));
    if (Array.isArray(v) && v.every((x) => typeof x === 'string' && !x.includes('${'))) return [...new Set(v as string[])].map((k) => ({ key: `[${JSON.stringify(k)}]`, each: k }));
    return [{ key: '', unknown: 'for_each' }];
  }
  return [{ key: '' }];
}

/** `aws` / `aws.keys` inside a module instance → the root provider configuration it is. */
function providerOf(scope: SourceScope, local: string): string {
  let key = local;
  for (let s: SourceScope | undefined = scope; s?.parent; s = s.parent) {
    const mapped = asRecord(s.args?.providers)[key];
    // A default configuration not passed explicitly is inherited from the caller.
    if (typeof mapped === 'string') key = mapped.replace(/^\$\{/, '').replace(/\}$/, '');
  }
  return key;
}

/** `data.aws_x.y` / `aws_x.y` → mode, type, name. */
function parts(address: string): { mode: 'managed' | 'data'; type: string; name: string } {
  const data = address.startsWith('data.');
  const [type, name] = (data ? address.slice(5) : address).split('.');
  return { mode: data ? 'data' : 'managed', type, name };
}

/**
 * A module block's dynamic blocks, read from their `content` for the element their
 * `for_each` names. `null` (an empty collection) is no block; an element the file cannot
 * name is read once and recorded as unknown.
 */
function dynamicBlocks(ev: SourceEvaluator, block: Json, scope: SourceScope, out: Json, unknown: (what: string) => void): void {
  for (const [name, defs] of Object.entries(asRecord(block.dynamic))) {
    for (const def of Array.isArray(defs) ? defs.filter(isObj) : isObj(defs) ? [defs] : []) {
      const content = (Array.isArray(def.content) ? def.content : [def.content]).find(isObj);
      if (!content) continue;
      const iterator = typeof def.iterator === 'string' ? def.iterator.replace(/^\$\{|\}$/g, '') : name;
      const element = ev.forEachElement(def.for_each, scope);
      if (element === null) continue;
      if (element === undefined) unknown(`${name} is a dynamic block whose for_each cannot be read from the configuration; read as one block`);
      const body = foldValue(ev.value(content, { ...scope, iterators: { ...scope.iterators, [iterator]: element } }));
      const before = out[name];
      out[name] = [...(Array.isArray(before) ? before : before === undefined ? [] : [before]), body];
    }
  }
}

/**
 * The document with its module calls read (see the file comment). `folder` is the one the
 * configuration file is in (module sources are relative to it). Without module calls or
 * locals the document is returned as it is, and no parser is started.
 */
export function withModules(doc: TfDocument, json: unknown, folder: string, parse: HclParseSync): TfDocument {
  const rootJson = asRecord(json);
  const calls = hasModuleCalls(rootJson);
  if (!calls && rootJson.locals === undefined) return doc;
  const read = emptyModule(folder);
  addFile(read, rootJson);
  const root: SourceModule = { ...read, defaults: dataObject() };
  const unknowns: Unknown[] = [];
  let tree: SourceTree = new Map([['', root]]);
  let unreadable: string | undefined;
  if (calls) {
    try {
      tree = readSourceSync(folder, parse, root);
    } catch (e) {
      if (!(e instanceof SourceInputError)) throw e;
      unreadable = e.message.replace(/^--source:? /, '');
    }
  }
  const ev = new SourceEvaluator(tree);
  const rootScope: SourceScope = { path: '', prefix: '', module: root, rootVars: dataObject() };
  const resources: TfResource[] = [];

  const visit = (scope: SourceScope, depth: number): void => {
    for (const [name, call] of Object.entries(scope.module.calls)) {
      const childPath = `${scope.path ? `${scope.path}.` : ''}module.${name}`;
      const child = tree.get(childPath);
      const at = `${scope.prefix}module.${name}`;
      if (!child || depth > 16) {
        const source = typeof call.source === 'string' ? call.source : '?';
        const why = unreadable ?? `its source ${JSON.stringify(source)} is not a local folder here, and \`cdktf get\` / \`terraform init\` has not downloaded it into .terraform/modules`;
        unknowns.push({ stack: doc.stack, address: at, what: `resources of module ${name} are not in the model: ${why}` });
        continue;
      }
      for (const inst of instancesOf(ev, call, scope)) {
        if (inst.unknown) unknowns.push({ stack: doc.stack, address: at, what: `${inst.unknown} of module ${name} cannot be read from the configuration; its resources are read once, as one instance` });
        const parent: SourceScope = inst.each === undefined ? scope : { ...scope, iterators: { ...scope.iterators, each: inst.each } };
        const inner: SourceScope = { path: childPath, prefix: `${at}${inst.key}.`, module: child, parent, args: call, rootVars: dataObject() };
        for (const [address, block] of Object.entries(child.resources)) {
          const full = `${inner.prefix}${address}`;
          const values: Json = dataObject();
          for (const [k, v] of Object.entries(block)) if (!SKIPPED.has(k)) values[k] = foldValue(ev.value(v, inner));
          dynamicBlocks(ev, block, inner, values, (what) => unknowns.push({ stack: doc.stack, address: full, what }));
          const { mode, type, name: rname } = parts(address);
          resources.push({ stack: doc.stack, mode, type, name: rname, address: full, module: inner.prefix.slice(0, -1), values, provider: providerOf(inner, providerKey(type, block.provider)) });
        }
        visit(inner, depth + 1);
      }
    }
  };
  visit(rootScope, 0);

  // Root values that name a local or a module output get its expression, as a plan would.
  const inline = (v: unknown): unknown => (hasInterpolation(v) && /\b(?:local|module)\./.test(JSON.stringify(v)) ? foldValue(ev.value(v, rootScope)) : v);
  const rootResources = doc.resources.map((r) => {
    const values = inline(r.values) as Json;
    return values === r.values ? r : { ...r, values };
  });
  const outputs: Json = dataObject();
  for (const [k, v] of Object.entries(doc.outputs)) outputs[k] = inline(v);
  return { ...doc, resources: [...rootResources, ...resources], outputs, unknowns: [...(doc.unknowns ?? []), ...unknowns] };
}
