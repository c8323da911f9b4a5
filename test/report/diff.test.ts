/**
 * lib/report/diff.ts: what changed in custody between two report data objects, matched by
 * identity (stack + address, key + copy, rule + address), never by message text.
 */
import { describe, expect, it } from 'vitest';
import type { CopyRow, DrillRow, FindingRow, GrantRow, KeyInventory, PrincipalRow, ReportData, StoreRow, SuppressionRow } from '../../lib/report/data';
import { diffReports } from '../../lib/report/diff';
import { renderDiffJson, renderDiffMarkdown, renderDiffText } from '../../lib/report/diff-render';

const HARDENED: StoreRow['hardening'] = {
  versioning: true,
  objectLock: { enabled: true, mode: 'COMPLIANCE', days: 400 },
  publicAccessBlock: true,
  tlsOnly: true,
  sseKms: true,
  kmsKey: 'aws_kms_key.k',
  ownerEnforced: true,
  currentExpirationDays: null,
  noncurrentExpirationDays: 400,
  denyDeleteToWriters: true,
  builtIn: [],
  notApplicable: [],
};

/** `stack/address` when the report has several stacks, as summarize.ts qualifies refs. */
const q = (multi: boolean, stack: string, address: string) => (multi ? `${stack}/${address}` : address);

function storeRow(multi: boolean, stack: string, address: string, role: StoreRow['role'], hardening: Partial<StoreRow['hardening']> = {}): StoreRow {
  return { ref: q(multi, stack, address), role, kind: 's3', name: address, stack, address, key: 'zitadel', app: 'zitadel', adopted: false, account: '1', hardening: { ...HARDENED, ...hardening } };
}

function principalRow(multi: boolean, stack: string, address: string): PrincipalRow {
  return { ref: q(multi, stack, address), stack, address, kind: 'role', name: address, role: null, account: '1' };
}

function grant(multi: boolean, p: [string, string], s: [string, string], access: GrantRow['access'], via = 'identity policy'): GrantRow {
  return { principal: q(multi, ...p), principalStack: p[0], store: q(multi, ...s), storeStack: s[0], access, via, basis: 'policy' };
}

function finding(o: Partial<FindingRow> & Pick<FindingRow, 'ruleId' | 'stack' | 'address'>): FindingRow {
  return { severity: 'error', message: 'm', fix: 'f', suppressed: false, reason: null, location: null, ...o };
}

function copy(o: Partial<CopyRow> = {}): CopyRow {
  return { kind: 'cold', medium: 'nas', location: 'nas01:/k.age', offsite: false, custodian: 'ops', generation: null, stack: 'host', address: 'terraform_data.custody_manifest', fingerprint: null, date: null, evidence: null, counted: true, ...o };
}

function keyRow(copies: CopyRow[]): KeyInventory {
  const media = new Set(copies.map((c) => c.medium)).size;
  const offsite = copies.filter((c) => c.offsite).length;
  return {
    id: 'zitadel',
    app: 'zitadel',
    stacks: ['host'],
    fingerprint: null,
    hostPath: null,
    copies,
    threeTwoOne: { copies: copies.length, media, offsite, threeCopies: copies.length >= 3, twoMedia: media >= 2, oneOffsite: offsite >= 1, holds: copies.length >= 3 && media >= 2 && offsite >= 1 },
    generations: [],
    drills: [],
  };
}

function drill(o: Partial<DrillRow> = {}): DrillRow {
  return {
    id: 'quarterly',
    key: 'zitadel',
    stack: 'drill',
    manifest: 'terraform_data.custody_manifest',
    schedule: 'cron(0 10 ? 1,4,7,10 MON#1 *)',
    timezone: 'Europe/Berlin',
    intervalDays: null,
    restoreAgeDays: 7,
    keySource: 'keys/aws_s3_bucket.k',
    dockerProvider: 'docker.scratch',
    alarm: true,
    log: true,
    nextRun: '2030-01-07',
    lastPassedOn: null,
    ...o,
  };
}

