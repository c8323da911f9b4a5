/**
 * The rule on whole configurations first, then the exact-output tests.
 * KC014 with exact messages and fixes: backends (s3, gcs) whose literal bucket is, or may
 * be, a custody bucket (several at once), remote-state data sources by literal, reference
 * or expression, and what is never compared (no custody buckets, stores named by a
 * variable, backends without a literal bucket).
 */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../lib/model/build';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';
import { runRules } from '../../lib/rules/engine';
import { rule } from '../../lib/rules/kc014-state-not-in-custody-bucket';
import { at, doc, findings, manifestInput, s3Backend, stacks, world } from './drill-fixtures';
import { manifest, model, tags, type Json } from './kc0xx-fixtures';

const remoteState = (config: Record<string, unknown>, backend = 's3') => ({ data: { terraform_remote_state: { shared: { backend, config } } } });

describe('KC014 Terraform state is not stored in a custody bucket', () => {
  it('passes when every stack keeps its state in a dedicated state bucket', () => {
    expect(findings(rule, ...stacks(world()))).toEqual([]);
  });

  it('fails when a stack backend stores state in the key-backup bucket', () => {
    const w = world();
    w.keys = doc(w.keys, s3Backend('keys.tfstate', 'kc-keys'));
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'KC014', severity: 'error', address: 'keys/terraform.backend', stack: 'keys' });
    expect(f[0].message).toBe('s3 backend stores the state in bucket "kc-keys", which is the key-backup bucket aws_s3_bucket.keys (stack keys)');
    expect(f[0].fix).toContain('terraform.backend.s3.bucket');
  });

  it('fails when another stack stores its state in the DB-backup bucket', () => {
    const w = world();
    w.app = doc(w.app, s3Backend('app.tfstate', 'kc-db'));
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['app/terraform.backend']);
    expect(f[0].message).toContain('db-backup bucket aws_s3_bucket.db (stack db)');
  });

  it('checks other backends that name a bucket', () => {
    const w = world();
    w.app.terraform = { backend: { gcs: { bucket: 'kc-db', prefix: 'app' } } };
    expect(findings(rule, ...stacks(w)).map((x) => x.address)).toEqual(['app/terraform.backend']);
  });

  it('reports a state bucket that may be the bucket generated from a custody prefix', () => {
    const w = world();
    const keys = at(w.keys, 'resource', 'aws_s3_bucket', 'keys');
    delete keys.bucket;
    keys.bucket_prefix = 'kc-key-';
    w.app = doc(w.app, s3Backend('app.tfstate', 'kc-key-20250101120000000000000001'));
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['app/terraform.backend']);
    expect(f[0].message).toContain('which may be the key-backup bucket aws_s3_bucket.keys (stack keys), whose name is generated from prefix "kc-key-"');

    w.app = doc(w.app, s3Backend('app.tfstate', 'kc-key-state'));
    expect(findings(rule, ...stacks(w))).toEqual([]);
  });

  it('fails for a terraform_remote_state reading from a custody bucket', () => {
    const w = world();
    w.drill = doc(w.drill, remoteState({ bucket: 'kc-keys', key: 'keys.tfstate', region: 'eu-central-1' }));
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['drill/data.terraform_remote_state.shared']);
    expect(f[0].message).toContain('reads Terraform state from bucket "kc-keys", which is the key-backup bucket aws_s3_bucket.keys (stack keys)');
  });

  it('follows a reference in the remote state config', () => {
    const w = world();
    w.keys = doc(w.keys, remoteState({ bucket: '${aws_s3_bucket.keys.id}', key: 'x.tfstate' }));
    expect(findings(rule, ...stacks(w)).map((x) => x.address)).toEqual(['keys/data.terraform_remote_state.shared']);
  });

  it('reports a remote state bucket only known at plan time', () => {
    const w = world();
    w.drill = doc(w.drill, remoteState({ bucket: '${var.state_bucket}', key: 'x.tfstate' }));
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['drill/data.terraform_remote_state.shared']);
    expect(f[0].message).toContain('only known at plan time');
  });

  it('ignores remote state of other backends and remote state in the state bucket', () => {
    const w = world();
    w.drill = doc(w.drill, remoteState({ path: '../keys/terraform.tfstate' }, 'local'));
    w.app = doc(w.app, { data: { terraform_remote_state: { keys: { backend: 's3', config: { bucket: 'kc-tfstate', key: 'keys.tfstate' } } } } });
    expect(findings(rule, ...stacks(w))).toEqual([]);
  });

  it('can be suppressed with a reason, an owner and an expiry', () => {
    const w = world();
    w.keys = doc(w.keys, s3Backend('keys.tfstate', 'kc-keys'));
    w.keys = doc(w.keys, { resource: { terraform_data: { custody_manifest: { input: { ...manifestInput(w), suppressions: [{ id: 'KC014', reason: 'bootstrap state, moved next sprint', owner: 'platform-team', expires: '2026-06-30', scope: 'terraform.backend' }] } } } } });
    const result = runRules(buildModel(stacks(w).map(([n, j]) => loadTerraformJson(n, j))), [rule], { today: '2026-01-01' });
    expect(result.findings.filter((f) => f.ruleId === 'KC014').map((f) => f.suppressed)).toEqual([true]);
  });
});

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
