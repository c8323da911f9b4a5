import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformStack, type ISynthesisSession } from 'cdktf';
import { addCustomSynthesis } from 'cdktf/lib/synthesize/synthesizer';
import type { IConstruct } from 'constructs';

/**
 * Writes a file next to the `cdk.tf.json` of the construct's stack on every synth (the
 * drill and rotation runbooks). cdktf has no public hook for files beside a stack's
 * output; its internal `addCustomSynthesis` is, and this is the one place that uses it.
 * Both callbacks run at synth, so the name and the text follow the finished tree.
 */
export function writeBesideStack(construct: IConstruct, fileName: () => string, render: () => string): void {
  const stack = TerraformStack.of(construct);
  addCustomSynthesis(construct, {
    onSynthesize: (session: ISynthesisSession) => {
      const dir = join(session.outdir, session.manifest.forStack(stack).workingDirectory);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, fileName()), render());
    },
  });
}
