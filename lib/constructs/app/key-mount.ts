import type { Construct, IConstruct } from 'constructs';
import * as z from '../../vendor/zod';
import { TAG_APP, TAG_KEY } from '../../policy/tags';
import { keyArguments, secretPath, type AppProfile } from '../../profiles';
import { isKeyEnvName, isKeyFileEnvName, isKeyFileFlag, isKeyFromEnvFlag, isKeyValueFlag } from '../../policy/keynames';
import { configFileOverlapsKey, imageUserCannotReadRootKey, noHostFileToMount, rotatingWithoutOffsiteCopy, userCannotReadKey } from '../errors';
import type { MasterKey } from '../key/master-key';
import { CustodyManifest } from '../manifest/custody-manifest';
import { hasOffsiteCopy, switchOver, type SwitchOver } from '../key/rotation';
import { secretNameSchema } from '../safe-names';
import { parseProps } from '../validation';

/**
 * What every protected app (container or Swarm service) shares: how the key reaches it
 * and what must never carry it. The refusals mirror KC001/KC002 (same name tests, from
 * the rules' helpers), so a construct that constructs also passes the synth-time check.
 */
export interface KeyPassingProps {
  /**
   * Environment variables. Variables that would carry the key itself
   * (`ZITADEL_MASTERKEY`, `*_MASTER_KEY`) are refused at construction.
   * @default - none besides the profile's key-file variable
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Arguments before the key-file flag (the container's CMD). Flags that carry the key
   * (`--masterkey <x>`, `--masterkey=`, `--masterkeyFromEnv`) are refused at construction.
   * @default - the profile's `baseCommand` (Zitadel: `start-from-init --tlsMode external`)
   */
  readonly command?: readonly string[];
  /**
   * Entrypoint override.
   * @default - the image's entrypoint
   */
  readonly entrypoint?: readonly string[];
  /**
   * File name of the key under `/run/secrets/` inside the container.
   * @default - the profile's `secretName` (Zitadel: `masterkey`)
   */
  readonly secretName?: string;
}

/** Where the key is inside the container and how the app is told, derived from the profile. */
export interface KeyPassing {
  readonly target: string;
  readonly command: string[];
  readonly env: Record<string, string>;
  /** One line for messages: how the key reaches the app. */
  readonly how: string;
}

/** The key file's path inside the container and the arguments/variables that name it. */
export function keyPassingOf(profile: AppProfile, props: KeyPassingProps): KeyPassing {
  const target = secretPath(profile, props.secretName);
  const args = keyArguments(profile, target);
  const how = profile.passing.kind === 'flag' ? `${profile.passing.flag} ${target}` : `${profile.passing.variable}=${target}`;
  return {
    target,
    command: [...(props.command ?? profile.baseCommand), ...args.command],
    env: { ...(props.env ?? {}), ...args.env },
    how,
  };
}

/**
 * The key mounts and the by-path arguments of a protected app for the key's current
 * rotation state (see {@link switchOver}): one read-only mount normally; during a
 * Zitadel v5 rotation the new key and the old one, both read-only and passed by path.
 * Refuses to start the app on a rotating generation that has no offsite copy yet: the
 * app encrypts new data with it from its first start.
 */
export function rotationAwarePassing(construct: string, scope: Construct, key: MasterKey, props: KeyPassingProps): KeyPassing & { readonly switchOver: SwitchOver } {
  const so = switchOver(key.profile, key.generations, (g) => key.hostPathOf(g.generation, construct), props.secretName);
  const rotating = key.rotatingGeneration;
  if (rotating && so.mounts.some((m) => m.generation === rotating.generation) && !hasOffsiteCopy(rotating)) {
    throw rotatingWithoutOffsiteCopy(scope, construct, key.keyId, rotating.generation);
  }
  return {
    target: so.mounts[0].target,
    command: [...(props.command ?? key.profile.baseCommand), ...so.command],
    env: { ...(props.env ?? {}), ...so.env },
    how: so.how,
    switchOver: so,
  };
}

