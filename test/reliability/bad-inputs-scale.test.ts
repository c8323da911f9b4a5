/**
 * Bad-input catalogue, scale: valid configurations whose output or work once grew faster than
 * linearly and ended in `Invalid string length` crashes or minutes of waiting. Each row runs
 * `key-custody check` on a shape of bench/gen-shapes.ts and states the bound: the exit code
 * (1: findings), the number of findings of the rule concerned, and the output size. The work
 * is bounded by counting it in test/model/iam/trust-scale.test.ts; here only the output is.
 * (Merging thousands of *.tf.json files is another area's row.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeShape, type Shape } from '../../bench/gen-shapes';
import { main } from '../../lib/cli/main';

const tmp = mkdtempSync(join(tmpdir(), 'kc-bad-inputs-scale-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface ScaleRow {
  readonly name: string;
  readonly shape: Shape;
  readonly n: number;
  /** The rule whose findings are counted, and how many it must report. */
  readonly rule: string;
  readonly findings: number;
  /** Upper bound on the characters of `--format json` output (every rule's findings: about 4,000 per bucket today). */
  readonly maxChars: number;
  /** What each of those findings must say. */
  readonly says: RegExp;
}

const ROWS: ScaleRow[] = [
  {
    name: '500 custody buckets in one stack: one KC013 warning per key store, not 62,500 per pair',
    shape: 'buckets',
    n: 500,
    rule: 'KC013',
    findings: 250,
    maxChars: 3_000_000,
    says: /managed together with 250 db-backup stores: \[.* and 245 more\]/,
  },
  {
    name: '500 custody buckets on one KMS key: one KC012 error per key-backup bucket, not 62,500 per pair',
    shape: 'sharedkey',
    n: 500,
    rule: 'KC012',
    findings: 250,
    maxChars: 3_000_000,
    says: /^key-backup bucket aws_s3_bucket\.keys_\d+ \(stack [\w-]+\) and db-backup bucket aws_s3_bucket\.db_0 \(stack [\w-]+\) both encrypt with KMS key alias\/shared; the same holds for 249 more: .* and 244 more$/,
  },
  {
    name: '500 custody buckets named by one bucket_prefix: one KC010 error per key-backup bucket, not 62,500 per pair',
    shape: 'prefix',
    n: 500,
    rule: 'KC010',
    findings: 250,
    maxChars: 3_000_000,
    says: /^cannot be proven to use a different bucket than db-backup store aws_s3_bucket\.db_0: .*; the same holds for 249 more: .* and 244 more$/,
  },
  {
    name: 'a wildcard AssumeRole mesh of 1,200 roles: one KC011 error per role, each with a one-hop chain',
    shape: 'mesh',
    n: 1200,
    rule: 'KC011',
    findings: 1200,
    maxChars: 2_500_000,
    says: /^can read key-backup store aws_s3_bucket\.keys \(stack [\w-]+\) via (assumes aws_iam_role\.r0 \(inline policy aws_iam_role_policy\.p\d+\) → )?inline policy aws_iam_role_policy\.p0 and read db-backup store/,
  },
  {
    name: 'a chain of 300 assumed roles: every KC011 line keeps 6 hops and counts the rest',
    shape: 'chain',
    n: 300,
    rule: 'KC011',
    findings: 300,
    maxChars: 1_000_000,
    says: /^can read key-backup store aws_s3_bucket\.keys \(stack [\w-]+\) via (assumes aws_iam_role\.r\d+ → ){0,6}(… \d+ more assumed roles? … → )?(assumes aws_iam_role\.r\d+ → ){0,3}inline policy aws_iam_role_policy\.last and /,
  },
];

describe('bad inputs: scale', () => {
  for (const row of ROWS) {
    it(row.name, { timeout: 120_000 }, async () => {
      const info = writeShape(row.shape, join(tmp, `${row.shape}-${row.n}`), row.n);
      let out = '';
      let err = '';
      const code = await main(['check', info.path, '--format', 'json'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd: tmp });
      expect(err).toBe('');
      expect(code).toBe(1);
      expect(out.length).toBeLessThan(row.maxChars);
      const findings = (JSON.parse(out) as { findings: { ruleId: string; message: string }[] }).findings.filter((f) => f.ruleId === row.rule);
      expect(findings).toHaveLength(row.findings);
      for (const f of findings) expect(f.message).toMatch(row.says);
    });
  }
});
