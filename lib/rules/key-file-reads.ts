import type { CustodyModel } from '../model/types';
import { declaredKeys, hotPaths } from '../model/views/declared';

// Terraform functions that put a file's content into a value: `file`, `filebase64`,
// `templatefile`. A value built with them from the key file carries the key itself, whatever
// the variable or attribute holding it is called (`ACT_ENCRYPTION_SECRET=${file("/etc/act/master_key")}`).
// The hashing twins (`filesha256`, `filemd5`, ...) give a digest, not the key, and are left out.
const READS = /\b(file|filebase64|templatefile)\s*\(\s*"((?:[^"\\]|\\.)*)"/g;

/** The literal paths a Terraform value reads with `file()` and its kin. */
export function filesRead(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(READS)) out.push(m[2].replace(/\\(.)/g, '$1'));
  return out;
}

/**
 * The key file a value reads, if any: a declared hot copy (host file or `hostPath`, of any
 * generation), or a file whose name says it holds a master key.
 */
export function keyFileRead(model: CustodyModel, value: string): string | undefined {
  const paths = filesRead(value);
  if (paths.length === 0) return undefined;
  const keyPaths = new Set(declaredKeys(model).flatMap((d) => hotPaths(d.key)));
  return paths.find((p) => keyPaths.has(p) || /master.?key/i.test(p.slice(p.lastIndexOf('/') + 1)));
}
