/**
 * A hand-built custody model for the renderer tests: the renderers are pure functions of
 * (model, CheckResult), so they are tested without the model builder.
 */
import type { CheckResult } from '../../lib/rules/engine';
import type { CustodyModel, Finding, Grant, KeyCopy, Manifest, Principal, Store, StoreSettings, TfResource } from '../../lib/model/types';
import { withViews } from '../../lib/model/views';

export const SECRET = 'SUPER-SECRET-MASTER-KEY-0123456789';

const id = (stack: string, address: string) => `${stack}\u0000${address}`;

function resource(stack: string, type: string, name: string, values: Record<string, unknown> = {}): TfResource {
  return { stack, mode: 'managed', type, name, address: `${type}.${name}`, module: '', values, provider: 'aws' };
}

const hardened: StoreSettings = {
  versioning: true,
  objectLock: { enabled: true, mode: 'COMPLIANCE', days: 400 },
  publicAccessBlock: true,
  tlsOnly: true,
  sseKms: true,
  kmsKey: id('keys', 'aws_kms_key.kb'),
  ownerEnforced: true,
  denyDeleteToWriters: true,
  companions: {},
};

function store(stack: string, name: string, role: Store['role'], settings: Partial<StoreSettings> = {}, keyId?: string): Store {
  const r = resource(stack, 'aws_s3_bucket', name, { bucket: `acme-${name}`, tags: { 'custody:role': role } });
  return {
    id: id(stack, r.address),
    stack,
    address: r.address,
    kind: 's3',
    role,
    key: keyId,
    app: keyId ? 'zitadel' : undefined,
    name: `acme-${name}`,
    adopted: false,
    account: `acct-${stack}`,
    settings: { ...hardened, ...settings },
    resource: r,
  };
}

function principal(stack: string, type: 'aws_iam_user' | 'aws_iam_role', name: string): Principal {
  return {
    id: id(stack, `${type}.${name}`),
    stack,
    address: `${type}.${name}`,
    kind: type === 'aws_iam_user' ? 'user' : 'role',
    name,
    account: `acct-${stack}`,
    tags: {},
  };
}

