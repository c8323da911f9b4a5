/**
 * Small random IAM scenarios for the differential test against an independent evaluator
 * (oracle.property.test.ts): one custody bucket, a second managed bucket whose name may be a
 * prefix of the custody bucket's, two roles and a user in a group, one or two AWS providers
 * (pinned, named profile or nothing) standing for one to three real accounts, identity
 * policies on every route a policy takes to a principal, and a bucket policy.
 *
 * A scenario is one possible world: every provider has a true account, which the
 * configuration pins or leaves open. The model must over-report for every world the
 * configuration allows, so each generated world is a fair question.
 */
import fc from 'fast-check';

/** Two accounts the configuration may act in, and one that is never pinned by it. */
export const A = '111111111111';
export const B = '222222222222';
export const F = '333333333333';
export type Acct = typeof A | typeof B | typeof F;

/** How a provider names its account: pins it, names a profile, or says nothing. */
export type Pin = 'pinned' | 'profile-a' | 'profile-b' | 'none';
export type Prov = 'aws' | 'b';

export interface ProviderSpec {
  readonly account: Acct;
  readonly pin: Pin;
}

export interface Cond {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

/** One policy statement; exactly one of each Action/NotAction, Resource/NotResource pair is set. */
export interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  /** Resource policies only: `*`, or AWS principal identifiers. */
  readonly principal?: '*' | readonly string[];
  readonly notPrincipal?: readonly string[];
  readonly conditions: readonly Cond[];
}

/** The principals of every scenario (roles writer and other, user ops in group team). */
export const PRINCIPALS = ['writer', 'other', 'ops'] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

/** Every way a policy reaches a principal. */
export type Route = 'role-inline' | 'role-attached' | 'user-inline' | 'user-attached' | 'group-inline' | 'group-attached';

export interface IdentityPolicy {
  readonly route: Route;
  /** The role for the role routes; the user and group routes always reach ops. */
  readonly role: 'writer' | 'other';
  /** Written through an `aws_iam_policy_document` data source instead of literal JSON. */
  readonly asDocument: boolean;
  readonly statements: readonly Statement[];
}

export interface Scenario {
  readonly providers: { readonly aws: ProviderSpec; readonly b?: ProviderSpec };
  /** Provider of the custody bucket and of the second bucket. */
  readonly storeProvider: Prov;
  /** Name of the second managed bucket (`huph` is a prefix of the custody bucket's). */
  readonly dbName: string;
  readonly principalProviders: Readonly<Record<PrincipalName, Prov>>;
  readonly identityPolicies: readonly IdentityPolicy[];
  readonly bucketPolicy?: { readonly asDocument: boolean; readonly statements: readonly Statement[] };
}

/** The custody bucket's name. */
export const STORE = 'huph-keys';

export const ref = (expr: string): string => '${' + expr + '}';

const ACTIONS = [
  's3:GetObject',
  's3:PutObject',
  's3:DeleteObject',
  's3:GetObjectVersion',
  's3:DeleteObjectVersion',
  's3:DeleteBucket',
  's3:Get*',
  's3:Put*',
  's3:Delete*',
  's3:List*',
  's3:*Object',
  's3:*Object*',
  's3:Get?bject',
  's3:*',
  '*',
];

const RESOURCES = [
  '*',
  'arn:aws:s3:::*',
  `arn:aws:s3:::${STORE}`,
  `arn:aws:s3:::${STORE}/*`,
  `arn:aws:s3:::${STORE}/?`,
  `arn:aws:s3:::${STORE}/a`,
  `arn:aws:s3:::${STORE}/k/*`,
  `arn:aws:s3:::${STORE}/??*`,
  `arn:aws:s3:::${STORE}/?*`,
  'arn:aws:s3:::huph*',
  'arn:aws:s3:::huph-?eys/*',
  'arn:aws:s3:::other/*',
  `${ref('aws_s3_bucket.store.arn')}`,
  `${ref('aws_s3_bucket.store.arn')}/*`,
  `arn:aws:s3:::${ref('aws_s3_bucket.store.bucket')}/*`,
  `${ref('aws_s3_bucket.db.arn')}*`,
  `${ref('aws_s3_bucket.db.arn')}/*`,
  `arn:aws:s3:::${ref('aws_s3_bucket.db.bucket')}*`,
];

const PRINCIPAL_IDS = [
  ref('aws_iam_role.writer.arn'),
  ref('aws_iam_role.other.arn'),
  ref('aws_iam_user.ops.arn'),
  `arn:aws:iam::${A}:role/writer`,
  `arn:aws:iam::${F}:role/writer`,
  `arn:aws:sts::${A}:assumed-role/writer/other-session`,
  `arn:aws:sts::${B}:assumed-role/other/other-session`,
  `arn:aws:iam::${B}:user/ops`,
  A,
  B,
  `arn:aws:iam::${A}:root`,
  `arn:aws:iam::${F}:root`,
  ref('data.aws_caller_identity.current.account_id'),
  `arn:aws:iam::${ref('data.aws_caller_identity.current.account_id')}:root`,
];

