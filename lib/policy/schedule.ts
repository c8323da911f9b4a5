/**
 * AWS EventBridge Scheduler expressions: one parser for `cron(...)`, `rate(...)` and
 * `at(...)`, used to judge how often a schedule fires (the RecoveryDrill props and KC030)
 * and when a cron fires next (the `nextRun` the custody manifest and the runbook carry).
 * Plain vocabulary: no cdktf, no model.
 */
import { QUARTER_DAYS, QUARTER_MONTHS } from './limits';

/** The schedule the RecoveryDrill construct uses by default: first Monday of Jan/Apr/Jul/Oct, 10:00. */
export const DEFAULT_DRILL_SCHEDULE = 'cron(0 10 ? 1,4,7,10 MON#1 *)';

/** What a schedule expression means for drill frequency. */
export interface ScheduleAnalysis {
  readonly expression: string;
  readonly kind?: 'cron' | 'rate' | 'at';
  /** Why the expression is not a valid EventBridge Scheduler expression. */
  readonly error?: string;
  /** True when it keeps firing (false for `at(...)` and for crons whose years run out). */
  readonly recurring: boolean;
  /** Longest time between two runs, in days (Infinity when it stops). */
  readonly maxGapDays: number;
  /** Cron only: most calendar months from one month with a run to the next. */
  readonly maxGapMonths?: number;
  /** Runs at least once in every three calendar months (cron) / every 92 days (rate). */
  readonly atLeastQuarterly: boolean;
  /** Plain-words summary for messages. */
  readonly summary: string;
}

