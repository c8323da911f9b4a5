/**
 * The numbers of the custody policy, shared by the constructs (which refuse props that
 * break them) and the rules (which report configurations that break them).
 */

/** Days a key backup must outlive the DB backups that need it. */
export const RETENTION_MARGIN_DAYS = 30;

/** The seeds restore "the DB backup from 7-day-old daily". */
export const MIN_RESTORE_AGE_DAYS = 7;

/** Fewest characters a suppression's reason may have. */
export const MIN_REASON_LENGTH = 10;

/** A drill is "at least quarterly" when its interval is at most this many days. */
export const QUARTER_DAYS = 92;
/** A cron schedule is quarterly when no more than this many calendar months pass between runs. */
export const QUARTER_MONTHS = 3;

/** Longest a suppression may run: its `expires` at most this many years after the check's date. */
export const MAX_SUPPRESSION_YEARS = 1;
