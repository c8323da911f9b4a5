import { CeremonyError } from '../ceremony/errors';
import type { AwsHotTarget } from '../ceremony/aws-hot';
import type { ColdTarget, KeygenOptions } from '../ceremony/keygen';
import { BUILT_IN_PROFILES, pinKeyFormat, type AppProfile, type KeyFormat } from '../profiles';
import { escapeControls } from '../report/escape';

/** Where `runKeygen` writes; the CLI's `CliIo` fits. */
export interface KeygenIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  readonly cwd?: string;
}

export const KEYGEN_USAGE = `Usage: key-custody keygen --app ${Object.keys(BUILT_IN_PROFILES).join('|')}
         (--hot <file> | --hot-secret <arn|name> | --hot-parameter <name>)
         [--key-id <id>] [--generation N] [--key-format hex64|hex32] [--hot-mode 0400|0600] [--hot-owner <uid>:<gid>]
         [--cold <file.age>[=<medium>] --recipient <age1...>]... [--offsite s3://<bucket>[/<prefix>]]
         [--endpoint <url>] [--region <region>] [--paper <file.html>] [--manifest <custody-copies.json>]
         [--force]

The key ceremony of the runbooks, in one step:
  1. generate the key from the system's CSPRNG in the app's format (zitadel: 32 base64
     characters; servos/act: 64 hex characters, or 32 with --key-format hex32);
  2. write the hot copy: a file owner-only (0400; 0600 with --hot-mode where the runbook
     allows it) in a 0700 folder, no trailing newline, owned by root or, for zitadel, by
     1000:1000, the user its image runs as (--hot-owner for another); or the value of the Secrets Manager
     secret / SSM SecureString parameter Terraform created without one (needs
     @aws-sdk/client-secrets-manager / @aws-sdk/client-ssm; a store that already holds a
     key is refused unless --force);
  3. write each --cold copy age-encrypted to every --recipient (decrypts with \`age -d\`);
     <medium> is what the 3-2-1 count sees (default disk; e.g. nas, usb);
  4. upload the offsite copy, age-encrypted, to <bucket>/<prefix>/<key-id>/<generation>/masterkey.age
     (the bucket's default SSE-KMS encrypts it at rest; needs @aws-sdk/client-s3);
  5. write the --paper sheet, a printable page to seal in a tamper-evident envelope.
It prints the key's fingerprint per copy, never the key, and adds every copy to the
--manifest copies record, which MasterKey's copiesRecord reads.

--key-id defaults to the app's name; give the MasterKey's keyId. --generation defaults to 1.
Nothing is left behind when something is refused or fails: every file is written to a
temporary file and renamed into place once all copies, the upload included, are ready.
An existing file is refused unless --force.

Exit codes: 0 done, 2 refused (bad input, a path that cannot be written, an unreachable
endpoint): one line on stderr says why.
`;

class Usage extends Error {}

function value(args: readonly string[], i: number, flag: string): string {
  const v = args[i + 1];
  if (v === undefined || v === '') throw new Usage(`${flag} needs a value`);
  return v;
}

