#!/usr/bin/env node
// The `key-custody` executable. `main` is loaded dynamically so that even a broken install
// (a module that fails to load) ends in one `key-custody: ...` line and exit 2, not a stack trace.
//
// Standard output that cannot take the report ends in exit 2, never in the "findings" code 1
// or a stack trace: `> /dev/full` (ENOSPC) and other write failures print one line on stderr.
// EPIPE, the reader going away as `| head` does, is quiet, as for a tool killed by SIGPIPE, but
// still exits 2: the report was not delivered whole, so a pipeline under `set -o pipefail`
// fails instead of passing on a truncated report.

/** Control characters shown escaped, as lib/report/escape.ts does; inlined so this file loads nothing. */
function visible(s: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Write to stderr; when even that fails there is nowhere left to say it, and exit 2 says enough. */
function say(text: string): void {
  try {
    process.stderr.write(text);
  } catch {
    process.exitCode = 2;
  }
}

// A closed or full stderr emits 'error' as well; without a listener that would be a stack trace.
process.stderr.on('error', () => {
  process.exitCode = 2;
});

let outputFailed = false;

function failed(e: unknown): void {
  const why = e instanceof Error ? e.message : String(e);
  say(`key-custody: ${visible(why.replace(/\s*\r?\n\s*/g, ' '))}\n`);
  if (process.env.KEY_CUSTODY_DEBUG && e instanceof Error && e.stack) say(`${e.stack}\n`);
  process.exitCode = 2;
}

import('./main')
  .then(({ main, writeFailure }) => {
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      process.exitCode = 2;
      // The first failure is the one to report; writes after it fail as well.
      if (outputFailed) return;
      outputFailed = true;
      if (e.code !== 'EPIPE') say(`key-custody: ${visible(writeFailure(e))}\n`);
    });
    const tty = process.stdout.isTTY === true;
    // A terminal narrower than 100 columns still wraps at 100 at least: cut tables are worse than a wrapped line.
    const columns = tty ? Math.max(process.stdout.columns || 100, 100) : undefined;
    return main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, isTTY: tty && !process.env.NO_COLOR, ...(columns ? { columns } : {}) });
  })
  .then((code) => {
    // exitCode, not exit(): lets a large report drain into a pipe before the process ends.
    // A write that failed before this point has set 2 already; one that fails later sets it then.
    process.exitCode = outputFailed ? 2 : code;
  }, failed);
