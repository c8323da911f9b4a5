#!/usr/bin/env node
// Adds up the JSON reports of the mutation chunks (reports/mutation/{rules,model,iam}.json,
// written by `MUTATION_CHUNK=<chunk> npx stryker run`) into the score of lib/rules, lib/model
// and both together, the way Stryker counts it: detected (killed, timed out) over valid
// mutants (detected, survived, no coverage); compile/runtime errors and ignored mutants are
// not valid. `--break N` exits 1 when the total is below N %. `--files` lists every file.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const breakAt = args.includes('--break') ? Number(args[args.indexOf('--break') + 1]) : undefined;
const chunks = ['rules', 'model', 'iam'];
const perFile = new Map();
const missing = [];
for (const c of chunks) {
  const file = join(root, 'reports', 'mutation', `${c}.json`);
  if (!existsSync(file)) {
    missing.push(c);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  for (const [name, f] of Object.entries(report.files)) {
    const t = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, invalid: 0, ignored: 0 };
    for (const m of f.mutants) {
      if (m.status === 'Killed') t.killed++;
      else if (m.status === 'Timeout') t.timeout++;
      else if (m.status === 'Survived') t.survived++;
      else if (m.status === 'NoCoverage') t.noCoverage++;
      else if (m.status === 'Ignored') t.ignored++;
      else t.invalid++;
    }
    perFile.set(name.replace(/\\/g, '/'), t);
  }
}
const add = (a, b) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k] + b[k]]));
const zero = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, invalid: 0, ignored: 0 };
const score = (t) => {
  const valid = t.killed + t.timeout + t.survived + t.noCoverage;
  return valid === 0 ? NaN : (100 * (t.killed + t.timeout)) / valid;
};
const row = (name, t) =>
  `${name.padEnd(48)} ${score(t).toFixed(2).padStart(7)}  ${String(t.killed).padStart(6)} ${String(t.timeout).padStart(7)} ${String(t.survived).padStart(8)} ${String(t.noCoverage).padStart(6)} ${String(t.invalid).padStart(7)} ${String(t.ignored).padStart(7)}`;
const lines = [`${'scope'.padEnd(48)} ${'score %'.padStart(7)}  ${'killed'.padStart(6)} ${'timeout'.padStart(7)} ${'survived'.padStart(8)} ${'no cov'.padStart(6)} ${'invalid'.padStart(7)} ${'ignored'.padStart(7)}`];
if (args.includes('--files')) for (const [name, t] of [...perFile].sort()) lines.push(row(name, t));
let total = zero;
for (const dir of ['lib/rules/', 'lib/policy/', 'lib/model/']) {
  let t = zero;
  for (const [name, ft] of perFile) if (name.startsWith(dir)) t = add(t, ft);
  total = add(total, t);
  lines.push(row(dir, t));
}
lines.push(row('lib/rules + lib/policy + lib/model', total));
process.stdout.write(`${lines.join('\n')}\n`);
if (missing.length) process.stdout.write(`missing chunk reports: ${missing.join(', ')} (run MUTATION_CHUNK=<chunk> npx stryker run)\n`);
const s = score(total);
if (breakAt !== undefined && (missing.length > 0 || !(s >= breakAt))) {
  process.stderr.write(`mutation score ${Number.isNaN(s) ? 'unknown' : s.toFixed(2)} % is below the break threshold ${breakAt} %${missing.length ? ' (chunks missing)' : ''}\n`);
  process.exit(1);
}
