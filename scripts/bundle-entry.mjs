#!/usr/bin/env node
// node scripts/bundle-entry.mjs [outDir] [--keep-modules]
//   (default outDir: dist; run by `npm run build` after tsc)
//
// Replaces <outDir>/lib/index.js, the package's main entry as tsc emits it (a file that
// requires ~150 sibling modules), with one esbuild bundle of lib/index.ts and what it imports.
// Every `cdktf synth` of an app that uses the library loads this entry, and B1
// (bench/README.md) measured what the file-per-module form costs on each synth: resolving,
// reading and compiling ~150 files one by one, then compiling every module body a second time
// when it first runs. A scope-hoisted bundle compiles each byte once.
//
// - The bundle is made from the TypeScript sources with esbuild, the transform the test suite
//   runs them through (vitest and tsx); tsc still emits the declarations, the CLI and the
//   subpath exports (`./report`, `./policy`, `./keyfile`), which stay file per module.
//   test/package/construct-path.test.ts synthesizes the example from this bundle and from the
//   sources and requires byte-identical output and identical props errors.
// - zod is bundled (tree-shaken to what lib/vendor/zod.ts re-exports); every other package
//   stays external (`cdktf`, `constructs`, the providers, `jsonc-parser`, ...): the app's own
//   copies are used.
// - The AWS-managed policy extract (~140 kB) stays a sibling module that is required only when
//   a model meets an AWS-managed policy ARN, as lib/model/iam/aws-managed.ts intends.
// - Names are not pinned (`keepNames` adds ~170 kB of `__name(...)` calls, ~2 ms of every
//   load): where two modules have a top-level function of the same name, esbuild renames one
//   (`shown2`), which only a stack trace shows. A class renamed that way would change its
//   `.name`, so the script refuses a bundle in which any class lost its name.
//
// The script checks its own output: the bundle exports the same names as tsc's entry, and
// requires no relative module other than the policy extract.
// `--keep-modules` keeps tsc's entry as lib/index.modules.js (the bench's instrumented runs use it).
import { build } from 'esbuild';
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const keepModules = args.includes('--keep-modules');
const root = join(import.meta.dirname, '..');
const outDir = resolve(args.find((a) => !a.startsWith('--')) ?? join(root, 'dist'));
const libDir = join(outDir, 'lib');
const target = join(libDir, 'index.js');
if (!existsSync(target)) {
  process.stderr.write(`bundle-entry: ${target} does not exist; run tsc first (npm run build does)\n`);
  process.exit(2);
}

/** The extract's path as the bundle (in lib/) requires it. */
const EXTRACT = './model/iam/aws-managed.generated';

/** Every `class` declaration of lib/ and of zod's sources, to tell a renamed class from one named so. */
let classText;
function classSources() {
  if (classText !== undefined) return classText;
  const parts = [];
  const walk = (dir, ext) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p, ext);
      else if (ext.some((x) => e.name.endsWith(x))) parts.push(readFileSync(p, 'utf8').match(/\bclass\s+[A-Za-z_$][\w$]*/g)?.join('\n') ?? '');
    }
  };
  walk(join(root, 'lib'), ['.ts']);
  walk(join(root, 'node_modules', 'zod', 'v4'), ['.js']);
  return (classText = parts.join('\n'));
}

const zodDir = join(root, 'node_modules', 'zod');
const zodVersion = JSON.parse(readFileSync(join(zodDir, 'package.json'), 'utf8')).version;
const zodLicense = readFileSync(join(zodDir, 'LICENSE'), 'utf8').trim();

const result = await build({
  entryPoints: [join(root, 'lib', 'index.ts')],
  absWorkingDir: root,
  tsconfig: join(root, 'tsconfig.json'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  write: false,
  keepNames: false,
  legalComments: 'inline',
  logLevel: 'warning',
  banner: { js: `/*! cdktf-key-custody entry bundle (scripts/bundle-entry.mjs). It contains zod ${zodVersion}:\n${zodLicense.replace(/\*\//g, '* /')}\n*/` },
  plugins: [
    {
      name: 'externals',
      setup(b) {
        b.onResolve({ filter: /aws-managed\.generated$/ }, () => ({ path: EXTRACT, external: true }));
        // Bare specifiers: zod is bundled, every other package is the app's.
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path === 'zod' || args.path.startsWith('zod/') ? undefined : { path: args.path, external: true }));
      },
    },
  ],
});
const code = result.outputFiles[0].text;

const relativeRequires = [...code.matchAll(/require\((["'])(\.[^"']*)\1\)/g)].map((m) => m[2]);
const unexpected = relativeRequires.filter((r) => r !== EXTRACT);
if (unexpected.length) throw new Error(`bundle-entry: the bundle still requires ${unexpected.join(', ')}`);
if (/require\(["']zod[/"']/.test(code)) throw new Error('bundle-entry: the bundle still requires the zod package');
// esbuild writes a hoisted class as `var Name = class ...` (its `.name` is then the variable's).
const bundledClasses = [...code.matchAll(/(?:\bclass\s+|\bvar\s+)([A-Za-z_$][\w$]*?\d+)(?:\s*=\s*class\b|\s*(?:extends\b|\{))/g)].map((m) => m[1]);
const renamedClasses = [...new Set(bundledClasses)].filter((name) => !new RegExp(`\\bclass\\s+${name.replace(/\$/g, '\\$')}\\b`).test(classSources()));
if (renamedClasses.length) throw new Error(`bundle-entry: esbuild renamed class(es) ${renamedClasses.join(', ')} (a name clash between modules); rename one of the clashing classes in lib/`);
if (!relativeRequires.includes(EXTRACT)) throw new Error(`bundle-entry: the bundle no longer requires ${EXTRACT} lazily; update this script`);

// Same export names as tsc's entry: a missing one would surface only in a user's import.
const req = createRequire(target);
const names = (file) => Object.keys(req(file)).filter((k) => k !== '__esModule').sort();
const before = names(target);
const tmp = join(libDir, `.index.bundle.${process.pid}.js`);
writeFileSync(tmp, code);
const after = names(tmp);
if (JSON.stringify(before) !== JSON.stringify(after)) {
  throw new Error(`bundle-entry: the bundle exports [${after.join(', ')}], tsc's entry [${before.join(', ')}]`);
}
if (keepModules) copyFileSync(target, join(libDir, 'index.modules.js'));
renameSync(tmp, target);
// On stderr: `npm pack --json` runs this as prepack and its stdout must stay JSON.
process.stderr.write(`bundle-entry: ${target} (${Math.round(code.length / 1024)} kB, ${before.length} exports)\n`);
