/**
 * Planted violations: each breaks one custody rule in a rendered sound topology. `prepare`
 * adjusts the spec where the violation needs a particular shape (a DB-backup bucket, a
 * cloud hot copy, literal bucket names); `apply` mutates the rendered documents.
 */
import {
  accessStatements,
  accountOfStack,
  addBucketStatements,
  manifestOf,
  res,
  tagsFor,
  type Json,
  type KeyNames,
  type KeySpec,
  type Rendered,
  type Spec,
} from './topology';

export interface Plant {
  readonly id: string;
  readonly variant: string;
  /** Adjust the spec so the violation can be planted on key `k`. */
  readonly prepare?: (spec: Spec, k: number) => Spec;
  readonly apply: (r: Rendered, k: KeyNames) => void;
}

const TARGET = '/run/secrets/masterkey';

function withKey(spec: Spec, k: number, over: Partial<KeySpec>): Spec {
  return { ...spec, keys: spec.keys.map((ks, i) => (i === k ? { ...ks, ...over } : ks)) };
}
const needDb = (spec: Spec): Spec => (spec.nStacks >= 2 ? spec : { ...spec, nStacks: 2 });
const needDbLiteral = (spec: Spec, k: number): Spec => withKey(needDb(spec), k, { prefixNames: false });

const doc = (r: Rendered, stack: string | undefined): Json => r.docs.get(stack as string) as Json;
const appC = (r: Rendered, k: KeyNames): Json => res(doc(r, r.where.app), 'docker_container', k.appContainer);
const drillC = (r: Rendered, k: KeyNames, which: 'app' | 'db'): Json => res(doc(r, r.where.drill), 'docker_container', `k${k.index}_drill_${which}`);
const manifestKey = (r: Rendered, k: KeyNames): Json => (manifestOf(r).keys as Json[])[k.index];
const manifestDrill = (r: Rendered, k: KeyNames): Json => (manifestOf(r).drills as Json[])[k.index];
const keyDoc = (r: Rendered) => doc(r, r.where.keys);
const dbDoc = (r: Rendered) => doc(r, r.where.db);

function del(d: Json, type: string, name: string): void {
  const byType = (d.resource as Json)[type] as Json | undefined;
  if (byType) delete byType[name];
}

function pushEnv(c: Json, entry: string): void {
  c.env = [...((c.env as string[] | undefined) ?? []), entry];
}

