import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc014-state-not-in-custody-bucket';
import { runRules } from '../../lib/rules/engine';
import { buildModel } from '../../lib/model/build';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';
import { at, doc, findings, manifestInput, s3Backend, stacks, world } from './drill-fixtures';

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

  it('can be suppressed with a reason', () => {
    const w = world();
    w.keys = doc(w.keys, s3Backend('keys.tfstate', 'kc-keys'));
    w.keys = doc(w.keys, { resource: { terraform_data: { custody_manifest: { input: { ...manifestInput(w), suppressions: [{ id: 'KC014', reason: 'bootstrap state, moved next sprint', scope: 'terraform.backend' }] } } } } });
    const result = runRules(buildModel(stacks(w).map(([n, j]) => loadTerraformJson(n, j))), [rule], { today: '2026-01-01' });
    expect(result.findings.filter((f) => f.ruleId === 'KC014').map((f) => f.suppressed)).toEqual([true]);
  });
});
