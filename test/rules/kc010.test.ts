/**
 * The rule on whole configurations first, then the exact-output tests.
 * KC010 with exact messages and fixes: same bucket (literal, generated name, identical
 * expression) with the subject chosen by rank (object, adopted store, key side, DB side),
 * "cannot be proven" for expressions (and the precondition that settles them), overlapping
 * prefixes and generated-shape names; adopted-role mismatches and cross-side replication.
 */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../lib/model/build';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';
import { runRules } from '../../lib/rules/engine';
import { rule } from '../../lib/rules/kc010-separate-buckets';
import { at, doc, findings, stacks, tags, world, type Json } from './drill-fixtures';
import { model } from './kc0xx-fixtures';

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

const check = (...parts: Json[]) => rule.check(model(['s', doc(...parts)])).map((v) => [v.address, v.message, v.fix]);

const b = (name: string, role: string, body: Json): Json => ({ resource: { aws_s3_bucket: { [name]: { ...body, tags: tags(role) } } } });
const GEN = 'kc-key-0123456789abcdef0123456789';

const PRECONDITION_FIX = 'use literal bucket names, or add `lifecycle { precondition { condition = <this bucket> != <the other bucket> } }` so terraform plan fails when they are equal';
const PREFIX_FIX = 'use literal, distinct bucket names, or bucket prefixes where neither is a prefix of the other (e.g. "<app>-key-" and "<app>-db-")';

describe('KC010 shared buckets (mutation tests)', () => {
  it('separate buckets, same-side sharing and a secret named like a bucket give nothing', () => {
    expect(
      check(
        b('kb', 'key-backup', { bucket: 'kc-keys' }),
        b('kb2', 'key-store', { bucket: 'kc-keys' }),
        b('db', 'db-backup', { bucket: 'kc-db' }),
        { resource: { aws_secretsmanager_secret: { s: { name: 'kc-db', tags: tags('key-store') } } } },
      ),
    ).toEqual([]);
  });

  it('two stores in one literal bucket: the key side is the subject, whatever the order', () => {
    const expected = [
      [
        'aws_s3_bucket.kb',
        'is a key-backup store in bucket "shared", which db-backup store aws_s3_bucket.db also uses: key copies and DB backups share one bucket',
        'give aws_s3_bucket.kb its own bucket (a distinct `bucket` name), separate from aws_s3_bucket.db',
      ],
    ];
    expect(check(b('kb', 'key-backup', { bucket: 'shared' }), b('db', 'db-backup', { bucket: 'shared' }))).toEqual(expected);
    expect(check(b('db', 'db-backup', { bucket: 'shared' }), b('kb', 'key-backup', { bucket: 'shared' }))).toEqual(expected);
  });

  it('one DB store against two key stores: one finding per pair, in holder order', () => {
    expect(check(b('db', 'db-backup', { bucket: 'shared' }), b('ks', 'key-store', { bucket: 'shared' }), b('kb', 'key-backup', { bucket: 'arn:aws:s3:::shared' })).map((r) => r[0] + ': ' + r[1])).toEqual([
      'aws_s3_bucket.ks: is a key-store store in bucket "shared", which db-backup store aws_s3_bucket.db also uses: key copies and DB backups share one bucket',
      'aws_s3_bucket.kb: is a key-backup store in bucket "shared", which db-backup store aws_s3_bucket.db also uses: key copies and DB backups share one bucket',
    ]);
  });

  it('objects tagged with a role are the subject: into a generated-name bucket, or a named one; either side', () => {
    expect(
      check(b('gen', 'key-backup', {}), b('db', 'db-backup', { bucket: 'kc-db' }), {
        resource: {
          aws_s3_object: {
            dump: { bucket: '${aws_s3_bucket.gen.id}', key: 'd', tags: tags('db-backup') },
            key: { bucket: 'kc-db', key: 'k', tags: tags('key-backup') },
            fine: { bucket: 'kc-db', key: 'd2', tags: tags('db-backup') },
            untagged: { bucket: 'kc-db', key: 'x' },
            drill: { bucket: 'kc-db', key: 'x', tags: tags('drill') },
          },
        },
      }),
    ).toEqual([
      [
        'aws_s3_object.dump',
        'puts DB backups (custody:role=db-backup) into the same bucket, which is the key-backup store aws_s3_bucket.gen: DB backups and key copies share one bucket',
        'write aws_s3_object.dump to the db-backup bucket instead (e.g. `bucket = "${aws_s3_bucket.<db_backup>.id}"`), never to aws_s3_bucket.gen',
      ],
      [
        'aws_s3_object.key',
        'puts key copies (custody:role=key-backup) into bucket "kc-db", which is the db-backup store aws_s3_bucket.db: key copies and DB backups share one bucket',
        'write aws_s3_object.key to the key-backup bucket instead (e.g. `bucket = "${aws_s3_bucket.<key_backup>.id}"`), never to aws_s3_bucket.db',
      ],
      [
        'aws_s3_object.key',
        'puts key copies (custody:role=key-backup) into bucket "kc-db", which is the db-backup object aws_s3_object.fine: key copies and DB backups share one bucket',
        'write aws_s3_object.key to the key-backup bucket instead (e.g. `bucket = "${aws_s3_bucket.<key_backup>.id}"`), never to aws_s3_object.fine',
      ],
    ]);
  });

  it('an adopted store is the subject against a managed store of either side', () => {
    expect(
      check(
        b('db', 'db-backup', { bucket: 'kc-db' }),
        b('kb', 'key-backup', { bucket: 'kc-keys' }),
        { data: { aws_s3_bucket: { oldKeys: { bucket: 'kc-db' }, oldDb: { bucket: 'kc-keys' } } } },
        adopt([
          { address: 'data.aws_s3_bucket.oldKeys', role: 'key-backup', key: 'k' },
          { address: 'data.aws_s3_bucket.oldDb', role: 'db-backup' },
        ]),
      ).map((r) => r[0] + ': ' + r[1]),
    ).toEqual([
      'data.aws_s3_bucket.oldKeys: is a key-backup store in bucket "kc-db", which db-backup store aws_s3_bucket.db also uses: key copies and DB backups share one bucket',
      'data.aws_s3_bucket.oldDb: is a db-backup store in bucket "kc-keys", which key-backup store aws_s3_bucket.kb also uses: DB backups and key copies share one bucket',
    ]);
  });

  it('two buckets named by the same expression are the same bucket', () => {
    expect(check(b('kb', 'key-backup', { bucket: '${var.b}' }), b('db', 'db-backup', { bucket: '${var.b}' }))).toEqual([
      [
        'aws_s3_bucket.kb',
        'is a key-backup store in bucket `${var.b}`, which db-backup store aws_s3_bucket.db also uses: key copies and DB backups share one bucket',
        'give aws_s3_bucket.kb its own bucket (a distinct `bucket` name), separate from aws_s3_bucket.db',
      ],
    ]);
  });
});

