import type { Container } from '../model/types';
import { isKeyEnvName, isKeyFromEnvFlag } from '../policy/keynames';
import { argvOf, byPathHint, flagsOf } from './helpers';
import { keyFileRead } from './key-file-reads';
import { violationAt, type CustodyRule, type RuleViolation } from './rule';

const SECRET_TARGET = '/run/secrets/masterkey';

/** ECS `secrets` entries become environment variables too; the model keeps only `environment`. */
function ecsSecretNames(c: Container): { container?: string; names: string[] } {
  if (c.kind !== 'ecs_task') return { names: [] };
  const raw = c.resource.values.container_definitions;
  let defs: unknown;
  try {
    defs = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    return { names: [] };
  }
  const index = Number(c.id.slice(c.id.lastIndexOf('#') + 1));
  const def = Array.isArray(defs) ? (defs[index] as Record<string, unknown> | undefined) : undefined;
  if (!def || typeof def !== 'object') return { names: [] };
  const secrets = Array.isArray(def.secrets) ? (def.secrets as { name?: unknown }[]) : [];
  return {
    container: typeof def.name === 'string' ? def.name : undefined,
    names: secrets.map((s) => s?.name).filter((n): n is string => typeof n === 'string'),
  };
}

function where(c: Container, ecsName: string | undefined): string {
  return c.kind === 'ecs_task' && ecsName ? ` (container definition "${ecsName}")` : '';
}

export const rule: CustodyRule = {
  id: 'KC001',
  title: 'No container or service passes the master key in an environment variable',
  severity: 'error',
  explanation:
    'An environment variable is readable by anything that can inspect the process or the container (`docker inspect`, ' +
    '`/proc/<pid>/environ`, crash dumps, orchestrator APIs) and is usually written down in compose files, `.env` files, ' +
    'unit files or task definitions. The key must reach the app as a read-only file passed by path. Flags variables ' +
    'named `ZITADEL_MASTERKEY`, `SERVOS_MASTER_KEY`, `ACT_MASTER_KEY` or anything matching `(^|_)MASTER_?KEY$` that ' +
    'does not end in `_FILE` (ECS `secrets` entries included: ECS injects them as variables), any variable whose value reads ' +
    'the key file with `file()`, `filebase64()` or `templatefile()` whatever it is called, and Zitadel\'s ' +
    '`--masterkeyFromEnv`, which makes Zitadel read `ZITADEL_MASTERKEY`. Values are never printed.',
  fix: 'remove the variable; mount the key file read-only (e.g. at /run/secrets/masterkey) and pass it by path (`--masterkeyFile` or a `*_MASTER_KEY_FILE` variable)',
  suppressible: true,
  check(model) {
    const out: RuleViolation[] = [];
    for (const c of model.containers) {
      const app = c.labels['custody:app'];
      const ecs = ecsSecretNames(c);
      const at = where(c, ecs.container);
      for (const name of Object.keys(c.env).sort()) {
        const read = isKeyEnvName(name) ? undefined : keyFileRead(model, c.env[name]);
        if (read) {
          out.push(
            violationAt(
              c.resource,
              `reads the key file ${read} into environment variable ${name}=<redacted>${at}`,
              `remove ${name}; mount ${read} read-only at ${SECRET_TARGET} and ${byPathHint(app, name, SECRET_TARGET)}`,
            ),
          );
        }
        if (!isKeyEnvName(name)) continue;
        out.push(
          violationAt(
            c.resource,
            `passes the key in environment variable ${name}=<redacted>${at}`,
            `remove ${name}; mount the key file read-only at ${SECRET_TARGET} and ${byPathHint(app, name, SECRET_TARGET)}`,
          ),
        );
      }
      for (const name of ecs.names) {
        if (!isKeyEnvName(name)) continue;
        out.push(
          violationAt(
            c.resource,
            `injects the key as environment variable ${name} through ECS \`secrets\`${at}`,
            `remove the ${name} secret; mount the key as a read-only file and ${byPathHint(app, name, SECRET_TARGET)}`,
          ),
        );
      }
      const fromEnv = flagsOf(argvOf(c)).find((f) => isKeyFromEnvFlag(f.flag));
      if (fromEnv) {
        out.push(
          violationAt(
            c.resource,
            `runs with ${fromEnv.flag}, which makes Zitadel read the key from environment variable ZITADEL_MASTERKEY${at}`,
            `replace ${fromEnv.flag} with \`--masterkeyFile ${SECRET_TARGET}\` and mount the key file read-only there`,
          ),
        );
      }
    }
    return out;
  },
};
