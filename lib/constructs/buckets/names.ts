// Names, ARNs and the bucket name prefixes of custody buckets.

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;
/** An S3 bucket name (3-63 characters, none of the reserved prefixes or suffixes). */
export const BUCKET_NAME = /^(?!xn--)(?!sthree-)(?!.*-s3alias$)(?!.*--ol-s3$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

// S3's general purpose bucket naming rules
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html): S3 refuses
// the bucket at apply time otherwise, after the other stacks may already be deployed.
const RESERVED_BUCKET_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'] as const;
const RESERVED_BUCKET_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'] as const;

/** The reserved prefix `name` starts with, if any (a bucket name, or the start of one). */
export function reservedBucketPrefix(name: string): string | undefined {
  return RESERVED_BUCKET_PREFIXES.find((p) => name.startsWith(p));
}

/** Which of S3's bucket naming rules `name` breaks, in words, or undefined when it is a valid name. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `it has ${name.length} characters`;
  if (!/^[a-z0-9.-]+$/.test(name)) return 'it has characters other than lowercase letters, digits, dots and dashes';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'it must begin and end with a letter or digit';
  if (name.includes('..')) return 'it has two adjacent dots';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'it is formatted as an IP address';
  const prefix = reservedBucketPrefix(name);
  if (prefix) return `the prefix "${prefix}" is reserved by S3`;
  const suffix = RESERVED_BUCKET_SUFFIXES.find((x) => name.endsWith(x));
  if (suffix) return `the suffix "${suffix}" is reserved by S3`;
  return undefined;
}

/**
 * Which rule a `bucket_prefix` breaks, or undefined: Terraform appends a 26-digit suffix,
 * so the prefix must be a valid start of a bucket name (at most 37 characters).
 */
export function bucketPrefixProblem(prefix: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]{0,36}$/.test(prefix)) return 'it must be 1-37 lowercase letters, digits, dots and dashes, starting with a letter or digit';
  if (prefix.includes('..')) return 'it has two adjacent dots';
  const reserved = reservedBucketPrefix(prefix);
  if (reserved) return `the prefix "${reserved}" is reserved by S3`;
  return undefined;
}

/**
 * An app name or a key id that bucket, role and alias names are built from
 * (`<app>-<key>-keys-...`): lowercase letters, digits and dashes, at most 63.
 */
export const NAME_PART = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** An IAM or STS principal ARN. */
export const IAM_ARN = /^arn:[a-z-]+:(iam|sts)::(\d{12}|aws):.+$/;

const ARN_PREFIX = /^arn:[^:]+:s3:::/;

/** The bucket of a name or ARN, lower-cased, as the KC010 comparison sees it. */
export function bareBucketName(v: string): string {
  return v.replace(ARN_PREFIX, '').toLowerCase();
}

/**
 * `<app>-<key>-<suffix>-`, without repeating the app when the key id already starts with it,
 * cut to `max` characters with the role suffix kept: the suffix keeps DB and key names apart
 * (KC010 compares prefixes), so it is the last thing to shorten.
 */
export function defaultPrefix(app: string, key: string, suffix: string, max: number): string {
  const stem = key === app || key.startsWith(`${app}-`) ? key : `${app}-${key}`;
  const tail = `-${suffix}-`;
  return `${stem.slice(0, Math.max(1, max - tail.length)).replace(/-+$/, '')}${tail}`;
}

/** A Terraform-safe, readable name part. */
export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * A bucket name that is the same on every synth: `<app>-<key>-<suffix>-<account>`. A name
 * generated from a prefix is only known after apply, so another stack could learn it only by
 * reading this stack's state; the account id keeps it unique without a random part.
 */
export function stableBucketName(app: string, key: string, suffix: string, account: string): string {
  return `${defaultPrefix(app, key, suffix, 63 - account.length)}${account}`;
}