function suppression(o: Partial<SuppressionRow> = {}): SuppressionRow {
  return { id: 'KC023', reason: 'the bucket is adopted and hardened by hand', owner: 'ops', expires: '2030-06-30', scope: 'aws_s3_bucket.k', stack: 'keys', manifest: 'terraform_data.custody_manifest', used: 1, valid: true, problem: null, ...o };
}

/** A report with the parts given (counts and matrix are not read by the diff). */
function report(parts: Partial<Omit<ReportData, 'summary' | 'access'>> & { multi?: boolean } = {}): ReportData {
  const multi = parts.multi ?? true;
  const findings = parts.findings ?? [];
  const errors = findings.filter((f) => !f.suppressed && f.severity === 'error').length;
  const warnings = findings.filter((f) => !f.suppressed && f.severity === 'warning').length;
  const stacks = parts.stacks ?? ['db', 'keys'];
  return {
    stacks,
    summary: { errors, warnings, suppressed: findings.filter((f) => f.suppressed).length, stacks: stacks.length, findings: findings.length, keys: 0, stores: 0, principals: 0, drills: 0, suppressions: 0, containers: 0 },
    keys: parts.keys ?? [],
    stores: parts.stores ?? [storeRow(multi, 'keys', 'aws_s3_bucket.k', 'key-backup'), storeRow(multi, 'db', 'aws_s3_bucket.d', 'db-backup')],
    principals: parts.principals ?? [principalRow(multi, 'db', 'aws_iam_role.writer'), principalRow(multi, 'keys', 'aws_iam_role.keywriter')],
    grants: parts.grants ?? [grant(multi, ['db', 'aws_iam_role.writer'], ['db', 'aws_s3_bucket.d'], 'write')],
    access: { stores: [], rows: [], omittedPrincipals: 0, unreached: [], legend: {} },
    drills: parts.drills ?? [],
    findings,
    suppressions: parts.suppressions ?? [],
    unknowns: [],
    containers: [],
  };
}

