import type { Image } from '@cdktf/provider-docker/lib/image';
import { Token, type TerraformProvider, type TerraformResource } from 'cdktf';
import * as z from '../vendor/zod';
import { BUILT_IN_PROFILES, type AppProfile } from '../profiles';
import { MIN_REASON_LENGTH } from '../policy/limits';
import { parseDate } from '../policy/dates';
import { copySchemas } from './copy-props';
import type { KeyPassingProps } from './app/key-mount';
import type { KeyFileCheckProps } from './app/key-file-check';
import type { ProtectedAppContainerProps } from './app/protected-app-container';
import type { ProtectedAppServiceProps } from './app/protected-app-service';
import type { AdoptedBackupBucketProps } from './buckets/adopted-backup-bucket';
import type { CustodyBucketProps } from './buckets/custody-bucket';
import { ACCOUNT_ID, bucketNameProblem, bucketPrefixProblem, IAM_ARN, NAME_PART, reservedBucketPrefix } from './buckets/names';
import type { EphemeralKeyInput, EphemeralKeyInputProps } from './key/ephemeral-key-input';
import { TOKEN_RE } from './key/hot-copy';
import type { MasterKey, MasterKeyProps } from './key/master-key';
import { branded, cdktfObject, hasBrand, isProvider, isResource } from '../synth/identity';
import type { CustodySuppression } from './manifest/suppressions';
import { configFilesSchema, fileOwner } from './file-props';
import { hostPathProblem, secretNameSchema, shownValue } from './safe-names';

// The props schemas of the constructs (those of the drill and of MasterKeyCustody live with
// them; the refusals of key-by-value props, which depend on the app profile, are
// `keyPassingSchema` in app/key-mount.ts). Each `satisfies` its construct's props type, so a prop whose type changes in the
// interface and not here (or the reverse) fails to compile; props a schema leaves out are
// named in its `Omit<>` and read from the raw props by the construct.
//
// Each schema is built on its first use, not when this module loads: an app builds only the
// schemas of the constructs it uses (about 0.5 ms each once zod is warm; the first one built
// pays zod's warm-up). Constructs are recognized by brand (`branded<MasterKey>`), not by
// class, so that one from another copy of the library or of cdktf is still recognized.

/** `build()` on the first call, the same value after. */
function once<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

// ---- MasterKey -----------------------------------------------------------------------------

/** Highest key generation accepted: a key rotated every month for 80 years stays below it. */
export const MAX_GENERATION = 1000;
/** Longest retention accepted, in days (100 years): the longest a custody bucket keeps anything. */
export const MAX_RETENTION_DAYS = 36500;

/** A key generation number: 1, 2, 3... */
function generationNumber() {
  return z.number().check(
    z.int(),
    z.positive(),
    z.maximum(MAX_GENERATION, { error: (iss) => `must be at most ${MAX_GENERATION}; got ${String(iss.input)}: number the generations 1, 2, 3... in the order the key was rotated` }),
  );
}

/**
 * Why `v` cannot be the app name the custody buckets, their roles and KMS aliases are named
 * after (`<app>-<key>-keys-...`), or undefined. The buckets refuse it otherwise, later and
 * under their own name, or S3 refuses it at apply time.
 */
export function appNameProblem(v: string): string | undefined {
  if (!NAME_PART.test(v)) return 'must be 1-63 lowercase letters, digits and dashes, starting with a letter or digit, like "zitadel": the backup buckets, their roles and the drill are named after it';
  const reserved = reservedBucketPrefix(v);
  if (reserved) return `must not start with "${reserved}": the backup buckets are named "<app>-..." and S3 reserves that prefix`;
  return undefined;
}

/** An app name (or a token only Terraform can resolve), see {@link appNameProblem}. */
export function appNameSchema() {
  return z.string().check(
    z.superRefine((v, ctx) => {
      if (Token.isUnresolved(v)) return;
      const why = appNameProblem(v);
      if (why) ctx.addIssue({ code: 'custom', message: `${shownValue(v)} ${why}` });
    }),
  );
}

