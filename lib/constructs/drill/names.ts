import type { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { TerraformProvider, TerraformResource, TerraformStack, Token } from 'cdktf';
import { TAG_APP, TAG_KEY, TAG_ROLE } from '../../model/types';
import { isProviderOf } from '../../synth/identity';
import type { MasterKey } from '../key/master-key';

// What the drill's parts share: the metric the alarm and the runbook name, the runbook's
// file, the custody tags, and how resources and providers are named across stacks.

/** Namespace of the drill metric the staleness alarm watches. */
export const DRILL_METRIC_NAMESPACE = 'KeyCustody/Drills';
/** The metric: 1 while a passing drill is on record within the staleness period. */
export const DRILL_METRIC_NAME = 'DrillPassed';
/** Dimension that ties the metric to one key. */
export const DRILL_METRIC_DIMENSION = 'KeyId';
/** File the runbook is written to, in the stack's output folder. */
export const DRILL_RUNBOOK_FILE = 'drill-runbook.md';

/** The construct's tags (AWS) and labels (docker): custody:role=drill for the key and app. */
export function custodyTags(key: MasterKey): Record<string, string> {
  return { [TAG_ROLE]: 'drill', [TAG_KEY]: key.keyId, [TAG_APP]: key.app };
}

/** `<stack>/<type>.<logical id>`: how the manifest and the rules name a resource across stacks. */
export function stackAddress(r: TerraformResource): string {
  return `${TerraformStack.of(r).node.id}/${r.terraformResourceType}.${r.friendlyUniqueId}`;
}

export function providerHost(p: TerraformProvider): string | undefined {
  const h = isProviderOf<DockerProvider>(p, 'docker') ? p.host : undefined;
  return typeof h === 'string' && !Token.isUnresolved(h) ? h.trim().replace(/\/+$/, '').toLowerCase() : undefined;
}

/** `<stack>/docker.<alias>` (or `<stack>/docker` for a default provider). */
export function providerRef(p: TerraformProvider): string {
  return `${TerraformStack.of(p).node.id}/docker${p.alias ? `.${p.alias}` : ''}`;
}
