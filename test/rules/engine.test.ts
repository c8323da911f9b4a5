/**
 * The rule engine (lib/rules/engine.ts) on its own: suppression validity (reason length,
 * unsuppressible rules, expiry against `today`), scope matching (stack, address, address
 * prefix, construct path), the KC090/KC091/KC092 findings, ordering, `blocking` and
 * `formatFinding`; and the catalogue lookup.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../lib/model/types';
import { ruleById } from '../../lib/rules/catalogue';
import { blocking, formatFinding, NOT_PROVEN, runRules, SUPPRESSION_INVALID, SUPPRESSION_UNUSED } from '../../lib/rules/engine';
import type { CustodyRule, RuleViolation } from '../../lib/rules/rule';
import { doc, manifest, model, type Json } from './kc0xx-fixtures';
import { MIN_REASON_LENGTH } from '../../lib/policy/limits';

/** A rule that reports the given violations. */
function fake(id: string, violations: RuleViolation[], over: Partial<CustodyRule> = {}): CustodyRule {
  return { id, title: 't', severity: 'error', explanation: 'e', fix: `general fix of ${id}`, suppressible: true, check: () => violations, ...over };
}

const resources: Json = {
  resource: {
    aws_s3_bucket: {
      a: { bucket: 'a', '//': { metadata: { path: 'app/keys/bucket', uniqueId: 'a' } } },
      ab: { bucket: 'ab' },
    },
  },
};
const at = (address: string, stack = 'app'): RuleViolation => ({ stack, address, message: `bad ${address}` });
const sup = (over: Json) => ({ id: 'KC900', reason: 'accepted because of X', owner: 'platform-team', expires: '2026-06-30', scope: '', ...over });
function run(suppressions: Json[], rules: CustodyRule[], today = '2026-01-01', ...more: [string, Json][]) {
  return runRules(model(['app', doc(resources, manifest([], { suppressions }))], ...more), rules, { today });
}

describe('runRules: suppression validity', () => {
  it('a reason must have at least 10 characters after trimming', () => {
    expect(MIN_REASON_LENGTH).toBe(10);
    const r = run([sup({ reason: '  123456789  ' }), sup({ id: 'KC901', reason: '1234567890' })], [fake('KC900', [at('aws_s3_bucket.a')]), fake('KC901', [at('aws_s3_bucket.a')])]);
    expect(r.suppressions.map((s) => [s.id, s.valid, s.problem, s.used])).toEqual([
      ['KC900', false, 'its reason "  123456789  " is shorter than 10 characters', 0],
      ['KC901', true, undefined, 1],
    ]);
    const invalid = r.findings.find((f) => f.ruleId === SUPPRESSION_INVALID)!;
    expect(invalid).toEqual({
      ruleId: 'KC090',
      severity: 'error',
      address: 'terraform_data.custody_manifest',
      stack: 'app',
      message: 'suppression of KC900 cannot be honoured: its reason "  123456789  " is shorter than 10 characters',
      fix: 'give a reason of at least 10 characters that says why the risk is accepted',
      suppressed: false,
    });
    expect(r.findings.find((f) => f.ruleId === 'KC900')?.suppressed).toBe(false);
    expect(r.findings.find((f) => f.ruleId === 'KC901')).toMatchObject({ suppressed: true, reason: '1234567890' });
  });

  it('an unsuppressible rule refuses the suppression, and its finding stays', () => {
    const rule = fake('KC900', [at('aws_s3_bucket.a')], { suppressible: false });
    const r = run([sup({ scope: 'aws_s3_bucket.a' })], [rule]);
    expect(r.findings.map((f) => [f.ruleId, f.suppressed, f.message, f.fix])).toEqual([
      ['KC090', false, 'suppression of KC900 on aws_s3_bucket.a cannot be honoured: KC900 cannot be suppressed', 'remove the suppression and fix the finding; KC900 guards against losing or leaking the key outright'],
      ['KC900', false, 'bad aws_s3_bucket.a', 'general fix of KC900'],
    ]);
  });

  it('a suppression expires after its date, not on it', () => {
    const rule = fake('KC900', [at('aws_s3_bucket.a')]);
    expect(run([sup({ expires: '2026-01-01' })], [rule], '2026-01-01').findings.map((f) => [f.ruleId, f.suppressed])).toEqual([['KC900', true]]);
    const r = run([sup({ expires: '2025-12-31' })], [rule], '2026-01-01');
    expect(r.findings.map((f) => [f.ruleId, f.suppressed, f.message, f.fix])).toEqual([
      ['KC090', false, 'suppression of KC900 cannot be honoured: it expired on 2025-12-31', 'fix the finding, or renew the suppression with a new `expires` date and a reason that still holds'],
      ['KC900', false, 'bad aws_s3_bucket.a', 'general fix of KC900'],
    ]);
  });

  it('a suppression for a rule that is not run is still checked for its reason only', () => {
    const r = run([sup({ id: 'KC999' })], []);
    expect(r.findings.map((f) => [f.ruleId, f.severity, f.message, f.fix])).toEqual([
      ['KC091', 'warning', 'suppression of KC999 matched no finding', 'remove the suppression so that it cannot hide a future finding'],
    ]);
  });

  it('defaults today to the current date', () => {
    const r = runRules(model(['app', doc(resources, manifest([], { suppressions: [sup({ expires: '2000-01-01' }), sup({ id: 'KC901', expires: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10) })] }))]), [fake('KC901', [at('aws_s3_bucket.a')])]);
    expect(r.suppressions.map((s) => s.valid)).toEqual([false, true]);
  });
});