function absolutePath(what: string) {
  return z.string().check(
    z.superRefine((v, ctx) => {
      const unsafe = hostPathProblem(v);
      if (TOKEN_RE.test(v)) {
        ctx.addIssue({ code: 'custom', message: `${what} "${v}" must be a literal path known at synth time, not a Terraform expression` });
      } else if (unsafe !== undefined) {
        ctx.addIssue({ code: 'custom', message: `${what} ${shownValue(v)} ${unsafe}; give a plain absolute path on the docker host, e.g. "/etc/zitadel/masterkey"` });
      } else if (!v.startsWith('/')) {
        ctx.addIssue({ code: 'custom', message: `${what} "${v}" is relative; give an absolute path on the docker host, e.g. "/etc/zitadel/masterkey"` });
      } else if (v.split('/').includes('..') || v.endsWith('/')) {
        ctx.addIssue({ code: 'custom', message: `${what} "${v}" must name a file without ".." segments or a trailing "/"` });
      } else if (v.lastIndexOf('/') === 0) {
        ctx.addIssue({
          code: 'custom',
          message: `${what} "${v}" sits directly in "/"; put the key in a directory of its own (mode 0700), e.g. "/etc/zitadel/masterkey"`,
        });
      }
    }),
  );
}

/** An optional string that may only be `value`; typed as that literal, which the refinement guarantees. */
function literalOnly<T extends string>(value: T, why: string): z.ZodType<T | undefined> {
  return z.optional(z.string()).check(
    z.superRefine((v, ctx) => {
      if (v !== undefined && v !== value) ctx.addIssue({ code: 'custom', message: `"${v}" is not allowed: ${why}; use "${value}" or leave it out` });
    }),
  ) as z.ZodType<T | undefined>;
}

