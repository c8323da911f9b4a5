/**
 * `--source <dir>` for plan inputs: read the Terraform configuration the plan was made from
 * and put its expressions where the plan lost them (see lib/model/load/source-overlay.ts).
 * Without `--source`, one note says what could not be proven and how `--source` helps.
 */
import * as path from 'node:path';
import type { TfDocument } from '../model/types';
import { loadHclParser, readSource, SourceInputError, type HclParse } from '../model/load/source';
import { overlaySource } from '../model/load/source-overlay';
import { InputError, type InputFrontEnd } from './inputs';

/** Front ends that remember the raw plan JSON of each plan document they make. */
export function capturingPlans(frontEnds: readonly InputFrontEnd[]): { frontEnds: InputFrontEnd[]; plans: Map<TfDocument, unknown> } {
  const plans = new Map<TfDocument, unknown>();
  const wrapped = frontEnds.map((fe) =>
    fe.name !== 'plan-json'
      ? fe
      : {
          ...fe,
          accepts: (json: unknown) => fe.accepts(json),
          load: (input: Parameters<InputFrontEnd['load']>[0]) => {
            const docs = fe.load(input);
            for (const d of docs) plans.set(d, input.json);
            return docs;
          },
        },
  );
  return { frontEnds: wrapped, plans };
}

/**
 * Pair each `--source` folder with a plan document, in the order both were given, and read
 * the plans with their source. Throws {@link InputError} when the counts differ or a source
 * cannot be read.
 */
export async function withSources(
  documents: readonly TfDocument[],
  plans: ReadonlyMap<TfDocument, unknown>,
  sources: readonly string[],
  cwd: string,
  parser?: HclParse,
): Promise<TfDocument[]> {
  const planDocs = documents.filter((d) => plans.has(d));
  if (planDocs.length !== sources.length) {
    throw new InputError(
      `--source was given ${sources.length} time(s) but ${planDocs.length} plan(s) were passed; give one --source <dir> per plan JSON, in the same order (the folder \`terraform plan\` ran in)`,
    );
  }
  try {
    const parse = parser ?? (await loadHclParser());
    const replaced = new Map<TfDocument, TfDocument>();
    for (let i = 0; i < planDocs.length; i++) {
      const tree = await readSource(path.resolve(cwd, sources[i]), parse);
      replaced.set(planDocs[i], overlaySource(planDocs[i], plans.get(planDocs[i]), tree).document);
    }
    return documents.map((d) => replaced.get(d) ?? d);
  } catch (e) {
    if (e instanceof SourceInputError) throw new InputError(e.message);
    throw e;
  }
}

/** What a check without --source could not prove, and how --source would prove it. */
export interface SourceNote {
  /** `address attribute` of each unproven plan value, each once. */
  readonly values: readonly string[];
  readonly message: string;
}

/** The one note for plans checked without --source whose values could not all be proven. */
export function sourceNote(documents: readonly TfDocument[], plans: ReadonlyMap<TfDocument, unknown>): SourceNote | undefined {
  const unproven = documents.filter((d) => plans.has(d)).flatMap((d) => (d.unknowns ?? []).map((u) => `${u.address} ${u.what.split(' ')[0]}`));
  if (unproven.length === 0) return undefined;
  const shown = [...new Set(unproven)];
  const list = shown.length > 6 ? `${shown.slice(0, 6).join(', ')} and ${shown.length - 6} more` : shown.join(', ');
  return {
    values: shown,
    message:
      `${shown.length} value(s) of the plan could not be proven (${list}): the plan keeps only the references of HCL expressions ` +
      '(jsonencode, templates, locals, dynamic blocks). Pass --source <dir> (the folder `terraform plan` ran in) to read them from the .tf files.',
  };
}
