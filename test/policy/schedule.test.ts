/**
 * The one EventBridge Scheduler parser (lib/policy/schedule.ts). analyzeSchedule: whether a
 * schedule fires at least quarterly (92 days for rates, 3 calendar months for crons), every
 * parse error verbatim, every cron field's range and syntax, wrap-around ranges and steps,
 * the L / LW / nW / n#k / nL day forms (probe schedules in the last year AWS accepts pin
 * which day each picks), year limits, and expressions that never fire or stop firing.
 * nextCronRun: the next run of a cron in its time zone, for every cron analyzeSchedule accepts.
 */
import { describe, expect, it } from 'vitest';
import { QUARTER_DAYS, QUARTER_MONTHS } from '../../lib/policy/limits';
import { analyzeSchedule, DEFAULT_DRILL_SCHEDULE, nextCronRun } from '../../lib/policy/schedule';

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

describe('analyzeSchedule: cron (EventBridge Scheduler, 6 fields)', () => {
  it('the default first-Monday-of-the-quarter schedule is quarterly', () => {
    const a = analyzeSchedule(DEFAULT_DRILL_SCHEDULE);
    expect(a.error).toBeUndefined();
    expect(a.kind).toBe('cron');
    expect(a.recurring).toBe(true);
    expect(a.atLeastQuarterly).toBe(true);
    expect(a.maxGapMonths).toBe(3);
    // First Monday of October can be Oct 1 and first Monday of January Jan 7: 98 days.
    expect(a.maxGapDays).toBe(98);
    expect(a.maxGapDays).toBeGreaterThan(QUARTER_DAYS);
  });

  it('a yearly cron is a violation', () => {
    const a = analyzeSchedule('cron(0 10 1 1 ? *)');
    expect(a.error).toBeUndefined();
    expect(a.atLeastQuarterly).toBe(false);
    expect(a.maxGapMonths).toBe(12);
    expect(a.summary).toContain('at most once a year');
  });

  it.each([
    ['cron(0 10 1 */3 ? *)', true],
    ['cron(0 10 1 1/3 ? *)', true],
    ['cron(0 10 1 JAN,APR,JUL,OCT ? *)', true],
    ['cron(0 10 1 1,7 ? *)', false],
    ['cron(0 10 1 1,5,9 ? *)', false],
    ['cron(0 10 ? * MON-FRI *)', true],
    ['cron(0 10 ? * MON *)', true],
    ['cron(0 10 L 3,6,9,12 ? *)', true],
    ['cron(0 10 15W 1,4,7,10 ? *)', true],
    ['cron(0 10 LW 2,5,8,11 ? *)', true],
    ['cron(0 10 ? JAN,APR,JUL,OCT 2L *)', true],
    ['cron(0/15 8-17 ? * 2#1 *)', true],
    ['cron(0 10 1 NOV-FEB ? *)', false],
    ['cron(0 10 1 1,4,7,10 ? 2025-2199)', true],
    ['0 10 ? 1,4,7,10 MON#1 *', true],
    ['CRON(0 10 ? 1,4,7,10 mon#1 *)', true],
  ])('%s quarterly = %s', (expr, quarterly) => {
    const a = analyzeSchedule(expr);
    expect(a.error).toBeUndefined();
    expect(a.atLeastQuarterly).toBe(quarterly);
  });

  it('a day that some quarter months lack makes the schedule skip them', () => {
    // April has no 31st: runs in Jan, Jul, Oct only → 6 months Jan→Jul.
    const a = analyzeSchedule('cron(0 10 31 1,4,7,10 ? *)');
    expect(a.atLeastQuarterly).toBe(false);
    expect(a.maxGapMonths).toBe(6);
    // A fifth Monday does not exist in every month.
    expect(analyzeSchedule('cron(0 10 ? 1,4,7,10 MON#5 *)').atLeastQuarterly).toBe(false);
  });

  it('measures the day gaps between runs', () => {
    expect(analyzeSchedule('cron(0 10 1 * ? *)').maxGapDays).toBe(31);
    expect(analyzeSchedule('cron(0 10 ? * MON *)').maxGapDays).toBe(7);
    expect(analyzeSchedule('cron(0 10 ? * 2#1 *)').maxGapDays).toBe(35);
    expect(analyzeSchedule('cron(0 10 ? * L *)').maxGapDays).toBe(7);
    // The weekday nearest the 15th is never more than a day away, so gaps are 28..33 days.
    const w = analyzeSchedule('cron(0 10 15W * ? *)');
    expect(w.maxGapDays).toBeLessThanOrEqual(33);
    expect(w.maxGapDays).toBeGreaterThanOrEqual(30);
  });

  it('a schedule whose years run out is not recurring', () => {
    const a = analyzeSchedule('cron(0 10 1 1,4,7,10 ? 2025)');
    expect(a.recurring).toBe(false);
    expect(a.atLeastQuarterly).toBe(false);
    expect(a.summary).toContain('stops firing after 2025');
  });

  it.each([
    ['cron(0 10 * * * *)', 'exactly one of day-of-month and day-of-week'],
    ['cron(0 10 ? * ? *)', 'exactly one of day-of-month and day-of-week'],
    ['cron(0 10 1 1 ?)', 'cron needs 6 fields'],
    ['cron(0 10 1 1 ? * *)', 'cron needs 6 fields'],
    ['cron(61 10 1 1 ? *)', 'minutes'],
    ['cron(0 24 1 1 ? *)', 'hours'],
    ['cron(0 10 32 1 ? *)', 'day-of-month'],
    ['cron(0 10 1 13 ? *)', 'month'],
    ['cron(0 10 ? 1 MON#6 *)', 'day-of-week'],
    ['cron(0 10 1 1 ? 1800)', 'year'],
    ['cron(0 10 30 2 ? *)', 'never fires'],
    ['every three months', 'expected cron'],
  ])('%s is rejected (%s)', (expr, why) => {
    const a = analyzeSchedule(expr);
    expect(a.error).toContain(why);
    expect(a.atLeastQuarterly).toBe(false);
  });
});

