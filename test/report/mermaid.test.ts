/**
 * Issue 22, "a picture": the Markdown report draws custody as a Mermaid flowchart. Every
 * example's diagram (app-wide and per stack) must parse with mermaid's own parser, and a
 * crossing planted through the constructs' API must be drawn red.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IConstruct } from 'constructs';
import { KeyBackupBucket } from '../../lib/constructs/buckets/key-backup-bucket';
import type { ReportData } from '../../lib/report/data';
import { renderMarkdown } from '../../lib/report/markdown';
import { CROSSING_COLOUR, custodyDiagram, mermaidLabel } from '../../lib/report/mermaid';
import { forStack, summarizeModel } from '../../lib/report/summarize';
import { fakeModel, fakeResult } from './fake-model';
import { EXAMPLES, NOW, exampleReport, tempDir } from './example-reports';

interface Mermaid {
  parse(text: string): Promise<unknown>;
}
let mermaid: Mermaid;
beforeAll(async () => {
  // Mermaid's parser needs a DOM in Node (it sanitizes labels with DOMPurify).
  // jsdom ships no types (and @types/jsdom is not installed): a computed specifier keeps tsc out of it.
  const jsdom = 'jsdom';
  const { JSDOM } = (await import(jsdom)) as { JSDOM: new (html: string) => { window: { document: unknown } } };
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  const g = globalThis as unknown as Record<string, unknown>;
  g.window = dom.window;
  g.document = dom.window.document;
  mermaid = ((await import('mermaid')) as unknown as { default: Mermaid }).default;
}, 60_000);

const tmp = tempDir();

/** The bodies of the ```mermaid blocks of a Markdown text. */
function mermaidBlocks(md: string): string[] {
  return [...md.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]);
}

async function parses(diagram: string): Promise<void> {
  await expect(mermaid.parse(diagram), diagram).resolves.toBeTruthy();
}

