/**
 * The rule on whole configurations first, then the exact-output tests.
 * KC013 with exact messages and fixes: one stack (with one provider configuration, two
 * of one account, two of different accounts), two stacks in one account, shared or
 * unwritten state, and the grouping by stack/provider/account: two DB stores behind one
 * provider, several key stores, and results in model order of the DB stores.
 */
import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc013-separate-providers-and-state';
import { at, awsAccount, bucket as bucketOf, doc, findings, s3Backend, stacks, world } from './drill-fixtures';
import { model, tags, type Json } from './kc0xx-fixtures';

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

type Row = [string, string, string | undefined];
const rows = (...stacks: [string, Json][]): Row[] => rule.check(model(...stacks)).map((v) => [`${v.stack}/${v.address}`, v.message, v.fix]);
const b = (name: string, role: string, extra: Json = {}): Json => ({ resource: { aws_s3_bucket: { [name]: { bucket: `kc-${name}`, tags: tags(role), ...extra } } } });
const acct = (id: string, alias?: string): Json => ({ region: 'eu-central-1', allowed_account_ids: [id], ...(alias ? { alias } : {}) });
const providers = (...ps: Json[]): Json => ({ provider: { aws: ps } });
const s3State = (key: string, bucket = 'state'): Json => ({ terraform: { backend: { s3: { bucket, key } } } });

const SAME_STACK = (s: string) => `it lives in the same stack ${s}, so one Terraform state (and whoever can apply it) holds both`;
const STACK_FIX = 'move the key custody resources and the DB-backup resources into two stacks with their own backends';
const ACCT_FIX = (a: string, b2: string) =>
  `configure the two providers with different identities: set \`assume_role.role_arn\` (or \`allowed_account_ids\`) of ${a} and ${b2} to different roles in different accounts`;

