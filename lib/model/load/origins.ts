import type { SourceLocation } from '../types';

/**
 * Where the user's code made each resource, as the library's constructs record it in a
 * stack's `"//": { "metadata": { "keyCustody": ... } }` (see lib/synth/sources.ts). Terraform
 * ignores `//`, and `terraform show -json` drops it: plans have no origins, only addresses.
 */

/** The key under the stack's `//.metadata`. */
export const ORIGINS_KEY = 'keyCustody';

/** A grant a library construct's method made, as written in cdk.tf.json. */
export interface GrantOriginJson {
  /** Construct path of the construct whose method granted (e.g. `key-custody/Zitadel/KeyBackups`). */
  readonly construct: string;
  /** The construct's class, e.g. `KeyBackupBucket`. */
  readonly kind: string;
  /** The method, e.g. `grantRead`. */
  readonly method: string;
  /** The principal as passed (an ARN, or a reference such as `${aws_iam_role.w.arn}`). */
  readonly principal: string;
  /** `file:line` of the call, relative to the project root (for a grant the library made, of the construct that made it). */
  readonly at?: string;
  /** The library made the grant itself (a drill's reader), inside the construct made at `at`. */
  readonly internal?: boolean;
  /** The source line of the call, trimmed. */
  readonly call?: string;
}

export interface OriginsJson {
  /** Resource address → `file:line` of the user's code that made it. */
  readonly sources: Readonly<Record<string, string>>;
  readonly grants?: readonly GrantOriginJson[];
}

/** A grant origin, read back. */
export interface GrantOrigin {
  readonly stack: string;
  readonly construct: string;
  readonly kind: string;
  readonly method: string;
  readonly principal: string;
  readonly at?: SourceLocation;
  readonly call?: string;
  readonly internal: boolean;
}

export interface Origins {
  readonly sources: ReadonlyMap<string, SourceLocation>;
  readonly grants: readonly GrantOrigin[];
}

const EMPTY: Origins = { sources: new Map(), grants: [] };

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `examples/app/main.ts:42` → `{ file, line }`; anything else is no location. */
export function parseSite(v: unknown): SourceLocation | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(.+):([1-9]\d{0,8})$/.exec(v);
  return m ? { file: m[1], line: Number(m[2]) } : undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Read the origins of one stack's Terraform JSON; hand-written files have none. */
export function readOrigins(stack: string, root: Record<string, unknown>): Origins {
  const comment = root['//'];
  const meta = isObject(comment) ? comment.metadata : undefined;
  const raw = isObject(meta) ? meta[ORIGINS_KEY] : undefined;
  if (!isObject(raw)) return EMPTY;
  const sources = new Map<string, SourceLocation>();
  if (isObject(raw.sources)) {
    for (const [address, site] of Object.entries(raw.sources)) {
      const loc = parseSite(site);
      if (loc) sources.set(address, loc);
    }
  }
  const grants: GrantOrigin[] = [];
  for (const g of Array.isArray(raw.grants) ? raw.grants : []) {
    if (!isObject(g)) continue;
    const construct = str(g.construct);
    const kind = str(g.kind);
    const method = str(g.method);
    const principal = str(g.principal);
    if (!construct || !kind || !method || !principal) continue;
    grants.push({ stack, construct, kind, method, principal, at: parseSite(g.at), call: str(g.call), internal: g.internal === true });
  }
  return { sources, grants };
}
