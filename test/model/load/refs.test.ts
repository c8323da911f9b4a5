/**
 * lib/model/load/refs.ts on its own: template splitting with nested braces, reference extraction
 * (data sources, modules, instance keys, attribute paths, non-resource roots), bare single
 * references, and the block / literal / number / boolean readers.
 */
import { describe, expect, it } from 'vitest';
import { block, blocks, bool, extractRefs, interpolations, isExpression, literal, num, singleRef, splitTemplate, strings } from '../../../lib/model/load/refs';

describe('templates', () => {
  it('isExpression needs ${', () => {
    expect(isExpression('a${b}')).toBe(true);
    expect(isExpression('$b {}')).toBe(false);
    expect(isExpression(1)).toBe(false);
  });

  it('splitTemplate separates literals and balanced ${...} bodies', () => {
    expect(splitTemplate('arn:${aws_s3_bucket.b.arn}/*')).toEqual([{ lit: 'arn:' }, { expr: 'aws_s3_bucket.b.arn' }, { lit: '/*' }]);
    expect(splitTemplate('${jsonencode({a = {b = 1}})}${x.y}')).toEqual([{ expr: 'jsonencode({a = {b = 1}})' }, { expr: 'x.y' }]);
    expect(splitTemplate('plain')).toEqual([{ lit: 'plain' }]);
    expect(splitTemplate('')).toEqual([]);
    expect(splitTemplate('a ${unclosed')).toEqual([{ lit: 'a ' }, { expr: 'unclosed' }]);
    expect(splitTemplate('${a}}b')).toEqual([{ expr: 'a' }, { lit: '}b' }]);
  });

  it('interpolations lists the bodies only', () => {
    expect(interpolations('x${a.b}y${c}')).toEqual(['a.b', 'c']);
    expect(interpolations('none')).toEqual([]);
  });
});

describe('extractRefs', () => {
  it('reads resource and data references with attribute paths', () => {
    expect(extractRefs('${aws_s3_bucket.keys.arn}/*')).toEqual([{ address: 'aws_s3_bucket.keys', attr: 'arn', path: [] }]);
    expect(extractRefs('${data.terraform_remote_state.k.outputs.bucket_arn}')).toEqual([
      { address: 'data.terraform_remote_state.k', attr: 'outputs', path: ['bucket_arn'] },
    ]);
    expect(extractRefs('${aws_s3_bucket.k}')).toEqual([{ address: 'aws_s3_bucket.k', attr: undefined, path: [] }]);
  });

  it('keeps instance keys apart from the address and strips them from the path', () => {
    expect(extractRefs('${aws_s3_bucket.k[0].arn}')).toEqual([{ address: 'aws_s3_bucket.k', attr: 'arn', path: [], index: '[0]' }]);
    expect(extractRefs('${aws_s3_bucket.k["a"].tags["x"].y}')).toEqual([{ address: 'aws_s3_bucket.k', attr: 'tags', path: ['y'], index: '["a"]' }]);
  });

  it('keeps module prefixes', () => {
    expect(extractRefs('${module.m[1].module.n.aws_s3_bucket.b.id}')).toEqual([{ address: 'module.m[1].module.n.aws_s3_bucket.b', attr: 'id', path: [] }]);
  });

  it('skips variables, locals and other non-resource roots, but not data sources of any name', () => {
    expect(extractRefs('${var.x_y.z} ${local.a_b.c} ${each.value} ${path.module} ${terraform.workspace} ${self.a_b}')).toEqual([]);
    expect(extractRefs('${data.local_file.f.content}')).toEqual([{ address: 'data.local_file.f', attr: 'content', path: [] }]);
  });

  it('finds several references, inside function calls, in arrays and objects', () => {
    expect(extractRefs(['${aws_iam_role.r.arn}', { a: '${coalesce(aws_s3_bucket.a.id, aws_s3_bucket.b.id)}', n: 1, z: null }]).map((r) => r.address)).toEqual([
      'aws_iam_role.r',
      'aws_s3_bucket.a',
      'aws_s3_bucket.b',
    ]);
  });

  it('does not read references outside ${...} nor parts of longer names', () => {
    expect(extractRefs('aws_s3_bucket.b.arn')).toEqual([]);
    expect(extractRefs('${x.aws_s3_bucket.b.arn}')).toEqual([]);
    expect(extractRefs('${"arn-aws_s3_bucket.b"}')).toEqual([]);
    expect(extractRefs('${Aws_s3.b}')).toEqual([]);
    expect(extractRefs('${awss3.b}')).toEqual([]);
    expect(extractRefs(42)).toEqual([]);
  });

  it('appends to the list it is given', () => {
    const into = extractRefs('${aws_s3_bucket.a.id}');
    expect(extractRefs('${aws_s3_bucket.b.id}', into)).toBe(into);
    expect(into.map((r) => r.address)).toEqual(['aws_s3_bucket.a', 'aws_s3_bucket.b']);
  });
});

