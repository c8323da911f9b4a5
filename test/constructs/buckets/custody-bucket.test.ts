import { S3Backend } from 'cdktf';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { beforeAll, describe, expect, it } from 'vitest';
import { WRITER_DENIED_ACTIONS } from '../../../lib/policy/perms';
import { buildModel } from '../../../lib/model/build';
import { blocking, runRules } from '../../../lib/rules/engine';
import { KeyCustody } from '../../../lib/synth/custody-check';
import {
  APP,
  DB_ACCOUNT,
  KEY_ACCOUNT,
  KEY_ID,
  allRules,
  allStackJson,
  custodyApps,
  loadCatalogue,
  onlyResource,
  resourcesOf,
  statements,
  type CustodyApp,
  type PolicyStatement,
  type TfJson,
} from '../backup-bucket-fixtures';

beforeAll(async () => {
  await loadCatalogue();
});

const make = custodyApps();

const sid = (list: PolicyStatement[], id: string) => {
  const s = list.find((x) => x.Sid === id);
  if (!s) throw new Error(`no statement ${id} in ${list.map((x) => x.Sid).join(', ')}`);
  return s;
};
const asList = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
const ref = (type: string, json: TfJson, attr: string) => `\${${type}.${Object.keys(resourcesOf(json, type))[0]}.${attr}}`;
const roleRef = (json: TfJson, access: 'writer' | 'restore', attr = 'arn') => {
  const [name] = Object.entries(resourcesOf(json, 'aws_iam_role')).find(([, r]) => (r.tags as Record<string, string>)['custody:access'] === access) ?? [];
  if (!name) throw new Error(`no ${access} role`);
  return `\${aws_iam_role.${name}.${attr}}`;
};

describe('two-stack custody app (key custody and DB backups in separate stacks, providers and state)', () => {
  it('synthesizes clean: the synth-time check passes and finds no unsuppressed error', () => {
    const a = make();
    expect(a.synth()).toBeUndefined();
    const result = KeyCustody.checkOf(a.app)?.lastResult;
    expect(result).toBeDefined();
    expect(blocking(result!.findings)).toEqual([]);
    // Not even a warning: separate accounts, separate state, rotation on.
    expect(result!.findings.filter((f) => !f.suppressed).map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
  });

  it('fails only the drill rules when the whole catalogue runs on a bucket-only app', () => {
    const a = make();
    expect(a.synth()).toBeUndefined();
    const model = buildModel(KeyCustody.checkOf(a.app)!.documents());
    const ids = new Set(blocking(runRules(model, allRules(), {}).findings).map((f) => f.ruleId));
    // No drill declared: KC030 says so. Everything else holds by construction.
    expect([...ids]).toEqual(['KC030']);
  });

  it('tags every taggable resource with custody:role, custody:key and custody:app', () => {
    const a = make();
    a.synth();
    for (const [stack, role] of [
      ['key-custody', 'key-backup'],
      ['db-backups', 'db-backup'],
    ] as const) {
      const json = a.json(stack);
      for (const type of ['aws_s3_bucket', 'aws_kms_key', 'aws_iam_role']) {
        for (const r of Object.values(resourcesOf(json, type))) {
          expect(r.tags).toMatchObject({ 'custody:role': role, 'custody:key': KEY_ID, 'custody:app': APP });
        }
      }
    }
  });

  it('configures the key bucket: Object Lock COMPLIANCE, versioning, SSE-KMS with its own rotating key, owner-enforced, blocked, lifecycle', () => {
    const a = make();
    a.synth();
    const json = a.json('key-custody');
    const bucket = onlyResource(json, 'aws_s3_bucket');
    expect(bucket).toMatchObject({ object_lock_enabled: true, force_destroy: false, bucket_prefix: 'zitadel-master-keys-' });
    expect(onlyResource(json, 'aws_s3_bucket_versioning')).toMatchObject({ versioning_configuration: { status: 'Enabled' } });
    expect(onlyResource(json, 'aws_s3_bucket_object_lock_configuration')).toMatchObject({ rule: { default_retention: { mode: 'COMPLIANCE', days: 365 } } });
    expect(onlyResource(json, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(json, 'aws_s3_bucket_ownership_controls')).toMatchObject({ rule: { object_ownership: 'BucketOwnerEnforced' } });
    const keyArn = ref('aws_kms_key', json, 'arn');
    expect(onlyResource(json, 'aws_s3_bucket_server_side_encryption_configuration')).toMatchObject({
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: keyArn }, bucket_key_enabled: true }],
    });
    expect(onlyResource(json, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(onlyResource(json, 'aws_kms_alias')).toMatchObject({ name: 'alias/custody/zitadel/zitadel-master/key-backup' });
    // The current key backup never expires; superseded generations are kept a year.
    const rule = (onlyResource(json, 'aws_s3_bucket_lifecycle_configuration').rule as Record<string, unknown>[])[0];
    expect(rule.expiration).toBeUndefined();
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 365 }]);
  });

  it('configures the DB bucket: GOVERNANCE lock for the retention, current and noncurrent expiration from retentionDays', () => {
    const a = make({ db: { retentionDays: 60, objectLockMode: 'COMPLIANCE' } });
    a.synth();
    const json = a.json('db-backups');
    expect(onlyResource(json, 'aws_s3_bucket')).toMatchObject({ object_lock_enabled: true, bucket_prefix: 'zitadel-master-db-' });
    expect(onlyResource(json, 'aws_s3_bucket_object_lock_configuration')).toMatchObject({ rule: { default_retention: { mode: 'COMPLIANCE', days: 60 } } });
    const rule = (onlyResource(json, 'aws_s3_bucket_lifecycle_configuration').rule as Record<string, unknown>[])[0];
    expect(rule).toMatchObject({ status: 'Enabled', expiration: [{ days: 60 }], noncurrent_version_expiration: [{ noncurrent_days: 60 }] });

    const b = make();
    b.synth();
    expect(onlyResource(b.json('db-backups'), 'aws_s3_bucket_object_lock_configuration')).toMatchObject({
      rule: { default_retention: { mode: 'GOVERNANCE', days: 35 } },
    });
  });
});

