/**
 * The safe JSON reader (lib/model/load/json.ts): Terraform's merging of repeated keys, data
 * without a prototype, errors by kind and position that never quote the file.
 */
import { describe, expect, it } from 'vitest';
import {
  dataObject,
  decodeJsonBytes,
  isDataObject,
  JsonReadError,
  MAX_JSON_DEPTH,
  parseJsonFile,
  rawJsonOf,
  readJsonText,
  terraformJsonOf,
} from '../../../lib/model/load/json';
import { loadTerraformJson } from '../../../lib/model/load/cdktf-json';

const SECRET = 'Zq8vN2kR7tY4wP1mX6cB3hJ9dF5gL0sA';

function err(f: () => unknown): JsonReadError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(JsonReadError);
    return e as JsonReadError;
  }
  throw new Error('did not throw');
}

const addresses = (json: unknown) => loadTerraformJson('s', json).resources.map((r) => r.address);

describe('syntax errors: kind and position, never the text', () => {
  it('a key file given as JSON names line and column only', () => {
    const e = err(() => parseJsonFile(SECRET, 'masterkey'));
    expect(e.message).toBe('unexpected character at line 1, column 1');
    expect(e.kind).toBe('syntax');
    expect(e.message).not.toContain(SECRET.slice(0, 4));
  });

  it('an unquoted secret near a syntax error is not quoted', () => {
    const text = `{\n  "resource": {\n    "x": ${SECRET}\n  }\n}`;
    const e = err(() => parseJsonFile(text, 'cdk.tf.json'));
    expect(e.message).toBe('unexpected character at line 3, column 10');
    expect(e.message).not.toMatch(/Zq8v|X6cB/);
  });

  it('names each kind of problem', () => {
    const cases: [string, string][] = [
      ['{"a": 1,}', 'a property name in double quotes was expected at line 1, column 9'],
      ['[1,]', 'a value was expected at line 1, column 4'],
      ['{"a" 1}', '":" was expected at line 1, column 6'],
      ['{"a": 1 "b": 2}', '"," was expected at line 1, column 9'],
      ['{"a": 1', '"}" was expected at line 1, column 8'],
      ['[1', '"]" was expected at line 1, column 3'],
      ['{} {}', 'text follows the end of the JSON value at line 1, column 4'],
      ['// c\n{}', 'comments are not JSON at line 1, column 1'],
      ['{"a": "x\ny"}', 'a string is not closed on its line at line 1, column 7'],
      ['{"a": 1.}', 'a number is cut off at line 1, column 7'],
      ['{"a": "\\u12"}', 'invalid \\u escape at line 1, column 7'],
      ['{"a": "\\q"}', 'invalid escape sequence at line 1, column 7'],
      ['{"a": "\u0001"}', 'a control character inside a string (write it escaped) at line 1, column 7'],
      ['{"a": NaN}', 'unexpected character at line 1, column 7'],
      ['', 'a value was expected at line 1, column 1'],
      ['\r\n\r\n  x', 'unexpected character at line 3, column 3'],
    ];
    for (const [text, message] of cases) expect(err(() => parseJsonFile(text, 'f')).message, JSON.stringify(text)).toBe(message);
  });

  it('reads what JSON.parse reads, to the same values', () => {
    const text = JSON.stringify({ a: [1, -2.5e3, 0, true, false, null, 'é\u2028\ud83d\ude00', { b: '\\"/\b\f\n\r\t' }], '': {} });
    expect(JSON.parse(JSON.stringify(parseJsonFile(text, 'f')))).toEqual(JSON.parse(text));
  });
});

