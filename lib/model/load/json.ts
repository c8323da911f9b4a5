/**
 * The one reader of user JSON files: `cdk.tf.json`, hand-written `*.tf.json`, `terraform show
 * -json` plans and the cdktf manifest. `JSON.parse` is not safe for that job:
 *
 * - it keeps only the last of repeated keys, where Terraform's JSON syntax merges repeated
 *   block keys (two `"resource"` objects, one resource type twice) and plans every resource in
 *   them, so a hand-written file could hide a resource from the check;
 * - its error messages quote the text around the error, which may be a key pasted in by mistake;
 * - it recurses without bound ("Maximum call stack size exceeded") and reads UTF-16 as garbage.
 *
 * Here the text is tokenized by `jsonc-parser` (comments and trailing commas refused, so only
 * strict JSON passes) into a tree that keeps every property in order, duplicates included.
 * That tree then becomes plain data in one of two ways:
 *
 * - Terraform JSON ({@link terraformJsonOf}): repeated keys merged where Terraform merges them;
 *   the same resource, output, variable or module declared twice, and a repeated argument, are
 *   errors (Terraform refuses both);
 * - any other JSON ({@link plainJsonOf}): a repeated key is an error (`terraform show -json` and
 *   cdktf never write one, so one means the file was edited or damaged).
 *
 * Objects are made with {@link dataObject}: no `Object.prototype` above them, so that a key
 * named `__proto__`, `constructor`, `toString` or `hasOwnProperty` is ordinary data, and a
 * look-up of such a name finds data or nothing. Errors say where (line, column) and what kind
 * of problem, and never quote the file.
 */
import type * as Jsonc from 'jsonc-parser';

/**
 * jsonc-parser, loaded on first use: the synth-time check reads cdk.tf.json files that cdktf
 * has just written with `JSON.parse` ({@link parseWrittenTerraformJson}), so a synth never
 * needs the tokenizer and should not pay for loading its six modules.
 */
let jsoncParser: typeof Jsonc | undefined;
function jsonc(): typeof Jsonc {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily on purpose, see above
  return (jsoncParser ??= require('jsonc-parser') as typeof Jsonc);
}

/** Nesting deeper than this is refused: far beyond any Terraform configuration or plan, far below the stack limit. */
export const MAX_JSON_DEPTH = 256;

const DEEP = `nested deeper than ${MAX_JSON_DEPTH} levels`;
const DEEP_FIX = '; Terraform configurations and plans nest far less, so this is not one (or it is damaged): produce it again';

/** Top-level keys of Terraform's JSON configuration syntax. */
export const TERRAFORM_JSON_BLOCKS: ReadonlySet<string> = new Set(['//', 'resource', 'data', 'provider', 'terraform', 'output', 'variable', 'locals', 'module', 'moved', 'import', 'check', 'removed']);

/** A JSON file that cannot be read. The message is one line: kind and position, never file content. */
export class JsonReadError extends Error {
  constructor(
    message: string,
    /** `syntax`: not JSON at all; `encoding`: not UTF-8; `content`: JSON that Terraform would refuse. */
    readonly kind: 'syntax' | 'encoding' | 'content' = 'content',
  ) {
    super(message);
    this.name = 'JsonReadError';
  }
}

// Objects made here inherit only this: no string-keyed members (so no name a file can hold is
// inherited), and a Symbol.toPrimitive so that `String(obj)` and template literals still give
// "[object Object]" as they do for ordinary objects (an object with a null prototype throws there).
const DATA_PROTO: object = Object.freeze(
  Object.create(null, {
    [Symbol.toPrimitive]: { value: () => '[object Object]', enumerable: false },
  }) as object,
);

/** A new empty object whose look-ups find only its own keys (see the file comment). */
export function dataObject<T = unknown>(): Record<string, T> {
  return Object.create(DATA_PROTO) as Record<string, T>;
}

