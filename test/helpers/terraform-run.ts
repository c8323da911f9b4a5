/**
 * Terraform test tier harness (docs/ARCHITECTURE.md, "Test tiers"): the vitest-free core. Tests import
 * `./terraform` (which adds `describeTerraform`); scripts and benchmarks running outside
 * vitest import this file directly.
 *
 * Runs real `terraform init` / `validate` / `plan` / `show -json` on synthesized stacks, offline:
 * providers come from a local filesystem mirror found on this machine, the AWS provider is
 * rewritten to mock credentials with every network check skipped, and remote backends become a
 * local one in a temp dir, or (`backend: 'keep'`) stay as synthesized and are pointed at a local
 * S3-compatible server through `-backend-config` only (see test/helpers/s3-server.ts). A
 * `terraform_remote_state` is never replaced by fixed values: it reads real state or the plan
 * fails. Nothing here touches the stack folder it is given: everything happens in
 * a copy under a per-process temp dir that is removed when the process exits.
 *
 * Discovery (no machine paths in library code; this is test code searching well-known roots):
 * - terraform: `KEY_CUSTODY_TF_BIN`, else `terraform` on PATH;
 * - mirror: a root holding `registry.terraform.io/hashicorp/aws/<version>/<os_arch>/terraform-provider-aws*`,
 *   searched in `KEY_CUSTODY_TF_MIRROR`, /opt/tf-plugins, /usr/share/terraform/plugins,
 *   ~/.terraform.d/plugins, ~/.local/share/terraform/plugins, then a bounded `find /`.
 * - `KEY_CUSTODY_TF_ONLINE=1` lets a machine with internet access run without a mirror
 *   (plain registry downloads).
 *
 * `KEY_CUSTODY_TF_KEEP=1` keeps the temp work dirs for debugging.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  constants as fsConstants,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';

// ---------------------------------------------------------------------------------------------
// Discovery
// ---------------------------------------------------------------------------------------------

/** Where the Terraform tier can run, or why it cannot. */
export type TerraformAvailability =
  | {
      readonly ok: true;
      /** Absolute path of the terraform binary. */
      readonly bin: string;
      /** Filesystem mirror root; undefined only with `KEY_CUSTODY_TF_ONLINE=1` and no mirror. */
      readonly mirror: string | undefined;
      /** `terraform version -json` → terraform_version, when it could be read. */
      readonly version?: string;
    }
  | { readonly ok: false; readonly why: string };

/** One provider package a filesystem mirror can serve for this platform. */
export interface MirrorProvider {
  /** `registry.terraform.io/hashicorp/aws` */
  readonly source: string;
  readonly versions: readonly string[];
}

const AWS_PROVIDER_FILE = /^terraform-provider-aws(?:_.*)?$/;

/** Terraform's `<os>_<arch>` for the running platform, e.g. `linux_amd64`. */
export function terraformPlatform(): string {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };
  return `${process.platform === 'win32' ? 'windows' : process.platform}_${arch[process.arch] ?? process.arch}`;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, fsConstants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function listDir(p: string): string[] {
  try {
    return readdirSync(p);
  } catch {
    return [];
  }
}

/** The terraform binary: `KEY_CUSTODY_TF_BIN`, else the first `terraform` on PATH. */
export function findTerraformBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.KEY_CUSTODY_TF_BIN;
  if (explicit) return isExecutable(explicit) ? resolve(explicit) : undefined;
  const names = process.platform === 'win32' ? ['terraform.exe'] : ['terraform'];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** True when `root` has an unpacked hashicorp/aws provider binary for this platform. */
export function isProviderMirror(root: string, platform = terraformPlatform()): boolean {
  const awsDir = join(root, 'registry.terraform.io', 'hashicorp', 'aws');
  for (const version of listDir(awsDir)) {
    const platformDir = join(awsDir, version, platform);
    if (listDir(platformDir).some((f) => AWS_PROVIDER_FILE.test(f))) return true;
  }
  // packed layout: <root>/registry.terraform.io/hashicorp/aws/terraform-provider-aws_<v>_<platform>.zip
  return listDir(awsDir).some((f) => f.startsWith('terraform-provider-aws_') && f.endsWith(`_${platform}.zip`));
}

