/**
 * Bad-input catalogue, CLI file access: what `key-custody check` is pointed at that is not a
 * readable regular file of a sane size, and cdktf manifests that point outside their cdktf.out.
 * Same row style as bad-inputs.test.ts: each row names what was wrong, the offending value and
 * the fix, in one stderr line `key-custody: ...`, exit 2, no stack frames, nothing on stdout.
 *
 * Rows marked `process` run the bin as a real process, bounded in time and memory: a FIFO or
 * /dev/zero read would block the test worker itself, and a permission row needs a user that is
 * not root (the bin then runs as `nobody`).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/main';
import { isRoot, OTHER_USER, oneErrorLine, openToOthers, runBin } from '../cli/process';

const tmp = mkdtempSync(join(tmpdir(), 'kc-bad-inputs-cli-'));
openToOthers(tmp);
afterAll(() => {
  // Unreadable folders of the permission rows must be removable again.
  spawnSync('chmod', ['-R', 'u+rwx', tmp]);
  rmSync(tmp, { recursive: true, force: true });
});

const TF_JSON = JSON.stringify({ resource: { docker_container: { app: { name: 'app', image: 'nginx' } } } });

let n = 0;
/** A fresh folder below tmp, reachable by the other user. */
function folder(name: string): string {
  const d = join(tmp, `${n++}-${name}`);
  mkdirSync(d, { recursive: true });
  openToOthers(d);
  return d;
}

function write(p: string, content: string | Buffer): string {
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
}

function fifo(p: string): string {
  mkdirSync(dirname(p), { recursive: true });
  const r = spawnSync('mkfifo', [p]);
  if (r.status !== 0) throw new Error(`mkfifo ${p} failed: ${r.stderr}`);
  return p;
}

/** A cdktf.out whose manifest lists stack `a` with these fields (and stacks/a/cdk.tf.json present). */
function outWithManifest(name: string, entry: Record<string, unknown>): string {
  const out = folder(name);
  write(join(out, 'stacks', 'a', 'cdk.tf.json'), TF_JSON);
  write(join(out, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: { a: { name: 'a', workingDirectory: 'stacks/a', synthesizedStackPath: 'stacks/a/cdk.tf.json', ...entry } } }));
  return out;
}

interface FileRow {
  readonly name: string;
  /** Builds the input; returns the argv after `key-custody`. */
  readonly argv: () => string[];
  readonly what: string | RegExp;
  /** The offending value (a path, a manifest field) the message must name. */
  readonly value: string;
  readonly fix: string | RegExp;
  /** Run the bin as a real process (a read that could block, or a permission check). */
  readonly process?: 'bounded' | 'other-user';
}

