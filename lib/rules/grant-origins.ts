import { constructPath } from '../model/load/cdktf-json';
import type { GrantOrigin } from '../model/load/origins';
import type { CustodyModel, Principal, SourceLocation, Store } from '../model/types';

/**
 * The grant method of a library construct that gave a principal access to a store, read back
 * from the stack's `//` metadata (cdk.tf.json only; a plan has none). KC011 and KC012 name it
 * in their fix, so a user does not have to map `aws_s3_bucket_policy.KeyBackups_Policy_2006184B`
 * back to `custody.keyBucket.grantRead(dbWriter.arn)` by hand.
 */

function names(model: CustodyModel, g: GrantOrigin, p: Principal): boolean {
  if (g.principal === p.address) return true;
  if (g.principal.startsWith('arn:') && p.name !== undefined && p.kind !== 'external') {
    const last = g.principal.slice(g.principal.lastIndexOf('/') + 1);
    const kind = /:user\//.test(g.principal) ? 'user' : /:role\//.test(g.principal) ? 'role' : undefined;
    if (last === p.name && kind === p.kind) return true;
  }
  return model.referencesOf(g.stack, g.principal).some((r) => r.stack === p.stack && r.address === p.address);
}

function under(store: Store, g: GrantOrigin): boolean {
  if (store.stack !== g.stack) return false;
  const path = constructPath(store.resource.values);
  return path !== undefined && (path === g.construct || path.startsWith(`${g.construct}/`));
}

/** The grant origin that names `principal` on the first of `stores` (in the caller's order) that has one. */
export function grantOriginOf(model: CustodyModel, principal: Principal, stores: readonly Store[]): { grant: GrantOrigin; store: Store } | undefined {
  const grants = model.documents.flatMap((d) => d.grantOrigins ?? []);
  if (grants.length === 0) return undefined;
  for (const store of stores) {
    const grant = grants.find((g) => under(store, g) && names(model, g, principal));
    if (grant) return { grant, store };
  }
  return undefined;
}

const at = (l: SourceLocation | undefined) => (l ? ` at ${l.file}:${l.line}` : '');

/** `custody.keyBucket.grantRead(dbWriter.arn)` at main.ts:88 (KeyBackupBucket key-custody/Zitadel/KeyBackups) */
export function describeGrantOrigin(g: GrantOrigin): string {
  const who = `${g.kind} ${g.construct}`;
  if (g.internal) return `${who}.${g.method}(...), which the library called for the construct made${at(g.at)}`;
  return g.call ? `\`${g.call}\`${at(g.at)} (${g.method} of ${who})` : `${g.method}(...) of ${who}${at(g.at)}`;
}

/** The sentence a fix starts with when the grant is known, and where the finding then points. */
export function grantFix(model: CustodyModel, principal: Principal, stores: readonly Store[]): { text: string; origin?: SourceLocation } | undefined {
  const found = grantOriginOf(model, principal, stores);
  if (!found) return undefined;
  const { grant, store } = found;
  const text =
    `the access to ${store.address} (stack ${store.stack}) was granted by ${describeGrantOrigin(grant)}: ` +
    (grant.internal ? 'give that construct a principal of its own side instead; ' : `remove that ${grant.method} call, or pass it a principal of the ${store.role} side only; `);
  return { text, origin: grant.internal ? undefined : grant.at };
}