/** Mirror roots to try, in order (the bounded `find /` fallback is separate). */
export function mirrorCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME || homedir();
  const xdgData = env.XDG_DATA_HOME || join(home, '.local', 'share');
  const list = [
    env.KEY_CUSTODY_TF_MIRROR,
    '/opt/tf-plugins',
    '/usr/share/terraform/plugins',
    '/usr/local/share/terraform/plugins',
    join(home, '.terraform.d', 'plugins'),
    join(xdgData, 'terraform', 'plugins'),
  ];
  return [...new Set(list.filter((p): p is string => !!p))];
}

/**
 * Last resort: `find / -maxdepth 8 -name 'terraform-provider-aws*'` (skipping /proc, /sys,
 * /dev), time-bounded. Returns the mirror root of the first hit with the registry layout.
 */
function findMirrorOnDisk(platform: string): string | undefined {
  if (process.platform === 'win32') return undefined;
  const res = spawnSync(
    'find',
    ['/', '-maxdepth', '8', '(', '-path', '/proc', '-o', '-path', '/sys', '-o', '-path', '/dev', ')', '-prune', '-o',
      '-name', 'terraform-provider-aws*', '-type', 'f', '-print'],
    { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const layout = new RegExp(`^(.*)/registry\\.terraform\\.io/hashicorp/aws/[^/]+/${platform}/terraform-provider-aws[^/]*$`);
  const roots = (res.stdout ?? '')
    .split('\n')
    .map((line) => layout.exec(line)?.[1])
    .filter((r): r is string => !!r)
    // A `.terraform/providers` dir or a plugin cache also has this layout; prefer real mirrors.
    .sort((a, b) => Number(/\.terraform\b|plugin-cache/.test(a)) - Number(/\.terraform\b|plugin-cache/.test(b)));
  return roots.find((r) => isProviderMirror(r, platform));
}

/** The filesystem mirror root serving hashicorp/aws for this platform, if any. */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const platform = terraformPlatform();
  for (const root of mirrorCandidates(env)) {
    if (isProviderMirror(root, platform)) return resolve(root);
  }
  return findMirrorOnDisk(platform);
}

/** Every provider (and version) the mirror can serve for this platform. */
export function mirrorProviders(root: string, platform = terraformPlatform()): MirrorProvider[] {
  const out: MirrorProvider[] = [];
  for (const host of listDir(root).filter((h) => isDir(join(root, h)))) {
    for (const ns of listDir(join(root, host))) {
      for (const type of listDir(join(root, host, ns))) {
        const typeDir = join(root, host, ns, type);
        const versions = new Set<string>();
        for (const entry of listDir(typeDir)) {
          if (isDir(join(typeDir, entry, platform))) versions.add(entry);
          const packed = /^terraform-provider-[^_]+_([^_]+)_(.+)\.zip$/.exec(entry);
          if (packed && packed[2] === platform) versions.add(packed[1]);
        }
        if (versions.size) out.push({ source: `${host}/${ns}/${type}`, versions: [...versions].sort() });
      }
    }
  }
  return out;
}

/** `CI` is set to something other than "", "0" or "false". */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.CI ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}

let availability: TerraformAvailability | undefined;

/** Memoized discovery of the terraform binary and the provider mirror. */
export function terraformAvailable(): TerraformAvailability {
  if (availability) return availability;
  const bin = findTerraformBinary();
  if (!bin) {
    availability = {
      ok: false,
      why: process.env.KEY_CUSTODY_TF_BIN
        ? `KEY_CUSTODY_TF_BIN=${process.env.KEY_CUSTODY_TF_BIN} is not an executable file (the terraform binary to use)`
        : 'terraform is not on PATH (install Terraform >= 1.11 or set KEY_CUSTODY_TF_BIN)',
    };
    return availability;
  }
  const mirror = findProviderMirror();
  const online = ['1', 'true'].includes((process.env.KEY_CUSTODY_TF_ONLINE ?? '').toLowerCase());
  if (!mirror && !online) {
    availability = {
      ok: false,
      why:
        `no filesystem mirror of hashicorp/aws for ${terraformPlatform()} found ` +
        `(looked for <root>/registry.terraform.io/hashicorp/aws/<version>/${terraformPlatform()}/terraform-provider-aws* in ` +
        `${mirrorCandidates().join(', ')} and with find /); set KEY_CUSTODY_TF_MIRROR=<root>, ` +
        'or KEY_CUSTODY_TF_ONLINE=1 to download providers from the registry',
    };
    return availability;
  }
  const v = spawnSync(bin, ['version', '-json'], { encoding: 'utf8', env: terraformEnv(undefined), timeout: 30_000 });
  let version: string | undefined;
  try {
    version = (JSON.parse(v.stdout) as { terraform_version?: string }).terraform_version;
  } catch {
    version = undefined;
  }
  if (v.status !== 0 && version === undefined) {
    availability = { ok: false, why: `${bin} version failed: ${(v.stderr || v.error?.message || '').trim()}` };
    return availability;
  }
  availability = { ok: true, bin, mirror, version };
  return availability;
}

