/**
 * `key-custody check plan.json --source <dir>`: the Terraform configuration a plan was made
 * from, read with a real HCL parser (`@cdktf/hcl2json`, which turns HCL into Terraform JSON
 * syntax with every expression as a `${…}` template). The plan keeps only the references of
 * an HCL expression; the source keeps its text (`jsonencode({...})`, templates, locals).
 *
 * The parser is a WebAssembly build of HashiCorp's HCL (MPL-2.0, ~1.7 MB gzipped), so it is
 * loaded only when `--source` is given and never by the synth-time check.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataObject } from './json';

type Json = Record<string, unknown>;

/** One module of the configuration (the root, or a local module folder). */
export interface SourceModule {
  /** Folder the module was read from. */
  readonly dir: string;
  /** Resource and data source blocks by address in the module (`aws_x.y`, `data.aws_x.y`). */
  readonly resources: Readonly<Record<string, Json>>;
  readonly locals: Readonly<Record<string, unknown>>;
  /** Variable defaults (a variable without a default is absent). */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Output value expressions. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Module calls by name: their arguments (`source`, `count`, `for_each` included). */
  readonly calls: Readonly<Record<string, Json>>;
}

/**
 * The configuration by module path without instance keys: `''` is the root, `module.a`,
 * `module.a.module.b` the local modules it calls. Calls of registry or git modules are not
 * here (their folder is only in `.terraform/modules` after `terraform init`, read when present).
 */
export type SourceTree = ReadonlyMap<string, SourceModule>;

/** The source cannot be read: one line that says what to pass instead. */
export class SourceInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceInputError';
  }
}

/** The parser's entry: `@cdktf/hcl2json`'s `parse(filename, text)`. */
export type HclParse = (filename: string, contents: string) => Promise<Record<string, unknown>>;

function isObj(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function obj(v: unknown): Json {
  return isObj(v) ? v : dataObject();
}

/** hcl2json writes every block as a list of its bodies; labels nest as objects. */
function bodies(v: unknown): Json[] {
  return (Array.isArray(v) ? v : [v]).filter(isObj);
}

/** Load the parser on first use (a lazy `require`, so that nothing loads it without --source). */
export async function loadHclParser(): Promise<HclParse> {
  try {
    const mod = (await import('@cdktf/hcl2json')) as { parse?: HclParse; default?: { parse?: HclParse } };
    const parse = mod.parse ?? mod.default?.parse;
    if (typeof parse !== 'function') throw new Error('it has no parse function');
    return parse;
  } catch (e) {
    throw new SourceInputError(
      `--source needs the HCL parser @cdktf/hcl2json, which could not be loaded (${e instanceof Error ? e.message : String(e)}); install it with \`npm install @cdktf/hcl2json@0.21.0\` (cdktf-cli brings it too)`,
    );
  }
}

export function emptyModule(dir: string): { dir: string; resources: Record<string, Json>; locals: Json; defaults: Json; outputs: Json; calls: Record<string, Json> } {
  return { dir, resources: dataObject(), locals: dataObject(), defaults: dataObject(), outputs: dataObject(), calls: dataObject() };
}

/** Merge one parsed file into a module (Terraform joins every `.tf` file of a folder). */
export function addFile(into: ReturnType<typeof emptyModule>, doc: Json): void {
  for (const [mode, section] of [
    ['', 'resource'],
    ['data.', 'data'],
  ] as const) {
    for (const [type, byName] of Object.entries(obj(doc[section]))) {
      for (const [name, raw] of Object.entries(obj(byName))) {
        const body = bodies(raw)[0];
        if (body) into.resources[`${mode}${type}.${name}`] = body;
      }
    }
  }
  for (const l of bodies(doc.locals)) Object.assign(into.locals, l);
  for (const [name, raw] of Object.entries(obj(doc.variable))) {
    const body = bodies(raw)[0];
    if (body && 'default' in body) into.defaults[name] = body.default;
  }
  for (const [name, raw] of Object.entries(obj(doc.output))) {
    const body = bodies(raw)[0];
    if (body) into.outputs[name] = body.value;
  }
  for (const [name, raw] of Object.entries(obj(doc.module))) {
    const body = bodies(raw)[0];
    if (body) into.calls[name] = body;
  }
}

/** `.tf` and `.tf.json` files of one folder, in name order (override files last, as Terraform reads them). */
function configFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    throw new SourceInputError(`--source ${dir} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}); pass the folder that holds the configuration's .tf files`);
  }
  const files = names.filter((n) => n.endsWith('.tf') || n.endsWith('.tf.json')).sort();
  const isOverride = (n: string) => /(^|_)override\.tf(\.json)?$/.test(n);
  return [...files.filter((n) => !isOverride(n)), ...files.filter(isOverride)].map((n) => path.join(dir, n));
}