describe('analyzeSchedule: rate and at', () => {
  it.each([
    ['rate(30 days)', true, 30],
    ['rate(92 days)', true, 92],
    ['rate(93 days)', false, 93],
    ['rate(120 days)', false, 120],
    ['rate(1 day)', true, 1],
    ['rate(12 hours)', true, 0.5],
    ['rate(5 minutes)', true, 5 / 1440],
  ])('%s quarterly = %s', (expr, quarterly, days) => {
    const a = analyzeSchedule(expr);
    expect(a.error).toBeUndefined();
    expect(a.kind).toBe('rate');
    expect(a.atLeastQuarterly).toBe(quarterly);
    expect(a.maxGapDays).toBeCloseTo(days);
  });

  it.each(['rate(2 weeks)', 'rate(0 days)', 'rate(days)', 'rate(3 months)'])('%s is rejected', (expr) => {
    const a = analyzeSchedule(expr);
    expect(a.error).toBeDefined();
    expect(a.atLeastQuarterly).toBe(false);
  });

  it('at() fires once', () => {
    const a = analyzeSchedule('at(2026-01-05T10:00:00)');
    expect(a.error).toBeUndefined();
    expect(a.recurring).toBe(false);
    expect(a.atLeastQuarterly).toBe(false);
    expect(analyzeSchedule('at(next monday)').error).toBeDefined();
  });
});

