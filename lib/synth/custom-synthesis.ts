import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { App, Aspects, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';

/**
 * Writes a file next to the `cdk.tf.json` of the construct's stack on every synth (the
 * drill and rotation runbooks), through public cdktf API only, so that it works the same on
 * cdktf 0.21 and on its fork CDK Terrain (cdktn), whose internals may move on any release.
 *
 * The file is written by a validation of the construct: a stack runs its validations while
 * it is synthesized, after every aspect, so the name and the text follow the finished tree.
 * An app built with `skipValidation` runs no validation (and no custody check); there an
 * aspect writes the file instead, so the runbooks do not silently go missing.
 */
export function writeBesideStack(construct: IConstruct, fileName: () => string, render: () => string): void {
  const stack = TerraformStack.of(construct);
  const app = App.of(construct);
  const write = () => {
    const dir = join(app.outdir, app.manifest.forStack(stack).workingDirectory);
    const file = join(dir, fileName());
    // A name may hold one folder level (the drill's `drill-tools-<id>/Dockerfile`, a docker build context).
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, render());
  };
  if (app.skipValidation) {
    Aspects.of(construct).add({ visit: (node) => (node === construct ? write() : undefined) });
    return;
  }
  construct.node.addValidation({
    validate: () => {
      write();
      return [];
    },
  });
}