describe('diffReports: access and crossings', () => {
  it('finds no change between a report and itself', () => {
    const r = report({ findings: [finding({ ruleId: 'KC023', stack: 'keys', address: 'keys/aws_s3_bucket.k' })] });
    const d = diffReports(r, r);
    expect(d.unchanged).toBe(true);
    expect(d.newlyBlocking).toBe(0);
    expect(renderDiffMarkdown(d)).toContain('No custody change');
    expect(renderDiffText(d)).toContain('no custody change');
  });

  it('matches principals and stores by stack and address, whether or not a report qualified them', () => {
    // One report of one stack (plain addresses) and one of the same stack among others.
    const single = report({
      multi: false,
      stacks: ['db'],
      stores: [storeRow(false, 'db', 'aws_s3_bucket.d', 'db-backup')],
      principals: [principalRow(false, 'db', 'aws_iam_role.writer')],
      grants: [grant(false, ['db', 'aws_iam_role.writer'], ['db', 'aws_s3_bucket.d'], 'write')],
    });
    const multi = report({
      stacks: ['db'],
      stores: [storeRow(true, 'db', 'aws_s3_bucket.d', 'db-backup')],
      principals: [principalRow(true, 'db', 'aws_iam_role.writer')],
      grants: [grant(true, ['db', 'aws_iam_role.writer'], ['db', 'aws_s3_bucket.d'], 'write')],
    });
    expect(diffReports(single, multi).unchanged).toBe(true);
  });

  it('reports a DB-side principal that now also reads the key backups as a new crossing and a new access', () => {
    const base = report();
    const head = report({
      grants: [
        grant(true, ['db', 'aws_iam_role.writer'], ['db', 'aws_s3_bucket.d'], 'write'),
        grant(true, ['db', 'aws_iam_role.writer'], ['keys', 'aws_s3_bucket.k'], 'read', 'bucket policy aws_s3_bucket_policy.k'),
        grant(true, ['db', 'aws_iam_role.writer'], ['keys', 'aws_s3_bucket.k'], 'decrypt', 'key policy aws_kms_key.k'),
      ],
    });
    const d = diffReports(base, head);
    expect(d.crossings.added).toEqual([
      { principal: 'db/aws_iam_role.writer', principalStack: 'db', kind: 'role', dbStores: ['db/aws_s3_bucket.d (w)'], keyStores: ['keys/aws_s3_bucket.k (rk)'] },
    ]);
    expect(d.crossings.removed).toEqual([]);
    expect(d.access).toEqual([
      {
        change: 'added',
        principal: 'db/aws_iam_role.writer',
        principalStack: 'db',
        kind: 'role',
        store: 'keys/aws_s3_bucket.k',
        storeStack: 'keys',
        role: 'key-backup',
        before: '',
        after: 'rk',
        via: ['bucket policy aws_s3_bucket_policy.k', 'key policy aws_kms_key.k'],
      },
    ]);
    // Backwards, the crossing is gone and the access removed.
    const back = diffReports(head, base);
    expect(back.crossings.removed.map((c) => c.principal)).toEqual(['db/aws_iam_role.writer']);
    expect(back.access.map((a) => [a.change, a.before, a.after])).toEqual([['removed', 'rk', '']]);
    const md = renderDiffMarkdown(d, { baseLabel: 'main/cdktf.out', headLabel: 'cdktf.out' });
    expect(md).toContain('| **+ new** | `db/aws_iam_role.writer` | role | `db/aws_s3_bucket.d (w)` | `keys/aws_s3_bucket.k (rk)` |');
    expect(md).toContain('Base `main/cdktf.out`');
    expect(renderDiffText(d)).toContain('+ crossing db/aws_iam_role.writer reaches DB backups db/aws_s3_bucket.d (w) and key copies keys/aws_s3_bucket.k (rk)');
  });

  it('does not call decrypt alone a crossing (that is KC012), but lists the access', () => {
    const head = report({
      grants: [grant(true, ['db', 'aws_iam_role.writer'], ['db', 'aws_s3_bucket.d'], 'write'), grant(true, ['db', 'aws_iam_role.writer'], ['keys', 'aws_s3_bucket.k'], 'decrypt')],
    });
    const d = diffReports(report(), head);
    expect(d.crossings.added).toEqual([]);
    expect(d.access.map((a) => [a.change, a.store, a.after])).toEqual([['added', 'keys/aws_s3_bucket.k', 'k']]);
  });

  it('reports changed letters on a cell that existed', () => {
    const head = report({
      grants: [grant(true, ['db', 'aws_iam_role.writer'], ['db', 'aws_s3_bucket.d'], 'write'), grant(true, ['db', 'aws_iam_role.writer'], ['db', 'aws_s3_bucket.d'], 'delete')],
    });
    const d = diffReports(report(), head);
    expect(d.access.map((a) => [a.change, a.before, a.after])).toEqual([['changed', 'w', 'wd']]);
  });
});

