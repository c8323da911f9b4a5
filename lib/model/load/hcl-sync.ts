/**
 * A synchronous HCL parser for the synth-time check: cdktf runs App validations
 * synchronously, but `@cdktf/hcl2json` is a Go WebAssembly build whose `parse` needs the
 * event loop. So the parser runs in a worker thread and this thread blocks on
 * `Atomics.wait` until the worker has answered (the answer is taken off the port with
 * `receiveMessageOnPort`, which needs no event loop either).
 *
 * The worker starts only when a `.tf` file of a module has to be read (a cdk.tf.json with a
 * `module` block whose source is a local HCL folder), once per process, and never keeps the
 * process alive. Loading takes under a second.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { SourceInputError, type HclParseSync } from './source';

/** The parser cannot be loaded or does not answer: the message says how to install it. */
export class HclParserUnavailable extends SourceInputError {
  constructor(message: string) {
    super(message);
    this.name = 'HclParserUnavailable';
  }
}

export const HCL2JSON = '@cdktf/hcl2json';
const INSTALL = `install it next to cdktf (\`npm install --save-dev ${HCL2JSON}@0.21.0\`; cdktf-cli brings it when installed in the project)`;

// The worker is plain CommonJS evaluated from this string, so it runs the same from the
// TypeScript sources (tests) and from dist/ (the package).
const WORKER = `
const { workerData } = require('node:worker_threads');
const { port, signal, entry } = workerData;
let parse;
try {
  const mod = require(entry);
  parse = mod.parse || (mod.default && mod.default.parse);
} catch (e) {
  parse = undefined;
}
port.on('message', async ({ file, text }) => {
  let reply;
  try {
    if (typeof parse !== 'function') throw new Error('${HCL2JSON} has no parse function');
    reply = { ok: await parse(file, text) };
  } catch (e) {
    reply = { error: String((e && e.message) || e) };
  }
  port.postMessage(reply);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

interface Bridge {
  readonly port: MessagePort;
  readonly signal: Int32Array;
}

let bridge: Bridge | undefined;

/** Where `@cdktf/hcl2json` is: beside this library, else beside the app being synthesized. */
function resolveEntry(): string {
  for (const from of [__filename, path.join(process.cwd(), 'package.json')]) {
    try {
      return createRequire(from).resolve(HCL2JSON);
    } catch {
      // not installed there; try the next place
    }
  }
  throw new HclParserUnavailable(`the HCL parser ${HCL2JSON} is not installed; ${INSTALL}`);
}

function start(): Bridge {
  if (bridge) return bridge;
  const entry = resolveEntry();
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER, { eval: true, workerData: { port: port2, signal, entry }, transferList: [port2] });
  // Neither keeps a finished synth or CLI run from exiting.
  worker.unref();
  port1.unref();
  worker.on('error', () => {
    bridge = undefined;
  });
  bridge = { port: port1, signal };
  return bridge;
}

/** How long one file may take (the first includes loading the WebAssembly). */
const TIMEOUT_MS = 60_000;

/**
 * Parse one HCL file synchronously (see the file comment). Throws
 * {@link HclParserUnavailable} when the parser cannot run, or the parser's own error for a
 * file that is not valid HCL.
 */
export const parseHclSync: HclParseSync = (filename, contents) => {
  const b = start();
  Atomics.store(b.signal, 0, 0);
  b.port.postMessage({ file: filename, text: contents });
  const waited = Atomics.wait(b.signal, 0, 0, TIMEOUT_MS);
  const answer = receiveMessageOnPort(b.port)?.message as { ok?: Record<string, unknown>; error?: string } | undefined;
  if (!answer) {
    bridge = undefined;
    throw new HclParserUnavailable(`the HCL parser ${HCL2JSON} did not answer for ${filename} (${waited === 'timed-out' ? `no answer in ${TIMEOUT_MS / 1000} s` : 'it stopped'}); ${INSTALL}`);
  }
  if (answer.error !== undefined) {
    if (answer.error.includes('has no parse function') || answer.error.includes('Cannot find module')) throw new HclParserUnavailable(`${answer.error}; ${INSTALL}`);
    throw new Error(answer.error);
  }
  return answer.ok ?? {};
};
