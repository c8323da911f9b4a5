/**
 * KC013 at scale: one finding per key store once it is managed together with more than
 * PAIRS_ALONE DB stores (one per pair grew with their product: 62,500 warnings at 500
 * buckets), the DB stores grouped by what they share, a few named per group and every one
 * counted. Up to PAIRS_ALONE, every pair is its own finding with the message it always had
 * (test/rules/kc013.test.ts holds those exactly).
 */
import { describe, expect, it } from 'vitest';
import { bucketsShape } from '../../bench/gen-shapes';
import { GROUPS_SHOWN, PAIRS_ALONE, rule, STORES_NAMED } from '../../lib/rules/kc013-separate-providers-and-state';
import { doc, model, tags, type Json } from './kc0xx-fixtures';

const b = (name: string, role: string, extra: Json = {}): Json => ({ resource: { aws_s3_bucket: { [name]: { bucket: `kc-${name}`, tags: tags(role), ...extra } } } });
const acct = (id: string, alias?: string): Json => ({ region: 'eu-central-1', allowed_account_ids: [id], ...(alias ? { alias } : {}) });
const providers = (...ps: Json[]): Json => ({ provider: { aws: ps } });
const s3State = (key: string): Json => ({ terraform: { backend: { s3: { bucket: 'state', key } } } });
const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

const SAME = 'it lives in the same stack s, so one Terraform state (and whoever can apply it) holds both; both are managed through the same provider configuration aws';
const STACK_FIX = 'move the key custody resources and the DB-backup resources into two stacks with their own backends';
const ACCT_FIX = 'configure the two providers with different identities: set `assume_role.role_arn` (or `allowed_account_ids`) of aws and aws to different roles in different accounts';

describe('KC013 at scale', () => {
  it('warns once per key store at 500 buckets, with every DB store counted and the output bounded', () => {
    const v = rule.check(model(['s', bucketsShape(500)]));
    expect(v).toHaveLength(250);
    for (const x of v) {
      expect(x.message).toMatch(/^is a key-backup store managed together with 250 db-backup stores: \[aws_s3_bucket\.db_0, /);
      expect(x.message).toContain(', aws_s3_bucket.db_4 and 245 more] ');
      expect(x.message.length).toBeLessThan(600);
    }
    expect(v.reduce((n, x) => n + x.message.length + (x.fix ?? '').length, 0)).toBeLessThan(250 * 1200);
  });

  it(`keeps one finding per pair up to ${PAIRS_ALONE} DB stores, then one aggregated finding`, () => {
    const at = (dbs: number) => rule.check(model(['s', doc(b('kb', 'key-backup'), ...names('d', dbs).map((n) => b(n, 'db-backup')))]));
    const five = at(PAIRS_ALONE);
    expect(five.map((x) => x.message)).toEqual(names('d', PAIRS_ALONE).map((n) => `is a key-backup store managed together with db-backup store aws_s3_bucket.${n}: ${SAME}`));
    const six = at(PAIRS_ALONE + 1);
    expect(six).toHaveLength(1);
    expect(six[0]).toMatchObject({
      stack: 's',
      address: 'aws_s3_bucket.kb',
      message: `is a key-backup store managed together with 6 db-backup stores: [aws_s3_bucket.d0, aws_s3_bucket.d1, aws_s3_bucket.d2, aws_s3_bucket.d3, aws_s3_bucket.d4 and 1 more] ${SAME}`,
      fix: `${STACK_FIX}; ${ACCT_FIX}`,
    });
  });

  it('names exactly the stores a group holds when they fit', () => {
    expect(STORES_NAMED).toBe(5);
    const j = doc(
      providers(acct('111111111111'), acct('222222222222', 'other')),
      b('kb', 'key-backup'),
      ...names('d', 5).map((n) => b(n, 'db-backup')),
      ...names('o', 2).map((n) => b(n, 'db-backup', { provider: 'aws.other' })),
    );
    const [v] = rule.check(model(['s', j]));
    expect(v.message).toBe(
      'is a key-backup store managed together with 7 db-backup stores: ' +
        `[aws_s3_bucket.d0, aws_s3_bucket.d1, aws_s3_bucket.d2, aws_s3_bucket.d3, aws_s3_bucket.d4] it lives in the same stack s, so one Terraform state (and whoever can apply it) holds both; both are managed through the same provider configuration aws ` +
        '[aws_s3_bucket.o0, aws_s3_bucket.o1] it lives in the same stack s, so one Terraform state (and whoever can apply it) holds both',
    );
    expect(v.fix).toBe(`${STACK_FIX}; configure the two providers with different identities: set \`assume_role.role_arn\` (or \`allowed_account_ids\`) of aws and aws to different roles in different accounts`);
  });

  it(`shows ${GROUPS_SHOWN} groups across stacks and counts the DB stores of the others; stores that share nothing are not counted`, () => {
    const key: [string, Json] = ['k', doc(providers(acct('111111111111')), s3State('k'), b('kb', 'key-backup'))];
    // Eight DB stacks in the key's account (each its own group: the reason names the stack), two in another account.
    const same = names('d', 8).map((s): [string, Json] => [s, doc(providers(acct('111111111111')), s3State(s), b('db', 'db-backup'))]);
    const apart = names('x', 2).map((s): [string, Json] => [s, doc(providers(acct('222222222222')), s3State(s), b('db', 'db-backup'))]);
    const v = rule.check(model(key, ...same, ...apart));
    expect(v).toHaveLength(1);
    const reason = (s: string) => `[aws_s3_bucket.db (stack ${s})] provider aws (stack k) and provider aws (stack ${s}) resolve to the same account identity "acct:111111111111"`;
    expect(v[0].message).toBe(
      `is a key-backup store managed together with 8 db-backup stores: ${reason('d0')} ${reason('d1')} ${reason('d2')} ` +
        '[and 5 more db-backup stores that share a provider identity or state with it in other ways, not listed]',
    );
    expect(v[0].fix).toBe(`${ACCT_FIX}; do the same for the DB stores not listed`);
  });

  it('says "store" for one hidden DB store, and counts a group with all its stores', () => {
    const key: [string, Json] = ['k', doc(providers(acct('111111111111')), s3State('k'), b('kb', 'key-backup'))];
    const first: [string, Json] = ['d0', doc(providers(acct('111111111111')), s3State('d0'), b('db', 'db-backup'), b('db2', 'db-backup'), b('db3', 'db-backup'))];
    const rest = names('d', GROUPS_SHOWN + 1).slice(1).map((s): [string, Json] => [s, doc(providers(acct('111111111111')), s3State(s), b('db', 'db-backup'))]);
    const [v] = rule.check(model(key, first, ...rest));
    expect(v.message).toMatch(/^is a key-backup store managed together with 6 db-backup stores: \[aws_s3_bucket\.db \(stack d0\), aws_s3_bucket\.db2 \(stack d0\), aws_s3_bucket\.db3 \(stack d0\)\] /);
    expect(v.message).toMatch(/ \[and 1 more db-backup store that shares a provider identity or state with it in other ways, not listed\]$/);
  });
});
