/**
 * More drill-helper tests (lib/rules/drill-helpers.ts) aimed at exact outputs: schedule
 * analysis (every parse error verbatim, summaries, and probe schedules in the last year AWS
 * accepts, whose day gaps pin which day `nW`, `LW`, `L`, `n#k` and `nL` pick), the per-key
 * index (KeyedIndex) with key-less items mixed in, drill/app containers, drill schedules and
 * alarms in model order, known keys and drills, reachOf, and provider/network/store refs.
 */
import { describe, expect, it } from 'vitest';
import type { Grant, Principal, Store } from '../../lib/model/types';
import { declaredDrills, drillsForKey, isDrillPrincipal, knownKeys, manifestLocation, reachOf, resolveNetwork, resolveStoreRef, networkAttachments } from '../../lib/rules/drill-helpers';
import { ct, hand, mf, mkey, mnt as bindMount } from './hand-model';
import { bucket, container, doc, labels, manifest, model, tags, zitadelKey } from './kc0xx-fixtures';
import { appContainers, drillAlarms, drillContainers, drillSchedules, isDrillContainer, KeyedIndex, productionContainers } from '../../lib/model/views/drills';
import { resolveProviderRef } from '../../lib/model/views/hosts';
import { scheduleTags } from '../../lib/model/views/tags';
import { QUARTER_DAYS, QUARTER_MONTHS } from '../../lib/policy/limits';
import { analyzeSchedule, DEFAULT_DRILL_SCHEDULE } from '../../lib/policy/schedule';

const names = (cs: readonly { address: string }[]) => cs.map((c) => c.address.replace(/^[a-z_]+\./, ''));

// ---------------------------------------------------------------------------------------

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

describe('KeyedIndex', () => {
  it('gives a key\'s items plus the key-less ones, in the original order', () => {
    type Item = { n: string; k?: string };
    const items: Item[] = [{ n: 'a', k: 'k1' }, { n: 'b' }, { n: 'c', k: 'k2' }, { n: 'd', k: 'k1' }, { n: 'e' }, { n: 'f', k: 'k1' }];
    const idx = new KeyedIndex(items, (x) => x.k);
    const of = (k: string) => idx.of(k).map((x) => x.n);
    expect(of('k1')).toEqual(['a', 'b', 'd', 'e', 'f']);
    expect(of('k2')).toEqual(['b', 'c', 'e']);
    expect(of('k3')).toEqual(['b', 'e']);
    // Every call returns a fresh array.
    idx.of('k1').push({ n: 'x' });
    idx.of('k3').push({ n: 'x' });
    expect(of('k1')).toEqual(['a', 'b', 'd', 'e', 'f']);
    expect(of('k3')).toEqual(['b', 'e']);
  });

  it('without key-less items: only the key\'s own, or nothing', () => {
    const idx = new KeyedIndex(['k2:a', 'k1:b', 'k2:c'], (x) => x.split(':')[0]);
    expect(idx.of('k2')).toEqual(['k2:a', 'k2:c']);
    expect(idx.of('k1')).toEqual(['k1:b']);
    expect(idx.of('k3')).toEqual([]);
    const own = idx.of('k2');
    own.pop();
    expect(idx.of('k2')).toEqual(['k2:a', 'k2:c']);
    expect(new KeyedIndex([], () => undefined).of('k')).toEqual([]);
  });

  it('key-less items first in the model come first', () => {
    const idx = new KeyedIndex(['-:a', 'k:b', '-:c', 'k:d'], (x) => (x.startsWith('-') ? undefined : x.slice(0, 1)));
    expect(idx.of('k')).toEqual(['-:a', 'k:b', '-:c', 'k:d']);
    expect(idx.of('z')).toEqual(['-:a', '-:c']);
  });
});

