/**
 * nextCronRun in a zone other than UTC answers without the zone's offset when the schedule
 * does not fire within 16 hours of now (the run after now's earliest and latest possible wall
 * clock is then the same), and asks the zone (an Intl formatter, ~12 ms of ICU data on first
 * use) only inside that window. Both must give what the zone's wall clock gives.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_DRILL_SCHEDULE, nextCronRun } from '../../lib/policy/schedule';

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Australia/Lord_Howe', 'America/St_Johns', 'Asia/Kathmandu', 'US/Eastern'];
// Quarterly, daily, weekly at 02:30 (inside a DST gap in some zones) and monthly at midnight.
const CRONS = [DEFAULT_DRILL_SCHEDULE, 'cron(0 10 * * ? *)', 'cron(30 2 ? * SUN *)', 'cron(0 0 1 * ? *)'];
const HOUR = 3_600_000;

/** The reference: the zone's wall clock from Intl, then the next run after it, walked in UTC terms. */
function reference(expression: string, zone: string, now: Date): string | undefined {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const wall = new Date(Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), 30));
  return nextCronRun(expression, 'UTC', wall)?.replace('[UTC]', `[${zone}]`);
}

/** Instants every 5 hours through two weeks around a date, so that some fall near a run and most do not. */
function around(iso: string): Date[] {
  const t = Date.parse(iso);
  return Array.from({ length: 68 }, (_, i) => new Date(t - 7 * 24 * HOUR + i * 5 * HOUR));
}

const WHEN = ['2026-01-05T09:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-11-01T06:00:00Z', '2026-12-31T23:00:00Z', '2027-04-05T08:00:00Z'];

describe('nextCronRun in a zone', () => {
  it('gives what the zone wall clock gives, near a run and far from one', () => {
    let near = 0;
    let far = 0;
    for (const cron of CRONS) {
      for (const zone of ZONES) {
        for (const when of WHEN) {
          for (const now of around(when)) {
            const want = reference(cron, zone, now);
            expect(want, `${cron} ${zone} ${now.toISOString()}`).toBeDefined();
            expect(nextCronRun(cron, zone, now), `${cron} ${zone} ${now.toISOString()}`).toBe(want);
            // Which side of the window this instant was on (the UTC fields of now vs the run).
            const run = Date.parse(`${want!.slice(0, 16)}:00Z`);
            if (Math.abs(run - now.getTime()) <= 16 * HOUR) near++;
            else far++;
          }
        }
      }
    }
    expect(near).toBeGreaterThan(200);
    expect(far).toBeGreaterThan(2000);
  });
});

describe('the zone is asked only inside the window', () => {
  const real = Intl.DateTimeFormat;
  afterEach(() => {
    Intl.DateTimeFormat = real;
    vi.resetModules();
  });

  /** A fresh copy of the module (its formatter cache empty) and a count of zoned formatters built. */
  async function counted(): Promise<{ next: typeof nextCronRun; zoned: () => number }> {
    let zoned = 0;
    Intl.DateTimeFormat = new Proxy(real, {
      construct(target, args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
        if (args[1]?.timeZone !== undefined) zoned++;
        return new target(...args);
      },
    });
    vi.resetModules();
    const mod = await import('../../lib/policy/schedule');
    return { next: mod.nextCronRun, zoned: () => zoned };
  }

  it('builds no formatter for a quarterly drill months away', async () => {
    const { next, zoned } = await counted();
    expect(next(DEFAULT_DRILL_SCHEDULE, 'Europe/Berlin', new Date('2026-12-06T09:00:00Z'))).toBe('2027-01-04T10:00[Europe/Berlin]');
    expect(zoned()).toBe(0);
  });

  it('builds one when the drill fires within the hours a zone can be off UTC', async () => {
    const { next, zoned } = await counted();
    // 2027-01-04 10:00 in Berlin is 09:00 UTC; at 08:00 UTC the run is an hour ahead.
    expect(next(DEFAULT_DRILL_SCHEDULE, 'Europe/Berlin', new Date('2027-01-04T08:00:00Z'))).toBe('2027-01-04T10:00[Europe/Berlin]');
    expect(zoned()).toBe(1);
    // And two hours later the run has passed: the next is April's.
    expect(next(DEFAULT_DRILL_SCHEDULE, 'Europe/Berlin', new Date('2027-01-04T10:00:00Z'))).toBe('2027-04-05T10:00[Europe/Berlin]');
  });
});
