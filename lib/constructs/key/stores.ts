import type { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import type { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import type { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { Fn, Lazy, Token } from 'cdktf';
import { HOT_COPY_KMS_READ_ACTIONS, HOT_COPY_KMS_WRITE_ACTIONS, KMS_ADMIN_ACTIONS, SECRET_READ_ACTIONS, SECRET_VALUE_ACTION } from '../../policy/perms';
import type { EphemeralKeyInput } from './ephemeral-key-input';
import type { SecretsManagerHotCopy, SsmHotCopy } from './hot-copy';
import type { MasterKey } from './master-key';
import { dataAwsRegion, secretsmanagerSecret, secretsmanagerSecretPolicy, secretsmanagerSecretVersion, ssmParameter } from '../lazy-providers';

// The cloud stores of a MasterKey's hot copy: a Secrets Manager secret or an SSM parameter,
// each with a KMS key of its own. Plain functions, not constructs: every resource is created
// in the MasterKey's scope with the id it always had, so addresses do not move. `readers` is
// the key's own list, which the policies read at synth, after every `grantRead`.

/** A cdktf token (e.g. `role.arn`). Raw `${...}` strings are not: cdktf escapes them inside functions. */
function isExpression(v: string): boolean {
  return Token.isUnresolved(v);
}

/**
 * A policy document as Terraform JSON. Literal principals give plain JSON, which reviewers
 * read as it is; principals that are references need `jsonencode`, because a JSON string
 * cannot carry the quotes of an HCL expression such as `split(":", ...)`.
 */
function policyDocument(produce: () => { Statement: { Principal: unknown }[] }): string {
  return Lazy.stringValue({
    produce: () => {
      const doc = produce();
      const principals = doc.Statement.flatMap((s) => {
        const p = s.Principal as { AWS?: string[] } | string;
        return typeof p === 'string' ? [] : p.AWS ?? [];
      });
      return principals.some(isExpression) ? Fn.jsonencode(doc) : JSON.stringify(doc);
    },
  });
}

/** Account root of a principal ARN, as a literal when known or a Terraform expression. */
function accountRootOf(arn: string): string {
  if (!isExpression(arn)) {
    const parts = arn.split(':');
    return `arn:${parts[1]}:iam::${parts[4]}:root`;
  }
  const parts = Fn.split(':', arn);
  return `arn:${Fn.element(parts, 1)}:iam::${Fn.element(parts, 4)}:root`;
}

function keyPolicy(readers: readonly string[], region: DataAwsRegion, service: 'secretsmanager' | 'ssm', admins: readonly string[] | undefined): string {
  const adminsOf = () => (admins && admins.length > 0 ? [...admins] : [accountRootOf(readers[0])]);
  return policyDocument(() => ({
    Version: '2012-10-17',
    Statement: [
      // Administration without any crypto operation: whoever manages the key cannot read the master key.
      { Sid: 'KeyAdministration', Effect: 'Allow', Principal: { AWS: adminsOf() }, Action: KMS_ADMIN_ACTIONS, Resource: '*' },
      {
        Sid: 'WriteThroughStore',
        Effect: 'Allow',
        Principal: { AWS: adminsOf() },
        Action: [...HOT_COPY_KMS_WRITE_ACTIONS],
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': `${service}.${region.name}.amazonaws.com` } },
      },
      {
        Sid: 'ReadersDecryptThroughStore',
        Effect: 'Allow',
        Principal: { AWS: [...readers] },
        Action: [...HOT_COPY_KMS_READ_ACTIONS],
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': `${service}.${region.name}.amazonaws.com` } },
      },
    ],
  }));
}

function buildKms(key: MasterKey, readers: readonly string[], hot: SecretsManagerHotCopy | SsmHotCopy, service: 'secretsmanager' | 'ssm'): KmsKey {
  const region = new (dataAwsRegion())(key, 'Region', { provider: hot.provider });
  return new KmsKey(key, 'KmsKey', {
    provider: hot.provider,
    description: `${key.keyId}: encrypts the ${key.app} master key hot copy (${service}) and nothing else`,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: keyPolicy(readers, region, service, hot.keyAdmins),
    tags: key.tags,
  });
}

/** The secret, its resource policy and KMS key, and the write-only value when one is given. */
export function buildSecret(key: MasterKey, readers: readonly string[], hot: SecretsManagerHotCopy): {
  kmsKey: KmsKey;
  secret: SecretsmanagerSecret;
  version?: SecretsmanagerSecretVersion;
  storeName?: string;
} {
  const kmsKey = buildKms(key, readers, hot, 'secretsmanager');
  const secret = new (secretsmanagerSecret())(key, 'Secret', {
    provider: hot.provider,
    name: hot.name,
    namePrefix: hot.name ? undefined : `${key.keyId}-`,
    description: `${key.app} master key (${key.keyId}, generation ${key.generation}); hot copy`,
    kmsKeyId: kmsKey.arn,
    recoveryWindowInDays: hot.recoveryWindowInDays ?? 30,
    tags: key.tags,
  });
  new (secretsmanagerSecretPolicy())(key, 'Policy', {
    provider: hot.provider,
    secretArn: secret.arn,
    blockPublicPolicy: true,
    policy: policyDocument(() => ({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadersOnly',
          Effect: 'Allow',
          Principal: { AWS: [...readers] },
          Action: [...SECRET_READ_ACTIONS],
          Resource: '*',
        },
        {
          // An explicit deny beats any identity policy in the account (AdministratorAccess included).
          Sid: 'DenyEveryoneElse',
          Effect: 'Deny',
          Principal: '*',
          Action: SECRET_VALUE_ACTION,
          Resource: '*',
          Condition: { ArnNotLike: { 'aws:PrincipalArn': [...readers] } },
        },
      ],
    })),
  });
  const version = hot.value
    ? new (secretsmanagerSecretVersion())(key, 'Value', {
        provider: hot.provider,
        secretId: secret.id,
        secretStringWo: hot.value.value,
        secretStringWoVersion: hot.valueVersion ?? key.generation,
      })
    : undefined;
  return { kmsKey, secret, version, storeName: hot.name };
}

/**
 * What an SSM parameter holds until `key-custody keygen --hot-parameter` writes the key: AWS
 * has no parameter without a value. It is written once, through `value_wo` (never stored in
 * state), at a version that never changes, so Terraform never writes it over the key.
 */
export const SSM_PLACEHOLDER = 'unset: write the key with key-custody keygen --hot-parameter';

/**
 * The SecureString parameter and its KMS key; its value is written through `value_wo`: the
 * EphemeralKeyInput's, or the placeholder when the key is written out of band by keygen.
 */
export function buildParameter(key: MasterKey, readers: readonly string[], hot: SsmHotCopy): { kmsKey: KmsKey; parameter: SsmParameter; storeName: string } {
  const kmsKey = buildKms(key, readers, hot, 'ssm');
  const value: EphemeralKeyInput | undefined = hot.value;
  const parameter = new (ssmParameter())(key, 'Parameter', {
    provider: hot.provider,
    name: hot.name,
    type: 'SecureString',
    tier: hot.tier ?? 'Standard',
    keyId: kmsKey.arn,
    description: `${key.app} master key (${key.keyId}, generation ${key.generation}); hot copy`,
    valueWo: value ? value.value : SSM_PLACEHOLDER,
    valueWoVersion: value ? (hot.valueVersion ?? key.generation) : 1,
    tags: key.tags,
  });
  return { kmsKey, parameter, storeName: hot.name };
}