describe('drill and app containers', () => {
  const k1 = mkey('k1', { hostPath: '/etc/k1/masterkey' });
  const k2 = mkey('k2', { hostFile: { path: '/srv/k2/key', mode: '0400', owner: 'root', group: 'root', dirMode: '0700', deployCheck: true } });

  it('drill containers of a key: labelled with it, or with no key, in model order', () => {
    const drill = (name: string, key?: string) => ct(name, key ? { 'custody:role': 'drill', 'custody:key': key } : { 'custody:role': 'drill' });
    const m = hand({
      containers: [drill('anyA'), drill('k1a', 'k1'), ct('prod', { 'custody:key': 'k1' }), drill('k2a', 'k2'), drill('anyB'), drill('k1b', 'k1'), ct('other', { 'custody:role': 'db-backup' })],
    });
    expect(names(drillContainers(m, 'k1'))).toEqual(['anyA', 'k1a', 'anyB', 'k1b']);
    expect(names(drillContainers(m, 'k2'))).toEqual(['anyA', 'k2a', 'anyB']);
    expect(names(drillContainers(m, 'k3'))).toEqual(['anyA', 'anyB']);
    expect(names(drillContainers(m))).toEqual(['anyA', 'k1a', 'k2a', 'anyB', 'k1b']);
    expect(names(productionContainers(m))).toEqual(['prod', 'other']);
    expect(isDrillContainer(ct('x', { 'custody:role': 'drill' }))).toBe(true);
    expect(isDrillContainer(ct('x', { 'custody:role': 'Drill' }))).toBe(false);
    expect(isDrillContainer(ct('x', { 'custody:component': 'drill' }))).toBe(false);
  });

  it('only keyed drill containers: none of another key', () => {
    const m = hand({ containers: [ct('a', { 'custody:role': 'drill', 'custody:key': 'k1' })] });
    expect(names(drillContainers(m, 'k1'))).toEqual(['a']);
    expect(names(drillContainers(m, 'k2'))).toEqual([]);
  });

  it('app containers: labelled with the key or mounting its hot copy (file or a directory above), never drill containers', () => {
    const m = hand({
      manifests: [mf('s', [k1, k2])],
      containers: [
        ct('dirAbove', {}, [bindMount('/etc/k1', '/k')]),
        ct('slash', {}, [bindMount('/etc/k1/', '/k')]),
        ct('file', {}, [bindMount('/srv/k2/key', '/k')]),
        ct('both', {}, [bindMount('/srv/k2', '/a'), bindMount('/etc', '/b')]),
        ct('labelled', { 'custody:key': 'k2' }),
        ct('labelAndMount', { 'custody:key': 'k1' }, [bindMount('/etc/k1/masterkey', '/k')]),
        ct('sibling', {}, [bindMount('/etc/k1x', '/k'), bindMount('/etc/k', '/k2'), bindMount('/srv/k2/key/x', '/k3')]),
        ct('secret', {}, [bindMount('/etc/k1/masterkey', '/k', 'secret'), bindMount('/etc/k1', '/u', 'upload'), bindMount('/etc/k1', '/t', 'tmpfs'), bindMount(undefined, '/n')]),
        ct('volume', {}, [bindMount('/etc/k1', '/v', 'volume')]),
        ct('drill', { 'custody:role': 'drill', 'custody:key': 'k1' }, [bindMount('/etc/k1', '/k')]),
        ct('other', { 'custody:key': 'k3' }),
      ],
    });
    expect(names(appContainers(m, 'k1'))).toEqual(['dirAbove', 'slash', 'both', 'labelAndMount', 'volume']);
    expect(names(appContainers(m, 'k2'))).toEqual(['file', 'both', 'labelled']);
    expect(names(appContainers(m, 'k3'))).toEqual(['other']);
    expect(names(appContainers(m, 'none'))).toEqual([]);
    const first = appContainers(m, 'k1');
    first.length = 0;
    expect(appContainers(m, 'k1')).toHaveLength(5);
  });

  it('only the first declaration of a key names its hot copy', () => {
    const m = hand({
      manifests: [mf('a', [mkey('k', { hostPath: '/etc/first/key' })]), mf('b', [mkey('k', { hostPath: '/etc/second/key' }), mkey('j', { hostPath: '/etc/j/key' })])],
      containers: [ct('first', {}, [bindMount('/etc/first', '/k')]), ct('second', {}, [bindMount('/etc/second/key', '/k')]), ct('j', {}, [bindMount('/etc/j/key', '/k')]), ct('root', {}, [bindMount('/etc', '/e')])],
    });
    expect(names(appContainers(m, 'k'))).toEqual(['first', 'root']);
    expect(names(appContainers(m, 'j'))).toEqual(['j', 'root']);
  });

  it('a container mounting nothing declared and labelled with no key belongs to no key', () => {
    const m = hand({ manifests: [mf('s', [k1])], containers: [ct('plain', { 'custody:app': 'app' }, [bindMount('/data', '/data')])] });
    expect(appContainers(m, 'k1')).toEqual([]);
  });
});

