/** Whether two account identities may be the same account. */
import { describe, expect, it } from 'vitest';
import { mayBeSameAccount } from '../../../lib/model/iam/accounts';

describe('mayBeSameAccount', () => {
  it('treats identities that pin different things as different accounts', () => {
    expect(mayBeSameAccount('acct:111111111111', 'acct:111111111111')).toBe(true);
    expect(mayBeSameAccount('acct:111111111111', 'acct:222222222222')).toBe(false);
    // A named profile pins no account (issue 17).
    expect(mayBeSameAccount('profile:a', 'profile:b')).toBe(true);
    expect(mayBeSameAccount('profile:a', 'acct:111111111111')).toBe(true);
  });

  it('lets an identity that pins nothing be any account', () => {
    expect(mayBeSameAccount('default', 'acct:111111111111')).toBe(true);
    expect(mayBeSameAccount('acct:111111111111', 'default')).toBe(true);
    expect(mayBeSameAccount('s:default', 'acct:111111111111')).toBe(true);
    expect(mayBeSameAccount('acct:111111111111', 'other:default')).toBe(true);
    expect(mayBeSameAccount('*', 'acct:111111111111')).toBe(true);
    expect(mayBeSameAccount('acct:111111111111', '*')).toBe(true);
    expect(mayBeSameAccount('s:defaults', 'acct:111111111111')).toBe(false);
    expect(mayBeSameAccount('xdefault', 'acct:111111111111')).toBe(false);
    expect(mayBeSameAccount('acct:111111111111', 'xdefault')).toBe(false);
  });
});