describe('nesting and encodings', () => {
  it('deep nesting is refused with the limit, not a stack overflow', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const e = err(() => parseJsonFile(deep, 'f'));
    expect(e.message).toBe(
      `nested deeper than ${MAX_JSON_DEPTH} levels at line 1, column ${MAX_JSON_DEPTH + 1}; Terraform configurations and plans nest far less, so this is not one (or it is damaged): produce it again`,
    );
    expect(e.kind).toBe('content');
    expect(() => parseJsonFile('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH), 'f')).not.toThrow();
  });

  it('UTF-16 (with or without a byte-order mark) and UTF-32 are named', () => {
    const utf16le = Buffer.from('{"resource": {}}', 'utf16le');
    const utf16be = Buffer.from(utf16le).swap16();
    for (const b of [Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le]), utf16le, Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be]), utf16be]) {
      expect(err(() => decodeJsonBytes(b)).message).toBe('file is UTF-16; Terraform JSON is UTF-8');
    }
    expect(err(() => decodeJsonBytes(Buffer.from([0x7b, 0, 0, 0, 0x7d, 0, 0, 0]))).message).toBe('file is UTF-32; Terraform JSON is UTF-8');
    expect(err(() => decodeJsonBytes(Buffer.from([0x7b, 0xff, 0x7d]))).message).toBe('file is not UTF-8 text; Terraform JSON is UTF-8');
    expect(decodeJsonBytes(Buffer.from('\ufeff{"a": "ü"}', 'utf8'))).toBe('{"a": "ü"}');
  });
});

describe('Terraform JSON: repeated keys merged as Terraform merges them', () => {
  it('two "resource" objects in one file: every resource is read', () => {
    const text = '{"resource": {"aws_s3_bucket": {"a": {"bucket": "a"}}}, "resource": {"aws_iam_user": {"u": {"name": "u"}}}}';
    expect(addresses(parseJsonFile(text, 'f'))).toEqual(['aws_s3_bucket.a', 'aws_iam_user.u']);
  });

  it('one resource type twice: both names are read', () => {
    const text = '{"resource": {"aws_s3_bucket": {"a": {}}, "aws_s3_bucket": {"b": {}}}}';
    expect(addresses(parseJsonFile(text, 'f'))).toEqual(['aws_s3_bucket.a', 'aws_s3_bucket.b']);
  });

  it('label levels given as lists of objects are read too', () => {
    const text = '{"resource": [{"aws_s3_bucket": [{"a": {}}, {"b": [{"bucket": "b"}]}]}], "data": {"aws_caller_identity": {"c": {}}}}';
    const json = parseJsonFile(text, 'f');
    expect(addresses(json)).toEqual(['aws_s3_bucket.a', 'aws_s3_bucket.b', 'data.aws_caller_identity.c']);
    expect(loadTerraformJson('s', json).resources[1].values.bucket).toBe('b');
  });

  it('the same resource twice is an error that names it and both places', () => {
    const text = '{"resource": {"aws_s3_bucket": {"a": {}}},\n "resource": {"aws_s3_bucket": {"a": {}}}}';
    expect(err(() => parseJsonFile(text, 'main.tf.json')).message).toBe(
      'resource aws_s3_bucket.a is declared twice (main.tf.json line 1, column 33 and main.tf.json line 2, column 33); Terraform refuses a duplicate declaration; keep one',
    );
    expect(err(() => parseJsonFile('{"data": {"aws_x": {"a": {}, "a": {}}}}', 'f')).message).toMatch(/^data source data\.aws_x\.a is declared twice/);
    expect(err(() => parseJsonFile('{"resource": {"aws_x": {"a": [{}, {}]}}}', 'f')).message).toMatch(/^resource aws_x\.a is declared 2 times \(f line 1, column 25\)/);
    expect(err(() => parseJsonFile('{"output": {"o": {}}, "output": {"o": {}}}', 'f')).message).toMatch(/^output "o" is declared twice/);
    expect(err(() => parseJsonFile('{"locals": {"l": 1}, "locals": {"l": 2}}', 'f')).message).toMatch(/^local "l" is declared twice/);
    expect(err(() => parseJsonFile('{"terraform": {"backend": {"s3": {}}}, "terraform": {"backend": {"local": {}}}}', 'f')).message).toMatch(/^a backend .* is declared twice/);
  });

  it('a repeated argument is an error; a repeated nested block is kept as a list', () => {
    expect(err(() => parseJsonFile('{"resource": {"aws_s3_bucket": {"a": {"bucket": "x", "bucket": "y"}}}}', 'f')).message).toBe(
      'repeated key "bucket" at line 1, column 54 (first at line 1, column 39) in resource aws_s3_bucket.a: Terraform refuses an argument given twice; keep one',
    );
    expect(err(() => parseJsonFile('{"resource": {"aws_s3_bucket": {"a": {"tags": {"x": "1"}, "tags": {"y": "2"}}}}}', 'f')).message).toMatch(/repeated key "tags"/);
    const json = parseJsonFile('{"resource": {"aws_security_group": {"g": {"ingress": {"from_port": 1}, "ingress": [{"from_port": 2}]}}}}', 'f');
    expect(JSON.parse(JSON.stringify(loadTerraformJson('s', json).resources[0].values))).toEqual({ ingress: [{ from_port: 1 }, { from_port: 2 }] });
  });

  it('providers of one type from repeated keys are all kept', () => {
    const json = parseJsonFile('{"provider": {"aws": {"region": "a"}}, "provider": {"aws": [{"alias": "b", "region": "b"}]}}', 'f');
    expect(loadTerraformJson('s', json).providers.map((p) => p.key)).toEqual(['aws', 'aws.b']);
  });

  it('other JSON (a plan, a manifest) refuses any repeated key', () => {
    expect(err(() => parseJsonFile('{"format_version": "1.2", "format_version": "1.2"}', 'f')).message).toMatch(/^repeated key "format_version" at line 1, column 27 \(first at line 1, column 2\): Terraform and cdktf never write a key twice/);
    // A name that could be a pasted key is not shown.
    expect(err(() => parseJsonFile(`{"a": {"${SECRET}": 1, "${SECRET}": 2}}`, 'f')).message).toMatch(/^repeated key at line 1, column 47 \(first at line 1, column 8\): /);
  });

  it('merging the files of a folder is linear: 20,000 one-resource files in well under 3 s (pairwise merging took minutes)', () => {
    const files = Array.from({ length: 20_000 }, (_, i) => readJsonText(`{"resource": {"aws_iam_user": {"u${i}": {"name": "u${i}"}}}}`, `f${i}.tf.json`));
    terraformJsonOf(files.slice(0, 2000));
    const t0 = performance.now();
    const merged = terraformJsonOf(files);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(Object.keys((merged.resource as Record<string, Record<string, unknown>>).aws_iam_user)).toHaveLength(20_000);
  });

  it('the same resource in two files names both files', () => {
    const a = readJsonText('{"resource": {"aws_s3_bucket": {"k": {}}}}', 'a.tf.json');
    const b = rawJsonOf({ resource: { aws_s3_bucket: { k: {} } } }, 'b.tf.json');
    expect(err(() => terraformJsonOf([a, b])).message).toBe('resource aws_s3_bucket.k is declared twice (a.tf.json line 1, column 33 and b.tf.json); Terraform refuses a duplicate declaration; keep one');
  });
});

