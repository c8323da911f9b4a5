/**
 * KC012's own contract, "each key policy and KMS grant names only the principals of its own
 * bucket" (issue 17): a KMS grant or key-policy statement that lets a DB-side principal use
 * the key of a key store is a finding, even when that principal cannot decrypt on its own side.
 */
import { describe, it, expect } from 'vitest';
import type { CustodyModel } from '../../lib/model/types';
import { runRules } from '../../lib/rules/engine';
import { rule } from '../../lib/rules/kc012-separate-kms-keys';
import { allow, merge, model, oneStack, policy, tags, type Json } from '../fixtures/iam/fixtures';

const WRITER = 'aws_iam_role.dbwriter';

/** A DB-backup writer role: it may put objects into the DB bucket, and nothing about keys. */
const DB_WRITER: Record<string, Json> = {
  aws_iam_role: { dbwriter: { name: 'db-writer', assume_role_policy: policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }) } },
  aws_iam_role_policy: { w: { role: '${aws_iam_role.dbwriter.id}', policy: policy(allow('s3:PutObject', '${aws_s3_bucket.db.arn}/*')) } },
};

function withExtra(extra: Record<string, Json>): CustodyModel {
  return model(['s', oneStack(merge(DB_WRITER, extra))]);
}

const DB_SIDE = 'can write the db-backup store aws_s3_bucket.db (stack s) via inline policy aws_iam_role_policy.w';

describe('KC012 key-side keys serve only key-side principals', () => {
  it('flags a KMS grant that lets the DB writer encrypt with the key-side key, though it cannot decrypt anywhere', () => {
    const m = withExtra({ aws_kms_grant: { g: { name: 'g', key_id: '${aws_kms_key.keys.key_id}', grantee_principal: '${aws_iam_role.dbwriter.arn}', operations: ['Encrypt', 'GenerateDataKey'] } } });
    expect(m.grants.some((g) => g.principal.endsWith(WRITER) && g.access === 'decrypt')).toBe(false);
    const f = rule.check(m);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ stack: 's', address: WRITER });
    expect(f[0].message).toBe(
      `${DB_SIDE}, and KMS grant aws_kms_grant.g on key aws_kms_key.keys lets it use the key of the ` +
        'key-backup store aws_s3_bucket.keys (stack s) (kms:encrypt, kms:generatedatakey); a key-side KMS key must serve only the principals of its own store',
    );
    expect(f[0].fix).toBe(
      `remove ${WRITER} from KMS grant aws_kms_grant.g on key aws_kms_key.keys: only the key side's own principals may use ` +
        "key aws_kms_key.keys; a DB-side job that needs a KMS key uses the DB-backup store's own key, and a job that needs both sides is two jobs with separate principals",
    );
    // Suppressible like the rest of KC012: an error until a reason is given.
    expect(runRules(m, [rule]).findings.map((x) => [x.ruleId, x.severity, x.address])).toEqual([['KC012', 'error', WRITER]]);
  });

  it('flags a key-policy statement of the key-side key that names the DB writer', () => {
    const keyPolicy = policy(
      { Sid: 'Writers', Effect: 'Allow', Principal: { AWS: ['${aws_iam_role.dbwriter.arn}'] }, Action: ['kms:Encrypt', 'kms:GenerateDataKey*'], Resource: '*' },
    );
    const f = rule.check(withExtra({ aws_kms_key: { keys: { description: 'keys key', enable_key_rotation: true, policy: keyPolicy } } }));
    expect(f.map((x) => x.address)).toEqual([WRITER]);
    expect(f[0].message).toBe(
      `${DB_SIDE}, and key policy aws_kms_key.keys (statement Writers) on key aws_kms_key.keys lets it use the key ` +
        'of the key-backup store aws_s3_bucket.keys (stack s) (kms:encrypt, kms:generatedatakey, kms:generatedatakeywithoutplaintext, ' +
        'kms:generatedatakeypair, kms:generatedatakeypairwithoutplaintext); a key-side KMS key must serve only the principals of its own store',
    );
  });

  it('flags a DB-side principal (by its tag) that a KMS grant lets create grants on the key-side key', () => {
    const m = model([
      's',
      oneStack({
        aws_iam_role: { dbjob: { name: 'db-job', tags: tags('db-backup') } },
        aws_kms_grant: { g: { name: 'g', key_id: '${aws_kms_key.keys.arn}', grantee_principal: '${aws_iam_role.dbjob.arn}', operations: ['CreateGrant'] } },
      }),
    ]);
    const f = rule.check(m);
    expect(f.map((x) => x.address)).toEqual(['aws_iam_role.dbjob']);
    expect(f[0].message).toBe(
      'is tagged custody:role=db-backup, and KMS grant aws_kms_grant.g on key aws_kms_key.keys lets it ' +
        'administer the key of the key-backup store aws_s3_bucket.keys (stack s) (kms:creategrant); a key-side KMS key must serve only the principals of its own store',
    );
  });

  it('passes when the key-side key names only key-side principals', () => {
    const m = model([
      's',
      oneStack({
        aws_iam_role: { keywriter: { name: 'key-writer' } },
        aws_iam_role_policy: { k: { role: '${aws_iam_role.keywriter.id}', policy: policy(allow('s3:PutObject', '${aws_s3_bucket.keys.arn}/*')) } },
        aws_kms_grant: { g: { name: 'g', key_id: '${aws_kms_key.keys.key_id}', grantee_principal: '${aws_iam_role.keywriter.arn}', operations: ['Encrypt', 'GenerateDataKey'] } },
      }),
    ]);
    expect(rule.check(m)).toEqual([]);
  });

  it('reports a principal that decrypts with both keys once, as the decrypt finding', () => {
    const grant = (k: string): Json => ({ name: k, key_id: `\${aws_kms_key.${k}.key_id}`, grantee_principal: '${aws_iam_role.dbwriter.arn}', operations: ['Decrypt'] });
    const f = rule.check(withExtra({ aws_kms_grant: { gk: grant('keys'), gd: grant('db') } }));
    expect(f.map((x) => x.address)).toEqual([WRITER]);
    expect(f[0].message).toContain('can decrypt the key-backup store aws_s3_bucket.keys');
  });
});