describe('diffReports: rule results', () => {
  const at = { ruleId: 'KC020', stack: 'host', address: 'host/terraform_data.custody_manifest' };

  it('calls a finding whose message changed (a count) changed, not fixed and new', () => {
    const d = diffReports(report({ findings: [finding({ ...at, message: 'key has 2 copies' })] }), report({ findings: [finding({ ...at, message: 'key has 1 copy' })] }));
    expect(d.findings.map((f) => [f.change, f.fields, f.newlyBlocking])).toEqual([['changed', ['message'], false]]);
    expect(d.newlyBlocking).toBe(0);
    expect(renderDiffMarkdown(d)).toContain('key has 1 copy (was: key has 2 copies)');
  });

  it('pairs exact twins first: of two findings at one address, the one that went is fixed', () => {
    const a = finding({ ...at, message: 'first problem' });
    const b = finding({ ...at, message: 'second problem' });
    const d = diffReports(report({ findings: [a, b] }), report({ findings: [b] }));
    expect(d.findings.map((f) => [f.change, f.finding.message])).toEqual([['fixed', 'first problem']]);
  });

  it('counts new unsuppressed errors as newly blocking, new warnings only under strict', () => {
    const e = finding({ ...at, ruleId: 'KC011' });
    const w = finding({ ...at, ruleId: 'KC034', severity: 'warning' });
    const s = finding({ ...at, ruleId: 'KC023', suppressed: true, reason: 'accepted until the migration' });
    const d = diffReports(report(), report({ findings: [e, w, s] }));
    expect(d.findings.map((f) => [f.finding.ruleId, f.change, f.newlyBlocking])).toEqual([
      ['KC011', 'new', true],
      ['KC023', 'new', false],
      ['KC034', 'new', false],
    ]);
    expect(d.newlyBlocking).toBe(1);
    expect(diffReports(report(), report({ findings: [e, w, s] }), { strict: true }).newlyBlocking).toBe(2);
  });

  it('counts a finding whose suppression went away as newly blocking, and one that was fixed as not', () => {
    const suppressed = finding({ ...at, suppressed: true, reason: 'accepted' });
    const open = finding({ ...at });
    const d = diffReports(report({ findings: [suppressed] }), report({ findings: [open] }));
    expect(d.findings.map((f) => [f.change, f.fields, f.newlyBlocking])).toEqual([['changed', ['suppressed: yes → no'], true]]);
    const fixed = diffReports(report({ findings: [open] }), report());
    expect(fixed.findings.map((f) => [f.change, f.newlyBlocking])).toEqual([['fixed', false]]);
    expect(fixed.newlyBlocking).toBe(0);
  });

  it('matches findings of a one-stack report to a several-stack report by stack and bare address', () => {
    const one = finding({ ruleId: 'KC023', stack: 'keys', address: 'aws_s3_bucket.k' });
    const many = finding({ ruleId: 'KC023', stack: 'keys', address: 'keys/aws_s3_bucket.k' });
    expect(diffReports(report({ findings: [one] }), report({ findings: [many] })).findings).toEqual([]);
  });
});

