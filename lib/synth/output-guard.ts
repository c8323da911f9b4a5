import { lstatSync, readdirSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * The synth-time check removes what a failed synth wrote, so that no unchecked stack
 * configuration is left for `cdktf deploy` or `terraform apply`. Every path it touches is
 * derived from user input (the outdir and the stack ids), so this module is the one place
 * that decides what may be removed: only entries inside `<outdir>/stacks/<stack>/`, and of
 * those only what this synth wrote. A stack id of `..` or `.` (its folder would be the
 * outdir or `stacks/` itself), an outdir of `.` and a symlinked stack folder are the
 * dangerous cases; the cdktf CLI itself never deletes outside its output.
 */

/** The entries of each stack folder before this synth wrote anything. */
export type OutputSnapshot = ReadonlyMap<string, ReadonlySet<string>>;

/** The folder every stack's output must stay inside. */
export function stacksRoot(outdir: string): string {
  return resolve(outdir, 'stacks');
}

/**
 * The absolute folder of a stack whose manifest working directory is `workingDirectory`,
 * or undefined when it is not a direct child of `<outdir>/stacks` (stack id `..` gives
 * `.`, id `.` gives `stacks`).
 */
export function containedStackFolder(outdir: string, workingDirectory: string): string | undefined {
  const root = stacksRoot(outdir);
  const folder = resolve(outdir, workingDirectory);
  const rel = relative(root, folder);
  if (rel === '' || isAbsolute(rel) || rel.split(sep).length !== 1 || rel === '..' || rel === '.') return undefined;
  return folder;
}

/** Whether `file` lies inside `folder` (after resolving both; no symlinks followed). */
export function isInside(folder: string, file: string): boolean {
  const rel = relative(resolve(folder), resolve(file));
  return rel !== '' && !isAbsolute(rel) && rel.split(sep)[0] !== '..';
}

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Record which stack folders exist under `<outdir>/stacks` and what is in them, before this
 * synth writes: what was there before is never removed.
 */
export function snapshotOutput(outdir: string): OutputSnapshot {
  const root = stacksRoot(outdir);
  const out = new Map<string, ReadonlySet<string>>();
  const rootStat = lstatOrUndefined(root);
  if (!rootStat?.isDirectory()) return out;
  let names: string[] = [];
  try {
    names = readdirSync(root);
  } catch {
    return out;
  }
  for (const name of names) {
    const folder = join(root, name);
    const st = lstatOrUndefined(folder);
    // A symlink or file is recorded with no entries: it is pre-existing, so never removed.
    let entries: string[] = [];
    if (st?.isDirectory()) {
      try {
        entries = readdirSync(folder);
      } catch {
        entries = [];
      }
    }
    out.set(name, new Set(entries));
  }
  return out;
}

/** Where the manifest says a stack's output is. */
export interface StackCleanup {
  /** The stack's folder from the manifest, relative to the outdir. */
  readonly workingDirectory: string;
  /** The synthesized configuration file from the manifest, relative to the outdir. */
  readonly synthesizedStackPath: string;
}

/**
 * Remove what this synth wrote for one stack: its synthesized configuration, every entry
 * that appeared in its folder since `before` was taken, and the folder itself when this
 * synth created it and it is now empty. Entries that existed before are left alone, except
 * the files named in `ownFiles` (earlier reports of ours, which must not outlive a failure).
 * Returns the paths removed; does nothing for a folder outside `<outdir>/stacks`.
 */
export function removeStackOutput(outdir: string, stack: StackCleanup, before: OutputSnapshot, ownFiles: readonly string[] = []): string[] {
  const folder = containedStackFolder(outdir, stack.workingDirectory);
  if (!folder) return [];
  const st = lstatOrUndefined(folder);
  // Never walk through a symlinked stack folder: its target is not ours.
  if (!st?.isDirectory()) return [];
  const name = basename(folder);
  const existedBefore = before.get(name);
  const removed: string[] = [];
  const remove = (path: string, recursive: boolean) => {
    const entry = lstatOrUndefined(path);
    if (!entry) return;
    // A symlink is removed as a link (unlink never follows it); a folder only when this
    // synth created it.
    if (entry.isDirectory() && !entry.isSymbolicLink()) {
      if (!recursive) return;
      rmSync(path, { recursive: true, force: true });
    } else {
      unlinkSync(path);
    }
    removed.push(path);
  };
  const config = resolve(outdir, stack.synthesizedStackPath);
  if (dirname(config) === folder) remove(config, false);
  let entries: string[] = [];
  try {
    entries = readdirSync(folder);
  } catch {
    entries = [];
  }
  for (const entry of entries) {
    const path = join(folder, entry);
    if (!existedBefore?.has(entry)) remove(path, true);
    else if (ownFiles.includes(entry)) remove(path, false);
  }
  if (!existedBefore) {
    try {
      if (readdirSync(folder).length === 0) {
        rmdirSync(folder);
        removed.push(folder);
      }
    } catch {
      // Left in place: a folder that cannot be listed or removed is not ours to force.
    }
  }
  return removed;
}

/**
 * Write `content` to `file` atomically: a temporary file in the same folder, then a rename,
 * so a reader sees the old file or the whole new one, never a truncated one. When the write
 * fails (a full disk), the temporary file and any earlier `file` are removed, so no stale
 * report survives, and the error names the file.
 */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    writeFileSync(tmp, content, { flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    for (const stale of [tmp, file]) {
      try {
        if (!lstatOrUndefined(stale)?.isDirectory()) rmSync(stale, { force: true });
      } catch {
        // The original error is the one to report.
      }
    }
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(`key custody check: could not write the report ${file} (${code}); free space or fix permissions and synthesize again`);
  }
}
