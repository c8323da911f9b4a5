#!/usr/bin/env node
// The `key-custody` executable. `main` is loaded dynamically so that even a broken install
// (a module that fails to load) ends in one `key-custody: ...` line and exit 2, not a stack trace.

/** Control characters shown escaped, as lib/report/escape.ts does; inlined so this file loads nothing. */
function visible(s: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function failed(e: unknown): void {
  const why = e instanceof Error ? e.message : String(e);
  process.stderr.write(`key-custody: ${visible(why.replace(/\s*\r?\n\s*/g, ' '))}\n`);
  if (process.env.KEY_CUSTODY_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exitCode = 2;
}

import('./main')
  .then(({ main }) => main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, isTTY: process.stdout.isTTY === true && !process.env.NO_COLOR }))
  .then((code) => {
    // exitCode, not exit(): lets a large report drain into a pipe before the process ends.
    process.exitCode = code;
  }, failed);
