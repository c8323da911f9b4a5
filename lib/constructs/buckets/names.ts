// Names, ARNs and the bucket name prefixes of custody buckets.

/** A 12-digit AWS account id. */
export const ACCOUNT_ID = /^\d{12}$/;
/** An S3 bucket name (3-63 characters, none of the reserved prefixes or suffixes). */
export const BUCKET_NAME = /^(?!xn--)(?!sthree-)(?!.*-s3alias$)(?!.*--ol-s3$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
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
