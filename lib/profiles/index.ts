import type { AppDatabase, AppProfile } from './app-profile';
import { looksLikeKeyMaterial, REDACTED } from '../policy/key-material';

export * from './app-profile';
export * from './key-text';

/**
 * Zitadel v4: the key is exactly 32 ASCII characters with no trailing newline (a newline
 * makes 33 bytes and setup fails); it is read from `--masterkeyFile`; `ZITADEL_MASTERKEY`,
 * `--masterkey` and `--masterkeyFromEnv` put it where `ps` and compose files show it.
 */
export const ZITADEL: AppProfile = {
  name: 'zitadel',
  encoding: { kind: 'ascii', length: 32 },
  passing: { kind: 'flag', flag: '--masterkeyFile' },
  forbiddenEnv: ['ZITADEL_MASTERKEY'],
  forbiddenFlags: ['--masterkey', '--masterkeyFromEnv'],
  secretName: 'masterkey',
  readinessPath: '/debug/readyok',
  integrityCanary: false,
  port: 8080,
  image: 'ghcr.io/zitadel/zitadel:v4.13.0',
  // The published image's Dockerfile (apps/api/Dockerfile; build/Dockerfile before it) adds
  // `useradd zitadel` on Debian, the first user (uid 1000, group 1000), and ends with
  // `USER zitadel`; the official Helm chart runs it as `runAsUser: 1000`, `fsGroup: 1000`.
  // A `0400 root:root` key file is unreadable to it, so the key file belongs to 1000:1000.
  runsAs: { user: 'zitadel', uid: 1000, gid: 1000 },
  baseCommand: ['start-from-init', '--tlsMode', 'external'],
  // The operations runbook's configuration keys (Database.Postgres.*) as environment variables.
  database: {
    kind: 'postgres',
    env: {
      ZITADEL_DATABASE_POSTGRES_HOST: '{host}',
      ZITADEL_DATABASE_POSTGRES_PORT: '{port}',
      ZITADEL_DATABASE_POSTGRES_DATABASE: '{database}',
      ZITADEL_DATABASE_POSTGRES_USER_USERNAME: '{user}',
      ZITADEL_DATABASE_POSTGRES_USER_SSL_MODE: 'disable',
      ZITADEL_DATABASE_POSTGRES_ADMIN_USERNAME: '{user}',
      ZITADEL_DATABASE_POSTGRES_ADMIN_SSL_MODE: 'disable',
    },
  },
  // Seed §5: "v4 has no live rotation"; these are its steps, in its order.
  rotation: {
    kind: 'unsupported',
    migration: [
      'declare an incident and freeze writes: stop the Zitadel container, keep the database up',
      'stand up a parallel fresh Zitadel instance with a NEW master key (a new MasterKey with its own keyId and 3-2-1 copies) and an EMPTY database',
      'export the users through the management API of the old instance (re-encrypted on export)',
      're-provision applications and OIDC clients by hand: client secrets cannot be recovered',
      'invalidate all sessions: every user re-enrolls MFA',
      'swap DNS to the new instance, then retire the old instance and its key (keep its backups as long as its DB backups are kept)',
    ],
  },
};

/**
 * The old-key FILE flag of Zitadel v5. The seed names only `--masterkey-old <value>`,
 * which takes the key by value (KC002 forbids it); the by-path twin is not documented
 * yet. `--masterkeyFileOld` follows the naming of `--masterkeyFile`; if the released v5
 * spells it differently, set `rotation.oldKeyFileFlag` on a copy of this profile:
 * `{ ...ZITADEL_V5, rotation: { kind: 'old-key-file', oldKeyFileFlag: '--<real flag>' } }`.
 */
export const ZITADEL_V5_OLD_KEY_FILE_FLAG = '--masterkeyFileOld';

/**
 * Zitadel v5+: as v4, plus rotation in place: started with the new key and the old one,
 * it re-encrypts on read. No v5 image is pinned (none is released as these notes are
 * written): give `image` to the container.
 */
export const ZITADEL_V5: AppProfile = {
  ...ZITADEL,
  name: 'zitadel-v5',
  image: undefined,
  rotation: { kind: 'old-key-file', oldKeyFileFlag: ZITADEL_V5_OLD_KEY_FILE_FLAG },
};

