import { isKeyValueFlag } from '../policy/keynames';
import { argvOf, byPathHint, flagsOf } from './helpers';
import { violationAt, type CustodyRule, type RuleViolation } from './rule';

const SECRET_TARGET = '/run/secrets/masterkey';

export const rule: CustodyRule = {
  id: 'KC002',
  title: 'No master key on a command line',
  severity: 'error',
  explanation:
    'Command-line arguments are world-readable through `ps` and `/proc/<pid>/cmdline` on the host, and they are ' +
    'stored in the Terraform configuration, plan and state of the container. Flags that take the key by value ' +
    '(`--masterkey <value>`, `--masterkey=<value>`, `--masterkey-old <value>`, `--master-key ...`) are flagged in the ' +
    'entrypoint and the command, also when the whole command is one shell string (`sh -c "zitadel start --masterkey ..."`). ' +
    'By-path flags (`--masterkeyFile`, `--masterkey-file`) and `--masterkeyFromEnv` (see KC001) are not. Values are never printed.',
  fix: 'remove the flag; mount the key file read-only and pass it by path (`--masterkeyFile /run/secrets/masterkey`)',
  suppressible: true,
  check(model) {
    const out: RuleViolation[] = [];
    for (const c of model.containers) {
      const app = c.labels['custody:app'];
      for (const f of flagsOf(argvOf(c))) {
        if (!isKeyValueFlag(f.flag)) continue;
        const shown = f.inline ? `${f.flag}=<redacted>` : f.value !== undefined ? `${f.flag} <redacted>` : f.flag;
        const old = /old/i.test(f.flag);
        const zitadelStyle = /zitadel/i.test(app ?? '') || /^--?masterkey/i.test(f.flag);
        const fix = old
          ? `remove \`${f.flag} ...\` from the command; mount the previous key's file read-only (e.g. at ${SECRET_TARGET}-old) and pass it with the app's by-path variant of the flag, never by value`
          : zitadelStyle
            ? `remove \`${f.flag} ...\` from the command; mount the key file read-only at ${SECRET_TARGET} and pass \`--masterkeyFile ${SECRET_TARGET}\``
            : `remove \`${f.flag} ...\` from the command; mount the key file read-only at ${SECRET_TARGET} and ${byPathHint(app, undefined, SECRET_TARGET)}`;
        out.push(violationAt(c.resource, `passes the key on the command line (${shown}), visible in \`ps\` and in Terraform state`, fix));
      }
    }
    return out;
  },
};
