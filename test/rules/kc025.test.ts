import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc025-generation-activation';
import { bucket, doc, findings, manifest, zitadelKey } from './kc0xx-fixtures';

const g2copies = [
  { kind: 'cold', medium: 'nas', location: '/mnt/nas/zitadel/masterkey.g2.age', offsite: false, generation: 2 },
  { kind: 'offsite', medium: 'paper', location: 'safe', offsite: true, generation: 2 },
];

describe('KC025 generation activation', () => {
  it('passes an active generation with its own 3-2-1 copies (hot file + NAS + paper)', () => {
    const key = zitadelKey({ copies: g2copies, generations: [{ generation: 1, state: 'retired', copies: [] }, { generation: 2, state: 'active', copies: [] }] });
    expect(findings(rule, ['app', doc(manifest([key]))])).toEqual([]);
  });

  it('passes with copies declared inside the generation and a Terraform-managed offsite object', () => {
    const key = zitadelKey({
      copies: [],
      generations: [
        {
          generation: 3,
          state: 'active',
          copies: [{ kind: 'cold', medium: 'nas', location: '/mnt/nas/g3.age', offsite: false }],
          offsiteObject: 'aws_s3_object.g3',
        },
      ],
    });
    const f = findings(rule, ['app', doc(manifest([key]), bucket('kb', 'key-backup'), { resource: { aws_s3_object: { g3: { bucket: '${aws_s3_bucket.kb.id}', key: 'g3.age', source: 'g3.age' } } } })]);
    expect(f).toEqual([]);
  });

  it('does not check generations that are not active yet', () => {
    const key = zitadelKey({ copies: [], generations: [{ generation: 2, state: 'rotating', copies: [] }] });
    expect(findings(rule, ['app', doc(manifest([key]))])).toEqual([]);
  });

  it('flags an active generation whose backups exist only for the old generation, naming it and what is missing', () => {
    const key = zitadelKey({
      copies: [
        { kind: 'cold', medium: 'nas', location: '/mnt/nas/g1.age', offsite: false, generation: 1 },
        { kind: 'offsite', medium: 'paper', location: 'safe', offsite: true, generation: 1 },
      ],
      generations: [{ generation: 1, state: 'retired', copies: [] }, { generation: 2, state: 'active', copies: [] }],
    });
    // A backup bucket as a whole (no generation) does not prove generation 2 was backed up.
    const f = findings(rule, ['app', doc(manifest([key]), bucket('kb', 'key-backup'))]);
    expect(f).toHaveLength(1);
    expect(f[0].address).toBe('terraform_data.custody_manifest');
    expect(f[0].message).toBe(
      'key zitadel-master generation 2 is active but its own copies are 1 copy on 1 medium (host-file), 0 offsite [host-file /etc/zitadel/masterkey]: it needs 2 more copies (at least 3), a copy on a second medium (all are on host-file), an offsite copy (an S3 key-backup bucket, or a copy declared offsite such as paper in a safe)',
    );
    expect(f[0].fix).toContain('"rotating"');
    expect(f[0].fix).toContain('generation: 2');
  });

  it('flags an offsiteObject that is not in the configuration', () => {
    const key = zitadelKey({
      copies: g2copies.slice(0, 1),
      generations: [{ generation: 2, state: 'active', copies: [{ kind: 'paper', medium: 'paper', location: 'safe', offsite: false }], offsiteObject: 'aws_s3_object.missing' }],
    });
    const f = findings(rule, ['app', doc(manifest([key]))]);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('an offsite copy');
    expect(f[0].message).toContain('its offsiteObject aws_s3_object.missing, which is not in the configuration');
  });
});
