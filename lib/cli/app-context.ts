/**
 * Whole-app context for plans: `key-custody check keys.plan.json cdktf.out`.
 *
 * A plan covers one stack, but some rules judge facts that an app spreads over stacks: the
 * copies of a key (KC020) are declared with the key in the app host's stack and kept in the
 * key-backup stack, its drill (KC030) in the drill stacks. Checked alone, one stack's plan
 * would fail those rules although the app holds them. Given the cdktf.out as well, the plans
 * are checked and the manifest's stacks without a plan are context:
 *
 * - the findings are those of the whole app (plans + synthesized context) that lie in a
 *   checked stack, so a fact elsewhere can add a finding here (a principal of another stack
 *   reaching this stack's bucket) but never hides one silently;
 * - a finding of the plans alone that the context makes disappear is not an error: it is
 *   "not checked here", with the context stacks whose facts decide it, since those facts come
 *   from synthesized output, not from a reviewed plan. Passing those stacks' plans as well
 *   checks it for real.
 *
 * Which facts came from where is listed as inputs: each stack with its plan or synthesized
 * file, checked or context only.
 */
import { buildModel } from '../model/build';
import type { CustodyModel, Finding, Severity, TfDocument } from '../model/types';
import { runRules, type CheckResult, type EngineOptions } from '../rules/engine';
import type { CustodyRule } from '../rules/rule';
import { escapeControls } from '../report/escape';
import { cell, codeCell } from '../report/markdown';
import type { AppContextInput, DocumentOrigin } from './inputs';

/** A result of the plans alone that depends on facts only the context holds. */
export interface NotCheckedHere {
  readonly ruleId: string;
  /** The severity it had with the plans alone. */
  readonly severity: Severity;
  readonly stack: string;
  /** Terraform address in its stack. */
  readonly address: string;
  /** The message with the plans alone. */
  readonly message: string;
  /** Context stacks (synthesized, no plan given) whose facts decide it, sorted. */
  readonly factsIn: readonly string[];
}

/** One stack of the check and where its facts were read from. */
export interface InputRow {
  readonly stack: string;
  readonly kind: DocumentOrigin['kind'];
  readonly path: string;
  /** False for context stacks: read from the synthesized output, not checked. */
  readonly checked: boolean;
}

