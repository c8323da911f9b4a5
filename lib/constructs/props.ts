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
  return z
    .number()
    .int()
    .positive()
    .max(MAX_GENERATION, { error: (iss) => `must be at most ${MAX_GENERATION}; got ${String(iss.input)}: number the generations 1, 2, 3... in the order the key was rotated` });
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
  return z.string().superRefine((v, ctx) => {
    if (Token.isUnresolved(v)) return;
    const why = appNameProblem(v);
    if (why) ctx.addIssue({ code: 'custom', message: `${shownValue(v)} ${why}` });
  });
}

function absolutePath(what: string) {
  return z.string().superRefine((v, ctx) => {
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
  });
}

/** An optional string that may only be `value`; typed as that literal, which the refinement guarantees. */
function literalOnly<T extends string>(value: T, why: string): z.ZodType<T | undefined> {
  return z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      if (v !== undefined && v !== value) ctx.addIssue({ code: 'custom', message: `"${v}" is not allowed: ${why}; use "${value}" or leave it out` });
    }) as z.ZodType<T | undefined>;
}

/** Schema of {@link MasterKeyProps}. */
export const masterKeySchema = once(() => {
  const principalArn = z.string().superRefine((v, ctx) => {
    if (TOKEN_RE.test(v)) return;
    if (!/^arn:aws[a-z-]*:(iam|sts)::\d{12}:[A-Za-z-]+\/?.*$/.test(v)) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is not an IAM principal ARN; give one like "arn:aws:iam::123456789012:role/zitadel-host"` });
    }
  });

  const awsBase = {
    readers: z.array(principalArn).min(1, 'name at least one reader: the store denies everyone who is not listed'),
    keyAdmins: z.array(principalArn).min(1).optional(),
    value: z
      .custom<EphemeralKeyInput>((v) => hasBrand(v, 'EphemeralKeyInput'), { message: 'must be an EphemeralKeyInput: only an ephemeral variable keeps the key out of plan and state' })
      .optional(),
    valueVersion: z.number().int().positive().optional(),
    hostPath: absolutePath('hostPath').optional(),
    provider: cdktfObject<TerraformProvider>(isProvider, 'TerraformProvider', 'must be a provider').optional(),
  };

  const hotCopySchema = z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('host-file'),
      path: absolutePath('path'),
      // Which of the two owner-only modes the app's runbook allows is checked by MasterKey, which knows the profile.
      mode: z
        .string()
        .optional()
        .superRefine((v, ctx) => {
          if (v !== undefined && v !== '0400' && v !== '0600') {
            ctx.addIssue({ code: 'custom', message: `"${v}" is not allowed: the key file must be readable by its owner only; use "0400" (or "0600" where the app's runbook asks for it) or leave it out` });
          }
        }) as z.ZodType<'0400' | '0600' | undefined>,
      directoryMode: literalOnly('0700', 'the key directory must not be listable by group or world'),
      owner: fileOwner('owner', 'uid'),
      group: fileOwner('group', 'gid'),
    }),
    z.object({
      kind: z.literal('secrets-manager'),
      name: z
        .string()
        .regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'must be a Secrets Manager name (letters, digits and /_+=.@-)')
        .optional(),
      recoveryWindowInDays: z.number().int().min(7).max(30).optional(),
      ...awsBase,
    }),
    z.object({
      kind: z.literal('ssm'),
      name: z.string().regex(/^\/?[A-Za-z0-9_.\-/]{1,1011}$/, 'must be an SSM parameter name such as "/zitadel/masterkey"'),
      tier: z.enum(['Standard', 'Advanced']).optional(),
      ...awsBase,
    }),
  ]);

  const appProfileSchema = z.object({
    // The name is the key's default app, so it obeys the app's rule (see appName) too.
    name: z.string().superRefine((v, ctx) => {
      if (!/^[a-z][a-z0-9-]*$/.test(v)) {
        ctx.addIssue({ code: 'custom', message: 'must be a lower-case profile name' });
        return;
      }
      const why = appNameProblem(v);
      if (why) ctx.addIssue({ code: 'custom', message: `profile name ${shownValue(v)} is the key's default app name, and ${why}` });
    }),
    encoding: z.object({ kind: z.enum(['ascii', 'hex']), length: z.number().int().positive() }),
    passing: z.union([
      z.object({ kind: z.literal('flag'), flag: z.string().startsWith('-') }),
      z.object({ kind: z.literal('env'), variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) }),
    ]),
    forbiddenEnv: z.array(z.string()),
    forbiddenFlags: z.array(z.string()),
    secretName: secretNameSchema(),
    readinessPath: z.string(),
    integrityCanary: z.boolean(),
    port: z.number().int(),
    baseCommand: z.array(z.string()),
  });

  const profileSchema = z.custom<AppProfile | string>().superRefine((v, ctx) => {
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
  });

  const { copySchema, fingerprintSchema, daySchema } = copySchemas();

  const offsiteSchema = z
    .object({
      object: z
        .union([
          cdktfObject<TerraformResource>(isResource, 'TerraformResource', 'must be a resource'),
          z.string().regex(/^(data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*$/, 'must be a Terraform address such as "aws_s3_object.zitadel_key_g2"'),
        ])
        .optional(),
      verify: z
        .object({
          bucket: z.string().min(1, 'name the key-backup bucket'),
          key: z
            .string()
            .min(1, 'give the object key of the backup, e.g. "zitadel-prod/masterkey.g2.age"')
            .refine((v) => !TOKEN_RE.test(v) && !Token.isUnresolved(v), 'must be a literal object key known at synth time: the plan-time check compares it by value'),
          provider: cdktfObject<TerraformProvider>(isProvider, 'TerraformProvider', 'must be a provider').optional(),
        })
        .optional(),
    })
    .refine((o) => o.object !== undefined || o.verify !== undefined, 'give object (the aws_s3_object uploading the backup) or verify { bucket, key }, or leave offsiteBackup out');

  const previousSchema = z
    .object({
      generation: generationNumber(),
      state: z.enum(['active', 'retired'], { message: 'must be "active" (still in use while a newer generation rotates) or "retired"' }),
      hostPath: absolutePath('hostPath').optional(),
      copies: z.array(copySchema).optional(),
      fingerprint: fingerprintSchema.optional(),
      retiredOn: daySchema.optional(),
      keepUntil: daySchema.optional(),
      offsiteBackup: offsiteSchema.optional(),
    })
    .superRefine((g, ctx) => {
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
    });

  const propsObject = z.object({
    keyId: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be a lower-case id such as "zitadel-prod" (letters, digits, ".", "_", "-")'),
    profile: profileSchema,
    app: appNameSchema().optional(),
    hotCopy: hotCopySchema,
    copies: z.array(copySchema).optional(),
    generation: generationNumber().optional(),
    fingerprint: fingerprintSchema.optional(),
    state: z.enum(['active', 'rotating'], { message: 'must be "active" or "rotating" (older generations go into previousGenerations)' }).optional(),
    offsiteBackup: offsiteSchema.optional(),
    previousGenerations: z.array(previousSchema).optional(),
    dbRetentionDays: days(MAX_RETENTION_DAYS).optional(),
    rotationRunbook: z.boolean().optional(),
    copiesRecord: z.string().min(1, 'give the path of the copies record `key-custody keygen --manifest` wrote').optional(),
  });

  const propsSchema = propsObject.superRefine((p, ctx) => {
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
  });

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
    variableName: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'must be a Terraform variable name (letters, digits, "_" and "-", not starting with a digit)')
      .optional(),
    description: z.string().optional(),
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
  return z.string().refine((v) => Token.isUnresolved(v) || re.test(v), { error: (iss) => `${what}; got ${quoted(iss.input)}` });
}

