/**
 * Every refusal of the key ceremony: one line that names the value and says the fix. It
 * never carries key material; the CLI prints it as it is and exits 2.
 */
export class CeremonyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CeremonyError';
  }
}

/** A file-system failure as one line: what could not be done to which path, and the fix. */
export function fsFailure(what: string, path: string, e: unknown): CeremonyError {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const why =
    code === 'EACCES' || code === 'EPERM'
      ? `permission denied (${code}); run as the user who owns it (root for a hot copy), or choose a writable path`
      : code === 'ENOENT'
        ? 'a parent folder does not exist; create it first'
        : code === 'ENOTDIR'
          ? 'a parent of it is not a folder'
          : code === 'EROFS'
            ? 'the file system is read-only'
            : code === 'ENOSPC'
              ? 'no space left on the device'
              : code === 'EISDIR'
                ? 'it is a folder; give a file name'
                : (code ?? (e instanceof Error ? e.message : String(e)));
  return new CeremonyError(`cannot ${what} ${path}: ${why}`);
}
