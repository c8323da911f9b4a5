import { resolve } from 'node:path';
import { fingerprintPrefix, keyFingerprint } from '../policy/fingerprint';
import { generateKeyText, keyFileOwnerOf, type AppProfile } from '../profiles';
import { ageEncrypt, checkRecipients } from './age';
import { prepareAwsHot, type AwsHotOptions, type AwsHotTarget, type AwsHotWrite } from './aws-hot';
import { CeremonyError } from './errors';
import { checkTarget, commit, discard, ensureFolder, stage, type StagedFile } from './files';
import { offsiteTarget, uploadOffsite, type S3Options } from './offsite';
import { paperSheet } from './paper';
import { readCopiesRecord, renderCopiesRecord, withCopies, type RecordedCopy } from './record';

/** A cold copy: an age-encrypted file, and the medium it is on (for the 3-2-1 count). */
export interface ColdTarget {
  readonly path: string;
  /** `disk` (default), `nas`, `usb`, ... */
  readonly medium?: string;
}

/** What `key-custody keygen` is asked to make. */
export interface KeygenOptions {
  readonly profile: AppProfile;
  /** The key id (`custody:key`) the copies belong to. */
  readonly keyId: string;
  /** @default 1 */
  readonly generation?: number;
  /** The hot copy as a file on this host. */
  readonly hot?: string;
  /** The hot copy in AWS, written with the SDK: a Secrets Manager secret (ARN or name) or an SSM SecureString parameter. */
  readonly hotAws?: AwsHotTarget;
  /** Region, endpoint and (tests) clients of the AWS hot copy. */
  readonly aws?: AwsHotOptions;
  /** Mode of the hot copy, `0o400` or `0o600` (only where the profile accepts it). @default 0o400 */
  readonly hotMode?: number;
  /**
   * Owner of the hot copy file: the MasterKey's hotCopy owner and group.
   * @default - the profile's image user (zitadel: 1000:1000), else root
   */
  readonly hotOwner?: { readonly uid: number; readonly gid: number };
  /** Characters in the key; a hex profile takes 64 or 32. @default the profile's `encoding.length` */
  readonly length?: number;
  readonly cold?: readonly ColdTarget[];
  /** age recipients of the cold and offsite copies. */
  readonly recipients?: readonly string[];
  /** `s3://bucket[/prefix]`. */
  readonly offsite?: string;
  readonly s3?: S3Options;
  /** The paper sheet, an HTML file. */
  readonly paper?: string;
  /** The copies record (JSON) to add to. */
  readonly record?: string;
  /** Replace existing copies at the given paths. */
  readonly force?: boolean;
  /** `YYYY-MM-DD`; default today (UTC). */
  readonly today?: string;
}

export interface KeygenResult {
  readonly fingerprint: string;
  readonly copies: readonly RecordedCopy[];
  /** Things that are done but need the operator (ownership, printing). */
  readonly notes: readonly string[];
}

const KEY_ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;

