import { declaredKeys } from '../model/views/declared';
import { manifestViolation } from './helpers';
import type { CustodyRule, RuleViolation } from './rule';

/** `400`, `0400`, `0o400` → `0400`; anything else unchanged. */
function normMode(mode: string): string {
  const m = /^(?:0o?)?([0-7]{3,4})$/i.exec(mode.trim());
  if (!m) return mode.trim();
  return m[1].padStart(4, '0');
}

function isRoot(name: string): boolean {
  return name === 'root' || name === '0';
}

function shown(v: string): string {
  return v === '' ? '(not set)' : `"${v}"`;
}

export const rule: CustodyRule = {
  id: 'KC005',
  title: 'The host key file is declared owner-only (0400 root:root, or the app user) in a 0700 directory, with a deploy-time check',
  severity: 'error',
  explanation:
    'The hot copy on the host is the copy every other process on the host can reach. It must be readable by root ' +
    'only (mode 0400, owner root, group root; uid/gid 0 are accepted as root) inside a directory only root can list ' +
    '(0700), and a deploy-time check must verify that on the host, because Terraform cannot see host file modes. A ' +
    'manifest key whose hot copy is a host file (`hostPath`) without a `hostFile` declaration is flagged too, as is a ' +
    '`hostFile` whose path is missing or differs from `hostPath`. Where the runbook asks for mode 600 (ServOS/ACT: ' +
    '`modes`) 0600 is accepted too; where the app runs as a non-root user (the Zitadel image: uid 1000) the file may ' +
    'belong to exactly the uid:gid the app containers run as (`appUser`), so that the app, and no one but it and root, ' +
    'can read it.',
  fix: 'declare hostFile: { path, mode: "0400", owner: "root", group: "root", dirMode: "0700", deployCheck: true } for the key',
  suppressible: true,
  check(model) {
    const out: RuleViolation[] = [];
    for (const { key, manifest } of declaredKeys(model)) {
      const hf = key.hostFile;
      const path = hf?.path || key.hostPath;
      const wanted = `hostFile: { path: "${path ?? '/etc/<app>/masterkey'}", mode: "0400", owner: "root", group: "root", dirMode: "0700", deployCheck: true }`;
      if (!hf) {
        if (key.hostPath) {
          out.push(
            manifestViolation(
              model,
              manifest,
              `key ${key.id} has its hot copy in host file ${key.hostPath} but declares no hostFile (mode, owner, group, directory mode, deploy-time check)`,
              `declare ${wanted} for key ${key.id}`,
            ),
          );
        }
        continue;
      }
      const problems: string[] = [];
      if (!hf.path) problems.push('no path');
      else if (key.hostPath && key.hostPath !== hf.path) problems.push(`path "${hf.path}" differs from hostPath "${key.hostPath}"`);
      // 0600 only where the app's runbook asks for it (ServOS/ACT); both are owner-only.
      const modes = ['0400', ...(hf.modes ?? []).map(normMode).filter((m) => m === '0600')];
      if (!modes.includes(normMode(hf.mode))) problems.push(`mode ${shown(hf.mode)} instead of ${modes.map((m) => `"${m}"`).join(' or ')}`);
      // A non-root owner only when it is the uid:gid the app containers run as (an image with a non-root USER).
      const [appUid, appGid] = (hf.appUser ?? '').split(':');
      const ownerOk = (v: string, app: string | undefined) => isRoot(v) || (/^[1-9][0-9]*$/.test(v) && v === app);
      if (!ownerOk(hf.owner, appUid)) problems.push(`owner ${shown(hf.owner)} instead of "root"${hf.appUser ? ` or the app's uid "${appUid}"` : ''}`);
      if (!ownerOk(hf.group, appGid)) problems.push(`group ${shown(hf.group)} instead of "root"${hf.appUser ? ` or the app's gid "${appGid}"` : ''}`);
      if (normMode(hf.dirMode) !== '0700') problems.push(`directory mode ${shown(hf.dirMode)} instead of "0700"`);
      if (!hf.deployCheck) problems.push('no deploy-time check (deployCheck is not true)');
      if (problems.length === 0) continue;
      out.push(
        manifestViolation(
          model,
          manifest,
          `key ${key.id} declares host file ${hf.path || '(no path)'} with ${problems.join(', ')}`,
          `declare ${wanted} for key ${key.id}, and run the deploy-time check (\`stat -c '%a %U %G' ${path ?? '<path>'}\` gives "400 root root", its directory "700 root root")`,
        ),
      );
    }
    return out;
  },
};
