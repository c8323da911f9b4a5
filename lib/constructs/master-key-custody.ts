import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Token, type TerraformProvider, type TerraformStack } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import * as z from '../vendor/zod';
import type { AppProfile } from '../profiles';
import { ProtectedAppContainer, type ProtectedAppContainerProps } from './app/protected-app-container';
import type { AdoptedBackupBucket } from './buckets/adopted-backup-bucket';
import { assertOneCdktfRelease, brand, cdktfObject, hasBrand, isProvider, isProviderOf, isStack } from '../synth/identity';
import { DatabaseBackupBucket, type DatabaseBackupBucketProps } from './buckets/database-backup-bucket';
import { KeyBackupBucket, type KeyBackupBucketProps } from './buckets/key-backup-bucket';
import type { KeyCopyDeclaration } from './key/generations';
import type { HotCopy } from './key/hot-copy';
import { MasterKey, type MasterKeyProps } from './key/master-key';
import { CustodyManifest } from './manifest/custody-manifest';
import {
  custodyAdoptedBucketWithoutDrillReader,
  custodyBackupsInOneAccount,
  custodyBucketsShareName,
  custodyDrillAwsStackShared,
  custodyIdTaken,
  custodyOutsideAppStack,
  custodyStacksShared,
  custodyWithoutAppStack,
} from './errors';
import { RecoveryDrill, type RecoveryDrillProps } from './drill/recovery-drill';
import { NAME_PART, stableBucketName } from './buckets/names';
import { appNameSchema, MAX_RETENTION_DAYS } from './props';
import { parseProps } from './validation';

/** An existing DB-backup bucket to adopt instead of creating one (see `DatabaseBackupBucket.fromExistingBucket`). */
export interface ExistingDbBucketOptions {
  /** Name of the existing bucket. A literal name also gives the key bucket its plan-time separation check. */
  readonly bucketName: string;
  /**
   * How long the existing bucket keeps a backup restorable, in days (current life plus
   * noncurrent life, as its lifecycle says). Required: the key backups must outlive every
   * DB backup they decrypt (KC022), and an adopted bucket's lifecycle cannot be read at synth.
   */
  readonly restorableDays: number;
  /**
   * An existing principal the bucket's owner lets read (and decrypt) the backups, which
   * the recovery drill's DB-restore job assumes. The construct cannot grant on a bucket it
   * does not manage, so the grant is made where the bucket is managed.
   * @default - none; the drill then cannot be built for this bucket (see the error)
   */
  readonly drillReaderArn?: string;
}

/** Props of {@link MasterKeyCustody}. */
export interface MasterKeyCustodyProps {
  /** Stable id of the key; the `custody:key` tag of every part in every stack. */
  readonly keyId: string;
  /** The app: a profile, or the name of a built-in (`zitadel`, `servos`, `act`). */
  readonly profile: AppProfile | string;
  /**
   * Value of the `custody:app` tag and the app container's name.
   * @default - the profile's name
   */
  readonly app?: string;
  /** Where the key lives while the app runs (host file, or a cloud store with a `hostPath`). */
  readonly hotCopy: HotCopy;
  /**
   * Copies Terraform does not manage (age-encrypted cold copy, paper in a safe). With the
   * hot copy and the key-backup bucket they make the 3-2-1 of KC020.
   * @default - none; KC020 then fails synth unless the hot copy and the bucket suffice
   */
  readonly copies?: readonly KeyCopyDeclaration[];

  /**
   * Stack of the production app: the app container, and the key's declaration.
   * @default - the stack that holds `scope`
   */
  readonly appStack?: TerraformStack;
  /**
   * Docker provider of the production host.
   * @default - the default `docker` provider of `appStack`
   */
  readonly appProvider?: TerraformProvider;
  /**
   * Stack of the key's hot-copy store. Matters for a cloud hot copy (Secrets Manager, SSM),
   * whose AWS resources then plan and deploy with that stack's credentials.
   * @default - appStack
   */
  readonly keyStoreStack?: TerraformStack;

  /** Stack of the offsite key-backup bucket: its own AWS account, credentials and state. */
  readonly keyCustodyStack: TerraformStack;
  /**
   * AWS provider of the key-backup account.
   * @default - the default `aws` provider of keyCustodyStack
   */
  readonly keyCustodyProvider?: TerraformProvider;
  /**
   * Account of the key-backup bucket (12 digits): its key administrators and the drill
   * reader's trust derive from it, so the stack plans without calling AWS.
   * @default - the single entry of the provider's `allowedAccountIds`, else read at plan time
   */
  readonly keyAccountId?: string;