describe('KC013 (mutation tests)', () => {
  it('nothing without both sides, or with separate stacks, accounts and state', () => {
    expect(rows(['s', doc(b('kb', 'key-backup'), b('ks', 'key-store'))])).toEqual([]);
    expect(rows(['s', doc(b('db', 'db-backup'))])).toEqual([]);
    expect(rows(['k', doc(providers(acct('111111111111')), s3State('k'), b('kb', 'key-backup'))], ['d', doc(providers(acct('222222222222')), s3State('d'), b('db', 'db-backup'))])).toEqual([]);
  });

  it('one stack, one provider configuration', () => {
    expect(rows(['s', doc(b('kb', 'key-backup'), b('db', 'db-backup'))])).toEqual([
      [
        's/aws_s3_bucket.kb',
        `is a key-backup store managed together with db-backup store aws_s3_bucket.db: ${SAME_STACK('s')}; both are managed through the same provider configuration aws`,
        `${STACK_FIX}; ${ACCT_FIX('aws', 'aws')}`,
      ],
    ]);
  });

  it('one stack, two provider configurations of one account, or of two accounts', () => {
    const sameAcct = doc(providers(acct('111111111111'), acct('111111111111', 'db')), b('kb', 'key-store'), b('db', 'db-backup', { provider: 'aws.db' }));
    expect(rows(['s', sameAcct])).toEqual([
      [
        's/aws_s3_bucket.kb',
        `is a key-store store managed together with db-backup store aws_s3_bucket.db: ${SAME_STACK('s')}; provider aws and provider aws.db resolve to the same account identity "acct:111111111111"`,
        `${STACK_FIX}; ${ACCT_FIX('aws', 'aws.db')}`,
      ],
    ]);
    const twoAccts = doc(providers(acct('111111111111'), acct('222222222222', 'db')), b('kb', 'key-backup'), b('db', 'db-backup', { provider: 'aws.db' }));
    expect(rows(['s', twoAccts])).toEqual([['s/aws_s3_bucket.kb', `is a key-backup store managed together with db-backup store aws_s3_bucket.db: ${SAME_STACK('s')}`, STACK_FIX]]);
  });

  it('two stacks in one account name the stacks of the providers', () => {
    expect(rows(['k', doc(providers(acct('111111111111')), s3State('k'), b('kb', 'key-backup'))], ['d', doc(providers(acct('111111111111')), s3State('d'), b('db', 'db-backup'))])).toEqual([
      [
        'k/aws_s3_bucket.kb',
        'is a key-backup store managed together with db-backup store aws_s3_bucket.db (stack d): provider aws (stack k) and provider aws (stack d) resolve to the same account identity "acct:111111111111"',
        ACCT_FIX('aws', 'aws'),
      ],
    ]);
  });

  it('two stacks with one state location, or both left to terraform init (same backend type only)', () => {
    const k = (state: Json) => ['k', doc(providers(acct('111111111111')), state, b('kb', 'key-backup'))] as [string, Json];
    const d = (state: Json) => ['d', doc(providers(acct('222222222222')), state, b('db', 'db-backup'))] as [string, Json];
    expect(rows(k(s3State('same')), d(s3State('same')))).toEqual([
      [
        'k/aws_s3_bucket.kb',
        'is a key-backup store managed together with db-backup store aws_s3_bucket.db (stack d): stacks k and d keep their state in the same place (s3://state/same)',
        'give stack k its own state location (a different backend bucket and key)',
      ],
    ]);
    expect(rows(k({ terraform: { backend: { s3: { region: 'x' } } } }), d({ terraform: { backend: { s3: {} } } }))).toEqual([
      [
        'k/aws_s3_bucket.kb',
        'is a key-backup store managed together with db-backup store aws_s3_bucket.db (stack d): stacks k and d leave their s3 backend to `terraform init` settings, so separate state cannot be proven',
        'write the full backend configuration (bucket and key) into each stack',
      ],
    ]);
    expect(rows(k({ terraform: { backend: { s3: {} } } }), d({ terraform: { backend: { gcs: {} } } }))).toEqual([]);
    expect(rows(k({ terraform: { backend: { s3: {} } } }), d(s3State('d')))).toEqual([]);
    expect(rows(k({}), d({}))).toEqual([]);
  });

  it('providers that pin nothing are one identity across stacks; stacks without any provider are not', () => {
    expect(rows(['k', doc(providers({ region: 'x' }), s3State('k'), b('kb', 'key-backup'))], ['d', doc(providers({ region: 'y' }), s3State('d'), b('db', 'db-backup'))])[0][1]).toBe(
      'is a key-backup store managed together with db-backup store aws_s3_bucket.db (stack d): provider aws (stack k) and provider aws (stack d) resolve to the same account identity "default"',
    );
    expect(rows(['k', doc(s3State('k'), b('kb', 'key-backup'))], ['d', doc(s3State('d'), b('db', 'db-backup'))])).toEqual([]);
  });

  it('DB stores grouped by stack, provider and account: every DB store reported, in model order, for every key store', () => {
    const j = doc(
      providers(acct('111111111111'), acct('222222222222', 'other')),
      b('d1', 'db-backup'),
      b('d3', 'db-backup', { provider: 'aws.other' }),
      b('d2', 'db-backup'),
      b('k1', 'key-backup'),
      b('k2', 'key-store'),
    );
    const both = `${SAME_STACK('s')}; both are managed through the same provider configuration aws`;
    expect(rows(['s', j]).map((r) => `${r[0]}: ${r[1]}`)).toEqual([
      `s/aws_s3_bucket.k1: is a key-backup store managed together with db-backup store aws_s3_bucket.d1: ${both}`,
      `s/aws_s3_bucket.k1: is a key-backup store managed together with db-backup store aws_s3_bucket.d3: ${SAME_STACK('s')}`,
      `s/aws_s3_bucket.k1: is a key-backup store managed together with db-backup store aws_s3_bucket.d2: ${both}`,
      `s/aws_s3_bucket.k2: is a key-store store managed together with db-backup store aws_s3_bucket.d1: ${both}`,
      `s/aws_s3_bucket.k2: is a key-store store managed together with db-backup store aws_s3_bucket.d3: ${SAME_STACK('s')}`,
      `s/aws_s3_bucket.k2: is a key-store store managed together with db-backup store aws_s3_bucket.d2: ${both}`,
    ]);
  });

  it('a key store on another provider of the stack compares against each DB group on its own', () => {
    const j = doc(providers(acct('111111111111'), acct('222222222222', 'other')), b('d1', 'db-backup'), b('d2', 'db-backup', { provider: 'aws.other' }), b('k', 'key-backup', { provider: 'aws.other' }));
    expect(rows(['s', j]).map((r) => `${r[1]} | ${r[2]}`)).toEqual([
      `is a key-backup store managed together with db-backup store aws_s3_bucket.d1: ${SAME_STACK('s')} | ${STACK_FIX}`,
      `is a key-backup store managed together with db-backup store aws_s3_bucket.d2: ${SAME_STACK('s')}; both are managed through the same provider configuration aws.other | ${STACK_FIX}; ${ACCT_FIX('aws.other', 'aws.other')}`,
    ]);
  });

  it('DB stores in other stacks: only the ones that share something are reported', () => {
    const k: [string, Json] = ['k', doc(providers(acct('111111111111')), s3State('k'), b('kb', 'key-backup'))];
    const d1: [string, Json] = ['d1', doc(providers(acct('111111111111')), s3State('d1'), b('db', 'db-backup'))];
    const d2: [string, Json] = ['d2', doc(providers(acct('222222222222')), s3State('d2'), b('db', 'db-backup'))];
    const d3: [string, Json] = ['d3', doc(providers(acct('333333333333')), s3State('k'), b('db', 'db-backup'))];
    expect(rows(k, d1, d2, d3).map((r) => r[1])).toEqual([
      'is a key-backup store managed together with db-backup store aws_s3_bucket.db (stack d1): provider aws (stack k) and provider aws (stack d1) resolve to the same account identity "acct:111111111111"',
      'is a key-backup store managed together with db-backup store aws_s3_bucket.db (stack d3): stacks k and d3 keep their state in the same place (s3://state/k)',
    ]);
  });
});
