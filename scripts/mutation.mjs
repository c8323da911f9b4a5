#!/usr/bin/env node
// `npm run mutation [-- rules model iam] [-- --break 80]`: runs StrykerJS chunk by chunk (see
// stryker.config.mjs), each incremental against mutation/incremental-<chunk>.json, then prints
// the score of lib/rules and lib/model (scripts/mutation-score.mjs). Exit 1 when a chunk fails
// or, with --break N, when the total score is below N %.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const all = ['rules', 'model', 'iam'];
const chunks = args.filter((a) => all.includes(a));
const unknown = args.filter((a, i) => !all.includes(a) && a !== '--break' && args[i - 1] !== '--break');
if (unknown.length) {
  process.stderr.write(`mutation: unknown argument(s) ${unknown.join(' ')}; give chunks (${all.join(', ')}) and optionally --break <percent>\n`);
  process.exit(2);
}
let failed = false;
for (const chunk of chunks.length ? chunks : all) {
  process.stdout.write(`=== mutation: ${chunk}\n`);
  const res = spawnSync('npx', ['stryker', 'run'], { cwd: root, stdio: 'inherit', env: { ...process.env, MUTATION_CHUNK: chunk } });
  if (res.status !== 0) {
    process.stderr.write(`mutation: chunk ${chunk} failed (exit ${res.status})\n`);
    failed = true;
  }
}
const breakArgs = args.includes('--break') ? ['--break', args[args.indexOf('--break') + 1]] : [];
const score = spawnSync(process.execPath, [join(root, 'scripts', 'mutation-score.mjs'), '--files', ...breakArgs], { cwd: root, stdio: 'inherit' });
process.exit(failed || score.status !== 0 ? 1 : 0);
