/**
 * A local S3-compatible server on loopback for tests that upload (keygen's offsite copy):
 * s3rver (MIT, a devDependency), on a free 127.0.0.1 port, storing in a temporary folder that
 * is removed on stop. s3rver checks signatures against its own credentials, S3RVER/S3RVER,
 * which `env` returns for the child process or the SDK.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalS3 {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** The folder s3rver stores objects in (`<bucket>/<key>._S3rver_object`). */
  readonly directory: string;
  /** Credentials s3rver accepts, and a region, as environment variables. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}

/** Whether s3rver is installed (tests skip with a reason otherwise, and fail in CI). */
export function hasS3rver(): boolean {
  try {
    createRequire(__filename).resolve('s3rver');
    return true;
  } catch {
    return false;
  }
}

/** Start s3rver with `buckets` created. */
export async function startLocalS3(buckets: readonly string[]): Promise<LocalS3> {
  const S3rver = createRequire(__filename)('s3rver') as new (o: Record<string, unknown>) => S3rverInstance;
  const directory = mkdtempSync(join(tmpdir(), 'local-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    directory,
    env: { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' },
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
