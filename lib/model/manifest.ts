import type {
  CustodyRole,
  Manifest,
  ManifestAdoptedStore,
  ManifestCopy,
  ManifestDrill,
  ManifestGeneration,
  ManifestKey,
  ManifestSuppression,
  TfResource,
} from './types';

/**
 * The custody manifest is a `terraform_data` resource whose `input` carries this kind.
 * Being a resource (not only an output) puts it in `terraform show -json` as planned
 * values, so reviewers and the CLI see the same declarations the synth-time check saw.
 */
export const MANIFEST_KIND = 'cdktf-key-custody/manifest';
export const MANIFEST_VERSION = 1;

/** The JSON the manifest resource carries in `input`. */
export interface ManifestInput {
  readonly kind: typeof MANIFEST_KIND;
  readonly version: number;
  readonly keys: readonly ManifestKey[];
  readonly drills: readonly ManifestDrill[];
  readonly suppressions: readonly ManifestSuppression[];
  readonly adoptedStores: readonly ManifestAdoptedStore[];
}

function arr<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function numOf(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Read a manifest out of a `terraform_data` resource, or undefined if it is not one. */
export function readManifest(r: TfResource): Manifest | undefined {
  if (r.type !== 'terraform_data') return undefined;
  const input = obj(r.values.input);
  if (!input || input.kind !== MANIFEST_KIND) return undefined;
  return {
    stack: r.stack,
    address: r.address,
    keys: arr<unknown>(input.keys).map(readKey).filter((k): k is ManifestKey => !!k),
    drills: arr<unknown>(input.drills).map(readDrill).filter((d): d is ManifestDrill => !!d),
    suppressions: arr<unknown>(input.suppressions)
      .map(readSuppression)
      .filter((s): s is ManifestSuppression => !!s),
    adoptedStores: arr<unknown>(input.adoptedStores)
      .map((a): ManifestAdoptedStore | undefined => {
        const o = obj(a);
        const address = str(o?.address);
        const role = str(o?.role) as CustodyRole | undefined;
        return address && role ? { address, role, key: str(o?.key), app: str(o?.app), retentionDays: numOf(o?.retentionDays) } : undefined;
      })
      .filter((a): a is ManifestAdoptedStore => !!a),
  };
}

function readCopy(v: unknown): ManifestCopy | undefined {
  const o = obj(v);
  if (!o) return undefined;
  return {
    kind: str(o.kind) ?? 'copy',
    medium: str(o.medium) ?? 'unknown',
    location: str(o.location) ?? '',
    offsite: o.offsite === true,
    custodian: str(o.custodian),
    generation: numOf(o.generation),
    fingerprint: str(o.fingerprint),
    date: str(o.date),
    evidence: o.evidence === 'keygen' ? 'keygen' : undefined,
  };
}

function readKey(v: unknown): ManifestKey | undefined {
  const o = obj(v);
  const id = str(o?.id);
  if (!o || !id) return undefined;
  const hf = obj(o.hostFile);
  return {
    id,
    app: str(o.app) ?? id,
    profile: str(o.profile),
    fingerprint: str(o.fingerprint),
    hostPath: str(o.hostPath),
    hostFile: hf
      ? {
          path: str(hf.path) ?? '',
          mode: str(hf.mode) ?? '',
          owner: str(hf.owner) ?? '',
          group: str(hf.group) ?? '',
          dirMode: str(hf.dirMode) ?? '',
          deployCheck: hf.deployCheck === true,
          modes: Array.isArray(hf.modes) ? hf.modes.filter((m): m is string => typeof m === 'string') : undefined,
          appUser: str(hf.appUser),
        }
      : undefined,
    copies: arr<unknown>(o.copies).map(readCopy).filter((c): c is ManifestCopy => !!c),
    generations: Array.isArray(o.generations)
      ? o.generations.map(readGeneration).filter((g): g is ManifestGeneration => !!g)
      : undefined,
    dbRetentionDays: numOf(o.dbRetentionDays),
  };
}

function readGeneration(v: unknown): ManifestGeneration | undefined {
  const o = obj(v);
  const generation = numOf(o?.generation);
  const state = str(o?.state);
  if (!o || generation === undefined || (state !== 'active' && state !== 'rotating' && state !== 'retired')) return undefined;
  return {
    generation,
    state,
    retiredOn: str(o.retiredOn),
    keepUntil: str(o.keepUntil),
    fingerprint: str(o.fingerprint),
    hostPath: str(o.hostPath),
    copies: arr<unknown>(o.copies).map(readCopy).filter((c): c is ManifestCopy => !!c),
    offsiteObject: str(o.offsiteObject),
  };
}

function readDrill(v: unknown): ManifestDrill | undefined {
  const o = obj(v);
  const id = str(o?.id);
  const keyId = str(o?.key);
  if (!o || !id || !keyId) return undefined;
  return {
    id,
    key: keyId,
    schedule: str(o.schedule),
    timezone: str(o.timezone),
    intervalDays: numOf(o.intervalDays),
    restoreAgeDays: numOf(o.restoreAgeDays),
    keySource: str(o.keySource),
    keySourcePath: str(o.keySourcePath),
    dockerProvider: str(o.dockerProvider),
    alarm: typeof o.alarm === 'boolean' ? o.alarm : undefined,
    log: typeof o.log === 'boolean' ? o.log : undefined,
    nextRun: str(o.nextRun),
    stalenessDays: numOf(o.stalenessDays),
    lastPassedOn: str(o.lastPassedOn),
    drillLog: str(o.drillLog),
  };
}

function readSuppression(v: unknown): ManifestSuppression | undefined {
  const o = obj(v);
  const id = str(o?.id);
  const reason = str(o?.reason);
  if (!o || !id || reason === undefined) return undefined;
  return { id, reason, owner: str(o.owner), expires: str(o.expires), scope: str(o.scope) ?? '' };
}
