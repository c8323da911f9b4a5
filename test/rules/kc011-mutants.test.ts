/**
 * KC011 message details the main tests leave open: several access levels on one store
 * (`read/write`), the order of the stores named (widest reach first, then by id), the
 * "it also reaches N more" tails on both sides, and the exact fix.
 */
import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc011-no-shared-principal';
import { USER, allow, bucketWithKey, merge, model, oneStack, policy } from '../fixtures/iam/fixtures';

describe('KC011 reach, order and tails (mutation tests)', () => {
  it('names the store with the widest reach first and lists the others on each side', () => {
    const m = model([
      's',
      oneStack(
        merge(
          USER,
          bucketWithKey('akeys', 'acme-a-key-backup', 'key-backup'),
          bucketWithKey('zkeys', 'acme-z-key-backup', 'key-backup'),
          bucketWithKey('db2', 'acme-db2-backup', 'db-backup'),
          {
            aws_iam_user_policy: {
              p: {
                user: 'ops',
                policy: policy(
                  allow('s3:PutObject', ['${aws_s3_bucket.akeys.arn}/*', '${aws_s3_bucket.keys.arn}/*']),
                  allow(['s3:GetObject', 's3:PutObject'], '${aws_s3_bucket.zkeys.arn}/*'),
                  allow('s3:PutObject', ['${aws_s3_bucket.db2.arn}/*', '${aws_s3_bucket.db.arn}/*']),
                ),
              },
            },
          },
        ),
      ),
    ]);
    const f = rule.check(m);
    expect(f.map((x) => x.address)).toEqual(['aws_iam_user.ops']);
    expect(f[0].message).toBe(
      'can read/write key-backup store aws_s3_bucket.zkeys (stack s) via inline policy aws_iam_user_policy.p ' +
        'and write db-backup store aws_s3_bucket.db (stack s) via inline policy aws_iam_user_policy.p' +
        '; it also reaches 2 more key stores (aws_s3_bucket.akeys (stack s), aws_s3_bucket.keys (stack s))' +
        '; it also reaches 1 more DB-backup stores (aws_s3_bucket.db2 (stack s))' +
        '; one credential must never reach both a database backup and a copy of its master key',
    );
    expect(f[0].fix).toBe(
      'give the DB-backup job and the key-backup job separate principals: aws_iam_user.ops may keep access to aws_s3_bucket.zkeys or to aws_s3_bucket.db, not both; ' +
        'remove or narrow what grants the other (inline policy aws_iam_user_policy.p / inline policy aws_iam_user_policy.p), e.g. scope the policy\'s Resource to one bucket ' +
        'instead of a wildcard, drop the broad managed policy or group membership, or stop the principal from assuming the role; and let each bucket policy allow only its designated principals',
    );
  });

  it('counts a key store (Secrets Manager) as the key side', () => {
    const m = model([
      's',
      oneStack(
        merge(USER, {
          aws_secretsmanager_secret: { hot: { name: 'zitadel-master', tags: { 'custody:role': 'key-store', 'custody:key': 'zitadel', 'custody:app': 'zitadel' } } },
          aws_iam_user_policy: { p: { user: 'ops', policy: policy(allow('secretsmanager:GetSecretValue', '${aws_secretsmanager_secret.hot.arn}'), allow('s3:GetObject', '${aws_s3_bucket.db.arn}/*')) } },
        }),
      ),
    ]);
    const f = rule.check(m);
    expect(f.map((x) => x.message.split(' and ')[0])).toEqual(['can read key-store store aws_secretsmanager_secret.hot (stack s) via inline policy aws_iam_user_policy.p']);
  });
});
