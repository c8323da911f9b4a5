/** B4 baseline child: `node parse.js <file>...`: read each file and `JSON.parse` it, nothing else. */
import { readFileSync } from 'node:fs';
import { report, since } from './report';

let readMs = 0;
let parseMs = 0;
let keys = 0;
for (const file of process.argv.slice(2)) {
  const t0 = performance.now();
  const text = readFileSync(file, 'utf8');
  readMs += since(t0);
  const t1 = performance.now();
  const json = JSON.parse(text) as Record<string, unknown>;
  parseMs += since(t1);
  keys += Object.keys(json).length;
}
report({ readMs, parseMs, workMs: readMs + parseMs, keys });
