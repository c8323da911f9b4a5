/**
 * KC012 boundaries the main tests leave open: keys written as literals (an alias or a bare id
 * is per account, a full ARN names one key), buckets without a KMS key, and the exact
 * message for a literal key.
 */
import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc012-separate-kms-keys';
import { bucket, doc, findings, tags, type Json } from './kc0xx-fixtures';

const account = (id: string): Json => ({ provider: { aws: [{ region: 'eu-central-1', allowed_account_ids: [id] }] } });
/** A bucket whose SSE-KMS key is the given literal. */
function literalKey(name: string, role: string, kmsKey: string): Json {
  const b = bucket(name, role, { kms: 'none' }) as { resource: Json };
  return doc(b, {
    resource: {
      aws_s3_bucket_server_side_encryption_configuration: {
        [name]: { bucket: `\${aws_s3_bucket.${name}.id}`, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: kmsKey } }] },
      },
    },
  });
}

describe('KC012 literal keys (mutation tests)', () => {
  it('flags the AWS-managed alias shared by both buckets of one account, naming the alias as written', () => {
    const f = findings(rule, ['s', doc(bucket('kb', 'key-backup', { kms: 'aws' }), bucket('db', 'db-backup', { kms: 'aws', tags: tags('db-backup') }))]);
    expect(f.map((x) => [x.address, x.message, x.fix])).toEqual([
      [
        'aws_s3_bucket.kb',
        'key-backup bucket aws_s3_bucket.kb (stack s) and db-backup bucket aws_s3_bucket.db (stack s) both encrypt with KMS key alias/aws/s3',
        'create a separate customer-managed KMS key for aws_s3_bucket.kb and point its SSE-KMS configuration (kms_master_key_id) at it, so that alias/aws/s3 serves the DB backups only',
      ],
    ]);
  });

  it('does not flag one alias used in two different accounts', () => {
    expect(
      findings(
        rule,
        ['keys', doc(account('111111111111'), literalKey('kb', 'key-backup', 'alias/custody'))],
        ['db', doc(account('222222222222'), literalKey('db', 'db-backup', 'alias/custody'))],
      ),
    ).toEqual([]);
  });

  it('flags one full key ARN even across accounts', () => {
    const arn = 'arn:aws:kms:eu-central-1:111111111111:key/0000-1111';
    const f = findings(
      rule,
      ['keys', doc(account('111111111111'), literalKey('kb', 'key-backup', arn))],
      ['db', doc(account('222222222222'), literalKey('db', 'db-backup', arn))],
    );
    expect(f.map((x) => x.message)).toEqual([
      `key-backup bucket aws_s3_bucket.kb (stack keys) and db-backup bucket aws_s3_bucket.db (stack db) both encrypt with KMS key ${arn}`,
    ]);
  });

  it('passes buckets that use no KMS key at all (SSE-S3 or none)', () => {
    expect(findings(rule, ['s', doc(bucket('kb', 'key-backup', { kms: 'aes' }), bucket('db', 'db-backup', { kms: 'none', tags: tags('db-backup') }))])).toEqual([]);
    expect(findings(rule, ['s', doc(bucket('kb', 'key-backup', { kms: 'none' }), bucket('db', 'db-backup', { kms: 'none', tags: tags('db-backup') }))])).toEqual([]);
    expect(findings(rule, ['s', doc(bucket('kb', 'key-backup', { kms: 'aws' }), bucket('db', 'db-backup', { kms: 'none', tags: tags('db-backup') }))])).toEqual([]);
  });

  it('compares key-backup buckets only with db-backup buckets', () => {
    expect(findings(rule, ['s', doc(bucket('kb', 'key-backup', { kms: 'aws' }), bucket('kb2', 'key-backup', { kms: 'aws', tags: tags('key-backup', 'k2') }))])).toEqual([]);
  });
});
