// The one place the library imports zod. Everything else imports these names (`import * as z
// from '../vendor/zod'`), so the set of zod functions the library uses is written down here.
//
// zod/mini, not classic zod: the same core (the same parsing, the same issues and messages) with
// functional checks (`z.optional(s)`, `s.check(z.minLength(1), z.regex(re))`) instead of methods
// on every schema. Classic's bundle is ~200 kB and its builders clone a schema per method call;
// mini's is about a third of that and builds the library's schemas in less than half the time,
// paid on every `cdktf synth` (bench/README.md, B1).
//
// Why bundled: `require('zod')` loads 95 modules and about 1 MB of JavaScript (every locale,
// the JSON Schema converters). The package's entry (scripts/bundle-entry.mjs) is one esbuild
// bundle with only what these exports reach inside, so the installed package never loads the
// zod package to construct. Run from source (tests, tsx), and in tsc's per-module output that
// only deep imports reach, this file is a plain re-export of zod/mini. The bundled code is
// zod's own, version for version.
import { config } from 'zod/mini';
// By name from the locales index, which the bundle tree-shakes to the English file alone (zod's
// modules are free of side effects). Not mini's `locales` namespace, which brings every language
// into the bundle, nor `zod/v4/locales/en.cjs`, which would bring the CommonJS copy of zod's core
// next to the ES module one the rest of the bundle uses.
import { en } from 'zod/v4/locales';

// zod/mini has no locale until one is configured (its messages would all be "Invalid input").
// Classic zod sets English the same way, on its first schema, unless a locale is already set.
if (!config().localeError) config(en());

export {
  array,
  boolean,
  custom,
  date,
  discriminatedUnion,
  enum,
  int,
  intersection,
  iso,
  literal,
  maximum,
  minimum,
  minLength,
  number,
  object,
  optional,
  positive,
  prettifyError,
  record,
  refine,
  regex,
  startsWith,
  string,
  superRefine,
  trim,
  union,
  unknown,
} from 'zod/mini';
export type { output, ZodMiniType as ZodType } from 'zod/mini';
export type { $RefinementCtx as RefinementCtx, $ZodError as ZodError } from 'zod/v4/core';
