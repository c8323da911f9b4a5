/**
 * `key-custody check --format text` on a terminal: each finding wraps at the terminal's width
 * (100 columns at least), continuation lines indented under it; piped, one line per finding.
 */
import { describe, expect, it } from 'vitest';
import { renderText, type TextFinding } from '../../lib/report/text';

const long = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
const findings: TextFinding[] = [
  { ruleId: 'KC011', severity: 'error', stack: 'db-backups', address: 'aws_iam_role.DbRestore', message: long(40), fix: long(30), suppressed: false },
  { ruleId: 'KC034', severity: 'warning', stack: 'db-backups', address: 'terraform_data.custody_manifest', message: long(25), fix: 'add an alarm', suppressed: false },
  { ruleId: 'KC023', severity: 'error', stack: 'keys', address: 'aws_s3_bucket.k', message: long(20), fix: long(10), suppressed: true, reason: 'hardened by the platform team module', owner: 'platform-team', expires: '2027-11-30' },
];
// eslint-disable-next-line no-control-regex -- ANSI colour codes are what is stripped
const strip = (s: string) => s.replace(/\u001b\[\d+m/g, '');
const words = (s: string) => strip(s).split(/\s+/).filter(Boolean);

describe('renderText width', () => {
  it('keeps one line per finding when no width is given (pipes and logs)', () => {
    const lines = renderText(findings, { stacks: ['db-backups', 'keys'] }).split('\n');
    expect(lines.filter((l) => /^ {2}(error|warning|suppressed) /.test(l))).toHaveLength(3);
    expect(Math.max(...lines.map((l) => l.length))).toBeGreaterThan(200);
  });

  for (const color of [false, true]) {
    it(`wraps every finding at 100 columns, losing no word${color ? ', colours not counted' : ''}`, () => {
      const wide = renderText(findings, { stacks: ['db-backups', 'keys'], color });
      const narrow = renderText(findings, { stacks: ['db-backups', 'keys'], color, width: 100 });
      const lines = narrow.split('\n');
      for (const l of lines) expect(strip(l).length, l).toBeLessThanOrEqual(100);
      expect(words(narrow)).toEqual(words(wide));
      // Continuation lines hang under the finding, so each finding still starts at two spaces.
      expect(lines.filter((l) => /^ {2}(error|warning|suppressed) /.test(strip(l)))).toHaveLength(3);
      expect(lines.filter((l) => strip(l).startsWith('      ')).length).toBeGreaterThan(5);
      if (color) expect(narrow).toContain('\u001b[31merror\u001b[0m KC011');
    });
  }
});
