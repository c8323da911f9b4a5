/**
 * `rateUnitProblem` (lib/policy/schedule.ts): what EventBridge Scheduler refuses in a rate
 * that `analyzeSchedule` still reads, singular units for 1 and plural units above. The
 * analysis itself is unchanged: KC030 judges how often a hand-written schedule fires.
 */
import { describe, expect, it } from 'vitest';
import { analyzeSchedule, rateUnitProblem } from '../../lib/policy/schedule';

describe('rateUnitProblem', () => {
  it.each([
    ['rate(1 minutes)', 'a rate of 1 takes a singular unit: rate(1 minute)'],
    ['rate(1 hours)', 'a rate of 1 takes a singular unit: rate(1 hour)'],
    ['rate(1 days)', 'a rate of 1 takes a singular unit: rate(1 day)'],
    [' rate( 1   DAYS ) ', 'a rate of 1 takes a singular unit: rate(1 DAY)'],
    ['rate(5 minute)', 'a rate above 1 takes a plural unit: rate(5 minutes)'],
    ['rate(48 hour)', 'a rate above 1 takes a plural unit: rate(48 hours)'],
    ['rate(30 day)', 'a rate above 1 takes a plural unit: rate(30 days)'],
  ])('%s is refused', (expression, problem) => {
    expect(rateUnitProblem(expression)).toBe(problem);
  });

  it.each(['rate(1 minute)', 'rate(1 hour)', 'rate(1 day)', 'rate(30 days)', 'RATE(90 Minutes)', 'rate(12 hours)'])('%s is fine', (expression) => {
    expect(rateUnitProblem(expression)).toBeUndefined();
  });

  it('says nothing about crons, at(), other shapes and units analyzeSchedule refuses', () => {
    for (const e of ['cron(0 10 ? 1,4,7,10 MON#1 *)', 'at(2026-01-01T10:00:00)', 'rate(5 weeks)', 'rate(x)', 'rate(0 days)', 'weekly', '']) {
      expect(rateUnitProblem(e)).toBeUndefined();
    }
  });

  it('leaves the analysis as it was: the frequency of rate(48 hour) is still read', () => {
    expect(analyzeSchedule('rate(48 hour)')).toMatchObject({ kind: 'rate', maxGapDays: 2, atLeastQuarterly: true });
    expect(analyzeSchedule('rate(48 hour)').error).toBeUndefined();
    expect(analyzeSchedule('rate(1 minutes)').error).toBeUndefined();
  });
});
