/**
 * The rule on whole configurations first, then the exact-output tests.
 * KC011 message details the main tests leave open: several access levels on one store
 * (`read/write`), the order of the stores named (widest reach first, then by id), the
 * "it also reaches N more" tails on both sides, and the exact fix.
 */
import { describe, it, expect } from 'vitest';
import type { CustodyModel } from '../../lib/model/types';
import { formatFinding, runRules } from '../../lib/rules/engine';
import { rule } from '../../lib/rules/kc011-no-shared-principal';
import { DB_BUCKET, KEY_BUCKET, USER, allow, bucketWithKey, merge, model, oneStack, policy, stack, type Json } from '../fixtures/iam/fixtures';

const OPS = 'aws_iam_user.ops';

function findings(m: CustodyModel) {
  return rule.check(m);
}

/** One stack with both buckets and user ops carrying `statements` in an inline policy. */
function inline(...statements: Json[]) {
  return model(['s', oneStack(merge(USER, { aws_iam_user_policy: { p: { user: '${aws_iam_user.ops.name}', policy: policy(...statements) } } }))]);
}

/** The one finding for ops: names the principal, both stores, and carries a fix. */
function expectOpsFlagged(m: CustodyModel, via?: RegExp) {
  const f = findings(m);
  expect(f.map((x) => x.address)).toEqual([OPS]);
  expect(f[0].message).toMatch(/key-backup store aws_s3_bucket\.keys \(stack [\w-]+\)/);
  expect(f[0].message).toMatch(/db-backup store aws_s3_bucket\.db \(stack [\w-]+\)/);
  expect(f[0].fix).toContain('separate principals');
  expect(f[0].fix).toContain(OPS);
  if (via) expect(f[0].message).toMatch(via);
  return f[0];
}

