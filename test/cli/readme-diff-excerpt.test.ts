/**
 * The README reviewer guide's question 5 quotes `key-custody check --diff` output: every quoted
 * line is what the command prints today for the example and its crossing variant (headings
 * are quoted one level lower, so only their text is compared).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/main';
import { ALL_RULES } from '../../lib/rules';
import { synthCrossingVariant, synthExample } from './example-variants';

const tmp = mkdtempSync(join(tmpdir(), 'kc-readme-diff-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let output = '';
let code = -1;
beforeAll(async () => {
  const base = synthExample(join(tmp, 'main', 'cdktf.out'));
  const head = synthCrossingVariant(join(tmp, 'head', 'cdktf.out'));
  code = await main(['check', head, '--diff', base], {
    stdout: { write: (s: string) => (output += s) },
    stderr: { write: () => undefined },
    isTTY: false,
    rules: ALL_RULES,
    today: '2030-01-01',
  });
}, 120_000);

const heading = (l: string): string => l.replace(/^#+ /, '# ');

describe('README reviewer guide, question 5', () => {
  it('quotes real --diff output line by line', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const start = readme.indexOf('**5. What changed?**');
    expect(start).toBeGreaterThan(0);
    const section = readme.slice(start, readme.indexOf('\n### ', start));
    const quoted = section.split('\n').filter((l) => l.startsWith('> ') && l.length > 2).map((l) => heading(l.slice(2)));
    expect(quoted.length).toBeGreaterThan(8);
    // Paths differ between the README's command and this test's temp folders.
    const lines = new Set(output.split('\n').map((l) => heading(l.replaceAll(join(tmp, 'main'), 'main').replaceAll(join(tmp, 'head', 'cdktf.out'), 'cdktf.out'))));
    for (const q of quoted) expect(lines.has(q), q).toBe(true);
    expect(code).toBe(1);
  });
});