const CONDITIONS: Cond[] = [
  { test: 'StringEquals', variable: 'aws:PrincipalArn', values: [ref('aws_iam_role.writer.arn')] },
  { test: 'StringEquals', variable: 'aws:PrincipalArn', values: [`arn:aws:iam::${A}:role/writer`] },
  { test: 'StringLike', variable: 'aws:PrincipalArn', values: ['arn:aws:iam::*:role/w*'] },
  { test: 'ArnLike', variable: 'aws:PrincipalArn', values: [`arn:aws:iam::${B}:user/*`] },
  { test: 'StringNotEquals', variable: 'aws:PrincipalArn', values: [ref('aws_iam_role.writer.arn')] },
  { test: 'StringNotLike', variable: 'aws:PrincipalArn', values: ['arn:aws:iam::*:role/o*'] },
  { test: 'ArnNotEquals', variable: 'aws:PrincipalArn', values: [`arn:aws:iam::${A}:user/ops`] },
  { test: 'StringEquals', variable: 'aws:PrincipalAccount', values: [A] },
  { test: 'StringEquals', variable: 'aws:PrincipalAccount', values: [ref('data.aws_caller_identity.current.account_id')] },
  { test: 'StringNotEquals', variable: 'aws:PrincipalAccount', values: [F] },
  { test: 'IpAddress', variable: 'aws:SourceIp', values: ['10.0.0.0/8'] },
  { test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] },
];

const some = <T>(pool: readonly T[], max = 2) => fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: max });

const conditionsArb = fc.uniqueArray(fc.constantFrom(...CONDITIONS), { maxLength: 2, selector: (c) => `${c.test}|${c.variable}` });

const actionPart = fc.oneof(
  { weight: 4, arbitrary: some(ACTIONS).map((action) => ({ action })) },
  { weight: 1, arbitrary: some(ACTIONS).map((notAction) => ({ notAction })) },
);
const resourcePart = fc.oneof(
  { weight: 4, arbitrary: some(RESOURCES).map((resource) => ({ resource })) },
  { weight: 1, arbitrary: some(RESOURCES).map((notResource) => ({ notResource })) },
);

const identityStatement: fc.Arbitrary<Statement> = fc
  .record({ effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Deny'), a: actionPart, r: resourcePart, conditions: fc.oneof(fc.constant([]), conditionsArb) })
  .map(({ effect, a, r, conditions }) => ({ effect, ...a, ...r, conditions }));

const principalPart = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ principal: '*' as const }) },
  { weight: 4, arbitrary: some(PRINCIPAL_IDS, 3).map((principal) => ({ principal })) },
  { weight: 1, arbitrary: some(PRINCIPAL_IDS, 2).map((notPrincipal) => ({ notPrincipal })) },
);

const resourceStatement: fc.Arbitrary<Statement> = fc
  .record({ s: identityStatement, p: principalPart })
  .map(({ s, p }) => ({ ...s, ...p }));

const provider: fc.Arbitrary<ProviderSpec> = fc.record({
  account: fc.constantFrom<Acct>(A, B, F),
  pin: fc.constantFrom<Pin>('pinned', 'profile-a', 'profile-b', 'none'),
});

const prov = fc.constantFrom<Prov>('aws', 'b');

export const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    aws: provider,
    b: fc.option(provider, { nil: undefined }),
    storeProvider: prov,
    dbName: fc.constantFrom('huph', 'huph-db', 'hu'),
    principalProviders: fc.record({ writer: prov, other: prov, ops: prov }),
    identityPolicies: fc.array(
      fc.record({
        route: fc.constantFrom<Route>('role-inline', 'role-attached', 'user-inline', 'user-attached', 'group-inline', 'group-attached'),
        role: fc.constantFrom<'writer' | 'other'>('writer', 'other'),
        asDocument: fc.boolean(),
        statements: fc.array(identityStatement, { minLength: 1, maxLength: 3 }),
      }),
      { maxLength: 4 },
    ),
    bucketPolicy: fc.option(fc.record({ asDocument: fc.boolean(), statements: fc.array(resourceStatement, { minLength: 1, maxLength: 4 }) }), { nil: undefined }),
  })
  .map(({ aws, b, storeProvider, principalProviders, ...rest }) => {
    // One named profile is one set of credentials: the same profile is the same account.
    const bFixed = b && b.pin === aws.pin && b.pin.startsWith('profile') ? { ...b, account: aws.account } : b;
    const onB = (p: Prov): Prov => (bFixed ? p : 'aws');
    return {
      providers: { aws, ...(bFixed ? { b: bFixed } : {}) },
      storeProvider: onB(storeProvider),
      principalProviders: { writer: onB(principalProviders.writer), other: onB(principalProviders.other), ops: onB(principalProviders.ops) },
      ...rest,
    };
  });
