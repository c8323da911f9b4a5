/**
 * Random custody topologies for the property tests: a plain-data spec (drawn by fast-check)
 * rendered into Terraform JSON documents in the cdk.tf.json shape, plus planted violations,
 * one rule each, applied to a rendered topology.
 *
 * Everything `render` builds is sound by construction: key-backup and DB-backup buckets in
 * different stacks, accounts and backends with every hardening companion; principals whose
 * policies reach at most one custody store; containers that get the key read-only by path;
 * a quarterly, isolated, logged and alarmed drill per key; 3-2-1 copies per key.
 */
import fc from 'fast-check';
import { bucket, labels, type Json } from '../rules/kc0xx-fixtures';
import { DEFAULT_DRILL_SCHEDULE } from '../../lib/policy/schedule';

export type { Json };

export type Profile = 'zitadel' | 'servos' | 'act';
export type HotKind = 'host-file' | 'secrets-manager' | 'ssm';
export type Shape = 'inline-role' | 'inline-user' | 'customer-attached' | 'aws-managed' | 'group' | 'assume-role' | 'bucket-policy';

export interface PrincipalSpec {
  readonly shape: Shape;
  readonly side: 'key' | 'db';
  readonly access: 'read' | 'write';
  /** Resource written as a literal ARN or as a `${aws_s3_bucket.x.arn}` reference. */
  readonly literalArn: boolean;
  /** aws_iam_user_group_membership vs aws_iam_group_membership; role vs user for attachments. */
  readonly alt: boolean;
}

export interface KeySpec {
  readonly profile: Profile;
  readonly hot: HotKind;
  /** Mount the key file itself, or the directory that holds it. */
  readonly dirMount: boolean;
  readonly nasCopy: boolean;
  readonly paperCopy: boolean;
  /** DB bucket lifecycle: current days, noncurrent days, Object Lock days. */
  readonly dbCurrent: number;
  readonly dbNoncurrent: number;
  readonly dbLock: number;
  /** Key bucket keeps versions forever, or this many days beyond what the DB retention needs. */
  readonly keyExtra: number | null;
  readonly keyLock: number;
  /** Bucket names literal, or only a prefix. */
  readonly prefixNames: boolean;
  readonly schedule: string;
  readonly intervalDays: number;
  readonly restoreAgeDays: number;
  readonly principals: readonly PrincipalSpec[];
}

export interface Spec {
  /** Number of stacks asked for (1-4); components are spread over them. */
  readonly nStacks: number;
  /** Stack index of each component, before normalisation (see `placement`). */
  readonly slots: readonly [number, number, number, number];
  readonly keys: readonly KeySpec[];
}

const SCHEDULES = [DEFAULT_DRILL_SCHEDULE, 'rate(90 days)', 'rate(30 days)', 'cron(0 3 1 * ? *)', 'cron(0 10 ? 2,5,8,11 MON#1 *)'];

export const principalArb: fc.Arbitrary<PrincipalSpec> = fc.record({
  shape: fc.constantFrom<Shape>('inline-role', 'inline-user', 'customer-attached', 'aws-managed', 'group', 'assume-role', 'bucket-policy'),
  side: fc.constantFrom<'key' | 'db'>('key', 'db'),
  access: fc.constantFrom<'read' | 'write'>('read', 'write'),
  literalArn: fc.boolean(),
  alt: fc.boolean(),
});

function keyArb(profile: Profile): fc.Arbitrary<KeySpec> {
  return fc
    .record({
      hot: fc.constantFrom<HotKind>('host-file', 'secrets-manager', 'ssm'),
      dirMount: fc.boolean(),
      copies: fc.constantFrom<[boolean, boolean]>([true, false], [false, true], [true, true]),
      dbCurrent: fc.integer({ min: 7, max: 400 }),
      dbNoncurrent: fc.integer({ min: 1, max: 120 }),
      dbLockFrac: fc.double({ min: 0, max: 1.5, noNaN: true }),
      keyExtra: fc.option(fc.integer({ min: 0, max: 365 }), { nil: null }),
      keyLock: fc.integer({ min: 1, max: 3650 }),
      prefixNames: fc.boolean(),
      schedule: fc.constantFrom(...SCHEDULES),
      intervalDays: fc.integer({ min: 1, max: 92 }),
      restoreAgeDays: fc.integer({ min: 7, max: 60 }),
      principals: fc.array(principalArb, { maxLength: 3 }),
    })
    .map((r) => ({
      profile,
      hot: r.hot,
      dirMount: r.dirMount,
      nasCopy: r.copies[0],
      paperCopy: r.copies[1],
      dbCurrent: r.dbCurrent,
      dbNoncurrent: r.dbNoncurrent,
      dbLock: Math.max(1, Math.round(r.dbCurrent * r.dbLockFrac)),
      keyExtra: r.keyExtra,
      keyLock: r.keyLock,
      prefixNames: r.prefixNames,
      schedule: r.schedule,
      intervalDays: r.intervalDays,
      restoreAgeDays: r.restoreAgeDays,
      principals: r.principals,
    }));
}