describe('analyzeSchedule: parse errors, verbatim', () => {
  it('constants', () => {
    expect(QUARTER_DAYS).toBe(92);
    expect(QUARTER_MONTHS).toBe(3);
    expect(DEFAULT_DRILL_SCHEDULE).toBe('cron(0 10 ? 1,4,7,10 MON#1 *)');
  });

  it('an invalid expression has no recurrence, an infinite gap and a summary quoting the error', () => {
    expect(analyzeSchedule('rate(0 days)')).toEqual({
      expression: 'rate(0 days)',
      kind: 'rate',
      error: 'the rate value must be a positive whole number',
      recurring: false,
      maxGapDays: Infinity,
      atLeastQuarterly: false,
      summary: 'not a valid schedule expression (the rate value must be a positive whole number)',
    });
    expect(analyzeSchedule('0 10 1 1')).toEqual({
      expression: '0 10 1 1',
      kind: undefined,
      error: 'expected cron(...), rate(...) or at(...)',
      recurring: false,
      maxGapDays: Infinity,
      atLeastQuarterly: false,
      summary: 'not a valid schedule expression (expected cron(...), rate(...) or at(...))',
    });
  });

  it.each([
    ['cron()', 'cron', 'cron needs 6 fields (minutes hours day-of-month month day-of-week year), found 1'],
    ['cron(0 10 1 1 ?)', 'cron', 'cron needs 6 fields (minutes hours day-of-month month day-of-week year), found 5'],
    ['cron(0 10 1 1 ? * *)', 'cron', 'cron needs 6 fields (minutes hours day-of-month month day-of-week year), found 7'],
    ['cron(60 10 1 1 ? *)', 'cron', 'minutes: "60" is out of range 0-59'],
    ['cron(a 10 1 1 ? *)', 'cron', 'minutes: "a" is out of range 0-59'],
    ['cron(5-3 10 1 1 ? *)', 'cron', 'minutes: range "5-3" runs backwards'],
    ['cron(0 24 1 1 ? *)', 'cron', 'hours: "24" is out of range 0-23'],
    ['cron(0 1-24 1 1 ? *)', 'cron', 'hours: "1-24" is out of range 0-23'],
    ['cron(0 x-2 1 1 ? *)', 'cron', 'hours: "x-2" is out of range 0-23'],
    ['cron(0 10 * * * *)', 'cron', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(0 10 ? * ? *)', 'cron', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(0 10 0 1 ? *)', 'cron', 'day-of-month: "0" is out of range 1-31'],
    ['cron(0 10 32 1 ? *)', 'cron', 'day-of-month: "32" is out of range 1-31'],
    ['cron(0 10 0W 1 ? *)', 'cron', 'day-of-month: "0W" is out of range 1-31'],
    ['cron(0 10 32W 1 ? *)', 'cron', 'day-of-month: "32W" is out of range 1-31'],
    ['cron(0 10 1,,2 1 ? *)', 'cron', 'day-of-month: empty list item in ""'],
    ['cron(0 10 20-10 1 ? *)', 'cron', 'day-of-month: range "20-10" runs backwards'],
    ['cron(0 10 ? 1 FOO#1 *)', 'cron', 'day-of-week: "FOO#1" is not a valid n#k day of week'],
    ['cron(0 10 ? 1 MON#0 *)', 'cron', 'day-of-week: "MON#0" is not a valid n#k day of week'],
    ['cron(0 10 ? 1 MON#6 *)', 'cron', 'day-of-week: "MON#6" is not a valid n#k day of week'],
    ['cron(0 10 ? 1 8#1 *)', 'cron', 'day-of-week: "8#1" is not a valid n#k day of week'],
    ['cron(0 10 ? 1 XL *)', 'cron', 'day-of-week: "XL" is not a valid last-weekday'],
    ['cron(0 10 ? 1 0L *)', 'cron', 'day-of-week: "0L" is not a valid last-weekday'],
    ['cron(0 10 ? 1 0 *)', 'cron', 'day-of-week: "0" is out of range 1-7'],
    ['cron(0 10 ? 1 8 *)', 'cron', 'day-of-week: "8" is out of range 1-7'],
    ['cron(0 10 ? 1 MON,,FRI *)', 'cron', 'day-of-week: empty list item in ""'],
    ['cron(0 10 1 0 ? *)', 'cron', 'month: "0" is out of range 1-12'],
    ['cron(0 10 1 13 ? *)', 'cron', 'month: "13" is out of range 1-12'],
    ['cron(0 10 1 0-5 ? *)', 'cron', 'month: "0-5" is out of range 1-12'],
    ['cron(0 10 1 1-13 ? *)', 'cron', 'month: "1-13" is out of range 1-12'],
    ['cron(0 10 1 1,,2 ? *)', 'cron', 'month: empty list item in "1,,2"'],
    ['cron(0 10 1 1, ? *)', 'cron', 'month: empty list item in "1,"'],
    ['cron(0 10 1 1/2/3 ? *)', 'cron', 'month: bad step in "1/2/3"'],
    ['cron(0 10 1 */0 ? *)', 'cron', 'month: bad step in "*/0"'],
    ['cron(0 10 1 */x ? *)', 'cron', 'month: bad step in "*/x"'],
    ['cron(0 10 1 FOO ? *)', 'cron', 'month: "FOO" is out of range 1-12'],
    ['cron(0 10 1 1 ? 1969)', 'cron', 'year: "1969" is out of range 1970-2199'],
    ['cron(0 10 1 1 ? 2200)', 'cron', 'year: "2200" is out of range 1970-2199'],
    ['cron(0 10 1 1 ? 2199-2025)', 'cron', 'year: range "2199-2025" runs backwards'],
    ['rate(2 Weeks)', 'rate', 'unit "Weeks" is not one of minute(s), hour(s), day(s)'],
    ['rate(3 months)', 'rate', 'unit "months" is not one of minute(s), hour(s), day(s)'],
    ['rate(0 days)', 'rate', 'the rate value must be a positive whole number'],
    ['rate(x days)', 'rate', 'rate needs "<value> <unit>", e.g. rate(30 days)'],
    ['rate(days)', 'rate', 'rate needs "<value> <unit>", e.g. rate(30 days)'],
    ['rate(1.5 days)', 'rate', 'rate needs "<value> <unit>", e.g. rate(30 days)'],
    ['rate(-1 days)', 'rate', 'rate needs "<value> <unit>", e.g. rate(30 days)'],
    ['at(2026-01-05 10:00)', 'at', 'at() needs yyyy-mm-ddThh:mm:ss'],
    ['at(next monday)', 'at', 'at() needs yyyy-mm-ddThh:mm:ss'],
    ['at(x2026-01-05T10:00:00)', 'at', 'at() needs yyyy-mm-ddThh:mm:ss'],
    ['at(2026-01-05T10:00:00x)', 'at', 'at() needs yyyy-mm-ddThh:mm:ss'],
    ['every three months', undefined, 'expected cron(...), rate(...) or at(...)'],
    // Six words without cron(...) are read as a bare cron body.
    ['cron(0 10 1 1 ? *', 'cron', 'minutes: "cron(0" is out of range 0-59'],
    ['xcron(0 10 1 1 ? *)', 'cron', 'minutes: "xcron(0" is out of range 0-59'],
    ['cron(0 10 1 1 ?', undefined, 'expected cron(...), rate(...) or at(...)'],
    ['0 10 1 1 ? * *', undefined, 'expected cron(...), rate(...) or at(...)'],
    ['', undefined, 'expected cron(...), rate(...) or at(...)'],
  ])('%s → %s: %s', (expr, kind, error) => {
    const a = analyzeSchedule(expr);
    expect([a.kind, a.error, a.recurring, a.maxGapDays, a.atLeastQuarterly, a.summary]).toEqual([kind, error, false, Infinity, false, `not a valid schedule expression (${error})`]);
  });

  it('a cron that never fires (no matching day, or only years before the simulation)', () => {
    const never = { kind: 'cron', error: 'it never fires (no day matches)', recurring: false, maxGapDays: Infinity, atLeastQuarterly: false, summary: 'never fires' };
    expect(analyzeSchedule('cron(0 10 30 2 ? *)')).toEqual({ expression: 'cron(0 10 30 2 ? *)', ...never });
    expect(analyzeSchedule('cron(0 10 31W 2 ? *)')).toEqual({ expression: 'cron(0 10 31W 2 ? *)', ...never });
    expect(analyzeSchedule('cron(0 10 ? 2 MON#5 2199)')).toEqual({ expression: 'cron(0 10 ? 2 MON#5 2199)', ...never });
    expect(analyzeSchedule('cron(0 10 1 1 ? 1970)')).toEqual({ expression: 'cron(0 10 1 1 ? 1970)', ...never });
  });

  it('a cron whose years run out stops firing', () => {
    expect(analyzeSchedule('cron(0 10 1 1 ? 2198)')).toEqual({
      expression: 'cron(0 10 1 1 ? 2198)',
      kind: 'cron',
      recurring: false,
      maxGapDays: Infinity,
      maxGapMonths: Infinity,
      atLeastQuarterly: false,
      summary: 'stops firing after 2198',
    });
    expect(analyzeSchedule('cron(0 10 1 * ? 2025,2030)').summary).toBe('stops firing after 2030');
  });
});

