/**
 * What an application needs from its master key: how the key is encoded, how the key
 * FILE is handed to it, which variables and flags must never carry the key, and where it
 * reports readiness. The field notes in shared/seeds are the source of each built-in.
 */

/** How the key's bytes look in its file. */
export type KeyEncoding =
  /** Exactly `length` printable ASCII characters, no trailing newline (Zitadel: 32). */
  | { readonly kind: 'ascii'; readonly length: number }
  /**
   * Hex characters; a trailing newline is tolerated. `length` is what `keygen` makes;
   * `accepted` the lengths a key file may have (default: `length` only). ServOS/ACT's runbooks
   * say "32-byte hex", which reads as 64 hex characters (32 bytes) or, as the same ecosystem's
   * `openssl rand -hex 16` makes it, 32 hex characters: both are accepted unless pinned with
   * {@link pinKeyFormat}.
   */
  | { readonly kind: 'hex'; readonly length: number; readonly accepted?: readonly number[] };

/** A pinned hex key format: `hex64` (32 bytes, 64 characters) or `hex32` (16 bytes, 32 characters). */
export type KeyFormat = 'hex64' | 'hex32';

/** A numeric user the app runs as, with the name its image gives it (for messages only). */
export interface AppUser {
  /** User name inside the image, e.g. `zitadel`. */
  readonly user: string;
  readonly uid: number;
  readonly gid: number;
}

/** How the app is told where the key file is. */
export type KeyPassing =
  /** A command-line flag followed by the path, e.g. `--masterkeyFile /run/secrets/masterkey`. */
  | { readonly kind: 'flag'; readonly flag: string }
  /** An environment variable holding the PATH, e.g. `SERVOS_MASTER_KEY_FILE=/run/secrets/...`. */
  | { readonly kind: 'env'; readonly variable: string };

/**
 * How an app changes to a new master key. The seeds describe three very different
 * switch-overs, so each profile says which one it has; rotation constructs refuse what
 * the app cannot do instead of generating a container that would fail at start.
 */
export type KeyRotation =
  /**
   * No rotation in place (Zitadel v4). The only way out is a fresh instance with a new
   * key; `migration` lists its steps for the refusal message and the runbook.
   */
  | { readonly kind: 'unsupported'; readonly migration: readonly string[] }
  /**
   * The app takes the new key and the old one at the same time and re-encrypts on read
   * (Zitadel v5+). Both are passed BY PATH: `passing.flag` names the new key's file and
   * `oldKeyFileFlag` the old key's file.
   */
  | { readonly kind: 'old-key-file'; readonly oldKeyFileFlag: string }
  /**
   * An API call re-encrypts everything with the new key; afterwards the app is restarted
   * with the new key file (ServOS/ACT). `endpoint` is the HTTP path of the call.
   */
  | { readonly kind: 'api'; readonly method: 'POST'; readonly endpoint: string; readonly canaryFailure?: string };

/**
 * How the app reaches its database, so that a recovery drill can hand it the restored one.
 * Values of `env` may hold placeholders the drill fills in: `{host}`, `{port}`, `{database}`,
 * `{user}` (PostgreSQL) and `{path}` (the SQLite file in the app's container).
 */
export type AppDatabase =
  /** A PostgreSQL server named by environment variables (Zitadel's `ZITADEL_DATABASE_POSTGRES_*`). */
  | { readonly kind: 'postgres'; readonly env: Readonly<Record<string, string>> }
  /**
   * A SQLite file `file` in the folder `dir` of the app's container (ServOS `servos.db`, ACT
   * `act.db`); `env` tells the app where, if it must be told. Without `dir` the drill cannot
   * place the restored file and refuses.
   */
  | { readonly kind: 'sqlite'; readonly file: string; readonly dir?: string; readonly env?: Readonly<Record<string, string>> };

/** Where the restored database is, for {@link databaseEnv}. */
export interface RestoredDatabase {
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly user?: string;
  /** The SQLite file's path in the app's container. */
  readonly path?: string;
}

/** The app's environment for the restored database: `db.env` with its placeholders filled in. */
export function databaseEnv(db: AppDatabase, at: RestoredDatabase): Record<string, string> {
  const values: Record<string, string | undefined> = { host: at.host, port: at.port === undefined ? undefined : String(at.port), database: at.database, user: at.user, path: at.path };
  return Object.fromEntries(Object.entries(db.env ?? {}).map(([k, v]) => [k, v.replace(/\{(host|port|database|user|path)\}/g, (m, name: string) => values[name] ?? m)]));
}

