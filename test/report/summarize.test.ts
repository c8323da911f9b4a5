import { describe, expect, it } from 'vitest';
import { accessLetters, accessMatrix, forStack, summarizeModel, threeTwoOne } from '../../lib/report/summarize';
import { renderJsonReport } from '../../lib/report/json';
import { renderMarkdown } from '../../lib/report/markdown';
import { fakeModel, fakeResult, SECRET } from './fake-model';
import { tally } from '../../lib/model/views/copies';

describe('summarizeModel', () => {
  const data = summarizeModel(fakeModel(), fakeResult());

  it('counts findings and scope', () => {
    expect(data.stacks).toEqual(['db', 'keys']);
    expect(data.summary).toMatchObject({ errors: 2, warnings: 1, suppressed: 1, stacks: 2, findings: 4, keys: 2, stores: 3, drills: 1, suppressions: 1 });
  });

  it('gives each key its copies and 3-2-1 status', () => {
    const zitadel = data.keys.find((k) => k.id === 'zitadel');
    // The declared hot file counts as a copy (as KC020 counts it) on top of the four listed.
    expect(zitadel?.threeTwoOne).toEqual({ copies: 5, media: 5, offsite: 2, threeCopies: true, twoMedia: true, oneOffsite: true, holds: true });
    expect(zitadel?.copies.map((c) => c.kind)).toEqual(['backup', 'cold', 'hot', 'hot', 'paper']);
    expect(zitadel?.copies.find((c) => c.kind === 'backup')?.address).toBe('keys/aws_s3_bucket.key_backup');
    expect(zitadel?.drills).toEqual(['zitadel-quarterly']);
    expect(zitadel?.hostPath).toBe('/etc/zitadel/masterkey');
    const servos = data.keys.find((k) => k.id === 'servos');
    expect(servos?.threeTwoOne).toMatchObject({ copies: 1, media: 1, offsite: 0, holds: false });
    expect(servos?.drills).toEqual([]);
  });

  it('lists stores sorted by stack and address with their hardening', () => {
    expect(data.stores.map((s) => s.ref)).toEqual(['db/aws_s3_bucket.db_backup', 'keys/aws_s3_bucket.hot', 'keys/aws_s3_bucket.key_backup']);
    const kb = data.stores[2];
    expect(kb).toMatchObject({ role: 'key-backup', kind: 's3', name: 'acme-key_backup', stack: 'keys', key: 'zitadel' });
    expect(kb.hardening).toMatchObject({ versioning: true, objectLock: { enabled: true, mode: 'COMPLIANCE', days: 400 }, kmsKey: 'keys/aws_kms_key.kb' });
    expect(data.stores[1].hardening.versioning).toBe(true);
    expect(data.stores[0].hardening.currentExpirationDays).toBe(35);
  });

  it('builds the access matrix from grants and counts principals that reach nothing', () => {
    const m = data.access;
    expect(m.stores).toEqual(['db/aws_s3_bucket.db_backup', 'keys/aws_s3_bucket.hot', 'keys/aws_s3_bucket.key_backup']);
    expect(m.rows.map((r) => r.principal)).toEqual(['db/aws_iam_role.db_writer', 'db/aws_iam_user.ops', 'keys/aws_iam_role.key_writer']);
    expect(m.rows[1].cells).toEqual({ 'db/aws_s3_bucket.db_backup': 'r', 'keys/aws_s3_bucket.key_backup': 'rka' });
    expect(m.rows[2].cells).toEqual({ 'keys/aws_s3_bucket.key_backup': 'wd' });
    // idle user and the external root reach nothing.
    expect(m.omittedPrincipals).toBe(2);
    expect(m.legend).toEqual({ r: 'read', w: 'write', d: 'delete', k: 'decrypt', a: 'admin' });
  });

  it('keeps drills, findings with suppression state, and suppressions with use counts', () => {
    expect(data.drills).toEqual([expect.objectContaining({ id: 'zitadel-quarterly', key: 'zitadel', stack: 'keys', intervalDays: 92, restoreAgeDays: 7, alarm: true })]);
    expect(data.findings.map((f) => `${f.stack} ${f.ruleId}`)).toEqual(['db KC011', 'db KC024', 'keys KC020', 'keys KT002']);
    expect(data.findings.find((f) => f.ruleId === 'KT002')).toMatchObject({ suppressed: true, reason: 'rotation is handled by the HSM team' });
    expect(data.findings.find((f) => f.ruleId === 'KC011')).toMatchObject({ suppressed: false, reason: null });
    expect(data.suppressions).toEqual([
      { id: 'KT002', reason: 'rotation is handled by the HSM team', owner: 'sec', expires: '2099-01-01', scope: '', stack: 'keys', manifest: 'keys/terraform_data.custody_manifest', used: 1, valid: true, problem: null },
    ]);
  });

  it('is deterministic and JSON-serializable', () => {
    const again = summarizeModel(fakeModel(), fakeResult());
    expect(renderJsonReport(again)).toBe(renderJsonReport(data));
    const parsed = JSON.parse(renderJsonReport(data));
    expect(parsed.kind).toBe('cdktf-key-custody/report');
    expect(parsed.access.rows).toHaveLength(3);
    expect(renderJsonReport(data)).not.toContain('\\u0000');
  });

  it('never carries key material', () => {
    expect(renderJsonReport(data)).not.toContain(SECRET);
    expect(renderMarkdown(data)).not.toContain(SECRET);
  });
});

