/**
 * B2 child: `node import.js <module>|none [--breakdown]`. Requires one module and reports the
 * time of that `require` (the process wall time is taken by the harness). With `--breakdown`,
 * every module load is timed (inclusive of its own requires, minus its children = self time)
 * and the report lists the packages/folders that cost most: the explanation of an import
 * figure, not a figure itself (the hook slows loading down).
 */
import Module from 'node:module';
import { report, since } from './report';

const [spec, flag] = process.argv.slice(2);

interface Frame {
  readonly id: string;
  readonly t0: number;
  child: number;
}

const selfMs = new Map<string, number>();
const count = new Map<string, number>();

/** Group a module file into something a reader recognises. */
function groupOf(file: string): string {
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + 'node_modules/'.length).split('/');
    const pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    const inner = rest.slice(rest[0].startsWith('@') ? 2 : 1);
    // provider packages: one folder per resource; the folder is the interesting unit.
    if (pkg.startsWith('@cdktf/provider-') && inner[0] === 'lib' && inner.length > 2) return `${pkg}/lib/${inner[1]}`;
    return pkg;
  }
  const lib = file.lastIndexOf('/lib/');
  return lib >= 0 ? `cdktf-key-custody/lib/${file.slice(lib + 5).replace(/\.js$/, '')}` : file;
}

if (flag === '--breakdown') {
  const M = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown; _resolveFilename: (r: string, p: unknown) => string };
  const orig = M._load;
  const stack: Frame[] = [];
  const seen = new Set<string>();
  M._load = function (request: string, parent: unknown, isMain: boolean) {
    let file: string;
    try {
      file = M._resolveFilename(request, parent);
    } catch {
      return orig.call(this, request, parent, isMain);
    }
    if (seen.has(file) || !file.includes('/')) return orig.call(this, request, parent, isMain);
    seen.add(file);
    const frame: Frame = { id: groupOf(file), t0: performance.now(), child: 0 };
    stack.push(frame);
    try {
      return orig.call(this, request, parent, isMain);
    } finally {
      stack.pop();
      const total = performance.now() - frame.t0;
      selfMs.set(frame.id, (selfMs.get(frame.id) ?? 0) + total - frame.child);
      count.set(frame.id, (count.get(frame.id) ?? 0) + 1);
      if (stack.length) stack[stack.length - 1].child += total;
    }
  };
}

const t0 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
if (spec && spec !== 'none') require(spec);
const requireMs = since(t0);

const fields: Record<string, unknown> = { requireMs, modules: Object.keys(require.cache).length };
if (flag === '--breakdown') {
  fields.top = [...selfMs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([group, ms]) => ({ group, selfMs: Math.round(ms * 10) / 10, modules: count.get(group) }));
}
report(fields);
