import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fingerprintSalt, keyFingerprint } from '../policy/fingerprint';
import { acceptedLengths, BUILT_IN_PROFILES, keyFileOwnerOf, keyTextOf, type AppProfile } from '../profiles';

// The key file check itself, usable from code (it is part of the package's API); the
// `key-custody verify-key` command in lib/cli only parses its arguments and prints the result.

/** The result of checking one key file. Never carries the key. */
export interface VerifyKeyResult {
  /** True when there is no problem. */
  readonly ok: boolean;
  /** One sentence per problem: what is wrong, and the fix. */
  readonly problems: string[];
  /** SHA-256 of the file's bytes, lower-case hex (what `sha256sum` prints). */
  readonly fingerprint?: string;
  /** What was checked and found right, for the report. */
  readonly passed: string[];
  /**
   * Whether the key has the `kcfp1` fingerprint given in the options (what `keygen` printed,
   * the `MasterKey` `fingerprint` prop); undefined when none was given.
   */
  readonly fingerprintMatches?: boolean;
  /**
   * The key's `kcfp1` fingerprint under the salt of the fingerprint, candidates or salt given
   * (every copy of one key generation shares its salt, so this compares as text with the
   * copies record and the `MasterKey` `fingerprint`); undefined when none was given.
   */
  readonly kcfp1?: string;
  /** The candidate fingerprint the key has, when `candidates` were given and one matches. */
  readonly matchedCandidate?: string;
}

/** Options of {@link verifyKeyFile}. */
export interface VerifyKeyOptions {
  /** A `kcfp1:...` fingerprint the key must have; a mismatch is a problem. */
  readonly fingerprint?: string;
  /**
   * `kcfp1` fingerprints the key may have (those of a copies record); `matchedCandidate` says
   * which one it has. None matching is a problem.
   */
  readonly candidates?: readonly string[];
  /** A `kcfp1` salt (32 hex characters) to compute the key's fingerprint under. */
  readonly salt?: string;
  /**
   * Numeric owner the file must have.
   * @default - the profile's image user (Zitadel: 1000:1000), else root (0:0)
   */
  readonly owner?: { readonly uid: number; readonly gid: number };
}

/** The file cannot be checked at all (missing, unreadable, not a regular file). */
export class KeyFileUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileUnreadableError';
  }
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

/** Offset of the first byte outside `ok`, or -1. */
function firstBad(bytes: Uint8Array, ok: (b: number) => boolean): number {
  for (let i = 0; i < bytes.length; i++) if (!ok(bytes[i])) return i;
  return -1;
}

function count(bytes: Uint8Array, ok: (b: number) => boolean): number {
  let n = 0;
  for (const b of bytes) if (!ok(b)) n++;
  return n;
}

const isPrintable = (b: number) => b >= 0x20 && b <= 0x7e;
const isHex = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);

