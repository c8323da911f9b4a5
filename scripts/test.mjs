#!/usr/bin/env node
// Runs the whole suite with vitest and ends with the plain `N passed, N failed` line
// that CI reads (vitest's own summary is not read there).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = join(root, 'reports', 'vitest.json');
mkdirSync(join(root, 'reports'), { recursive: true });
if (existsSync(out)) rmSync(out);

const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)];
const res = spawnSync('npx', args, { cwd: root, stdio: 'inherit', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(out)) {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  passed = r.numPassedTests ?? 0;
  // numFailedTestSuites counts every describe block around a failed test too, so count only the
  // files that failed without a failed test (import/collection errors, failing hooks) on top.
  const brokenFiles = (r.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  failed = (r.numFailedTests ?? 0) + brokenFiles;
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
} else {
  failed = 1;
}
if (res.status !== 0 && failed === 0) failed = 1;
// Steps that failed before the tests (set by .ci/run: install, typecheck, lint) count as failures
// here so that the one summary line CI reads cannot say "0 failed" after a red typecheck.
const failedSteps = (process.env.KEY_CUSTODY_CI_FAILED_STEPS ?? '').split(/\s+/).filter(Boolean);
if (failedSteps.length) {
  process.stdout.write(`\nfailed before the tests: ${failedSteps.join(', ')}\n`);
  failed += failedSteps.length;
}
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed > 0 ? 1 : 0);
