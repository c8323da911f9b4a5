/**
 * One scenario two ways: the Terraform JSON cdktf writes (references as `${...}` tokens,
 * policies as literal JSON or `aws_iam_policy_document` data sources), and the concrete
 * policies and requests of the world it stands for, for the independent evaluator.
 */
import type { Json } from '../../../fixtures/iam/fixtures';
import { tags } from '../../../fixtures/iam/fixtures';
import { STORE, ref, type Acct, type PrincipalName, type Prov, type ProviderSpec, type Scenario, type Statement } from './scenario';

function providerBlock(p: ProviderSpec, alias?: string): Json {
  const pin: Json = p.pin === 'pinned' ? { allowed_account_ids: [p.account] } : p.pin === 'none' ? {} : { profile: p.pin.slice('profile-'.length) };
  return { ...(alias ? { alias } : {}), region: 'eu-central-1', ...pin };
}

const onProvider = (p: Prov): Json => (p === 'b' ? { provider: 'aws.b' } : {});

function conditionJson(s: Statement): Json | undefined {
  if (s.conditions.length === 0) return undefined;
  const out: Record<string, Record<string, string[]>> = {};
  for (const c of s.conditions) (out[c.test] ??= {})[c.variable] = [...c.values];
  return out;
}

/** A statement as IAM policy JSON. */
export function statementJson(s: Statement): Json {
  const principals = (ids: readonly string[]) => ({ AWS: [...ids] });
  return {
    Effect: s.effect,
    ...(s.action ? { Action: [...s.action] } : { NotAction: [...(s.notAction ?? [])] }),
    ...(s.resource ? { Resource: [...s.resource] } : { NotResource: [...(s.notResource ?? [])] }),
    ...(s.principal === '*' ? { Principal: '*' } : s.principal ? { Principal: principals(s.principal) } : {}),
    ...(s.notPrincipal ? { NotPrincipal: principals(s.notPrincipal) } : {}),
    ...(s.conditions.length ? { Condition: conditionJson(s) } : {}),
  };
}

/** A statement as an `aws_iam_policy_document` statement block. */
function statementBlock(s: Statement): Json {
  return {
    effect: s.effect,
    ...(s.action ? { actions: [...s.action] } : { not_actions: [...(s.notAction ?? [])] }),
    ...(s.resource ? { resources: [...s.resource] } : { not_resources: [...(s.notResource ?? [])] }),
    ...(s.principal === '*' ? { principals: [{ type: '*', identifiers: ['*'] }] } : s.principal ? { principals: [{ type: 'AWS', identifiers: [...s.principal] }] } : {}),
    ...(s.notPrincipal ? { not_principals: [{ type: 'AWS', identifiers: [...s.notPrincipal] }] } : {}),
    ...(s.conditions.length ? { condition: s.conditions.map((c) => ({ test: c.test, variable: c.variable, values: [...c.values] })) } : {}),
  };
}

export const policyJson = (statements: readonly Statement[]) => ({ Version: '2012-10-17', Statement: statements.map(statementJson) });

