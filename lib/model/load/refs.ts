/**
 * Reading Terraform expressions as cdktf writes them: `${aws_s3_bucket.keys.arn}`,
 * `${data.aws_iam_policy_document.p.json}`, cross-stack remote-state outputs.
 * We never evaluate HCL; we only need to know which addresses an expression points at.
 */

/** A reference found inside `${...}`. */
export interface RawRef {
  /** `aws_s3_bucket.keys` or `data.aws_iam_policy_document.p` (with module prefix if any). */
  readonly address: string;
  /** First attribute after the address (`arn`, `id`, `json`, `outputs`). */
  readonly attr?: string;
  /** Remaining attribute path (e.g. the output name after `outputs`). */
  readonly path: readonly string[];
  /**
   * Instance key written right after the name (`[0]`, `["a"]`), if any. `address` stays
   * without it; the resolver tries `address + index` first (plan instances), then `address`.
   */
  readonly index?: string;
}

const NOT_RESOURCES = new Set(['var', 'local', 'each', 'count', 'path', 'self', 'terraform', 'module']);

/**
 * One instance index of an address or reference, as a RegExp source: `[0]`, `["key"]` (a
 * JSON-quoted for_each key, which may itself hold `]`, `.` or `\"`), or an expression
 * (`[count.index]`).
 */
export const INDEX = String.raw`\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\]`;

const TRAILING_INDEX = new RegExp(`${INDEX}$`);

/** An instance address without its trailing index: `aws_x.f["a]b"]` → `aws_x.f`. */
export function bareAddress(address: string): string {
  return address.replace(TRAILING_INDEX, '');
}

// [module.m[idx].]...type.name[index].attr.attr... ; types always hold an underscore except
// terraform_data's peers. The module prefix appears in plan JSON input (resources of child modules).
const REF_RE = new RegExp(
  String.raw`(?<![\w.-])((?:module\.[A-Za-z_][A-Za-z0-9_-]*(?:${INDEX})?\.)*)(data\.)?([a-z][a-z0-9]*_[a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)((?:${INDEX})?)((?:\.[A-Za-z_][A-Za-z0-9_-]*(?:${INDEX})?)*)`,
  'g',
);

/**
 * The Action of a policy statement whose actions are unknown (a policy the plan lost, a
 * statement that is an expression): not `*`, which would invent a write-and-delete grant on a
 * role that is plainly read-only. The access analysis reads it as a possible grant on what the
 * statement names.
 */
export const UNKNOWN_ACTION = '${unknown action}';

/** True when a string holds an interpolation. */
export function isExpression(v: unknown): v is string {
  return typeof v === 'string' && v.includes('${');
}

export type TemplatePart = { readonly lit: string } | { readonly expr: string };

/** A string split into literal parts and `${...}` bodies (braces balanced). */
export function splitTemplate(s: string): TemplatePart[] {
  const out: TemplatePart[] = [];
  let last = 0;
  let i = s.indexOf('${');
  while (i >= 0) {
    if (i > last) out.push({ lit: s.slice(last, i) });
    let depth = 0;
    let j = i + 2;
    for (; j < s.length; j++) {
      const c = s[j];
      if (c === '{') depth++;
      else if (c === '}') {
        if (depth === 0) break;
        depth--;
      }
    }
    out.push({ expr: s.slice(i + 2, j) });
    last = j + 1;
    i = s.indexOf('${', last);
  }
  if (last < s.length) out.push({ lit: s.slice(last) });
  return out;
}

/** The bodies of every `${...}` in a string, with nested braces balanced. */
export function interpolations(s: string): string[] {
  return splitTemplate(s).flatMap((p) => ('expr' in p ? [p.expr] : []));
}

/** Every resource/data reference inside a value (strings, arrays and objects, recursively). */
export function extractRefs(value: unknown, into: RawRef[] = []): RawRef[] {
  if (typeof value === 'string') {
    if (!value.includes('${')) return into;
    // The same templates (an ARN reference in every statement that names a bucket) are read
    // again for every principal and store the IAM evaluation pairs up: parse each string once.
    let refs = refsOfString.get(value);
    if (!refs) refsOfString.set(value, (refs = parseRefs(value)));
    for (const r of refs) into.push(r);
  } else if (Array.isArray(value)) {
    for (const v of value) extractRefs(v, into);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) extractRefs(v, into);
  }
  return into;
}