describe('analyzeSchedule: valid expressions, exact results', () => {
  const cron = (expr: string) => {
    const a = analyzeSchedule(expr);
    return { error: a.error, recurring: a.recurring, maxGapDays: a.maxGapDays, maxGapMonths: a.maxGapMonths, atLeastQuarterly: a.atLeastQuarterly, summary: a.summary };
  };

  it('the default schedule', () => {
    expect(analyzeSchedule(DEFAULT_DRILL_SCHEDULE)).toEqual({
      expression: DEFAULT_DRILL_SCHEDULE,
      kind: 'cron',
      recurring: true,
      maxGapDays: 98,
      maxGapMonths: 3,
      atLeastQuarterly: true,
      summary: 'fires in 4 month(s) of the year (JAN, APR, JUL, OCT); up to 3 month(s) (98 days) pass between runs',
    });
  });

  it('every month, every weekday range (wrapping), yearly, and month lists sorted by month', () => {
    expect(cron('cron(0 10 1 * ? *)')).toEqual({ error: undefined, recurring: true, maxGapDays: 31, maxGapMonths: 1, atLeastQuarterly: true, summary: 'fires every month; up to 1 month(s) (31 days) pass between runs' });
    expect(cron('cron(0 10 ? * FRI-MON *)')).toEqual({ error: undefined, recurring: true, maxGapDays: 4, maxGapMonths: 1, atLeastQuarterly: true, summary: 'fires every month; up to 1 month(s) (4 days) pass between runs' });
    expect(cron('cron(0 10 1 1 ? *)')).toEqual({ error: undefined, recurring: true, maxGapDays: 366, maxGapMonths: 12, atLeastQuarterly: false, summary: 'fires at most once a year; up to 12 month(s) (366 days) pass between runs' });
    expect(cron('cron(0 10 1 NOV-FEB ? *)')).toEqual({
      error: undefined,
      recurring: true,
      maxGapDays: 274,
      maxGapMonths: 9,
      atLeastQuarterly: false,
      summary: 'fires in 4 month(s) of the year (JAN, FEB, NOV, DEC); up to 9 month(s) (274 days) pass between runs',
    });
    expect(cron('cron(0 10 1 dec-jan ? *)').summary).toBe('fires in 2 month(s) of the year (JAN, DEC); up to 11 month(s) (335 days) pass between runs');
    expect(cron('cron(0 10 1 OCT,JAN,JUL,APR ? *)').summary).toBe('fires in 4 month(s) of the year (JAN, APR, JUL, OCT); up to 3 month(s) (92 days) pass between runs');
  });

  it('three months between runs is quarterly, four is not', () => {
    expect(cron('cron(0 10 1 1,4,7,10 ? *)')).toMatchObject({ maxGapMonths: 3, maxGapDays: 92, atLeastQuarterly: true });
    expect(cron('cron(0 10 1 1,5,9 ? *)')).toMatchObject({ maxGapMonths: 4, maxGapDays: 123, atLeastQuarterly: false });
    expect(cron('cron(0 10 1 2/3 ? *)')).toMatchObject({ maxGapMonths: 3, atLeastQuarterly: true, summary: 'fires in 4 month(s) of the year (FEB, MAY, AUG, NOV); up to 3 month(s) (92 days) pass between runs' });
    expect(cron('cron(0 10 1 1-12/4 ? *)')).toMatchObject({ maxGapMonths: 4, atLeastQuarterly: false, summary: 'fires in 3 month(s) of the year (JAN, MAY, SEP); up to 4 month(s) (123 days) pass between runs' });
  });

  it('a step after a single value runs to the maximum; days of the month by step', () => {
    expect(cron('cron(0 10 1/15 1 ? 2199)')).toMatchObject({ maxGapDays: 15, maxGapMonths: 12 });
    expect(cron('cron(0 10 31/5 1,2 ? 2199)')).toMatchObject({ maxGapDays: 0, maxGapMonths: 12 });
    expect(cron('cron(0 10 10-20/5 1 ? 2199)')).toMatchObject({ maxGapDays: 5 });
    expect(cron('cron(0 10 1,L 1 ? 2199)')).toMatchObject({ maxGapDays: 30 });
  });

  it('minutes and hours are validated but do not change the day analysis', () => {
    expect(cron('cron(0/15 8-17 1 * ? *)')).toEqual(cron('cron(59 23 1 * ? *)'));
    expect(cron('cron(0,30 0 1 * ? *)').error).toBeUndefined();
  });

  it('year limits: a range ending in 2199 keeps firing; a single year 2199 fires in its months only', () => {
    expect(cron('cron(0 10 1 1,4,7,10 ? 2025-2199)')).toMatchObject({ recurring: true, maxGapMonths: 3, atLeastQuarterly: true });
    expect(cron('cron(0 0 1 6 ? 2199)')).toEqual({ error: undefined, recurring: true, maxGapDays: 0, maxGapMonths: 12, atLeastQuarterly: false, summary: 'fires at most once a year; up to 12 month(s) (0 days) pass between runs' });
  });

  // 2199: Jan 1 Tue, Feb 1 Fri, Mar 1 Fri, May 1 Wed, Jun 1 Sat, Jul 1 Mon, Aug 1 Thu, Sep 1 Sun, Oct 1 Tue.
  it.each([
    // nW: a Saturday 1st moves to Monday the 3rd (May 1 → Jun 3).
    ['cron(0 0 1W 5,6 ? 2199)', 33],
    // nW: another Saturday moves to the Friday before (May 15 → Jun 14).
    ['cron(0 0 15W 5,6 ? 2199)', 30],
    // nW: a Sunday that is the last day moves to the Friday before (Jan 31 → Mar 29; February has no 31st).
    ['cron(0 0 31W 1,3 ? 2199)', 57],
    // nW: another Sunday moves to the Monday after (Aug 1 → Sep 2).
    ['cron(0 0 1W 8,9 ? 2199)', 32],
    // nW on a weekday stays (Jul 1 Mon → Aug 1 Thu).
    ['cron(0 0 1W 7,8 ? 2199)', 31],
    // LW: a Saturday last day moves to Friday (Jul 31 → Aug 30).
    ['cron(0 0 LW 7,8 ? 2199)', 30],
    // LW: a Sunday last day moves to Friday (Feb 28 → Mar 29).
    ['cron(0 0 LW 2,3 ? 2199)', 29],
    // L: the last day (Jan 31 → Feb 28).
    ['cron(0 0 L 1,2 ? 2199)', 28],
    // n#k: the first Monday (Jan 7 → Feb 4).
    ['cron(0 0 ? 1,2 MON#1 2199)', 28],
    ['cron(0 0 ? 1,2 2#2 2199)', 28],
    // nL: the last Friday (Jan 25 → Mar 29).
    ['cron(0 0 ? 1,3 6L 2199)', 63],
    // nL: the last Sunday of March 2199 is the 31st alone (the 24th is not within the last week).
    ['cron(0 0 ? 3 1L 2199)', 0],
    // L in day-of-week is Saturday: the last Saturday of August (Aug 31) → first of October (Oct 5).
    ['cron(0 0 ? 8,10 L 2199)', 35],
    // ... while Sunday (1) gives Aug 25 → Oct 6.
    ['cron(0 0 ? 8,10 1 2199)', 42],
    ['cron(0 0 ? 8,10 SUN 2199)', 42],
    ['cron(0 0 ? 8,10 7 2199)', 35],
    ['cron(0 0 ? 8,10 sat 2199)', 35],
  ])('%s: %i days between runs', (expr, gap) => {
    const a = analyzeSchedule(expr);
    expect(a.error).toBeUndefined();
    expect(a.maxGapDays).toBe(gap);
  });

  it('day gaps over the whole simulation', () => {
    expect(analyzeSchedule('cron(0 10 ? * MON *)').maxGapDays).toBe(7);
    expect(analyzeSchedule('cron(0 10 ? * MON,THU *)').maxGapDays).toBe(4);
    expect(analyzeSchedule('cron(0 10 ? * 2#1 *)').maxGapDays).toBe(35);
    expect(analyzeSchedule('cron(0 10 ? * MON#4 *)').maxGapDays).toBe(35);
    expect(analyzeSchedule('cron(0 10 ? * 2L *)').maxGapDays).toBe(35);
    expect(analyzeSchedule('cron(0 10 L * ? *)').maxGapDays).toBe(31);
    expect(analyzeSchedule('cron(0 10 15W * ? *)').maxGapDays).toBe(32);
    expect(analyzeSchedule('cron(0 10 LW * ? *)').maxGapDays).toBe(33);
    expect(analyzeSchedule('cron(0 10 29 2 ? *)')).toMatchObject({ maxGapDays: 2921, maxGapMonths: 96, atLeastQuarterly: false });
  });

  it('rate: units, case, whitespace and the 92-day boundary', () => {
    const rate = (e: string) => {
      const a = analyzeSchedule(e);
      return [a.kind, a.error, a.recurring, a.maxGapDays, a.maxGapMonths, a.atLeastQuarterly, a.summary];
    };
    expect(rate('rate(92 days)')).toEqual(['rate', undefined, true, 92, undefined, true, 'fires every 92 days (92 days)']);
    expect(rate('rate(93 days)')).toEqual(['rate', undefined, true, 93, undefined, false, 'fires every 93 days (93 days)']);
    expect(rate('rate(1 DAY)')).toEqual(['rate', undefined, true, 1, undefined, true, 'fires every 1 day (1 days)']);
    expect(rate('rate(12 hours)')).toEqual(['rate', undefined, true, 0.5, undefined, true, 'fires every 12 hours (0.50 days)']);
    expect(rate('rate(48 hour)')).toEqual(['rate', undefined, true, 2, undefined, true, 'fires every 48 hour (2 days)']);
    expect(rate('rate(2208 hours)')).toEqual(['rate', undefined, true, 92, undefined, true, 'fires every 2208 hours (92 days)']);
    expect(rate('rate(2209 hours)')[5]).toBe(false);
    expect(rate('RATE(90 Minutes)')).toEqual(['rate', undefined, true, 0.0625, undefined, true, 'fires every 90 minutes (0.06 days)']);
    expect(rate('rate(1440 minute)')).toEqual(['rate', undefined, true, 1, undefined, true, 'fires every 1440 minute (1 days)']);
    expect(rate(' rate( 30   days ) ')).toEqual(['rate', undefined, true, 30, undefined, true, 'fires every 30 days (30 days)']);
    expect(analyzeSchedule(' rate( 30   days ) ').expression).toBe(' rate( 30   days ) ');
  });

  it('at: fires once, trimmed; a bare 6-field cron; case-insensitive kinds', () => {
    expect(analyzeSchedule('at( 2026-01-05T10:00:00 )')).toEqual({
      expression: 'at( 2026-01-05T10:00:00 )',
      kind: 'at',
      recurring: false,
      maxGapDays: Infinity,
      atLeastQuarterly: false,
      summary: 'fires once, at 2026-01-05T10:00:00',
    });
    expect(analyzeSchedule('AT(2026-01-05T10:00:00)').kind).toBe('at');
    expect(analyzeSchedule(' 0 10 1 1,4,7,10 ? * ')).toMatchObject({ kind: 'cron', expression: ' 0 10 1 1,4,7,10 ? * ', atLeastQuarterly: true, maxGapMonths: 3 });
    expect(analyzeSchedule('Cron(0 10 1 1,4,7,10 ? *)')).toMatchObject({ kind: 'cron', atLeastQuarterly: true });
    expect(analyzeSchedule('cron( 0 10 1 1,4,7,10 ? * )')).toMatchObject({ kind: 'cron', atLeastQuarterly: true });
  });

  it('results are reused per expression', () => {
    expect(analyzeSchedule('rate(7 days)')).toBe(analyzeSchedule('rate(7 days)'));
  });
});

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

