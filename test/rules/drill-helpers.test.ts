import { describe, expect, it } from 'vitest';
import { compareIdentities, mayBeGeneratedFrom, stateLocation } from '../../lib/rules/custody-helpers';
import { loadTerraformJson } from '../../lib/model/load';
import { QUARTER_DAYS } from '../../lib/policy/limits';
import { analyzeSchedule, DEFAULT_DRILL_SCHEDULE } from '../../lib/policy/schedule';

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

describe('custody helpers', () => {
  it('bucket_prefix names: only names of the generated shape may be the prefixed bucket', () => {
    expect(mayBeGeneratedFrom('zitadel-key-20240101120000000000000001', 'zitadel-key-')).toBe(true);
    expect(mayBeGeneratedFrom('zitadel-key-backup', 'zitadel-key-')).toBe(false);
    expect(compareIdentities({ kind: 'prefix', value: 's3:kc-', shown: '' }, { kind: 'prefix', value: 's3:kc-key-', shown: '' })).toBe('maybe');
    expect(compareIdentities({ kind: 'prefix', value: 's3:kc-db-', shown: '' }, { kind: 'prefix', value: 's3:kc-key-', shown: '' })).toBe('different');
    expect(compareIdentities({ kind: 'expr', value: '${var.a}', shown: '' }, { kind: 'expr', value: '${var.a}', shown: '' })).toBe('same');
  });

  it('state locations', () => {
    const s3 = (stack: string, key: string) => stateLocation(loadTerraformJson(stack, { terraform: { backend: { s3: { bucket: 'b', key } } } }));
    expect(s3('a', 'x').id).toBe(s3('b', 'x').id);
    expect(s3('a', 'x').id).not.toBe(s3('b', 'y').id);
    const local = (stack: string, path?: string) => stateLocation(loadTerraformJson(stack, path ? { terraform: { backend: { local: { path } } } } : {}));
    expect(local('a').id).not.toBe(local('b').id);
    expect(local('a', 'terraform.tfstate').id).not.toBe(local('b', 'terraform.tfstate').id);
    expect(local('a', '../../shared.tfstate').id).toBe(local('b', '../../shared.tfstate').id);
    expect(local('a', '/abs/s.tfstate').id).toBe(local('b', '/abs/s.tfstate').id);
    expect(stateLocation(loadTerraformJson('a', { terraform: { backend: { s3: { region: 'x' } } } })).id).toBeUndefined();
  });
});
