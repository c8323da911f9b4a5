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
    explanation: 'A suppression with a short reason, of an unsuppressible rule, or past its expiry date is not applied.',
    fix: 'fix the finding, or give the suppression a reason of at least 10 characters and a future expiry date',
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

function toUri(p: string): string {
  return p.split('\\').join('/');
}

/**
 * SARIF 2.1.0 for code-scanning tools. Pure; one run, results in the engine's order.
 * Suppressed findings carry a SARIF `suppressions` entry with the reason as justification.
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
    const uri = f.location?.file ?? options.sources?.[f.stack];
    const physical = uri
      ? { physicalLocation: { artifactLocation: { uri: toUri(uri) }, ...(f.location ? { region: { startLine: f.location.line } } : {}) } }
      : {};
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: f.severity,
      message: { text: `${f.message}; fix: ${f.fix}` },
      locations: [{ ...physical, logicalLocations: [{ fullyQualifiedName: f.address, kind: 'resource' }] }],
      partialFingerprints: { custodyFinding: `${f.ruleId}|${f.address}|${f.message}` },
      ...(f.suppressed ? { suppressions: [{ kind: 'inSource', status: 'accepted', justification: f.reason ?? '' }] } : {}),
      properties: { stack: f.stack },
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
