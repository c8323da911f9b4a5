import { CeremonyError } from './errors';

// age encryption through the npm package `age-encryption` (BSD-3-Clause, the reference
// TypeScript implementation), loaded only when a cold or offsite copy is asked for. It is an
// ES module: TypeScript's CommonJS output turns `import()` into `require()`, which loads it on
// Node >= 20.19 (require of ES modules); older Node refuses with ERR_REQUIRE_ESM, and then a
// real `import()` made at run time loads it.

interface AgeEncrypter {
  addRecipient(r: string): void;
  encrypt(file: Uint8Array): Promise<Uint8Array>;
}
interface AgeModule {
  Encrypter: new () => AgeEncrypter;
}

const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

let loaded: Promise<AgeModule> | undefined;

/** The `age-encryption` module, or a one-line error that says how to install it. */
export function loadAge(): Promise<AgeModule> {
  const name = 'age-encryption';
  loaded ??= (import(name) as Promise<unknown>)
    .catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException)?.code === 'ERR_REQUIRE_ESM') return importEsm(name);
      throw e;
    })
    .then(
    (m) => m as AgeModule,
    (e: unknown) => {
      loaded = undefined;
      throw new CeremonyError(
        `cold and offsite copies need the package age-encryption, which could not be loaded (${(e as NodeJS.ErrnoException)?.code ?? String(e)}); install it next to cdktf-key-custody: npm install age-encryption@0.3.1`,
      );
    },
  );
  return loaded;
}

/** A recipient as the user gave it, shortened for a message (recipients are public keys, not secrets). */
function shown(r: string): string {
  return JSON.stringify(r.length > 80 ? `${r.slice(0, 77)}...` : r);
}

/**
 * Check every recipient before anything is written: an `age1...` X25519 public key (what
 * `age-keygen -y` prints) or another recipient type the package knows. An age SECRET key
 * given by mistake is refused without being echoed.
 */
export async function checkRecipients(recipients: readonly string[]): Promise<void> {
  const age = await loadAge();
  for (const r of recipients) {
    if (/^AGE-SECRET-KEY-/i.test(r.trim())) {
      throw new CeremonyError('a --recipient is an age SECRET key (AGE-SECRET-KEY-...); give its public key instead, the age1... line `age-keygen -y <identity file>` prints');
    }
    try {
      new age.Encrypter().addRecipient(r);
    } catch (e) {
      throw new CeremonyError(
        `--recipient ${shown(r)} is not an age recipient (${e instanceof Error ? e.message : String(e)}); give the age1... public key \`age-keygen -y <identity file>\` prints`,
      );
    }
  }
}

/** `bytes` encrypted to every recipient, in the binary age format `age -d` reads. */
export async function ageEncrypt(bytes: Uint8Array, recipients: readonly string[]): Promise<Uint8Array> {
  const age = await loadAge();
  const e = new age.Encrypter();
  for (const r of recipients) e.addRecipient(r);
  return e.encrypt(bytes);
}
