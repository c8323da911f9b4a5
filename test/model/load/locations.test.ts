/**
 * lib/model/load/locations.ts on its own: the line of each resource and data block in a
 * cdk.tf.json text (SARIF locations), pretty-printed or minified, one branch each with exact line maps.
 */
import { describe, expect, it } from 'vitest';
import { resourceLines } from '../../../lib/model/load/locations';

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

describe('resourceLines', () => {
  const lines = (text: string): [string, number][] => [...resourceLines(text).entries()];

  it('pretty-printed: the line of each resource and data block key', () => {
    const text = [
      '{', // 1
      '  "provider": { "aws": [ { "region": "x" } ] },', // 2
      '  "resource": {', // 3
      '    "aws_s3_bucket": {', // 4
      '      "keys": {', // 5
      '        "bucket": "k",', // 6
      '        "tags": { "a": { "b": {} } }', // 7
      '      },', // 8
      '      "db": { "bucket": "d" }', // 9
      '    },', // 10
      '    "aws_iam_user": {', // 11
      '      "u": {}', // 12
      '    }', // 13
      '  },', // 14
      '  "data": {', // 15
      '    "aws_iam_policy_document": {', // 16
      '      "p": { "statement": [ { "actions": [] } ] }', // 17
      '    }', // 18
      '  },', // 19
      '  "output": { "o": { "value": { "x": {} } } }', // 20
      '}',
    ].join('\n');
    expect(lines(text)).toEqual([
      ['aws_s3_bucket.keys', 5],
      ['aws_s3_bucket.db', 9],
      ['aws_iam_user.u', 12],
      ['data.aws_iam_policy_document.p', 17],
    ]);
  });

  it('minified: everything on line 1', () => {
    expect(lines('{"resource":{"a_b":{"x":{},"y":{"z":{}}}},"data":{"c_d":{"e":{}}}}')).toEqual([
      ['a_b.x', 1],
      ['a_b.y', 1],
      ['data.c_d.e', 1],
    ]);
    expect(lines('')).toEqual([]);
    expect(lines('{}')).toEqual([]);
  });

  it('whitespace (space, tab, CR, LF) between a key and its colon; the key’s line counts', () => {
    expect(lines('{"resource":{"t":{"a" :{}}}}')).toEqual([['t.a', 1]]);
    expect(lines('{"resource":{"t":{"a"\t:{}}}}')).toEqual([['t.a', 1]]);
    expect(lines('{"resource":{"t":{"a"\r:{}}}}')).toEqual([['t.a', 1]]);
    expect(lines('{"resource":{"t":{\n"a"\n\n:{}}}}')).toEqual([['t.a', 2]]);
    expect(lines('{"resource" \t\r\n:{"t":{"a":{},\n"b":{}}}}')).toEqual([
      ['t.a', 2],
      ['t.b', 3],
    ]);
    expect(lines('{\r\n"resource":\r\n{"t":\r\n{"a":\r\n{}}}}')).toEqual([['t.a', 4]]);
  });

  it('escapes in keys are decoded; quotes and braces inside strings are text', () => {
    expect(lines('{"resource":{"t":{"a\\"b":{},"c\\\\":{},"\\u0041":{}}}}')).toEqual([
      ['t.a"b', 1],
      ['t.c\\', 1],
      ['t.A', 1],
    ]);
    // An escape JSON.parse rejects keeps the raw text.
    expect(lines('{"resource":{"t":{"b\\q":{}}}}')).toEqual([['t.b\\q', 1]]);
    expect(lines('{"x":"\\"resource\\": {","resource":{"t":{"a":{"v":"}}}{[\\"","w":"]]"}}},"data":{"u":{"b":{}}}}')).toEqual([
      ['t.a', 1],
      ['data.u.b', 1],
    ]);
    // A raw newline inside a string still counts as a line.
    expect(lines('{"x":"1\n2\n3","resource":{"t":{"a":{}}}}')).toEqual([['t.a', 3]]);
  });

  it('only objects at depth 3 under resource or data, keyed by name', () => {
    // a type as an array, a name as an array, deeper objects, other blocks
    expect(lines('{"resource":{"t":[{"a":{}}]}}')).toEqual([]);
    expect(lines('{"resource":{"t":{"a":[{}]}}}')).toEqual([]);
    expect(lines('{"module":{"t":{"a":{}}},"locals":{"t":{"a":{}}}}')).toEqual([]);
    expect(lines('{"resource":[{"t":{"a":{}}}]}')).toEqual([]);
    expect(lines('{"terraform":{"resource":{"t":{"a":{}}}}}')).toEqual([]);
    expect(lines('[{"resource":{"t":{"a":{}}}}]')).toEqual([]);
    expect(lines('{"resource":{"t":{"a":{"b":{"c":{}}}}}}')).toEqual([['t.a', 1]]);
    expect(lines('{"resource":{"t":{}}}')).toEqual([]);
    expect(lines('{"data":{"t":{"a":1,"b":"x","c":{}}}}')).toEqual([['data.t.c', 1]]);
  });

  it('a repeated block keeps its first line', () => {
    expect(lines('{"resource":{"t":{"a":{}}},\n"resource":{"t":{"a":{},\n"b":{}}}}')).toEqual([
      ['t.a', 1],
      ['t.b', 3],
    ]);
  });

  it('malformed text: a brace without a key, after a comma or a closing brace, or an array, names nothing', () => {
    expect(lines('{"resource":{"t":{{"x":1}}}}')).toEqual([]);
    expect(lines('{"resource":{{"a":{}}}}')).toEqual([]);
    expect(lines('{"resource":{"t":{"a":1,{}}}}')).toEqual([]);
    expect(lines('{"resource":{"t":{"a":{"z":1}{}}}}')).toEqual([['t.a', 1]]);
    expect(lines('{"resource":{"t":["a":{}]}}')).toEqual([]);
    // A string not followed by a colon is a value, not a key.
    expect(lines('{"resource":{"t":{"v" {}}}}')).toEqual([]);
    expect(lines('{"resource":{"t":{"v"\n{}}}}')).toEqual([]);
    expect(lines('{"resource":["t":{"a":{}}]}')).toEqual([]);
    // An unterminated string ends the scan.
    expect(lines('{"resource":{"t":{"a":{}}},"x":"abc')).toEqual([['t.a', 1]]);
    expect(lines('{"resource":{"t":{"a')).toEqual([]);
  });
});

describe('resourceLines (SARIF locations of cdk.tf.json)', () => {
  it('finds the line of each resource and data block, pretty or minified', () => {
    const json = { '//': { note: '"resource": {' }, resource: { aws_s3_bucket: { a: { bucket: 'x' }, b: { bucket: '{' } }, aws_iam_user: { u: {} } }, data: { aws_iam_policy_document: { p: { statement: [{}] } } } };
    const text = JSON.stringify(json, null, 2);
    const lines = resourceLines(text);
    const lineOf = (needle: string, after = 0) => text.split('\n').findIndex((l, i) => i >= after && l.includes(needle)) + 1;
    expect(lines.get('aws_s3_bucket.a')).toBe(lineOf('"a": {'));
    expect(lines.get('aws_s3_bucket.b')).toBe(lineOf('"b": {'));
    expect(lines.get('aws_iam_user.u')).toBe(lineOf('"u": {'));
    expect(lines.get('data.aws_iam_policy_document.p')).toBe(lineOf('"p": {'));
    expect([...resourceLines(JSON.stringify(json)).values()]).toEqual([1, 1, 1, 1]);
  });
});
