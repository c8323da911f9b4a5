#!/usr/bin/env node
// `node scripts/mutation-remap.mjs [--dry]`: carries the committed Stryker incremental results
// (mutation/incremental-<chunk>.json.gz) across a restructuring that moved code and tests
// between files. Stryker matches results by file path, so a moved function or test would be
// rerun from scratch (about two hours on 2 cores for the whole library). This script only
// relabels; Stryker still decides what is reused when `npm run mutation` runs next:
//
// - Mutants: for each file now in a chunk's mutate scope, the old files that share at least
//   MIN_SHARED significant lines with it are concatenated (in the order their lines appear in
//   the new file) and stored as that file's previous source, with their mutants' locations
//   shifted to match. Stryker then diffs that previous source against the current file, as it
//   does for any edited file: a mutant is reused only where its code is unchanged text, and
//   everything else is rerun.
// - Tests: Stryker's vitest runner reports tests without locations, so a test is identified by
//   its file and full name. A test is carried to its new file only when the new file holds a
//   call with the same describe chain and title whose text is identical to the old call (or,
//   for titles built at run time, when the whole file is unchanged apart from imports). Tests
//   that changed are dropped, so the mutants they killed are rerun.
//
// Each new chunk report draws on all three old reports, since code can move between chunks.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, matchesGlob } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import ts from 'typescript';
import { chunks } from '../stryker.config.mjs';

const root = join(import.meta.dirname, '..');
const dry = process.argv.includes('--dry');
const MIN_SHARED = 5;
const SHARE = 0.3;
const oldChunks = ['rules', 'model', 'iam'];

function walk(dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return walk(rel);
    return e.isFile() && rel.endsWith('.ts') ? [rel] : [];
  });
}
const matches = (file, patterns) => patterns.some((p) => !p.startsWith('!') && matchesGlob(file, p)) && !patterns.some((p) => p.startsWith('!') && matchesGlob(file, p.slice(1)));

const significant = (line) => {
  const t = line.trim();
  return t.length >= 20 && !/^(import |\/\/|\/\*|\*)/.test(t);
};
const sigLines = (src) => src.split('\n').filter(significant).map((l) => l.trim());

// ---- old results ----
const old = oldChunks.map((c) => ({ chunk: c, report: JSON.parse(gunzipSync(readFileSync(join(root, 'mutation', `incremental-${c}.json.gz`)))) }));
const oldFiles = old.flatMap(({ chunk, report }) => Object.entries(report.files).map(([path, f]) => ({ chunk, path, file: f, sig: new Set(sigLines(f.source)) })));

// ---- tests: identify calls by describe chain + title ----
const TEST_FNS = new Set(['it', 'test']);
const SUITE_FNS = new Set(['describe']);
function callName(expr) {
  // it(...), it.each(...)(...) is dynamic; it.skip/only/concurrent(...) counts as it.
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression)) return expr.expression.text;
  return undefined;
}
function literal(node) {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}
/** Map full test name -> call text; `dynamic` when some title is computed. */
function testCalls(source, fileName) {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const calls = new Map();
  let dynamic = false;
  const visit = (node, chain) => {
    if (ts.isCallExpression(node)) {
      const fn = callName(node.expression);
      if (fn && (TEST_FNS.has(fn) || SUITE_FNS.has(fn))) {
        const title = literal(node.arguments[0]);
        const next = title === undefined || chain === undefined ? undefined : [...chain, title];
        if (TEST_FNS.has(fn)) {
          if (next === undefined) dynamic = true;
          else calls.set(next.join(' ').trim(), node.getText(sf));
          return;
        }
        node.arguments.slice(1).forEach((a) => visit(a, next));
        return;
      }
    }
    ts.forEachChild(node, (c) => visit(c, chain));
  };
  visit(sf, []);
  const withoutImports = sf.statements.filter((s) => !ts.isImportDeclaration(s)).map((s) => s.getText(sf)).join('\n');
  return { calls, dynamic, withoutImports };
}

const mutationTestGlobs = (() => {
  const cfg = readFileSync(join(root, 'vitest.mutation.config.mts'), 'utf8');
  const m = /include:\s*\[([^\]]*)\]/.exec(cfg);
  return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
})();
const currentTests = walk('test').filter((f) => matches(f, mutationTestGlobs));
const currentTestInfo = new Map(currentTests.map((f) => [f, { source: readFileSync(join(root, f), 'utf8') }]));
for (const [f, info] of currentTestInfo) Object.assign(info, testCalls(info.source, f));
const newByName = new Map();
for (const [f, info] of currentTestInfo) for (const [name, text] of info.calls) (newByName.get(name) ?? newByName.set(name, []).get(name)).push({ file: f, text });