/**
 * Set `o[k]` as an own data property, also for `k === '__proto__'` (a plain assignment of that
 * key to an ordinary object replaces its prototype instead). For the ordinary objects model code
 * builds from file data.
 */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** True for an object made by {@link dataObject} (or a parse of this module). */
export function isDataObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === DATA_PROTO;
}

/** Where a file came from, for positions in messages. */
interface Source {
  readonly file: string;
  /** The file's text; undefined for data that was never text (see {@link rawJsonOf}). */
  readonly text?: string;
}

/** A JSON object as written: every property in order, repeated keys included. */
class RawObject {
  readonly keys: string[] = [];
  readonly values: RawValue[] = [];
  /** Offset of each property's key in the text (-1 when built from data). */
  readonly at: number[] = [];
  constructor(readonly source: Source | undefined) {}
}

type RawValue = null | boolean | number | string | RawValue[] | RawObject;

/** One parsed file: the tree, kept until it is turned into data. */
export interface RawJson {
  readonly root: RawValue;
  readonly source: Source;
}

let kinds: Readonly<Record<number, string>> | undefined;
/** What each jsonc-parser error code means, in words. */
function kindsOf(): Readonly<Record<number, string>> {
  const { ParseErrorCode } = jsonc();
  return (kinds ??= {
    [ParseErrorCode.InvalidSymbol]: 'unexpected character',
    [ParseErrorCode.InvalidNumberFormat]: 'invalid number',
    [ParseErrorCode.PropertyNameExpected]: 'a property name in double quotes was expected',
    [ParseErrorCode.ValueExpected]: 'a value was expected',
    [ParseErrorCode.ColonExpected]: '":" was expected',
    [ParseErrorCode.CommaExpected]: '"," was expected',
    [ParseErrorCode.CloseBraceExpected]: '"}" was expected',
    [ParseErrorCode.CloseBracketExpected]: '"]" was expected',
    [ParseErrorCode.EndOfFileExpected]: 'text follows the end of the JSON value',
    [ParseErrorCode.InvalidCommentToken]: 'comments are not JSON',
    [ParseErrorCode.UnexpectedEndOfComment]: 'a comment is not closed',
    [ParseErrorCode.UnexpectedEndOfString]: 'a string is not closed on its line',
    [ParseErrorCode.UnexpectedEndOfNumber]: 'a number is cut off',
    [ParseErrorCode.InvalidUnicode]: 'invalid \\u escape',
    [ParseErrorCode.InvalidEscapeCharacter]: 'invalid escape sequence',
    [ParseErrorCode.InvalidCharacter]: 'a control character inside a string (write it escaped)',
  });
}

/** `line L, column C` (1-based; columns count UTF-16 units) of an offset, counting line breaks as the scanner does. */
function position(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return `line ${line}, column ${offset - start + 1}`;
}

/** `line L, column C` of an offset, or `in <file>` for data that came from no text. */
function at(source: Source | undefined, offset: number): string {
  if (source?.text === undefined || offset < 0) return `in ${source?.file ?? 'the input'}`;
  return `at ${position(source.text, offset)}`;
}

/** Where a property was declared, with its file (declarations may come from several files). */
function declaredIn(o: RawObject, i: number): string {
  const file = o.source?.file ?? 'the input';
  return o.at[i] >= 0 && o.source?.text !== undefined ? `${file} ${position(o.source.text, o.at[i])}` : file;
}

/**
 * The text of a JSON file: UTF-8 (a byte-order mark is dropped). UTF-16 and UTF-32 (byte-order
 * mark or the NUL bytes of ASCII text) and bytes that are not UTF-8 are refused by kind.
 */