function invalid(expression: string, error: string, kind?: ScheduleAnalysis['kind']): ScheduleAnalysis {
  return { expression, kind, error, recurring: false, maxGapDays: Infinity, atLeastQuarterly: false, summary: `not a valid schedule expression (${error})` };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Parse one plain cron field (`*`, lists, ranges, steps, names) into its values. */
function parseSet(field: string, min: number, max: number, names: string[] | undefined, wrap: boolean): Set<number> | string {
  const out = new Set<number>();
  const value = (t: string): number | undefined => {
    const u = t.toUpperCase();
    if (names) {
      const i = names.indexOf(u);
      if (i >= 0) return i + min;
    }
    if (!/^\d+$/.test(t)) return undefined;
    const n = Number(t);
    return n >= min && n <= max ? n : undefined;
  };
  for (const item of field.split(',')) {
    if (item === '') return `empty list item in "${field}"`;
    const [rangePart, stepPart, extra] = item.split('/');
    if (extra !== undefined) return `bad step in "${item}"`;
    let step = 1;
    if (stepPart !== undefined) {
      if (!/^\d+$/.test(stepPart) || Number(stepPart) < 1) return `bad step in "${item}"`;
      step = Number(stepPart);
    }
    let from: number;
    let to: number;
    if (rangePart === '*') {
      from = min;
      to = max;
    } else if (rangePart.includes('-')) {
      const [a, b] = rangePart.split('-');
      const va = value(a);
      const vb = value(b);
      if (va === undefined || vb === undefined) return `"${item}" is out of range ${min}-${max}`;
      from = va;
      to = vb;
    } else {
      const v = value(rangePart);
      if (v === undefined) return `"${item}" is out of range ${min}-${max}`;
      from = v;
      to = stepPart !== undefined ? max : v;
    }
    if (from <= to) {
      for (let n = from; n <= to; n += step) out.add(n);
    } else {
      if (!wrap) return `range "${rangePart}" runs backwards`;
      const span = max - min + 1;
      for (let i = 0; i <= to - from + span; i += step) out.add(((from - min + i) % span) + min);
    }
  }
  return out;
}

type DayTest = (dom: number, dow: number, dim: number) => boolean;

/** Day-of-month field: plain sets plus `L`, `LW` and `nW`. */
function parseDom(field: string): DayTest | string {
  const tests: DayTest[] = [];
  for (const item of field.split(',')) {
    const u = item.toUpperCase();
    if (u === 'L') tests.push((d, _w, dim) => d === dim);
    else if (u === 'LW') tests.push((d, w, dim) => d === lastWeekday(dim, d, w));
    else if (/^\d+W$/.test(u)) {
      const n = Number(u.slice(0, -1));
      if (n < 1 || n > 31) return `"${item}" is out of range 1-31`;
      tests.push((d, w, dim) => n <= dim && d === nearestWeekday(n, d, w, dim));
    } else {
      const set = parseSet(item, 1, 31, undefined, false);
      if (typeof set === 'string') return set;
      tests.push((d) => set.has(d));
    }
  }
  return (d, w, dim) => tests.some((t) => t(d, w, dim));
}

/** Day of week (1 = SUN ... 7 = SAT) of day `target`, given that day `d` is weekday `w`. */
function dowOf(target: number, d: number, w: number): number {
  return ((((w - 1 + target - d) % 7) + 7) % 7) + 1;
}

function nearestWeekday(n: number, d: number, w: number, dim: number): number {
  const dow = dowOf(n, d, w);
  if (dow === 7) return n === 1 ? 3 : n - 1; // Saturday: Friday before, or Monday after the 1st
  if (dow === 1) return n === dim ? n - 2 : n + 1; // Sunday: Monday after, or Friday before the last
  return n;
}

function lastWeekday(dim: number, d: number, w: number): number {
  const dow = dowOf(dim, d, w);
  return dow === 7 ? dim - 1 : dow === 1 ? dim - 2 : dim;
}

/** Day-of-week field: plain sets plus `L` (Saturday), `nL` (last n of the month), `n#k` (k-th n). */
function parseDow(field: string): DayTest | string {
  const tests: DayTest[] = [];
  const day = (t: string): number | undefined => {
    const i = DAYS.indexOf(t.toUpperCase());
    if (i >= 0) return i + 1;
    return /^[1-7]$/.test(t) ? Number(t) : undefined;
  };
  for (const item of field.split(',')) {
    const u = item.toUpperCase();
    const hash = /^(\w+)#(\d+)$/.exec(u);
    const last = /^(\w+)L$/.exec(u);
    if (hash) {
      const n = day(hash[1]);
      const k = Number(hash[2]);
      if (n === undefined || k < 1 || k > 5) return `"${item}" is not a valid n#k day of week`;
      tests.push((d, w) => w === n && Math.ceil(d / 7) === k);
    } else if (u === 'L') {
      tests.push((_d, w) => w === 7);
    } else if (last) {
      const n = day(last[1]);
      if (n === undefined) return `"${item}" is not a valid last-weekday`;
      tests.push((d, w, dim) => w === n && d + 7 > dim);
    } else {
      const set = parseSet(item, 1, 7, DAYS, true);
      if (typeof set === 'string') return set;
      tests.push((_d, w) => set.has(w));
    }
  }
  return (d, w, dim) => tests.some((t) => t(d, w, dim));
}

const FIRST_YEAR = 1970;
const LAST_YEAR = 2199;
/** Simulation window: long enough to contain every calendar alignment (a 28-year cycle). */
const SIM_FROM = 2000;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1-12) of `year`, Gregorian (what Date computes, without a Date per month of the walk below). */
function daysIn(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** The fields of a cron body, each read into the values (or the day test) it matches. */
interface Cron {
  readonly minutes: Set<number>;
  readonly hours: Set<number>;
  readonly months: Set<number>;
  readonly years: Set<number>;
  readonly day: DayTest;
}

/** Parse a 6-field cron body; a string is why it is not one. */
function parseCron(body: string): Cron | string {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) return `cron needs 6 fields (minutes hours day-of-month month day-of-week year), found ${fields.length}`;
  const [min, hour, domF, monF, dowF, yearF] = fields;
  const minutes = parseSet(min, 0, 59, undefined, false);
  if (typeof minutes === 'string') return `minutes: ${minutes}`;
  const hours = parseSet(hour, 0, 23, undefined, false);
  if (typeof hours === 'string') return `hours: ${hours}`;
  if ((domF === '?') === (dowF === '?')) return 'exactly one of day-of-month and day-of-week must be "?"';
  const dom = domF === '?' ? undefined : parseDom(domF);
  if (typeof dom === 'string') return `day-of-month: ${dom}`;
  const dow = dowF === '?' ? undefined : parseDow(dowF);
  if (typeof dow === 'string') return `day-of-week: ${dow}`;
  const months = parseSet(monF, 1, 12, MONTHS, true);
  if (typeof months === 'string') return `month: ${months}`;
  const years = parseSet(yearF, FIRST_YEAR, LAST_YEAR, undefined, false);
  if (typeof years === 'string') return `year: ${years}`;
  return { minutes, hours, months, years, day: dom ?? (dow as DayTest) };
}

