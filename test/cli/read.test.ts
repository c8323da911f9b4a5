/**
 * lib/cli/read.ts: every input file of `key-custody check` is a regular file below the size
 * cap, read without blocking; failures say what the path is (a FIFO, a device, a link loop, a
 * broken link, unreadable), not "does not exist" for everything.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { accessError, FileAccessError, formatBytes, MAX_INPUT_BYTES, pathExists, readRegularFile, realPath } from '../../lib/cli/read';

const tmp = mkdtempSync(join(tmpdir(), 'kc-read-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function reason(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof FileAccessError) return `${e.reason}${e.fix ? `; ${e.fix}` : ''}`;
    throw e;
  }
  throw new Error('did not throw');
}

describe('readRegularFile', () => {
  it('reads a regular file, through a symbolic link too', () => {
    const file = join(tmp, 'plain.json');
    writeFileSync(file, '{"a":1}');
    symlinkSync(file, join(tmp, 'link.json'));
    expect(readRegularFile(file).toString('utf8')).toBe('{"a":1}');
    expect(readRegularFile(join(tmp, 'link.json')).toString('utf8')).toBe('{"a":1}');
    writeFileSync(join(tmp, 'empty.json'), '');
    expect(readRegularFile(join(tmp, 'empty.json')).length).toBe(0);
  });

  it('reads a file larger than one read chunk whole', () => {
    const big = 'x'.repeat(200_000);
    writeFileSync(join(tmp, 'big.json'), big);
    expect(readRegularFile(join(tmp, 'big.json')).toString('utf8')).toBe(big);
  });

  it('refuses a FIFO without blocking, and a device', () => {
    const fifo = join(tmp, 'fifo.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(reason(() => readRegularFile(fifo))).toMatch(/^is a FIFO \(named pipe\), not a regular file$/);
    expect(reason(() => readRegularFile('/dev/zero'))).toMatch(/^is a character device, not a regular file$/);
    expect(reason(() => readRegularFile(tmp))).toMatch(/^is a folder, not a regular file$/);
  });

  it('refuses a file over the cap by its size, before reading it', () => {
    const file = join(tmp, 'sparse.json');
    writeFileSync(file, '');
    truncateSync(file, MAX_INPUT_BYTES + 1);
    expect(reason(() => readRegularFile(file))).toMatch(/^is 268435457 bytes, over the 268435456 bytes limit for one input file; pass the cdktf\.out folder/);
    writeFileSync(join(tmp, 'eleven.json'), '01234567890');
    expect(reason(() => readRegularFile(join(tmp, 'eleven.json'), { maxBytes: 10 }))).toMatch(/^is 11 bytes, over the 10 bytes limit/);
    expect(readRegularFile(join(tmp, 'eleven.json'), { maxBytes: 11 }).length).toBe(11);
  });

  it('names link loops, broken links and missing files apart', () => {
    const a = join(tmp, 'loop-a');
    symlinkSync(join(tmp, 'loop-b'), a);
    symlinkSync(a, join(tmp, 'loop-b'));
    expect(reason(() => readRegularFile(a))).toMatch(/^is a symbolic link loop .*\(ELOOP\); point the link at a real file or folder/);
    expect(reason(() => realPath(a))).toMatch(/symbolic link loop/);
    expect(() => pathExists(a)).toThrow(/symbolic link loop/);
    symlinkSync(join(tmp, 'nothing'), join(tmp, 'dangling'));
    expect(reason(() => readRegularFile(join(tmp, 'dangling')))).toMatch(/^is a symbolic link to something that does not exist/);
    expect(() => pathExists(join(tmp, 'dangling'))).toThrow(/does not exist/);
    expect(reason(() => readRegularFile(join(tmp, 'nothing')))).toBe('does not exist');
    expect(pathExists(join(tmp, 'nothing'))).toBe(false);
    mkdirSync(join(tmp, 'd'));
    expect(pathExists(join(tmp, 'd'))).toBe(true);
  });
});

describe('accessError', () => {
  it('says what each failure means and what to do', () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    expect(accessError('/x', err('EACCES')).reason).toBe('cannot be read: permission denied (EACCES)');
    expect(accessError('/x', err('EACCES')).fix).toMatch(/read access .* or run it as a user who has it/);
    expect(accessError('/x', err('ENOTDIR')).reason).toMatch(/does not exist \(a part of its path is a file/);
    expect(accessError('/x', err('EMFILE')).fix).toMatch(/ulimit -n/);
    expect(accessError('/x', err('EWHATEVER')).reason).toBe('cannot be read (EWHATEVER)');
    expect(accessError('/x', err('EIO')).message).toBe('/x cannot be read: input/output error (EIO)');
  });

  it('formatBytes', () => {
    expect(formatBytes(900)).toBe('900 bytes');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });
});
