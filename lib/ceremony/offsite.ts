import { CeremonyError } from './errors';

// The offsite copy: the age-encrypted key uploaded to the key-backup bucket with the AWS
// SDK v3 S3 client, an optional peer dependency loaded only for `--offsite`. The bucket's
// default encryption (SSE-KMS, as KeyBackupBucket configures it) encrypts it at rest; the
// upload sends no encryption headers of its own, so the bucket's key and policy decide.

/** Where the offsite copy goes. */
export interface OffsiteTarget {
  readonly bucket: string;
  /** Object key: `<prefix>/<keyId>/<generation>/masterkey.age`. */
  readonly key: string;
}

/** Options of the S3 client. */
export interface S3Options {
  /** An S3-compatible endpoint (path-style), e.g. a local test server; default AWS. */
  readonly endpoint?: string;
  /** Region; default the SDK's (AWS_REGION, the profile), else us-east-1. */
  readonly region?: string;
}

/** `s3://bucket[/prefix]` -> the object `<prefix>/<keyId>/<generation>/masterkey.age`. */
export function offsiteTarget(url: string, keyId: string, generation: number): OffsiteTarget {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!m) throw new CeremonyError(`--offsite ${JSON.stringify(url)} is not an S3 location; give s3://<key-backup bucket>[/<prefix>], e.g. s3://acme-zitadel-key`);
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  return { bucket: m[1], key: `${prefix ? `${prefix}/` : ''}${keyId}/${generation}/masterkey.age` };
}

interface S3Module {
  S3Client: new (config: Record<string, unknown>) => { send(command: unknown): Promise<unknown>; destroy(): void };
  PutObjectCommand: new (input: Record<string, unknown>) => unknown;
}

async function loadS3(): Promise<S3Module> {
  try {
    // By a name in a variable: the client is an optional peer, so neither the type check nor a
    // bundler may need it; it ships CommonJS, and nothing loads it unless --offsite is given.
    const name = '@aws-sdk/client-s3';
    return (await import(name)) as S3Module;
  } catch (e) {
    throw new CeremonyError(
      `--offsite needs the AWS SDK's S3 client, which could not be loaded (${(e as NodeJS.ErrnoException)?.code ?? String(e)}); install it next to cdktf-key-custody: npm install @aws-sdk/client-s3`,
    );
  }
}

/** One line for a failed upload: the endpoint or bucket, the reason, the fix. */
function uploadFailure(t: OffsiteTarget, o: S3Options, e: unknown): CeremonyError {
  const err = e as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const where = `s3://${t.bucket}/${t.key}${o.endpoint ? ` at ${o.endpoint}` : ''}`;
  const code = err?.code ?? err?.name;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ETIMEDOUT' || code === 'TimeoutError' || code === 'ECONNRESET') {
    return new CeremonyError(`cannot upload the offsite copy to ${where}: the endpoint is unreachable (${code}); check the network, --endpoint and --region, then run again`);
  }
  if (code === 'NoSuchBucket') return new CeremonyError(`cannot upload the offsite copy to ${where}: the bucket does not exist; apply the key-backup stack first, or fix the bucket name`);
  if (code === 'AccessDenied' || err?.$metadata?.httpStatusCode === 403) {
    return new CeremonyError(`cannot upload the offsite copy to ${where}: access denied; run with the key-backup writer's credentials (the bucket allows s3:PutObject to its writer only)`);
  }
  if (code === 'CredentialsProviderError') return new CeremonyError(`cannot upload the offsite copy to ${where}: no AWS credentials found; set AWS_PROFILE or the key-backup writer's access key`);
  return new CeremonyError(`cannot upload the offsite copy to ${where}: ${code ?? 'error'}: ${(err?.message ?? String(e)).replace(/\s+/g, ' ')}`);
}

/** Upload `body` (already age-encrypted) to the target. */
export async function uploadOffsite(t: OffsiteTarget, body: Uint8Array, o: S3Options): Promise<void> {
  const s3 = await loadS3();
  const client = new s3.S3Client({
    region: o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(o.endpoint ? { endpoint: o.endpoint, forcePathStyle: true } : {}),
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 5000, requestTimeout: 60000 },
  });
  try {
    await client.send(new s3.PutObjectCommand({ Bucket: t.bucket, Key: t.key, Body: body, ContentType: 'application/octet-stream' }));
  } catch (e) {
    throw uploadFailure(t, o, e);
  } finally {
    client.destroy();
  }
}
