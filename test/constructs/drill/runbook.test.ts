import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DRILL_RUNBOOK_FILE } from '../../../lib/constructs/drill/recovery-drill';
import { DB_ACCOUNT, KEY_ACCOUNT } from './fixtures';
import { drillWorlds } from './worlds';

const world = drillWorlds();

describe('RecoveryDrill: runbook', () => {
  it('writes drill-runbook.md next to the stack output with the Zitadel steps, /debug/readyok, and a drill-log template', () => {
    const w = world();
    expect(w.synth()).toBeUndefined();
    const text = readFileSync(join(w.stackDir('drill'), DRILL_RUNBOOK_FILE), 'utf8');
    const steps = [
      // #21: the steps of the drill's scripts, in their order.
      /0\. \*\*Outcome job\.\*\*.*publishes \*\*P1\*\*/,
      /1\. \*\*Fetch the DB backup with the DB restore credential only\.\*\*.*at least 7 days ago/,
      /2\. \*\*Fetch the key with the key restore credential only\.\*\*.*zitadel-master\/<generation>\/masterkey\.age/,
      /3\. \*\*Decrypt and check the key\.\*\*.*fingerprint/,
      /4\. \*\*Restore the database\.\*\*.*PGDMP.*plain SQL/,
      /5\. \*\*Start the app\*\*.*--masterkeyFile \/run\/secrets\/masterkey/,
      /6\. \*\*Prove decryption\.\*\*.*http:\/\/zitadel-drill-app:8080\/debug\/readyok/,
      /break-glass admin logs in/,
      /7\. \*\*Record\.\*\*.*DrillPassed=1[\s\S]*?`docs\/ops\/zitadel\/drill-log\.md`/,
      /8\. \*\*Tear down\*\*: `cdktf destroy drill`/,
    ];
    let at = 0;
    for (const s of steps) {
      const m = s.exec(text.slice(at));
      expect(m, String(s)).not.toBeNull();
      at += m!.index + m![0].length;
    }
    expect(text).toContain('A failed drill is a P1 incident');
    expect(text).toContain('## Drill log template');
    expect(text).toMatch(/\| Date \(UTC\) \| Who \| Drill \|.*\| Result \|/);
    expect(text).toContain('profile `custody-drill-db-restore`');
    expect(text).toContain('profile `custody-drill-key-restore`');
    expect(text).toContain('`keys/aws_s3_bucket.');
    expect(text).toContain('Next run: 2026-01-05T10:00[Europe/Berlin]');
    expect(text).toContain('cron(0 10 ? 1,4,7,10 MON#1 *)');
  });

  it('contains no secret value and no unresolved token', () => {
    const w = world();
    expect(w.synth()).toBeUndefined();
    const text = readFileSync(join(w.stackDir('drill'), DRILL_RUNBOOK_FILE), 'utf8');
    expect(text).not.toMatch(/TfToken|\$\{/);
    expect(text).not.toMatch(/AKIA[0-9A-Z]{16}|aws_secret_access_key|AWS_SECRET_ACCESS_KEY|BEGIN [A-Z ]*PRIVATE KEY|ZITADEL_MASTERKEY=|--masterkey[ =]/);
    // Nothing that looks like a 32-character Zitadel key or a 64-hex key.
    expect(text).not.toMatch(/(^|[^A-Za-z0-9/._-])[A-Za-z0-9+/]{32}([^A-Za-z0-9/._-]|$)/m);
    expect(text).not.toMatch(/\b[0-9a-f]{64}\b/);
    expect(text).not.toContain(KEY_ACCOUNT);
    expect(text).not.toContain(DB_ACCOUNT);
  });
});
