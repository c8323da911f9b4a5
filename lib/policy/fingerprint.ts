import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * The key fingerprint `key-custody keygen` prints and records, and `MasterKey.fingerprint`
 * takes: `kcfp1:<salt>:<hash>`, where `hash = scrypt(key, "kcfp1:" + salt, N=2^17, r=8, p=1)`,
 * 32 bytes, and `salt` is 16 random bytes drawn once per key generation (every copy of one
 * key shares it, so their fingerprints are equal and comparable as text).
 *
 * Why scrypt and not a hash or an HMAC: the fingerprint is written into Terraform (plan,
 * state, the custody manifest) and into reports that many people read. A plain SHA-256 of a
 * key lets anyone who reads it test guesses offline at billions per second; an HMAC under a
 * key published with the library is the same thing with a constant prefix. A secret HMAC key
 * would stop guessing entirely, but it is one more secret every verifier (the drill, an
 * operator with `verify-key`) must hold, i.e. one more copy to keep. The memory-hard scrypt
 * costs ~128 MiB and a few hundred milliseconds per guess and the per-key salt rules out
 * tables built in advance; for a key `keygen` made (192 or 256 random bits) guessing is out
 * of reach either way, and for a weak hand-made key it is slowed by ~10^8, not prevented:
 * make keys with `keygen`.
 *
 * The parameters are fixed by the `kcfp1` version; stronger ones get a new version.
 */
export const FINGERPRINT_VERSION = 'kcfp1';

/** `kcfp1:` + 32 hex (salt) + `:` + 64 hex (hash), lower case. */
export const FINGERPRINT_RE = /^kcfp1:[0-9a-f]{32}:[0-9a-f]{64}$/;

/** The legacy form the `fingerprint` prop accepted before `kcfp1`: SHA-256 of the file, 64 hex. */
export const LEGACY_SHA256_RE = /^[0-9a-fA-F]{64}$/;

const SCRYPT = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;

function derive(key: Uint8Array, salt: Buffer): Buffer {
  return scryptSync(key, Buffer.concat([Buffer.from(`${FINGERPRINT_VERSION}:`), salt]), HASH_BYTES, SCRYPT);
}

/** The fingerprint of `key`, with a fresh salt unless one is given (16 bytes, or 32 hex). */
export function keyFingerprint(key: Uint8Array, salt?: Uint8Array | string): string {
  const s = salt === undefined ? randomBytes(SALT_BYTES) : typeof salt === 'string' ? Buffer.from(salt, 'hex') : Buffer.from(salt);
  if (s.length !== SALT_BYTES) throw new Error(`a fingerprint salt is ${SALT_BYTES} bytes (${SALT_BYTES * 2} hex characters); got ${s.length} bytes`);
  const h = derive(key, s);
  const out = `${FINGERPRINT_VERSION}:${s.toString('hex')}:${h.toString('hex')}`;
  h.fill(0);
  return out;
}

/** The salt of a `kcfp1` fingerprint (hex), or undefined when `fp` is not one. */
export function fingerprintSalt(fp: string): string | undefined {
  return FINGERPRINT_RE.test(fp) ? fp.split(':')[1] : undefined;
}

/**
 * Whether `key` has the fingerprint `fp`. A legacy SHA-256 value cannot be checked here (it
 * is a hash of the file's bytes, not of the key): the answer is then undefined.
 */
export function fingerprintMatches(key: Uint8Array, fp: string): boolean | undefined {
  const salt = fingerprintSalt(fp.toLowerCase());
  if (salt === undefined) return undefined;
  const want = Buffer.from(fp.toLowerCase().split(':')[2], 'hex');
  const got = derive(key, Buffer.from(salt, 'hex'));
  const same = timingSafeEqual(want, got);
  got.fill(0);
  return same;
}

/** What a report shows of a fingerprint: the first 12 hex characters of its hash (`kcfp1 …`), or of a SHA-256. */
export function fingerprintPrefix(fp: string): string {
  const v = fp.toLowerCase();
  if (FINGERPRINT_RE.test(v)) return `kcfp1 ${v.split(':')[2].slice(0, 12)}`;
  if (LEGACY_SHA256_RE.test(v)) return `sha256 ${v.slice(0, 12)}`;
  return v.slice(0, 12);
}