/** Schema of {@link MasterKeyProps}. */
export const masterKeySchema = once(() => {
  const principalArn = z.string().check(
    z.superRefine((v, ctx) => {
      if (TOKEN_RE.test(v)) return;
      if (!/^arn:aws[a-z-]*:(iam|sts)::\d{12}:[A-Za-z-]+\/?.*$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not an IAM principal ARN; give one like "arn:aws:iam::123456789012:role/zitadel-host"` });
      }
    }),
  );

  const awsBase = {
    readers: z.array(principalArn).check(z.minLength(1, 'name at least one reader: the store denies everyone who is not listed')),
    keyAdmins: z.optional(z.array(principalArn).check(z.minLength(1))),
    value: z.optional(
      z.custom<EphemeralKeyInput>((v) => hasBrand(v, 'EphemeralKeyInput'), { message: 'must be an EphemeralKeyInput: only an ephemeral variable keeps the key out of plan and state' }),
    ),
    valueVersion: z.optional(z.number().check(z.int(), z.positive())),
    hostPath: z.optional(absolutePath('hostPath')),
    provider: z.optional(cdktfObject<TerraformProvider>(isProvider, 'TerraformProvider', 'must be a provider')),
  };

  const hotCopySchema = z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('host-file'),
      path: absolutePath('path'),
      // Which of the two owner-only modes the app's runbook allows is checked by MasterKey, which knows the profile.
      mode: z.optional(z.string()).check(
        z.superRefine((v, ctx) => {
          if (v !== undefined && v !== '0400' && v !== '0600') {
            ctx.addIssue({ code: 'custom', message: `"${v}" is not allowed: the key file must be readable by its owner only; use "0400" (or "0600" where the app's runbook asks for it) or leave it out` });
          }
        }),
      ) as z.ZodType<'0400' | '0600' | undefined>,
      directoryMode: literalOnly('0700', 'the key directory must not be listable by group or world'),
      owner: fileOwner('owner', 'uid'),
      group: fileOwner('group', 'gid'),
    }),
    z.object({
      kind: z.literal('secrets-manager'),
      name: z.optional(z.string().check(z.regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'must be a Secrets Manager name (letters, digits and /_+=.@-)'))),
      recoveryWindowInDays: z.optional(z.number().check(z.int(), z.minimum(7), z.maximum(30))),
      ...awsBase,
    }),
    z.object({
      kind: z.literal('ssm'),
      name: z.string().check(z.regex(/^\/?[A-Za-z0-9_.\-/]{1,1011}$/, 'must be an SSM parameter name such as "/zitadel/masterkey"')),
      tier: z.optional(z.enum(['Standard', 'Advanced'])),
      ...awsBase,
    }),
  ]);

  const appProfileSchema = z.object({
    // The name is the key's default app, so it obeys the app's rule (see appName) too.
    name: z.string().check(
      z.superRefine((v, ctx) => {
        if (!/^[a-z][a-z0-9-]*$/.test(v)) {
          ctx.addIssue({ code: 'custom', message: 'must be a lower-case profile name' });
          return;
        }
        const why = appNameProblem(v);
        if (why) ctx.addIssue({ code: 'custom', message: `profile name ${shownValue(v)} is the key's default app name, and ${why}` });
      }),
    ),
    encoding: z.object({ kind: z.enum(['ascii', 'hex']), length: z.number().check(z.int(), z.positive()) }),
    passing: z.union([
      z.object({ kind: z.literal('flag'), flag: z.string().check(z.startsWith('-')) }),
      z.object({ kind: z.literal('env'), variable: z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/)) }),
    ]),
    forbiddenEnv: z.array(z.string()),
    forbiddenFlags: z.array(z.string()),
    secretName: secretNameSchema(),
    readinessPath: z.string(),
    integrityCanary: z.boolean(),
    port: z.number().check(z.int()),
    baseCommand: z.array(z.string()),
  });

  const profileSchema = z.custom<AppProfile | string>().check(
    z.superRefine((v, ctx) => {
      if (typeof v === 'string') {
        // Own names only: `constructor`, `toString` or `__proto__` are not profiles.
        if (!Object.hasOwn(BUILT_IN_PROFILES, v)) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown app profile "${v}": use one of ${Object.keys(BUILT_IN_PROFILES).join(', ')}, or pass genericProfile({ name, fileVariable })`,
          });
        }
        return;
      }
      const r = appProfileSchema.safeParse(v);
      if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message, path: i.path as PropertyKey[] });
    }),
  );

  const { copySchema, fingerprintSchema, daySchema } = copySchemas();

  const offsiteSchema = z
    .object({
      object: z.optional(
        z.union([
          cdktfObject<TerraformResource>(isResource, 'TerraformResource', 'must be a resource'),
          z.string().check(z.regex(/^(data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*$/, 'must be a Terraform address such as "aws_s3_object.zitadel_key_g2"')),
        ]),
      ),
      verify: z.optional(
        z.object({
          bucket: z.string().check(z.minLength(1, 'name the key-backup bucket')),
          key: z.string().check(
            z.minLength(1, 'give the object key of the backup, e.g. "zitadel-prod/masterkey.g2.age"'),
            z.refine((v) => !TOKEN_RE.test(v) && !Token.isUnresolved(v), 'must be a literal object key known at synth time: the plan-time check compares it by value'),
          ),
          provider: z.optional(cdktfObject<TerraformProvider>(isProvider, 'TerraformProvider', 'must be a provider')),
        }),
      ),
    })
    .check(z.refine((o) => o.object !== undefined || o.verify !== undefined, 'give object (the aws_s3_object uploading the backup) or verify { bucket, key }, or leave offsiteBackup out'));

  const previousSchema = z
    .object({
      generation: generationNumber(),
      state: z.enum(['active', 'retired'], { message: 'must be "active" (still in use while a newer generation rotates) or "retired"' }),
      hostPath: z.optional(absolutePath('hostPath')),
      copies: z.optional(z.array(copySchema)),
      fingerprint: z.optional(fingerprintSchema),
      retiredOn: z.optional(daySchema),
      keepUntil: z.optional(daySchema),
      offsiteBackup: z.optional(offsiteSchema),
    })
    .check(
      z.superRefine((g, ctx) => {
        if (g.state === 'retired' && g.retiredOn === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['retiredOn'],
            message: `generation ${g.generation} is retired but gives no retiredOn; add retiredOn: "YYYY-MM-DD" (the day it stopped encrypting new data): it decides which DB backups need it and until when it is kept`,
          });
        }
        if (g.state === 'active' && (g.retiredOn !== undefined || g.keepUntil !== undefined)) {
          ctx.addIssue({ code: 'custom', path: ['retiredOn'], message: `generation ${g.generation} is active; retiredOn and keepUntil belong to retired generations: remove them or set state "retired"` });
        }
        if (g.retiredOn && g.keepUntil && (parseDate(g.keepUntil) ?? 0) < (parseDate(g.retiredOn) ?? 0)) {
          ctx.addIssue({ code: 'custom', path: ['keepUntil'], message: `keepUntil "${g.keepUntil}" is before retiredOn "${g.retiredOn}"; a generation must be kept at least until the DB backups made with it expire` });
        }
      }),
    );

  const propsObject = z.object({
    keyId: z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be a lower-case id such as "zitadel-prod" (letters, digits, ".", "_", "-")')),
    profile: profileSchema,
    app: z.optional(appNameSchema()),
    hotCopy: hotCopySchema,
    copies: z.optional(z.array(copySchema)),
    generation: z.optional(generationNumber()),
    fingerprint: z.optional(fingerprintSchema),
    state: z.optional(z.enum(['active', 'rotating'], { message: 'must be "active" or "rotating" (older generations go into previousGenerations)' })),
    offsiteBackup: z.optional(offsiteSchema),
    previousGenerations: z.optional(z.array(previousSchema)),
    dbRetentionDays: z.optional(days(MAX_RETENTION_DAYS)),
    rotationRunbook: z.optional(z.boolean()),
    copiesRecord: z.optional(z.string().check(z.minLength(1, 'give the path of the copies record `key-custody keygen --manifest` wrote'))),
  });

  const propsSchema = propsObject.check(
    z.superRefine((p, ctx) => {
      checkGenerations(p, ctx);
      const hot = p.hotCopy;
      if (hot.kind === 'host-file' || hot.keyAdmins) return;
      const first = hot.readers[0];
      if (first !== undefined && first.includes('${') && !Token.isUnresolved(first)) {
        ctx.addIssue({
          code: 'custom',
          path: ['hotCopy', 'keyAdmins'],
          message: `the first reader "${first}" is a raw Terraform expression, so the KMS key's administrator (its account root) cannot be derived from it; give keyAdmins, or pass the role's cdktf attribute (e.g. role.arn) instead of a "\${...}" string`,
        });
      }
    }),
  );

  return propsSchema satisfies z.ZodType<MasterKeyProps>;
});

/**
 * The generations must tell one story: exactly one active generation, at most one
 * rotating (the newest), older ones retired in the order they were retired, and each
 * generation in a file of its own.
 */
function checkGenerations(p: MasterKeyProps, ctx: z.RefinementCtx): void {
  const newest = p.generation ?? 1;
  const prev = p.previousGenerations ?? [];
  const state = p.state ?? 'active';
  const seen = new Set<number>([newest]);
  prev.forEach((g, i) => {
    if (g.generation >= newest) {
      ctx.addIssue({
        code: 'custom',
        path: ['previousGenerations', i, 'generation'],
        message: `generation ${g.generation} is not older than the key's generation ${newest}; previous generations have lower numbers (raise generation for the new key)`,
      });
    } else if (seen.has(g.generation)) {
      ctx.addIssue({ code: 'custom', path: ['previousGenerations', i, 'generation'], message: `generation ${g.generation} is listed twice; give each generation once` });
    }
    seen.add(g.generation);
  });
  const active = prev.filter((g) => g.state === 'active');
  if (state === 'rotating' && active.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['previousGenerations'],
      message:
        `generation ${newest} is rotating, so exactly one previous generation must still be "active" (the key the data is encrypted with now); found ${active.length}: ` +
        'add { generation: <current>, state: "active", hostPath: "<its key file>" } to previousGenerations',
    });
  }
  if (state === 'active' && active.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['previousGenerations'],
      message:
        `generation ${newest} is active, so generation ${active.map((g) => g.generation).join(', ')} cannot be active too; ` +
        'retire it (state: "retired", retiredOn: "YYYY-MM-DD"), or set state: "rotating" on the new generation until the switch-over is done',
    });
  }
  if (active.length === 1) {
    const a = active[0];
    const newerRetired = prev.filter((g) => g.state === 'retired' && g.generation > a.generation);
    if (newerRetired.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['previousGenerations'],
        message: `generation ${newerRetired[0].generation} is retired but newer than the active generation ${a.generation}; a generation is retired only after a newer one took over`,
      });
    }
  }
  const retired = prev.filter((g) => g.state === 'retired' && g.retiredOn).sort((a, b) => a.generation - b.generation);
  for (let i = 1; i < retired.length; i++) {
    if ((parseDate(retired[i].retiredOn as string) ?? 0) < (parseDate(retired[i - 1].retiredOn as string) ?? 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['previousGenerations'],
        message: `generation ${retired[i].generation} was retired on ${retired[i].retiredOn}, before the older generation ${retired[i - 1].generation} (${retired[i - 1].retiredOn}); check the dates`,
      });
    }
  }
  const hot = p.hotCopy.kind === 'host-file' ? p.hotCopy.path : p.hotCopy.hostPath;
  const paths = new Map<string, number>();
  if (hot) paths.set(hot, newest);
  for (const g of prev) {
    if (!g.hostPath) continue;
    const other = paths.get(g.hostPath);
    if (other !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['previousGenerations'],
        message: `generations ${other} and ${g.generation} both name the host file "${g.hostPath}"; each generation needs a file of its own (e.g. "${g.hostPath}.g${g.generation}")`,
      });
    }
    paths.set(g.hostPath, g.generation);
  }
}