describe('KC010 buckets that cannot be told apart (mutation tests)', () => {
  it('a bucket named by an expression', () => {
    expect(check(b('kb', 'key-backup', { bucket: 'kc-keys' }), b('db', 'db-backup', { bucket: '${var.db}' }))).toEqual([
      [
        'aws_s3_bucket.kb',
        'cannot be proven to use a different bucket than db-backup store aws_s3_bucket.db: its bucket "kc-keys" and the bucket `${var.db}` of db-backup store aws_s3_bucket.db are only known at plan time',
        PRECONDITION_FIX,
      ],
    ]);
    expect(check(b('kb', 'key-backup', { bucket_prefix: 'kc-' }), b('db', 'db-backup', { bucket: '${var.db}' }))[0][1]).toBe(
      'cannot be proven to use a different bucket than db-backup store aws_s3_bucket.db: its bucket prefix "kc-" and the bucket `${var.db}` of db-backup store aws_s3_bucket.db are only known at plan time',
    );
  });

  it('a precondition with != that names the other bucket (its name, its address, or its expression) settles it, on either side', () => {
    const withGuard = (onDb: boolean, condition: string) => {
      const lifecycle = { precondition: [{ condition, error_message: 'x' }] };
      return check(b('kb', 'key-backup', { bucket: 'kc-keys', ...(onDb ? {} : { lifecycle }) }), b('db', 'db-backup', { bucket: '${var.db}', ...(onDb ? { lifecycle } : {}) })).length;
    };
    expect(withGuard(true, '${var.db != "kc-keys"}')).toBe(0);
    expect(withGuard(true, '${var.db != aws_s3_bucket.kb.bucket}')).toBe(0);
    expect(withGuard(false, '${aws_s3_bucket.kb.bucket != var.db}')).toBe(0);
    expect(withGuard(false, '${"kc-keys" != var.other}')).toBe(1);
    expect(withGuard(true, '${var.db == "kc-keys"}')).toBe(1);
    expect(withGuard(true, '${var.db != "kc-other"}')).toBe(1);
    expect(withGuard(false, '${var.x != var.y}')).toBe(1);
    expect(withGuard(true, '${length(var.db) > 0}')).toBe(1);
    expect(check(b('kb', 'key-backup', { bucket: 'kc-keys', lifecycle: { precondition: [{ condition: 5 }, { condition: '${var.db != "kc-keys"}' }] } }), b('db', 'db-backup', { bucket: '${var.db}' }))).toEqual([]);
  });

  it('overlapping prefixes; distinct prefixes are fine', () => {
    expect(check(b('kb', 'key-backup', { bucket_prefix: 'kc-' }), b('db', 'db-backup', { bucket_prefix: 'kc-db-' }))).toEqual([
      [
        'aws_s3_bucket.kb',
        'cannot be proven to use a different bucket than db-backup store aws_s3_bucket.db: its bucket prefix "kc-" and prefix "kc-db-" of db-backup store aws_s3_bucket.db overlap (one prefix starts the other)',
        PREFIX_FIX,
      ],
    ]);
    expect(check(b('kb', 'key-backup', { bucket_prefix: 'kc-key-' }), b('db', 'db-backup', { bucket_prefix: 'kc-db-' }))).toEqual([]);
  });

  it('a literal name of the generated shape may be a prefixed bucket; a prefix expression is only known at plan time', () => {
    expect(check(b('kb', 'key-backup', { bucket_prefix: 'kc-key-' }), b('db', 'db-backup', { bucket: GEN }))).toEqual([
      [
        'aws_s3_bucket.kb',
        `cannot be proven to use a different bucket than db-backup store aws_s3_bucket.db: its bucket prefix "kc-key-" may be the bucket generated from "${GEN}" of db-backup store aws_s3_bucket.db`,
        PREFIX_FIX,
      ],
    ]);
    expect(check(b('kb', 'key-backup', { bucket_prefix: 'kc-key-' }), b('db', 'db-backup', { bucket: 'kc-key-backups' }))).toEqual([]);
    expect(check(b('kb', 'key-backup', { bucket_prefix: '${var.p}' }), b('db', 'db-backup', { bucket: 'kc-db' }))).toEqual([
      [
        'aws_s3_bucket.kb',
        'cannot be proven to use a different bucket than db-backup store aws_s3_bucket.db: its bucket prefix `${var.p}` and the bucket "kc-db" of db-backup store aws_s3_bucket.db are only known at plan time',
        PRECONDITION_FIX,
      ],
    ]);
  });
});

