import type { DataAwsS3Objects } from '@cdktf/provider-aws/lib/data-aws-s3-objects';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import type { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import type { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { TAG_APP, TAG_KEY, TAG_ROLE, type ManifestCopy, type ManifestGeneration, type ManifestKey } from '../../model/types';
import { BUILT_IN_PROFILES, keyFileOwnerOf, type AppProfile } from '../../profiles';
import { generationWithoutHostFile, grantReadNotArn, grantReadOnHostFile, keyFileModeNotAllowed, noSuchGeneration, offsiteObjectInOtherStack, rotationRefused } from '../errors';
import { CustodyManifest } from '../manifest/custody-manifest';
import { brand, isResource } from '../../synth/identity';
import { recordGrant } from '../../synth/sources';
import { masterKeySchema } from '../props';
import { activeOf, earliestKeepUntil, generationForDate, rotatingOf, rotationRefusal, type KeyGeneration } from './rotation';
import { RotationRunbook, rotationRunbookFileName } from './rotation-runbook';
import { parseProps } from '../validation';
import { offsiteCheck, type KeyCopyDeclaration, type OffsiteBackupProps, type PreviousKeyGeneration } from './generations';
import { TOKEN_RE, type HotCopy } from './hot-copy';
import { buildParameter, buildSecret } from './stores';
import { mergeRecorded, recordedCopies } from './copies-record';

/** Props of {@link MasterKey}. */
export interface MasterKeyProps {
  /** Stable id of the key, written into the `custody:key` tag of every related resource in every stack. */
  readonly keyId: string;
  /** The app the key belongs to: a profile, or the name of a built-in (`zitadel`, `servos`, `act`). */
  readonly profile: AppProfile | string;
  /**
   * Value of the `custody:app` tag.
   * @default - the profile's name
   */
  readonly app?: string;
  /** Where the key lives while the app runs. */
  readonly hotCopy: HotCopy;
  /**
   * Copies Terraform does not manage (age-encrypted cold copy, paper in a safe).
   * @default - none; the custody check then reports a 3-2-1 violation (KC020)
   */
  readonly copies?: readonly KeyCopyDeclaration[];
  /**
   * Generation of the key; a rotated key gets the next number.
   * @default 1
   */
  readonly generation?: number;
  /**
   * Fingerprint of the key: the `kcfp1:<salt>:<hash>` value `key-custody keygen` prints and
   * records (a salted scrypt hash that does not let its readers test guesses of the key
   * cheaply; `key-custody verify-key <file> --fingerprint <value>` checks a copy against it).
   * A SHA-256 of the key file (64 hex characters, as `sha256sum` prints it) is still accepted,
   * but anyone who reads it can test guesses of the key offline: prefer `kcfp1`.
   * @default - none recorded
   */
  readonly fingerprint?: string;
  /**
   * State of the generation `hotCopy`, `copies` and `fingerprint` describe. `rotating`
   * introduces it next to an `active` previous generation: Zitadel v5 then runs with both
   * keys; ServOS/ACT keep running with the active one until you call the rotation API and
   * mark this generation `active` (which KC025 allows only once its own 3-2-1 copies,
   * offsite included, exist). Zitadel v4 cannot rotate: see the refusal message.
   * @default 'active'
   */
  readonly state?: 'active' | 'rotating';
  /**
   * This generation's offsite backup (see {@link OffsiteBackupProps}).
   * @default - none
   */
  readonly offsiteBackup?: OffsiteBackupProps;
  /**
   * Older generations, newest first: the one still active while this one rotates, and
   * retired ones whose backups are still kept.
   * @default - none: the key has one generation
   */
  readonly previousGenerations?: readonly PreviousKeyGeneration[];
  /**
   * Longest time DB backups encrypted with this key are kept, in days. Written into the
   * manifest for KC022, and the default `keepUntil` of retired generations derives from it.
   * @default - not declared: KC022 reads the retention of the key's DB-backup buckets
   */
  readonly dbRetentionDays?: number;
  /**
   * Write `rotation-runbook-<keyId>.md` next to the stack's `cdk.tf.json`: the profile's
   * exact rotation (or migration) steps for this key.
   * @default true
   */
  readonly rotationRunbook?: boolean;
  /**
   * The copies record `key-custody keygen --manifest <file>` wrote (path relative to the
   * directory synth runs in). Its copies of this key go into the manifest with their
   * evidence (fingerprint, date), and its fingerprint is the key's when `fingerprint` is
   * not given. It holds no key material: commit it next to the stack.
   * @default - none: only the declared copies are known
   */
  readonly copiesRecord?: string;
}

/** Mutable view of the manifest's host-file declaration, so the container can record its deploy check. */
interface HostFileDecl {
  path: string;
  mode: string;
  owner: string;
  group: string;
  dirMode: string;
  deployCheck: boolean;
  /** The owner-only modes the app's runbook allows when more than 0400 (KC005 accepts these). */
  modes?: string[];
  /** `uid:gid` the app containers run as, recorded by them: a non-root owner must be it. */
  appUser?: string;
}

/**
 * One master key of one app: where its hot copy lives, which copies exist outside
 * Terraform, its generation and fingerprint. Key material never passes through here:
 * for a host file Terraform only declares the file; for a cloud store the value arrives
 * through a write-only argument from an {@link EphemeralKeyInput}, or out of band.
 *
 * Everything is written into the stack's custody manifest, which is what the custody
 * rules (3-2-1, drills, mounts) read.
 */
export class MasterKey extends Construct {
  /** The key id (`custody:key`). */
  public readonly keyId: string;
  /** The app (`custody:app`). */
  public readonly app: string;
  /** The app profile. */
  public readonly profile: AppProfile;
  /** The key's generation. */
  public readonly generation: number;
  /** The key's fingerprint (`kcfp1:...`, or a legacy SHA-256), lower case, when given. */
  public readonly fingerprint?: string;
  /** Kind of the hot copy. */
  public readonly hotCopyKind: HotCopy['kind'];
  /**
   * Host path containers bind-mount the key from: the host file, or the path a cloud
   * hot copy is materialised at. Undefined when a cloud hot copy has no `hostPath`.
   */
  public readonly hotCopyPath?: string;
  /** The Secrets Manager secret, for a `secrets-manager` hot copy. */
  public readonly secret?: SecretsmanagerSecret;
  /** The SSM parameter, for an `ssm` hot copy. */
  public readonly parameter?: SsmParameter;
  /** The store's own KMS key, for cloud hot copies. */
  public readonly kmsKey?: KmsKey;
  /** The write-only value version resource, when Terraform writes the value. */
  public readonly secretVersion?: SecretsmanagerSecretVersion;
  /** State of generation {@link generation} (the one `hotCopy` describes). */
  public readonly state: 'active' | 'rotating';
  /**
   * Every generation, newest first: {@link generation} and the previous ones. A key
   * without rotation has one, active.
   */
  public readonly generations: readonly KeyGeneration[];
  /** Declared DB-backup retention in days, when given. */
  public readonly dbRetentionDays?: number;
  /** The plan-time checks of offsite backups, by generation (opt-in through `offsiteBackup.verify`). */
  public readonly offsiteChecks: ReadonlyMap<number, DataAwsS3Objects>;
  /** The rotation runbook, unless disabled. */
  public readonly rotationRunbook?: RotationRunbook;
  /** Mode of the host key file (`0400`, or `0600` where the profile allows it). */
  public readonly keyFileMode: '0400' | '0600';
  /** Modes the deploy-time check accepts: the owner-only modes the profile's runbook allows. */
  public readonly keyFileModes: readonly ('0400' | '0600')[];
  /** Numeric owner of the host key file: root, or the user the app runs as (Zitadel: 1000:1000). */
  public readonly keyFileOwner: { readonly uid: number; readonly gid: number };

  private readonly readers: string[] = [];
  private readonly hostFile?: HostFileDecl;
  private readonly storeName?: string;

  constructor(scope: Construct, id: string, props: MasterKeyProps) {
    super(scope, id);
    brand(this, 'MasterKey');
    const p = parseProps(
      'MasterKey',
      this,
      masterKeySchema(),
      props,
      'see MasterKeyProps: keyId, profile ("zitadel" | "servos" | "act" | genericProfile(...)), hotCopy: { kind: "host-file", path: "/etc/<app>/masterkey" }, { kind: "secrets-manager", readers } or { kind: "ssm", name, readers } (a cloud value is written by `key-custody keygen --hot-secret/--hot-parameter`, or through an EphemeralKeyInput as value)',
    );
    this.keyId = p.keyId;
    this.profile = typeof props.profile === 'string' ? BUILT_IN_PROFILES[props.profile] : props.profile;
    this.app = p.app ?? this.profile.name;
    this.generation = p.generation ?? 1;
    this.fingerprint = p.fingerprint?.toLowerCase();
    this.hotCopyKind = p.hotCopy.kind;
    this.state = p.state ?? 'active';
    this.dbRetentionDays = p.dbRetentionDays;
    const previous = props.previousGenerations ?? [];
    const rotates = previous.length > 0 || this.state === 'rotating';
    if (rotates) {
      const refusal = rotationRefusal(this.profile, this.keyId, rotationRunbookFileName(this.keyId));
      if (refusal) throw rotationRefused(this, refusal);
    }

    const manifest = CustodyManifest.of(this);
    const copies: ManifestCopy[] = [];
    const hot = props.hotCopy;

    const hostPath = hot.kind === 'host-file' ? hot.path : hot.hostPath;
    this.keyFileModes = this.profile.fileModes ?? ['0400'];
    this.keyFileMode = (hot.kind === 'host-file' ? hot.mode : undefined) ?? this.keyFileModes[0];
    if (!this.keyFileModes.includes(this.keyFileMode)) throw keyFileModeNotAllowed(this, this.profile.name, this.keyFileMode, this.keyFileModes);
    const byDefault = keyFileOwnerOf(this.profile);
    const runsAs = this.profile.runsAs;
    const numeric = (v: 'root' | number | undefined, fallback: number) => (v === undefined ? fallback : v === 'root' ? 0 : v);
    this.keyFileOwner = hot.kind === 'host-file' ? { uid: numeric(hot.owner, byDefault.uid), gid: numeric(hot.group, byDefault.gid) } : byDefault;
    if (hostPath !== undefined) {
      this.hotCopyPath = hostPath;
      const name = (n: number) => (n === 0 ? 'root' : String(n));
      this.hostFile = {
        path: hostPath,
        mode: this.keyFileMode,
        owner: name(this.keyFileOwner.uid),
        group: name(this.keyFileOwner.gid),
        dirMode: '0700',
        deployCheck: false,
        ...(this.keyFileModes.some((m) => m !== '0400') ? { modes: [...this.keyFileModes] } : {}),
        // The profile says its image runs as this user: the app is who reads a file it owns.
        ...(runsAs && runsAs.uid === this.keyFileOwner.uid && runsAs.gid === this.keyFileOwner.gid && runsAs.uid !== 0 ? { appUser: this.keyFileUser } : {}),
      };
    }
    if (hot.kind === 'host-file') {
      // The host file is a copy in its own right; a cloud store is counted from its tags.
      copies.push({ kind: 'hot', medium: 'host-file', location: hot.path, offsite: false, generation: this.generation });
    } else {
      this.readers.push(...hot.readers);
      if (hot.kind === 'secrets-manager') {
        const res = buildSecret(this, this.readers, hot);
        this.kmsKey = res.kmsKey;
        this.storeName = res.storeName;
        this.secret = res.secret;
        this.secretVersion = res.version;
      } else {
        const res = buildParameter(this, this.readers, hot);
        this.kmsKey = res.kmsKey;
        this.storeName = res.storeName;
        this.parameter = res.parameter;
      }
    }

    const recorded = p.copiesRecord !== undefined ? recordedCopies(this, this.keyId, p.copiesRecord) : [];
    const declared = (list: readonly KeyCopyDeclaration[] | undefined, generation: number): ManifestCopy[] =>
      mergeRecorded(
        (list ?? []).map((c) => ({ kind: c.kind, medium: c.medium, location: c.location, offsite: c.offsite ?? false, custodian: c.custodian, generation, fingerprint: c.fingerprint?.toLowerCase(), date: c.date })),
        recorded.filter((c) => c.generation === generation && !(c.medium === 'host-file' && c.location === hostPath && generation === this.generation)),
      );
    if (recorded.length > 0 && copies[0]?.kind === 'hot') copies[0] = mergeRecorded([copies[0]], recorded.filter((c) => c.generation === this.generation))[0];
    this.fingerprint ??= recorded.find((c) => c.generation === this.generation && c.fingerprint)?.fingerprint;
    const own = declared(props.copies, this.generation);
    copies.push(...own);

    const offsiteChecks = new Map<number, DataAwsS3Objects>();
    const offsiteOf = (o: OffsiteBackupProps | undefined, generation: number): string | undefined => {
      if (!o) return undefined;
      let address: string | undefined;
      if (o.verify) {
        const check = offsiteCheck(this, o.verify, generation);
        offsiteChecks.set(generation, check);
        address = `data.${check.terraformResourceType}.${check.friendlyUniqueId}`;
      }
      if (isResource(o.object)) {
        if (TerraformStack.of(o.object) !== TerraformStack.of(this)) {
          throw offsiteObjectInOtherStack(this, generation, o.object.node.path);
        }
        address = `${o.object.terraformResourceType}.${o.object.friendlyUniqueId}`;
      } else if (typeof o.object === 'string') {
        address = o.object;
      }
      return address;
    };

    const keepUntilOf = (g: PreviousKeyGeneration): string | undefined =>
      g.keepUntil ?? (g.retiredOn && this.dbRetentionDays !== undefined ? earliestKeepUntil(g.retiredOn, this.dbRetentionDays) : undefined);
    const generations: KeyGeneration[] = [
      {
        generation: this.generation,
        state: this.state,
        hostPath,
        fingerprint: this.fingerprint,
        offsiteObject: offsiteOf(props.offsiteBackup, this.generation),
        copies: own,
      },
      ...[...previous]
        .sort((a, b) => b.generation - a.generation)
        .map(
          (g): KeyGeneration => ({
            generation: g.generation,
            state: g.state,
            hostPath: g.hostPath,
            fingerprint: g.fingerprint?.toLowerCase(),
            retiredOn: g.retiredOn,
            keepUntil: keepUntilOf(g),
            offsiteObject: offsiteOf(g.offsiteBackup, g.generation),
            copies: declared(g.copies, g.generation),
          }),
        ),
    ];
    this.generations = generations;
    this.offsiteChecks = offsiteChecks;

    const manifestGenerations: ManifestGeneration[] = generations.map((g, i) => {
      const genCopies = [...g.copies] as ManifestCopy[];
      if (i > 0) {
        // Older generations' copies go into the key's copy list too, so the inventory lists them.
        if (g.hostPath) copies.push({ kind: 'hot', medium: 'host-file', location: g.hostPath, offsite: false, generation: g.generation });
        copies.push(...genCopies);
      }
      return {
        generation: g.generation,
        state: g.state,
        retiredOn: g.retiredOn,
        keepUntil: g.keepUntil,
        fingerprint: g.fingerprint,
        hostPath: g.hostPath,
        copies: genCopies,
        offsiteObject: g.offsiteObject,
      };
    });

    const entry: ManifestKey = {
      id: this.keyId,
      app: this.app,
      profile: this.profile.name,
      fingerprint: this.fingerprint,
      hostPath,
      hostFile: this.hostFile,
      copies,
      // Written only once rotation is in play: KC025 counts a generation's OWN copies, and a
      // single-generation key's offsite copy is usually the backup bucket as a whole.
      generations: rotates || props.offsiteBackup ? manifestGenerations : undefined,
      dbRetentionDays: this.dbRetentionDays,
    };
    manifest.addKey(entry);

    if (p.rotationRunbook !== false) this.rotationRunbook = new RotationRunbook(this, 'RotationRunbook', { masterKey: this });
  }

  /** The generation new data is encrypted with. */
  public get activeGeneration(): KeyGeneration {
    return activeOf(this.generations);
  }

  /** The generation being introduced, if a rotation is under way. */
  public get rotatingGeneration(): KeyGeneration | undefined {
    return rotatingOf(this.generations);
  }

  /** True while a generation is `rotating`. */
  public get isRotating(): boolean {
    return this.rotatingGeneration !== undefined;
  }

  /**
   * The generation that restores a DB backup taken on `backupDate` (`YYYY-MM-DD` or a
   * Date): the oldest retired generation whose `retiredOn` is on or after that day, else
   * the active one. A recovery drill of a rotated key restores with this generation's
   * offsite copy. Caveats: a backup taken on a switch-over day is attributed to the
   * generation retired that day (drill with a backup from another day to be sure); while
   * a generation rotates, a backup taken since the rotation began may need the rotating
   * generation too (Zitadel v5 re-encrypts on read: such a backup needs both keys).
   */
  public generationFor(backupDate: string | Date): KeyGeneration {
    return generationForDate(this.generations, backupDate);
  }

  /** The host file of a generation, or an error naming the construct and the fix. */
  public hostPathOf(generation: number, construct = 'MasterKey'): string {
    const g = this.generations.find((x) => x.generation === generation);
    if (!g) throw noSuchGeneration(this, construct, generation);
    if (g.hostPath === undefined) {
      throw generationWithoutHostFile(this, construct, generation, g.state);
    }
    return g.hostPath;
  }

  /** The custody tags every AWS resource of this key carries. */
  public get tags(): Record<string, string> {
    return { [TAG_ROLE]: 'key-store', [TAG_KEY]: this.keyId, [TAG_APP]: this.app };
  }

  /** ARN of the cloud store (secret or parameter); undefined for a host file. */
  public get storeArn(): string | undefined {
    return this.secret?.arn ?? this.parameter?.arn;
  }

  /**
   * The command that writes the value out of band, from a file with the exact key bytes
   * (`file://` keeps them as they are: no trailing newline is added). `key-custody keygen
   * --hot-secret/--hot-parameter` does the same with the AWS SDK, and makes the key and its
   * cold, offsite and paper copies in the same step.
   */
  public get putValueCommand(): string | undefined {
    if (this.secret)
      return `aws secretsmanager put-secret-value --secret-id ${this.storeName ?? '<secret-arn>'} --secret-string file:///etc/${this.app}/masterkey`;
    if (this.parameter) return `aws ssm put-parameter --overwrite --type SecureString --name ${this.storeName} --value file:///etc/${this.app}/masterkey`;
    return undefined;
  }

  /**
   * Let a principal read the key: it is added to the store's resource policy (Secrets
   * Manager) and to the KMS key policy's decrypt statement. For SSM, the principal's own
   * IAM policy must still allow `ssm:GetParameter` on the parameter: SSM parameters have
   * no resource policy to grant it from.
   */
  public grantRead(principalArn: string): void {
    if (this.hotCopyKind === 'host-file') {
      throw grantReadOnHostFile(this, principalArn);
    }
    const r = principalArn.trim();
    if (!TOKEN_RE.test(r) && !Token.isUnresolved(r) && !principalArn.startsWith('arn:')) {
      throw grantReadNotArn(this, principalArn);
    }
    if (!this.readers.includes(r)) this.readers.push(r);
    recordGrant(this, 'MasterKey', 'grantRead', r);
  }

  /**
   * Record that a deploy-time check of the host file's mode and owner is wired (called by
   * the app container constructs); the manifest then says so, which KC005 requires.
   */
  public markDeployCheck(): void {
    if (this.hostFile) this.hostFile.deployCheck = true;
  }

  /**
   * Record the `uid:gid` an app container runs as with this key (called by the app container
   * constructs when the key file belongs to a non-root user); KC005 accepts a non-root owner
   * only when it is the user the app runs as.
   */
  public markAppUser(user: string): void {
    if (this.hostFile) this.hostFile.appUser = user;
  }

  /** `uid:gid` of the host key file, as the app containers' `user` is written. */
  public get keyFileUser(): string {
    return `${this.keyFileOwner.uid}:${this.keyFileOwner.gid}`;
  }
}
