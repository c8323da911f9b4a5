import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc005-host-file-permissions';
import { doc, findings, manifest, zitadelKey } from './kc0xx-fixtures';

const hf = (over: Record<string, unknown>) => ({ path: '/etc/zitadel/masterkey', mode: '0400', owner: 'root', group: 'root', dirMode: '0700', deployCheck: true, ...over });

describe('KC005 host key file permissions', () => {
  it('passes 0400 root:root in 0700 with a deploy check (also written 400 / uid 0)', () => {
    expect(findings(rule, ['app', doc(manifest([zitadelKey()]))])).toEqual([]);
    expect(findings(rule, ['app', doc(manifest([zitadelKey({ hostFile: hf({ mode: '400', owner: '0', group: '0', dirMode: '700' }) })]))])).toEqual([]);
  });

  it('passes keys whose hot copy is not a host file', () => {
    expect(findings(rule, ['app', doc(manifest([{ id: 'k', app: 'servos', copies: [] }]))])).toEqual([]);
  });

  it('flags a hostPath without hostFile declaration', () => {
    const f = findings(rule, ['app', doc(manifest([zitadelKey({ hostFile: undefined })]))]);
    expect(f).toHaveLength(1);
    expect(f[0].address).toBe('terraform_data.custody_manifest');
    expect(f[0].message).toContain('key zitadel-master has its hot copy in host file /etc/zitadel/masterkey but declares no hostFile');
    expect(f[0].fix).toContain('mode: "0400", owner: "root", group: "root", dirMode: "0700", deployCheck: true');
  });

  it('flags every wrong field: mode, owner, group, directory mode, deploy check', () => {
    const f = findings(rule, ['app', doc(manifest([zitadelKey({ hostFile: hf({ mode: '0600', owner: 'zitadel', group: 'docker', dirMode: '0755', deployCheck: false }) })]))]);
    expect(f).toHaveLength(1);
    const msg = f[0].message;
    expect(msg).toContain('mode "0600" instead of "0400"');
    expect(msg).toContain('owner "zitadel" instead of "root"');
    expect(msg).toContain('group "docker" instead of "root"');
    expect(msg).toContain('directory mode "0755" instead of "0700"');
    expect(msg).toContain('no deploy-time check');
  });

  it('flags a missing deploy check alone, and a hostFile path that differs from hostPath', () => {
    const f = findings(rule, [
      'app',
      doc(manifest([zitadelKey({ hostFile: hf({ deployCheck: false }) }), zitadelKey({ id: 'k2', hostPath: '/etc/k2/masterkey', hostFile: hf({ path: '/etc/k2/key' }) })])),
    ]);
    expect(f.map((x) => x.message)).toEqual([
      'key zitadel-master declares host file /etc/zitadel/masterkey with no deploy-time check (deployCheck is not true)',
      'key k2 declares host file /etc/k2/key with path "/etc/k2/key" differs from hostPath "/etc/k2/masterkey"',
    ]);
  });
});