/**
 * A memo of pure string parses, emptied when it reaches `max` entries so that a long-lived
 * process (a watch loop, many synths) does not keep every string it ever saw.
 */
class StringMemo<T> {
  private readonly map = new Map<string, T>();
  constructor(private readonly max: number) {}
  get(k: string): T | undefined {
    return this.map.get(k);
  }
  set(k: string, v: T): void {
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(k, v);
  }
}

const refsOfString = new StringMemo<readonly RawRef[]>(100_000);

function parseRefs(value: string): RawRef[] {
  const into: RawRef[] = [];
  {
    for (const body of interpolations(value)) {
      for (const m of body.matchAll(REF_RE)) {
        const modulePrefix = m[1] ?? '';
        const isData = Boolean(m[2]);
        const type = m[3];
        if (!isData && NOT_RESOURCES.has(type)) continue;
        const rest = (m[6] ?? '')
          .split('.')
          .filter(Boolean)
          .map((p) => p.replace(/\[.*$/, ''));
        const ref: RawRef = { address: `${modulePrefix}${isData ? 'data.' : ''}${type}.${m[4]}`, attr: rest[0], path: rest.slice(1) };
        into.push(m[5] ? { ...ref, index: m[5] } : ref);
      }
    }
  }
  return into;
}

/**
 * When the whole string is one reference (`${aws_s3_bucket.k.arn}`), return it together
 * with any literal suffix (`${aws_s3_bucket.k.arn}/*` gives suffix `/*`).
 */
export function singleRef(value: string): SingleRef | undefined {
  const start = value.indexOf('${');
  if (start < 0) return undefined;
  const known = singleRefs.get(value);
  if (known !== undefined) return known === NONE ? undefined : known;
  const found = parseSingleRef(value, start);
  singleRefs.set(value, found ?? NONE);
  return found;
}

/** A string that is one reference, with the literal text around it. */
export interface SingleRef {
  readonly ref: RawRef;
  readonly prefix: string;
  readonly suffix: string;
}

const NONE = 'none';
const singleRefs = new StringMemo<SingleRef | typeof NONE>(100_000);

function parseSingleRef(value: string, start: number): SingleRef | undefined {
  const bodies = interpolations(value);
  if (bodies.length !== 1) return undefined;
  const body = bodies[0].trim();
  const refs = extractRefs('${' + body + '}');
  if (refs.length !== 1) return undefined;
  // Only a bare reference counts; a function call around it may change the value.
  if (!/^(module\.[A-Za-z_][A-Za-z0-9_-]*(\[[^\]]*\])?\.)*(data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*(\[[^\]]*\])?(\.[A-Za-z_][A-Za-z0-9_-]*(\[[^\]]*\])?)*$/.test(body)) return undefined;
  const end = start + 2 + bodies[0].length + 1;
  return { ref: refs[0], prefix: value.slice(0, start), suffix: value.slice(end) };
}

/** Nested blocks appear as an object or as a list of objects; always give a list. */
export function blocks(v: unknown): Record<string, unknown>[] {
  if (Array.isArray(v)) return v.filter((x): x is Record<string, unknown> => !!x && typeof x === 'object');
  if (v && typeof v === 'object') return [v as Record<string, unknown>];
  return [];
}

/** First block of a nested block attribute. */
export function block(v: unknown): Record<string, unknown> | undefined {
  return blocks(v)[0];
}

/** A string list attribute (a single string is a list of one). */
export function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'string') return [v];
  return [];
}

/** A literal string (no interpolation), else undefined. */
export function literal(v: unknown): string | undefined {
  return typeof v === 'string' && !v.includes('${') ? v : undefined;
}

/** A number or a numeric literal string. */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return undefined;
}

/** A boolean or a boolean literal string. */
export function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}
