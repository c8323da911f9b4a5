import { describe, expect, it } from 'vitest';
import { renderText } from '../../lib/report/text';
import { fakeResult } from './fake-model';

describe('text format', () => {
  const { findings } = fakeResult();

  it('groups by stack then rule and ends with the summary line', () => {
    const out = renderText(findings, { stacks: ['keys', 'db', 'drill'] });
    expect(out.split('\n')).toEqual([
      'stack db',
      '  error KC011 aws_iam_user.ops (stack db) ops can read DB backups and key backups | both; fix: split the credentials',
      '  warning KC024 aws_kms_key.db (stack db) rotation off; fix: enable rotation',
      '',
      'stack keys',
      '  error KC020 terraform_data.custody_manifest (stack keys) servos has 1 copy; fix: declare 3 copies',
      '  suppressed KT002 aws_kms_key.kb (stack keys) rotation off; fix: enable rotation (reason: rotation is handled by the HSM team)',
      '',
      '2 errors, 1 warning, 1 suppressed in 3 stacks',
      '',
    ]);
  });

  it('uses singular words and says when nothing was found', () => {
    expect(renderText([], { stacks: ['a'] })).toBe('0 errors, 0 warnings, 0 suppressed in 1 stack\n');
    expect(renderText([findings[0]], { stacks: ['db'] })).toContain('1 error, 0 warnings, 0 suppressed in 1 stack');
  });

  it('colours only when asked', () => {
    expect(renderText(findings, { stacks: ['a'] })).not.toContain('\u001b[');
    const coloured = renderText(findings, { stacks: ['a'], color: true });
    expect(coloured).toContain('\u001b[31merror\u001b[0m');
    expect(coloured).toContain('\u001b[33mwarning\u001b[0m');
  });

  it('marks strict runs that fail on warnings', () => {
    const warnings = findings.filter((f) => f.severity === 'warning');
    expect(renderText(warnings, { stacks: ['a'], strict: true })).toContain('(--strict: warnings fail)');
  });
});
