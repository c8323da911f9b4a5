import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { ephemeralKeyInputSchema } from '../props';
import { parseProps } from '../validation';
import { brand } from '../../synth/identity';

/** Props of {@link EphemeralKeyInput}. */
export interface EphemeralKeyInputProps {
  /**
   * Name of the Terraform input variable (`-var <name>=...` / `TF_VAR_<name>`).
   * @default - the construct id
   */
  readonly variableName?: string;
  /**
   * Description shown by `terraform plan` when the value is missing.
   * @default 'master key, read once into a write-only argument; never stored in plan or state'
   */
  readonly description?: string;
}

/**
 * The one supported way to hand key material to Terraform: an `ephemeral` + `sensitive`
 * input variable. Terraform (1.10+) keeps ephemeral values out of the plan file and the
 * state, and accepts them only in write-only arguments such as `secret_string_wo` and
 * `value_wo`; so a key passed this way cannot leak into `cdk.tf.json`, the plan or the
 * state even by a later mistake. {@link MasterKey} accepts only this type as a value
 * source for cloud hot copies, which makes "a plain attribute" unrepresentable.
 */
export class EphemeralKeyInput extends Construct {
  /** The underlying Terraform variable. */
  public readonly variable: TerraformVariable;
  /** Terraform variable name. */
  public readonly variableName: string;

  constructor(scope: Construct, id: string, props: EphemeralKeyInputProps = {}) {
    super(scope, id);
    brand(this, 'EphemeralKeyInput');
    const p = parseProps('EphemeralKeyInput', this, ephemeralKeyInputSchema(), props, 'give variableName as a plain Terraform identifier, e.g. "zitadel_masterkey"');
    this.variableName = p.variableName ?? id.replace(/[^A-Za-z0-9_-]/g, '_');
    this.variable = new TerraformVariable(scope, `${id}Variable`, {
      type: 'string',
      sensitive: true,
      nullable: false,
      description: p.description ?? 'master key, read once into a write-only argument; never stored in plan or state',
    });
    this.variable.overrideLogicalId(this.variableName);
    // cdktf 0.21 has no `ephemeral` field on TerraformVariable; the override writes the
    // attribute Terraform 1.10+ reads, which is what keeps the value out of plan and state.
    this.variable.addOverride('ephemeral', true);
  }

  /** The value expression (`${var.<name>}`), for write-only arguments only. */
  public get value(): string {
    return this.variable.stringValue;
  }
}
