/** The one action table: what the constructs write agrees with what the access model reads. */
import { describe, expect, it } from 'vitest';
import { globMatch } from '../../lib/model/iam/globs';
import {
  DELETE_ACTIONS,
  KMS_ADMIN_ACTIONS,
  KMS_DECRYPT,
  RESTORE_DENIED_ACTIONS,
  RESTORE_KMS_ACTIONS,
  RESTORE_S3_BUCKET_ACTIONS,
  RESTORE_S3_OBJECT_ACTIONS,
  STORE_ACTIONS,
  STS_ASSUME,
  WRITER_DENIED_ACTIONS,
  WRITER_S3_ACTIONS,
  writerKmsActions,
} from '../../lib/policy/perms';

const lower = (list: readonly string[]): string[] => list.map((a) => a.toLowerCase());
/** The access the model reads from an S3 action a construct writes, if any. */
const s3Access = (action: string) => STORE_ACTIONS.s3.find((s) => s.action === action.toLowerCase())?.access;

describe('the action table', () => {
  it('names each model action once, in lower case as the model compares them', () => {
    for (const list of Object.values(STORE_ACTIONS)) {
      const names = list.map((s) => s.action);
      expect(names).toEqual(lower(names));
      expect(new Set(names).size).toBe(names.length);
    }
    expect([KMS_DECRYPT, STS_ASSUME]).toEqual(lower([KMS_DECRYPT, STS_ASSUME]));
  });

  it('gives writers write access and restore principals read access, as the model reads them', () => {
    expect(WRITER_S3_ACTIONS.map(s3Access)).toEqual(['write']);
    expect(RESTORE_S3_OBJECT_ACTIONS.map(s3Access)).toEqual(['read', 'read']);
    // Listing gives no custody access.
    expect(RESTORE_S3_BUCKET_ACTIONS.map(s3Access)).toEqual([undefined, undefined]);
  });

  it('denies restore principals writing and all that writers may not do', () => {
    expect(RESTORE_DENIED_ACTIONS).toEqual(['s3:PutObject', ...WRITER_DENIED_ACTIONS]);
    expect(RESTORE_DENIED_ACTIONS.map(s3Access)).not.toContain('read');
  });

  it('denies writers every delete and admin action the model knows', () => {
    const denied = new Set(lower(WRITER_DENIED_ACTIONS));
    const missing = STORE_ACTIONS.s3.filter((s) => s.access === 'delete' || s.access === 'admin').map((s) => s.action).filter((a) => !denied.has(a));
    expect(missing).toEqual([]);
  });

  it('reads the object deletes of a bucket-policy Deny as the model names them', () => {
    expect(DELETE_ACTIONS).toEqual(STORE_ACTIONS.s3.filter((s) => s.access === 'delete' && s.level === 'object').map((s) => s.action));
  });

  it('lets key administrators manage the key but never use it', () => {
    const use = ['kms:decrypt', 'kms:encrypt', 'kms:generatedatakey', 'kms:reencryptfrom', 'kms:reencryptto'];
    for (const a of use) expect(lower(KMS_ADMIN_ACTIONS).filter((p) => globMatch(p, a)), a).toEqual([]);
  });

  it('lets restore principals decrypt, and writers only for multipart uploads', () => {
    expect(lower(RESTORE_KMS_ACTIONS)).toContain(KMS_DECRYPT);
    expect(writerKmsActions(false)).toEqual(['kms:GenerateDataKey', 'kms:Encrypt']);
    expect(writerKmsActions(true)).toEqual(['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt']);
  });
});
