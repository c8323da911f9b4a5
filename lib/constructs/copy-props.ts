import * as z from '../vendor/zod';
import { parseDate } from '../policy/dates';
import { FINGERPRINT_RE, LEGACY_SHA256_RE } from '../policy/fingerprint';

/**
 * The schemas of a declared copy, a key fingerprint and a day, which MasterKey's props and
 * its previous generations share. Built on first use, as the other schemas are.
 */
export function copySchemas() {
  const fingerprintSchema = z.string().check(
    z.superRefine((v, ctx) => {
      if (!FINGERPRINT_RE.test(v.toLowerCase()) && !LEGACY_SHA256_RE.test(v)) {
        ctx.addIssue({
          code: 'custom',
          message: `"${v}" is not a SHA-256 fingerprint nor a kcfp1 one: give the kcfp1:<salt>:<hash> value \`key-custody keygen\` prints, or (legacy, and guessable offline) give the 64 hex characters \`sha256sum <file>\` prints`,
        });
      }
    }),
  );

  const daySchema = z.string().check(
    z.superRefine((v, ctx) => {
      if (parseDate(v) === undefined) ctx.addIssue({ code: 'custom', message: `"${v}" is not a date; write it as YYYY-MM-DD, e.g. "2025-04-07"` });
    }),
  );

  const copySchema = z.object({
    kind: z.string().check(z.minLength(1)),
    medium: z.string().check(z.minLength(1)),
    location: z.string().check(z.minLength(1, 'say where the copy is (path, safe, vault item)')),
    offsite: z.optional(z.boolean()),
    custodian: z.optional(z.string().check(z.minLength(1))),
    fingerprint: z.optional(fingerprintSchema),
    date: z.optional(daySchema),
  });

  return { copySchema, fingerprintSchema, daySchema };
}