export const specArb: fc.Arbitrary<Spec> = fc
  .record({
    nStacks: fc.integer({ min: 1, max: 4 }),
    slots: fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3), fc.nat(3)),
    profiles: fc.shuffledSubarray<Profile>(['zitadel', 'servos', 'act'], { minLength: 1, maxLength: 2 }),
  })
  .chain(({ nStacks, slots, profiles }) =>
    fc.tuple(...profiles.map(keyArb)).map((keys) => ({ nStacks, slots, keys })),
  );

// ---------------------------------------------------------------------------------------
// Rendering

export interface Placement {
  readonly app: string;
  readonly keys: string;
  /** Undefined with one stack: a sound single-stack topology has no DB-backup bucket. */
  readonly db?: string;
  readonly drill: string;
}

/** Which stack each component lives in. Key and DB sides are never in one stack; the app never shares the DB stack. */
export function placement(spec: Spec): Placement {
  const n = spec.nStacks;
  const name = (i: number) => `s${i}`;
  if (n === 1) return { app: 's0', keys: 's0', drill: 's0' };
  const keys = spec.slots[1] % n;
  const db = (keys + 1 + (spec.slots[2] % (n - 1))) % n;
  const others = [...Array(n).keys()].filter((i) => i !== db);
  const app = others[spec.slots[0] % others.length];
  const drill = spec.slots[3] % n;
  return { app: name(app), keys: name(keys), db: name(db), drill: name(drill) };
}

export function accountOfStack(stack: string): string {
  const i = Number(stack.slice(1));
  return String(111111111111 * (i + 1));
}

/** Names of one key's resources, for plants and for tests that look things up. */
export interface KeyNames {
  readonly index: number;
  readonly spec: KeySpec;
  readonly keyId: string;
  readonly app: string;
  readonly hostPath: string;
  readonly keyBucket: string;
  readonly dbBucket: string;
  readonly keyBucketName: string;
  readonly dbBucketName: string;
  readonly appContainer: string;
  readonly hotStore?: { type: string; name: string };
  /** Longest DB-backup retention of this key, in days. */
  readonly dbRetention: number;
}

export interface Rendered {
  readonly spec: Spec;
  readonly where: Placement;
  readonly keys: readonly KeyNames[];
  /** Stack name → Terraform JSON, mutable for plants. */
  readonly docs: Map<string, Json>;
}

const IMAGES: Record<Profile, string> = { zitadel: 'ghcr.io/zitadel/zitadel:v4.0.0', servos: 'ghcr.io/servos/servos:1.4.2', act: 'ghcr.io/act/act:2.1.0' };
const TARGET = '/run/secrets/masterkey';

function merge(into: Json, part: Json): void {
  for (const [k, v] of Object.entries(part)) {
    const cur = into[k];
    if (cur && typeof cur === 'object' && !Array.isArray(cur) && v && typeof v === 'object' && !Array.isArray(v)) merge(cur as Json, v as Json);
    else into[k] = v;
  }
}

/** The resource block `type.name` of a stack document, created when missing. */
export function res(doc: Json, type: string, name: string): Json {
  const resource = (doc.resource ??= {}) as Json;
  const byType = (resource[type] ??= {}) as Json;
  return (byType[name] ??= {}) as Json;
}

export function tagsFor(role: string, k: { keyId: string; app: string }): Record<string, string> {
  return { 'custody:role': role, 'custody:key': k.keyId, 'custody:app': k.app };
}

