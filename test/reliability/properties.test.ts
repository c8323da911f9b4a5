/**
 * Property-based reliability tests (fast-check) over random custody topologies:
 *
 * 1. every planted violation is reported with its rule id (and not suppressed);
 * 2. a topology built only from sound parts reports no unsuppressed error or warning, and
 *    every generated principal reaches exactly the store it was generated for;
 * 3. `key-custody check --format json` on a written cdktf.out reports exactly what the
 *    engine reports on the same documents;
 * 4. for fewer cases, a real cdktf App (constructs + raw resources) is synthesized and the
 *    synth-time check's findings equal the CLI's on the same outdir.
 *
 * The seed comes from KEY_CUSTODY_FC_SEED (default below) and is in every test name;
 * fast-check prints the seed and the counterexample path on failure
 * (replay: KEY_CUSTODY_FC_SEED=<seed>, or fc.assert(..., { seed, path })).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { App, S3Backend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { main } from '../../lib/cli/main';
import { CustodyManifest } from '../../lib/constructs/manifest/custody-manifest';
import { ProtectedAppContainer } from '../../lib/constructs/app/protected-app-container';
import { MasterKey } from '../../lib/constructs/key/master-key';
import { buildModel } from '../../lib/model/build';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';
import type { Finding } from '../../lib/model/types';
import { ALL_RULES } from '../../lib/rules';
import { runRules } from '../../lib/rules/engine';
import { KeyCustody } from '../../lib/synth/custody-check';
import { PLANTED_RULES, PLANTS, type Plant } from './plants';
import { render, res, specArb, stacksOf, type Json, type Rendered, type Spec } from './topology';

const SEED = Number(process.env.KEY_CUSTODY_FC_SEED ?? 20260601);
const RUNS = Number(process.env.KEY_CUSTODY_FC_RUNS ?? 500);
const APP_RUNS = Number(process.env.KEY_CUSTODY_FC_APP_RUNS ?? 50);
const TODAY = '2026-01-01';
const params = (numRuns: number) => ({ numRuns, seed: SEED, endOnFailure: true });

const tmp = mkdtempSync(join(tmpdir(), 'kc-reliability-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function check(docs: [string, Json][]) {
  return runRules(buildModel(docs.map(([s, j]) => loadTerraformJson(s, j))), ALL_RULES, { today: TODAY });
}

function blockingOf(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !f.suppressed);
}

const plantArb = fc.record({ plant: fc.constantFrom(...PLANTS), pick: fc.nat() });

function planted(spec: Spec, plant: Plant, pick: number): { r: Rendered; key: number } {
  const key = pick % spec.keys.length;
  const r = render(plant.prepare ? plant.prepare(spec, key) : spec);
  plant.apply(r, r.keys[key]);
  return { r, key };
}

/** The comparable part of a finding (the CLI adds source locations for SARIF; the engine has none). */
function comparable(f: Pick<Finding, 'ruleId' | 'severity' | 'address' | 'message' | 'suppressed'> & { reason?: string }): string {
  return JSON.stringify([f.ruleId, f.severity, f.address, f.message, f.suppressed, f.reason ?? null]);
}

/** Write documents in the cdktf.out layout (manifest.json + stacks/<name>/cdk.tf.json). */
function writeCdktfOut(dir: string, docs: [string, Json][]): void {
  const stacks: Json = {};
  for (const [name, json] of docs) {
    mkdirSync(join(dir, 'stacks', name), { recursive: true });
    writeFileSync(join(dir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json, null, 2));
    stacks[name] = { name, constructPath: name, workingDirectory: `stacks/${name}`, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, annotations: [], dependencies: [] };
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks }, null, 2));
}

async function cliJson(dir: string): Promise<{ code: number; findings: Finding[]; stderr: string }> {
  let out = '';
  let err = '';
  const code = await main(['check', dir, '--format', 'json'], {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    today: TODAY,
  });
  return { code, findings: out ? (JSON.parse(out) as { findings: Finding[] }).findings : [], stderr: err };
}

