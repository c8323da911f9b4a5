/**
 * Role assumption at scale (lib/model/iam/role-graph.ts, open-hubs.ts): a wildcard AssumeRole
 * mesh is one hub, not N² edges, and each principal's walk costs what it finds; a long chain
 * keeps its first and last hops. The work is counted (trust edges added, principal conditions
 * weighed), never timed: 1,200 roles once took 90 s (1.44M edges, walked once per role).
 *
 * And the hub must reach exactly what a role-by-role reading reaches (over-report, never
 * under-report): random meshes mixing open trusts, trusts with principal conditions or denies,
 * trusts that name principals, and identity policies on every role, on named roles or on all
 * but some, are checked against an oracle written from the trust rules themselves.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chainShape, meshShape } from '../../../bench/gen-shapes';
import { Conditions } from '../../../lib/model/iam/conditions';
import { Trust } from '../../../lib/model/iam/trust';
import type { CustodyModel } from '../../../lib/model/types';
import { model, policy, type Json } from '../../fixtures/iam/fixtures';

/** lib/model/iam/role-graph.ts CHAIN_HEAD and CHAIN_TAIL: the hops a long chain keeps at each end. */
const CHAIN_HEAD = 3;
const CHAIN_TAIL = 3;

const SEED = Number(process.env.KEY_CUSTODY_FC_SEED ?? 20260601);
const RUNS = Number(process.env.KEY_CUSTODY_FC_RUNS ?? 150);

/** Counts the pairwise work of collectTrust: edges added and principal conditions weighed. */
function counting(): { edges: () => number; admits: () => number } {
  const edges = vi.spyOn(Trust.prototype as unknown as { addEdge: (...a: unknown[]) => void }, 'addEdge');
  const admits = vi.spyOn(Conditions.prototype as unknown as { allowConditionsAdmit: (...a: unknown[]) => boolean }, 'allowConditionsAdmit');
  return { edges: () => edges.mock.calls.length, admits: () => admits.mock.calls.length };
}

afterEach(() => {
  vi.restoreAllMocks();
});

const lines = (m: CustodyModel) => m.grants.map((g) => `${m.principalById(g.principal)?.address} ${m.storeById(g.store)?.address} ${g.access}`);

describe('a wildcard AssumeRole mesh', () => {
  it('adds no trust edge per pair of roles (300 roles)', () => {
    const work = counting();
    const m = model(['s', meshShape(300)]);
    expect(work.edges()).toBeLessThanOrEqual(300);
    expect(work.admits()).toBeLessThanOrEqual(300);
    expect(m.grants).toHaveLength(600);
  });

  it('builds 1,200 roles with linear trust work, every role reaching both buckets by a one-hop chain', { timeout: 60_000 }, () => {
    const work = counting();
    const m = model(['s', meshShape(1200)]);
    expect(work.edges() + work.admits()).toBeLessThanOrEqual(2 * 1200);
    expect(m.grants).toHaveLength(2400);
    const ls = lines(m);
    expect(new Set(ls).size).toBe(2400);
    for (let i = 0; i < 1200; i++) {
      expect(ls).toContain(`aws_iam_role.r${i} aws_s3_bucket.keys read`);
      expect(ls).toContain(`aws_iam_role.r${i} aws_s3_bucket.db read`);
    }
    const via = (i: number, store: string) => m.grants.find((g) => g.principal === `s\u0000aws_iam_role.r${i}` && g.store.endsWith(`aws_s3_bucket.${store}`))?.via;
    expect(via(7, 'keys')).toBe('assumes aws_iam_role.r0 (inline policy aws_iam_role_policy.p7) → inline policy aws_iam_role_policy.p0');
    expect(via(7, 'db')).toBe('assumes aws_iam_role.r1 (inline policy aws_iam_role_policy.p7) → inline policy aws_iam_role_policy.p1');
    expect(via(0, 'keys')).toBe('inline policy aws_iam_role_policy.p0');
    expect(via(0, 'db')).toBe('assumes aws_iam_role.r1 (inline policy aws_iam_role_policy.p0) → inline policy aws_iam_role_policy.p1');
  });
});

describe('a long chain of role assumptions', () => {
  it(`keeps ${CHAIN_HEAD} first and ${CHAIN_TAIL} last hops of a 300-role chain, and every grant`, () => {
    const m = model(['s', chainShape(300)]);
    expect(m.grants).toHaveLength(600);
    const v = m.grants.find((g) => g.principal === 's\u0000aws_iam_role.r0')?.via;
    expect(v).toBe(
      'assumes aws_iam_role.r1 → assumes aws_iam_role.r2 → assumes aws_iam_role.r3 → … 293 more assumed roles … → ' +
        'assumes aws_iam_role.r297 → assumes aws_iam_role.r298 → assumes aws_iam_role.r299 → inline policy aws_iam_role_policy.last',
    );
    expect(m.grants.reduce((n, g) => n + g.via.length, 0)).toBeLessThan(600 * 300);
  });
});

