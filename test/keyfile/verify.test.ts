import { createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runVerifyKey } from '../../lib/cli/verify-key';
import { KeyFileUnreadableError, verifyKeyFile } from '../../lib/keyfile/verify';
import { ZITADEL } from '../../lib/profiles';

// The files a test writes are owned by its user: tests that need an all-clear run only as root.
const isRoot = process.getuid?.() === 0;
const root = mkdtempSync(join(tmpdir(), 'kc-verify-key-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ZITADEL_KEY = 'Zq7-Lp2#Xv9!Rt4%Wm8&Ks1*Hd6+Fb3='; // 32 printable ASCII characters
const HEX_KEY = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
let n = 0;

/** A key file in its own directory, with the given modes. */
function keyFile(content: string, mode = 0o400, dirMode = 0o700): string {
  const dir = join(root, `k${n++}`);
  mkdirSync(dir);
  const file = join(dir, 'masterkey');
  writeFileSync(file, content);
  chmodSync(file, mode);
  chmodSync(dir, dirMode);
  return file;
}

function cli(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runVerifyKey(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('verifyKeyFile / key-custody verify-key', () => {
  it.skipIf(!isRoot)('accepts a correct Zitadel key file and prints its SHA-256, never the key', () => {
    const file = keyFile(ZITADEL_KEY);
    chownSync(file, 1000, 1000); // the user the Zitadel image runs as (#20)
    const r = verifyKeyFile(file, 'zitadel');
    expect(r).toMatchObject({ ok: true, problems: [], fingerprint: sha256(ZITADEL_KEY) });
    const { code, out, err } = cli(['verify-key', file, '--app', 'zitadel']);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toContain(`sha256: ${sha256(ZITADEL_KEY)}`);
    expect(out).toContain('32 printable ASCII characters, no trailing newline');
    expect(out).not.toContain(ZITADEL_KEY);
  });

  it('rejects a trailing newline and says it makes 33 bytes', () => {
    const file = keyFile(`${ZITADEL_KEY}\n`);
    const { code, out } = cli([file, '--app=zitadel']);
    expect(code).toBe(1);
    expect(out).toMatch(/trailing newline, which makes 33 bytes where zitadel needs exactly 32/);
    expect(out).toContain(`sha256: ${sha256(`${ZITADEL_KEY}\n`)}`);
    expect(out).not.toContain(ZITADEL_KEY);
  });

  it('rejects a 64-hex-character key given to Zitadel, by length', () => {
    const file = keyFile(HEX_KEY);
    const r = verifyKeyFile(file, ZITADEL);
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toMatch(/is 64 characters; zitadel needs exactly 32 printable ASCII characters \(this looks like a 64-hex-character key/);
    const { code, out } = cli([file, '--app', 'zitadel']);
    expect(code).toBe(1);
    expect(out).not.toContain(HEX_KEY);
  });

  it.skipIf(!isRoot)('accepts the same hex key for servos and act', () => {
    for (const app of ['servos', 'act']) expect(cli([keyFile(`${HEX_KEY}\n`), '--app', app]).code).toBe(0);
  });

  it('rejects mode 0644', () => {
    const file = keyFile(ZITADEL_KEY, 0o644);
    const { code, out } = cli([file, '--app', 'zitadel']);
    expect(code).toBe(1);
    expect(out).toContain(`has mode 0644; it must be 0400 (readable by its owner only): \`chmod 0400 ${file}\``);
    expect(out).not.toContain(ZITADEL_KEY);
  });

  it('rejects a group- or world-readable directory', () => {
    for (const [dirMode, who] of [
      [0o750, 'group'],
      [0o705, 'world'],
      [0o755, 'group and world'],
    ] as const) {
      const file = keyFile(ZITADEL_KEY, 0o400, dirMode);
      const { code, out } = cli([file, '--app', 'zitadel']);
      expect(code).toBe(1);
      expect(out).toMatch(new RegExp(`its directory .* has mode 0${dirMode.toString(8)}, which lets ${who} list or enter it; it must be 0700`));
      expect(out).not.toContain(ZITADEL_KEY);
    }
  });

  it.skipIf(!isRoot)('rejects non-printable bytes and reports offsets, not bytes', () => {
    const bad = `${ZITADEL_KEY.slice(0, 10)}\u0001${ZITADEL_KEY.slice(11)}`;
    const file = keyFile(bad);
    chownSync(file, 1000, 1000); // the user the Zitadel image runs as (#20)
    const r = verifyKeyFile(file, 'zitadel');
    expect(r.problems).toEqual([expect.stringContaining('1 byte(s) that are not printable ASCII (first at offset 10)')]);
  });

  it('exits 2 with a one-line reason on bad usage or an unreadable file', () => {
    expect(cli([]).code).toBe(2);
    expect(cli(['/etc/zitadel/masterkey']).err).toMatch(/give the app: --app zitadel\|servos\|act/);
    expect(cli(['x', '--app', 'keycloak']).err).toMatch(/unknown app "keycloak"/);
    const missing = cli([join(root, 'nope'), '--app', 'zitadel']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no such file/);
    expect(() => verifyKeyFile(root, 'zitadel')).toThrow(KeyFileUnreadableError);
    expect(cli(['--help']).code).toBe(0);
  });
});
