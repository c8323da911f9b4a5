import { DataResource, Lazy, TerraformStack } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { MANIFEST_KIND, MANIFEST_VERSION, type ManifestInput } from '../../model/manifest';
import type { ManifestAdoptedStore, ManifestDrill, ManifestKey, ManifestSuppression } from '../../model/types';
import { KeyCustody } from '../../synth/custody-check';
import { brand, hasBrand } from '../../synth/identity';

/** The address every stack's manifest gets, so reviewers find it by name. */
export const MANIFEST_LOGICAL_ID = 'custody_manifest';
const MANIFEST_ID = 'CustodyManifest';

/**
 * The custody manifest of one stack: declarations that have no Terraform resource of
 * their own (copies on paper or a NAS, drills, suppressions, adopted stores). It is a
 * `terraform_data` resource so that it lands in `terraform show -json` as well as in
 * `cdk.tf.json`, and the CLI reads exactly what the synth-time check read.
 */
export class CustodyManifest extends Construct {
  /** The manifest of the stack that holds `scope`, created on first use. */
  public static of(scope: IConstruct): CustodyManifest {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(MANIFEST_ID);
    if (hasBrand<CustodyManifest>(existing, 'CustodyManifest')) return existing;
    return new CustodyManifest(stack, MANIFEST_ID);
  }

  private readonly keys: ManifestKey[] = [];
  private readonly drills: ManifestDrill[] = [];
  private readonly suppressions: ManifestSuppression[] = [];
  private readonly adoptedStores: ManifestAdoptedStore[] = [];
  /** The `terraform_data` resource that carries the manifest. */
  public readonly resource: DataResource;

  private constructor(scope: TerraformStack, id: string) {
    super(scope, id);
    brand(this, 'CustodyManifest');
    KeyCustody.enable(scope);
    this.resource = new DataResource(this, 'Resource', {
      input: Lazy.anyValue({ produce: () => this.render() }) as unknown as Record<string, unknown>,
    });
    this.resource.overrideLogicalId(MANIFEST_LOGICAL_ID);
  }

  public addKey(key: ManifestKey): void {
    this.keys.push(key);
  }

  public addDrill(drill: ManifestDrill): void {
    this.drills.push(drill);
  }

  public addSuppression(s: ManifestSuppression): void {
    this.suppressions.push(s);
  }

  public addAdoptedStore(s: ManifestAdoptedStore): void {
    this.adoptedStores.push(s);
  }

  private render(): ManifestInput {
    // JSON round trip drops `undefined` fields, which Terraform JSON cannot carry.
    return JSON.parse(
      JSON.stringify({
        kind: MANIFEST_KIND,
        version: MANIFEST_VERSION,
        keys: this.keys,
        drills: this.drills,
        suppressions: this.suppressions,
        adoptedStores: this.adoptedStores,
      }),
    ) as ManifestInput;
  }
}
