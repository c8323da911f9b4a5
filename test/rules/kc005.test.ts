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

describe('KC005 mode notation, unset fields and the suggested fix (mutation tests)', () => {
  const one = (key: Record<string, unknown>) => findings(rule, ['app', doc(manifest([zitadelKey(key)]))]);
  const wanted = (path: string) => `hostFile: { path: "${path}", mode: "0400", owner: "root", group: "root", dirMode: "0700", deployCheck: true }`;

  it('accepts 0o400, 0O400, 00400 and surrounding blanks as 0400 (and 0o700 as 0700)', () => {
    for (const mode of ['0o400', '0O400', '00400', ' 400 ', '0400\n']) {
      expect(one({ hostFile: hf({ mode, dirMode: '0o700' }) }), mode).toEqual([]);
    }
  });

  it('rejects modes that only contain 0400 at the start or the end', () => {
    for (const mode of ['10400', '0400x', 'x0400', '4000', '0440']) {
      const f = one({ hostFile: hf({ mode }) });
      expect(f.map((x) => x.message), mode).toEqual([`key zitadel-master declares host file /etc/zitadel/masterkey with mode "${mode}" instead of "0400"`]);
    }
  });

  it('shows an empty field as (not set)', () => {
    const f = one({ hostFile: hf({ owner: '', group: '', mode: '', dirMode: '' }) });
    expect(f.map((x) => x.message)).toEqual([
      'key zitadel-master declares host file /etc/zitadel/masterkey with mode (not set) instead of "0400", owner (not set) instead of "root", group (not set) instead of "root", directory mode (not set) instead of "0700"',
    ]);
  });

  it('gives the exact fix with the hostFile path when it differs from hostPath', () => {
    const f = findings(rule, ['app', doc(manifest([zitadelKey({ id: 'k2', hostPath: '/etc/k2/masterkey', hostFile: hf({ path: '/etc/k2/key' }) })]))]);
    expect(f).toHaveLength(1);
    expect(f[0].fix).toBe(
      `declare ${wanted('/etc/k2/key')} for key k2, and run the deploy-time check (\`stat -c '%a %U %G' /etc/k2/key\` gives "400 root root", its directory "700 root root")`,
    );
  });

  it('falls back to hostPath in the fix when the hostFile has no path', () => {
    const f = one({ hostFile: hf({ path: '' }) });
    expect(f).toHaveLength(1);
    expect(f[0].message).toBe('key zitadel-master declares host file (no path) with no path');
    expect(f[0].fix).toBe(
      `declare ${wanted('/etc/zitadel/masterkey')} for key zitadel-master, and run the deploy-time check (\`stat -c '%a %U %G' /etc/zitadel/masterkey\` gives "400 root root", its directory "700 root root")`,
    );
  });

  it('uses placeholders in the fix when neither hostFile.path nor hostPath is known', () => {
    const f = one({ hostPath: undefined, hostFile: hf({ path: undefined }) });
    expect(f).toHaveLength(1);
    expect(f[0].message).toBe('key zitadel-master declares host file (no path) with no path');
    expect(f[0].fix).toBe(
      `declare ${wanted('/etc/<app>/masterkey')} for key zitadel-master, and run the deploy-time check (\`stat -c '%a %U %G' <path>\` gives "400 root root", its directory "700 root root")`,
    );
  });

  it('gives the exact fix for a hostPath without hostFile', () => {
    const f = one({ hostFile: undefined });
    expect(f[0].fix).toBe(`declare ${wanted('/etc/zitadel/masterkey')} for key zitadel-master`);
  });
});
