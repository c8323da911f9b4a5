/**
 * KC015 with exact messages: a cdktf cross-stack reference (the drill host reading both bucket
 * stacks, as the examples did before issue 19), a hand-written remote state of the other side,
 * a remote state kept in another side's state bucket, one whose bucket is only known at plan
 * time, and what passes (no remote state, a read within one side, a state bucket of its own).
 */
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../lib/rules';
import { rule } from '../../lib/rules/kc015-no-state-across-custody';
import { doc, findings, s3Backend, stacks, world, type Json } from './drill-fixtures';

const remote = (name: string, backend: string, config: Json): Json => ({ data: { terraform_remote_state: { [name]: { backend, config } } } });
/** Every stack keeps its state in a state bucket of its own account. */
function separateStateBuckets() {
  const w = world();
  w.app = doc(w.app, s3Backend('app.tfstate', 'kc-tfstate-app'));
  w.keys = doc(w.keys, s3Backend('keys.tfstate', 'kc-tfstate-111111111111'));
  w.db = doc(w.db, s3Backend('db.tfstate', 'kc-tfstate-222222222222'));
  w.drill = doc(w.drill, s3Backend('drill.tfstate', 'kc-tfstate-333333333333'));
  return w;
}

describe('KC015 no stack reads the Terraform state of another custody side', () => {
  it('is an unsuppressible error in the catalogue', () => {
    expect(rule).toMatchObject({ id: 'KC015', severity: 'error', suppressible: false });
    expect(ALL_RULES.map((r) => r.id)).toContain('KC015');
  });

  it('passes when no stack reads another stack\'s state', () => {
    expect(findings(rule, ...stacks(separateStateBuckets()))).toEqual([]);
  });

  it('fails for the cdktf cross-stack references of a drill host reading both bucket stacks', () => {
    const w = separateStateBuckets();
    // What cdktf synthesized for the drill host of the examples before issue 19.
    w.drill = doc(
      w.drill,
      remote('cross-stack-reference-input-keys', 'local', { path: 'terraform.keys.tfstate' }),
      remote('cross-stack-reference-input-db', 'local', { path: 'terraform.db.tfstate' }),
    );
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => [x.address, x.severity, x.suppressed])).toEqual([
      ['drill/data.terraform_remote_state.cross-stack-reference-input-db', 'error', false],
      ['drill/data.terraform_remote_state.cross-stack-reference-input-keys', 'error', false],
    ]);
    expect(f[1].message).toBe(
      'reads the Terraform state of stack keys, which holds the key-backup store aws_s3_bucket.keys (stack keys) (key custody side): ' +
        'stack drill is on no custody side, so whoever plans it needs state-read credentials across a custody line',
    );
    expect(f[0].message).toBe(
      'reads the Terraform state of stack db, which holds the db-backup store aws_s3_bucket.db (stack db) (DB-backup side): ' +
        'stack drill is on no custody side, so whoever plans it needs state-read credentials across a custody line',
    );
    expect(f[0].fix).toContain('plain configuration');
  });

  it('fails for a hand-written remote state of the other side, found by its state location', () => {
    const w = separateStateBuckets();
    w.db = doc(w.db, remote('keys', 's3', { bucket: 'kc-tfstate-111111111111', key: 'keys.tfstate', region: 'eu-central-1' }));
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['db/data.terraform_remote_state.keys']);
    expect(f[0].message).toBe(
      'reads the Terraform state of stack keys, which holds the key-backup store aws_s3_bucket.keys (stack keys) (key custody side): ' +
        'stack db is on the DB-backup side, so whoever plans it needs state-read credentials across a custody line',
    );
  });

  it('fails for any object of another side\'s state bucket, whatever the key', () => {
    const w = separateStateBuckets();
    w.app = doc(w.app, remote('published', 's3', { bucket: 'kc-tfstate-222222222222', key: 'published/outputs.tfstate', region: 'eu-central-1' }));
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['app/data.terraform_remote_state.published']);
    expect(f[0].message).toContain('reads from state bucket "kc-tfstate-222222222222", where stack db keeps its state, which holds the db-backup store aws_s3_bucket.db (stack db) (DB-backup side)');
  });

  it('fails for a state bucket only known at plan time', () => {
    const w = separateStateBuckets();
    w.drill = doc(w.drill, { variable: { state_bucket: { type: 'string' } } }, remote('other', 's3', { bucket: '${var.state_bucket}', key: 'x.tfstate', region: 'eu-central-1' }));
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['drill/data.terraform_remote_state.other']);
    expect(f[0].message).toContain('reads state from a bucket only known at plan time (`${var.state_bucket}`)');
  });

  it('passes for a read within one custody side and for a state bucket of a stack on no side', () => {
    const w = separateStateBuckets();
    // The key-custody stack reads the app stack's state: the app stack holds the key-store (key side).
    w.keys = doc(w.keys, remote('cross-stack-reference-input-app', 's3', { bucket: 'kc-tfstate-app', key: 'app.tfstate', region: 'eu-central-1' }));
    // The app stack reads the drill stack's state, which holds no custody store.
    w.app = doc(w.app, remote('cross-stack-reference-input-drill', 's3', { bucket: 'kc-tfstate-333333333333', key: 'drill.tfstate', region: 'eu-central-1' }));
    expect(findings(rule, ...stacks(w))).toEqual([]);
  });

  it('cannot be suppressed', () => {
    const w = separateStateBuckets();
    w.drill = doc(w.drill, remote('cross-stack-reference-input-db', 'local', { path: 'terraform.db.tfstate' }));
    const m = w.app as { resource: { terraform_data: { custody_manifest: { input: { suppressions: Json[] } } } } };
    m.resource.terraform_data.custody_manifest.input.suppressions.push({
      ruleId: 'KC015',
      address: 'drill/data.terraform_remote_state.cross-stack-reference-input-db',
      reason: 'the drill needs the bucket name',
      owner: 'ops',
      expires: '2027-01-01',
    });
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0].suppressed).toBe(false);
  });
});
