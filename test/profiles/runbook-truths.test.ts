/**
 * The built-in profiles say what the runbooks say (#20): ServOS/ACT accept mode 0600 and 0400
 * and "32-byte hex" read both ways (64 or 32 hex characters, keygen makes 64), and log
 * `MASTER KEY INTEGRITY CHECK FAILED` on a wrong key; Zitadel wants 0400 and 32 characters.
 */
import { describe, expect, it } from 'vitest';
import { acceptedLengths, ACT, generateKeyText, keyTextOf, pinKeyFormat, SERVOS, ZITADEL, ZITADEL_V5 } from '../../lib/profiles';

describe('profiles true to the runbooks', () => {
  it('ServOS/ACT: 0400 or 0600, 64 or 32 hex characters, the integrity-check failure line', () => {
    for (const p of [SERVOS, ACT]) {
      expect(p.fileModes).toEqual(['0400', '0600']);
      expect(acceptedLengths(p)).toEqual([64, 32]);
      expect(p.encoding.length).toBe(64);
      expect(p.failureSignal).toBe('MASTER KEY INTEGRITY CHECK FAILED');
    }
  });

  it('Zitadel: 0400 only, 32 characters, no failure line', () => {
    for (const p of [ZITADEL, ZITADEL_V5]) {
      expect(p.fileModes ?? ['0400']).toEqual(['0400']);
      expect(acceptedLengths(p)).toEqual([32]);
      expect(p.failureSignal).toBeUndefined();
    }
  });

  it('pinKeyFormat pins one hex length, and refuses an ASCII profile', () => {
    expect(acceptedLengths(pinKeyFormat(SERVOS, 'hex32'))).toEqual([32]);
    expect(pinKeyFormat(ACT, 'hex64').encoding).toEqual({ kind: 'hex', length: 64, accepted: [64] });
    expect(() => pinKeyFormat(ZITADEL, 'hex32')).toThrow('keyFormat "hex32" is for hex keys; the zitadel key is 32 ASCII characters and has one format');
  });

  it('generateKeyText: the runbook formats from the CSPRNG, no newline, different every time', () => {
    const a = generateKeyText(ZITADEL.encoding);
    expect(a.toString('latin1')).toMatch(/^[A-Za-z0-9+/]{32}$/);
    expect(generateKeyText(SERVOS.encoding).toString('latin1')).toMatch(/^[0-9a-f]{64}$/);
    expect(generateKeyText(SERVOS.encoding, 32).toString('latin1')).toMatch(/^[0-9a-f]{32}$/);
    expect(generateKeyText(ZITADEL.encoding).equals(a)).toBe(false);
    expect(() => generateKeyText(SERVOS.encoding, 31)).toThrow('even number');
  });

  it('keyTextOf: a hex key without its trailing newline, in lower case; an ASCII key as it is', () => {
    expect(keyTextOf(SERVOS.encoding, Buffer.from('ABcd\r\n')).toString()).toBe('abcd');
    expect(keyTextOf(ZITADEL.encoding, Buffer.from('ABcd\n')).toString()).toBe('ABcd\n');
  });
});
