import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TerraformDataSource, TerraformElement, TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { redactKeyMaterial } from '../policy/key-material';
import { escapeControls } from '../report/escape';
import { ORIGINS_KEY, type GrantOriginJson, type OriginsJson } from '../model/load/origins';

/**
 * Where the user's code made each resource of the library's constructs, for findings and SARIF.
 *
 * cdktf 0.21 writes a `stackTrace` into a block's `//` metadata only when the element was made
 * with tracing on, which its own elements never are, so the library records the call site
 * itself: every construct of the library (and every grant method) notes the first stack frame
 * outside the library, and one metadata-only element per stack writes the map into the
 * stack's `"//": { "metadata": { "keyCustody": ... } }` of cdk.tf.json. Terraform ignores `//`,
 * so a line moved in main.ts changes no plan.
 */

/** A place in the user's source: a path relative to the project root, and a 1-based line. */
export interface CallSite {
  readonly file: string;
  readonly line: number;
  /** The source line, trimmed and redacted, when it could be read (grant calls only). */
  readonly call?: string;
}

const SITES = new WeakMap<IConstruct, CallSite>();
const GRANTS = new WeakMap<TerraformStack, GrantRecord[]>();
const ELEMENT_ID = 'KeyCustodySources';
const FRAME = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/;

interface GrantRecord {
  readonly construct: IConstruct;
  readonly kind: string;
  readonly method: string;
  readonly principal: string;
  readonly site?: CallSite;
  /** The library called the grant method (a drill granting its reader), not the user. */
  readonly internal: boolean;
}

function frameFile(raw: string): string {
  return raw.startsWith('file://') ? fileURLToPath(raw) : raw;
}

/**
 * The library's `lib/` folder: the nearest folder named `lib` around this code, which is
 * `lib/synth/sources.ts` in the repository, `dist/lib/synth/sources.js` in tsc's output and
 * `dist/lib/index.js` in the package's bundled entry (scripts/bundle-entry.mjs). Never the
 * folder above it: in the bundle that would be the package root (or, built beside an app, the
 * app's own folder).
 */
let libraryRoot: string | undefined;
function library(): string | undefined {
  if (libraryRoot !== undefined) return libraryRoot;
  const own = (new Error().stack ?? '').split('\n').slice(1).map((l) => FRAME.exec(l.trim())?.[1]).find((f) => f !== undefined);
  libraryRoot = own ? libFolderOf(frameFile(own)) : '';
  return libraryRoot;
}

/** The nearest folder named `lib` that holds `file`, or '' if there is none. */
export function libFolderOf(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (basename(dir) === 'lib') return dir;
    if (dirname(dir) === dir) return '';
  }
}

/** Project root per folder: every construct of a file would otherwise walk the same folders again. */
const ROOTS = new Map<string, string>();

/** The root paths are shown relative to: the nearest folder with `.git` above the file, else the working directory. */
function projectRoot(file: string): string {
  const start = dirname(file);
  const known = ROOTS.get(start);
  if (known !== undefined) return known;
  let dir = start;
  let root: string;
  for (;;) {
    if (existsSync(resolve(dir, '.git'))) {
      root = dir;
      break;
    }
    const up = dirname(dir);
    if (up === dir) {
      root = process.cwd();
      break;
    }
    dir = up;
  }
  ROOTS.set(start, root);
  return root;
}

function shown(file: string): string {
  const rel = relative(projectRoot(file), file);
  return (rel === '' || isAbsolute(rel) ? file : rel).split(sep).join('/');
}

/**
 * Files and lines of the current stack, innermost first, starting below `below` (the frames
 * of `below` and of what it called are cut by V8, not by file name: in the package's bundled
 * entry every frame of the library is in the same file).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- any function of this file
function frames(below: Function): { file: string; line: number }[] {
  const limit = Error.stackTraceLimit;
  const holder: { stack?: string } = {};
  try {
    // Library constructs nest deeply (MasterKeyCustody -> parts -> buckets): look far enough.
    Error.stackTraceLimit = 64;
    Error.captureStackTrace(holder, below);
  } finally {
    Error.stackTraceLimit = limit;
  }
  const out: { file: string; line: number }[] = [];
  for (const line of (holder.stack ?? '').split('\n').slice(1)) {
    const m = FRAME.exec(line.trim());
    if (!m) continue;
    const raw = m[1];
    if (raw.startsWith('node:') || !(raw.startsWith('file://') || isAbsolute(raw))) continue;
    out.push({ file: frameFile(raw), line: Number(m[2]) });
  }
  return out;
}

function isLibrary(file: string): boolean {
  const lib = library();
  return file.split(sep).includes('node_modules') || (lib !== undefined && lib !== '' && (file === lib || file.startsWith(lib + sep)));
}

/** The first frame of the current stack outside this library, node_modules and Node itself: absolute path and line. */
function userFrame(): { abs: string; line: number } | undefined {
  const f = frames(userFrame).find((x) => !isLibrary(x.file));
  return f ? { abs: f.file, line: f.line } : undefined;
}