/** Like {@link terraformAvailable} but throws with the reason when terraform cannot run. */
export function requireTerraform(): { bin: string; mirror: string | undefined; version?: string } {
  const a = terraformAvailable();
  if (!a.ok) throw new Error(`Terraform tier unavailable: ${a.why}`);
  return a;
}

// ---------------------------------------------------------------------------------------------
// Session: CLI config, plugin cache, work dirs
// ---------------------------------------------------------------------------------------------

interface Session {
  readonly root: string;
  readonly cliConfig: string;
  readonly pluginCache: string;
}

let session: Session | undefined;

const keepWorkDirs = () => ['1', 'true'].includes((process.env.KEY_CUSTODY_TF_KEEP ?? '').toLowerCase());

/**
 * Terraform CLI configuration for a mirror: the providers the mirror holds come only from it,
 * everything else is left to the registry (which fails fast offline; the preflight in
 * {@link terraformCheck} reports such providers before terraform runs).
 */
export function cliConfigFor(mirror: string | undefined): string {
  if (!mirror) return '# providers come from the registry (KEY_CUSTODY_TF_ONLINE)\n';
  // Exactly the providers the mirror holds (not `hashicorp/*`): a hashicorp provider the mirror
  // lacks (random, null, ...) can then still come from the registry with allowRegistryDownload.
  const sources = mirrorProviders(mirror).map((p) => p.source);
  const list = (sources.length ? sources : ['registry.terraform.io/hashicorp/aws']).map((p) => JSON.stringify(p)).join(', ');
  return [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirror)}`,
    `    include = [${list}]`,
    '  }',
    '  direct {',
    `    exclude = [${list}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

const SESSION_PREFIX = 'key-custody-tf-';
const STALE_SESSION_MS = 6 * 60 * 60 * 1000;

/** Remove session dirs of earlier runs that died before cleaning up (older than 6 hours). */
function sweepStaleSessions(): void {
  const now = Date.now();
  for (const name of listDir(tmpdir())) {
    if (!name.startsWith(SESSION_PREFIX)) continue;
    const p = join(tmpdir(), name);
    try {
      if (now - statSync(p).mtimeMs > STALE_SESSION_MS) rmSync(p, { recursive: true, force: true });
    } catch {
      // another process may be removing it
    }
  }
}

function getSession(mirror: string | undefined): Session {
  if (session) return session;
  sweepStaleSessions();
  const root = mkdtempSync(join(tmpdir(), SESSION_PREFIX));
  const pluginCache = join(root, 'plugin-cache');
  mkdirSync(pluginCache, { recursive: true });
  const cliConfig = join(root, 'terraformrc');
  writeFileSync(cliConfig, cliConfigFor(mirror));
  session = { root, cliConfig, pluginCache };
  // Test workers are often terminated without an 'exit' event; describeTerraform also calls
  // cleanupTerraformSession() in an afterAll.
  process.once('exit', cleanupTerraformSession);
  return session;
}

/**
 * Remove this process's temp dir (CLI config, plugin cache, every work dir and plan file).
 * Results returned earlier keep their paths but the files are gone. No-op with KEY_CUSTODY_TF_KEEP=1.
 */
export function cleanupTerraformSession(): void {
  if (!session || keepWorkDirs()) return;
  try {
    rmSync(session.root, { recursive: true, force: true });
  } catch {
    // best effort
  }
  session = undefined;
}

/**
 * Environment for the terraform processes: our own CLI config and plugin cache, no checkpoint
 * calls, automation mode, and none of the caller's AWS or Terraform CLI settings (a real
 * profile, token or TF_CLI_ARGS must not leak into an offline test run).
 */
function terraformEnv(s: Session | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('AWS_') || k.startsWith('TF_CLI_ARGS') || k === 'TF_DATA_DIR' || k === 'TF_WORKSPACE') continue;
    if (k === 'TF_CLI_CONFIG_FILE' || k === 'TERRAFORM_CONFIG' || k === 'TF_PLUGIN_CACHE_DIR') continue;
    env[k] = v;
  }
  env.CHECKPOINT_DISABLE = '1';
  env.TF_IN_AUTOMATION = '1';
  env.TF_INPUT = '0';
  env.AWS_EC2_METADATA_DISABLED = 'true';
  if (s) {
    env.TF_CLI_CONFIG_FILE = s.cliConfig;
    env.TF_PLUGIN_CACHE_DIR = s.pluginCache;
  } else {
    env.TF_CLI_CONFIG_FILE = process.platform === 'win32' ? 'NUL' : '/dev/null';
  }
  return env;
}

