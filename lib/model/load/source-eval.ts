/**
 * Expressions of the HCL source (as `@cdktf/hcl2json` writes them: `${…}` templates) put into
 * the address space of a plan document, so that the model reads them as it reads cdk.tf.json:
 *
 * - `var.x` becomes the module call's argument (evaluated in the caller), a root variable's
 *   value from the plan, or the variable's default;
 * - `local.x` becomes the local's expression, `module.m.out` the output's expression in `m`;
 * - `aws_x.y.arn` inside `module.m[0]` becomes `module.m[0].aws_x.y.arn`;
 * - a dynamic block's iterator (`rule.value.k`) becomes the element its `for_each` names.
 *
 * Nothing is computed: functions (`jsonencode`, `merge`, conditionals) stay text, with their
 * references rewritten; `jsonencode({...})` is then read by `hcl.ts` exactly as for cdk.tf.json.
 */
import { dataObject } from './json';
import { splitTemplate } from './refs';
import type { SourceModule, SourceTree } from './source';

type Json = Record<string, unknown>;

/** Where an expression is evaluated: one module instance. */
export interface SourceScope {
  /** Configuration path without instance keys (`''`, `module.a.module.b`). */
  readonly path: string;
  /** Address prefix of the instance (`''`, `module.a[0].`). */
  readonly prefix: string;
  readonly module: SourceModule;
  readonly parent?: SourceScope;
  /** The call's arguments (evaluated in `parent`). */
  readonly args?: Json;
  /** Root variable values the plan holds. */
  readonly rootVars?: Readonly<Record<string, unknown>>;
  /** Dynamic block iterators in force: name → the element read for it. */
  readonly iterators?: Readonly<Record<string, unknown>>;
}

const UNRESOLVED = Symbol('unresolved');

const TRAVERSAL = /[A-Za-z_][\w-]*(?:\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\]|\.[A-Za-z_][\w-]*|\.\d+)*/y;
const KEYWORDS = new Set(['true', 'false', 'null', 'for', 'in', 'if', 'else', 'endif', 'endfor']);
const RESOURCE_TYPE = /^[a-z][a-z0-9]*_[a-z0-9_]*$/;

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `a.b[0]["k"].c` → ['a', 'b', '[0]', '["k"]', 'c']. */
function segments(t: string): string[] {
  return t.match(/\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\]|[^.[\]]+/g) ?? [];
}

function indexKey(seg: string): string | number | undefined {
  const m = /^\[(.*)\]$/.exec(seg);
  if (!m) return undefined;
  if (/^\d+$/.test(m[1])) return Number(m[1]);
  try {
    const k = JSON.parse(m[1]) as unknown;
    return typeof k === 'string' ? k : undefined;
  } catch {
    return undefined;
  }
}

/** A value as HCL expression text (to stand where a reference stood inside a function call). */
export function hclText(v: unknown): string {
  if (typeof v === 'string') {
    const parts = splitTemplate(v);
    if (parts.length === 1 && 'expr' in parts[0]) {
      const body = parts[0].expr.trim();
      TRAVERSAL.lastIndex = 0;
      const m = TRAVERSAL.exec(body);
      return m && m[0].length === body.length ? body : `(${body})`;
    }
    return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(hclText).join(', ')}]`;
  if (isObj(v)) return `{ ${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)} = ${hclText(x)}`).join(', ')} }`;
  return 'null';
}

/**
 * Rewrite every traversal in the code parts of an HCL expression (not inside string
 * literals, except in their `${…}`), leaving function names, object keys and keywords.
 */