  /** Stack of the DB-backup bucket: a different stack (account, credentials, state) from keyCustodyStack. */
  readonly dbBackupStack: TerraformStack;
  /**
   * AWS provider of the DB-backup account.
   * @default - the default `aws` provider of dbBackupStack
   */
  readonly dbBackupProvider?: TerraformProvider;
  /**
   * Account of the DB-backup bucket (12 digits).
   * @default - the single entry of the provider's `allowedAccountIds`, else read at plan time
   */
  readonly dbAccountId?: string;
  /**
   * Adopt this existing DB-backup bucket instead of creating one. Conflicts with `dbBucketProps`.
   * @default - a DatabaseBackupBucket is created
   */
  readonly existingDbBucket?: ExistingDbBucketOptions;

  /** Stack of the recovery drill's scratch docker host (never appStack). */
  readonly drillStack: TerraformStack;
  /** Docker provider of the scratch host: an alias of its own in drillStack, not the production host. */
  readonly drillProvider: TerraformProvider;
  /**
   * Stack of the drill's AWS part (schedule, reminder, staleness alarm). An AWS-only stack
   * of its own plans offline and deploys with its own credentials.
   * @default - drillStack
   */
  readonly drillAwsStack?: TerraformStack;
  /**
   * AWS provider of the drill's AWS part.
   * @default - the default `aws` provider of drillAwsStack
   */
  readonly drillAwsProvider?: TerraformProvider;
  /**
   * IANA time zone of the drill schedule.
   * @default 'UTC'
   */
  readonly timezone?: string;

  /**
   * Props of the MasterKey, merged over the defaults.
   * @default - keyId, profile, app, hotCopy and copies from above
   */
  readonly masterKeyProps?: Partial<Omit<MasterKeyProps, 'keyId' | 'profile' | 'hotCopy'>>;
  /**
   * Props of the KeyBackupBucket, merged over the defaults.
   * @default - key, app, provider, accountId; otherCustodyBucket when the DB bucket's name is a literal
   */
  readonly keyBucketProps?: Partial<Omit<KeyBackupBucketProps, 'key' | 'app'>>;
  /**
   * Props of the DatabaseBackupBucket, merged over the defaults. Conflicts with `existingDbBucket`.
   * @default - key, app, provider, accountId; otherCustodyBucket when the key bucket's name is a literal
   */
  readonly dbBucketProps?: Partial<Omit<DatabaseBackupBucketProps, 'key' | 'app'>>;
  /**
   * Props of the ProtectedAppContainer, merged over the defaults.
   * @default - masterKey, and appProvider as provider
   */
  readonly appProps?: Partial<Omit<ProtectedAppContainerProps, 'masterKey'>>;
  /**
   * Props of the RecoveryDrill, merged over the defaults.
   * @default - the key, both buckets, drillProvider, drillAwsStack/Provider, timezone, and reader trust of the two accounts
   */
  readonly drillProps?: Partial<Omit<RecoveryDrillProps, 'masterKey' | 'keyBucket' | 'dbBucket' | 'scratchProvider'>>;
}

const stackSchema = (what: string) =>
  cdktfObject<TerraformStack>(isStack, 'TerraformStack', `must be a TerraformStack (${what}); create one with new TerraformStack(app, "<name>")`);
const providerSchema = (what: string) => cdktfObject<TerraformProvider>(isProvider, 'TerraformProvider', `must be a provider (${what})`);
const account = () =>
  z.string().check(z.refine((v) => Token.isUnresolved(v) || /^\d{12}$/.test(v), { error: (i) => `must be a 12-digit AWS account id; got "${String(i.input)}"` }));

/**
 * A part's props: only checked to be an object here (the record side, which also words the
 * error). The part validates them itself, so its errors name the part's path; the custom
 * side checks nothing and types the output as the part's props.
 */
const partProps = <T>() => z.intersection(z.record(z.string(), z.unknown()), z.custom<T>());

