import type { Access, CustodyRole, Finding, Severity } from '../model/types';

// The report's data types, and the finding count the renderers share. Renderers import this
// file rather than summarize.ts, so they depend on the shape of the data, not on how it is
// built from the model.

/**
 * The serializable view every report renderer works from. It is derived from the custody
 * model and the engine's result only: it never carries attribute values of resources, so
 * no key material can reach a report. Every list is sorted, so the same inputs always give
 * byte-identical reports.
 */
export interface ReportData {
  /** Stack names, sorted. */
  readonly stacks: readonly string[];
  readonly summary: ReportSummary;
  readonly keys: readonly KeyInventory[];
  readonly stores: readonly StoreRow[];
  readonly principals: readonly PrincipalRow[];
  readonly grants: readonly GrantRow[];
  /** Principal × store matrix derived from `grants`. */
  readonly access: AccessMatrix;
  readonly drills: readonly DrillRow[];
  /** Containers that run with a key (mount its hot copy, or are labelled with it), sorted. */
  readonly containers: readonly ContainerRow[];
  readonly findings: readonly FindingRow[];
  readonly suppressions: readonly SuppressionRow[];
  /** Facts the model could not decide (e.g. a bucket name only known after apply). */
  readonly unknowns: readonly UnknownRow[];
}

export interface ReportSummary {
  /** Unsuppressed errors. */
  readonly errors: number;
  /** Unsuppressed warnings. */
  readonly warnings: number;
  /** Suppressed findings of either severity. */
  readonly suppressed: number;
  /** Number of stacks. */
  readonly stacks: number;
  readonly findings: number;
  readonly keys: number;
  readonly stores: number;
  readonly principals: number;
  readonly drills: number;
  readonly containers: number;
  readonly suppressions: number;
}

/** 3-2-1 status of one key: at least 3 copies, on 2 media, 1 offsite. */
export interface ThreeTwoOne {
  readonly copies: number;
  readonly media: number;
  readonly offsite: number;
  readonly threeCopies: boolean;
  readonly twoMedia: boolean;
  readonly oneOffsite: boolean;
  /** All three hold. */
  readonly holds: boolean;
}

export interface CopyRow {
  readonly kind: string;
  readonly medium: string;
  readonly location: string;
  readonly offsite: boolean;
  readonly custodian: string | null;
  readonly generation: number | null;
  readonly stack: string;
  /** Store (stack-qualified when several stacks) for Terraform-managed copies, else the manifest. */
  readonly address: string;
  /** What shows the copy exists: the first characters of its fingerprint (`kcfp1 0123456789ab`), or null. */
  readonly fingerprint: string | null;
  /** Day the copy was made, when recorded. */
  readonly date: string | null;
  /** `keygen` when keygen recorded the copy, `fingerprint` when one is declared with it, else null. */
  readonly evidence: 'keygen' | 'fingerprint' | null;
  /**
   * Whether the 3-2-1 count counts this row. A copy of another generation, or a second row for
   * a place already counted (the same medium and location), is listed but not counted, so the
   * counted rows are exactly `threeTwoOne.copies`.
   */
  readonly counted: boolean;
}

/** One generation of a key, as its manifest declares it. */
export interface GenerationRow {
  readonly generation: number;
  readonly state: 'active' | 'rotating' | 'retired';
  readonly retiredOn: string | null;
  /** Date until which the generation and its backups must be kept; null = indefinitely (or while in use). */
  readonly keepUntil: string | null;
  readonly fingerprint: string | null;
  readonly hostPath: string | null;
  readonly offsiteObject: string | null;
  /** Copies the generation declares itself. */
  readonly copies: number;
}

export interface KeyInventory {
  readonly id: string;
  readonly app: string | null;
  /** Stacks where the key is declared or has copies, sorted. */
  readonly stacks: readonly string[];
  readonly fingerprint: string | null;
  readonly hostPath: string | null;
  readonly copies: readonly CopyRow[];
  readonly threeTwoOne: ThreeTwoOne;
  /** Generations, newest first; empty for a key that declares none. */
  readonly generations: readonly GenerationRow[];
  /** Drill ids covering this key. */
  readonly drills: readonly string[];
}

export interface StoreHardening {
  readonly versioning: boolean | null;
  readonly objectLock: { readonly enabled: boolean; readonly mode: string | null; readonly days: number | null } | null;
  readonly publicAccessBlock: boolean | null;
  readonly tlsOnly: boolean | null;
  readonly sseKms: boolean | null;
  readonly kmsKey: string | null;
  readonly ownerEnforced: boolean | null;
  readonly currentExpirationDays: number | null;
  readonly noncurrentExpirationDays: number | null;
  readonly denyDeleteToWriters: boolean | null;
  /** Columns the store's kind provides by itself (Secrets Manager and SSM keep versions and take TLS only). */
  readonly builtIn: readonly HardeningColumn[];
  /** Columns that do not exist for the store's kind (a secret has no Object Lock), shown as `n/a`, never `?`. */
  readonly notApplicable: readonly HardeningColumn[];
}

/** The hardening columns of the stores table whose meaning depends on the store's kind. */
export type HardeningColumn = 'versioning' | 'objectLock' | 'publicAccessBlock' | 'tlsOnly' | 'ownerEnforced' | 'expiry' | 'denyDeleteToWriters';

