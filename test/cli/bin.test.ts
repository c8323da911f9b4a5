import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeCdktfOut } from './fixtures';

const root = resolve(__dirname, '..', '..');

describe('key-custody as a real process', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir());
  });
  afterAll(() => cleanup());

  it('`npx tsx lib/cli/bin.ts check <dir> --format json` runs the catalogue and prints the §5 JSON', () => {
    const out = writeCdktfOut(dir);
    const res = spawnSync('npx', ['tsx', join('lib', 'cli', 'bin.ts'), 'check', out, '--format', 'json'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1', NO_COLOR: '1' },
      timeout: 120_000,
    });
    expect(res.stderr).not.toMatch(/^key-custody: /m);
    expect([0, 1]).toContain(res.status);
    const json = JSON.parse(res.stdout);
    expect(Object.keys(json)).toEqual(['findings', 'summary']);
    expect(json.summary).toMatchObject({ stacks: 2, stackNames: ['a', 'b'] });
    for (const f of json.findings) {
      expect(f).toEqual(expect.objectContaining({ ruleId: expect.stringMatching(/^KC\d{3}$/), severity: expect.stringMatching(/^(error|warning)$/), address: expect.any(String), message: expect.any(String), suppressed: expect.any(Boolean) }));
    }
    // Exit code and findings agree.
    expect(res.status).toBe(json.summary.passed ? 0 : 1);
  });

  it('exits 2 with one line on stderr for a missing path', () => {
    const res = spawnSync('npx', ['tsx', join('lib', 'cli', 'bin.ts'), 'check', join(dir, 'missing')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(res.status).toBe(2);
    const lines = res.stderr.split('\n').filter((l) => l.startsWith('key-custody: '));
    expect(lines).toHaveLength(1);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });
});