export function rewriteTraversals(s: string, fn: (t: string) => string | undefined): string {
  let out = '';
  let i = 0;
  const modes: ('code' | 'str')[] = [];
  const depths: number[] = [];
  let mode: 'code' | 'str' = 'code';
  let depth = 0;
  while (i < s.length) {
    const c = s[i];
    if (mode === 'str') {
      if (c === '\\') {
        out += s.slice(i, i + 2);
        i += 2;
      } else if (c === '$' && s[i + 1] === '$' && s[i + 2] === '{') {
        out += '$${';
        i += 3;
      } else if (c === '$' && s[i + 1] === '{') {
        out += '${';
        i += 2;
        modes.push('str');
        depths.push(depth);
        mode = 'code';
        depth = 0;
      } else if (c === '"') {
        out += c;
        i++;
        mode = modes.pop() ?? 'code';
      } else {
        out += c;
        i++;
      }
      continue;
    }
    if (c === '"') {
      modes.push('code');
      mode = 'str';
      out += c;
      i++;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') {
      if (depth === 0 && modes[modes.length - 1] === 'str') {
        mode = modes.pop() as 'str';
        depth = depths.pop() ?? 0;
        out += c;
        i++;
        continue;
      }
      depth--;
    }
    if (c === '#' || (c === '/' && s[i + 1] === '/')) {
      const end = s.indexOf('\n', i);
      const stop = end < 0 ? s.length : end;
      out += s.slice(i, stop);
      i = stop;
      continue;
    }
    const prev = i > 0 ? s[i - 1] : '';
    if (/[A-Za-z_]/.test(c) && !/[\w.\]-]/.test(prev)) {
      TRAVERSAL.lastIndex = i;
      const m = TRAVERSAL.exec(s);
      if (m) {
        const t = m[0];
        let j = i + t.length;
        while (s[j] === ' ' || s[j] === '\t') j++;
        const isCall = s[j] === '(';
        const isKey = (s[j] === '=' && s[j + 1] !== '=') || (s[j] === ':' && !t.includes('.'));
        const r = isCall || isKey || KEYWORDS.has(t) || !t.includes('.') ? undefined : fn(t);
        out += r ?? t;
        i += t.length;
        continue;
      }
    }
    out += c;
    i++;
  }
  // `"${"acme"}-keys"`: a reference that became a literal string is inlined into its template.
  return out.replace(/\$\{"((?:[^"\\$]|\\[^u])*)"\}/g, (_, lit: string) => JSON.parse(`"${lit}"`) as string);
}

/** Evaluates source expressions of one configuration (see the file comment). */
export class SourceEvaluator {
  constructor(private readonly tree: SourceTree) {}

  /** The scope of a module instance address (`''`, `module.a[0].module.b`). */
  scopeOf(moduleAddress: string, rootVars: Readonly<Record<string, unknown>>): SourceScope | undefined {
    const root = this.tree.get('');
    if (!root) return undefined;
    let scope: SourceScope = { path: '', prefix: '', module: root, rootVars };
    if (!moduleAddress) return scope;
    for (const seg of moduleAddress.split(/\.(?=module\.)/)) {
      const m = /^module\.([A-Za-z_][\w-]*)(.*)$/.exec(seg);
      if (!m) return undefined;
      const path = `${scope.path ? `${scope.path}.` : ''}module.${m[1]}`;
      const child = this.tree.get(path);
      const args = scope.module.calls[m[1]];
      if (!child || !args) return undefined;
      scope = { path, prefix: `${scope.prefix}${seg}.`, module: child, parent: scope, args, rootVars };
    }
    return scope;
  }

  /** A source value (string, list, object) in document address space. */
  value(v: unknown, scope: SourceScope, depth = 0): unknown {
    if (depth > 24) return v;
    if (typeof v === 'string') return this.template(v, scope, depth);
    if (Array.isArray(v)) return v.map((x) => this.value(x, scope, depth));
    if (isObj(v)) {
      const out: Json = dataObject();
      for (const [k, x] of Object.entries(v)) out[k] = this.value(x, scope, depth);
      return out;
    }
    return v;
  }

  private template(s: string, scope: SourceScope, depth: number): unknown {
    if (!s.includes('${')) return s;
    const parts = splitTemplate(s);
    if (parts.length === 1 && 'expr' in parts[0]) return this.expr(parts[0].expr, scope, depth);
    let out = '';
    for (const p of parts) {
      if ('lit' in p) {
        out += p.lit;
        continue;
      }
      const v = this.expr(p.expr, scope, depth);
      // A template inside a template concatenates; anything else is written as its text.
      out += typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : `\${${hclText(v)}}`;
    }
    return out;
  }

  /** One `${…}` body: a lone traversal gives its value; anything else stays text, rewritten. */
  private expr(body: string, scope: SourceScope, depth: number): unknown {
    const t = body.trim();
    TRAVERSAL.lastIndex = 0;
    const m = TRAVERSAL.exec(t);
    if (m && m[0].length === t.length && t.includes('.')) {
      const v = this.traversal(t, scope, depth);
      return v === UNRESOLVED ? `\${${t}}` : v;
    }
    const rewritten = rewriteTraversals(body, (x) => {
      const v = this.traversal(x, scope, depth);
      return v === UNRESOLVED ? undefined : hclText(v);
    });
    return `\${${rewritten}}`;
  }