describe(`custody properties (fast-check seed ${SEED}, ${RUNS} runs each; replay with KEY_CUSTODY_FC_SEED=${SEED})`, () => {
  it('plants cover every rule the issue lists', () => {
    const wanted = ['KC001', 'KC002', 'KC003', 'KC004', 'KC005', 'KC010', 'KC011', 'KC012', 'KC014', 'KC020', 'KC021', 'KC022', 'KC023', 'KC024', 'KC030', 'KC031', 'KC032', 'KC033', 'KC034'];
    expect(PLANTED_RULES).toEqual(expect.arrayContaining(wanted));
    // KC011 through every access path.
    expect(PLANTS.filter((p) => p.id === 'KC011').map((p) => p.variant).sort()).toEqual(['assume-role', 'attached', 'bucket-policy', 'group', 'inline', 'managed', 'wildcard']);
  });

  it(`a sound topology reports no unsuppressed error or warning [seed ${SEED}]`, () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const r = render(spec);
        const found = blockingOf(check(stacksOf(r)).findings);
        expect(found.map((f) => `${f.ruleId} ${f.address}: ${f.message}`)).toEqual([]);
      }),
      params(RUNS),
    );
  });

  it(`every generated principal reaches exactly the store it was generated for [seed ${SEED}]`, () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const r = render(spec);
        const m = buildModel(stacksOf(r).map(([s, j]) => loadTerraformJson(s, j)));
        for (const k of r.keys) {
          k.spec.principals.forEach((p, j) => {
            const stack = p.side === 'key' ? r.where.keys : r.where.db;
            if (!stack) return;
            const mine = m.grants.filter((g) => {
              const pr = m.principalById(g.principal);
              return pr !== undefined && pr.stack === stack && new RegExp(`\\.k${k.index}_p${j}(_u)?$`).test(pr.address);
            });
            const want = `${stack}\u0000aws_s3_bucket.${p.side === 'key' ? k.keyBucket : k.dbBucket}`;
            expect(mine.map((g) => g.store)).toContain(want);
            // AmazonS3ReadOnlyAccess reaches every bucket of its account: the same side only.
            const side = (id: string) => m.storeById(id)?.role;
            expect(new Set(mine.map((g) => side(g.store)))).toEqual(new Set([p.side === 'key' ? 'key-backup' : 'db-backup']));
            if (p.shape !== 'aws-managed') expect(new Set(mine.map((g) => g.store)).size).toBe(1);
            const access = new Set(mine.map((g) => g.access));
            expect(access.has(p.shape === 'aws-managed' || p.access === 'read' ? 'read' : 'write')).toBe(true);
            expect(access.has('delete') || access.has('admin')).toBe(false);
          });
        }
      }),
      params(RUNS),
    );
  });

  it(`every planted violation is reported with its rule id [seed ${SEED}]`, () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(specArb, plantArb, (spec, { plant, pick }) => {
        const { r, key } = planted(spec, plant, pick);
        seen.add(`${plant.id}/${plant.variant}`);
        const found = check(stacksOf(r)).findings;
        const hit = found.filter((f) => f.ruleId === plant.id && !f.suppressed);
        expect(hit, `${plant.id}/${plant.variant} on key ${key} was not reported; got ${found.map((f) => f.ruleId).join(', ') || 'nothing'}`).not.toEqual([]);
      }),
      params(RUNS),
    );
    // With 500 runs over ~60 plants, every plant is drawn; fewer runs may miss some.
    if (RUNS >= 500) expect(seen.size).toBe(PLANTS.length);
  });

  it(`key-custody check on the written cdktf.out reports what the engine reports [seed ${SEED}]`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(specArb, fc.option(plantArb, { freq: 3 }), async (spec, p) => {
        const r = p ? planted(spec, p.plant, p.pick).r : render(spec);
        const docs = stacksOf(r);
        const dir = join(tmp, `cli-${n++}`);
        writeCdktfOut(dir, docs);
        const engine = check(docs).findings;
        const cli = await cliJson(dir);
        rmSync(dir, { recursive: true, force: true });
        expect(cli.stderr).toBe('');
        expect(cli.findings.map(comparable).sort()).toEqual(engine.map(comparable).sort());
        expect(cli.code).toBe(blockingOf(engine).some((f) => f.severity === 'error') ? 1 : 0);
      }),
      params(RUNS),
    );
  });

  it.skipIf(APP_RUNS === 0)(`a real cdktf App: the synth-time check and the CLI on its outdir agree [seed ${SEED}, ${APP_RUNS} runs]`, async () => {
    // Warning-level plants keep synth passing, so the outdir is there for the CLI to read.
    const warningPlants = PLANTS.filter((p) => ['KC013', 'KC024', 'KC033', 'KC034'].includes(p.id));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(specArb, fc.option(fc.record({ plant: fc.constantFrom(...warningPlants), pick: fc.nat() }), { freq: 2 }), async (spec0, p) => {
        // Host-file hot copies only: MasterKey + ProtectedAppContainer are the constructs under test here.
        const spec: Spec = { ...spec0, keys: spec0.keys.map((k) => ({ ...k, hot: 'host-file' as const })) };
        const r = p ? planted(spec, p.plant, p.pick).r : render(spec);
        const outdir = join(tmp, `app-${n++}`);
        const app = synthApp(r, outdir);
        const result = KeyCustody.checkOf(app)?.lastResult;
        expect(result).toBeDefined();
        const cli = await cliJson(outdir);
        rmSync(outdir, { recursive: true, force: true });
        expect(cli.stderr).toBe('');
        expect(cli.findings.map(comparable).sort()).toEqual((result?.findings ?? []).map(comparable).sort());
        if (p) expect(cli.findings.some((f) => f.ruleId === p.plant.id)).toBe(true);
      }),
      params(APP_RUNS),
    );
  });
});