export interface StoreRow {
  /** Stack-qualified address when several stacks; the matrix columns use it. */
  readonly ref: string;
  readonly role: CustodyRole;
  readonly kind: string;
  /** Name, or `prefix*` when only a prefix is known, or null when only known after apply. */
  readonly name: string | null;
  readonly stack: string;
  readonly address: string;
  readonly key: string | null;
  readonly app: string | null;
  readonly adopted: boolean;
  readonly account: string;
  readonly hardening: StoreHardening;
}

export interface PrincipalRow {
  readonly ref: string;
  readonly stack: string;
  readonly address: string;
  readonly kind: string;
  readonly name: string | null;
  readonly role: CustodyRole | null;
  readonly account: string;
}

/**
 * Why a grant is in the report, the same four sources KC011 weighs:
 * - `policy`: the principal's policies and the store's policies allow it today;
 * - `key-admin`: the store's KMS key policy (or a grant) makes it an administrator of the key;
 * - `exempt`: the store's policy singles out a principal whose own policies are not in the
 *   configuration (a deployer named by ARN, exempt from the deny-all): it has what they allow;
 * - `blocked`: an identity policy names the store, and the store's policy or the account boundary blocks it today.
 */
export type GrantBasis = 'policy' | 'key-admin' | 'exempt' | 'blocked';

export interface GrantRow {
  readonly principal: string;
  readonly principalStack: string;
  readonly store: string;
  readonly storeStack: string;
  readonly access: Access;
  readonly via: string;
  readonly basis: GrantBasis;
}

export interface AccessMatrix {
  /** Column refs (stores), sorted by stack and address. */
  readonly stores: readonly string[];
  readonly rows: readonly AccessRow[];
  /** Principals in scope that reach no store (left out of `rows`). */
  readonly omittedPrincipals: number;
  /** Their refs, sorted: a reviewer sees who they are, not only how many. */
  readonly unreached: readonly string[];
  /** What the letters in the cells mean. */
  readonly legend: Readonly<Record<string, Access>>;
}

export interface AccessRow {
  readonly principal: string;
  readonly kind: string;
  readonly role: CustodyRole | null;
  /** store ref → letters, e.g. `rwk`; stores the principal cannot touch are absent. */
  readonly cells: Readonly<Record<string, string>>;
  /** store ref → the letters of `cells` that hold only through an `exempt` grant (what its own, unseen policies allow). */
  readonly exempt?: Readonly<Record<string, string>>;
  /** store ref → letters an identity policy names but the store blocks today (`blocked` grants); not in `cells`. */
  readonly blocked?: Readonly<Record<string, string>>;
  /** Account of the principal (`acct:111111111111`, or how it is known). */
  readonly account?: string;
}

/** One matrix cell as the renderers print it: `rk`, `rwda*` (exempt), `[r]` (blocked only), `rk [w]`. */
export function accessCell(row: AccessRow, store: string): string {
  const letters = row.cells[store] ?? '';
  const mark = row.exempt?.[store] ? '*' : '';
  const blocked = row.blocked?.[store] ? `[${row.blocked[store]}]` : '';
  return [letters + mark, blocked].filter((x) => x !== '').join(' ');
}

export interface DrillRow {
  readonly id: string;
  readonly key: string;
  readonly stack: string;
  readonly manifest: string;
  readonly schedule: string | null;
  readonly timezone: string | null;
  readonly intervalDays: number | null;
  readonly restoreAgeDays: number | null;
  readonly keySource: string | null;
  readonly dockerProvider: string | null;
  readonly alarm: boolean | null;
  readonly log: boolean | null;
  /** Next run: as the manifest recorded it when the construct was given `now`, else by the report's clock. */
  readonly nextRun: string | null;
  /** Day of the last passing drill the construct was told of (`lastPassedOn`), or null. */
  readonly lastPassedOn: string | null;
}

/** A container that runs with a key: the app, or a recovery drill's container. */
export interface ContainerRow {
  /** Stack-qualified address when several stacks. */
  readonly ref: string;
  readonly stack: string;
  readonly address: string;
  readonly kind: string;
  readonly image: string | null;
  readonly key: string;
  /** A recovery drill's container (`custody:role=drill`), which runs with a restored copy. */
  readonly drill: boolean;
  /** The mount that brings the key in (`/etc/zitadel/masterkey -> /run/secrets/masterkey (read-only)`), when one does. */
  readonly mount: string | null;
  /** Why the container is taken to carry the key (a label, a mount of the hot copy). */
  readonly reasons: readonly string[];
}

export interface FindingRow {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly stack: string;
  readonly address: string;
  readonly message: string;
  readonly fix: string;
  readonly suppressed: boolean;
  readonly reason: string | null;
  /** Owner and expiry of the suppression, when suppressed and given. */
  readonly owner?: string;
  readonly expires?: string;
  readonly location: { readonly file: string; readonly line: number } | null;
}

export interface SuppressionRow {
  readonly id: string;
  readonly reason: string;
  readonly owner: string | null;
  readonly expires: string | null;
  /** Address or construct-path prefix; empty = the whole stack. */
  readonly scope: string;
  readonly stack: string;
  readonly manifest: string;
  /** How many findings it suppressed. */
  readonly used: number;
  readonly valid: boolean;
  readonly problem: string | null;
}

export interface UnknownRow {
  readonly stack: string;
  readonly address: string;
  readonly what: string;
}

/** Count findings the way every report and the CLI summary line do. */
export function countFindings(findings: readonly Pick<Finding, 'severity' | 'suppressed'>[]): { errors: number; warnings: number; suppressed: number } {
  let errors = 0;
  let warnings = 0;
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppressed) suppressed++;
    else if (f.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings, suppressed };
}
