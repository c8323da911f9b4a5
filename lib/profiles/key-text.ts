import { randomBytes } from 'node:crypto';
import type { KeyEncoding } from './app-profile';

/**
 * The key as the app reads it from its file, which is what a fingerprint is taken of:
 * an ASCII key is every byte of the file (Zitadel reads a trailing newline as part of the
 * key), a hex key is its digits without one trailing newline, in lower case (the app
 * decodes the hex, so `AB` and `ab` are the same key). The caller zeroes the result.
 */
export function keyTextOf(encoding: KeyEncoding, file: Uint8Array): Buffer {
  if (encoding.kind === 'ascii') return Buffer.from(file);
  let end = file.length;
  if (end > 0 && file[end - 1] === 0x0a) end--;
  if (end > 0 && file[end - 1] === 0x0d) end--;
  const out = Buffer.from(file.subarray(0, end));
  for (let i = 0; i < out.length; i++) if (out[i] >= 0x41 && out[i] <= 0x46) out[i] += 0x20;
  return out;
}

/**
 * A new key of `length` characters in the encoding's alphabet, from the operating system's
 * CSPRNG, with no trailing newline:
 * - ascii: base64 of random bytes cut to `length`, as the runbook's
 *   `openssl rand -base64 32 | head -c 32` does (32 characters carry 192 random bits);
 * - hex: `length / 2` random bytes as lower-case hex, as `openssl rand -hex <length / 2>`.
 */
export function generateKeyText(encoding: KeyEncoding, length: number = encoding.length): Buffer {
  if (!Number.isInteger(length) || length <= 0) throw new Error(`a key length must be a positive whole number of characters; got ${length}`);
  if (encoding.kind === 'hex') {
    if (length % 2 !== 0) throw new Error(`a hex key has an even number of characters; got ${length}`);
    const raw = randomBytes(length / 2);
    const out = Buffer.from(raw.toString('hex'), 'latin1');
    raw.fill(0);
    return out;
  }
  const raw = randomBytes(Math.ceil((length * 3) / 4) + 3);
  const b64 = Buffer.from(raw.toString('base64'), 'latin1');
  raw.fill(0);
  const out = Buffer.from(b64.subarray(0, length));
  b64.fill(0);
  return out;
}
