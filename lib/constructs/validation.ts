import type { IConstruct } from 'constructs';
import { z } from 'zod';

/**
 * The error every construct throws for bad props: the construct path, what was wrong
 * (zod's prettified issues quote the path and the expectation), and the fix.
 */
export function propsError(construct: string, scope: IConstruct, error: z.ZodError, fix?: string): Error {
  const body = z.prettifyError(error);
  return new Error(`[${scope.node.path}] ${construct}: invalid props\n${body}${fix ? `\nfix: ${fix}` : ''}`);
}

/** Parse props with a schema, or throw the construct's error. */
export function parseProps<T>(construct: string, scope: IConstruct, schema: z.ZodType<T>, props: unknown, fix?: string): T {
  const r = schema.safeParse(props);
  if (!r.success) throw propsError(construct, scope, r.error, fix);
  return r.data;
}
