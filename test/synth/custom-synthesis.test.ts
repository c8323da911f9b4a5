import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { afterEach, describe, expect, it } from 'vitest';
import { writeBesideStack } from '../../lib/synth/custom-synthesis';

const outdirs: string[] = [];
afterEach(() => {
  for (const d of outdirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('writeBesideStack', () => {
  it('writes the file next to the stack\'s cdk.tf.json, naming and rendering it at synth', () => {
    const app = Testing.app();
    outdirs.push(app.outdir);
    const stack = new TerraformStack(app, 'drill');
    const part = new Construct(stack, 'Part');
    let text = 'before';
    writeBesideStack(
      part,
      () => `notes-${part.node.children.length}.md`,
      () => text,
    );
    // Both callbacks run at synth: a child added and a text changed later still count.
    new Construct(part, 'Later');
    text = 'after';
    app.synth();
    const dir = join(app.outdir, 'stacks', 'drill');
    expect(existsSync(join(dir, 'cdk.tf.json'))).toBe(true);
    expect(readFileSync(join(dir, 'notes-1.md'), 'utf8')).toBe('after');
  });
});
