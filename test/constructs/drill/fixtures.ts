/**
 * The five-stack app of the recovery-drill tests, built with the constructs (the construct
 * twin of test/rules/drill-fixtures.ts):
 *
 * - `app`:       the production Zitadel container on the production docker host, and the key;
 * - `keys`:      the offsite key-backup bucket (account 111111111111) and the drill's key reader;
 * - `db`:        the DB-backup bucket (account 222222222222) and the drill's DB reader;
 * - `drill`:     the scratch docker host: network, volumes, jobs, database, app, readiness check;
 * - `drill-aws`: the schedule group, reminder and heartbeat schedules, SNS topic, staleness alarm
 *                (account 333333333333), kept apart from docker so it can be planned offline.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { DatabaseBackupBucket } from '../../../lib/constructs/buckets/database-backup-bucket';
import { KeyBackupBucket } from '../../../lib/constructs/buckets/key-backup-bucket';
import { ProtectedAppContainer } from '../../../lib/constructs/app/protected-app-container';
import { MasterKey } from '../../../lib/constructs/key/master-key';
import { RecoveryDrill, type RecoveryDrillProps } from '../../../lib/constructs/drill/recovery-drill';
import { buildModel } from '../../../lib/model/build';
import type { CustodyModel, Finding } from '../../../lib/model/types';
import { runRules } from '../../../lib/rules/engine';
import type { CustodyRule } from '../../../lib/rules/rule';
import { KeyCustody } from '../../../lib/synth/custody-check';
import { allRules } from '../backup-bucket-fixtures';

export { loadCatalogue } from '../backup-bucket-fixtures';

export const KEY_ID = 'zitadel-master';
export const KEY_ACCOUNT = '111111111111';
export const DB_ACCOUNT = '222222222222';
export const DRILL_ACCOUNT = '333333333333';
export const PROD_HOST = 'ssh://deploy@prod.example.com';
export const SCRATCH_HOST = 'ssh://deploy@scratch.example.com';
/** A fixed instant: Wednesday 2025-11-12 09:00 UTC. */
export const NOW = new Date('2025-11-12T09:00:00Z');
const FINGERPRINT = `kcfp1:${'1'.repeat(32)}:${'2'.repeat(64)}`;

export type StackName = 'app' | 'keys' | 'db' | 'drill' | 'drill-aws';

export type TfJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  provider?: Record<string, unknown>;
  output?: Record<string, unknown>;
};

export interface DrillWorld {
  readonly app: App;
  readonly outdir: string;
  readonly stacks: Record<StackName, TerraformStack>;
  readonly prodDocker: DockerProvider;
  readonly scratch: DockerProvider;
  readonly key: MasterKey;
  readonly prodApp: ProtectedAppContainer;
  readonly keyBucket: KeyBackupBucket;
  readonly dbBucket: DatabaseBackupBucket;
  drill?: RecoveryDrill;
  /** Synthesize; returns the thrown error, if any. */
  synth(): Error | undefined;
  json(stack: StackName): TfJson;
  stackDir(stack: StackName): string;
  /** The custody model of what was synthesized (read back from the files). */
  model(): CustodyModel;
  /** Findings of the rules on what was synthesized (for apps synthesized with skipValidation). */
  findings(rules?: readonly CustodyRule[]): Finding[];
  cleanup(): void;
}

export interface DrillWorldOptions {
  /** Props of the drill over the defaults; `false` builds no drill. */
  readonly drill?: Partial<RecoveryDrillProps> | false;
  /** Synthesize without the custody check (read the JSON of an app the check refuses). @default false */
  readonly skipValidation?: boolean;
  /** Runs after everything is built, before synth (escape hatches). */
  readonly after?: (w: DrillWorld) => void;
}