/** Folder of a module call: a local path, or what `terraform init` put in `.terraform/modules`. */
function callFolder(root: string, dir: string, modulePath: string, source: unknown): string | undefined {
  if (typeof source !== 'string') return undefined;
  // A local path; an absolute one too (cdktf keeps an absolute TerraformHclModule source as written).
  if (source.startsWith('./') || source.startsWith('../') || path.isAbsolute(source)) return path.resolve(dir, source);
  // A registry or git module: `terraform init` records where it put it.
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, '.terraform', 'modules', 'modules.json'), 'utf8')) as { Modules?: { Key?: string; Dir?: string }[] };
    const k = modulePath.replace(/(^|\.)module\./g, '$1');
    const hit = manifest.Modules?.find((m) => m.Key === k);
    return hit?.Dir ? path.resolve(root, hit.Dir) : undefined;
  } catch {
    return undefined;
  }
}

/** One file the tree reader needs parsed; the driver answers with the parsed document. */
interface ParseRequest {
  readonly file: string;
  readonly text: string;
}

/** A parser that answers at once: see hcl-sync.ts (the synth-time check cannot await). */
export type HclParseSync = (filename: string, contents: string) => Record<string, unknown>;

/**
 * The one tree reader behind {@link readSource} and {@link readSourceSync}: it yields each
 * `.tf` file to parse, so the async CLI and the synchronous synth-time check share it.
 * `given` is a root module already read (a cdk.tf.json): only the modules it calls are read.
 */
function* treeReader(dir: string, given?: SourceModule): Generator<ParseRequest, SourceTree, unknown> {
  const root = path.resolve(dir);
  const tree = new Map<string, SourceModule>();
  function* visit(folder: string, modulePath: string, depth: number): Generator<ParseRequest, void, unknown> {
    if (depth > 16) return;
    let m: SourceModule;
    if (depth === 0 && given) m = given;
    else {
      const read = emptyModule(folder);
      const files = configFiles(folder);
      if (depth === 0 && files.length === 0) throw new SourceInputError(`--source ${dir} holds no .tf files; pass the folder \`terraform plan\` ran in`);
      for (const f of files) {
        const text = fs.readFileSync(f, 'utf8');
        let doc: Json;
        try {
          doc = f.endsWith('.json') ? obj(JSON.parse(text)) : obj(yield { file: f, text });
        } catch (e) {
          // A parser that cannot run says so itself; only a file's own syntax error is this one.
          if (e instanceof SourceInputError) throw e;
          const why = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').slice(0, 300);
          throw new SourceInputError(`--source: ${f} does not parse as HCL (${why}); run \`terraform validate\` there, or check the plan without --source`);
        }
        addFile(read, doc);
      }
      m = read;
    }
    tree.set(modulePath, m);
    for (const [name, call] of Object.entries(m.calls)) {
      const childPath = `${modulePath ? `${modulePath}.` : ''}module.${name}`;
      const childDir = callFolder(root, folder, childPath, call.source);
      if (childDir && fs.existsSync(childDir)) yield* visit(childDir, childPath, depth + 1);
    }
  }
  yield* visit(root, '', 0);
  return tree;
}

/**
 * Read a configuration folder and the local modules it calls, recursively. `parse` is
 * injectable so tests can run without WebAssembly; the CLI passes {@link loadHclParser}'s.
 */
export async function readSource(dir: string, parse: HclParse, given?: SourceModule): Promise<SourceTree> {
  const reader = treeReader(dir, given);
  let step = reader.next();
  while (!step.done) {
    let doc: unknown;
    try {
      doc = await parse(step.value.file, step.value.text);
    } catch (e) {
      step = reader.throw(e);
      continue;
    }
    step = reader.next(doc);
  }
  return step.value;
}

/** {@link readSource} with a parser that answers at once (the synth-time check). */
export function readSourceSync(dir: string, parse: HclParseSync, given?: SourceModule): SourceTree {
  const reader = treeReader(dir, given);
  let step = reader.next();
  while (!step.done) {
    let doc: unknown;
    try {
      doc = parse(step.value.file, step.value.text);
    } catch (e) {
      step = reader.throw(e);
      continue;
    }
    step = reader.next(doc);
  }
  return step.value;
}