// ---------------------------------------------------------------------------------------------
// Offline rewrite of a synthesized configuration (pure; unit-testable without terraform)
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** Mock values the rewritten AWS provider blocks get. */
export const OFFLINE_AWS_PROVIDER = {
  access_key: 'mock',
  secret_key: 'mock',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
} as const;

export const DEFAULT_OFFLINE_REGION = 'us-east-1';

/** Provider arguments dropped for offline use: they name identities that do not exist here. */
const DROPPED_AWS_ARGS = [
  'profile',
  'assume_role',
  'assume_role_with_web_identity',
  'allowed_account_ids',
  'forbidden_account_ids',
  'shared_config_files',
  'shared_credentials_files',
  'token',
] as const;
/** Secret-bearing arguments: only their presence is recorded, never the value. */
const SECRET_AWS_ARGS = new Set(['token', 'access_key', 'secret_key']);

/** What was changed in one `provider "aws"` block. */
export interface ProviderRewrite {
  readonly alias?: string;
  /** Region used offline (the original unless it was missing). */
  readonly region: unknown;
  readonly regionDefaulted: boolean;
  /** Dropped arguments with their original values (secrets recorded as "<redacted>"). */
  readonly dropped: Readonly<Record<string, unknown>>;
  /** True for a default (un-aliased) block the harness added because resources needed one. */
  readonly added: boolean;
}

export interface OfflineRewriteOptions {
  /**
   * `local`: replace the backend by a local one in the work dir. `keep`: leave the synthesized
   * backend block as it is (a deploy rehearsal gives its endpoint through `-backend-config`).
   * @default 'local'
   */
  readonly backend?: 'local' | 'keep';
  /** Local state path written into the replacement backend. @default "terraform.tfstate" */
  readonly statePath?: string;
  /**
   * Settings merged into the `config` of every s3 `terraform_remote_state` (the endpoint of
   * the local server): the data source still reads the real state object.
   */
  readonly remoteStateConfig?: Readonly<Record<string, unknown>>;
  /**
   * Settings merged into every AWS provider block after the mock credentials (e.g. an S3
   * endpoint where a data source finds the bucket it reads).
   */
  readonly awsProvider?: Readonly<Record<string, unknown>>;
}

export interface OfflineRewrite {
  readonly config: Json;
  readonly providers: readonly ProviderRewrite[];
  /** The backend that was replaced by the local one (type and settings), if any. */
  readonly replacedBackend?: { readonly type: string; readonly config: unknown };
  /** The `terraform_remote_state` data sources of the configuration (read for real by a plan). */
  readonly remoteState: readonly string[];
}

/** Local provider names (and aliases) resources of the config are bound to. */
function providerRefs(config: Json): { local: string; alias?: string }[] {
  const out: { local: string; alias?: string }[] = [];
  for (const key of ['resource', 'data', 'ephemeral']) {
    const byType = config[key];
    if (!isObj(byType)) continue;
    for (const [type, byName] of Object.entries(byType)) {
      if (!isObj(byName)) continue;
      for (const block of Object.values(byName)) {
        const p = isObj(block) ? block.provider : undefined;
        if (typeof p === 'string') {
          const [local, alias] = p.replace(/^\$\{|\}$/g, '').split('.');
          out.push({ local, alias });
        } else {
          out.push({ local: type.split('_')[0] });
        }
      }
    }
  }
  return out;
}

function rewriteAwsBlock(block: Json): ProviderRewrite {
  const dropped: Record<string, unknown> = {};
  for (const arg of [...DROPPED_AWS_ARGS, 'access_key', 'secret_key']) {
    if (arg in block) {
      if (!(arg === 'access_key' || arg === 'secret_key')) dropped[arg] = SECRET_AWS_ARGS.has(arg) ? '<redacted>' : block[arg];
      delete block[arg];
    }
  }
  const regionDefaulted = block.region === undefined || block.region === null || block.region === '';
  if (regionDefaulted) block.region = DEFAULT_OFFLINE_REGION;
  Object.assign(block, OFFLINE_AWS_PROVIDER);
  return {
    alias: typeof block.alias === 'string' ? block.alias : undefined,
    region: block.region,
    regionDefaulted,
    dropped,
    added: false,
  };
}