const days = (max: number) =>
  z
    .number()
    .int({ error: (iss) => `must be a whole number of days; got ${quoted(iss.input)}` })
    .min(1, { error: (iss) => `must be at least 1 day; got ${quoted(iss.input)}` })
    .max(max, { error: (iss) => `must be at most ${max} days; got ${quoted(iss.input)}` });

/** An S3 bucket name, or a token only Terraform can check; the error says which of S3's rules it breaks. */
function bucketNameSchema() {
  return z.string().superRefine((v, ctx) => {
    if (Token.isUnresolved(v)) return;
    const why = bucketNameProblem(v);
    if (why) ctx.addIssue({ code: 'custom', message: `must be a valid S3 bucket name: 3-63 lowercase letters, digits, dots and dashes, not an IP address, no "..", no reserved prefix or suffix (${why}); got ${quoted(v)}` });
  });
}
const ARN_MSG = 'must be an IAM ARN like "arn:aws:iam::123456789012:role/name"';

/** Schema of {@link CustodyBucketProps}; the providers are read from the raw props. */
export const custodyBucketSchema = once(() => {
  const trustSchema = z.object({
    principals: z.array(pattern(new RegExp(`${ACCOUNT_ID.source}|${IAM_ARN.source}`), 'must be a 12-digit account id or an IAM ARN')).min(1, 'name at least one principal'),
    externalId: z.string().min(2).optional(),
  });

  const propsSchema = z
    .object({
      key: pattern(NAME_PART, 'must be lowercase letters, digits and dashes, like "zitadel-master"'),
      app: pattern(NAME_PART, 'must be lowercase letters, digits and dashes, like "zitadel"').superRefine((v, ctx) => {
        const reserved = NAME_PART.test(v) ? reservedBucketPrefix(v) : undefined;
        if (reserved) ctx.addIssue({ code: 'custom', message: `must not start with "${reserved}": the bucket is named "<app>-..." and S3 reserves that prefix; got ${quoted(v)}` });
      }),
      retentionDays: days(36500).optional(),
      noncurrentRetentionDays: days(36500).optional(),
      expireCurrentVersions: z.boolean().optional(),
      objectLockDays: days(36500).optional(),
      objectLockMode: z.enum(['GOVERNANCE', 'COMPLIANCE']).optional(),
      bucketName: bucketNameSchema().optional(),
      bucketPrefix: z
        .string()
        .superRefine((v, ctx) => {
          const why = Token.isUnresolved(v) ? undefined : bucketPrefixProblem(v);
          if (why) ctx.addIssue({ code: 'custom', message: `must be the start of a valid S3 bucket name, at most 37 lowercase letters, digits, dots and dashes (${why}); got ${quoted(v)}` });
        })
        .optional(),
      forceDestroy: z.boolean().optional(),
      accountId: pattern(ACCOUNT_ID, 'must be a 12-digit AWS account id').optional(),
      partition: z.enum(['aws', 'aws-us-gov', 'aws-cn', 'aws-iso', 'aws-iso-b']).optional(),
      admins: z.array(pattern(IAM_ARN, ARN_MSG)).min(1, 'name at least one administrator').optional(),
      writerTrust: trustSchema.optional(),
      restoreTrust: trustSchema.optional(),
      writerArn: pattern(IAM_ARN, ARN_MSG).optional(),
      restoreArn: pattern(IAM_ARN, ARN_MSG).optional(),
      writerAccessKey: z
        .object({
          pgpKey: z
            .string()
            .trim()
            .regex(/^(keybase:\S+|[A-Za-z0-9+/=\s]{40,})$/, 'must be a base64 PGP public key or "keybase:<user>"; an access key is never created without one'),
        })
        .optional(),
      multipartWrites: z.boolean().optional(),
      kmsAliasName: pattern(/^alias\/(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/, 'must look like "alias/name" and not start with "alias/aws/"').optional(),
      kmsDeletionWindowDays: z.number().int().min(7).max(30).optional(),
      otherCustodyBucket: z.string().min(3).optional(),
      tags: z.record(z.string(), z.string()).optional(),
    })
    .refine((p) => !(p.bucketName !== undefined && p.bucketPrefix !== undefined), {
      message: 'give bucketName or bucketPrefix, not both',
      path: ['bucketPrefix'],
    });

  return propsSchema satisfies z.ZodType<Omit<CustodyBucketProps, 'provider' | 'distinctAccountFrom'>>;
});

/** Schema of {@link AdoptedBackupBucketProps}; the providers are read from the raw props. */
export const adoptedBucketSchema = once(() => {
  const adoptedSchema = z.object({
    bucketName: bucketNameSchema(),
    key: custodyBucketSchema().shape.key,
    app: custodyBucketSchema().shape.app,
    otherCustodyBucket: z.string().min(3).optional(),
    restorableDays: days(73000).optional(),
  });

  return adoptedSchema satisfies z.ZodType<Omit<AdoptedBackupBucketProps, 'provider' | 'distinctAccountFrom'>>;
});

// ---- Protected apps and the key file check -------------------------------------------------

/** Schema of {@link KeyFileCheckProps}. */
export const keyFileCheckSchema = once(() => {
  const schema = z.object({
    masterKey: branded<MasterKey>('MasterKey', { message: 'must be a MasterKey' }),
    name: z
      .string()
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'must be a docker container name')
      .optional(),
    image: z.string().min(1).optional(),
    provider: cdktfObject<TerraformProvider>(isProvider, 'TerraformProvider', 'must be a docker provider').optional(),
    revision: z.string().optional(),
  });

  return schema satisfies z.ZodType<KeyFileCheckProps>;
});