describe('drill schedules and alarms', () => {
  const drillTags = (key?: string): Record<string, string> => (key ? { 'custody:role': 'drill', 'custody:key': key } : { 'custody:role': 'drill' });

  it('keyed and key-less drill resources of each type, in model order, managed only', () => {
    const m = model([
      's',
      {
        resource: {
          aws_cloudwatch_metric_alarm: {
            a_any: { tags: drillTags() },
            b_k1: { tags: drillTags('k1') },
            c_k2: { tags: drillTags('k2') },
            d_any: { tags: drillTags() },
            e_k1: { tags: drillTags('k1') },
            f_prod: { tags: { 'custody:role': 'key-backup', 'custody:key': 'k1' } },
            g_untagged: {},
          },
          aws_scheduler_schedule: {
            s_k2: { schedule_expression: 'rate(1 day)', tags: drillTags('k2') },
            t_any: { schedule_expression: 'rate(1 day)', tags: drillTags() },
            u_k1: { schedule_expression: 'rate(1 day)', target: { input: JSON.stringify({ 'custody:role': 'drill', 'custody:key': 'k1' }) } },
            v_none: { schedule_expression: 'rate(1 day)' },
          },
        },
        data: { aws_cloudwatch_metric_alarm: { z_data: { tags: drillTags('k1') } }, aws_scheduler_schedule: { z_data: { tags: drillTags() } } },
      },
    ]);
    const of = (rs: { address: string }[]) => names(rs);
    expect(of(drillAlarms(m, 'k1'))).toEqual(['a_any', 'b_k1', 'd_any', 'e_k1']);
    expect(of(drillAlarms(m, 'k2'))).toEqual(['a_any', 'c_k2', 'd_any']);
    expect(of(drillAlarms(m, 'k3'))).toEqual(['a_any', 'd_any']);
    expect(of(drillSchedules(m, 'k1'))).toEqual(['t_any', 'u_k1']);
    expect(of(drillSchedules(m, 'k2'))).toEqual(['s_k2', 't_any']);
    expect(of(drillSchedules(m, 'k3'))).toEqual(['t_any']);
    // Asked again (indexed), the answers are the same and fresh.
    drillAlarms(m, 'k1').pop();
    expect(of(drillAlarms(m, 'k1'))).toEqual(['a_any', 'b_k1', 'd_any', 'e_k1']);
  });

  it('schedule groups are found by literal name among managed groups only; schedule tags are computed once', () => {
    const m = model([
      's',
      {
        resource: {
          aws_scheduler_schedule_group: { g: { name: 'managed-group', tags: drillTags('k1') } },
          aws_scheduler_schedule: {
            viaData: { group_name: 'data-group', target: { input: 'null' } },
            viaManaged: { group_name: 'managed-group', target: { input: '"custody:key"' } },
            viaExpr: { group_name: '${var.g}' },
          },
        },
        data: { aws_scheduler_schedule_group: { d: { name: 'data-group', tags: drillTags('k2') } } },
      },
    ]);
    const r = (name: string) => m.resource('s', `aws_scheduler_schedule.${name}`)!;
    expect(scheduleTags(m, r('viaData'))).toEqual({});
    expect(scheduleTags(m, r('viaManaged'))).toEqual(drillTags('k1'));
    expect(scheduleTags(m, r('viaExpr'))).toEqual({});
    expect(scheduleTags(m, r('viaManaged'))).toBe(scheduleTags(m, r('viaManaged')));
    expect(names(drillSchedules(m, 'k1'))).toEqual(['viaManaged']);
  });

  it('no drill resources at all', () => {
    const m = model(['s', { resource: { aws_cloudwatch_metric_alarm: { a: { tags: { team: 'x' } } } } }]);
    expect(drillAlarms(m, 'k')).toEqual([]);
    expect(drillSchedules(m, 'k')).toEqual([]);
  });

  it('provider default_tags make an alarm a drill alarm', () => {
    const m = model([
      's',
      { provider: { aws: [{ default_tags: { tags: drillTags('k1') } }] }, resource: { aws_cloudwatch_metric_alarm: { a: {}, b: { tags: { 'custody:key': 'k2' } } } } },
    ]);
    expect(names(drillAlarms(m, 'k1'))).toEqual(['a']);
    expect(names(drillAlarms(m, 'k2'))).toEqual(['b']);
  });
});

