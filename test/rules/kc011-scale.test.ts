/**
 * KC011 at scale: a line names at most MORE_LISTED further stores per side and counts the
 * rest, and a chain of role assumptions keeps its first and last hops (CHAIN_HEAD, CHAIN_TAIL)
 * and says how many were left out, so that no line grows with the number of stores or roles.
 */
import { describe, expect, it } from 'vitest';
import { chainShape } from '../../bench/gen-shapes';
import { MORE_LISTED, rule } from '../../lib/rules/kc011-no-shared-principal';
import { model, tags, type Json } from './kc0xx-fixtures';

/** lib/model/iam/role-graph.ts CHAIN_HEAD and CHAIN_TAIL: the hops a long chain keeps at each end. */
const CHAIN_HEAD = 3;
const CHAIN_TAIL = 3;

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('KC011 at scale', () => {
  it(`names ${MORE_LISTED} further stores per side and counts the rest`, () => {
    const buckets: Json = {};
    for (const n of names('k', 20)) buckets[n] = { bucket: `kc-${n}`, tags: tags('key-backup') };
    for (const n of names('d', 3)) buckets[n] = { bucket: `kc-${n}`, tags: tags('db-backup') };
    const m = model([
      's',
      {
        provider: { aws: [{ region: 'eu-central-1' }] },
        resource: {
          aws_s3_bucket: buckets,
          aws_iam_user: { ops: { name: 'ops' } },
          aws_iam_user_policy: { p: { user: 'ops', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }) } },
        },
      },
    ]);
    const [f] = rule.check(m);
    // Stores of one rank are listed by id; k10..k19 sort between k1 and k2.
    expect(f.message).toContain(
      '; it also reaches 19 more key stores (aws_s3_bucket.k1 (stack s), aws_s3_bucket.k10 (stack s), aws_s3_bucket.k11 (stack s), aws_s3_bucket.k12 (stack s), aws_s3_bucket.k13 (stack s), and 14 more)',
    );
    expect(f.message).toContain('; it also reaches 2 more DB-backup stores (aws_s3_bucket.d1 (stack s), aws_s3_bucket.d2 (stack s));');
  });

  it('keeps a line short at a chain of 40 assumed roles, and says how many roles it left out', () => {
    const found = rule.check(model(['s', chainShape(40)]));
    expect(found).toHaveLength(40);
    const first = found.find((f) => f.address === 'aws_iam_role.r0');
    const hop = (i: number) => `assumes aws_iam_role.r${i}`;
    const left = 39 - CHAIN_HEAD - CHAIN_TAIL;
    const chain = [hop(1), hop(2), hop(3), `… ${left} more assumed roles …`, hop(37), hop(38), hop(39)].join(' → ');
    expect(first?.message).toBe(
      `can read key-backup store aws_s3_bucket.keys (stack s) via ${chain} → inline policy aws_iam_role_policy.last ` +
        `and read db-backup store aws_s3_bucket.db (stack s) via ${chain} → inline policy aws_iam_role_policy.last` +
        '; one credential must never reach both a database backup and a copy of its master key',
    );
    for (const f of found) expect(f.message.length + (f.fix ?? '').length).toBeLessThan(2000);
  });

  it('writes chains of up to CHAIN_HEAD + CHAIN_TAIL hops in full, and says "role" for one left out', () => {
    const viaOf = (n: number) => rule.check(model(['s', chainShape(n)])).find((f) => f.address === 'aws_iam_role.r0')?.message.split(' via ')[1].split(' → inline')[0];
    const full = CHAIN_HEAD + CHAIN_TAIL;
    expect(viaOf(full + 1)).toBe(names('', full).map((_, i) => `assumes aws_iam_role.r${i + 1}`).join(' → '));
    expect(viaOf(full + 2)).toBe(
      [...names('', CHAIN_HEAD).map((_, i) => `assumes aws_iam_role.r${i + 1}`), '… 1 more assumed role …', ...names('', CHAIN_TAIL).map((_, i) => `assumes aws_iam_role.r${full + 2 - CHAIN_TAIL + i}`)].join(' → '),
    );
  });
});
