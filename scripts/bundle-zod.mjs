#!/usr/bin/env node
// node scripts/bundle-zod.mjs [outDir]      (default: dist; run by `npm run build` after tsc)
//
// Replaces <outDir>/lib/vendor/zod.js, which tsc emits as a plain re-export of zod/mini (and the
// setting of its English locale), with an esbuild bundle of lib/vendor/zod.ts: only the zod
// code its exports reach, zod's license on top. `require('zod')` loads 95 modules and ~1 MB of
// JavaScript (every locale, the JSON Schema converters) of which the library uses the schema
// builders and the English messages; the bundle is ~80 kB and loads in ~3 ms where the zod
// package takes 40-50 (bench/README.md, B1).
//
// The bench compiles the library the same way (bench/harness/build.ts runs this script), so it
// measures what `npm pack` ships. The script checks its own output: the bundle requires no zod
// module, and exports the same names as the re-export it replaces.
import { build } from 'esbuild';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = join(import.meta.dirname, '..');
const outDir = resolve(process.argv[2] ?? join(root, 'dist'));
const target = join(outDir, 'lib', 'vendor', 'zod.js');
if (!existsSync(target)) {
  process.stderr.write(`bundle-zod: ${target} does not exist; run tsc first (npm run build does both)\n`);
  process.exit(2);
}

const zodDir = join(root, 'node_modules', 'zod');
const zodVersion = JSON.parse(readFileSync(join(zodDir, 'package.json'), 'utf8')).version;
const license = readFileSync(join(zodDir, 'LICENSE'), 'utf8').trim();

const result = await build({
  entryPoints: [join(root, 'lib', 'vendor', 'zod.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  write: false,
  // zod's package.json declares its modules free of side effects: what no export reaches goes.
  treeShaking: true,
  legalComments: 'inline',
  banner: { js: `/*! zod ${zodVersion}, bundled by scripts/bundle-zod.mjs from lib/vendor/zod.ts.\n${license.replace(/\*\//g, '* /')}\n*/` },
  logLevel: 'warning',
});
const code = result.outputFiles[0].text;
if (/require\(["']zod[/"']/.test(code)) throw new Error('bundle-zod: the bundle still requires zod');

// Same export names as tsc's re-export (a missing one would fail only when first called).
const req = createRequire(target);
const reexport = Object.keys(req(target)).filter((k) => k !== '__esModule').sort();
const tmp = `${target}.bundle.tmp`;
writeFileSync(tmp, code);
const bundled = Object.keys(req(tmp)).filter((k) => k !== '__esModule').sort();
if (JSON.stringify(reexport) !== JSON.stringify(bundled)) {
  throw new Error(`bundle-zod: the bundle exports [${bundled.join(', ')}], tsc's re-export [${reexport.join(', ')}]`);
}
renameSync(tmp, target);
// On stderr: `npm pack --json` runs this as prepack and its stdout must stay JSON.
process.stderr.write(`bundle-zod: ${target} (${Math.round(code.length / 1024)} kB, zod ${zodVersion})\n`);
