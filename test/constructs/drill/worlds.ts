import { afterAll, beforeAll } from 'vitest';
import { drillWorld, loadCatalogue, type DrillWorld, type DrillWorldOptions } from './fixtures';

// The vitest side of fixtures.ts, which stays importable outside a test run.

/**
 * The `world()` of one test file: loads the rule catalogue before its tests and removes
 * every world it built after them.
 */
export function drillWorlds(): (opts?: DrillWorldOptions) => DrillWorld {
  const worlds: DrillWorld[] = [];
  beforeAll(async () => {
    await loadCatalogue();
  });
  afterAll(() => {
    for (const w of worlds.splice(0)) w.cleanup();
  });
  return (opts?: DrillWorldOptions): DrillWorld => {
    const w = drillWorld(opts);
    worlds.push(w);
    return w;
  };
}
