/** The AWS-managed policies (a generated extract, loaded at first use), and how to read one by name or ARN. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { statementsOfJson, type PolicyStatement } from '../policy';

/** A reduced statement of the generated extract (scripts/gen-managed-policies.ts says what is kept). */
export interface ReducedStatement {
  readonly e?: 'Deny';
  readonly a?: readonly string[];
  readonly na?: readonly string[];
  readonly r?: readonly string[];
  readonly nr?: readonly string[];
  readonly c?: Record<string, unknown>;
}

/** The generated extract: its source package and version, the policies with statements, the names of the others. */
export interface AwsManagedExtract {
  readonly source: string;
  readonly none: string;
  readonly policies: Readonly<Record<string, readonly ReducedStatement[]>>;
}

let loaded: { policies: Readonly<Record<string, readonly ReducedStatement[]>>; none: Set<string> } | undefined;

/**
 * The extract of every AWS-managed policy, read at first use and never imported: it is
 * large, and a model that meets no AWS-managed ARN (and the constructs) should not pay
 * for it. Compiled, it is a sibling module; from source (tsx, vitest), the same file's JSON.
 */
function extract(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  let x: AwsManagedExtract;
  if (__filename.endsWith('.ts')) {
    const text = readFileSync(join(__dirname, 'aws-managed.generated.ts'), 'utf8');
    x = JSON.parse(text.slice(text.indexOf('\n{') + 1, text.lastIndexOf('}') + 1)) as AwsManagedExtract;
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily on purpose, see above
    x = (require('./aws-managed.generated') as { EXTRACT: AwsManagedExtract }).EXTRACT;
  }
  loaded = { policies: x.policies, none: new Set(x.none.split(' ')) };
  return loaded;
}

/** Whether `name` is an AWS-managed policy (of the extract's package version). */
export function isAwsManagedPolicy(name: string): boolean {
  const x = extract();
  // Own keys only: `arn:aws:iam::aws:policy/toString` is a name like any other, not Object.prototype's.
  return Object.hasOwn(x.policies, name) || x.none.has(name);
}

/** Statements for an AWS-managed policy name; `guessed` when it is not in the extract and was read from its name. */
export function awsManagedStatements(name: string): { statements: PolicyStatement[]; guessed: boolean } {
  const x = extract();
  if (Object.hasOwn(x.policies, name)) {
    const doc = {
      Statement: x.policies[name].map((s) => ({ Effect: s.e ?? 'Allow', Action: s.a, NotAction: s.na, Resource: s.r, NotResource: s.nr, Condition: s.c })),
    };
    return { statements: statementsOfJson(doc), guessed: false };
  }
  if (x.none.has(name)) return { statements: [], guessed: false };
  // Not in the extract (newer than its package version): read the name for the services we care about, conservatively.
  const ro = /ReadOnly|ViewOnly/i.test(name);
  const actions: string[] = [];
  const svc = (prefix: string) => (ro ? [`${prefix}:Get*`, `${prefix}:List*`, `${prefix}:Describe*`] : [`${prefix}:*`]);
  if (/Administrator/i.test(name) && !ro) actions.push('*');
  if (/S3/.test(name)) actions.push(...svc('s3'));
  if (/SecretsManager/i.test(name)) actions.push(...svc('secretsmanager'));
  if (/SSM|SystemsManager/.test(name)) actions.push(...svc('ssm'));
  if (/KMS|KeyManagement/.test(name)) actions.push(...(ro ? svc('kms') : ['kms:*']));
  const statements: PolicyStatement[] = actions.length ? [{ effect: 'Allow', actions, resources: ['*'], principals: [], conditions: [] }] : [];
  return { statements, guessed: true };
}

export function awsManagedName(arn: string): string | undefined {
  const m = /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m?.[1];
}