/**
 * Rewrite one Terraform JSON configuration (cdk.tf.json) for offline validate/plan. Returns a
 * new object; the input is not modified.
 */
export function rewriteForOffline(input: unknown, opts: OfflineRewriteOptions = {}): OfflineRewrite {
  if (!isObj(input)) throw new Error('Terraform JSON configuration must be an object');
  const config = structuredClone(input) as Json;

  // 1. provider "aws" blocks → mock credentials, no identity lookups.
  const providers: ProviderRewrite[] = [];
  const providerRoot = isObj(config.provider) ? config.provider : undefined;
  let awsBlocks: Json[] = [];
  if (providerRoot && 'aws' in providerRoot) {
    const raw = providerRoot.aws;
    awsBlocks = (Array.isArray(raw) ? raw : [raw]).filter(isObj);
    providerRoot.aws = awsBlocks;
    for (const b of awsBlocks) providers.push(rewriteAwsBlock(b));
  }
  const extraAws = opts.awsProvider ?? {};
  // Resources on the default aws provider with no default block would get an implicit, empty
  // configuration (no region, real credential lookups); give them a mock one.
  const needsDefaultAws = providerRefs(config).some((r) => r.local === 'aws' && !r.alias);
  if (needsDefaultAws && !awsBlocks.some((b) => b.alias === undefined)) {
    const block: Json = {};
    const rw = rewriteAwsBlock(block);
    awsBlocks.push(block);
    config.provider = { ...(providerRoot ?? {}), aws: awsBlocks };
    providers.push({ ...rw, added: true });
  }
  for (const b of awsBlocks) Object.assign(b, structuredClone(extraAws));

  // 2. backend → local, in the work dir (unless kept for a rehearsal against a local server).
  let replacedBackend: OfflineRewrite['replacedBackend'];
  const tf = isObj(config.terraform) ? config.terraform : (config.terraform = {});
  if (isObj(tf) && opts.backend !== 'keep') {
    if (isObj(tf.backend)) {
      const [type, cfg] = Object.entries(tf.backend)[0] ?? [];
      if (type) replacedBackend = { type, config: cfg };
    }
    if ('cloud' in tf) {
      replacedBackend = { type: 'cloud', config: tf.cloud };
      delete tf.cloud;
    }
    tf.backend = { local: { path: opts.statePath ?? 'terraform.tfstate' } };
  }

  // 3. remote state: kept, so a plan reads it for real; s3 reads may be pointed at the local server.
  const data = isObj(config.data) ? config.data : undefined;
  const remote = data && isObj(data.terraform_remote_state) ? data.terraform_remote_state : undefined;
  const remoteState = remote ? Object.keys(remote) : [];
  if (remote && opts.remoteStateConfig) {
    for (const ds of Object.values(remote)) {
      if (isObj(ds) && ds.backend === 's3' && isObj(ds.config)) Object.assign(ds.config, opts.remoteStateConfig);
    }
  }

  return { config, providers, replacedBackend, remoteState };
}

/** HCL for a `.tfbackend` file: strings, numbers, booleans and one level of objects. */
export function tfbackend(settings: Readonly<Record<string, unknown>>): string {
  const value = (v: unknown): string => {
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (isObj(v)) return `{ ${Object.entries(v).map(([k, x]) => `${k} = ${value(x)}`).join(', ')} }`;
    throw new Error(`tfbackend: cannot write ${JSON.stringify(v)} (strings, numbers, booleans and objects only)`);
  };
  return `${Object.entries(settings).map(([k, v]) => `${k} = ${value(v)}`).join('\n')}\n`;
}