function policy(statements: Json[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

function dropStatement(d: Json, bucketRes: string, sid: string): void {
  const p = res(d, 'aws_s3_bucket_policy', bucketRes);
  const parsed = JSON.parse(p.policy as string) as { Statement: Json[] };
  p.policy = policy(parsed.Statement.filter((s) => s.Sid !== sid));
}

/** Identity statements on the DB bucket from another stack: literal name, or a prefix wildcard. */
function dbArnFromElsewhere(k: KeyNames): string {
  return k.spec.prefixNames ? `arn:aws:s3:::${k.app}${k.index}-db-*` : `arn:aws:s3:::${k.dbBucketName}`;
}

/** A key-side principal whose identity policy also names the DB bucket; the DB bucket trusts the key account's root. */
function kc011(shape: 'inline' | 'attached' | 'managed' | 'group' | 'assume-role' | 'wildcard' | 'bucket-policy'): Plant {
  return {
    id: 'KC011',
    variant: shape,
    prepare: needDb,
    apply: (r, k) => {
      const d = keyDoc(r);
      const id = `leak_${k.index}`;
      const name = `kc-leak-${k.index}`;
      const acct = accountOfStack(r.where.keys);
      const dbArn = dbArnFromElsewhere(k);
      const both = [...accessStatements(k, 'key', 'read', false), { Effect: 'Allow', Action: ['s3:GetObject'], Resource: `${dbArn}/*` }];
      const trust = { Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } };
      const role = () => Object.assign(res(d, 'aws_iam_role', id), { name, assume_role_policy: policy([trust]) });
      if (shape !== 'bucket-policy') {
        addBucketStatements(dbDoc(r), k.dbBucket, [
          { Sid: 'TrustBackupAccount', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${acct}:root` }, Action: ['s3:GetObject'], Resource: `\${aws_s3_bucket.${k.dbBucket}.arn}/*` },
        ]);
      }
      switch (shape) {
        case 'inline':
          role();
          Object.assign(res(d, 'aws_iam_role_policy', id), { role: `\${aws_iam_role.${id}.id}`, policy: policy(both) });
          return;
        case 'attached':
          role();
          Object.assign(res(d, 'aws_iam_policy', id), { name: `${name}-policy`, policy: policy(both) });
          Object.assign(res(d, 'aws_iam_role_policy_attachment', id), { role: `\${aws_iam_role.${id}.name}`, policy_arn: `\${aws_iam_policy.${id}.arn}` });
          return;
        case 'managed':
          role();
          Object.assign(res(d, 'aws_iam_role_policy_attachment', id), { role: `\${aws_iam_role.${id}.name}`, policy_arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });
          return;
        case 'group':
          Object.assign(res(d, 'aws_iam_user', id), { name });
          Object.assign(res(d, 'aws_iam_group', id), { name: `${name}-group` });
          Object.assign(res(d, 'aws_iam_group_policy', id), { group: `\${aws_iam_group.${id}.name}`, policy: policy(both) });
          Object.assign(res(d, 'aws_iam_user_group_membership', id), { user: `\${aws_iam_user.${id}.name}`, groups: [`\${aws_iam_group.${id}.name}`] });
          return;
        case 'assume-role':
          Object.assign(res(d, 'aws_iam_user', `${id}_u`), { name: `${name}-u` });
          Object.assign(res(d, 'aws_iam_role', id), {
            name,
            assume_role_policy: policy([{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${acct}:user/${name}-u` } }]),
          });
          Object.assign(res(d, 'aws_iam_role_policy', id), { role: `\${aws_iam_role.${id}.id}`, policy: policy(both) });
          Object.assign(res(d, 'aws_iam_user_policy', `${id}_u`), {
            user: `\${aws_iam_user.${id}_u.name}`,
            policy: policy([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `\${aws_iam_role.${id}.arn}` }]),
          });
          return;
        case 'wildcard':
          role();
          Object.assign(res(d, 'aws_iam_role_policy', id), { role: `\${aws_iam_role.${id}.id}`, policy: policy([{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }]) });
          return;
        case 'bucket-policy':
          role();
          // Across accounts the role's own policy must allow the read too: a bucket policy alone does not.
          Object.assign(res(d, 'aws_iam_role_policy', id), { role: `\${aws_iam_role.${id}.id}`, policy: policy([...accessStatements(k, 'key', 'write', false), { Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }]) });
          addBucketStatements(dbDoc(r), k.dbBucket, [
            { Sid: 'LetTheKeyWriterIn', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${acct}:role/${name}` }, Action: ['s3:GetObject'], Resource: `\${aws_s3_bucket.${k.dbBucket}.arn}/*` },
          ]);
          return;
      }
    },
  };
}

export const PLANTS: readonly Plant[] = [
  // KC001: the key in an environment variable.
  { id: 'KC001', variant: 'env-var', apply: (r, k) => pushEnv(appC(r, k), `${k.app === 'zitadel' ? 'ZITADEL_MASTERKEY' : `${k.app.toUpperCase()}_MASTER_KEY`}=\${var.masterkey}`) },
  { id: 'KC001', variant: 'from-env-flag', apply: (r, k) => void (appC(r, k).command as string[]).push('--masterkeyFromEnv') },
  // KC002: the key on the command line.
  { id: 'KC002', variant: 'flag-value', apply: (r, k) => void (appC(r, k).command as string[]).push('--masterkey', 'MasterkeyNeedsToHave32Characters') },
  { id: 'KC002', variant: 'inline', apply: (r, k) => void (appC(r, k).command as string[]).push('--masterkey=MasterkeyNeedsToHave32Characters') },
  { id: 'KC002', variant: 'shell-string', apply: (r, k) => void (appC(r, k).entrypoint = ['sh', '-c', `exec ${k.app} start --masterkey "$(cat /x)"`]) },
  // KC003: writable mount, key not passed by path, mount of something other than the hot copy.
  { id: 'KC003', variant: 'writable', apply: (r, k) => void ((appC(r, k).mounts as Json[])[0].read_only = false) },
  {
    id: 'KC003',
    variant: 'not-by-path',
    apply: (r, k) => {
      const c = appC(r, k);
      if (k.app === 'zitadel') c.command = (c.command as string[]).filter((a) => a !== '--masterkeyFile' && a !== TARGET);
      else c.env = (c.env as string[]).filter((e) => !e.includes('_MASTER_KEY_FILE='));
    },
  },
  { id: 'KC003', variant: 'wrong-source', apply: (r, k) => void ((appC(r, k).mounts as Json[])[0] = { type: 'bind', source: '/srv/copy/masterkey', target: TARGET, read_only: true }) },
  // KC004: key material through plain attributes.
  {
    id: 'KC004',
    variant: 'secret-string',
    prepare: (s, k) => withKey(s, k, { hot: 'secrets-manager' }),
    apply: (r, k) => void (res(doc(r, r.where.app), 'aws_secretsmanager_secret_version', `k${k.index}_hot`).secret_string = '${var.plain}'),
  },
  {
    id: 'KC004',
    variant: 'ssm-value',
    prepare: (s, k) => withKey(s, k, { hot: 'ssm' }),
    apply: (r, k) => void (res(doc(r, r.where.app), 'aws_ssm_parameter', `k${k.index}_hot`).value = '${var.plain}'),
  },
  {
    id: 'KC004',
    variant: 'random-into-wo',
    prepare: (s, k) => withKey(s, k, { hot: 'secrets-manager' }),
    apply: (r, k) => {
      const d = doc(r, r.where.app);
      Object.assign(res(d, 'random_password', `k${k.index}_gen`), { length: 32, special: false });
      res(d, 'aws_secretsmanager_secret_version', `k${k.index}_hot`).secret_string_wo = `\${random_password.k${k.index}_gen.result}`;
    },
  },
  {
    id: 'KC004',
    variant: 's3-content',
    apply: (r, k) => void Object.assign(res(keyDoc(r), 'aws_s3_object', `k${k.index}_backup`), { bucket: `\${aws_s3_bucket.${k.keyBucket}.id}`, key: 'masterkey.age', content: '${var.plain}' }),
  },
  { id: 'KC004', variant: 'upload', apply: (r, k) => void (appC(r, k).upload = [{ file: TARGET, content: '${var.plain}' }]) },
  // KC005: host file declaration.
  { id: 'KC005', variant: 'mode', apply: (r, k) => void ((manifestKey(r, k).hostFile as Json).mode = '0644') },
  { id: 'KC005', variant: 'owner', apply: (r, k) => void ((manifestKey(r, k).hostFile as Json).owner = 'zitadel') },
  { id: 'KC005', variant: 'dir-mode', apply: (r, k) => void ((manifestKey(r, k).hostFile as Json).dirMode = '0755') },
  { id: 'KC005', variant: 'no-deploy-check', apply: (r, k) => void ((manifestKey(r, k).hostFile as Json).deployCheck = false) },
  { id: 'KC005', variant: 'undeclared', apply: (r, k) => void delete manifestKey(r, k).hostFile },
  // KC010: DB backups and key backups in one bucket.
  { id: 'KC010', variant: 'same-name', prepare: needDbLiteral, apply: (r, k) => void (res(dbDoc(r), 'aws_s3_bucket', k.dbBucket).bucket = k.keyBucketName) },
  {
    id: 'KC010',
    variant: 'db-object-in-key-bucket',
    apply: (r, k) =>
      void Object.assign(res(keyDoc(r), 'aws_s3_object', `k${k.index}_dump`), {
        bucket: `\${aws_s3_bucket.${k.keyBucket}.id}`,
        key: 'db/dump.sql.gz',
        source: '/var/backups/dump.sql.gz',
        tags: tagsFor('db-backup', k),
      }),
  },
  // KC011: one principal reaching both sides, by every access path.
  kc011('inline'),
  kc011('attached'),
  kc011('managed'),
  kc011('group'),
  kc011('assume-role'),
  kc011('wildcard'),
  kc011('bucket-policy'),
  // KC012: one KMS key for both buckets.
  {
    id: 'KC012',
    variant: 'shared-kms-arn',
    prepare: needDb,
    apply: (r, k) => {
      const arn = `arn:aws:kms:eu-central-1:${accountOfStack(r.where.keys)}:key/0b1f2d3c-shared`;
      for (const [d, b] of [[keyDoc(r), k.keyBucket], [dbDoc(r), k.dbBucket]] as const) {
        const enc = res(d, 'aws_s3_bucket_server_side_encryption_configuration', b);
        enc.rule = [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: arn } }];
      }
    },
  },
  // KC013: one state for both sides.
  {
    id: 'KC013',
    variant: 'shared-backend',
    prepare: needDb,
    apply: (r) => void ((dbDoc(r).terraform as Json).backend = JSON.parse(JSON.stringify((keyDoc(r).terraform as Json).backend))),
  },
  // KC014: state in a custody bucket.
  { id: 'KC014', variant: 'backend', prepare: (s, k) => withKey(s, k, { prefixNames: false }), apply: (r, k) => void (((doc(r, r.where.app).terraform as Json).backend as Json).s3 = { bucket: k.keyBucketName, key: 'app.tfstate', region: 'eu-central-1' }) },
  {
    id: 'KC014',
    variant: 'remote-state',
    prepare: needDbLiteral,
    apply: (r, k) => {
      const d = doc(r, r.where.app);
      const data = (d.data ??= {}) as Json;
      data.terraform_remote_state = { db: { backend: 's3', config: { bucket: k.dbBucketName, key: 'db.tfstate', region: 'eu-central-1' } } };
    },
  },
  // KC020: fewer than 3 copies.
  { id: 'KC020', variant: 'two-copies', prepare: (s, k) => withKey(s, k, { hot: 'host-file', nasCopy: false, paperCopy: false }), apply: () => {} },
  // KC021: key backups not immutable.
  { id: 'KC021', variant: 'unversioned', apply: (r, k) => del(keyDoc(r), 'aws_s3_bucket_versioning', k.keyBucket) },
  { id: 'KC021', variant: 'no-default-retention', apply: (r, k) => void delete res(keyDoc(r), 'aws_s3_bucket_object_lock_configuration', k.keyBucket).rule },
  { id: 'KC021', variant: 'no-object-lock', apply: (r, k) => { res(keyDoc(r), 'aws_s3_bucket', k.keyBucket).object_lock_enabled = false; del(keyDoc(r), 'aws_s3_bucket_object_lock_configuration', k.keyBucket); } },
  { id: 'KC021', variant: 'deletes-allowed', apply: (r, k) => dropStatement(keyDoc(r), k.keyBucket, 'NoDeletes') },
  // KC022: key backups expire before the DB backups they decrypt.
  {
    id: 'KC022',
    variant: 'short-key-lifecycle',
    apply: (r, k) => {
      manifestKey(r, k).dbRetentionDays = k.dbRetention;
      const lc = res(keyDoc(r), 'aws_s3_bucket_lifecycle_configuration', k.keyBucket);
      Object.assign(lc, { bucket: `\${aws_s3_bucket.${k.keyBucket}.id}`, rule: [{ id: 'expire', status: 'Enabled', filter: {}, expiration: { days: k.dbRetention }, noncurrent_version_expiration: { noncurrent_days: k.dbRetention + 365 } }] });
    },
  },
  {
    id: 'KC022',
    variant: 'retired-generation',
    apply: (r, k) => {
      const mk = manifestKey(r, k);
      mk.dbRetentionDays = k.dbRetention;
      mk.generations = [
        { generation: 1, state: 'retired', retiredOn: '2025-01-01', keepUntil: '2025-01-15', copies: [] },
        { generation: 2, state: 'rotating', copies: [] },
      ];
    },
  },
  // KC023: hardening of either bucket.
  { id: 'KC023', variant: 'no-public-access-block', apply: (r, k) => del(keyDoc(r), 'aws_s3_bucket_public_access_block', k.keyBucket) },
  { id: 'KC023', variant: 'sse-s3', prepare: needDb, apply: (r, k) => void (res(dbDoc(r), 'aws_s3_bucket_server_side_encryption_configuration', k.dbBucket).rule = [{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }]) },
  { id: 'KC023', variant: 'aws-managed-kms', apply: (r, k) => void (res(keyDoc(r), 'aws_s3_bucket_server_side_encryption_configuration', k.keyBucket).rule = [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: 'alias/aws/s3' } }]) },
  { id: 'KC023', variant: 'no-ownership-controls', prepare: needDb, apply: (r, k) => del(dbDoc(r), 'aws_s3_bucket_ownership_controls', k.dbBucket) },
  { id: 'KC023', variant: 'no-tls-only', apply: (r, k) => dropStatement(keyDoc(r), k.keyBucket, 'TlsOnly') },
  { id: 'KC023', variant: 'db-unversioned', prepare: needDb, apply: (r, k) => del(dbDoc(r), 'aws_s3_bucket_versioning', k.dbBucket) },
  // KC024: KMS rotation off.
  { id: 'KC024', variant: 'bucket-key', apply: (r, k) => void (res(keyDoc(r), 'aws_kms_key', k.keyBucket).enable_key_rotation = false) },
  {
    id: 'KC024',
    variant: 'hot-store-key',
    prepare: (s, k) => withKey(s, k, { hot: 'secrets-manager' }),
    apply: (r, k) => void delete res(doc(r, r.where.app), 'aws_kms_key', `k${k.index}_hot`).enable_key_rotation,
  },
  // KC025: an active generation without its own copies.
  { id: 'KC025', variant: 'active-without-copies', apply: (r, k) => void (manifestKey(r, k).generations = [{ generation: 2, state: 'active', copies: [] }]) },
  // KC030: drill not at least quarterly.
  { id: 'KC030', variant: 'rare-schedule', apply: (r, k) => void (res(doc(r, r.where.drill), 'aws_scheduler_schedule', `k${k.index}_drill`).schedule_expression = 'rate(180 days)') },
  { id: 'KC030', variant: 'interval', apply: (r, k) => void (manifestDrill(r, k).intervalDays = 200) },
  { id: 'KC030', variant: 'disabled', apply: (r, k) => void (res(doc(r, r.where.drill), 'aws_scheduler_schedule', `k${k.index}_drill`).state = 'DISABLED') },
  { id: 'KC030', variant: 'no-drill', apply: (r, k) => void (manifestOf(r).drills = (manifestOf(r).drills as Json[]).filter((d) => d.key !== k.keyId)) },
  // KC031: drill takes the key from the hot copy or the production host.
  { id: 'KC031', variant: 'hot', apply: (r, k) => void (manifestDrill(r, k).keySource = 'hot') },
  { id: 'KC031', variant: 'host-path', apply: (r, k) => void (manifestDrill(r, k).keySource = k.hostPath) },
  { id: 'KC031', variant: 'mounts-hot-copy', apply: (r, k) => void ((drillC(r, k, 'app').mounts as Json[])[0] = { type: 'bind', source: k.hostPath, target: TARGET, read_only: true }) },
  { id: 'KC031', variant: 'production-provider', apply: (r, k) => void (manifestDrill(r, k).dockerProvider = `${r.where.app}/docker`) },
  // KC032: drill not isolated.
  { id: 'KC032', variant: 'network-not-internal', apply: (r, k) => void (res(doc(r, r.where.drill), 'docker_network', `k${k.index}_drill`).internal = false) },
  { id: 'KC032', variant: 'host-network', apply: (r, k) => void Object.assign(drillC(r, k, 'app'), { network_mode: 'host', networks_advanced: undefined }) },
  { id: 'KC032', variant: 'no-drill-db', apply: (r, k) => del(doc(r, r.where.drill), 'docker_container', `k${k.index}_drill_db`) },
  {
    id: 'KC032',
    variant: 'writable-reader',
    apply: (r, k) => void (res(keyDoc(r), 'aws_iam_role_policy', `k${k.index}_drill_key_reader`).policy = policy(accessStatements(k, 'key', 'write', false))),
  },
  { id: 'KC032', variant: 'prod-host', apply: (r, k) => void Object.assign(drillC(r, k, 'app'), { provider: 'docker' }), prepare: (s) => ({ ...s, nStacks: 1 }) },
  // KC033: drill restores a fresh backup.
  { id: 'KC033', variant: 'one-day', apply: (r, k) => void (manifestDrill(r, k).restoreAgeDays = 1) },
  { id: 'KC033', variant: 'undeclared', apply: (r, k) => void delete manifestDrill(r, k).restoreAgeDays },
  // KC034: drill outcome not recorded or not alarmed.
  { id: 'KC034', variant: 'no-log', apply: (r, k) => void (manifestDrill(r, k).log = false) },
  { id: 'KC034', variant: 'no-alarm', apply: (r, k) => del(doc(r, r.where.drill), 'aws_cloudwatch_metric_alarm', `k${k.index}_drill_stale`) },
  { id: 'KC034', variant: 'missing-data-ok', apply: (r, k) => void (res(doc(r, r.where.drill), 'aws_cloudwatch_metric_alarm', `k${k.index}_drill_stale`).treat_missing_data = 'notBreaching') },
  { id: 'KC034', variant: 'no-actions', apply: (r, k) => void (res(doc(r, r.where.drill), 'aws_cloudwatch_metric_alarm', `k${k.index}_drill_stale`).alarm_actions = []) },
];

/** Rule ids the plants cover. */
export const PLANTED_RULES = [...new Set(PLANTS.map((p) => p.id))].sort();
