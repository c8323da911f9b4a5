/**
 * Issue 22: the terminal report is readable at 100 columns, and `npm run report` prints it
 * instead of raw Markdown whose table rows ran to 255 characters.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportData } from '../../lib/report/data';
import { forStack, summarizeModel } from '../../lib/report/summarize';
import { abbreviate, renderTextReport, textTable, wrap } from '../../lib/report/text-report';
import { fakeModel, fakeResult } from './fake-model';
import { EXAMPLES, NOW, ROOT, exampleReport, tempDir, type ExampleReport } from './example-reports';

const tmp = tempDir();
const reports: ExampleReport[] = [];
beforeAll(async () => {
  for (const name of EXAMPLES) reports.push(await exampleReport(name, tmp));
}, 120_000);

// eslint-disable-next-line no-control-regex -- stripping SGR sequences to measure what is visible
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
const columns = (line: string) => [...stripAnsi(line)].length;
const longest = (text: string) => Math.max(...text.split('\n').map(columns));

describe('the text report', () => {
  it('keeps every line of every example\'s report (app-wide and per stack) within 100 columns, and within 80 when asked', () => {
    for (const r of reports) {
      const parts: ReportData[] = [r.data, ...r.data.stacks.map((s) => forStack(r.data, s))];
      for (const data of parts) {
        expect(longest(renderTextReport(data)), r.name).toBeLessThanOrEqual(100);
        expect(longest(renderTextReport(data, { width: 80 })), r.name).toBeLessThanOrEqual(80);
        expect(longest(renderTextReport(data, { color: true })), r.name).toBeLessThanOrEqual(100);
      }
    }
  });

  it('answers the questions in sections a terminal reads: 3-2-1, containers, stores, who can touch what, drills, findings, suppressions', () => {
    const zitadel = reports.find((r) => r.name === 'zitadel-single-host')!;
    const text = renderTextReport(zitadel.data);
    for (const h of ['KEYS AND 3-2-1', 'CONTAINERS WITH A KEY', 'STORES', 'WHO CAN TOUCH WHICH STORE', 'RECOVERY DRILLS', 'FINDINGS', 'SUPPRESSIONS']) {
      expect(text).toContain(`\n${h}\n`);
    }
    expect(text.startsWith('Key custody report: PASS, 0 errors, 0 warnings, 0 suppressed in 5 stacks\n')).toBe(true);
    expect(text).toContain('  zitadel-master (app zitadel): 3-2-1 holds: 4 copies on 4 media, 2 offsite; drills: quarterly\n');
    // The matrix uses store tags, so a row is short; the deployers and their admin letter are in it.
    expect(text).toMatch(/\n {2}arn:aws:iam::111111111111:role\/key-custody-deployer +rwda\*\n/);
    expect(text).toContain('S2 key-custody/aws_s3_bucket.KeyBackups_Bucket_4054C801 (key-backup, s3');
    expect(text).toContain('2 principals reach no custody store: drill-schedule/aws_iam_role.DrillAws_HeartbeatRole_E8EDCA6A,');
    expect(text).toContain('last passed never recorded; next run\n    2027-01-04T10:00[Europe/Berlin]');
    expect(text).not.toMatch(/\| --- \|/);
  });

  it('wraps long findings and names, cuts table cells in the middle, and prints no raw control character', () => {
    const model = fakeModel();
    const result = fakeResult();
    const long = `KC011 ${'very-long-principal-name-'.repeat(8)}\u001b[31m reaches both sides ${'and more words '.repeat(20)}`;
    const data = summarizeModel(model, { ...result, findings: result.findings.map((f, i) => (i === 0 ? { ...f, message: long, address: `${f.address}${'x'.repeat(150)}` } : f)) }, { now: NOW });
    const text = renderTextReport(data);
    expect(longest(text)).toBeLessThanOrEqual(100);
    expect(text).not.toContain('\u001b');
    expect(text).toContain('\\x1b[31m');
    expect(text).toContain('FAIL, 2 errors, 1 warning, 1 suppressed in 2 stacks');
    expect(text).toContain('reason: rotation is handled by the HSM team');
  });

  it('abbreviate keeps both ends, wrap breaks at spaces and cuts words longer than a line, textTable falls back to records', () => {
    expect(abbreviate('aws_s3_bucket.KeyBackups_Bucket_4054C801', 20)).toBe('aws_s3_buc…_4054C801');
    expect(abbreviate('short', 20)).toBe('short');
    expect(wrap('one two three four', 9, '  ', '    ')).toEqual(['  one two', '    three', '    four']);
    expect(wrap('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
    const table = textTable(['A', 'B'], [['a'.repeat(30), 'b b b b b b b b b b b b b b b b b b b b']], 40);
    expect(table.every((l) => columns(l) <= 40)).toBe(true);
    // The first column is cut just enough to leave the wrapping last column 24 columns.
    expect(table[2]).toBe(`  ${'a'.repeat(6)}…${'a'.repeat(5)}  ${'b '.repeat(11)}b`);
    const records = textTable(['H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'H7'], [['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7'.repeat(40)]].map((r) => r.map((c) => c.repeat(9))), 40);
    expect(records[0]).toBe('  H1  v1v1v1v1v1v1v1v1v1');
    expect(records.every((l) => columns(l) <= 40)).toBe(true);
  });
});

describe('npm run report (the main job)', () => {
  it('synthesizes the main example and prints the text report within 100 columns, not raw Markdown', () => {
    const out = join(tmp, 'main-job-out');
    const res = spawnSync(process.execPath, [join(ROOT, 'scripts', 'main-job.mjs')], {
      cwd: ROOT,
      env: { ...process.env, MAIN_JOB_OUTDIR: out, CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout.startsWith('Key custody report: PASS, 0 errors, 0 warnings, 0 suppressed in 5 stacks\n')).toBe(true);
    expect(longest(res.stdout)).toBeLessThanOrEqual(100);
    expect(res.stdout).toContain('\nWHO CAN TOUCH WHICH STORE\n');
    expect(res.stdout).not.toContain('| --- |');
    expect(res.stdout).toContain('main-job-out/:\n  custody-report.md (with the custody diagram) and custody-report.json for the app,\n');
  }, 300_000);
});