function analyzeCron(expression: string, body: string): ScheduleAnalysis {
  const cron = parseCron(body);
  if (typeof cron === 'string') return invalid(expression, cron, 'cron');
  const { months, years, day: dayTest } = cron;

  // Walk every day from SIM_FROM to the last year AWS accepts; note months and days with a run.
  let dayIndex = 0;
  let weekday = new Date(Date.UTC(SIM_FROM, 0, 1)).getUTCDay() + 1;
  let firstMonth: number | undefined;
  let lastMonth: number | undefined;
  let lastDay: number | undefined;
  let maxGapMonths = 0;
  let maxGapDays = 0;
  for (let y = SIM_FROM; y <= LAST_YEAR; y++) {
    for (let m = 1; m <= 12; m++) {
      const dim = daysIn(y, m);
      const active = years.has(y) && months.has(m);
      if (active) {
        let ran = false;
        for (let d = 1; d <= dim; d++) {
          if (dayTest(d, ((weekday - 1 + d - 1) % 7) + 1, dim)) {
            ran = true;
            const idx = dayIndex + d - 1;
            if (lastDay !== undefined) maxGapDays = Math.max(maxGapDays, idx - lastDay);
            lastDay = idx;
          }
        }
        if (ran) {
          const mi = y * 12 + (m - 1);
          if (lastMonth !== undefined) maxGapMonths = Math.max(maxGapMonths, mi - lastMonth);
          firstMonth ??= mi;
          lastMonth = mi;
        }
      }
      dayIndex += dim;
      weekday = ((weekday - 1 + dim) % 7) + 1;
    }
  }
  if (lastMonth === undefined || firstMonth === undefined) {
    return { expression, kind: 'cron', error: 'it never fires (no day matches)', recurring: false, maxGapDays: Infinity, atLeastQuarterly: false, summary: 'never fires' };
  }
  const endMonth = LAST_YEAR * 12 + 11;
  const stopsYear = Math.max(...years);
  if (stopsYear < LAST_YEAR && endMonth - lastMonth > QUARTER_MONTHS) {
    return {
      expression,
      kind: 'cron',
      recurring: false,
      maxGapDays: Infinity,
      maxGapMonths: Infinity,
      atLeastQuarterly: false,
      summary: `stops firing after ${stopsYear}`,
    };
  }
  if (firstMonth === lastMonth) maxGapMonths = 12;
  const atLeastQuarterly = maxGapMonths <= QUARTER_MONTHS;
  const perYear = monthsPerYear(months, maxGapMonths);
  return {
    expression,
    kind: 'cron',
    recurring: true,
    maxGapDays,
    maxGapMonths,
    atLeastQuarterly,
    summary: `${perYear}; up to ${maxGapMonths} month(s) (${maxGapDays} days) pass between runs`,
  };
}

function monthsPerYear(months: Set<number>, gap: number): string {
  if (gap >= 12) return 'fires at most once a year';
  if (months.size === 12) return 'fires every month';
  return `fires in ${months.size} month(s) of the year (${[...months].sort((a, b) => a - b).map((m) => MONTHS[m - 1]).join(', ')})`;
}

const RATE_UNITS: Record<string, number> = { minute: 1 / 1440, minutes: 1 / 1440, hour: 1 / 24, hours: 1 / 24, day: 1, days: 1 };

function analyzeRate(expression: string, body: string): ScheduleAnalysis {
  const m = /^\s*(\d+)\s+([a-z]+)\s*$/i.exec(body);
  if (!m) return invalid(expression, 'rate needs "<value> <unit>", e.g. rate(30 days)', 'rate');
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  if (n < 1) return invalid(expression, 'the rate value must be a positive whole number', 'rate');
  const perUnit = RATE_UNITS[unit];
  if (perUnit === undefined) return invalid(expression, `unit "${m[2]}" is not one of minute(s), hour(s), day(s)`, 'rate');
  const days = n * perUnit;
  return {
    expression,
    kind: 'rate',
    recurring: true,
    maxGapDays: days,
    atLeastQuarterly: days <= QUARTER_DAYS,
    summary: `fires every ${n} ${unit} (${Number.isInteger(days) ? days : days.toFixed(2)} days)`,
  };
}

