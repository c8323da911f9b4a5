import type { CustodyModel, Severity, SourceLocation, TfResource } from '../model/types';

/**
 * A custody rule, in the shape of cdk-nag's rules: an id, a one-line `info`, an
 * `explanation` of why it matters, the `fix`, and a pure check over the model.
 */
export interface CustodyRule {
  /** Stable id, `KC0NN`. */
  readonly id: string;
  /** One line: what must hold. */
  readonly title: string;
  readonly severity: Severity;
  /** Why the rule exists, for reports and RULES.md. */
  readonly explanation: string;
  /** The general fix; findings may give a more specific one. */
  readonly fix: string;
  /** Unsuppressible rules refuse suppression at the call site. */
  readonly suppressible: boolean;
  /** Pure function of the model. */
  check(model: CustodyModel): RuleViolation[];
}

/** What a rule returns; the engine adds severity, suppression state and qualified address. */
export interface RuleViolation {
  readonly stack: string;
  readonly address: string;
  readonly message: string;
  /** Overrides the rule's general fix when a more specific one exists. */
  readonly fix?: string;
  readonly location?: SourceLocation;
  /** The user's line behind the finding (a grant call), when more exact than the resource's own origin. */
  readonly origin?: SourceLocation;
  /** The store the finding is about when that is not `address` (a principal's finding): keeps fingerprints stable. */
  readonly store?: string;
  /** Overrides the rule's severity (e.g. a warning-level variant). */
  readonly severity?: Severity;
}

/** Shorthand for a violation located at a resource. */
export function violationAt(r: TfResource, message: string, fix?: string): RuleViolation {
  return { stack: r.stack, address: r.address, message, fix, location: r.location };
}
