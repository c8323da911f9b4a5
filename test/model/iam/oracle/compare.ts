/**
 * The differential check of one scenario: the model's grants (buildModel) against the
 * answers of @cloud-copilot/iam-simulate (AGPL-3.0: a test oracle only, never imported by
 * lib/), for read, write and delete of each principal on the custody bucket.
 *
 * The oracle runs in Discovery mode: a condition key the request does not pin may take any
 * value, as the model's contract assumes. The principal keys (aws:PrincipalArn,
 * aws:PrincipalAccount) are pinned to the principal's real values; a role acts through a
 * session whose name is unknown, so a policy naming one session may or may not match it.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { buildModel } from '../../../../lib/model/build';
import { loadTerraformJson } from '../../../../lib/model/load/cdktf-json';
import type { Access } from '../../../../lib/model/types';
import { STORE_ACTIONS } from '../../../../lib/policy/perms';
import { accountOf, concrete, policyJson, principalArn, terraformJson } from './render';
import { A, B, F, PRINCIPALS, STORE, type Acct, type PrincipalName, type ProviderSpec, type Scenario } from './scenario';

/** The questions asked per principal. */
export const ACCESSES = ['read', 'write', 'delete'] as const satisfies readonly Access[];

/** Objects of the custody bucket asked about: one a `?` matches, one below a prefix. */
export const OBJECTS = ['a', 'k/key.bin'];

export interface Comparison {
  readonly principal: PrincipalName;
  readonly access: (typeof ACCESSES)[number];
  readonly model: boolean;
  readonly oracle: boolean;
  /**
   * For a grant the oracle denies in this world: whether it allows it in another world the
   * same configuration stands for (unpinned providers in other accounts). Such a grant is
   * the price of not knowing the accounts, not an avoidable over-report.
   */
  readonly otherWorld?: boolean;
  /** The request the oracle allowed (the first one), for the failure message. */
  readonly allowedBy?: string;
}

const KNOWN_KEYS = ['aws:PrincipalArn', 'aws:PrincipalAccount'].map((keyName) => ({ keyName, presenceIsKnown: true as const, valueIsKnown: true as const }));

function identityPolicies(sc: Scenario, p: PrincipalName) {
  const reaches = (route: string, role: string) => (route.startsWith('role') ? role === p : p === 'ops');
  return sc.identityPolicies.flatMap((ip, i) => (reaches(ip.route, ip.role) ? [{ name: `p${i}`, policy: concrete(sc, policyJson(ip.statements)) }] : []));
}

async function oracleAllows(sc: Scenario, p: PrincipalName, action: string, resource: string): Promise<boolean> {
  const arn = principalArn(sc, p);
  const account = accountOf(sc, sc.principalProviders[p]);
  const principal = p === 'ops' ? arn : `arn:aws:sts::${account}:assumed-role/${p}/some-session`;
  const res = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource, accountId: accountOf(sc, sc.storeProvider) },
        contextVariables: { 'aws:PrincipalArn': arn, 'aws:PrincipalAccount': account },
      },
      identityPolicies: identityPolicies(sc, p),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: sc.bucketPolicy ? concrete(sc, policyJson(sc.bucketPolicy.statements)) : undefined,
    },
    { simulationMode: 'Discovery', discoveryContextKeyConstraints: KNOWN_KEYS },
  );
  if (res.resultType === 'error') throw new Error(`the oracle rejected a generated request (${action} on ${resource}): ${JSON.stringify(res.errors)}; fix the scenario generator`);
  return res.overallResult === 'Allowed';
}

/** The S3 requests that give `access`, as the model's action table lists them. */
function requests(access: Access): { action: string; resource: string }[] {
  const out: { action: string; resource: string }[] = [];
  for (const spec of STORE_ACTIONS.s3) {
    if (spec.access !== access) continue;
    // The table is lower case; iam-data spells actions in CamelCase but matches them case-insensitively.
    if (spec.level !== 'object') out.push({ action: spec.action, resource: `arn:aws:s3:::${STORE}` });
    if (spec.level !== 'bucket') for (const o of OBJECTS) out.push({ action: spec.action, resource: `arn:aws:s3:::${STORE}/${o}` });
  }
  return out;
}

/** The other account layouts the configuration of `sc` allows (pinned providers stay). */
export function otherWorlds(sc: Scenario): Scenario[] {
  const choices = (p: ProviderSpec): Acct[] => (p.pin === 'pinned' ? [p.account] : [A, B, F]);
  const b = sc.providers.b;
  const out: Scenario[] = [];
  for (const a of choices(sc.providers.aws)) {
    for (const x of b ? choices(b) : [undefined]) {
      if (b && x !== undefined && b.pin === sc.providers.aws.pin && b.pin.startsWith('profile') && x !== a) continue;
      if (a === sc.providers.aws.account && x === b?.account) continue;
      out.push({ ...sc, providers: { aws: { ...sc.providers.aws, account: a }, ...(b && x ? { b: { ...b, account: x } } : {}) } });
    }
  }
  return out;
}

async function oracleAllowsAccess(sc: Scenario, p: PrincipalName, access: Access): Promise<string | undefined> {
  for (const r of requests(access)) if (await oracleAllows(sc, p, r.action, r.resource)) return `${r.action} on ${r.resource}`;
  return undefined;
}

/** The model's and the oracle's answer to each question of one scenario. */
export async function compare(sc: Scenario): Promise<Comparison[]> {
  const m = buildModel([loadTerraformJson('s', terraformJson(sc))]);
  const store = m.stores.find((s) => s.address === 'aws_s3_bucket.store');
  if (!store) throw new Error('the custody bucket aws_s3_bucket.store is not a store of the model; the scenario must tag it');
  const out: Comparison[] = [];
  for (const p of PRINCIPALS) {
    const address = p === 'ops' ? 'aws_iam_user.ops' : `aws_iam_role.${p}`;
    const pid = m.principals.find((x) => x.address === address)?.id;
    for (const access of ACCESSES) {
      const model = m.grants.some((g) => g.principal === pid && g.store === store.id && g.access === access);
      const allowedBy = await oracleAllowsAccess(sc, p, access);
      let otherWorld: boolean | undefined;
      if (model && !allowedBy) {
        otherWorld = false;
        for (const w of otherWorlds(sc)) if (!otherWorld && (await oracleAllowsAccess(w, p, access))) otherWorld = true;
      }
      out.push({ principal: p, access, model, oracle: allowedBy !== undefined, allowedBy, otherWorld });
    }
  }
  return out;
}

export const missed = (cs: readonly Comparison[]) => cs.filter((c) => c.oracle && !c.model);
/** Grants the oracle denies in every world the configuration stands for. */
export const overReported = (cs: readonly Comparison[]) => cs.filter((c) => c.model && !c.oracle && !c.otherWorld);
/** Grants the oracle denies in this world only (the accounts are not pinned). */
export const unpinned = (cs: readonly Comparison[]) => cs.filter((c) => c.model && !c.oracle && c.otherWorld);
