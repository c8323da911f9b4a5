/**
 * A local S3-compatible server (s3rver, MIT) on a free loopback port, standing in for the state
 * buckets in the deploy rehearsal (test/terraform/deploy-rehearsal.test.ts). Terraform's S3
 * backend is pointed at it through `-backend-config` only: the synthesized backend block is
 * the one that deploys. Objects live in a temp dir, read back here to check what Terraform wrote.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The part of s3rver's API used here. */
interface S3rverServer {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverCtor = new (opts: Record<string, unknown>) => S3rverServer;

/** s3rver accepts any signature made with these (its documented defaults). */
const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';

export interface LocalS3 {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `-backend-config` settings that point a synthesized S3 backend at this server. */
  readonly backendConfig: Readonly<Record<string, unknown>>;
  /** The same settings for the `config` of an s3 `terraform_remote_state`. */
  readonly remoteStateConfig: Readonly<Record<string, unknown>>;
  /** AWS provider settings that send its S3 calls here (a data source reading an adopted bucket). */
  readonly awsProvider: Readonly<Record<string, unknown>>;
  /** Keys of the objects in a bucket. */
  objects(bucket: string): string[];
  /** The file s3rver keeps an object's body in (its mtime is the object's LastModified). */
  objectFile(bucket: string, key: string): string;
  /** Text of an object, if it exists. */
  read(bucket: string, key: string): string | undefined;
  close(): Promise<void>;
}

const OBJECT_SUFFIX = '._S3rver_object';

/** Start s3rver on 127.0.0.1 (a free port) with these buckets created. */
export async function startLocalS3(buckets: readonly string[]): Promise<LocalS3> {
  let S3rver: S3rverCtor;
  try {
    S3rver = createRequire(__filename)('s3rver') as S3rverCtor;
  } catch (e) {
    throw new Error(`the deploy rehearsal needs s3rver (a devDependency): npm ci, or npm install --save-dev s3rver@3.7.1 (${(e as Error).message})`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'kc-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: buckets.map((name) => ({ name })) });
  const { port } = await server.run();
  const url = `http://127.0.0.1:${port}`;
  const settings = {
    endpoints: { s3: url },
    use_path_style: true,
    access_key: ACCESS_KEY,
    secret_key: SECRET_KEY,
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    // Trailing checksums are an AWS-only protocol detail a local server need not speak.
    skip_s3_checksum: true,
  };
  const walk = (root: string, prefix = ''): string[] =>
    readdirSync(join(root, prefix), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(root, join(prefix, e.name)) : e.name.endsWith(OBJECT_SUFFIX) ? [join(prefix, e.name.slice(0, -OBJECT_SUFFIX.length))] : [],
    );
  return {
    url,
    backendConfig: settings,
    remoteStateConfig: settings,
    awsProvider: { endpoints: [{ s3: url }], s3_use_path_style: true },
    objects: (bucket) => (existsSync(join(dir, bucket)) ? walk(join(dir, bucket)).sort() : []),
    objectFile: (bucket, key) => join(dir, bucket, `${key}${OBJECT_SUFFIX}`),
    read: (bucket, key) => {
      const file = join(dir, bucket, `${key}${OBJECT_SUFFIX}`);
      return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    },
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