/** Schema of {@link ProtectedAppContainerProps} but how the key is passed ({@link keyPassingSchema} checks that). */
export const containerSchema = once(() => {
  const labelsSchema = z
    .record(z.string(), z.string())
    .superRefine((l, ctx) => {
      for (const k of Object.keys(l)) {
        if (k.startsWith('custody:')) ctx.addIssue({ code: 'custom', path: [k], message: `label "${k}" is set by the construct from the key; remove it` });
      }
    })
    .optional();

  const containerSchema = z.object({
    masterKey: branded<MasterKey>('MasterKey', { message: 'must be a MasterKey' }),
    name: z
      .string()
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'must be a docker container name')
      .optional(),
    image: z.union([z.string().min(1), cdktfObject<Image>((v) => isResource(v) && v.terraformResourceType === 'docker_image', 'Image', 'must be a docker Image')]).optional(),
    user: z.string().optional(),
    ports: z
      .array(z.object({ internal: z.number().int().min(1).max(65535), external: z.number().int().min(1).max(65535).optional(), ip: z.string().optional() }))
      .optional(),
    networks: z.array(z.string().min(1)).optional(),
    restart: z.enum(['no', 'on-failure', 'always', 'unless-stopped']).optional(),
    deployCheck: z.boolean().optional(),
    checkImage: z.string().min(1).optional(),
    configFiles: configFilesSchema(),
    labels: labelsSchema,
    provider: cdktfObject<TerraformProvider>(isProvider, 'TerraformProvider', 'must be a docker provider').optional(),
  });

  return containerSchema satisfies z.ZodType<Omit<ProtectedAppContainerProps, keyof KeyPassingProps>>;
});

