/**
 * The README's reviewer guide shows real output: every table row and the diagram in it are
 * what the examples' reports say today (at the tests' clock), so the guide cannot drift.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../lib/report/markdown';
import { forStack } from '../../lib/report/summarize';
import { EXAMPLES, ROOT, exampleReport, tempDir } from './example-reports';

const tmp = tempDir();
const markdown: string[] = [];
beforeAll(async () => {
  for (const name of EXAMPLES) {
    const r = await exampleReport(name, tmp);
    markdown.push(renderMarkdown(r.data), ...r.data.stacks.map((s) => renderMarkdown(forStack(r.data, s))));
  }
}, 120_000);

function guide(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('### Reviewer guide: the five questions');
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf('\n### ', start + 1);
  return readme.slice(start, end);
}

describe('README reviewer guide', () => {
  it('answers each of the five questions', () => {
    const g = guide();
    for (const q of ['**1. Who can touch which store?**', '**2. Does 3-2-1 hold?**', '**3. When did the last drill pass?**', '**4. What was suppressed, by whom, and until when?**', '**5. What changed?**']) {
      expect(g).toContain(q);
    }
  });

  it('every table row and the diagram are real report output', () => {
    const g = guide();
    const rows = g.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect(markdown.some((md) => md.includes(`\n${row}\n`)), row).toBe(true);
    const diagram = /```mermaid\n([\s\S]*?)\n```/.exec(g)?.[1];
    expect(diagram).toBeDefined();
    expect(markdown.some((md) => md.includes(`\`\`\`mermaid\n${diagram}\n\`\`\``))).toBe(true);
    // Question 5 quotes `check --diff` output, checked in test/cli/readme-diff-excerpt.test.ts.
    const quoted = g.slice(0, g.indexOf('**5. What changed?**')).split('\n').filter((l) => l.startsWith('> ')).map((l) => l.slice(2));
    for (const q of quoted) expect(markdown.some((md) => md.includes(`\n${q}\n`)), q).toBe(true);
  });
});