/** Provider source addresses a configuration needs, normalized to `host/ns/type`. */
export function requiredProviderSources(config: unknown): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  if (!isObj(config)) return out;
  const normalize = (source: string): string => {
    const parts = source.toLowerCase().split('/');
    if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
    if (parts.length === 2) return `registry.terraform.io/${parts[0]}/${parts[1]}`;
    return parts.join('/');
  };
  const required = isObj(config.terraform) && isObj(config.terraform.required_providers) ? config.terraform.required_providers : {};
  const localToSource = new Map<string, string>();
  for (const [local, spec] of Object.entries(required)) {
    // `{ source, version }`, or the legacy bare version string.
    const source = isObj(spec) && typeof spec.source === 'string' ? spec.source : local;
    const version = isObj(spec) && typeof spec.version === 'string' ? spec.version : typeof spec === 'string' ? spec : undefined;
    localToSource.set(local, normalize(source));
    out.set(normalize(source), version);
  }
  const implied = new Set(providerRefs(config).map((r) => r.local));
  if (isObj(config.provider)) for (const local of Object.keys(config.provider)) implied.add(local);
  for (const local of implied) {
    if (local === 'terraform') continue; // builtin: terraform_data, terraform_remote_state
    if (!localToSource.has(local)) out.set(normalize(local), out.get(normalize(local)));
  }
  return out;
}

/** Providers the config needs that the mirror cannot serve (missing, or not the exact pinned version). */
export function missingFromMirror(config: unknown, mirror: string): { source: string; constraint?: string; available: readonly string[] }[] {
  const have = new Map(mirrorProviders(mirror).map((p) => [p.source, p.versions]));
  const missing: { source: string; constraint?: string; available: readonly string[] }[] = [];
  for (const [source, constraint] of requiredProviderSources(config)) {
    const versions = have.get(source) ?? [];
    const exact = constraint ? /^\s*=?\s*v?(\d+\.\d+\.\d+(?:-[\w.]+)?)\s*$/.exec(constraint)?.[1] : undefined;
    if (versions.length === 0 || (exact && !versions.includes(exact))) missing.push({ source, constraint, available: versions });
  }
  return missing;
}

// ---------------------------------------------------------------------------------------------
// Running terraform
// ---------------------------------------------------------------------------------------------

export interface TerraformDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { readonly filename: string; readonly start: { readonly line: number; readonly column: number } };
  readonly snippet?: { readonly context?: string | null; readonly code?: string };
}

/** `terraform validate -json` output. */
export interface TerraformValidateResult {
  readonly format_version: string;
  readonly valid: boolean;
  readonly error_count: number;
  readonly warning_count: number;
  readonly diagnostics: readonly TerraformDiagnostic[];
}

export interface TerraformCheckOptions {
  /** Run `terraform plan -refresh=false` after validate. @default false (true when showJson) */
  readonly plan?: boolean;
  /** Return `terraform show -json` of the plan. @default same as plan */
  readonly showJson?: boolean;
  /** Keep the synthesized backend (see {@link OfflineRewriteOptions.backend}). @default 'local' */
  readonly backend?: 'local' | 'keep';
  /**
   * `-backend-config` settings for a kept backend, written to a `.tfbackend` file in the work
   * dir (e.g. the endpoint of a local S3-compatible server).
   */
  readonly backendConfig?: Readonly<Record<string, unknown>>;
  /** Merged into every s3 `terraform_remote_state` config (see {@link OfflineRewriteOptions.remoteStateConfig}). */
  readonly remoteStateConfig?: Readonly<Record<string, unknown>>;
  /** `-target` addresses for the plan (a stack part of which can only be planned against the cloud). */
  readonly planTargets?: readonly string[];
  /** Merged into every AWS provider block (see {@link OfflineRewriteOptions.awsProvider}). */
  readonly awsProvider?: Readonly<Record<string, unknown>>;
  /**
   * After the plan, `terraform apply -target=...` of these addresses (what can be applied
   * offline, e.g. `terraform_data`), so that the state backend receives real state.
   */
  readonly applyTargets?: readonly string[];
  /** `-var` values for the plan. */
  readonly vars?: Readonly<Record<string, string>>;
  /**
   * Let terraform try the public registry for providers the mirror lacks (needs internet).
   * @default false: such providers fail the check before terraform runs, naming them
   */
  readonly allowRegistryDownload?: boolean;
  /** Per-command timeout in ms. @default 240_000 */
  readonly timeoutMs?: number;
}

export interface TerraformCheckResult {
  /** The temp copy terraform ran in (removed at process exit unless KEY_CUSTODY_TF_KEEP=1). */
  readonly workDir: string;
  readonly validate: TerraformValidateResult;
  /** Absolute path of the saved plan (`plan.bin`), when planned. */
  readonly planFile?: string;
  /** Parsed `terraform show -json plan.bin`. */
  readonly planJson?: unknown;
  /** The `terraform_remote_state` data sources the configuration reads (never replaced). */
  readonly remoteState: readonly string[];
  readonly providers: readonly ProviderRewrite[];
  readonly replacedBackend?: { readonly type: string; readonly config: unknown };
  /** Wall-clock milliseconds per step. */
  readonly timings: { init: number; validate: number; plan?: number; show?: number; apply?: number; total: number };
}

