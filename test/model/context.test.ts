/**
 * lib/model/context.ts and accounts.ts on their own: the document indexes, reference
 * resolution (instances, cross-stack outputs, depth limit), targets by literal name or ARN,
 * referrers and provider accounts.
 */
import { describe, expect, it } from 'vitest';
import { accountOf } from '../../lib/model/accounts';
import { key, ModelContext, qualify } from '../../lib/model/context';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';
import type { TfProvider } from '../../lib/model/types';

const prov = (values: Record<string, unknown>): TfProvider => ({ stack: 's', key: 'aws', type: 'aws', values });

describe('accountOf', () => {
  it('pins the account by allowed_account_ids (exactly one literal), assume_role ARN, or profile', () => {
    expect(accountOf(undefined, 'app')).toBe('app:default');
    expect(accountOf(prov({ allowed_account_ids: ['111111111111'] }), 's')).toBe('acct:111111111111');
    expect(accountOf(prov({ allowed_account_ids: '222222222222' }), 's')).toBe('acct:222222222222');
    expect(accountOf(prov({ allowed_account_ids: ['1', '2'], profile: 'p' }), 's')).toBe('profile:p');
    expect(accountOf(prov({ allowed_account_ids: ['${var.a}'] }), 's')).toBe('default');
    expect(accountOf(prov({ assume_role: [{ role_arn: 'arn:aws:iam::333333333333:role/x' }] }), 's')).toBe('acct:333333333333');
    expect(accountOf(prov({ assume_role: { role_arn: 'arn:aws-cn:iam::acct-alias:role/x' } }), 's')).toBe('acct:acct-alias');
    expect(accountOf(prov({ assume_role: { role_arn: 'role/x' }, profile: 'p' }), 's')).toBe('profile:p');
    expect(accountOf(prov({ assume_role: { role_arn: 'x-arn:aws:iam::444444444444:role/x' } }), 's')).toBe('default');
    expect(accountOf(prov({ assume_role: { role_arn: '${var.r}' } }), 's')).toBe('default');
    expect(accountOf(prov({ profile: '${var.p}' }), 's')).toBe('default');
    expect(accountOf(prov({}), 's')).toBe('default');
  });
});

