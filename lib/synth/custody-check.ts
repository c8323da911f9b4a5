import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { buildModel } from '../model/build';
import { loadTerraformJson } from '../model/load/cdktf-json';
import { parseWrittenTerraformJson } from '../model/load/json';
import { parseHclSync } from '../model/load/hcl-sync';
import { withModules } from '../model/load/modules';
import type { Finding, TfDocument } from '../model/types';
import { blocking, formatFinding, runRules, type CheckResult, type EngineOptions } from '../rules/engine';
import type { CustodyRule } from '../rules/rule';
import { ALL_RULES } from '../rules';
import { escapeControls } from '../report/escape';
import { containedStackFolder, isInside, removeStackOutput, snapshotOutput, stacksRoot, type OutputSnapshot } from './output-guard';
import { REPORT_JSON, REPORT_MD, writeReports } from './reports';
import { assertOneCdktfRelease } from './identity';
import { CustodyCheckFailure, findingBlock, summaryLine, underCdktfCli } from './synth-output';

/** Options of the synth-time check. */
export interface KeyCustodyOptions {
  /**
   * Treat warnings as errors, as `key-custody check --strict` does.
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Write `custody-report.md` / `.json` per stack and for the whole app.
   * @default true
   */
  readonly reports?: boolean;
  /**
   * The rules to run.
   * @default - every rule of the catalogue
   */
  readonly rules?: readonly CustodyRule[];
  /**
   * The date suppressions expire against, `YYYY-MM-DD`.
   * @default - today
   */
  readonly today?: string;
}

const enabled = new WeakMap<App, KeyCustodyCheck>();

/**
 * The synth-time custody check. It is app-wide because custody separation spans stacks
 * (key custody in one account, DB backups in another): it runs once, after every stack
 * has been written, over the files cdktf wrote (the same input `key-custody check`
 * reads), so hand-written resources and escape hatches are checked as well as ours.
 */
export class KeyCustodyCheck {
  /** The result of the last run, for tests and tooling. */
  public lastResult?: CheckResult;
  /** The stack folders before this synth wrote: a failed check removes only what is new. */
  private readonly before: OutputSnapshot;

  constructor(
    private readonly app: App,
    private options: KeyCustodyOptions,
  ) {
    // Constructs enable the check while the app is built, before synth writes anything.
    this.before = snapshotOutput(app.outdir);
    // An App validation runs after all stacks are synthesized and before the manifest
    // is written: the one point where the whole app's Terraform JSON exists.
    // cdktf prints these messages to the terminal: no raw control character of a stack id,
    // resource name or tag value may reach it.
    app.node.addValidation({ validate: () => this.validate().map(escapeControls) });
  }

  /** Merge further options (the last caller wins on conflicts). */
  public configure(options: KeyCustodyOptions): void {
    this.options = { ...this.options, ...options };
  }

  private stacks(): TerraformStack[] {
    // Stacks do not nest, so the walk stops at each one: a findAll() of the whole tree visits
    // every resource of every stack, and was asked for once per stack and per warning.
    const out: TerraformStack[] = [];
    const walk = (c: IConstruct) => {
      for (const child of c.node.children) {
        if (TerraformStack.isStack(child)) out.push(child);
        else walk(child);
      }
    };
    walk(this.app);
    return out;
  }

  /** Read what each stack wrote into documents for the model. */
  public documents(): TfDocument[] {
    return this.stacks().flatMap((stack) => {
      const entry = this.app.manifest.forStack(stack);
      const folder = containedStackFolder(this.app.outdir, entry.workingDirectory);
      const file = resolve(this.app.outdir, entry.synthesizedStackPath);
      if (!folder || !isInside(folder, file) || !existsSync(file)) return [];
      // cdktf has just written this file with JSON.stringify, so no key repeats; the merge and
      // the prototype-free objects are those of `key-custody check`: escape hatches can write
      // any key, `__proto__` included.
      const json = parseWrittenTerraformJson(readFileSync(file, 'utf8'), file);
      // A TerraformHclModule's folder is read as `key-custody check` reads it: cdktf has copied
      // it into the stack folder as an asset before this validation runs.
      return [withModules(loadTerraformJson(stack.node.id, json, file), json, dirname(file), parseHclSync)];
    });
  }