  /** The value a traversal stands for, or UNRESOLVED (kept as written). */
  traversal(t: string, scope: SourceScope, depth: number): unknown {
    const segs = segments(t);
    const [root, name] = segs;
    if (depth > 24 || name === undefined) return UNRESOLVED;
    if (scope.iterators && Object.hasOwn(scope.iterators, root)) {
      if (name !== 'value') return UNRESOLVED;
      return this.path(scope.iterators[root], segs.slice(2), scope);
    }
    switch (root) {
      case 'var': {
        let v: unknown;
        if (scope.parent && scope.args && Object.hasOwn(scope.args, name)) v = this.value(scope.args[name], scope.parent, depth + 1);
        else if (!scope.parent && scope.rootVars && Object.hasOwn(scope.rootVars, name)) v = scope.rootVars[name];
        else if (Object.hasOwn(scope.module.defaults, name)) v = this.value(scope.module.defaults[name], scope, depth + 1);
        else return UNRESOLVED;
        return this.path(v, segs.slice(2), scope);
      }
      case 'local':
        if (!Object.hasOwn(scope.module.locals, name)) return UNRESOLVED;
        return this.path(this.value(scope.module.locals[name], scope, depth + 1), segs.slice(2), scope);
      case 'module': {
        const path = `${scope.path ? `${scope.path}.` : ''}module.${name}`;
        const child = this.tree.get(path);
        const args = scope.module.calls[name];
        let rest = segs.slice(2);
        let key = '';
        if (rest[0]?.startsWith('[')) {
          key = rest[0];
          rest = rest.slice(1);
        }
        const out = rest[0];
        if (!child || !args || out === undefined || !Object.hasOwn(child.outputs, out)) return UNRESOLVED;
        const childScope: SourceScope = { path, prefix: `${scope.prefix}module.${name}${key}.`, module: child, parent: scope, args, rootVars: scope.rootVars };
        return this.path(this.value(child.outputs[out], childScope, depth + 1), rest.slice(1), scope);
      }
      case 'data':
        return RESOURCE_TYPE.test(name) ? `\${${scope.prefix}${t}}` : UNRESOLVED;
      default:
        return RESOURCE_TYPE.test(root) ? `\${${scope.prefix}${t}}` : UNRESOLVED;
    }
  }

  /** Follow `.attr` / `[i]` into a value; into a reference it appends to the reference. */
  private path(v: unknown, rest: readonly string[], scope: SourceScope): unknown {
    let cur = v;
    for (let i = 0; i < rest.length; i++) {
      const seg = rest[i];
      const k = indexKey(seg);
      if (Array.isArray(cur) && typeof k === 'number') cur = cur[k];
      else if (isObj(cur) && Object.hasOwn(cur, k === undefined ? seg : String(k))) cur = cur[k === undefined ? seg : String(k)];
      else if (typeof cur === 'string' && /^\$\{[^{}]*\}$/.test(cur)) {
        const tail = rest.slice(i).map((x) => (x.startsWith('[') ? x : `.${x}`)).join('');
        return `${cur.slice(0, -1)}${tail}}`;
      } else return cur === undefined || cur === null ? cur : UNRESOLVED;
    }
    void scope;
    return cur;
  }

  /**
   * The element a dynamic block's `for_each` gives its iterator, read from the one collection
   * the expression names (`var.enc == null ? [] : [var.enc]` → the value of `var.enc`).
   */
  forEachElement(forEach: unknown, scope: SourceScope): unknown {
    if (Array.isArray(forEach)) return this.value(forEach[0], scope);
    if (isObj(forEach)) return this.value(Object.values(forEach)[0], scope);
    if (typeof forEach !== 'string') return undefined;
    const found: string[] = [];
    const parts = splitTemplate(forEach);
    for (const p of parts) if ('expr' in p) rewriteTraversals(p.expr, (t) => (found.push(t), undefined));
    const candidates = [...new Set(found)];
    if (candidates.length !== 1) return undefined;
    const v = this.traversal(candidates[0], scope, 0);
    if (v === UNRESOLVED) return undefined;
    // `[var.enc]` wraps one object; `var.list` is a list of them; a map's values are the elements.
    if (Array.isArray(v)) return v[0];
    const wrapped = new RegExp(String.raw`\[\s*${candidates[0].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\s*\]`).test(forEach);
    if (wrapped || !isObj(v)) return v;
    const values = Object.values(v);
    return values.every(isObj) && values.length > 0 ? values[0] : v;
  }
}