// ---- EphemeralKeyInput ---------------------------------------------------------------------

/** Schema of {@link EphemeralKeyInputProps}. */
export const ephemeralKeyInputSchema = once(() => {
  const schema = z.object({
    variableName: z.optional(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'must be a Terraform variable name (letters, digits, "_" and "-", not starting with a digit)'))),
    description: z.optional(z.string()),
  });

  return schema satisfies z.ZodType<EphemeralKeyInputProps>;
});

// ---- Backup buckets ------------------------------------------------------------------------

/** The value as the error message quotes it. */
function quoted(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : String(v);
}

/**
 * A string matching `re`, or still a token (`${var.x}`, a reference) that only Terraform can
 * check; the error quotes the bad value.
 */
function pattern(re: RegExp, what: string) {
  return z.string().check(z.refine((v) => Token.isUnresolved(v) || re.test(v), { error: (iss) => `${what}; got ${quoted(iss.input)}` }));
}

const days = (max: number) =>
  z.number().check(
    z.int({ error: (iss) => `must be a whole number of days; got ${quoted(iss.input)}` }),
    z.minimum(1, { error: (iss) => `must be at least 1 day; got ${quoted(iss.input)}` }),
    z.maximum(max, { error: (iss) => `must be at most ${max} days; got ${quoted(iss.input)}` }),
  );

