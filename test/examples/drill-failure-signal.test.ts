/**
 * The runbooks' own failure signal (#20): ServOS and ACT refuse to start with a wrong key and
 * log `MASTER KEY INTEGRITY CHECK FAILED`. The drill of the servos-compose example names that
 * line in its proof step (readiness and the app's log) and in its runbook;
 * the Zitadel drill, whose app has no such line, does not.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { App } from 'cdktf';

const root = join(__dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'kc-drill-signal-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function drillHost(example: string): Promise<{ json: string; runbook: string }> {
  const mod = (await import(join(root, 'examples', example, 'main.ts'))) as { buildApp(outdir?: string): App };
  const outdir = join(tmp, example);
  mod.buildApp(outdir).synth();
  const dir = join(outdir, 'stacks', 'drill-host');
  return { json: readFileSync(join(dir, 'cdk.tf.json'), 'utf8'), runbook: readFileSync(join(dir, 'drill-runbook.md'), 'utf8') };
}

describe('the drill uses the profile failure signal', () => {
  it('servos: the readiness failure and the runbook name MASTER KEY INTEGRITY CHECK FAILED', async () => {
    const { json, runbook } = await drillHost('servos-compose');
    const readiness = Object.values((JSON.parse(json) as { resource: { docker_container: Record<string, { name: string; lifecycle?: { postcondition?: { error_message: string }[] } }> } }).resource.docker_container).find((c) =>
      c.name.endsWith('-readiness'),
    );
    // The proof step fails the drill on the app's own verdict, not only on the HTTP readiness guess.
    expect(readiness?.lifecycle?.postcondition?.[0].error_message).toContain('no "MASTER KEY INTEGRITY CHECK FAILED" in the app\'s log');
    expect(JSON.stringify(readiness)).toContain('MASTER KEY INTEGRITY CHECK FAILED');
    expect(runbook).toContain('`MASTER KEY INTEGRITY CHECK FAILED` in it means the restored key is not the key the database was encrypted with, and fails the drill');
  });

  it('zitadel: no such line is claimed', async () => {
    const { json, runbook } = await drillHost('zitadel-single-host');
    expect(json).not.toContain('INTEGRITY CHECK');
    expect(runbook).not.toContain('INTEGRITY CHECK');
  });
});
