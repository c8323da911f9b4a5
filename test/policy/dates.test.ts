/**
 * ISO dates as the manifest and the props write them (lib/policy/dates.ts): real dates only,
 * leap years by the Gregorian rule, day arithmetic in UTC, and day counts in words.
 */
import { describe, expect, it } from 'vitest';
import { addDays, days, formatDate, parseDate } from '../../lib/policy/dates';
import { RETENTION_MARGIN_DAYS } from '../../lib/policy/limits';

describe('dates', () => {
  it('parseDate accepts real YYYY-MM-DD dates only', () => {
    expect(parseDate('2026-01-31')).toBe(Date.UTC(2026, 0, 31));
    expect(parseDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    for (const s of ['2025-02-29', '2025-02-30', '2026-13-01', '2026-1-01', '2026-01-01T00:00:00Z', ' 2026-01-01', '20260101', '', undefined]) {
      expect(parseDate(s), String(s)).toBeUndefined();
    }
  });
  it('addDays, formatDate and days', () => {
    expect(formatDate(addDays(Date.UTC(2026, 0, 1), 92))).toBe('2026-04-03');
    expect(formatDate(addDays(Date.UTC(2026, 0, 1), -1))).toBe('2025-12-31');
    expect(days(1)).toBe('1 day');
    expect(days(0)).toBe('0 days');
    expect(days(30)).toBe('30 days');
    expect(days(Infinity)).toBe('forever');
    expect(RETENTION_MARGIN_DAYS).toBe(30);
  });
});

describe('dates', () => {
  it('leap years by the Gregorian rule; formatDate and addDays', () => {
    expect(parseDate('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
    expect(parseDate('2100-02-29')).toBeUndefined();
    expect(parseDate('2026-04-31')).toBeUndefined();
    expect(parseDate('2026-12-31')).toBe(Date.UTC(2026, 11, 31));
    expect(parseDate('2026-00-10')).toBeUndefined();
    expect(parseDate('2026-01-00')).toBeUndefined();
    expect(parseDate('x2026-01-01')).toBeUndefined();
    expect(parseDate('2026-01-01x')).toBeUndefined();
    expect(formatDate(addDays(Date.UTC(2024, 1, 28), 1))).toBe('2024-02-29');
    expect(formatDate(addDays(Date.UTC(2024, 1, 28), 0))).toBe('2024-02-28');
    expect(addDays(0, 2)).toBe(172_800_000);
  });
});