/** Arguments to keygen options. */
export function parseKeygenArgs(argv: readonly string[]): KeygenOptions | 'help' {
  const args = argv[0] === 'keygen' ? argv.slice(1) : [...argv];
  let app: string | undefined;
  let hot: string | undefined;
  let keyId: string | undefined;
  let generation: number | undefined;
  let format: string | undefined;
  let hotMode: number | undefined;
  let hotOwner: { uid: number; gid: number } | undefined;
  const cold: ColdTarget[] = [];
  const recipients: string[] = [];
  let offsite: string | undefined;
  let endpoint: string | undefined;
  let region: string | undefined;
  let paper: string | undefined;
  let record: string | undefined;
  let force = false;
  let hotAws: AwsHotTarget | undefined;
  for (let i = 0; i < args.length; i++) {
    const raw = args[i];
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const take = (): string => {
      if (eq > 0) return raw.slice(eq + 1);
      const v = value(args, i, flag);
      i++;
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--app':
        app = take();
        break;
      case '--hot':
        hot = take();
        break;
      case '--key-id':
        keyId = take();
        break;
      case '--generation': {
        const v = take();
        generation = /^\d+$/.test(v) ? Number(v) : NaN;
        if (!Number.isSafeInteger(generation) || generation < 1) throw new Usage(`--generation ${JSON.stringify(v)} is not a generation; give a whole number from 1`);
        break;
      }
      case '--key-format':
        format = take();
        if (format !== 'hex64' && format !== 'hex32') throw new Usage(`--key-format ${JSON.stringify(format)}: use hex64 (64 hex characters, 32 bytes) or hex32 (32 hex characters, 16 bytes)`);
        break;
      case '--hot-mode': {
        const v = take();
        if (v !== '0400' && v !== '400' && v !== '0600' && v !== '600') throw new Usage(`--hot-mode ${JSON.stringify(v)}: use 0400 or 0600 (owner-only)`);
        hotMode = parseInt(v, 8);
        break;
      }
      case '--hot-owner': {
        const v = take();
        const m = /^(\d{1,10}):(\d{1,10})$/.exec(v);
        if (!m) throw new Usage(`--hot-owner ${JSON.stringify(v)}: give the numeric uid:gid the app runs as (the MasterKey's hotCopy owner and group), e.g. 1000:1000`);
        hotOwner = { uid: Number(m[1]), gid: Number(m[2]) };
        break;
      }
      case '--cold': {
        const v = take();
        const at = v.lastIndexOf('=');
        cold.push(at > 0 && /^[a-z][a-z0-9-]*$/.test(v.slice(at + 1)) ? { path: v.slice(0, at), medium: v.slice(at + 1) } : { path: v });
        break;
      }
      case '--recipient':
        recipients.push(take());
        break;
      case '--offsite':
        offsite = take();
        break;
      case '--endpoint':
        endpoint = take();
        if (!/^https?:\/\/[^\s/]+/.test(endpoint)) throw new Usage(`--endpoint ${JSON.stringify(endpoint)} is not a URL; give e.g. https://s3.eu-central-1.amazonaws.com`);
        break;
      case '--region':
        region = take();
        break;
      case '--paper':
        paper = take();
        break;
      case '--manifest':
        record = take();
        break;
      case '--force':
        force = true;
        break;
      case '--hot-secret':
        if (hotAws) throw new Usage('give one of --hot-secret and --hot-parameter');
        hotAws = { kind: 'secrets-manager', id: take() };
        break;
      case '--hot-parameter': {
        if (hotAws) throw new Usage('give one of --hot-secret and --hot-parameter');
        const v = take();
        if (!/^\/?[A-Za-z0-9_.\-/]{1,1011}$/.test(v)) throw new Usage(`--hot-parameter ${JSON.stringify(v)} is not an SSM parameter name; give one like /zitadel/masterkey`);
        hotAws = { kind: 'ssm', name: v };
        break;
      }
      default:
        throw new Usage(raw.startsWith('-') ? `unknown option ${raw}` : `unexpected argument ${JSON.stringify(raw)}; keygen takes options only`);
    }
  }
  if (!app) throw new Usage(`give the app: --app ${Object.keys(BUILT_IN_PROFILES).join('|')}`);
  const base = Object.hasOwn(BUILT_IN_PROFILES, app) ? BUILT_IN_PROFILES[app] : undefined;
  if (!base) throw new Usage(`unknown app ${JSON.stringify(app)}: use one of ${Object.keys(BUILT_IN_PROFILES).join(', ')}`);
  let profile: AppProfile = base;
  if (format) {
    try {
      profile = pinKeyFormat(base, format as KeyFormat);
    } catch (e) {
      throw new Usage((e as Error).message);
    }
  }
  if (!hot && !hotAws) throw new Usage('give the hot copy: --hot <file> (e.g. /etc/zitadel/masterkey), --hot-secret <arn|name> or --hot-parameter <name>');
  return {
    profile,
    keyId: keyId ?? base.name,
    generation,
    hot,
    hotAws,
    aws: { region },
    hotMode,
    hotOwner,
    cold,
    recipients,
    offsite,
    s3: { endpoint, region },
    paper,
    record,
    force,
  };
}

/** `key-custody keygen ...`: returns the exit code; never prints the key. */
export async function runKeygen(argv: readonly string[], io: KeygenIo): Promise<number> {
  const say = (line: string) => io.stdout.write(`${escapeControls(line)}\n`);
  const refuse = (why: string, hint = false) => {
    io.stderr.write(`key-custody keygen: ${escapeControls(why.replace(/\s*\r?\n\s*/g, ' '))}\n${hint ? '(run `key-custody keygen --help` for usage)\n' : ''}`);
    return 2;
  };
  let options: KeygenOptions | 'help';
  try {
    options = parseKeygenArgs(argv);
  } catch (e) {
    return refuse((e as Error).message, true);
  }
  if (options === 'help') {
    io.stdout.write(KEYGEN_USAGE);
    return 0;
  }
  try {
    const { resolve } = await import('node:path');
    const cwd = io.cwd ?? process.cwd();
    const at = (p: string | undefined) => (p === undefined ? undefined : resolve(cwd, p));
    const { keygen } = await import('../ceremony/keygen');
    const r = await keygen({
      ...options,
      hot: at(options.hot),
      cold: options.cold?.map((c) => ({ ...c, path: at(c.path) as string })),
      paper: at(options.paper),
      record: at(options.record),
    });
    say(`made a new ${options.profile.name} master key for ${options.keyId}, generation ${options.generation ?? 1}; ${r.copies.length} ${r.copies.length === 1 ? 'copy' : 'copies'}:`);
    for (const c of r.copies) say(`  ${c.kind.padEnd(7)} ${c.medium.padEnd(9)} ${c.location}  ${c.fingerprint}`);
    if (options.record) say(`recorded in ${at(options.record)}`);
    for (const n of r.notes) say(`note: ${n}`);
    return 0;
  } catch (e) {
    if (e instanceof CeremonyError) return refuse(e.message);
    return refuse(`internal error: ${e instanceof Error ? e.message : String(e)}`);
  }
}
