import { describe, expect, it } from 'vitest';
import { buildModel } from '../../lib/model/build';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';

function config(extra: Record<string, unknown> = {}) {
  return {
    resource: {
      aws_s3_bucket: {
        keys: { bucket: 'keys', tags: { 'custody:role': 'key-backup', 'custody:key': 'k' } },
        replica: { bucket: 'keys-replica' },
        replica2: { bucket: 'keys-replica-2' },
        other: { bucket: 'other' },
      },
      aws_s3_bucket_replication_configuration: {
        r: { bucket: '${aws_s3_bucket.keys.id}', role: 'x', rule: [{ status: 'Enabled', destination: { bucket: '${aws_s3_bucket.replica.arn}' } }] },
        r2: { bucket: '${aws_s3_bucket.replica.id}', role: 'x', rule: [{ status: 'Enabled', destination: { bucket: 'arn:aws:s3:::keys-replica-2' } }] },
      },
      ...extra,
    },
  };
}

describe('replication destinations take the custody role of their source', () => {
  it('a replica (and a replica of it) of a key-backup store is a key-backup store with the same key', () => {
    const m = buildModel([loadTerraformJson('s', config())]);
    expect(m.stores.map((s) => `${s.address} ${s.role} ${s.key}`).sort()).toEqual([
      'aws_s3_bucket.keys key-backup k',
      'aws_s3_bucket.replica key-backup k',
      'aws_s3_bucket.replica2 key-backup k',
    ]);
  });
  it('a bucket replicated from a bucket that is no store stays no store', () => {
    const cfg = config();
    (cfg.resource.aws_s3_bucket.keys as { tags?: unknown }).tags = {};
    expect(buildModel([loadTerraformJson('s', cfg)]).stores).toEqual([]);
  });
});
