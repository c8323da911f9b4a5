/**
 * Control characters in everything printed. Resource names, tag values, stack (folder) names and
 * paths come from the user's files; an ESC, CR or bidirectional override in them must not reach
 * the terminal raw, where it can recolour, clear or overwrite finding lines. Text, Markdown and
 * error lines show them escaped (`\x1b`, `\r`, `\u202e`); JSON and SARIF escape them as JSON
 * does, so consumers read back the exact value.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App, TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Container } from '@cdktf/provider-docker/lib/container';
import { runVerifyKey } from '../../lib/cli/verify-key';
import type { CustodyRule } from '../../lib/rules/rule';
import { escapeControls, escapeJsonControls } from '../../lib/report/escape';
import { renderText } from '../../lib/report/text';
import { KeyCustody } from '../../lib/synth/custody-check';
import { run } from './fixtures';

const tmp = mkdtempSync(join(tmpdir(), 'kc-control-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Clears the screen, sets the window title, returns the cursor, overrides the direction, C1 CSI. */
const HOSTILE = 'a\u001b[2J\u001b]0;pwned\u0007\rb\u202e\u009b31m\u0008c';
/** Every control character the printed text must not carry raw (newline aside). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

/** A finding per resource whose message carries the resource's `owner` tag value. */
const OWNER_RULE: CustodyRule = {
  id: 'KT010',
  title: 'test: owner tags are findings',
  severity: 'error',
  explanation: 'test rule',
  fix: 'remove the owner tag',
  suppressible: true,
  check: (model) =>
    model.resources
      .filter((r) => typeof (r.values.tags as Record<string, unknown> | undefined)?.owner === 'string')
      .map((r) => ({ stack: r.stack, address: r.address, message: `owner is ${String((r.values.tags as Record<string, unknown>).owner)}` })),
};

/** A stack folder named with control characters, holding a bucket named and tagged with them. */
function hostileStack(): string {
  const dir = join(tmp, `stack${HOSTILE.replace(/\//g, '')}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ resource: { aws_s3_bucket: { [`keys${HOSTILE}`]: { bucket: 'kc-keys', tags: { owner: HOSTILE } } } } }));
  return dir;
}

describe('text output', () => {
  it('shows control characters of names, tag values and stack names escaped', async () => {
    const r = await run(['check', hostileStack()], { rules: [OWNER_RULE] });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('\\x1b[2J\\x1b]0;pwned\\x07\\rb\\u202e\\x9b31m\\x08c');
    // One finding, one line: the CR cannot start a new visual line over it.
    expect(r.stdout.split('\n').filter((l) => l.includes('KT010'))).toHaveLength(1);
  });

  it('keeps its own colours on a terminal, and nothing else', async () => {
    const r = await run(['check', hostileStack()], { rules: [OWNER_RULE], isTTY: true });
    // eslint-disable-next-line no-control-regex -- the renderer's own SGR sequences
    const withoutColours = r.stdout.replace(/\u001b\[\d+m/g, '');
    expect(withoutColours).not.toMatch(RAW_CONTROL);
    expect(withoutColours).toContain('\\x1b[2J');
  });

  it('escapes a suppression reason and a stack name given to the renderer directly', () => {
    const text = renderText([{ ruleId: 'KT010', severity: 'error', address: 'x', stack: `s${HOSTILE}`, message: 'm', fix: 'f', suppressed: true, reason: `why${HOSTILE}` }], { stacks: [] });
    expect(text).not.toMatch(RAW_CONTROL);
    expect(text).toContain(`(reason: why${escapeControls(HOSTILE)})`);
  });
});

describe('markdown output', () => {
  it('has no raw control character, on stdout and so in the report files', async () => {
    const r = await run(['check', hostileStack(), '--format', 'markdown'], { rules: [OWNER_RULE] });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout).toContain('\\x1b[2J');
  });
});

describe('JSON and SARIF output', () => {
  for (const format of ['json', 'sarif'] as const) {
    it(`${format}: no raw control character, and the exact value reads back`, async () => {
      const r = await run(['check', hostileStack(), '--format', format], { rules: [OWNER_RULE] });
      expect(r.code).toBe(1);
      expect(r.stdout.replace(/\n/g, '')).not.toMatch(RAW_CONTROL);
      const parsed = JSON.parse(r.stdout) as unknown;
      expect(JSON.stringify(parsed)).toContain(JSON.stringify(`owner is ${HOSTILE}`).slice(1, -1));
    });
  }

  it('escapeJsonControls changes the text, never the value', () => {
    const value = { s: `x${HOSTILE}\u2028\u2066y`, n: [1, '\u0085'] };
    const text = escapeJsonControls(JSON.stringify(value));
    expect(text).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('error lines', () => {
  it('a missing path with control characters is one line with them escaped', async () => {
    const r = await run(['check', join(tmp, `missing${HOSTILE}`)]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`missing${escapeControls(HOSTILE)} does not exist`);
  });

  it('an unknown format value is shown escaped', async () => {
    const r = await run(['check', tmp, '--format', `x${HOSTILE}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });

  it('verify-key shows a key file path with control characters escaped', () => {
    const file = join(tmp, `key${HOSTILE}`);
    writeFileSync(file, 'x'.repeat(32));
    let out = '';
    let err = '';
    const code = runVerifyKey([file, '--app', 'zitadel'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
    expect([0, 1]).toContain(code);
    expect(out + err).not.toMatch(RAW_CONTROL);
    expect(out).toContain(`key${escapeControls(HOSTILE)}`);
  });

  it('verify-key usage errors are escaped', () => {
    let err = '';
    const code = runVerifyKey([join(tmp, 'k'), '--app', `zitadel${HOSTILE}`], { stdout: { write: () => undefined }, stderr: { write: (s: string) => (err += s) } });
    expect(code).toBe(2);
    expect(err).not.toMatch(RAW_CONTROL);
  });
});

describe('the synth-time check', () => {
  it('prints failing finding lines with control characters escaped', () => {
    const app = new App({ outdir: mkdtempSync(join(tmp, 'synth-')) });
    KeyCustody.enable(app, { rules: [OWNER_RULE], reports: false });
    const stack = new TerraformStack(app, 'host');
    new DockerProvider(stack, 'docker', {});
    const c = new Container(stack, 'app', { name: 'app', image: 'nginx' });
    // Tags are what the rule reads; a container has none, so put them on through an override.
    c.addOverride('tags', { owner: HOSTILE });
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('KT010');
    expect(message).not.toMatch(RAW_CONTROL);
    expect(message).toContain(escapeControls(HOSTILE));
  });
});