describe('known keys and declared drills', () => {
  it('manifest keys first, then store keys, then production container keys; drill containers do not introduce keys', () => {
    const m = model(
      [
        'a',
        doc(
          manifest([zitadelKey(), zitadelKey({ id: 'second' })], {
            drills: [
              { id: 'q', key: 'zitadel-master' },
              { id: 'q', key: 'second' },
              { id: 'q', key: 'zitadel-master', schedule: 'dup' },
              { id: 'm', key: 'zitadel-master' },
            ],
          }),
          bucket('kb', 'key-backup', { tags: tags('key-backup', 'store-key') }),
          bucket('db', 'db-backup', { tags: tags('db-backup', 'zitadel-master') }),
          bucket('notag', 'db-backup', { tags: { 'custody:role': 'db-backup' } }),
          container('prod', { labels: labels({ 'custody:key': 'container-key' }) }),
          container('drill', { labels: labels({ 'custody:role': 'drill', 'custody:key': 'drill-only' }) }),
          container('prod2', { labels: labels({ 'custody:key': 'store-key' }) }),
        ),
      ],
      ['b', doc(manifest([zitadelKey({ app: 'again' })], { drills: [{ id: 'q', key: 'zitadel-master', schedule: 'from-b' }, { id: 'b', key: 'zitadel-master' }] }))],
    );
    const ks = knownKeys(m);
    expect(ks.map((k) => [k.id, k.seenAt.stack, k.seenAt.address, k.declared?.key.app ?? null, k.seenAt.resource?.address ?? null])).toEqual([
      ['zitadel-master', 'a', 'terraform_data.custody_manifest', 'zitadel', 'terraform_data.custody_manifest'],
      ['second', 'a', 'terraform_data.custody_manifest', 'zitadel', 'terraform_data.custody_manifest'],
      ['store-key', 'a', 'aws_s3_bucket.kb', null, 'aws_s3_bucket.kb'],
      ['container-key', 'a', 'docker_container.prod', null, 'docker_container.prod'],
    ]);
    expect(ks[0].declared?.manifest.stack).toBe('a');

    const ds = declaredDrills(m);
    expect(ds.map((d) => [d.manifest.stack, d.drill.key, d.drill.id, d.drill.schedule ?? null, d.resource?.address ?? null])).toEqual([
      ['a', 'zitadel-master', 'q', null, 'terraform_data.custody_manifest'],
      ['a', 'second', 'q', null, 'terraform_data.custody_manifest'],
      ['a', 'zitadel-master', 'm', null, 'terraform_data.custody_manifest'],
      ['b', 'zitadel-master', 'b', null, 'terraform_data.custody_manifest'],
    ]);
    expect(drillsForKey(m, 'zitadel-master').map((d) => `${d.manifest.stack}:${d.drill.id}`)).toEqual(['a:q', 'a:m', 'b:b']);
    expect(drillsForKey(m, 'second').map((d) => d.drill.id)).toEqual(['q']);
    expect(drillsForKey(m, 'none')).toEqual([]);
    const loc = manifestLocation(ds[0]);
    expect([loc.stack, loc.address, loc.location === ds[0].resource?.location]).toEqual(['a', 'terraform_data.custody_manifest', true]);
    expect(manifestLocation({ drill: ds[0].drill, manifest: ds[0].manifest })).toEqual({ stack: 'a', address: 'terraform_data.custody_manifest', location: undefined });
  });

  it('isDrillPrincipal: by custody role or by the role tag', () => {
    const p = (over: Partial<Principal>): Principal => ({ id: 'p', stack: 's', address: 'a', kind: 'role', account: 'x', tags: {}, ...over });
    expect(isDrillPrincipal(p({ role: 'drill' }))).toBe(true);
    expect(isDrillPrincipal(p({ tags: { 'custody:role': 'drill' } }))).toBe(true);
    expect(isDrillPrincipal(p({ role: 'key-backup', tags: { 'custody:role': 'key-backup' } }))).toBe(false);
    expect(isDrillPrincipal(p({}))).toBe(false);
  });
});

