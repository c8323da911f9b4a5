import * as fs from 'node:fs';
import * as path from 'node:path';
import { resourceLines } from '../model/load/locations';
import { loadTerraformJson } from '../model/load/cdktf-json';
import { parseHclSync } from '../model/load/hcl-sync';
import { withModules } from '../model/load/modules';
import { decodeJsonBytes, isShowableName, JsonReadError, looksLikeTerraformJson, parseJsonFile, rawJsonOf, readJsonText, TERRAFORM_JSON_BLOCKS, terraformJsonOf, type RawJson } from '../model/load/json';
import { loadPlanJson, looksLikePlanJson, PlanInputError } from '../model/load/plan';
import { planConsistencyProblem } from '../model/load/plan-consistency';
import type { TfDocument } from '../model/types';
import { FileAccessError, kindOf, listFolder, pathExists, readRegularFile, realPath, statPath } from './read';

/**
 * Input discovery for `key-custody check <path>...`.
 *
 * A path is a `cdktf.out` folder (its `manifest.json`, else `stacks/<name>/cdk.tf.json`),
 * one stack folder (holding `cdk.tf.json`, or hand-written `*.tf.json` files), or one JSON
 * file. Files are parsed here and handed to the first {@link InputFrontEnd} that accepts
 * them; Terraform JSON (`cdk.tf.json`, `*.tf.json`) is the built-in one. The
 * `terraform show -json` plan front end plugs in as one more entry of `FRONT_ENDS` (or of
 * the `frontEnds` option) without touching discovery.
 *
 * Everything that goes wrong throws {@link InputError} with a one-line reason that says
 * what to run instead; the CLI prints it and exits 2.
 */

/** Unreadable input or bad usage: the message is one line, printed as `key-custody: <message>`. */
export class InputError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*\r?\n\s*/g, ' '));
    this.name = 'InputError';
  }
}

/** One parsed JSON file, before any front end has looked at it. */
export interface JsonInput {
  /** The path as the user would recognise it (relative to the working directory when below it). */
  readonly path: string;
  /** Stack name implied by the location: the name the caller chose, else the parent folder's name. */
  readonly stack: string;
  readonly json: unknown;
  /** The file's text, where it was read from a file (for source line numbers). */
  readonly text?: string;
  /** The file's absolute path, where it was read from a file (module sources are relative to it). */
  readonly file?: string;
}

