/**
 * The plan front end: `terraform show -json plan.out` → the same {@link TfDocument} shape
 * that `loadTerraformJson` gives for `cdk.tf.json`, so every rule runs unchanged.
 *
 * How a resource's values are made (per count/for_each instance):
 * 1. the `configuration` expressions: `{ constant_value: x }` → `x`; `{ references: [...] }`
 *    → `"${aws_s3_bucket.keys.arn}"` (the model's resolver reads these, so separation is
 *    proven from references although ARNs are unknown at plan time); nested blocks →
 *    objects in arrays, as in cdk.tf.json;
 * 2. `prior_state` values (data sources read during plan, existing resources) over that;
 * 3. `planned_values` over that: known values win; where `after_unknown` marks a value
 *    unknown, the reference from step 1 stays.
 *
 * References are rewritten into the address space of the document: inside child module
 * `module.a`, `aws_iam_user.u.name` becomes `module.a.aws_iam_user.u.name`; `var.x` inside a
 * module is replaced by the references of the module call's argument `x` (in the caller's
 * scope); `module.a.out` is replaced by the references of the output's expression inside
 * `module.a`. `local.*` is not described by the plan and is dropped.
 *
 * Limits (each recorded as an `unknowns` entry where it matters):
 * - the plan lists only the references of an expression, not its text: `"${arn}/*"` and
 *   `jsonencode({...})` lose their literal parts. A bare reference (the common case) is exact.
 *   In IAM `resources` lists a repeated reference is read as `[arn, "arn/*"]`, a single one
 *   in an Allow statement as both; an identity policy whose text is unknown is read
 *   conservatively as full access to everything it references;
 * - a value only known after apply that has several references (a template) is kept as the
 *   concatenation of the references and recorded;
 * - the plan has no backend block: `backend` is left undefined (state-location rules then
 *   treat the stack like one that leaves its backend to `terraform init`);
 * - cdktf's construct paths (`"//"` metadata) are not in a plan: suppressions scoped by
 *   construct path only match by address.
 */
import { bareAddress, INDEX, UNKNOWN_ACTION } from './refs';
import type { TfDocument, TfProvider, TfResource, Unknown } from '../types';
import { dataObject, setOwn } from './json';

/** The plan cannot be read: wrong kind, wrong version, missing parts. One line, says what to run. */
export class PlanInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanInputError';
  }
}

/** The `format_version` major this front end reads. */
export const PLAN_FORMAT_MAJOR = 1;