// Every prop of MasterKeyCustodyProps has its schema here (`satisfies` refuses a missing or
// an extra key), and the schema's output is the props type, so the constructor reads only
// parsed props. Built on the first MasterKeyCustody, not when this module loads: every app
// imports it (lib/index.ts), few create one, and building a zod schema costs time on every synth.
const shape = () => ({
  // The key id and the app name the buckets, their roles and the drill are named after: checked
  // here, so that the refusal names this construct and its props rather than a bucket inside it.
  keyId: z.string().check(
    z.minLength(1, 'give the key id, e.g. "zitadel-prod"'),
    z.refine((v) => v === '' || Token.isUnresolved(v) || NAME_PART.test(v), {
      error: (i) => `must be 1-63 lowercase letters, digits and dashes, like "zitadel-prod": the backup buckets and their roles are named after it; got "${String(i.input)}"`,
    }),
  ),
  // The profile, the hot copy and the copies are MasterKey's to validate.
  profile: z.custom<AppProfile | string>().check(z.refine((v) => v !== undefined, 'give the app profile: "zitadel", "servos", "act" or genericProfile(...)')),
  app: z.optional(appNameSchema()),
  hotCopy: z.custom<HotCopy>().check(z.refine((v) => v !== undefined, 'give the hot copy, e.g. { kind: "host-file", path: "/etc/zitadel/masterkey" }')),
  copies: z.optional(z.custom<readonly KeyCopyDeclaration[]>()),
  appStack: z.optional(stackSchema('the production app')),
  appProvider: z.optional(providerSchema('docker provider of the production host')),
  keyStoreStack: z.optional(stackSchema('the hot-copy store')),
  keyCustodyStack: stackSchema('key backups'),
  keyCustodyProvider: z.optional(providerSchema('AWS provider of the key-backup account')),
  keyAccountId: z.optional(account()),
  dbBackupStack: stackSchema('DB backups'),
  dbBackupProvider: z.optional(providerSchema('AWS provider of the DB-backup account')),
  dbAccountId: z.optional(account()),
  existingDbBucket: z.optional(
    z.object({
      bucketName: z.string().check(z.minLength(3, 'give the existing bucket\'s name')),
      restorableDays: z
        .number({ error: 'give restorableDays: how long the existing bucket keeps a backup restorable (its lifecycle), so that key backups can be made to outlive it (KC022)' })
        .check(
          z.int(),
          z.positive(),
          z.maximum(MAX_RETENTION_DAYS, {
            error: (i) => `must be at most ${MAX_RETENTION_DAYS} days (100 years), the longest a key backup can be kept to outlive it; got ${String(i.input)}`,
          }),
        ),
      drillReaderArn: z.optional(z.string().check(z.minLength(1))),
    }),
  ),
  drillStack: stackSchema('the recovery drill\'s scratch docker host'),
  drillProvider: cdktfObject<TerraformProvider>(
    (v) => isProviderOf(v, 'docker'),
    'TerraformProvider',
    'must be the docker provider of the scratch host, e.g. new DockerProvider(drillStack, "scratch", { alias: "scratch", host: "ssh://deploy@scratch.example.com" })',
  ),
  drillAwsStack: z.optional(stackSchema('the drill\'s schedule and alarm')),
  drillAwsProvider: z.optional(providerSchema('AWS provider of the drill account')),
  timezone: z.optional(z.string()),
  masterKeyProps: z.optional(partProps<NonNullable<MasterKeyCustodyProps['masterKeyProps']>>()),
  keyBucketProps: z.optional(partProps<NonNullable<MasterKeyCustodyProps['keyBucketProps']>>()),
  dbBucketProps: z.optional(partProps<NonNullable<MasterKeyCustodyProps['dbBucketProps']>>()),
  appProps: z.optional(partProps<NonNullable<MasterKeyCustodyProps['appProps']>>()),
  drillProps: z.optional(partProps<NonNullable<MasterKeyCustodyProps['drillProps']>>()),
}) satisfies Record<keyof MasterKeyCustodyProps, z.ZodType>;

const buildSchema = () =>
  z.object(shape()).check(
    z.refine((p) => !(p.existingDbBucket && p.dbBucketProps), {
      message: 'give existingDbBucket (adopt a bucket) or dbBucketProps (configure the bucket this construct creates), not both',
      path: ['dbBucketProps'],
    }),
  ) satisfies z.ZodType<MasterKeyCustodyProps>;
let builtSchema: ReturnType<typeof buildSchema> | undefined;
const schema = () => (builtSchema ??= buildSchema());

const ROLE_NAMES = {
  keyCustodyStack: 'key backups',
  dbBackupStack: 'DB backups',
  appStack: 'the production app',
  drillStack: 'the recovery drill',
} as const;

