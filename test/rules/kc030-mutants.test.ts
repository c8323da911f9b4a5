/**
 * The schedule analysis KC030 relies on (analyzeSchedule in lib/rules/drill-helpers.ts), at
 * its boundaries: 92 days for rates, 3 calendar months for crons, every cron field's range
 * and syntax error, wrap-around ranges and steps, the L / LW / nW / n#k / nL day forms, year
 * limits, and expressions that never fire or stop firing.
 */
import { describe, expect, it } from 'vitest';
import { QUARTER_DAYS, QUARTER_MONTHS } from '../../lib/policy/limits';
import { analyzeSchedule, DEFAULT_DRILL_SCHEDULE } from '../../lib/policy/schedule';

const row = (e: string) => {
  const a = analyzeSchedule(e);
  return [a.kind, a.recurring, a.maxGapDays, a.maxGapMonths, a.atLeastQuarterly, a.summary];
};
const error = (e: string) => {
  const a = analyzeSchedule(e);
  expect(a.recurring, e).toBe(false);
  expect(a.atLeastQuarterly, e).toBe(false);
  expect(a.maxGapDays, e).toBe(Infinity);
  expect(a.summary, e).toBe(`not a valid schedule expression (${a.error})`);
  return a.error;
};

describe('analyzeSchedule: rates at the 92-day boundary (mutation tests)', () => {
  it('constants', () => {
    expect([QUARTER_DAYS, QUARTER_MONTHS, DEFAULT_DRILL_SCHEDULE]).toEqual([92, 3, 'cron(0 10 ? 1,4,7,10 MON#1 *)']);
  });
  it('92 days is quarterly, anything longer is not, in every unit', () => {
    expect(row('rate(92 days)')).toEqual(['rate', true, 92, undefined, true, 'fires every 92 days (92 days)']);
    expect(row('rate(93 days)')).toEqual(['rate', true, 93, undefined, false, 'fires every 93 days (93 days)']);
    expect(row('rate(2208 hours)')).toEqual(['rate', true, 92, undefined, true, 'fires every 2208 hours (92 days)']);
    expect(row('rate(2209 hours)')).toEqual(['rate', true, 2209 * (1 / 24), undefined, false, 'fires every 2209 hours (92.04 days)']);
    expect(row('rate(132480 minutes)')).toEqual(['rate', true, 92, undefined, true, 'fires every 132480 minutes (92 days)']);
    expect(row('rate(1 day)')).toEqual(['rate', true, 1, undefined, true, 'fires every 1 day (1 days)']);
    expect(row('rate(1 hour)')[5]).toBe('fires every 1 hour (0.04 days)');
    expect(row('rate(1 minute)')[5]).toBe('fires every 1 minute (0.00 days)');
    expect(row('rate(30 minutes)')[5]).toBe('fires every 30 minutes (0.02 days)');
    expect(row(' RATE( 7  DAYS ) ')).toEqual(['rate', true, 7, undefined, true, 'fires every 7 days (7 days)']);
  });
  it('rejects a zero value, other units and other shapes', () => {
    expect(error('rate(0 days)')).toBe('the rate value must be a positive whole number');
    expect(error('rate(5 weeks)')).toBe('unit "weeks" is not one of minute(s), hour(s), day(s)');
    expect(error('rate(x)')).toBe('rate needs "<value> <unit>", e.g. rate(30 days)');
    expect(error('rate(1.5 days)')).toBe('rate needs "<value> <unit>", e.g. rate(30 days)');
    expect(error('rate(-1 days)')).toBe('rate needs "<value> <unit>", e.g. rate(30 days)');
    expect(analyzeSchedule('rate(0 days)').kind).toBe('rate');
  });
});

describe('analyzeSchedule: at() and unknown shapes (mutation tests)', () => {
  it('at() fires once; a date alone is invalid', () => {
    expect(row('at(2026-01-01T10:00:00)')).toEqual(['at', false, Infinity, undefined, false, 'fires once, at 2026-01-01T10:00:00']);
    expect(error('at(2026-01-01)')).toBe('at() needs yyyy-mm-ddThh:mm:ss');
    expect(analyzeSchedule('at(2026-01-01)').kind).toBe('at');
  });
  it('a bare 6-field cron body is accepted, anything else is not', () => {
    expect(row('0 10 1 1,4,7,10 ? *')).toEqual(row('cron(0 10 1 1,4,7,10 ? *)'));
    expect(error('0 10 1 1,4,7,10 ?')).toBe('expected cron(...), rate(...) or at(...)');
    expect(error('weekly')).toBe('expected cron(...), rate(...) or at(...)');
    expect(analyzeSchedule('weekly').kind).toBeUndefined();
    expect(error('cron(0 10 1 1 ?)')).toBe('cron needs 6 fields (minutes hours day-of-month month day-of-week year), found 5');
  });
  it('caches per expression', () => {
    expect(analyzeSchedule('rate(7 days)')).toBe(analyzeSchedule('rate(7 days)'));
  });
});