/** An S3 bucket name, or a token only Terraform can check; the error says which of S3's rules it breaks. */
function bucketNameSchema() {
  return z.string().check(
    z.superRefine((v, ctx) => {
      if (Token.isUnresolved(v)) return;
      const why = bucketNameProblem(v);
      if (why) ctx.addIssue({ code: 'custom', message: `must be a valid S3 bucket name: 3-63 lowercase letters, digits, dots and dashes, not an IP address, no "..", no reserved prefix or suffix (${why}); got ${quoted(v)}` });
    }),
  );
}
const ARN_MSG = 'must be an IAM ARN like "arn:aws:iam::123456789012:role/name"';

/** Schema of {@link CustodyBucketProps}; the providers are read from the raw props. */
export const custodyBucketSchema = once(() => {
  const trustSchema = z.object({
    principals: z.array(pattern(new RegExp(`${ACCOUNT_ID.source}|${IAM_ARN.source}`), 'must be a 12-digit account id or an IAM ARN')).check(z.minLength(1, 'name at least one principal')),
    externalId: z.optional(z.string().check(z.minLength(2))),
  });

  const propsSchema = z
    .object({
      key: pattern(NAME_PART, 'must be lowercase letters, digits and dashes, like "zitadel-master"'),
      app: pattern(NAME_PART, 'must be lowercase letters, digits and dashes, like "zitadel"').check(
        z.superRefine((v, ctx) => {
          const reserved = NAME_PART.test(v) ? reservedBucketPrefix(v) : undefined;
          if (reserved) ctx.addIssue({ code: 'custom', message: `must not start with "${reserved}": the bucket is named "<app>-..." and S3 reserves that prefix; got ${quoted(v)}` });
        }),
      ),
      retentionDays: z.optional(days(36500)),
      noncurrentRetentionDays: z.optional(days(36500)),
      expireCurrentVersions: z.optional(z.boolean()),
      objectLockDays: z.optional(days(36500)),
      objectLockMode: z.optional(z.enum(['GOVERNANCE', 'COMPLIANCE'])),
      bucketName: z.optional(bucketNameSchema()),
      bucketPrefix: z.optional(
        z.string().check(
          z.superRefine((v, ctx) => {
            const why = Token.isUnresolved(v) ? undefined : bucketPrefixProblem(v);
            if (why) ctx.addIssue({ code: 'custom', message: `must be the start of a valid S3 bucket name, at most 37 lowercase letters, digits, dots and dashes (${why}); got ${quoted(v)}` });
          }),
        ),
      ),
      forceDestroy: z.optional(z.boolean()),
      accountId: z.optional(pattern(ACCOUNT_ID, 'must be a 12-digit AWS account id')),
      partition: z.optional(z.enum(['aws', 'aws-us-gov', 'aws-cn', 'aws-iso', 'aws-iso-b'])),
      admins: z.optional(z.array(pattern(IAM_ARN, ARN_MSG)).check(z.minLength(1, 'name at least one administrator'))),
      writerTrust: z.optional(trustSchema),
      restoreTrust: z.optional(trustSchema),
      writerArn: z.optional(pattern(IAM_ARN, ARN_MSG)),
      restoreArn: z.optional(pattern(IAM_ARN, ARN_MSG)),
      writerAccessKey: z.optional(
        z.object({
          pgpKey: z.string().check(
            z.trim(),
            z.regex(/^(keybase:\S+|[A-Za-z0-9+/=\s]{40,})$/, 'must be a base64 PGP public key or "keybase:<user>"; an access key is never created without one'),
          ),
        }),
      ),
      multipartWrites: z.optional(z.boolean()),
      kmsAliasName: z.optional(pattern(/^alias\/(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/, 'must look like "alias/name" and not start with "alias/aws/"')),
      kmsDeletionWindowDays: z.optional(z.number().check(z.int(), z.minimum(7), z.maximum(30))),
      otherCustodyBucket: z.optional(z.string().check(z.minLength(3))),
      tags: z.optional(z.record(z.string(), z.string())),
    })
    .check(
      z.refine((p) => !(p.bucketName !== undefined && p.bucketPrefix !== undefined), {
        message: 'give bucketName or bucketPrefix, not both',
        path: ['bucketPrefix'],
      }),
    );

  return propsSchema satisfies z.ZodType<Omit<CustodyBucketProps, 'provider' | 'distinctAccountFrom'>>;
});

/** Schema of {@link AdoptedBackupBucketProps}; the providers are read from the raw props. */
export const adoptedBucketSchema = once(() => {
  const adoptedSchema = z.object({
    bucketName: bucketNameSchema(),
    key: custodyBucketSchema().shape.key,
    app: custodyBucketSchema().shape.app,
    otherCustodyBucket: z.optional(z.string().check(z.minLength(3))),
    restorableDays: z.optional(days(73000)),
  });

  return adoptedSchema satisfies z.ZodType<Omit<AdoptedBackupBucketProps, 'provider' | 'distinctAccountFrom'>>;
});

// ---- Protected apps and the key file check -------------------------------------------------

/** Schema of {@link KeyFileCheckProps}. */
export const keyFileCheckSchema = once(() => {
  const schema = z.object({
    masterKey: branded<MasterKey>('MasterKey', { message: 'must be a MasterKey' }),
    name: z.optional(z.string().check(z.regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'must be a docker container name'))),
    image: z.optional(z.string().check(z.minLength(1))),
    provider: z.optional(cdktfObject<TerraformProvider>(isProvider, 'TerraformProvider', 'must be a docker provider')),
    revision: z.optional(z.string()),
  });

  return schema satisfies z.ZodType<KeyFileCheckProps>;
});

