/**
 * lib/rules/grant-origins.ts: which library grant call gave a principal access to a store,
 * read from the stack's `//` metadata, and the fix sentence KC011 starts with. The grant must
 * be made under the store's construct, in its stack, and name the principal (its address, a
 * reference to it, or an IAM ARN of the same kind and name).
 */
import { describe, expect, it } from 'vitest';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';
import { buildModel } from '../../lib/model/build';
import type { GrantOrigin } from '../../lib/model/load/origins';
import type { CustodyModel } from '../../lib/model/types';
import { runRules } from '../../lib/rules/engine';
import { describeGrantOrigin, grantFix, grantOriginOf } from '../../lib/rules/grant-origins';
import { rule as kc011 } from '../../lib/rules/kc011-no-shared-principal';
import { allow, merge, oneStack, policy, USER, type Json } from '../fixtures/iam/fixtures';

const OPS_ARN = 'arn:aws:iam::123456789012:user/ops';
const CALL = `keyBucket.grantRead('${OPS_ARN}');`;
const GRANT = { construct: 's/KeyBackups', kind: 'KeyBackupBucket', method: 'grantRead', principal: OPS_ARN, at: 'infra/main.ts:42', call: CALL };

/** One stack: the key and DB buckets (made under `s/KeyBackups` and `s/DbBackups`), user ops reading both. */
function world(grants: readonly Json[], stack = 's'): CustodyModel {
  const json = oneStack(
    merge(USER, { aws_iam_user_policy: { p: { user: '${aws_iam_user.ops.name}', policy: policy(allow('s3:GetObject', ['${aws_s3_bucket.keys.arn}/*', '${aws_s3_bucket.db.arn}/*'])) } } }),
  ) as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
  json.resource.aws_s3_bucket.keys['//'] = { metadata: { path: `${stack}/KeyBackups/Bucket` } };
  json.resource.aws_s3_bucket.db['//'] = { metadata: { path: `${stack}/DbBackups/Bucket` } };
  (json as Record<string, unknown>)['//'] = { metadata: { keyCustody: { sources: {}, grants } } };
  return buildModel([loadTerraformJson(stack, json)]);
}

const ops = (m: CustodyModel) => m.principals.find((p) => p.address === 'aws_iam_user.ops')!;
const store = (m: CustodyModel, name: string) => m.stores.find((s) => s.address === `aws_s3_bucket.${name}`)!;

describe('grantOriginOf', () => {
  it('finds the grant made under the store by the principal\'s ARN, on the first store that has one', () => {
    const m = world([GRANT]);
    expect(grantOriginOf(m, ops(m), [store(m, 'db'), store(m, 'keys')])).toMatchObject({ grant: { method: 'grantRead', construct: 's/KeyBackups' }, store: { address: 'aws_s3_bucket.keys' } });
    expect(grantOriginOf(m, ops(m), [store(m, 'db')])).toBeUndefined();
  });

  it('matches the principal by address or by a reference to it, and an ARN only of the same kind and name', () => {
    for (const principal of ['aws_iam_user.ops', '${aws_iam_user.ops.arn}']) {
      const m = world([{ ...GRANT, principal }]);
      expect(grantOriginOf(m, ops(m), [store(m, 'keys')])?.grant.principal, principal).toBe(principal);
    }
    for (const principal of ['arn:aws:iam::123456789012:role/ops', 'arn:aws:iam::123456789012:user/other', 'arn:aws:iam::123456789012:group/ops', 'aws_iam_user.other', 'ops']) {
      const m = world([{ ...GRANT, principal }]);
      expect(grantOriginOf(m, ops(m), [store(m, 'keys')]), principal).toBeUndefined();
    }
  });

  it('needs the grant under the store\'s own construct: a sibling with a common prefix does not count', () => {
    for (const construct of ['s/KeyBackup', 's/KeyBackupsOld', 's/DbBackups', 't/KeyBackups']) {
      const m = world([{ ...GRANT, construct }]);
      expect(grantOriginOf(m, ops(m), [store(m, 'keys')]), construct).toBeUndefined();
    }
    const parent = world([{ ...GRANT, construct: 's' }]);
    expect(grantOriginOf(parent, ops(parent), [store(parent, 'keys')])).toBeDefined();
    const exact = world([{ ...GRANT, construct: 's/KeyBackups/Bucket' }]);
    expect(grantOriginOf(exact, ops(exact), [store(exact, 'keys')])).toBeDefined();
  });

  it('finds nothing without grant metadata', () => {
    const m = world([]);
    expect(grantOriginOf(m, ops(m), m.stores)).toBeUndefined();
  });
});

describe('describeGrantOrigin', () => {
  const g: GrantOrigin = { stack: 's', construct: 's/KeyBackups', kind: 'KeyBackupBucket', method: 'grantRead', principal: OPS_ARN, at: { file: 'infra/main.ts', line: 42 }, call: CALL, internal: false };
  it('quotes the call and where it is, or names the method when the line was not recorded', () => {
    expect(describeGrantOrigin(g)).toBe(`\`${CALL}\` at infra/main.ts:42 (grantRead of KeyBackupBucket s/KeyBackups)`);
    expect(describeGrantOrigin({ ...g, call: undefined })).toBe('grantRead(...) of KeyBackupBucket s/KeyBackups at infra/main.ts:42');
    expect(describeGrantOrigin({ ...g, call: undefined, at: undefined })).toBe('grantRead(...) of KeyBackupBucket s/KeyBackups');
  });
  it('says when the library made the grant itself, for the construct made at a line', () => {
    expect(describeGrantOrigin({ ...g, internal: true })).toBe('KeyBackupBucket s/KeyBackups.grantRead(...), which the library called for the construct made at infra/main.ts:42');
  });
});

describe('grantFix and KC011', () => {
  it('starts the fix with the grant call and points the finding at it', () => {
    const m = world([GRANT]);
    const fix = grantFix(m, ops(m), [store(m, 'keys')]);
    expect(fix).toEqual({
      text: `the access to aws_s3_bucket.keys (stack s) was granted by \`${CALL}\` at infra/main.ts:42 (grantRead of KeyBackupBucket s/KeyBackups): remove that grantRead call, or pass it a principal of the key-backup side only; `,
      origin: { file: 'infra/main.ts', line: 42 },
    });
    const f = runRules(m, [kc011], { today: '2026-01-01' }).findings.filter((x) => x.ruleId === 'KC011' && x.address === 'aws_iam_user.ops');
    expect(f).toHaveLength(1);
    expect(f[0].fix.startsWith(fix!.text)).toBe(true);
    expect(f[0].origin).toEqual({ file: 'infra/main.ts', line: 42 });
  });

  it('for a grant the library made, tells to give the construct a principal of its own side, and points nowhere new', () => {
    const m = world([{ ...GRANT, internal: true }]);
    const fix = grantFix(m, ops(m), [store(m, 'keys')]);
    expect(fix?.text).toContain('give that construct a principal of its own side instead; ');
    expect(fix?.origin).toBeUndefined();
    expect(grantFix(world([]), ops(world([])), m.stores)).toBeUndefined();
  });
});