describe('KC010 adoption and replication (mutation tests)', () => {
  it('a tagged store adopted with the other side\'s role', () => {
    expect(
      check(
        b('kb', 'key-backup', { bucket: 'kc-keys' }),
        b('db', 'db-backup', { bucket: 'kc-db' }),
        b('ks', 'key-store', { bucket: 'kc-ks' }),
        adopt([
          { address: 'aws_s3_bucket.kb', role: 'db-backup' },
          { address: 'aws_s3_bucket.db', role: 'key-store' },
          { address: 'aws_s3_bucket.ks', role: 'key-backup' },
          { address: 'aws_s3_bucket.ks', role: 'drill' },
          { address: 'aws_s3_bucket.none', role: 'db-backup' },
        ]),
      ),
    ).toEqual([
      [
        'aws_s3_bucket.kb',
        'is tagged custody:role=key-backup but the manifest terraform_data.custody_manifest adopts it as db-backup: one bucket would hold both key copies and DB backups',
        'adopt a different bucket for the db-backup role, or correct the adoptedStores entry for aws_s3_bucket.kb',
      ],
      [
        'aws_s3_bucket.db',
        'is tagged custody:role=db-backup but the manifest terraform_data.custody_manifest adopts it as key-store: one bucket would hold both DB backups and key copies',
        'adopt a different bucket for the key-store role, or correct the adoptedStores entry for aws_s3_bucket.db',
      ],
    ]);
  });

  it('replication from one side\'s bucket into the other\'s, per rule; same side, unknown buckets and non-stores are fine', () => {
    expect(
      check(b('kb', 'key-backup', { bucket: 'kc-keys' }), b('kb2', 'key-backup', { bucket: 'kc-keys2' }), b('db', 'db-backup', { bucket: 'kc-db' }), {
        resource: {
          aws_s3_bucket: { plain: { bucket: 'kc-plain' } },
          aws_s3_bucket_replication_configuration: {
            keys: {
              bucket: '${aws_s3_bucket.kb.id}',
              rule: [{ destination: { bucket: 'arn:aws:s3:::kc-db' } }, { destination: { bucket: '${aws_s3_bucket.kb2.arn}' } }, { destination: { bucket: 'arn:aws:s3:::elsewhere' } }, { destination: {} }],
            },
            db: { bucket: 'kc-db', rule: { destination: { bucket: '${aws_s3_bucket.kb.arn}' } } },
            plain: { bucket: '${aws_s3_bucket.plain.id}', rule: [{ destination: { bucket: 'arn:aws:s3:::kc-db' } }] },
          },
        },
        data: { aws_s3_bucket_replication_configuration: { d: { bucket: 'kc-keys', rule: [{ destination: { bucket: 'arn:aws:s3:::kc-db' } }] } } },
      }),
    ).toEqual([
      [
        'aws_s3_bucket_replication_configuration.keys',
        'replicates the key-backup store aws_s3_bucket.kb into the db-backup store aws_s3_bucket.db: key copies would land in the bucket that holds DB backups',
        'replicate aws_s3_bucket.kb only to another key-backup bucket',
      ],
      [
        'aws_s3_bucket_replication_configuration.db',
        'replicates the db-backup store aws_s3_bucket.db into the key-backup store aws_s3_bucket.kb: DB backups would land in the bucket that holds key copies',
        'replicate aws_s3_bucket.db only to another db-backup bucket',
      ],
    ]);
  });
});