/** (old chunk, old test id) -> { file, name } in the current tree, or absent. */
function mapTests(report) {
  const out = new Map();
  for (const [oldFile, tf] of Object.entries(report.testFiles ?? {})) {
    const oldInfo = tf.source === undefined ? undefined : testCalls(tf.source, oldFile);
    for (const t of tf.tests) {
      const oldText = oldInfo?.calls.get(t.name);
      if (oldText !== undefined) {
        const cands = (newByName.get(t.name) ?? []).filter((c) => c.text === oldText);
        const pick = cands.find((c) => c.file === oldFile) ?? (cands.length === 1 ? cands[0] : undefined);
        if (pick) out.set(t.id, { file: pick.file, name: t.name });
        continue;
      }
      // A title computed at run time: carry it only with a file unchanged apart from imports.
      if (oldInfo) {
        const same = [...currentTestInfo].sort(([a], [b]) => Number(b === oldFile) - Number(a === oldFile)).find(([, info]) => info.withoutImports === oldInfo.withoutImports);
        if (same) out.set(t.id, { file: same[0], name: t.name });
      }
    }
  }
  return out;
}

const translations = new Map(old.map(({ chunk, report }) => [chunk, mapTests(report)]));
const carriedTests = [...translations.values()].reduce((n, tr) => n + tr.size, 0);
const oldTests = old.reduce((n, { report }) => n + Object.values(report.testFiles ?? {}).reduce((k, tf) => k + tf.tests.length, 0), 0);
for (const [newChunk, patterns] of Object.entries(chunks)) {
  const base = old.find((o) => o.chunk === newChunk)?.report ?? old[0].report;
  // New test table for this report: one id per (file, name).
  const testIds = new Map();
  const testFiles = Object.fromEntries(currentTests.map((f) => [f, { source: currentTestInfo.get(f).source, tests: [] }]));
  const idFor = ({ file, name }) => {
    const key = `${file}\n${name}`;
    let id = testIds.get(key);
    if (id === undefined) {
      id = String(testIds.size);
      testIds.set(key, id);
      testFiles[file].tests.push({ id, name });
    }
    return id;
  };
  const translate = (chunk, ids) => (ids ?? []).map((id) => translations.get(chunk).get(id)).filter(Boolean).map(idFor);

  const files = {};
  const current = walk('lib').filter((f) => matches(f, patterns));
  for (const f of current) {
    const source = readFileSync(join(root, f), 'utf8');
    const lines = sigLines(source);
    const index = new Map();
    lines.forEach((l, i) => index.has(l) || index.set(l, i));
    const cands = oldFiles
      .map((o) => {
        let shared = 0;
        let first = Infinity;
        for (const l of o.sig) {
          if (index.has(l)) {
            shared++;
            first = Math.min(first, index.get(l));
          }
        }
        return { o, shared, first };
      })
      // A handful of shared lines between two rules is idiom, not moved code: the old file must
      // make up a good part of the new one, or the new one of the old.
      .filter((c) => (c.o.path === f && c.shared > 0) || (c.shared >= MIN_SHARED && c.shared >= SHARE * Math.min(lines.length, c.o.sig.size)))
      .sort((a, b) => a.first - b.first);
    if (cands.length === 0) continue;
    let prev = '';
    let offset = 0;
    const mutants = [];
    for (const { o } of cands) {
      const src = o.file.source.endsWith('\n') ? o.file.source : `${o.file.source}\n`;
      for (const m of o.file.mutants) {
        mutants.push({
          ...m,
          id: String(mutants.length),
          location: { start: { ...m.location.start, line: m.location.start.line + offset }, end: { ...m.location.end, line: m.location.end.line + offset } },
          killedBy: translate(o.chunk, m.killedBy),
          coveredBy: translate(o.chunk, m.coveredBy),
        });
      }
      prev += src;
      offset += src.split('\n').length - 1;
    }
    files[f] = { language: 'typescript', source: prev, mutants };
    process.stdout.write(`${newChunk}: ${f} <- ${cands.map((c) => `${c.o.path} (${c.shared})`).join(', ')}\n`);
  }
  const report = { ...base, files, testFiles };
  if (!dry) writeFileSync(join(root, 'mutation', `incremental-${newChunk}.json.gz`), gzipSync(JSON.stringify(report), { level: 9 }));
  process.stdout.write(`${newChunk}: ${Object.keys(files).length} files, ${Object.values(files).reduce((n, x) => n + x.mutants.length, 0)} previous mutants, ${testIds.size} tests carried\n`);
}
process.stdout.write(`tests: ${carriedTests} of ${oldTests} old test entries map to an unchanged test in the current tree\n`);