function validate(o: KeygenOptions): void {
  if (!KEY_ID.test(o.keyId)) throw new CeremonyError(`--key-id ${JSON.stringify(o.keyId)} is not a key id; use the MasterKey's keyId, lower-case letters, digits, ".", "_", "-", e.g. zitadel-prod`);
  const g = o.generation ?? 1;
  if (!Number.isInteger(g) || g < 1) throw new CeremonyError(`--generation ${g} is not a generation; give a whole number from 1 (the MasterKey's generation)`);
  const hotMode = o.hotMode ?? 0o400;
  if (hotMode !== 0o400 && hotMode !== 0o600) throw new CeremonyError(`--hot-mode 0${hotMode.toString(8)} is not owner-only; use 0400 (or 0600 where the app's runbook asks for it)`);
  if (hotMode === 0o600 && !(o.profile.fileModes ?? ['0400']).includes('0600')) {
    throw new CeremonyError(`--hot-mode 0600: the ${o.profile.name} runbook wants the key file 0400 (read-only); leave --hot-mode out`);
  }
  if (o.hot === undefined && o.hotAws === undefined) throw new CeremonyError('give the hot copy: --hot <file>, --hot-secret <arn|name> or --hot-parameter <name>');
  const cold = o.cold ?? [];
  if ((cold.length > 0 || o.offsite) && (o.recipients ?? []).length === 0) {
    throw new CeremonyError(`${cold.length > 0 ? '--cold' : '--offsite'} copies are age-encrypted: give at least one --recipient age1... (the public key \`age-keygen -y\` prints)`);
  }
  const paths = [...(o.hot ? [o.hot] : []), ...cold.map((c) => c.path), ...(o.paper ? [o.paper] : []), ...(o.record ? [o.record] : [])].map((p) => resolve(p));
  const dup = paths.find((p, i) => paths.indexOf(p) !== i);
  if (dup) throw new CeremonyError(`${dup} is given twice; every copy needs its own file`);
}

function lengthOf(o: KeygenOptions): number {
  const e = o.profile.encoding;
  const n = o.length ?? e.length;
  const allowed = e.kind === 'hex' ? (e.accepted ?? [e.length]) : [e.length];
  if (!allowed.includes(n)) throw new CeremonyError(`a ${o.profile.name} key is ${allowed.join(' or ')} characters; --key-format asked for ${n}`);
  return n;
}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/**
 * The key ceremony: make a key from the CSPRNG in the profile's format, write its hot copy
 * (owner-only, in a 0700 folder, no trailing newline), its age-encrypted cold copies, its
 * offsite copy in the key-backup bucket, its paper sheet, and add them to the copies record.
 *
 * Everything that can be refused is checked before the key exists. Every file is written to a
 * temporary file first and renamed into place only when all copies (the upload included) are
 * ready: a failure leaves no partial copy. The key never leaves this function except in the
 * copies themselves; the result carries only the fingerprint.
 */
