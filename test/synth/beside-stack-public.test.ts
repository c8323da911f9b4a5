/**
 * writeBesideStack through cdktf's public API only (issue 23): the file is written while the
 * stack synthesizes, also for apps built with `skipValidation`, and nothing in lib/ reaches
 * for cdktf's internal custom-synthesis hook, which a fork (cdktn) may move on any release.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { afterEach, describe, expect, it } from 'vitest';
import { writeBesideStack } from '../../lib/synth/custom-synthesis';

const CUSTOM_SYNTHESIS = Symbol.for('cdktf/customSynthesis');
const outdirs: string[] = [];
afterEach(() => {
  for (const d of outdirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function build(app: App) {
  outdirs.push(app.outdir);
  const stack = new TerraformStack(app, 'drill');
  const part = new Construct(stack, 'Part');
  let text = 'before';
  writeBesideStack(part, () => `notes-${part.node.children.length}.md`, () => text);
  new Construct(part, 'Later');
  text = 'after';
  return { part, dir: join(app.outdir, 'stacks', 'drill') };
}

describe('writeBesideStack, public API only', () => {
  it('does not use cdktf\'s internal custom-synthesis hook', () => {
    const { part } = build(Testing.app());
    expect(Object.getOwnPropertySymbols(part)).not.toContain(CUSTOM_SYNTHESIS);
  });

  it('writes the file next to cdk.tf.json when the app synthesizes', () => {
    const app = Testing.app();
    const { dir } = build(app);
    app.synth();
    expect(readFileSync(join(dir, 'notes-1.md'), 'utf8')).toBe('after');
    expect(existsSync(join(dir, 'cdk.tf.json'))).toBe(true);
  });

  it('still writes the file when the app skips validation', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'kc-beside-')), skipValidation: true });
    const { dir } = build(app);
    app.synth();
    expect(readFileSync(join(dir, 'notes-1.md'), 'utf8')).toBe('after');
  });
});