/** A TCP/UDP port number, 1-65535. */
const port = () => z.number().check(z.int(), z.minimum(1), z.maximum(65535));

/** A Swarm secret created out of band, by id and name. */
const swarmSecret = () =>
  z.object({
    secretId: z.string().check(z.minLength(1, 'give the id of a secret created out of band with `docker secret create`')),
    secretName: z.string().check(z.minLength(1)),
  });

/** Schema of {@link ProtectedAppContainerProps} but how the key is passed ({@link keyPassingSchema} checks that). */
export const containerSchema = once(() => {
  const labelsSchema = z.optional(
    z.record(z.string(), z.string()).check(
      z.superRefine((l, ctx) => {
        for (const k of Object.keys(l)) {
          if (k.startsWith('custody:')) ctx.addIssue({ code: 'custom', path: [k], message: `label "${k}" is set by the construct from the key; remove it` });
        }
      }),
    ),
  );

  const containerSchema = z.object({
    masterKey: branded<MasterKey>('MasterKey', { message: 'must be a MasterKey' }),
    name: z.optional(z.string().check(z.regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'must be a docker container name'))),
    image: z.optional(
      z.union([
        z.string().check(z.minLength(1)),
        cdktfObject<Image>((v) => isResource(v) && v.terraformResourceType === 'docker_image', 'Image', 'must be a docker Image'),
      ]),
    ),
    user: z.optional(z.string()),
    ports: z.optional(z.array(z.object({ internal: port(), external: z.optional(port()), ip: z.optional(z.string()) }))),
    networks: z.optional(z.array(z.string().check(z.minLength(1)))),
    restart: z.optional(z.enum(['no', 'on-failure', 'always', 'unless-stopped'])),
    deployCheck: z.optional(z.boolean()),
    checkImage: z.optional(z.string().check(z.minLength(1))),
    configFiles: configFilesSchema(),
    labels: labelsSchema,
    provider: z.optional(cdktfObject<TerraformProvider>(isProvider, 'TerraformProvider', 'must be a docker provider')),
  });

  return containerSchema satisfies z.ZodType<Omit<ProtectedAppContainerProps, keyof KeyPassingProps>>;
});

