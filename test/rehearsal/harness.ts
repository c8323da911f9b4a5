/**
 * The drill rehearsal: the recovery drill's own scripts (lib/constructs/drill/scripts.ts), the
 * text the drill's containers run with `sh -c`, run unchanged as host processes against
 *
 * - a real PostgreSQL server (initdb + pg_ctl on a scratch data directory, a free loopback port;
 *   as root, through `runuser -u postgres`, since initdb refuses root),
 * - SQLite (the sqlite3 CLI),
 * - s3rver on 127.0.0.1 holding dated DB dumps and the key's offsite copies, made by the real key
 *   ceremony (`keygen --offsite`, age-encrypted) and backdated through the server's files,
 * - the real `age` and `aws` CLIs,
 * - the AWS stand-in endpoint for SNS, CloudWatch and Scheduler (aws-stand-in.ts),
 * - and, in place of the app only, stand-in-app.mjs.
 *
 * No docker: each step is a process with the environment its container gets, in the order
 * Terraform creates the containers; a failed step stops the drill as a failed apply would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dbFetchScript,
  keyDecryptScript,
  keyFetchScript,
  keyGenerationTable,
  outcomeScript,
  postgresRestoreScript,
  proofScript,
  sqliteRestoreScript,
  type DrillKeyGeneration,
} from '../../lib/constructs/drill/scripts';
import { databaseEnv, keyArguments, type AppProfile } from '../../lib/profiles';
import type { AwsStandIn } from './aws-stand-in';

export const STAND_IN = join(__dirname, 'stand-in-app.mjs');

/** A free loopback port (bound once, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

function run(cmd: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; input?: string | Buffer; cwd?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: opts.env ?? process.env, input: opts.input, cwd: opts.cwd, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.error?.message}): ${r.stderr}`);
  return r.stdout;
}

/** A tool the tier needs, or an error that says how CI installs it. */
export function requireTool(name: string, hint: string): void {
  if (spawnSync('sh', ['-c', `command -v ${name}`]).status !== 0) throw new Error(`the drill rehearsal needs \`${name}\` on PATH (${hint})`);
}

// ----- PostgreSQL ------------------------------------------------------------------------------

export interface Postgres {
  readonly port: number;
  readonly env: NodeJS.ProcessEnv;
  psql(sql: string, db?: string): string;
  stop(): void;
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0) return join(which.stdout.trim(), '..');
  throw new Error('the drill rehearsal needs PostgreSQL\'s initdb and pg_ctl (Debian: apt-get install postgresql; .ci/run installs it)');
}

