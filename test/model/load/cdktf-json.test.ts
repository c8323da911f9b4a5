/**
 * The cdk.tf.json front end (lib/model/load/cdktf-json.ts), one branch each with exact
 * documents: resources, data sources, providers (with aliases), backend, outputs, provider
 * keys and construct paths.
 */
import { describe, expect, it } from 'vitest';
import { constructPath, loadTerraformJson, providerKey } from '../../../lib/model/load/cdktf-json';

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

  it('reads resources, data sources, providers (with aliases), backend and outputs', () => {
    const d = loadTerraformJson('app', {
      resource: { aws_s3_bucket: { b: { bucket: 'b', provider: '${aws.west}' } }, bad: 'x' },
      data: { aws_iam_policy_document: { p: { statement: [] } } },
      provider: { aws: [{ region: 'eu' }, { alias: 'west' }], docker: { host: 'h' } },
      terraform: { backend: { s3: { bucket: 'st', key: 'k' } } },
      output: { o: { value: '${aws_s3_bucket.b.arn}' }, n: 'not-an-object' },
    }, 'cdktf.out/stacks/app/cdk.tf.json');
    expect(d.source).toBe('cdktf.out/stacks/app/cdk.tf.json');
    expect(d.resources.map((r) => [r.address, r.mode, r.type, r.name, r.provider, r.module])).toEqual([
      ['aws_s3_bucket.b', 'managed', 'aws_s3_bucket', 'b', 'aws.west', ''],
      ['data.aws_iam_policy_document.p', 'data', 'aws_iam_policy_document', 'p', 'aws', ''],
    ]);
    expect(d.providers.map((p) => [p.key, p.type, p.alias])).toEqual([
      ['aws', 'aws', undefined],
      ['aws.west', 'aws', 'west'],
      ['docker', 'docker', undefined],
    ]);
    expect(d.backend).toEqual({ type: 's3', config: { bucket: 'st', key: 'k' } });
    expect(d.outputs).toEqual({ o: '${aws_s3_bucket.b.arn}', n: undefined });
    expect(loadTerraformJson('x', null)).toEqual({ stack: 'x', source: 'x', resources: [], providers: [], backend: undefined, outputs: {} });
  });

  it('providerKey and constructPath', () => {
    expect(providerKey('aws_s3_bucket', 'aws.keys')).toBe('aws.keys');
    expect(providerKey('aws_s3_bucket', '${aws.keys}')).toBe('aws.keys');
    expect(providerKey('docker_container', '')).toBe('docker');
    expect(providerKey('terraform_data', undefined)).toBe('terraform');
    expect(constructPath({ '//': { metadata: { path: 'app/keys/bucket' } } })).toBe('app/keys/bucket');
    expect(constructPath({ '//': {} })).toBeUndefined();
    expect(constructPath({})).toBeUndefined();
  });
});