export function drillWorld(opts: DrillWorldOptions = {}): DrillWorld {
  const outdir = mkdtempSync(join(tmpdir(), 'kc-recovery-drill-'));
  const app = new App({ outdir, skipValidation: opts.skipValidation });
  KeyCustody.enable(app, { rules: allRules(), reports: false });
  const stack = (name: StackName) => {
    const s = new TerraformStack(app, name);
    new LocalBackend(s, { path: join(outdir, 'state', `${name}.tfstate`) });
    return s;
  };
  const stacks: Record<StackName, TerraformStack> = { app: stack('app'), keys: stack('keys'), db: stack('db'), drill: stack('drill'), 'drill-aws': stack('drill-aws') };

  const prodDocker = new DockerProvider(stacks.app, 'docker', { host: PROD_HOST });
  new AwsProvider(stacks.keys, 'aws', { region: 'eu-central-1', profile: 'key-custody', allowedAccountIds: [KEY_ACCOUNT] });
  new AwsProvider(stacks.db, 'aws', { region: 'eu-west-1', profile: 'db-backups', allowedAccountIds: [DB_ACCOUNT] });
  new AwsProvider(stacks['drill-aws'], 'aws', { region: 'eu-central-1', profile: 'drill', allowedAccountIds: [DRILL_ACCOUNT] });
  const scratch = new DockerProvider(stacks.drill, 'scratch', { alias: 'scratch', host: SCRATCH_HOST });

  const key = new MasterKey(stacks.app, 'Key', {
    keyId: KEY_ID,
    profile: 'zitadel',
    hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' },
    // #20: copies count for 3-2-1 with evidence, here the fingerprint keygen printed.
    fingerprint: FINGERPRINT,
    copies: [
      { kind: 'cold', medium: 'nas', location: '/mnt/nas/zitadel/masterkey.age', fingerprint: FINGERPRINT },
      { kind: 'paper', medium: 'paper', location: 'safe, head office', offsite: true, custodian: 'ops lead', fingerprint: FINGERPRINT },
    ],
  });
  const prodApp = new ProtectedAppContainer(stacks.app, 'Zitadel', { masterKey: key, provider: prodDocker });
  const keyBucket = new KeyBackupBucket(stacks.keys, 'KeyBackups', {
    key: KEY_ID,
    app: 'zitadel',
    accountId: KEY_ACCOUNT,
    admins: [`arn:aws:iam::${KEY_ACCOUNT}:role/key-custody-deployer`],
  });
  const dbBucket = new DatabaseBackupBucket(stacks.db, 'DbBackups', {
    key: KEY_ID,
    app: 'zitadel',
    accountId: DB_ACCOUNT,
    admins: [`arn:aws:iam::${DB_ACCOUNT}:role/db-backups-deployer`],
  });

  const w: DrillWorld = {
    app,
    outdir,
    stacks,
    prodDocker,
    scratch,
    key,
    prodApp,
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
    json: (s) => JSON.parse(readFileSync(join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8')) as TfJson,
    stackDir: (s) => join(outdir, 'stacks', s),
    model: () => buildModel(KeyCustody.checkOf(app)!.documents()),
    findings: (rules = allRules()) => runRules(buildModel(KeyCustody.checkOf(app)!.documents()), rules, {}).findings,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
  if (opts.drill !== false) {
    w.drill = new RecoveryDrill(stacks.drill, 'Drill', {
      masterKey: key,
      keyBucket,
      dbBucket,
      scratchProvider: scratch,
      awsScope: stacks['drill-aws'],
      timezone: 'Europe/Berlin',
      now: NOW,
      keyReaderTrust: { principals: [KEY_ACCOUNT] },
      dbReaderTrust: { principals: [DB_ACCOUNT] },
      ...(opts.drill ?? {}),
    });
  }
  opts.after?.(w);
  return w;
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

/** Findings of `ruleId` (unsuppressed) in an error message or finding list. */
export function ruleIds(findings: readonly Finding[]): string[] {
  return [...new Set(findings.filter((f) => !f.suppressed).map((f) => f.ruleId))].sort();
}

/** The custody check's findings of the last synth. */
export function lastFindings(w: DrillWorld) {
  return KeyCustody.checkOf(w.app)!.lastResult!.findings;
}
