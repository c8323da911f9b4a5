/**
 * The no-`--source` note (issue 18) in every format: the text line, a `sourceNote` field in
 * JSON, a run-level notification and property in SARIF (still valid SARIF 2.1.0).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { run } from './fixtures';

const UNPROVEN = join(__dirname, '..', 'fixtures', 'plans', 'unproven.plan.json');
const PROVEN = join(__dirname, '..', 'fixtures', 'plans', 'modules.json');

function sarifValidator() {
  const req = createRequire(__filename);
  const file = join(req.resolve('@microsoft/jest-sarif/package.json'), '..', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
}

describe('the note for plans checked without --source', () => {
  it('text: one line that names the value and says how --source proves it', async () => {
    const r = await run(['check', UNPROVEN]);
    expect(r.stdout).toMatch(/note: 1 value\(s\) of the plan could not be proven \(aws_s3_bucket_policy\.p policy\).*Pass --source <dir>/);
  });

  it('json: a sourceNote field with the values and the message; the findings and summary stay as they were', async () => {
    const r = await run(['check', UNPROVEN, '--format', 'json']);
    const out = JSON.parse(r.stdout) as { findings: unknown[]; summary: Record<string, unknown>; sourceNote?: { values: string[]; message: string } };
    expect(out.sourceNote?.values).toEqual(['aws_s3_bucket_policy.p policy']);
    expect(out.sourceNote?.message).toContain('Pass --source <dir>');
    expect(Object.keys(out)).toEqual(['findings', 'summary', 'sourceNote']);
    expect(Object.keys(out.summary)).toEqual(['errors', 'warnings', 'suppressed', 'stacks', 'stackNames', 'strict', 'passed']);
  });

  it('sarif: a run-level note and property, and the document still validates against SARIF 2.1.0', async () => {
    const r = await run(['check', UNPROVEN, '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout) as { runs: { invocations?: { toolExecutionNotifications: { level: string; message: { text: string } }[] }[]; properties?: { unprovenValues: string[] } }[] };
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const note = sarif.runs[0].invocations?.[0].toolExecutionNotifications[0];
    expect(note?.level).toBe('note');
    expect(note?.message.text).toContain('aws_s3_bucket_policy.p policy');
    expect(sarif.runs[0].properties?.unprovenValues).toEqual(['aws_s3_bucket_policy.p policy']);
  });

  it('no note where nothing is unproven', async () => {
    for (const format of ['json', 'sarif']) {
      const r = await run(['check', PROVEN, '--format', format]);
      expect(r.stdout).not.toContain('sourceNote');
      expect(r.stdout).not.toContain('unprovenValues');
    }
  });
});
