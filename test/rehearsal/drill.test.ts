/**
 * The drill rehearsal tier (`npm run rehearsal`): the recovery drill's scripts, run for real
 * (harness.ts). Every case ends as the runbooks say: a pass records the heartbeat and a PASS
 * row in the drill log; a failure pages a P1 on the drill topic at once, with the reason.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keygen } from '../../lib/ceremony/keygen';
import { ACT, SERVOS, ZITADEL, type AppProfile } from '../../lib/profiles';
import { startLocalS3, type LocalS3 } from '../helpers/s3-server';
import { startAwsStandIn, type AwsStandIn } from './aws-stand-in';
import { cleanupRun, postgresDump, requireTool, runDrill, s3Putter, sqliteDump, startPostgres, type DrillRun, type DrillSetup, type Postgres, type S3Put } from './harness';

const BUCKETS = Array.from({ length: 14 }, (_, i) => [`key-${i}`, `db-${i}`]).flat();
const FAILURE = 'MASTER KEY INTEGRITY CHECK FAILED';

let pg: Postgres;
let s3: LocalS3;
let aws: AwsStandIn;
let put: S3Put & { destroy(): void };
let dir: string;
let identity: string;
let recipient: string;
let awsEnv: NodeJS.ProcessEnv;
let bucketNo = 0;
const savedEnv = { ...process.env };

beforeAll(async () => {
  for (const [tool, hint] of [
    ['aws', 'Debian: apt-get install awscli; .ci/run installs it'],
    ['age', 'Debian: apt-get install age'],
    ['age-keygen', 'Debian: apt-get install age'],
    ['sqlite3', 'Debian: apt-get install sqlite3'],
    ['psql', 'Debian: apt-get install postgresql-client'],
    ['pg_dump', 'Debian: apt-get install postgresql-client'],
    ['pg_restore', 'Debian: apt-get install postgresql-client'],
    ['python3', 'Debian: apt-get install python3'],
    ['curl', 'Debian: apt-get install curl'],
  ]) {
    requireTool(tool, hint);
  }
  dir = mkdtempSync(join(tmpdir(), 'kc-rehearsal-'));
  [pg, s3, aws] = await Promise.all([startPostgres(), startLocalS3(BUCKETS), startAwsStandIn()]);
  put = await s3Putter(s3.url, (b, k) => s3.objectFile(b, k));
  identity = join(dir, 'operator.agekey');
  spawnSync('age-keygen', ['-o', identity], { stdio: 'ignore' });
  recipient = spawnSync('age-keygen', ['-y', identity], { encoding: 'utf8' }).stdout.trim();
  const config = join(dir, 'aws-config');
  writeFileSync(config, '[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\nrequest_checksum_calculation = when_required\nresponse_checksum_validation = when_required\n');
  awsEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  // keygen's offsite upload (the AWS SDK) reads its credentials from the environment.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' });
});

afterAll(async () => {
  put?.destroy();
  await Promise.all([s3?.close(), aws?.close()]);
  pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  process.env = savedEnv;
});

interface Generation {
  readonly generation: number;
  readonly key: Buffer;
  readonly fingerprint: string;
}

/** A key generation made by the real key ceremony: hot file here, age-encrypted offsite copy in `bucket`. */
async function ceremony(profile: AppProfile, keyId: string, generation: number, bucket: string | undefined): Promise<Generation> {
  const hot = join(dir, `${keyId}-${generation}-${bucket ?? 'none'}-${Math.random().toString(36).slice(2)}`, 'key');
  const r = await keygen({ profile, keyId, generation, hot, recipients: [recipient], ...(bucket ? { offsite: `s3://${bucket}`, s3: { endpoint: s3.url, region: 'us-east-1' } } : {}) });
  return { generation, key: readFileSync(hot), fingerprint: r.fingerprint };
}

function ageEncrypt(key: Buffer): Buffer {
  const r = spawnSync('age', ['-r', recipient], { input: key });
  if (r.status !== 0) throw new Error(`age: ${r.stderr.toString()}`);
  return r.stdout;
}

function buckets(): { keyBucket: string; dbBucket: string } {
  const i = bucketNo++;
  return { keyBucket: `key-${i}`, dbBucket: `db-${i}` };
}

function setup(profile: AppProfile, b: { keyBucket: string; dbBucket: string }, g: Generation, extra: Partial<DrillSetup> = {}): DrillSetup {
  return {
    profile,
    keyId: `${profile.name}-prod`,
    dbKind: profile.database?.kind === 'sqlite' ? 'sqlite' : 'postgres',
    ...b,
    active: { generation: g.generation, fingerprint: g.fingerprint },
    identityFile: identity,
    ...extra,
  };
}

