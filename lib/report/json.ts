import type { Finding, Severity } from '../model/types';
import { blocking } from '../rules/engine';
import { countFindings, type ReportData } from './data';

/** One finding of `key-custody check --format json` (the contract in docs/ARCHITECTURE.md, "Output contracts"). */
export interface JsonFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** Terraform address; stack-qualified (`stack/address`) when several stacks. */
  readonly address: string;
  readonly message: string;
  readonly suppressed: boolean;
  /** The suppression's reason, only when suppressed. */
  readonly reason?: string;
  /** The suppression's owner and expiry, when suppressed and given. */
  readonly owner?: string;
  readonly expires?: string;
  /** Extra fields (not part of the required contract). */
  readonly stack: string;
  readonly fix: string;
}

export interface JsonSummary {
  /** Unsuppressed errors. */
  readonly errors: number;
  /** Unsuppressed warnings. */
  readonly warnings: number;
  /** Suppressed findings. */
  readonly suppressed: number;
  /** Number of stacks checked. */
  readonly stacks: number;
  /** Their names, sorted. */
  readonly stackNames: readonly string[];
  /** Whether warnings counted as errors. */
  readonly strict: boolean;
  /** True when nothing blocks: the CLI exits 0. */
  readonly passed: boolean;
}

/** The `--format json` document (the contract in docs/ARCHITECTURE.md, "Output contracts"). */
export interface JsonCheckOutput {
  readonly findings: readonly JsonFinding[];
  readonly summary: JsonSummary;
  /** Only for plans checked without --source whose values could not all be proven. */
  readonly sourceNote?: JsonSourceNote;
}

/** Plan values the check could not prove, and how --source would prove them. */
export interface JsonSourceNote {
  /** `address attribute` of each unproven value. */
  readonly values: readonly string[];
  readonly message: string;
}

export interface JsonCheckOptions {
  readonly stacks: readonly string[];
  readonly strict?: boolean;
  /** Unproven plan values without --source (see {@link JsonCheckOutput.sourceNote}). */
  readonly sourceNote?: JsonSourceNote;
}

/** Findings → the `--format json` document. Order is the engine's (rule id, then address). */
export function toJsonCheckOutput(findings: readonly Finding[], options: JsonCheckOptions): JsonCheckOutput {
  const strict = options.strict ?? false;
  const stackNames = [...new Set(options.stacks)].sort();
  return {
    findings: findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      address: f.address,
      message: f.message,
      suppressed: f.suppressed,
      ...(f.suppressed && f.reason !== undefined ? { reason: f.reason } : {}),
      ...(f.suppressed && f.owner !== undefined ? { owner: f.owner } : {}),
      ...(f.suppressed && f.expires !== undefined ? { expires: f.expires } : {}),
      stack: f.stack,
      fix: f.fix,
    })),
    summary: {
      ...countFindings(findings),
      stacks: stackNames.length,
      stackNames,
      strict,
      passed: blocking(findings, strict).length === 0,
    },
    ...(options.sourceNote ? { sourceNote: { values: [...options.sourceNote.values], message: options.sourceNote.message } } : {}),
  };
}

/** `key-custody check --format json` text (two-space indented, trailing newline). */
export function renderJsonCheck(findings: readonly Finding[], options: JsonCheckOptions): string {
  return `${JSON.stringify(toJsonCheckOutput(findings, options), null, 2)}\n`;
}

/** `custody-report.json`: the full report data (inventory, stores, access matrix, drills, findings, suppressions). */
export function renderJsonReport(data: ReportData): string {
  return `${JSON.stringify({ kind: 'cdktf-key-custody/report', version: 1, ...data }, null, 2)}\n`;
}