/** The one literal account an AWS provider is pinned to, if any. */
function pinnedAccount(p: TerraformProvider | undefined): string | undefined {
  if (!isProviderOf<AwsProvider>(p, 'aws')) return undefined;
  const ids = p.allowedAccountIds;
  return ids && ids.length === 1 && !Token.isUnresolved(ids[0]) ? ids[0] : undefined;
}

function defaultAwsProvider(stack: TerraformStack): TerraformProvider | undefined {
  return stack.node.children.find((c): c is TerraformProvider => isProviderOf(c, 'aws') && !c.alias);
}

function literalName(v: unknown): string | undefined {
  return typeof v === 'string' && !Token.isUnresolved(v) ? v : undefined;
}

/**
 * The common case in one construct: one master key of one app, with its parts spread over
 * the stacks custody separation needs.
 *
 * - the {@link MasterKey} (hot copy and declared copies) in `keyStoreStack` (default `appStack`);
 * - the offsite {@link KeyBackupBucket} in `keyCustodyStack`, the {@link DatabaseBackupBucket}
 *   (or an adopted one) in `dbBackupStack`: two stacks, so two provider configurations,
 *   two credentials and two states; the key bucket is checked to outlive the DB bucket
 *   (KC022), and where a bucket name is a literal the other side gets a plan-time
 *   precondition that the two never resolve to the same bucket (KC010);
 * - the {@link ProtectedAppContainer} on the production host in `appStack`;
 * - the {@link RecoveryDrill} on the scratch host in `drillStack`, its schedule and alarm in
 *   `drillAwsStack`, its two read-only readers in the two bucket stacks.
 *
 * Each part is a public property and takes its own props (`masterKeyProps`,
 * `keyBucketProps`, `dbBucketProps`, `appProps`, `drillProps`) merged over the defaults.
 * The construct refuses layouts that defeat custody separation (key and DB backups in one
 * stack, the drill on the production stack); compose the parts by hand for anything else.
 */
export class MasterKeyCustody extends Construct {
  /** The key. */
  public readonly key: MasterKey;
  /** The offsite key-backup bucket. */
  public readonly keyBucket: KeyBackupBucket;
  /** The DB-backup bucket: created, or adopted with `existingDbBucket`. */
  public readonly dbBucket: DatabaseBackupBucket | AdoptedBackupBucket;
  /** The production app container. */
  public readonly app: ProtectedAppContainer;
  /** The quarterly recovery drill. */
  public readonly drill: RecoveryDrill;
  /** The stacks the parts live in, by role. */
  public readonly stacks: {
    readonly app: TerraformStack;
    readonly keyStore: TerraformStack;
    readonly keyCustody: TerraformStack;
    readonly dbBackup: TerraformStack;
    readonly drill: TerraformStack;
    readonly drillAws: TerraformStack;
  };