  private validate(): string[] {
    const outdir = this.app.outdir;
    const stacks = this.stacks();
    const escaping = stacks.filter((s) => !containedStackFolder(outdir, this.app.manifest.forStack(s).workingDirectory));
    if (escaping.length > 0) {
      // cdktf has already written these stacks' files where their ids put them; nothing
      // outside <outdir>/stacks/<stack> is ours to remove, so only the contained stacks'
      // outputs go, and the ids are refused.
      this.removeOutputs(stacks);
      return [
        `key custody check refused ${escaping.length} stack id(s) whose output would leave ${stacksRoot(outdir)}:`,
        ...escaping.map((s) => {
          const wrote = resolve(outdir, this.app.manifest.forStack(s).synthesizedStackPath);
          return `stack id ${JSON.stringify(s.node.id)} puts its configuration at ${JSON.stringify(relative(process.cwd(), wrote) || wrote)}; fix: give the TerraformStack a plain name such as "app-host" (not "." or ".."); that file was not removed`;
        }),
      ];
    }
    const documents = this.documents();
    if (documents.length === 0) return [];
    const engineOptions: EngineOptions = { today: this.options.today };
    const model = buildModel(documents);
    const result = runRules(model, this.options.rules ?? ALL_RULES, engineOptions);
    this.lastResult = result;
    const errors = blocking(result.findings, this.options.strict);
    const strict = this.options.strict ?? false;
    if (errors.length > 0) {
      // Nothing half-written: a failed check leaves no stack configuration that a
      // following `cdktf deploy` or `terraform apply` could pick up unchecked, and no
      // earlier PASS report.
      this.removeOutputs(stacks);
      const problems: string[] = [];
      let report: string | undefined;
      try {
        if (this.options.reports !== false) {
          writeReports(outdir, model, result, () => undefined, { blocking: errors.length, strict });
          report = join(outdir, REPORT_MD);
        } else {
          for (const name of [REPORT_MD, REPORT_JSON]) rmSync(join(outdir, name), { force: true });
        }
      } catch (e) {
        problems.push((e as Error).message);
      }
      const blocks = errors.map(findingBlock);
      const summary = summaryLine(result.findings, false, strict, report);
      if (underCdktfCli()) {
        // The cdktf CLI prints each annotation once and then fails the synth; what the app
        // itself prints on failure it shows twice, and a thrown error with a stack.
        this.refuseForCli(stacks);
        this.annotate(stacks, [...errors.map((f, i) => ({ f, level: '@cdktf/error', message: blocks[i] })), ...problems.map((message) => ({ f: undefined, level: '@cdktf/error', message }))], summary, '@cdktf/error');
        return [];
      }
      throw new CustodyCheckFailure([...blocks, ...problems, summary].join('\n\n'));
    }
    if (this.options.reports !== false) {
      mkdirSync(outdir, { recursive: true });
      const byName = new Map(stacks.map((s) => [s.node.id, s]));
      const stackNamed = (name: string): TerraformStack => {
        const s = byName.get(name);
        if (!s) throw new Error(`key custody check: no stack named "${name}"`);
        return s;
      };
      try {
        writeReports(outdir, model, result, (stack: string) => containedStackFolder(outdir, this.app.manifest.forStack(stackNamed(stack)).workingDirectory));
      } catch (e) {
        // A report that cannot be written fails the synth like a finding: the outputs go too.
        this.removeOutputs(stacks);
        return [(e as Error).message];
      }
      if (underCdktfCli()) {
        const warnings = result.findings.filter((f) => !f.suppressed && f.severity === 'warning');
        this.annotate(stacks, warnings.map((f) => ({ f, level: '@cdktf/warn', message: findingBlock(f) })), summaryLine(result.findings, true, strict, join(outdir, REPORT_MD)), '@cdktf/info');
      } else {
        this.annotateWarnings(result, byName);
      }
    }
    return [];
  }

