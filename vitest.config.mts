import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Synth and terraform tiers spawn processes; a generous timeout keeps a slow CI box from flaking.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
