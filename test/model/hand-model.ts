/**
 * Hand-built custody models for the exact-output tests of the model views and the rule
 * helpers: only the fields they read, so a test states its whole input in a few lines.
 */
import type { Container, CustodyModel, Manifest, ManifestKey, Mount } from '../../lib/model/types';
import { withViews } from '../../lib/model/views';
import type { CountedCopy } from '../../lib/model/views/copies';

/** A docker container `name` in stack `s`, with labels, mounts and any other field overridden. */
export function ct(name: string, lbls: Record<string, string> = {}, mounts: Mount[] = [], over: Partial<Container> = {}): Container {
  return {
    id: `s\u0000docker_container.${name}`,
    stack: 's',
    address: `docker_container.${name}`,
    kind: 'docker_container',
    env: {},
    command: [],
    entrypoint: [],
    mounts,
    provider: 'docker',
    labels: lbls,
    resource: undefined as never,
    ...over,
  };
}

/** A mount, read-only unless told. */
export const mnt = (source: string | undefined, target: string, type: Mount['type'] = 'bind', readOnly = true): Mount => ({ source, target, readOnly, type });

/** A declared key of app `app` with no copies unless told. */
export const mkey = (id: string, over: Partial<ManifestKey> = {}): ManifestKey => ({ id, app: 'app', copies: [], ...over });

/** The custody manifest of a stack. */
export const mf = (stack: string, keys: ManifestKey[], drills: Manifest['drills'] = []): Manifest => ({
  stack,
  address: 'terraform_data.custody_manifest',
  keys,
  drills,
  suppressions: [],
  adoptedStores: [],
});

/** A model with empty lists, lookups that find nothing and fresh views, except for `parts`. */
export function hand(parts: Partial<Record<keyof CustodyModel, unknown>>): CustodyModel {
  const base = {
    documents: [],
    resources: [],
    stores: [],
    kmsKeys: [],
    principals: [],
    grants: [],
    blockedGrants: [],
    unseenGrants: [],
    keyUses: [],
    containers: [],
    manifests: [],
    copies: [],
    providers: [],
    unknowns: [],
    multiStack: false,
    storeById: () => undefined,
    principalById: () => undefined,
    resource: () => undefined,
    referencesOf: () => [],
    ...parts,
  };
  return withViews(base as unknown as CustodyModel);
}

/** A `hostFile` declaration at `path`, root-owned 0400. */
export const hostFile = (path: string) => ({ path, mode: '0400', owner: 'root', group: 'root', dirMode: '0700', deployCheck: true });

/** A container `c` in stack `s` with nothing set, except for `over`. */
export function container(over: Partial<Container> = {}): Container {
  return {
    id: 'c',
    stack: 's',
    address: 'docker_container.c',
    kind: 'docker_container',
    env: {},
    command: [],
    entrypoint: [],
    mounts: [],
    provider: 'docker',
    labels: {},
    resource: undefined as never,
    ...over,
  };
}

/** A bind mount (or `type`), read-only. */
export const bind = (source: string | undefined, target: string, type: Mount['type'] = 'bind'): Mount => ({ source, target, readOnly: true, type });
/** One counted copy, declared at `m`. */
export const copy = (medium: string, location: string, offsite = false, kind = 'k'): CountedCopy => ({ kind, medium, location, offsite, declaredAt: 'm' });
/** A declared key `k` of app `a`, with no copies unless told. */
export const key = (over: Partial<ManifestKey> = {}): ManifestKey => ({ id: 'k', app: 'a', copies: [], ...over });