const ROWS: FileRow[] = [
  // Never hang: only regular files are read.
  { name: 'a FIFO as a stack folder cdk.tf.json', process: 'bounded', argv: () => { const d = folder('fifo-stack'); fifo(join(d, 'cdk.tf.json')); return ['check', d]; }, what: 'is a FIFO (named pipe), not a regular file', value: 'cdk.tf.json', fix: 'pass a cdktf.out folder' },
  { name: '/dev/zero linked as a stack folder cdk.tf.json', process: 'bounded', argv: () => { const d = folder('zero-stack'); symlinkSync('/dev/zero', join(d, 'cdk.tf.json')); return ['check', d]; }, what: 'is a character device, not a regular file', value: 'cdk.tf.json', fix: 'pass a cdktf.out folder' },
  { name: 'a FIFO as the cdktf.out manifest.json', process: 'bounded', argv: () => { const d = folder('fifo-manifest'); write(join(d, 'stacks', 'a', 'cdk.tf.json'), TF_JSON); fifo(join(d, 'manifest.json')); return ['check', d]; }, what: 'is a FIFO (named pipe), not a regular file', value: 'manifest.json', fix: 'pass a cdktf.out folder' },
  { name: 'a FIFO as the stack file a manifest lists', process: 'bounded', argv: () => { const d = folder('fifo-listed'); write(join(d, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: { a: { name: 'a', synthesizedStackPath: 'stacks/a/cdk.tf.json' } } })); fifo(join(d, 'stacks', 'a', 'cdk.tf.json')); return ['check', d]; }, what: 'is a FIFO (named pipe), not a regular file', value: join('stacks', 'a', 'cdk.tf.json'), fix: 'pass a cdktf.out folder' },
  { name: 'a FIFO *.tf.json next to a valid one', argv: () => { const d = folder('fifo-module'); write(join(d, 'main.tf.json'), TF_JSON); fifo(join(d, 'extra.tf.json')); return ['check', d]; }, what: 'is a FIFO (named pipe), not a regular file', value: 'extra.tf.json', fix: 'pass a cdktf.out folder' },
  { name: 'an input file over the size cap', argv: () => { const p = write(join(folder('huge'), 'cdk.tf.json'), ''); truncateSync(p, 300 * 1024 * 1024); return ['check', p]; }, what: 'is 300.0 MiB, over the 256.0 MiB limit for one input file', value: 'cdk.tf.json', fix: 'not a larger file' },
  // Clear messages: links and permissions.
  { name: 'a symbolic link loop given as the path', argv: () => { const d = folder('loop'); symlinkSync(join(d, 'b'), join(d, 'a')); symlinkSync(join(d, 'a'), join(d, 'b')); return ['check', join(d, 'a')]; }, what: 'is a symbolic link loop', value: 'loop/a', fix: 'point the link at a real file or folder' },
  { name: 'a symbolic link loop as a stack of a cdktf.out', argv: () => { const d = folder('loop-stack'); write(join(d, 'stacks', 'b', 'cdk.tf.json'), TF_JSON); mkdirSync(join(d, 'stacks', 'a')); symlinkSync('cdk.tf.json', join(d, 'stacks', 'a', 'cdk.tf.json')); return ['check', d]; }, what: 'is a symbolic link loop', value: join('stacks', 'a', 'cdk.tf.json'), fix: 'point the link at a real file or folder' },
  { name: 'a broken symbolic link *.tf.json', argv: () => { const d = folder('dangling'); write(join(d, 'main.tf.json'), TF_JSON); symlinkSync(join(d, 'gone.json'), join(d, 'extra.tf.json')); return ['check', d]; }, what: 'is a symbolic link to something that does not exist', value: 'extra.tf.json', fix: 'point the link at the real file, or remove it' },
  { name: 'a folder that cannot be read', process: 'other-user', argv: () => { const d = folder('locked-dir'); write(join(d, 'cdk.tf.json'), TF_JSON); chmodSync(d, 0o000); return ['check', d]; }, what: 'cannot be read: permission denied (EACCES)', value: 'locked-dir', fix: 'give the user running key-custody read access' },
  { name: 'a stack file that cannot be read', process: 'other-user', argv: () => { const d = folder('locked-file'); chmodSync(write(join(d, 'cdk.tf.json'), TF_JSON), 0o000); return ['check', d]; }, what: 'cannot be read: permission denied (EACCES)', value: 'cdk.tf.json', fix: 'give the user running key-custody read access' },
  // Never leak: a manifest is followed only inside its cdktf.out.
  { name: 'manifest synthesizedStackPath /etc/passwd', argv: () => ['check', outWithManifest('passwd', { synthesizedStackPath: '/etc/passwd' })], what: 'outside', value: '"/etc/passwd"', fix: 'run `cdktf synth` again' },
  { name: 'manifest synthesizedStackPath ../../x', argv: () => { const out = outWithManifest('dotdot', { synthesizedStackPath: '../../x/cdk.tf.json' }); write(join(out, '..', '..', 'x', 'cdk.tf.json'), TF_JSON); return ['check', out]; }, what: 'outside', value: '"../../x/cdk.tf.json"', fix: 'run `cdktf synth` again' },
  { name: 'manifest workingDirectory outside', argv: () => ['check', outWithManifest('workdir', { workingDirectory: '../elsewhere' })], what: 'outside', value: 'workingDirectory "../elsewhere"', fix: 'run `cdktf synth` again' },
  { name: 'manifest stack path that links outside', argv: () => { const out = outWithManifest('link-out', {}); const target = write(join(folder('link-target'), 'cdk.tf.json'), TF_JSON); rmSync(join(out, 'stacks', 'a', 'cdk.tf.json')); symlinkSync(target, join(out, 'stacks', 'a', 'cdk.tf.json')); return ['check', out]; }, what: /a symbolic link to .* outside/, value: '"stacks/a/cdk.tf.json"', fix: 'replace the link by the file' },
];

function matches(message: string, want: string | RegExp): boolean {
  return typeof want === 'string' ? message.includes(want) : want.test(message);
}

async function inProcess(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd: tmp });
  return { code, out, err };
}

describe('bad CLI input files and manifests', () => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const argv = row.argv();
    let code: number | null;
    let out: string;
    let err: string;
    if (row.process) {
      const res = runBin(argv, { cwd: tmp, uid: row.process === 'other-user' && isRoot() ? OTHER_USER : undefined, timeoutMs: 60_000 });
      expect(res.timedOut, `hung: ${res.stderr}`).toBe(false);
      ({ status: code, stdout: out, stderr: err } = res);
    } else {
      ({ code, out, err } = await inProcess(argv));
    }
    expect(code, err).toBe(2);
    expect(out).toBe('');
    expect(err.endsWith('\n')).toBe(true);
    expect(oneErrorLine(err), err).toBeDefined();
    expect(err).not.toMatch(/\s+at \S+ \(|internal error/);
    expect(matches(err, row.what), `what was wrong: ${err}`).toBe(true);
    expect(err.includes(row.value), `the value ${row.value}: ${err}`).toBe(true);
    expect(matches(err, row.fix), `the fix: ${err}`).toBe(true);
  });
});
