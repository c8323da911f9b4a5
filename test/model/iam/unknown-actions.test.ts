/**
 * Unknown is not wrong (issue 18, IAM side): a statement whose actions are unknown (an action
 * written as `${…}`, an identity policy a plan lost) gives possible grants on what it names.
 * Reach between custody sides (KC011) counts them; the write and delete rules (KC021, KC032)
 * leave them to KC092, so a plainly read-only role is never made a writer that deletes.
 */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../lib/model/build';
import { loadPlanJson } from '../../../lib/model/load/plan';
import type { CustodyModel } from '../../../lib/model/types';
import { rule as kc011 } from '../../../lib/rules/kc011-no-shared-principal';
import { rule as kc021 } from '../../../lib/rules/kc021-key-backup-immutable';
import { rule as kc032 } from '../../../lib/rules/kc032-drill-isolated';
import { allow, merge, mk, oneStack, policy, tags, type Json, type Res } from '../../fixtures/iam/fixtures';

const ROLE = (name: string, extra: Json = {}): Res => ({ aws_iam_role: { [name]: { name, assume_role_policy: policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }), ...extra } } });
const inline = (name: string, ...statements: Json[]): Res => ({ aws_iam_role_policy: { [name]: { role: `\${aws_iam_role.${name}.id}`, policy: policy(...statements) } } });
const KB = { aws_s3_bucket: { kb: { bucket: 'kb', tags: tags('key-backup') } } };
const DB = { aws_s3_bucket: { db: { bucket: 'db', tags: tags('db-backup') } } };

/** `access[?]` per grant of role r on bucket kb (`?` = possible). */
function on(m: CustodyModel, role = 'aws_iam_role.r', store = 'aws_s3_bucket.kb'): string[] {
  return m.grants.filter((g) => m.principalById(g.principal)?.address === role && m.storeById(g.store)?.address === store).map((g) => `${g.access}${g.possible ? '?' : ''}`);
}
const kc021Writers = (m: CustodyModel) => kc021.check(m).filter((v) => v.message.includes('both write'));

describe('an action written as an expression', () => {
  it('gives possible grants only: KC021 leaves them to KC092', () => {
    const m = mk(merge(KB, ROLE('r'), inline('r', allow('${var.actions}', ['${aws_s3_bucket.kb.arn}', '${aws_s3_bucket.kb.arn}/*']))));
    expect(on(m)).toEqual(['read?', 'write?', 'delete?', 'admin?']);
    expect(kc021Writers(m)).toEqual([]);
    expect(m.grants.find((g) => g.possible)?.via).toBe('inline policy aws_iam_role_policy.r (actions unknown)');
  });

  it('a literal sibling statement still gives its sure grant, and a literal writer that deletes is still KC021', () => {
    const m = mk(merge(KB, ROLE('r'), inline('r', allow('s3:GetObject', '${aws_s3_bucket.kb.arn}/*'), allow('${var.more}', '${aws_s3_bucket.kb.arn}/*'))));
    expect(on(m)).toEqual(['read', 'write?', 'delete?', 'admin?']);
    const bad = mk(merge(KB, ROLE('r'), inline('r', allow(['s3:PutObject', 's3:DeleteObject'], '${aws_s3_bucket.kb.arn}/*'), allow('${var.more}', '${aws_s3_bucket.kb.arn}/*'))));
    expect(on(bad)).toEqual(['read?', 'write', 'delete', 'admin?']);
    expect(kc021Writers(bad)).toHaveLength(1);
  });

  it('an unknown NotAction on an Allow is unknown actions too; on a Deny it removes nothing, as before', () => {
    const m = mk(merge(KB, ROLE('r'), inline('r', { Effect: 'Allow', NotAction: '${var.not}', Resource: '*' })));
    expect(on(m)).toEqual(['read?', 'write?', 'delete?', 'admin?']);
    const d = mk(merge(KB, ROLE('r'), inline('r', allow('s3:PutObject', '*'), { Effect: 'Deny', Action: '${var.a}', Resource: '*' })));
    expect(on(d)).toEqual(['write']);
  });

  it('a sure grant through an assumed role is not hidden by a possible one of the principal itself', () => {
    const m = mk(
      merge(
        KB,
        ROLE('r'),
        inline('r', allow('${var.actions}', '${aws_s3_bucket.kb.arn}/*'), allow('sts:AssumeRole', '${aws_iam_role.w.arn}')),
        ROLE('w', { assume_role_policy: policy({ Effect: 'Allow', Principal: { AWS: '${aws_iam_role.r.arn}' }, Action: 'sts:AssumeRole' }) }),
        inline('w', allow(['s3:PutObject', 's3:DeleteObject'], '${aws_s3_bucket.kb.arn}/*')),
      ),
    );
    expect(on(m)).toEqual(['read?', 'write', 'delete', 'admin?']);
    expect(kc021Writers(m).map((v) => v.message)).toEqual([expect.stringContaining('aws_iam_role.r '), expect.stringContaining('aws_iam_role.w ')]);
  });

  it('still counts for reach between custody sides (KC011)', () => {
    const m = mk(merge(KB, DB, ROLE('r'), inline('r', allow('${var.a}', '${aws_s3_bucket.kb.arn}/*'), allow('${var.b}', '${aws_s3_bucket.db.arn}/*'))));
    expect(kc011.check(m).map((v) => v.address)).toEqual(['aws_iam_role.r']);
  });

  it('a drill role with unknown actions is not a drill writer (KC032)', () => {
    const m = mk(merge(KB, ROLE('r', { tags: { 'custody:role': 'drill' } }), inline('r', allow('${var.a}', '${aws_s3_bucket.kb.arn}/*'))));
    expect(on(m)).toEqual(['read?', 'write?', 'delete?', 'admin?']);
    expect(kc032.check(m).filter((v) => v.message.includes('access to'))).toEqual([]);
    const sure = mk(merge(KB, ROLE('r', { tags: { 'custody:role': 'drill' } }), inline('r', allow('s3:PutObject', '${aws_s3_bucket.kb.arn}/*'))));
    expect(kc032.check(sure).filter((v) => v.message.includes('write access to'))).toHaveLength(1);
  });
});