describe('nextCronRun', () => {
  it('computes the first Monday of the next quarter month in the schedule\'s zone', () => {
    expect(nextCronRun(DEFAULT_DRILL_SCHEDULE, 'Europe/Berlin', new Date('2025-11-12T09:00:00Z'))).toBe('2026-01-05T10:00[Europe/Berlin]');
    // 2026-01-05 10:00 Berlin is 09:00 UTC: one minute before, the run is still ahead; at it, the next is April.
    expect(nextCronRun(DEFAULT_DRILL_SCHEDULE, 'Europe/Berlin', new Date('2026-01-05T08:59:00Z'))).toBe('2026-01-05T10:00[Europe/Berlin]');
    expect(nextCronRun(DEFAULT_DRILL_SCHEDULE, 'Europe/Berlin', new Date('2026-01-05T09:00:00Z'))).toBe('2026-04-06T10:00[Europe/Berlin]');
    expect(nextCronRun(DEFAULT_DRILL_SCHEDULE, 'UTC', new Date('2026-06-30T23:59:00Z'))).toBe('2026-07-06T10:00[UTC]');
    expect(nextCronRun('rate(90 days)', 'UTC', new Date())).toBeUndefined();
  });
});

describe('nextCronRun: every cron analyzeSchedule accepts', () => {
  const now = new Date('2025-11-12T09:00:00Z');
  it('the day forms L, LW, nW, n#k, nL and a last-Saturday L', () => {
    expect(nextCronRun('cron(0 10 L * ? *)', 'UTC', now)).toBe('2025-11-30T10:00[UTC]');
    expect(nextCronRun('cron(0 10 LW * ? *)', 'UTC', now)).toBe('2025-11-28T10:00[UTC]');
    // 2025-11-15 is a Saturday: 15W is the Friday before.
    expect(nextCronRun('cron(0 10 15W * ? *)', 'UTC', now)).toBe('2025-11-14T10:00[UTC]');
    expect(nextCronRun('cron(0 10 ? * 6L *)', 'UTC', now)).toBe('2025-11-28T10:00[UTC]');
    expect(nextCronRun('cron(0 10 ? * L *)', 'UTC', now)).toBe('2025-11-15T10:00[UTC]');
    expect(nextCronRun('cron(0 10 ? * MON#2,FRI#4 *)', 'UTC', now)).toBe('2025-11-28T10:00[UTC]');
  });
  it('ranges that wrap around the year or the week, and a bare 6-field body', () => {
    expect(nextCronRun('cron(0 10 1 NOV-FEB ? *)', 'UTC', now)).toBe('2025-12-01T10:00[UTC]');
    expect(nextCronRun('cron(0 10 ? * FRI-MON *)', 'UTC', now)).toBe('2025-11-14T10:00[UTC]');
    expect(nextCronRun('0 10 1 * ? *', 'UTC', now)).toBe('2025-12-01T10:00[UTC]');
  });
  it('nothing for what analyzeSchedule refuses, and for rate and at', () => {
    for (const e of ['cron(0 10 1/2/3 * ? *)', 'cron(0 10 * * * *)', 'cron(0 10 ? * MON#6 *)', 'cron(0 10 30 2 ? *)', 'at(2026-01-01T10:00:00)', 'rate(1 day)', 'weekly']) {
      expect(nextCronRun(e, 'UTC', now), e).toBeUndefined();
    }
  });
});
