/**
 * Effective IAM access: which principal may read, write, delete, decrypt or administer
 * which custody store, and through which chain (inline and attached policies, AWS-managed
 * policies, groups, bucket/secret/key policies, KMS grants, assumed roles, wildcards).
 *
 * We read Terraform JSON as cdktf writes it and never evaluate HCL. Where a value is only
 * known after apply we decide for the worse case on the allow side (a `${var.x}` resource
 * may be any store) and for the better case on the deny side (a deny we cannot pin down
 * removes nothing): the model may over-report access, it must never under-report it.
 *
 * Cost: policies are parsed once, statements are indexed per principal by the few actions
 * that matter, and resource matches are cached per (statement, target). The work is
 * principals × stores × matching statements plus one BFS per principal over role edges.
 */
import { accountOf } from './accounts';
import { ModelContext, key } from './context';
import { kmsKeyId } from './settings';
import { statementsOfDocument, statementsOfJson, type PolicyPrincipal, type PolicyStatement } from './policy';
import { parseJsonencode } from './load/hcl';
import { blocks, literal, singleRef, splitTemplate, strings } from './load/refs';
import {
  CUSTODY_ROLES,
  TAG_ROLE,
  type Access,
  type CustodyRole,
  type Grant,
  type KmsKey,
  type Principal,
  type Store,
  type TfResource,
  type Unknown,
} from './types';

// ---------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------

type Level = 'bucket' | 'object' | 'any';

interface ActionSpec {
  /** Lower-case action name. */
  readonly action: string;
  readonly access: Access;
  readonly level: Level;
}

/** The actions that give each kind of access, per store kind. */
export const STORE_ACTIONS: Readonly<Record<Store['kind'], readonly ActionSpec[]>> = {
  s3: [
    { action: 's3:getobject', access: 'read', level: 'object' },
    { action: 's3:getobjectversion', access: 'read', level: 'object' },
    { action: 's3:putobject', access: 'write', level: 'object' },
    { action: 's3:deleteobject', access: 'delete', level: 'object' },
    { action: 's3:deleteobjectversion', access: 'delete', level: 'object' },
    { action: 's3:deletebucket', access: 'delete', level: 'bucket' },
    { action: 's3:putbucketpolicy', access: 'admin', level: 'bucket' },
    { action: 's3:deletebucketpolicy', access: 'admin', level: 'bucket' },
    { action: 's3:putbucketobjectlockconfiguration', access: 'admin', level: 'bucket' },
    { action: 's3:putlifecycleconfiguration', access: 'admin', level: 'bucket' },
    { action: 's3:putbucketversioning', access: 'admin', level: 'bucket' },
    { action: 's3:bypassgovernanceretention', access: 'admin', level: 'object' },
  ],
  secretsmanager: [
    { action: 'secretsmanager:getsecretvalue', access: 'read', level: 'any' },
    { action: 'secretsmanager:putsecretvalue', access: 'write', level: 'any' },
    { action: 'secretsmanager:updatesecret', access: 'write', level: 'any' },
    { action: 'secretsmanager:deletesecret', access: 'delete', level: 'any' },
    { action: 'secretsmanager:putresourcepolicy', access: 'admin', level: 'any' },
    { action: 'secretsmanager:deleteresourcepolicy', access: 'admin', level: 'any' },
  ],
  ssm: [
    { action: 'ssm:getparameter', access: 'read', level: 'any' },
    { action: 'ssm:getparameters', access: 'read', level: 'any' },
    { action: 'ssm:putparameter', access: 'write', level: 'any' },
    { action: 'ssm:deleteparameter', access: 'delete', level: 'any' },
    { action: 'ssm:deleteparameters', access: 'delete', level: 'any' },
  ],
  other: [],
};

const KMS_DECRYPT = 'kms:decrypt';
const STS_ASSUME = 'sts:assumerole';
const ALL_ACTIONS: readonly string[] = [
  ...new Set([...Object.values(STORE_ACTIONS).flatMap((l) => l.map((s) => s.action)), KMS_DECRYPT, STS_ASSUME]),
];

// ---------------------------------------------------------------------------------------
// Globs
// ---------------------------------------------------------------------------------------