/**
 * What EventBridge Scheduler refuses in a rate that {@link analyzeSchedule} still reads (it
 * judges how often a schedule fires, for KC030 too): the unit is singular for 1 and plural
 * above, `rate(1 day)` and `rate(7 days)`; `rate(1 minutes)` and `rate(5 hour)` fail only
 * when the schedule is created. Undefined for anything else, valid or not.
 */
export function rateUnitProblem(expression: string): string | undefined {
  const parts = splitExpression(expression);
  const m = parts?.kind === 'rate' ? /^\s*(\d+)\s+([a-z]+)\s*$/i.exec(parts.body) : null;
  if (!m || RATE_UNITS[m[2].toLowerCase()] === undefined) return undefined;
  const n = Number(m[1]);
  const unit = m[2];
  const plural = /s$/i.test(unit);
  if (n === 1 && plural) return `a rate of 1 takes a singular unit: rate(1 ${unit.slice(0, -1)})`;
  if (n > 1 && !plural) return `a rate above 1 takes a plural unit: rate(${n} ${unit}s)`;
  return undefined;
}

/**
 * Analyse an EventBridge Scheduler expression: `cron(min hour dom month dow year)`,
 * `rate(n unit)` or `at(yyyy-mm-ddThh:mm:ss)`. A bare 6-field cron body is accepted too.
 * Cron is judged by calendar months (a run in at least one month of every three), so the
 * default first-Monday-of-the-quarter schedule counts as quarterly even though its runs
 * can be up to 98 days apart; rates are judged by days (at most 92).
 */
export function analyzeSchedule(expression: string): ScheduleAnalysis {
  let a = analysisCache.get(expression);
  if (!a) {
    a = analyze(expression);
    if (analysisCache.size > 1000) analysisCache.clear();
    analysisCache.set(expression, a);
  }
  return a;
}

/** Results per expression: a cron is judged by walking two centuries of days, so reuse them. */
const analysisCache = new Map<string, ScheduleAnalysis>();

/** `cron(...)`, `rate(...)` or `at(...)` and what is inside; a bare 6-field body is a cron. */
function splitExpression(expression: string): { readonly kind: 'cron' | 'rate' | 'at'; readonly body: string } | undefined {
  const e = expression.trim();
  const m = /^(cron|rate|at)\((.*)\)$/is.exec(e);
  if (!m) return e.split(/\s+/).length === 6 ? { kind: 'cron', body: e } : undefined;
  return { kind: m[1].toLowerCase() as 'cron' | 'rate' | 'at', body: m[2] };
}

function analyze(expression: string): ScheduleAnalysis {
  const parts = splitExpression(expression);
  if (!parts) return invalid(expression, 'expected cron(...), rate(...) or at(...)');
  if (parts.kind === 'cron') return analyzeCron(expression, parts.body);
  if (parts.kind === 'rate') return analyzeRate(expression, parts.body);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(parts.body.trim())) return invalid(expression, 'at() needs yyyy-mm-ddThh:mm:ss', 'at');
  return { expression, kind: 'at', recurring: false, maxGapDays: Infinity, atLeastQuarterly: false, summary: `fires once, at ${parts.body.trim()}` };
}

// ---------------------------------------------------------------------------------------
// Next run

/** 1 = Sunday ... 7 = Saturday, as EventBridge counts. */
const weekdayOf = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;

/** A wall-clock date and time: year, month (1-12), day, hour, minute. */
interface Wall {
  readonly y: number;
  readonly mo: number;
  readonly d: number;
  readonly h: number;
  readonly mi: number;
}

/** The UTC fields of `instant`: its wall clock in UTC. */
const utcWall = (instant: Date): Wall => ({ y: instant.getUTCFullYear(), mo: instant.getUTCMonth() + 1, d: instant.getUTCDate(), h: instant.getUTCHours(), mi: instant.getUTCMinutes() });