describe('bucket policies', () => {
  for (const stack of ['key-custody', 'db-backups'] as const) {
    describe(stack, () => {
      const load = () => {
        const a = make();
        a.synth();
        const json = a.json(stack);
        return { json, policy: statements(onlyResource(json, 'aws_s3_bucket_policy').policy), bucketArn: ref('aws_s3_bucket', json, 'arn') };
      };

      it('is TLS-only: denies every s3 action on the bucket and its objects without aws:SecureTransport', () => {
        const { policy, bucketArn } = load();
        const s = sid(policy, 'DenyInsecureTransport');
        expect(s).toMatchObject({ Effect: 'Deny', Principal: '*', Action: ['s3:*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
        expect(asList(s.Resource).sort()).toEqual([bucketArn, `${bucketArn}/*`].sort());
      });

      it('denies every principal except the designated writer, restore principal and administrators', () => {
        const { json, policy, bucketArn } = load();
        const s = sid(policy, 'DenyAllButDesignatedPrincipals');
        expect(s).toMatchObject({ Effect: 'Deny', Principal: '*', Action: ['s3:*'] });
        expect(asList(s.Resource).sort()).toEqual([bucketArn, `${bucketArn}/*`].sort());
        const account = stack === 'key-custody' ? KEY_ACCOUNT : DB_ACCOUNT;
        const allowed = s.Condition?.ArnNotLike?.['aws:PrincipalArn'];
        expect(allowed).toEqual([roleRef(json, 'writer'), roleRef(json, 'restore'), `arn:aws:iam::${account}:role/${stack}-deployer`]);
        // Allow statements name only the designated principals.
        for (const st of policy.filter((x) => x.Effect === 'Allow')) {
          expect(st.Principal).not.toBe('*');
          for (const p of (st.Principal as { AWS: string[] }).AWS) expect([roleRef(json, 'writer'), roleRef(json, 'restore')]).toContain(p);
        }
      });

      it('denies writers deleting versions, bypassing governance, and changing the policy, lock, versioning or lifecycle', () => {
        const { json, policy } = load();
        const s = sid(policy, 'DenyWritersDeleteOrLoosen');
        expect(s.Effect).toBe('Deny');
        expect(s.Principal).toEqual({ AWS: [roleRef(json, 'writer')] });
        expect(s.Action).toEqual(
          expect.arrayContaining([
            's3:DeleteObject',
            's3:DeleteObjectVersion',
            's3:PutBucketPolicy',
            's3:PutBucketObjectLockConfiguration',
            's3:BypassGovernanceRetention',
            's3:PutLifecycleConfiguration',
            's3:PutBucketVersioning',
          ]),
        );
        // The writer is allowed to put objects and nothing else.
        expect(sid(policy, 'AllowWriters')).toMatchObject({ Principal: { AWS: [roleRef(json, 'writer')] }, Action: ['s3:PutObject'] });
        // Restore principals only read.
        expect(sid(policy, 'DenyRestoreWriteOrDelete')).toMatchObject({ Principal: { AWS: [roleRef(json, 'restore')] } });
        expect(sid(policy, 'DenyRestoreWriteOrDelete').Action).toEqual(expect.arrayContaining(['s3:PutObject', 's3:DeleteObjectVersion']));
      });
    });
  }
});

describe('KMS key policy and principals', () => {
  it('separates key administrators from key users (writer and restore only)', () => {
    const a = make({ key: { admins: undefined } });
    a.synth();
    const json = a.json('key-custody');
    const policy = statements(onlyResource(json, 'aws_kms_key').policy);
    const admins = sid(policy, 'KeyAdministrators');
    // Default administrators: the account root and the identity Terraform runs as.
    const session = Object.keys(json.data?.aws_iam_session_context ?? {})[0];
    expect(admins.Principal).toEqual({ AWS: [`arn:aws:iam::${KEY_ACCOUNT}:root`, `\${data.aws_iam_session_context.${session}.issuer_arn}`] });
    for (const use of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncrypt*', 'kms:*']) expect(admins.Action).not.toContain(use);
    expect(admins.Action).toEqual(expect.arrayContaining(['kms:Put*', 'kms:ScheduleKeyDeletion']));
    expect(sid(policy, 'KeyUsersWriters')).toMatchObject({ Principal: { AWS: [roleRef(json, 'writer')] }, Action: ['kms:GenerateDataKey', 'kms:Encrypt'] });
    expect(sid(policy, 'KeyUsersRestore')).toMatchObject({ Principal: { AWS: [roleRef(json, 'restore')] }, Action: ['kms:Decrypt', 'kms:DescribeKey'] });
    expect(policy.map((s) => s.Sid)).toEqual(['KeyAdministrators', 'KeyUsersWriters', 'KeyUsersRestore']);
  });

  it('gives DB writers kms:Decrypt for multipart uploads but never s3:GetObject', () => {
    const a = make();
    a.synth();
    const json = a.json('db-backups');
    expect(sid(statements(onlyResource(json, 'aws_kms_key').policy), 'KeyUsersWriters').Action).toContain('kms:Decrypt');
    const writerPolicy = Object.values(resourcesOf(json, 'aws_iam_role_policy')).find((p) => p.name === 'custody-writer')!;
    expect(statements(writerPolicy.policy).flatMap((s) => s.Action)).not.toContain('s3:GetObject');
  });

  it('scopes the writer and restore roles to this bucket and this key only', () => {
    const a = make();
    a.synth();
    const json = a.json('key-custody');
    const bucketArn = ref('aws_s3_bucket', json, 'arn');
    const keyArn = ref('aws_kms_key', json, 'arn');
    const policies = Object.values(resourcesOf(json, 'aws_iam_role_policy'));
    const writer = policies.find((p) => p.role === roleRef(json, 'writer', 'id'))!;
    const restore = policies.find((p) => p.role === roleRef(json, 'restore', 'id'))!;
    expect(statements(writer.policy)).toEqual([
      { Sid: 'PutBackups', Effect: 'Allow', Action: ['s3:PutObject'], Resource: `${bucketArn}/*` },
      { Sid: 'EncryptWithBucketKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Encrypt'], Resource: keyArn },
    ]);
    expect(statements(restore.policy)).toEqual([
      { Sid: 'ReadBackups', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: `${bucketArn}/*` },
      { Sid: 'ListBackups', Effect: 'Allow', Action: ['s3:ListBucket', 's3:ListBucketVersions'], Resource: bucketArn },
      { Sid: 'DecryptWithBucketKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: keyArn },
    ]);
    // Trust: the bucket's own account by default, tagged with the custody role.
    for (const access of ['writer', 'restore'] as const) {
      const role = Object.values(resourcesOf(json, 'aws_iam_role')).find((r) => (r.tags as Record<string, string>)['custody:access'] === access)!;
      expect(statements(role.assume_role_policy)[0]).toMatchObject({
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::${KEY_ACCOUNT}:root`] },
        Action: 'sts:AssumeRole',
      });
    }
  });

  it('trusts configured principals, with an external id', () => {
    const a = make({ db: { writerTrust: { principals: ['333333333333', 'arn:aws:iam::444444444444:role/rclone'], externalId: 'backup-job-7' } } });
    a.synth();
    const json = a.json('db-backups');
    const role = Object.values(resourcesOf(json, 'aws_iam_role')).find((r) => (r.tags as Record<string, string>)['custody:access'] === 'writer')!;
    expect(statements(role.assume_role_policy)[0]).toMatchObject({
      Principal: { AWS: ['arn:aws:iam::333333333333:root', 'arn:aws:iam::444444444444:role/rclone'] },
      Condition: { StringEquals: { 'sts:ExternalId': 'backup-job-7' } },
    });
  });

  it('grantRead / grantWrite add principals to the bucket policy, its allow-list and the key policy', () => {
    const a = make();
    const reader = 'arn:aws:iam::555555555555:role/drill-restore';
    const writer = 'arn:aws:iam::111111111111:role/key-export-job';
    a.keyBucket.grantRead(reader);
    a.keyBucket.grantWrite(writer);
    a.synth();
    const json = a.json('key-custody');
    const policy = statements(onlyResource(json, 'aws_s3_bucket_policy').policy);
    expect(sid(policy, 'DenyAllButDesignatedPrincipals').Condition?.ArnNotLike?.['aws:PrincipalArn']).toEqual(expect.arrayContaining([reader, writer]));
    expect((sid(policy, 'AllowRestoreRead').Principal as { AWS: string[] }).AWS).toContain(reader);
    expect((sid(policy, 'AllowWriters').Principal as { AWS: string[] }).AWS).toContain(writer);
    expect((sid(policy, 'DenyWritersDeleteOrLoosen').Principal as { AWS: string[] }).AWS).toContain(writer);
    expect((sid(policy, 'DenyRestoreWriteOrDelete').Principal as { AWS: string[] }).AWS).toContain(reader);
    const keyPolicy = statements(onlyResource(json, 'aws_kms_key').policy);
    expect((sid(keyPolicy, 'KeyUsersRestore').Principal as { AWS: string[] }).AWS).toContain(reader);
    expect((sid(keyPolicy, 'KeyUsersWriters').Principal as { AWS: string[] }).AWS).toContain(writer);
    expect(a.keyBucket.restorePrincipals).toContain(reader);
    expect(() => a.keyBucket.grantRead('drill-restore')).toThrow(/"drill-restore" is not an IAM principal ARN[\s\S]*fix:/);
  });

  it('uses existing writer and restore principals instead of creating roles', () => {
    const writer = `arn:aws:iam::${DB_ACCOUNT}:user/rclone-db`;
    const restore = `arn:aws:iam::${DB_ACCOUNT}:role/db-restore`;
    const a = make({ db: { writerArn: writer, restoreArn: restore } });
    expect(a.synth()).toBeUndefined();
    const json = a.json('db-backups');
    expect(resourcesOf(json, 'aws_iam_role')).toEqual({});
    const policy = statements(onlyResource(json, 'aws_s3_bucket_policy').policy);
    expect(sid(policy, 'AllowWriters').Principal).toEqual({ AWS: [writer] });
    expect(sid(policy, 'AllowRestoreRead').Principal).toEqual({ AWS: [restore] });
  });
});

describe('no IAM secret access key in state', () => {
  const accessKeysWithoutPgp = (outdir: string) =>
    allStackJson(outdir).flatMap(({ stack, json }) =>
      Object.entries(resourcesOf(json, 'aws_iam_access_key'))
        .filter(([, r]) => typeof r.pgp_key !== 'string' || r.pgp_key.length === 0)
        .map(([name]) => `${stack}/aws_iam_access_key.${name}`),
    );

  it('creates no aws_iam_access_key by default, anywhere in the synthesized output', () => {
    const a = make();
    a.synth();
    for (const { json } of allStackJson(a.outdir)) expect(resourcesOf(json, 'aws_iam_access_key')).toEqual({});
    expect(accessKeysWithoutPgp(a.outdir)).toEqual([]);
  });

  it('creates the opt-in writer access key only with pgp_key, for a tagged writer user on the allow-list', () => {
    const a = make({ db: { writerAccessKey: { pgpKey: 'keybase:db-backup-operator' } } });
    expect(a.synth()).toBeUndefined();
    const json = a.json('db-backups');
    const key = onlyResource(json, 'aws_iam_access_key');
    expect(key.pgp_key).toBe('keybase:db-backup-operator');
    const user = onlyResource(json, 'aws_iam_user');
    expect(user.tags).toMatchObject({ 'custody:role': 'db-backup', 'custody:access': 'writer' });
    const userRef = ref('aws_iam_user', json, 'arn');
    const policy = statements(onlyResource(json, 'aws_s3_bucket_policy').policy);
    expect((sid(policy, 'DenyWritersDeleteOrLoosen').Principal as { AWS: string[] }).AWS).toContain(userRef);
    expect(sid(policy, 'DenyAllButDesignatedPrincipals').Condition?.ArnNotLike?.['aws:PrincipalArn']).toContain(userRef);
    expect(accessKeysWithoutPgp(a.outdir)).toEqual([]);
  });

  it('refuses an access key without a usable PGP key', () => {
    expect(() => make({ db: { writerAccessKey: { pgpKey: '' } } })).toThrow(/never created without one\n {2}→ at writerAccessKey\.pgpKey/);
  });
});

describe('props validation', () => {
  it('quotes the bad value path and says the fix', () => {
    expect(() => make({ key: { bucketName: 'Key_Backups' } })).toThrow(
      /^\[key-custody\/KeyBackups\] KeyBackupBucket: invalid props\n✖ must be a valid S3 bucket name: [^\n]*; got "Key_Backups"\n {2}→ at bucketName\n {2}got bucketName = "Key_Backups"\nfix: /,
    );
    expect(() => make({ key: { bucketName: 'zitadel-keys', bucketPrefix: 'zitadel-' } })).toThrow(/bucketName or bucketPrefix, not both/);
    expect(() => make({ db: { retentionDays: 0 } })).toThrow(/DatabaseBackupBucket: invalid props\n✖ must be at least 1 day; got 0\n {2}→ at retentionDays/);
    expect(() => make({ db: { admins: ['deployer'] } })).toThrow(/✖ must be an IAM ARN like "arn:aws:iam::123456789012:role\/name"; got "deployer"\n {2}→ at admins\[0\]/);
  });
});

describe('escape hatches that break a safeguard fail synth with the rule id', () => {
  it('KC021: an override that removes Object Lock from the key bucket', () => {
    const a = make();
    a.keyBucket.bucket.addOverride('object_lock_enabled', false);
    const err = a.synth();
    expect(err?.message).toMatch(/KC021 aws_s3_bucket\.KeyBackups_Bucket_\w+ \(stack key-custody\) holds key backups without Object Lock/);
  });

  it('KC021: an override that suspends versioning of the key bucket', () => {
    const a = make();
    a.keyBucket.versioning.addOverride('versioning_configuration.status', 'Suspended');
    expect(a.synth()?.message).toMatch(/KC021 [^\n]*is not versioned/);
  });

  it('KC021: an override that drops the default retention of the lock', () => {
    const a = make();
    a.keyBucket.objectLock.addOverride('rule', null);
    expect(a.synth()?.message).toMatch(/KC021 [^\n]*no default retention/);
  });

  const readKeysPolicy = (a: CustodyApp) =>
    new IamRolePolicy(a.dbStack, 'ShortcutReadKeys', {
      role: a.dbBucket.writerRole!.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::zitadel-master-keys-prod/*' },
          { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: '*' },
        ],
      }),
    });

  it('KC011: an extra aws_iam_role_policy giving the DB writer s3:GetObject on the key bucket, with the key bucket policy loosened', () => {
    // One account, and someone "simplified" the key bucket policy to TLS-only.
    const a = make({ sameAccount: true, key: { bucketName: 'zitadel-master-keys-prod' } });
    readKeysPolicy(a);
    const arn = a.keyBucket.bucketArn;
    const tlsOnly = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    a.keyBucket.bucketPolicy.addOverride('policy', JSON.stringify({ Version: '2012-10-17', Statement: [tlsOnly] }));
    expect(a.synth()?.message).toMatch(
      /KC011 aws_iam_role\.DbBackups_Writer_\w+ \(stack db-backups\) can read key-backup store aws_s3_bucket\.KeyBackups_Bucket_\w+ \(stack key-custody\) via inline policy/,
    );
  });

  it('KC011 catches the extra policy even while the key bucket policy (and the account boundary) block it at runtime', () => {
    for (const sameAccount of [false, true]) {
      const a = make({ sameAccount, key: { bucketName: 'zitadel-master-keys-prod' } });
      readKeysPolicy(a);
      expect(a.synth()?.message, `sameAccount=${sameAccount}`).toMatch(
        /KC011 aws_iam_role\.DbBackups_Writer_\w+ \(stack db-backups\) can read key-backup store aws_s3_bucket\.KeyBackups_Bucket_\w+ \(stack key-custody\) via inline policy \S+ \[blocked today by the store's resource policy or the account boundary\]/,
      );
    }
  });

  it('KC011: one principal granted write on the DB bucket and read on the key bucket', () => {
    const a = make();
    const shared = `arn:aws:iam::${DB_ACCOUNT}:role/backup-everything`;
    a.dbBucket.grantWrite(shared);
    a.keyBucket.grantRead(shared);
    expect(a.synth()?.message).toMatch(/KC011 arn:aws:iam::222222222222:role\/backup-everything[^\n]*can read key-backup store/);
  });

  it('KC012: both buckets encrypting with one KMS key via an override', () => {
    const a = make();
    a.dbBucket.encryption.addOverride('rule.0.apply_server_side_encryption_by_default.kms_master_key_id', a.keyBucket.kmsKey.arn);
    expect(a.synth()?.message).toMatch(/KC012 [^\n]*both encrypt with KMS key/);
  });

  it('KC014: a stack whose S3 backend keeps its state in a custody bucket', () => {
    const a = make({
      db: { bucketName: 'zitadel-master-db-prod' },
      keyBackend: (keyStack) => new S3Backend(keyStack, { bucket: 'zitadel-master-db-prod', key: 'key-custody.tfstate', region: 'eu-west-1' }),
    });
    expect(a.synth()?.message).toMatch(
      /KC014 terraform\.backend \(stack key-custody\) s3 backend stores the state in bucket "zitadel-master-db-prod", which is the db-backup bucket/,
    );
  });

  it('KC010: the two stacks naming the same bucket', () => {
    const a = make({ key: { bucketName: 'zitadel-backups' }, db: { bucketName: 'zitadel-backups' } });
    expect(a.synth()?.message).toMatch(/KC010 /);
  });
});

describe('constants', () => {
  it('denies writers exactly what the issue names, and more', () => {
    for (const a of ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutBucketPolicy', 's3:PutBucketObjectLockConfiguration', 's3:BypassGovernanceRetention']) {
      expect(WRITER_DENIED_ACTIONS).toContain(a);
    }
  });
});
