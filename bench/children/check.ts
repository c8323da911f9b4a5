/**
 * B4 child: `node check.js <path>... [--format f]`: what the `key-custody` bin does (load the
 * CLI, run `main`), with the report written to a counting sink instead of a terminal. The
 * phases are timed by wrapping the module exports the CLI calls through (`readInputs`,
 * `buildModel`, `runRules`); tsc's CommonJS output calls them as `(0, mod.fn)(...)`, so the
 * wrappers see every call. Exit code 0/1 (findings) both count as a completed check.
 */
import { report, since } from './report';

type Fn = (...args: unknown[]) => unknown;
const phases: Record<string, number> = {};

function timed(mod: Record<string, unknown>, name: string, phase: string): void {
  const orig = mod[name] as Fn;
  mod[name] = function (this: unknown, ...args: unknown[]) {
    const t = performance.now();
    try {
      return orig.apply(this, args);
    } finally {
      phases[phase] = (phases[phase] ?? 0) + since(t);
    }
  };
}

async function run(): Promise<void> {
  const t0 = performance.now();
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cli = require('../../lib/cli/main') as typeof import('../../lib/cli/main');
  timed(require('../../lib/cli/inputs') as Record<string, unknown>, 'readInputs', 'readMs');
  timed(require('../../lib/model/build') as Record<string, unknown>, 'buildModel', 'modelMs');
  timed(require('../../lib/rules/engine') as Record<string, unknown>, 'runRules', 'rulesMs');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const loadMs = since(t0);
  let bytes = 0;
  const sink = { write: (s: string) => (bytes += s.length) };
  let stderr = '';
  const t1 = performance.now();
  const code = await cli.main(['check', ...process.argv.slice(2)], { stdout: sink, stderr: { write: (s: string) => (stderr += s) } });
  const workMs = since(t1);
  if (code === 2) {
    process.stderr.write(stderr);
    process.exit(2);
  }
  report({ loadMs, workMs, exitCode: code, outputChars: bytes, ...phases, renderMs: workMs - (phases.readMs ?? 0) - (phases.modelMs ?? 0) - (phases.rulesMs ?? 0) });
}

void run();
