import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc020-three-two-one';
import { bucket, doc, findings, manifest, zitadelKey } from './kc0xx-fixtures';

describe('KC020 3-2-1 per key', () => {
  it('passes the seed setup: hot file, age copy on a NAS, paper in a safe', () => {
    expect(findings(rule, ['app', doc(manifest([zitadelKey()]))])).toEqual([]);
  });

  it('passes hot file + NAS + Terraform key-backup bucket (in another stack)', () => {
    const f = findings(
      rule,
      ['app', doc(manifest([zitadelKey({ copies: [{ kind: 'cold', medium: 'nas', location: '/mnt/nas/k.age', offsite: false }] })]))],
      ['keys', doc(bucket('kb', 'key-backup'))],
    );
    expect(f).toEqual([]);
  });

  it('flags 2 copies with no offsite copy, stating the counts and what is missing', () => {
    const f = findings(rule, ['app', doc(manifest([zitadelKey({ copies: [{ kind: 'cold', medium: 'nas', location: '/mnt/nas/k.age', offsite: false }] })]))]);
    expect(f).toHaveLength(1);
    expect(f[0].address).toBe('terraform_data.custody_manifest');
    expect(f[0].message).toBe(
      'key zitadel-master has 2 copies on 2 media (host-file, nas), 0 offsite [host-file /etc/zitadel/masterkey, nas /mnt/nas/k.age]: 3-2-1 needs 1 more copy (at least 3), an offsite copy (an S3 key-backup bucket, or a copy declared offsite such as paper in a safe)',
    );
    expect(f[0].fix).toContain('medium: "paper"');
  });

  it('flags three copies on one medium', () => {
    const f = findings(rule, [
      'app',
      doc(
        manifest([
          {
            id: 'k',
            app: 'act',
            copies: [
              { kind: 'a', medium: 'disk', location: '/a', offsite: false },
              { kind: 'b', medium: 'disk', location: '/b', offsite: false },
              { kind: 'c', medium: 'disk', location: '/c', offsite: true },
            ],
          },
        ]),
      ),
    ]);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('3 copies on 1 medium (disk), 1 offsite');
    expect(f[0].message).toContain('a copy on a second medium (all are on disk)');
  });

  it('counts a bucket declared in the manifest and managed by Terraform once', () => {
    const f = findings(
      rule,
      ['app', doc(manifest([zitadelKey({ copies: [{ kind: 'offsite', medium: 's3', location: 's3://kc-kb/masterkey.age', offsite: true }] })]))],
      ['keys', doc(bucket('kb', 'key-backup'))],
    );
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('has 2 copies');
  });

  it('counts only the current generation (and copies without a generation)', () => {
    const f = findings(rule, [
      'app',
      doc(
        manifest([
          zitadelKey({
            copies: [
              { kind: 'cold', medium: 'nas', location: '/mnt/nas/g1.age', offsite: false, generation: 1 },
              { kind: 'offsite', medium: 'paper', location: 'safe-g1', offsite: true, generation: 1 },
              { kind: 'cold', medium: 'nas', location: '/mnt/nas/g2.age', offsite: false, generation: 2 },
            ],
            generations: [
              { generation: 1, state: 'retired', keepUntil: '2030-01-01', copies: [] },
              { generation: 2, state: 'active', copies: [] },
            ],
          }),
        ]),
      ),
    ]);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('key zitadel-master (generation 2) has 2 copies');
    expect(f[0].message).not.toContain('g1');
  });

  it('flags a key known only from a tagged store at that store', () => {
    const f = findings(rule, ['keys', doc(bucket('kb', 'key-backup'))]);
    expect(f).toHaveLength(1);
    expect(f[0].address).toBe('aws_s3_bucket.kb');
    expect(f[0].message).toContain('has 1 copy on 1 medium (s3), 1 offsite');
  });
});