describe('an identity policy whose text the plan lost', () => {
  /** A plan with bucket kb (key backups) and db (DB backups), role r and its jsonencode policy referencing `refs`. */
  const planOf = (refs: string[]) =>
    buildModel([
      loadPlanJson('s', {
        format_version: '1.2',
        planned_values: { root_module: {} },
        configuration: {
          root_module: {
            resources: [
              { address: 'aws_s3_bucket.kb', mode: 'managed', type: 'aws_s3_bucket', name: 'kb', expressions: { bucket: { constant_value: 'kb' }, tags: { constant_value: tags('key-backup') } } },
              { address: 'aws_s3_bucket.db', mode: 'managed', type: 'aws_s3_bucket', name: 'db', expressions: { bucket: { constant_value: 'db' }, tags: { constant_value: tags('db-backup') } } },
              { address: 'aws_iam_role.r', mode: 'managed', type: 'aws_iam_role', name: 'r', expressions: { name: { constant_value: 'r' } } },
              { address: 'aws_iam_role_policy.r', mode: 'managed', type: 'aws_iam_role_policy', name: 'r', expressions: { role: { references: ['aws_iam_role.r.id', 'aws_iam_role.r'] }, policy: { references: refs } } },
            ],
          },
        },
      }),
    ]);

  it('is a possible grant on what it references, not an invented writer that deletes (KC021)', () => {
    const m = planOf(['aws_s3_bucket.kb.arn', 'aws_s3_bucket.kb']);
    expect(on(m)).toEqual(['read?', 'write?', 'delete?', 'admin?']);
    expect(kc021Writers(m)).toEqual([]);
    expect(m.unknowns.map((u) => u.what)).toContain('policy is only known after apply and the plan does not hold its text; read conservatively as any action on aws_s3_bucket.kb.arn');
  });

  it('that references both sides is still one credential reaching both (KC011)', () => {
    const m = planOf(['aws_s3_bucket.kb.arn', 'aws_s3_bucket.db.arn']);
    expect(kc011.check(m).map((v) => v.address)).toEqual(['aws_iam_role.r']);
  });
});

describe('the oneStack fixture with a literal read-only role is unchanged', () => {
  it('has only sure grants', () => {
    const m = mk(merge((oneStack() as { resource: Res }).resource, ROLE('r'), inline('r', allow('s3:GetObject', '${aws_s3_bucket.keys.arn}/*'))));
    expect(m.grants.every((g) => !g.possible)).toBe(true);
  });
});

describe('a policy document known only in part', () => {
  const withStatements = (statements: string) => mk(merge(KB, DB, ROLE('r'), { aws_iam_role_policy: { r: { role: '${aws_iam_role.r.id}', policy: `\${jsonencode({Version = "2012-10-17", Statement = ${statements}})}` } } }));

  it('keeps its literal statements next to an expression statement, which is a possible grant on what it references', () => {
    const m = withStatements('[{Effect = "Allow", Action = "s3:GetObject", Resource = "${aws_s3_bucket.kb.arn}/*"}, local.extra, merge(local.base, {Resource = aws_s3_bucket.db.arn})]');
    expect(on(m)).toEqual(['read']);
    expect(on(m, 'aws_iam_role.r', 'aws_s3_bucket.db')).toEqual(['read?', 'write?', 'delete?', 'admin?']);
    expect(m.unknowns.map((u) => `${u.address}: ${u.what}`)).toEqual([
      'aws_iam_role_policy.r: the policy statements ${local.extra}, ${merge(local.base, {Resource = aws_s3_bucket.db.arn})} are expressions that are not evaluated; read as unknown actions on what they reference, next to the literal statements',
    ]);
    // Both sides: one credential reaching both is KC011, and KC021 invents no writer.
    expect(kc011.check(m).map((v) => v.address)).toEqual(['aws_iam_role.r']);
    expect(kc021Writers(m)).toEqual([]);
  });

  it('a literal Deny next to an expression statement still denies', () => {
    const m = withStatements('[{Effect = "Allow", Action = "s3:*", Resource = "${aws_s3_bucket.kb.arn}/*"}, {Effect = "Deny", Action = "s3:Delete*", Resource = "*"}, local.extra]');
    expect(on(m)).toEqual(['read', 'write', 'admin']);
  });

  it('a Statement that is one expression is read as unknown actions on what it references', () => {
    const m = withStatements('concat(local.base, [{Resource = "${aws_s3_bucket.kb.arn}/*"}])');
    expect(on(m)).toEqual(['read?', 'write?', 'delete?', 'admin?']);
    expect(m.unknowns).toHaveLength(1);
  });
});
