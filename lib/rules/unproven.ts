import type { CustodyModel } from '../model/types';

/**
 * True when the model recorded that a value of this resource could not be read (a plan value
 * only known after apply, an unreadable policy). Such a value is KC092, a warning, and must not
 * also become a hardening error ("no TLS deny") that the configuration may well not have.
 */
export function unproven(model: CustodyModel, stack: string, address: string | undefined): boolean {
  if (address === undefined) return false;
  return model.unknowns.some((u) => u.stack === stack && u.address === address);
}