describe('analyzeSchedule: cron months at the 3-month boundary (mutation tests)', () => {
  it('every third month is quarterly, every fourth is not', () => {
    const q = 'fires in 4 month(s) of the year (JAN, APR, JUL, OCT); up to 3 month(s) (92 days) pass between runs';
    expect(row('cron(0 10 1 1,4,7,10 ? *)')).toEqual(['cron', true, 92, 3, true, q]);
    expect(row('cron(0 10 1 */3 ? *)')).toEqual(['cron', true, 92, 3, true, q]);
    expect(row('cron(0 0 1 jan,apr,jul,oct ? *)')).toEqual(['cron', true, 92, 3, true, q]);
    expect(row('cron(0 10 1 1,5,9 ? *)')).toEqual(['cron', true, 123, 4, false, 'fires in 3 month(s) of the year (JAN, MAY, SEP); up to 4 month(s) (123 days) pass between runs']);
    expect(row('cron(0 0 1 1/4 ? *)')).toEqual(row('cron(0 10 1 1,5,9 ? *)'));
  });
  it('monthly and yearly', () => {
    expect(row('cron(0 10 1 * ? *)')).toEqual(['cron', true, 31, 1, true, 'fires every month; up to 1 month(s) (31 days) pass between runs']);
    expect(row('cron(0 10 1 1 ? *)')).toEqual(['cron', true, 366, 12, false, 'fires at most once a year; up to 12 month(s) (366 days) pass between runs']);
    expect(row('cron(0 0 1 1 ? 2198,2199)')).toEqual(['cron', true, 365, 12, false, 'fires at most once a year; up to 12 month(s) (365 days) pass between runs']);
  });
  it('month ranges wrap around the year, with steps', () => {
    expect(row('cron(0 10 1 11-2 ? *)')).toEqual(['cron', true, 274, 9, false, 'fires in 4 month(s) of the year (JAN, FEB, NOV, DEC); up to 9 month(s) (274 days) pass between runs']);
    expect(row('cron(0 10 1 NOV-FEB/3 ? *)')[5]).toBe('fires in 2 month(s) of the year (FEB, NOV); up to 9 month(s) (274 days) pass between runs');
  });
  it('year limits: stopping before 2199 is not recurring, running until 2199 counts as forever', () => {
    expect(row('cron(0 10 1 1,4,7,10 ? 2020-2030)')).toEqual(['cron', false, Infinity, Infinity, false, 'stops firing after 2030']);
    expect(row('cron(0 0 1 1,4,7,10 ? 2190-2199)')).toEqual(['cron', true, 92, 3, true, 'fires in 4 month(s) of the year (JAN, APR, JUL, OCT); up to 3 month(s) (92 days) pass between runs']);
    expect(row('cron(0 0 1 1 ? 2199)')).toEqual(['cron', true, 0, 12, false, 'fires at most once a year; up to 12 month(s) (0 days) pass between runs']);
  });
  it('days that never come', () => {
    for (const e of ['cron(0 0 31 2 ? *)', 'cron(0 0 30W 2 ? *)']) {
      const a = analyzeSchedule(e);
      expect([a.kind, a.error, a.recurring, a.maxGapDays, a.atLeastQuarterly, a.summary], e).toEqual(['cron', 'it never fires (no day matches)', false, Infinity, false, 'never fires']);
    }
  });
});

