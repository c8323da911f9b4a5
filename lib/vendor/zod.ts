// The one place the library imports zod. Everything else imports these names (`import * as z
// from '../vendor/zod'`), so the set of zod functions the library uses is written down here.
//
// Why: `require('zod')` loads 95 modules and about 1 MB of JavaScript (every locale, the JSON
// Schema converters), 40-50 ms on the benchmark machine, and zod/mini loads the same core.
// `npm run build` (scripts/bundle-zod.mjs) therefore replaces the compiled form of this file
// with an esbuild bundle holding only what these exports reach (~200 kB, ~8 ms), so the
// installed package never loads the zod package at run time. Run from source (tests, tsx) this
// file is a plain re-export of zod. The bundle is zod's own code, version for version: the
// validation, the issues and the English messages are the same.
export { array, boolean, custom, date, discriminatedUnion, enum, iso, literal, number, object, prettifyError, record, string, union, unknown } from 'zod';
export type { output, RefinementCtx, ZodError, ZodType } from 'zod';