describe('forStack', () => {
  const data = summarizeModel(fakeModel(), fakeResult());

  it('keeps the stores, findings, suppressions and drills of one stack', () => {
    const keys = forStack(data, 'keys');
    expect(keys.stacks).toEqual(['keys']);
    expect(keys.stores.map((s) => s.ref)).toEqual(['keys/aws_s3_bucket.hot', 'keys/aws_s3_bucket.key_backup']);
    expect(keys.findings.map((f) => f.ruleId)).toEqual(['KC020', 'KT002']);
    expect(keys.suppressions).toHaveLength(1);
    expect(keys.drills).toHaveLength(1);
    expect(keys.keys.map((k) => k.id)).toEqual(['servos', 'zitadel']);
    expect(keys.summary).toMatchObject({ errors: 1, warnings: 0, suppressed: 1, stacks: 1 });
  });

  it('keeps grants that touch its stores, so outsiders reaching them show in the matrix', () => {
    const keys = forStack(data, 'keys');
    expect(keys.access.rows.map((r) => r.principal)).toEqual(['db/aws_iam_user.ops', 'keys/aws_iam_role.key_writer']);
    expect(keys.access.rows[0].cells).toEqual({ 'keys/aws_s3_bucket.key_backup': 'rka' });
    expect(keys.access.stores).toEqual(['keys/aws_s3_bucket.hot', 'keys/aws_s3_bucket.key_backup']);
    expect(keys.access.omittedPrincipals).toBe(0);
  });

  it('keeps grants of its principals on stores elsewhere', () => {
    const db = forStack(data, 'db');
    expect(db.stores.map((s) => s.ref)).toEqual(['db/aws_s3_bucket.db_backup']);
    expect(db.access.stores).toEqual(['db/aws_s3_bucket.db_backup', 'keys/aws_s3_bucket.key_backup']);
    expect(db.access.rows.map((r) => r.principal)).toEqual(['db/aws_iam_role.db_writer', 'db/aws_iam_user.ops']);
    expect(db.access.omittedPrincipals).toBe(2);
    expect(db.keys).toEqual([]);
    expect(db.unknowns).toHaveLength(1);
  });
});

describe('helpers', () => {
  it('accessLetters orders r w d k a', () => {
    expect(accessLetters(['admin', 'read', 'decrypt'])).toBe('rka');
    expect(accessLetters([])).toBe('');
  });

  it('threeTwoOne counts copies, distinct media and offsite copies', () => {
    expect(threeTwoOne(tally([]))).toMatchObject({ copies: 0, holds: false });
    const c = (medium: string, offsite: boolean, location: string) => ({ kind: 'backup', medium, location, offsite, declaredAt: 'x' });
    expect(
      threeTwoOne(tally([c('nas', true, 'a'), c('nas', true, 'b'), c('nas', false, 'c')])),
    ).toMatchObject({ copies: 3, media: 1, offsite: 2, threeCopies: true, twoMedia: false, oneOffsite: true, holds: false });
  });

  it('accessMatrix lists stores with no grants as empty columns', () => {
    const m = accessMatrix([], [], ['x']);
    expect(m).toMatchObject({ stores: ['x'], rows: [], omittedPrincipals: 0 });
  });
});
