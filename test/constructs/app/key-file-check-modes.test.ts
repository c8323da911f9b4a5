/**
 * The deploy-time key check accepts what the runbooks ask for (#20): 0400 for Zitadel, 0400 or
 * 0600 for ServOS/ACT ("file permissions are set to 600"). The synthesized script is run with
 * `sh` against real files (as root: the check wants root:root, or 1000:1000 for Zitadel).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProtectedAppContainer } from '../../../lib/constructs/app/protected-app-container';
import { MasterKey } from '../../../lib/constructs/key/master-key';
import { labelsOf, newApp, strs, synthJson, zitadelKey, type Block } from '../key-test-utils';

const isRoot = process.getuid?.() === 0;
const root = mkdtempSync(join(tmpdir(), 'kc-check-modes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function checkScript(app: 'zitadel' | 'servos' | 'act'): string {
  const b = newApp();
  const key =
    app === 'zitadel' ? zitadelKey(b) : new MasterKey(b.stack, 'Key', { keyId: `${app}-prod`, profile: app, hotCopy: { kind: 'host-file', path: `/etc/${app}/master.key` } });
  new ProtectedAppContainer(b.stack, 'App', { masterKey: key });
  const { json } = synthJson(b);
  const check = Object.values(json.resource.docker_container as Record<string, Block>).find((c) => labelsOf(c).some((l) => l.label === 'custody:check')) as Block;
  return strs(check.command)[2];
}

let n = 0;
function run(script: string, mode: number, owner?: [number, number]): { code: number | null; out: string } {
  const dir = join(root, `d${n++}`);
  mkdirSync(dir, { mode: 0o700 });
  const file = join(dir, 'key');
  writeFileSync(file, 'x');
  chmodSync(file, mode);
  if (owner) chownSync(file, owner[0], owner[1]);
  const r = spawnSync('sh', ['-c', script, 'key-check', file]);
  return { code: r.status, out: r.stdout.toString() };
}

describe.skipIf(!isRoot)('deploy-time key check modes', () => {
  it('servos and act: 0600 and 0400 pass, 0640 fails naming both', () => {
    for (const app of ['servos', 'act'] as const) {
      const script = checkScript(app);
      expect(script).not.toMatch(/\$\{|%\{/);
      expect(run(script, 0o600)).toEqual({ code: 0, out: 'key file ok: 600 root:root in a 700 root:root directory\n' });
      expect(run(script, 0o400).code).toBe(0);
      expect(run(script, 0o640)).toEqual({ code: 1, out: 'key file is mode/uid/gid 640 0 0, want 400 0 0 or 600 0 0\n' });
    }
  });

  it('zitadel: 0400 only, owned by 1000:1000 (the image user, #20)', () => {
    const script = checkScript('zitadel');
    expect(run(script, 0o400, [1000, 1000])).toEqual({ code: 0, out: 'key file ok: 400 1000:1000 in a 700 root:root directory\n' });
    expect(run(script, 0o600, [1000, 1000])).toEqual({ code: 1, out: 'key file is mode/uid/gid 600 1000 1000, want 400 1000 1000\n' });
    expect(run(script, 0o400)).toEqual({ code: 1, out: 'key file is mode/uid/gid 400 0 0, want 400 1000 1000\n' });
  });
});
