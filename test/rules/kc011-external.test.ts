/**
 * KC011 for crossings that no principal of the configuration holds (issue 17): a deployer or
 * admin role named only by its ARN, whose own policies live elsewhere, that both sides'
 * bucket policies exempt from their deny-all, or that administers both KMS keys, is one
 * credential that reaches both custody sides.
 */
import { describe, it, expect } from 'vitest';
import type { CustodyModel } from '../../lib/model/types';
import { formatFinding, runRules } from '../../lib/rules/engine';
import { rule } from '../../lib/rules/kc011-no-shared-principal';
import { DB_BUCKET, KEY_BUCKET, bucketWithKey, merge, model, policy, stack, type Json } from '../fixtures/iam/fixtures';

const ACCOUNT = '111111111111';
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/admin`;
const PINNED: Json = { aws: [{ region: 'eu-central-1', allowed_account_ids: [ACCOUNT] }] };

/** The deny-all the constructs write: everyone but `exempt` (aws:PrincipalArn) is denied s3:*. */
function denyAllBut(bucket: string, ...exempt: string[]): Json {
  return {
    Sid: 'DenyAllButDesignatedPrincipals',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [`\${aws_s3_bucket.${bucket}.arn}`, `\${aws_s3_bucket.${bucket}.arn}/*`],
    Condition: { ArnNotLike: { 'aws:PrincipalArn': exempt } },
  };
}

/** The same deny-all written with NotPrincipal. */
function denyAllButNot(bucket: string, ...exempt: string[]): Json {
  return {
    Sid: 'DenyOthers',
    Effect: 'Deny',
    NotPrincipal: { AWS: exempt },
    Action: 's3:*',
    Resource: [`\${aws_s3_bucket.${bucket}.arn}`, `\${aws_s3_bucket.${bucket}.arn}/*`],
  };
}

/** A key policy that makes `admins` administrators of the key (the constructs' KeyAdministrators). */
function keyAdmins(...admins: string[]): string {
  return policy({ Sid: 'KeyAdministrators', Effect: 'Allow', Principal: { AWS: admins }, Action: ['kms:Create*', 'kms:Put*', 'kms:Describe*', 'kms:ScheduleKeyDeletion'], Resource: '*' });
}

/** Both buckets with their keys in one stack `s` pinned to ACCOUNT, plus `extra`. */
function both(extra: Record<string, Json>, provider: Json = PINNED): CustodyModel {
  return model(['s', stack({ resource: merge(bucketWithKey('keys', KEY_BUCKET, 'key-backup'), bucketWithKey('db', DB_BUCKET, 'db-backup'), extra), provider })]);
}

function bucketPolicies(keys: Json[], db: Json[]): Record<string, Json> {
  return {
    aws_s3_bucket_policy: {
      keys: { bucket: '${aws_s3_bucket.keys.id}', policy: policy(...keys) },
      db: { bucket: '${aws_s3_bucket.db.id}', policy: policy(...db) },
    },
  };
}

const EXEMPT_KEYS = 'bucket policy aws_s3_bucket_policy.keys (statement DenyAllButDesignatedPrincipals) exempts it from its Deny; what its own policies allow is not in the configuration';
const EXEMPT_DB = 'bucket policy aws_s3_bucket_policy.db (statement DenyAllButDesignatedPrincipals) exempts it from its Deny; what its own policies allow is not in the configuration';

