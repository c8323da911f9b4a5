/** Synth helpers for the key-storage and key-mount tests: real apps, real cdk.tf.json. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { MasterKey } from '../../lib/constructs/key/master-key';
import type { ManifestKey } from '../../lib/model/types';
import { KeyCustody, type KeyCustodyOptions } from '../../lib/synth/custody-check';
import { rule as kc001 } from '../../lib/rules/kc001-no-key-in-env';
import { rule as kc002 } from '../../lib/rules/kc002-no-key-on-command-line';
import { rule as kc003 } from '../../lib/rules/kc003-key-mount-read-only';
import { rule as kc004 } from '../../lib/rules/kc004-no-key-material-in-terraform';
import { rule as kc005 } from '../../lib/rules/kc005-host-file-permissions';

/** The rules the key-storage and mount constructs must pass by construction. */
export const MOUNT_RULES = [kc001, kc002, kc003, kc004, kc005];

/** One block of cdk.tf.json: attribute values are whatever Terraform JSON holds. */
export interface Block {
  readonly [attr: string]: unknown;
}

/** The parts of cdk.tf.json the tests read. */
export interface TfJson {
  readonly resource: Readonly<Record<string, Readonly<Record<string, Block>>>>;
  readonly variable?: Readonly<Record<string, Block>>;
}

/** An IAM / KMS / Secrets Manager policy document, as the tests read it. */
export interface PolicyDoc {
  readonly Statement: readonly {
    readonly Sid?: string;
    readonly Effect: string;
    readonly Principal: string | { readonly AWS: readonly string[] };
    readonly Action: string | readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  }[];
}

/** A docker `labels` block list. */
export function labelsOf(b: Block): { label: string; value: string }[] {
  return (b.labels ?? []) as { label: string; value: string }[];
}

/** A list-of-strings attribute. */
export function strs(v: unknown): string[] {
  return (v ?? []) as string[];
}

/** A nested block by path, e.g. `block(svc, 'task_spec', 'container_spec')`. */
export function block(b: Block, ...path: string[]): Block {
  return path.reduce<Block>((acc, k) => (acc[k] ?? {}) as Block, b);
}

/** The keys the stack's custody manifest declares. */
export function manifestKeys(json: TfJson): ManifestKey[] {
  return (block(json.resource.terraform_data.custody_manifest, 'input').keys ?? []) as ManifestKey[];
}

export interface Built {
  readonly app: App;
  readonly stack: TerraformStack;
  readonly outdir: string;
}

/** A new app with one stack and a docker (and optionally aws) provider. */
export function newApp(opts: { aws?: boolean; docker?: boolean; stack?: string; custody?: KeyCustodyOptions } = {}): Built {
  const outdir = mkdtempSync(join(tmpdir(), 'kc-constructs-'));
  const app = new App({ outdir });
  KeyCustody.enable(app, { rules: MOUNT_RULES, reports: false, ...opts.custody });
  const stack = new TerraformStack(app, opts.stack ?? 'app-host');
  if (opts.docker !== false) new DockerProvider(stack, 'docker', { host: 'ssh://deploy@idp-1' });
  if (opts.aws) new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  return { app, stack, outdir };
}

/** Synthesize and read the stack's cdk.tf.json. */
export function synthJson(b: Built): { json: TfJson; text: string; file: string } {
  b.app.synth();
  const file = join(b.outdir, 'stacks', b.stack.node.id, 'cdk.tf.json');
  const text = readFileSync(file, 'utf8');
  return { json: JSON.parse(text) as TfJson, text, file };
}

/** The one resource of a type (fails when there is not exactly one). */
export function only(json: TfJson, type: string): Block {
  const all = Object.values(json.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** The error a function throws, as a string (fails when it does not throw). */
export function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}

/** A value that stands for key material in the tests: it must never show up in an error or in cdk.tf.json. */
export const SECRET_VALUE = 'Sup3rS3cretMasterKeyValue-000001';

const COPIES = [
  { kind: 'cold', medium: 'nas', location: '/mnt/nas/zitadel/masterkey.age' },
  { kind: 'paper', medium: 'paper', location: 'safe, head office', offsite: true, custodian: 'ops lead' },
];

/** The Zitadel key of the protected-app tests: a host file with a cold and a paper copy. */
export function zitadelKey(b: Built): MasterKey {
  return new MasterKey(b.stack, 'Key', {
    keyId: 'zitadel-prod',
    profile: 'zitadel',
    hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' },
    copies: COPIES,
  });
}
