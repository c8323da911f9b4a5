/**
 * KC014 with exact messages and fixes: backends (s3, gcs) whose literal bucket is, or may
 * be, a custody bucket (several at once), remote-state data sources by literal, reference
 * or expression, and what is never compared (no custody buckets, stores named by a
 * variable, backends without a literal bucket).
 */
import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc014-state-not-in-custody-bucket';
import { doc, manifest, model, tags, type Json } from './kc0xx-fixtures';

const rows = (...stacks: [string, Json][]) => rule.check(model(...stacks)).map((v) => [`${v.stack}/${v.address}`, v.message, v.fix]);
const check = (...parts: Json[]) => rows(['s', doc(...parts)]);
const b = (name: string, role: string, body: Json): Json => ({ resource: { aws_s3_bucket: { [name]: { ...body, tags: tags(role) } } } });
const backend = (type: string, config: Json): Json => ({ terraform: { backend: { [type]: config } } });
const remote = (name: string, body: Json): Json => ({ data: { terraform_remote_state: { [name]: body } } });

const FIX = 'keep Terraform state in a dedicated state bucket that is neither a DB-backup nor a key-backup bucket';
const GEN = 'kc-key-0123456789abcdef0123456789';

describe('KC014 (mutation tests)', () => {
  it('a dedicated state bucket, or no custody bucket at all, gives nothing', () => {
    expect(check(backend('s3', { bucket: 'kc-state', key: 'k' }), b('kb', 'key-backup', { bucket: 'kc-keys' }), remote('r', { backend: 's3', config: { bucket: 'kc-state' } }))).toEqual([]);
    expect(check(backend('s3', { bucket: 'kc-keys', key: 'k' }), remote('r', { backend: 's3', config: { bucket: '${var.b}' } }), { resource: { aws_s3_bucket: { plain: { bucket: 'kc-keys' } } } })).toEqual([]);
  });

  it('a backend bucket that is a custody bucket (s3 or gcs); several matches are joined', () => {
    expect(check(backend('s3', { bucket: 'kc-keys', key: 'k' }), b('kb', 'key-backup', { bucket: 'kc-keys' }), b('db', 'db-backup', { bucket: 'kc-db' }))).toEqual([
      ['s/terraform.backend', 's3 backend stores the state in bucket "kc-keys", which is the key-backup bucket aws_s3_bucket.kb', `${FIX}: change \`terraform.backend.s3.bucket\` to a state bucket of its own`],
    ]);
    expect(check(backend('gcs', { bucket: 'shared' }), b('kb', 'key-backup', { bucket: 'shared' }), b('db', 'db-backup', { bucket: 'arn:aws:s3:::shared' }))).toEqual([
      [
        's/terraform.backend',
        'gcs backend stores the state in bucket "shared", which is the key-backup bucket aws_s3_bucket.kb and is the db-backup bucket aws_s3_bucket.db',
        `${FIX}: change \`terraform.backend.gcs.bucket\` to a state bucket of its own`,
      ],
    ]);
  });

  it('a backend bucket of the generated shape may be a prefixed custody bucket; names the stack when several', () => {
    expect(rows(['app', doc(backend('s3', { bucket: GEN, key: 'k' }))], ['keys', doc(b('kb', 'key-backup', { bucket_prefix: 'kc-key-' }))])).toEqual([
      [
        'app/terraform.backend',
        `s3 backend stores the state in bucket "${GEN}", which may be the key-backup bucket aws_s3_bucket.kb (stack keys), whose name is generated from prefix "kc-key-"`,
        `${FIX}: change \`terraform.backend.s3.bucket\` to a state bucket of its own`,
      ],
    ]);
    expect(check(backend('s3', { bucket: 'kc-key-state', key: 'k' }), b('kb', 'key-backup', { bucket_prefix: 'kc-key-' }))).toEqual([]);
  });

  it('backends without a literal bucket, and custody buckets named by a variable, are not compared', () => {
    expect(check(backend('s3', { bucket: '${var.state}', key: 'k' }), b('kb', 'key-backup', { bucket: 'kc-keys' }))).toEqual([]);
    expect(check(backend('local', { path: 'kc-keys' }), b('kb', 'key-backup', { bucket: 'kc-keys' }))).toEqual([]);
    expect(
      check(backend('s3', { bucket: 'kc-keys', key: 'k' }), { data: { aws_s3_bucket: { adopted: { bucket: '${var.b}' } } } }, manifest([], { adoptedStores: [{ address: 'data.aws_s3_bucket.adopted', role: 'key-backup' }] })),
    ).toEqual([]);
  });

  it('remote state read from a custody bucket, by literal or reference; from an expression; other backends and missing buckets are fine', () => {
    expect(
      check(
        b('kb', 'key-backup', { bucket: 'kc-keys' }),
        remote('lit', { backend: 's3', config: { bucket: 'arn:aws:s3:::kc-keys', key: 'x' } }),
        remote('ref', { backend: 's3', config: [{ bucket: '${aws_s3_bucket.kb.id}' }] }),
        remote('expr', { backend: 's3', config: { bucket: '${var.state}' } }),
        remote('other', { backend: 's3', config: { bucket: 'kc-state' } }),
        remote('gcs', { backend: 'gcs', config: { bucket: 'kc-keys' } }),
        remote('none', { backend: 's3', config: { key: 'x' } }),
        remote('noConfig', { backend: 's3' }),
        remote('num', { backend: 's3', config: { bucket: 7 } }),
      ),
    ).toEqual([
      [
        's/data.terraform_remote_state.lit',
        'reads Terraform state from bucket "kc-keys", which is the key-backup bucket aws_s3_bucket.kb: state would be kept in a custody bucket',
        `${FIX}, and point \`config.bucket\` at it`,
      ],
      [
        's/data.terraform_remote_state.ref',
        'reads Terraform state from bucket "kc-keys", which is the key-backup bucket aws_s3_bucket.kb: state would be kept in a custody bucket',
        `${FIX}, and point \`config.bucket\` at it`,
      ],
      [
        's/data.terraform_remote_state.expr',
        'reads Terraform state from bucket `${var.state}`, which is only known at plan time and cannot be proven not to be a custody bucket',
        'give `config.bucket` the literal name of the dedicated state bucket',
      ],
    ]);
  });

  it('remote state of a generated-shape name may be a prefixed bucket', () => {
    expect(check(b('kb', 'key-backup', { bucket_prefix: 'kc-key-' }), remote('r', { backend: 's3', config: { bucket: GEN } })).map((r) => r[1])).toEqual([
      `reads Terraform state from bucket "${GEN}", which may be the key-backup bucket aws_s3_bucket.kb, whose name is generated from prefix "kc-key-": state would be kept in a custody bucket`,
    ]);
  });
});