async function drill(s: DrillSetup): Promise<DrillRun> {
  aws.reset();
  return runDrill({ s3: s3.url, aws, pg, awsEnv }, s);
}

/** A pass as the runbook records it: heartbeat moved, metric put, PASS row, result published, no P1. */
function expectPass(r: DrillRun, keyId: string, app: string): void {
  expect(r.failure, `${r.failure}\n${JSON.stringify(r.logs, null, 1)}\n${r.appLog}`).toBeUndefined();
  expect(r.passed).toBe(true);
  expect(aws.metrics.join('\n')).toContain('DrillPassed');
  expect(aws.metrics.join('\n')).toContain(keyId);
  expect(aws.scheduleUpdates).toHaveLength(1);
  // The CLI sends the timestamp as epoch seconds (rest-json) or as ISO text.
  const sent = aws.scheduleUpdates[0].EndDate;
  const end = typeof sent === 'number' ? sent * 1000 : Date.parse(String(sent));
  expect(Math.round((end - Date.now()) / 86_400_000)).toBe(100);
  expect(aws.scheduleUpdates[0]).toMatchObject({ Name: 'quarterly-passed-heartbeat', ScheduleExpression: 'rate(6 hours)' });
  const today = new Date().toISOString().slice(0, 10);
  expect(r.drillLog).toMatch(new RegExp(`^\\| ${today} \\| rehearsal \\| quarterly \\| s3://.+ \\| PASS \\| - \\|$`, 'm'));
  expect(aws.published).toHaveLength(1);
  expect(aws.published[0].subject).toBe(`recovery drill quarterly of key ${keyId} (${app}): PASS`);
  expect(aws.published[0].message).toContain('run by rehearsal');
}

/** A failure as the runbook pages it: one P1 on the drill topic naming the step and the reason, a FAIL row, no heartbeat. */
function expectP1(r: DrillRun, keyId: string, app: string, step: string, reason: RegExp): void {
  expect(r.passed).toBe(false);
  expect(r.failedStep).toBe(step);
  expect(r.failure).toMatch(new RegExp(`^${step}: `));
  expect(r.failure).toMatch(reason);
  expect(r.outcomeExit).toBe(1);
  expect(aws.published).toHaveLength(1);
  expect(aws.published[0].topicArn).toBe('arn:aws:sns:us-east-1:333333333333:drill-topic');
  expect(aws.published[0].subject).toBe(`P1: recovery drill quarterly of key ${keyId} (${app}) FAILED`);
  expect(aws.published[0].message).toContain(`P1 incident: recovery drill quarterly of master key ${keyId} (${app}) FAILED at ${step}: `);
  expect(aws.published[0].message).toMatch(reason);
  expect(r.drillLog).toMatch(/\| FAIL \| P1: /);
  expect(aws.metrics).toEqual([]);
  expect(aws.scheduleUpdates).toEqual([]);
}