/** A PostgreSQL server of its own: trust auth, superuser `postgres`, 127.0.0.1:<free port>. */
export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBin();
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'kc-rehearsal-pg-'));
  const data = join(dir, 'data');
  const sock = join(dir, 'sock');
  mkdirSync(sock);
  // initdb refuses to run as root: the server runs as the postgres user then.
  const as = (cmd: string, args: string[]) => (root ? run('runuser', ['-u', 'postgres', '--', cmd, ...args]) : run(cmd, args));
  if (root) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0) throw new Error('running as root, the drill rehearsal starts PostgreSQL as the user "postgres", which does not exist (Debian\'s postgresql package creates it)');
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    for (const d of [dir, sock]) chownSync(d, Number(id.stdout.trim()), Number(gid.stdout.trim()));
  }
  as(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  as(join(bin, 'pg_ctl'), ['-D', data, '-w', '-t', '60', '-l', join(dir, 'server.log'), '-o', `-p ${port} -k ${sock} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  const env = { ...process.env, PGHOST: '127.0.0.1', PGPORT: String(port), PGUSER: 'postgres' };
  return {
    port,
    env,
    psql: (sql, db = 'postgres') => run('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', sql], { env }),
    stop: () => {
      try {
        as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

// ----- the app's data ----------------------------------------------------------------------------

/** The integrity canary as stand-in-app.mjs reads it: AES-256-GCM under SHA-256 of the key file. */
export function canarySql(keyFile: Buffer): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createCipheriv, createHash, randomBytes } = require('node:crypto') as typeof import('node:crypto');
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', createHash('sha256').update(keyFile).digest(), iv);
  const ct = Buffer.concat([c.update('key-custody canary'), c.final()]);
  return (
    'CREATE TABLE key_custody_canary (name text PRIMARY KEY, iv text, tag text, ct text);\n' +
    `INSERT INTO key_custody_canary VALUES ('integrity-canary', '${iv.toString('hex')}', '${c.getAuthTag().toString('hex')}', '${ct.toString('hex')}');\n`
  );
}

export const BREAK_GLASS = { id: 'break-glass-drill', secret: 'rehearsal-secret-not-a-key' };

function appSql(keyFile: Buffer): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  return (
    canarySql(keyFile) +
    'CREATE TABLE break_glass (client_id text PRIMARY KEY, secret_sha256 text);\n' +
    `INSERT INTO break_glass VALUES ('${BREAK_GLASS.id}', '${createHash('sha256').update(BREAK_GLASS.secret).digest('hex')}');\n` +
    'CREATE TABLE events (id serial PRIMARY KEY, payload text);\nINSERT INTO events (payload) VALUES (\'user.added\'), (\'org.added\');\n'
  );
}

/** A PostgreSQL database of the app (owned by role `zitadel`) dumped as `format`. */
export function postgresDump(pg: Postgres, keyFile: Buffer, format: 'plain' | 'custom', name: string): Buffer {
  pg.psql(`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zitadel') THEN CREATE ROLE zitadel NOLOGIN; END IF; END $$;`);
  pg.psql(`CREATE DATABASE ${name} OWNER zitadel`);
  run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', name, '-c', 'SET ROLE zitadel', '-f', '-'], { env: pg.env, input: appSql(keyFile) });
  const out = spawnSync('pg_dump', ['-d', name, ...(format === 'custom' ? ['-Fc'] : [])], { env: pg.env, maxBuffer: 64 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`pg_dump failed: ${out.stderr.toString()}`);
  pg.psql(`DROP DATABASE ${name}`);
  return out.stdout;
}

/** A SQLite database of the app, as a database file or as `sqlite3 .dump` text. */
export function sqliteDump(keyFile: Buffer, format: 'file' | 'sql', dir: string, name: string): Buffer {
  const file = join(dir, `${name}.db`);
  run('sqlite3', ['-bail', file], { input: appSql(keyFile).replace('id serial PRIMARY KEY', 'id INTEGER PRIMARY KEY') });
  return format === 'file' ? readFileSync(file) : Buffer.from(run('sqlite3', [file, '.dump']));
}

// ----- S3 ----------------------------------------------------------------------------------------

export interface S3Put {
  put(bucket: string, key: string, body: Buffer | string, ageDays?: number): Promise<void>;
}

/** Upload with the SDK (no checksum trailers, which s3rver does not read), then backdate the object's LastModified. */
export async function s3Putter(url: string, s3rverDir: (bucket: string, key: string) => string): Promise<S3Put & { destroy(): void }> {
  const name = '@aws-sdk/client-s3';
  const sdk = (await import(name)) as typeof import('@aws-sdk/client-s3');
  const client = new sdk.S3Client({
    region: 'us-east-1',
    endpoint: url,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    async put(bucket, key, body, ageDays) {
      await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: typeof body === 'string' ? Buffer.from(body) : body }));
      if (ageDays !== undefined) {
        const t = new Date(Date.now() - ageDays * 86_400_000);
        utimesSync(s3rverDir(bucket, key), t, t);
      }
    },
    destroy: () => client.destroy(),
  };
}

// ----- one drill ---------------------------------------------------------------------------------

export interface DrillSetup {
  readonly profile: AppProfile;
  readonly keyId: string;
  readonly dbKind: 'postgres' | 'sqlite';
  readonly keyBucket: string;
  readonly dbBucket: string;
  /** Generations as the construct passes them. */
  readonly active: DrillKeyGeneration;
  readonly retired?: readonly DrillKeyGeneration[];
  /** The drill operator's age identity file. */
  readonly identityFile: string;
  readonly minAgeDays?: number;
}

export interface DrillEnvironment {
  readonly s3: string;
  readonly aws: AwsStandIn;
  readonly pg: Postgres;
  /** Common environment of the aws CLI (credentials of s3rver, a config with path-style addressing). */
  readonly awsEnv: NodeJS.ProcessEnv;
}

export interface DrillRun {
  /** The step that failed, or undefined when the drill passed. */
  readonly failedStep?: string;
  /** `$STATUS_DIR/FAILED`: `<step>: <reason>`. */
  readonly failure?: string;
  readonly passed: boolean;
  readonly outcomeExit: number | null;
  readonly drillLog: string;
  readonly appLog: string;
  readonly status: Readonly<Record<string, string>>;
  readonly logs: Readonly<Record<string, string>>;
  /** Whether the plaintext key is anywhere in the work folder besides the restored key file. */
  readonly keyFile?: string;
  readonly work: string;
}

let drillCount = 0;

function runStep(step: string, script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    // Exactly the container's command: `/bin/sh -c <script> <step>`.
    const child = spawn('/bin/sh', ['-c', script, step], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });
}

