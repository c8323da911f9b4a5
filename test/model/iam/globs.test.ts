/** Glob matching: globMatch, globsIntersect, and the patterns the analysis reads. */
import { describe, expect, it } from 'vitest';
import { parseJsonencode } from '../../../lib/model/load/hcl';
import { isAwsManagedPolicy } from '../../../lib/model/iam/aws-managed';
import { globMatch, globsIntersect } from '../../../lib/model/iam/globs';

describe('globs', () => {
  it('intersects patterns that share a string and rejects those that cannot', () => {
    expect(globsIntersect('arn:aws:s3:::acme-*', 'arn:aws:s3:::acme-keys')).toBe(true);
    expect(globsIntersect('arn:aws:s3:::acme-keys-2024*', 'arn:aws:s3:::acme-keys-*')).toBe(true);
    expect(globsIntersect('arn:aws:s3:::other-*', 'arn:aws:s3:::acme-keys-*')).toBe(false);
    expect(globsIntersect('*', 'anything')).toBe(true);
    expect(globsIntersect('a?c', 'abc')).toBe(true);
    expect(globsIntersect('a?c', 'abbc')).toBe(false);
  });

  it('parses the HCL cdktf writes inside jsonencode', () => {
    const v = parseJsonencode('jsonencode({"Statement" = [{Action = ["s3:GetObject"], Effect = "Allow", Resource = "${aws_s3_bucket.keys.arn}/*"}, {Resource = aws_s3_bucket.db.arn, Action = "s3:*", Effect = "Allow"}]})');
    expect(v).toEqual({
      Statement: [
        { Action: ['s3:GetObject'], Effect: 'Allow', Resource: '${aws_s3_bucket.keys.arn}/*' },
        { Resource: '${aws_s3_bucket.db.arn}', Action: 's3:*', Effect: 'Allow' },
      ],
    });
    expect(parseJsonencode('merge(local.a, local.b)')).toBeUndefined();
  });

  it('has the broad AWS-managed policies in its table', () => {
    for (const n of ['AdministratorAccess', 'PowerUserAccess', 'AmazonS3FullAccess', 'AmazonS3ReadOnlyAccess', 'ReadOnlyAccess', 'SecretsManagerReadWrite', 'AmazonSSMFullAccess', 'AmazonSSMReadOnlyAccess', 'AWSKeyManagementServicePowerUser']) {
      expect(isAwsManagedPolicy(n), n).toBe(true);
    }
  });
});

describe('globMatch', () => {
  it('matches literals, ? and * with backtracking', () => {
    expect(globMatch('abc', 'abc')).toBe(true);
    expect(globMatch('abc', 'abd')).toBe(false);
    expect(globMatch('abc', 'ab')).toBe(false);
    expect(globMatch('ab', 'abc')).toBe(false);
    expect(globMatch('a?c', 'abc')).toBe(true);
    expect(globMatch('a?c', 'ac')).toBe(false);
    expect(globMatch('a*c', 'ac')).toBe(true);
    expect(globMatch('a*c', 'abbbc')).toBe(true);
    expect(globMatch('a*c', 'abbbd')).toBe(false);
    expect(globMatch('*ab', 'aab')).toBe(true);
    expect(globMatch('a*b*c', 'axbxbxc')).toBe(true);
    expect(globMatch('a*b*c', 'axbxbx')).toBe(false);
    expect(globMatch('a**', 'a')).toBe(true);
    expect(globMatch('a*?', 'a')).toBe(false);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('', 'a')).toBe(false);
    expect(globMatch('?', '')).toBe(false);
    expect(globMatch('A', 'a')).toBe(false);
    expect(globMatch('*a', 'ba')).toBe(true);
    expect(globMatch('*a', 'ab')).toBe(false);
  });
});

describe('globsIntersect', () => {
  it('decides whether two globs share a string', () => {
    expect(globsIntersect('', '')).toBe(true);
    expect(globsIntersect('a', '')).toBe(false);
    expect(globsIntersect('', 'a')).toBe(false);
    expect(globsIntersect('*', '')).toBe(true);
    expect(globsIntersect('', '*')).toBe(true);
    expect(globsIntersect('*', 'abc')).toBe(true);
    expect(globsIntersect('abc', '*')).toBe(true);
    expect(globsIntersect('ABC', 'abc')).toBe(true);
    expect(globsIntersect('abc', 'ABD')).toBe(false);
    expect(globsIntersect('a*', '*b')).toBe(true);
    expect(globsIntersect('a*', 'b*')).toBe(false);
    expect(globsIntersect('*a', '*b')).toBe(false);
    expect(globsIntersect('?', '*')).toBe(true);
    expect(globsIntersect('*', '?')).toBe(true);
    expect(globsIntersect('?', '')).toBe(false);
    expect(globsIntersect('', '?')).toBe(false);
    expect(globsIntersect('a?', 'ab')).toBe(true);
    expect(globsIntersect('ab', 'a?')).toBe(true);
    expect(globsIntersect('a?', 'abc')).toBe(false);
    expect(globsIntersect('a*c', 'abd')).toBe(false);
    expect(globsIntersect('abd', 'a*c')).toBe(false);
    expect(globsIntersect('a*c*e', 'abcde')).toBe(true);
    expect(globsIntersect('x*', 'x')).toBe(true);
    expect(globsIntersect('x', 'x*')).toBe(true);
    expect(globsIntersect('*x', 'x')).toBe(true);
    expect(globsIntersect('x', '*x')).toBe(true);
    expect(globsIntersect('ab*', 'a*c')).toBe(true);
    expect(globsIntersect('ab*', 'ac*')).toBe(false);
  });
});