describe('diffReports: copies, stores, drills, suppressions, stacks', () => {
  it('lists copies added and removed, and the 3-2-1 tally that changed', () => {
    const hot = copy({ kind: 'hot', medium: 'host-file', location: '/etc/zitadel/masterkey' });
    const cold = copy();
    const paper = copy({ kind: 'paper', medium: 'paper', location: 'safe', offsite: true });
    const d = diffReports(report({ keys: [keyRow([hot, cold, paper])] }), report({ keys: [keyRow([hot, paper])] }));
    expect(d.copies.map((c) => [c.change, c.copy.kind])).toEqual([['removed', 'cold']]);
    expect(d.threeTwoOne).toHaveLength(1);
    expect(d.threeTwoOne[0].before?.holds).toBe(true);
    expect(d.threeTwoOne[0].after?.holds).toBe(false);
    expect(renderDiffMarkdown(d)).toContain('3 copies, 3 media, 1 offsite: holds | 2 copies, 2 media, 1 offsite: fails');
  });

  it('reports a copy whose custodian changed as changed, with the field', () => {
    const d = diffReports(report({ keys: [keyRow([copy()])] }), report({ keys: [keyRow([copy({ custodian: 'CFO' })])] }));
    expect(d.copies.map((c) => [c.change, c.fields])).toEqual([['changed', ['custodian: ops → CFO']]]);
  });

  it('lists a key that appeared', () => {
    const d = diffReports(report(), report({ keys: [keyRow([copy()])] }));
    expect(d.keys.added).toEqual(['zitadel']);
    expect(d.copies.map((c) => c.change)).toEqual(['added']);
  });

  it('lists stores added, removed and hardened differently', () => {
    const base = report();
    const head = report({
      stores: [storeRow(true, 'keys', 'aws_s3_bucket.k', 'key-backup', { versioning: false }), storeRow(true, 'keys', 'aws_secretsmanager_secret.s', 'key-store')],
    });
    const d = diffReports(base, head);
    expect(d.stores.map((s) => [s.change, s.ref, s.fields])).toEqual([
      ['removed', 'db/aws_s3_bucket.d', []],
      ['changed', 'keys/aws_s3_bucket.k', ['versioning: yes → no']],
      ['added', 'keys/aws_secretsmanager_secret.s', []],
    ]);
  });

  it('lists drills added, removed and changed, but not a next run that only moved with the date', () => {
    expect(diffReports(report({ drills: [drill()] }), report({ drills: [drill({ nextRun: '2030-04-01' })] })).unchanged).toBe(true);
    const d = diffReports(report({ drills: [drill()] }), report({ drills: [drill({ schedule: 'rate(180 days)' }), drill({ id: 'monthly' })] }));
    expect(d.drills.map((x) => [x.change, x.drill.id, x.fields])).toEqual([
      ['added', 'monthly', []],
      ['changed', 'quarterly', ['schedule: cron(0 10 ? 1,4,7,10 MON#1 *) → rate(180 days)']],
    ]);
    expect(diffReports(report({ drills: [drill()] }), report()).drills.map((x) => x.change)).toEqual(['removed']);
  });

  it('lists a drill whose recorded last pass changed (the evidence a reviewer asks for)', () => {
    const d = diffReports(report({ drills: [drill()] }), report({ drills: [drill({ lastPassedOn: '2030-01-07' })] }));
    expect(d.drills.map((x) => [x.change, x.fields])).toEqual([['changed', ['lastPassedOn: — → 2030-01-07']]]);
  });

  it('lists suppressions added and removed, and one whose expiry or owner changed', () => {
    const d = diffReports(report({ suppressions: [suppression()] }), report({ suppressions: [suppression({ expires: '2031-06-30', owner: 'security' }), suppression({ id: 'KC034', scope: '' })] }));
    expect(d.suppressions.map((x) => [x.change, x.suppression.id, x.fields])).toEqual([
      ['changed', 'KC023', ['owner: ops → security', 'expires: 2030-06-30 → 2031-06-30']],
      ['added', 'KC034', []],
    ]);
    const md = renderDiffMarkdown(d);
    expect(md).toContain('| + | KC034 | `keys` | whole stack | the bucket is adopted and hardened by hand | ops | 2030-06-30 |');
  });

  it('lists stacks added and removed', () => {
    const d = diffReports(report({ stacks: ['db', 'keys'] }), report({ stacks: ['db', 'keys', 'drill'] }));
    expect(d.stacks).toEqual({ added: ['drill'], removed: [] });
  });
});

describe('diff renderers', () => {
  it('keep Markdown table cells whole and terminal lines free of control characters', () => {
    const evil = finding({ ruleId: 'KC011', stack: 'db', address: 'db/aws_iam_role.x', message: 'a | b\u001b[2J\nc' });
    const d = diffReports(report(), report({ findings: [evil] }));
    const md = renderDiffMarkdown(d);
    expect(md).toContain('a \\| b\\x1b[2J<br>c');
    expect(md).not.toContain('\u001b');
    const text = renderDiffText(d);
    expect(text).not.toContain('\u001b');
    expect(text.split('\n').filter((l) => l.includes('KC011'))).toHaveLength(1);
  });

  it('write JSON with a kind, the labels and the changes', () => {
    const d = diffReports(report(), report({ findings: [finding({ ruleId: 'KC011', stack: 'db', address: 'db/aws_iam_role.x' })] }));
    const json = JSON.parse(renderDiffJson(d, { baseLabel: 'base', headLabel: 'head' })) as Record<string, unknown>;
    expect(json).toMatchObject({ kind: 'cdktf-key-custody/diff', version: 1, baseLabel: 'base', headLabel: 'head', newlyBlocking: 1, unchanged: false });
    expect((json.findings as { change: string }[]).map((f) => f.change)).toEqual(['new']);
  });
});
