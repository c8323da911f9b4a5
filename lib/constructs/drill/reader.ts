import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { DRILL_READER_BUCKET_ACTIONS, DRILL_READER_KMS_ACTIONS, DRILL_READER_OBJECT_ACTIONS } from '../../policy/perms';
import { type CustodyBucket, type CustodyRoleTrust } from '../buckets/custody-bucket';
import type { DatabaseBackupBucket } from '../buckets/database-backup-bucket';
import { hasBrand } from '../../synth/identity';
import type { MasterKey } from '../key/master-key';
import { custodyTags } from './names';
import type { ParsedDrillProps } from './props';
import { dataAwsCallerIdentity } from '../lazy-providers';

/** The identity policy of a read-only reader of one bucket. */
function readerPolicy(bucket: CustodyBucket): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ReadBackups', Effect: 'Allow', Action: [...DRILL_READER_OBJECT_ACTIONS], Resource: `${bucket.bucketArn}/*` },
      { Sid: 'ListBackups', Effect: 'Allow', Action: [...DRILL_READER_BUCKET_ACTIONS], Resource: bucket.bucketArn },
      { Sid: 'DecryptWithBucketKey', Effect: 'Allow', Action: [...DRILL_READER_KMS_ACTIONS], Resource: bucket.kmsKey.arn },
    ],
  });
}

/**
 * One read-only drill principal of one bucket, in that bucket's stack and account: it may
 * read and list backups and decrypt them with the bucket's key, nothing else, and the
 * bucket's deny-all-but policy lets it in through `grantRead`.
 */
export class DrillReader extends Construct {
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: { bucket: CustodyBucket; key: MasterKey; what: 'key' | 'db'; namePrefix: string; trust?: CustodyRoleTrust }) {
    super(scope, id);
    const b = props.bucket;
    const provider = b.bucket.provider;
    let principals = props.trust?.principals.map((x) => (/^\d{12}$/.test(x) ? `arn:aws:iam::${x}:root` : x));
    if (!principals) {
      const caller = new (dataAwsCallerIdentity())(this, 'Account', { provider });
      principals = [`arn:aws:iam::${caller.accountId}:root`];
    }
    const statement: Record<string, unknown> = { Sid: 'AssumeForDrill', Effect: 'Allow', Principal: { AWS: principals }, Action: 'sts:AssumeRole' };
    if (props.trust?.externalId) statement.Condition = { StringEquals: { 'sts:ExternalId': props.trust.externalId } };
    this.role = new IamRole(this, 'Role', {
      provider,
      namePrefix: `${props.namePrefix}-${props.what}-rd-`.slice(0, 38),
      description: `Recovery drill of key ${props.key.keyId}: reads ${b.role} backups of this bucket only (read-only)`,
      assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
      maxSessionDuration: 3600,
      tags: { ...custodyTags(props.key), 'custody:access': 'drill-read', 'custody:reads': b.role },
    });
    new IamRolePolicy(this, 'Policy', { provider, role: this.role.id, name: 'custody-drill-read', policy: readerPolicy(b) });
    b.grantRead(this.role.arn);
  }
}

/** The drill's two read-only principals, and the stack outputs that name the created roles. */
export interface DrillReaders {
  readonly keyReader: DrillReader;
  readonly dbReader?: DrillReader;
  /** ARN of the DB-restore job's principal: the created role's, or `dbReaderArn`. */
  readonly dbReaderArn: string;
  /** `<stack> output <name>` of the key reader's ARN, for the runbook. */
  readonly keyReaderOutput: string;
  /** `<stack> output <name>` of the DB reader's ARN, when one was created. */
  readonly dbReaderOutput?: string;
}

/**
 * One read-only reader per bucket, each in its bucket's stack (or the given reader scope),
 * with ids `<stem>DrillKeyReader` / `<stem>DrillDbReader`; none for the DB bucket when
 * `dbReaderArn` names an existing principal, which the bucket's policy then lets read.
 */
export function createDrillReaders(p: ParsedDrillProps, prefix: string, stem: string, drillId: string): DrillReaders {
  const key = p.masterKey;
  // ----- credentials: one read-only reader per bucket, each in its bucket's stack -------
  const keyReader = new DrillReader(p.keyReaderScope ?? TerraformStack.of(p.keyBucket), `${stem}DrillKeyReader`, {
    bucket: p.keyBucket,
    key,
    what: 'key',
    namePrefix: prefix,
    trust: p.keyReaderTrust,
  });
  const dbBucket = p.dbBucket;
  let dbReader: DrillReader | undefined;
  if (p.dbReaderArn === undefined && hasBrand<DatabaseBackupBucket>(dbBucket, 'DatabaseBackupBucket')) {
    dbReader = new DrillReader(p.dbReaderScope ?? TerraformStack.of(dbBucket), `${stem}DrillDbReader`, {
      bucket: dbBucket,
      key,
      what: 'db',
      namePrefix: prefix,
      trust: p.dbReaderTrust,
    });
  }
  const dbReaderArn = dbReader?.role.arn ?? (p.dbReaderArn as string);
  // A named reader of a managed bucket still has to pass its deny-all-but policy.
  if (!dbReader && hasBrand<DatabaseBackupBucket>(dbBucket, 'DatabaseBackupBucket')) dbBucket.grantRead(dbReaderArn);
  new TerraformOutput(TerraformStack.of(keyReader), `${stem}_drill_key_reader_arn`, {
    value: keyReader.role.arn,
    description: `Role the key-restore profile on the scratch host assumes (drill "${drillId}" of key ${key.keyId})`,
  });
  if (dbReader) {
    new TerraformOutput(TerraformStack.of(dbReader), `${stem}_drill_db_reader_arn`, {
      value: dbReader.role.arn,
      description: `Role the DB-restore profile on the scratch host assumes (drill "${drillId}" of key ${key.keyId})`,
    });
  }
  return {
    keyReader,
    dbReader,
    dbReaderArn,
    keyReaderOutput: `${TerraformStack.of(keyReader).node.id} output ${stem}_drill_key_reader_arn`,
    dbReaderOutput: dbReader ? `${TerraformStack.of(dbReader).node.id} output ${stem}_drill_db_reader_arn` : undefined,
  };
}