/** Flags in an argv, split the way a shell would see them (`sh -c "... --masterkey=x"` included). */
function flagTokens(args: readonly string[]): { flag: string; inline: boolean; index: number }[] {
  const out: { flag: string; inline: boolean; index: number }[] = [];
  args.forEach((arg, index) => {
    for (const raw of arg.split(/\s+/)) {
      const tok = raw.replace(/^['"]+|['";]+$/g, '');
      if (!/^--?[A-Za-z]/.test(tok)) continue;
      const eq = tok.indexOf('=');
      out.push({ flag: eq > 0 ? tok.slice(0, eq) : tok, inline: eq > 0, index });
    }
  });
  return out;
}

/**
 * zod refinements that refuse key-by-value props. Messages name the variable or flag,
 * never a value, and say why and what to do instead.
 */
export function keyPassingSchema(profile: AppProfile, construct: string, secretName?: string) {
  const target = secretPath(profile, secretName);
  const how = profile.passing.kind === 'flag' ? `${profile.passing.flag} ${target}` : `${profile.passing.variable}=${target}`;
  const instead = `${construct} mounts the key file read-only at ${target} and passes it by path (${how})`;
  return z
    .object({
      env: z.optional(z.record(z.string(), z.string())),
      command: z.optional(z.array(z.string())),
      entrypoint: z.optional(z.array(z.string())),
      secretName: z.optional(secretNameSchema()),
    })
    .check(
      z.superRefine((p, ctx) => {
        for (const name of Object.keys(p.env ?? {})) {
          if (profile.forbiddenEnv.includes(name) || isKeyEnvName(name)) {
            ctx.addIssue({
              code: 'custom',
              path: ['env', name],
              message:
                `environment variable "${name}" would carry the master key itself, readable through \`docker inspect\`, ` +
                `/proc/<pid>/environ and the container's Terraform state (KC001); remove it: ${instead}`,
            });
          } else if ((profile.passing.kind === 'env' && name === profile.passing.variable) || isKeyFileEnvName(name)) {
            ctx.addIssue({
              code: 'custom',
              path: ['env', name],
              message: `environment variable "${name}" is set by ${construct} to the mounted key file; remove it (to change the file name, set secretName)`,
            });
          }
        }
        for (const field of ['entrypoint', 'command'] as const) {
          for (const t of flagTokens(p[field] ?? [])) {
            const shown = t.inline ? `${t.flag}=` : t.flag;
            if (isKeyFromEnvFlag(t.flag)) {
              ctx.addIssue({
                code: 'custom',
                path: [field, t.index],
                message: `flag "${shown}" makes the app read the master key from an environment variable (KC001); remove it: ${instead}`,
              });
            } else if (isKeyValueFlag(t.flag) || profile.forbiddenFlags.includes(t.flag)) {
              ctx.addIssue({
                code: 'custom',
                path: [field, t.index],
                message:
                  `flag "${shown}" puts the master key on the command line, visible in \`ps\`, /proc/<pid>/cmdline and the ` +
                  `container's Terraform state (KC002); remove it and its value: ${instead}`,
              });
            } else if (profile.passing.kind === 'flag' && (t.flag === profile.passing.flag || isKeyFileFlag(t.flag))) {
              ctx.addIssue({
                code: 'custom',
                path: [field, t.index],
                message: `flag "${shown}" is added by ${construct} after the command, pointing at the mounted key file; remove it (to change the file name, set secretName)`,
              });
            }
          }
        }
      }),
    ) satisfies z.ZodType<KeyPassingProps>;
}

/** The custody labels of an app container: which key it runs with. No `custody:role`: it is not a store. */
export function appLabels(key: MasterKey, extra: Readonly<Record<string, string>> = {}): { label: string; value: string }[] {
  return [...Object.entries(extra).map(([label, value]) => ({ label, value })), { label: TAG_KEY, value: key.keyId }, { label: TAG_APP, value: key.app }];
}

/** The host path a key is mounted from, or the construct's error. */
export function requireHostPath(construct: string, scope: Construct, key: MasterKey): string {
  if (key.hotCopyPath === undefined) {
    throw noHostFileToMount(scope, construct, key);
  }
  return key.hotCopyPath;
}

/** A host file bind-mounted read-only into a protected app (its configuration, a certificate). */
export interface ConfigFileMount {
  /** Absolute path of the file on the docker host, e.g. `/etc/zitadel/config.yaml`. */
  readonly source: string;
  /** Absolute path inside the container, e.g. `/etc/zitadel/config.yaml`. */
  readonly target: string;
}

/** Props every protected app (container or Swarm service) shares besides how the key is passed. */
export interface ProtectedAppCommonProps extends KeyPassingProps {
  /**
   * Further host files the app reads (its configuration, TLS certificates), each bind-mounted
   * read-only at its `target`. The image's user must be able to read them (the Zitadel image:
   * uid 1000, e.g. `chown root:1000` and `chmod 0440`). A file that is the key, a directory
   * that holds it, or a target at or around the key's path in the container is refused.
   * @default - none: only the key is mounted
   */
  readonly configFiles?: readonly ConfigFileMount[];
  /**
   * Image of the deploy-time check.
   * @default 'busybox:1.36.1'
   */
  readonly checkImage?: string;
  /**
   * Further labels (`custody:*` labels are set from the key and cannot be given).
   * @default - only the custody labels
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Validate the shared props of the protected-app constructs; throws the construct's error. */
export function parseProtectedAppProps<T extends { masterKey: MasterKey }>(construct: string, scope: Construct, base: z.ZodType<T>, props: unknown): T {
  const fix = 'mount the key, never pass it: let the construct add the key file flag or variable, and keep the key out of env and command';
  const p = parseProps(construct, scope, base, props, 'give masterKey: a MasterKey');
  const secretName = (props as KeyPassingProps).secretName;
  parseProps(construct, scope, keyPassingSchema(p.masterKey.profile, construct, typeof secretName === 'string' ? secretName : undefined), props, fix);
  return p;
}

// Every protected app of an app, by construct root: the recovery drills look their production
// providers up here instead of walking the whole tree once per drill (quadratic with many keys).
const protectedApps = new WeakMap<IConstruct, Construct[]>();

/** The ProtectedAppContainer and ProtectedAppService constructs created under `root` so far. */
export function protectedAppsOf(root: IConstruct): readonly Construct[] {
  return protectedApps.get(root) ?? [];
}

/**
 * What both protected-app constructs do first: validate the props, require the key's host
 * file, register the manifest (and so the synth-time check), work out how the key is mounted
 * and passed (both keys while a Zitadel v5 rotation runs), and tell the rotation runbook
 * which app to restart.
 */
export function prepareProtectedApp<T extends { masterKey: MasterKey; name?: string }>(
  construct: string,
  scope: Construct,
  base: z.ZodType<T>,
  props: KeyPassingProps & { readonly masterKey: MasterKey },
): { p: T; key: MasterKey; passing: KeyPassing & { readonly switchOver: SwitchOver } } {
  const p = parseProtectedAppProps(construct, scope, base, props);
  const key = props.masterKey;
  requireHostPath(construct, scope, key);
  const root = scope.node.root;
  const apps = protectedApps.get(root);
  if (apps) apps.push(scope);
  else protectedApps.set(root, [scope]);
  CustodyManifest.of(scope);
  const passing = rotationAwarePassing(construct, scope, key, props);
  key.rotationRunbook?.useContainer(p.name ?? key.app);
  return { p, key, passing };
}

const under = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

/**
 * The read-only bind mounts of `configFiles`. Refuses a source that is a key file of the key
 * (any generation) or a directory holding one, and a target at, above or inside a key mount:
 * either would put the key where the custody checks do not look for it, or hide its mount.
 */
export function configFileMounts(
  construct: string,
  scope: Construct,
  key: MasterKey,
  keyMounts: readonly { readonly source: string; readonly target: string }[],
  files: readonly ConfigFileMount[] | undefined,
): { type: 'bind'; source: string; target: string; readOnly: true }[] {
  const keyFiles = [...new Set([...key.generations.map((g) => g.hostPath), ...keyMounts.map((m) => m.source)].filter((p): p is string => p !== undefined))];
  return (files ?? []).map((f) => {
    const shown = keyFiles.find((k) => under(k, f.source));
    if (shown !== undefined) throw configFileOverlapsKey(scope, construct, f.source, f.target, shown === f.source ? 'is the key file itself' : `is a directory that holds the key file ${shown}`);
    const hidden = keyMounts.find((m) => under(m.target, f.target) || under(f.target, m.target));
    if (hidden !== undefined) throw configFileOverlapsKey(scope, construct, f.source, f.target, `would cover the key's mount at ${hidden.target} in the container`);
    return { type: 'bind' as const, source: f.source, target: f.target, readOnly: true as const };
  });
}

/** `root`, `0`, `0:0`, `root:root`: the user that reads any file. */
const isRootUser = (u: string) => /^(root|0)(:(root|0))?$/.test(u);

/**
 * The user a protected app runs as, so that it can read its key file: the `user` given, if it
 * can read the file (root, or the file's owner uid); else the file's owner `uid:gid` when that is
 * not root (the Zitadel image's `USER zitadel`, 1000:1000), set explicitly so that a change of the
 * image's `USER` cannot make the key unreadable; else the image's own user. Refuses a `user` that
 * cannot read the file, and a root-owned file for an image that runs as a non-root user. A
 * non-root owner is recorded in the manifest as the app's user, which KC005 then accepts.
 */
export function appUserFor(construct: string, scope: Construct, key: MasterKey, user: string | undefined): string | undefined {
  const owner = key.keyFileUser;
  const ownerUid = String(key.keyFileOwner.uid);
  const runsAs = key.profile.runsAs;
  if (user !== undefined) {
    const name = user.split(':')[0];
    const reads = isRootUser(user) || name === ownerUid || (runsAs !== undefined && name === runsAs.user && String(runsAs.uid) === ownerUid);
    if (!reads) throw userCannotReadKey(scope, construct, key, user, owner);
    if (owner !== '0:0' && !isRootUser(user)) key.markAppUser(owner);
    return user;
  }
  if (owner !== '0:0') {
    key.markAppUser(owner);
    return owner;
  }
  if (runsAs !== undefined && runsAs.uid !== 0) throw imageUserCannotReadRootKey(scope, construct, key, runsAs);
  return undefined;
}
