/** lib/model/load/hcl.ts (the `jsonencode(...)` reader) on its own. */
import { describe, expect, it } from 'vitest';
import { parseJsonencode } from '../../../lib/model/load/hcl';

describe('parseJsonencode', () => {
  it('reads objects, tuples, strings, numbers, booleans and null', () => {
    expect(parseJsonencode('jsonencode({ Version = "2012-10-17", n = -1.5e2, i = 7, t = true, f = false, z = null, l = [1, "a", []] })')).toEqual({
      Version: '2012-10-17',
      n: -150,
      i: 7,
      t: true,
      f: false,
      z: null,
      l: [1, 'a', []],
    });
  });

  it('accepts "key": value, quoted keys, newlines instead of commas, comments and blank space around the call', () => {
    const body = ` jsonencode (
      {
        "Statement": [ # the statements
          { Effect = "Allow"
            Action = "s3:GetObject" // one action
          },
        ],
        "a-b" : {}
      }
    ) `;
    expect(parseJsonencode(body)).toEqual({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }], 'a-b': {} });
  });

  it('keeps references and function calls as ${...} strings', () => {
    expect(parseJsonencode('jsonencode({ r = aws_s3_bucket.b.arn, s = "${aws_s3_bucket.b.arn}/*", f = concat(["a"], var.x), i = data.x_y.z[0].arn, w = aws_iam_role.r.*.arn })')).toEqual({
      r: '${aws_s3_bucket.b.arn}',
      s: '${aws_s3_bucket.b.arn}/*',
      f: '${concat(["a"], var.x)}',
      i: '${data.x_y.z[0].arn}',
      w: '${aws_iam_role.r.*.arn}',
    });
  });

  it('decodes escapes in strings', () => {
    expect(parseJsonencode('jsonencode(["a\\nb", "t\\tr\\r", "q\\"x\\\\", "\\u0041B"])')).toEqual(['a\nb', 't\tr\r', 'q"x\\', 'AB']);
  });

  it('skips strings with braces inside interpolations and calls', () => {
    expect(parseJsonencode('jsonencode({ s = "${lookup({a = "}"}, "a")}", f = format("%s)", "x") })')).toEqual({ s: '${lookup({a = "}"}, "a")}', f: '${format("%s)", "x")}' });
  });

  it('gives undefined for anything it does not read', () => {
    for (const body of [
      'jsonencode({a = 1}) + 1',
      'merge({a = 1})',
      'jsonencode({a = 1} x)',
      'jsonencode({a 1})',
      'jsonencode({a = 1 b})',
      'jsonencode([1 2])',
      'jsonencode({1 = 2})',
      'jsonencode("unterminated)',
      'jsonencode("%{ if x }y%{ endif }")',
      'jsonencode(f(x)',
      'jsonencode(!)',
      'jsonencode()',
    ]) {
      expect(parseJsonencode(body), body).toBeUndefined();
    }
  });

  it('allows a key right after a value without a comma, as HCL objects do', () => {
    expect(parseJsonencode('jsonencode({a = 1 "b" = 2 c = 3})')).toEqual({ a: 1, b: 2, c: 3 });
  });
});