/** Encoding problems; messages give lengths and offsets, never bytes. */
function checkEncoding(bytes: Uint8Array, profile: AppProfile, file: string, passed: string[]): string[] {
  const problems: string[] = [];
  const want = profile.encoding.length;
  const app = profile.name;
  if (profile.encoding.kind === 'ascii') {
    const newline = bytes.length > 0 && bytes[bytes.length - 1] === 0x0a;
    const body = newline ? bytes.subarray(0, bytes.length - (bytes.length > 1 && bytes[bytes.length - 2] === 0x0d ? 2 : 1)) : bytes;
    if (newline) {
      problems.push(
        `ends with a trailing newline, which makes ${bytes.length} bytes where ${app} needs exactly ${want}: ${app} reads every byte and setup fails; ` +
          `rewrite the file without it (e.g. \`head -c ${want}\`, or \`printf '%s'\` instead of \`echo\`)`,
      );
    }
    if (body.length !== want) {
      const looksHex = body.length === 64 && firstBad(body, isHex) === -1;
      problems.push(
        `is ${body.length} characters${newline ? ' before the newline' : ''}; ${app} needs exactly ${want} printable ASCII characters` +
          (looksHex ? ' (this looks like a 64-hex-character key of a hex profile such as servos/act, which is not a 32-character key)' : '') +
          `; generate one with \`openssl rand -base64 ${want} | head -c ${want} > ${file}\``,
      );
    }
    const bad = count(body, isPrintable);
    if (bad > 0) {
      problems.push(
        `contains ${bad} byte(s) that are not printable ASCII (first at offset ${firstBad(
          body,
          isPrintable,
        )}); ${app} needs ${want} printable ASCII characters`,
      );
    }
    if (!newline && body.length === want && bad === 0) passed.push(`${want} printable ASCII characters, no trailing newline`);
  } else {
    // Hex apps decode the text; a single trailing newline is tolerated by them.
    const body = bytes.length > 0 && bytes[bytes.length - 1] === 0x0a ? bytes.subarray(0, bytes.length - 1) : bytes;
    const accepted = acceptedLengths(profile);
    const others = accepted.filter((n) => n !== want);
    if (!accepted.includes(body.length)) {
      problems.push(
        `is ${body.length} characters; ${app} needs ${want} hex characters (${want / 2} bytes)${others.map((n) => ` or ${n} (${n / 2} bytes)`).join('')}; generate one with \`openssl rand -hex ${want / 2} > ${file}\``,
      );
    }
    const bad = count(body, isHex);
    if (bad > 0)
      problems.push(`contains ${bad} character(s) that are not hex digits (first at offset ${firstBad(body, isHex)}); ${app} needs ${want} hex characters`);
    if (accepted.includes(body.length) && bad === 0) passed.push(hexFound(body.length, accepted));
  }
  return problems;
}

/**
 * Which reading of a hex key was found: ServOS/ACT's runbooks say "32-byte hex", which is 64
 * hex characters (32 bytes) or, as `openssl rand -hex 16` makes it, 32 hex characters.
 */
function hexFound(length: number, accepted: readonly number[]): string {
  if (accepted.length < 2) return `${length} hex characters`;
  return length === 64
    ? '64 hex characters (32 bytes: the "32-byte hex" reading of `openssl rand -hex 32`)'
    : `${length} hex characters (${length / 2} bytes${length === 32 ? ': the "32-byte hex" reading of `openssl rand -hex 16`' : ''})`;
}

/**
 * Mode and owner of the file and its directory: `0400 root:root` (or `0600` where the
 * profile's runbook asks for it) in a `0700` root directory.
 */
