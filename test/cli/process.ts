/**
 * The `key-custody` bin as a real process, for what cannot be tested in-process: a read that
 * blocks (a FIFO, /dev/zero) would block the test worker itself, a permission check needs a user
 * that is not root, and a failing stdout needs a real pipe or a real /dev/full.
 *
 * Every run is bounded: a time limit (the process is killed) and a memory limit, so that
 * a regression that reads without end fails the test instead of eating the machine's memory.
 */
import { spawnSync, type StdioOptions } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = resolve(__dirname, '..', '..');
// `node --import <tsx loader>`, not the tsx CLI: that one runs the script in a child process,
// which a time-limit kill of the CLI would leave running.
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const BIN = join(ROOT, 'lib', 'cli', 'bin.ts');

/** The user a permission test runs as when the tests run as root (who may read anything). */
export const OTHER_USER = 65534;

export interface BinOptions {
  /** Working directory; default the repository root. */
  readonly cwd?: string;
  /** stdio of the child; default all pipes. */
  readonly stdio?: StdioOptions;
  /** Run as this uid/gid (needs root). */
  readonly uid?: number;
  /** Kill after this many ms; default 60 s (a loaded CI box starts tsx slowly). */
  readonly timeoutMs?: number;
}

export interface BinResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Killed by the time limit: the process hung. */
  readonly timedOut: boolean;
}

/**
 * Writable-memory limit of the child (RLIMIT_DATA, `ulimit -d`), in KiB: plenty for the CLI, far
 * below the machine. Not an address-space limit (`ulimit -v`): WebAssembly, which tsx loads,
 * reserves address space far beyond what it uses.
 */
const DATA_KIB = 4 * 1024 * 1024;

/** A shell word: `'...'` with embedded quotes closed and reopened. */
export function shellQuote(a: string): string {
  return `'${a.replace(/'/g, `'\\''`)}'`;
}

/** The shell command line that runs `key-custody <args>` with the memory limit. */
export function binCommand(args: readonly string[]): string {
  return `ulimit -d ${DATA_KIB} && exec ${[process.execPath, '--import', TSX_LOADER, BIN, ...args].map(shellQuote).join(' ')}`;
}

/** Environment of a bin run: no colours, no debug stack traces. */
export function binEnv(uid?: number): NodeJS.ProcessEnv {
  return { ...process.env, CHECKPOINT_DISABLE: '1', NO_COLOR: '1', KEY_CUSTODY_DEBUG: '', HOME: uid !== undefined ? '/tmp' : process.env.HOME };
}

/** Run `key-custody <args>` (the TypeScript bin through tsx), bounded in time and memory. */
export function runBin(args: readonly string[], options: BinOptions = {}): BinResult {
  const res = spawnSync('sh', ['-c', binCommand(args)], {
    cwd: options.cwd ?? ROOT,
    stdio: options.stdio ?? 'pipe',
    encoding: 'utf8',
    env: binEnv(options.uid),
    timeout: options.timeoutMs ?? 60_000,
    killSignal: 'SIGKILL',
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
  });
  return {
    status: res.status,
    signal: res.signal,
    stdout: res.stdout ?? '',
    stderr: res.stderr ?? '',
    timedOut: res.error !== undefined && (res.error as NodeJS.ErrnoException).code === 'ETIMEDOUT',
  };
}

/** True when this process runs as root: permission tests then run the bin as {@link OTHER_USER}. */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Let {@link OTHER_USER} reach `dir` (mkdtemp makes folders 0700). */
export function openToOthers(...dirs: string[]): void {
  for (const d of dirs) chmodSync(d, 0o755);
}

/** The single `key-custody: ...` line of stderr, or a description of what was there instead. */
export function oneErrorLine(stderr: string): string | undefined {
  const lines = stderr.split('\n').filter((l) => l !== '');
  return lines.length === 1 && lines[0].startsWith('key-custody: ') ? lines[0] : undefined;
}
