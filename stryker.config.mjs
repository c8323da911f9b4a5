// StrykerJS configuration. `npm run mutation` mutates lib/rules and lib/model in three chunks
// (MUTATION_CHUNK=rules|model|iam), each with its own incremental file and JSON report, so a
// chunk that finished keeps its results while another runs (a full run takes about two hours
// on 2 cores); `node scripts/mutation-score.mjs` adds the chunk reports up to the full score.
// Without MUTATION_CHUNK every file is mutated in one run.
//
// No TypeScript checker: it cost 3-4x the run time. Mutants that do not type-check run
// anyway and count as survived unless a test kills them, so the score can only be lower.
// Static mutants (module-level constants, evaluated once at import) are ignored: each one
// needs the whole suite rerun in a fresh process, half the run time for 14% of the mutants.
// lib/policy (the custody vocabulary the rules and constructs share) is small and rides with
// the rules chunk.
// Generated data (`*.generated.ts`: the action table, the AWS-managed policy extract) is not
// mutated: it is checked against its source by the staleness tests, and the extract is read as
// JSON text from source, which an instrumented copy no longer is.
export const chunks = {
  rules: ['lib/rules/**/*.ts', '!lib/rules/index.ts', 'lib/policy/**/*.ts', '!lib/policy/*.generated.ts'],
  model: ['lib/model/**/*.ts', '!lib/model/iam/**'],
  iam: ['lib/model/iam/**/*.ts', '!lib/model/iam/*.generated.ts'],
};
const chunk = process.env.MUTATION_CHUNK;
if (chunk !== undefined && !(chunk in chunks)) {
  throw new Error(`MUTATION_CHUNK="${chunk}" is not one of ${Object.keys(chunks).join(', ')}`);
}
const name = chunk ?? 'all';

export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.mts', related: true },
  coverageAnalysis: 'perTest',
  mutate: chunk ? chunks[chunk] : [...chunks.rules, ...chunks.model, ...chunks.iam],
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 5000,
  incremental: true,
  // Unpacked from the committed mutation/incremental-<chunk>.json.gz by scripts/mutation.mjs
  // (run it, not `stryker run`, to use them): CI reruns only the mutants whose code or
  // covering tests changed.
  incrementalFile: `.stryker-incremental/incremental-${name}.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  thresholds: { high: 90, low: 80, break: null },
  // MUTATION_IGNORE: extra comma-separated patterns kept out of the sandbox (e.g. test files being written).
  ignorePatterns: ['dist', 'cdktf.out', 'reports', 'coverage', 'test/.tmp', 'bench', 'examples', 'mutation', '.stryker-incremental', ...(process.env.MUTATION_IGNORE ?? '').split(',').filter(Boolean)],
  tempDirName: `.stryker-tmp-${name}`,
};