function checkPermissions(file: string, st: Stats, passed: string[], profile: AppProfile, owner: { readonly uid: number; readonly gid: number }): string[] {
  const problems: string[] = [];
  const mode = st.mode & 0o7777;
  const modes = (profile.fileModes ?? ['0400']).map((m) => parseInt(m, 8));
  if (!modes.includes(mode)) {
    problems.push(
      modes.length === 1
        ? `has mode ${octal(mode)}; it must be 0400 (readable by its owner only): \`chmod 0400 ${file}\``
        : `has mode ${octal(mode)}; it must be owner-only, ${modes.map(octal).join(' or ')}: \`chmod 0400 ${file}\``,
    );
  }
  const root = owner.uid === 0 && owner.gid === 0;
  const chown = `\`chown ${root ? 'root:root' : `${owner.uid}:${owner.gid}`} ${file}\``;
  // Where the app's image runs as a non-root user (the Zitadel image: uid 1000), a root-owned
  // 0400 file is unreadable to the app: the owner is that user, as the deploy-time check wants.
  const who =
    owner.uid === 0
      ? 'root'
      : `uid ${owner.uid}${profile.runsAs && profile.runsAs.uid === owner.uid ? `, the user the ${profile.name} image runs as (${profile.runsAs.user}), which cannot read a file only root can read` : ''}`;
  if (st.uid !== owner.uid) problems.push(`is owned by uid ${st.uid}; it must be owned by ${who}: ${chown}`);
  if (st.gid !== owner.gid) problems.push(`has group gid ${st.gid}; it must be group ${owner.gid === 0 ? 'root' : `gid ${owner.gid}`}: ${chown}`);
  if (modes.includes(mode) && st.uid === owner.uid && st.gid === owner.gid) passed.push(`mode ${octal(mode)}, owner ${root ? 'root:root' : `${owner.uid}:${owner.gid}`}`);

  const dir = dirname(realpathSync(file));
  const ds = statSync(dir);
  const dmode = ds.mode & 0o7777;
  if ((dmode & 0o077) !== 0) {
    const who = [(dmode & 0o070) !== 0 ? 'group' : '', (dmode & 0o007) !== 0 ? 'world' : ''].filter(Boolean).join(' and ');
    problems.push(`its directory ${dir} has mode ${octal(dmode)}, which lets ${who} list or enter it; it must be 0700: \`chmod 0700 ${dir}\``);
  }
  if (ds.uid !== 0) problems.push(`its directory ${dir} is owned by uid ${ds.uid}; it must be owned by root: \`chown root:root ${dir}\``);
  if ((dmode & 0o077) === 0 && ds.uid === 0) passed.push(`directory ${dir} mode ${octal(dmode)}, owner root`);
  return problems;
}

/**
 * Largest file read as a key: 64 KiB. A key is 32 or 64 bytes; anything much larger is not a key
 * file, and is refused by its size before it is read (a 3 GB file is not pulled into memory).
 */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

function unreadable(file: string, e: unknown): KeyFileUnreadableError {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return new KeyFileUnreadableError(`${file}: no such file`);
    case 'ELOOP':
      return new KeyFileUnreadableError(`${file}: a symbolic link loop (ELOOP); point the link at the key file, or pass the key file itself`);
    case 'EACCES':
    case 'EPERM':
      return new KeyFileUnreadableError(`${file}: cannot read it (${code}); run as root`);
    default:
      return new KeyFileUnreadableError(`${file}: cannot read it (${code ?? (e instanceof Error ? e.message : String(e))})`);
  }
}

/**
 * Stat, then read, the key file: only a regular file, only up to {@link MAX_KEY_FILE_BYTES}.
 * Anything else is refused before it is opened (a FIFO would block, `/dev/zero` never ends);
 * the opened descriptor is checked again, since a rename can swap the path in between.
 */
function readKeyFile(file: string, profile: AppProfile): { st: Stats; bytes: Buffer } {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    throw unreadable(file, e);
  }
  if (!st.isFile()) throw new KeyFileUnreadableError(`${file}: not a regular file`);
  const tooLarge = (size: number) =>
    new KeyFileUnreadableError(
      `${file}: is ${size} bytes, more than the ${MAX_KEY_FILE_BYTES} bytes a key file may have (a ${profile.name} key is ${profile.encoding.length} characters); not read: pass the key file itself`,
    );
  if (st.size > MAX_KEY_FILE_BYTES) throw tooLarge(st.size);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw unreadable(file, e);
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile() || opened.ino !== st.ino || opened.dev !== st.dev) throw new KeyFileUnreadableError(`${file}: was replaced while being checked; check it again`);
    // One byte more than the cap proves a file that grew after the stat too large.
    const buf = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
    let n = 0;
    while (n < buf.length) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    if (n > MAX_KEY_FILE_BYTES) {
      buf.fill(0);
      throw tooLarge(n);
    }
    const bytes = Buffer.from(buf.subarray(0, n));
    buf.fill(0);
    return { st: opened, bytes };
  } catch (e) {
    if (e instanceof KeyFileUnreadableError) throw e;
    throw unreadable(file, e);
  } finally {
    closeSync(fd);
  }
}

