/**
 * Standard output that cannot take the report, with real pipes and a real /dev/full:
 *
 * - a write failure (`> /dev/full`: ENOSPC) is exit 2 with one `key-custody: ...` line on stderr,
 *   never the "findings" code 1 and never a stack trace;
 * - EPIPE (the reader went away, `| head -1`) is quiet, as for a tool killed by SIGPIPE, and exit
 *   2: the report was not delivered whole, so `set -o pipefail` fails instead of passing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binCommand, binEnv, oneErrorLine, ROOT, runBin } from './process';
import { writeCdktfOut } from './fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'kc-output-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const out = writeCdktfOut(tmp);

/**
 * A folder of hand-written Terraform JSON whose check prints far more than a pipe holds (64 KiB):
 * many key-backup buckets without any hardening, each a handful of findings.
 */
function bigInput(): string {
  const dir = join(tmp, 'big');
  mkdirSync(dir, { recursive: true });
  const buckets: Record<string, unknown> = {};
  for (let i = 0; i < 400; i++) buckets[`key_backup_${i}`] = { bucket: `kc-key-backup-${i}`, tags: { 'custody:role': 'key-backup', 'custody:key': 'zitadel', 'custody:app': 'zitadel' } };
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify({ resource: { aws_s3_bucket: buckets } }));
  return dir;
}

const hasDevFull = existsSync('/dev/full');

describe.skipIf(!hasDevFull)('> /dev/full', () => {
  function toDevFull(args: string[]) {
    const fd = openSync('/dev/full', 'w');
    try {
      return runBin(args, { stdio: ['ignore', fd, 'pipe'] });
    } finally {
      closeSync(fd);
    }
  }

  it('a report that cannot be written is exit 2 with one line, not exit 1 and a trace', () => {
    const r = toDevFull(['check', out, '--format', 'json']);
    expect(r.timedOut).toBe(false);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr), r.stderr).toMatch(/^key-custody: cannot write the report to standard output: no space left on the device \(ENOSPC\); free space/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help that cannot be written is exit 2 as well', () => {
    const r = toDevFull(['--help']);
    expect(r.status).toBe(2);
    expect(oneErrorLine(r.stderr), r.stderr).toMatch(/ENOSPC/);
  });
});

describe('a reader that goes away (EPIPE)', () => {
  it('`key-custody check ... | head -1` under pipefail: exit 2, quiet, head got its line', () => {
    const dir = bigInput();
    const res = spawnSync('bash', ['-c', `set -o pipefail; { ${binCommand(['check', dir])}; } 2>${join(tmp, 'head.err')} | head -1`], {
      cwd: ROOT,
      encoding: 'utf8',
      env: binEnv(),
      timeout: 60_000,
      killSignal: 'SIGKILL',
    });
    expect(res.error).toBeUndefined();
    expect(res.stdout).toMatch(/^stack big\n$/);
    expect(res.status).toBe(2);
    expect(readFileSync(join(tmp, 'head.err'), 'utf8')).toBe('');
  });

  it('a pipe closed before anything is written: exit 2, nothing on stderr', async () => {
    const child = spawn('sh', ['-c', binCommand(['check', out])], { cwd: ROOT, env: binEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    clearTimeout(timer);
    expect(stderr).toBe('');
    expect(status).toBe(2);
  });
});
