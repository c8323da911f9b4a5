/**
 * When does an EventBridge Scheduler cron fire next? A small, dependency-free evaluator for
 * the `cron(min hour day-of-month month day-of-week year)` syntax, in an IANA time zone,
 * used to write a deterministic `nextRun` into the custody manifest and the runbook.
 * `rate(...)` and `at(...)` depend on when the schedule was created or are one-off, so
 * they have no computable next run here.
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

type DayTest = (year: number, month: number, day: number) => boolean;

function parseList(field: string, min: number, max: number, names?: string[]): Set<number> | undefined {
  const out = new Set<number>();
  const value = (t: string): number | undefined => {
    const i = names ? names.indexOf(t.toUpperCase()) : -1;
    if (i >= 0) return i + min;
    if (!/^\d+$/.test(t)) return undefined;
    const n = Number(t);
    return n >= min && n <= max ? n : undefined;
  };
  for (const item of field.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return undefined;
    let from: number | undefined;
    let to: number | undefined;
    if (range === '*') [from, to] = [min, max];
    else if (range.includes('-')) [from, to] = range.split('-').map(value);
    else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    if (from === undefined || to === undefined || from > to) return undefined;
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
/** 1 = Sunday ... 7 = Saturday, as EventBridge counts. */
const weekday = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;

function parseDom(field: string): DayTest | undefined {
  if (field.toUpperCase() === 'L') return (y, m, d) => d === daysIn(y, m);
  const set = parseList(field, 1, 31);
  return set && ((_y, _m, d) => set.has(d));
}

function parseDow(field: string): DayTest | undefined {
  const hash = /^(\w+)#([1-5])$/.exec(field.toUpperCase());
  if (hash) {
    const i = DAYS.indexOf(hash[1]);
    const n = i >= 0 ? i + 1 : /^[1-7]$/.test(hash[1]) ? Number(hash[1]) : undefined;
    if (n === undefined) return undefined;
    const k = Number(hash[2]);
    return (y, m, d) => weekday(y, m, d) === n && Math.ceil(d / 7) === k;
  }
  const set = parseList(field, 1, 7, DAYS);
  return set && ((y, m, d) => set.has(weekday(y, m, d)));
}

/** Wall-clock date and time of `instant` in `timeZone`. */
function wallClock(instant: Date, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute') };
}

/** True when `tz` is an IANA time zone this runtime knows (`UTC`, `Europe/Berlin`, ...). */
export function isTimeZone(tz: string): boolean {
  let known = timeZones.get(tz);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      known = true;
    } catch {
      known = false;
    }
    timeZones.set(tz, known);
  }
  return known;
}

// Building an Intl formatter costs ~0.1 ms; apps with many drills ask about the same few zones.
const timeZones = new Map<string, boolean>();

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * The next time a cron expression fires strictly after `now`, as wall-clock time in its
 * zone: `2026-01-05T10:00[Europe/Berlin]` (RFC 9557 style). Undefined for `rate`/`at`
 * expressions and for cron syntax this evaluator does not cover (`W`, `nL`).
 */
export function nextCronRun(expression: string, timeZone: string, now: Date): string | undefined {
  const m = /^cron\((.*)\)$/i.exec(expression.trim());
  if (!m) return undefined;
  const f = m[1].trim().split(/\s+/);
  if (f.length !== 6) return undefined;
  const minutes = parseList(f[0], 0, 59);
  const hours = parseList(f[1], 0, 23);
  const months = parseList(f[3], 1, 12, MONTHS);
  const years = parseList(f[5], 1970, 2199);
  const day = f[2] === '?' ? parseDow(f[4]) : f[4] === '?' ? parseDom(f[2]) : undefined;
  if (!minutes || !hours || !months || !years || !day) return undefined;
  const start = wallClock(now, timeZone);
  const nowKey = [start.y, start.mo, start.d, start.h, start.mi];
  const later = (c: number[]) => {
    for (let i = 0; i < c.length; i++) if (c[i] !== nowKey[i]) return c[i] > nowKey[i];
    return false;
  };
  const hs = [...hours].sort((a, b) => a - b);
  const ms = [...minutes].sort((a, b) => a - b);
  // Walk forward day by day in wall-clock dates; a quarterly schedule fires within ~100 days.
  const cursor = new Date(Date.UTC(start.y, start.mo - 1, start.d));
  for (let i = 0; i < 366 * 3; i++, cursor.setUTCDate(cursor.getUTCDate() + 1)) {
    const y = cursor.getUTCFullYear();
    const mo = cursor.getUTCMonth() + 1;
    const d = cursor.getUTCDate();
    if (!years.has(y) || !months.has(mo) || !day(y, mo, d)) continue;
    for (const h of hs) {
      for (const mi of ms) {
        if (later([y, mo, d, h, mi])) return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}[${timeZone}]`;
      }
    }
  }
  return undefined;
}
