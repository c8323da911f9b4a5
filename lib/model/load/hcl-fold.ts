/**
 * Constant folding of the HCL expressions module code is written in, for a configuration
 * without a plan (a cdk.tf.json calling an HCL module): `merge(var.tags, local.role_tags)`,
 * `var.role == null ? {} : { "custody:role" = var.role }`, `concat`, `coalesce`, `lookup`,
 * `try`, `tomap`/`tolist`/`toset`. A plan has these values computed; without one the module's
 * tags would stay text and its buckets would be no custody stores at all.
 *
 * Only what is certain is folded. A reference (`aws_s3_bucket.this.arn`) stays a `${…}`
 * string where it is a leaf of an object or a list; anything that needs its value (a
 * comparison, a condition, an unknown function) leaves the whole expression as written.
 * `jsonencode` is left to hcl.ts, which reads it statement by statement.
 */
import { dataObject } from './json';
import { readStringLiteral } from './hcl';
import { splitTemplate } from './refs';

type Json = Record<string, unknown>;

/** A value the expression cannot know here: the text it stands for. */
class Opaque {
  constructor(readonly text: string) {}
}

/** The expression is outside the subset: leave it as written. */
class Unsupported extends Error {}

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Opaque);
}

/** True when a value holds nothing unknown (no opaque part, no `${…}` string). */
function known(v: unknown): boolean {
  if (v instanceof Opaque) return false;
  if (typeof v === 'string') return !v.includes('${');
  if (Array.isArray(v)) return v.every(known);
  if (isObj(v)) return Object.values(v).every(known);
  return true;
}