/** Turns one kind of JSON document into stack documents for the model. */
export interface InputFrontEnd {
  /** Short name for messages, e.g. `terraform-json`, `plan-json`. */
  readonly name: string;
  /** True when this front end reads the document. Must not throw. */
  accepts(json: unknown): boolean;
  /** The stack documents of one file; may throw {@link InputError}. */
  load(input: JsonInput): TfDocument[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Terraform JSON configuration syntax: only top-level block keys, at least one real block. */
export function isTerraformJson(json: unknown): boolean {
  if (!isObject(json)) return false;
  const keys = Object.keys(json);
  return keys.length > 0 && keys.every((k) => TERRAFORM_JSON_BLOCKS.has(k)) && keys.some((k) => k !== '//');
}

/** `terraform show -json` of a saved plan. */
export function isPlanJson(json: unknown): boolean {
  return looksLikePlanJson(json);
}

/** `terraform show -json` of a state (no plan). */
function isStateJson(json: unknown): boolean {
  return isObject(json) && typeof json.format_version === 'string' && 'values' in json && !isPlanJson(json);
}

/** A cdktf `cdktf.out/manifest.json`. */
function isCdktfManifest(json: unknown): json is { stacks: Record<string, { name?: unknown; synthesizedStackPath?: unknown; workingDirectory?: unknown }> } {
  return isObject(json) && isObject(json.stacks) && 'version' in json;
}

/** The built-in front end: Terraform JSON as `cdktf synth` writes it, or hand-written `*.tf.json`. */
export const terraformJsonFrontEnd: InputFrontEnd = {
  name: 'terraform-json',
  accepts: isTerraformJson,
  load: (input) => {
    const loaded = loadTerraformJson(input.stack, input.json, input.path);
    const doc = input.file === undefined ? loaded : withModules(loaded, input.json, path.dirname(input.file), parseHclSync);
    if (input.text === undefined) return [doc];
    // Source lines of the resource blocks, for SARIF locations (GitHub code scanning).
    const lines = resourceLines(input.text);
    const resources = doc.resources.map((r) => {
      const line = lines.get(r.address);
      return line === undefined ? r : { ...r, location: { file: input.path, line } };
    });
    return [{ ...doc, resources }];
  },
};

/** File names that say nothing about the stack: the stack is then named after the folder. */
const GENERIC_PLAN_NAMES = new Set(['plan', 'tfplan', 'terraform', 'show', 'out', 'cdk.tf']);

/**
 * Stack name of a plan file: its base name without `.json` and a `.plan`/`.tfplan` suffix or
 * `plan.`/`tfplan.` prefix (`keys.plan.json` → `keys`), unless that is generic (`plan.json`,
 * `tfplan.json`), in which case the parent folder's name (`prod-keys/plan.json` → `prod-keys`).
 */
export function planStackName(input: Pick<JsonInput, 'path' | 'stack'>): string {
  let base = path.basename(input.path).replace(/\.json$/i, '');
  base = base.replace(/[._-](tf)?plan$/i, '').replace(/^(tf)?plan[._-]/i, '');
  return base === '' || GENERIC_PLAN_NAMES.has(base.toLowerCase()) ? input.stack : base;
}

/** `terraform show -json plan.out` output (format 1.x): configuration + planned values. */
export const planJsonFrontEnd: InputFrontEnd = {
  name: 'plan-json',
  accepts: looksLikePlanJson,
  load: (input) => {
    let doc: TfDocument;
    try {
      doc = loadPlanJson(planStackName(input), input.json, input.path);
    } catch (e) {
      if (e instanceof PlanInputError) throw new InputError(`${input.path}: ${e.message}`);
      throw e;
    }
    // Fail closed: a resource the plan would create or change but the configuration lacks
    // would go unchecked, and a plan of nothing would pass with 0 findings.
    const inconsistent = planConsistencyProblem(input.json as Record<string, unknown>, doc.resources);
    if (inconsistent) throw new InputError(`${input.path}: ${inconsistent}`);
    if (doc.resources.length === 0) {
      throw new InputError(`${input.path}: the plan holds no resources at all, so there is nothing to check; pass the plan of the configuration that holds the custody resources (or its cdktf.out folder)`);
    }
    return [doc];
  },
};

/**
 * The front ends tried in order: Terraform JSON (`cdk.tf.json`, `*.tf.json`), then
 * `terraform show -json` plans. More can be added here or through the `frontEnds` option.
 */
export const FRONT_ENDS: readonly InputFrontEnd[] = [terraformJsonFrontEnd, planJsonFrontEnd];

export interface ReadInputsOptions {
  /** Directory relative paths are resolved against; default `process.cwd()`. */
  readonly cwd?: string;
  /** Front ends to try, in order; default {@link FRONT_ENDS}. */
  readonly frontEnds?: readonly InputFrontEnd[];
}

export interface ReadInputsResult {
  /**
   * One document per stack, in the order the paths and their stacks were given: the stacks
   * that are checked. With plans and a cdktf.out together, only the plans and other files
   * (see {@link ReadInputsResult.context}).
   */
  readonly documents: TfDocument[];
  /** Where each document (checked or context) was read from. */
  readonly origins: ReadonlyMap<TfDocument, DocumentOrigin>;
  /**
   * Plans passed together with a `cdktf.out` (or its `manifest.json`): the app's other stacks,
   * read from the synthesized output for context only. Absent otherwise.
   */
  readonly context?: AppContextInput;
}

/** Where one stack document came from. */
export interface DocumentOrigin {
  /** `plan`: `terraform show -json`; `synthesized`: a stack of a cdktf.out manifest; `terraform-json`: any other (`*.tf.json`) file or folder. */
  readonly kind: 'plan' | 'synthesized' | 'terraform-json';
  /** The file or folder, as shown to the user. */
  readonly path: string;
  /** The cdktf.out `manifest.json` that lists the stack, as shown. */
  readonly manifest?: string;
}

/** The whole app around the checked plans: what the cdktf.out manifests list. */
export interface AppContextInput {
  /** Each manifest read, with the stacks it lists (sorted). */
  readonly manifests: readonly { readonly path: string; readonly stacks: readonly string[] }[];
  /** Synthesized stacks no plan was given for: read for context, not checked. */
  readonly documents: readonly TfDocument[];
}

const WHAT_TO_PASS = 'pass a cdktf.out folder, a stack folder, a cdk.tf.json or the output of `terraform show -json plan.out`';
const RUN_SYNTH = 'run `cdktf synth` first and pass its cdktf.out folder';

/** Read every path into stack documents (see the file comment). Throws {@link InputError}. */
export function readInputs(paths: readonly string[], options: ReadInputsOptions = {}): ReadInputsResult {
  const cwd = options.cwd ?? process.cwd();
  const frontEnds = options.frontEnds ?? FRONT_ENDS;
  const reader = new Reader(cwd, frontEnds);
  for (const p of paths) reader.readPath(p);
  return reader.result();
}

class Reader {
  readonly documents: TfDocument[] = [];
  readonly origins = new Map<TfDocument, DocumentOrigin>();
  private readonly manifests: { path: string; stacks: string[] }[] = [];
  /** The manifest being read (its stacks are `synthesized`). */
  private inManifest: string | undefined;
  private readonly seenFiles = new Set<string>();
  private readonly stackSources = new Map<string, { source: string; origin: DocumentOrigin }[]>();

  constructor(
    private readonly cwd: string,
    private readonly frontEnds: readonly InputFrontEnd[],
  ) {}

  private display(abs: string): string {
    const rel = path.relative(this.cwd, abs);
    return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
  }

  readPath(given: string): void {
    if (given.trim() === '') throw new InputError(`an empty path was given; ${WHAT_TO_PASS}`);
    const abs = path.resolve(this.cwd, given);
    let stat: fs.Stats;
    try {
      stat = statPath(abs);
    } catch (e) {
      if (!(e instanceof FileAccessError)) throw e;
      if (e.reason === 'does not exist') throw new InputError(`${given} does not exist; run \`cdktf synth\` first, then ${WHAT_TO_PASS}`);
      throw accessInputError(given, e);
    }
    try {
      if (stat.isDirectory()) this.readDirectory(abs, given);
      else if (stat.isFile()) this.readFile(abs, undefined);
      else throw new InputError(`${given} is ${kindOf(stat)}, neither a file nor a folder; ${WHAT_TO_PASS}`);
    } catch (e) {
      // read.ts names the file or folder that failed; show it as the user would recognise it.
      if (e instanceof FileAccessError) throw accessInputError(this.display(e.path), e);
      throw e;
    }
  }

  private readDirectory(dir: string, given: string): void {
    // Listed first, so that a folder that cannot be read says so by its own name.
    const entries = listFolder(dir);
    const has = (name: string) => pathExists(path.join(dir, name));
    if (has('manifest.json') && this.readCdktfOut(dir)) return;
    if (isDir(path.join(dir, 'stacks'))) {
      const stacks = listDirs(path.join(dir, 'stacks')).filter((s) => pathExists(path.join(dir, 'stacks', s, 'cdk.tf.json')));
      if (stacks.length === 0) throw new InputError(`${given} has a stacks folder but no stacks/<name>/cdk.tf.json in it; ${RUN_SYNTH}`);
      for (const s of stacks) this.readFile(path.join(dir, 'stacks', s, 'cdk.tf.json'), s);
      return;
    }
    if (has('cdk.tf.json')) {
      this.readFile(path.join(dir, 'cdk.tf.json'), stackNameOf(dir));
      return;
    }
    // Every *.tf.json that is not a folder: Terraform reads them all, so one that cannot be read
    // (a FIFO, a device, a broken link) is refused when it is read, not skipped.
    const tfJson = entries
      .map((e) => e.name)
      .filter((f) => f.endsWith('.tf.json') && !isDir(path.join(dir, f)))
      .sort();
    if (tfJson.length > 0) {
      this.readModuleFolder(dir, tfJson);
      return;
    }
    if (isDir(path.join(dir, 'cdktf.out'))) {
      this.readDirectory(path.join(dir, 'cdktf.out'), path.join(given, 'cdktf.out'));
      return;
    }
    if (has('cdktf.json')) throw new InputError(`${given} is a cdktf project that has not been synthesized; run \`cdktf synth\` there first and pass ${path.join(given, 'cdktf.out')}`);
    if (this.readPlanFolder(dir, entries)) return;
    throw new InputError(`${given} holds no stacks (no manifest.json, stacks/<name>/cdk.tf.json, cdk.tf.json or *.tf.json); ${RUN_SYNTH}`);
  }

  /** cdktf.out with a manifest.json; false when the manifest is not cdktf's (then other layouts are tried). */
  private readCdktfOut(dir: string): boolean {
    const bytes = readRegularFile(path.join(dir, 'manifest.json'));
    let manifest: unknown;
    try {
      manifest = parseJsonFile(decodeJsonBytes(bytes), 'manifest.json');
    } catch {
      return false;
    }
    if (!isCdktfManifest(manifest)) return false;
    const entries = Object.entries(manifest.stacks)
      .map(([key, s]) => ({
        name: typeof s?.name === 'string' ? s.name : key,
        file: typeof s?.synthesizedStackPath === 'string' ? s.synthesizedStackPath : `stacks/${key}/cdk.tf.json`,
        workingDirectory: typeof s?.workingDirectory === 'string' ? s.workingDirectory : undefined,
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (entries.length === 0) throw new InputError(`${this.display(dir)}/manifest.json lists no stacks; ${RUN_SYNTH}`);
    const shownManifest = `${this.display(dir)}/manifest.json`;
    this.manifests.push({ path: shownManifest, stacks: entries.map((e) => e.name) });
    for (const e of entries) {
      // cdktf writes every stack below its outdir. A manifest that points elsewhere
      // (`/etc/passwd`, `../../x`) was edited or is not cdktf's: nothing outside is read.
      for (const [field, value] of [['synthesizedStackPath', e.file], ['workingDirectory', e.workingDirectory]] as const) {
        if (value !== undefined && !isWithin(dir, path.resolve(dir, value))) {
          throw new InputError(`${shownManifest} puts stack ${JSON.stringify(e.name)} at ${field} ${JSON.stringify(value)}, outside ${this.display(dir)}; cdktf writes every stack below its output folder, so this manifest is not cdktf's: run \`cdktf synth\` again and pass the cdktf.out folder it writes`);
        }
      }
      const file = path.resolve(dir, e.file);
      if (pathExists(file) && !isWithin(realPath(dir), realPath(file))) {
        throw new InputError(`${shownManifest} puts stack ${JSON.stringify(e.name)} at ${JSON.stringify(e.file)}, a symbolic link to ${this.display(realPath(file))} outside ${this.display(dir)}; replace the link by the file, or run \`cdktf synth\` again`);
      }
      if (!pathExists(file)) throw new InputError(`${this.display(file)} is listed in ${this.display(dir)}/manifest.json but missing; run \`cdktf synth\` again`);
      const outer = this.inManifest;
      this.inManifest = shownManifest;
      try {
        this.readFile(file, e.name);
      } finally {
        this.inManifest = outer;
      }
    }
    return true;
  }

  /**
   * A folder of `terraform show -json` files, one per stack (`plans/keys.plan.json`, ...): each
   * is read as if passed by itself. False when no file in it is a plan; once one is, every
   * `*.json` must be, so that a damaged plan is refused rather than left out.
   */
  private readPlanFolder(dir: string, entries: readonly fs.Dirent[]): boolean {
    const files = entries
      .map((e) => e.name)
      .filter((f) => f.toLowerCase().endsWith('.json') && !isDir(path.join(dir, f)))
      .sort()
      .map((f) => path.join(dir, f));
    const peeked = files.map((file) => {
      try {
        return { file, plan: isPlanJson(this.parseFile(file)), error: undefined };
      } catch (e) {
        if (!(e instanceof InputError) && !(e instanceof FileAccessError)) throw e;
        return { file, plan: false, error: e };
      }
    });
    if (!peeked.some((p) => p.plan)) return false;
    for (const p of peeked) {
      if (p.error) throw p.error;
      if (!p.plan) throw new InputError(`${this.display(p.file)} is in a folder of plans but is not plan JSON; keep only \`terraform show -json\` output there, or pass the plans one by one`);
    }
    for (const p of peeked) this.readFile(p.file, undefined);
    return true;
  }

  /** A folder of hand-written `*.tf.json` files: one stack, the files merged as Terraform does. */
  private readModuleFolder(dir: string, files: readonly string[]): void {
    const stack = stackNameOf(dir);
    const parsed = files.map((f) => ({ file: path.join(dir, f), raw: this.readRaw(path.join(dir, f)) }));
    for (const p of parsed) {
      if (!looksLikeTerraformJson(p.raw)) throw new InputError(`${this.display(p.file)} is not Terraform JSON; every *.tf.json file of a folder must be`);
    }
    const fresh = parsed.filter((p) => !this.seenFiles.has(realPath(p.file)));
    if (fresh.length === 0) return;
    for (const p of fresh) this.seenFiles.add(realPath(p.file));
    // One pass over every file's blocks (merging them pairwise was quadratic in the file count).
    const merged = this.parsing(() => terraformJsonOf(fresh.map((p) => p.raw)), this.display(dir));
    this.addDocuments([withModules(loadTerraformJson(stack, merged, this.display(dir)), merged, dir, parseHclSync)], this.display(dir), 'terraform-json');
  }

  readFile(file: string, stack: string | undefined): void {
    const real = realPath(file);
    if (this.seenFiles.has(real)) return;
    if (path.basename(file) === 'manifest.json') {
      // The cdktf.out manifest itself: read the folder it describes.
      const json = this.parseFile(file);
      if (isCdktfManifest(json)) {
        this.readCdktfOut(path.dirname(file));
        return;
      }
    }
    const { json, text } = this.parseFileText(file);
    this.seenFiles.add(real);
    const input: JsonInput = { path: this.display(file), stack: stack ?? stackNameOf(path.dirname(file)), json, text, file };
    const frontEnd = this.frontEnds.find((f) => f.accepts(json));
    if (frontEnd) {
      let docs: TfDocument[];
      try {
        docs = frontEnd.load(input);
      } catch (e) {
        if (e instanceof InputError) throw e;
        throw new InputError(`${input.path} could not be read as ${frontEnd.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
      this.addDocuments(docs, input.path, frontEnd.name === 'plan-json' ? 'plan' : this.inManifest !== undefined ? 'synthesized' : 'terraform-json');
      return;
    }
    throw new InputError(wrongKind(input.path, json));
  }

  private parseFile(file: string): unknown {
    return this.parseFileText(file).json;
  }

  /** The text of a JSON file (UTF-8 checked), or an {@link InputError}. */
  private readText(file: string): string {
    const shown = this.display(file);
    const buf = readRegularFile(file);
    // A saved plan (`terraform plan -out=plan.out`) is a zip archive: `PK\x03\x04`.
    if (buf.length >= 2 && buf[0] === 0x50 && buf[1] === 0x4b && (buf.length < 4 || (buf[2] === 0x03 && buf[3] === 0x04) || buf[2] === 0x05)) {
      const base = path.basename(file);
      throw new InputError(`${shown} is a binary Terraform plan, not its JSON; run \`terraform show -json ${base} > ${base.replace(/\.[^.]*$/, '')}.json\` and pass that file`);
    }
    let text: string;
    try {
      text = decodeJsonBytes(buf);
    } catch (e) {
      if (!(e instanceof JsonReadError)) throw e;
      const from = /UTF-(16|32)/.exec(e.message)?.[0];
      throw new InputError(`${shown}: ${e.message}; save it as UTF-8${from ? ` (\`iconv -f ${from} -t UTF-8\`)` : ''}, or ${WHAT_TO_PASS}`);
    }
    if (text.trim() === '') throw new InputError(`${shown} is empty; ${RUN_SYNTH}, or pass the output of \`terraform show -json plan.out\``);
    return text;
  }

  /** Run a parse step; a {@link JsonReadError} becomes an {@link InputError} that says the file and never quotes it. */
  private parsing<T>(step: () => T, shown: string, text = ''): T {
    try {
      return step();
    } catch (e) {
      if (!(e instanceof JsonReadError)) throw e;
      if (e.kind !== 'syntax') throw new InputError(`${shown}: ${e.message}`);
      if (/^\s*\{\s*"format_version"/.test(text)) {
        throw new InputError(`${shown} is a truncated or damaged plan JSON (${e.message}); run \`terraform show -json plan.out > plan.json\` again and pass the complete file`);
      }
      throw new InputError(`${shown} is not JSON (${e.message}); ${WHAT_TO_PASS}`);
    }
  }

  /** One `*.tf.json` of a folder, as written (repeated keys kept for the merge). */
  private readRaw(file: string): RawJson {
    const text = this.readText(file);
    const shown = this.display(file);
    return this.parsing(() => readJsonText(text, shown), shown, text);
  }

  private parseFileText(file: string): { json: unknown; text: string } {
    const text = this.readText(file);
    const shown = this.display(file);
    return { json: this.parsing(() => parseJsonFile(text, shown), shown, text), text };
  }

  private addDocuments(docs: readonly TfDocument[], source: string, kind: DocumentOrigin['kind']): void {
    const origin: DocumentOrigin = { kind, path: source, ...(this.inManifest !== undefined ? { manifest: this.inManifest } : {}) };
    for (const d of docs) {
      const earlier = this.stackSources.get(d.stack) ?? [];
      // A stack's plan and its synthesized output may come together (the plan is checked, the
      // manifest says which other stacks the app has); anything else twice is a mistake.
      const pair = earlier.length === 1 && (earlier[0].origin.kind === 'plan') !== (kind === 'plan') && (earlier[0].origin.manifest !== undefined) !== (origin.manifest !== undefined);
      if (earlier.length > 0 && !pair) {
        throw new InputError(`stack "${d.stack}" is given twice (${earlier[0].source} and ${source}); pass each stack once`);
      }
      this.stackSources.set(d.stack, [...earlier, { source, origin }]);
      this.origins.set(d, origin);
      this.documents.push(d);
    }
  }

  /**
   * The documents to check. Plans together with a cdktf.out are a whole-app check: the plans
   * are checked, and the manifest's stacks that have no plan are context (see lib/cli/app-context.ts).
   */
  result(): ReadInputsResult {
    const fromManifest = (d: TfDocument) => this.origins.get(d)?.manifest !== undefined;
    const plans = this.documents.filter((d) => this.origins.get(d)?.kind === 'plan');
    if (plans.length === 0 || this.manifests.length === 0) return { documents: this.documents, origins: this.origins };
    const listed = new Set(this.manifests.flatMap((m) => m.stacks));
    for (const p of plans) {
      if (!listed.has(p.stack)) {
        const shown = this.origins.get(p)?.path ?? p.stack;
        throw new InputError(
          `${shown} is the plan of stack "${p.stack}", which ${this.manifests.map((m) => m.path).join(' and ')} does not list (stacks: ${[...listed].sort().join(', ')}); ` +
            'name each plan after its stack (`<stack>.plan.json`, or `<stack>/plan.json`) so that it replaces that stack\'s synthesized output',
        );
      }
    }
    const checked = this.documents.filter((d) => !fromManifest(d));
    const checkedStacks = new Set(checked.map((d) => d.stack));
    return {
      documents: checked,
      origins: this.origins,
      context: {
        manifests: this.manifests.map((m) => ({ path: m.path, stacks: [...m.stacks].sort() })),
        documents: this.documents.filter((d) => fromManifest(d) && !checkedStacks.has(d.stack)),
      },
    };
  }
}

function wrongKind(shown: string, json: unknown): string {
  if (isPlanJson(json)) return `${shown} is plan JSON, but no plan front end is enabled; pass the cdktf.out folder that \`cdktf synth\` writes`;
  if (isStateJson(json)) return `${shown} is Terraform state, not a plan; pass the output of \`terraform show -json plan.out\` or the cdktf.out folder`;
  if (isObject(json) && typeof json.app === 'string' && 'language' in json) {
    return `${shown} is the cdktf project file; run \`cdktf synth\` and pass the cdktf.out folder it writes`;
  }
  const shape = Array.isArray(json)
    ? 'an array'
    : isObject(json)
      ? Object.keys(json).length === 0
        ? 'an empty object'
        : describeKeys(Object.keys(json))
      : `a ${json === null ? 'null' : typeof json}`;
  return `${shown} is JSON but not Terraform JSON (${shape}); ${WHAT_TO_PASS}`;
}

/** `an object with keys a, b, ...`: names that could be a pasted key (or hold control characters) are counted, not shown. */
function describeKeys(keys: readonly string[]): string {
  const shown = keys.filter(isShowableName);
  const list = shown.slice(0, 5).join(', ');
  const rest = keys.length - Math.min(shown.length, 5);
  if (list === '') return `an object with ${keys.length} key(s) not shown`;
  return `an object with keys ${list}${rest > 0 ? `, ... (${rest} more)` : ''}`;
}

/** `inner` is `outer` or below it (both absolute). */
function isWithin(outer: string, inner: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** A file access failure as the one line the CLI prints: the path, what is wrong, the fix. */
function accessInputError(shown: string, e: FileAccessError): InputError {
  return new InputError(`${shown} ${e.reason}; ${e.fix ?? WHAT_TO_PASS}`);
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function listDirs(p: string): string[] {
  return listFolder(p)
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

function stackNameOf(dir: string): string {
  return path.basename(path.resolve(dir)) || 'stack';
}

/**
 * Merge Terraform JSON documents of one folder as Terraform does: blocks keyed by type and name
 * are combined, each resource declared once (a second declaration is an {@link InputError}).
 */
export function mergeTerraformJson(docs: readonly Record<string, unknown>[]): Record<string, unknown> {
  try {
    return terraformJsonOf(docs.map((d, i) => rawJsonOf(d, `document ${i + 1}`)));
  } catch (e) {
    if (e instanceof JsonReadError) throw new InputError(e.message);
    throw e;
  }
}