describe('hubs per account', () => {
  const TWO = { aws: [{ allowed_account_ids: ['111111111111'] }, { alias: 'b', allowed_account_ids: ['222222222222'] }] };
  const trustRoot = (acct: string) => policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${acct}:root` } });
  const anyone = policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: '*' } });
  const all = policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' });

  it('lets a principal assume only the open roles of its own account, and roles open to anyone', () => {
    const m = model([
      's',
      {
        provider: TWO,
        resource: {
          aws_s3_bucket: { k: { bucket: 'kb', tags: { 'custody:role': 'key-backup', 'custody:key': 'k', 'custody:app': 'a' } } },
          aws_iam_user: { a: { name: 'a' }, b: { name: 'b', provider: 'aws.b' } },
          aws_iam_user_policy: { a: { user: 'a', policy: all }, b: { user: '${aws_iam_user.b.name}', policy: all } },
          aws_iam_role: {
            ra: { name: 'ra', assume_role_policy: trustRoot('111111111111') },
            rb: { name: 'rb', provider: 'aws.b', assume_role_policy: trustRoot('222222222222') },
            rx: { name: 'rx', assume_role_policy: anyone },
          },
          aws_iam_role_policy: {
            ra: { role: 'ra', policy: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*' }) },
            rb: { role: '${aws_iam_role.rb.name}', policy: all },
            rx: { role: 'rx', policy: all },
          },
        },
      },
    ]);
    // b (account 222) reaches ra (open to 111) only through rx (open to anyone, in 111).
    expect(m.grants.map((g) => `${m.principalById(g.principal)?.address} | ${g.via}`)).toEqual([
      'aws_iam_user.a | assumes aws_iam_role.ra (inline policy aws_iam_user_policy.a) → inline policy aws_iam_role_policy.ra',
      'aws_iam_user.b | assumes aws_iam_role.rx (inline policy aws_iam_user_policy.b) → assumes aws_iam_role.ra (inline policy aws_iam_role_policy.rx) → inline policy aws_iam_role_policy.ra',
      'aws_iam_role.ra | inline policy aws_iam_role_policy.ra',
      'aws_iam_role.rb | assumes aws_iam_role.rx (inline policy aws_iam_role_policy.rb) → assumes aws_iam_role.ra (inline policy aws_iam_role_policy.rx) → inline policy aws_iam_role_policy.ra',
      'aws_iam_role.rx | assumes aws_iam_role.ra (inline policy aws_iam_role_policy.rx) → inline policy aws_iam_role_policy.ra',
    ]);
  });
});

// ----- the oracle ---------------------------------------------------------------------------

type Trusted =
  | { kind: 'open'; acct: 0 | 1 | 'any'; cond?: number[]; deny: number[] }
  | { kind: 'explicit'; who: number[]; deny: number[] }
  | { kind: 'none' };
type Identity = { kind: 'all' } | { kind: 'named'; roles: number[] } | { kind: 'allBut'; roles: number[] } | { kind: 'none' };
interface RoleSpec {
  account: 0 | 1;
  trust: Trusted;
  identity: Identity;
  holds: 'keys' | 'db' | 'none';
}

const ACCTS = ['111111111111', '222222222222'];

function roleArb(n: number): fc.Arbitrary<RoleSpec> {
  const idx = fc.uniqueArray(fc.nat({ max: n - 1 }), { minLength: 1, maxLength: 3 });
  const few = fc.uniqueArray(fc.nat({ max: n - 1 }), { maxLength: 2 });
  const trust: fc.Arbitrary<Trusted> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('open' as const), acct: fc.constantFrom<(0 | 1 | 'any')[]>(0, 0, 1, 'any'), deny: fc.constant<number[]>([]) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('open' as const), acct: fc.constantFrom<(0 | 1 | 'any')[]>(0, 1, 'any'), cond: idx, deny: few }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('open' as const), acct: fc.constantFrom<(0 | 1 | 'any')[]>(0, 1), deny: idx }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('explicit' as const), who: idx, deny: few }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  );
  const identity: fc.Arbitrary<Identity> = fc.oneof(
    { weight: 5, arbitrary: fc.constant({ kind: 'all' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('named' as const), roles: idx }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('allBut' as const), roles: idx }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
  );
  return fc.record({ account: fc.constantFrom<(0 | 1)[]>(0, 0, 1), trust, identity, holds: fc.constantFrom<RoleSpec['holds'][]>('keys', 'db', 'none', 'none') });
}

const meshArb = fc.integer({ min: 2, max: 9 }).chain((n) => fc.array(roleArb(n), { minLength: n, maxLength: n }));

const arn = (i: number) => `\${aws_iam_role.r${i}.arn}`;

function render(specs: readonly RoleSpec[]): Json {
  const roles: Json = {};
  const policies: Json = {};
  specs.forEach((s, i) => {
    const t = s.trust;
    const stmts: Json[] = [];
    if (t.kind === 'none') stmts.push({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } });
    else if (t.kind === 'explicit') stmts.push({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: t.who.map(arn) } });
    else {
      const principal = t.acct === 'any' ? { AWS: '*' } : { AWS: `arn:aws:iam::${ACCTS[t.acct]}:root` };
      stmts.push({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal, ...(t.cond ? { Condition: { ArnEquals: { 'aws:PrincipalArn': t.cond.map(arn) } } } : {}) });
    }
    if (t.kind !== 'none' && t.deny.length) stmts.push({ Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { AWS: t.deny.map(arn) } });
    roles[`r${i}`] = { name: `r${i}`, assume_role_policy: policy(...stmts), ...(s.account === 1 ? { provider: 'aws.b' } : {}) };
    const id = s.identity;
    const sts =
      id.kind === 'all'
        ? [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }]
        : id.kind === 'named'
          ? [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: id.roles.map(arn) }]
          : id.kind === 'allBut'
            ? [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }, { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: id.roles.map(arn) }]
            : [];
    if (sts.length) policies[`sts${i}`] = { role: `\${aws_iam_role.r${i}.id}`, policy: policy(...sts) };
    // Only roles of the buckets' account read them (another account would need a bucket policy).
    if (s.holds !== 'none' && s.account === 0) policies[`rp${i}`] = { role: `\${aws_iam_role.r${i}.id}`, policy: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: `\${aws_s3_bucket.${s.holds}.arn}/*` }) };
  });
  const tags = (role: string) => ({ 'custody:role': role, 'custody:key': 'k', 'custody:app': 'a' });
  return {
    provider: { aws: [{ allowed_account_ids: [ACCTS[0]] }, { alias: 'b', allowed_account_ids: [ACCTS[1]] }] },
    resource: {
      aws_s3_bucket: { keys: { bucket: 'kc-keys', tags: tags('key-backup') }, db: { bucket: 'kc-db', tags: tags('db-backup') } },
      aws_iam_role: roles,
      ...(Object.keys(policies).length ? { aws_iam_role_policy: policies } : {}),
    },
  };
}

/** Who may assume whom, read straight from the trust rules. */
function oracle(specs: readonly RoleSpec[]): string[] {
  const allows = (p: RoleSpec, r: number) => {
    const id = p.identity;
    return id.kind === 'all' || (id.kind === 'named' && id.roles.includes(r)) || (id.kind === 'allBut' && !id.roles.includes(r));
  };
  const edge = (p: number, r: number) => {
    if (p === r) return false;
    const t = specs[r].trust;
    if (t.kind === 'none' || t.deny.includes(p)) return false;
    // From another account, both sides: the trust names it and its own policy allows sts:AssumeRole.
    if (t.kind === 'explicit') return t.who.includes(p) && (specs[p].account === specs[r].account || allows(specs[p], r));
    return (t.acct === 'any' || t.acct === specs[p].account) && (!t.cond || t.cond.includes(p)) && allows(specs[p], r);
  };
  const out: string[] = [];
  specs.forEach((_, p) => {
    const seen = new Set([p]);
    const queue = [p];
    while (queue.length) {
      const x = queue.shift() as number;
      specs.forEach((__, r) => {
        if (!seen.has(r) && edge(x, r)) {
          seen.add(r);
          queue.push(r);
        }
      });
    }
    for (const store of ['keys', 'db']) {
      if ([...seen].some((x) => specs[x].holds === store && specs[x].account === 0)) out.push(`aws_iam_role.r${p} aws_s3_bucket.${store} read`);
    }
  });
  return out.sort();
}

describe(`hubs reach what a role-by-role reading reaches (fast-check seed ${SEED}, ${RUNS} runs; replay with KEY_CUSTODY_FC_SEED=${SEED})`, () => {
  it(`same grants as the oracle [seed ${SEED}]`, () => {
    fc.assert(
      fc.property(meshArb, (specs) => {
        expect(lines(model(['s', render(specs)])).sort()).toEqual(oracle(specs));
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });
});
