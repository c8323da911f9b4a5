/** Whether two account identities (as ../accounts.ts reads them) may be the same account, and the account id an ARN needs. */

function normAccount(a: string): string {
  return a === 'default' || a.endsWith(':default') ? 'default' : a;
}

/**
 * Whether two account identities may be the same account. Identities that pin different
 * things are different accounts (accounts.ts); one that pins nothing may be any account.
 */
export function mayBeSameAccount(a: string, b: string): boolean {
  const x = normAccount(a);
  const y = normAccount(b);
  return x === y || x === 'default' || y === 'default' || x === '*' || y === '*';
}

/** The account id an ARN of this account names: its 12 digits, or `*` when the identity pins none. */
export function accountId(a: string): string {
  const m = /^acct:(\d{12})$/.exec(a);
  return m ? m[1] : '*';
}
