import { describe, expect, it } from 'vitest';
import { isTimeZone } from '../../lib/policy/schedule';

// isTimeZone answers UTC by name, canonical zones from the runtime's list and everything else
// through an Intl formatter; every path must give the runtime's own answer.
describe('isTimeZone', () => {
  it('knows canonical zones from the list', () => {
    for (const tz of ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata']) expect(isTimeZone(tz)).toBe(true);
  });

  it('knows UTC and aliases that are not in the canonical list', () => {
    expect(Intl.supportedValuesOf('timeZone')).not.toContain('US/Eastern');
    expect(isTimeZone('US/Eastern')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
  });

  it('refuses what is no zone, twice the same (the answer is cached)', () => {
    for (const tz of ['Europe/Atlantis', 'europe berlin', '', 'Mars/Olympus_Mons']) {
      expect(isTimeZone(tz)).toBe(false);
      expect(isTimeZone(tz)).toBe(false);
    }
  });
});
