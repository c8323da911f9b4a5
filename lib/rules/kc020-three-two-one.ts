import { currentCopies, describeTally, listCopies, missing321 } from '../model/views/copies';
import { declarationOf, knownKeyIds } from '../model/views/declared';
import { evidenceWarnings } from './evidence-helpers';
import { manifestViolation } from './helpers';
import { violationAt, type CustodyRule, type RuleViolation } from './rule';

export const rule: CustodyRule = {
  id: 'KC020',
  title: '3-2-1: at least 3 copies of each key, on 2 media, 1 offsite',
  severity: 'error',
  explanation:
    'A lost master key makes every DB backup worthless, and no tooling can recover it. Each key needs at least three ' +
    'copies, on at least two distinct media, at least one of them offsite. Counted: Terraform-managed key-backup and ' +
    'key-store stores tagged with the key, the manifest\'s declared copies, and the declared hot copy (`hostFile.path` / ' +
    '`hostPath`). Copies on the same medium and location (for S3: the same bucket) count once; a copy of medium ' +
    '`unknown` counts as a copy but not as a medium; S3 copies are offsite. With generations, the copies of the ' +
    'current generation (the newest `active` one) and copies that name no generation are counted; KC025 checks each ' +
    'active generation\'s own copies. When the declared copies hold 3-2-1 but those with evidence (a `key-custody keygen` ' +
    'record, or a fingerprint declared with the copy) do not, it warns: a bucket with no recorded upload is "declared, never ' +
    'written", and a copy whose fingerprint differs from the key\'s holds another key.',
  fix: 'declare the missing copies in the manifest (e.g. an age-encrypted cold copy on a NAS, paper in a safe) or add a KeyBackupBucket',
  suppressible: true,
  check(model) {
    const out: RuleViolation[] = [];
    for (const keyId of knownKeyIds(model)) {
      const decl = declarationOf(model, keyId);
      const { generation, copies, tally: t } = currentCopies(model, keyId);
      const missing = missing321(t);
      if (missing.length === 0) {
        out.push(...evidenceWarnings(model, keyId, generation, copies));
        continue;
      }
      const gen = generation !== undefined ? ` (generation ${generation})` : '';
      const message = `key ${keyId}${gen} has ${describeTally(t)} [${listCopies(copies)}]: 3-2-1 needs ${missing.join(', ')}`;
      const suggestions: string[] = [];
      if (!t.media.includes('nas') && !t.media.includes('disk')) suggestions.push(`{ kind: "cold", medium: "nas", location: "/mnt/nas/${keyId}/masterkey.age", offsite: false }`);
      if (t.offsite === 0) suggestions.push(`{ kind: "offsite", medium: "paper", location: "safe", offsite: true }`);
      if (suggestions.length === 0) suggestions.push(`{ kind: "offsite", medium: "paper", location: "safe", offsite: true }`);
      const fix = `add copies to key ${keyId} in the manifest, e.g. copies: [${suggestions.join(', ')}], or back the key up to a KeyBackupBucket (tagged custody:key=${keyId})`;
      if (decl) {
        out.push(manifestViolation(model, decl.manifest, message, fix));
      } else {
        const store = model.stores.find((s) => s.key === keyId);
        const copy = model.copies.find((c) => c.key === keyId);
        if (store) out.push(violationAt(store.resource, message, `${fix}; declare the key in the custody manifest`));
        else if (copy) out.push({ stack: copy.stack, address: copy.address, message, fix });
      }
    }
    return out;
  },
};