const RERUN = 'run `terraform show -json plan.out > plan.json` again';

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function obj(v: unknown): Json {
  // A fresh data object, so that looking up a name the plan holds (`var.constructor`) finds nothing.
  return isObj(v) ? v : dataObject();
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** True for `terraform show -json` output of a saved plan (not state, not configuration). */
export function looksLikePlanJson(json: unknown): boolean {
  return isObj(json) && typeof json.format_version === 'string' && ('planned_values' in json || 'configuration' in json || 'resource_changes' in json);
}

/** Check the envelope; throws {@link PlanInputError}. */
export function validatePlanJson(json: unknown): asserts json is Json {
  if (!isObj(json)) throw new PlanInputError(`it is not a JSON object; ${RERUN}`);
  const fv = json.format_version;
  if (typeof fv !== 'string') throw new PlanInputError(`it has no format_version, so it is not \`terraform show -json\` output; ${RERUN}`);
  const major = Number(/^(\d+)\./.exec(fv)?.[1] ?? NaN);
  if (major !== PLAN_FORMAT_MAJOR) {
    throw new PlanInputError(
      `plan format_version ${fv} is not supported (this tool reads ${PLAN_FORMAT_MAJOR}.x); produce the plan JSON with Terraform >= 0.12 and < 2.0, or pass the cdktf.out folder instead`,
    );
  }
  if (json.errored === true) throw new PlanInputError(`the plan is marked errored (terraform plan failed), so it is incomplete; fix the errors of \`terraform plan\`, then ${RERUN}`);
  const missing = ['configuration', 'planned_values'].filter((k) => !isObj(json[k]));
  if (missing.length > 0) {
    throw new PlanInputError(`the plan JSON has no ${missing.join(' or ')} (truncated, or not the output of \`terraform show -json\` of a saved plan); ${RERUN}`);
  }
  if (!isObj(obj(json.configuration).root_module) || !isObj(obj(json.planned_values).root_module) && Object.keys(obj(json.planned_values)).length > 0) {
    throw new PlanInputError(`the plan JSON has no configuration.root_module (truncated?); ${RERUN}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Configuration expressions → values
// ---------------------------------------------------------------------------------------------

/** A configuration expression, read. */
type Expr =
  | { readonly kind: 'const'; readonly value: unknown }
  | { readonly kind: 'refs'; readonly chains: readonly string[]; readonly dropped: readonly string[] }
  | { readonly kind: 'block'; readonly attrs: Readonly<Record<string, Expr>> }
  | { readonly kind: 'blocks'; readonly items: readonly Expr[] };

/** One module instance in the configuration tree. */
interface Scope {
  /** `''`, `module.a`, `module.a[0].module.b`: the prefix of addresses in this instance. */
  readonly path: string;
  readonly config: Json;
  readonly parent?: Scope;
  /** The module call's argument expressions (for `var.*`), evaluated in `parent`. */
  readonly callArgs?: Json;
}

const SKIP_ROOTS = new Set(['count', 'each', 'path', 'terraform', 'self']);

/**
 * Split a plan `references` list into chains: terraform lists each traversal followed by its
 * shorter prefixes (`a.b.arn`, `a.b`), in order; a chain is one traversal.
 */
export function referenceChains(refs: readonly string[]): string[] {
  const out: string[] = [];
  let head: string | undefined;
  for (const r of refs) {
    if (typeof r !== 'string') continue;
    if (head !== undefined && head !== r && (head.startsWith(`${r}.`) || head.startsWith(`${r}[`))) continue;
    out.push(r);
    head = r;
  }
  return out;
}

/** A constant as an expression tree, so that planned values merge over it part by part. */
function constExpr(v: unknown): Expr {
  if (Array.isArray(v)) return { kind: 'blocks', items: v.map(constExpr) };
  if (isObj(v)) {
    const attrs: Record<string, Expr> = dataObject();
    for (const [k, x] of Object.entries(v)) attrs[k] = constExpr(x);
    return { kind: 'block', attrs };
  }
  return { kind: 'const', value: v };
}

class PlanReader {
  readonly unknowns: Unknown[] = [];
  private readonly seenUnknown = new Set<string>();

  constructor(private readonly stack: string) {}

  unknown(address: string, what: string): void {
    const k = `${address}\u0000${what}`;
    if (this.seenUnknown.has(k)) return;
    this.seenUnknown.add(k);
    this.unknowns.push({ stack: this.stack, address, what });
  }

  /** Drop what was recorded about `attr` of `address` (a better reading replaces it). */
  forget(address: string, attr: string): void {
    for (let i = this.unknowns.length - 1; i >= 0; i--) {
      const u = this.unknowns[i];
      if (u.address === address && u.what.startsWith(`${attr} `)) this.unknowns.splice(i, 1);
    }
  }

  /** Read an expression of `scope`; `depth` bounds module/variable indirection. */
  expr(raw: unknown, scope: Scope, depth = 0): Expr | undefined {
    if (Array.isArray(raw)) return { kind: 'blocks', items: raw.map((x) => this.expr(x, scope, depth) ?? { kind: 'block', attrs: dataObject<Expr>() }) };
    if (!isObj(raw)) return undefined;
    // In JSON-syntax configurations (cdk.tf.json) terraform reports a template's raw text as
    // `constant_value` next to its `references`: the text is exact, as in cdk.tf.json.
    if ('constant_value' in raw) return constExpr(raw.constant_value);
    if ('references' in raw) {
      const chains: string[] = [];
      const dropped: string[] = [];
      for (const c of referenceChains(arr(raw.references) as string[])) this.rewrite(c, scope, depth, chains, dropped);
      return { kind: 'refs', chains, dropped };
    }
    const keys = Object.keys(raw);
    if (keys.length === 0) return undefined;
    const attrs: Record<string, Expr> = dataObject();
    for (const k of keys) {
      const e = this.expr(raw[k], scope, depth);
      if (e) attrs[k] = e;
    }
    return { kind: 'block', attrs };
  }

  /** One reference chain of `scope` → chains in document address space. */
  private rewrite(ref: string, scope: Scope, depth: number, into: string[], dropped: string[]): void {
    const root = ref.split(/[.[]/)[0];
    if (SKIP_ROOTS.has(root)) return;
    if (depth > 16) {
      dropped.push(ref);
      return;
    }
    if (root === 'local') {
      dropped.push(ref);
      return;
    }
    if (root === 'var') {
      const name = /^var\.([A-Za-z_][\w-]*)/.exec(ref)?.[1];
      if (!name) return;
      if (scope.parent && scope.callArgs) {
        const e = this.expr(scope.callArgs[name], scope.parent, depth + 1);
        if (e?.kind === 'refs') {
          into.push(...e.chains);
          dropped.push(...e.dropped);
        }
      }
      // Root variables (and constant module arguments) are in the planned values already.
      return;
    }
    if (root === 'module') {
      const m = MODULE_REF.exec(ref);
      if (!m) return;
      const call = obj(obj(scope.config.module_calls)[m[1]]);
      const child = obj(call.module);
      if (!m[3]) return; // the whole module object: its outputs are listed as separate chains
      const output = obj(obj(child.outputs)[m[3]]).expression;
      const childScope: Scope = { path: `${scope.path}module.${m[1]}${m[2]}.`, config: child, parent: scope, callArgs: obj(call.expressions) };
      const e = this.expr(output, childScope, depth + 1);
      if (e?.kind === 'refs') {
        into.push(...e.chains);
        dropped.push(...e.dropped);
      } else if (!e) dropped.push(ref);
      return;
    }
    into.push(`${scope.path}${ref}`);
  }

  // -------------------------------------------------------------------------------------------
  // Merging planned values over expressions
  // -------------------------------------------------------------------------------------------

  /** The value of an expression alone (nothing planned is known). */
  fromExpr(e: Expr | undefined, at: string, attr: string): unknown {
    if (!e) return undefined;
    switch (e.kind) {
      case 'const':
        return e.value;
      case 'refs':
        return this.refsValue(e, at, attr);
      case 'block': {
        const out: Json = {};
        for (const [k, v] of Object.entries(e.attrs)) {
          const x = this.fromExpr(v, at, `${attr}.${k}`);
          if (x !== undefined) setOwn(out, k, x);
        }
        return out;
      }
      case 'blocks':
        return e.items.map((x, i) => this.fromExpr(x, at, `${attr}[${i}]`));
    }
  }

  /** Like {@link fromExpr} without recording unknowns (outputs, provider settings). */
  fromExprQuiet(e: Expr | undefined): unknown {
    if (e?.kind === 'refs') return e.chains.length === 0 ? undefined : e.chains.map((c) => `\${${c}}`).join('');
    return this.fromExpr(e, '', '');
  }

  private refsValue(e: { chains: readonly string[]; dropped: readonly string[] }, at: string, attr: string): unknown {
    if (e.dropped.length > 0 && e.chains.length === 0) {
      this.unknown(at, `${attr} is only known after apply and depends on ${e.dropped.join(', ')}, which the plan does not describe`);
      return undefined;
    }
    if (e.chains.length === 0) return undefined;
    if (e.chains.length === 1 && e.dropped.length === 0) return `\${${e.chains[0]}}`;
    this.unknown(at, `${attr} is only known after apply and the plan lists only its references (${e.chains.join(', ')}), not its text; read as those references`);
    return e.chains.map((c) => `\${${c}}`).join('');
  }

  /**
   * Merge a planned (known) value over an expression. `unk` is the matching part of
   * `after_unknown` (true = unknown; arrays/objects mark parts).
   */
  merge(e: Expr | undefined, planned: unknown, unk: unknown, at: string, attr: string): unknown {
    if (unk === true) return this.fromExpr(e, at, attr);
    if (Array.isArray(planned)) {
      const unkArr = Array.isArray(unk) ? unk : [];
      if (e?.kind === 'blocks') {
        // A list of scalars with unknown elements may be a set, which terraform sorts (its
        // unknown elements last): match the configuration's elements by value, not by position.
        if (unkArr.includes(true) && e.items.every((x) => x.kind === 'const' && !isObj(x.value) && !Array.isArray(x.value))) {
          return this.fillScalarHoles(planned, unkArr, e.items.map((x) => (x as { value: unknown }).value), at, attr);
        }
        return planned.map((p, i) => this.merge(e.items[i], p, unkArr[i], at, `${attr}[${i}]`));
      }
      const holes = planned.map((p, i) => unkArr[i] === true || (p === null && unkArr[i] !== false && e?.kind === 'refs'));
      if (!holes.some(Boolean)) return planned.map((p, i) => (isObj(p) || Array.isArray(p) ? this.merge(undefined, p, unkArr[i], at, `${attr}[${i}]`) : p));
      return this.fillHoles(planned, holes, e, at, attr);
    }
    if (isObj(planned)) {
      const attrs = e?.kind === 'block' ? e.attrs : e?.kind === 'blocks' && e.items[0]?.kind === 'block' ? e.items[0].attrs : dataObject<Expr>();
      const unkObj = obj(unk);
      const out: Json = {};
      for (const k of new Set([...Object.keys(planned), ...Object.keys(attrs)])) {
        const v = k in planned ? this.merge(attrs[k], planned[k], unkObj[k], at, `${attr}.${k}`) : unkObj[k] === true ? this.fromExpr(attrs[k], at, `${attr}.${k}`) : undefined;
        if (v !== undefined && v !== null) setOwn(out, k, v);
      }
      allowObjectsToo(out);
      return out;
    }
    if (planned !== undefined && planned !== null) return planned;
    // Null or absent and not marked unknown: the expression, where it has references (e.g. a
    // value terraform did not list because no change entry exists), else nothing.
    if (planned === undefined || e?.kind === 'refs') return this.fromExpr(e, at, attr);
    return undefined;
  }

  /**
   * A list of scalars with unknown elements whose configuration is a list of constants (in
   * JSON syntax, templates keep their text): the known elements stay, and the configuration's
   * elements not among them fill the holes. When they do not match the holes one for one, all
   * of them are kept (more possible values, never fewer) and the list is recorded.
   */
  private fillScalarHoles(planned: readonly unknown[], unkArr: readonly unknown[], config: readonly unknown[], at: string, attr: string): unknown[] {
    const known = planned.filter((_, i) => unkArr[i] !== true);
    const rest = [...config];
    for (const p of known) {
      const j = rest.indexOf(p);
      if (j >= 0) rest.splice(j, 1);
    }
    const holeCount = planned.length - known.length;
    if (rest.length === holeCount) {
      let j = 0;
      return planned.map((p, i) => (unkArr[i] === true ? rest[j++] : p));
    }
    this.unknown(
      at,
      `${attr} has ${holeCount} element(s) only known after apply and ${rest.length} configured element(s) not among its known ones (${rest.join(', ') || 'none'}); read as all of them`,
    );
    return [...known, ...new Set(rest)];
  }

  /** A list with unknown elements: put the expression's reference chains into the holes. */
  private fillHoles(planned: readonly unknown[], holes: readonly boolean[], e: Expr | undefined, at: string, attr: string): unknown[] {
    const chains = e?.kind === 'refs' ? e.chains : [];
    const holeCount = holes.filter(Boolean).length;
    const iamList = /(^|\.)(resources|not_resources)$/.test(attr);
    const out: unknown[] = [];
    if (chains.length === holeCount) {
      const seen = new Set<string>();
      let j = 0;
      planned.forEach((p, i) => {
        if (!holes[i]) {
          out.push(p);
          return;
        }
        const c = chains[j++];
        // `[arn, "${arn}/*"]` is the one common reason to list the same reference twice.
        out.push(iamList && seen.has(c) && c.endsWith('.arn') ? `\${${c}}/*` : `\${${c}}`);
        seen.add(c);
      });
      return out;
    }
    planned.forEach((p, i) => {
      if (!holes[i]) out.push(p);
    });
    for (const c of new Set(chains)) out.push(`\${${c}}`);
    this.unknown(
      at,
      `${attr} has ${holeCount} element(s) only known after apply and ${chains.length} reference(s) (${chains.join(', ') || 'none'}); read as every reference`,
    );
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Walking modules and instances
// ---------------------------------------------------------------------------------------------

interface PlannedEntry {
  readonly address: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly values: Json;
  /** Module address of the instance (`module.a[0]`), empty at the root. */
  readonly module: string;
}

/** Every resource of a `values`-shaped module tree (planned_values / prior_state.values). */
function collectValues(root: unknown, into: Map<string, PlannedEntry>, moduleAddress = ''): void {
  const m = obj(root);
  for (const r of arr(m.resources)) {
    const x = obj(r);
    if (typeof x.address !== 'string') continue;
    into.set(x.address, {
      address: x.address,
      mode: String(x.mode ?? 'managed'),
      type: String(x.type ?? ''),
      name: String(x.name ?? ''),
      values: obj(x.values),
      module: moduleAddress,
    });
  }
  for (const c of arr(m.child_modules)) collectValues(c, into, typeof obj(c).address === 'string' ? (obj(c).address as string) : moduleAddress);
}

// Instance indices may be for_each keys holding `]` or `.` (`module.a["x]y"]`): see INDEX.
const INDICES = new RegExp(INDEX, 'g');
const MODULE_PREFIX = new RegExp(String.raw`^((?:module\.[A-Za-z_][\w-]*(?:${INDEX})?\.)*)`);
const MODULE_REF = new RegExp(String.raw`^module\.([A-Za-z_][\w-]*)((?:${INDEX})?)(?:\.([A-Za-z_][\w-]*))?`);

/** `module.a[0].module.b["x"]` → `module.a.module.b` (the configuration's module path). */
function stripIndices(moduleAddress: string): string {
  return moduleAddress.replace(INDICES, '');
}

/** The provider configuration key of a plan (`aws.keys`, or `module.x:aws` → `aws`). */
function providerKeyOf(raw: unknown, type: string): string {
  if (typeof raw === 'string' && raw.length > 0) return raw.slice(raw.lastIndexOf(':') + 1);
  return type.split('_')[0];
}

/**
 * Read one `terraform show -json` plan into a stack document. Throws {@link PlanInputError}
 * when the input is not a readable 1.x plan.
 */
export function loadPlanJson(stack: string, json: unknown, source = stack): TfDocument {
  validatePlanJson(json);
  const reader = new PlanReader(stack);
  const configuration = obj(json.configuration);

  const planned = new Map<string, PlannedEntry>();
  collectValues(obj(json.planned_values).root_module, planned);
  const prior = new Map<string, PlannedEntry>();
  collectValues(obj(obj(json.prior_state).values).root_module, prior);
  const afterUnknown = new Map<string, unknown>();
  for (const rc of arr(json.resource_changes)) {
    const x = obj(rc);
    if (typeof x.address === 'string') afterUnknown.set(x.address, obj(x.change).after_unknown);
  }

  // Instances by (config module path, bare address) so each configuration block finds its own.
  const instancesOf = new Map<string, string[]>();
  for (const addr of new Set([...planned.keys(), ...prior.keys()])) {
    const e = planned.get(addr) ?? prior.get(addr);
    if (!e) continue;
    const inModule = e.module ? addr.slice(e.module.length + 1) : addr;
    const k = `${stripIndices(e.module)}\u0000${bareAddress(inModule)}`;
    let list = instancesOf.get(k);
    if (!list) instancesOf.set(k, (list = []));
    list.push(addr);
  }

  const resources: TfResource[] = [];
  const walk = (scope: Scope, configPath: string): void => {
    for (const raw of arr(scope.config.resources)) {
      const c = obj(raw);
      const relAddress = typeof c.address === 'string' ? c.address : `${c.mode === 'data' ? 'data.' : ''}${String(c.type)}.${String(c.name)}`;
      const mode = c.mode === 'data' ? 'data' : 'managed';
      const type = String(c.type ?? '');
      const name = String(c.name ?? '');
      const provider = providerKeyOf(c.provider_config_key, type);
      const expressions = obj(c.expressions);
      const multi = 'count_expression' in c || 'for_each_expression' in c;
      const found = (instancesOf.get(`${configPath}\u0000${relAddress}`) ?? []).filter((a) => {
        // Only the instances of this module instance.
        const e = planned.get(a) ?? prior.get(a);
        return e !== undefined && (scope.path === '' ? e.module === '' : `${e.module}.` === scope.path);
      });
      const addresses = found.length > 0 ? found.sort(compareAddresses) : multi ? [] : [`${scope.path}${relAddress}`];
      for (const address of addresses) {
        const at = address;
        const base = prior.get(address)?.values ?? dataObject();
        const plan = planned.get(address)?.values;
        const unk = afterUnknown.get(address);
        const merged: Json = {};
        const keys = new Set([...Object.keys(expressions), ...Object.keys(base), ...Object.keys(plan ?? {})]);
        for (const k of keys) {
          const e = k in expressions ? reader.expr(expressions[k], scope) : undefined;
          const known = plan && k in plan ? plan[k] : base[k];
          const v = plan || k in base ? reader.merge(e, known, plan ? obj(unk)[k] : undefined, at, k) : reader.fromExpr(e, at, k);
          if (v !== undefined && v !== null) setOwn(merged, k, v);
          if (!(k in expressions) && plan && Array.isArray(plan[k]) && (plan[k] as unknown[]).some(isObj) && hasUnknownPart(obj(unk)[k]) && !reader.unknowns.some((u) => u.address === at && u.what.startsWith(k))) {
            reader.unknown(at, `${k} comes from a dynamic block, which the plan's configuration does not spell out; its parts only known after apply are not proven`);
          }
        }
        conservativePolicy(reader, type, merged, expressions, scope, at);
        resources.push({
          stack,
          mode,
          type,
          name,
          address,
          module: moduleOf(address),
          values: merged,
          provider,
        });
      }
    }
    for (const [callName, rawCall] of Object.entries(obj(scope.config.module_calls))) {
      const call = obj(rawCall);
      const childConfigPath = `${configPath ? `${configPath}.` : ''}module.${callName}`;
      // Module instances present in the plan (module.a, module.a[0], ...), else the plain path.
      const instances = new Set<string>();
      for (const e of [...planned.values(), ...prior.values()]) {
        if (!e.module) continue;
        const segs = e.module.split(/\.(?=module\.)/);
        const depth = childConfigPath.split(/\.(?=module\.)/).length;
        const prefix = segs.slice(0, depth).join('.');
        if (stripIndices(prefix) === childConfigPath && (scope.path === '' || prefix.startsWith(scope.path))) instances.add(prefix);
      }
      if (instances.size === 0) instances.add(`${scope.path}module.${callName}`);
      for (const inst of [...instances].sort(compareAddresses)) {
        walk({ path: `${inst}.`, config: obj(call.module), parent: scope, callArgs: obj(call.expressions) }, childConfigPath);
      }
    }
  };
  walk({ path: '', config: obj(configuration.root_module) }, '');

  const providers: TfProvider[] = [];
  for (const [key, raw] of Object.entries(obj(configuration.provider_config))) {
    const p = obj(raw);
    // Providers configured inside modules are keyed `module.x:aws`; the model knows root configs.
    if (key.includes(':')) continue;
    const type = typeof p.name === 'string' ? p.name : key.split('.')[0];
    const alias = typeof p.alias === 'string' ? p.alias : undefined;
    const rootScope: Scope = { path: '', config: obj(configuration.root_module) };
    const values = obj(reader.fromExpr(reader.expr(obj(p.expressions), rootScope), `provider.${key}`, 'provider'));
    if (alias) values.alias = alias;
    providers.push({ stack, key, type, alias, values });
  }

  const outputs: Record<string, unknown> = {};
  const rootScope: Scope = { path: '', config: obj(configuration.root_module) };
  const plannedOutputs = obj(obj(json.planned_values).outputs);
  for (const [name, raw] of Object.entries(obj(obj(configuration.root_module).outputs))) {
    const e = reader.expr(obj(raw).expression, rootScope);
    const known = obj(plannedOutputs[name]);
    setOwn(outputs, name, e?.kind === 'refs' && e.chains.length > 0 ? reader.fromExprQuiet(e) : 'value' in known ? known.value : reader.fromExprQuiet(e));
  }

  return { stack, source, resources, providers, backend: undefined, outputs, unknowns: reader.unknowns };
}

/**
 * An Allow statement whose `resources` lost their text: a lone `${bucket.arn}` may have been
 * `${bucket.arn}/*`; read it as both (over-reporting access, never hiding it). Deny
 * statements are left as read, so that a deny is never assumed.
 */
function allowObjectsToo(statement: Json): void {
  if (!Array.isArray(statement.resources) || statement.effect === 'Deny') return;
  const list = statement.resources as unknown[];
  const have = new Set(list.filter((x): x is string => typeof x === 'string'));
  for (const x of [...have]) {
    if (/^\$\{[^}]*\.arn\}$/.test(x) && !have.has(`${x}/*`)) list.push(`${x}/*`);
  }
}

/** True when an after_unknown value marks anything unknown. */
function hasUnknownPart(unk: unknown): boolean {
  if (unk === true) return true;
  if (Array.isArray(unk)) return unk.some(hasUnknownPart);
  return isObj(unk) && Object.values(unk).some(hasUnknownPart);
}

/** Module part of an instance address: `module.a[0].aws_x.y` → `module.a[0]`. */
function moduleOf(address: string): string {
  const m = MODULE_PREFIX.exec(address);
  return (m?.[1] ?? '').replace(/\.$/, '');
}

/** Instance order: numeric indices numerically, else as strings. */
function compareAddresses(a: string, b: string): number {
  const na = /\[(\d+)\]$/.exec(a)?.[1];
  const nb = /\[(\d+)\]$/.exec(b)?.[1];
  if (na !== undefined && nb !== undefined && bareAddress(a) === bareAddress(b)) return Number(na) - Number(nb);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Identity policy documents: attribute paths of the resource types that carry one. */
const IDENTITY_POLICY_TYPES = new Set(['aws_iam_user_policy', 'aws_iam_role_policy', 'aws_iam_group_policy', 'aws_iam_policy']);

/**
 * An identity policy whose text is only known after apply and that is more than one bare
 * reference (a `jsonencode` or a JSON template): the plan lost its text. Read it as unknown
 * actions on everything it references, so that a principal reaching two custody stores is
 * still caught; the unknown is recorded.
 */
function conservativePolicy(reader: PlanReader, type: string, values: Json, expressions: Json, scope: Scope, at: string): void {
  if (!IDENTITY_POLICY_TYPES.has(type)) return;
  const v = values.policy;
  if (typeof v !== 'string' || v.trim().startsWith('{')) return;
  const e = reader.expr(expressions.policy, scope);
  // One bare reference to a policy document (`data.aws_iam_policy_document.p.json`, another
  // policy's `policy`) is exact; anything else (an ARN inside jsonencode, a template) lost its text.
  if (e?.kind !== 'refs' || e.chains.length === 0) return;
  if (e.chains.length === 1 && /\.(json|minified_json|policy)$/.test(e.chains[0])) return;
  const resources = e.chains.flatMap((c) => (c.endsWith('.arn') ? [`\${${c}}`, `\${${c}}/*`] : [`\${${c}}`]));
  reader.forget(at, 'policy');
  values.policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'PlanUnknownPolicy', Effect: 'Allow', Action: UNKNOWN_ACTION, Resource: resources }] });
  reader.unknown(at, `policy is only known after apply and the plan does not hold its text; read conservatively as any action on ${e.chains.join(', ')}`);
}
