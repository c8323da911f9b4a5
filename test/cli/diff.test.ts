/**
 * `key-custody check <head> --diff <base>`: two versions of the zitadel-single-host example
 * (as synthesized, and with a DB-side role granted read on the key bucket through the
 * constructs) and two sets of their plans; the diff shows the added crossing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/main';
import { ALL_RULES } from '../../lib/rules';
import { offlinePlans, RESTORE_ROLE, synthCrossingVariant, synthExample } from './example-variants';
import { run, tempDir, writeCdktfOut } from './fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'kc-diff-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `main` with the whole catalogue (the fixtures' `run` uses test rules). */
async function check(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, isTTY: false, rules: ALL_RULES, today: '2030-01-01' });
  return { code, stdout, stderr };
}

let base: string;
let head: string;

beforeAll(() => {
  base = synthExample(join(tmp, 'base'));
  head = synthCrossingVariant(join(tmp, 'head'));
}, 120_000);

const CROSSING = `db-backups/${RESTORE_ROLE}`;
const KEY_BUCKET = 'key-custody/aws_s3_bucket.KeyBackups_Bucket_4054C801';

describe('check --diff on two synth outputs of an example', () => {
  it('shows the added crossing as Markdown by default and exits 1 for the new KC011 error', async () => {
    const r = await check(['check', head, '--diff', base]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^## Key custody: what changed\n/);
    expect(r.stdout).toContain('**1 new crossing, 2 new accesses, ');
    expect(r.stdout).toContain('### Crossings (one principal reaches DB backups and key copies: KC011)');
    expect(r.stdout).toMatch(new RegExp(`\\| \\*\\*\\+ new\\*\\* \\| \`${CROSSING.replace(/\./g, '\\.')}\` \\| role \\| \`db-backups/aws_s3_bucket\\.DbBackups_Bucket_B0EA04C8 \\(rk\\)\` \\| \`${KEY_BUCKET.replace(/\./g, '\\.')} \\(r\\)\` \\|`));
    // The new read on the key bucket, with the chain that grants it.
    expect(r.stdout).toContain(`| + | \`${CROSSING}\` | role | \`${KEY_BUCKET}\` | key-backup | — | r | bucket policy aws_s3_bucket_policy.KeyBackups_Policy_2006184B |`);
    expect(r.stdout).toMatch(/\| \*\*\+ new\*\* \| KC011 \| error \| `db-backups` \| `db-backups\/aws_iam_role\.DbRestore` \| can read key-backup store/);
    // Nothing else of the app changed.
    expect(r.stdout).not.toContain('### Keys and copies');
    expect(r.stdout).not.toContain('### Drills');
    expect(r.stdout).not.toContain('− fixed');
  });

  it('gives the same as JSON with --format json', async () => {
    const r = await check(['check', head, '--diff', base, '--format', 'json']);
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout) as {
      kind: string;
      crossings: { added: { principal: string; keyStores: string[] }[]; removed: unknown[] };
      access: { change: string; principal: string; store: string; after: string }[];
      findings: { change: string; finding: { ruleId: string }; newlyBlocking: boolean }[];
      newlyBlocking: number;
    };
    expect(d.kind).toBe('cdktf-key-custody/diff');
    expect(d.crossings.added.map((c) => [c.principal, c.keyStores])).toEqual([[CROSSING, [`${KEY_BUCKET} (r)`]]]);
    expect(d.access.filter((a) => a.store === KEY_BUCKET).map((a) => [a.change, a.principal, a.after])).toEqual([['added', CROSSING, 'r']]);
    expect(d.findings.filter((f) => f.change === 'new').map((f) => f.finding.ruleId).sort()).toEqual(['KC011', 'KC012']);
    expect(d.newlyBlocking).toBe(2);
  });

  it('shows the crossing removed and the findings fixed the other way round, and exits 0', async () => {
    const r = await check(['check', base, '--diff', head, '--format', 'text']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`- crossing gone: ${CROSSING}`);
    expect(r.stdout).toContain(`- access ${CROSSING} -> ${KEY_BUCKET} (key-backup): r -> -`);
    expect(r.stdout).toMatch(/- fixed error KC011 db-backups\/aws_iam_role\.DbRestore/);
  });

  it('says there is no custody change between an output and itself', async () => {
    const r = await check(['check', base, '--diff', base]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No custody change');
  });
});

describe('check --diff on two sets of plans', () => {
  it('reads a folder of plans per side and shows the same crossing', async () => {
    const basePlans = offlinePlans(base, join(tmp, 'base-plans'));
    const headPlans = offlinePlans(head, join(tmp, 'head-plans'));
    const r = await check(['check', headPlans, '--diff', basePlans, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const d = JSON.parse(r.stdout) as { crossings: { added: { principal: string }[] }; base: { stacks: string[] } };
    expect(d.crossings.added.map((c) => c.principal)).toEqual([CROSSING]);
    expect(d.base.stacks).toEqual(['db-backups', 'drill-host', 'drill-schedule', 'key-custody', 'zitadel-host']);
  });

  it('takes --diff once per base plan', async () => {
    const basePlans = offlinePlans(base, join(tmp, 'base-plans-2'));
    const headPlans = offlinePlans(head, join(tmp, 'head-plans-2'));
    const stacks = ['db-backups', 'drill-host', 'drill-schedule', 'key-custody', 'zitadel-host'];
    const r = await check(['check', ...stacks.map((s) => join(headPlans, `${s}.plan.json`)), ...stacks.flatMap((s) => ['--diff', join(basePlans, `${s}.plan.json`)]), '--format', 'text']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`+ crossing ${CROSSING}`);
  });
});

describe('check --diff: exit code and usage', () => {
  it('exits 0 when the head keeps an error the base had, 1 when it adds one, and counts warnings only under --strict', async () => {
    const t = tempDir();
    try {
      const baseOut = writeCdktfOut(join(t.dir, 'base'), { aTags: { 'test:error': 'x' } });
      const same = writeCdktfOut(join(t.dir, 'same'), { aTags: { 'test:error': 'x' } });
      const more = writeCdktfOut(join(t.dir, 'more'), { aTags: { 'test:error': 'x' }, bTags: { 'test:error': 'y' } });
      const warned = writeCdktfOut(join(t.dir, 'warned'), { aTags: { 'test:error': 'x', 'test:warning': 'w' } });
      expect((await run(['check', same])).code).toBe(1);
      expect((await run(['check', same, '--diff', baseOut])).code).toBe(0);
      const added = await run(['check', more, '--diff', baseOut]);
      expect(added.code).toBe(1);
      expect(added.stdout).toMatch(/\| \*\*\+ new\*\* \| KT001 \| error \| `b` \|/);
      expect((await run(['check', warned, '--diff', baseOut])).code).toBe(0);
      expect((await run(['check', warned, '--diff', baseOut, '--strict'])).code).toBe(1);
    } finally {
      t.cleanup();
    }
  });

  it('refuses --diff without a value, with --format sarif, and says which side could not be read', async () => {
    const t = tempDir();
    try {
      const out = writeCdktfOut(t.dir);
      const noValue = await run(['check', out, '--diff']);
      expect(noValue.code).toBe(2);
      expect(noValue.stderr).toContain('--diff needs the base to compare with');
      const sarif = await run(['check', out, '--diff', out, '--format', 'sarif']);
      expect(sarif.code).toBe(2);
      expect(sarif.stderr).toContain('--diff prints markdown, text or json');
      const missing = await run(['check', out, '--diff', join(t.dir, 'nowhere')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^key-custody: --diff base: .*nowhere does not exist/);
    } finally {
      t.cleanup();
    }
  });
});
