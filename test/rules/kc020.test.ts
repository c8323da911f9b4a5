import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc020-three-two-one';
import { bucket, doc, findings, manifest, tags, zitadelKey } from './kc0xx-fixtures';

describe('KC020 3-2-1 per key', () => {
  it('passes the seed setup: hot file, age copy on a NAS, paper in a safe', () => {
    // #20: declared copies without evidence hold 3-2-1 (no error); the evidence warning is test/rules/kc020-evidence.test.ts.
    expect(findings(rule, ['app', doc(manifest([zitadelKey()]))]).filter((x) => x.severity === 'error')).toEqual([]);
  });

  it('passes hot file + NAS + Terraform key-backup bucket (in another stack)', () => {
    const f = findings(
      rule,
      ['app', doc(manifest([zitadelKey({ copies: [{ kind: 'cold', medium: 'nas', location: '/mnt/nas/k.age', offsite: false }] })]))],
      ['keys', doc(bucket('kb', 'key-backup'))],
    );
    expect(f.filter((x) => x.severity === 'error')).toEqual([]);
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

describe('KC020 fix suggestions and locations (mutation tests)', () => {
  const cold = '{ kind: "cold", medium: "nas", location: "/mnt/nas/zitadel-master/masterkey.age", offsite: false }';
  const paper = '{ kind: "offsite", medium: "paper", location: "safe", offsite: true }';
  const tail = 'or back the key up to a KeyBackupBucket (tagged custody:key=zitadel-master)';

  it('suggests only the offsite paper copy when a NAS copy exists but nothing is offsite', () => {
    const f = findings(rule, ['app', doc(manifest([zitadelKey({ copies: [{ kind: 'cold', medium: 'nas', location: '/mnt/nas/k.age', offsite: false }] })]))]);
    expect(f).toHaveLength(1);
    expect(f[0].fix).toBe(`add copies to key zitadel-master in the manifest, e.g. copies: [${paper}], ${tail}`);
  });

  it('suggests a cold NAS copy and an offsite paper copy when only the hot file exists', () => {
    const f = findings(rule, ['app', doc(manifest([zitadelKey({ copies: [] })]))]);
    expect(f).toHaveLength(1);
    expect(f[0].message).toBe(
      'key zitadel-master has 1 copy on 1 medium (host-file), 0 offsite [host-file /etc/zitadel/masterkey]: 3-2-1 needs 2 more copies (at least 3), a copy on a second medium (all are on host-file), an offsite copy (an S3 key-backup bucket, or a copy declared offsite such as paper in a safe)',
    );
    expect(f[0].fix).toBe(`add copies to key zitadel-master in the manifest, e.g. copies: [${cold}, ${paper}], ${tail}`);
  });

  it('does not suggest a cold copy when a disk copy exists, and falls back to paper when something offsite exists', () => {
    const f = findings(rule, [
      'app',
      doc(
        manifest([
          zitadelKey({
            copies: [
              { kind: 'a', medium: 'disk', location: '/a', offsite: false },
              { kind: 'b', medium: 'disk', location: '/b', offsite: true },
            ],
          }),
        ]),
      ),
    ]);
    expect(f.filter((x) => x.severity === 'error')).toEqual([]);
    const g = findings(rule, [
      'app',
      doc(
        manifest([
          zitadelKey({
            hostPath: undefined,
            hostFile: undefined,
            copies: [
              { kind: 'a', medium: 'disk', location: '/a', offsite: false },
              { kind: 'b', medium: 'disk', location: '/b', offsite: true },
            ],
          }),
        ]),
      ),
    ]);
    expect(g).toHaveLength(1);
    expect(g[0].fix).toBe(`add copies to key zitadel-master in the manifest, e.g. copies: [${paper}], ${tail}`);
  });

  it('suggests the cold copy but not the paper copy when a disk-less key has an offsite copy', () => {
    const f = findings(rule, ['app', doc(manifest([zitadelKey({ copies: [{ kind: 'offsite', medium: 'paper', location: 'safe', offsite: true }] })]))]);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('has 2 copies on 2 media (host-file, paper), 1 offsite');
    expect(f[0].fix).toBe(`add copies to key zitadel-master in the manifest, e.g. copies: [${cold}], ${tail}`);
  });

  it('reports each undeclared key at its own tagged store, with the manifest hint in the fix', () => {
    const f = findings(rule, ['keys', doc(bucket('kb', 'key-backup'), bucket('kb2', 'key-backup', { tags: tags('key-backup', 'other-key', 'other') }))]);
    expect(f.map((x) => [x.address, x.message.split(' has ')[0]])).toEqual([
      ['aws_s3_bucket.kb', 'key zitadel-master'],
      ['aws_s3_bucket.kb2', 'key other-key'],
    ]);
    expect(f[0].fix).toBe(
      `add copies to key zitadel-master in the manifest, e.g. copies: [${cold}], ${tail}; declare the key in the custody manifest`,
    );
    expect(f[0].stack).toBe('keys');
  });
});
