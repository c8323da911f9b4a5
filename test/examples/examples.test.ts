import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { App } from 'cdktf';
import { main } from '../../lib/cli/main';
import { KeyCustody } from '../../lib';
import { describeTerraform, terraformCheck } from '../helpers/terraform';

const root = join(__dirname, '..', '..');
const examples = readdirSync(join(root, 'examples')).filter((d) => existsSync(join(root, 'examples', d, 'main.ts')));
const tmp = mkdtempSync(join(tmpdir(), 'kc-examples-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Synthesized {
  outdir: string;
  stacks: string[];
}
const synthesized = new Map<string, Synthesized>();

/** Synthesize an example in-process through its exported `buildApp(outdir)`. */
async function synth(name: string): Promise<Synthesized> {
  const hit = synthesized.get(name);
  if (hit) return hit;
  const mod = (await import(join(root, 'examples', name, 'main.ts'))) as { buildApp(outdir?: string): App };
  const outdir = join(tmp, name);
  const app = mod.buildApp(outdir);
  app.synth();
  const result = KeyCustody.checkOf(app)?.lastResult;
  expect(result, `${name}: the custody check ran`).toBeDefined();
  const s = { outdir, stacks: readdirSync(join(outdir, 'stacks')) };
  synthesized.set(name, s);
  return s;
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, isTTY: false } };
}

describe('examples', () => {
  it('there is a main example, and the root cdktf.json runs it', () => {
    expect(examples).toContain('zitadel-single-host');
    expect(JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8')).app).toContain('examples/zitadel-single-host/main.ts');
  });

  for (const name of examples) {
    it(`${name} synthesizes clean and key-custody check on its cdktf.out exits 0`, async () => {
      const s = await synth(name);
      const t = io();
      const code = await main(['check', s.outdir, '--format', 'json'], t.io);
      const out = JSON.parse(t.out.join(''));
      const open = out.findings.filter((f: { suppressed: boolean }) => !f.suppressed);
      expect(open, JSON.stringify(open, null, 2)).toEqual([]);
      expect(code).toBe(0);
      expect(existsSync(join(s.outdir, 'custody-report.md'))).toBe(true);
      for (const st of s.stacks) expect(existsSync(join(s.outdir, 'stacks', st, 'custody-report.md')), st).toBe(true);
    });
  }
});

describeTerraform('examples: terraform validate and offline plan of every AWS stack', () => {
  for (const name of examples) {
    it(`${name}: each AWS stack validates and plans`, async () => {
      const s = await synth(name);
      const aws = s.stacks.filter((st) => {
        const json = JSON.parse(readFileSync(join(s.outdir, 'stacks', st, 'cdk.tf.json'), 'utf8')) as { provider?: Record<string, unknown> };
        return Object.keys(json.provider ?? {}).every((p) => p === 'aws');
      });
      expect(aws.length, `${name} has AWS stacks`).toBeGreaterThan(0);
      for (const st of aws) {
        // A stack that adopts an existing bucket reads it at plan time, which needs AWS; offline
        // it is validated only (test/terraform/backup-buckets.test.ts plans its precondition).
        const json = JSON.parse(readFileSync(join(s.outdir, 'stacks', st, 'cdk.tf.json'), 'utf8')) as { data?: Record<string, unknown> };
        const reads = Object.keys(json.data ?? {}).some((t) => t === 'aws_s3_bucket');
        const r = await terraformCheck(join(s.outdir, 'stacks', st), { plan: !reads, showJson: !reads });
        expect(r.validate.valid, `${name}/${st}: ${JSON.stringify(r.validate)}`).toBe(true);
        if (reads) continue;
        const planned = (r.planJson as { planned_values?: { root_module?: { resources?: unknown[] } } }).planned_values?.root_module?.resources ?? [];
        expect(planned.length, `${name}/${st} plans resources`).toBeGreaterThan(0);
      }
    });
  }
});