  constructor(scope: Construct, id: string, props: MasterKeyCustodyProps) {
    super(scope, id);
    assertOneCdktfRelease(this);
    const p = parseProps(
      'MasterKeyCustody',
      this,
      schema(),
      props,
      'give { keyId, profile, hotCopy, keyCustodyStack, dbBackupStack, drillStack, drillProvider } (see MasterKeyCustodyProps)',
    );
    const ownStack = stackOf(this);
    const appStack = p.appStack ?? ownStack;
    if (!appStack) {
      throw custodyWithoutAppStack(this);
    }
    if (ownStack && p.appStack && ownStack !== p.appStack) {
      throw custodyOutsideAppStack(this, ownStack.node.id, p.appStack.node.id);
    }
    const drillAwsStack = p.drillAwsStack ?? p.drillStack;
    this.stacks = {
      app: appStack,
      keyStore: p.keyStoreStack ?? appStack,
      keyCustody: p.keyCustodyStack,
      dbBackup: p.dbBackupStack,
      drill: p.drillStack,
      drillAws: drillAwsStack,
    };
    this.checkLayout({ appStack, keyCustodyStack: p.keyCustodyStack, dbBackupStack: p.dbBackupStack, drillStack: p.drillStack }, drillAwsStack);

    const keyProvider = p.keyCustodyProvider ?? defaultAwsProvider(p.keyCustodyStack);
    const dbProvider = p.dbBackupProvider ?? defaultAwsProvider(p.dbBackupStack);
    const keyAccountId = p.keyAccountId ?? pinnedAccount(keyProvider);
    const dbAccountId = p.dbAccountId ?? pinnedAccount(dbProvider);
    if (keyAccountId !== undefined && keyAccountId === dbAccountId) {
      throw custodyBackupsInOneAccount(this, keyAccountId);
    }

    // The key: a declaration (host file) or a cloud store, in the key store's stack.
    const existing = p.existingDbBucket;
    this.key = new MasterKey(this.holder(this.stacks.keyStore), 'MasterKey', {
      keyId: p.keyId,
      profile: p.profile,
      app: p.app,
      hotCopy: p.hotCopy,
      copies: p.copies,
      // An adopted bucket's lifecycle cannot be read: declare its retention for KC022.
      dbRetentionDays: existing?.restorableDays,
      ...(p.masterKeyProps ?? {}),
    });
    const app = this.key.app;
    const keyId = this.key.keyId;

    // Plan-time separation (KC010): each bucket refuses to resolve to the other when the
    // other's name is known as a literal. A cross-stack reference would make one custody
    // stack read the other's state, so only literals are passed.
    // Without a name or prefix of their own, the buckets get a stable name (app, key, account):
    // the drill stack then gets it as a literal instead of reading the bucket stack's state.
    const stable = (own: Partial<KeyBackupBucketProps> | undefined, suffix: string, account: string | undefined) =>
      own?.bucketName ?? (own?.bucketPrefix === undefined && account !== undefined ? stableBucketName(app, keyId, suffix, account) : undefined);
    const keyOwnName = stable(p.keyBucketProps, 'keys', keyAccountId);
    const dbOwnName = existing ? undefined : stable(p.dbBucketProps, 'db', dbAccountId);
    const keyBucketName = literalName(keyOwnName);
    const dbBucketName = existing ? literalName(existing.bucketName) : literalName(dbOwnName);
    if (keyBucketName !== undefined && dbBucketName !== undefined && keyBucketName.toLowerCase() === dbBucketName.toLowerCase()) {
      throw custodyBucketsShareName(this, keyBucketName);
    }
    // Two literals are compared right here; Terraform refuses a condition that refers to
    // nothing, so a side gets the other's name only when its own is not a literal.
    const ownNameOpen = (own: unknown) => own === undefined || literalName(own) === undefined;

    this.keyBucket = new KeyBackupBucket(this.holder(p.keyCustodyStack), 'KeyBackups', {
      key: keyId,
      app,
      provider: p.keyCustodyProvider,
      accountId: keyAccountId,
      ...(keyOwnName === undefined ? {} : { bucketName: keyOwnName }),
      otherCustodyBucket: ownNameOpen(keyOwnName) ? dbBucketName : undefined,
      ...(p.keyBucketProps ?? {}),
    });
    if (existing) {
      this.dbBucket = DatabaseBackupBucket.fromExistingBucket(this.holder(p.dbBackupStack), 'DbBackups', {
        bucketName: existing.bucketName,
        key: keyId,
        app,
        provider: p.dbBackupProvider,
        restorableDays: existing.restorableDays,
        otherCustodyBucket: ownNameOpen(existing.bucketName) ? keyBucketName : undefined,
      });
    } else {
      this.dbBucket = new DatabaseBackupBucket(this.holder(p.dbBackupStack), 'DbBackups', {
        key: keyId,
        app,
        provider: p.dbBackupProvider,
        accountId: dbAccountId,
        ...(dbOwnName === undefined ? {} : { bucketName: dbOwnName }),
        otherCustodyBucket: ownNameOpen(dbOwnName) ? keyBucketName : undefined,
        ...(p.dbBucketProps ?? {}),
      });
    }
    // Checked when both buckets exist for the same key anyway; asserted here so that a
    // keyId override in one of the bucket props cannot slip past it.
    this.keyBucket.assertOutlives(this.dbBucket);

    this.app = new ProtectedAppContainer(this.holder(appStack), 'App', {
      masterKey: this.key,
      provider: p.appProvider,
      ...(p.appProps ?? {}),
    });

    const dbBucket = this.dbBucket;
    if (hasBrand<AdoptedBackupBucket>(dbBucket, 'AdoptedBackupBucket') && !existing?.drillReaderArn) {
      throw custodyAdoptedBucketWithoutDrillReader(this, existing?.bucketName);
    }
    const drillProps: RecoveryDrillProps = {
      masterKey: this.key,
      keyBucket: this.keyBucket,
      dbBucket,
      scratchProvider: p.drillProvider,
      awsScope: drillAwsStack === p.drillStack ? undefined : this.holder(drillAwsStack),
      awsProvider: p.drillAwsProvider,
      timezone: p.timezone,
      // The drill's read-only readers live next to their buckets, under this construct's name.
      keyReaderScope: this.holder(p.keyCustodyStack),
      dbReaderScope: hasBrand<AdoptedBackupBucket>(dbBucket, 'AdoptedBackupBucket') ? undefined : this.holder(p.dbBackupStack),
      keyReaderTrust: keyAccountId ? { principals: [keyAccountId] } : undefined,
      dbReaderTrust: dbAccountId ? { principals: [dbAccountId] } : undefined,
      ...(hasBrand<AdoptedBackupBucket>(dbBucket, 'AdoptedBackupBucket') ? { dbReaderArn: existing?.drillReaderArn } : {}),
      // The drill runs the image production runs, not the profile's untagged default.
      ...(appImageRef(p.appProps?.image) ? { appImage: appImageRef(p.appProps?.image) } : {}),
      ...(p.drillProps ?? {}),
    };
    this.drill = new RecoveryDrill(this.holder(p.drillStack), 'Drill', drillProps);

    // Declares nothing of its own (the parts do), but switches on the app-wide check even
    // when the construct sits at the app root.
    CustodyManifest.of(stackOf(this) ? this : this.key);
  }