describe('drill rehearsal: the happy path per profile', () => {
  it('zitadel, plain SQL dump (pg_dump > file.sql): restores the newest backup at least 7 days old, break-glass login, PASS recorded', async () => {
    const b = buckets();
    const g = await ceremony(ZITADEL, 'zitadel-prod', 1, b.keyBucket);
    // Yesterday's object is not a dump at all: picking it would fail the drill.
    await put.put(b.dbBucket, 'zitadel-1d.sql', 'not a dump', 1);
    await put.put(b.dbBucket, 'zitadel-8d.sql', postgresDump(pg, g.key, 'plain', 'src_z8'), 8);
    await put.put(b.dbBucket, 'zitadel-30d.sql', postgresDump(pg, g.key, 'plain', 'src_z30'), 30);
    const r = await drill(setup(ZITADEL, b, g));
    expectPass(r, 'zitadel-prod', 'zitadel');
    expect(r.status.BACKUP_SOURCE).toBe(`s3://${b.dbBucket}/zitadel-8d.sql`);
    expect(r.logs['db-restore']).toContain('(plain SQL) with psql');
    expect(r.status.PASSED).toContain('/debug/readyok 200; break-glass login OK');
    expect(r.status.KEY_SOURCE).toContain(`s3://${b.keyBucket}/zitadel-prod/1/masterkey.age (generation 1`);
    // The restored key is the ceremony's key, 0400.
    expect(readFileSync(r.keyFile as string).equals(g.key)).toBe(true);
    cleanupRun(r);
  });

  it('zitadel, pg_dump custom format (PGDMP): restored with pg_restore', async () => {
    const b = buckets();
    const g = await ceremony(ZITADEL, 'zitadel-prod', 1, b.keyBucket);
    await put.put(b.dbBucket, 'nightly/zitadel.dump', postgresDump(pg, g.key, 'custom', 'src_zc'), 10);
    const r = await drill(setup(ZITADEL, b, g));
    expectPass(r, 'zitadel-prod', 'zitadel');
    expect(r.logs['db-restore']).toContain('(pg_dump custom format) with pg_restore');
    cleanupRun(r);
  });

  it('servos, SQLite database file (servos.db): the app starts on the restored file with the restored key', async () => {
    const b = buckets();
    const g = await ceremony(SERVOS, 'servos-prod', 1, b.keyBucket);
    await put.put(b.dbBucket, 'servos.db', sqliteDump(g.key, 'file', dir, 'servos-ok'), 9);
    const r = await drill(setup(SERVOS, b, g));
    expectPass(r, 'servos-prod', 'servos');
    expect(r.logs['db-restore']).toContain('(SQLite database file)');
    expect(r.appLog).not.toContain(FAILURE);
    expect(r.appLog).not.toContain('first boot');
    cleanupRun(r);
  });

  it('act, SQLite SQL dump (sqlite3 .dump)', async () => {
    const b = buckets();
    const g = await ceremony(ACT, 'act-prod', 1, b.keyBucket);
    await put.put(b.dbBucket, 'act.sql', sqliteDump(g.key, 'sql', dir, 'act-ok'), 7.5);
    const r = await drill(setup(ACT, b, g));
    expectPass(r, 'act-prod', 'act');
    expect(r.logs['db-restore']).toContain('(SQL dump) with sqlite3');
    cleanupRun(r);
  });

  it('a backup from a retired generation\'s time is restored with that generation\'s key', async () => {
    const b = buckets();
    const g1 = await ceremony(SERVOS, 'servos-prod', 1, b.keyBucket);
    const g2 = await ceremony(SERVOS, 'servos-prod', 2, b.keyBucket);
    const retiredOn = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
    await put.put(b.dbBucket, 'servos-30d.db', sqliteDump(g1.key, 'file', dir, 'servos-g1'), 30);
    const r = await drill(setup(SERVOS, b, g2, { retired: [{ generation: 1, retiredOn, fingerprint: g1.fingerprint }] }));
    expectPass(r, 'servos-prod', 'servos');
    expect(r.status.KEY_SOURCE).toContain('servos-prod/1/masterkey.age (generation 1');
    cleanupRun(r);
  });
});

