import type { IConstruct } from 'constructs';
import * as z from '../vendor/zod';
import { looksLikeKeyMaterial, redactKeyMaterial, REDACTED, stringLeaves } from '../policy/key-material';

/**
 * Props whose values may be the key itself (or carry it) are never echoed back in an
 * error: a refused `env` entry is exactly where a user may have pasted the key.
 */
const SECRET_PATH = /^(env|command|entrypoint|args|value|secret|secretString|keyValue|appEnv|appCommand)$/i;

/** What a `got` line shows of a value; `KEY_LIKE` for a string that looks like key material. */
const KEY_LIKE = Symbol('key-like');

function describeValue(v: unknown): string | typeof KEY_LIKE {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  // Judged before it is cut: a cut key is still key material.
  if (typeof v === 'string') return looksLikeKeyMaterial(v) ? KEY_LIKE : JSON.stringify(v.length > 120 ? `${v.slice(0, 117)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') {
    const name = (v as { constructor?: { name?: string } }).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return typeof v;
}

/**
 * `got: <value>` lines for the issues of a failed parse, with secret-bearing props and values
 * that look like key material redacted; `keyLike` says whether one of the latter was.
 */
function receivedLines(error: z.ZodError, input: unknown): { lines: string[]; keyLike: boolean } {
  const out: string[] = [];
  let keyLike = false;
  const seen = new Set<string>();
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    const key = path.join('.');
    if (seen.has(key) || path.length === 0) continue;
    seen.add(key);
    let v: unknown = input;
    for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
    // Nothing given is said as such: "<redacted>" there would suggest a value was.
    const shown = v === undefined ? 'nothing (not given)' : path.some((p) => SECRET_PATH.test(p)) ? REDACTED : describeValue(v);
    keyLike ||= shown === KEY_LIKE;
    out.push(`  got ${key} = ${shown === KEY_LIKE ? REDACTED : shown}`);
  }
  return { lines: out, keyLike };
}

/** Said once under a message from which key-like values were removed. */
const REDACTION_NOTE = `note: values that look like key material are shown as ${REDACTED}; a key never belongs in code or props`;

/**
 * The error of a construct: `[<path>] <construct>: <text>`, with every value that looks like
 * key material redacted and control characters escaped (see lib/policy/key-material.ts).
 * `values` are the user's values the text may quote (the props as given), which are redacted
 * wherever they appear even when the text's own tokenization would split them. The path is
 * left as it is: construct ids are the user's own names, never a value.
 */
export function constructError(scope: IConstruct, construct: string, text: string, values: Iterable<string> = []): Error {
  return new Error(`[${scope.node.path}] ${redactedText(`${construct}: ${text}`, values, false)}`);
}

/** `text` redacted as {@link constructError} does, for errors that name no construct path. */
export function redactedError(text: string, values: Iterable<string> = []): Error {
  return new Error(redactedText(text, values, false));
}

/** The redacted text, with the note when a key-like value was removed (`redacted`: already, by the caller). */
function redactedText(text: string, values: Iterable<string>, redacted: boolean): string {
  const shown = redactKeyMaterial(text, values);
  return redacted || shown.split(REDACTED).length > text.split(REDACTED).length ? `${shown}\n${REDACTION_NOTE}` : shown;
}

/**
 * The error every construct throws for bad props: the construct path, what was wrong
 * (zod's prettified issues quote the path and the expectation), the value received, and
 * the fix. Any value that looks like key material is redacted, in every prop: a key pasted
 * into `fingerprint`, a path, `keyId`, a bucket name or `readers` is never printed back.
 */
export function propsError(construct: string, scope: IConstruct, error: z.ZodError, fix?: string, input?: unknown): Error {
  const body = z.prettifyError(error);
  const got = input === undefined ? { lines: [], keyLike: false } : receivedLines(error, input);
  const text = `${construct}: invalid props\n${body}${got.lines.length ? `\n${got.lines.join('\n')}` : ''}${fix ? `\nfix: ${fix}` : ''}`;
  return new Error(`[${scope.node.path}] ${redactedText(text, stringLeaves(input), got.keyLike)}`);
}

/** Parse props with a schema, or throw the construct's error. */
export function parseProps<T>(construct: string, scope: IConstruct, schema: z.ZodType<T>, props: unknown, fix?: string): T {
  // `jitless`: zod would otherwise generate and compile (`new Function`) a fast path for every
  // object schema on its first parse; each schema parses one construct's props, once or a few
  // times, so the code generation costs more than it saves (~6 ms in the example app). The
  // result and the issues are the same either way.
  const r = schema.safeParse(props, { jitless: true });
  if (!r.success) throw propsError(construct, scope, r.error, fix, props);
  return r.data;
}
