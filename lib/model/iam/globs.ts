/** Glob matching for IAM patterns: one pattern against a string, two patterns against each other, and coverage. */

/**
 * Glob match (`*` any run, `?` one character) of a pattern against a concrete string.
 * `opaque` stands for a non-empty run of characters: a `?` matches it only when a `*` follows
 * to take the rest of the run.
 */
export function globMatch(pattern: string, s: string, opaque?: string): boolean {
  let p = 0;
  let i = 0;
  let star = -1;
  let mark = 0;
  while (i < s.length) {
    if (p < pattern.length && ((pattern[p] === '?' && (s[i] !== opaque || pattern[p + 1] === '*')) || pattern[p] === s[i])) {
      p++;
      i++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = i;
    } else if (star >= 0) {
      p = star + 1;
      i = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/**
 * How far (exclusive) the `arn:partition:service:region:account:` head of a glob reaches:
 * AWS compares that head without regard to case, the resource part after it (bucket, object
 * key, role name) with it. A glob without five colons has no head we can place: all of it
 * counts as head, which can only match more.
 */
function headEnd(g: string): number {
  let at = -1;
  for (let k = 0; k < 5; k++) {
    at = g.indexOf(':', at + 1);
    if (at < 0) return g.length;
  }
  return at + 1;
}

/**
 * One digit we cannot tell: an account the configuration does not pin is twelve of them in an
 * ARN, never a `*` that could run past its colon (`arn:aws:iam::*:role/w` would meet
 * `arn:aws:iam::*:user/*`). A `?` or `*` of a pattern matches it; a literal digit does not
 * cover it.
 */
export const ANY_DIGIT = '\uE0FD';

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/** True when some string matches both globs: the ARN head case-insensitive, the resource part case-sensitive. */
export function globsIntersect(a: string, b: string): boolean {
  const ha = headEnd(a);
  const hb = headEnd(b);
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  const seen = new Uint8Array((n + 1) * w);
  const todo: number[] = [0, 0];
  while (todo.length) {
    const j = todo.pop() as number;
    const i = todo.pop() as number;
    const idx = i * w + j;
    if (seen[idx]) continue;
    seen[idx] = 1;
    if (i === n && j === m) return true;
    const ca = a[i];
    const cb = b[j];
    if (i < n && ca === '*') {
      todo.push(i + 1, j);
      if (j < m) todo.push(i, j + 1);
    }
    if (j < m && cb === '*') {
      todo.push(i, j + 1);
      if (i < n) todo.push(i + 1, j);
    }
    if (i < n && j < m && ca !== '*' && cb !== '*') {
      // Case is ignored where either side is still in its head (a `*` may shift one against the other).
      if (ca === '?' || cb === '?' || ca === cb || ((i < ha || j < hb) && ca.toLowerCase() === cb.toLowerCase())) todo.push(i + 1, j + 1);
      else if ((ca === ANY_DIGIT && isDigit(cb)) || (cb === ANY_DIGIT && isDigit(ca))) todo.push(i + 1, j + 1);
    }
  }
  return false;
}

const SENTINEL = '\uE0FF';

/**
 * True when the glob `pattern` matches every string the glob `template` stands for
 * (approximately). A wildcard of the template is a non-empty run (an object key, a generated
 * suffix), which a `*` or `?*` of the pattern covers and a `?` alone does not: `kb/?` does not
 * cover `kb/*`.
 */
export function globCovers(pattern: string, template: string): boolean {
  return globMatch(pattern, template.replace(/\*/g, SENTINEL).replace(/\?/g, SENTINEL), SENTINEL);
}
