import { defineConfig } from 'vitest/config';

// The test set StrykerJS runs per mutant (`npm run mutation`): the unit tiers that exercise
// lib/rules and lib/model in process, plus the property tests at a reduced case count.
// The in-process CLI tests (check/formats on hand-written cdktf.out folders and plan JSON) exercise the
// model loaders and the rules end to end and take about a second, so they are in too.
// The synth-through-the-cdktf-CLI and Terraform tiers spawn processes and stay out.
export default defineConfig({
  test: {
    include: ['test/rules/**/*.test.ts', 'test/policy/**/*.test.ts', 'test/model/**/*.test.ts', 'test/report/**/*.test.ts', 'test/reliability/properties.test.ts', 'test/cli/main.test.ts', 'test/cli/formats.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
    // Test files share one module graph per StrykerJS worker: the instrumented library is
    // imported once instead of once per test file (the mutation test set runs in 18 s instead
    // of 45 s). Mutants are switched at run time and static mutants are ignored, so a shared
    // graph changes no result; the normal suite (vitest.config.mts) keeps isolation.
    isolate: false,
    env: { KEY_CUSTODY_FC_RUNS: '20', KEY_CUSTODY_FC_APP_RUNS: '0', KEY_CUSTODY_MUTATION: '1' },
  },
});
