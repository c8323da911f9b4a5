/**
 * Calendar dates as the manifest and the props write them: ISO `YYYY-MM-DD`, in UTC, with no
 * clock (a date is the millisecond timestamp of its midnight UTC).
 */

export function parseDate(s: string | undefined): number | undefined {
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
  const t = Date.parse(`${s}T00:00:00Z`);
  // A round trip refuses dates like 2025-02-30 that Date.parse rolls over.
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== s ? undefined : t;
}

export function addDays(date: number, days: number): number {
  return date + days * 86_400_000;
}

export function formatDate(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** `90 days`, `forever` */
export function days(n: number): string {
  return Number.isFinite(n) ? `${n} ${n === 1 ? 'day' : 'days'}` : 'forever';
}