/**
 * A real cdktf App for a rendered topology: the app stack's keys and app containers are
 * MasterKey + ProtectedAppContainer constructs (they write the manifest keys, the
 * containers and their deploy-time checks); drills go into the construct-made manifest;
 * everything else is added as raw Terraform JSON through escape hatches.
 */
function synthApp(r: Rendered, outdir: string): App {
  const app = new App({ outdir });
  KeyCustody.enable(app, { today: TODAY, reports: false });
  const manifest = res(r.docs.get(r.where.app) as Json, 'terraform_data', 'custody_manifest').input as Json;
  for (const [name, json] of r.docs) {
    const stack = new TerraformStack(app, name);
    const raw = JSON.parse(JSON.stringify(json)) as Json;
    // Provider constructs (cdktf validates that every resource has one), configured as rendered.
    const providers = raw.provider as { aws: Json[]; docker?: Json[] };
    delete raw.provider;
    for (const a of providers.aws) {
      new AwsProvider(stack, 'aws', { region: a.region as string, assumeRole: (a.assume_role as { role_arn: string }[]).map((x) => ({ roleArn: x.role_arn })) });
    }
    const s3 = ((raw.terraform as Json).backend as { s3: { bucket: string; key: string; region: string } }).s3;
    delete raw.terraform;
    new S3Backend(stack, { bucket: s3.bucket, key: s3.key, region: s3.region });
    for (const d of providers.docker ?? []) {
      new DockerProvider(stack, d.alias ? `docker_${d.alias as string}` : 'docker', { alias: d.alias as string | undefined, host: d.host as string });
    }
    if (name === r.where.app) {
      delete (raw.resource as Json).terraform_data;
      const containers = (raw.resource as Json).docker_container as Json;
      const mkeys = manifest.keys as Json[];
      r.keys.forEach((k, i) => {
        delete containers[k.appContainer];
        const mk = mkeys[i];
        const key = new MasterKey(stack, `Key${i}`, {
          keyId: k.keyId,
          profile: k.app,
          hotCopy: { kind: 'host-file', path: k.hostPath },
          copies: (mk.copies as { kind: string; medium: string; location: string; offsite: boolean }[]).map((c) => ({ ...c })),
        });
        new ProtectedAppContainer(stack, `App${i}`, { masterKey: key, name: `${k.app}${i}`, networks: [`${k.app}${i}-prod`] });
      });
      const cm = CustodyManifest.of(stack);
      for (const d of manifest.drills as Json[]) cm.addDrill(d as never);
    }
    for (const [block, body] of Object.entries(raw)) {
      if (block === 'resource' || block === 'data') {
        for (const [type, byName] of Object.entries(body as Json)) {
          for (const [rname, values] of Object.entries(byName as Json)) stack.addOverride(`${block}.${type}.${rname}`, values);
        }
      } else {
        stack.addOverride(block, body);
      }
    }
  }
  app.synth();
  return app;
}
