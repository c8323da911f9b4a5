import type { KmsKey, Store } from '../model/types';
import { violationAt, type CustodyRule, type RuleViolation } from './rule';

function storeList(stores: readonly Store[], from: string): string {
  return stores.map((s) => (s.stack === from ? s.address : `${s.address} (stack ${s.stack})`)).join(', ');
}

export const rule: CustodyRule = {
  id: 'KC024',
  title: 'KMS keys of custody stores have automatic rotation enabled',
  severity: 'warning',
  explanation:
    'The KMS keys that encrypt DB backups, key backups and key stores protect data kept for years. Automatic rotation ' +
    '(enable_key_rotation = true) limits how much data one KMS key version encrypts, and keeps old versions for ' +
    'decryption, so nothing becomes unreadable. Checked for every aws_kms_key a custody store encrypts with; an adopted ' +
    'key (data source) or an expression cannot be shown to rotate and is reported. Literal key ARNs outside the ' +
    'configuration are left to KC023.',
  fix: 'set enable_key_rotation = true on the aws_kms_key',
  suppressible: true,
  check(model) {
    const out: RuleViolation[] = [];
    const users = new Map<string, { key: KmsKey; stores: Store[] }>();
    for (const s of model.stores) {
      const id = s.settings.kmsKey;
      if (!id) continue;
      const key = model.kmsKeys.find((k) => k.id === id);
      if (!key) continue;
      const entry = users.get(key.id) ?? { key, stores: [] };
      entry.stores.push(s);
      users.set(key.id, entry);
    }
    for (const { key, stores } of users.values()) {
      if (key.rotation === true || key.resource.values.enable_key_rotation === 'true') continue;
      const by = `used by ${storeList(stores, key.stack)}`;
      if (key.resource.mode === 'data') {
        out.push(
          violationAt(key.resource, `is an adopted KMS key whose rotation cannot be verified here (${by})`, 'enable automatic rotation on the key where it is managed, then suppress with a reason that says where'),
        );
      } else if (key.rotation === false || key.resource.values.enable_key_rotation === undefined) {
        out.push(violationAt(key.resource, `does not rotate (enable_key_rotation is not true; ${by})`, `set enable_key_rotation = true on ${key.address}`));
      } else {
        out.push(violationAt(key.resource, `has enable_key_rotation set to an expression, so rotation cannot be proven (${by})`, `set enable_key_rotation = true literally on ${key.address}`));
      }
    }
    return out;
  },
};