/** Where the user's code called into the library, as shown in cdk.tf.json and SARIF. */
export function userCallSite(): CallSite | undefined {
  const f = userFrame();
  return f ? { file: shown(f.abs), line: f.line } : undefined;
}

/** Record where the user's code made `construct` (once; the first call wins). */
export function recordCallSite(construct: IConstruct): void {
  if (SITES.has(construct)) return;
  const site = userCallSite();
  if (!site) return;
  SITES.set(construct, site);
  const stack = stackOf(construct);
  if (stack) ensureElement(stack);
}

/**
 * Record that a grant method of a library construct gave `principal` access: the fixes of
 * KC011 and KC012 then name the construct, the method and the line of the call.
 */
export function recordGrant(construct: IConstruct, kind: string, method: string, principal: string): void {
  const stack = stackOf(construct);
  if (!stack) return;
  const f = userFrame();
  // [0] is the grant method itself; who called it? The library (a drill granting its reader) or the user.
  const caller = frames(recordGrant)[1];
  const internal = caller !== undefined && isLibrary(caller.file);
  const site = f ? { file: shown(f.abs), line: f.line, ...(internal ? {} : { call: sourceLine(f.abs, f.line) }) } : undefined;
  let list = GRANTS.get(stack);
  if (!list) GRANTS.set(stack, (list = []));
  list.push({ construct, kind, method, principal, site, internal });
  ensureElement(stack);
}

/** The line of the call as the user wrote it (a key pasted on it is redacted, as in errors). */
function sourceLine(file: string, line: number): string | undefined {
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8').split('\n')[line - 1]?.trim();
  } catch {
    return undefined;
  }
  if (!text) return undefined;
  const call = escapeControls(redactKeyMaterial(text));
  return call.length > 160 ? `${call.slice(0, 157)}...` : call;
}

function stackOf(c: IConstruct): TerraformStack | undefined {
  for (let s: IConstruct | undefined = c; s; s = s.node.scope) if (TerraformStack.isStack(s)) return s;
  return undefined;
}

function ensureElement(stack: TerraformStack): void {
  if (!stack.node.tryFindChild(ELEMENT_ID)) new SourcesElement(stack, ELEMENT_ID);
}

/** The nearest recorded call site at or above `c`. */
function siteOf(c: IConstruct): CallSite | undefined {
  for (let s: IConstruct | undefined = c; s; s = s.node.scope) {
    const site = SITES.get(s);
    if (site) return site;
  }
  return undefined;
}

function addressOf(c: IConstruct): string | undefined {
  if (TerraformResource.isTerraformResource(c)) return `${c.terraformResourceType}.${c.friendlyUniqueId}`;
  if (TerraformDataSource.isTerraformDataSource(c)) return `data.${c.terraformResourceType}.${c.friendlyUniqueId}`;
  return undefined;
}

/** Writes nothing but the stack's `//.metadata.keyCustody`: the call sites and the grants. */
class SourcesElement extends TerraformElement {
  public override toMetadata(): Record<string, unknown> {
    const stack = this.cdktfStack;
    const sources: Record<string, string> = {};
    const walk = (c: IConstruct) => {
      for (const child of c.node.children) {
        if (TerraformStack.isStack(child)) continue;
        const address = addressOf(child);
        const site = address ? siteOf(child) : undefined;
        if (address && site) sources[address] = `${site.file}:${site.line}`;
        walk(child);
      }
    };
    walk(stack);
    const grants: GrantOriginJson[] = (GRANTS.get(stack) ?? []).map((g) => ({
      construct: g.construct.node.path,
      kind: g.kind,
      method: g.method,
      principal: g.principal,
      ...(g.internal ? { internal: true } : {}),
      ...(g.site ? { at: `${g.site.file}:${g.site.line}`, ...(g.site.call ? { call: g.site.call } : {}) } : {}),
    }));
    if (Object.keys(sources).length === 0 && grants.length === 0) return {};
    const origins: OriginsJson = { sources, ...(grants.length > 0 ? { grants } : {}) };
    return { [ORIGINS_KEY]: origins };
  }
}