describe('singleRef', () => {
  it('accepts one bare reference with a literal prefix and suffix', () => {
    expect(singleRef('${aws_s3_bucket.k.arn}/*')).toEqual({ ref: { address: 'aws_s3_bucket.k', attr: 'arn', path: [] }, prefix: '', suffix: '/*' });
    expect(singleRef('arn:${ aws_s3_bucket.k.arn }')).toEqual({ ref: { address: 'aws_s3_bucket.k', attr: 'arn', path: [] }, prefix: 'arn:', suffix: '' });
    expect(singleRef('${module.m.data.aws_iam_policy_document.p[0].json}')?.ref).toEqual({ address: 'module.m.data.aws_iam_policy_document.p', attr: 'json', path: [], index: '[0]' });
  });

  it('refuses function calls, several references, several interpolations and plain strings', () => {
    expect(singleRef('${lower(aws_s3_bucket.k.id)}')).toBeUndefined();
    expect(singleRef('${aws_s3_bucket.k.id}-${aws_s3_bucket.k.id}')).toBeUndefined();
    expect(singleRef('${aws_s3_bucket.a.id == aws_s3_bucket.b.id}')).toBeUndefined();
    expect(singleRef('${var.bucket}')).toBeUndefined();
    expect(singleRef('${aws_s3_bucket.a.id} x')).toEqual({ ref: { address: 'aws_s3_bucket.a', attr: 'id', path: [] }, prefix: '', suffix: ' x' });
    expect(singleRef('aws_s3_bucket.a.id')).toBeUndefined();
  });
});

describe('value readers', () => {
  it('blocks and block', () => {
    expect(blocks([{ a: 1 }, null, 'x', { b: 2 }])).toEqual([{ a: 1 }, { b: 2 }]);
    expect(blocks({ a: 1 })).toEqual([{ a: 1 }]);
    expect(blocks(null)).toEqual([]);
    expect(blocks('x')).toEqual([]);
    expect(block([{ a: 1 }, { a: 2 }])).toEqual({ a: 1 });
    expect(block(undefined)).toBeUndefined();
  });

  it('strings', () => {
    expect(strings(['a', 1, 'b', null])).toEqual(['a', 'b']);
    expect(strings('a')).toEqual(['a']);
    expect(strings(1)).toEqual([]);
  });

  it('literal', () => {
    expect(literal('a')).toBe('a');
    expect(literal('')).toBe('');
    expect(literal('a${b}')).toBeUndefined();
    expect(literal('a$b{}')).toBe('a$b{}');
    expect(literal(1)).toBeUndefined();
  });

  it('num accepts finite numbers and decimal strings only', () => {
    expect(num(30)).toBe(30);
    expect(num('92')).toBe(92);
    expect(num('-7')).toBe(-7);
    expect(num('1.5')).toBe(1.5);
    for (const v of [Infinity, NaN, '1.', '.5', '1e3', ' 1', '1 ', '0x10', '', true, null]) expect(num(v), String(v)).toBeUndefined();
  });

  it('bool accepts booleans and the literal strings', () => {
    expect(bool(true)).toBe(true);
    expect(bool(false)).toBe(false);
    expect(bool('true')).toBe(true);
    expect(bool('false')).toBe(false);
    for (const v of ['True', '1', 1, 0, '', null, undefined]) expect(bool(v), String(v)).toBeUndefined();
  });
});
