#!/usr/bin/env node
// The main job: synthesize the main example (examples/zitadel-single-host, via the root
// cdktf.json) with the real `cdktf synth`, then print the app-wide custody report as terminal
// text (at most 100 columns; lib/report/text-report.ts), rendered from custody-report.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { require as tsxRequire } from 'tsx/cjs/api';

const root = join(import.meta.dirname, '..');
// MAIN_JOB_OUTDIR lets a test synthesize elsewhere than the repository's cdktf.out.
const outdir = process.env.MAIN_JOB_OUTDIR ? resolve(process.env.MAIN_JOB_OUTDIR) : join(root, 'cdktf.out');
rmSync(outdir, { recursive: true, force: true });
const cdktf = join(root, 'node_modules', '.bin', 'cdktf');
const res = spawnSync(cdktf, ['synth', '--output', outdir], {
  cwd: root,
  env: { ...process.env, CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0' },
  encoding: 'utf8',
});
const report = join(outdir, 'custody-report.json');
if (res.status !== 0 || !existsSync(report)) {
  process.stderr.write(`${res.stdout ?? ''}${res.stderr ?? ''}\nmain job: cdktf synth failed (exit ${res.status}); see above\n`);
  process.exit(res.status || 1);
}
const { renderTextReport } = tsxRequire('../lib/report/text-report.ts', import.meta.url);
const tty = process.stdout.isTTY === true;
const width = tty && process.stdout.columns ? Math.max(60, Math.min(process.stdout.columns, 100)) : 100;
process.stdout.write(renderTextReport(JSON.parse(readFileSync(report, 'utf8')), { width, color: tty }));
const shown = relative(root, outdir) || '.';
process.stdout.write(
  `\nWritten to ${shown}/:\n` +
    '  custody-report.md (with the custody diagram) and custody-report.json for the app,\n' +
    '  and one pair per stack under stacks/<stack>/\n',
);