/** Opaque leaves become `${text}` strings, as cdktf and hcl.ts write references. */
function plain(v: unknown): unknown {
  if (v instanceof Opaque) return `\${${v.text}}`;
  if (Array.isArray(v)) return v.map(plain);
  if (isObj(v)) {
    const out: Json = dataObject();
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  return v;
}

const FUNCTIONS: Readonly<Record<string, (args: unknown[]) => unknown>> = {
  merge: (args) => {
    if (!args.every((a) => a === null || isObj(a))) throw new Unsupported();
    return Object.assign(dataObject(), ...args.filter(isObj));
  },
  concat: (args) => {
    if (!args.every(Array.isArray)) throw new Unsupported();
    return args.flat();
  },
  coalesce: (args) => {
    for (const a of args) {
      if (!known(a)) throw new Unsupported();
      if (a !== null && a !== '') return a;
    }
    throw new Unsupported();
  },
  try: (args) => {
    if (args.length === 0 || !known(args[0])) throw new Unsupported();
    return args[0];
  },
  lookup: ([map, key, fallback]) => {
    if (!isObj(map) || typeof key !== 'string' || !known(key)) throw new Unsupported();
    if (Object.hasOwn(map, key)) return map[key];
    if (fallback === undefined) throw new Unsupported();
    return fallback;
  },
  // A list's length is known even where its elements are references.
  length: ([v]) => {
    if (Array.isArray(v)) return v.length;
    if (isObj(v)) return Object.keys(v).length;
    if (typeof v === 'string' && known(v)) return [...v].length;
    throw new Unsupported();
  },
  tomap: ([v]) => {
    if (!isObj(v)) throw new Unsupported();
    return v;
  },
  tolist: ([v]) => {
    if (!Array.isArray(v)) throw new Unsupported();
    return v;
  },
  toset: ([v]) => {
    if (!Array.isArray(v) || !known(v)) throw new Unsupported();
    return [...new Set(v.map((x) => JSON.stringify(x)))].map((x) => JSON.parse(x) as unknown);
  },
};

class Folder {
  private i = 0;
  constructor(private readonly s: string) {}

  run(): unknown {
    const v = this.expr();
    this.ws();
    if (this.i !== this.s.length) throw new Unsupported();
    return v;
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  private eat(t: string): boolean {
    this.ws();
    if (this.s.startsWith(t, this.i)) {
      this.i += t.length;
      return true;
    }
    return false;
  }

  private expr(): unknown {
    const start = this.i;
    const cond = this.or();
    if (!this.eat('?')) return cond;
    const a = this.expr();
    if (!this.eat(':')) throw new Unsupported();
    const b = this.expr();
    if (typeof cond !== 'boolean') return new Opaque(this.s.slice(start, this.i).trim());
    return cond ? a : b;
  }

  private binary(next: () => unknown, ops: readonly string[], apply: (op: string, a: unknown, b: unknown) => unknown): unknown {
    const start = this.i;
    let left = next();
    for (;;) {
      this.ws();
      const op = ops.find((o) => this.s.startsWith(o, this.i));
      if (!op) return left;
      this.i += op.length;
      const right = next();
      left = known(left) && known(right) ? apply(op, left, right) : new Opaque(this.s.slice(start, this.i).trim());
    }
  }

  private or(): unknown {
    return this.binary(() => this.and(), ['||'], (_, a, b) => {
      if (typeof a !== 'boolean' || typeof b !== 'boolean') throw new Unsupported();
      return a || b;
    });
  }

  private and(): unknown {
    return this.binary(() => this.eq(), ['&&'], (_, a, b) => {
      if (typeof a !== 'boolean' || typeof b !== 'boolean') throw new Unsupported();
      return a && b;
    });
  }

  private eq(): unknown {
    return this.binary(() => this.cmp(), ['==', '!='], (op, a, b) => (JSON.stringify(a) === JSON.stringify(b)) === (op === '=='));
  }

  private cmp(): unknown {
    return this.binary(() => this.unary(), ['>=', '<=', '>', '<'], (op, a, b) => {
      if (typeof a !== 'number' || typeof b !== 'number') throw new Unsupported();
      return op === '>=' ? a >= b : op === '<=' ? a <= b : op === '>' ? a > b : a < b;
    });
  }

  private unary(): unknown {
    this.ws();
    if (this.s[this.i] === '!' && this.s[this.i + 1] !== '=') {
      const start = this.i++;
      const v = this.unary();
      if (typeof v === 'boolean') return !v;
      if (known(v)) throw new Unsupported();
      return new Opaque(this.s.slice(start, this.i).trim());
    }
    return this.primary();
  }

  private primary(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === '(') {
      this.i++;
      const v = this.expr();
      if (!this.eat(')')) throw new Unsupported();
      return v;
    }
    if (c === '{') return this.object();
    if (c === '[') return this.tuple();
    if (c === '"') return this.string();
    const num = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    num.lastIndex = this.i;
    const n = num.exec(this.s);
    if (n) {
      this.i += n[0].length;
      return Number(n[0]);
    }
    const ident = /[A-Za-z_][\w-]*(?:\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\]|\.[A-Za-z_*][\w-]*|\.\d+)*/y;
    ident.lastIndex = this.i;
    const id = ident.exec(this.s);
    if (!id) throw new Unsupported();
    const start = this.i;
    this.i += id[0].length;
    if (id[0] === 'true') return true;
    if (id[0] === 'false') return false;
    if (id[0] === 'null') return null;
    if (id[0] === 'for') throw new Unsupported();
    this.ws();
    if (this.s[this.i] !== '(') return new Opaque(id[0]);
    this.i++;
    const args: unknown[] = [];
    while (!this.eat(')')) {
      args.push(this.expr());
      if (this.eat('...')) throw new Unsupported();
      if (!this.eat(',') && !this.s.startsWith(')', (this.ws(), this.i))) throw new Unsupported();
    }
    const fn = Object.hasOwn(FUNCTIONS, id[0]) ? FUNCTIONS[id[0]] : undefined;
    const text = this.s.slice(start, this.i);
    if (!fn || args.some((a) => a instanceof Opaque)) return new Opaque(text);
    try {
      return fn(args);
    } catch (e) {
      if (e instanceof Unsupported) return new Opaque(text);
      throw e;
    }
  }

  private object(): Json {
    this.i++;
    const out: Json = dataObject();
    for (;;) {
      if (this.eat('}')) return out;
      this.ws();
      let k: unknown;
      if (this.s[this.i] === '"') k = this.string();
      else {
        const m = /[A-Za-z_][\w-]*/y;
        m.lastIndex = this.i;
        const id = m.exec(this.s);
        if (!id || id[0] === 'for') throw new Unsupported();
        k = id[0];
        this.i += id[0].length;
      }
      if (typeof k !== 'string' || k.includes('${')) throw new Unsupported();
      if (!this.eat('=') && !this.eat(':')) throw new Unsupported();
      out[k] = this.expr();
      this.eat(',');
    }
  }

  private tuple(): unknown[] {
    this.i++;
    const out: unknown[] = [];
    this.ws();
    if (this.s.startsWith('for ', this.i)) throw new Unsupported();
    while (!this.eat(']')) {
      out.push(this.expr());
      if (!this.eat(',') && !this.s.startsWith(']', (this.ws(), this.i))) throw new Unsupported();
    }
    return out;
  }

  /** A string literal; a template inside it stays as written (`"${x}/*"`), a directive is not folded. */
  private string(): string {
    try {
      const [value, end] = readStringLiteral(this.s, this.i);
      this.i = end;
      return value;
    } catch {
      throw new Unsupported();
    }
  }
}

/** One `${…}` body folded, or undefined when it is not certain (see the file comment). */
export function foldExpression(body: string): unknown {
  try {
    const v = new Folder(body).run();
    return v instanceof Opaque ? undefined : plain(v);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}

/** A value with every string that is one foldable `${…}` replaced by what it folds to. */
export function foldValue(v: unknown): unknown {
  if (typeof v === 'string') {
    if (!v.includes('${')) return v;
    const parts = splitTemplate(v);
    if (parts.length !== 1 || !('expr' in parts[0])) return v;
    const folded = foldExpression(parts[0].expr);
    return folded === undefined ? v : folded;
  }
  if (Array.isArray(v)) return v.map(foldValue);
  if (isObj(v)) {
    const out: Json = dataObject();
    for (const [k, x] of Object.entries(v)) out[k] = foldValue(x);
    return out;
  }
  return v;
}