  /**
   * Where this construct's parts go in `stack`: the construct itself when it lives there,
   * else a construct of the same id in that stack (so paths read `<stack>/<id>/<Part>`).
   */
  private holder(stack: TerraformStack): Construct {
    if (stackOf(this) === stack) return this;
    const found = stack.node.tryFindChild(this.node.id);
    if (hasBrand<MasterKeyCustodyPart>(found, 'MasterKeyCustodyPart') && found.owner === this) return found;
    if (found) {
      throw custodyIdTaken(this, stack.node.id, this.node.id);
    }
    return new MasterKeyCustodyPart(stack, this.node.id, this);
  }

  private checkLayout(stacks: Record<keyof typeof ROLE_NAMES, TerraformStack>, drillAws: TerraformStack): void {
    const why: Partial<Record<string, string>> = {
      'keyCustodyStack=dbBackupStack':
        'key backups and DB backups in one stack share one provider configuration, one set of deploy credentials and one state: if one credential reaches both, you have a 1-2 backup (KC011/KC013)',
      'appStack=keyCustodyStack':
        'the production host\'s deploy credentials would also manage the offsite key backups, so one compromised deploy reaches the hot copy and its backups',
      'appStack=dbBackupStack': 'the production host\'s deploy credentials would also manage the DB backups, next to the hot copy of the key (KC011)',
      'appStack=drillStack': 'the drill must run in a scratch environment with its own state, never on the production stack (KC032)',
      'keyCustodyStack=drillStack': 'the drill\'s scratch environment would share state and credentials with the key backups (KC032)',
      'dbBackupStack=drillStack': 'the drill\'s scratch environment would share state and credentials with the DB backups (KC032)',
    };
    const names = Object.keys(stacks) as (keyof typeof ROLE_NAMES)[];
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        const a = names[i];
        const b = names[j];
        if (stacks[a] !== stacks[b]) continue;
        throw custodyStacksShared(this, a, b, stacks[a].node.id, ROLE_NAMES[a], ROLE_NAMES[b], why[`${a}=${b}`]);
      }
    }
    for (const s of ['keyCustodyStack', 'dbBackupStack', 'appStack'] as const) {
      if (drillAws === stacks[s]) {
        throw custodyDrillAwsStackShared(this, drillAws.node.id, s, ROLE_NAMES[s]);
      }
    }
  }
}

/** The parts of one {@link MasterKeyCustody} that live in another stack than the construct itself. */
export class MasterKeyCustodyPart extends Construct {
  constructor(
    scope: Construct,
    id: string,
    /** The MasterKeyCustody these parts belong to. */
    public readonly owner: MasterKeyCustody,
  ) {
    super(scope, id);
    brand(this, 'MasterKeyCustodyPart');
  }
}

function stackOf(c: IConstruct): TerraformStack | undefined {
  for (const s of c.node.scopes.slice().reverse()) if (isStack(s)) return s;
  return undefined;
}

/**
 * The production app's image reference as a literal (the drill runs in another stack: a
 * reference to the app stack's `docker_image` would read that stack's state).
 */
function appImageRef(image: unknown): string | undefined {
  if (typeof image === 'string') return Token.isUnresolved(image) ? undefined : image;
  const configured = (image as { nameInput?: unknown } | undefined)?.nameInput;
  return typeof configured === 'string' && !Token.isUnresolved(configured) ? configured : undefined;
}
