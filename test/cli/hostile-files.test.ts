/**
 * `key-custody check` pointed at hostile file trees: what the one-line rows of
 * test/reliability/bad-inputs-cli.test.ts do not show. Nothing outside a cdktf.out is read
 * through its manifest (and so nothing of it can be printed), an unreadable stack is reported
 * rather than left out of the check, and the legitimate layouts with symbolic links still work.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run, stackA, stackB, tempDir, writeCdktfOut, writeJson } from './fixtures';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

function manifest(out: string, stacks: Record<string, unknown>): void {
  writeJson(join(out, 'manifest.json'), { version: '0.21.0', stacks });
}

describe('a manifest is followed only inside its cdktf.out', () => {
  it('/etc/passwd is refused before it is read: no line of it is printed', async () => {
    const out = writeCdktfOut(dir);
    manifest(out, { a: { name: 'a', synthesizedStackPath: '/etc/passwd' } });
    const r = await run(['check', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/manifest\.json puts stack "a" at synthesizedStackPath "\/etc\/passwd", outside /);
    expect(r.stderr).not.toMatch(/root:|Unexpected token/);
  });

  it('a stack key that climbs out, with no synthesizedStackPath, is refused too', async () => {
    const out = writeCdktfOut(dir);
    writeJson(join(dir, 'x', 'cdk.tf.json'), stackB());
    manifest(out, { '../../x': { name: 'x' } });
    const r = await run(['check', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('at synthesizedStackPath "stacks/../../x/cdk.tf.json", outside');
  });

  it('a stack file outside, which a passing check used to read, fails closed', async () => {
    const out = writeCdktfOut(dir);
    writeJson(join(dir, 'elsewhere', 'cdk.tf.json'), stackA({ aTags: { 'test:error': 'x' } }));
    manifest(out, { a: { name: 'a', synthesizedStackPath: '../elsewhere/cdk.tf.json' }, b: { name: 'b', synthesizedStackPath: 'stacks/b/cdk.tf.json' } });
    const r = await run(['check', out]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('a cdktf.out reached through a symbolic link, and links inside it, still read', async () => {
    const out = writeCdktfOut(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'linked'));
    expect((await run(['check', join(dir, 'linked', 'cdktf.out')])).code).toBe(0);
    // A stack folder that links to another place inside the same cdktf.out.
    mkdirSync(join(out, 'moved'));
    writeFileSync(join(out, 'moved', 'cdk.tf.json'), JSON.stringify(stackB()));
    manifest(out, { a: { name: 'a', synthesizedStackPath: 'stacks/a/cdk.tf.json' }, b: { name: 'b', synthesizedStackPath: 'stacks/b/cdk.tf.json' } });
    const b = join(out, 'stacks', 'b', 'cdk.tf.json');
    rmSync(b);
    symlinkSync(join(out, 'moved', 'cdk.tf.json'), b);
    const r = await run(['check', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('an unreadable stack is reported, not left out', () => {
  it('a link loop in place of one stack of a cdktf.out without manifest fails the check with exit 2', async () => {
    const out = writeCdktfOut(dir, { manifestJson: false });
    const a = join(out, 'stacks', 'a', 'cdk.tf.json');
    rmSync(a);
    symlinkSync(a, a);
    const r = await run(['check', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stacks\/a\/cdk\.tf\.json is a symbolic link loop/);
  });

  it('a FIFO next to the *.tf.json files of a folder is refused, not skipped', async () => {
    writeJson(join(dir, 'mod', 'main.tf.json'), stackB());
    expect(spawnSync('mkfifo', [join(dir, 'mod', 'more.tf.json')]).status).toBe(0);
    const r = await run(['check', join(dir, 'mod')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/more\.tf\.json is a FIFO \(named pipe\), not a regular file/);
  });
});
