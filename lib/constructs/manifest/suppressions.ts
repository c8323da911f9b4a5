import { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { ruleById } from '../../rules/catalogue';
import { suppressionWithoutOwner, unknownRuleId, unsuppressibleRule } from '../errors';
import { suppressionSchema } from '../props';
import { propsError } from '../validation';
import { CustodyManifest } from './custody-manifest';

/** A decision to accept one rule's finding under a construct, with the reason why. */
export interface CustodySuppression {
  /** The rule id, e.g. `KC024`. */
  readonly id: string;
  /** Why the risk is accepted; at least 10 characters. Shown in every report. */
  readonly reason: string;
  /**
   * Who answers for the decision (a team or a person); shown in every report and in SARIF.
   * Required for an error-severity rule; a suppression of a warning-severity rule without it
   * is a KC090 warning (an error under `--strict`).
   * @default - none; refused for error-severity rules
   */
  readonly owner?: string;
  /**
   * Date (`YYYY-MM-DD`) after which the suppression no longer applies and becomes an error
   * (KC090). At most a year after the day the check runs. Required for an error-severity rule;
   * a warning-severity rule without it is a KC090 warning (an error under `--strict`).
   * @default - none; refused for error-severity rules
   */
  readonly expires?: string;
}

/** Suppress custody findings for everything under a construct (or a whole stack). */
export class CustodySuppressions {
  /**
   * Record suppressions for `scope` and all that is under it. They are written into the
   * stack's custody manifest, so the report and `key-custody check` list them too.
   */
  public static add(scope: IConstruct, suppressions: readonly CustodySuppression[]): void {
    const stack = TerraformStack.of(scope);
    const where = scope === stack ? '' : scope.node.path;
    for (const s of suppressions) {
      const parsed = suppressionSchema().safeParse(s);
      if (!parsed.success) throw propsError('CustodySuppressions', scope, parsed.error, 'give { id: "KC0NN", reason: "<why, 10+ characters>" }', s);
      const rule = ruleById(s.id);
      if (!rule) {
        throw unknownRuleId(scope, s.id);
      }
      if (!rule.suppressible) {
        throw unsuppressibleRule(scope, s.id, rule);
      }
      // An accepted error needs someone who answers for it and a day it is looked at again; the
      // engine refuses it too (KC090), this says so at the call. The one-year limit depends on the
      // day the check runs, so the engine alone judges it.
      const lacking = [!s.owner?.trim() ? 'no owner' : '', !s.expires ? 'no expiry date' : ''].filter(Boolean).join(' and ');
      if (rule.severity === 'error' && lacking) throw suppressionWithoutOwner(scope, s.id, lacking);
      CustodyManifest.of(scope).addSuppression({ id: s.id, reason: s.reason, owner: s.owner, expires: s.expires, scope: where });
    }
  }
}
