/**
 * keygen writes the hot copy owned by the user the app can read it as (#20): the Zitadel image
 * runs as uid 1000, so its key file belongs to 1000:1000 (ServOS/ACT: root); --hot-owner gives
 * another owner, and the paper sheet's restore steps chown to the same owner.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/main';

const isRoot = process.getuid?.() === 0;
const dir = mkdtempSync(join(tmpdir(), 'keygen-owner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function keygen(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['keygen', ...args], { stdout: { write: (c: string) => out.push(c) }, stderr: { write: (c: string) => err.push(c) } });
  return { code, out: out.join(''), err: err.join('') };
}

describe.skipIf(!isRoot)('keygen: the hot copy belongs to the user the app runs as', () => {
  it('zitadel: 0400 1000:1000 in a 0700 root folder; the sheet restores to the same owner', async () => {
    const hot = join(dir, 'z', 'etc', 'masterkey');
    const paper = join(dir, 'z', 'paper', 'sheet.html');
    const r = await keygen(['--app', 'zitadel', '--key-id', 'zitadel-prod', '--hot', hot, '--paper', paper]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const st = statSync(hot);
    expect([st.mode & 0o777, st.uid, st.gid]).toEqual([0o400, 1000, 1000]);
    const folder = statSync(join(dir, 'z', 'etc'));
    expect([folder.mode & 0o777, folder.uid, folder.gid]).toEqual([0o700, 0, 0]);
    expect(r.out).toContain('the hot copy belongs to 1000:1000, the user the zitadel image runs as (zitadel), so that the app can read it');
    const sheet = readFileSync(paper, 'utf8');
    expect(sheet).toContain(`chown 1000:1000 ${hot} &amp;&amp; chmod 0400 ${hot}`);
    expect(sheet).toContain(`--app zitadel --owner 1000:1000 --fingerprint kcfp1:`);
  });

  it('--hot-owner gives another owner; servos stays root; a name is refused', async () => {
    const a = join(dir, 'a', 'masterkey');
    expect((await keygen(['--app', 'zitadel', '--hot', a, '--hot-owner', '10001:10002'])).code).toBe(0);
    expect([statSync(a).uid, statSync(a).gid]).toEqual([10001, 10002]);
    const s = join(dir, 's', 'master.key');
    const r = await keygen(['--app', 'servos', '--hot', s, '--hot-mode', '0600']);
    expect(r.code).toBe(0);
    expect([statSync(s).mode & 0o777, statSync(s).uid, statSync(s).gid]).toEqual([0o600, 0, 0]);
    const bad = await keygen(['--app', 'zitadel', '--hot', join(dir, 'b', 'k'), '--hot-owner', 'zitadel']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--hot-owner "zitadel": give the numeric uid:gid the app runs as');
  });
});