describe('runRules: scopes', () => {
  const rule = fake('KC900', [at('aws_s3_bucket.a'), at('aws_s3_bucket.ab'), at('aws_s3_bucket.a.sub'), at('aws_s3_bucket.x', 'other')]);
  const suppressedBy = (scope: string) =>
    run([sup({ scope })], [rule], '2026-01-01', ['other', doc({ resource: { aws_s3_bucket: { x: { bucket: 'x' } } } })])
      .findings.filter((f) => f.ruleId === 'KC900' && f.suppressed)
      .map((f) => f.address);

  it('an empty scope covers the whole stack of the manifest only', () => {
    expect(suppressedBy('')).toEqual(['app/aws_s3_bucket.a', 'app/aws_s3_bucket.a.sub', 'app/aws_s3_bucket.ab']);
  });
  it('an address covers itself and addresses below it, not siblings that share a prefix', () => {
    expect(suppressedBy('aws_s3_bucket.a')).toEqual(['app/aws_s3_bucket.a', 'app/aws_s3_bucket.a.sub']);
  });
  it('a construct path covers resources at or below it', () => {
    expect(suppressedBy('app/keys')).toEqual(['app/aws_s3_bucket.a']);
    expect(suppressedBy('app/keys/bucket')).toEqual(['app/aws_s3_bucket.a']);
    expect(suppressedBy('app/ke')).toEqual([]);
    expect(suppressedBy('app/keys/bucket/x')).toEqual([]);
  });
  it('the first valid matching suppression is used; an unused one is reported once', () => {
    const r = run([sup({ scope: 'aws_s3_bucket.ab' }), sup({ scope: 'aws_s3_bucket' }), sup({ scope: 'aws_s3_bucket.zz' })], [fake('KC900', [at('aws_s3_bucket.ab')])]);
    expect(r.suppressions.map((s) => s.used)).toEqual([1, 0, 0]);
    expect(r.findings.map((f) => [f.ruleId, f.message])).toEqual([
      ['KC091', 'suppression of KC900 on aws_s3_bucket matched no finding'],
      ['KC091', 'suppression of KC900 on aws_s3_bucket.zz matched no finding'],
      ['KC900', 'bad aws_s3_bucket.ab'],
    ]);
  });
});

describe('runRules: findings', () => {
  it('takes severity and fix from the violation when given, else from the rule; sorts by rule id then address', () => {
    const r = run(
      [],
      [
        fake('KC902', [{ ...at('aws_s3_bucket.b'), severity: 'warning', fix: 'specific' }, at('aws_s3_bucket.a')]),
        fake('KC901', [at('aws_s3_bucket.z')], { severity: 'warning' }),
      ],
    );
    expect(r.findings.map((f) => [f.ruleId, f.address, f.severity, f.fix, f.suppressed, f.reason])).toEqual([
      ['KC901', 'aws_s3_bucket.z', 'warning', 'general fix of KC901', false, undefined],
      ['KC902', 'aws_s3_bucket.a', 'error', 'general fix of KC902', false, undefined],
      ['KC902', 'aws_s3_bucket.b', 'warning', 'specific', false, undefined],
    ]);
  });

  it('reports what a front end could not prove as KC092 warnings', () => {
    const m = model(['app', doc(resources)]);
    const withUnknown = { ...m, documents: [{ ...m.documents[0], unknowns: [{ stack: 'app', address: 'aws_iam_policy.p', what: 'policy of aws_iam_policy.p' }] }] };
    const r = runRules(withUnknown as typeof m, [], { today: '2026-01-01' });
    expect(r.findings).toEqual([
      {
        ruleId: NOT_PROVEN,
        severity: 'warning',
        address: 'aws_iam_policy.p',
        stack: 'app',
        message: 'not proven from the plan: policy of aws_iam_policy.p',
        fix: 'write the value as a bare reference or a literal (e.g. an aws_iam_policy_document data source instead of jsonencode), or check the synthesized cdktf.out folder instead',
        suppressed: false,
      },
    ]);
    expect(NOT_PROVEN).toBe('KC092');
    expect(SUPPRESSION_INVALID).toBe('KC090');
    expect(SUPPRESSION_UNUSED).toBe('KC091');
  });
});

describe('blocking and formatFinding', () => {
  const f = (over: Partial<Finding>): Finding => ({ ruleId: 'KC001', severity: 'error', address: 'a.b', stack: 's', message: 'm', fix: 'x', suppressed: false, ...over });
  it('blocks unsuppressed errors, and warnings only when strict', () => {
    const list = [f({ address: 'e' }), f({ address: 'w', severity: 'warning' }), f({ address: 'se', suppressed: true }), f({ address: 'sw', severity: 'warning', suppressed: true })];
    expect(blocking(list).map((x) => x.address)).toEqual(['e']);
    expect(blocking(list, true).map((x) => x.address)).toEqual(['e', 'w']);
  });
  it('prints the address without its stack qualifier', () => {
    expect(formatFinding(f({ address: 's/aws_s3_bucket.b' }))).toBe('KC001 aws_s3_bucket.b (stack s) m; fix: x');
    expect(formatFinding(f({ address: 'aws_s3_bucket.b' }))).toBe('KC001 aws_s3_bucket.b (stack s) m; fix: x');
    expect(formatFinding(f({ address: 'st/aws_s3_bucket.b' }))).toBe('KC001 st/aws_s3_bucket.b (stack s) m; fix: x');
  });
});

describe('catalogue', () => {
  it('finds rules by id', () => {
    expect(ruleById('KC020')?.id).toBe('KC020');
    expect(ruleById('KC999')).toBeUndefined();
  });
});