export function fakeModel(): CustodyModel {
  // The hot copy is a Secrets Manager secret written with a plain (forbidden) secret_string:
  // the renderers must never print it.
  const secretRes = resource('keys', 'aws_secretsmanager_secret_version', 'hot', { secret_string: SECRET });
  const stores: Store[] = [
    store('keys', 'key_backup', 'key-backup', {}, 'zitadel'),
    { ...store('keys', 'hot', 'key-store', { versioning: undefined, objectLock: undefined }, 'zitadel'), kind: 'secretsmanager', name: 'zitadel|master' },
    store('db', 'db_backup', 'db-backup', { objectLock: { enabled: false }, currentExpirationDays: 35 }),
  ];
  const principals: Principal[] = [
    principal('keys', 'aws_iam_role', 'key_writer'),
    principal('db', 'aws_iam_user', 'ops'),
    principal('db', 'aws_iam_role', 'db_writer'),
    principal('db', 'aws_iam_user', 'idle'),
    { id: 'arn:aws:iam::999999999999:root', stack: 'db', address: 'arn:aws:iam::999999999999:root', kind: 'external', account: '999999999999', tags: {} },
  ];
  const grants: Grant[] = [
    { principal: id('db', 'aws_iam_user.ops'), store: id('db', 'aws_s3_bucket.db_backup'), access: 'read', via: 'policy ops-admin' },
    { principal: id('db', 'aws_iam_user.ops'), store: id('keys', 'aws_s3_bucket.key_backup'), access: 'read', via: 'group ops → AdministratorAccess' },
    { principal: id('db', 'aws_iam_user.ops'), store: id('keys', 'aws_s3_bucket.key_backup'), access: 'decrypt', via: 'group ops → AdministratorAccess' },
    { principal: id('db', 'aws_iam_user.ops'), store: id('keys', 'aws_s3_bucket.key_backup'), access: 'admin', via: 'group ops → AdministratorAccess' },
    { principal: id('db', 'aws_iam_role.db_writer'), store: id('db', 'aws_s3_bucket.db_backup'), access: 'write', via: 'policy db-writer' },
    { principal: id('keys', 'aws_iam_role.key_writer'), store: id('keys', 'aws_s3_bucket.key_backup'), access: 'write', via: 'policy key-writer' },
    { principal: id('keys', 'aws_iam_role.key_writer'), store: id('keys', 'aws_s3_bucket.key_backup'), access: 'delete', via: 'policy key-writer' },
  ];
  const manifest: Manifest = {
    stack: 'keys',
    address: 'terraform_data.custody_manifest',
    keys: [
      {
        id: 'zitadel',
        app: 'zitadel',
        hostPath: '/etc/zitadel/masterkey',
        fingerprint: 'sha256:abc',
        copies: [
          { kind: 'cold', medium: 'nas', location: 'nas01:/vault/zitadel.age', offsite: false, custodian: 'ops' },
          { kind: 'paper', medium: 'paper', location: 'safe | office', offsite: true, custodian: 'cfo' },
        ],
      },
      { id: 'servos', app: 'servos', copies: [{ kind: 'hot', medium: 'host-file', location: '/etc/servos/key', offsite: false }] },
    ],
    drills: [{ id: 'zitadel-quarterly', key: 'zitadel', schedule: 'cron(0 10 ? 1,4,7,10 MON#1 *)', timezone: 'Europe/Berlin', intervalDays: 92, restoreAgeDays: 7, keySource: 'keys/aws_s3_bucket.key_backup', alarm: true, log: true }],
    suppressions: [{ id: 'KT002', reason: 'rotation is handled by the HSM team', owner: 'sec', expires: '2099-01-01', scope: '' }],
    adoptedStores: [],
  };
  const copies: KeyCopy[] = [
    { key: 'zitadel', kind: 'backup', medium: 's3', location: 'acme-key_backup', offsite: true, store: stores[0].id, stack: 'keys', address: stores[0].address },
    { key: 'zitadel', kind: 'hot', medium: 'secretsmanager', location: 'zitadel|master', offsite: false, store: stores[1].id, stack: 'keys', address: stores[1].address },
    ...manifest.keys.flatMap((k) => k.copies.map((c): KeyCopy => ({ key: k.id, kind: c.kind, medium: c.medium, location: c.location, offsite: c.offsite, custodian: c.custodian, stack: 'keys', address: manifest.address }))),
  ];
  const resources = [...stores.map((s) => s.resource), secretRes];
  const storeIndex = new Map(stores.map((s) => [s.id, s]));
  const principalIndex = new Map(principals.map((p) => [p.id, p]));
  return withViews({
    documents: [
      { stack: 'keys', source: 'keys', resources: resources.filter((r) => r.stack === 'keys'), providers: [], outputs: {} },
      { stack: 'db', source: 'db', resources: resources.filter((r) => r.stack === 'db'), providers: [], outputs: {} },
    ],
    resources,
    stores,
    kmsKeys: [],
    principals,
    grants,
    blockedGrants: [],
    unseenGrants: [],
    keyUses: [],
    containers: [],
    manifests: [manifest],
    copies,
    providers: [],
    unknowns: [{ stack: 'db', address: 'aws_s3_bucket.db_backup', what: 'lifecycle rule uses a variable' }],
    multiStack: true,
    storeById: (s) => storeIndex.get(s),
    principalById: (p) => principalIndex.get(p),
    resource: (stack, address) => resources.find((r) => r.stack === stack && r.address === address),
    referencesOf: () => [],
  });
}

function finding(f: Partial<Finding> & Pick<Finding, 'ruleId' | 'stack' | 'address'>): Finding {
  return { severity: 'error', message: 'm', fix: 'f', suppressed: false, ...f };
}

export function fakeResult(): CheckResult {
  return {
    findings: [
      finding({ ruleId: 'KC011', stack: 'db', address: 'db/aws_iam_user.ops', message: 'ops can read DB backups and key backups | both', fix: 'split the credentials' }),
      finding({ ruleId: 'KC020', stack: 'keys', address: 'keys/terraform_data.custody_manifest', message: 'servos has 1 copy', fix: 'declare 3 copies' }),
      finding({ ruleId: 'KT002', severity: 'warning', stack: 'keys', address: 'keys/aws_kms_key.kb', message: 'rotation off', fix: 'enable rotation', suppressed: true, reason: 'rotation is handled by the HSM team' }),
      finding({ ruleId: 'KC024', severity: 'warning', stack: 'db', address: 'db/aws_kms_key.db', message: 'rotation off', fix: 'enable rotation' }),
    ],
    suppressions: [
      { id: 'KT002', reason: 'rotation is handled by the HSM team', owner: 'sec', expires: '2099-01-01', scope: '', stack: 'keys', manifest: 'terraform_data.custody_manifest', used: 1, valid: true },
    ],
  };
}