/** Schema of {@link ProtectedAppServiceProps} but how the key is passed ({@link keyPassingSchema} checks that). */
export const serviceSchema = once(() => {
  const serviceSchema = z.object({
    masterKey: branded<MasterKey>('MasterKey', { message: 'must be a MasterKey' }),
    name: z.optional(z.string().check(z.regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'must be a docker service name'))),
    image: z.optional(z.string().check(z.minLength(1))),
    swarmSecret: z.optional(swarmSecret()),
    oldSwarmSecret: z.optional(swarmSecret()),
    placementConstraints: z.optional(z.array(z.string().check(z.minLength(1)))),
    replicas: z.optional(z.number().check(z.int(), z.minimum(0))),
    user: z.optional(z.string()),
    ports: z.optional(z.array(z.object({ targetPort: port(), publishedPort: z.optional(port()) }))),
    networks: z.optional(z.array(z.string().check(z.minLength(1)))),
    deployCheck: z.optional(z.boolean()),
    checkImage: z.optional(z.string().check(z.minLength(1))),
    configFiles: configFilesSchema(),
    labels: z.optional(
      z.record(z.string(), z.string()).check(
        z.superRefine((l, ctx) => {
          for (const k of Object.keys(l)) {
            if (k.startsWith('custody:')) ctx.addIssue({ code: 'custom', path: [k], message: `label "${k}" is set by the construct from the key; remove it` });
          }
        }),
      ),
    ),
    provider: z.optional(cdktfObject<TerraformProvider>(isProvider, 'TerraformProvider', 'must be a docker provider')),
  });

  return serviceSchema satisfies z.ZodType<Omit<ProtectedAppServiceProps, keyof KeyPassingProps>>;
});

// ---- CustodySuppressions -------------------------------------------------------------------

/** Schema of one {@link CustodySuppression}. */
export const suppressionSchema = once(() => {
  const suppressionSchema = z.object({
    id: z.string().check(z.regex(/^KC\d{3}$/, 'must be a rule id like "KC024"')),
    reason: z.string().check(z.trim(), z.minLength(MIN_REASON_LENGTH, `must say why the risk is accepted, in at least ${MIN_REASON_LENGTH} characters`)),
    owner: z.optional(z.string().check(z.minLength(1))),
    expires: z.optional(z.iso.date('must be a date like "2027-03-31"')),
  });

  return suppressionSchema satisfies z.ZodType<CustodySuppression>;
});
