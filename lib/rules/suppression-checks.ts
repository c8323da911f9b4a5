import type { ManifestSuppression, Severity } from '../model/types';
import { parseDate } from '../policy/dates';
import { MAX_SUPPRESSION_YEARS, MIN_REASON_LENGTH } from '../policy/limits';

/**
 * What makes a suppression honourable, beyond matching a finding. An accepted risk has someone
 * who answers for it and a date it is looked at again: a suppression of an error-severity rule
 * without `owner` and `expires` is not applied (KC090, an error); of a warning-severity rule it
 * is applied with a KC090 warning (an error under `--strict`). No suppression runs for more
 * than a year after the check's date, so "never" cannot be written as 2099-12-31 either.
 */
export interface SuppressionVerdict {
  /** Why it is not applied; undefined when it is. */
  readonly problem?: string;
  /** What it lacks while still applied (a warning-severity rule without owner or expiry). */
  readonly lacking?: string;
}

/** The last day a suppression written on `today` may run to. */
export function latestExpiry(today: string): string | undefined {
  const t = parseDate(today);
  if (t === undefined) return undefined;
  const d = new Date(t);
  const latest = new Date(Date.UTC(d.getUTCFullYear() + MAX_SUPPRESSION_YEARS, d.getUTCMonth(), d.getUTCDate()));
  return latest.toISOString().slice(0, 10);
}

function missing(s: ManifestSuppression): string | undefined {
  const gaps = [!s.owner?.trim() ? 'no owner' : '', !s.expires?.trim() ? 'no expiry date' : ''].filter(Boolean);
  return gaps.length > 0 ? gaps.join(' and ') : undefined;
}

/** Judge one suppression of a rule of `severity` (undefined: a rule this run does not know). */
export function judgeSuppression(s: ManifestSuppression, suppressible: boolean | undefined, severity: Severity | undefined, today: string): SuppressionVerdict {
  if (s.reason.trim().length < MIN_REASON_LENGTH) return { problem: `its reason "${s.reason}" is shorter than ${MIN_REASON_LENGTH} characters` };
  if (suppressible === false) return { problem: `${s.id} cannot be suppressed` };
  if (s.expires && s.expires < today) return { problem: `it expired on ${s.expires}` };
  const latest = latestExpiry(today);
  if (s.expires && latest && s.expires > latest) {
    return { problem: `its expiry ${s.expires} is more than ${MAX_SUPPRESSION_YEARS} year after ${today} (at most ${latest})` };
  }
  const gap = missing(s);
  if (gap && severity === 'error') return { problem: `it has ${gap}; a suppression of an error-severity rule needs an owner and an expiry date` };
  if (gap && severity === 'warning') return { lacking: gap };
  return {};
}
