/**
 * Key rotation as data: the generations of one master key, which of them the app runs
 * with, and how each profile switches over. The constructs ({@link MasterKey},
 * {@link ProtectedAppContainer}, {@link ProtectedAppService}, the rotation runbook) share
 * these pure functions so that the manifest, the container and the runbook cannot
 * disagree about which file is the key.
 */
import { keyArguments, secretPath, type AppProfile, type KeyRotation } from '../../profiles';
import { addDays, formatDate, parseDate } from '../../policy/dates';
import { RETENTION_MARGIN_DAYS } from '../../policy/limits';
import { noActiveGeneration, notABackupDate, oldKeyFileNeedsFlag } from '../errors';

/** Lifecycle of one generation: see {@link KeyGeneration.state}. */
export type GenerationState = 'active' | 'rotating' | 'retired';

/** One generation of a master key, as the construct resolved it. */
export interface KeyGeneration {
  /** Generation number; a rotated key gets the next one. */
  readonly generation: number;
  /**
   * `active`: the key new data is encrypted with (exactly one generation).
   * `rotating`: introduced but not yet the only key: its backups are being made and the
   * app switches over (Zitadel v5: runs with it and the old key; ServOS/ACT: still runs
   * with the active one until the API call and the user's switch to `active`).
   * `retired`: no longer encrypts anything new; kept while DB backups made with it are kept.
   */
  readonly state: GenerationState;
  /** Host file of this generation's hot copy, when it has one. */
  readonly hostPath?: string;
  /** SHA-256 of the key file, lower-case hex. */
  readonly fingerprint?: string;
  /** `YYYY-MM-DD` the generation stopped encrypting new data (retired generations). */
  readonly retiredOn?: string;
  /** `YYYY-MM-DD` until which the generation and its backups must be kept; undefined = indefinitely. */
  readonly keepUntil?: string;
  /** Terraform address of the resource that proves the offsite backup exists, in the key's stack. */
  readonly offsiteObject?: string;
  /** This generation's declared copies outside Terraform (its hot file excluded). */
  readonly copies: readonly { readonly kind: string; readonly medium: string; readonly location: string; readonly offsite: boolean }[];
}

/** True when a generation declares an offsite copy: one marked offsite, one in S3, or an offsite object. */
export function hasOffsiteCopy(g: KeyGeneration): boolean {
  return g.offsiteObject !== undefined || g.copies.some((c) => c.offsite || c.medium === 's3');
}

/** One read-only key file mount: the host file, where the app sees it, and the generation it holds. */
export interface KeyMount {
  readonly source: string;
  readonly target: string;
  readonly generation: number;
}

/** What a container mounts and how it tells the app, for the current rotation state. */
export interface SwitchOver {
  /** Mounts, each read-only, the key the app must use first. */
  readonly mounts: readonly KeyMount[];
  /** Arguments appended after the command (flag profiles). */
  readonly command: readonly string[];
  /** Environment entries (variable profiles): paths only. */
  readonly env: Readonly<Record<string, string>>;
  /** One line for messages and the runbook. */
  readonly how: string;
}

/** The earliest `keepUntil` KC022 accepts: retiredOn + DB retention + 30 days margin. */
export function earliestKeepUntil(retiredOn: string, dbRetentionDays: number): string | undefined {
  const t = parseDate(retiredOn);
  return t === undefined ? undefined : formatDate(addDays(t, dbRetentionDays + RETENTION_MARGIN_DAYS));
}

/** The generation new data is encrypted with. */
export function activeOf(gens: readonly KeyGeneration[]): KeyGeneration {
  const a = gens.find((g) => g.state === 'active');
  if (!a) throw noActiveGeneration();
  return a;
}

/** The generation being introduced, if any. */
export function rotatingOf(gens: readonly KeyGeneration[]): KeyGeneration | undefined {
  return gens.find((g) => g.state === 'rotating');
}

/**
 * The generation that restores a DB backup taken on `backupDate`: the oldest retired
 * generation retired on or after that day, else the active one. A backup taken on a
 * switch-over day is attributed to the generation retired that day (nightly backups run
 * before a daytime switch-over); drill with a backup from another day to be sure.
 * While a generation rotates, backups taken since the rotation began may need it too
 * (Zitadel v5 re-encrypts on read, so such a backup needs both keys).
 */
