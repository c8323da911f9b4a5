import type { IConstruct } from 'constructs';
import { z } from 'zod';

/**
 * Props whose values may be the key itself (or carry it) are never echoed back in an
 * error: a refused `env` entry is exactly where a user may have pasted the key.
 */
const SECRET_PATH = /^(env|command|entrypoint|args|value|secret|secretString|keyValue|appEnv|appCommand)$/i;

function describeValue(v: unknown): string | undefined {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 120 ? `${v.slice(0, 117)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') {
    const name = (v as { constructor?: { name?: string } }).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return typeof v;
}

/** `got: <value>` lines for the issues of a failed parse, with secret-bearing props redacted. */
function receivedLines(error: z.ZodError, input: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const issue of error.issues) {
    const path = issue.path.map(String);
    const key = path.join('.');
    if (seen.has(key) || path.length === 0) continue;
    seen.add(key);
    let v: unknown = input;
    for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
    const shown = path.some((p) => SECRET_PATH.test(p)) ? '<redacted>' : describeValue(v);
    out.push(`  got ${key} = ${shown}`);
  }
  return out;
}

/**
 * The error every construct throws for bad props: the construct path, what was wrong
 * (zod's prettified issues quote the path and the expectation), the value received, and
 * the fix.
 */
export function propsError(construct: string, scope: IConstruct, error: z.ZodError, fix?: string, input?: unknown): Error {
  const body = z.prettifyError(error);
  const got = input === undefined ? [] : receivedLines(error, input);
  return new Error(`[${scope.node.path}] ${construct}: invalid props\n${body}${got.length ? `\n${got.join('\n')}` : ''}${fix ? `\nfix: ${fix}` : ''}`);
}

/** Parse props with a schema, or throw the construct's error. */
export function parseProps<T>(construct: string, scope: IConstruct, schema: z.ZodType<T>, props: unknown, fix?: string): T {
  const r = schema.safeParse(props);
  if (!r.success) throw propsError(construct, scope, r.error, fix, props);
  return r.data;
}
