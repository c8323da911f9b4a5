/**
 * Control characters in printed text. Resource names, tag values, stack ids, file names and
 * suppression reasons come from the user's configuration, and anything in them reaches a
 * terminal through the text and Markdown output, error lines and synth failures. An ESC can
 * recolour or clear the screen, a CR or a backspace can overwrite a finding line, and
 * bidirectional overrides reorder what is shown: each is printed as a visible escape instead.
 *
 * A backslash is left as it is, so a value that already spells `\x1b` looks like an escaped
 * ESC; the point is that nothing reaches the terminal raw, not a reversible encoding.
 */

/**
 * C0 controls (tab and newline included: a finding is one line), DEL, C1 controls (0x9b is
 * a one-byte CSI for some terminals), the Arabic letter mark, the left-to-right and
 * right-to-left marks, embeddings, overrides and isolates, and the line and paragraph
 * separators.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** The same set without the newline: Markdown is multi-line by design. */
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** What JSON.stringify leaves raw of {@link CONTROL}: it escapes only U+0000-U+001F. */
const JSON_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function visible(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `s` with every control character shown as an escape (`\x1b`, `\r`, `\u202e`): one safe line. */
export function escapeControls(s: string): string {
  return s.replace(CONTROL, visible);
}

/** Like {@link escapeControls} but keeps newlines, for multi-line documents such as Markdown. */
export function escapeControlsKeepNewlines(s: string): string {
  return s.replace(CONTROL_BUT_NEWLINE, visible);
}

/**
 * JSON text (from JSON.stringify) with DEL, C1 and bidirectional controls written as `\uXXXX`
 * escapes. Outside strings JSON.stringify writes only ASCII, so every such character is inside a
 * string, where the escape parses back to the same value: consumers see no difference, a
 * terminal sees no raw control.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(JSON_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
