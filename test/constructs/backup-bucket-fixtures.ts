/**
 * The two-stack custody app of the backup-bucket tests: key custody in one stack with its
 * own AWS profile/account and state, DB backups in another. Shared by the synth tests
 * (test/constructs) and the Terraform tier (test/terraform).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { afterEach } from 'vitest';
import type { CustodyBucketProps } from '../../lib/constructs/buckets/custody-bucket';
import { DatabaseBackupBucket } from '../../lib/constructs/buckets/database-backup-bucket';
import { KeyBackupBucket } from '../../lib/constructs/buckets/key-backup-bucket';
import { CustodyManifest } from '../../lib/constructs/manifest/custody-manifest';
import { ALL_RULES } from '../../lib/rules';
import type { CustodyRule } from '../../lib/rules/rule';
import { KeyCustody } from '../../lib/synth/custody-check';
import { buildModel } from '../../lib/model/build';
import type { Finding } from '../../lib/model/types';
import { runRules } from '../../lib/rules/engine';

const FINGERPRINT = `kcfp1:${'1'.repeat(32)}:${'2'.repeat(64)}`;

export const KEY_ACCOUNT = '111111111111';
export const DB_ACCOUNT = '222222222222';
export const KEY_ID = 'zitadel-master';
export const APP = 'zitadel';

let catalogue: readonly CustodyRule[] = ALL_RULES;

/** Every rule of the catalogue (test/rules/rules-md.test.ts keeps the index complete). */
export async function loadCatalogue(): Promise<readonly CustodyRule[]> {
  catalogue = ALL_RULES;
  return catalogue;
}

/** The whole catalogue as loaded by {@link loadCatalogue}. */
export function allRules(): readonly CustodyRule[] {
  return catalogue;
}

/**
 * Recovery drills (KC030-KC034) are RecoveryDrill's subject: a bucket-only app has no drill
 * environment, and those rules rightly fail it. Every other rule of the catalogue runs.
 */
export function nonDrillRules(): readonly CustodyRule[] {
  return catalogue.filter((r) => !/^KC03\d$/.test(r.id));
}

export interface CustodyApp {
  readonly app: App;
  readonly outdir: string;
  readonly keyStack: TerraformStack;
  readonly dbStack: TerraformStack;
  readonly keyProvider: AwsProvider;
  readonly dbProvider: AwsProvider;
  keyBucket: KeyBackupBucket;
  dbBucket: DatabaseBackupBucket;
  /** Synthesize; returns the thrown error, if any. */
  synth(): Error | undefined;
  /** Findings of the given rules on what was synthesized (for apps synthesized with skipValidation). */
  findings(rules?: readonly CustodyRule[]): Finding[];
  /** The synthesized Terraform JSON of a stack. */
  json(stack: 'key-custody' | 'db-backups'): TfJson;
  stackDir(stack: 'key-custody' | 'db-backups'): string;
  cleanup(): void;
}

export type TfJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  terraform?: Record<string, unknown>;
  provider?: Record<string, unknown>;
};

export type Stacks = Pick<CustodyApp, 'app' | 'keyStack' | 'dbStack' | 'keyProvider' | 'dbProvider'>;

export interface CustodyAppOptions {
  /** Props of the key bucket, or a function of the stacks that returns them. */
  readonly key?: Partial<CustodyBucketProps> | ((s: Stacks) => Partial<CustodyBucketProps>);
  /** Props of the DB bucket, or a function of the stacks that returns them. */
  readonly db?: Partial<CustodyBucketProps> | ((s: Stacks) => Partial<CustodyBucketProps>);
  /** Declare the key's non-Terraform copies (hot file, NAS, paper) in the manifest. @default true */
  readonly declareKey?: boolean;
  /** Runs after the providers and backends exist, before the buckets are created. */
  readonly before?: (a: Stacks) => void;
  readonly rules?: readonly CustodyRule[];
  /** Put both stacks in the key custody account (what separation should prevent). @default false */
  readonly sameAccount?: boolean;
  /** Replace the key stack's local backend (called instead of creating it). */
  readonly keyBackend?: (keyStack: TerraformStack) => void;
  /**
   * Synthesize without the app validation (the custody check), so that a test can read the
   * JSON of an app the check would refuse and run the rules itself.
   * @default false
   */
  readonly skipValidation?: boolean;
}

/** Build (without synthesizing) the two-stack app. */
export function custodyApp(opts: CustodyAppOptions = {}): CustodyApp {
  const outdir = mkdtempSync(join(tmpdir(), 'kc-backup-buckets-'));
  try {
    return build(outdir, opts);
  } catch (e) {
    // Construction refused the props (the tests expect that often): leave nothing behind.
    rmSync(outdir, { recursive: true, force: true });
    throw e;
  }
}

