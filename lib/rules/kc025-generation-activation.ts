import { copiesOf, describeTally, isOffsite, listCopies, missing321, tally } from '../model/views/copies';
import { declaredKeys } from '../model/views/declared';
import { manifestViolation } from './helpers';
import type { CustodyRule, RuleViolation } from './rule';

export const rule: CustodyRule = {
  id: 'KC025',
  title: 'A key generation becomes active only once its own 3-2-1 copies exist, its offsite backup included',
  severity: 'error',
  explanation:
    'After a rotation, new data is encrypted with the new generation at once; if the host dies before that ' +
    'generation\'s backups exist, everything written since is lost. A generation may be `active` only when its own ' +
    'copies (copies declared with that generation, the generation\'s `copies`, its `hostPath`, its Terraform-managed ' +
    '`offsiteObject` when that resource exists, and the key\'s declared hot copy, which the running app uses) meet ' +
    '3-2-1 and include an offsite copy (medium s3 or declared offsite). Copies that name no generation, such as a ' +
    'backup bucket as a whole, do not prove that this generation was backed up and are not counted.',
  fix: 'keep the generation in state "rotating" until its copies exist; declare them with `generation: N` (or set offsiteObject to the aws_s3_object that uploads its backup)',
  suppressible: true,
  check(model) {
    const out: RuleViolation[] = [];
    for (const { key, manifest } of declaredKeys(model)) {
      for (const g of key.generations ?? []) {
        if (g.state !== 'active') continue;
        const copies = copiesOf(model, key.id, { generation: g.generation, includeUngenerationed: false, hotIsThisGeneration: true });
        const t = tally(copies);
        const missing = missing321(t);
        if (g.offsiteObject && !model.resource(manifest.stack, g.offsiteObject)) {
          missing.push(`its offsiteObject ${g.offsiteObject}, which is not in the configuration`);
        }
        if (missing.length === 0 && copies.some(isOffsite)) continue;
        out.push(
          manifestViolation(
            model,
            manifest,
            `key ${key.id} generation ${g.generation} is active but its own copies are ${describeTally(t)} [${listCopies(copies)}]: it needs ${missing.join(', ')}`,
            `set generation ${g.generation} to state "rotating" until its backups exist, then declare them with generation: ${g.generation} (e.g. { kind: "offsite", medium: "paper", location: "safe", offsite: true, generation: ${g.generation} }) or set offsiteObject to the aws_s3_object holding its backup`,
          ),
        );
      }
    }
    return out;
  },
};