export interface WholeAppCheck {
  /** The model the report describes: the checked stacks and the context. */
  readonly model: CustodyModel;
  /** Findings and suppressions of the checked stacks. */
  readonly result: CheckResult;
  /** Present only for a whole-app check (plans with a cdktf.out). */
  readonly context?: {
    readonly manifests: readonly string[];
    readonly inputs: readonly InputRow[];
    readonly notChecked: readonly NotCheckedHere[];
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function bare(f: Pick<Finding, 'address' | 'stack'>): string {
  return f.address.startsWith(`${f.stack}/`) ? f.address.slice(f.stack.length + 1) : f.address;
}

function identity(f: Finding): string {
  return `${f.ruleId}\u0000${f.stack}\u0000${bare(f)}`;
}

/** Findings of `alone` that `whole` lacks, matched by rule, stack and address (a changed message is the same finding). */
function disappeared(alone: readonly Finding[], whole: readonly Finding[]): Finding[] {
  const left = new Map<string, Finding[]>();
  for (const f of whole) {
    const id = `${f.ruleId}\u0000${f.stack}\u0000${bare(f)}`;
    left.set(id, [...(left.get(id) ?? []), f]);
  }
  const gone: Finding[] = [];
  // Exact twins first, then any finding of the same rule at the same address.
  const pending: Finding[] = [];
  for (const f of alone) {
    const list = left.get(`${f.ruleId}\u0000${f.stack}\u0000${bare(f)}`) ?? [];
    const i = list.findIndex((w) => w.message === f.message);
    if (i >= 0) list.splice(i, 1);
    else pending.push(f);
  }
  for (const f of pending) {
    const list = left.get(`${f.ruleId}\u0000${f.stack}\u0000${bare(f)}`) ?? [];
    if (list.length > 0) list.shift();
    else gone.push(f);
  }
  return gone;
}

/**
 * Check `checked` with `context` around it (see the file comment). Without context (or with
 * every stack planned) this is exactly `runRules(buildModel(checked))`.
 */
export function checkWithContext(
  checked: readonly TfDocument[],
  rules: readonly CustodyRule[],
  options: EngineOptions,
  input?: { readonly context?: AppContextInput; readonly origins: ReadonlyMap<TfDocument, DocumentOrigin> },
): WholeAppCheck {
  const context = input?.context;
  if (!context || !input) {
    const model = buildModel([...checked]);
    return { model, result: runRules(model, rules, options) };
  }
  const inputs: InputRow[] = [
    ...checked.map((d) => ({ stack: d.stack, kind: input.origins.get(d)?.kind ?? 'terraform-json', path: input.origins.get(d)?.path ?? d.source, checked: true })),
    ...context.documents.map((d) => ({ stack: d.stack, kind: 'synthesized' as const, path: input.origins.get(d)?.path ?? d.source, checked: false })),
  ].sort((a, b) => cmp(a.stack, b.stack));
  const manifests = context.manifests.map((m) => m.path);
  const model = buildModel([...checked, ...context.documents]);
  const whole = runRules(model, rules, options);
  if (context.documents.length === 0) return { model, result: whole, context: { manifests, inputs, notChecked: [] } };

  const checkedStacks = new Set(checked.map((d) => d.stack));
  const here = <T extends { stack: string }>(list: readonly T[]) => list.filter((x) => checkedStacks.has(x.stack));
  const result: CheckResult = { findings: here(whole.findings), suppressions: here(whole.suppressions) };
  const alone = here(runRules(buildModel([...checked]), rules, options).findings);
  const gone = disappeared(alone, result.findings);
  const everywhere = new Set(whole.findings.map(identity));
  const notChecked = gone.map((f) => ({ ...notCheckedRow(f), factsIn: factsIn(f, { checked, context: context.documents, everywhere }, rules, options) }));
  return { model, result, context: { manifests, inputs, notChecked } };
}

function notCheckedRow(f: Finding): Omit<NotCheckedHere, 'factsIn'> {
  return { ruleId: f.ruleId, severity: f.severity, stack: f.stack, address: bare(f), message: f.message };
}

/**
 * The context stacks that decide `f`: starting from all of them, each stack is left out in
 * turn while the rule still answers as it does for the whole app (`f` gone, and no finding of
 * the rule that the whole app does not have: a finding that only moved to a context stack, as
 * KC030 moves to the manifest that declares the key, does not count as decided). What remains
 * suffices, none of it superfluous; with the facts in two stacks at once, one of them is named.
 */
function factsIn(
  f: Finding,
  app: { readonly checked: readonly TfDocument[]; readonly context: readonly TfDocument[]; readonly everywhere: ReadonlySet<string> },
  rules: readonly CustodyRule[],
  options: EngineOptions,
): string[] {
  // Engine findings (KC09x) come from suppressions, which any rule can use: rerun them all.
  const own = rules.filter((r) => r.id === f.ruleId);
  const rerun = own.length > 0 ? own : rules;
  const gone = (docs: readonly TfDocument[]) => {
    const found = runRules(buildModel([...app.checked, ...docs]), rerun, options).findings;
    return disappeared([f], found).length > 0 && found.every((x) => x.ruleId !== f.ruleId || app.everywhere.has(identity(x)));
  };
  let kept = [...app.context].sort((a, b) => cmp(a.stack, b.stack));
  for (const d of [...kept]) {
    const without = kept.filter((k) => k !== d);
    if (gone(without)) kept = without;
  }
  return kept.map((d) => d.stack);
}

function list(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** One sentence for a result that was not checked here. */
export function describeNotChecked(n: NotCheckedHere): string {
  const where = n.factsIn.length > 0 ? `its facts live in stack${n.factsIn.length > 1 ? 's' : ''} ${list(n.factsIn)}` : 'its facts live in stacks without a plan';
  return (
    `${n.ruleId} ${n.address} (stack ${n.stack}): ${where}, read from the synthesized cdktf.out (no plan given); ` +
    `with this stack alone it would say: ${n.message}. Pass ${n.factsIn.length > 1 ? 'those stacks\' plans' : 'that stack\'s plan'} too to check it`
  );
}

function describeInput(i: InputRow): string {
  const what = i.kind === 'plan' ? 'plan' : i.kind === 'synthesized' ? 'synthesized' : 'Terraform JSON';
  return `${i.stack}: ${what} ${i.path}${i.checked ? '' : ' (no plan given: context only, not checked)'}`;
}

/**
 * The check's output with the whole-app context added: which stack came from where and what
 * was not checked here. Text and Markdown get a section at the end; JSON gets `inputs` and
 * `notCheckedHere`; SARIF a run-level note per result not checked and the same two lists as
 * run properties. Without context the output is returned unchanged.
 */
export function withContext(format: 'text' | 'markdown' | 'json' | 'sarif', out: string, check: WholeAppCheck): string {
  const c = check.context;
  if (!c) return out;
  switch (format) {
    case 'text': {
      const lines = [`inputs (the app's stacks, from ${c.manifests.join(' and ')}):`, ...c.inputs.map((i) => `  ${describeInput(i)}`)];
      for (const n of c.notChecked) lines.push(`not checked here: ${describeNotChecked(n)}`);
      return `${out}${lines.map(escapeControls).join('\n')}\n`;
    }
    case 'markdown': {
      const lines = ['', '## Inputs', '', `The app's stacks, as ${c.manifests.map(codeCell).join(' and ')} lists them, and where each stack's facts were read from.`, ''];
      lines.push('| stack | read from | file | checked |', '| --- | --- | --- | --- |');
      for (const i of c.inputs) lines.push(`| ${codeCell(i.stack)} | ${cell(i.kind)} | ${codeCell(i.path)} | ${i.checked ? 'yes' : 'no: context only'} |`);
      if (c.notChecked.length > 0) {
        lines.push('', '## Not checked here', '', 'These results of the checked stacks depend on facts of stacks checked without a plan; they are not errors here.', '');
        lines.push('| rule | stack | address | facts in | with this stack alone |', '| --- | --- | --- | --- | --- |');
        for (const n of c.notChecked) lines.push(`| ${cell(n.ruleId)} | ${codeCell(n.stack)} | ${codeCell(n.address)} | ${n.factsIn.map(codeCell).join(', ')} | ${cell(n.message)} |`);
      }
      return `${out.replace(/\n*$/, '\n')}${lines.join('\n')}\n`;
    }
    case 'json': {
      const doc = JSON.parse(out) as Record<string, unknown>;
      return `${JSON.stringify({ ...doc, inputs: c.inputs, notCheckedHere: c.notChecked }, null, 2)}\n`;
    }
    case 'sarif': {
      const doc = JSON.parse(out) as { runs: Record<string, unknown>[] };
      const run = doc.runs[0];
      type Invocation = { executionSuccessful?: boolean; toolExecutionNotifications?: unknown[] };
      const invocations = (run.invocations as Invocation[] | undefined) ?? [{ executionSuccessful: true }];
      const notes = c.notChecked.map((n) => ({ level: 'note', message: { text: `not checked here: ${describeNotChecked(n)}` } }));
      if (notes.length > 0) invocations[0] = { ...invocations[0], toolExecutionNotifications: [...(invocations[0].toolExecutionNotifications ?? []), ...notes] };
      doc.runs[0] = { ...run, invocations, properties: { ...((run.properties as object | undefined) ?? {}), inputs: c.inputs, notCheckedHere: c.notChecked } };
      return `${JSON.stringify(doc, null, 2)}\n`;
    }
  }
}
