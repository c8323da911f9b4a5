import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc013-separate-providers-and-state';
import { at, awsAccount, bucket as bucketOf, doc, findings, s3Backend, stacks, world } from './drill-fixtures';

describe('KC013 key custody and DB backups use different providers and state', () => {
  it('passes for separate stacks, accounts and state keys', () => {
    expect(findings(rule, ...stacks(world()))).toEqual([]);
  });

  it('warns when both stores are in one stack (one state, one provider)', () => {
    const w = world();
    w.keys = doc(w.keys, bucketOf('db', 'db-backup'));
    w.db = {};
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'KC013', severity: 'warning', address: 'keys/aws_s3_bucket.keys' });
    expect(f[0].message).toContain('is a key-backup store managed together with db-backup store aws_s3_bucket.db (stack keys)');
    expect(f[0].message).toContain('same stack keys');
    expect(f[0].message).toContain('same provider configuration aws');
    expect(f[0].fix).toContain('two stacks');
  });

  it('warns about the state only when one stack uses two providers with different identities', () => {
    const w = world();
    w.keys = doc(w.keys, { provider: { aws: [{ region: 'eu-central-1', assume_role: [{ role_arn: 'arn:aws:iam::111111111111:role/terraform' }] }, { alias: 'db', region: 'eu-central-1', assume_role: [{ role_arn: 'arn:aws:iam::222222222222:role/terraform' }] }] } }, bucketOf('db', 'db-backup'));
    at(w.keys, 'resource', 'aws_s3_bucket', 'db').provider = 'aws.db';
    w.db = {};
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('same stack keys');
    expect(f[0].message).not.toContain('account identity');
  });

  it('warns when two stacks act in the same account, naming the provider keys', () => {
    const w = world();
    w.db = doc(w.db, awsAccount('111111111111'));
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('provider aws (stack keys) and provider aws (stack db) resolve to the same account identity "acct:111111111111"');
    expect(f[0].fix).toContain('assume_role.role_arn');
  });

  it('treats providers that pin no identity as one identity', () => {
    const w = world();
    w.keys.provider = { aws: [{ region: 'eu-central-1' }] };
    w.db.provider = { aws: [{ region: 'eu-central-1' }] };
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('same account identity "default"');
  });

  it('warns when two stacks share a state location', () => {
    const w = world();
    w.db = doc(w.db, s3Backend('keys.tfstate'));
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('keep their state in the same place (s3://kc-tfstate/keys.tfstate)');
  });

  it('warns for two local backends with the same absolute path, not for per-stack default paths', () => {
    const w = world();
    w.keys.terraform = { backend: { local: { path: '/srv/state/custody.tfstate' } } };
    w.db.terraform = { backend: { local: { path: '/srv/state/custody.tfstate' } } };
    expect(findings(rule, ...stacks(w))).toHaveLength(1);
    w.keys.terraform = { backend: { local: { path: 'terraform.tfstate' } } };
    w.db.terraform = { backend: { local: { path: 'terraform.tfstate' } } };
    expect(findings(rule, ...stacks(w))).toEqual([]);
  });

  it('warns when both backends are left to terraform init', () => {
    const w = world();
    w.keys.terraform = { backend: { s3: {} } };
    w.db.terraform = { backend: { s3: {} } };
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('separate state cannot be proven');
  });
});
