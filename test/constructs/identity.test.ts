/**
 * Construct identity across module copies (issue 23). A user of CDK Terrain can end up with
 * two copies of cdktf: the "cdktf" alias plus `cdktn` under its own name (imported directly, or
 * brought by @cdktn/provider-aws). `instanceof` then called their TerraformStack "not a
 * TerraformStack". The library recognizes cdktf objects and its own constructs by brand, runs
 * with a second copy of the same release, and names the problem and the fix when the copies
 * are different releases or unrecognizable.
 *
 * The second copy is real: cdktf's folder copied into a temp node_modules and loaded with
 * Node's require, so its classes are other objects than the ones the library imports.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cdktf from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Construct } from 'constructs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { MasterKeyCustody } from '../../lib/constructs/master-key-custody';
import { MasterKey } from '../../lib/constructs/key/master-key';
import { KeyCustody } from '../../lib/synth/custody-check';
import { hasBrand, otherCopyProblem } from '../../lib/synth/identity';

const root = join(__dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'kc-identity-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A second copy of cdktf on disk; `patch` edits its files (e.g. to claim another release). */
function secondCdktf(name: string, patch?: (file: string, text: string) => string): typeof cdktf {
  const base = join(tmp, name);
  const dest = join(base, 'node_modules', 'cdktf');
  const src = join(root, 'node_modules', 'cdktf');
  mkdirSync(dest, { recursive: true });
  cpSync(join(src, 'lib'), join(dest, 'lib'), { recursive: true });
  cpSync(join(src, 'package.json'), join(dest, 'package.json'));
  // Its bundled dependencies and constructs stay single: only cdktf is doubled, as npm would.
  symlinkSync(join(src, 'node_modules'), join(dest, 'node_modules'), 'dir');
  symlinkSync(join(root, 'node_modules', 'constructs'), join(base, 'node_modules', 'constructs'), 'dir');
  if (patch) {
    for (const f of readdirSync(join(dest, 'lib'))) {
      if (!f.endsWith('.js')) continue;
      const file = join(dest, 'lib', f);
      const text = readFileSync(file, 'utf8');
      const out = patch(f, text);
      if (out !== text) writeFileSync(file, out);
    }
  }
  const loaded = createRequire(join(base, 'index.js'))('cdktf') as typeof cdktf;
  expect(loaded.TerraformStack).not.toBe(cdktf.TerraformStack);
  return loaded;
}

/** The zitadel layout of examples/zitadel-single-host through MasterKeyCustody, with App and stacks from `lib`. */
function build(lib: typeof cdktf, outdir: string) {
  const app = new lib.App({ outdir });
  const stack = (n: string) => {
    const s = new lib.TerraformStack(app, n);
    new lib.LocalBackend(s, { path: `terraform.${n}.tfstate` });
    return s;
  };
  const host = stack('zitadel-host');
  const keys = stack('key-custody');
  const db = stack('db-backups');
  const drill = stack('drill-host');
  const drillAws = stack('drill-schedule');
  // The stacks are the second copy's; providers and the library's constructs use the library's cdktf.
  const prodDocker = new DockerProvider(host as unknown as Construct, 'docker', { host: 'ssh://deploy@zitadel.example.com' });
  new AwsProvider(keys as unknown as Construct, 'aws', { region: 'eu-central-1', profile: 'key-custody', allowedAccountIds: ['111111111111'] });
  new AwsProvider(db as unknown as Construct, 'aws', { region: 'eu-central-1', profile: 'db-backups', allowedAccountIds: ['222222222222'] });
  new AwsProvider(drillAws as unknown as Construct, 'aws', { region: 'eu-central-1', profile: 'drill', allowedAccountIds: ['333333333333'] });
  const scratch = new DockerProvider(drill as unknown as Construct, 'scratch', { alias: 'scratch', host: 'ssh://deploy@scratch.example.com' });
  const asStack = (s: unknown) => s as cdktf.TerraformStack;
  const custody = () =>
    new MasterKeyCustody(host as unknown as Construct, 'Zitadel', {
      keyId: 'zitadel-master',
      profile: 'zitadel',
      hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' },
      copies: [{ kind: 'paper', medium: 'paper', location: 'office safe', offsite: true }],
      appProvider: prodDocker,
      keyStoreStack: asStack(host),
      keyCustodyStack: asStack(keys),
      dbBackupStack: asStack(db),
      drillStack: asStack(drill),
      drillProvider: scratch,
      drillAwsStack: asStack(drillAws),
      keyBucketProps: { admins: ['arn:aws:iam::111111111111:role/key-deployer'] },
      dbBucketProps: { admins: ['arn:aws:iam::222222222222:role/db-deployer'] },
    });
  return { app, custody };
}

/** Every stack's cdk.tf.json and runbook under `outdir`, by path. */
function outputs(outdir: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of readdirSync(join(outdir, 'stacks'))) {
    // One folder level too: a drill writes its tools image's build context (`drill-tools-<id>/Dockerfile`).
    const files = readdirSync(join(outdir, 'stacks', s), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? readdirSync(join(outdir, 'stacks', s, e.name)).map((n) => `${e.name}/${n}`) : [e.name],
    );
    for (const f of files) {
      const text = readFileSync(join(outdir, 'stacks', s, f), 'utf8');
      out[`${s}/${f}`] = f.endsWith('.json') ? JSON.parse(text) : text;
    }
  }
  return out;
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '(no error)';
}

