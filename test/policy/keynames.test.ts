/** The variable names that carry a master key by value or by path (lib/policy/keynames.ts). */
import { describe, expect, it } from 'vitest';
import { isKeyEnvName, isKeyFileEnvName } from '../../lib/policy/keynames';

describe('key variable names', () => {
  it('recognises by-value key variables', () => {
    for (const n of ['MASTER_KEY', 'MASTERKEY', 'ZITADEL_MASTERKEY', 'SERVOS_MASTER_KEY', 'servos_master_key']) expect(isKeyEnvName(n), n).toBe(true);
  });
  it('rejects names that only contain the words, and the by-path twins', () => {
    for (const n of ['MASTER_KEY_FILE', 'ZITADEL_MASTERKEY_FILE', 'XMASTER_KEY', 'MASTER_KEY_ID', 'MASTER_KEYS', 'MASTER__KEY', 'MY_MASTER_KEY_file']) {
      expect(isKeyEnvName(n), n).toBe(false);
    }
  });
  it('recognises the by-path twins only', () => {
    for (const n of ['MASTER_KEY_FILE', 'SERVOS_MASTER_KEY_FILE', 'ZITADEL_MASTERKEY_FILE', 'act_master_key_file']) expect(isKeyFileEnvName(n), n).toBe(true);
    for (const n of ['MASTER_KEY', 'XMASTER_KEY_FILE', 'MASTER_KEY_FILE_PATH', 'TLS_KEY_FILE']) expect(isKeyFileEnvName(n), n).toBe(false);
  });
});
