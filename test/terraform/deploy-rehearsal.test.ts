/**
 * Deploy rehearsal (docs/ARCHITECTURE.md, "Test tiers", Terraform): every AWS stack of every
 * example is initialized with its real, synthesized S3 backend (`use_lockfile`, encrypted,
 * the state bucket of its own account), pointed at a local S3-compatible server through
 * `-backend-config` only, and planned in deploy order. What can be applied offline (the
 * `terraform_data` custody manifest) is applied, so the state bucket receives real state; a
 * second run in fresh work dirs reads it back and plans no change for it. Nothing is stubbed:
 * no stack reads another's state (KC015), and none of the examples needs to.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeTerraform, terraformCheck } from '../helpers/terraform';
import { startLocalS3, type LocalS3 } from '../helpers/s3-server';

interface PlanJson {
  resource_changes?: { address: string; type: string; change: { actions: string[] } }[];
}
type StackJson = {
  terraform?: { backend?: Record<string, Record<string, unknown>> };
  provider?: Record<string, unknown>;
  resource?: Record<string, Record<string, unknown>>;
  data?: Record<string, Record<string, unknown>>;
  variable?: Record<string, unknown>;
};

/** The AWS stacks of each example in the order the workflow applies them (examples/ci). */
const DEPLOY_ORDER: Record<string, readonly string[]> = {
  'zitadel-single-host': ['key-custody', 'db-backups', 'drill-schedule'],
  'servos-compose': ['servos-secret', 'key-custody', 'db-backups', 'drill-schedule'],
  'adopted-db-bucket': ['key-custody', 'db-backups', 'drill-schedule'],
};

const root = mkdtempSync(join(tmpdir(), 'kc-rehearsal-'));
const outdirs = new Map<string, string>();
/** One server per example: the examples are alternatives that use the same accounts and state keys. */
const servers = new Map<string, LocalS3>();

const stackJson = (example: string, stack: string) => JSON.parse(readFileSync(join(outdirs.get(example)!, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as StackJson;

/** `terraform_data` that references nothing: applicable without any cloud API. */
function offlineApplicable(json: StackJson): string[] {
  return Object.entries(json.resource?.terraform_data ?? {})
    .filter(([, body]) => !JSON.stringify(body).includes('${'))
    .map(([name]) => `terraform_data.${name}`);
}

/**
 * A stack that adopts a bucket reads it at plan time (`data.aws_s3_bucket`), in an account this
 * rehearsal cannot reach: s3rver answers HeadBucket without the region header the AWS provider
 * needs ("reading S3 Bucket (...): empty result"). Such a stack is planned for what is
 * applicable offline only (`-target`), still through its real backend.
 */
function planTargetsOf(json: StackJson): string[] | undefined {
  return json.data?.aws_s3_bucket === undefined ? undefined : offlineApplicable(json);
}

beforeAll(async () => {
  for (const example of Object.keys(DEPLOY_ORDER)) {
    const buckets = new Set<string>();
    const outdir = join(root, example);
    const mod = (await import(join(__dirname, '..', '..', 'examples', example, 'main.ts'))) as { buildApp(outdir: string): { synth(): void } };
    mod.buildApp(outdir).synth();
    outdirs.set(example, outdir);
    for (const stack of DEPLOY_ORDER[example]) {
      const json = stackJson(example, stack);
      buckets.add(String(json.terraform?.backend?.s3?.bucket));
    }
    servers.set(example, await startLocalS3([...buckets]));
  }
}, 120_000);

afterAll(async () => {
  for (const s of servers.values()) await s.close();
  rmSync(root, { recursive: true, force: true });
});

describeTerraform('deploy rehearsal: real S3 backends against a local S3 server, twice', () => {
  for (const example of Object.keys(DEPLOY_ORDER)) {
    it(`${example}: plans each AWS stack with its own backend, in deploy order, and reads back the state it wrote`, async () => {
      const started = performance.now();
      const s3 = servers.get(example)!;
      const order = DEPLOY_ORDER[example];
      const dir = (stack: string) => join(outdirs.get(example)!, 'stacks', stack);
      const written = new Map<string, { bucket: string; key: string; serial: number; applied: string[] }>();

      for (const stack of order) {
        const json = stackJson(example, stack);
        // The synthesized backend is the one that deploys: S3, encrypted, locked, per account.
        const backend = json.terraform?.backend ?? {};
        expect(Object.keys(backend), `${stack} backend`).toEqual(['s3']);
        expect(backend.s3).toMatchObject({ key: `${stack}/terraform.tfstate`, encrypt: true, use_lockfile: true });
        expect(JSON.stringify(json.provider)).not.toContain('"profile"');
        expect(json.data?.terraform_remote_state, `${stack} reads no other stack's state`).toBeUndefined();

        const applied = offlineApplicable(json);
        const r = await terraformCheck(dir(stack), {
          backend: 'keep',
          backendConfig: s3.backendConfig,
          planTargets: planTargetsOf(json),
          plan: true,
          showJson: true,
          applyTargets: applied,
        });
        expect(r.replacedBackend).toBeUndefined();
        const changes = (r.planJson as PlanJson).resource_changes ?? [];
        expect(changes.length, `${stack} plans resources`).toBeGreaterThan(0);
        expect(changes.every((c) => c.change.actions.join() === 'create' || c.change.actions.join() === 'read'), `${stack}: first run creates`).toBe(true);
        const bucket = String(backend.s3.bucket);
        const key = String(backend.s3.key);
        const state = s3.read(bucket, key);
        if (applied.length) {
          expect(state, `${stack}: state written to s3://${bucket}/${key}`).toBeDefined();
          const parsed = JSON.parse(state!) as { serial: number; resources: { type: string; name: string }[] };
          expect(parsed.resources.map((x) => `${x.type}.${x.name}`).sort()).toEqual([...applied].sort());
          written.set(stack, { bucket, key, serial: parsed.serial, applied });
        }
        // The lock file (use_lockfile) is released after each command.
        expect(s3.objects(bucket).filter((k) => k.endsWith('.tflock'))).toEqual([]);
      }
      expect(written.size, 'at least one stack wrote state').toBeGreaterThan(0);

      // Second run: fresh work dirs, so the only way to know what exists is the state bucket.
      for (const stack of order) {
        const r = await terraformCheck(dir(stack), { backend: 'keep', backendConfig: s3.backendConfig, planTargets: planTargetsOf(stackJson(example, stack)), plan: true, showJson: true });
        const changes = (r.planJson as PlanJson).resource_changes ?? [];
        const w = written.get(stack);
        for (const address of w?.applied ?? []) {
          expect(changes.find((c) => c.address === address)?.change.actions, `${stack}: ${address} unchanged on the second run`).toEqual(['no-op']);
        }
        expect(changes.filter((c) => !w?.applied.includes(c.address)).every((c) => c.change.actions.join() === 'create' || c.change.actions.join() === 'read')).toBe(true);
        if (w) expect((JSON.parse(s3.read(w.bucket, w.key)!) as { serial: number }).serial, `${stack}: a plan writes no state`).toBe(w.serial);
      }
      console.info(`[deploy rehearsal] ${example}: ${order.length} stacks x 2 runs in ${Math.round(performance.now() - started)} ms`);
    }, 900_000);
  }
});
