/**
 * No key material anywhere: a recognisable key value is planted through every supported
 * input path (an EphemeralKeyInput feeding the write-only argument of a Secrets Manager or
 * SSM hot copy, via TF_VAR_*; the content of the host key file, which the library never
 * reads), for every hot-copy kind, and then searched for in every file written under
 * cdktf.out (stacks, manifest, custody reports) and in everything `key-custody check`
 * prints in each format. It also checks that findings about a key a user did put into the
 * configuration by hand never repeat the value.
 *
 * Every app under examples/<name>/main.ts is synthesized the same way (none is skipped:
 * the list is asserted). The Terraform plan JSON scan is test/terraform/secrets-manager-hot-copy.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { main } from '../../lib/cli/main';
import { EphemeralKeyInput } from '../../lib/constructs/key/ephemeral-key-input';
import { ProtectedAppContainer } from '../../lib/constructs/app/protected-app-container';
import { MasterKey } from '../../lib/constructs/key/master-key';
import { KeyCustody } from '../../lib/synth/custody-check';

/** 32 printable ASCII characters (a valid Zitadel key), recognisable in any output. */
const PLANTED = 'PLANTEDKEY-c0ffee-7f3a9c1e5b2d4f';
const FORMS = [PLANTED, Buffer.from(PLANTED).toString('base64'), Buffer.from(PLANTED).toString('hex')];

