/**
 * lib/model/settings.ts on its own: what readStoreSettings reads off a bucket and its
 * companion resources (versioning, Object Lock days/years, public access block, SSE-KMS and
 * its key, ownership, lifecycle expirations, TLS-only and delete-deny policy statements),
 * legacy inline blocks, KMS key ids through aliases, and bucket names of expressions.
 */
import { describe, expect, it } from 'vitest';
import { ModelContext } from '../../lib/model/context';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';
import { bucketNameOf, kmsKeyId, readStoreSettings } from '../../lib/model/settings';

type Json = Record<string, unknown>;
const ref = '${aws_s3_bucket.b.id}';
function settings(resource: Json, data: Json = {}) {
  const ctx = new ModelContext([loadTerraformJson('s', { resource, data })]);
  return readStoreSettings(ctx, ctx.resource('s', 'aws_s3_bucket.b')!);
}
const policy = (...Statement: Json[]) => JSON.stringify({ Version: '2012-10-17', Statement });

describe('readStoreSettings', () => {
  it('a bare bucket: nothing on, kept forever', () => {
    expect(settings({ aws_s3_bucket: { b: { bucket: 'kc-b' } } })).toEqual({
      versioning: false,
      objectLock: { enabled: false, mode: undefined, days: undefined },
      publicAccessBlock: false,
      tlsOnly: false,
      sseKms: false,
      kmsKey: undefined,
      ownerEnforced: false,
      currentExpirationDays: undefined,
      noncurrentExpirationDays: undefined,
      denyDeleteToWriters: false,
      companions: {},
    });
  });

  it('reads every companion resource and names the first of each type', () => {
    const s = settings({
      aws_s3_bucket: { b: { bucket: 'kc-b', object_lock_enabled: true } },
      aws_kms_key: { k: { enable_key_rotation: true } },
      aws_s3_bucket_versioning: { v: { bucket: ref, versioning_configuration: { status: 'Enabled' } }, v2: { bucket: ref, versioning_configuration: { status: 'Suspended' } } },
      aws_s3_bucket_object_lock_configuration: { l: { bucket: 'kc-b', rule: { default_retention: { mode: 'COMPLIANCE', years: 2 } } } },
      aws_s3_bucket_public_access_block: { p: { bucket: ref, block_public_acls: true, block_public_policy: 'true', ignore_public_acls: true, restrict_public_buckets: true } },
      aws_s3_bucket_server_side_encryption_configuration: { e: { bucket: ref, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms:dsse', kms_master_key_id: '${aws_kms_key.k.arn}' } }] } },
      aws_s3_bucket_ownership_controls: { o: { bucket: ref, rule: { object_ownership: 'BucketOwnerEnforced' } } },
      aws_s3_bucket_lifecycle_configuration: {
        lc: {
          bucket: ref,
          rule: [
            { id: 'a', status: 'Enabled', expiration: { days: 400 }, noncurrent_version_expiration: { noncurrent_days: 90 } },
            { id: 'b', status: 'Enabled', expiration: { days: 365 }, noncurrent_version_expiration: { noncurrent_days: 120 } },
            { id: 'off', status: 'Disabled', expiration: { days: 1 }, noncurrent_version_expiration: { noncurrent_days: 1 } },
          ],
        },
      },
      aws_s3_bucket_policy: {
        pol: {
          bucket: ref,
          policy: policy(
            { Sid: 'Tls', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
            { Sid: 'NoDel', Effect: 'Deny', Principal: '*', Action: ['s3:DeleteObjectVersion'], Resource: '*' },
          ),
        },
      },
    });
    expect(s).toEqual({
      versioning: true,
      objectLock: { enabled: true, mode: 'COMPLIANCE', days: 730 },
      publicAccessBlock: true,
      tlsOnly: true,
      sseKms: true,
      kmsKey: 's\u0000aws_kms_key.k',
      ownerEnforced: true,
      currentExpirationDays: 365,
      noncurrentExpirationDays: 90,
      denyDeleteToWriters: true,
      companions: {
        aws_s3_bucket_versioning: 'aws_s3_bucket_versioning.v',
        aws_s3_bucket_object_lock_configuration: 'aws_s3_bucket_object_lock_configuration.l',
        aws_s3_bucket_public_access_block: 'aws_s3_bucket_public_access_block.p',
        aws_s3_bucket_server_side_encryption_configuration: 'aws_s3_bucket_server_side_encryption_configuration.e',
        aws_s3_bucket_ownership_controls: 'aws_s3_bucket_ownership_controls.o',
        aws_s3_bucket_lifecycle_configuration: 'aws_s3_bucket_lifecycle_configuration.lc',
        aws_s3_bucket_policy: 'aws_s3_bucket_policy.pol',
      },
    });
  });

  it('versioning: a non-literal status is unknown, Suspended is off; the inline block counts without a resource', () => {
    expect(settings({ aws_s3_bucket: { b: {} }, aws_s3_bucket_versioning: { v: { bucket: ref, versioning_configuration: { status: '${var.s}' } } } }).versioning).toBeUndefined();
    expect(settings({ aws_s3_bucket: { b: {} }, aws_s3_bucket_versioning: { v: { bucket: ref, versioning_configuration: { status: 'Suspended' } } } }).versioning).toBe(false);
    expect(settings({ aws_s3_bucket: { b: { versioning: { enabled: true } } } }).versioning).toBe(true);
    expect(settings({ aws_s3_bucket: { b: { versioning: [{ enabled: '${var.v}' }] } } }).versioning).toBeUndefined();
    expect(
      settings({ aws_s3_bucket: { b: { versioning: { enabled: false } } }, aws_s3_bucket_versioning: { v: { bucket: ref, versioning_configuration: { status: 'Enabled' } } } }).versioning,
    ).toBe(true);
  });

  it('Object Lock from the legacy inline configuration, with days winning over years', () => {
    const s = settings({ aws_s3_bucket: { b: { object_lock_configuration: { object_lock_enabled: 'Enabled', rule: { default_retention: { mode: 'GOVERNANCE', days: 30, years: 5 } } } } } });
    expect(s.objectLock).toEqual({ enabled: true, mode: 'GOVERNANCE', days: 30 });
    expect(settings({ aws_s3_bucket: { b: { object_lock_configuration: { object_lock_enabled: 'Disabled' } } } }).objectLock?.enabled).toBe(false);
    expect(settings({ aws_s3_bucket: { b: { object_lock_enabled: 'false', object_lock_configuration: { object_lock_enabled: 'Enabled' } } } }).objectLock?.enabled).toBe(false);
  });

  it('public access block needs all four switches literally true', () => {
    const pab = (over: Json) => settings({ aws_s3_bucket: { b: {} }, aws_s3_bucket_public_access_block: { p: { bucket: ref, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true, ...over } } });
    expect(pab({}).publicAccessBlock).toBe(true);
    for (const k of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets']) expect(pab({ [k]: '${var.x}' }).publicAccessBlock, k).toBe(false);
  });

  it('SSE: AES256 is not KMS; aws:kms without a key id has no key; the legacy inline rule counts', () => {
    const sse = (byDefault: Json) => settings({ aws_s3_bucket: { b: {} }, aws_s3_bucket_server_side_encryption_configuration: { e: { bucket: ref, rule: { apply_server_side_encryption_by_default: byDefault } } } });
    expect(sse({ sse_algorithm: 'AES256', kms_master_key_id: 'arn:aws:kms:eu:1:key/x' })).toMatchObject({ sseKms: false, kmsKey: undefined });
    expect(sse({ sse_algorithm: 'aws:kms' })).toMatchObject({ sseKms: true, kmsKey: undefined });
    expect(sse({ sse_algorithm: 'aws:kms', kms_master_key_id: 'arn:aws:kms:eu:1:key/x' })).toMatchObject({ sseKms: true, kmsKey: 'arn:aws:kms:eu:1:key/x' });
    const inline = settings({ aws_s3_bucket: { b: { server_side_encryption_configuration: { rule: { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: 'alias/k' } } } } } });
    expect(inline).toMatchObject({ sseKms: true, kmsKey: 'alias/k' });
  });

  it('ownership other than BucketOwnerEnforced is not enforced', () => {
    expect(settings({ aws_s3_bucket: { b: {} }, aws_s3_bucket_ownership_controls: { o: { bucket: ref, rule: { object_ownership: 'ObjectWriter' } } } }).ownerEnforced).toBe(false);
  });

  it('lifecycle: disabled rules and enabled = false are skipped; noncurrent days may be written as days; legacy lifecycle_rule counts', () => {
    const s = settings({
      aws_s3_bucket: { b: {} },
      aws_s3_bucket_lifecycle_configuration: {
        lc: {
          bucket: ref,
          rule: [
            { status: 'Enabled', enabled: false, expiration: { days: 1 } },
            { expiration: { days: '200' }, noncurrent_version_expiration: { days: 60 } },
            { status: '${var.s}', expiration: { days: 100 } },
          ],
        },
      },
    });
    expect([s.currentExpirationDays, s.noncurrentExpirationDays]).toEqual([100, 60]);
    const legacy = settings({ aws_s3_bucket: { b: { lifecycle_rule: [{ enabled: true, expiration: { days: 30 } }, { enabled: 'false', expiration: { days: 7 } }] } } });
    expect([legacy.currentExpirationDays, legacy.noncurrentExpirationDays]).toEqual([30, undefined]);
  });

  it('policy statements: TLS deny needs Bool aws:SecureTransport false; delete deny needs a delete action and is not the TLS statement', () => {
    const pol = (...st: Json[]) => settings({ aws_s3_bucket: { b: { policy: policy(...st) } } });
    const tls = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
    expect(pol(tls)).toMatchObject({ tlsOnly: true, denyDeleteToWriters: false, companions: { aws_s3_bucket_policy: 'aws_s3_bucket.b' } });
    expect(pol({ ...tls, Effect: 'Allow' }).tlsOnly).toBe(false);
    expect(pol({ ...tls, Condition: { Bool: { 'aws:SecureTransport': 'true' } } })).toMatchObject({ tlsOnly: false, denyDeleteToWriters: true });
    expect(pol({ ...tls, Condition: { StringEquals: { 'aws:SecureTransport': 'false' } } }).tlsOnly).toBe(false);
    expect(pol({ ...tls, Condition: { Bool: { 'aws:SourceIp': 'false' } } }).tlsOnly).toBe(false);
    expect(pol({ ...tls, Condition: { Bool: { 'aws:SecureTransport': [false] } } }).tlsOnly).toBe(true);
    for (const Action of ['s3:DeleteObject', 's3:deleteobjectversion', 's3:Delete*', 's3:*']) expect(pol({ Effect: 'Deny', Principal: '*', Action, Resource: '*' }).denyDeleteToWriters, Action).toBe(true);
    for (const Action of ['s3:PutObject', 's3:DeleteBucket']) expect(pol({ Effect: 'Deny', Principal: '*', Action, Resource: '*' }).denyDeleteToWriters, Action).toBe(false);
    expect(pol({ Effect: 'Allow', Principal: '*', Action: 's3:DeleteObject', Resource: '*' }).denyDeleteToWriters).toBe(false);
  });

  it('a non-bucket store reads only its KMS key', () => {
    const ctx = new ModelContext([loadTerraformJson('s', { resource: { aws_secretsmanager_secret: { k: { kms_key_id: 'arn:aws:kms:eu:1:key/x' }, n: {} } } })]);
    expect(readStoreSettings(ctx, ctx.resource('s', 'aws_secretsmanager_secret.k')!)).toEqual({ sseKms: true, kmsKey: 'arn:aws:kms:eu:1:key/x', companions: {} });
    expect(readStoreSettings(ctx, ctx.resource('s', 'aws_secretsmanager_secret.n')!)).toEqual({ sseKms: false, kmsKey: undefined, companions: {} });
  });
});

describe('kmsKeyId and bucketNameOf', () => {
  const ctx = new ModelContext([
    loadTerraformJson('s', {
      resource: {
        aws_kms_key: { k: {} },
        aws_kms_alias: { a: { name: 'alias/custody', target_key_id: '${aws_kms_key.k.key_id}' }, dangling: { name: 'alias/none', target_key_id: 'abc' } },
        aws_s3_bucket: { b: { bucket: 'kc-b' }, g: {} },
      },
    }),
  ]);
  it('maps managed keys, aliases (by reference, name or ARN) to the key, and keeps other literals', () => {
    expect(kmsKeyId(ctx, 's', '${aws_kms_key.k.arn}')).toBe('s\u0000aws_kms_key.k');
    expect(kmsKeyId(ctx, 's', '${aws_kms_alias.a.arn}')).toBe('s\u0000aws_kms_key.k');
    expect(kmsKeyId(ctx, 's', 'alias/custody')).toBe('s\u0000aws_kms_key.k');
    expect(kmsKeyId(ctx, 's', 'arn:aws:kms:eu-central-1:111111111111:alias/custody')).toBe('s\u0000aws_kms_key.k');
    expect(kmsKeyId(ctx, 's', 'alias/custody2')).toBe('alias/custody2');
    expect(kmsKeyId(ctx, 's', 'alias/none')).toBe('alias/none');
    expect(kmsKeyId(ctx, 's', '${aws_kms_alias.dangling.arn}')).toBeUndefined();
    expect(kmsKeyId(ctx, 's', '${var.k}')).toBeUndefined();
    expect(kmsKeyId(ctx, 's', '')).toBeUndefined();
  });
  it('bucketNameOf reads literals, references to named buckets and the first string of a list', () => {
    expect(bucketNameOf(ctx, 's', 'kc-x')).toBe('kc-x');
    expect(bucketNameOf(ctx, 's', '${aws_s3_bucket.b.id}')).toBe('kc-b');
    expect(bucketNameOf(ctx, 's', '${aws_s3_bucket.g.id}')).toBeUndefined();
    expect(bucketNameOf(ctx, 's', '${aws_s3_bucket.none.id}')).toBe('${aws_s3_bucket.none.id}');
    expect(bucketNameOf(ctx, 's', ['a', 'b'])).toBe('a');
    expect(bucketNameOf(ctx, 's', 1)).toBeUndefined();
  });
});
