/**
 * A reader for the subset of HCL that cdktf writes inside `${jsonencode(...)}`: objects,
 * tuples, strings, numbers, booleans, null and bare references (kept as `${ref}` strings so
 * the reference resolver can follow them). Policies written with `Fn.jsonencode` reach us
 * in this form, and reading them beats treating every such policy as unknown.
 */
import { dataObject } from './json';

class HclReader {
  private i = 0;
  constructor(private readonly s: string) {}

  static parse(s: string): unknown {
    const r = new HclReader(s);
    const v = r.value();
    r.ws();
    if (r.i !== r.s.length) throw new Error('trailing input');
    return v;
  }

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === ' ' || c === '\n' || c === '\t' || c === '\r') this.i++;
      else if (c === '#' || (c === '/' && s[this.i + 1] === '/')) {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else break;
    }
  }

  private value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.tuple();
    if (c === '"') return this.string();
    const num = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
    num.lastIndex = this.i;
    const n = num.exec(this.s);
    if (n) {
      this.i += n[0].length;
      return Number(n[0]);
    }
    const ident = /[A-Za-z_][\w-]*(?:\[[^\]]*\]|\.[A-Za-z_*][\w-]*|\.\d+)*/y;
    ident.lastIndex = this.i;
    const id = ident.exec(this.s);
    if (!id) throw new Error(`unexpected ${c}`);
    const start = this.i;
    this.i += id[0].length;
    if (id[0] === 'true') return true;
    if (id[0] === 'false') return false;
    if (id[0] === 'null') return null;
    this.ws();
    if (this.s[this.i] === '(') {
      this.i = this.skipBalanced(this.i, '(', ')');
      return '${' + this.s.slice(start, this.i) + '}';
    }
    return '${' + id[0] + '}';
  }

  private object(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = dataObject();
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      let k: string;
      if (this.s[this.i] === '"') k = this.string();
      else {
        const re = /[A-Za-z_][\w-]*/y;
        re.lastIndex = this.i;
        const m = re.exec(this.s);
        if (!m) throw new Error('bad key');
        k = m[0];
        this.i += k.length;
      }
      this.ws();
      if (this.s[this.i] !== '=' && this.s[this.i] !== ':') throw new Error('expected =');
      this.i++;
      out[k] = this.value();
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}' && !/[A-Za-z_"]/.test(this.s[this.i] ?? '')) throw new Error('expected ,');
    }
  }

  private tuple(): unknown[] {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === ']') {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== ']') throw new Error('expected ,');
    }
  }

  private string(): string {
    const [value, end] = readStringLiteral(this.s, this.i);
    this.i = end;
    return value;
  }

  private skipBalanced(at: number, open: string, close: string): number {
    return skipBalanced(this.s, at, open, close);
  }
}

/**
 * The HCL string literal that opens at `at` (a `"`): its value with escapes resolved and every
 * `${…}` kept as written, and the index after the closing quote. Throws on a template directive
 * (`%{…}`), which only Terraform can evaluate, and on an unterminated string.
 */
export function readStringLiteral(s: string, at: number): [string, number] {
  let i = at + 1;
  let out = '';
  while (i < s.length) {
    const c = s[i];
    if (c === '"') return [out, i + 1];
    if (c === '\\') {
      const e = s[i + 1];
      if (e === 'u') {
        out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
      i += 2;
      continue;
    }
    if (c === '$' && s[i + 1] === '{') {
      const end = skipBalanced(s, i + 1, '{', '}');
      out += s.slice(i, end);
      i = end;
      continue;
    }
    if (c === '%' && s[i + 1] === '{') throw new Error('template directive');
    out += c;
    i++;
  }
  throw new Error('unterminated string');
}

/** The index after the `close` that balances the `open` at `at`, skipping string literals and their templates. */
function skipBalanced(s: string, at: number, open: string, close: string): number {
  let depth = 0;
  let i = at;
  while (i < s.length) {
    const c = s[i];
    if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\') i++;
        else if (s[i] === '$' && s[i + 1] === '{') {
          i = skipBalanced(s, i + 1, '{', '}');
          continue;
        }
        i++;
      }
      i++;
      continue;
    }
    if (c === open) depth++;
    else if (c === close) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  throw new Error('unbalanced');
}

/** Parse `jsonencode({...})` (an interpolation body) into the value it encodes, or undefined. */
export function parseJsonencode(body: string): unknown {
  const m = /^\s*jsonencode\s*\(([\s\S]*)\)\s*$/.exec(body);
  if (!m) return undefined;
  try {
    return HclReader.parse(m[1]);
  } catch {
    return undefined;
  }
}
