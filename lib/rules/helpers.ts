/**
 * Logic shared by several custody rules: where a manifest-level finding points, and how a
 * container is told where its key file is. The model's own indexes (declared keys,
 * carriers, 3-2-1 copies) are its views, in lib/model/views; the names that carry a key are
 * vocabulary, in lib/policy/keynames. Everything here is a pure function of the model.
 */
import { containerArgv } from '../model/containers';
import type { Container, CustodyModel, Manifest } from '../model/types';
import { isKeyEnvName, isKeyFileEnvName, isKeyFileFlag } from '../policy/keynames';
import type { RuleViolation } from './rule';

/** A violation located at a manifest (for manifest-level findings). */
export function manifestViolation(model: CustodyModel, manifest: Manifest, message: string, fix?: string): RuleViolation {
  const r = model.resource(manifest.stack, manifest.address);
  return { stack: manifest.stack, address: manifest.address, message, fix, location: r?.location };
}

// ---------------------------------------------------------------------------------------
// Environment variables and command lines

/** The argv a container runs: entrypoint then command, each element split on whitespace ({@link containerArgv}, split once per container). */
export function argvOf(c: Container): readonly string[] {
  return containerArgv(c);
}

/** One flag on a command line, with its value when it has one (`--f v` or `--f=v`). */
export interface FlagUse {
  readonly flag: string;
  readonly value?: string;
  /** True when the value was written inline (`--f=v`). */
  readonly inline: boolean;
}

/** The flags of an argv. A following token that does not start with `-` is the value. */
export function flagsOf(argv: readonly string[]): FlagUse[] {
  const out: FlagUse[] = [];
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i];
    if (!/^--?[A-Za-z]/.test(t)) continue;
    const eq = t.indexOf('=');
    if (eq > 0) {
      out.push({ flag: t.slice(0, eq), value: t.slice(eq + 1), inline: true });
    } else {
      const next = argv[i + 1];
      out.push({ flag: t, value: next !== undefined && !next.startsWith('-') ? next : undefined, inline: false });
    }
  }
  return out;
}


/** One way a container is told where to read its key file. */
export interface KeyFileRef {
  /** `--masterkeyFile` or `env SERVOS_MASTER_KEY_FILE`. */
  readonly via: string;
  /** The path, when it is a literal. */
  readonly path?: string;
  /** True for key-specific flags and `*_MASTER_KEY_FILE` variables. */
  readonly keySpecific: boolean;
}

/** Every key-file path a container is given: key-file flags and `*_FILE` variables. */
export function keyFileRefs(c: Container): KeyFileRef[] {
  const out: KeyFileRef[] = [];
  for (const f of flagsOf(argvOf(c))) {
    if (!isKeyFileFlag(f.flag)) continue;
    // `-m` is Zitadel's shorthand but means other things elsewhere (`python -m mod`): only an absolute path counts.
    if (f.flag === '-m' && !(f.value ?? '').startsWith('/')) continue;
    out.push({ via: f.flag, path: f.value !== undefined && !f.value.includes('${') ? f.value : undefined, keySpecific: true });
  }
  for (const [name, value] of Object.entries(c.env)) {
    if (!/_FILE$/i.test(name)) continue;
    out.push({ via: `env ${name}`, path: value && !value.includes('${') ? value : undefined, keySpecific: isKeyFileEnvName(name) });
  }
  return out;
}

/** How a container should be given the key by path, for fixes. */
export function byPathHint(app: string | undefined, envName: string | undefined, target: string): string {
  const zitadel = (app ?? '').toLowerCase().includes('zitadel') || /^ZITADEL_/i.test(envName ?? '');
  if (zitadel) return `pass \`--masterkeyFile ${target}\` in the command`;
  const base = envName && isKeyEnvName(envName) ? envName : app ? `${app.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_MASTER_KEY` : 'APP_MASTER_KEY';
  return `set \`${base}_FILE=${target}\``;
}
