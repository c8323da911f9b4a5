import { describe, expect, it } from 'vitest';
import { nextCronRun } from '../../lib/constructs/drill-schedule';
import { DEFAULT_DRILL_SCHEDULE } from '../../lib/rules/drill-helpers';

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