/** The Terraform JSON of a scenario: one stack `s`. */
export function terraformJson(sc: Scenario): Json {
  const resource: Record<string, Record<string, Json>> = {};
  const data: Record<string, Record<string, Json>> = { aws_caller_identity: { current: {} } };
  const add = (type: string, name: string, values: Json) => ((resource[type] ??= {})[name] = values);
  let docs = 0;
  const policyValue = (statements: readonly Statement[], asDocument: boolean): string => {
    if (!asDocument) return JSON.stringify(policyJson(statements));
    const name = `d${docs++}`;
    (data.aws_iam_policy_document ??= {})[name] = { statement: statements.map(statementBlock) };
    return ref(`data.aws_iam_policy_document.${name}.json`);
  };
  const pp = sc.principalProviders;
  add('aws_s3_bucket', 'store', { bucket: STORE, tags: tags('key-backup'), ...onProvider(sc.storeProvider) });
  add('aws_s3_bucket', 'db', { bucket: sc.dbName, ...onProvider(sc.storeProvider) });
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  for (const role of ['writer', 'other'] as const) add('aws_iam_role', role, { name: role, assume_role_policy: trust, ...onProvider(pp[role]) });
  add('aws_iam_user', 'ops', { name: 'ops', ...onProvider(pp.ops) });
  add('aws_iam_group', 'team', { name: 'team', ...onProvider(pp.ops) });
  add('aws_iam_user_group_membership', 'ops', { user: ref('aws_iam_user.ops.name'), groups: [ref('aws_iam_group.team.name')], ...onProvider(pp.ops) });
  sc.identityPolicies.forEach((ip, i) => {
    const name = `p${i}`;
    const policy = policyValue(ip.statements, ip.asDocument);
    const at = onProvider(ip.route.startsWith('role') ? pp[ip.role] : pp.ops);
    const managed = () => {
      add('aws_iam_policy', name, { name, policy, ...at });
      return ref(`aws_iam_policy.${name}.arn`);
    };
    const roleRef = ref(`aws_iam_role.${ip.role}.name`);
    const userRef = ref('aws_iam_user.ops.name');
    const groupRef = ref('aws_iam_group.team.name');
    switch (ip.route) {
      case 'role-inline':
        return add('aws_iam_role_policy', name, { name, role: roleRef, policy, ...at });
      case 'role-attached':
        return add('aws_iam_role_policy_attachment', name, { role: roleRef, policy_arn: managed(), ...at });
      case 'user-inline':
        return add('aws_iam_user_policy', name, { name, user: userRef, policy, ...at });
      case 'user-attached':
        return add('aws_iam_user_policy_attachment', name, { user: userRef, policy_arn: managed(), ...at });
      case 'group-inline':
        return add('aws_iam_group_policy', name, { name, group: groupRef, policy, ...at });
      case 'group-attached':
        return add('aws_iam_group_policy_attachment', name, { group: groupRef, policy_arn: managed(), ...at });
    }
  });
  if (sc.bucketPolicy) {
    add('aws_s3_bucket_policy', 'bp', { bucket: ref('aws_s3_bucket.store.id'), policy: policyValue(sc.bucketPolicy.statements, sc.bucketPolicy.asDocument), ...onProvider(sc.storeProvider) });
  }
  const provider = { aws: [providerBlock(sc.providers.aws), ...(sc.providers.b ? [providerBlock(sc.providers.b, 'b')] : [])] };
  return { provider, resource, data };
}

/** The true account of whatever is managed through provider `p`. */
export function accountOf(sc: Scenario, p: Prov): Acct {
  return p === 'b' && sc.providers.b ? sc.providers.b.account : sc.providers.aws.account;
}

export function principalArn(sc: Scenario, p: PrincipalName): string {
  const acct = accountOf(sc, sc.principalProviders[p]);
  return p === 'ops' ? `arn:aws:iam::${acct}:user/ops` : `arn:aws:iam::${acct}:role/${p}`;
}

/** Replace every `${...}` reference a scenario writes with its value in the scenario's world. */
export function concrete<T>(sc: Scenario, value: T): T {
  const values: Record<string, string> = {
    'aws_s3_bucket.store.arn': `arn:aws:s3:::${STORE}`,
    'aws_s3_bucket.store.bucket': STORE,
    'aws_s3_bucket.store.id': STORE,
    'aws_s3_bucket.db.arn': `arn:aws:s3:::${sc.dbName}`,
    'aws_s3_bucket.db.bucket': sc.dbName,
    'aws_iam_role.writer.arn': principalArn(sc, 'writer'),
    'aws_iam_role.other.arn': principalArn(sc, 'other'),
    'aws_iam_user.ops.arn': principalArn(sc, 'ops'),
    'data.aws_caller_identity.current.account_id': sc.providers.aws.account,
  };
  const text = JSON.stringify(value).replace(/\$\{([^}]+)\}/g, (m, expr: string) => {
    const v = values[expr];
    if (v === undefined) throw new Error(`the oracle scenario writes ${m}, which concrete() has no value for; add it to the table`);
    return v;
  });
  return JSON.parse(text) as T;
}