export function generationForDate(gens: readonly KeyGeneration[], backupDate: string | Date): KeyGeneration {
  const day = typeof backupDate === 'string' ? backupDate : formatDate(backupDate.getTime());
  const t = parseDate(day);
  if (t === undefined) throw notABackupDate(backupDate);
  const retired = gens.filter((g) => g.state === 'retired' && g.retiredOn !== undefined).sort((a, b) => a.generation - b.generation);
  for (const g of retired) {
    const r = parseDate(g.retiredOn as string);
    if (r !== undefined && t <= r) return g;
  }
  return activeOf(gens);
}

/**
 * Why a profile cannot rotate, or undefined when it can. Zitadel v4's message is the
 * seeds' fresh-instance migration, so the engineer sees the way out at construction.
 */
export function rotationRefusal(profile: AppProfile, keyId: string, runbook: string): string | undefined {
  const r: KeyRotation | undefined = profile.rotation;
  if (r === undefined) {
    return (
      `profile "${profile.name}" does not say how the app switches to a new key, so a second generation cannot be wired safely; ` +
      'give the profile a rotation (genericProfile({ ..., rotation: { kind: "api", ... } }) or { kind: "old-key-file", oldKeyFileFlag }), ' +
      `or migrate to a new key id as a fresh instance (steps in ${runbook})`
    );
  }
  if (r.kind !== 'unsupported') return undefined;
  const steps = r.migration.map((s, i) => `(${i + 1}) ${s}`).join('; ');
  return (
    `profile "${profile.name}" cannot rotate its master key in place (Zitadel v4 has no live rotation); ` +
    `rotate by migrating to a fresh instance instead: ${steps}. ` +
    `Keep key "${keyId}" as a single active generation, declare the new instance's key as a new MasterKey, and follow ${runbook} ` +
    '(generated next to the stack\'s cdk.tf.json on every synth). Or upgrade to Zitadel v5 (profile "zitadel-v5"), which rotates with the old key passed by path'
  );
}

/** Name of the old key's file inside the container: `<secretName>-old`. */
export function oldSecretName(profile: AppProfile, secretName?: string): string {
  return `${secretName ?? profile.secretName}-old`;
}

/**
 * Which files the app mounts and how it is told, given the generations:
 *
 * - no generation rotating: the active generation's file, as before rotation existed;
 * - `old-key-file` (Zitadel v5+) while rotating: the rotating generation's file as the key
 *   and the active one's as the old key, both read-only and both BY PATH;
 * - `api` (ServOS/ACT) while rotating: still the active generation's file; the app
 *   switches when the user marks the new generation active (after the API call).
 *
 * `hostPathOf` returns a generation's host file or throws the construct's error.
 */
export function switchOver(
  profile: AppProfile,
  gens: readonly KeyGeneration[],
  hostPathOf: (g: KeyGeneration) => string,
  secretName?: string,
): SwitchOver {
  const target = secretPath(profile, secretName);
  const active = activeOf(gens);
  const rotating = rotatingOf(gens);
  const single = (g: KeyGeneration): SwitchOver => {
    const args = keyArguments(profile, target);
    const how = profile.passing.kind === 'flag' ? `${profile.passing.flag} ${target}` : `${profile.passing.variable}=${target}`;
    return { mounts: [{ source: hostPathOf(g), target, generation: g.generation }], command: args.command, env: args.env, how };
  };
  if (!rotating || profile.rotation?.kind !== 'old-key-file') return single(active);
  if (profile.passing.kind !== 'flag') {
    throw oldKeyFileNeedsFlag(profile.name);
  }
  const oldTarget = secretPath(profile, oldSecretName(profile, secretName));
  const flag = profile.passing.flag;
  const oldFlag = profile.rotation.oldKeyFileFlag;
  return {
    mounts: [
      { source: hostPathOf(rotating), target, generation: rotating.generation },
      { source: hostPathOf(active), target: oldTarget, generation: active.generation },
    ],
    command: [flag, target, oldFlag, oldTarget],
    env: {},
    how: `${flag} ${target} (generation ${rotating.generation}) ${oldFlag} ${oldTarget} (generation ${active.generation})`,
  };
}