export interface AppProfile {
  /** Profile name: `zitadel`, `servos`, `act`, or a generic profile's name. */
  readonly name: string;
  /** The key's encoding in its file. */
  readonly encoding: KeyEncoding;
  /** How the key file's path reaches the app. */
  readonly passing: KeyPassing;
  /** Environment variables that must never carry the key itself. */
  readonly forbiddenEnv: readonly string[];
  /** Command-line flags that must never appear: they carry the key, or read it from the environment. */
  readonly forbiddenFlags: readonly string[];
  /** Default file name of the key under `/run/secrets/` inside the container. */
  readonly secretName: string;
  /** HTTP path that answers 200 once the app has started with the right key. */
  readonly readinessPath: string;
  /** Whether the app refuses to boot with the wrong key (ServOS/ACT integrity canary). */
  readonly integrityCanary: boolean;
  /** The app's default HTTP port, for readiness checks. */
  readonly port: number;
  /** Default container image. */
  readonly image?: string;
  /**
   * Modes a key file may have, owner-only; the first is what `keygen` writes. Zitadel's
   * runbook says `chmod 0400`; ServOS/ACT's say "600 (read/write by owner only)".
   * @default ['0400']
   */
  readonly fileModes?: readonly ('0400' | '0600')[];
  /**
   * The non-root user the app's published image runs as (its Dockerfile's `USER`). The host
   * key file is then owned by this uid and gid (still owner-only, mounted read-only), and the
   * protected app containers run as `uid:gid` explicitly, so that the app can read its key and
   * a change of the image's `USER` cannot silently make the key unreadable.
   * @default - root: the key file is `root:root` and the container runs as the image's user
   */
  readonly runsAs?: AppUser;
  /**
   * A line the app logs when it refuses to start with the wrong key (ServOS/ACT:
   * `MASTER KEY INTEGRITY CHECK FAILED`): the runbook's own failure signal, which a drill
   * looks for in the container's logs.
   * @default - none: the app has no such signal, only its readiness endpoint tells
   */
  readonly failureSignal?: string;
  /**
   * How the app reaches its database (what a recovery drill wires the restored one to).
   * @default - unknown: a recovery drill of the app must be given `appDatabase`
   */
  readonly database?: AppDatabase;
  /** Default arguments before the key flag, e.g. Zitadel's `start-from-init`. */
  readonly baseCommand: readonly string[];
  /**
   * How the app switches to a new key.
   * @default - unknown: rotation constructs refuse a second generation and ask for this field
   */
  readonly rotation?: KeyRotation;
}

/** The container path the key is mounted at for a profile. */
export function secretPath(profile: AppProfile, name = profile.secretName): string {
  return `/run/secrets/${name}`;
}

/** The argv and env that pass the key file at `path` as the profile says: by path only. */
export function keyArguments(profile: AppProfile, path: string): { command: string[]; env: Record<string, string> } {
  if (profile.passing.kind === 'flag') return { command: [profile.passing.flag, path], env: {} };
  return { command: [], env: { [profile.passing.variable]: path } };
}

/**
 * `profile` with its hex key length pinned: `hex64` accepts and makes only 64 hex characters,
 * `hex32` only 32. An ASCII profile (Zitadel) has one format and is refused.
 */
export function pinKeyFormat(profile: AppProfile, format: KeyFormat): AppProfile {
  if (profile.encoding.kind !== 'hex') throw new Error(`keyFormat "${format}" is for hex keys; the ${profile.name} key is ${profile.encoding.length} ASCII characters and has one format`);
  const length = format === 'hex32' ? 32 : 64;
  return { ...profile, encoding: { kind: 'hex', length, accepted: [length] } };
}

/** The lengths a profile's key file may have. */
export function acceptedLengths(profile: AppProfile): readonly number[] {
  return profile.encoding.kind === 'hex' ? (profile.encoding.accepted ?? [profile.encoding.length]) : [profile.encoding.length];
}

/** The uid and gid a profile's host key file is owned by: its image's user, or root. */
export function keyFileOwnerOf(profile: AppProfile): { readonly uid: number; readonly gid: number } {
  return profile.runsAs ? { uid: profile.runsAs.uid, gid: profile.runsAs.gid } : { uid: 0, gid: 0 };
}
