import { describe, expect, it } from 'vitest';
import { isDataObject, JsonReadError, MAX_JSON_DEPTH, parseJsonFile, parseWrittenTerraformJson } from '../../../lib/model/load/json';

// The synth-time check reads what cdktf has just written with JSON.stringify through this
// faster path; it must give exactly what the general reader gives for such text.
describe('parseWrittenTerraformJson', () => {
  const doc = {
    terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } },
    resource: {
      aws_s3_bucket: { keys: { bucket: 'k', tags: { 'custody:role': 'key-backup' } } },
      aws_iam_role: { writer: { name: 'w', assume_role_policy: '{"Statement":[]}' } },
    },
    output: { a: { value: '${aws_s3_bucket.keys.arn}' } },
  };

  it('reads what JSON.stringify wrote exactly as the general reader does', () => {
    const text = JSON.stringify(doc, null, 2);
    expect(parseWrittenTerraformJson(text, 'cdk.tf.json')).toEqual(parseJsonFile(text, 'cdk.tf.json'));
    expect(JSON.parse(JSON.stringify(parseWrittenTerraformJson(text, 'cdk.tf.json')))).toEqual(doc);
  });

  it('keeps prototype names as plain data on prototype-free objects', () => {
    const text = '{"resource":{"aws_s3_bucket":{"__proto__":{"bucket":"p"},"constructor":{"bucket":"c"}}}}';
    const out = parseWrittenTerraformJson(text, 'cdk.tf.json') as { resource: Record<string, Record<string, { bucket: string }>> };
    const buckets = out.resource.aws_s3_bucket;
    expect(isDataObject(buckets) && isDataObject(buckets[String('constructor')])).toBe(true);
    expect(Object.keys(buckets)).toEqual(['__proto__', 'constructor']);
    expect(buckets[String('constructor')].bucket).toBe('c');
    expect(out).toEqual(parseJsonFile(text, 'cdk.tf.json'));
  });

  it('refuses nesting beyond the reader limit with the reader\'s own error', () => {
    const deep = `{"locals":{"x":${'['.repeat(MAX_JSON_DEPTH + 5)}${']'.repeat(MAX_JSON_DEPTH + 5)}}}`;
    expect(() => parseWrittenTerraformJson(deep, 'cdk.tf.json')).toThrow(JsonReadError);
    expect(() => parseJsonFile(deep, 'cdk.tf.json')).toThrow(JsonReadError);
  });
});
