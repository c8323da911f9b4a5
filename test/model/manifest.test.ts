/**
 * lib/model/manifest.ts on its own: which terraform_data resources are manifests, and how
 * keys, copies, generations, drills, suppressions and adopted stores are read (defaults,
 * type checks, entries dropped for missing required fields).
 */
import { describe, expect, it } from 'vitest';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';
import { MANIFEST_KIND, MANIFEST_VERSION, readManifest } from '../../lib/model/manifest';

function manifestOf(input: unknown, type = 'terraform_data') {
  const d = loadTerraformJson('s', { resource: { [type]: { m: { input } } } });
  return readManifest(d.resources[0]);
}
const base = { kind: MANIFEST_KIND, version: MANIFEST_VERSION };

describe('readManifest', () => {
  it('recognises only terraform_data with the manifest kind', () => {
    expect([MANIFEST_KIND, MANIFEST_VERSION]).toEqual(['cdktf-key-custody/manifest', 1]);
    expect(manifestOf(base)).toEqual({ stack: 's', address: 'terraform_data.m', keys: [], drills: [], suppressions: [], adoptedStores: [] });
    expect(manifestOf(base, 'null_resource')).toBeUndefined();
    expect(manifestOf({ kind: 'other' })).toBeUndefined();
    expect(manifestOf(['x'])).toBeUndefined();
    expect(manifestOf(undefined)).toBeUndefined();
  });

  it('reads keys with defaults, and drops keys without an id', () => {
    const m = manifestOf({
      ...base,
      keys: [
        {
          id: 'k',
          app: 'zitadel',
          profile: 'zitadel',
          fingerprint: 'sha256:x',
          hostPath: '/etc/k',
          hostFile: { path: '/etc/k', mode: '0400', owner: 'root', group: 'root', dirMode: '0700', deployCheck: true },
          copies: [{ kind: 'cold', medium: 'nas', location: '/mnt/k', offsite: false, custodian: 'ops', generation: 2 }, {}, 'x'],
          generations: [
            { generation: 1, state: 'retired', retiredOn: '2026-01-01', keepUntil: '2027-02-01', fingerprint: 'f1', hostPath: '/etc/k1', copies: [{ medium: 'paper', offsite: true }], offsiteObject: 'aws_s3_object.g1' },
            { generation: 2, state: 'active' },
            { generation: 3, state: 'pending' },
            { state: 'active' },
            { generation: '4', state: 'active' },
          ],
          dbRetentionDays: 365,
        },
        { id: 'bare', hostFile: { deployCheck: 'true' }, dbRetentionDays: Infinity },
        { app: 'no-id' },
        { id: '' },
        'x',
      ],
    });
    expect(m?.keys).toEqual([
      {
        id: 'k',
        app: 'zitadel',
        profile: 'zitadel',
        fingerprint: 'sha256:x',
        hostPath: '/etc/k',
        hostFile: { path: '/etc/k', mode: '0400', owner: 'root', group: 'root', dirMode: '0700', deployCheck: true },
        copies: [
          { kind: 'cold', medium: 'nas', location: '/mnt/k', offsite: false, custodian: 'ops', generation: 2 },
          { kind: 'copy', medium: 'unknown', location: '', offsite: false, custodian: undefined, generation: undefined },
        ],
        generations: [
          {
            generation: 1,
            state: 'retired',
            retiredOn: '2026-01-01',
            keepUntil: '2027-02-01',
            fingerprint: 'f1',
            hostPath: '/etc/k1',
            copies: [{ kind: 'copy', medium: 'paper', location: '', offsite: true, custodian: undefined, generation: undefined }],
            offsiteObject: 'aws_s3_object.g1',
          },
          { generation: 2, state: 'active', retiredOn: undefined, keepUntil: undefined, fingerprint: undefined, hostPath: undefined, copies: [], offsiteObject: undefined },
        ],
        dbRetentionDays: 365,
      },
      {
        id: 'bare',
        app: 'bare',
        profile: undefined,
        fingerprint: undefined,
        hostPath: undefined,
        hostFile: { path: '', mode: '', owner: '', group: '', dirMode: '', deployCheck: false },
        copies: [],
        generations: undefined,
        dbRetentionDays: undefined,
      },
    ]);
  });

  it('reads drills, dropping those without id or key', () => {
    const m = manifestOf({
      ...base,
      drills: [
        { id: 'd', key: 'k', schedule: 'rate(30 days)', timezone: 'UTC', intervalDays: 92, restoreAgeDays: 7, keySource: 'hot', keySourcePath: '/k', dockerProvider: 'docker.drill', alarm: true, log: false, nextRun: '2026-04-01' },
        { id: 'e', key: 'k', alarm: 'yes', log: 1, intervalDays: '92' },
        { id: 'no-key' },
        { key: 'no-id' },
      ],
    });
    expect(m?.drills).toEqual([
      { id: 'd', key: 'k', schedule: 'rate(30 days)', timezone: 'UTC', intervalDays: 92, restoreAgeDays: 7, keySource: 'hot', keySourcePath: '/k', dockerProvider: 'docker.drill', alarm: true, log: false, nextRun: '2026-04-01' },
      { id: 'e', key: 'k', schedule: undefined, timezone: undefined, intervalDays: undefined, restoreAgeDays: undefined, keySource: undefined, keySourcePath: undefined, dockerProvider: undefined, alarm: undefined, log: undefined, nextRun: undefined },
    ]);
  });

  it('reads suppressions (an empty reason is kept for the engine to refuse) and adopted stores', () => {
    const m = manifestOf({
      ...base,
      suppressions: [{ id: 'KC023', reason: 'enforced by the org SCP', owner: 'sec', expires: '2026-12-31', scope: 'aws_s3_bucket.b' }, { id: 'KC024', reason: '' }, { id: 'KC025' }, { reason: 'no id' }],
      adoptedStores: [{ address: 'data.aws_s3_bucket.b', role: 'db-backup', key: 'k', app: 'a', retentionDays: 400 }, { address: 'data.aws_s3_bucket.c', role: 'key-backup' }, { address: 'x' }, { role: 'db-backup' }],
    });
    expect(m?.suppressions).toEqual([
      { id: 'KC023', reason: 'enforced by the org SCP', owner: 'sec', expires: '2026-12-31', scope: 'aws_s3_bucket.b' },
      { id: 'KC024', reason: '', owner: undefined, expires: undefined, scope: '' },
    ]);
    expect(m?.adoptedStores).toEqual([
      { address: 'data.aws_s3_bucket.b', role: 'db-backup', key: 'k', app: 'a', retentionDays: 400 },
      { address: 'data.aws_s3_bucket.c', role: 'key-backup', key: undefined, app: undefined, retentionDays: undefined },
    ]);
  });
});
