import { describe, expect, it } from 'vitest';
import { buildModel } from '../../lib/model/build';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';
import { rule as kc023 } from '../../lib/rules/kc023-bucket-hardening';

const bucket = { bucket: 'keys', tags: { 'custody:role': 'key-backup' } };

describe('bucket policies merged and unproven (issue 18)', () => {
  it('an override_policy_documents statement replaces the TLS deny with the same sid: no TLS deny is left', () => {
    const m = buildModel([
      loadTerraformJson('s', {
        resource: { aws_s3_bucket: { k: bucket }, aws_s3_bucket_policy: { p: { bucket: '${aws_s3_bucket.k.id}', policy: '${data.aws_iam_policy_document.d.json}' } } },
        data: {
          aws_iam_policy_document: {
            d: { override_policy_documents: ['{"Statement":[{"Sid":"TLS","Effect":"Allow","Action":"s3:*","Resource":"*","Principal":"*"}]}'], statement: [{ sid: 'TLS', effect: 'Deny', actions: ['s3:*'], resources: ['*'], condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] }] },
          },
        },
      }),
    ]);
    expect(m.stores[0].settings.tlsOnly).toBe(false);
  });
  it('an unreadable bucket policy is KC092, not "no TLS deny" (KC023)', () => {
    const doc = loadTerraformJson('s', { resource: { aws_s3_bucket: { k: bucket }, aws_s3_bucket_policy: { p: { bucket: '${aws_s3_bucket.k.id}', policy: '${aws_iam_role.x.arn}' } }, aws_iam_role: { x: {} } } });
    const m = buildModel([{ ...doc, unknowns: [{ stack: 's', address: 'aws_s3_bucket_policy.p', what: 'policy is only known after apply' }] }]);
    expect(kc023.check(m).map((v) => v.message).filter((x) => x.includes('TLS'))).toEqual([]);
  });
});
