import { describe, expect, it } from 'vitest';
import { countFindings } from '../../lib/report/data';

describe('countFindings', () => {
  it('counts suppressed findings apart, whatever their severity', () => {
    expect(
      countFindings([
        { severity: 'error', suppressed: false },
        { severity: 'error', suppressed: true },
        { severity: 'warning', suppressed: false },
        { severity: 'warning', suppressed: true },
        { severity: 'error', suppressed: false },
      ]),
    ).toEqual({ errors: 2, warnings: 1, suppressed: 2 });
    expect(countFindings([])).toEqual({ errors: 0, warnings: 0, suppressed: 0 });
  });
});