describe('reachOf', () => {
  it('groups a principal\'s grants by store: every access, each via once, unknown stores without a store', () => {
    const store = { id: 'S1', address: 'aws_s3_bucket.one' } as unknown as Store;
    const g = (principal: string, st: string, access: Grant['access'], via: string): Grant => ({ principal, store: st, access, via });
    const m = hand({
      grants: [g('P', 'S1', 'read', 'v1'), g('Q', 'S1', 'admin', 'q'), g('P', 'S2', 'write', 'v2'), g('P', 'S1', 'write', 'v1'), g('P', 'S1', 'read', 'v3')],
      storeById: (id: string) => (id === 'S1' ? store : undefined),
    });
    const r = reachOf(m, 'P');
    expect([...r.keys()]).toEqual(['S1', 'S2']);
    expect(r.get('S1')?.store).toBe(store);
    expect([...(r.get('S1')?.access ?? [])]).toEqual(['read', 'write']);
    expect(r.get('S1')?.via).toEqual(['v1', 'v3']);
    expect(r.get('S2')).toEqual({ store: undefined, access: new Set(['write']), via: ['v2'] });
    expect([...reachOf(m, 'Q').entries()]).toEqual([['S1', { store, access: new Set(['admin']), via: ['q'] }]]);
    expect(reachOf(m, 'nobody').size).toBe(0);
  });
});

