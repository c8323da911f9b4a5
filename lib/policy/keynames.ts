/**
 * How a master key is named on a container's environment and command line: the variable
 * and flag names that carry the key by value or by path. The constructs refuse the by-value
 * forms; the rules report them.
 */

/** Names that carry a master key by value: `ZITADEL_MASTERKEY`, `SERVOS_MASTER_KEY`, `MASTER_KEY`... */
export function isKeyEnvName(name: string): boolean {
  return /(^|_)MASTER_?KEY$/i.test(name) && !/_FILE$/i.test(name);
}

/** `SERVOS_MASTER_KEY_FILE`, `ACT_MASTER_KEY_FILE`, ...: the by-path twin of a key variable. */
export function isKeyFileEnvName(name: string): boolean {
  return /(^|_)MASTER_?KEY_FILE$/i.test(name);
}

function normFlag(flag: string): string {
  return flag.replace(/^-+/, '').replace(/[-_]/g, '').toLowerCase();
}

/** `--masterkeyFile`, `--masterkey-file`, Zitadel's `-m` shorthand: the key passed by path. */
export function isKeyFileFlag(flag: string): boolean {
  const n = normFlag(flag);
  return flag === '-m' || (n.includes('masterkey') && n.includes('file'));
}

/** `--masterkeyFromEnv`: Zitadel then reads `ZITADEL_MASTERKEY`. */
export function isKeyFromEnvFlag(flag: string): boolean {
  return normFlag(flag) === 'masterkeyfromenv';
}

/** `--masterkey`, `--masterkey-old`, `--master-key`: the key passed by value. */
export function isKeyValueFlag(flag: string): boolean {
  const n = normFlag(flag);
  return n.includes('masterkey') && !n.includes('file') && !n.includes('fromenv');
}