export function decodeJsonBytes(buf: Uint8Array): string {
  const b = (i: number) => (i < buf.length ? buf[i] : -1);
  if ((b(0) === 0xff && b(1) === 0xfe && b(2) === 0 && b(3) === 0) || (b(0) === 0 && b(1) === 0 && b(2) === 0xfe && b(3) === 0xff) || (b(0) > 0 && b(1) === 0 && b(2) === 0 && b(3) === 0) || (b(0) === 0 && b(1) === 0 && b(2) === 0 && b(3) > 0)) {
    throw new JsonReadError('file is UTF-32; Terraform JSON is UTF-8', 'encoding');
  }
  if ((b(0) === 0xff && b(1) === 0xfe) || (b(0) === 0xfe && b(1) === 0xff) || (b(0) > 0 && b(1) === 0 && b(2) > 0 && b(3) === 0) || (b(0) === 0 && b(1) > 0 && b(2) === 0 && b(3) > 0)) {
    throw new JsonReadError('file is UTF-16; Terraform JSON is UTF-8', 'encoding');
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new JsonReadError('file is not UTF-8 text; Terraform JSON is UTF-8', 'encoding');
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Tokenize strict JSON into a tree that keeps repeated keys. Throws {@link JsonReadError}
 * naming the first problem's kind and position (`file` is used in messages only).
 */
export function readJsonText(text: string, file: string): RawJson {
  const source: Source = { file, text };
  const stack: (RawObject | RawValue[])[] = [];
  let root: RawValue | undefined;
  let key = '';
  let keyAt = -1;
  const put = (v: RawValue): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) root = v;
    else if (Array.isArray(top)) top.push(v);
    else {
      top.keys.push(key);
      top.values.push(v);
      top.at.push(keyAt);
    }
  };
  const open = (v: RawObject | RawValue[], offset: number): void => {
    if (stack.length >= MAX_JSON_DEPTH) throw new JsonReadError(`${DEEP} ${at(source, offset)}${DEEP_FIX}`);
    put(v);
    stack.push(v);
  };
  jsonc().visit(
    text,
    {
      onObjectBegin: (offset) => open(new RawObject(source), offset),
      onObjectProperty: (name, offset) => {
        key = name;
        keyAt = offset;
      },
      onObjectEnd: () => void stack.pop(),
      onArrayBegin: (offset) => open([], offset),
      onArrayEnd: () => void stack.pop(),
      onLiteralValue: (value: unknown) => put(value as RawValue),
      onError: (code, offset) => {
        throw new JsonReadError(`${kindsOf()[code] ?? 'not JSON'} ${at(source, offset)}`, 'syntax');
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  if (root === undefined) throw new JsonReadError(`a value was expected ${at(source, 0)}`, 'syntax');
  return { root, source };
}

// ---------------------------------------------------------------------------------------------
// Plain JSON: repeated keys refused
// ---------------------------------------------------------------------------------------------

/**
 * A name safe to show in a message: a short identifier-like name (Terraform's resource types
 * and names, arguments, block keys), not something that could be a key pasted in by mistake
 * (a long run of letters and digits) or that holds control characters.
 */
export function isShowableName(k: string): boolean {
  return /^[A-Za-z_][\w.:/-]{0,63}$/.test(k) && (k.length <= 24 || /[_.:/-]/.test(k));
}

function shownKey(k: string): string {
  return isShowableName(k) ? ` "${k}"` : '';
}

/** A label for messages: the name when {@link isShowableName}, else a placeholder (the position says which). */
function label(k: string): string {
  return isShowableName(k) ? k : '<name not shown>';
}

function duplicate(o: RawObject, i: number, first: number): JsonReadError {
  const earlier = o.at[first] >= 0 && o.source?.text !== undefined ? ` (first at ${position(o.source.text, o.at[first])})` : '';
  return new JsonReadError(`repeated key${shownKey(o.keys[i])} ${at(o.source, o.at[i])}${earlier}`);
}

/** Plain data of a tree; a repeated key anywhere is an error. */
function plain(v: RawValue): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (!(v instanceof RawObject)) return v;
  const out = dataObject();
  const seen = new Map<string, number>();
  for (let i = 0; i < v.keys.length; i++) {
    const k = v.keys[i];
    const first = seen.get(k);
    if (first !== undefined) {
      const e = duplicate(v, i, first);
      throw new JsonReadError(`${e.message}: Terraform and cdktf never write a key twice, so the file was edited or damaged; produce it again (\`cdktf synth\`, \`terraform show -json\`)`);
    }
    seen.set(k, i);
    out[k] = plain(v.values[i]);
  }
  return out;
}

/** Plain data of a parsed file; a repeated key anywhere is a {@link JsonReadError}. */
export function plainJsonOf(raw: RawJson): unknown {
  return plain(raw.root);
}

// ---------------------------------------------------------------------------------------------
// Terraform JSON: repeated keys merged as Terraform does
// ---------------------------------------------------------------------------------------------

/** True when a parsed file has the shape of Terraform JSON configuration (only block keys at the top). */
export function looksLikeTerraformJson(raw: RawJson): boolean {
  const r = raw.root;
  return r instanceof RawObject && r.keys.length > 0 && r.keys.every((k) => TERRAFORM_JSON_BLOCKS.has(k)) && r.keys.some((k) => k !== '//');
}

/** Map attributes, never nested blocks: repeating one is always Terraform's "Duplicate argument". */
const MAP_ARGUMENTS = new Set(['tags', 'tags_all']);

function isBlockValue(v: RawValue): boolean {
  return v instanceof RawObject || (Array.isArray(v) && v.length > 0 && v.every((x) => x instanceof RawObject));
}

/**
 * The body of a block (a resource, a nested block, ...), as Terraform reads it without the
 * provider schema: a key repeated with object values is a repeated nested block (Terraform
 * makes one block per occurrence, here a list of them); a key repeated with any other value is
 * a repeated argument, which Terraform refuses.
 */
function body(v: RawValue, what: string): unknown {
  if (Array.isArray(v)) return v.map((x) => body(x, what));
  if (!(v instanceof RawObject)) return v;
  const out = dataObject();
  const seen = new Map<string, number>();
  // The lists that repeated nested blocks are collected in, by key.
  const lists = new Map<string, unknown[]>();
  for (let i = 0; i < v.keys.length; i++) {
    const k = v.keys[i];
    const first = seen.get(k);
    if (first === undefined) {
      seen.set(k, i);
      out[k] = body(v.values[i], what);
      continue;
    }
    if (MAP_ARGUMENTS.has(k) || !isBlockValue(v.values[first]) || !isBlockValue(v.values[i])) {
      const e = duplicate(v, i, first);
      throw new JsonReadError(`${e.message} in ${what}: Terraform refuses an argument given twice; keep one`);
    }
    let list = lists.get(k);
    if (!list) {
      const prev = out[k];
      lists.set(k, (list = Array.isArray(prev) ? prev : [prev]));
      out[k] = list;
    }
    appendTo(list, body(v.values[i], what));
  }
  return out;
}

/** Append one value or each value of a list (in place: merging k repeats stays linear). */
function appendTo(list: unknown[], next: unknown): void {
  if (Array.isArray(next)) for (const x of next) list.push(x);
  else list.push(next);
}

/** Each object of a value that may be one object or a list of them (Terraform JSON allows both at label levels). */
function objectsOf(v: RawValue): RawObject[] {
  if (v instanceof RawObject) return [v];
  if (Array.isArray(v)) return v.filter((x): x is RawObject => x instanceof RawObject);
  return [];
}

/** Where a property was declared, for "declared twice" messages. */
interface Declared {
  readonly o: RawObject;
  readonly i: number;
}

function declaredAt(d: Declared): string {
  return declaredIn(d.o, d.i);
}

/** Collects the merged configuration, remembering where each named thing was declared. */
class TerraformMerge {
  readonly out = dataObject();
  private readonly declared = new Map<string, Declared>();

  /** Lists this merge made, by id: further values are appended in place (linear in repeats). */
  private readonly lists = new Map<string, unknown[]>();

  /** `into[key]` = the value; on a repeat, a list of every value (lists flattened one level). */
  private collect(into: Record<string, unknown>, id: string, key: string, value: unknown): void {
    const list = this.lists.get(id);
    if (list) return appendTo(list, value);
    const prev = into[key];
    if (prev === undefined) {
      into[key] = value;
      return;
    }
    const fresh = Array.isArray(prev) ? [...prev] : [prev];
    appendTo(fresh, value);
    this.lists.set(id, fresh);
    into[key] = fresh;
  }

  /** Record a declaration of `id` (the real names); `what` says it in messages. */
  private declare(id: string, what: string, d: Declared): void {
    const earlier = this.declared.get(id);
    if (earlier) {
      throw new JsonReadError(`${what} is declared twice (${declaredAt(earlier)} and ${declaredAt(d)}); Terraform refuses a duplicate declaration; keep one`);
    }
    this.declared.set(id, d);
  }

  private section(name: string): Record<string, unknown> {
    const s = this.out[name];
    if (s !== undefined && s !== null && typeof s === 'object' && !Array.isArray(s)) return s as Record<string, unknown>;
    const fresh = dataObject();
    this.out[name] = fresh;
    return fresh;
  }

  /** `resource` / `data`: type, then name, then the body; every (type, name) once. */
  private resources(block: 'resource' | 'data', v: RawValue): void {
    const section = this.section(block);
    for (const byType of objectsOf(v)) {
      for (let i = 0; i < byType.keys.length; i++) {
        const type = byType.keys[i];
        const known = section[type];
        const names = known !== undefined ? (known as Record<string, unknown>) : (section[type] = dataObject());
        for (const byName of objectsOf(byType.values[i])) {
          for (let j = 0; j < byName.keys.length; j++) {
            const name = byName.keys[j];
            const address = `${block === 'data' ? 'data.' : ''}${label(type)}.${label(name)}`;
            const what = `${block === 'data' ? 'data source' : 'resource'} ${address}`;
            this.declare(`${block}\u0000${type}\u0000${name}`, what, { o: byName, i: j });
            const raw = byName.values[j];
            // A list of bodies under one name is that block repeated: one is the block, more a duplicate.
            if (Array.isArray(raw) && raw.length > 1) {
              throw new JsonReadError(`${what} is declared ${raw.length} times (${declaredIn(byName, j)}); Terraform refuses a duplicate declaration; keep one`);
            }
            names[name] = body(Array.isArray(raw) && raw.length === 1 ? raw[0] : raw, what);
          }
        }
      }
    }
  }

  /** `output`, `variable`, `module`, `check`: one label, each name once. */
  private labelled(block: string, v: RawValue): void {
    const section = this.section(block);
    for (const byName of objectsOf(v)) {
      for (let j = 0; j < byName.keys.length; j++) {
        const name = byName.keys[j];
        const what = `${block} "${label(name)}"`;
        this.declare(`${block}\u0000${name}`, what, { o: byName, i: j });
        section[name] = body(byName.values[j], what);
      }
    }
  }

  /** `locals`: arguments, each name once across every locals block. */
  private locals(v: RawValue): void {
    const section = this.section('locals');
    for (const o of objectsOf(v)) {
      for (let j = 0; j < o.keys.length; j++) {
        const name = o.keys[j];
        if (name === '//') continue;
        this.declare(`locals\u0000${name}`, `local "${label(name)}"`, { o, i: j });
        section[name] = body(o.values[j], `local "${label(name)}"`);
      }
    }
  }

  /** `provider`: every configuration of a type kept (aliases tell them apart). */
  private providers(v: RawValue): void {
    const section = this.section('provider');
    for (const byType of objectsOf(v)) {
      for (let i = 0; i < byType.keys.length; i++) {
        const type = byType.keys[i];
        const configs = body(byType.values[i], `provider "${label(type)}"`);
        this.collect(section, `provider\u0000${type}`, type, configs);
      }
    }
  }

  /** `terraform`: the blocks merged; one backend (or cloud block) only. */
  private terraform(v: RawValue): void {
    const section = this.section('terraform');
    for (const o of objectsOf(v)) {
      const b = body(o, 'the terraform block') as Record<string, unknown>;
      for (let i = 0; i < o.keys.length; i++) {
        const k = o.keys[i];
        if (k === 'backend' || k === 'cloud') this.declare('terraform\u0000backend', 'a backend (terraform.backend or terraform.cloud)', { o, i });
      }
      for (const [k, x] of Object.entries(b)) {
        const prev = section[k];
        // required_providers and the like: the entries of every block together (in place: the
        // object is this merge's own, and copying it per block would be quadratic).
        if (isPlainObject(prev) && isPlainObject(x)) Object.assign(prev, x);
        else section[k] = x;
      }
    }
  }

  /** One top-level property of one file. */
  add(block: string, v: RawValue): void {
    switch (block) {
      case 'resource':
      case 'data':
        return this.resources(block, v);
      case 'output':
      case 'variable':
      case 'module':
      case 'check':
        return this.labelled(block, v);
      case 'locals':
        return this.locals(v);
      case 'provider':
        return this.providers(v);
      case 'terraform':
        return this.terraform(v);
      case '//':
        this.out['//'] = body(v, 'a comment');
        return;
      default: {
        // moved, import, removed (blocks without labels, any number of them), and keys the
        // shape check lets through: every occurrence kept.
        this.collect(this.out, block, block, body(v, `the ${block} block`));
      }
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * One configuration from Terraform JSON files of one module (one file, or every `*.tf.json` of
 * a folder, in the order given), merged as Terraform merges them: repeated block keys and the
 * files' blocks combined, each resource, data source, output, variable, module and local
 * declared once. Linear in the total size. Throws {@link JsonReadError}.
 */
export function terraformJsonOf(files: readonly RawJson[]): Record<string, unknown> {
  const merge = new TerraformMerge();
  for (const f of files) {
    const root = f.root;
    if (!(root instanceof RawObject)) throw new JsonReadError(`${f.source.file} is not a JSON object; Terraform JSON is one object of blocks`);
    for (let i = 0; i < root.keys.length; i++) merge.add(root.keys[i], root.values[i]);
  }
  return merge.out;
}

/** The tree of data already in memory (no repeated keys possible), to merge it with files. */
export function rawJsonOf(value: unknown, file: string): RawJson {
  const source: Source = { file };
  const raw = (v: unknown, depth: number): RawValue => {
    if (depth > MAX_JSON_DEPTH) throw new JsonReadError(`${DEEP} in ${file}${DEEP_FIX}`);
    if (Array.isArray(v)) return v.map((x) => raw(x, depth + 1));
    if (v !== null && typeof v === 'object') {
      const o = new RawObject(source);
      for (const [k, x] of Object.entries(v)) {
        o.keys.push(k);
        o.values.push(raw(x, depth + 1));
        o.at.push(-1);
      }
      return o;
    }
    return v as RawValue;
  };
  return { root: raw(value, 0), source };
}

/**
 * Terraform JSON that this process wrote with `JSON.stringify` (cdktf's synth output): a
 * repeated key cannot occur in such text, so `JSON.parse` reads it exactly, at a fifth of the
 * cost of tokenizing it; the result goes through the same merge and the same prototype-free
 * objects as {@link parseJsonFile}. Never for files a person or another tool may have written.
 */
export function parseWrittenTerraformJson(text: string, file: string): Record<string, unknown> {
  return terraformJsonOf([rawJsonOf(JSON.parse(text), file)]);
}

/**
 * Parse one JSON file's text into data: Terraform JSON merged as Terraform does, any other JSON
 * with repeated keys refused. Throws {@link JsonReadError}.
 */
export function parseJsonFile(text: string, file: string): unknown {
  const raw = readJsonText(text, file);
  return looksLikeTerraformJson(raw) ? terraformJsonOf([raw]) : plainJsonOf(raw);
}
