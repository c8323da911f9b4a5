import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App, TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Container } from '@cdktf/provider-docker/lib/container';
import { KeyCustody } from '../../lib';
import { containedStackFolder, removeStackOutput, snapshotOutput, writeFileAtomic } from '../../lib/synth/output-guard';

// A failed synth-time check removes what the synth wrote. Each test puts user files in a
// place that a path built from the outdir and the stack id could reach, and proves they
// survive a failing synth.

const root = join(__dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'kc-safety-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** An app with one stack `stackId` holding a container; `leak` puts the key in its env (KC001). */
function app(outdir: string, stackId: string, leak: boolean): App {
  const a = new App({ outdir });
  KeyCustody.enable(a);
  const stack = new TerraformStack(a, stackId);
  new DockerProvider(stack, 'docker', {});
  new Container(stack, 'zitadel', {
    name: 'zitadel',
    image: 'ghcr.io/zitadel/zitadel:v4.13.0',
    ...(leak ? { env: ['ZITADEL_MASTERKEY=${var.masterkey}'] } : {}),
  });
  return a;
}

function synthError(a: App): string {
  try {
    a.synth();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

function put(file: string, content = 'user data\n'): string {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content);
  return file;
}

function fresh(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('a failed synth removes only what it wrote', () => {
  it('stack id ".." (its folder is the outdir) is refused and the outdir and project survive', () => {
    const project = fresh('dotdot');
    const source = put(join(project, 'main.ts'), 'const app = 1;\n');
    const outdir = join(project, 'cdktf.out');
    const besideOut = put(join(outdir, 'notes.txt'));
    const otherStack = put(join(outdir, 'stacks', 'other', 'keep.txt'));
    const message = synthError(app(outdir, '..', true));
    for (const f of [source, besideOut, otherStack]) expect(existsSync(f), f).toBe(true);
    expect(message).toMatch(/stack id "\.\." puts its configuration at .*cdk\.tf\.json.*fix: give the TerraformStack a plain name/);
  });

  it('stack id "." (its folder is stacks/) is refused and the other stacks\' folders survive', () => {
    const outdir = join(fresh('dot'), 'cdktf.out');
    const otherStack = put(join(outdir, 'stacks', 'other', 'cdk.tf.json'), '{}\n');
    const message = synthError(app(outdir, '.', true));
    expect(existsSync(otherStack)).toBe(true);
    expect(message).toContain('stack id "." puts its configuration at');
  });

  it('an outdir of the project folder itself: source and an existing stack folder\'s own files survive', () => {
    const project = fresh('outdir-is-project');
    const source = put(join(project, 'main.ts'));
    const pkg = put(join(project, 'package.json'), '{}\n');
    const userInStack = put(join(project, 'stacks', 'app-host', 'notes.txt'));
    const message = synthError(app(project, 'app-host', true));
    expect(message).toMatch(/KC001 docker_container\.zitadel \(stack app-host\)/);
    for (const f of [source, pkg, userInStack]) expect(existsSync(f)).toBe(true);
    // The unchecked configuration is gone; the folder that existed before stays.
    expect(existsSync(join(project, 'stacks', 'app-host', 'cdk.tf.json'))).toBe(false);
    expect(existsSync(join(project, 'stacks', 'app-host'))).toBe(true);
  });

  it('a stack folder this synth created is removed whole, and nothing else', () => {
    const outdir = join(fresh('created'), 'out');
    const sibling = put(join(outdir, 'stacks', 'sibling', 'cdk.tf.json'), '{}\n');
    synthError(app(outdir, 'app-host', true));
    expect(existsSync(join(outdir, 'stacks', 'app-host'))).toBe(false);
    expect(existsSync(sibling)).toBe(true);
  });

  it('a symlinked stack folder is not walked: its target keeps its files', () => {
    const base = fresh('symlinked');
    const target = join(base, 'elsewhere');
    const keep = put(join(target, 'precious.txt'));
    const outdir = join(base, 'out');
    mkdirSync(join(outdir, 'stacks'), { recursive: true });
    symlinkSync(target, join(outdir, 'stacks', 'app-host'));
    synthError(app(outdir, 'app-host', true));
    expect(existsSync(keep)).toBe(true);
  });
});

describe('reports', () => {
  it('no PASS report survives a failing synth in the same outdir', () => {
    const outdir = join(fresh('stale'), 'out');
    expect(synthError(app(outdir, 'app-host', false))).toBe('');
    expect(readFileSync(join(outdir, 'custody-report.md'), 'utf8')).toContain('**PASS**');
    expect(existsSync(join(outdir, 'stacks', 'app-host', 'custody-report.md'))).toBe(true);
    expect(synthError(app(outdir, 'app-host', true))).toContain('KC001');
    const md = readFileSync(join(outdir, 'custody-report.md'), 'utf8');
    expect(md).not.toContain('**PASS**');
    expect(md.startsWith('> **Synth refused**: 1 blocking finding(s)')).toBe(true);
    expect(md).toContain('**FAIL**');
    const json = JSON.parse(readFileSync(join(outdir, 'custody-report.json'), 'utf8')) as { synth: { passed: boolean } };
    expect(json.synth).toEqual({ passed: false, blocking: 1, strict: false });
    expect(existsSync(join(outdir, 'stacks', 'app-host', 'custody-report.md'))).toBe(false);
    expect(existsSync(join(outdir, 'stacks', 'app-host', 'custody-report.json'))).toBe(false);
    expect(existsSync(join(outdir, 'stacks', 'app-host', 'cdk.tf.json'))).toBe(false);
  });

  it('a passing synth leaves no temporary report files', () => {
    const outdir = join(fresh('no-temp'), 'out');
    expect(synthError(app(outdir, 'app-host', false))).toBe('');
    const all = [...readdirSync(outdir), ...readdirSync(join(outdir, 'stacks', 'app-host'))];
    expect(all.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a write that fails part way (file size limit, as on a full disk) leaves neither a truncated nor a stale report', () => {
    const dir = fresh('efbig');
    const file = put(join(dir, 'custody-report.md'), '**PASS**: stale\n');
    const script = join(dir, 'write.ts');
    writeFileSync(
      script,
      `import { writeFileAtomic } from ${JSON.stringify(join(root, 'lib', 'synth', 'output-guard'))};\n` +
        `try { writeFileAtomic(${JSON.stringify(file)}, 'x'.repeat(64 * 1024)); } catch (e) { process.stdout.write((e as Error).message); process.exit(3); }\n`,
    );
    // SIGXFSZ ignored, so the write fails with EFBIG instead of killing the process.
    const res = spawnSync('bash', ['-c', `trap '' XFSZ; ulimit -f 8; exec ${join(root, 'node_modules', '.bin', 'tsx')} ${script}`], { encoding: 'utf8' });
    expect(res.status).toBe(3);
    expect(res.stdout).toBe(`key custody check: could not write the report ${file} (EFBIG); free space or fix permissions and synthesize again`);
    expect(readdirSync(dir).sort()).toEqual(['write.ts']);
  });

  it('writeFileAtomic replaces a file whole', () => {
    const file = put(join(fresh('atomic'), 'r.md'), 'old');
    writeFileAtomic(file, 'new content');
    expect(readFileSync(file, 'utf8')).toBe('new content');
    expect(readdirSync(join(file, '..'))).toEqual(['r.md']);
  });
});

describe('output guard', () => {
  it('accepts only direct children of <outdir>/stacks', () => {
    const out = '/x/out';
    expect(containedStackFolder(out, 'stacks/app-host')).toBe('/x/out/stacks/app-host');
    expect(containedStackFolder(out, 'stacks/a\\b')).toBe('/x/out/stacks/a\\b');
    for (const bad of ['.', 'stacks', 'stacks/..', 'stacks/a/b', '../stacks/x', '/etc', 'stacks/../../etc']) {
      expect(containedStackFolder(out, bad)).toBeUndefined();
    }
  });

  it('removes new entries and its own report files, keeps what was there before', () => {
    const outdir = fresh('guard');
    const folder = join(outdir, 'stacks', 's');
    put(join(folder, 'user.txt'));
    put(join(folder, 'custody-report.md'));
    mkdirSync(join(folder, 'user-dir'));
    const before = snapshotOutput(outdir);
    put(join(folder, 'cdk.tf.json'), '{}');
    put(join(folder, 'assets', 'runbook.md'));
    const removed = removeStackOutput(outdir, { workingDirectory: 'stacks/s', synthesizedStackPath: 'stacks/s/cdk.tf.json' }, before, ['custody-report.md']);
    expect(removed.map((p) => p.slice(folder.length + 1)).sort()).toEqual(['assets', 'cdk.tf.json', 'custody-report.md']);
    expect(readdirSync(folder).sort()).toEqual(['user-dir', 'user.txt']);
  });

  it('does nothing for a folder outside stacks/, even when told to', () => {
    const outdir = fresh('guard-outside');
    const f = put(join(outdir, 'cdk.tf.json'), '{}');
    expect(removeStackOutput(outdir, { workingDirectory: '.', synthesizedStackPath: 'cdk.tf.json' }, new Map())).toEqual([]);
    expect(existsSync(f)).toBe(true);
  });
});
