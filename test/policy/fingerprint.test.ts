/**
 * The kcfp1 key fingerprint (#20): salted scrypt, the same key and salt give the same value,
 * another salt another value, and it is checked without the salt being given separately.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprintMatches, fingerprintPrefix, fingerprintSalt, FINGERPRINT_RE, keyFingerprint } from '../../lib/policy/fingerprint';

const KEY = Buffer.from('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
const SALT = '00112233445566778899aabbccddeeff';

describe('kcfp1 fingerprint', () => {
  it('is kcfp1:<salt>:<scrypt hash>, deterministic for a salt, different across salts', () => {
    const a = keyFingerprint(KEY, SALT);
    expect(a).toMatch(FINGERPRINT_RE);
    expect(a.startsWith(`kcfp1:${SALT}:`)).toBe(true);
    expect(keyFingerprint(KEY, SALT)).toBe(a);
    const b = keyFingerprint(KEY);
    expect(b).not.toBe(a);
    expect(fingerprintSalt(b)).toMatch(/^[0-9a-f]{32}$/);
    // Not a plain hash of the key.
    expect(a).not.toContain(createHash('sha256').update(KEY).digest('hex'));
  });

  it('matches its key only', () => {
    const fp = keyFingerprint(KEY);
    expect(fingerprintMatches(KEY, fp)).toBe(true);
    expect(fingerprintMatches(KEY, fp.toUpperCase().replace('KCFP1', 'kcfp1'))).toBe(true);
    expect(fingerprintMatches(Buffer.from('other'), fp)).toBe(false);
    expect(fingerprintMatches(KEY, 'a'.repeat(64))).toBeUndefined();
  });

  it('shows a prefix of the hash, never the salt', () => {
    const fp = keyFingerprint(KEY, SALT);
    expect(fingerprintPrefix(fp)).toBe(`kcfp1 ${fp.split(':')[2].slice(0, 12)}`);
    expect(fingerprintPrefix('AB'.repeat(32))).toBe('sha256 abababababab');
  });

  it('refuses a salt of the wrong size', () => {
    expect(() => keyFingerprint(KEY, 'abcd')).toThrow('a fingerprint salt is 16 bytes (32 hex characters); got 2 bytes');
  });
});
