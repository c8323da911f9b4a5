import { describe, expect, it } from 'vitest';
import type { PolicyStatement } from '../../lib/model/policy';
import { mergePolicyDocuments } from '../../lib/model/policy-documents';

const st = (sid: string | undefined, effect: 'Allow' | 'Deny', action: string): PolicyStatement => ({ sid, effect, actions: [action], resources: ['*'], principals: [], conditions: [] });

describe('mergePolicyDocuments (aws_iam_policy_document source/override semantics)', () => {
  it('own statements replace source statements with the same sid, in place; others are appended', () => {
    const merged = mergePolicyDocuments({ sources: [[st('A', 'Deny', 's3:DeleteObject'), st(undefined, 'Allow', 's3:GetObject')]], own: [st('A', 'Allow', 's3:PutObject'), st('B', 'Allow', 's3:ListBucket')] });
    expect(merged.map((s) => `${s.sid ?? '-'} ${s.effect} ${s.actions[0]}`)).toEqual(['A Allow s3:PutObject', '- Allow s3:GetObject', 'B Allow s3:ListBucket']);
  });
  it('overrides win over own statements and earlier overrides; an overridden Deny is gone', () => {
    const merged = mergePolicyDocuments({ own: [st('TLS', 'Deny', 's3:*')], overrides: [[st('TLS', 'Allow', 's3:*')], [st(undefined, 'Allow', 'kms:Decrypt')]] });
    expect(merged.map((s) => `${s.sid ?? '-'} ${s.effect}`)).toEqual(['TLS Allow', '- Allow']);
  });
  it('statements without sid are never merged, only appended', () => {
    expect(mergePolicyDocuments({ sources: [[st(undefined, 'Allow', 'a')], [st(undefined, 'Allow', 'b')]], own: [st(undefined, 'Allow', 'c')] })).toHaveLength(3);
  });
});
