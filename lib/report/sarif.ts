import type { Finding, Severity } from '../model/types';

/** What SARIF needs to know of a rule (a `CustodyRule` fits). */
export interface SarifRuleInfo {
  readonly id: string;
  readonly title: string;
  readonly explanation: string;
  readonly fix: string;
  readonly severity: Severity;
}

export interface SarifOptions {
  /** The rules that ran, for `tool.driver.rules`. Ids that findings use but this list lacks get a minimal entry. */
  readonly rules: readonly SarifRuleInfo[];
  /** Stack → the file it was read from (relative path or URI), used when a finding has no source location. */
  readonly sources?: Readonly<Record<string, string>>;
  /** Tool version for `tool.driver.version`. */
  readonly version?: string;
  /**
   * Plan values checked without --source that could not be proven: a run-level note
   * (`invocations[0].toolExecutionNotifications`) and `properties.unprovenValues`.
   */
  readonly sourceNote?: { readonly values: readonly string[]; readonly message: string };
}

const ENGINE_RULES: Record<string, Omit<SarifRuleInfo, 'id'>> = {
  KC090: {
    title: 'suppressions must be honourable',
    explanation:
      'A suppression with a short reason, of an unsuppressible rule, past its expiry date or expiring more than a year ahead, or of an error-severity rule without an owner and an expiry date, is not applied. Of a warning-severity rule without them it is applied, with a warning.',
    fix: 'fix the finding, or give the suppression a reason of at least 10 characters, an owner and an expiry date at most a year ahead',
    severity: 'error',
  },
  KC092: {
    title: 'custody facts must be provable from the plan',
    explanation:
      'A value that decides a custody rule is only known after apply, and the plan does not spell out its expression (it lists only the references), so the rule could not prove it.',
    fix: 'write the value as a bare reference or a literal (an aws_iam_policy_document data source instead of jsonencode), or check the synthesized cdktf.out folder',
    severity: 'warning',
  },
  KC091: {
    title: 'suppressions must match a finding',
    explanation: 'A suppression that matches nothing could silently hide a future finding.',
    fix: 'remove the suppression',
    severity: 'warning',
  },
};

/** The `partialFingerprints` key; v2 left the message out. */
export const FINGERPRINT_KEY = 'custodyFinding/v2';

/**
 * What identifies a finding across runs: the rule, the stack, the construct path (else the
 * address without the stack) and the store it is about. Never the message: a changed count
 * or chain in it is the same alert, not a new one.
 */
export function findingFingerprint(f: Finding): string {
  const bare = f.address.startsWith(`${f.stack}/`) ? f.address.slice(f.stack.length + 1) : f.address;
  return [f.ruleId, f.stack, f.constructPath ?? bare, f.store ?? ''].join('|');
}

function toUri(p: string): string {
  return p.split('\\').join('/');
}

/**
 * SARIF 2.1.0 for code-scanning tools. Pure; one run, results in the engine's order.
 * Suppressed findings carry a SARIF `suppressions` entry with the reason as justification and
 * the owner and expiry as its properties. A finding whose resource a library construct made is
 * located at the user's TypeScript line, with the generated JSON as a related location.
 */
export function toSarif(findings: readonly Finding[], options: SarifOptions): Record<string, unknown> {
  const rules = new Map<string, SarifRuleInfo>();
  for (const r of options.rules) rules.set(r.id, r);
  for (const f of findings) {
    if (!rules.has(f.ruleId)) {
      const known = ENGINE_RULES[f.ruleId];
      rules.set(f.ruleId, { id: f.ruleId, ...(known ?? { title: f.ruleId, explanation: '', fix: f.fix, severity: f.severity }) });
    }
  }
  const ordered = [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(ordered.map((r, i) => [r.id, i]));

  const results = findings.map((f) => {
    const generated = f.location?.file ?? options.sources?.[f.stack];
    const generatedLocation = generated
      ? { physicalLocation: { artifactLocation: { uri: toUri(generated) }, ...(f.location ? { region: { startLine: f.location.line } } : {}) } }
      : undefined;
    // Code scanning annotates the lines of a pull request's diff: the TypeScript line that made
    // the resource is there, the generated cdk.tf.json is not (it becomes a related location).
    const physical = f.origin
      ? { physicalLocation: { artifactLocation: { uri: toUri(f.origin.file), uriBaseId: '%SRCROOT%' }, region: { startLine: f.origin.line } } }
      : (generatedLocation ?? {});
    const logical = [{ fullyQualifiedName: f.address, kind: 'resource' }, ...(f.constructPath ? [{ fullyQualifiedName: f.constructPath, kind: 'module' }] : [])];
    const suppression = f.suppressed
      ? {
          suppressions: [
            {
              kind: 'inSource',
              status: 'accepted',
              justification: f.reason ?? '',
              properties: { ...(f.owner ? { owner: f.owner } : {}), ...(f.expires ? { expires: f.expires } : {}) },
            },
          ],
        }
      : {};
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: f.severity,
      message: { text: `${f.message}; fix: ${f.fix}` },
      locations: [{ ...physical, logicalLocations: logical }],
      ...(f.origin && generatedLocation ? { relatedLocations: [{ id: 1, ...generatedLocation, message: { text: 'the generated Terraform JSON' } }] } : {}),
      partialFingerprints: { [FINGERPRINT_KEY]: findingFingerprint(f) },
      ...suppression,
      properties: { stack: f.stack, ...(f.constructPath ? { constructPath: f.constructPath } : {}) },
    };
  });

  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'key-custody',
            ...(options.version ? { version: options.version, semanticVersion: options.version } : {}),
            rules: ordered.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.title },
              ...(r.explanation ? { fullDescription: { text: r.explanation } } : {}),
              help: { text: r.fix },
              defaultConfiguration: { level: r.severity },
            })),
          },
        },
        results,
        ...(options.sourceNote
          ? {
              invocations: [{ executionSuccessful: true, toolExecutionNotifications: [{ level: 'note', message: { text: options.sourceNote.message } }] }],
              properties: { unprovenValues: [...options.sourceNote.values] },
            }
          : {}),
      },
    ],
  };
}

/** `key-custody check --format sarif` text. */
export function renderSarif(findings: readonly Finding[], options: SarifOptions): string {
  return `${JSON.stringify(toSarif(findings, options), null, 2)}\n`;
}