describe('prototype names are plain data', () => {
  const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

  it('as keys at every level, and look-ups of them find only data', () => {
    for (const n of names) {
      const text = `{"resource": {"${n}": {"${n}": {"${n}": {"${n}": "v"}, "tags": {"${n}": "t"}}}}}`;
      const json = parseJsonFile(text, 'f');
      const doc = loadTerraformJson('s', json);
      expect(doc.resources.map((r) => [r.type, r.name, r.address])).toEqual([[n, n, `${n}.${n}`]]);
      const values = doc.resources[0].values;
      expect(Object.keys(values)).toEqual([n, 'tags']);
      expect(JSON.stringify(values[n])).toBe(`{"${n}":"v"}`);
      expect(Object.getPrototypeOf(values)).not.toBe(Object.prototype);
      expect(isDataObject(values)).toBe(true);
      // Nothing inherited under a name a file can hold, and `{}` has not been polluted.
      expect((values.tags as Record<string, unknown>)[n]).toBe('t');
      expect(({} as Record<string, unknown>).v).toBeUndefined();
    }
    const plan = parseJsonFile('{"__proto__": {"polluted": true}, "a": {"__proto__": 1}}', 'f') as Record<string, Record<string, unknown>>;
    expect(Object.keys(plan)).toEqual(['__proto__', 'a']);
    expect(plan.polluted).toBeUndefined();
    expect(plan.a.__proto__).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('data objects still print like ordinary objects', () => {
    const o = dataObject();
    const name: string = 'toString';
    o[name] = 'data';
    expect(String(dataObject())).toBe('[object Object]');
    expect(`${o}`).toBe('[object Object]');
    expect(o[name]).toBe('data');
    expect(JSON.stringify(o)).toBe('{"toString":"data"}');
  });
});