/** A terraform step failed; carries its output and diagnostics. */
export class TerraformCheckError extends Error {
  constructor(
    message: string,
    readonly step: 'preflight' | 'init' | 'validate' | 'plan' | 'show' | 'apply',
    readonly workDir: string,
    readonly stdout = '',
    readonly stderr = '',
    readonly diagnostics: readonly TerraformDiagnostic[] = [],
  ) {
    super(message);
    this.name = 'TerraformCheckError';
  }
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => {
      err.push(Buffer.from(`\n[harness] terraform ${args[0]} timed out after ${timeoutMs} ms; killed\n`));
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: Math.round(performance.now() - started),
      });
    });
  });
}

function formatDiagnostics(diags: readonly TerraformDiagnostic[]): string {
  return diags
    .map((d) => {
      // Line numbers refer to the rewritten copy in the work dir; the snippet context names the block.
      const at = [d.address, d.snippet?.context, d.range && `${d.range.filename}:${d.range.start.line}:${d.range.start.column}`].filter(Boolean);
      const where = at.length ? ` (${at.join(', ')})` : '';
      return `  ${d.severity}: ${d.summary}${where}${d.detail ? `\n    ${d.detail.replace(/\n/g, '\n    ')}` : ''}`;
    })
    .join('\n');
}

function resolveStackDir(stackDir: string): { dir: string; file: string } {
  const abs = resolve(stackDir);
  if (!existsSync(abs)) throw new Error(`terraformCheck: ${abs} does not exist`);
  if (statSync(abs).isFile()) return { dir: dirname(abs), file: basename(abs) };
  if (existsSync(join(abs, 'cdk.tf.json'))) return { dir: abs, file: 'cdk.tf.json' };
  throw new Error(`terraformCheck: ${abs} has no cdk.tf.json (pass a cdktf.out/stacks/<name> folder)`);
}

/**
 * Copy a synthesized stack to a temp dir, make it runnable offline (see {@link rewriteForOffline}),
 * then `terraform init`, `terraform validate -json`, and, when asked, `terraform plan
 * -refresh=false -out=plan.bin` and `terraform show -json plan.bin`.
 *
 * Throws {@link TerraformCheckError} (message includes terraform's diagnostics/stderr) when a
 * step fails, when validate reports the configuration invalid, or when a needed provider is not
 * in the mirror.
 */
