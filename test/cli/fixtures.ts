/**
 * In-memory CLI fixtures written to temp dirs: a cdktf.out with stacks `a` (key backups)
 * and `b` (DB backups), plus tiny test rules so that the CLI is tested independently of
 * the real catalogue.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CustodyRule } from '../../lib/rules/rule';
import { main, type CliIo } from '../../lib/cli/main';

export interface FixtureOptions {
  /** Extra tags on a's key-backup bucket, e.g. `{ 'test:warning': 'x' }`. */
  readonly aTags?: Record<string, string>;
  /** Extra tags on b's DB-backup bucket. */
  readonly bTags?: Record<string, string>;
  /** Suppressions in a's manifest. */
  readonly suppressions?: readonly Record<string, unknown>[];
  /** Write cdktf's manifest.json (default true). */
  readonly manifestJson?: boolean;
}

export function stackA(o: FixtureOptions = {}): Record<string, unknown> {
  return {
    '//': { metadata: { stackName: 'a', version: '0.21.0' } },
    provider: { aws: [{ region: 'eu-central-1' }] },
    terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } },
    resource: {
      aws_s3_bucket: {
        key_backup: { bucket: 'acme-key-backup', tags: { 'custody:role': 'key-backup', 'custody:key': 'zitadel', 'custody:app': 'zitadel', ...o.aTags } },
      },
      aws_iam_role: {
        key_writer: { name: 'key-writer', assume_role_policy: '{}' },
      },
      terraform_data: {
        custody_manifest: {
          input: {
            kind: 'cdktf-key-custody/manifest',
            version: 1,
            keys: [
              {
                id: 'zitadel',
                app: 'zitadel',
                hostPath: '/etc/zitadel/masterkey',
                copies: [
                  { kind: 'hot', medium: 'host-file', location: '/etc/zitadel/masterkey', offsite: false },
                  { kind: 'cold', medium: 'nas', location: 'nas01:/vault/zitadel.age', offsite: false, custodian: 'ops' },
                ],
              },
            ],
            drills: [{ id: 'zitadel-quarterly', key: 'zitadel', intervalDays: 92, restoreAgeDays: 7, keySource: 'aws_s3_bucket.key_backup', alarm: true, log: true }],
            suppressions: o.suppressions ?? [],
            adoptedStores: [],
          },
        },
      },
    },
  };
}

export function stackB(o: FixtureOptions = {}): Record<string, unknown> {
  return {
    provider: { aws: [{ region: 'eu-central-1' }] },
    resource: {
      aws_s3_bucket: {
        db_backup: { bucket: 'acme-db-backup', tags: { 'custody:role': 'db-backup', 'custody:app': 'zitadel', ...o.bTags } },
      },
      aws_iam_user: { ops: { name: 'ops' } },
    },
  };
}

/** Fresh temp dir; removed by `cleanup()`. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kc-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeJson(file: string, json: unknown): string {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(json, null, 2));
  return file;
}

/** `<root>/cdktf.out` with stacks a and b (and manifest.json unless disabled). Returns the cdktf.out path. */
export function writeCdktfOut(root: string, o: FixtureOptions = {}): string {
  const out = join(root, 'cdktf.out');
  writeJson(join(out, 'stacks', 'a', 'cdk.tf.json'), stackA(o));
  writeJson(join(out, 'stacks', 'b', 'cdk.tf.json'), stackB(o));
  if (o.manifestJson !== false) {
    writeJson(join(out, 'manifest.json'), {
      version: '0.21.0',
      stacks: {
        a: { name: 'a', constructPath: 'a', workingDirectory: 'stacks/a', synthesizedStackPath: 'stacks/a/cdk.tf.json', annotations: [], dependencies: [] },
        b: { name: 'b', constructPath: 'b', workingDirectory: 'stacks/b', synthesizedStackPath: 'stacks/b/cdk.tf.json', annotations: [], dependencies: [] },
      },
    });
  }
  return out;
}

function taggedRule(id: string, severity: 'error' | 'warning', tag: string): CustodyRule {
  return {
    id,
    title: `resources tagged ${tag} are findings`,
    severity,
    explanation: 'test rule',
    fix: `remove the ${tag} tag`,
    suppressible: true,
    check: (model) =>
      model.resources
        .filter((r) => {
          const tags = r.values.tags as Record<string, unknown> | undefined;
          return tags !== undefined && typeof tags[tag] === 'string';
        })
        .map((r) => ({ stack: r.stack, address: r.address, message: `${r.address} is tagged ${tag}` })),
  };
}

/** KT001: error per resource tagged `test:error`; KT002: warning per `test:warning`. */
export const ERROR_RULE = taggedRule('KT001', 'error', 'test:error');
export const WARNING_RULE = taggedRule('KT002', 'warning', 'test:warning');

/** KT003: a cross-stack rule: key backups exist but no DB-backup store is in the model. */
export const CROSS_STACK_RULE: CustodyRule = {
  id: 'KT003',
  title: 'key backups have DB backups to pair with',
  severity: 'error',
  explanation: 'test rule that needs every stack in one model',
  fix: 'check the DB-backup stack together with the key stack',
  suppressible: true,
  check: (model) =>
    model.stores.some((s) => s.role === 'db-backup')
      ? []
      : model.stores.filter((s) => s.role === 'key-backup').map((s) => ({ stack: s.stack, address: s.address, message: 'no DB-backup store in the model' })),
};

export const TEST_RULES: readonly CustodyRule[] = [ERROR_RULE, WARNING_RULE, CROSS_STACK_RULE];

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `main` in-process with captured output. */
export async function run(argv: readonly string[], io: Partial<CliIo> = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    isTTY: false,
    rules: TEST_RULES,
    today: '2030-01-01',
    ...io,
  });
  return { code, stdout, stderr };
}