describe('the custody diagram', () => {
  it('the parser used here rejects a broken diagram (so a pass below means something)', async () => {
    await expect(mermaid.parse('flowchart LR\n  a[("unclosed\n  a --> ')).rejects.toThrow();
    await expect(mermaid.parse('flowchart LR\n  subgraph x["t"]\n  a --> b\n')).rejects.toThrow();
  });

  for (const name of EXAMPLES) {
    it(`${name}: the app-wide and every per-stack report have a diagram that parses`, async () => {
      const r = await exampleReport(name, tmp);
      const md = readFileSync(join(r.outdir, 'custody-report.md'), 'utf8');
      const [block, ...more] = mermaidBlocks(md);
      expect(more).toEqual([]);
      expect(block).toBeDefined();
      await parses(block);
      // Grouped by side and account, one edge per principal and store it reaches.
      expect(block).toContain('subgraph side_db["DB-backup side"]');
      expect(block).toContain('subgraph side_key["Key side (key backups and key stores)"]');
      expect(block).toMatch(/subgraph g\d+\["account 111111111111"\]/);
      const edges = block.split('\n').filter((l) => / -->\|| -\.->\|/.test(l));
      expect(edges.length).toBe(r.data.access.rows.reduce((n, row) => n + Object.keys(row.cells).length, 0));
      // The examples keep custody separate: nothing is red.
      expect(block).not.toContain('linkStyle');
      expect(md).toContain('No principal reaches both sides.');
      for (const stack of r.stacks) {
        const one = readFileSync(join(r.outdir, 'stacks', stack, 'custody-report.md'), 'utf8');
        for (const b of mermaidBlocks(one)) await parses(b);
      }
    }, 60_000);
  }

  it('a crossing planted through the constructs (the DB deployer granted read on the key bucket) is drawn red, and parses', async () => {
    const crosser = 'arn:aws:iam::222222222222:role/db-backups-deployer';
    const r = await exampleReport('zitadel-single-host', tmp, (app) => {
      const bucket = app.node.findAll().find((c: IConstruct): c is KeyBackupBucket => c instanceof KeyBackupBucket);
      if (!bucket) throw new Error('the example has no KeyBackupBucket');
      bucket.grantRead(crosser);
    });
    // KC011 refuses the synth; the app-wide report it writes carries the picture.
    expect(String(r.error)).toContain('KC011');
    const md = readFileSync(join(r.outdir, 'custody-report.md'), 'utf8');
    const [block] = mermaidBlocks(md);
    await parses(block);

    // The stack outputs are gone: the report data is what the synth wrote beside the Markdown.
    const data = JSON.parse(readFileSync(join(r.outdir, 'custody-report.json'), 'utf8')) as ReportData;
    const d = custodyDiagram(data);
    expect(d.crossing).toEqual([crosser]);
    const red = d.edges.flatMap((e, i) => (e.crossing ? [i] : []));
    expect(red.length).toBe(2);
    expect(d.edges.filter((e) => e.crossing).every((e) => e.principal === crosser)).toBe(true);
    expect(new Set(d.edges.filter((e) => e.crossing).map((e) => data.stores.find((s) => s.ref === e.store)?.role))).toEqual(new Set(['db-backup', 'key-backup']));
    expect(block).toContain(`linkStyle ${red.join(',')} stroke:${CROSSING_COLOUR},stroke-width:3px,color:${CROSSING_COLOUR}`);
    // linkStyle counts edges in the order they are written: the red indices are the crosser's lines.
    const edgeLines = block.split('\n').filter((l) => / -->\|| -\.->\|/.test(l));
    const crosserId = /(p\d+)\["external arn:aws:iam::222222222222:role\/db-backups-deployer"\]/.exec(block)?.[1];
    expect(crosserId).toBeDefined();
    expect(edgeLines.flatMap((l, i) => (l.trim().startsWith(`${crosserId} `) ? [i] : []))).toEqual(red);
    // The crosser sits outside both sides, in a group of its own, styled red.
    expect(block).toContain(`subgraph both_sides["Reaches both sides (KC011)"]\n    ${crosserId}[`);
    expect(block).toContain(`class ${crosserId} crossing`);
    expect(md).toContain(`In red: \`${crosser}\` reaches both the DB-backup side and the key side (KC011).`);
  }, 60_000);

  it('names with quotes, #, angle brackets, backticks and pipes are drawn as text and still parse', async () => {
    const base = summarizeModel(fakeModel(), fakeResult(), { now: NOW });
    const hostile = 'a"b #quot; <script>`x`|y] [z (w)';
    const data: ReportData = {
      ...base,
      stores: base.stores.map((s, i) => (i === 0 ? { ...s, name: hostile } : s)),
      access: { ...base.access, rows: base.access.rows.map((r, i) => (i === 0 ? { ...r, principal: `${r.principal}${hostile}`, kind: 'role"x' } : r)) },
    };
    const d = custodyDiagram(data);
    expect(d.source).toBeDefined();
    await parses(d.source!);
    expect(d.source).not.toContain('<script>');
    expect(mermaidLabel(hostile)).toBe('a#quot;b #35;quot; #lt;script#gt;#96;x#96;|y] [z (w)');
    // The fake model's ops user reaches both sides: its edges are red, and the per-stack diagram parses too.
    expect(d.crossing).toHaveLength(1);
    for (const stack of base.stacks) for (const b of mermaidBlocks(renderMarkdown(forStack(base, stack)))) await parses(b);
  });

  it('leaves a diagram out, saying why, when it would be too large to render', () => {
    const base = summarizeModel(fakeModel(), fakeResult(), { now: NOW });
    const stores = Array.from({ length: 400 }, (_, i) => `k/s${i}`);
    const rows = [{ principal: 'p/admin', kind: 'role', role: null, cells: Object.fromEntries(stores.map((s) => [s, 'r'])) }];
    const data = { ...base, access: { ...base.access, stores, rows } };
    const d = custodyDiagram(data);
    expect(d.source).toBeUndefined();
    expect(renderMarkdown(data)).toContain('No diagram: 400 access edges are more than a diagram can show (300); the access matrix lists them.');
  });
});
