import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchownSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CeremonyError, fsFailure } from './errors';

// Every copy is written to a temporary file next to its final name and renamed into place
// only when all copies are ready, so a refusal or a failure halfway leaves no partial copy.

/** A copy written to a temporary file, not yet in place. */
export interface StagedFile {
  readonly temp: string;
  readonly final: string;
  readonly replace: boolean;
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/**
 * The folder of a file, created `0700` when missing (as `install -d -m 0700` does). An
 * existing folder is used as it is, except that a hot copy's folder must be owner-only.
 */
export function ensureFolder(file: string, ownerOnly: boolean): void {
  const dir = dirname(file);
  let st;
  try {
    st = statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fsFailure('use the folder', dir, e);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e2) {
      throw fsFailure('create the folder', dir, e2);
    }
    return;
  }
  if (!st.isDirectory()) throw new CeremonyError(`cannot write ${file}: ${dir} is not a folder`);
  if (ownerOnly && (st.mode & 0o077) !== 0) {
    throw new CeremonyError(`the hot copy's folder ${dir} has mode ${octal(st.mode)}, which lets others list or enter it; run \`chmod 0700 ${dir}\` first, or choose another folder`);
  }
}

/** Refuse an existing file unless `force`; a folder or a special file is refused always. */
export function checkTarget(file: string, force: boolean, what: string): void {
  let st;
  try {
    st = lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw fsFailure('check', file, e);
  }
  if (!st.isFile()) throw new CeremonyError(`${what} ${file} exists and is not a regular file (a folder, link or device); remove it or choose another path`);
  if (!force) throw new CeremonyError(`${what} ${file} already exists; refusing to overwrite a key copy: choose another path, or pass --force to replace it`);
}

/** Write `bytes` to a fresh temporary file beside `final` with `mode` (and `owner`, when given), flushed to disk. */
export function stage(final: string, bytes: Uint8Array, mode: number, replace: boolean, owner?: { readonly uid: number; readonly gid: number }): StagedFile {
  const temp = join(dirname(final), `.${basename(final)}.tmp-${randomBytes(6).toString('hex')}`);
  let fd: number;
  try {
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), mode);
  } catch (e) {
    throw fsFailure('write', final, e);
  }
  try {
    // Given away before the key is written, so the file never holds it under another owner.
    if (owner) fchownSync(fd, owner.uid, owner.gid);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    discard({ temp, final, replace });
    throw fsFailure('write', final, e);
  }
  closeSync(fd);
  return { temp, final, replace };
}

/** Remove a staged file; quiet when it is gone already. */
export function discard(s: StagedFile): void {
  try {
    unlinkSync(s.temp);
  } catch {
    // already gone
  }
}

/**
 * Put a staged file in place. Without `replace`, a hard link refuses atomically a file that
 * appeared since the check; with it, the rename replaces the old file in one step.
 */
export function commit(s: StagedFile): void {
  try {
    if (s.replace) {
      renameSync(s.temp, s.final);
    } else {
      try {
        linkSync(s.temp, s.final);
        unlinkSync(s.temp);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // A file system without hard links (some NAS shares): check, then rename.
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
        checkTarget(s.final, false, 'the copy');
        renameSync(s.temp, s.final);
      }
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new CeremonyError(`${s.final} appeared while the copies were written; nothing was replaced: check who wrote it, then run again (or pass --force)`);
    throw fsFailure('put in place', s.final, e);
  }
}
