/**
 * The access model against an independent policy evaluator (@cloud-copilot/iam-simulate, a
 * dev-only dependency): on random small scenarios (oracle/scenario.ts) every read, write or
 * delete the evaluator allows must be a grant of the model. The model may over-report
 * (a grant the evaluator denies); it must never miss one.
 *
 * KEY_CUSTODY_ORACLE_SEED (default below) and KEY_CUSTODY_ORACLE_RUNS (default 500; else
 * KEY_CUSTODY_FC_RUNS, which the mutation run lowers) choose the cases. The seed is in the
 * test names; on failure fast-check prints the shrunk scenario and the replay path.
 *
 * The over-report count of the default seed and case count is tracked in
 * oracle/over-reports.json and shown in a test name: a change either way fails until the
 * file is updated, so a rise is a visible decision.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, missed, overReported, unpinned, type Comparison } from './oracle/compare';
import { terraformJson } from './oracle/render';
import { scenarioArb, type Scenario } from './oracle/scenario';

const DEFAULT_SEED = 1717;
const DEFAULT_RUNS = 500;
const SEED = Number(process.env.KEY_CUSTODY_ORACLE_SEED ?? DEFAULT_SEED);
const RUNS = Number(process.env.KEY_CUSTODY_ORACLE_RUNS ?? process.env.KEY_CUSTODY_FC_RUNS ?? DEFAULT_RUNS);

interface Tracked {
  readonly seed: number;
  readonly runs: number;
  readonly overReports: number;
  readonly unpinned: number;
  readonly comparisons: number;
}
const TRACKED_FILE = join(__dirname, 'oracle', 'over-reports.json');
const tracked = JSON.parse(readFileSync(TRACKED_FILE, 'utf8')) as Tracked;

const describeMissed = (sc: Scenario, cs: readonly Comparison[]) =>
  `missed: ${missed(cs)
    .map((c) => `${c.principal} ${c.access} (oracle allows ${c.allowedBy})`)
    .join('; ')}\nTerraform JSON: ${JSON.stringify(terraformJson(sc))}`;

describe('the access model against an independent IAM evaluator', async () => {
  // One seeded run computes both figures before the tests are named, so the over-report
  // count can be in a test name. Shrinking happens here too, only when a case fails.
  let comparisons = 0;
  let overReports = 0;
  let unpinnedCount = 0;
  let counting = true;
  const details = await fc.check(
    fc.asyncProperty(scenarioArb, async (sc) => {
      const cs = await compare(sc);
      if (counting) {
        comparisons += cs.length;
        overReports += overReported(cs).length;
        unpinnedCount += unpinned(cs).length;
      }
      if (missed(cs).length > 0) {
        counting = false;
        throw new Error(describeMissed(sc, cs));
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );

  it(`misses no grant the evaluator allows [seed ${SEED}, ${RUNS} cases]`, () => {
    if (details.failed) throw new Error(`${fc.defaultReportMessage(details) ?? 'the oracle property failed'}\n${String(details.errorInstance)}`);
    expect(details.numRuns).toBe(RUNS);
  });

  // An over-report is a grant the oracle denies in every account layout the configuration
  // allows; one that another layout allows (unpinned providers) is counted apart.
  it(`over-reports: ${overReports} of ${comparisons} comparisons (${unpinnedCount} more allowed in another account layout) [seed ${SEED}, ${RUNS} cases]`, () => {
    if (SEED !== tracked.seed || RUNS !== tracked.runs || details.failed) return;
    const now = { overReports, unpinned: unpinnedCount, comparisons };
    expect(now, `the over-report counts changed from ${JSON.stringify(tracked)}: if that is meant, write ${JSON.stringify(now)} into ${TRACKED_FILE}`).toEqual({
      overReports: tracked.overReports,
      unpinned: tracked.unpinned,
      comparisons: tracked.comparisons,
    });
  });
});
