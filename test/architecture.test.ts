/**
 * The floors of lib/ (docs/ARCHITECTURE.md): code depends only downwards, files stay small,
 * rules keep no caches of their own, and only cdktf's public API is used.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const lib = join(root, 'lib');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return e.isFile() && p.endsWith('.ts') ? [p] : [];
  });
}

const sources = files(lib).map((f) => ({ file: relative(root, f), text: readFileSync(f, 'utf8') }));

/** The lib/ folders a file imports from (its own folder excluded). */
function importedFloors(file: string, text: string): string[] {
  const floor = file.split('/')[1];
  const out = new Set<string>();
  for (const m of text.matchAll(/from '(\.[^']*)'/g)) {
    const target = relative(lib, join(root, file, '..', m[1]));
    const top = target.split('/')[0];
    if (!target.startsWith('..') && top !== floor) out.add(top.replace(/\.ts$/, ''));
  }
  return [...out];
}

/** What each floor may import; anything else is an upward or sideways dependency. */
const ALLOWED: Record<string, readonly string[]> = {
  policy: [],
  vendor: [],
  profiles: ['policy'],
  model: ['policy'],
  rules: ['model', 'policy'],
  report: ['model', 'policy', 'rules'],
  synth: ['model', 'policy', 'report', 'rules', 'vendor'],
  keyfile: ['policy', 'profiles'],
  ceremony: ['keyfile', 'policy', 'profiles'],
  constructs: ['model', 'policy', 'profiles', 'rules', 'synth', 'vendor'],
  cli: ['ceremony', 'keyfile', 'model', 'policy', 'profiles', 'report', 'rules'],
};

describe('architecture', () => {
  it('every floor imports only the floors below it', () => {
    const wrong: string[] = [];
    for (const { file, text } of sources) {
      const floor = file.split('/')[1];
      if (floor === 'index.ts') continue;
      const allowed = ALLOWED[floor];
      expect(allowed, `${file}: lib/${floor} is not in docs/ARCHITECTURE.md`).toBeDefined();
      for (const f of importedFloors(file, text)) if (!allowed.includes(f)) wrong.push(`${file} imports lib/${f}`);
    }
    expect(wrong).toEqual([]);
  });

  it('the model never imports cdktf, and the rules import no construct', () => {
    for (const { file, text } of sources) {
      if (file.startsWith('lib/model/') || file.startsWith('lib/rules/') || file.startsWith('lib/policy/')) {
        expect(text, file).not.toMatch(/from '(cdktf|constructs|@cdktf\/[^']*)'/);
      }
    }
  });

  it('no file in lib/ is over 600 lines', () => {
    const big = sources.filter((s) => s.text.split('\n').length > 600).map((s) => `${s.file}: ${s.text.split('\n').length}`);
    expect(big).toEqual([]);
  });

  it('the rules keep no caches: indexes are views of the model', () => {
    expect(sources.filter((s) => s.file.startsWith('lib/rules/') && /\bWeakMap\b/.test(s.text)).map((s) => s.file)).toEqual([]);
  });

  it('no cdktf internal is imported (public API only, as on its fork cdktn), cdktf only by that name, and providers only by deep path', () => {
    // Static imports, require() and import() alike: an internal of cdktf can move on any release of a fork.
    const internals = sources.filter((s) => /(from |require\(|import\()\s*['"](cdktf|cdktn)\/lib(\/|['"])/.test(s.text)).map((s) => s.file);
    expect(internals).toEqual([]);
    // Users alias cdktn as "cdktf" ("cdktf": "npm:cdktn@..."); a library import of "cdktn" would load a second copy.
    expect(sources.filter((s) => /(from |require\(|import\()\s*['"]cdktn['"/]/.test(s.text)).map((s) => s.file)).toEqual([]);
    expect(sources.filter((s) => /from '@cdktf\/provider-(aws|docker)'/.test(s.text)).map((s) => s.file)).toEqual([]);
  });

  it('the action lists and the cron parser exist once', () => {
    // Every S3/KMS/secret action list is in lib/policy/perms.ts; a literal list elsewhere is a second copy.
    // The AWS-managed policy table is not one: it records what AWS's own policies grant.
    const lists = sources.filter((s) => !s.file.startsWith('lib/policy/') && s.file !== 'lib/model/iam/aws-managed.ts' && /\[\s*'(s3|kms):[A-Za-z]+',\s*'(s3|kms):/.test(s.text)).map((s) => s.file);
    expect(lists).toEqual([]);
    const cron = sources.filter((s) => /function (parseCron|analyzeSchedule|nextCronRun)\b/.test(s.text)).map((s) => s.file);
    expect(new Set(cron)).toEqual(new Set(['lib/policy/schedule.ts']));
    const addDays = sources.filter((s) => /function addDays\b/.test(s.text)).map((s) => s.file);
    expect(addDays).toEqual(['lib/policy/dates.ts']);
  });
});