describe('drill rehearsal: failures page a P1 at once', () => {
  it('a wrong key (ServOS): the fingerprint matches the manifest, but the app refuses the database and logs its failure line', async () => {
    const b = buckets();
    const other = await ceremony(SERVOS, 'servos-prod', 1, undefined);
    const g = await ceremony(SERVOS, 'servos-prod', 1, b.keyBucket);
    await put.put(b.dbBucket, 'servos.db', sqliteDump(other.key, 'file', dir, 'servos-wrong'), 8);
    const r = await drill(setup(SERVOS, b, g));
    expect(r.appLog).toContain(FAILURE);
    expectP1(r, 'servos-prod', 'servos', 'proof', /the app logged "MASTER KEY INTEGRITY CHECK FAILED": the restored key is not the key the restored database was encrypted with/);
    cleanupRun(r);
  });

  it('a wrong key (Zitadel): readiness answers, the break-glass login fails', async () => {
    const b = buckets();
    const other = await ceremony(ZITADEL, 'zitadel-prod', 1, undefined);
    const g = await ceremony(ZITADEL, 'zitadel-prod', 1, b.keyBucket);
    await put.put(b.dbBucket, 'zitadel.sql', postgresDump(pg, other.key, 'plain', 'src_zw'), 8);
    const r = await drill(setup(ZITADEL, b, g));
    expectP1(r, 'zitadel-prod', 'zitadel', 'proof', /the break-glass admin cannot log in: no access token/);
    cleanupRun(r);
  });

  it('a key of the wrong generation for the backup\'s date: refused by the fingerprint before the app sees it', async () => {
    const b = buckets();
    const g1 = await ceremony(SERVOS, 'servos-prod', 1, undefined);
    const g2 = await ceremony(SERVOS, 'servos-prod', 2, b.keyBucket);
    // Generation 1's offsite object holds generation 2's key.
    await put.put(b.keyBucket, 'servos-prod/1/masterkey.age', ageEncrypt(g2.key));
    const retiredOn = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
    await put.put(b.dbBucket, 'servos-30d.db', sqliteDump(g1.key, 'file', dir, 'servos-gen'), 30);
    const r = await drill(setup(SERVOS, b, g2, { retired: [{ generation: 1, retiredOn, fingerprint: g1.fingerprint }] }));
    expectP1(r, 'servos-prod', 'servos', 'key-decrypt', /the key restored for generation 1 does not match its fingerprint kcfp1:/);
    expect(r.keyFile).toBeUndefined();
    cleanupRun(r);
  });

  it('only a 6-day-old backup: no backup old enough', async () => {
    const b = buckets();
    const g = await ceremony(ZITADEL, 'zitadel-prod', 1, b.keyBucket);
    await put.put(b.dbBucket, 'zitadel-6d.sql', postgresDump(pg, g.key, 'plain', 'src_z6'), 6);
    const r = await drill(setup(ZITADEL, b, g));
    expectP1(r, 'zitadel-prod', 'zitadel', 'db-fetch', /no DB backup at least 7 days old .* the newest is from \d{4}-\d\d-\d\dT/);
    cleanupRun(r);
  });

  it('an empty key bucket: the offsite copy cannot be fetched', async () => {
    const b = buckets();
    const g = await ceremony(ACT, 'act-prod', 1, undefined);
    await put.put(b.dbBucket, 'act.db', sqliteDump(g.key, 'file', dir, 'act-empty'), 8);
    const r = await drill(setup(ACT, b, g));
    expectP1(r, 'act-prod', 'act', 'key-fetch', new RegExp(`cannot fetch the offsite copy s3://${b.keyBucket}/act-prod/1/masterkey.age of generation 1 \\(active on the backup's day \\d{4}-\\d\\d-\\d\\d\\): .*(NoSuchKey|Not Found|404)`));
    cleanupRun(r);
  });

  it('a corrupt dump (custom format, truncated): pg_restore refuses it', async () => {
    const b = buckets();
    const g = await ceremony(ZITADEL, 'zitadel-prod', 1, b.keyBucket);
    const dump = postgresDump(pg, g.key, 'custom', 'src_zx');
    await put.put(b.dbBucket, 'zitadel.dump', dump.subarray(0, Math.floor(dump.length * 0.6)), 8);
    const r = await drill(setup(ZITADEL, b, g));
    expectP1(r, 'zitadel-prod', 'zitadel', 'db-restore', /pg_restore cannot restore s3:\/\/.+\/zitadel\.dump: /);
    cleanupRun(r);
  });

  it('a corrupt SQLite file: refused by its integrity check', async () => {
    const b = buckets();
    const g = await ceremony(SERVOS, 'servos-prod', 1, b.keyBucket);
    const file = sqliteDump(g.key, 'file', dir, 'servos-corrupt');
    const broken = Buffer.from(file);
    broken.fill(0xff, 100, Math.min(broken.length, 4096 + 512));
    await put.put(b.dbBucket, 'servos.db', broken, 8);
    const r = await drill(setup(SERVOS, b, g));
    expectP1(r, 'servos-prod', 'servos', 'db-restore', /servos\.db (fails its integrity check|is neither)|sqlite3 cannot open/);
    cleanupRun(r);
  });

  it('a plaintext key object where an age-encrypted one is expected: refused, and not kept on the scratch host', async () => {
    const b = buckets();
    const g = await ceremony(ZITADEL, 'zitadel-prod', 1, undefined);
    await put.put(b.keyBucket, 'zitadel-prod/1/masterkey.age', g.key);
    await put.put(b.dbBucket, 'zitadel.sql', postgresDump(pg, g.key, 'plain', 'src_zp'), 8);
    const r = await drill(setup(ZITADEL, b, g));
    expectP1(r, 'zitadel-prod', 'zitadel', 'key-fetch', /is not age-encrypted: a plaintext key in the offsite bucket is refused \(and was not kept\)/);
    const left = spawnSync('grep', ['-rlF', g.key.toString('utf8'), r.work], { encoding: 'utf8' });
    expect(left.stdout).toBe('');
    // Nothing of the key in what was published either.
    expect(aws.published[0].message).not.toContain(g.key.toString('utf8'));
    cleanupRun(r);
  });
});
