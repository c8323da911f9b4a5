/** Targets: how resource patterns and references match a store, a key or a role (allow side and deny side). */
import { describe, expect, it } from 'vitest';
import type { CustodyModel } from '../../../lib/model/types';
import { BK, PARAM, SEC, accessU, allow, deny, merge, mk, policy, tags, up, type Json, type Res } from '../../fixtures/iam/fixtures';

const grants = (m: CustodyModel): string[] => m.grants.map((g) => `${m.principalById(g.principal)?.address} ${m.storeById(g.store)?.address} ${g.access}`);

describe('resource patterns: references to the store itself', () => {
  /** Read access of u on k with `s3:GetObject` allowed on * and denied on `denied`. */
  const readAfterDeny = (denied: string, store: Res = BK, data?: Res) => accessU(mk(merge(store, up(allow('s3:GetObject', '*'), deny('s3:GetObject', denied))), data));

  it('reads arn, bucket and id of a bucket on the deny side, and nothing else', () => {
    expect(readAfterDeny('${aws_s3_bucket.k.arn}/*')).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::${aws_s3_bucket.k.bucket}/*')).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::${aws_s3_bucket.k.id}/*')).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::${aws_s3_bucket.k.region}/*')).toEqual(['read']);
    expect(readAfterDeny('${aws_s3_bucket.k.arn}')).toEqual(['read']);
    expect(readAfterDeny('arn:aws:s3:::${var.b}/*')).toEqual(['read']);
    expect(readAfterDeny('arn:${data.aws_partition.p.partition}:s3:::kb/*', BK, { aws_partition: { p: {} } })).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::kb/*')).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::kb*')).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::k?/*')).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::kc/*')).toEqual(['read']);
  });

  it('reads the same attributes on the allow side, unknown ones as *', () => {
    const read = (resource: string, data?: Res) => accessU(mk(merge(BK, up(allow('s3:GetObject', resource))), data));
    expect(read('${aws_s3_bucket.k.arn}/*')).toEqual(['read']);
    expect(read('${aws_s3_bucket.k.arn}')).toEqual([]);
    expect(read('arn:aws:s3:::${aws_s3_bucket.k.bucket}/*')).toEqual(['read']);
    expect(read('arn:aws:s3:::${aws_s3_bucket.k.id}/x/*')).toEqual(['read']);
    expect(read('arn:aws:s3:::${aws_s3_bucket.k.region}')).toEqual(['read']);
    expect(read('arn:${data.aws_partition.p.partition}:s3:::kb/*', { aws_partition: { p: {} } })).toEqual(['read']);
    expect(read('arn:${data.aws_partition.p.partition}:s3:::kc/*', { aws_partition: { p: {} } })).toEqual([]);
    expect(read('arn:aws:s3:::${var.b}/*')).toEqual(['read']);
    expect(read('arn:aws:s3:::kb')).toEqual([]);
  });

  it('reads a secret by arn, id or name', () => {
    const m = (statements: Json[], provider?: Json) => accessU(mk(merge(SEC, up(...statements)), undefined, provider), 'aws_secretsmanager_secret.sec');
    const get = (r: string) => allow('secretsmanager:GetSecretValue', r);
    const denyGet = (r: string) => deny('secretsmanager:GetSecretValue', r);
    expect(m([get('${aws_secretsmanager_secret.sec.arn}')])).toEqual(['read']);
    expect(m([get('${aws_secretsmanager_secret.sec.id}')])).toEqual(['read']);
    expect(m([get('arn:aws:secretsmanager:eu-central-1:123456789012:secret:hot-AbCdEf')])).toEqual(['read']);
    expect(m([get('arn:aws:secretsmanager:eu-central-1:123456789012:secret:cold-AbCdEf')])).toEqual([]);
    expect(m([get('*'), denyGet('${aws_secretsmanager_secret.sec.arn}')])).toEqual([]);
    expect(m([get('*'), denyGet('${aws_secretsmanager_secret.sec.id}')])).toEqual([]);
    expect(m([get('*'), denyGet('arn:aws:secretsmanager:*:*:secret:${aws_secretsmanager_secret.sec.name}-*')])).toEqual([]);
    expect(m([get('*'), denyGet('${aws_secretsmanager_secret.sec.name}')])).toEqual(['read']);
    expect(m([get('*'), denyGet('${aws_secretsmanager_secret.sec.kms_key_id}')])).toEqual(['read']);
    // The account id is part of the ARN when the provider pins it.
    const pinned = { aws: [{ allowed_account_ids: ['111111111111'] }] };
    expect(m([get('arn:aws:secretsmanager:eu-central-1:111111111111:secret:hot-AbCdEf')], pinned)).toEqual(['read']);
    expect(m([get('arn:aws:secretsmanager:eu-central-1:222222222222:secret:hot-AbCdEf')], pinned)).toEqual([]);
    expect(m([get('arn:aws:secretsmanager:eu-central-1:222222222222:secret:hot-AbCdEf')], { aws: [{ profile: 'x' }] })).toEqual(['read']);
  });

  it('reads a parameter by arn, name or id, without a doubled slash', () => {
    const m = (statements: Json[], store: Res = PARAM) => accessU(mk(merge(store, up(...statements))), 'aws_ssm_parameter.prm');
    const get = (r: string) => allow('ssm:GetParameter', r);
    const denyGet = (r: string) => deny('ssm:GetParameter', r);
    expect(m([get('arn:aws:ssm:eu-central-1:123456789012:parameter/p')])).toEqual(['read']);
    expect(m([get('arn:aws:ssm:eu-central-1:123456789012:parameter/q')])).toEqual([]);
    expect(m([get('arn:aws:ssm:eu-central-1:123456789012:parameter/p')], { aws_ssm_parameter: { prm: { name: 'p', type: 'SecureString', tags: tags('key-store') } } })).toEqual(['read']);
    expect(m([get('*'), denyGet('${aws_ssm_parameter.prm.arn}')])).toEqual([]);
    expect(m([get('*'), denyGet('arn:aws:ssm:*:*:parameter${aws_ssm_parameter.prm.name}')])).toEqual([]);
    expect(m([get('*'), denyGet('arn:aws:ssm:*:*:parameter${aws_ssm_parameter.prm.id}')])).toEqual([]);
    expect(m([get('*'), denyGet('arn:aws:ssm:*:*:parameter${aws_ssm_parameter.prm.value}')])).toEqual(['read']);
  });

  it('reads an empty bucket name as absent', () => {
    const EB: Res = { aws_s3_bucket: { k: { bucket: '', bucket_prefix: 'kb-', tags: tags('key-backup') } } };
    expect(accessU(mk(merge(EB, up(allow('s3:GetObject', 'arn:aws:s3:::kb-*/*')))))).toEqual(['read']);
    expect(readAfterDeny('arn:aws:s3:::kb-*/*', EB)).toEqual([]);
  });

  it('matches a prefix-named bucket: a deny must cover every name the prefix allows', () => {
    const PB: Res = { aws_s3_bucket: { k: { bucket_prefix: 'kb-', tags: tags('key-backup') } } };
    expect(readAfterDeny('arn:aws:s3:::kb-*/*', PB)).toEqual([]);
    expect(readAfterDeny('${aws_s3_bucket.k.arn}/*', PB)).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::kb-1*/*', PB)).toEqual(['read']);
    expect(readAfterDeny('arn:aws:s3:::kb-1/*', PB)).toEqual(['read']);
    // A generated suffix is never empty: `kb-?*` covers every name too.
    expect(readAfterDeny('arn:aws:s3:::kb-?*/*', PB)).toEqual([]);
    expect(readAfterDeny('arn:aws:s3:::kb-??/*', PB)).toEqual(['read']);
  });
});