describe('KC011 for principals named only by ARN', () => {
  it('flags a deployer ARN that the deny-all of both bucket policies exempts, naming it, both stores and the fix', () => {
    const m = both(bucketPolicies([denyAllBut('keys', ADMIN)], [denyAllBut('db', ADMIN)]));
    const f = rule.check(m);
    expect(f).toHaveLength(1);
    expect(f[0].address).toBe(ADMIN);
    expect(f[0].stack).toBe('s');
    expect(f[0].message).toBe(
      `can read/write/delete/admin key-backup store aws_s3_bucket.keys (stack s) via ${EXEMPT_KEYS} ` +
        `and read/write/delete/admin db-backup store aws_s3_bucket.db (stack s) via ${EXEMPT_DB}; ` +
        'one credential must never reach both a database backup and a copy of its master key',
    );
    expect(f[0].fix).toBe(
      `give the key side and the DB side separate deployer and admin roles: ${ADMIN} may stay named in the policies of ` +
        'aws_s3_bucket.keys or of aws_s3_bucket.db, not both; take it out of the other side\'s bucket policy exemption ' +
        `(NotPrincipal or aws:PrincipalArn) and key policy (${EXEMPT_KEYS} / ${EXEMPT_DB}), and name a role of that side there instead`,
    );
    // Through the engine: an unsuppressible error on the ARN.
    const [finding] = runRules(m, [rule]).findings;
    expect(finding).toMatchObject({ severity: 'error', address: ADMIN, suppressed: false });
    expect(formatFinding(finding)).toMatch(/^KC011 arn:aws:iam::111111111111:role\/admin \(stack s\) can read/);
  });

  it('flags the same crossing written with NotPrincipal', () => {
    const m = both(bucketPolicies([denyAllButNot('keys', ADMIN)], [denyAllButNot('db', ADMIN)]));
    const f = rule.check(m);
    expect(f.map((x) => x.address)).toEqual([ADMIN]);
    expect(f[0].message).toContain('key-backup store aws_s3_bucket.keys (stack s) via bucket policy aws_s3_bucket_policy.keys (statement DenyOthers) exempts it from its Deny');
    expect(f[0].message).toContain('db-backup store aws_s3_bucket.db (stack s) via bucket policy aws_s3_bucket_policy.db (statement DenyOthers) exempts it from its Deny');
  });

  it('flags an ARN that administers both KMS keys, even with no bucket policy naming it', () => {
    const m = both({ aws_kms_key: { keys: { policy: keyAdmins(ADMIN) }, db: { policy: keyAdmins(ADMIN) } } });
    const f = rule.check(m);
    expect(f).toHaveLength(1);
    expect(f[0].address).toBe(ADMIN);
    const viaKeys = 'key policy aws_kms_key.keys (statement KeyAdministrators) on key aws_kms_key.keys (kms:putkeypolicy, kms:creategrant, kms:schedulekeydeletion)';
    const viaDb = 'key policy aws_kms_key.db (statement KeyAdministrators) on key aws_kms_key.db (kms:putkeypolicy, kms:creategrant, kms:schedulekeydeletion)';
    expect(f[0].message).toBe(
      `can admin key-backup store aws_s3_bucket.keys (stack s) via ${viaKeys} and admin db-backup store aws_s3_bucket.db (stack s) via ${viaDb}; ` +
        'one credential must never reach both a database backup and a copy of its master key',
    );
    expect(f[0].fix).toContain(`take it out of the other side's bucket policy exemption (NotPrincipal or aws:PrincipalArn) and key policy (${viaKeys} / ${viaDb})`);
  });

  it('flags an ARN exempt on the key side that administers the DB-side key', () => {
    const m = both(merge({ aws_kms_key: { db: { policy: keyAdmins(ADMIN) } } }, { aws_s3_bucket_policy: { keys: { bucket: '${aws_s3_bucket.keys.id}', policy: policy(denyAllBut('keys', ADMIN)) } } }));
    const f = rule.check(m);
    expect(f.map((x) => x.address)).toEqual([ADMIN]);
    expect(f[0].message).toContain(`read/write/delete/admin key-backup store aws_s3_bucket.keys (stack s) via ${EXEMPT_KEYS}`);
    expect(f[0].message).toContain('admin db-backup store aws_s3_bucket.db (stack s) via key policy aws_kms_key.db (statement KeyAdministrators)');
  });

  it('flags an ARN that a key store secret policy exempts and the DB bucket policy exempts', () => {
    const secretPolicy = policy({ Sid: 'ReadersOnly', Effect: 'Deny', NotPrincipal: { AWS: [ADMIN] }, Action: 'secretsmanager:*', Resource: '*' });
    const m = both(
      merge(
        { aws_secretsmanager_secret: { hot: { name: 'hot', tags: { 'custody:role': 'key-store', 'custody:key': 'zitadel', 'custody:app': 'zitadel' } } } },
        { aws_secretsmanager_secret_policy: { hot: { secret_arn: '${aws_secretsmanager_secret.hot.arn}', policy: secretPolicy } } },
        { aws_s3_bucket_policy: { db: { bucket: '${aws_s3_bucket.db.id}', policy: policy(denyAllBut('db', ADMIN)) } } },
      ),
    );
    const f = rule.check(m);
    expect(f.map((x) => x.address)).toEqual([ADMIN]);
    expect(f[0].message).toBe(
      'can read/write/delete/admin key-store store aws_secretsmanager_secret.hot (stack s) via secret policy aws_secretsmanager_secret_policy.hot ' +
        '(statement ReadersOnly) exempts it from its Deny; what its own policies allow is not in the configuration ' +
        `and read/write/delete/admin db-backup store aws_s3_bucket.db (stack s) via ${EXEMPT_DB}; ` +
        'one credential must never reach both a database backup and a copy of its master key',
    );
  });

  it('flags an adopted role (a data source, its policies elsewhere) exempt on both sides', () => {
    const ref = '${data.aws_iam_role.deployer.arn}';
    const m = model([
      's',
      {
        ...stack({ resource: merge(bucketWithKey('keys', KEY_BUCKET, 'key-backup'), bucketWithKey('db', DB_BUCKET, 'db-backup'), bucketPolicies([denyAllBut('keys', ref)], [denyAllBut('db', ref)])), provider: PINNED }),
        data: { aws_iam_role: { deployer: { name: 'deployer' } } },
      },
    ]);
    expect(rule.check(m).map((x) => x.address)).toEqual(['data.aws_iam_role.deployer']);
  });

  it('passes with a separate admin role per side, as the examples write it', () => {
    const keysAdmin = `arn:aws:iam::${ACCOUNT}:role/key-custody-deployer`;
    const dbAdmin = `arn:aws:iam::${ACCOUNT}:role/db-backups-deployer`;
    const m = both(merge(bucketPolicies([denyAllBut('keys', keysAdmin)], [denyAllBut('db', dbAdmin)]), { aws_kms_key: { keys: { policy: keyAdmins(keysAdmin) }, db: { policy: keyAdmins(dbAdmin) } } }));
    expect(rule.check(m)).toEqual([]);
    // Each deployer is a principal of the model, reaching its own side only.
    expect(m.principals.filter((p) => p.kind === 'external').map((p) => p.address).sort()).toEqual([dbAdmin, keysAdmin]);
  });

  it('passes when the ARN is exempt on one side only', () => {
    const other = `arn:aws:iam::${ACCOUNT}:role/other`;
    expect(rule.check(both(bucketPolicies([denyAllBut('keys', ADMIN)], [denyAllBut('db', other)])))).toEqual([]);
  });

  it('passes when a Deny naming the ARN removes every action on one side', () => {
    const denyAdmin: Json = { Effect: 'Deny', Principal: { AWS: ADMIN }, Action: 's3:*', Resource: ['${aws_s3_bucket.db.arn}', '${aws_s3_bucket.db.arn}/*'] };
    expect(rule.check(both(bucketPolicies([denyAllBut('keys', ADMIN)], [denyAllBut('db', ADMIN), denyAdmin])))).toEqual([]);
  });

  it('passes when the exempt ARN is in another account and neither bucket policy allows it (cross-account needs both sides)', () => {
    const foreign = 'arn:aws:iam::999999999999:role/admin';
    expect(rule.check(both(bucketPolicies([denyAllBut('keys', foreign)], [denyAllBut('db', foreign)])))).toEqual([]);
  });
});
