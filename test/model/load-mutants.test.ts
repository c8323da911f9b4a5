/**
 * The cdk.tf.json front end (lib/model/load.ts) and the SARIF line finder
 * (lib/model/json-locations.ts), one branch each with exact documents and line maps.
 */
import { describe, expect, it } from 'vitest';
import { resourceLines } from '../../lib/model/json-locations';
import { constructPath, loadTerraformJson, providerKey } from '../../lib/model/load';

describe('constructPath', () => {
  it('reads `//`.metadata.path, else undefined', () => {
    expect(constructPath({ '//': { metadata: { path: 'stack/keys/Resource', uniqueId: 'keys' } } })).toBe('stack/keys/Resource');
    expect(constructPath({ '//': { metadata: { uniqueId: 'keys' } } })).toBeUndefined();
    expect(constructPath({ '//': {} })).toBeUndefined();
    expect(constructPath({})).toBeUndefined();
    expect(constructPath({ '//': null })).toBeUndefined();
  });
});

describe('providerKey', () => {
  it('an explicit provider, with or without `${…}`; else the type prefix', () => {
    expect(providerKey('aws_s3_bucket', 'aws.keys')).toBe('aws.keys');
    expect(providerKey('aws_s3_bucket', '${aws.keys}')).toBe('aws.keys');
    expect(providerKey('aws_s3_bucket', '')).toBe('aws');
    expect(providerKey('aws_s3_bucket', undefined)).toBe('aws');
    expect(providerKey('aws_s3_bucket', 3)).toBe('aws');
    expect(providerKey('docker_container', null)).toBe('docker');
    expect(providerKey('random', undefined)).toBe('random');
    // Only a leading `${` and a trailing `}` are stripped.
    expect(providerKey('t', 'p${q}')).toBe('p${q');
    expect(providerKey('t', '${a}b}')).toBe('a}b');
    expect(providerKey('t', '${a}x')).toBe('a}x');
  });
});

describe('loadTerraformJson', () => {
  it('reads resources, data sources, providers, backend and outputs', () => {
    const json = {
      terraform: { backend: { s3: { bucket: 'state', key: 'k' } }, required_providers: {} },
      provider: {
        aws: [{ region: 'eu-central-1' }, { alias: 'keys', region: 'eu-west-1' }],
        docker: { host: 'unix:///var/run/docker.sock' },
        random: [{ alias: 7 }],
        null: ['junk'],
      },
      resource: {
        aws_s3_bucket: { keys: { bucket: 'k', provider: 'aws.keys' }, db: { bucket: 'd' } },
        docker_container: { app: { image: 'x', provider: '${docker}' } },
      },
      data: { aws_iam_policy_document: { p: { statement: [{ actions: ['s3:GetObject'] }] } } },
      output: { arn: { value: '${aws_s3_bucket.keys.arn}' }, nothing: {}, bad: 'x' },
    };
    const d = loadTerraformJson('prod', json, 'cdktf.out/stacks/prod/cdk.tf.json');
    expect(d).toEqual({
      stack: 'prod',
      source: 'cdktf.out/stacks/prod/cdk.tf.json',
      resources: [
        { stack: 'prod', mode: 'managed', type: 'aws_s3_bucket', name: 'keys', address: 'aws_s3_bucket.keys', module: '', values: { bucket: 'k', provider: 'aws.keys' }, provider: 'aws.keys' },
        { stack: 'prod', mode: 'managed', type: 'aws_s3_bucket', name: 'db', address: 'aws_s3_bucket.db', module: '', values: { bucket: 'd' }, provider: 'aws' },
        { stack: 'prod', mode: 'managed', type: 'docker_container', name: 'app', address: 'docker_container.app', module: '', values: { image: 'x', provider: '${docker}' }, provider: 'docker' },
        {
          stack: 'prod',
          mode: 'data',
          type: 'aws_iam_policy_document',
          name: 'p',
          address: 'data.aws_iam_policy_document.p',
          module: '',
          values: { statement: [{ actions: ['s3:GetObject'] }] },
          provider: 'aws',
        },
      ],
      providers: [
        { stack: 'prod', key: 'aws', type: 'aws', alias: undefined, values: { region: 'eu-central-1' } },
        { stack: 'prod', key: 'aws.keys', type: 'aws', alias: 'keys', values: { alias: 'keys', region: 'eu-west-1' } },
        { stack: 'prod', key: 'docker', type: 'docker', alias: undefined, values: { host: 'unix:///var/run/docker.sock' } },
        { stack: 'prod', key: 'random', type: 'random', alias: undefined, values: { alias: 7 } },
        { stack: 'prod', key: 'null', type: 'null', alias: undefined, values: {} },
      ],
      backend: { type: 's3', config: { bucket: 'state', key: 'k' } },
      outputs: { arn: '${aws_s3_bucket.keys.arn}', nothing: undefined, bad: undefined },
    });
    expect(Object.keys(d.outputs)).toEqual(['arn', 'nothing', 'bad']);
    expect('unknowns' in d).toBe(false);
    // The values object is the block itself.
    expect(d.resources[0].values).toBe(json.resource.aws_s3_bucket.keys);
  });

  it('the source defaults to the stack name', () => {
    expect(loadTerraformJson('dev', {}).source).toBe('dev');
  });

  it('non-object inputs and parts read as empty', () => {
    const empty = { stack: 's', source: 's', resources: [], providers: [], backend: undefined, outputs: {} };
    expect(loadTerraformJson('s', null)).toEqual(empty);
    expect(loadTerraformJson('s', 'x')).toEqual(empty);
    expect(loadTerraformJson('s', [{ resource: { a_b: { c: {} } } }])).toEqual(empty);
    expect(loadTerraformJson('s', { resource: [], data: 'x', provider: [], output: [], terraform: [] })).toEqual(empty);
    expect(loadTerraformJson('s', { resource: { aws_x: [{ a: {} }], aws_y: null }, data: { aws_z: 'q' } })).toEqual(empty);
  });

  it('a block that is not an object has empty values', () => {
    const d = loadTerraformJson('s', { resource: { aws_x: { a: null, b: [1], c: 'str' } }, data: { aws_y: { d: 5 } } });
    expect(d.resources.map((r) => [r.address, r.mode, r.values, r.provider])).toEqual([
      ['aws_x.a', 'managed', {}, 'aws'],
      ['aws_x.b', 'managed', {}, 'aws'],
      ['aws_x.c', 'managed', {}, 'aws'],
      ['data.aws_y.d', 'data', {}, 'aws'],
    ]);
  });

  it('backend: the first entry; none, or a non-object config, read as empty', () => {
    expect(loadTerraformJson('s', { terraform: {} }).backend).toBeUndefined();
    expect(loadTerraformJson('s', { terraform: { backend: {} } }).backend).toBeUndefined();
    expect(loadTerraformJson('s', { terraform: { backend: 'local' } }).backend).toBeUndefined();
    expect(loadTerraformJson('s', { terraform: { backend: { local: null } } }).backend).toEqual({ type: 'local', config: {} });
    expect(loadTerraformJson('s', { terraform: { backend: { gcs: { bucket: 'b' }, s3: { bucket: 'c' } } } }).backend).toEqual({ type: 'gcs', config: { bucket: 'b' } });
  });

  it('data sources after resources, whatever the key order', () => {
    const d = loadTerraformJson('s', { data: { aws_a: { x: {} } }, resource: { aws_b: { y: {} } } });
    expect(d.resources.map((r) => `${r.mode}:${r.address}`)).toEqual(['managed:aws_b.y', 'data:data.aws_a.x']);
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
