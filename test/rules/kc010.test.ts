import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc010-separate-buckets';
import { runRules } from '../../lib/rules/engine';
import { buildModel } from '../../lib/model/build';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';
import { at, doc, findings, stacks, tags, world, type Json } from './drill-fixtures';

const adopt = (entries: Json[]): Json => ({
  resource: { terraform_data: { custody_manifest: { input: { kind: 'cdktf-key-custody/manifest', version: 1, keys: [], drills: [], suppressions: [], adoptedStores: entries } } } },
});

describe('KC010 DB backups and key backups never share a bucket', () => {
  it('passes for separate, literally named buckets', () => {
    expect(findings(rule, ...stacks(world()))).toEqual([]);
  });

  it('fails when two managed buckets of different roles have the same literal name (across stacks)', () => {
    const w = world();
    at(w.db, 'resource', 'aws_s3_bucket', 'db').bucket = 'kc-keys';
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'KC010', severity: 'error', address: 'keys/aws_s3_bucket.keys', stack: 'keys', suppressed: false });
    expect(f[0].message).toContain('bucket "kc-keys"');
    expect(f[0].message).toContain('db-backup store aws_s3_bucket.db (stack db)');
    expect(f[0].fix).toContain('its own bucket');
  });

  it('fails for an adopted data source whose bucket is the key bucket', () => {
    const w = world();
    w.db = doc(w.db, { data: { aws_s3_bucket: { legacy: { bucket: 'kc-keys' } } } }, adopt([{ address: 'data.aws_s3_bucket.legacy', role: 'db-backup' }]));
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['db/data.aws_s3_bucket.legacy']);
    expect(f[0].message).toContain('key-backup store aws_s3_bucket.keys (stack keys)');
  });

  it('fails for an adopted bucket named by its ARN', () => {
    const w = world();
    w.db = doc(w.db, { data: { aws_s3_bucket: { legacy: { bucket: 'arn:aws:s3:::kc-keys' } } } }, adopt([{ address: 'data.aws_s3_bucket.legacy', role: 'db-backup' }]));
    expect(findings(rule, ...stacks(w)).map((x) => x.address)).toEqual(['db/data.aws_s3_bucket.legacy']);
  });

  it('fails for two adopted secrets with the same literal ARN and different roles', () => {
    const arn = 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:zitadel-abc123';
    const j = doc(
      { data: { aws_secretsmanager_secret: { key: { arn }, dump: { arn } } } },
      adopt([
        { address: 'data.aws_secretsmanager_secret.key', role: 'key-store', key: 'zitadel-master' },
        { address: 'data.aws_secretsmanager_secret.dump', role: 'db-backup' },
      ]),
    );
    const f = findings(rule, ['one', j]);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain(arn);
  });

  it('fails for an object tagged db-backup placed into the key bucket by reference', () => {
    const w = world();
    w.keys = doc(w.keys, { resource: { aws_s3_object: { dump: { bucket: '${aws_s3_bucket.keys.id}', key: 'db/dump.sql.gz', source: 'dump.sql.gz', tags: tags('db-backup') } } } });
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['keys/aws_s3_object.dump']);
    expect(f[0].message).toContain('puts DB backups (custody:role=db-backup) into bucket "kc-keys"');
    expect(f[0].message).toContain('key-backup store aws_s3_bucket.keys');
    expect(f[0].fix).toContain('db-backup bucket');
  });

  it('follows a cross-stack reference to the key bucket', () => {
    const w = world();
    w.keys = doc(w.keys, { output: { 'cross-stack-output-aws_s3_bucketkeysid': { value: '${aws_s3_bucket.keys.id}' } } });
    w.db = doc(w.db, {
      data: { terraform_remote_state: { cross_stack_reference_input_keys: { backend: 'local', config: { path: '../keys/terraform.tfstate' } } } },
      resource: {
        aws_s3_object: {
          dump: { bucket: '${data.terraform_remote_state.cross_stack_reference_input_keys.outputs.cross-stack-output-aws_s3_bucketkeysid}', key: 'dump.sql.gz', tags: tags('db-backup') },
        },
      },
    });
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['db/aws_s3_object.dump']);
  });

  it('an object of the right role in its own bucket passes', () => {
    const w = world();
    w.keys = doc(w.keys, { resource: { aws_s3_object: { key: { bucket: '${aws_s3_bucket.keys.id}', key: 'masterkey.age', source: 'masterkey.age', tags: tags('key-backup') } } } });
    expect(findings(rule, ...stacks(w))).toEqual([]);
  });

  it('reports overlapping bucket prefixes as not provably distinct', () => {
    const w = world();
    const keys = at(w.keys, 'resource', 'aws_s3_bucket', 'keys');
    delete keys.bucket;
    keys.bucket_prefix = 'kc-';
    const db = at(w.db, 'resource', 'aws_s3_bucket', 'db');
    delete db.bucket;
    db.bucket_prefix = 'kc-db-';
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('cannot be proven to use a different bucket');
    expect(f[0].message).toContain('prefix "kc-"');
    expect(f[0].fix).toContain('prefixes where neither is a prefix of the other');
  });

  it('distinct prefixes pass', () => {
    const w = world();
    const keys = at(w.keys, 'resource', 'aws_s3_bucket', 'keys');
    delete keys.bucket;
    keys.bucket_prefix = 'kc-key-';
    const db = at(w.db, 'resource', 'aws_s3_bucket', 'db');
    delete db.bucket;
    db.bucket_prefix = 'kc-db-';
    expect(findings(rule, ...stacks(w))).toEqual([]);
  });

  it('a literal name of the generated shape may be the prefixed bucket', () => {
    const w = world();
    const keys = at(w.keys, 'resource', 'aws_s3_bucket', 'keys');
    delete keys.bucket;
    keys.bucket_prefix = 'kc-key-';
    w.db = doc(w.db, { data: { aws_s3_bucket: { legacy: { bucket: 'kc-key-20250101120000000000000001' } } } }, adopt([{ address: 'data.aws_s3_bucket.legacy', role: 'db-backup' }]));
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['db/data.aws_s3_bucket.legacy']);
    expect(f[0].message).toContain('may be the bucket generated from prefix "kc-key-"');
  });

  it('reports a bucket named by a variable unless a precondition keeps it apart', () => {
    const w = world();
    w.db = doc(w.db, { variable: { db_bucket: { type: 'string' } }, data: { aws_s3_bucket: { legacy: { bucket: '${var.db_bucket}' } } } }, adopt([{ address: 'data.aws_s3_bucket.legacy', role: 'db-backup' }]));
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['db/data.aws_s3_bucket.legacy']);
    expect(f[0].message).toContain('only known at plan time');
    expect(f[0].fix).toContain('precondition');

    at(w.db, 'data', 'aws_s3_bucket', 'legacy').lifecycle = { precondition: [{ condition: '${var.db_bucket != "kc-keys"}', error_message: 'must differ' }] };
    expect(findings(rule, ...stacks(w))).toEqual([]);
  });

  it('fails when the manifest adopts a tagged key bucket as a DB-backup store', () => {
    const w = world();
    w.keys = doc(w.keys, adopt([{ address: 'aws_s3_bucket.keys', role: 'db-backup' }]));
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['keys/aws_s3_bucket.keys']);
    expect(f[0].message).toContain('adopts it as db-backup');
  });

  it('fails when the key bucket replicates into the DB-backup bucket', () => {
    const w = world();
    w.keys = doc(w.keys, {
      resource: {
        aws_s3_bucket_replication_configuration: {
          keys: { bucket: '${aws_s3_bucket.keys.id}', role: 'arn:aws:iam::111111111111:role/repl', rule: [{ id: 'all', status: 'Enabled', destination: { bucket: 'arn:aws:s3:::kc-db' } }] },
        },
      },
    });
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['keys/aws_s3_bucket_replication_configuration.keys']);
    expect(f[0].message).toContain('replicates the key-backup store aws_s3_bucket.keys (stack keys) into the db-backup store aws_s3_bucket.db (stack db)');
  });

  it('a secret and a bucket with the same name are different stores', () => {
    const w = world();
    w.keys = doc(w.keys, { resource: { aws_secretsmanager_secret: { hot: { name: 'kc-db', tags: tags('key-store') } } } });
    expect(findings(rule, ...stacks(w))).toEqual([]);
  });

  it('cannot be suppressed', () => {
    const w = world();
    at(w.db, 'resource', 'aws_s3_bucket', 'db').bucket = 'kc-keys';
    w.keys = doc(w.keys, adopt([]));
    at(w.keys, 'resource', 'terraform_data', 'custody_manifest', 'input').suppressions = [{ id: 'KC010', reason: 'we really want one bucket here' }];
    const result = runRules(buildModel(stacks(w).map(([n, j]) => loadTerraformJson(n, j))), [rule], { today: '2026-01-01' });
    const kc010 = result.findings.filter((f) => f.ruleId === 'KC010');
    expect(kc010).toHaveLength(1);
    expect(kc010[0].suppressed).toBe(false);
    expect(result.findings.some((f) => f.ruleId === 'KC090' && f.message.includes('cannot be suppressed'))).toBe(true);
  });
});
