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
