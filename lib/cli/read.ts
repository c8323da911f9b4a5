import * as fs from 'node:fs';

/**
 * File access for `key-custody check`: every input file is read through {@link readRegularFile},
 * so that nothing a folder or a manifest points at can hang the check or exhaust its memory.
 *
 * - A FIFO blocks `open` until a writer comes and `read` until it closes; `/dev/zero` or
 *   `/dev/urandom` never end. Anything but a regular file is refused by a `stat` before it is
 *   opened, and again by an `fstat` of the opened descriptor, since a rename can swap the
 *   path in between (the open is non-blocking for that case).
 * - A regular file is read only up to {@link MAX_INPUT_BYTES}: a 3 GB file is refused by its
 *   size before any of it is read, and a file that grows while it is read is cut at the cap
 *   and refused.
 *
 * Errors are {@link FileAccessError}s whose `reason` completes "<path> ...", so callers put the
 * path the user recognises in front and their own fix behind.
 */

/**
 * Largest input file read: 256 MiB, far above the Terraform JSON of any one stack. A JavaScript
 * string (what JSON parsing needs) ends near 512 MiB, and the parsed objects take several times
 * the text.
 */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** A file or folder that cannot be used: `reason` reads "<path> <reason>", `fix` says what to do. */
export class FileAccessError extends Error {
  constructor(
    /** The file or folder, as it was passed to the helper that failed. */
    readonly path: string,
    /** Completes a sentence that starts with the path, e.g. `is a FIFO (named pipe), not a regular file`. */
    readonly reason: string,
    /** What to do about it, when the reason itself implies a fix; else the caller's. */
    readonly fix?: string,
  ) {
    super(`${path} ${reason}`);
    this.name = 'FileAccessError';
  }
}

/** `3.0 GiB`, `12.5 MiB`, `900 bytes`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** What kind of file system object this is, for "is a FIFO, not a regular file". */
export function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'an unknown kind of file';
}

/**
 * A failed file system call on `p` as a {@link FileAccessError}: what the code means for the
 * user, not "does not exist" for everything.
 */
export function accessError(p: string, e: unknown): FileAccessError {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const fail = (reason: string, fix?: string) => new FileAccessError(p, reason, fix);
  switch (code) {
    case 'ENOENT':
      return isSymlink(p) ? fail('is a symbolic link to something that does not exist', 'point the link at the real file, or remove it') : fail('does not exist');
    case 'ENOTDIR':
      return fail('does not exist (a part of its path is a file, not a folder)');
    case 'ELOOP':
      return fail('is a symbolic link loop (or a chain of too many links) (ELOOP)', 'point the link at a real file or folder, or pass that one');
    case 'EACCES':
    case 'EPERM':
      return fail(`cannot be read: permission denied (${code})`, 'give the user running key-custody read access (and `x` on each folder of the path), or run it as a user who has it');
    case 'ENAMETOOLONG':
      return fail('has a path too long for the file system (ENAMETOOLONG)', 'pass a shorter path');
    case 'EMFILE':
    case 'ENFILE':
      return fail(`cannot be opened: too many open files (${code})`, 'raise the open-file limit (`ulimit -n`) or check fewer paths at once');
    case 'EIO':
      return fail('cannot be read: input/output error (EIO)', 'check the disk or the network file system it is on');
    default:
      return fail(`cannot be read (${code ?? (e instanceof Error ? e.message : String(e))})`);
  }
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** `fs.statSync` that throws {@link FileAccessError}. Follows symbolic links. */
export function statPath(p: string): fs.Stats {
  try {
    return fs.statSync(p);
  } catch (e) {
    throw accessError(p, e);
  }
}

/**
 * Whether `p` exists (links followed). Only "no such file" is false: a link loop, a link to
 * nothing or a folder that cannot be entered throws, so that an unreadable stack is reported,
 * not silently left out of the check.
 */
export function pathExists(p: string): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | null)?.code;
    if ((code === 'ENOENT' && !isSymlink(p)) || code === 'ENOTDIR') return false;
    throw accessError(p, e);
  }
}

/** `fs.readdirSync` that throws {@link FileAccessError} (an unreadable folder says so). */
export function listFolder(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw accessError(dir, e);
  }
}

/** `fs.realpathSync` that throws {@link FileAccessError} (a link loop says so). */
export function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch (e) {
    throw accessError(p, e);
  }
}

/** Options of {@link readRegularFile}. */
export interface ReadOptions {
  /**
   * Refuse a file larger than this many bytes.
   * @default MAX_INPUT_BYTES
   */
  readonly maxBytes?: number;
}

/**
 * The bytes of a regular file (symbolic links followed), at most `maxBytes`.
 * @throws FileAccessError when it is missing, unreadable, not a regular file or too large
 */
export function readRegularFile(file: string, options: ReadOptions = {}): Buffer {
  const maxBytes = options.maxBytes ?? MAX_INPUT_BYTES;
  // Refused before it is opened: opening a device can act (a tape rewinds, a watchdog starts).
  const before = statPath(file);
  if (!before.isFile()) throw new FileAccessError(file, `is ${kindOf(before)}, not a regular file`);
  if (before.size > maxBytes) throw tooLarge(file, before.size, maxBytes);
  let fd: number;
  try {
    // O_NONBLOCK: should a FIFO be swapped in after the stat, opening it must not wait for a
    // writer forever. It changes nothing for a regular file. (Windows has no such flag.)
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw accessError(file, e);
  }
  try {
    // What was opened is what was checked: the same regular file, not one renamed in between.
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new FileAccessError(file, `is ${kindOf(st)}, not a regular file`);
    if (st.ino !== before.ino || st.dev !== before.dev) throw new FileAccessError(file, 'was replaced while being read', 'check it again when nothing is writing to it');
    if (st.size > maxBytes) throw tooLarge(file, st.size, maxBytes);
    // Read to the end, not to st.size: a file can grow (or lie, as in /proc); stop one byte
    // past the cap, which proves it is too large.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(st.size - total, 64 * 1024), maxBytes + 1 - total));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw tooLarge(file, total, maxBytes, true);
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  } catch (e) {
    if (e instanceof FileAccessError) throw e;
    throw accessError(file, e);
  } finally {
    fs.closeSync(fd);
  }
}

function tooLarge(file: string, size: number, maxBytes: number, grew = false): FileAccessError {
  // Exact bytes where the rounded sizes would read the same ("256.0 MiB, over the 256.0 MiB limit").
  const exact = formatBytes(size) === formatBytes(maxBytes);
  const [shownSize, shownMax] = exact ? [`${size} bytes`, `${maxBytes} bytes`] : [formatBytes(size), formatBytes(maxBytes)];
  return new FileAccessError(
    file,
    `is ${grew ? 'more than ' : ''}${shownSize}${grew ? ' (it grew while being read)' : ''}, over the ${shownMax} limit for one input file`,
    'pass the cdktf.out folder, one stack folder or the JSON of one plan, not a larger file',
  );
}