function waitExit(child: ChildProcess, ms: number): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, ms);
    child.on('exit', (code) => {
      clearTimeout(t);
      resolve(code);
    });
  });
}

/** Run the drill's steps in the order of their containers, as one `terraform apply` would. */
export async function runDrill(envs: DrillEnvironment, setup: DrillSetup): Promise<DrillRun> {
  const n = ++drillCount;
  const work = mkdtempSync(join(tmpdir(), `kc-drill-${n}-`));
  const status = join(work, 'status');
  const restore = join(work, 'restore');
  const secrets = join(work, 'secrets');
  const data = join(work, 'data');
  for (const d of [status, restore, secrets, data]) mkdirSync(d, { recursive: true, mode: 0o700 });
  const owner = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
  const keyFile = join(secrets, setup.profile.secretName);
  const appLogFile = join(work, 'app.log');
  const drillLog = join(work, 'drill-log.md');
  const logs: Record<string, string> = {};
  const base: NodeJS.ProcessEnv = { ...envs.awsEnv, STATUS_DIR: status };

  const outcome = spawn('/bin/sh', ['-c', outcomeScript(), 'outcome'], {
    env: {
      ...base,
      SNS_ENDPOINT: envs.aws.url,
      CLOUDWATCH_ENDPOINT: envs.aws.url,
      SCHEDULER_ENDPOINT: envs.aws.url,
      TOPIC_ARN: 'arn:aws:sns:us-east-1:333333333333:drill-topic',
      DEADLINE_SECONDS: '120',
      DRILL_ID: 'quarterly',
      KEY_ID: setup.keyId,
      APP: setup.profile.name,
      OPERATOR: 'rehearsal',
      DRILL_LOG: drillLog,
      STALENESS_DAYS: '100',
      SCHEDULE_GROUP: `${setup.profile.name}-drill-${setup.keyId}`,
      HEARTBEAT_NAME: 'quarterly-passed-heartbeat',
      METRIC_NAMESPACE: 'KeyCustody/Drills',
      METRIC_NAME: 'DrillPassed',
      METRIC_DIMENSION: 'KeyId',
      RUNBOOK: 'cdktf.out/stacks/drill/drill-runbook.md',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let outcomeLog = '';
  outcome.stdout?.on('data', (d: Buffer) => (outcomeLog += d.toString()));
  outcome.stderr?.on('data', (d: Buffer) => (outcomeLog += d.toString()));

  const dbName = `drill_${n}`;
  const steps: { step: string; script: string; env: NodeJS.ProcessEnv }[] = [
    { step: 'db-fetch', script: dbFetchScript(), env: { ...base, BUCKET: setup.dbBucket, PREFIX: '', MIN_AGE_DAYS: String(setup.minAgeDays ?? 7), DUMP_PATH: join(restore, 'db.dump'), S3_ENDPOINT: envs.s3 } },
    {
      step: 'key-fetch',
      script: keyFetchScript(),
      env: { ...base, BUCKET: setup.keyBucket, KEY_ID: setup.keyId, KEY_GENERATIONS: keyGenerationTable(setup.active, setup.retired ?? []), ENCRYPTED_PATH: join(secrets, 'masterkey.age'), S3_ENDPOINT: envs.s3 },
    },
    { step: 'key-decrypt', script: keyDecryptScript(), env: { ...base, IDENTITY_PATH: setup.identityFile, ENCRYPTED_PATH: join(secrets, 'masterkey.age'), RESTORED_KEY_PATH: keyFile, FILE_OWNER: owner, KEY_ENCODING: setup.profile.encoding.kind } },
    setup.dbKind === 'postgres'
      ? { step: 'db-restore', script: postgresRestoreScript(), env: { ...envs.pg.env, ...base, DUMP_PATH: join(restore, 'db.dump'), PGDATABASE: dbName } }
      : { step: 'db-restore', script: sqliteRestoreScript(), env: { ...base, DUMP_PATH: join(restore, 'db.dump'), DATA_PATH: join(data, (setup.profile.database as { file: string }).file), FILE_OWNER: owner } },
  ];
  if (setup.dbKind === 'postgres') envs.pg.psql(`CREATE DATABASE ${dbName}`);

  let app: ChildProcess | undefined;
  let failedStep: string | undefined;
  try {
    for (const s of steps) {
      const r = await runStep(s.step, s.script, s.env);
      logs[s.step] = r.out;
      if (r.code !== 0) {
        failedStep = s.step;
        break;
      }
    }
    if (!failedStep) {
      // The app container: the key by path as the profile says, the restored database as the profile says.
      const port = await freePort();
      const pass = keyArguments(setup.profile, keyFile);
      const dbEnv = setup.profile.database
        ? setup.dbKind === 'postgres'
          ? databaseEnv(setup.profile.database, { host: '127.0.0.1', port: envs.pg.port, database: dbName, user: 'postgres' })
          : databaseEnv(setup.profile.database, { path: join(data, (setup.profile.database as { file: string }).file) })
        : {};
      const logStream = createWriteStream(appLogFile);
      await new Promise((r) => logStream.once('open', r));
      app = spawn(process.execPath, [STAND_IN, ...setup.profile.baseCommand, ...pass.command], {
        env: {
          PATH: process.env.PATH,
          ...dbEnv,
          ...pass.env,
          STAND_IN_PROFILE: setup.profile.name,
          STAND_IN_PORT: String(port),
          ...(setup.dbKind === 'sqlite' ? { STAND_IN_SQLITE_FILE: join(data, (setup.profile.database as { file: string }).file) } : {}),
        },
        stdio: ['ignore', logStream, logStream],
      });
      const r = await runStep('proof', proofScript(), {
        ...base,
        APP_URL: `http://127.0.0.1:${port}`,
        READINESS_PATH: setup.profile.readinessPath,
        TIMEOUT_SECONDS: '20',
        ...(setup.profile.failureSignal ? { FAILURE_SIGNAL: setup.profile.failureSignal, APP_LOG: appLogFile } : {}),
        ...(setup.profile.name === 'zitadel' ? { LOGIN: 'zitadel-break-glass', BREAK_GLASS_PATH: writeBreakGlass(work) } : {}),
      });
      logs.proof = r.out;
      if (r.code !== 0) failedStep = 'proof';
    }
    const outcomeExit = await waitExit(outcome, 60_000);
    logs.outcome = outcomeLog;
    const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
    const statusFiles = Object.fromEntries(readdirSync(status, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => [e.name, read(join(status, e.name)).trim()]));
    return {
      failedStep,
      failure: statusFiles.FAILED,
      passed: !failedStep && outcomeExit === 0,
      outcomeExit,
      drillLog: read(drillLog),
      appLog: read(appLogFile),
      status: statusFiles,
      logs,
      keyFile: existsSync(keyFile) ? keyFile : undefined,
      work,
    };
  } finally {
    app?.kill('SIGKILL');
    if (outcome.exitCode === null) outcome.kill('SIGKILL');
    if (setup.dbKind === 'postgres') envs.pg.psql(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

function writeBreakGlass(work: string): string {
  const f = join(work, 'break-glass');
  writeFileSync(f, `${BREAK_GLASS.id}\n${BREAK_GLASS.secret}\n`, { mode: 0o400 });
  return f;
}

export function cleanupRun(r: DrillRun): void {
  rmSync(r.work, { recursive: true, force: true });
}