/** Glob match (`*` any run, `?` one character) of a pattern against a concrete string. */
export function globMatch(pattern: string, s: string): boolean {
  let p = 0;
  let i = 0;
  let star = -1;
  let mark = 0;
  while (i < s.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === s[i])) {
      p++;
      i++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = i;
    } else if (star >= 0) {
      p = star + 1;
      i = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** True when some string matches both globs (case-insensitive). */
export function globsIntersect(a: string, b: string): boolean {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  const seen = new Uint8Array((n + 1) * w);
  const todo: number[] = [0, 0];
  while (todo.length) {
    const j = todo.pop() as number;
    const i = todo.pop() as number;
    const idx = i * w + j;
    if (seen[idx]) continue;
    seen[idx] = 1;
    if (i === n && j === m) return true;
    const ca = a[i];
    const cb = b[j];
    if (i < n && ca === '*') {
      todo.push(i + 1, j);
      if (j < m) todo.push(i, j + 1);
    }
    if (j < m && cb === '*') {
      todo.push(i, j + 1);
      if (i < n) todo.push(i + 1, j);
    }
    if (i < n && j < m && ca !== '*' && cb !== '*' && (ca === '?' || cb === '?' || ca === cb)) todo.push(i + 1, j + 1);
  }
  return false;
}

const SENTINEL = '\uE0FF';

/** True when the glob `pattern` matches every string the glob `template` stands for (approximately). */
function globCovers(pattern: string, template: string): boolean {
  return globMatch(pattern, template.replace(/\*/g, SENTINEL).replace(/\?/g, SENTINEL));
}


// ---------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------

function normAccount(a: string): string {
  return a === 'default' || a.endsWith(':default') ? 'default' : a;
}

/**
 * Whether two account identities may be the same account. Identities that pin different
 * things are different accounts (accounts.ts); one that pins nothing may be any account.
 */
export function mayBeSameAccount(a: string, b: string): boolean {
  const x = normAccount(a);
  const y = normAccount(b);
  return x === y || x === 'default' || y === 'default' || x === '*' || y === '*';
}

function accountId(a: string): string {
  const m = /^acct:(\d{12})$/.exec(a);
  return m ? m[1] : '*';
}

// ---------------------------------------------------------------------------------------
// HCL (the subset `jsonencode({...})` takes) → JSON value
// ---------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------
// AWS-managed policies
// ---------------------------------------------------------------------------------------
type ManagedSpec = readonly { readonly a?: readonly string[]; readonly na?: readonly string[] }[];

/**
 * The broad AWS-managed policies, reduced to the statements that matter for custody
 * stores (every one applies to Resource `*`). Actions outside S3, Secrets Manager, SSM,
 * KMS and STS are left out except where NotAction makes them matter.
 */
export const AWS_MANAGED_POLICIES: Readonly<Record<string, ManagedSpec>> = {
  AdministratorAccess: [{ a: ['*'] }],
  PowerUserAccess: [{ na: ['iam:*', 'organizations:*', 'account:*'] }],
  ReadOnlyAccess: [
    {
      a: ['s3:Get*', 's3:List*', 's3:Describe*', 'ssm:Get*', 'ssm:Describe*', 'ssm:List*', 'secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy', 'secretsmanager:ListSecrets', 'secretsmanager:ListSecretVersionIds', 'kms:Describe*', 'kms:Get*', 'kms:List*'],
    },
  ],
  ViewOnlyAccess: [{ a: ['s3:ListAllMyBuckets', 's3:ListBucket', 's3:GetBucketLocation', 'ssm:Describe*', 'ssm:List*', 'secretsmanager:ListSecrets', 'kms:ListKeys', 'kms:ListAliases', 'kms:DescribeKey'] }],
  AmazonS3FullAccess: [{ a: ['s3:*', 's3-object-lambda:*'] }],
  AmazonS3ReadOnlyAccess: [{ a: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'] }],
  SecretsManagerReadWrite: [{ a: ['secretsmanager:*', 'kms:DescribeKey', 'kms:ListAliases', 'kms:ListKeys'] }],
  AmazonSSMFullAccess: [{ a: ['ssm:*'] }],
  AmazonSSMReadOnlyAccess: [{ a: ['ssm:Describe*', 'ssm:Get*', 'ssm:List*'] }],
  AmazonSSMManagedInstanceCore: [{ a: ['ssm:DescribeAssociation', 'ssm:GetDocument', 'ssm:DescribeDocument', 'ssm:GetManifest', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:ListAssociations', 'ssm:ListInstanceAssociations', 'ssm:PutInventory', 'ssm:UpdateInstanceInformation'] }],
  AmazonEC2RoleforSSM: [{ a: ['ssm:*', 's3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:ListBucketMultipartUploads'] }],
  AWSKeyManagementServicePowerUser: [
    { a: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'] },
  ],
  AWSLambdaExecute: [{ a: ['s3:GetObject', 's3:PutObject'] }],
  AWSBackupFullAccess: [{ a: ['s3:GetBucket*', 's3:ListBucket*', 'kms:Describe*', 'kms:List*'] }],
  AWSLambdaBasicExecutionRole: [],
  IAMFullAccess: [],
  IAMReadOnlyAccess: [],
  CloudWatchFullAccess: [],
  CloudWatchLogsFullAccess: [],
  AmazonEC2FullAccess: [],
  AmazonEC2ReadOnlyAccess: [],
};

/** Statements for an AWS-managed policy name; undefined when it is not in the table. */
function awsManagedStatements(name: string): { statements: PolicyStatement[]; guessed: boolean } {
  const known = AWS_MANAGED_POLICIES[name];
  const toStatements = (spec: ManagedSpec) =>
    spec.map((s) => ({
      effect: 'Allow' as const,
      actions: s.a ?? [],
      notActions: s.na,
      resources: ['*'],
      principals: [],
      conditions: [],
    }));
  if (known) return { statements: toStatements(known), guessed: false };
  // Not in the table: read the name for the services we care about, conservatively.
  const ro = /ReadOnly|ViewOnly/i.test(name);
  const actions: string[] = [];
  const svc = (prefix: string) => (ro ? [`${prefix}:Get*`, `${prefix}:List*`, `${prefix}:Describe*`] : [`${prefix}:*`]);
  if (/Administrator/i.test(name) && !ro) actions.push('*');
  if (/S3/.test(name)) actions.push(...svc('s3'));
  if (/SecretsManager/i.test(name)) actions.push(...svc('secretsmanager'));
  if (/SSM|SystemsManager/.test(name)) actions.push(...svc('ssm'));
  if (/KMS|KeyManagement/.test(name)) actions.push(...(ro ? svc('kms') : ['kms:*']));
  return { statements: actions.length ? toStatements([{ a: actions }]) : [], guessed: true };
}

function awsManagedName(arn: string): string | undefined {
  const m = /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m?.[1];
}

// ---------------------------------------------------------------------------------------
// Targets: the ARN shapes of stores, keys and roles
// ---------------------------------------------------------------------------------------

type TargetKind = 's3' | 'secretsmanager' | 'ssm' | 'kms' | 'role' | 'user' | 'other';

interface Target {
  readonly id: string;
  readonly kind: TargetKind;
  readonly resource?: TfResource;
  readonly managed: boolean;
  /** Name as a glob: the literal name, `prefix*`, or an opaque token when unknown. */
  readonly name: string;
  /** Base ARN as a glob. */
  readonly arn: string;
  /** KMS key id value (token when unknown). */
  readonly keyId: string;
  readonly token: string;
  /** Whether the name is a literal or a prefix (a data source with a literal name counts). */
  readonly nameKnown: boolean;
}

const ENTITY_TYPES: Readonly<Record<string, TargetKind>> = {
  aws_s3_bucket: 's3',
  aws_secretsmanager_secret: 'secretsmanager',
  aws_ssm_parameter: 'ssm',
  aws_kms_key: 'kms',
  aws_kms_replica_key: 'kms',
  aws_kms_alias: 'other',
  aws_iam_role: 'role',
  aws_iam_user: 'user',
  aws_iam_group: 'other',
  aws_iam_policy: 'other',
};

function templates(t: Target, level: Level): string[] {
  if (t.kind !== 's3') return [t.arn];
  if (level === 'bucket') return [t.arn];
  if (level === 'object') return [`${t.arn}/*`];
  return [t.arn, `${t.arn}/*`];
}

function valueOfAttr(t: Target, attr: string | undefined): string | undefined {
  switch (t.kind) {
    case 's3':
      if (attr === 'arn') return t.arn;
      if (attr === 'bucket' || attr === 'id') return t.name;
      return undefined;
    case 'secretsmanager':
      if (attr === 'arn' || attr === 'id') return t.arn;
      if (attr === 'name') return t.name;
      return undefined;
    case 'ssm':
      if (attr === 'arn') return t.arn;
      if (attr === 'name' || attr === 'id') return t.name;
      return undefined;
    case 'kms':
      if (attr === 'arn') return t.arn;
      if (attr === 'key_id' || attr === 'id') return t.keyId;
      return undefined;
    case 'role':
    case 'user':
      if (attr === 'arn') return t.arn;
      if (attr === 'name' || attr === 'id' || attr === 'user_name') return t.name;
      if (attr === 'unique_id') return t.token;
      return undefined;
    default:
      return attr === 'arn' || attr === 'id' ? t.token : undefined;
  }
}

// ---------------------------------------------------------------------------------------
// Statements and policy sources
// ---------------------------------------------------------------------------------------

/** A statement together with the stack its expressions resolve in. */
interface Stmt {
  readonly s: PolicyStatement;
  readonly stack: string;
  /** Read from an expression we could not parse: a conservative approximation. */
  readonly approximate: boolean;
  /** Lazily computed: which of ALL_ACTIONS it matches. */
  actions?: Set<string>;
  resCache?: Map<string, boolean>;
  pspec?: PSpec;
  npspec?: PSpec;
  assume?: Set<string> | 'all';
  stores?: Set<string> | 'all';
}

interface Entry {
  readonly stmt: Stmt;
  readonly via: string;
}

interface ReadPolicy {
  readonly stmts: Stmt[];
  /** Why it could not be read (exactly), if so. */
  readonly problem?: string;
  /** AWS-managed policy name, when it is one. */
  readonly managed?: string;
}

/** Parsed principal list of a statement. */
interface PSpec {
  any: boolean;
  readonly ids: Set<string>;
  /** Account identities whose root is named (`*` = an account we cannot tell). */
  readonly accounts: string[];
}

interface PrincipalRec {
  readonly p: Principal;
  /** ARN glob, for `aws:PrincipalArn` conditions. */
  readonly arn: string;
  readonly resource?: TfResource;
}

interface KmsTarget {
  readonly target: Target;
  readonly label: string;
  readonly account: string;
  /** Key policy statements; undefined = default key policy (root of the key's account). */
  readonly policy?: Entry[];
  /** Grantee principal ids → via. */
  readonly grants: Map<string, string>;
  /** `alias/aws/...`: AWS-managed key, usable by whoever may read the store. */
  readonly awsManaged?: string;
  /** A literal key outside the configuration. */
  readonly external: boolean;
}

/** What computeAccess returns. */
export interface AccessResult {
  readonly principals: Principal[];
  readonly grants: Grant[];
  /**
   * Access an identity policy grants by NAMING the store (a reference or its literal name,
   * not a wildcard) that the store's resource policy or the account boundary blocks today.
   * The runtime layer holds, but the policy is an attempt to cross custody lines, and one
   * loosened bucket policy away from a real grant: KC011 reports it too.
   */
  readonly blocked: Grant[];
  /** Policies and references the analysis could not read exactly. */
  readonly unknowns: Unknown[];
}

const PRINCIPAL_TYPES = ['aws_iam_user', 'aws_iam_role'];

function isRole(v: string | undefined): v is CustodyRole {
  return v !== undefined && (CUSTODY_ROLES as readonly string[]).includes(v);
}

function baseTest(test: string): string {
  // AWS spells the set operators ForAnyValue: and ForAllValues:; accept either plural.
  return test.replace(/^For(Any|All)Values?:/i, '').replace(/IfExists$/i, '').toLowerCase();
}

const NEGATIVE_TESTS = new Set(['stringnotequals', 'stringnotlike', 'arnnotequals', 'arnnotlike', 'stringnotequalsignorecase']);
const POSITIVE_TESTS = new Set(['stringequals', 'stringlike', 'arnequals', 'arnlike', 'stringequalsignorecase']);
const PRINCIPAL_VARS = new Set(['aws:principalarn', 'aws:userid', 'aws:principalaccount', 'aws:username']);

/**
 * Compute every principal's effective access to every store.
 *
 * @param ctx indexes over the input documents
 * @param stores the custody stores found by the model builder
 * @param kmsKeys the managed KMS keys
 * @param tagsOf tags of a resource (with provider default tags)
 */
export function computeAccess(
  ctx: ModelContext,
  stores: Store[],
  kmsKeys: KmsKey[],
  tagsOf: (r: TfResource) => Record<string, string>,
): AccessResult {
  return new AccessAnalysis(ctx, stores, kmsKeys, tagsOf).run();
}

class AccessAnalysis {
  private readonly unknowns: Unknown[] = [];
  private readonly principals = new Map<string, PrincipalRec>();
  /** Resource key of a user/role (managed or data) → canonical principal id. */
  private readonly canonical = new Map<string, string>();
  /** `user|name` / `role|name` → principal ids. */
  private readonly byName = new Map<string, string[]>();
  private readonly targets = new Map<string, Target>();
  private tokenCount = 0;
  private readonly policyCache = new Map<string, ReadPolicy>();
  /** Accounts the configuration's own providers act in. */
  private readonly ownAccounts = new Set<string>();

  /** Identity policy entries per principal and per group. */
  private readonly identity = new Map<string, Entry[]>();
  private readonly groupPolicies = new Map<string, Entry[]>();
  private readonly groupLabels = new Map<string, string>();
  private readonly userGroups = new Map<string, Set<string>>();
  private readonly groupByName = new Map<string, string>();

  /** Indexed identity statements per principal: action → entries. */
  private readonly allowIdx = new Map<string, Map<string, Entry[]>>();
  private readonly denyIdx = new Map<string, Map<string, Entry[]>>();

  /** Resource policy entries per store id. */
  private readonly resourcePolicies = new Map<string, Entry[]>();
  private readonly storeTargets = new Map<string, Target>();
  private readonly storeKms = new Map<string, KmsTarget>();
  /** Store ids whose resource or key policy (or a KMS grant) names a principal id in an Allow. */
  private readonly namedIn = new Map<string, Set<string>>();
  /** Store ids whose resource or key policy allows anyone (`*`, NotPrincipal). */
  private readonly openStores = new Set<string>();
  /** Store ids by the resource key of the store or of its KMS key (identity policy references). */
  private readonly storesByResource = new Map<string, Set<string>>();
  /** Store ids whose store or KMS key is not a managed resource (matched by name, not by reference). */
  private readonly unmanagedStores = new Set<string>();
  /** Role assumption edges: from principal id → [{ to, via }]. */
  private readonly edges = new Map<string, { to: string; via: string }[]>();

  constructor(
    private readonly ctx: ModelContext,
    private readonly stores: Store[],
    private readonly kmsKeys: KmsKey[],
    private readonly tagsOf: (r: TfResource) => Record<string, string>,
  ) {
    for (const p of ctx.allProviders()) {
      const a = accountOf(p, p.stack);
      if (a.startsWith('acct:')) this.ownAccounts.add(a);
    }
  }

  run(): AccessResult {
    this.collectPrincipals();
    this.collectGroups();
    this.collectIdentityPolicies();
    this.indexIdentity();
    this.collectStores();
    this.collectTrust();
    this.indexCandidates();
    const { grants, blocked } = this.effectiveGrants();
    return { principals: [...this.principals.values()].map((r) => r.p), grants, blocked, unknowns: this.unknowns };
  }

  // ----- labels --------------------------------------------------------------------

  private label(r: TfResource, relativeTo?: string): string {
    return this.ctx.multiStack && relativeTo !== undefined && r.stack !== relativeTo ? `${r.address} (stack ${r.stack})` : r.address;
  }

  private unknown(r: TfResource, what: string): void {
    this.unknowns.push({ stack: r.stack, address: r.address, what });
  }

  // ----- targets -------------------------------------------------------------------

  private token(): string {
    return `\uE000${(this.tokenCount++).toString(36)}\uE001`;
  }

  /** The target (ARN shape) of a store, key, role or user resource; memoized. */
  private targetOf(r: TfResource): Target | undefined {
    const kind = ENTITY_TYPES[r.type];
    if (!kind) return undefined;
    const id = key(r.stack, r.address);
    const hit = this.targets.get(id);
    if (hit) return hit;
    const v = r.values;
    const token = this.token();
    const rawName = kind === 's3' ? v.bucket : kind === 'user' && r.mode === 'data' ? (v.user_name ?? v.name) : kind === 'kms' ? undefined : v.name;
    const prefix = literal(kind === 's3' ? v.bucket_prefix : v.name_prefix);
    let name: string;
    let nameKnown = true;
    if (typeof rawName === 'string' && rawName.length > 0) {
      name = rawName.includes('${') ? splitTemplate(rawName).map((p) => ('lit' in p ? p.lit : token)).join('') : rawName;
      nameKnown = !rawName.includes('${');
    } else if (prefix !== undefined) name = `${prefix}*`;
    else {
      name = token;
      nameKnown = false;
    }
    const acct = accountId(this.ctx.accountOfResource(r));
    let keyId = token;
    let arn: string;
    const litArn = r.mode === 'data' ? literal(v.arn) : undefined;
    switch (kind) {
      case 's3':
        arn = `arn:aws:s3:::${name}`;
        break;
      case 'secretsmanager':
        arn = litArn ?? `arn:aws:secretsmanager:*:${acct}:secret:${name}-*`;
        break;
      case 'ssm':
        arn = litArn ?? `arn:aws:ssm:*:${acct}:parameter/${name.replace(/^\//, '')}`;
        break;
      case 'kms': {
        const lit = r.mode === 'data' ? literal(v.key_id) : undefined;
        if (lit?.startsWith('arn:')) arn = lit;
        else {
          if (lit && !lit.startsWith('alias/')) keyId = lit;
          arn = `arn:aws:kms:*:${acct}:key/${keyId}`;
        }
        break;
      }
      case 'role':
      case 'user': {
        // An unknown path may be the default `/`: `/*` matches it and every deeper path (and,
        // conservatively, names that merely end like this one).
        const path = v.path === undefined ? '/' : (literal(v.path) ?? '/*');
        arn = litArn ?? `arn:aws:iam::${acct}:${kind}${path}${name}`;
        break;
      }
      default:
        arn = token;
    }
    const t: Target = { id, kind, resource: r, managed: r.mode === 'managed', name, arn, keyId, token, nameKnown };
    this.targets.set(id, t);
    return t;
  }

  /**
   * A statement's resource pattern as a glob relative to target `t`, or null when it
   * certainly names something else. `deny` picks the deny-side reading of unknowns.
   */
  private toGlob(stack: string, raw: string, t: Target, deny: boolean): string | null {
    if (!raw.includes('${')) return raw;
    const parts = splitTemplate(raw);
    let out = '';
    for (const part of parts) {
      if ('lit' in part) {
        out += part.lit;
        continue;
      }
      const sr = singleRef('${' + part.expr + '}');
      const res = sr ? this.ctx.resolve(stack, sr.ref) : undefined;
      if (!res) {
        if (deny) return null;
        out += '*';
        continue;
      }
      const r = res.resource;
      if (r.mode === 'data' && r.type === 'aws_partition') {
        out += 'aws';
        continue;
      }
      const et = this.targetOf(r);
      if (!et) {
        // Another resource's ARN as the whole pattern names that resource, not ours.
        if (parts.length === 1 && res.attr === 'arn') return null;
        if (deny) return null;
        out += '*';
        continue;
      }
      if (et.id === t.id) {
        const v = valueOfAttr(t, res.attr);
        if (v === undefined) {
          if (deny) return null;
          out += '*';
        } else out += v;
        continue;
      }
      // A different entity: two managed resources are never the same thing.
      if (et.managed && t.managed) return null;
      const v = valueOfAttr(et, res.attr);
      if (v === undefined || !et.nameKnown) {
        if (deny) return null;
        out += '*';
      } else out += v;
    }
    return out;
  }

  /** Whether a statement's Resource/NotResource applies to `t` at `level`. Cached. */
  private resMatch(st: Stmt, t: Target, level: Level, deny: boolean): boolean {
    const ck = `${t.id}|${level}|${deny ? 1 : 0}`;
    const cache = (st.resCache ??= new Map());
    const hit = cache.get(ck);
    if (hit !== undefined) return hit;
    const tpls = templates(t, level);
    const intersects = (raw: string) => {
      if (raw === '*') return true;
      const g = this.toGlob(st.stack, raw, t, false);
      return g !== null && tpls.some((tp) => globsIntersect(g, tp));
    };
    const covers = (raw: string) => {
      if (raw === '*') return true;
      const g = this.toGlob(st.stack, raw, t, true);
      return g !== null && tpls.every((tp) => globCovers(g, tp));
    };
    let ok: boolean;
    const { resources, notResources } = st.s;
    if (resources.length > 0) ok = deny ? resources.some(covers) : resources.some(intersects);
    else if (notResources && notResources.length > 0) ok = deny ? !notResources.some(intersects) : !notResources.some(covers);
    else ok = true;
    cache.set(ck, ok);
    return ok;
  }

  // ----- statements ----------------------------------------------------------------

  private stmtActions(st: Stmt): Set<string> {
    if (st.actions) return st.actions;
    const deny = st.s.effect === 'Deny';
    const norm = (list: readonly string[]) =>
      list.flatMap((a) => {
        if (!a.includes('${')) return [a.toLowerCase()];
        // An action we cannot read: any action on the allow side, none on the deny side.
        return deny ? [] : ['*'];
      });
    const out = new Set<string>();
    const acts = norm(st.s.actions);
    const nots = st.s.notActions ? st.s.notActions.filter((a) => !a.includes('${')).map((a) => a.toLowerCase()) : undefined;
    const notsUnknown = st.s.notActions?.some((a) => a.includes('${')) ?? false;
    for (const a of ALL_ACTIONS) {
      if (nots) {
        if (deny && notsUnknown) continue;
        if (!nots.some((p) => globMatch(p, a))) out.add(a);
      } else if (acts.some((p) => globMatch(p, a))) out.add(a);
    }
    st.actions = out;
    return out;
  }

  private wrap(list: PolicyStatement[], stack: string, approximate = false): Stmt[] {
    return list.map((s) => ({ s, stack, approximate }));
  }

  /** Read a policy document value (literal JSON, document reference, jsonencode, ...). */
  private readPolicy(stack: string, value: unknown, owner: TfResource, depth = 0): ReadPolicy {
    if (value === undefined || value === null) return { stmts: [] };
    if (typeof value === 'object') return { stmts: this.wrap(statementsOfJson(value), stack) };
    if (typeof value !== 'string') return { stmts: [], problem: 'the policy is not a string' };
    const ck = `${stack}\u0000${value}`;
    const hit = this.policyCache.get(ck);
    if (hit) return hit;
    const out = this.readPolicyUncached(stack, value.trim(), depth);
    this.policyCache.set(ck, out);
    if (out.problem) this.unknown(owner, out.problem);
    return out;
  }

  private readPolicyUncached(stack: string, v: string, depth: number): ReadPolicy {
    if (depth > 6) return { stmts: [], problem: 'policy references nest too deeply' };
    if (v.startsWith('{')) {
      try {
        return { stmts: this.wrap(statementsOfJson(JSON.parse(v)), stack) };
      } catch {
        return this.approximate(stack, v, 'the policy JSON does not parse');
      }
    }
    const sr = singleRef(v);
    if (sr && sr.prefix === '' && sr.suffix === '') {
      const res = this.ctx.resolve(stack, sr.ref);
      if (!res) return { stmts: [], problem: `the policy comes from ${v}, which is not in the configuration` };
      const r = res.resource;
      if (r.mode === 'data' && r.type === 'aws_iam_policy_document') {
        const stmts = this.wrap(statementsOfDocument(r.values), r.stack);
        for (const attr of ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json']) {
          for (const src of strings(r.values[attr])) stmts.push(...this.readPolicy(r.stack, src, r, depth + 1).stmts);
        }
        return { stmts };
      }
      if (r.type === 'aws_iam_policy' && r.mode === 'data') {
        const arn = literal(r.values.arn);
        const managed = arn ? awsManagedName(arn) : undefined;
        if (managed) return this.managedPolicy(managed, r);
        const byName = this.customerPolicyByName(literal(r.values.name) ?? (arn ? arn.slice(arn.lastIndexOf('/') + 1) : undefined));
        if (byName) return this.readPolicy(byName.stack, byName.values.policy, byName, depth + 1);
        return { stmts: [], problem: `${r.address} names a policy outside the configuration` };
      }
      const attrValue = res.attr ? r.values[res.attr] : undefined;
      if (attrValue !== undefined) return this.readPolicy(r.stack, attrValue, r, depth + 1);
      return { stmts: [], problem: `the policy comes from ${v}, which is only known after apply` };
    }
    if (v.startsWith('${') && v.endsWith('}')) {
      const bodies = splitTemplate(v);
      if (bodies.length === 1 && 'expr' in bodies[0]) {
        const doc = parseJsonencode(bodies[0].expr);
        if (doc && typeof doc === 'object') return { stmts: this.wrap(statementsOfJson(doc), stack) };
      }
    }
    const shown = v.length > 80 ? `${v.slice(0, 77)}...` : v;
    return this.approximate(stack, v, `the policy ${shown} is an expression that is not evaluated`);
  }

  /**
   * A policy we cannot read exactly: allow every action it names (or none) on every
   * resource it names (or `*`), so that access is over-reported rather than missed.
   */
  private approximate(stack: string, text: string, problem: string): ReadPolicy {
    const actions = new Set<string>();
    for (const m of text.matchAll(/(?:^|[^\w-])((?:s3|secretsmanager|ssm|kms|sts)(?:-object-lambda)?:[A-Za-z*?]+)/g)) actions.add(m[1]);
    if (/actions?"?\s*[:=]\s*\[?\s*"\*"/i.test(text)) actions.add('*');
    const resources = new Set<string>();
    for (const m of text.matchAll(/arn:[\w-]*:[\w-]*:[^"\s,\])}]*/g)) resources.add(m[0]);
    for (const part of splitTemplate(text)) {
      if (!('expr' in part)) continue;
      const sr = singleRef('${' + part.expr + '}');
      if (sr) resources.add('${' + part.expr + '}');
    }
    // Inner references inside an unparsed jsonencode body.
    for (const m of text.matchAll(/(?<![\w.$-])((?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]*\.[A-Za-z_][\w-]*\.(?:arn|id|bucket|name|key_id))\b/g)) {
      resources.add('${' + m[1] + '}');
      resources.add('${' + m[1] + '}/*');
    }
    if (/resources?"?\s*[:=]\s*\[?\s*"\*"/i.test(text) || resources.size === 0) resources.add('*');
    if (actions.size === 0) return { stmts: [], problem };
    const s: PolicyStatement = { effect: 'Allow', actions: [...actions], resources: [...resources], principals: [], conditions: [] };
    return { stmts: [{ s, stack, approximate: true }], problem: `${problem}; read conservatively` };
  }

  private readonly managedCache = new Map<string, ReadPolicy>();

  private managedPolicy(name: string, owner: TfResource): ReadPolicy {
    const { statements, guessed } = awsManagedStatements(name);
    if (guessed) this.unknown(owner, `AWS-managed policy ${name} is not in the built-in table; read from its name`);
    // Shared statement objects, so that their match caches are shared too.
    let hit = this.managedCache.get(name);
    if (!hit) this.managedCache.set(name, (hit = { stmts: this.wrap(statements, owner.stack), managed: name }));
    return hit;
  }

  private customerPolicyIndex?: Map<string, TfResource>;

  private customerPolicyByName(name: string | undefined): TfResource | undefined {
    if (!name) return undefined;
    if (!this.customerPolicyIndex) {
      this.customerPolicyIndex = new Map();
      for (const p of this.ctx.ofType('aws_iam_policy')) {
        const n = literal(p.values.name);
        if (p.mode === 'managed' && n) this.customerPolicyIndex.set(n, p);
      }
    }
    return this.customerPolicyIndex.get(name);
  }

  /** A policy attached by ARN (`policy_arn`, `managed_policy_arns`). */
  private policyByArn(stack: string, value: unknown, owner: TfResource): { label: string; read: ReadPolicy } | undefined {
    const lit = literal(value);
    if (lit) {
      const managed = awsManagedName(lit);
      if (managed) return { label: `AWS-managed policy ${managed}`, read: this.managedPolicy(managed, owner) };
      const p = this.customerPolicyByName(lit.slice(lit.lastIndexOf('/') + 1));
      if (p) return { label: this.policyLabel(p, stack), read: this.readPolicy(p.stack, p.values.policy, p) };
      this.unknown(owner, `policy ${lit} is not in the configuration`);
      return undefined;
    }
    if (typeof value !== 'string') return undefined;
    const sr = singleRef(value);
    const res = sr ? this.ctx.resolve(stack, sr.ref) : undefined;
    if (!res) {
      this.unknown(owner, `attached policy ${value} cannot be followed`);
      return undefined;
    }
    const r = res.resource;
    if (r.type === 'aws_iam_policy' && r.mode === 'managed') return { label: this.policyLabel(r, stack), read: this.readPolicy(r.stack, r.values.policy, r) };
    if (r.type === 'aws_iam_policy' && r.mode === 'data') {
      const arn = literal(r.values.arn);
      const litName = literal(r.values.name);
      const managed = arn ? awsManagedName(arn) : litName && !this.customerPolicyByName(litName) && litName in AWS_MANAGED_POLICIES ? litName : undefined;
      if (managed) return { label: `policy ${this.label(r, stack)} (${managed})`, read: this.managedPolicy(managed, r) };
      const byName = this.customerPolicyByName(literal(r.values.name) ?? (arn ? arn.slice(arn.lastIndexOf('/') + 1) : undefined));
      if (byName) return { label: `policy ${this.label(r, stack)} → ${this.policyLabel(byName, stack)}`, read: this.readPolicy(byName.stack, byName.values.policy, byName) };
      this.unknown(owner, `${r.address} names a policy outside the configuration`);
      return undefined;
    }
    this.unknown(owner, `attached policy ${value} is not an IAM policy`);
    return undefined;
  }

  private policyLabel(p: TfResource, relativeTo: string): string {
    const name = literal(p.values.name);
    return `policy ${this.label(p, relativeTo)}${name && name !== p.name ? ` (${name})` : ''}`;
  }

  // ----- principals ----------------------------------------------------------------

  private addName(kind: 'user' | 'role', name: string | undefined, id: string): void {
    if (!name) return;
    const k = `${kind}|${name}`;
    const list = this.byName.get(k);
    if (list) list.push(id);
    else this.byName.set(k, [id]);
  }

  private findByName(kind: 'user' | 'role', name: string, account: string | undefined, preferStack?: string): string[] {
    const list = this.byName.get(`${kind}|${name}`) ?? [];
    const ok = list.filter((id) => account === undefined || mayBeSameAccount(this.principals.get(id)!.p.account, account));
    const same = preferStack ? ok.filter((id) => this.principals.get(id)!.p.stack === preferStack) : [];
    return same.length ? same : ok;
  }

  private collectPrincipals(): void {
    const all = this.ctx.ofType(...PRINCIPAL_TYPES);
    // Managed first, so data sources naming the same identity fold into them.
    for (const r of [...all.filter((r) => r.mode === 'managed'), ...all.filter((r) => r.mode === 'data')]) {
      const kind = r.type === 'aws_iam_user' ? 'user' : 'role';
      const name = literal(kind === 'user' && r.mode === 'data' ? (r.values.user_name ?? r.values.name) : r.values.name);
      const account = this.ctx.accountOfResource(r);
      const rk = key(r.stack, r.address);
      if (r.mode === 'data' && name) {
        const same = this.findByName(kind, name, account).filter((id) => this.principals.get(id)!.resource?.mode === 'managed');
        if (same.length) {
          this.canonical.set(rk, same[0]);
          continue;
        }
      }
      const tags = this.tagsOf(r);
      const role = tags[TAG_ROLE];
      const p: Principal = { id: rk, stack: r.stack, address: r.address, kind, name, account, role: isRole(role) ? role : undefined, tags };
      this.principals.set(rk, { p, arn: this.targetOf(r)!.arn, resource: r });
      this.canonical.set(rk, rk);
      this.addName(kind, name, rk);
    }
  }

  /** An external principal for an ARN (or an expression) seen in a policy or attachment. */
  private external(arn: string, stack: string, account: string, kind?: 'user' | 'role', name?: string): string {
    const id = `external:${arn}`;
    if (!this.principals.has(id)) {
      const p: Principal = { id, stack, address: arn, kind: 'external', name, account, tags: {} };
      this.principals.set(id, { p, arn: arn.includes('${') ? '*' : arn });
      if (kind) this.addName(kind, name, id);
    }
    return id;
  }

  /** Principal ids an attribute names (`user = "${aws_iam_user.u.name}"`, `role = "ops"`). */
  private principalIds(stack: string, value: unknown, kind: 'user' | 'role', owner: TfResource): string[] {
    if (typeof value !== 'string') return [];
    const lit = literal(value);
    if (lit !== undefined) {
      const name = lit.startsWith('arn:') ? lit.slice(lit.lastIndexOf('/') + 1) : lit;
      const account = this.ctx.accountOfResource(owner);
      const found = this.findByName(kind, name, account, stack);
      if (found.length) return found;
      const acct = accountId(account);
      return [this.external(lit.startsWith('arn:') ? lit : `arn:aws:iam::${acct}:${kind}/${name}`, stack, account, kind, name)];
    }
    const out: string[] = [];
    for (const res of this.ctx.resolveAll(stack, value)) {
      const id = this.canonical.get(key(res.resource.stack, res.resource.address));
      if (id) out.push(id);
    }
    if (!out.length) {
      this.unknown(owner, `the ${kind} ${value} cannot be followed`);
      out.push(this.external(`${value}@${stack}`, stack, this.ctx.accountOfResource(owner)));
    }
    return out;
  }

  /**
   * Read one principal identifier of a policy (`*`, an ARN, an account id, a reference).
   * `register` creates external principals for ARNs outside the configuration.
   */
  private parseIdent(stack: string, raw: string, register: boolean, into: PSpec): boolean {
    const s = raw.trim();
    if (s === '*') {
      into.any = true;
      return true;
    }
    if (/^\d{12}$/.test(s)) {
      this.addRoot(`acct:${s}`, stack, register, into);
      return true;
    }
    if (s.includes('${')) {
      const sr = singleRef(s);
      const res = sr ? this.ctx.resolve(stack, sr.ref) : undefined;
      if (res) {
        const id = this.canonical.get(key(res.resource.stack, res.resource.address));
        if (id) {
          into.ids.add(id);
          return true;
        }
        if (res.resource.type === 'aws_caller_identity' && res.attr === 'account_id' && sr?.prefix === '' && sr.suffix === '') {
          into.accounts.push(this.ctx.accountOfResource(res.resource));
          return true;
        }
      }
    }
    const m = /^arn:[^:]*:(iam|sts)::([^:]*):(.+)$/.exec(s);
    if (m) {
      const account = this.accountPart(stack, m[2]);
      const rest = m[3];
      if (rest === 'root') {
        this.addRoot(account ?? '*', stack, register, into, s);
        return true;
      }
      let kind: 'user' | 'role' | undefined;
      let name: string | undefined;
      if (rest.startsWith('user/') || rest.startsWith('role/')) {
        kind = rest.startsWith('user/') ? 'user' : 'role';
        name = rest.slice(rest.lastIndexOf('/') + 1);
      } else if (rest.startsWith('assumed-role/')) {
        kind = 'role';
        name = rest.split('/')[1];
      }
      if (kind && name) {
        if (name.includes('${')) {
          const sr = singleRef(name);
          const res = sr ? this.ctx.resolve(stack, sr.ref) : undefined;
          const id = res ? this.canonical.get(key(res.resource.stack, res.resource.address)) : undefined;
          if (id) {
            into.ids.add(id);
            return true;
          }
        } else if (!/[*?]/.test(name)) {
          const found = this.findByName(kind, name, account);
          if (found.length) {
            for (const id of found) into.ids.add(id);
            return true;
          }
          if (register) {
            into.ids.add(this.external(s, stack, account ?? 'default', kind, name));
            return true;
          }
          return false;
        }
      }
    }
    if (register) {
      into.ids.add(this.external(s.includes('${') ? `${s}@${stack}` : s, stack, 'default'));
      return true;
    }
    return false;
  }

  private accountPart(stack: string, part: string): string | undefined {
    if (/^\d{12}$/.test(part)) return `acct:${part}`;
    const sr = part.includes('${') ? singleRef(part) : undefined;
    const res = sr ? this.ctx.resolve(stack, sr.ref) : undefined;
    if (res && res.resource.type === 'aws_caller_identity') return this.ctx.accountOfResource(res.resource);
    return undefined;
  }

  private addRoot(account: string, stack: string, register: boolean, into: PSpec, arn?: string): void {
    into.accounts.push(account);
    // A foreign account's root stands for "whoever that account lets in": keep it as a principal.
    if (register && account.startsWith('acct:') && !this.ownAccounts.has(account)) {
      into.ids.add(this.external(arn ?? `arn:aws:iam::${account.slice(5)}:root`, stack, account));
    }
  }

  private pspecOf(list: readonly PolicyPrincipal[], stack: string): PSpec {
    const spec: PSpec = { any: false, ids: new Set(), accounts: [] };
    for (const p of list) {
      const type = p.type.toUpperCase();
      if (type === '*') {
        spec.any = true;
        continue;
      }
      if (type !== 'AWS') continue;
      for (const id of p.ids) this.parseIdent(stack, id, true, spec);
    }
    return spec;
  }

  private pspec(st: Stmt): PSpec {
    return (st.pspec ??= this.pspecOf(st.s.principals, st.stack));
  }

  private npspec(st: Stmt): PSpec | undefined {
    if (!st.s.notPrincipals) return undefined;
    return (st.npspec ??= this.pspecOf(st.s.notPrincipals, st.stack));
  }

  /** How a principal list names P: directly, through its account root, or not at all. */
  private specMatch(spec: PSpec, p: Principal): 'direct' | 'account' | undefined {
    if (spec.any || spec.ids.has(p.id)) return 'direct';
    if (spec.accounts.some((a) => a === '*' || mayBeSameAccount(a, p.account))) return 'account';
    return undefined;
  }

  /** Whether P may be among the values of a principal condition (conservative: unknown = yes). */
  private inList(stack: string, variable: string, values: readonly string[], rec: PrincipalRec): boolean {
    const p = rec.p;
    for (const v of values) {
      if (variable === 'aws:principalaccount') {
        const a = /^\d{12}$/.test(v) ? `acct:${v}` : this.accountPart(stack, v);
        if (a === undefined || mayBeSameAccount(a, p.account)) return true;
        continue;
      }
      if (variable === 'aws:username' && !v.includes('${')) {
        // A user name, not an ARN: only IAM users have one (role sessions and services do not);
        // an unknown name or an external principal may match.
        if (p.kind === 'external' || (p.kind === 'user' && (p.name === undefined || globMatch(v, p.name)))) return true;
        continue;
      }
      const sr = v.includes('${') ? singleRef(v) : undefined;
      const res = sr ? this.ctx.resolve(stack, sr.ref) : undefined;
      const id = res ? this.canonical.get(key(res.resource.stack, res.resource.address)) : undefined;
      if (id) {
        if (id === p.id) return true;
        continue;
      }
      if (variable === 'aws:userid') return true; // literal unique ids cannot be read
      if (!v.includes('${') && /[*?]/.test(v)) {
        if (globsIntersect(v, rec.arn)) return true;
        continue;
      }
      const spec: PSpec = { any: false, ids: new Set(), accounts: [] };
      if (!this.parseIdent(stack, v, false, spec)) {
        if (v.includes('${')) return true;
        if (!v.includes('${') && p.kind === 'external' && v === p.address) return true;
        continue;
      }
      if (spec.any || spec.ids.has(p.id)) return true;
    }
    return false;
  }

  /** Whether the principal-narrowing conditions of an Allow leave P in (conservative). */
  private allowConditionsAdmit(st: Stmt, rec: PrincipalRec): boolean {
    for (const c of st.s.conditions) {
      const v = c.variable.toLowerCase();
      const t = baseTest(c.test);
      if (PRINCIPAL_VARS.has(v) && POSITIVE_TESTS.has(t) && !this.inList(st.stack, v, c.values, rec)) return false;
      if (PRINCIPAL_VARS.has(v) && NEGATIVE_TESTS.has(t) && this.inListDefinitely(st.stack, c.values, rec)) return false;
    }
    return true;
  }

  private inListDefinitely(stack: string, values: readonly string[], rec: PrincipalRec): boolean {
    for (const v of values) {
      const sr = v.includes('${') ? singleRef(v) : undefined;
      const res = sr ? this.ctx.resolve(stack, sr.ref) : undefined;
      const id = res ? this.canonical.get(key(res.resource.stack, res.resource.address)) : undefined;
      if (id === rec.p.id) return true;
      if (rec.p.kind === 'external' && v === rec.p.address) return true;
    }
    return false;
  }

  /** Whether a resource-policy Deny applies to P (only denies we can pin down count). */
  private denyApplies(st: Stmt, rec: PrincipalRec): boolean {
    const p = rec.p;
    if (st.s.principals.length > 0 && !this.specMatch(this.pspec(st), p)) return false;
    const np = this.npspec(st);
    if (np && this.specMatch(np, p)) return false;
    if (st.s.principals.length === 0 && !np) return false;
    for (const c of st.s.conditions) {
      const v = c.variable.toLowerCase();
      const t = baseTest(c.test);
      // A TLS-only deny does not block normal (TLS) access.
      if (v === 'aws:securetransport') return false;
      if (PRINCIPAL_VARS.has(v) && NEGATIVE_TESTS.has(t)) {
        if (this.inList(st.stack, v, c.values, rec)) return false;
        continue;
      }
      if (PRINCIPAL_VARS.has(v) && POSITIVE_TESTS.has(t)) {
        if (!this.inListDefinitely(st.stack, c.values, rec)) return false;
        continue;
      }
      // Any other condition may not hold: ignore the deny (never under-report access).
      return false;
    }
    return true;
  }

  // ----- groups and identity policies ----------------------------------------------

  private groupIds(stack: string, value: unknown, owner: TfResource): string[] {
    if (typeof value !== 'string') return [];
    const lit = literal(value);
    if (lit !== undefined) {
      const name = lit.startsWith('arn:') ? lit.slice(lit.lastIndexOf('/') + 1) : lit;
      const found = this.groupByName.get(name);
      if (found) return [found];
      const id = `group:${name}`;
      this.groupByName.set(name, id);
      this.groupLabels.set(id, `group ${name}`);
      return [id];
    }
    const out: string[] = [];
    for (const res of this.ctx.resolveAll(stack, value)) {
      const r = res.resource;
      if (r.type !== 'aws_iam_group') continue;
      const name = literal(r.mode === 'data' ? r.values.group_name : r.values.name);
      const k = key(r.stack, r.address);
      const id = name ? (this.groupByName.get(name) ?? k) : k;
      if (!this.groupLabels.has(id)) this.groupLabels.set(id, `group ${name ?? r.address}`);
      out.push(id);
    }
    if (!out.length) this.unknown(owner, `the group ${value} cannot be followed`);
    return out;
  }

  private collectGroups(): void {
    for (const g of this.ctx.ofType('aws_iam_group')) {
      if (g.mode !== 'managed') continue;
      const name = literal(g.values.name);
      const id = key(g.stack, g.address);
      if (name && !this.groupByName.has(name)) this.groupByName.set(name, id);
      this.groupLabels.set(id, `group ${name ?? g.address}`);
    }
    const join = (users: string[], groups: string[]) => {
      for (const u of users) {
        let set = this.userGroups.get(u);
        if (!set) this.userGroups.set(u, (set = new Set()));
        for (const g of groups) set.add(g);
      }
    };
    for (const r of this.ctx.ofType('aws_iam_user_group_membership')) {
      const groups = strings(r.values.groups).flatMap((g) => this.groupIds(r.stack, g, r));
      join(this.principalIds(r.stack, r.values.user, 'user', r), groups);
    }
    for (const r of this.ctx.ofType('aws_iam_group_membership')) {
      const groups = this.groupIds(r.stack, r.values.group, r);
      join(strings(r.values.users).flatMap((u) => this.principalIds(r.stack, u, 'user', r)), groups);
    }
  }

  private addEntries(map: Map<string, Entry[]>, id: string, stmts: Stmt[], via: string): void {
    if (!stmts.length) return;
    let list = map.get(id);
    if (!list) map.set(id, (list = []));
    for (const stmt of stmts) list.push({ stmt, via: stmt.approximate ? `${via} (read conservatively)` : via });
  }

  private collectIdentityPolicies(): void {
    const ctx = this.ctx;
    const inline: [string, 'user' | 'role' | 'group'][] = [
      ['aws_iam_user_policy', 'user'],
      ['aws_iam_role_policy', 'role'],
      ['aws_iam_group_policy', 'group'],
    ];
    for (const [type, kind] of inline) {
      for (const r of ctx.ofType(type)) {
        if (r.mode !== 'managed') continue;
        const read = this.readPolicy(r.stack, r.values.policy, r);
        const via = `inline policy ${r.address}`;
        if (kind === 'group') for (const g of this.groupIds(r.stack, r.values.group, r)) this.addEntries(this.groupPolicies, g, read.stmts, via);
        else for (const p of this.principalIds(r.stack, r.values[kind], kind, r)) this.addEntries(this.identity, p, read.stmts, via);
      }
    }

    // Roles: inline_policy blocks and managed_policy_arns.
    for (const r of ctx.ofType('aws_iam_role')) {
      if (r.mode !== 'managed') continue;
      const id = this.canonical.get(key(r.stack, r.address));
      if (!id) continue;
      for (const b of blocks(r.values.inline_policy)) {
        if (b.policy === undefined) continue;
        const read = this.readPolicy(r.stack, b.policy, r);
        const name = literal(b.name);
        this.addEntries(this.identity, id, read.stmts, `inline policy ${r.address}${name ? ` "${name}"` : ''}`);
      }
      for (const arn of strings(r.values.managed_policy_arns)) {
        const pol = this.policyByArn(r.stack, arn, r);
        if (pol) this.addEntries(this.identity, id, pol.read.stmts, pol.label);
      }
    }

    // Attachments.
    const attach = (r: TfResource, policyArns: unknown[], users: unknown[], roles: unknown[], groups: unknown[]) => {
      for (const arn of policyArns) {
        const pol = this.policyByArn(r.stack, arn, r);
        if (!pol) continue;
        for (const u of users) for (const p of this.principalIds(r.stack, u, 'user', r)) this.addEntries(this.identity, p, pol.read.stmts, pol.label);
        for (const u of roles) for (const p of this.principalIds(r.stack, u, 'role', r)) this.addEntries(this.identity, p, pol.read.stmts, pol.label);
        for (const g of groups) for (const gid of this.groupIds(r.stack, g, r)) this.addEntries(this.groupPolicies, gid, pol.read.stmts, pol.label);
      }
    };
    for (const r of ctx.ofType('aws_iam_user_policy_attachment')) attach(r, [r.values.policy_arn], [r.values.user], [], []);
    for (const r of ctx.ofType('aws_iam_role_policy_attachment')) attach(r, [r.values.policy_arn], [], [r.values.role], []);
    for (const r of ctx.ofType('aws_iam_group_policy_attachment')) attach(r, [r.values.policy_arn], [], [], [r.values.group]);
    for (const r of ctx.ofType('aws_iam_policy_attachment')) attach(r, [r.values.policy_arn], strings(r.values.users), strings(r.values.roles), strings(r.values.groups));
    for (const r of ctx.ofType('aws_iam_user_policy_attachments_exclusive')) attach(r, strings(r.values.policy_arns), [r.values.user_name], [], []);
    for (const r of ctx.ofType('aws_iam_role_policy_attachments_exclusive')) attach(r, strings(r.values.policy_arns), [], [r.values.role_name], []);
    for (const r of ctx.ofType('aws_iam_group_policy_attachments_exclusive')) attach(r, strings(r.values.policy_arns), [], [], [r.values.group_name]);

    // Groups a user belongs to contribute their policies.
    for (const [user, groups] of this.userGroups) {
      for (const g of groups) {
        const entries = this.groupPolicies.get(g) ?? [];
        const label = this.groupLabels.get(g) ?? g;
        let list = this.identity.get(user);
        if (!list) this.identity.set(user, (list = []));
        for (const e of entries) list.push({ stmt: e.stmt, via: `${label} → ${e.via}` });
      }
    }
  }

  /** Index identity statements by the custody actions they allow or deny. */
  private indexIdentity(): void {
    for (const [pid, entries] of this.identity) {
      const allow = new Map<string, Entry[]>();
      const deny = new Map<string, Entry[]>();
      for (const e of entries) {
        const isDeny = e.stmt.s.effect === 'Deny';
        // Only unconditional identity denies remove access.
        if (isDeny && e.stmt.s.conditions.length > 0) continue;
        const idx = isDeny ? deny : allow;
        for (const a of this.stmtActions(e.stmt)) {
          let list = idx.get(a);
          if (!list) idx.set(a, (list = []));
          list.push(e);
        }
      }
      this.allowIdx.set(pid, allow);
      this.denyIdx.set(pid, deny);
    }
  }

  // ----- stores, resource policies, keys -------------------------------------------

  private collectStores(): void {
    const ctx = this.ctx;
    const byResource = new Map<string, Store[]>();
    const byName = new Map<string, Store[]>();
    const push = (m: Map<string, Store[]>, k: string, s: Store) => {
      const l = m.get(k);
      if (l) l.push(s);
      else m.set(k, [s]);
    };
    for (const s of this.stores) {
      const t = this.targetOf(s.resource);
      if (t) this.storeTargets.set(s.id, t);
      push(byResource, key(s.resource.stack, s.resource.address), s);
      if (s.name) push(byName, `${s.kind}|${s.name}`, s);
    }
    const storesFor = (target: TfResource | undefined, kind: Store['kind']): Store[] => {
      if (!target) return [];
      const direct = byResource.get(key(target.stack, target.address)) ?? [];
      const name = literal(kind === 's3' ? target.values.bucket : target.values.name);
      const named = name ? (byName.get(`${kind}|${name}`) ?? []) : [];
      return [...new Set([...direct, ...named])];
    };
    const addPolicy = (stores: Store[], owner: TfResource, value: unknown, via: string) => {
      if (!stores.length || value === undefined) return;
      const read = this.readPolicy(owner.stack, value, owner);
      for (const s of stores) this.addEntries(this.resourcePolicies, s.id, read.stmts, via);
    };
    for (const r of ctx.ofType('aws_s3_bucket_policy')) {
      addPolicy(storesFor(ctx.target(r.stack, r.values.bucket, ['aws_s3_bucket']), 's3'), r, r.values.policy, `bucket policy ${r.address}`);
    }
    for (const r of ctx.ofType('aws_secretsmanager_secret_policy')) {
      addPolicy(storesFor(ctx.target(r.stack, r.values.secret_arn, ['aws_secretsmanager_secret'], ['arn', 'name']), 'secretsmanager'), r, r.values.policy, `secret policy ${r.address}`);
    }
    for (const s of this.stores) {
      if (s.resource.mode === 'managed' && (s.kind === 's3' || s.kind === 'secretsmanager') && s.resource.values.policy !== undefined) {
        addPolicy([s], s.resource, s.resource.values.policy, `${s.kind === 's3' ? 'bucket' : 'secret'} policy on ${s.resource.address}`);
      }
    }

    // KMS keys.
    const keyPolicies = new Map<string, Entry[]>();
    const keyById = new Map(this.kmsKeys.map((k) => [k.id, k]));
    // A key policy we cannot read counts as the default one (IAM policies of the key's
    // account decide), so that it never hides access.
    const unreadable = new Set<string>();
    const addKeyPolicy = (id: string, owner: TfResource, value: unknown) => {
      const read = this.readPolicy(owner.stack, value, owner);
      if (read.problem) unreadable.add(id);
      this.addEntries(keyPolicies, id, read.stmts, `key policy ${owner.address}`);
      if (!keyPolicies.has(id)) keyPolicies.set(id, []);
    };
    for (const k of this.kmsKeys) {
      if (k.resource.values.policy !== undefined) addKeyPolicy(k.id, k.resource, k.resource.values.policy);
    }
    for (const r of ctx.ofType('aws_kms_key_policy')) {
      const target = ctx.target(r.stack, r.values.key_id, ['aws_kms_key'], ['key_id']);
      if (target) addKeyPolicy(key(target.stack, target.address), r, r.values.policy);
    }
    for (const id of unreadable) keyPolicies.delete(id);
    const keyGrants = new Map<string, Map<string, string>>();
    for (const r of ctx.ofType('aws_kms_grant')) {
      if (!strings(r.values.operations).some((o) => o.toLowerCase() === 'decrypt')) continue;
      const kid = kmsKeyId(ctx, r.stack, r.values.key_id);
      if (!kid) continue;
      const spec: PSpec = { any: false, ids: new Set(), accounts: [] };
      const grantee = r.values.grantee_principal;
      if (typeof grantee === 'string') this.parseIdent(r.stack, grantee, true, spec);
      let m = keyGrants.get(kid);
      if (!m) keyGrants.set(kid, (m = new Map()));
      for (const id of spec.ids) if (!m.has(id)) m.set(id, `KMS grant ${r.address}`);
    }

    const kmsCache = new Map<string, KmsTarget>();
    for (const s of this.stores) {
      let kid = s.settings?.kmsKey;
      if (kid === undefined && s.kind === 'ssm' && s.resource.values.key_id !== undefined) kid = kmsKeyId(ctx, s.stack, s.resource.values.key_id);
      if (kid === undefined && s.kind === 'secretsmanager' && s.resource.values.kms_key_id !== undefined) kid = kmsKeyId(ctx, s.stack, s.resource.values.kms_key_id);
      if (kid === undefined) continue;
      let kt = kmsCache.get(kid);
      if (!kt) {
        kt = this.kmsTarget(kid, s, keyById, keyPolicies, keyGrants);
        if (!kt) continue;
        kmsCache.set(kid, kt);
      }
      this.storeKms.set(s.id, kt);
    }
  }

  private kmsTarget(
    kid: string,
    s: Store,
    keyById: Map<string, KmsKey>,
    keyPolicies: Map<string, Entry[]>,
    keyGrants: Map<string, Map<string, string>>,
  ): KmsTarget | undefined {
    let r: TfResource | undefined = keyById.get(kid)?.resource;
    if (!r && kid.includes('\u0000')) {
      const [stack, address] = kid.split('\u0000');
      r = this.ctx.resource(stack, address);
    }
    if (!r && /^(data\.)?aws_kms_key\./.test(kid)) r = this.ctx.resource(s.stack, kid);
    if (!r && kid.includes('${')) r = this.ctx.resolveAll(s.stack, kid).find((x) => x.resource.type === 'aws_kms_key')?.resource;
    const grants = keyGrants.get(kid) ?? new Map<string, string>();
    if (r) {
      const t = this.targetOf(r);
      if (!t) return undefined;
      const id = key(r.stack, r.address);
      return { target: t, label: `key ${this.label(r, s.stack)}`, account: this.ctx.accountOfResource(r), policy: keyPolicies.get(id), grants, external: r.mode === 'data' };
    }
    const awsManaged = /(^|:)alias\/aws\//.test(kid) ? kid.slice(kid.indexOf('alias/')) : undefined;
    const arnAcct = /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(kid)?.[1];
    const arn = kid.startsWith('arn:') ? kid : kid.startsWith('alias/') ? `arn:aws:kms:*:*:${kid}` : `arn:aws:kms:*:*:key/${kid}`;
    const token = this.token();
    const t: Target = { id: `kms:${kid}`, kind: 'kms', managed: false, name: token, arn, keyId: kid, token, nameKnown: true };
    return { target: t, label: `key ${kid}`, account: arnAcct ? `acct:${arnAcct}` : 'default', grants, awsManaged, external: true };
  }

  // ----- role assumption -----------------------------------------------------------

  private addEdge(from: string, to: string, via: string): void {
    if (from === to) return;
    let list = this.edges.get(from);
    if (!list) this.edges.set(from, (list = []));
    if (!list.some((e) => e.to === to)) list.push({ to, via });
  }

  private collectTrust(): void {
    const open: { role: PrincipalRec; target: Target; accounts: string[]; any: boolean; stmt: Stmt }[] = [];
    const trustDenies = new Map<string, Stmt[]>();
    for (const rec of this.principals.values()) {
      const r = rec.resource;
      if (!r || r.type !== 'aws_iam_role' || r.mode !== 'managed' || rec.p.id !== key(r.stack, r.address)) continue;
      const read = this.readPolicy(r.stack, r.values.assume_role_policy, r);
      const target = this.targetOf(r)!;
      const denies = read.stmts.filter((st) => st.s.effect === 'Deny' && this.stmtActions(st).has(STS_ASSUME));
      if (read.problem) {
        // Unreadable trust: whoever may call sts:AssumeRole on the role is assumed to get in.
        const any: Stmt = { s: { effect: 'Allow', actions: ['sts:AssumeRole'], resources: [], principals: [{ type: '*', ids: ['*'] }], conditions: [] }, stack: r.stack, approximate: true };
        open.push({ role: rec, target, accounts: [], any: true, stmt: any });
      }
      for (const st of read.stmts) {
        if (st.s.effect !== 'Allow' || !this.stmtActions(st).has(STS_ASSUME)) continue;
        if (st.approximate) continue;
        const spec = this.pspec(st);
        for (const id of spec.ids) {
          const from = this.principals.get(id);
          if (!from || denies.some((d) => this.denyApplies(d, from))) continue;
          if (!this.allowConditionsAdmit(st, from)) continue;
          this.addEdge(id, rec.p.id, `assumes ${r.address}`);
        }
        if (spec.any || spec.accounts.length) open.push({ role: rec, target, accounts: spec.accounts, any: spec.any, stmt: st });
      }
      trustDenies.set(rec.p.id, denies);
    }
    if (!open.length) return;
    // Trust in an account (or anyone): principals whose own policies allow sts:AssumeRole on the role.
    const openByRole = new Map<string, typeof open>();
    for (const o of open) {
      const l = openByRole.get(o.role.p.id);
      if (l) l.push(o);
      else openByRole.set(o.role.p.id, [o]);
    }
    for (const [pid, allow] of this.allowIdx) {
      const entries = allow.get(STS_ASSUME);
      if (!entries?.length) continue;
      const from = this.principals.get(pid);
      if (!from) continue;
      const denied = this.denyIdx.get(pid)?.get(STS_ASSUME) ?? [];
      // Only the roles the statements can name, unless one of them is a wildcard.
      let candidates: typeof open = [];
      const named = new Set<string>();
      let all = false;
      for (const e of entries) {
        const c = this.assumeCandidates(e.stmt);
        if (c === 'all') {
          all = true;
          break;
        }
        for (const id of c) named.add(id);
      }
      if (all) candidates = open;
      else for (const id of named) candidates.push(...(openByRole.get(id) ?? []));
      for (const o of candidates) {
        if (o.role.p.id === pid) continue;
        if (!o.any && !o.accounts.some((a) => a === '*' || mayBeSameAccount(a, from.p.account))) continue;
        if (!this.allowConditionsAdmit(o.stmt, from)) continue;
        const denies = trustDenies.get(o.role.p.id) ?? [];
        if (denies.some((d) => this.denyApplies(d, from))) continue;
        if (denied.some((e) => this.resMatch(e.stmt, o.target, 'any', true))) continue;
        const e = entries.find((x) => this.resMatch(x.stmt, o.target, 'any', false));
        if (e) this.addEdge(pid, o.role.p.id, `assumes ${o.role.p.address} (${e.via})`);
      }
    }
  }

  /** Role ids an sts:AssumeRole statement can name, or 'all' when it may name any role. */
  private assumeCandidates(st: Stmt): Set<string> | 'all' {
    if (st.assume) return st.assume;
    let out: Set<string> | 'all' = new Set<string>();
    if (st.s.resources.length === 0) out = 'all';
    for (const raw of st.s.resources) {
      if (out === 'all') break;
      if (!raw.includes('${')) {
        if (/[*?]/.test(raw)) {
          out = 'all';
          break;
        }
        const m = /:role\/(?:.*\/)?([^/]+)$/.exec(raw);
        if (m) for (const id of this.findByName('role', m[1], undefined)) out.add(id);
        continue;
      }
      const sr = singleRef(raw);
      if (!sr || sr.prefix !== '' || sr.suffix !== '') {
        out = 'all';
        break;
      }
      const res = this.ctx.resolve(st.stack, sr.ref);
      if (!res) {
        out = 'all';
        break;
      }
      const id = this.canonical.get(key(res.resource.stack, res.resource.address));
      if (id) out.add(id);
    }
    st.assume = out;
    return out;
  }

  // ----- evaluation ----------------------------------------------------------------

  /**
   * Whether P may perform `action` on target `t`: identity policies, the resource's own
   * policy, explicit denies and the account boundary. Returns the via, or undefined.
   */
  private evaluate(
    rec: PrincipalRec,
    action: string,
    t: Target,
    level: Level,
    resourcePolicy: Entry[] | undefined,
    targetAccount: string,
    rootGrantRequired: boolean,
  ): string | undefined {
    const pid = rec.p.id;
    for (const e of this.denyIdx.get(pid)?.get(action) ?? []) {
      if (this.resMatch(e.stmt, t, level, true)) return undefined;
    }
    let direct: string | undefined;
    let viaRoot: string | undefined;
    for (const e of resourcePolicy ?? []) {
      if (!this.stmtActions(e.stmt).has(action)) continue;
      if (e.stmt.s.effect === 'Deny') {
        if (this.resMatch(e.stmt, t, level, true) && this.denyApplies(e.stmt, rec)) return undefined;
        continue;
      }
      if (direct && viaRoot) continue;
      if (!this.resMatch(e.stmt, t, level, false)) continue;
      let m: 'direct' | 'account' | undefined;
      if (e.stmt.s.principals.length > 0) m = this.specMatch(this.pspec(e.stmt), rec.p);
      else if (e.stmt.s.notPrincipals) m = this.specMatch(this.npspec(e.stmt)!, rec.p) ? undefined : 'direct';
      if (!m || !this.allowConditionsAdmit(e.stmt, rec)) continue;
      if (m === 'direct') direct ??= e.via;
      else viaRoot ??= e.via;
    }
    if (direct) return direct;
    const idAllow = (this.allowIdx.get(pid)?.get(action) ?? []).find((e) => this.resMatch(e.stmt, t, level, false));
    if (!idAllow) return undefined;
    if (mayBeSameAccount(rec.p.account, targetAccount) && !rootGrantRequired) return idAllow.via;
    if (viaRoot) return `${idAllow.via} + ${viaRoot}`;
    return undefined;
  }

  /**
   * Whether a statement names `t` itself: one of its resources, read the deny way (an
   * unresolved part names nothing), matches the target with no wildcard but a trailing
   * `/*` for the objects. `*`, `arn:aws:s3:::*`, a prefix glob or a `?` (one character,
   * any) do not name a store.
   */
  private names(st: Stmt, t: Target, level: Level): boolean {
    const tpls = templates(t, level);
    return st.s.resources.some((raw) => {
      const g = this.toGlob(st.stack, raw, t, true);
      if (g === null || /[*?]/.test(g.replace(/\/\*$/, ''))) return false;
      return tpls.some((tp) => globsIntersect(g, tp));
    });
  }

  /** An identity allow that names the store, not denied by the principal's own policies. */
  private namedIntent(rec: PrincipalRec, action: string, t: Target, level: Level): string | undefined {
    const pid = rec.p.id;
    for (const e of this.denyIdx.get(pid)?.get(action) ?? []) {
      if (this.resMatch(e.stmt, t, level, true)) return undefined;
    }
    return (this.allowIdx.get(pid)?.get(action) ?? []).find((e) => this.names(e.stmt, t, level))?.via;
  }

  /**
   * Direct (non-assumed) access of one principal (store id → access → via), and the access
   * its identity policies name but the store's side blocks.
   */
  private directAccessAndBlocked(rec: PrincipalRec): { access: Map<string, Map<Access, string>>; blocked: Map<string, Map<Access, string>> } {
    const out = new Map<string, Map<Access, string>>();
    const blocked = new Map<string, Map<Access, string>>();
    const decryptCache = new Map<KmsTarget, string | null>();
    const candidates = this.candidateStores(rec);
    for (const s of candidates === 'all' ? this.stores : this.stores.filter((x) => candidates.has(x.id))) {
      const t = this.storeTargets.get(s.id);
      if (!t) continue;
      const rp = this.resourcePolicies.get(s.id);
      const got = new Map<Access, string>();
      const stopped = new Map<Access, string>();
      for (const spec of STORE_ACTIONS[s.kind]) {
        if (got.has(spec.access)) continue;
        const via = this.evaluate(rec, spec.action, t, spec.level, rp, s.account, false);
        if (via) {
          got.set(spec.access, via);
          stopped.delete(spec.access);
        } else if (!stopped.has(spec.access)) {
          const intent = this.namedIntent(rec, spec.action, t, spec.level);
          if (intent) stopped.set(spec.access, `${intent} [blocked today by the store's resource policy or the account boundary]`);
        }
      }
      if (stopped.size) blocked.set(s.id, stopped);
      const kt = this.storeKms.get(s.id);
      if (kt) {
        let via = decryptCache.get(kt);
        if (via === undefined) {
          via = this.decrypt(rec, kt) ?? null;
          decryptCache.set(kt, via);
        }
        if (via === null && kt.awsManaged && got.has('read')) via = `${got.get('read')} (AWS-managed ${kt.awsManaged})`;
        if (via) got.set('decrypt', via);
      }
      if (got.size) out.set(s.id, got);
    }
    return { access: out, blocked };
  }

  private decrypt(rec: PrincipalRec, kt: KmsTarget): string | undefined {
    if (kt.awsManaged) return undefined;
    const grant = kt.grants.get(rec.p.id);
    if (grant) return `${grant} on ${kt.label}`;
    // Default key policy (none written): the key's account root, i.e. IAM policies of that account.
    const policy = kt.policy;
    const via = this.evaluate(rec, KMS_DECRYPT, kt.target, 'any', policy, kt.account, policy !== undefined);
    return via ? `${via} on ${kt.label}` : undefined;
  }

  // ----- candidate stores (keeps effectiveGrants linear) -------------------------------

  private addTo(m: Map<string, Set<string>>, k: string, v: string): void {
    let set = m.get(k);
    if (!set) m.set(k, (set = new Set()));
    set.add(v);
  }

  /**
   * Which stores a principal can possibly reach, so that directAccessAndBlocked does not
   * evaluate every (principal, store) pair: access needs an Allow that names the principal (or
   * anyone) in the store's resource policy or key policy, a KMS grant to it, or an identity
   * Allow of its own whose resources can match the store or its key ({@link storeCandidates});
   * blocked access needs the latter too.
   */
  private indexCandidates(): void {
    for (const s of this.stores) {
      const kt = this.storeKms.get(s.id);
      const t = this.storeTargets.get(s.id);
      // The statements evaluate() would read for this store: an Allow with one of the store's
      // actions (or kms:Decrypt in its key policy) whose resources match. pspec registers the
      // external principals they name, as evaluate() does.
      const index = (st: Stmt, target: Target, level: Level, actions: readonly string[]) => {
        if (st.s.effect !== 'Allow' || !actions.some((a) => this.stmtActions(st).has(a)) || !this.resMatch(st, target, level, false)) return;
        if (st.s.principals.length === 0) {
          if (st.s.notPrincipals !== undefined) this.openStores.add(s.id);
          return;
        }
        const spec = this.pspec(st);
        if (spec.any) this.openStores.add(s.id);
        for (const id of spec.ids) this.addTo(this.namedIn, id, s.id);
      };
      if (t) {
        for (const e of this.resourcePolicies.get(s.id) ?? []) {
          for (const spec of STORE_ACTIONS[s.kind]) index(e.stmt, t, spec.level, [spec.action]);
        }
      }
      if (kt) for (const e of kt.policy ?? []) index(e.stmt, kt.target, 'any', [KMS_DECRYPT]);
      if (kt) for (const id of kt.grants.keys()) this.addTo(this.namedIn, id, s.id);
      this.addTo(this.storesByResource, key(s.resource.stack, s.resource.address), s.id);
      if (kt?.target.resource) this.addTo(this.storesByResource, key(kt.target.resource.stack, kt.target.resource.address), s.id);
      if (!t?.managed || (kt && !kt.target.managed)) this.unmanagedStores.add(s.id);
    }
  }

  private candidateStores(rec: PrincipalRec): Set<string> | 'all' {
    if (rec.p.kind === 'external') return 'all';
    const out = new Set<string>([...this.openStores, ...(this.namedIn.get(rec.p.id) ?? [])]);
    for (const entries of this.allowIdx.get(rec.p.id)?.values() ?? []) {
      for (const e of entries) {
        const c = this.storeCandidates(e.stmt);
        if (c === 'all') return 'all';
        for (const id of c) out.add(id);
      }
    }
    return out;
  }

  /**
   * Stores an identity Allow statement can match. A resource pattern with one reference to a
   * managed store, bucket, key, role or user can only match that entity (toGlob: "two managed
   * resources are never the same thing"), so it adds the stores of that resource (the store
   * itself, or the stores encrypted with that KMS key); stores and keys that are not managed
   * (adopted data sources, literal keys) match by name and are always candidates. Anything
   * else (literals, globs, NotResource, references we cannot pin) gives 'all'.
   */
  private storeCandidates(st: Stmt): Set<string> | 'all' {
    if (st.stores) return st.stores;
    let out: Set<string> | 'all' = new Set<string>(this.unmanagedStores);
    if (st.s.resources.length === 0 || (st.s.notResources?.length ?? 0) > 0) out = 'all';
    for (const raw of st.s.resources) {
      if (out === 'all') break;
      const sr = raw.includes('${') ? singleRef(raw) : undefined;
      const res = sr ? this.ctx.resolve(st.stack, sr.ref) : undefined;
      const t = res ? this.targetOf(res.resource) : undefined;
      if (!res || !t || !t.managed) {
        out = 'all';
        break;
      }
      for (const id of this.storesByResource.get(key(res.resource.stack, res.resource.address)) ?? []) out.add(id);
    }
    st.stores = out;
    return out;
  }

  private effectiveGrants(): { grants: Grant[]; blocked: Grant[] } {
    type Both = { access: Map<string, Map<Access, string>>; blocked: Map<string, Map<Access, string>> };
    const directCache = new Map<string, Both>();
    const both = (id: string): Both => {
      let d = directCache.get(id);
      if (!d) {
        const rec = this.principals.get(id);
        d = rec ? this.directAccessAndBlocked(rec) : { access: new Map(), blocked: new Map() };
        directCache.set(id, d);
      }
      return d;
    };
    const grants: Grant[] = [];
    const blockedGrants: Grant[] = [];
    for (const rec of this.principals.values()) {
      const pid = rec.p.id;
      const seen = new Set<string>();
      const seenBlocked = new Set<string>();
      const emit = (d: Both, chain: string) => {
        for (const [store, byAccess] of d.access) {
          for (const [a, via] of byAccess) {
            const k = `${store}|${a}`;
            if (seen.has(k)) continue;
            seen.add(k);
            grants.push({ principal: pid, store, access: a, via: chain + via });
          }
        }
        for (const [store, byAccess] of d.blocked) {
          for (const [a, via] of byAccess) {
            const k = `${store}|${a}`;
            if (seenBlocked.has(k)) continue;
            seenBlocked.add(k);
            blockedGrants.push({ principal: pid, store, access: a, via: chain + via });
          }
        }
      };
      emit(both(pid), '');
      // BFS over role edges; the first (shortest) chain to each role wins.
      const visited = new Set<string>([pid]);
      let frontier: { id: string; chain: string }[] = [{ id: pid, chain: '' }];
      while (frontier.length) {
        const next: { id: string; chain: string }[] = [];
        for (const f of frontier) {
          for (const e of this.edges.get(f.id) ?? []) {
            if (visited.has(e.to)) continue;
            visited.add(e.to);
            const chain = `${f.chain}${this.stackNote(e.via, e.to, rec.p.stack)} → `;
            emit(both(e.to), chain);
            next.push({ id: e.to, chain });
          }
        }
        frontier = next;
      }
    }
    // What is granted through another path is not blocked.
    const granted = new Set(grants.map((g) => `${g.principal}|${g.store}|${g.access}`));
    return { grants, blocked: blockedGrants.filter((g) => !granted.has(`${g.principal}|${g.store}|${g.access}`)) };
  }

  private stackNote(via: string, roleId: string, from: string): string {
    const role = this.principals.get(roleId)?.p;
    if (!role || !this.ctx.multiStack || role.stack === from) return via;
    return via.replace(role.address, `${role.address} (stack ${role.stack})`);
  }
}
