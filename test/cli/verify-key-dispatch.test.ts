import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/main';

const dir = mkdtempSync(join(tmpdir(), 'kc-vk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, isTTY: false } };
}

describe('key-custody verify-key through the main entry point', () => {
  it('dispatches to verify-key and never prints the key', async () => {
    const key = 'Zq3vT8pLw2nR7xK4cJ9mB6hF1dS5gY0u';
    const keyDir = join(dir, 'zitadel');
    mkdirSync(keyDir);
    writeFileSync(join(keyDir, 'masterkey'), key);
    chmodSync(join(keyDir, 'masterkey'), 0o400);
    chownSync(join(keyDir, 'masterkey'), 1000, 1000); // the user the Zitadel image runs as (#20)
    chmodSync(keyDir, 0o700);
    const t = io();
    const code = await main(['verify-key', join(keyDir, 'masterkey'), '--app', 'zitadel'], t.io);
    expect(code).toBe(0);
    expect(t.out.join('')).toMatch(/sha256: [0-9a-f]{64}/);
    expect(t.out.join('') + t.err.join('')).not.toContain(key);
  });

  it('exits 1 on a world-readable key with a trailing newline', async () => {
    const key = 'Zq3vT8pLw2nR7xK4cJ9mB6hF1dS5gY0u';
    writeFileSync(join(dir, 'bad'), `${key}\n`);
    chmodSync(join(dir, 'bad'), 0o644);
    const t = io();
    const code = await main(['verify-key', join(dir, 'bad'), '--app', 'zitadel'], t.io);
    expect(code).toBe(1);
    expect(t.out.join('') + t.err.join('')).toMatch(/newline/);
    expect(t.out.join('') + t.err.join('')).not.toContain(key);
  });

  it('the main help names verify-key', async () => {
    const t = io();
    expect(await main(['--help'], t.io)).toBe(0);
    expect(t.out.join('')).toContain('key-custody verify-key <file> --app');
  });
});
