/** The shapes the access analysis passes between its layers: targets, statements, principal lists, keys, and its result. */
import type { PolicyStatement } from '../policy';
import type { Grant, KeyUse, Principal, TfResource, Unknown } from '../types';

export type TargetKind = 's3' | 'secretsmanager' | 'ssm' | 'kms' | 'role' | 'user' | 'other';

export interface Target {
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

/** A statement together with the stack its expressions resolve in. */
export interface Stmt {
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

export interface Entry {
  readonly stmt: Stmt;
  readonly via: string;
}

export interface ReadPolicy {
  readonly stmts: Stmt[];
  /** Why it could not be read (exactly), if so. */
  readonly problem?: string;
  /** AWS-managed policy name, when it is one. */
  readonly managed?: string;
}

/** Parsed principal list of a statement. */
export interface PSpec {
  any: boolean;
  readonly ids: Set<string>;
  /** Account identities whose root is named (`*` = an account we cannot tell). */
  readonly accounts: string[];
  /**
   * Ids the list may name or may miss: one session of a role, or a name whose account may
   * differ. An Allow counts them (over-report); a Deny or a NotPrincipal exclusion does not.
   */
  partial?: Set<string>;
}

export interface PrincipalRec {
  readonly p: Principal;
  /** ARN glob, for `aws:PrincipalArn` conditions. */
  readonly arn: string;
  readonly resource?: TfResource;
}

export interface KmsTarget {
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
  /** See CustodyModel.unseenGrants. */
  readonly unseen: Grant[];
  /** See CustodyModel.keyUses. */
  readonly keyUses: KeyUse[];
  /** Policies and references the analysis could not read exactly. */
  readonly unknowns: Unknown[];
}