export async function terraformCheck(stackDir: string, opts: TerraformCheckOptions = {}): Promise<TerraformCheckResult> {
  const started = performance.now();
  const tool = requireTerraform();
  const s = getSession(tool.mirror);
  const { dir, file } = resolveStackDir(stackDir);
  const workDir = mkdtempSync(join(s.root, `${basename(dir).replace(/[^\w.-]/g, '_')}-`));
  cpSync(dir, workDir, {
    recursive: true,
    filter: (src) => {
      const name = basename(src);
      return !(name === '.terraform' || name === '.terraform.lock.hcl' || /\.tfstate(\.|$)/.test(name) || name === 'plan.bin');
    },
  });
  const configPath = join(workDir, file);
  const original = JSON.parse(readFileSync(configPath, 'utf8')) as unknown;
  const rw = rewriteForOffline(original, { backend: opts.backend, remoteStateConfig: opts.remoteStateConfig, awsProvider: opts.awsProvider });
  writeFileSync(configPath, JSON.stringify(rw.config, null, 2));

  const fail = (step: TerraformCheckError['step'], what: string, r?: Partial<RunResult>, diags: readonly TerraformDiagnostic[] = []): never => {
    const parts = [`terraformCheck(${stackDir}): ${what}`];
    if (diags.length) parts.push(formatDiagnostics(diags));
    if (r?.stderr?.trim()) parts.push(`stderr:\n${r.stderr.trim()}`);
    if (!diags.length && r?.stdout?.trim()) parts.push(`stdout:\n${r.stdout.trim().slice(-8000)}`);
    if (rw.remoteState.length) parts.push(`(remote state read for real: ${rw.remoteState.join(', ')})`);
    parts.push(`work dir: ${workDir}${keepWorkDirs() ? '' : ' (removed at exit; set KEY_CUSTODY_TF_KEEP=1 to keep it)'}`);
    throw new TerraformCheckError(parts.join('\n'), step, workDir, r?.stdout, r?.stderr, diags);
  };

  if (opts.backendConfig && opts.backend !== 'keep') fail('preflight', "backendConfig needs backend: 'keep' (the local backend takes no -backend-config)");
  if (tool.mirror && !opts.allowRegistryDownload) {
    const missing = missingFromMirror(rw.config, tool.mirror);
    if (missing.length) {
      fail(
        'preflight',
        `the configuration needs providers the mirror at ${tool.mirror} does not serve for ${terraformPlatform()}:\n` +
          missing
            .map((m) => `  - ${m.source}${m.constraint ? ` (${m.constraint})` : ''}: mirror has ${m.available.length ? m.available.join(', ') : 'none'}`)
            .join('\n') +
          '\n  Test such stacks at synth level, add the provider to the mirror, or pass allowRegistryDownload: true on a machine with internet access.',
      );
    }
  }

  const env = terraformEnv(s);
  const timeout = opts.timeoutMs ?? 240_000;
  const tf = (args: string[]) => run(tool.bin, [...args], workDir, env, timeout);

  // A kept backend is exercised as deployed: with its lock (the lock file of use_lockfile).
  const lock = opts.backend === 'keep' ? '-lock=true' : '-lock=false';
  const backendArgs: string[] = [];
  if (opts.backendConfig) {
    writeFileSync(join(workDir, 'rehearsal.tfbackend'), tfbackend(opts.backendConfig));
    backendArgs.push('-backend-config=rehearsal.tfbackend');
  }
  const init = await tf(['init', '-input=false', '-no-color', lock, ...backendArgs]);
  if (init.code !== 0) fail('init', `terraform init failed (exit ${init.code})`, init);

  const val = await tf(['validate', '-json', '-no-color']);
  let validate: TerraformValidateResult;
  try {
    validate = JSON.parse(val.stdout) as TerraformValidateResult;
  } catch {
    return fail('validate', `terraform validate -json printed no JSON (exit ${val.code})`, val);
  }
  if (!validate.valid || val.code !== 0) {
    fail('validate', `terraform validate: configuration is invalid (${validate.error_count} error(s))`, val, validate.diagnostics);
  }

  const timings: TerraformCheckResult['timings'] = { init: init.ms, validate: val.ms, total: 0 };
  let planFile: string | undefined;
  let planJson: unknown;
  const wantShow = opts.showJson ?? !!opts.plan;
  if (opts.plan || wantShow) {
    const varArgs = Object.entries(opts.vars ?? {}).map(([k, v]) => `-var=${k}=${v}`);
    const planTargets = (opts.planTargets ?? []).map((t) => `-target=${t}`);
    const plan = await tf(['plan', '-refresh=false', '-out=plan.bin', '-input=false', lock, '-no-color', ...planTargets, ...varArgs]);
    timings.plan = plan.ms;
    if (plan.code !== 0) fail('plan', `terraform plan failed (exit ${plan.code})`, plan);
    planFile = join(workDir, 'plan.bin');
    if (wantShow) {
      const show = await tf(['show', '-json', '-no-color', 'plan.bin']);
      timings.show = show.ms;
      if (show.code !== 0) fail('show', `terraform show -json failed (exit ${show.code})`, show);
      try {
        planJson = JSON.parse(show.stdout);
      } catch {
        fail('show', 'terraform show -json printed no JSON', show);
      }
    }
  }
  if (opts.applyTargets?.length) {
    const varArgs = Object.entries(opts.vars ?? {}).map(([k, v]) => `-var=${k}=${v}`);
    const targets = opts.applyTargets.map((t) => `-target=${t}`);
    const apply = await tf(['apply', '-auto-approve', '-refresh=false', '-input=false', lock, '-no-color', ...targets, ...varArgs]);
    timings.apply = apply.ms;
    if (apply.code !== 0) fail('apply', `terraform apply ${targets.join(' ')} failed (exit ${apply.code})`, apply);
  }
  timings.total = Math.round(performance.now() - started);
  return {
    workDir,
    validate,
    planFile,
    planJson,
    remoteState: rw.remoteState,
    providers: rw.providers,
    replacedBackend: rw.replacedBackend,
    timings,
  };
}