export async function keygen(o: KeygenOptions): Promise<KeygenResult> {
  validate(o);
  const generation = o.generation ?? 1;
  const length = lengthOf(o);
  const force = o.force === true;
  const hot = o.hot !== undefined ? resolve(o.hot) : undefined;
  const cold = (o.cold ?? []).map((c) => ({ path: resolve(c.path), medium: c.medium ?? 'disk' }));
  const paper = o.paper ? resolve(o.paper) : undefined;
  const recordPath = o.record ? resolve(o.record) : undefined;
  const recipients = [...(o.recipients ?? [])];
  const target = o.offsite ? offsiteTarget(o.offsite, o.keyId, generation) : undefined;
  const date = o.today ?? todayUtc();

  if (hot) checkTarget(hot, force, 'the hot copy');
  for (const c of cold) checkTarget(c.path, force, 'the cold copy');
  if (paper) checkTarget(paper, force, 'the paper sheet');
  const record = recordPath ? readCopiesRecord(recordPath) : undefined;
  if (recipients.length > 0) await checkRecipients(recipients);
  if (hot) ensureFolder(hot, true);
  for (const c of cold) ensureFolder(c.path, false);
  if (paper) ensureFolder(paper, true);
  if (recordPath) ensureFolder(recordPath, false);

  // Checked last of all (it asks AWS), closed whatever happens.
  const cloud: AwsHotWrite | undefined = o.hotAws ? await prepareAwsHot(o.hotAws, force, o.aws ?? {}) : undefined;
  const key = generateKeyText(o.profile.encoding, length);
  const staged: StagedFile[] = [];
  const done: StagedFile[] = [];
  try {
    const fingerprint = keyFingerprint(key);
    const copy = (kind: RecordedCopy['kind'], medium: string, location: string, offsite: boolean, encrypted: boolean): RecordedCopy => ({
      key: o.keyId,
      app: o.profile.name,
      generation,
      kind,
      medium,
      location,
      offsite,
      fingerprint,
      date,
      encryption: encrypted ? 'age' : 'plain',
      ...(encrypted ? { recipients } : {}),
    });
    const copies: RecordedCopy[] = [];
    if (hot) copies.push(copy('hot', 'host-file', hot, false, false));
    if (cloud) copies.push(copy('hot', cloud.medium, cloud.location, false, false));

    const owner = o.hotOwner ?? keyFileOwnerOf(o.profile);
    const uid = process.getuid?.();
    // Only root can give a file away; run as another user, keygen says what to run instead.
    const hotFile = hot ? stage(hot, key, o.hotMode ?? 0o400, force, uid === 0 ? owner : undefined) : undefined;
    if (hotFile) staged.push(hotFile);
    const sealed = recipients.length > 0 ? await ageEncrypt(key, recipients) : undefined;
    for (const c of cold) {
      staged.push(stage(c.path, sealed as Uint8Array, 0o600, force));
      copies.push(copy('cold', c.medium, c.path, false, true));
    }
    if (paper) {
      const sheet = paperSheet(key, {
        app: o.profile.name,
        keyId: o.keyId,
        generation,
        date,
        fingerprint,
        hotPath: hot,
        length,
        owner: `${owner.uid}:${owner.gid}`,
        mode: `0${(o.hotMode ?? 0o400).toString(8)}`,
      });
      staged.push(stage(paper, sheet, 0o600, force));
      sheet.fill(0);
      copies.push(copy('paper', 'paper', `safe (sheet ${paper})`, true, false));
    }
    if (target) copies.push(copy('offsite', 's3', `s3://${target.bucket}/${target.key}`, true, true));
    const recordFile = record && recordPath ? stage(recordPath, Buffer.from(renderCopiesRecord(withCopies(record, copies))), 0o644, true) : undefined;
    if (recordFile) staged.push(recordFile);

    if (target) await uploadOffsite(target, sealed as Uint8Array, o.s3 ?? {});

    // The hot copies go in last: with --force they replace the running key only when every other copy is in place.
    const put = (s: StagedFile) => {
      commit(s);
      done.push(s);
    };
    for (const s of staged.filter((s) => s !== hotFile && s !== recordFile)) put(s);
    if (hotFile) put(hotFile);
    if (cloud) await cloud.put(key);
    if (recordFile) put(recordFile);
    const notes: string[] = [];
    const wanted = owner.uid === 0 && owner.gid === 0 ? 'root:root' : `${owner.uid}:${owner.gid}`;
    if (hot && uid !== undefined && uid !== 0) {
      notes.push(`the hot copy belongs to uid ${uid}; the ${o.profile.name} key file must belong to ${wanted}: as root, \`chown ${wanted} ${hot}\` (and \`chown root:root\` its folder)`);
    } else if (hot && wanted !== 'root:root') {
      notes.push(`the hot copy belongs to ${wanted}${o.profile.runsAs?.uid === owner.uid ? `, the user the ${o.profile.name} image runs as (${o.profile.runsAs.user}), so that the app can read it` : ''}; its folder stays root's (0700)`);
    }
    if (paper) notes.push(`print ${paper}, seal it, store it in the safe, then delete the file (it holds the key in clear text)`);
    notes.push(`fingerprint ${fingerprintPrefix(fingerprint)}: set fingerprint: "${fingerprint}" on the MasterKey ${o.keyId}, generation ${generation}`);
    return { fingerprint, copies, notes };
  } catch (e) {
    // Nothing half-made stays: the temporaries go, and copies already renamed into place are
    // removed again (new files only: a replaced file cannot be brought back).
    for (const s of staged) if (!done.includes(s)) discard(s);
    for (const s of done) if (!s.replace) discard({ ...s, temp: s.final });
    throw e;
  } finally {
    key.fill(0);
    cloud?.close();
  }
}
