/**
 * `verify-key` checks the size before it reads: a key is 32 or 64 characters, so a 3 GB file
 * (or anything over MAX_KEY_FILE_BYTES) is refused by its size in one line, exit 2, without
 * pulling it into memory. Only regular files are opened.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runVerifyKey } from '../../lib/cli/verify-key';
import { KeyFileUnreadableError, MAX_KEY_FILE_BYTES, verifyKeyFile } from '../../lib/keyfile/verify';

const tmp = mkdtempSync(join(tmpdir(), 'kc-key-size-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runVerifyKey(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

/** A sparse file of `size` bytes: instant, and takes no disk. */
function sparse(name: string, size: number): string {
  const file = join(tmp, name);
  writeFileSync(file, '');
  truncateSync(file, size);
  return file;
}

describe('verify-key: the size is checked before the file is read', () => {
  it('a 3 GB file is refused by its size, at once, in one line, exit 2', () => {
    const file = sparse('huge', 3 * 1024 ** 3);
    const started = Date.now();
    const { code, out, err } = cli([file, '--app', 'zitadel']);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err).toContain(`${file}: is 3221225472 bytes, more than the ${MAX_KEY_FILE_BYTES} bytes a key file may have (a zitadel key is 32 characters); not read: pass the key file itself`);
  });

  it('a file just over the cap is refused; one at the cap is checked as usual', () => {
    expect(() => verifyKeyFile(sparse('over', MAX_KEY_FILE_BYTES + 1), 'servos')).toThrow(KeyFileUnreadableError);
    expect(() => verifyKeyFile(sparse('over', MAX_KEY_FILE_BYTES + 1), 'servos')).toThrow(/not read/);
    writeFileSync(join(tmp, 'at-cap'), 'a'.repeat(MAX_KEY_FILE_BYTES));
    const r = verifyKeyFile(join(tmp, 'at-cap'), 'servos');
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toMatch(new RegExp(`is ${MAX_KEY_FILE_BYTES} characters; servos needs 64 hex characters`));
  });

  it('/dev/zero and a FIFO are refused without being opened for reading', () => {
    const link = join(tmp, 'zero');
    symlinkSync('/dev/zero', link);
    expect(() => verifyKeyFile(link, 'zitadel')).toThrow(/not a regular file/);
    const fifo = join(tmp, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(() => verifyKeyFile(fifo, 'zitadel')).toThrow(/not a regular file/);
  });

  it('a symbolic link loop says so', () => {
    const a = join(tmp, 'loop-a');
    symlinkSync(join(tmp, 'loop-b'), a);
    symlinkSync(a, join(tmp, 'loop-b'));
    const { code, err } = cli([a, '--app', 'zitadel']);
    expect(code).toBe(2);
    expect(err).toMatch(/a symbolic link loop \(ELOOP\); point the link at the key file/);
  });
});
