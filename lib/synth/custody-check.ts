import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { buildModel } from '../model/build';
import { loadTerraformJson } from '../model/load/cdktf-json';
import type { TfDocument } from '../model/types';
import { blocking, formatFinding, runRules, type CheckResult, type EngineOptions } from '../rules/engine';
import type { CustodyRule } from '../rules/rule';
import { ALL_RULES } from '../rules';
import { writeReports } from './reports';

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

  constructor(
    private readonly app: App,
    private options: KeyCustodyOptions,
  ) {
    // An App validation runs after all stacks are synthesized and before the manifest
    // is written: the one point where the whole app's Terraform JSON exists.
    app.node.addValidation({ validate: () => this.validate() });
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
      const file = join(this.app.outdir, this.app.manifest.forStack(stack).synthesizedStackPath);
      if (!existsSync(file)) return [];
      return [loadTerraformJson(stack.node.id, JSON.parse(readFileSync(file, 'utf8')), file)];
    });
  }

  private validate(): string[] {
    const documents = this.documents();
    if (documents.length === 0) return [];
    const engineOptions: EngineOptions = { today: this.options.today };
    const model = buildModel(documents);
    const result = runRules(model, this.options.rules ?? ALL_RULES, engineOptions);
    this.lastResult = result;
    const errors = blocking(result.findings, this.options.strict);
    if (errors.length > 0) {
      // Nothing half-written: a failed check leaves no stack configuration that a
      // following `cdktf deploy` or `terraform apply` could pick up unchecked.
      for (const stack of this.stacks()) {
        rmSync(join(this.app.outdir, this.app.manifest.forStack(stack).workingDirectory), { recursive: true, force: true });
      }
      return [`key custody check failed with ${errors.length} finding(s):`, ...errors.map(formatFinding)];
    }
    if (this.options.reports !== false) {
      mkdirSync(this.app.outdir, { recursive: true });
      const byName = new Map(this.stacks().map((s) => [s.node.id, s]));
      const stackNamed = (name: string): TerraformStack => {
        const s = byName.get(name);
        if (!s) throw new Error(`key custody check: no stack named "${name}"`);
        return s;
      };
      writeReports(this.app.outdir, model, result, (stack: string) => this.app.manifest.forStack(stackNamed(stack)).workingDirectory);
      this.annotateWarnings(result, byName);
    }
    return [];
  }

  /** Warnings do not fail synth; the cdktf CLI prints manifest annotations, so put them there. */
  private annotateWarnings(result: CheckResult, byName: ReadonlyMap<string, TerraformStack>): void {
    for (const f of result.findings) {
      if (f.suppressed || f.severity !== 'warning') continue;
      const stack = byName.get(f.stack);
      if (!stack) continue;
      const entry = this.app.manifest.forStack(stack) as { annotations: { constructPath: string; level: string; message: string }[] };
      entry.annotations.push({ constructPath: stack.node.path, level: '@cdktf/warn', message: formatFinding(f) });
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
