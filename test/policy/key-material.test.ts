/**
 * lib/policy/key-material.ts: what "looks like key material" means for the values a message
 * quotes, and that ordinary values (ARNs, paths, bucket names, construct and zod paths) stay
 * readable.
 */
import { describe, expect, it } from 'vitest';
import { looksLikeKeyMaterial, MIN_KEY_CHARS, REDACTED, redactKeyMaterial, stringLeaves } from '../../lib/policy/key-material';

const ZITADEL_KEY = 'q7Xv2LmN9pR4sT8wK3zB6cF1hJ5dG0yA';
const HEX_KEY = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

describe('looksLikeKeyMaterial', () => {
  it.each([
    ['a 32-character Zitadel key', ZITADEL_KEY],
    ["Zitadel's documented example key", 'MasterkeyNeedsToHave32Characters'],
    ['a 64-hex ServOS/ACT key', HEX_KEY],
    ['an upper-case hex key', HEX_KEY.toUpperCase()],
    ['a 32-hex key', HEX_KEY.slice(0, 32)],
    ['a SHA-256 fingerprint (indistinguishable from a hex key)', 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855'],
    ['the base64 form of a key, with "/" and "+"', 'cTdYdjJMbU45cFI0c1Q4d0szekI2Y0YxaEo1ZEcweUE/+x=='],
    ['a base64 key with "/" in the middle', 'cTdYdjJMbU45cFI0/c1Q4d0szekI2Y0Yx/aEo1ZEcweUE='],
    ['a base64url key', 'cTdYdjJMbU45cFI0c1Q4d0szekI2Y0Yx_-aEo1ZEcweUE'],
    ['a key with punctuation', 'a8#K!2m:Q/z(9)Lw{P}3^x~Y&5*R%b7$'],
    ['an age secret key', 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ'],
    ['a key inside an absolute path', `/etc/zitadel/${ZITADEL_KEY}`],
    ['a key inside a bucket-style name', `zitadel-${HEX_KEY}`],
    ['a hex key behind sha256:', `sha256:${HEX_KEY}`],
  ])('%s', (_name, value) => {
    expect(looksLikeKeyMaterial(value)).toBe(true);
  });

  it.each([
    ['an IAM role ARN with a long mixed-case name', 'arn:aws:iam::111111111111:role/service-role/ZitadelProductionHostRole2024'],
    ['an absolute path with mixed-case segments', '/Users/Alice/Projects2024/ZitadelProduction/masterkey'],
    ['a long bucket name', 'zitadel-production-key-backups-eu-central-1-111111111111'],
    ['a zod issue path', 'previousGenerations.10.fingerprint'],
    ['a construct path', 'ZitadelProductionStack2024/ZitadelCustody/MasterKey'],
    ['a Secrets Manager name', 'Zitadel/Production2024/MasterKeySecret'],
    ['an image', 'ghcr.io/zitadel/zitadel:v4.13.0'],
    ['a URL', 'https://hooks.example.com/services/Team2024/ZitadelProductionAlerts'],
    ['a key id', 'zitadel-prod'],
    ['a 31-character mixed value', ZITADEL_KEY.slice(1)],
    ['a sentence', 'Rotate the Zitadel master key 2 times in 2026 please'],
    ['a KMS key id (a UUID)', '1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['a 12-digit account id', '111111111111'],
    ['an empty string', ''],
  ])('%s stays readable', (_name, value) => {
    expect(looksLikeKeyMaterial(value)).toBe(false);
  });

  it('the threshold is 32 characters, the length of a Zitadel key', () => {
    expect(MIN_KEY_CHARS).toBe(32);
    expect(looksLikeKeyMaterial('a'.repeat(31) + 'B1')).toBe(true);
    expect(looksLikeKeyMaterial('a'.repeat(29) + 'B1')).toBe(false);
  });
});

describe('redactKeyMaterial', () => {
  it('removes a key wherever a message quotes it, raw or JSON-escaped', () => {
    const withQuote = `ab"${ZITADEL_KEY}`;
    const text = `path "${ZITADEL_KEY}" is relative\n  got x = ${JSON.stringify(withQuote)}`;
    const out = redactKeyMaterial(text, [ZITADEL_KEY, withQuote]);
    expect(out).toBe(`path "${REDACTED}" is relative\n  got x = "${REDACTED}"`);
  });

  it('judges every token even without the values: a key built into a message', () => {
    expect(redactKeyMaterial(`grantRead: "${HEX_KEY}" is not an ARN`)).toBe(`grantRead: "${REDACTED}" is not an ARN`);
    expect(redactKeyMaterial(`the file /etc/zitadel/${ZITADEL_KEY}.`)).toBe(`the file ${REDACTED}`);
  });

  it('a key whose punctuation splits it into short runs is caught as a given value', () => {
    const k = 'a8#K!2m:Q/z(9)Lw{P}3^x~Y&5*R%b7$';
    expect(redactKeyMaterial(`fingerprint "${k}" is wrong`)).toContain(k);
    expect(redactKeyMaterial(`fingerprint "${k}" is wrong`, [k])).toBe(`fingerprint "${REDACTED}" is wrong`);
  });

  it('escapes control characters: the message keeps its own newlines, a value does not', () => {
    const v = '/etc/zitadel/master\nkey\u001b[2J\r';
    const out = redactKeyMaterial(`path "${v}" contains a control character\nfix: give a plain path`, [v]);
    expect(out).toBe('path "/etc/zitadel/master\\nkey\\u001b[2J\\r" contains a control character\nfix: give a plain path');
    expect(redactKeyMaterial('a\u0007b\u007fc\td')).toBe('a\\u0007b\\u007fc\\td');
  });

  it('leaves ordinary messages as they are', () => {
    const texts = [
      'invalid props\n✖ must be a valid S3 bucket name: 3-63 lowercase letters; got "Key_Backups"\n  → at bucketName\n  got bucketName = "Key_Backups"\nfix: give { key, app }',
      'the first reader "arn:aws:iam::111111111111:role/service-role/ZitadelProductionHostRole2024" is a raw Terraform expression',
      'give previousGenerations[].hostPath for generation 2 (e.g. "/etc/zitadel/masterkey.g2"): the app still runs with it',
      'scratchProvider drill/docker.scratch is the same provider object as app/docker (ZitadelProductionStack2024/docker)',
    ];
    for (const t of texts) expect(redactKeyMaterial(t, ['Key_Backups', 'zitadel'])).toBe(t);
  });
});

describe('stringLeaves', () => {
  it('collects strings and keys of plain objects and arrays, not of class instances', () => {
    class Holder {
      readonly secret = 'inside a class';
    }
    const leaves = stringLeaves({ a: 'x', b: ['y', { c: 'z' }], d: new Holder(), e: 3 });
    expect(leaves.sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'x', 'y', 'z'].sort());
  });

  it('stops at cycles, at its depth and at its count', () => {
    const cyclic: Record<string, unknown> = { v: 'x' };
    cyclic.self = cyclic;
    expect(stringLeaves(cyclic).sort()).toEqual(['self', 'v', 'x']);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20; i++) deep = [deep];
    expect(stringLeaves(deep)).toEqual([]);
    expect(stringLeaves(Array.from({ length: 50 }, () => 'x'), 8, 10)).toHaveLength(10);
  });

  it('a null-prototype object is walked too', () => {
    const o = Object.assign(Object.create(null) as Record<string, unknown>, { k: 'v' });
    expect(stringLeaves(o)).toEqual(['k', 'v']);
  });
});