describe('ModelContext', () => {
  const keys = loadTerraformJson('keys', {
    provider: { aws: [{ allowed_account_ids: ['111111111111'] }] },
    resource: {
      aws_s3_bucket: { kb: { bucket: 'kc-kb' }, named: { bucket: 'kc-named' } },
      aws_iam_user: { 'u[0]': { name: 'u0' }, 'u[1]': { name: 'u1' } },
      aws_iam_policy: { p: { policy: '${aws_s3_bucket.kb.arn} ${aws_s3_bucket.kb.id} ${aws_iam_user.u[1].name}' } },
    },
    output: { 'cross-stack-output-aws_s3_bucketkbarn': { value: '${aws_s3_bucket.kb.arn}' }, two: { value: '${aws_s3_bucket.kb.arn}${aws_s3_bucket.named.arn}' } },
  });
  const app = loadTerraformJson('app', {
    data: { terraform_remote_state: { keys: { backend: 'local' } } },
    resource: {
      aws_s3_bucket: { kb: { bucket: 'app-kb' } },
      aws_iam_role_policy: { rp: { policy: '${data.terraform_remote_state.keys.outputs.cross-stack-output-aws_s3_bucketkbarn}' } },
    },
    output: { 'cross-stack-output-aws_s3_bucketkbarn': { value: '${aws_s3_bucket.kb.arn}' } },
  });
  const ctx = new ModelContext([keys, app]);

  it('indexes resources by stack and address, and by type', () => {
    expect(ctx.multiStack).toBe(true);
    expect(new ModelContext([keys]).multiStack).toBe(false);
    expect(ctx.resource('keys', 'aws_s3_bucket.kb')?.values.bucket).toBe('kc-kb');
    expect(ctx.resource('app', 'aws_s3_bucket.kb')?.values.bucket).toBe('app-kb');
    expect(ctx.resource('app', 'aws_s3_bucket.named')).toBeUndefined();
    expect(ctx.ofType('aws_s3_bucket', 'aws_iam_policy').map((r) => `${r.stack}/${r.address}`)).toEqual([
      'keys/aws_s3_bucket.kb',
      'keys/aws_s3_bucket.named',
      'app/aws_s3_bucket.kb',
      'keys/aws_iam_policy.p',
    ]);
    expect(ctx.ofType('nope')).toEqual([]);
    expect(ctx.allProviders().map((p) => `${p.stack}/${p.key}`)).toEqual(['keys/aws']);
    expect(ctx.provider('keys', 'aws')?.stack).toBe('keys');
    expect(ctx.provider('app', 'aws')).toBeUndefined();
    expect(ctx.accountOfResource(ctx.resource('keys', 'aws_s3_bucket.kb')!)).toBe('acct:111111111111');
    expect(ctx.accountOfResource(ctx.resource('app', 'aws_s3_bucket.kb')!)).toBe('app:default');
  });

  it('resolves an un-indexed reference to the first instance, and an indexed one to its instance', () => {
    expect(ctx.resource('keys', 'aws_iam_user.u')?.values.name).toBe('u0');
    expect(ctx.resolveAll('keys', '${aws_iam_user.u.arn}').map((r) => r.resource.values.name)).toEqual(['u0']);
    expect(ctx.resolveAll('keys', '${aws_iam_user.u[1].arn}').map((r) => r.resource.values.name)).toEqual(['u1']);
    expect(ctx.resolveAll('keys', '${aws_iam_user.u[7].arn}').map((r) => r.resource.values.name)).toEqual(['u0']);
  });

  it('follows cross-stack outputs to the other stack, and gives up on ambiguous or missing ones', () => {
    const r = ctx.resolve('app', { address: 'data.terraform_remote_state.keys', attr: 'outputs', path: ['cross-stack-output-aws_s3_bucketkbarn'] });
    expect(r && [r.resource.stack, r.resource.address, r.attr]).toEqual(['keys', 'aws_s3_bucket.kb', 'arn']);
    const own = ctx.resolve('keys', { address: 'data.terraform_remote_state.x', attr: 'outputs', path: ['cross-stack-output-aws_s3_bucketkbarn'] });
    expect(own?.resource.stack).toBe('app');
    expect(ctx.resolve('app', { address: 'data.terraform_remote_state.keys', attr: 'outputs', path: ['two'] })).toBeUndefined();
    expect(ctx.resolve('app', { address: 'data.terraform_remote_state.keys', attr: 'outputs', path: ['missing'] })).toBeUndefined();
    expect(ctx.resolve('app', { address: 'data.terraform_remote_state.keys', attr: 'outputs', path: [] })?.resource.address).toBe('data.terraform_remote_state.keys');
    expect(ctx.resolve('app', { address: 'data.terraform_remote_state.keys', attr: 'backend', path: ['x'] })?.resource.address).toBe('data.terraform_remote_state.keys');
    expect(ctx.resolve('app', { address: 'aws_s3_bucket.kb', attr: 'id', path: [] }, 9)).toBeUndefined();
    expect(ctx.resolve('app', { address: 'aws_s3_bucket.kb', attr: 'id', path: [] }, 8)?.resource.values.bucket).toBe('app-kb');
    expect(ctx.referencesOf('app', '${data.terraform_remote_state.keys.outputs.cross-stack-output-aws_s3_bucketkbarn}')).toEqual([{ stack: 'keys', address: 'aws_s3_bucket.kb' }]);
  });

  it('target finds a referenced resource of the wanted types, or one by literal name or ARN', () => {
    expect(ctx.target('keys', '${aws_s3_bucket.kb.id}', ['aws_s3_bucket'])?.values.bucket).toBe('kc-kb');
    expect(ctx.target('keys', '${aws_iam_user.u.id}', ['aws_s3_bucket'])).toBeUndefined();
    expect(ctx.target('keys', 'kc-named', ['aws_s3_bucket'])?.address).toBe('aws_s3_bucket.named');
    expect(ctx.target('keys', 'arn:aws:s3:::kc-named', ['aws_s3_bucket'])?.address).toBe('aws_s3_bucket.named');
    expect(ctx.target('keys', 'u1', ['aws_iam_user'], ['name'])?.address).toBe('aws_iam_user.u[1]');
    expect(ctx.target('keys', 'kc-none', ['aws_s3_bucket'])).toBeUndefined();
    expect(ctx.target('keys', 'xkc-named', ['aws_s3_bucket'])).toBeUndefined();
    expect(ctx.target('keys', '${var.x}', ['aws_s3_bucket'])).toBeUndefined();
  });

  it('referrersOf lists each referring resource once', () => {
    expect(ctx.referrersOf(ctx.resource('keys', 'aws_s3_bucket.kb')!).map((r) => `${r.stack}/${r.address}`)).toEqual(['keys/aws_iam_policy.p', 'app/aws_iam_role_policy.rp']);
    expect(ctx.referrersOf(ctx.resource('keys', 'aws_iam_user.u[1]')!).map((r) => r.address)).toEqual(['aws_iam_policy.p']);
    expect(ctx.referrersOf(ctx.resource('keys', 'aws_s3_bucket.named')!)).toEqual([]);
  });

  it('key and qualify', () => {
    expect(key('s', 'a.b')).toBe('s\u0000a.b');
    expect(qualify(true, 's', 'a.b')).toBe('s/a.b');
    expect(qualify(false, 's', 'a.b')).toBe('a.b');
  });
});
