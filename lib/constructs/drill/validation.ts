import { TerraformStack, type TerraformProvider, type TerraformResource } from 'cdktf';
import type { Construct, IConstruct } from 'constructs';
import type { AdoptedBackupBucket } from '../buckets/adopted-backup-bucket';
import {
  drillAdoptedDbBucketNeedsReader,
  drillBucketsOfOtherKey,
  drillCredentialsHoldHotCopy,
  drillOneBucketForBoth,
  drillScratchInOtherStack,
  drillScratchIsProduction,
  drillScratchWithoutAlias,
  drillSharedCredentials,
} from '../errors';
import type { ProtectedAppContainer } from '../app/protected-app-container';
import { protectedAppsOf } from '../app/key-mount';
import type { MasterKey } from '../key/master-key';
import type { ProtectedAppService } from '../app/protected-app-service';
import { hasBrand, isProviderOf } from '../../synth/identity';
import { providerHost, providerRef } from './names';
import type { ParsedDrillProps } from './props';

// The drill's checks across props, which a schema of one prop cannot make: the buckets
// belong to the drill's key, the scratch host is not a production host, and the two
// restore jobs hold two credentials, neither next to the key's hot copy.

/** The buckets are the key's, two different ones, and an adopted DB bucket comes with a reader. */
export function checkBuckets(drill: IConstruct, p: ParsedDrillProps): void {
  const key = p.masterKey;
  if (p.keyBucket.key !== key.keyId || p.dbBucket.key !== key.keyId) {
    throw drillBucketsOfOtherKey(drill, p.keyBucket.key, p.dbBucket.key, key.keyId);
  }
  if (hasBrand<AdoptedBackupBucket>(p.dbBucket, 'AdoptedBackupBucket') && p.dbReaderArn === undefined) {
    throw drillAdoptedDbBucketNeedsReader(drill, p.dbBucket.node.path);
  }
  if ((p.keyBucket as unknown) === (p.dbBucket as unknown)) {
    throw drillOneBucketForBoth(drill);
  }
}

/**
 * Docker providers production apps run on, found in the construct tree: every
 * ProtectedAppContainer / ProtectedAppService, of any key (a drill belongs on no production host).
 */
export function productionProvidersOf(root: IConstruct): TerraformProvider[] {
  const out: TerraformProvider[] = [];
  for (const c of protectedAppsOf(root)) {
    const resource: TerraformResource | undefined =
      hasBrand<ProtectedAppContainer>(c, 'ProtectedAppContainer') ? c.container : hasBrand<ProtectedAppService>(c, 'ProtectedAppService') ? c.service : undefined;
    // Still being constructed (its container is made last): it has no provider to compare yet.
    if (!resource) continue;
    const p = resource.provider ?? defaultDocker(TerraformStack.of(resource));
    if (p && !out.includes(p)) out.push(p);
  }
  return out;
}

// A stack's default docker provider, once found, stays its default (Terraform allows one
// unaliased configuration per provider); only hits are kept, so one added later is still seen.
const defaultDockerOf = new WeakMap<TerraformStack, TerraformProvider>();

function defaultDocker(stack: TerraformStack): TerraformProvider | undefined {
  const known = defaultDockerOf.get(stack);
  if (known) return known;
  const found = stack.node.findAll().find((c): c is TerraformProvider => isProviderOf(c, 'docker') && !c.alias);
  if (found) defaultDockerOf.set(stack, found);
  return found;
}

/**
 * The scratch provider is none of the production providers (default: those of every
 * protected app in the tree), is an alias, and lives in the docker part's stack.
 */
export function checkScratchProvider(drill: IConstruct, scratch: TerraformProvider, production: readonly TerraformProvider[], dockerScope: Construct): void {
  const mine = providerHost(scratch);
  for (const prod of production) {
    const same =
      prod === scratch
        ? 'is the same provider object'
        : TerraformStack.of(prod) === TerraformStack.of(scratch) && prod.alias === scratch.alias
          ? `has the same alias "${scratch.alias}" in the same stack`
          : mine !== undefined && mine === providerHost(prod)
            ? `points at the same docker host "${mine}"`
            : undefined;
    if (same) {
      throw drillScratchIsProduction(drill, scratch.node.path, same, prod.node.path, providerRef(prod));
    }
  }
  if (!scratch.alias) {
    throw drillScratchWithoutAlias(drill, scratch.node.path);
  }
  if (TerraformStack.of(scratch) !== TerraformStack.of(dockerScope)) {
    throw drillScratchInOtherStack(drill, scratch.node.path, TerraformStack.of(scratch).node.id, TerraformStack.of(dockerScope).node.id);
  }
}

/** The two restore jobs' credentials: different folders and profiles, none holding the hot copy. */
export function checkCredentials(drill: IConstruct, key: MasterKey, keyCreds: { hostDir: string; profile: string }, dbCreds: { hostDir: string; profile: string }): void {
  if (keyCreds.hostDir === dbCreds.hostDir || keyCreds.profile === dbCreds.profile) {
    throw drillSharedCredentials(drill, keyCreds, dbCreds);
  }
  for (const c of [keyCreds, dbCreds]) {
    const hot = key.hotCopyPath;
    if (hot && (hot === c.hostDir || hot.startsWith(`${c.hostDir.replace(/\/+$/, '')}/`))) {
      throw drillCredentialsHoldHotCopy(drill, c.hostDir, hot);
    }
  }
}