/** ServOS: a "32-byte hex" key (64 hex characters, or 32 as `openssl rand -hex 16` makes it), passed by `SERVOS_MASTER_KEY_FILE`; boots only with the right key. */
export const SERVOS: AppProfile = {
  name: 'servos',
  encoding: { kind: 'hex', length: 64, accepted: [64, 32] },
  passing: { kind: 'env', variable: 'SERVOS_MASTER_KEY_FILE' },
  forbiddenEnv: ['SERVOS_MASTER_KEY'],
  forbiddenFlags: [],
  secretName: 'servos_master_key',
  readinessPath: '/health',
  integrityCanary: true,
  port: 8080,
  image: 'actplatform/servos',
  fileModes: ['0400', '0600'],
  failureSignal: 'MASTER KEY INTEGRITY CHECK FAILED',
  // The runbook names the file (servos.db), not the folder the image keeps it in.
  database: { kind: 'sqlite', file: 'servos.db' },
  baseCommand: [],
  rotation: { kind: 'api', method: 'POST', endpoint: '/api/v1/system/rotate-master-key', canaryFailure: 'MASTER KEY INTEGRITY CHECK FAILED' },
};

/** ACT: like ServOS, with `ACT_MASTER_KEY_FILE`. */
export const ACT: AppProfile = {
  name: 'act',
  encoding: { kind: 'hex', length: 64, accepted: [64, 32] },
  passing: { kind: 'env', variable: 'ACT_MASTER_KEY_FILE' },
  forbiddenEnv: ['ACT_MASTER_KEY'],
  forbiddenFlags: [],
  secretName: 'act_master_key',
  readinessPath: '/health',
  integrityCanary: true,
  port: 8080,
  image: 'actplatform/act',
  fileModes: ['0400', '0600'],
  failureSignal: 'MASTER KEY INTEGRITY CHECK FAILED',
  database: { kind: 'sqlite', file: 'act.db' },
  baseCommand: [],
  rotation: { kind: 'api', method: 'POST', endpoint: '/api/v1/system/rotate-master-key', canaryFailure: 'MASTER KEY INTEGRITY CHECK FAILED' },
};

/** Options of a generic `*_MASTER_KEY_FILE` style profile. */
export interface GenericProfileOptions {
  /** Profile name, lower-case. */
  readonly name: string;
  /** The variable that carries the key FILE's path, e.g. `MYAPP_MASTER_KEY_FILE`. */
  readonly fileVariable: string;
  /**
   * Variables that must never carry the key itself.
   * @default - `fileVariable` without its `_FILE` suffix
   */
  readonly forbiddenEnv?: readonly string[];
  /**
   * Key encoding.
   * @default { kind: 'hex', length: 64 }
   */
  readonly encoding?: AppProfile['encoding'];
  /**
   * Readiness path.
   * @default '/health'
   */
  readonly readinessPath?: string;
  /**
   * HTTP port.
   * @default 8080
   */
  readonly port?: number;
  /**
   * Whether the app refuses to boot with the wrong key.
   * @default false
   */
  readonly integrityCanary?: boolean;
  /**
   * How the app reaches its database (for recovery drills).
   * @default - unknown: a drill of the app needs `appDatabase`
   */
  readonly database?: AppDatabase;
}

/** A profile for an app that reads its key from the file a `*_FILE` variable names. */
export function genericProfile(o: GenericProfileOptions): AppProfile {
  if (!/^[A-Z][A-Z0-9_]*_FILE$/.test(o.fileVariable)) {
    throw new Error(`genericProfile: fileVariable "${shown(o.fileVariable)}" must be an upper-case variable ending in _FILE, e.g. "MYAPP_MASTER_KEY_FILE"`);
  }
  return {
    name: o.name,
    encoding: o.encoding ?? { kind: 'hex', length: 64 },
    passing: { kind: 'env', variable: o.fileVariable },
    forbiddenEnv: o.forbiddenEnv ?? [o.fileVariable.replace(/_FILE$/, '')],
    forbiddenFlags: [],
    secretName: `${o.name}_master_key`,
    readinessPath: o.readinessPath ?? '/health',
    integrityCanary: o.integrityCanary ?? false,
    port: o.port ?? 8080,
    ...(o.database ? { database: o.database } : {}),
    baseCommand: [],
  };
}

/**
 * The built-in profiles by name. The table has no prototype: `profile: 'constructor'` or
 * `--app toString` must find nothing here, not Object.prototype's members (every `in` and
 * `[name]` look-up of the table relies on this).
 */
export const BUILT_IN_PROFILES: Readonly<Record<string, AppProfile>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, AppProfile>, {
    zitadel: ZITADEL,
    servos: SERVOS,
    act: ACT,
    'zitadel-v5': ZITADEL_V5,
  }),
);

/** A built-in profile by name, or an error listing the names there are. */
export function profileNamed(name: string): AppProfile {
  const p = BUILT_IN_PROFILES[name];
  if (!p) {
    throw new Error(`unknown app profile "${shown(name)}": use one of ${Object.keys(BUILT_IN_PROFILES).join(', ')}, or genericProfile({ name, fileVariable })`);
  }
  return p;
}

/** A value for an error message: a key pasted in by mistake is never printed, nor a raw control character. */
function shown(value: unknown): string {
  const text = String(value);
  // eslint-disable-next-line no-control-regex
  return looksLikeKeyMaterial(text) ? REDACTED : text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