describe('KC011 no shared principal', () => {
  it('is an unsuppressible error with an explanation and a fix', () => {
    expect(rule).toMatchObject({ id: 'KC011', severity: 'error', suppressible: false });
    expect(rule.explanation.length).toBeGreaterThan(50);
    expect(rule.fix).toContain('separate principals');
  });

  it('flags a principal whose inline policy reaches both buckets, naming stores, stacks and chains', () => {
    const m = inline(allow('s3:GetObject', ['${aws_s3_bucket.keys.arn}/*', '${aws_s3_bucket.db.arn}/*']));
    const f = expectOpsFlagged(m);
    expect(f.message).toBe(
      'can read key-backup store aws_s3_bucket.keys (stack s) via inline policy aws_iam_user_policy.p ' +
        'and read db-backup store aws_s3_bucket.db (stack s) via inline policy aws_iam_user_policy.p; ' +
        'one credential must never reach both a database backup and a copy of its master key',
    );
    expect(f.stack).toBe('s');
  });

  it('flags both stores reached through an attached customer policy', () => {
    const m = model([
      's',
      oneStack(
        merge(USER, {
          aws_iam_policy: { backup: { name: 'backup', policy: '${data.aws_iam_policy_document.backup.json}' } },
          aws_iam_user_policy_attachment: { a: { user: '${aws_iam_user.ops.name}', policy_arn: '${aws_iam_policy.backup.arn}' } },
        }),
        { aws_iam_policy_document: { backup: { statement: [{ actions: ['s3:PutObject'], resources: ['${aws_s3_bucket.db.arn}/*', '${aws_s3_bucket.keys.arn}/*'] }] } } },
      ),
    ]);
    expectOpsFlagged(m, /write key-backup store .* via policy aws_iam_policy\.backup/);
  });

  it('flags an attached AWS-managed policy (AmazonS3FullAccess)', () => {
    const m = model(['s', oneStack(merge(USER, { aws_iam_user_policy_attachment: { a: { user: 'ops', policy_arn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' } } }))]);
    expectOpsFlagged(m, /via AWS-managed policy AmazonS3FullAccess/);
  });

  it('flags group membership', () => {
    const m = model([
      's',
      oneStack(
        merge(USER, {
          aws_iam_group: { ops: { name: 'ops' } },
          aws_iam_group_policy: { g: { group: '${aws_iam_group.ops.name}', policy: policy(allow('s3:GetObject', `arn:aws:s3:::${KEY_BUCKET}/*`), allow('s3:PutObject', `arn:aws:s3:::${DB_BUCKET}/*`)) } },
          aws_iam_user_group_membership: { m: { user: '${aws_iam_user.ops.name}', groups: ['${aws_iam_group.ops.name}'] } },
        }),
      ),
    ]);
    expectOpsFlagged(m, /read key-backup store .* via group ops → inline policy aws_iam_group_policy\.g and write db-backup store/);
  });

  it('flags a role the principal may assume (and the role itself)', () => {
    const m = model([
      's',
      oneStack(
        merge(USER, {
          aws_iam_user_policy: { own: { user: 'ops', policy: policy(allow('s3:PutObject', '${aws_s3_bucket.db.arn}/*')) } },
          aws_iam_role: {
            restore: {
              name: 'restore',
              assume_role_policy: '${data.aws_iam_policy_document.trust.json}',
              inline_policy: [{ name: 'keys', policy: policy(allow('s3:GetObject', '${aws_s3_bucket.keys.arn}/*')) }],
            },
          },
        }),
        { aws_iam_policy_document: { trust: { statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'AWS', identifiers: ['${aws_iam_user.ops.arn}'] }] }] } } },
      ),
    ]);
    const f = findings(m);
    expect(f.map((x) => x.address)).toEqual([OPS]);
    expect(f[0].message).toContain('via assumes aws_iam_role.restore → inline policy aws_iam_role.restore "keys"');
    expect(f[0].message).toContain('write db-backup store aws_s3_bucket.db (stack s) via inline policy aws_iam_user_policy.own');
  });

  it.each([
    ['*', '*'],
    ['arn:aws:s3:::*', 'arn:aws:s3:::*'],
    ['a prefix wildcard', 'arn:aws:s3:::acme-zitadel-*/*'],
  ])('flags a wildcard resource (%s)', (_label, resource) => {
    expectOpsFlagged(inline(allow('s3:GetObject', resource)), /read key-backup store/);
  });

  it.each(['s3:*', 's3:Get*', 's3:*Object'])('flags a wildcard action (%s)', (action) => {
    expectOpsFlagged(inline(allow(action, ['${aws_s3_bucket.keys.arn}/*', '${aws_s3_bucket.db.arn}/*'])));
  });

  it('flags a bucket policy naming the principal', () => {
    const m = model([
      's',
      oneStack(
        merge(USER, {
          aws_iam_user_policy: { own: { user: 'ops', policy: policy(allow('s3:PutObject', '${aws_s3_bucket.db.arn}/*')) } },
          aws_s3_bucket_policy: { keys: { bucket: '${aws_s3_bucket.keys.id}', policy: policy({ Effect: 'Allow', Principal: { AWS: ['${aws_iam_user.ops.arn}'] }, Action: 's3:GetObject', Resource: '${aws_s3_bucket.keys.arn}/*' }) } },
        }),
      ),
    ]);
    expectOpsFlagged(m, /read key-backup store aws_s3_bucket\.keys \(stack s\) via bucket policy aws_s3_bucket_policy\.keys/);
  });

  it('flags across stacks through a remote-state reference', () => {
    const m = model(
      ['key-custody', stack({ resource: bucketWithKey('keys', KEY_BUCKET, 'key-backup'), output: { 'cross-stack-output-aws_s3_bucketkeysarn': { value: '${aws_s3_bucket.keys.arn}' } } })],
      [
        'db-backups',
        stack({
          resource: merge(bucketWithKey('db', DB_BUCKET, 'db-backup'), USER, {
            aws_iam_user_policy: {
              p: { user: 'ops', policy: policy(allow('s3:PutObject', '${aws_s3_bucket.db.arn}/*'), allow('s3:GetObject', '${data.terraform_remote_state.cross-stack-reference-input-key-custody.outputs.cross-stack-output-aws_s3_bucketkeysarn}/*')) },
            },
          }),
          data: { terraform_remote_state: { 'cross-stack-reference-input-key-custody': { backend: 'local', config: { path: '../key-custody/terraform.tfstate' } } } },
        }),
      ],
    );
    const f = findings(m);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ stack: 'db-backups', address: OPS });
    expect(f[0].message).toContain('can read key-backup store aws_s3_bucket.keys (stack key-custody) via inline policy aws_iam_user_policy.p');
    expect(formatFinding({ ...f[0], ruleId: 'KC011', stack: 'db-backups', fix: 'x' } as never)).toContain(
      'KC011 aws_iam_user.ops (stack db-backups) can read key-backup store aws_s3_bucket.keys (stack key-custody)',
    );
    expect(f[0].message).toContain('write db-backup store aws_s3_bucket.db (stack db-backups)');
    // Through the engine the address is stack-qualified.
    const { findings: all } = runRules(m, [rule]);
    expect(all[0]).toMatchObject({ ruleId: 'KC011', address: 'db-backups/aws_iam_user.ops', severity: 'error', suppressed: false });
  });

  it('does not flag two principals that each reach one store', () => {
    const m = model([
      's',
      oneStack({
        aws_iam_user: { 'db-writer': { name: 'db-writer' }, 'key-writer': { name: 'key-writer' } },
        aws_iam_user_policy: {
          db: { user: '${aws_iam_user.db-writer.name}', policy: policy(allow('s3:PutObject', '${aws_s3_bucket.db.arn}/*')) },
          keys: { user: '${aws_iam_user.key-writer.name}', policy: policy(allow('s3:PutObject', '${aws_s3_bucket.keys.arn}/*')) },
        },
      }),
    ]);
    expect(m.grants.filter((g) => g.access === 'write')).toHaveLength(2);
    expect(findings(m)).toEqual([]);
  });

  it('does not flag a principal in another account that only has an identity policy', () => {
    const m = model(
      ['key-custody', stack({ provider: { aws: [{ allowed_account_ids: ['111111111111'] }] }, resource: bucketWithKey('keys', KEY_BUCKET, 'key-backup') })],
      [
        'db-backups',
        stack({
          provider: { aws: [{ allowed_account_ids: ['222222222222'] }] },
          resource: merge(bucketWithKey('db', DB_BUCKET, 'db-backup'), USER, { aws_iam_user_policy: { p: { user: 'ops', policy: policy(allow('s3:*', '*')) } } }),
        }),
      ],
    );
    expect(m.grants.some((g) => g.store === 'db-backups\u0000aws_s3_bucket.db')).toBe(true);
    expect(findings(m)).toEqual([]);
  });

  it('flags an identity policy that NAMES the other account\'s key bucket, even while the account boundary blocks it', () => {
    const m = model(
      ['key-custody', stack({ provider: { aws: [{ allowed_account_ids: ['111111111111'] }] }, resource: bucketWithKey('keys', KEY_BUCKET, 'key-backup') })],
      [
        'db-backups',
        stack({
          provider: { aws: [{ allowed_account_ids: ['222222222222'] }] },
          resource: merge(bucketWithKey('db', DB_BUCKET, 'db-backup'), USER, {
            aws_iam_user_policy: { p: { user: 'ops', policy: policy(allow('s3:PutObject', `arn:aws:s3:::${DB_BUCKET}/*`), allow('s3:GetObject', `arn:aws:s3:::${KEY_BUCKET}/*`)) } },
          }),
        }),
      ],
    );
    expect(m.grants.some((g) => g.store === 'key-custody\u0000aws_s3_bucket.keys')).toBe(false);
    expect(m.blockedGrants.map((g) => [g.store, g.access])).toEqual([['key-custody\u0000aws_s3_bucket.keys', 'read']]);
    const f = findings(m);
    expect(f).toHaveLength(1);
    expect(f[0].message).toMatch(/^can read key-backup store aws_s3_bucket\.keys \(stack key-custody\) via inline policy aws_iam_user_policy\.p \[blocked today by the store's resource policy or the account boundary\] and write db-backup store/);
  });

  it('does not count decrypt alone as reaching a store (that is KC012)', () => {
    const m = inline(allow('s3:GetObject', '${aws_s3_bucket.db.arn}/*'), allow('kms:Decrypt', '${aws_kms_key.keys.arn}'));
    expect(m.grants.some((g) => g.access === 'decrypt')).toBe(true);
    expect(findings(m)).toEqual([]);
  });
});

describe('KC011 reach, order and tails (mutation tests)', () => {
  it('names the store with the widest reach first and lists the others on each side', () => {
    const m = model([
      's',
      oneStack(
        merge(
          USER,
          bucketWithKey('akeys', 'acme-a-key-backup', 'key-backup'),
          bucketWithKey('zkeys', 'acme-z-key-backup', 'key-backup'),
          bucketWithKey('db2', 'acme-db2-backup', 'db-backup'),
          {
            aws_iam_user_policy: {
              p: {
                user: 'ops',
                policy: policy(
                  allow('s3:PutObject', ['${aws_s3_bucket.akeys.arn}/*', '${aws_s3_bucket.keys.arn}/*']),
                  allow(['s3:GetObject', 's3:PutObject'], '${aws_s3_bucket.zkeys.arn}/*'),
                  allow('s3:PutObject', ['${aws_s3_bucket.db2.arn}/*', '${aws_s3_bucket.db.arn}/*']),
                ),
              },
            },
          },
        ),
      ),
    ]);
    const f = rule.check(m);
    expect(f.map((x) => x.address)).toEqual(['aws_iam_user.ops']);
    expect(f[0].message).toBe(
      'can read/write key-backup store aws_s3_bucket.zkeys (stack s) via inline policy aws_iam_user_policy.p ' +
        'and write db-backup store aws_s3_bucket.db (stack s) via inline policy aws_iam_user_policy.p' +
        '; it also reaches 2 more key stores (aws_s3_bucket.akeys (stack s), aws_s3_bucket.keys (stack s))' +
        '; it also reaches 1 more DB-backup stores (aws_s3_bucket.db2 (stack s))' +
        '; one credential must never reach both a database backup and a copy of its master key',
    );
    expect(f[0].fix).toBe(
      'give the DB-backup job and the key-backup job separate principals: aws_iam_user.ops may keep access to aws_s3_bucket.zkeys or to aws_s3_bucket.db, not both; ' +
        'remove or narrow what grants the other (inline policy aws_iam_user_policy.p / inline policy aws_iam_user_policy.p), e.g. scope the policy\'s Resource to one bucket ' +
        'instead of a wildcard, drop the broad managed policy or group membership, or stop the principal from assuming the role; and let each bucket policy allow only its designated principals',
    );
  });

  it('counts a key store (Secrets Manager) as the key side', () => {
    const m = model([
      's',
      oneStack(
        merge(USER, {
          aws_secretsmanager_secret: { hot: { name: 'zitadel-master', tags: { 'custody:role': 'key-store', 'custody:key': 'zitadel', 'custody:app': 'zitadel' } } },
          aws_iam_user_policy: { p: { user: 'ops', policy: policy(allow('secretsmanager:GetSecretValue', '${aws_secretsmanager_secret.hot.arn}'), allow('s3:GetObject', '${aws_s3_bucket.db.arn}/*')) } },
        }),
      ),
    ]);
    const f = rule.check(m);
    expect(f.map((x) => x.message.split(' and ')[0])).toEqual(['can read key-store store aws_secretsmanager_secret.hot (stack s) via inline policy aws_iam_user_policy.p']);
  });
});
