/**
 * `aws_iam_policy_document` merged as Terraform merges it (issue 18): an override statement with
 * the sid of a source's Deny replaces that Deny, so concatenating the parts would keep a Deny
 * Terraform drops and hide access.
 */
import { describe, expect, it } from 'vitest';
import { accessOf, merge, model, oneStack, USER, type Json } from '../../fixtures/iam/fixtures';

const OPS = 'aws_iam_user.ops';
const KEYS = 'aws_s3_bucket.keys';
const BUCKETS = {
  aws_s3_bucket: {
    keys: { bucket: 'kb', tags: { 'custody:role': 'key-backup', 'custody:app': 'zitadel', 'custody:key': 'master' } },
  },
};

function opsWith(documents: Record<string, Json>) {
  return model([
    's',
    oneStack(merge(USER, BUCKETS, { aws_iam_user_policy: { p: { user: 'ops', policy: '${data.aws_iam_policy_document.d.json}' } } }), { aws_iam_policy_document: documents }),
  ]);
}

const readKeys = (sid: string, effect = 'Allow'): Json => ({ sid, effect, actions: ['s3:GetObject'], resources: ['${aws_s3_bucket.keys.arn}/*'] });

describe('aws_iam_policy_document source and override documents', () => {
  it('lets an override replace a source Deny with the same sid', () => {
    const m = opsWith({
      d: {
        source_policy_documents: ['${data.aws_iam_policy_document.base.json}'],
        override_policy_documents: ['${data.aws_iam_policy_document.open.json}'],
        statement: [readKeys('Read')],
      },
      base: { statement: [readKeys('Guard', 'Deny')] },
      open: { statement: [readKeys('Guard')] },
    });
    expect(accessOf(m, OPS, KEYS)).toEqual(['read']);
  });

  it('keeps a source Deny that nothing replaces, and lets the own statement replace a source Allow by sid', () => {
    const denied = opsWith({
      d: { source_policy_documents: ['${data.aws_iam_policy_document.base.json}'], statement: [readKeys('Read')] },
      base: { statement: [readKeys('Guard', 'Deny')] },
    });
    expect(accessOf(denied, OPS, KEYS)).toEqual([]);
    const replaced = opsWith({
      d: { source_policy_documents: ['${data.aws_iam_policy_document.base.json}'], statement: [readKeys('Read', 'Deny')] },
      base: { statement: [readKeys('Read')] },
    });
    expect(accessOf(replaced, OPS, KEYS)).toEqual([]);
  });
});
