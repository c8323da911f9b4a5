/**
 * lib/model/hcl.ts (the `jsonencode(...)` reader) and lib/model/json-locations.ts (resource
 * line numbers in cdk.tf.json) on their own.
 */
import { describe, expect, it } from 'vitest';
import { parseJsonencode } from '../../lib/model/hcl';
import { resourceLines } from '../../lib/model/json-locations';

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

describe('resourceLines', () => {
  it('records the line of each resource and data block, pretty-printed', () => {
    const text = JSON.stringify(
      {
        provider: { aws: [{ region: 'x' }] },
        resource: { aws_s3_bucket: { a: { bucket: 'a', tags: { k: 'v' } }, b: { bucket: 'b' } }, aws_iam_role: { r: { name: 'r' } } },
        data: { aws_iam_policy_document: { p: { statement: [{ actions: ['s3:*'] }] } } },
        output: { resource: { value: 'x' } },
      },
      null,
      2,
    );
    const lines = text.split('\n');
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    expect([...resourceLines(text)]).toEqual([
      ['aws_s3_bucket.a', lineOf('"a": {')],
      ['aws_s3_bucket.b', lineOf('"b": {')],
      ['aws_iam_role.r', lineOf('"r": {')],
      ['data.aws_iam_policy_document.p', lineOf('"p": {')],
    ]);
  });

  it('reads minified text, escaped keys and strings holding braces, quotes and newlines', () => {
    const text = '{"x":"{[\\"]}","resource":{"aws_s3_bucket":{"a\\u0062":{"bucket":"}{"},\n"c":\n{}}},"data":{"t":[{"n":{}}]}}';
    expect([...resourceLines(text)]).toEqual([
      ['aws_s3_bucket.ab', 1],
      ['aws_s3_bucket.c', 2],
    ]);
  });

  it('ignores nested blocks deeper than the resource, lists, and non-object values', () => {
    const text = '{\n"resource": {\n"aws_s3_bucket": {\n"a": {\n"nested": {\n"deep": {}\n}\n},\n"b": "x",\n"c": [\n{}\n]\n}\n},\n"other": {"t": {"n": {}}}\n}';
    expect([...resourceLines(text)]).toEqual([['aws_s3_bucket.a', 4]]);
  });

  it('keeps the first line of an address seen twice', () => {
    const text = '{"resource":{"t_x":{"a":{}}},\n"resource":{"t_x":{"a":{}}}}';
    expect([...resourceLines(text)]).toEqual([['t_x.a', 1]]);
  });

  it('reads invalid escapes as raw text', () => {
    expect([...resourceLines('{"resource":{"t_x":{"a\\q":{}}}}')]).toEqual([['t_x.a\\q', 1]]);
  });

  it('reads keys with blanks before the colon, and counts lines inside strings', () => {
    const text = '{"resource" \t: {"t_x" \r\n: {"a"\n:\n{}, "b" : {}, "c\\"d": {}, "e": "multi\nline" , "f":{}}}}';
    expect([...resourceLines(text)]).toEqual([
      ['t_x.a', 2],
      ['t_x.b', 4],
      ['t_x.c"d', 4],
      ['t_x.f', 5],
    ]);
  });

  it('a string followed by a blank and a comma is a value, not a key', () => {
    expect([...resourceLines('{"resource": {"t_x": {"a" , "b": {}}}}')]).toEqual([['t_x.b', 1]]);
  });
});