function policy(statements: Json[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const TRUST_EC2 = policy([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);

/** Add statements to a bucket's policy (the fixture builder writes TLS-only and delete-deny statements). */
export function addBucketStatements(doc: Json, bucketRes: string, statements: Json[]): void {
  const p = res(doc, 'aws_s3_bucket_policy', bucketRes);
  const parsed = p.policy ? (JSON.parse(p.policy as string) as { Statement: Json[] }) : { Statement: [] };
  p.bucket ??= `\${aws_s3_bucket.${bucketRes}.id}`;
  parsed.Statement.push(...statements);
  p.policy = JSON.stringify({ Version: '2012-10-17', ...parsed });
}

function bucketArn(k: KeyNames, side: 'key' | 'db', literalArn: boolean): string {
  const resName = side === 'key' ? k.keyBucket : k.dbBucket;
  const name = side === 'key' ? k.keyBucketName : k.dbBucketName;
  return literalArn && !k.spec.prefixNames ? `arn:aws:s3:::${name}` : `\${aws_s3_bucket.${resName}.arn}`;
}

/** The statements that give one access on one bucket. */
export function accessStatements(k: KeyNames, side: 'key' | 'db', access: 'read' | 'write', literalArn: boolean): Json[] {
  const arn = bucketArn(k, side, literalArn);
  return access === 'read'
    ? [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [arn, `${arn}/*`] }]
    : [{ Effect: 'Allow', Action: ['s3:PutObject'], Resource: `${arn}/*` }];
}

/** One production principal of a key, in the stack of the store it reaches. */
function renderPrincipal(doc: Json, k: KeyNames, p: PrincipalSpec, j: number, stack: string): void {
  const id = `k${k.index}_p${j}`;
  const name = `kc-${k.app}-p${j}-${p.shape}`;
  const acct = accountOfStack(stack);
  const stmts = accessStatements(k, p.side, p.access, p.literalArn);
  const role = (n = id, trust = TRUST_EC2) => merge(res(doc, 'aws_iam_role', n), { name: n === id ? name : `${name}-${n}`, assume_role_policy: trust });
  const user = (n = id) => merge(res(doc, 'aws_iam_user', n), { name: n === id ? name : `${name}-${n}` });
  switch (p.shape) {
    case 'inline-role':
      role();
      merge(res(doc, 'aws_iam_role_policy', id), { role: `\${aws_iam_role.${id}.id}`, policy: policy(stmts) });
      return;
    case 'inline-user':
      user();
      merge(res(doc, 'aws_iam_user_policy', id), { user: `\${aws_iam_user.${id}.name}`, policy: policy(stmts) });
      return;
    case 'customer-attached':
      merge(res(doc, 'aws_iam_policy', id), { name: `${name}-policy`, policy: policy(stmts) });
      if (p.alt) {
        user();
        merge(res(doc, 'aws_iam_user_policy_attachment', id), { user: `\${aws_iam_user.${id}.name}`, policy_arn: `\${aws_iam_policy.${id}.arn}` });
      } else {
        role();
        merge(res(doc, 'aws_iam_role_policy_attachment', id), { role: `\${aws_iam_role.${id}.name}`, policy_arn: `\${aws_iam_policy.${id}.arn}` });
      }
      return;
    case 'aws-managed':
      // Read-only S3 over "*": sound because it stays inside this stack's account, which
      // holds only one custody side.
      role();
      merge(res(doc, 'aws_iam_role_policy_attachment', id), { role: `\${aws_iam_role.${id}.name}`, policy_arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
      return;
    case 'group': {
      user();
      merge(res(doc, 'aws_iam_group', id), { name: `${name}-group` });
      merge(res(doc, 'aws_iam_group_policy', id), { group: `\${aws_iam_group.${id}.name}`, policy: policy(stmts) });
      if (p.alt) merge(res(doc, 'aws_iam_user_group_membership', id), { user: `\${aws_iam_user.${id}.name}`, groups: [`\${aws_iam_group.${id}.name}`] });
      else merge(res(doc, 'aws_iam_group_membership', id), { name: `${name}-members`, group: `\${aws_iam_group.${id}.name}`, users: [`\${aws_iam_user.${id}.name}`] });
      return;
    }
    case 'assume-role': {
      const userName = `${name}-${id}_u`;
      user(`${id}_u`);
      role(id, policy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${acct}:user/${userName}` }, Action: 'sts:AssumeRole' }]));
      merge(res(doc, 'aws_iam_role_policy', id), { role: `\${aws_iam_role.${id}.id}`, policy: policy(stmts) });
      merge(res(doc, 'aws_iam_user_policy', `${id}_u`), {
        user: `\${aws_iam_user.${id}_u.name}`,
        policy: policy([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `\${aws_iam_role.${id}.arn}` }]),
      });
      return;
    }
    case 'bucket-policy': {
      role();
      const bucketRes = p.side === 'key' ? k.keyBucket : k.dbBucket;
      const arn = `\${aws_s3_bucket.${bucketRes}.arn}`;
      const action = p.access === 'read' ? ['s3:GetObject'] : ['s3:PutObject'];
      addBucketStatements(doc, bucketRes, [
        { Sid: `Allow${id}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${acct}:role/${name}` }, Action: action, Resource: `${arn}/*` },
      ]);
      return;
    }
  }
}

function stackBase(stack: string, where: Placement): Json {
  const docker: Json[] = [];
  if (stack === where.app) docker.push({ host: `ssh://deploy@prod-${stack}.example.com` });
  if (stack === where.drill) docker.push({ alias: 'scratch', host: `ssh://deploy@scratch-${stack}.example.com` });
  const provider: Json = { aws: [{ region: 'eu-central-1', assume_role: [{ role_arn: `arn:aws:iam::${accountOfStack(stack)}:role/terraform` }] }] };
  if (docker.length) provider.docker = docker;
  return { provider, terraform: { backend: { s3: { bucket: 'kc-tfstate', key: `${stack}.tfstate`, region: 'eu-central-1' } } } };
}

/** Render a spec into sound Terraform JSON documents, one per stack. */
export function render(spec: Spec): Rendered {
  const where = placement(spec);
  const stackNames = [...new Set([where.app, where.keys, where.db, where.drill].filter((s): s is string => !!s))].sort();
  const docs = new Map<string, Json>(stackNames.map((s) => [s, stackBase(s, where)]));
  const doc = (s: string) => docs.get(s) as Json;
  const manifestKeys: Json[] = [];
  const drills: Json[] = [];
  const keys: KeyNames[] = [];

  spec.keys.forEach((ks, index) => {
    const app = ks.profile;
    const keyId = `${app}-master-${index}`;
    const hostPath = `/etc/${app}${index}/masterkey`;
    const dbRetention = Math.max(ks.dbCurrent + ks.dbNoncurrent, ks.dbLock);
    const k: KeyNames = {
      index,
      spec: ks,
      keyId,
      app,
      hostPath,
      keyBucket: `k${index}_keys`,
      dbBucket: `k${index}_db`,
      keyBucketName: `${app}${index}-key-backup`,
      dbBucketName: `${app}${index}-db-backup`,
      appContainer: `k${index}_app`,
      hotStore: ks.hot === 'secrets-manager' ? { type: 'aws_secretsmanager_secret', name: `k${index}_hot` } : ks.hot === 'ssm' ? { type: 'aws_ssm_parameter', name: `k${index}_hot` } : undefined,
      dbRetention,
    };
    keys.push(k);
    const t = (role: string) => tagsFor(role, k);

    // Manifest key: hot file declared 0400 root:root in 0700 with a deploy check; 3-2-1 copies.
    // Every copy with its evidence (#20): the fingerprint keygen printed, and its record of the upload into the key bucket.
    const fingerprint = `kcfp1:${'1'.repeat(32)}:${index.toString(16).padStart(64, '0')}`;
    const proof = { fingerprint, date: '2026-06-01', evidence: 'keygen' };
    const copies: Json[] = [];
    if (ks.nasCopy) copies.push({ kind: 'cold', medium: 'nas', location: `/mnt/nas/${app}${index}/masterkey.age`, offsite: false, ...proof });
    if (ks.paperCopy) copies.push({ kind: 'offsite', medium: 'paper', location: `safe ${index}`, offsite: true, ...proof });
    copies.push({ kind: 'offsite', medium: 's3', location: `s3://${k.keyBucket}/${keyId}/1/masterkey.age`, offsite: true, ...proof });
    manifestKeys.push({
      id: keyId,
      app,
      profile: app,
      fingerprint,
      hostPath,
      hostFile: { path: hostPath, mode: '0400', owner: 'root', group: 'root', dirMode: '0700', deployCheck: true },
      copies,
    });

    // Key-backup bucket: keeps versions forever, or long enough for the DB backups + margin.
    const keyKeep = ks.keyExtra === null ? undefined : dbRetention + 30 + ks.keyExtra;
    merge(doc(where.keys), bucket(k.keyBucket, 'key-backup', { tags: t('key-backup'), objectLock: { mode: 'COMPLIANCE', days: ks.keyLock }, expiration: keyKeep, noncurrent: keyKeep }));
    const kb = res(doc(where.keys), 'aws_s3_bucket', k.keyBucket);
    if (ks.prefixNames) {
      delete kb.bucket;
      kb.bucket_prefix = `${app}${index}-key-`;
    } else kb.bucket = k.keyBucketName;

    if (where.db) {
      merge(doc(where.db), bucket(k.dbBucket, 'db-backup', { tags: t('db-backup'), objectLock: { mode: 'GOVERNANCE', days: ks.dbLock }, expiration: ks.dbCurrent, noncurrent: ks.dbNoncurrent }));
      const db = res(doc(where.db), 'aws_s3_bucket', k.dbBucket);
      if (ks.prefixNames) {
        delete db.bucket;
        db.bucket_prefix = `${app}${index}-db-`;
      } else db.bucket = k.dbBucketName;
    }

    // Cloud hot copy: its own rotating KMS key, value written only through a write-only argument.
    const appDoc = doc(where.app);
    if (k.hotStore) {
      const v = `k${index}_masterkey`;
      merge(appDoc, { variable: { [v]: { type: 'string', sensitive: true, ephemeral: true } } });
      merge(res(appDoc, 'aws_kms_key', k.hotStore.name), { description: `${keyId} hot copy`, enable_key_rotation: true, tags: t('key-store') });
      if (ks.hot === 'secrets-manager') {
        merge(res(appDoc, 'aws_secretsmanager_secret', k.hotStore.name), { name: `${app}/masterkey-${index}`, kms_key_id: `\${aws_kms_key.${k.hotStore.name}.arn}`, tags: t('key-store') });
        merge(res(appDoc, 'aws_secretsmanager_secret_version', k.hotStore.name), {
          secret_id: `\${aws_secretsmanager_secret.${k.hotStore.name}.id}`,
          secret_string_wo: `\${var.${v}}`,
          secret_string_wo_version: 1,
        });
      } else {
        merge(res(appDoc, 'aws_ssm_parameter', k.hotStore.name), {
          name: `/${app}/masterkey-${index}`,
          type: 'SecureString',
          key_id: `\${aws_kms_key.${k.hotStore.name}.arn}`,
          value_wo: `\${var.${v}}`,
          value_wo_version: 1,
          tags: t('key-store'),
        });
      }
    }

    // Production app: key mounted read-only from the declared hot copy and passed by path.
    const mount = ks.dirMount
      ? { type: 'bind', source: `/etc/${app}${index}`, target: '/run/secrets', read_only: true }
      : { type: 'bind', source: hostPath, target: TARGET, read_only: true };
    const byPath: Json =
      app === 'zitadel'
        ? { command: ['start-from-init', '--masterkeyFile', TARGET, '--tlsMode', 'external'] }
        : { command: ['serve'], env: [`${app.toUpperCase()}_MASTER_KEY_FILE=${TARGET}`, `${app.toUpperCase()}_DB_HOST=\${docker_container.k${index}_appdb.name}`] };
    merge(res(appDoc, 'docker_network', `k${index}_prod`), { name: `${app}${index}-prod` });
    merge(res(appDoc, 'docker_container', `k${index}_appdb`), {
      name: `${app}${index}-db`,
      image: 'postgres:17-alpine',
      networks_advanced: [{ name: `\${docker_network.k${index}_prod.name}` }],
    });
    merge(res(appDoc, 'docker_container', k.appContainer), {
      name: `${app}${index}`,
      image: IMAGES[app],
      ...byPath,
      mounts: [mount],
      networks_advanced: [{ name: `\${docker_network.k${index}_prod.name}` }],
      labels: labels({ 'custody:app': app, 'custody:key': keyId }),
    });

    // Production principals, each reaching one custody store of its own stack.
    ks.principals.forEach((p, j) => {
      const stack = p.side === 'key' ? where.keys : where.db;
      if (!stack) return;
      renderPrincipal(doc(stack), k, p, j, stack);
    });

    // Drill: split read-only credentials, scratch host, internal network, own database.
    const readOnly = (side: 'key' | 'db') => policy(accessStatements(k, side, 'read', true));
    const drillTags = { 'custody:role': 'drill', 'custody:key': keyId };
    merge(res(doc(where.keys), 'aws_iam_role', `k${index}_drill_key_reader`), { name: `kc-${app}${index}-drill-key-reader`, assume_role_policy: TRUST_EC2, tags: drillTags });
    merge(res(doc(where.keys), 'aws_iam_role_policy', `k${index}_drill_key_reader`), { role: `\${aws_iam_role.k${index}_drill_key_reader.id}`, policy: readOnly('key') });
    if (where.db) {
      merge(res(doc(where.db), 'aws_iam_role', `k${index}_drill_db_reader`), { name: `kc-${app}${index}-drill-db-reader`, assume_role_policy: TRUST_EC2, tags: drillTags });
      merge(res(doc(where.db), 'aws_iam_role_policy', `k${index}_drill_db_reader`), { role: `\${aws_iam_role.k${index}_drill_db_reader.id}`, policy: readOnly('db') });
    }
    const dd = doc(where.drill);
    const dl = labels({ 'custody:role': 'drill', 'custody:key': keyId, 'custody:app': app });
    merge(res(dd, 'docker_network', `k${index}_drill`), { provider: 'docker.scratch', name: `${app}${index}-drill`, internal: true });
    merge(res(dd, 'docker_container', `k${index}_drill_db`), {
      provider: 'docker.scratch',
      name: `${app}${index}-drill-db`,
      image: 'postgres:17-alpine',
      networks_advanced: [{ name: `\${docker_network.k${index}_drill.name}` }],
      labels: dl,
    });
    merge(res(dd, 'docker_container', `k${index}_drill_app`), {
      provider: 'docker.scratch',
      name: `${app}${index}-drill`,
      image: IMAGES[app],
      ...(app === 'zitadel'
        ? { command: ['start', '--masterkeyFile', TARGET, '--tlsMode', 'disabled'] }
        : { command: ['serve'], env: [`${app.toUpperCase()}_MASTER_KEY_FILE=${TARGET}`] }),
      mounts: [{ type: 'volume', source: `${app}${index}-drill-restored-key`, target: '/run/secrets', read_only: true }],
      networks_advanced: [{ name: `\${docker_network.k${index}_drill.name}` }],
      labels: dl,
    });
    merge(res(dd, 'aws_scheduler_schedule_group', `k${index}_drill`), { name: `${app}${index}-drill`, tags: t('drill') });
    merge(res(dd, 'aws_scheduler_schedule', `k${index}_drill`), {
      name: `${app}${index}-drill`,
      group_name: `\${aws_scheduler_schedule_group.k${index}_drill.name}`,
      schedule_expression: ks.schedule,
      schedule_expression_timezone: 'Europe/Berlin',
      flexible_time_window: { mode: 'OFF' },
      target: { arn: `arn:aws:sns:eu-central-1:${accountOfStack(where.drill)}:drill-run`, role_arn: `arn:aws:iam::${accountOfStack(where.drill)}:role/scheduler` },
    });
    merge(res(dd, 'aws_cloudwatch_metric_alarm', `k${index}_drill_stale`), {
      alarm_name: `${app}${index}-drill-stale`,
      namespace: 'KeyCustody',
      metric_name: 'DrillPassed',
      statistic: 'Sum',
      period: 86400,
      evaluation_periods: 1,
      threshold: 1,
      comparison_operator: 'LessThanThreshold',
      treat_missing_data: 'breaching',
      alarm_actions: [`arn:aws:sns:eu-central-1:${accountOfStack(where.drill)}:custody-pager`],
      tags: t('drill'),
    });
    drills.push({
      id: `quarterly-${index}`,
      key: keyId,
      schedule: ks.schedule,
      intervalDays: ks.intervalDays,
      restoreAgeDays: ks.restoreAgeDays,
      keySource: `${where.keys}/aws_s3_bucket.${k.keyBucket}`,
      dockerProvider: `${where.drill}/docker.scratch`,
      alarm: true,
      log: true,
    });
  });

  merge(res(doc(where.app), 'terraform_data', 'custody_manifest'), {
    input: { kind: 'cdktf-key-custody/manifest', version: 1, keys: manifestKeys, drills, suppressions: [], adoptedStores: [] },
  });
  return { spec, where, keys, docs };
}

/** The stacks of a rendered topology, in the `[name, json]` form the fixtures' `model()` takes. */
export function stacksOf(r: Rendered): [string, Json][] {
  return [...r.docs.entries()];
}

/** The manifest input of a rendered topology. */
export function manifestOf(r: Rendered): Json {
  return res(r.docs.get(r.where.app) as Json, 'terraform_data', 'custody_manifest').input as Json;
}