describe('construct identity across copies of cdktf', () => {
  it('accepts stacks of a second copy of the same cdktf release and synthesizes what one copy does', () => {
    const other = secondCdktf('same-release');
    const one = join(tmp, 'out-one');
    const two = join(tmp, 'out-two');
    const a = build(cdktf, one);
    a.custody();
    a.app.synth();
    const b = build(other, two);
    // Before: "must be a TerraformStack (the hot-copy store) ... got keyStoreStack = a TerraformStack".
    expect(errorOf(() => b.custody())).toBe('(no error)');
    b.app.synth();
    const expected = outputs(one);
    expect(Object.keys(expected).length).toBeGreaterThan(5);
    expect(outputs(two)).toEqual(expected);
    // The synth-time check ran on the second copy's app as well.
    expect(KeyCustody.checkOf(b.app as unknown as cdktf.App)?.lastResult?.findings.filter((f) => !f.suppressed && f.severity === 'error')).toEqual([]);
  });

  it('refuses an app of another cdktf release, saying two copies are loaded and how to load one', () => {
    const other = secondCdktf('other-release', (f, t) =>
      f === 'app.js' ? t.replace('App[_a] = { fqn: "cdktf.App", version: "0.21.0" }', 'App[_a] = { fqn: "cdktn.App", version: "0.24.0" }') : t,
    );
    const b = build(other, join(tmp, 'out-other'));
    const msg = errorOf(() => b.custody());
    expect(msg).toContain('two copies of cdktf are loaded: the app is an App of cdktn 0.24.0, and this library (cdktf-key-custody) loaded cdktf 0.21.0 as "cdktf"');
    expect(msg).toContain('"cdktf": "npm:cdktn@0.24.0"');
    expect(msg).toContain('"overrides": { "cdktf": "npm:cdktn@0.24.0" }');
    expect(msg).not.toMatch(/must be a TerraformStack/);
    // Any construct of the library, not only MasterKeyCustody, refuses the mixed app.
    const stack = new other.TerraformStack(new other.App({ outdir: join(tmp, 'out-other-2') }), 'host');
    expect(
      errorOf(() => new MasterKey(stack as unknown as Construct, 'Key', { keyId: 'k', profile: 'zitadel', hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' } })),
    ).toMatch(/two copies of cdktf are loaded[\s\S]*overrides/);
  });

  it('names a TerraformStack it cannot recognize as one from another copy, with the fix, instead of "must be a TerraformStack"', () => {
    // A copy whose brands this one does not share: the class has the name, not the brand.
    const app = cdktf.Testing.app();
    class TerraformStack extends Construct {}
    const foreign = new TerraformStack(app, 'keys');
    const host = new cdktf.TerraformStack(app, 'host');
    const msg = errorOf(
      () =>
        new MasterKeyCustody(host, 'Zitadel', {
          keyId: 'zitadel-master',
          profile: 'zitadel',
          hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' },
          keyCustodyStack: foreign as unknown as cdktf.TerraformStack,
          dbBackupStack: new cdktf.TerraformStack(app, 'db'),
          drillStack: new cdktf.TerraformStack(app, 'drill'),
          drillProvider: new DockerProvider(host, 'scratch', { alias: 'scratch' }),
        }),
    );
    expect(msg).toMatch(/is a TerraformStack from another copy of cdktf[\s\S]*two copies are loaded; load one copy: import from "cdktf" only[\s\S]*at keyCustodyStack/);
    expect(msg).not.toMatch(/must be a TerraformStack/);
    // Something that is no stack at all keeps the plain message.
    expect(otherCopyProblem({}, 'TerraformStack')).toBeUndefined();
    expect(otherCopyProblem('keys', 'TerraformStack')).toBeUndefined();
  });
});

describe('construct identity across copies of the library', () => {
  it('accepts a MasterKey made by another copy of cdktf-key-custody', async () => {
    const app = cdktf.Testing.app();
    const stack = new cdktf.TerraformStack(app, 'host');
    const docker = new DockerProvider(stack, 'docker', { host: 'ssh://deploy@zitadel.example.com' });
    const key = new MasterKey(stack, 'Key', { keyId: 'zitadel-master', profile: 'zitadel', hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' } });
    // A fresh module registry loads the library's sources again: other classes, same brands.
    vi.resetModules();
    const again = (await import('../../lib/constructs/app/protected-app-container')) as typeof import('../../lib/constructs/app/protected-app-container');
    const againKey = (await import('../../lib/constructs/key/master-key')) as typeof import('../../lib/constructs/key/master-key');
    expect(againKey.MasterKey).not.toBe(MasterKey);
    expect(key instanceof againKey.MasterKey).toBe(false);
    expect(hasBrand(key, 'MasterKey')).toBe(true);
    // Before: "must be a MasterKey".
    expect(errorOf(() => new again.ProtectedAppContainer(stack, 'Zitadel', { masterKey: key, provider: docker }))).toBe('(no error)');
  });
});
