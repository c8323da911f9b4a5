import { qualify } from '../model/context';
import { constructPath } from '../model/load/cdktf-json';
import type { CustodyModel, Finding, ManifestSuppression } from '../model/types';
import { MIN_REASON_LENGTH } from '../policy/limits';
import type { CustodyRule, RuleViolation } from './rule';
import { judgeSuppression } from './suppression-checks';

/** Id of the engine's own finding for a suppression that cannot be honoured. */
export const SUPPRESSION_INVALID = 'KC090';
/** Id of the engine's own finding for a suppression that matched nothing. */
export const SUPPRESSION_UNUSED = 'KC091';
/** Id of the engine's own warning for a value an input front end could not prove (plan JSON). */
export const NOT_PROVEN = 'KC092';

export interface EngineOptions {
  /** The date suppressions expire against (ISO `YYYY-MM-DD`); today by default. */
  readonly today?: string;
}

/** A suppression as the engine sees it, with where it was declared. */
export interface LocatedSuppression extends ManifestSuppression {
  readonly stack: string;
  readonly manifest: string;
}

export interface CheckResult {
  readonly findings: Finding[];
  readonly suppressions: (LocatedSuppression & { used: number; valid: boolean; problem?: string; lacking?: string })[];
}

function coversViolation(model: CustodyModel, s: LocatedSuppression, v: RuleViolation): boolean {
  if (s.stack !== v.stack) return false;
  if (s.scope === '') return true;
  if (v.address === s.scope || v.address.startsWith(`${s.scope}.`)) return true;
  const r = model.resource(v.stack, v.address);
  const path = r ? constructPath(r.values) : undefined;
  return path !== undefined && (path === s.scope || path.startsWith(`${s.scope}/`));
}

/**
 * Run the rules over the model and apply the suppressions the manifests declare. This is
 * the one place findings are made: the synth-time check and the CLI both call it.
 */
export function runRules(model: CustodyModel, rules: readonly CustodyRule[], options: EngineOptions = {}): CheckResult {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const byId = new Map(rules.map((r) => [r.id, r]));
  const suppressions = model.manifests.flatMap((m) =>
    m.suppressions.map((s) => {
      const rule = byId.get(s.id);
      const { problem, lacking } = judgeSuppression(s, rule?.suppressible, rule?.severity, today);
      return { ...s, stack: m.stack, manifest: m.address, used: 0, valid: problem === undefined, problem, lacking };
    }),
  );

  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const v of rule.check(model)) {
      const match = rule.suppressible ? suppressions.find((s) => s.valid && s.id === rule.id && coversViolation(model, s, v)) : undefined;
      if (match) match.used++;
      const r = model.resource(v.stack, v.address);
      const origin = v.origin ?? r?.origin;
      const path = r ? constructPath(r.values) : undefined;
      findings.push({
        ruleId: rule.id,
        severity: v.severity ?? rule.severity,
        address: qualify(model.multiStack, v.stack, v.address),
        stack: v.stack,
        message: v.message,
        fix: v.fix ?? rule.fix,
        suppressed: match !== undefined,
        reason: match?.reason,
        ...(match?.owner ? { owner: match.owner } : {}),
        ...(match?.expires ? { expires: match.expires } : {}),
        location: v.location,
        ...(origin ? { origin } : {}),
        ...(path ? { constructPath: path } : {}),
        ...(v.store ? { store: v.store } : {}),
      });
    }
  }

  for (const s of suppressions) {
    if (!s.valid) {
      findings.push({
        ruleId: SUPPRESSION_INVALID,
        severity: 'error',
        address: qualify(model.multiStack, s.stack, s.manifest),
        stack: s.stack,
        message: `suppression of ${s.id}${s.scope ? ` on ${s.scope}` : ''} cannot be honoured: ${s.problem}`,
        fix: s.problem?.includes('expired')
          ? `fix the finding, or renew the suppression with a new \`expires\` date and a reason that still holds`
          : s.problem?.includes('cannot be suppressed')
            ? `remove the suppression and fix the finding; ${s.id} guards against losing or leaking the key outright`
            : s.problem?.includes('more than')
              ? 'give an `expires` date at most a year ahead, and renew it then if the risk is still accepted'
              : s.problem?.includes('needs an owner')
                ? 'give the suppression an `owner` (who answers for the risk) and an `expires` date (YYYY-MM-DD, at most a year ahead)'
                : `give a reason of at least ${MIN_REASON_LENGTH} characters that says why the risk is accepted`,
        suppressed: false,
      });
    } else if (s.lacking) {
      findings.push({
        ruleId: SUPPRESSION_INVALID,
        severity: 'warning',
        address: qualify(model.multiStack, s.stack, s.manifest),
        stack: s.stack,
        message: `suppression of ${s.id}${s.scope ? ` on ${s.scope}` : ''} has ${s.lacking}; it is applied, but an accepted risk needs an owner and an expiry date`,
        fix: 'give the suppression an `owner` (who answers for the risk) and an `expires` date (YYYY-MM-DD, at most a year ahead)',
        suppressed: false,
      });
    }
    if (s.valid && s.used === 0) {
      findings.push({
        ruleId: SUPPRESSION_UNUSED,
        severity: 'warning',
        address: qualify(model.multiStack, s.stack, s.manifest),
        stack: s.stack,
        message: `suppression of ${s.id}${s.scope ? ` on ${s.scope}` : ''} matched no finding`,
        fix: 'remove the suppression so that it cannot hide a future finding',
        suppressed: false,
      });
    }
  }
  // What a front end could not read (a plan value only known after apply whose expression
  // the plan does not spell out) is never a silent pass: it is a warning that every output
  // lists and `--strict` fails on. Synthesized cdk.tf.json has none.
  for (const d of model.documents) {
    for (const u of d.unknowns ?? []) {
      findings.push({
        ruleId: NOT_PROVEN,
        severity: 'warning',
        address: qualify(model.multiStack, u.stack, u.address),
        stack: u.stack,
        message: `not proven from the plan: ${u.what}`,
        fix: 'write the value as a bare reference or a literal (e.g. an aws_iam_policy_document data source instead of jsonencode), or check the synthesized cdktf.out folder instead',
        suppressed: false,
      });
    }
  }
  findings.sort((a, b) => (a.ruleId === b.ruleId ? a.address.localeCompare(b.address) : a.ruleId.localeCompare(b.ruleId)));
  return { findings, suppressions };
}

/** Unsuppressed errors (and warnings when strict): what makes synth or the CLI fail. */
export function blocking(findings: readonly Finding[], strict = false): Finding[] {
  return findings.filter((f) => !f.suppressed && (f.severity === 'error' || strict));
}

/** The one-line form used at synth time and by the text report. */
export function formatFinding(f: Finding): string {
  const bare = f.address.startsWith(`${f.stack}/`) ? f.address.slice(f.stack.length + 1) : f.address;
  return `${f.ruleId} ${bare} (stack ${f.stack}) ${f.message}; fix: ${f.fix}`;
}
