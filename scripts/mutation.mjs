#!/usr/bin/env node
// `npm run mutation [-- rules model iam] [-- --break 80]`: runs StrykerJS chunk by chunk (see
// stryker.config.mjs), each incremental against the committed mutation/incremental-<chunk>.json.gz,
// then prints the score of lib/rules and lib/model (scripts/mutation-score.mjs). Exit 1 when a
// chunk fails or, with --break N, when the total score is below N %.
//
// The incremental files are committed gzipped (1 MB instead of 24 MB per update): Stryker reads
// and writes the plain JSON in .stryker-incremental/ (git-ignored), unpacked here before a chunk
// and packed back after it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

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
const work = join(root, '.stryker-incremental');
mkdirSync(work, { recursive: true });
for (const chunk of chunks.length ? chunks : all) {
  process.stdout.write(`=== mutation: ${chunk}\n`);
  const packed = join(root, 'mutation', `incremental-${chunk}.json.gz`);
  const plain = join(work, `incremental-${chunk}.json`);
  if (existsSync(packed)) writeFileSync(plain, gunzipSync(readFileSync(packed)));
  else process.stdout.write(`mutation: no ${packed}; chunk ${chunk} runs from scratch\n`);
  const res = spawnSync('npx', ['stryker', 'run'], { cwd: root, stdio: 'inherit', env: { ...process.env, MUTATION_CHUNK: chunk } });
  if (res.status !== 0) {
    process.stderr.write(`mutation: chunk ${chunk} failed (exit ${res.status})\n`);
    failed = true;
  } else if (existsSync(plain)) {
    writeFileSync(packed, gzipSync(readFileSync(plain), { level: 9 }));
  }
}
const breakArgs = args.includes('--break') ? ['--break', args[args.indexOf('--break') + 1]] : [];
const score = spawnSync(process.execPath, [join(root, 'scripts', 'mutation-score.mjs'), '--files', ...breakArgs], { cwd: root, stdio: 'inherit' });
process.exit(failed || score.status !== 0 ? 1 : 0);