function build(outdir: string, opts: CustodyAppOptions): CustodyApp {
  const app = new App({ outdir, skipValidation: opts.skipValidation });
  KeyCustody.enable(app, { rules: opts.rules ?? nonDrillRules(), reports: false });

  const keyStack = new TerraformStack(app, 'key-custody');
  const keyProvider = new AwsProvider(keyStack, 'aws', { region: 'eu-central-1', profile: 'key-custody', allowedAccountIds: [KEY_ACCOUNT] });
  if (opts.keyBackend) opts.keyBackend(keyStack);
  else new LocalBackend(keyStack, { path: join(outdir, 'state', 'key-custody.tfstate') });

  const dbStack = new TerraformStack(app, 'db-backups');
  const dbAccount = opts.sameAccount ? KEY_ACCOUNT : DB_ACCOUNT;
  const dbProvider = new AwsProvider(dbStack, 'aws', { region: 'eu-west-1', profile: 'db-backups', allowedAccountIds: [dbAccount] });
  new LocalBackend(dbStack, { path: join(outdir, 'state', 'db-backups.tfstate') });

  const stacks: Stacks = { app, keyStack, dbStack, keyProvider, dbProvider };
  opts.before?.(stacks);
  const keyProps = typeof opts.key === 'function' ? opts.key(stacks) : opts.key;
  const dbProps = typeof opts.db === 'function' ? opts.db(stacks) : opts.db;

  if (opts.declareKey !== false) {
    CustodyManifest.of(keyStack).addKey({
      id: KEY_ID,
      app: APP,
      // #20: copies count for 3-2-1 with evidence, here the fingerprint keygen printed.
      copies: [
        { kind: 'hot', medium: 'host-file', location: 'zitadel-host:/etc/zitadel/masterkey', offsite: false, fingerprint: FINGERPRINT },
        { kind: 'cold', medium: 'nas', location: 'nas:/zitadel/masterkey.age', offsite: false, fingerprint: FINGERPRINT },
        { kind: 'paper', medium: 'paper', location: 'office safe', offsite: true, fingerprint: FINGERPRINT },
      ],
    });
  }

  const keyBucket = new KeyBackupBucket(keyStack, 'KeyBackups', {
    key: KEY_ID,
    app: APP,
    accountId: KEY_ACCOUNT,
    admins: [`arn:aws:iam::${KEY_ACCOUNT}:role/key-custody-deployer`],
    ...keyProps,
  });
  const dbBucket = new DatabaseBackupBucket(dbStack, 'DbBackups', {
    key: KEY_ID,
    app: APP,
    accountId: dbAccount,
    admins: [`arn:aws:iam::${dbAccount}:role/db-backups-deployer`],
    ...dbProps,
  });

  const ca: CustodyApp = {
    app,
    outdir,
    keyStack,
    dbStack,
    keyProvider,
    dbProvider,
    keyBucket,
    dbBucket,
    synth() {
      try {
        app.synth();
        return undefined;
      } catch (e) {
        return e as Error;
      }
    },
    findings: (rules = nonDrillRules()) => runRules(buildModel(KeyCustody.checkOf(app)!.documents()), rules, {}).findings,
    stackDir: (stack) => join(outdir, 'stacks', stack),
    json: (stack) => JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as TfJson,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
  return ca;
}

/** Every synthesized stack configuration under an outdir. */
/** `custodyApp` for the tests of one file: every app it makes is cleaned up after its test. */
export function custodyApps(): (...args: Parameters<typeof custodyApp>) => CustodyApp {
  const apps: CustodyApp[] = [];
  afterEach(() => {
    for (const a of apps.splice(0)) a.cleanup();
  });
  return (...args) => {
    const a = custodyApp(...args);
    apps.push(a);
    return a;
  };
}

export function allStackJson(outdir: string): { stack: string; json: TfJson }[] {
  const stacks = join(outdir, 'stacks');
  return readdirSync(stacks).map((stack) => ({ stack, json: JSON.parse(readFileSync(join(stacks, stack, 'cdk.tf.json'), 'utf8')) as TfJson }));
}

/** Resources of one type in a stack's JSON, by logical id. */
export function resourcesOf(json: TfJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

/** The one resource of a type (fails when there are several). */
export function onlyResource(json: TfJson, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { AWS: string[] };
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** Statements of a JSON policy string. */
export function statements(policy: unknown): PolicyStatement[] {
  return (JSON.parse(String(policy)) as { Statement: PolicyStatement[] }).Statement;
}
