import * as z from '../vendor/zod';
import { TOKEN_RE } from './key/hot-copy';
import { hostPathProblem, shownValue } from './safe-names';

// Schemas of the host files around the key: who owns the key file, and the further read-only
// files (configuration) a protected app mounts. Split from props.ts, which has the rest.

/** `root` or a numeric id: who may own the key file (the user the app runs as). */
export function fileOwner(what: 'owner' | 'group', id: 'uid' | 'gid'): z.ZodType<'root' | number | undefined> {
  return z.optional(z.unknown()).check(
    z.superRefine((v, ctx) => {
      if (v === undefined || v === 'root' || (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xfffffffe)) return;
      ctx.addIssue({
        code: 'custom',
        message: `${shownValue(String(v))} is not allowed: give "root" or the numeric ${id} the app runs as (a name cannot be checked on the host, a number can), or leave ${what} out`,
      });
    }),
  ) as z.ZodType<'root' | number | undefined>;
}

/** `configFiles` of the protected apps: literal absolute paths, on the host and in the container. */
export function configFilesSchema() {
  const path = (what: string) =>
    z.string().check(
      z.superRefine((v, ctx) => {
        const unsafe = hostPathProblem(v);
        if (TOKEN_RE.test(v)) ctx.addIssue({ code: 'custom', message: `${what} "${v}" must be a literal path known at synth time, not a Terraform expression` });
        else if (unsafe !== undefined) ctx.addIssue({ code: 'custom', message: `${what} ${shownValue(v)} ${unsafe}; give a plain absolute path` });
        else if (!v.startsWith('/') || v === '/' || v.endsWith('/') || v.split('/').includes('..')) {
          ctx.addIssue({ code: 'custom', message: `${what} "${v}" must be an absolute path naming a file, without ".." segments or a trailing "/", e.g. "/etc/zitadel/config.yaml"` });
        }
      }),
    );
  return z.optional(z.array(z.object({ source: path('source'), target: path('target') })));
}
