/**
 * Principals the configuration names only by ARN (issue 17, "crossings that no principal in
 * the model holds"): the model registers them wherever a resource or key policy names them,
 * exemptions included, reads what their unseen own policies may give them, and lists what
 * key policies and KMS grants let the principals they name do with a store's key.
 */
import { describe, it, expect } from 'vitest';
import type { CustodyModel } from '../../../lib/model/types';
import { BK, BP, bp, fmtGrant, grantLines, merge, mk, policy, type Json } from '../../fixtures/iam/fixtures';

const ADMIN = 'arn:aws:iam::111111111111:role/admin';
const PINNED: Json = { aws: [{ region: 'eu-central-1', allowed_account_ids: ['111111111111'] }] };
const unseenLines = (m: CustodyModel): string[] => m.unseenGrants.map((g) => fmtGrant(m, g));
const keyUseLines = (m: CustodyModel): string[] =>
  m.keyUses.map((u) => `${m.principalById(u.principal)?.address} ${m.storeById(u.store)?.address} ${u.kind} ${u.actions.join(',')} | ${u.via}`);

/** Deny s3:* on kb to everyone whose ARN is not one of `exempt`. */
const denyAllBut = (...exempt: string[]): Json => ({
  Sid: 'DenyAll',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: ['arn:aws:s3:::kb', 'arn:aws:s3:::kb/*'],
  Condition: { ArnNotLike: { 'aws:PrincipalArn': exempt } },
});

describe('principals named only by ARN', () => {
  it('registers an ARN that a bucket policy names only as an aws:PrincipalArn exemption', () => {
    const m = bp([denyAllBut(ADMIN)], [], {}, undefined, PINNED);
    expect(m.principals.filter((p) => p.kind === 'external').map((p) => [p.address, p.name, p.account])).toEqual([[ADMIN, 'admin', 'acct:111111111111']]);
  });

  it('reads the worse case for its unseen own policies: every store action no Deny removes, in its own account', () => {
    const denyDelete: Json = { Effect: 'Deny', Principal: { AWS: ADMIN }, Action: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:DeleteBucket'], Resource: ['arn:aws:s3:::kb', 'arn:aws:s3:::kb/*'] };
    const m = bp([denyAllBut(ADMIN), denyDelete], [], {}, undefined, PINNED);
    const via = `${BP} (statement DenyAll) exempts it from its Deny; what its own policies allow is not in the configuration`;
    expect(unseenLines(m)).toEqual([`${ADMIN} aws_s3_bucket.k read | ${via}`, `${ADMIN} aws_s3_bucket.k write | ${via}`, `${ADMIN} aws_s3_bucket.k admin | ${via}`]);
    // Not a grant: what it may do depends on policies outside the configuration.
    expect(grantLines(m).filter((l) => l.startsWith(ADMIN))).toEqual([]);
  });

  it('gives an ARN of another account nothing the resource policy does not also allow', () => {
    const foreign = 'arn:aws:iam::999999999999:role/admin';
    const allowGet: Json = { Effect: 'Allow', Principal: { AWS: foreign }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*' };
    expect(unseenLines(bp([denyAllBut(foreign)], [], {}, undefined, PINNED))).toEqual([]);
    // The Allow is a grant of its own (cross-account, the other side's identity policy assumed); nothing more is unseen.
    const m = bp([denyAllBut(foreign), allowGet], [], {}, undefined, PINNED);
    expect(grantLines(m).filter((l) => l.startsWith(foreign))).toEqual([`${foreign} aws_s3_bucket.k read | ${BP}`]);
    expect(unseenLines(m)).toEqual([]);
  });

  it('grants an ARN that an Allow names only in an aws:PrincipalArn condition (it was no principal before)', () => {
    const allowByArn: Json = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*', Condition: { ArnEquals: { 'aws:PrincipalArn': ADMIN } } };
    const m = bp([allowByArn], [], {}, undefined, PINNED);
    expect(grantLines(m).filter((l) => l.startsWith(ADMIN))).toEqual([`${ADMIN} aws_s3_bucket.k read | ${BP}`]);
  });

  it('lists what key policy statements and KMS grants give the principals they name, by use and administration', () => {
    const keyPolicy = policy(
      { Sid: 'Admins', Effect: 'Allow', Principal: { AWS: ADMIN }, Action: ['kms:Put*', 'kms:Create*', 'kms:Describe*'], Resource: '*' },
      { Sid: 'NoGrants', Effect: 'Deny', Principal: { AWS: ADMIN }, Action: 'kms:CreateGrant', Resource: '*' },
    );
    const m = mk(
      merge(BK, {
        aws_iam_role: { w: { name: 'w' } },
        aws_kms_key: { kk: { policy: keyPolicy } },
        aws_s3_bucket_server_side_encryption_configuration: {
          k: { bucket: '${aws_s3_bucket.k.id}', rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.kk.arn}' } }] },
        },
        aws_kms_grant: { g: { name: 'g', key_id: '${aws_kms_key.kk.key_id}', grantee_principal: '${aws_iam_role.w.arn}', operations: ['GenerateDataKey', 'RetireGrant'] } },
      }),
      undefined,
      PINNED,
    );
    expect(keyUseLines(m)).toEqual([
      `${ADMIN} aws_s3_bucket.k admin kms:putkeypolicy | key policy aws_kms_key.kk (statement Admins) on key aws_kms_key.kk`,
      'aws_iam_role.w aws_s3_bucket.k use kms:generatedatakey | KMS grant aws_kms_grant.g on key aws_kms_key.kk',
    ]);
  });
});
