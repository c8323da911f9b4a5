/**
 * The UTC fast path of nextCronRun/isTimeZone (no Intl zone data for "UTC"/"Etc/UTC") must
 * give exactly what the Intl path gives for a zone that is UTC under another name.
 */
import { describe, expect, it } from 'vitest';
import { isTimeZone, nextCronRun } from '../../lib/policy/schedule';

const CRONS = ['cron(0 10 ? 1,4,7,10 2#1 *)', 'cron(30 23 L * ? *)', 'cron(59 23 31 12 ? *)', 'cron(0 0 1 */3 ? *)', 'cron(15 6 ? * MON-FRI *)'];
// Instants around midnight, month ends and the year end, where a wrong field shows.
const INSTANTS = ['2026-01-01T00:00:00Z', '2026-03-31T23:59:00Z', '2026-06-30T23:30:00Z', '2026-12-31T23:59:00Z', '2027-02-28T10:00:00Z', '2028-02-29T23:59:00Z'];

describe('UTC fast path', () => {
  it('gives the same next run for UTC and Etc/UTC as the Intl path gives for Etc/GMT', () => {
    let compared = 0;
    for (const cron of CRONS) {
      for (const at of INSTANTS) {
        const viaIntl = nextCronRun(cron, 'Etc/GMT', new Date(at));
        expect(viaIntl, `${cron} at ${at}`).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}\[Etc\/GMT\]$/);
        for (const zone of ['UTC', 'Etc/UTC']) {
          expect(nextCronRun(cron, zone, new Date(at)), `${cron} at ${at} in ${zone}`).toBe(viaIntl!.replace('[Etc/GMT]', `[${zone}]`));
          compared++;
        }
      }
    }
    expect(compared).toBe(CRONS.length * INSTANTS.length * 2);
  });

  it('knows UTC and Etc/UTC as zones, and still refuses a near miss', () => {
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Etc/UTC')).toBe(true);
    expect(isTimeZone('UTC+1')).toBe(false);
    expect(isTimeZone('utc ')).toBe(false);
  });
});

describe('month lengths of the schedule walk', () => {
  it('gives February 29 days exactly in Gregorian leap years, as Date does', async () => {
    // Through the public API: "the 29th of February" fires only in leap years, so its gap is
    // 4 years (8 across 2096-2104, where 2100 is no leap year) and it is never quarterly.
    const { analyzeSchedule } = await import('../../lib/policy/schedule');
    const feb29 = analyzeSchedule('cron(0 10 29 2 ? *)');
    expect(feb29.atLeastQuarterly).toBe(false);
    expect(feb29.maxGapDays).toBe(8 * 365 + 1);
    const last = analyzeSchedule('cron(0 10 L 2 ? *)');
    expect(last.maxGapDays).toBe(366);
  });
});