/**
 * Check a master key file as the app and the custody rules need it: encoding and length
 * (Zitadel: exactly 32 printable ASCII characters, no trailing newline; hex apps: the hex
 * lengths the profile accepts, ServOS/ACT 64 or 32), an owner-only mode the profile accepts
 * (`0400`; ServOS/ACT also `0600`), owner root, and a directory only root can enter; with
 * `options.fingerprint`, that the key has that `kcfp1` fingerprint. The key never leaves
 * this function: problems quote lengths and offsets, and the only things derived from the
 * content are the SHA-256 of the file's bytes and the fingerprint comparison.
 *
 * @throws KeyFileUnreadableError when the file is missing, unreadable or not a regular file
 */
export function verifyKeyFile(path: string, profile: AppProfile | string, options: VerifyKeyOptions = {}): VerifyKeyResult {
  const p = typeof profile === 'string' ? BUILT_IN_PROFILES[profile] : profile;
  if (!p) throw new Error(`unknown app profile "${String(profile)}": use one of ${Object.keys(BUILT_IN_PROFILES).join(', ')}`);
  const file = resolve(path);
  const { st, bytes } = readKeyFile(file, p);
  const fingerprint = createHash('sha256').update(bytes).digest('hex');
  const passed: string[] = [];
  const problems = [...checkEncoding(bytes, p, file, passed), ...checkPermissions(file, st, passed, p, options.owner ?? keyFileOwnerOf(p))];
  let matches: boolean | undefined;
  let kcfp1: string | undefined;
  let matchedCandidate: string | undefined;
  const given = options.fingerprint?.toLowerCase();
  const candidates = (options.candidates ?? []).map((c) => c.toLowerCase());
  const salt = [given, ...candidates].map((f) => (f === undefined ? undefined : fingerprintSalt(f))).find((x) => x !== undefined) ?? options.salt;
  if (salt !== undefined || candidates.length > 0) {
    // One scrypt per distinct salt (every copy of a key generation shares one): the results compare as text.
    const key = keyTextOf(p.encoding, bytes);
    const bySalt = new Map<string, string>();
    const under = (s: string) => bySalt.get(s) ?? bySalt.set(s, keyFingerprint(key, s)).get(s)!;
    try {
      if (salt !== undefined) kcfp1 = under(salt);
      matchedCandidate = candidates.find((c) => {
        const s = fingerprintSalt(c);
        return s !== undefined && under(s) === c;
      });
      if (given !== undefined && fingerprintSalt(given) !== undefined) matches = under(fingerprintSalt(given)!) === given;
    } finally {
      key.fill(0);
    }
    if (matchedCandidate !== undefined) kcfp1 = matchedCandidate;
  }
  if (options.candidates !== undefined) {
    if (matchedCandidate !== undefined) passed.push('fingerprint found in the copies record: the record has copies of this key');
    else
      problems.push(
        `has none of the ${candidates.length} fingerprint(s) of the copies record: it is another key than the ones keygen recorded (or a typing error on restore); find the copy whose fingerprint matches`,
      );
  }
  if (given !== undefined) {
    if (matches === undefined) {
      problems.push(`the fingerprint to compare with is not a kcfp1 fingerprint; give the kcfp1:<salt>:<hash> value \`key-custody keygen\` printed (a SHA-256 is compared by eye with the sha256 line)`);
    } else if (matches) {
      passed.push('fingerprint matches: this is the key the fingerprint was made of');
    } else {
      problems.push('does not have the fingerprint given: it is another key (or a typing error on restore); find the copy whose fingerprint matches');
    }
  }
  bytes.fill(0);
  return {
    ok: problems.length === 0,
    problems,
    fingerprint,
    passed,
    ...(matches !== undefined ? { fingerprintMatches: matches } : {}),
    ...(kcfp1 !== undefined ? { kcfp1 } : {}),
    ...(matchedCandidate !== undefined ? { matchedCandidate } : {}),
  };
}