/** Schema of {@link ProtectedAppServiceProps} but how the key is passed ({@link keyPassingSchema} checks that). */
export const serviceSchema = once(() => {
  const serviceSchema = z.object({
    masterKey: branded<MasterKey>('MasterKey', { message: 'must be a MasterKey' }),
    name: z
      .string()
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'must be a docker service name')
      .optional(),
    image: z.string().min(1).optional(),
    swarmSecret: z
      .object({
        secretId: z.string().min(1, 'give the id of a secret created out of band with `docker secret create`'),
        secretName: z.string().min(1),
      })
      .optional(),
    oldSwarmSecret: z
      .object({
        secretId: z.string().min(1, 'give the id of a secret created out of band with `docker secret create`'),
        secretName: z.string().min(1),
      })
      .optional(),
    placementConstraints: z.array(z.string().min(1)).optional(),
    replicas: z.number().int().min(0).optional(),
    user: z.string().optional(),
    ports: z.array(z.object({ targetPort: z.number().int().min(1).max(65535), publishedPort: z.number().int().min(1).max(65535).optional() })).optional(),
    networks: z.array(z.string().min(1)).optional(),
    deployCheck: z.boolean().optional(),
    checkImage: z.string().min(1).optional(),
    configFiles: configFilesSchema(),
    labels: z
      .record(z.string(), z.string())
      .superRefine((l, ctx) => {
        for (const k of Object.keys(l)) {
          if (k.startsWith('custody:')) ctx.addIssue({ code: 'custom', path: [k], message: `label "${k}" is set by the construct from the key; remove it` });
        }
      })
      .optional(),
    provider: cdktfObject<TerraformProvider>(isProvider, 'TerraformProvider', 'must be a docker provider').optional(),
  });

  return serviceSchema satisfies z.ZodType<Omit<ProtectedAppServiceProps, keyof KeyPassingProps>>;
});

// ---- CustodySuppressions -------------------------------------------------------------------

/** Schema of one {@link CustodySuppression}. */
export const suppressionSchema = once(() => {
  const suppressionSchema = z.object({
    id: z.string().regex(/^KC\d{3}$/, 'must be a rule id like "KC024"'),
    reason: z.string().trim().min(MIN_REASON_LENGTH, `must say why the risk is accepted, in at least ${MIN_REASON_LENGTH} characters`),
    owner: z.string().min(1).optional(),
    expires: z.iso.date('must be a date like "2027-03-31"').optional(),
  });

  return suppressionSchema satisfies z.ZodType<CustodySuppression>;
});
