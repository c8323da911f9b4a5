/**
 * Provider resource classes that only some apps use, loaded on first use. A generated provider
 * module takes milliseconds to load, and whatever the library loads is paid by every
 * `cdktf synth` of every app (bench B1 and B2), most of which never create a Secrets Manager or
 * SSM hot copy, a writer access key, a Swarm service, an adopted bucket or a drill reader.
 * Classes that every custody app creates (buckets, KMS keys, roles, containers) are imported
 * as usual.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loading on first use is the point of this file */
import type * as CallerIdentity from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import type * as IamSessionContext from '@cdktf/provider-aws/lib/data-aws-iam-session-context';
import type * as Region from '@cdktf/provider-aws/lib/data-aws-region';
import type * as S3Bucket from '@cdktf/provider-aws/lib/data-aws-s3-bucket';
import type * as S3Objects from '@cdktf/provider-aws/lib/data-aws-s3-objects';
import type * as AccessKey from '@cdktf/provider-aws/lib/iam-access-key';
import type * as User from '@cdktf/provider-aws/lib/iam-user';
import type * as UserPolicy from '@cdktf/provider-aws/lib/iam-user-policy';
import type * as Secret from '@cdktf/provider-aws/lib/secretsmanager-secret';
import type * as SecretPolicy from '@cdktf/provider-aws/lib/secretsmanager-secret-policy';
import type * as SecretVersion from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import type * as Subscription from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type * as Parameter from '@cdktf/provider-aws/lib/ssm-parameter';
import type * as DockerService from '@cdktf/provider-docker/lib/service';

function once<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}

export const dataAwsCallerIdentity = once(() => (require('@cdktf/provider-aws/lib/data-aws-caller-identity') as typeof CallerIdentity).DataAwsCallerIdentity);
export const dataAwsIamSessionContext = once(() => (require('@cdktf/provider-aws/lib/data-aws-iam-session-context') as typeof IamSessionContext).DataAwsIamSessionContext);
export const dataAwsRegion = once(() => (require('@cdktf/provider-aws/lib/data-aws-region') as typeof Region).DataAwsRegion);
export const dataAwsS3Bucket = once(() => (require('@cdktf/provider-aws/lib/data-aws-s3-bucket') as typeof S3Bucket).DataAwsS3Bucket);
export const dataAwsS3Objects = once(() => (require('@cdktf/provider-aws/lib/data-aws-s3-objects') as typeof S3Objects).DataAwsS3Objects);
export const iamAccessKey = once(() => (require('@cdktf/provider-aws/lib/iam-access-key') as typeof AccessKey).IamAccessKey);
export const iamUser = once(() => (require('@cdktf/provider-aws/lib/iam-user') as typeof User).IamUser);
export const iamUserPolicy = once(() => (require('@cdktf/provider-aws/lib/iam-user-policy') as typeof UserPolicy).IamUserPolicy);
export const secretsmanagerSecret = once(() => (require('@cdktf/provider-aws/lib/secretsmanager-secret') as typeof Secret).SecretsmanagerSecret);
export const secretsmanagerSecretPolicy = once(() => (require('@cdktf/provider-aws/lib/secretsmanager-secret-policy') as typeof SecretPolicy).SecretsmanagerSecretPolicy);
export const secretsmanagerSecretVersion = once(() => (require('@cdktf/provider-aws/lib/secretsmanager-secret-version') as typeof SecretVersion).SecretsmanagerSecretVersion);
export const snsTopicSubscription = once(() => (require('@cdktf/provider-aws/lib/sns-topic-subscription') as typeof Subscription).SnsTopicSubscription);
export const ssmParameter = once(() => (require('@cdktf/provider-aws/lib/ssm-parameter') as typeof Parameter).SsmParameter);
export const dockerService = once(() => (require('@cdktf/provider-docker/lib/service') as typeof DockerService).Service);
