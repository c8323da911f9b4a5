import { describe, expect, it } from 'vitest';
import { foldExpression, foldValue } from '../../../lib/model/load/hcl-fold';

describe('foldExpression', () => {
  it('merges objects, references stay ${…} leaves', () => {
    expect(foldExpression('merge({ a = "1" }, { b = aws_x.y.arn })')).toEqual({ a: '1', b: '${aws_x.y.arn}' });
  });
  it('decides conditionals on known values only', () => {
    expect(foldExpression('"x" == null ? {} : { r = "x" }')).toEqual({ r: 'x' });
    expect(foldExpression('null == null ? {} : { r = "x" }')).toEqual({});
    expect(foldExpression('length([aws_x.y.arn]) > 0 ? ["a"] : ["b"]')).toEqual(['a']);
    expect(foldExpression('var.create ? 1 : 0')).toBeUndefined();
    expect(foldExpression('aws_x.y.arn == "a" ? 1 : 0')).toBeUndefined();
  });
  it('leaves references, unknown functions, jsonencode and arithmetic as written', () => {
    for (const e of ['aws_x.y.arn', 'jsonencode({ a = 1 })', 'format("%s", "a")', '1 + 2', '[for x in var.l : x]']) expect(foldExpression(e)).toBeUndefined();
  });
  it('concat, coalesce, lookup, try, toset', () => {
    expect(foldExpression('concat(["a"], ["b"])')).toEqual(['a', 'b']);
    expect(foldExpression('coalesce(null, "b")')).toBe('b');
    expect(foldExpression('lookup({ a = 1 }, "b", 2)')).toBe(2);
    expect(foldExpression('try("a", "b")')).toBe('a');
    expect(foldExpression('toset(["a", "a"])')).toEqual(['a']);
  });
});

describe('foldValue', () => {
  it('folds whole-expression strings inside objects and lists; templates with text stay', () => {
    expect(foldValue({ t: '${merge({ a = "1" }, {})}', s: 'x-${var.y}', l: ['${true ? "a" : "b"}'] })).toEqual({ t: { a: '1' }, s: 'x-${var.y}', l: ['a'] });
  });
});