  /**
   * Under the cdktf CLI the app must exit 0 for the CLI to print the annotations, and the CLI
   * then reads every stack's cdk.tf.json: each removed one is replaced by a configuration no
   * Terraform accepts (required_version = 0.0.0), which says why in its `//` comment, so a
   * `terraform plan` or `apply` in the folder still stops instead of planning from nothing.
   */
  private refuseForCli(stacks: readonly TerraformStack[]): void {
    for (const stack of stacks) {
      const entry = this.app.manifest.forStack(stack);
      const folder = containedStackFolder(this.app.outdir, entry.workingDirectory);
      const file = resolve(this.app.outdir, entry.synthesizedStackPath);
      if (!folder || dirname(file) !== folder || existsSync(file)) continue;
      mkdirSync(folder, { recursive: true });
      const refused = {
        '//': {
          metadata: { stackName: stack.node.id, backend: 'local', keyCustody: { refused: 'the custody check failed at synth; this is not the configuration of the stack. Fix the findings and synthesize again.' } },
          outputs: {},
        },
        terraform: { required_version: '= 0.0.0', required_providers: {} },
      };
      writeFileSync(file, `${JSON.stringify(refused, null, 2)}\n`);
    }
  }

  /** Blocks as manifest annotations for the cdktf CLI, the summary line last (on the last stack). */
  private annotate(stacks: readonly TerraformStack[], items: readonly { f?: Finding; level: string; message: string }[], summary: string, summaryLevel: string): void {
    if (stacks.length === 0) return;
    type Entry = { annotations: { constructPath: string; level: string; message: string }[] };
    const byName = new Map(stacks.map((s) => [s.node.id, s]));
    for (const { f, level, message } of items) {
      const stack = (f && byName.get(f.stack)) || stacks[stacks.length - 1];
      const entry = this.app.manifest.forStack(stack) as unknown as Entry;
      entry.annotations.push({ constructPath: f?.constructPath ?? stack.node.path, level, message });
    }
    const last = stacks[stacks.length - 1];
    (this.app.manifest.forStack(last) as unknown as Entry).annotations.push({ constructPath: last.node.path, level: summaryLevel, message: summary });
  }

  /** Remove what this synth wrote for each stack whose folder is inside `<outdir>/stacks`. */
  private removeOutputs(stacks: readonly TerraformStack[]): void {
    for (const stack of stacks) {
      const entry = this.app.manifest.forStack(stack);
      removeStackOutput(this.app.outdir, entry, this.before, [REPORT_MD, REPORT_JSON]);
    }
  }

  /** Warnings do not fail synth; the cdktf CLI prints manifest annotations, so put them there. */
  private annotateWarnings(result: CheckResult, byName: ReadonlyMap<string, TerraformStack>): void {
    for (const f of result.findings) {
      if (f.suppressed || f.severity !== 'warning') continue;
      const stack = byName.get(f.stack);
      if (!stack) continue;
      const entry = this.app.manifest.forStack(stack) as { annotations: { constructPath: string; level: string; message: string }[] };
      entry.annotations.push({ constructPath: stack.node.path, level: '@cdktf/warn', message: escapeControls(formatFinding(f)) });
    }
  }
}

/** Entry points to the synth-time check. */
export class KeyCustody {
  /**
   * Turn the synth-time custody check on for the app that holds `scope`. Every construct
   * of this library calls it, so apps using them are checked automatically; an app of
   * only hand-written resources calls it once. Idempotent.
   */
  public static enable(scope: IConstruct, options: KeyCustodyOptions = {}): KeyCustodyCheck {
    const app = App.of(scope);
    let check = enabled.get(app);
    if (!check) {
      // Once per app: constructs of another cdktf release than the app's are refused here,
      // at the first construct, with the fix, instead of failing later in a puzzling way.
      assertOneCdktfRelease(scope);
      check = new KeyCustodyCheck(app, options);
      enabled.set(app, check);
    } else if (Object.keys(options).length > 0) {
      check.configure(options);
    }
    return check;
  }

  /** The check of an app, if enabled. */
  public static checkOf(app: App): KeyCustodyCheck | undefined {
    return enabled.get(app);
  }
}

/** Write a file, creating its folder. */
export function writeFileEnsured(file: string, content: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content);
}