describe('analyzeSchedule: special day forms (mutation tests)', () => {
  it('L, LW and nW in the day of month', () => {
    expect(row('cron(0 0 L 2,5,8,11 ? *)')).toEqual(['cron', true, 92, 3, true, 'fires in 4 month(s) of the year (FEB, MAY, AUG, NOV); up to 3 month(s) (92 days) pass between runs']);
    expect(row('cron(0 0 LW 3,6,9,12 ? *)').slice(2, 5)).toEqual([94, 3, true]);
    expect(row('cron(0 0 15W 1,4,7,10 ? *)').slice(2, 5)).toEqual([94, 3, true]);
  });
  it('n#k, nL, L and wrapping ranges in the day of week', () => {
    expect(row('cron(0 0 ? 1,4,7,10 2#1 *)').slice(2, 5)).toEqual([98, 3, true]);
    expect(row('cron(0 0 ? 1,4,7,10 6L *)').slice(2, 5)).toEqual([98, 3, true]);
    // L alone is Saturday: the last Saturday of October to the first of January is 70 days.
    expect(row('cron(0 0 ? 1,4,7,10 L *)').slice(2, 5)).toEqual([70, 3, true]);
    expect(row('cron(0 0 ? 1,4,7,10 SAT-MON *)').slice(2, 5)).toEqual([68, 3, true]);
    // A fifth Monday is rare in a given month: years can pass without one.
    expect(row('cron(0 0 ? 1,4,7,10 MON#5 *)').slice(2, 5)).toEqual([1281, 42, false]);
  });
});

describe('analyzeSchedule: cron field errors (mutation tests)', () => {
  it('names the field, the item and the range', () => {
    expect(error('cron(60 0 1 * ? *)')).toBe('minutes: "60" is out of range 0-59');
    expect(error('cron(0 24 1 * ? *)')).toBe('hours: "24" is out of range 0-23');
    expect(error('cron(0 0 ? * ? *)')).toBe('exactly one of day-of-month and day-of-week must be "?"');
    expect(error('cron(0 0 1 * MON *)')).toBe('exactly one of day-of-month and day-of-week must be "?"');
    expect(error('cron(0 0 32 * ? *)')).toBe('day-of-month: "32" is out of range 1-31');
    expect(error('cron(0 0 0 * ? *)')).toBe('day-of-month: "0" is out of range 1-31');
    expect(error('cron(0 0 0W * ? *)')).toBe('day-of-month: "0W" is out of range 1-31');
    expect(error('cron(0 0 32W * ? *)')).toBe('day-of-month: "32W" is out of range 1-31');
    expect(error('cron(0 0 1-x * ? *)')).toBe('day-of-month: "1-x" is out of range 1-31');
    expect(error('cron(0 0 5-1 * ? *)')).toBe('day-of-month: range "5-1" runs backwards');
    expect(error('cron(0 0 ? * 2#6 *)')).toBe('day-of-week: "2#6" is not a valid n#k day of week');
    expect(error('cron(0 0 ? * 2#0 *)')).toBe('day-of-week: "2#0" is not a valid n#k day of week');
    expect(error('cron(0 0 ? * x#1 *)')).toBe('day-of-week: "x#1" is not a valid n#k day of week');
    expect(error('cron(0 0 ? * XL *)')).toBe('day-of-week: "XL" is not a valid last-weekday');
    expect(error('cron(0 0 ? * 0 *)')).toBe('day-of-week: "0" is out of range 1-7');
    expect(error('cron(0 0 ? * 8 *)')).toBe('day-of-week: "8" is out of range 1-7');
    expect(error('cron(0 0 1 FOO ? *)')).toBe('month: "FOO" is out of range 1-12');
    expect(error('cron(0 0 1 13 ? *)')).toBe('month: "13" is out of range 1-12');
    expect(error('cron(0 0 1 * ? 1969)')).toBe('year: "1969" is out of range 1970-2199');
    expect(error('cron(0 0 1 * ? 2200)')).toBe('year: "2200" is out of range 1970-2199');
    expect(error('cron(0 0 1 * ? 2030-2020)')).toBe('year: range "2030-2020" runs backwards');
    expect(error('cron(*/0 0 1 * ? *)')).toBe('minutes: bad step in "*/0"');
    expect(error('cron(*/x 0 1 * ? *)')).toBe('minutes: bad step in "*/x"');
    expect(error('cron(1/2/3 0 1 * ? *)')).toBe('minutes: bad step in "1/2/3"');
    expect(error('cron(1,,2 0 1 * ? *)')).toBe('minutes: empty list item in "1,,2"');
    expect(analyzeSchedule('cron(60 0 1 * ? *)').kind).toBe('cron');
  });
  it('accepts the extremes of each range', () => {
    for (const e of ['cron(0,59 0,23 1,31 1,12 ? 1970-2199)', 'cron(59 23 ? 12 1,7 *)', 'cron(0 0 ? 1,4,7,10 SUN#1,SAT#5 *)']) expect(analyzeSchedule(e).error, e).toBeUndefined();
  });
});