describe('provider, network and store references', () => {
  it('resolveProviderRef: stack-qualified interpolations, and the manifest stack for an unknown provider', () => {
    const m = model(
      ['app', { provider: { docker: [{ host: 'ssh://app' }] } }],
      ['drill', { provider: { docker: [{ alias: 'scratch', host: 'ssh://drill' }] } }],
    );
    expect(resolveProviderRef(m, 'drill/${docker.scratch}', 'app')).toMatchObject({ stack: 'drill', providerKey: 'docker.scratch', host: 'ssh://drill' });
    expect(resolveProviderRef(m, 'drill/docker', 'app')).toEqual({ stack: 'drill', providerKey: 'docker', host: 'unix:///var/run/docker.sock', provider: undefined });
    expect(resolveProviderRef(m, 'docker', 'drill')).toMatchObject({ stack: 'app', providerKey: 'docker', host: 'ssh://app' });
    expect(resolveProviderRef(m, 'a/b/docker.scratch', 'app')).toMatchObject({ stack: 'a/b', providerKey: 'docker.scratch', host: 'unix:///var/run/docker.sock' });
  });

  it('resolveNetwork: a literal name matches only a managed network of the same stack and provider; unknown hosts fall back to stack/provider', () => {
    const m = model(
      [
        's',
        doc(
          { provider: { docker: [{}, { alias: 'expr', host: '${var.h}' }] } },
          { resource: { docker_network: { n: { name: 'net', internal: 'false' } } }, data: { docker_network: { d: { name: 'data-net' } } } },
          container('a', { networks_advanced: [{ name: 'net' }] }),
          container('e', { provider: 'docker.expr' }),
        ),
      ],
      ['t', doc({ resource: { docker_network: { n: { name: 'other-net', internal: true } } } }, container('b', {}))],
    );
    const c = (stack: string, address: string) => m.containers.find((x) => x.stack === stack && x.address === address)!;
    expect(resolveNetwork(m, c('s', 'docker_container.a'), 'net')).toMatchObject({ shown: 'docker_network.n (stack s)', id: 's/docker_network.n', internal: false });
    expect(resolveNetwork(m, c('s', 'docker_container.a'), 'data-net')).toEqual({ shown: 'network "data-net"', id: 'name:unix:///var/run/docker.sock:data-net', internal: undefined });
    expect(resolveNetwork(m, c('t', 'docker_container.b'), 'net')).toEqual({ shown: 'network "net"', id: 'name:unix:///var/run/docker.sock:net', internal: undefined });
    expect(resolveNetwork(m, c('t', 'docker_container.b'), 'other-net')).toMatchObject({ id: 't/docker_network.n', internal: true });
    expect(resolveNetwork(m, c('s', 'docker_container.e'), 'x')).toEqual({ shown: 'network "x"', id: 'name:s/docker.expr:x', internal: undefined });
    expect(resolveNetwork(m, c('s', 'docker_container.a'), 42)).toEqual({ shown: 'network `42`', id: 'name:unix:///var/run/docker.sock:42', internal: undefined });
  });

  it('networkAttachments: a service without a task spec, a non-list networks attribute', () => {
    const m = model([
      's',
      {
        resource: {
          docker_service: { bare: { name: 'bare' }, str: { name: 'str', task_spec: { container_spec: { image: 'x' }, networks: 'one' } } },
          docker_container: { none: { name: 'none', image: 'x', network_mode: '${var.m}' } },
        },
      },
    ]);
    const c = (address: string) => m.containers.find((x) => x.address === address)!;
    expect(networkAttachments(c('docker_service.bare'))).toEqual({ values: [] });
    expect(networkAttachments(c('docker_service.str'))).toEqual({ values: [] });
    expect(networkAttachments(c('docker_container.none'))).toEqual({ values: [], mode: undefined });
  });

  it('resolveStoreRef: an address in two other stacks is ambiguous; a bucket name shared by two stores is too', () => {
    const m = model(
      ['a', doc(bucket('kb', 'key-backup'))],
      ['b', doc(bucket('kb', 'key-backup', { tags: tags('key-backup', 'k2') }), bucket('x', 'db-backup', { tags: tags('db-backup') }))],
      ['c', doc(bucket('only', 'key-backup'))],
    );
    const at = (ref: string, from: string) => {
      const s = resolveStoreRef(m, ref, from);
      return s ? `${s.stack}/${s.address}` : undefined;
    };
    expect(at('aws_s3_bucket.kb', 'c')).toBeUndefined();
    expect(at('aws_s3_bucket.kb', 'b')).toBe('b/aws_s3_bucket.kb');
    expect(at('aws_s3_bucket.only', 'a')).toBe('c/aws_s3_bucket.only');
    expect(at('kc-x', 'a')).toBe('b/aws_s3_bucket.x');
    expect(at('kc-kb', 'a')).toBeUndefined();
    expect(at('c/aws_s3_bucket.only', 'a')).toBe('c/aws_s3_bucket.only');
    expect(at('c/aws_s3_bucket.kb', 'a')).toBeUndefined();
    expect(at('s3://kc-only', 'a')).toBe('c/aws_s3_bucket.only');
    expect(at('arn:aws:s3:::kc-only', 'a')).toBe('c/aws_s3_bucket.only');
    expect(at('arn:aws:s3:::kc-kb', 'a')).toBeUndefined();
    expect(at(`c\u0000aws_s3_bucket.only`, 'a')).toBe('c/aws_s3_bucket.only');
  });
});