describe('resource patterns: references to other resources', () => {
  const read = (resource: string, extra: Res = {}, data?: Res) => accessU(mk(merge(BK, extra, up(allow('s3:GetObject', resource))), data));
  const readAfterDeny = (denied: string, extra: Res = {}, data?: Res) => accessU(mk(merge(BK, extra, up(allow('s3:GetObject', '*'), deny('s3:GetObject', denied))), data));
  const J: Res = { aws_s3_bucket: { j: { bucket: 'jb' } } };
  const T: Res = { aws_dynamodb_table: { t: { name: 't' } } };

  it('never matches another managed bucket, role or user', () => {
    expect(read('${aws_s3_bucket.j.arn}/*', J)).toEqual([]);
    expect(read('arn:aws:s3:::${aws_s3_bucket.j.bucket}/*', J)).toEqual([]);
    expect(read('${aws_iam_user.u.arn}')).toEqual([]);
    expect(readAfterDeny('${aws_s3_bucket.j.arn}/*', J)).toEqual(['read']);
    // Even when the other bucket's name is unknown.
    const anon: Res = { aws_s3_bucket: { j: { bucket: '${var.n}' } }, aws_iam_role: { r: { name: '${var.r}' } } };
    const readWrite = (resource: string) => accessU(mk(merge(BK, anon, up(allow('s3:GetObject', resource), allow('s3:PutObject', '*')))));
    expect(readWrite('${aws_s3_bucket.j.arn}/*')).toEqual(['write']);
    expect(readWrite('arn:aws:s3:::${aws_s3_bucket.j.bucket}/*')).toEqual(['write']);
    expect(readWrite('${aws_iam_role.r.arn}')).toEqual(['write']);
    expect(read('${aws_s3_bucket.j.arn}/*', anon)).toEqual([]);
  });

  it('matches an adopted bucket data source by its literal name', () => {
    const d = (bucket: string): Res => ({ aws_s3_bucket: { d: { bucket } } });
    expect(read('${data.aws_s3_bucket.d.arn}/*', {}, d('kb'))).toEqual(['read']);
    expect(read('${data.aws_s3_bucket.d.arn}/*', {}, d('other'))).toEqual([]);
    expect(read('arn:aws:s3:::${data.aws_s3_bucket.d.bucket}/*', {}, d('kb'))).toEqual(['read']);
    expect(read('arn:aws:s3:::${data.aws_s3_bucket.d.bucket}/*', {}, d('other'))).toEqual([]);
    expect(read('arn:aws:s3:::${data.aws_s3_bucket.d.region}/*', {}, d('other'))).toEqual(['read']);
    expect(read('${data.aws_s3_bucket.d.arn}/*', {}, d('${var.n}'))).toEqual(['read']);
    expect(readAfterDeny('${data.aws_s3_bucket.d.arn}/*', {}, d('kb'))).toEqual([]);
    expect(readAfterDeny('${data.aws_s3_bucket.d.arn}/*', {}, d('other'))).toEqual(['read']);
    expect(readAfterDeny('${data.aws_s3_bucket.d.arn}/*', {}, d('${var.n}'))).toEqual(['read']);
    expect(readAfterDeny('arn:aws:s3:::${data.aws_s3_bucket.d.region}/*', {}, d('kb'))).toEqual(['read']);
  });

  it('reads a reference to a resource it does not model as anything, except a whole ARN', () => {
    expect(read('${aws_dynamodb_table.t.arn}', T)).toEqual([]);
    expect(read('${aws_dynamodb_table.t.arn}/*', T)).toEqual(['read']);
    expect(read('${aws_dynamodb_table.t.name}', T)).toEqual(['read']);
    expect(readAfterDeny('${aws_dynamodb_table.t.arn}/*', T)).toEqual(['read']);
    expect(readAfterDeny('${aws_dynamodb_table.t.name}', T)).toEqual(['read']);
  });

  it('reads an IAM policy data source by its token (arn, id) or as * (other attributes)', () => {
    const D: Res = { aws_iam_policy: { x: { name: 'x' } } };
    expect(read('${data.aws_iam_policy.x.arn}/*', {}, D)).toEqual([]);
    expect(read('${data.aws_iam_policy.x.id}/*', {}, D)).toEqual([]);
    expect(read('${data.aws_iam_policy.x.name}/*', {}, D)).toEqual(['read']);
  });
});

describe('a role whose path is an expression may have the default path', () => {
  it('a user allowed to assume the default-path ARN reaches what the role reaches', () => {
    const m = mk(
      merge(BK, {
        aws_iam_user: { u: { name: 'u' } },
        aws_iam_user_policy: { p: { user: 'u', policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::123456789012:role/r' }) } },
        aws_iam_role: {
          r: {
            name: 'r',
            path: '${var.p}',
            assume_role_policy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }),
          },
        },
        aws_iam_role_policy: { rp: { role: 'r', policy: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kb/*' }) } },
      }),
    );
    expect(grants(m)).toContain('aws_iam_user.u aws_s3_bucket.k read');
    expect(grants(m)).toContain('aws_iam_role.r aws_s3_bucket.k read');
  });
});