const root = join(__dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'kc-no-key-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Where the planted value (or its base64/hex form) appears, as `<where>` labels. */
function leaks(where: string, text: string): string[] {
  return FORMS.some((f) => text.includes(f)) ? [where] : [];
}

async function cliOutputs(outdir: string): Promise<string[]> {
  const found: string[] = [];
  for (const format of ['text', 'json', 'markdown', 'sarif']) {
    let out = '';
    let err = '';
    await main(['check', outdir, '--format', format], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
    expect(out.length + err.length).toBeGreaterThan(0);
    found.push(...leaks(`key-custody check --format ${format}`, out + err));
  }
  return found;
}

function scanOutdir(outdir: string): string[] {
  const files = filesUnder(outdir);
  expect(files.some((f) => f.endsWith('cdk.tf.json'))).toBe(true);
  return files.flatMap((f) => leaks(f, readFileSync(f).toString('latin1')));
}

type HotKind = 'host-file' | 'secrets-manager' | 'ssm';

/** An app whose key is planted through the input path of its hot-copy kind. */
function plantedApp(kind: HotKind, outdir: string): App {
  const app = new App({ outdir });
  KeyCustody.enable(app, { today: '2026-01-01', reports: true, rules: [] });
  const stack = new TerraformStack(app, `hot-${kind}`);
  new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  new DockerProvider(stack, 'docker', { host: 'ssh://deploy@idp-1' });
  // The host file holds the real key bytes; the library is given only its path.
  const hostDir = join(tmp, `host-${kind}`);
  mkdirSync(hostDir, { recursive: true });
  const hostPath = join(hostDir, 'masterkey');
  writeFileSync(hostPath, PLANTED, { mode: 0o400 });
  const readers = ['arn:aws:iam::111111111111:role/zitadel-host'];
  const input = kind === 'host-file' ? undefined : new EphemeralKeyInput(stack, 'zitadel_masterkey');
  const key = new MasterKey(stack, 'Key', {
    keyId: 'zitadel-prod',
    profile: 'zitadel',
    hotCopy:
      kind === 'host-file'
        ? { kind, path: hostPath }
        : kind === 'secrets-manager'
          ? { kind, name: 'zitadel/masterkey', readers, value: input, hostPath }
          : { kind, name: '/zitadel/masterkey', readers, value: input as EphemeralKeyInput, hostPath },
    copies: [
      { kind: 'cold', medium: 'nas', location: '/mnt/nas/zitadel/masterkey.age' },
      { kind: 'paper', medium: 'paper', location: 'safe', offsite: true },
    ],
  });
  new ProtectedAppContainer(stack, 'App', { masterKey: key });
  return app;
}

describe('no key material in synthesized output, reports or CLI output', () => {
  for (const kind of ['host-file', 'secrets-manager', 'ssm'] as const) {
    it(`${kind} hot copy: the planted key appears nowhere`, async () => {
      const outdir = join(tmp, `out-${kind}`);
      // The ephemeral variable's value is only ever given to Terraform, e.g. through TF_VAR_*.
      process.env.TF_VAR_zitadel_masterkey = PLANTED;
      try {
        plantedApp(kind, outdir).synth();
      } finally {
        delete process.env.TF_VAR_zitadel_masterkey;
      }
      const config = readFileSync(join(outdir, 'stacks', `hot-${kind}`, 'cdk.tf.json'), 'utf8');
      if (kind !== 'host-file') expect(config).toMatch(kind === 'ssm' ? /"value_wo"/ : /"secret_string_wo"/);
      expect(filesUnder(outdir).some((f) => /custody-report/.test(f))).toBe(true);
      expect([...scanOutdir(outdir), ...(await cliOutputs(outdir))]).toEqual([]);
    });
  }

  it('findings about a key a user wrote into the configuration never repeat it', async () => {
    // The library cannot stop a hand-written value from landing in cdk.tf.json, but no
    // finding, report or message may copy it anywhere else.
    const dir = join(tmp, 'hand-written', 'stacks', 'app');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'cdk.tf.json'),
      JSON.stringify({
        provider: { docker: [{ host: 'ssh://deploy@idp-1' }], aws: [{ region: 'eu-central-1' }] },
        resource: {
          docker_container: {
            zitadel: {
              name: 'zitadel',
              image: 'ghcr.io/zitadel/zitadel:v4.13.0',
              env: [`ZITADEL_MASTERKEY=${PLANTED}`],
              command: ['start', `--masterkey=${PLANTED}`, '--masterkey', PLANTED],
              upload: [{ file: '/run/secrets/masterkey', content: PLANTED }],
              labels: [{ label: 'custody:app', value: 'zitadel' }],
            },
          },
          aws_secretsmanager_secret: { hot: { name: 'zitadel/masterkey', tags: { 'custody:role': 'key-store', 'custody:key': 'zitadel-prod' } } },
          aws_secretsmanager_secret_version: { hot: { secret_id: '${aws_secretsmanager_secret.hot.id}', secret_string: PLANTED } },
          aws_ssm_parameter: { hot: { name: '/zitadel/masterkey', type: 'SecureString', value: PLANTED, tags: { 'custody:role': 'key-store', 'custody:key': 'zitadel-prod' } } },
        },
      }),
    );
    let out = '';
    const code = await main(['check', join(tmp, 'hand-written'), '--format', 'json'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => undefined } });
    expect(code).toBe(1);
    const ids = new Set((JSON.parse(out) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId));
    for (const id of ['KC001', 'KC002', 'KC004']) expect(ids).toContain(id);
    expect(await cliOutputs(join(tmp, 'hand-written'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// Examples

const examplesDir = join(root, 'examples');
const EXAMPLES = existsSync(examplesDir) ? readdirSync(examplesDir).filter((n) => existsSync(join(examplesDir, n, 'main.ts'))).sort() : [];

describe('examples', () => {
  it('every examples/<name>/main.ts is in the scan (none skipped)', () => {
    const dirs = existsSync(examplesDir) ? readdirSync(examplesDir).filter((n) => statSync(join(examplesDir, n)).isDirectory()) : [];
    expect(EXAMPLES).toEqual(dirs.filter((n) => existsSync(join(examplesDir, n, 'main.ts'))).sort());
  });

  it.each(EXAMPLES)('examples/%s: the planted key appears nowhere', async (name) => {
    const outdir = join(tmp, `example-${name}`);
    // Plant the key through every variable an example could read it from.
    const env: Record<string, string> = { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: outdir, KEY_CUSTODY_PLANTED_KEY: PLANTED } as Record<string, string>;
    const source = readFileSync(join(examplesDir, name, 'main.ts'), 'utf8');
    for (const m of source.matchAll(/EphemeralKeyInput\([^,]+,\s*['"]([^'"]+)['"]/g)) env[`TF_VAR_${m[1]}`] = PLANTED;
    for (const m of source.matchAll(/variableName:\s*['"]([^'"]+)['"]/g)) env[`TF_VAR_${m[1]}`] = PLANTED;
    const res = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(examplesDir, name, 'main.ts')], { cwd: join(examplesDir, name), env, encoding: 'utf8', timeout: 240_000 });
    expect(res.status, res.stderr).toBe(0);
    expect(leaks('example stdout/stderr', `${res.stdout}${res.stderr}`)).toEqual([]);
    expect([...scanOutdir(outdir), ...(await cliOutputs(outdir))]).toEqual([]);
  });
});