/** Wall-clock date and time of `instant` in `timeZone` (one {@link isTimeZone} accepts). */
function wallClock(instant: Date, timeZone: string): Wall {
  const f = UTC_ZONES.has(timeZone) ? undefined : formatterOf(timeZone);
  if (!f) return utcWall(instant);
  const parts = f.formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute') };
}

/** True when `tz` is an IANA time zone this runtime knows (`UTC`, `Europe/Berlin`, `US/Eastern`, ...). */
export function isTimeZone(tz: string): boolean {
  return UTC_ZONES.has(tz) || canonicalZones().has(tz) || formatterOf(tz) !== undefined;
}

/** Names of UTC itself, which every runtime knows without loading zone data. */
const UTC_ZONES: ReadonlySet<string> = new Set(['UTC', 'Etc/UTC']);

let canonical: ReadonlySet<string> | undefined;
/**
 * The canonical IANA zones this runtime knows (~2 ms to list). The first Intl.DateTimeFormat
 * of a process loads ICU's locale and zone data, ~12 ms of a synth, so a zone is looked up
 * here first; aliases (`US/Eastern`) are not in the list and still go through a formatter.
 */
function canonicalZones(): ReadonlySet<string> {
  return (canonical ??= new Set(Intl.supportedValuesOf('timeZone')));
}

/** The wall-clock formatter of each zone asked about (null: not a zone). */
const formatters = new Map<string, Intl.DateTimeFormat | null>();
function formatterOf(timeZone: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    } catch {
      f = null;
    }
    // Apps ask about a few zones; a caller feeding many distinct strings must not grow it unbounded.
    if (formatters.size > 1000) formatters.clear();
    formatters.set(timeZone, f);
  }
  return f ?? undefined;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * How far a zone's wall clock can be from UTC: today's offsets run from -12:00 to +14:00;
 * the margin covers any zone the tz database may add.
 */
const MAX_OFFSET_MS = 16 * 3_600_000;

/**
 * The next time a cron expression fires strictly after `now`, as wall-clock time in its
 * zone: `2026-01-05T10:00[Europe/Berlin]` (RFC 9557 style). Undefined for `rate`/`at`
 * expressions, which depend on when the schedule was created or fire once, and for what
 * {@link analyzeSchedule} refuses.
 */
export function nextCronRun(expression: string, timeZone: string, now: Date): string | undefined {
  const parts = splitExpression(expression);
  if (parts?.kind !== 'cron') return undefined;
  const cron = parseCron(parts.body);
  if (typeof cron === 'string') return undefined;
  const shown = (w: Wall | undefined) => (w ? `${pad(w.y, 4)}-${pad(w.mo)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}[${timeZone}]` : undefined);
  if (UTC_ZONES.has(timeZone)) return shown(firstRunAfter(cron, utcWall(now)));
  // Now's wall clock in the zone lies within MAX_OFFSET_MS of its UTC fields. When the schedule
  // does not fire inside that window, the run after its earliest and after its latest possible
  // wall clock is one and the same, and it is the answer without the zone's offset (and
  // without the ~12 ms of ICU data a zoned formatter costs). Inside the window, ask the zone.
  const early = firstRunAfter(cron, utcWall(new Date(now.getTime() - MAX_OFFSET_MS)));
  const late = firstRunAfter(cron, utcWall(new Date(now.getTime() + MAX_OFFSET_MS)));
  if (early && late && sameWall(early, late)) return shown(early);
  return shown(firstRunAfter(cron, wallClock(now, timeZone)));
}

const sameWall = (a: Wall, b: Wall) => a.y === b.y && a.mo === b.mo && a.d === b.d && a.h === b.h && a.mi === b.mi;

/** The first wall-clock time the cron fires strictly after `start`, within three years. */
function firstRunAfter(cron: Cron, start: Wall): Wall | undefined {
  const { minutes, hours, months, years, day } = cron;
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
    if (!years.has(y) || !months.has(mo) || !day(d, weekdayOf(y, mo, d), daysIn(y, mo))) continue;
    for (const h of hs) {
      for (const mi of ms) {
        if (later([y, mo, d, h, mi])) return { y, mo, d, h, mi };
      }
    }
  }
  return undefined;
}
