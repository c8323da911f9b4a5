import { App, TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import * as z from '../vendor/zod';
import { recordCallSite } from './sources';

// What a user passes in is recognized by brand, never by `instanceof`: a second copy of cdktf
// (cdktf and its fork cdktn both installed, or @cdktn/provider-aws bringing `cdktn` next to the
// "cdktf" alias) has its own classes, so `instanceof` calls its TerraformStack "not a
// TerraformStack". cdktf brands its own objects with `Symbol.for` keys, which every copy shares
// (cdktn kept cdktf's keys); the library brands its constructs the same way.

/** The library's constructs that other constructs accept as props or look up in the tree. */
export type BrandName =
  | 'MasterKey'
  | 'EphemeralKeyInput'
  | 'CustodyBucket'
  | 'KeyBackupBucket'
  | 'DatabaseBackupBucket'
  | 'AdoptedBackupBucket'
  | 'ProtectedAppContainer'
  | 'ProtectedAppService'
  | 'RecoveryDrill'
  | 'CustodyManifest'
  | 'MasterKeyCustodyPart';

const brandKey = (name: BrandName) => Symbol.for(`cdktf-key-custody/${name}`);

/** Mark `o` as a `name`, for {@link hasBrand} in this and any other copy of the library. */
export function brand(o: object, name: BrandName): void {
  Object.defineProperty(o, brandKey(name), { value: true });
  // Every construct of the library is branded first thing in its constructor: the moment to
  // note which line of the user's code made it (for findings and SARIF locations).
  if ('node' in o) recordCallSite(o as IConstruct);
}

/** Whether `v` is a `name` of this or of another copy of the library. */
export function hasBrand<T>(v: unknown, name: BrandName): v is T {
  return typeof v === 'object' && v !== null && brandKey(name) in v;
}

/** A zod schema accepting a branded construct: `z.instanceof` that holds across copies. */
export function branded<T>(name: BrandName, params: { message: string }) {
  return z.custom<T>((v) => hasBrand<T>(v, name), params);
}

export const isStack = (v: unknown): v is TerraformStack => TerraformStack.isStack(v);
export const isProvider = (v: unknown): v is TerraformProvider => TerraformProvider.isTerraformProvider(v);
export const isResource = (v: unknown): v is TerraformResource => TerraformResource.isTerraformResource(v);

/** A provider of the given Terraform type (`aws`, `docker`), of any copy of cdktf. */
export function isProviderOf<T extends TerraformProvider = TerraformProvider>(v: unknown, type: string): v is T {
  return isProvider(v) && v.terraformResourceType === type;
}

const RTTI = Symbol.for('jsii.rtti');

/** `cdktf 0.21.0` or `cdktn 0.24.0`: the package and version of the class that made `v`, if jsii says. */
function releaseOf(v: object): string | undefined {
  for (let p: object | null = Object.getPrototypeOf(v); p; p = Object.getPrototypeOf(p)) {
    const info = (p.constructor as unknown as Record<symbol, { fqn?: unknown; version?: unknown } | undefined>)[RTTI];
    if (typeof info?.fqn === 'string' && /^cdkt[fn]\./.test(info.fqn) && typeof info.version === 'string') {
      return `${info.fqn.split('.')[0]} ${info.version}`;
    }
  }
  return undefined;
}

/**
 * A schema for a cdktf object recognized by `recognize` (a brand check): what is not one gets
 * `message`, unless it looks like one from another copy of cdktf, which gets the two-copies fix.
 */
export function cdktfObject<T>(recognize: (v: unknown) => boolean, className: string, message: string) {
  return z.custom<T>().check(
    z.superRefine((v, ctx) => {
      if (!recognize(v)) ctx.addIssue({ code: 'custom', message: otherCopyProblem(v, className) ?? message });
    }),
  );
}

/** The package and version this library's `cdktf` import loaded. */
export function ourCdktfRelease(): string | undefined {
  return releaseOf(Object.create(App.prototype) as object);
}

/** The fix for two copies of cdktf, as one sentence. */
export const ONE_CDKTF_FIX =
  'load one copy: import from "cdktf" only, and for CDK Terrain put "cdktf": "npm:cdktn@0.24.0" in dependencies and "overrides": { "cdktf": "npm:cdktn@0.24.0" } in package.json, then reinstall (`npm ls cdktf cdktn` then lists one release)';

/** Whether a class named `className` is on `v`'s prototype chain: what `instanceof` would have seen. */
function looksLike(v: unknown, className: string): boolean {
  if (typeof v !== 'object' || v === null) return false;
  for (let p: object | null = Object.getPrototypeOf(v); p; p = Object.getPrototypeOf(p)) {
    if ((p.constructor as { name?: unknown } | undefined)?.name === className) return true;
  }
  return false;
}

/**
 * Why `v`, which is not recognized as a `className`, still looks like one: a class of that name
 * from a copy of cdktf (or of this library) whose brands this copy does not know. Undefined
 * when `v` is simply something else, so the caller's own message stands.
 */
export function otherCopyProblem(v: unknown, className: string): string | undefined {
  if (!looksLike(v, className)) return undefined;
  const theirs = releaseOf(v as object);
  return `is a ${className} from another copy of ${className.startsWith('Terraform') ? 'cdktf' : 'cdktf-key-custody'}${theirs ? ` (${theirs})` : ''} than the one this library loaded${ourCdktfRelease() ? ` (${ourCdktfRelease()})` : ''}: two copies are loaded; ${ONE_CDKTF_FIX}`;
}

/**
 * Refuse an app whose cdktf is another release than the library's: constructs of cdktf 0.21
 * in an app of cdktn 0.24 (cdktn installed under its own name next to the real cdktf) would
 * synthesize with two releases' rules. Two copies of one release (the "cdktf" alias and a
 * `cdktn` that @cdktn/provider-aws brings) are the same code and share every brand: they pass.
 */
export function assertOneCdktfRelease(scope: IConstruct): void {
  const app = App.of(scope);
  const theirs = releaseOf(app);
  const ours = ourCdktfRelease();
  if (theirs === undefined || ours === undefined || theirs === ours) return;
  throw new Error(
    `${scope.node.path || '<app>'}: two copies of cdktf are loaded: the app is an App of ${theirs}, and this library (cdktf-key-custody) loaded ${ours} as "cdktf"; ${ONE_CDKTF_FIX}`,
  );
}
