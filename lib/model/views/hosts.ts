/**
 * The docker host a container or provider configuration runs on, for telling a drill's
 * scratch host from production hosts.
 */
import { literal } from '../load/refs';
import type { CustodyModel, ProviderInfo } from '../types';

/** Docker's default daemon address when the provider sets no `host`. */
export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

export interface HostInfo {
  readonly stack: string;
  readonly providerKey: string;
  /** Normalized docker host, or undefined when it is an expression we cannot read. */
  readonly host?: string;
  readonly provider?: ProviderInfo;
}

function normalizeHost(h: string): string {
  return h.trim().replace(/\/+$/, '').toLowerCase();
}

/** The provider configuration and docker host a container (or provider key) runs on. */
export function hostOf(model: CustodyModel, stack: string, providerKey: string): HostInfo {
  const provider = model.providers.find((p) => p.stack === stack && p.key === providerKey);
  const raw = provider?.values.host;
  let host: string | undefined;
  if (raw === undefined) host = DEFAULT_DOCKER_HOST;
  else if (literal(raw) !== undefined) host = normalizeHost(literal(raw) as string);
  return { stack, providerKey, host, provider };
}

/** Whether two hosts are the same provider configuration, or point at the same known host. */
export function sameHost(a: HostInfo, b: HostInfo): 'provider' | 'host' | undefined {
  if (a.stack === b.stack && a.providerKey === b.providerKey) return 'provider';
  if (a.host !== undefined && b.host !== undefined && a.host === b.host) return 'host';
  return undefined;
}

/**
 * The host a manifest drill's `dockerProvider` (`docker.scratch` or `stack/docker.scratch`)
 * names. Without a stack, the manifest's stack is tried first, then a unique declaration in
 * any stack; a provider declared nowhere has an unknown host.
 */
export function resolveProviderRef(model: CustodyModel, ref: string, defaultStack: string): HostInfo {
  const i = ref.lastIndexOf('/');
  const key = (i >= 0 ? ref.slice(i + 1) : ref).replace(/^\$\{/, '').replace(/\}$/, '');
  if (i >= 0) return hostOf(model, ref.slice(0, i), key);
  const declared = model.providers.filter((p) => p.key === key);
  const own = declared.find((p) => p.stack === defaultStack);
  if (own) return hostOf(model, own.stack, key);
  if (declared.length === 1) return hostOf(model, declared[0].stack, key);
  return { stack: defaultStack, providerKey: key, host: undefined };
}
