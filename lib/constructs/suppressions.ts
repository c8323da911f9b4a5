import { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { z } from 'zod';
import { MIN_REASON_LENGTH } from '../policy/limits';
import { ruleById } from '../rules/catalogue';
import { CustodyManifest } from './custody-manifest';
import { propsError } from './validation';

/** A decision to accept one rule's finding under a construct, with the reason why. */
export interface CustodySuppression {
  /** The rule id, e.g. `KC024`. */
  readonly id: string;
  /** Why the risk is accepted; at least 10 characters. Shown in every report. */
  readonly reason: string;
  /**
   * Who owns the decision.
   * @default - no owner recorded
   */
  readonly owner?: string;
  /**
   * Date (`YYYY-MM-DD`) after which the suppression no longer applies and becomes an error.
   * @default - never expires
   */
  readonly expires?: string;
}

const suppressionSchema = z.object({
  id: z.string().regex(/^KC\d{3}$/, 'must be a rule id like "KC024"'),
  reason: z.string().trim().min(MIN_REASON_LENGTH, `must say why the risk is accepted, in at least ${MIN_REASON_LENGTH} characters`),
  owner: z.string().min(1).optional(),
  expires: z.iso.date('must be a date like "2027-03-31"').optional(),
});

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
      const parsed = suppressionSchema.safeParse(s);
      if (!parsed.success) throw propsError('CustodySuppressions', scope, parsed.error, 'give { id: "KC0NN", reason: "<why, 10+ characters>" }', s);
      const rule = ruleById(s.id);
      if (!rule) {
        throw new Error(`[${scope.node.path}] CustodySuppressions: unknown rule id "${s.id}"; use one of the ids listed in RULES.md`);
      }
      if (!rule.suppressible) {
        throw new Error(
          `[${scope.node.path}] CustodySuppressions: ${s.id} (${rule.title}) cannot be suppressed: it guards against losing or leaking the key outright. Fix the finding instead: ${rule.fix}`,
        );
      }
      CustodyManifest.of(scope).addSuppression({ id: s.id, reason: s.reason, owner: s.owner, expires: s.expires, scope: where });
    }
  }
}
