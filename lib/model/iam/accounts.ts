/** Whether two account identities (as ../accounts.ts reads them) may be the same account, and the account id an ARN needs. */

function normAccount(a: string): string {
  // A named profile pins no account: two profiles (or a profile and an account id) may be one account.
  return a === 'default' || a.endsWith(':default') || a.startsWith('profile:') ? 'default' : a;
}

/**
 * Whether two account identities may be the same account. Identities that pin different
 * account ids are different accounts (accounts.ts); one that pins none may be any account.
 */
export function mayBeSameAccount(a: string, b: string): boolean {
  const x = normAccount(a);
  const y = normAccount(b);
  return x === y || x === 'default' || y === 'default' || x === '*' || y === '*';
}

/**
 * Whether two account identities are certainly the same account: both pin the same account
 * id, or both are the one provider configuration that pins none (`oneOpen`). What a Deny
 * names by account applies only then; otherwise it may miss the principal.
 */
export function surelySameAccount(a: string, b: string, oneOpen = false): boolean {
  return a === b && (a.startsWith('acct:') || oneOpen);
}

/** The account id an ARN of this account names: its 12 digits, or `*` when the identity pins none. */
export function accountId(a: string): string {
  const m = /^acct:(\d{12})$/.exec(a);
  return m ? m[1] : '*';
}
