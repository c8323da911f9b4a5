/**
 * Issue 19: MasterKeyCustody never makes one stack read another's Terraform state. With the
 * accounts pinned, the buckets get stable literal names and the drill is given them; without,
 * the drill gets a variable of its own stack. Either way no stack has a terraform_remote_state
 * and KC015 (run by the synth-time check with every rule) finds nothing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App, S3Backend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { MasterKeyCustody } from '../../lib/constructs/master-key-custody';
import { ALL_RULES } from '../../lib/rules';
import { KeyCustody } from '../../lib/synth/custody-check';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The five-stack layout of the examples, each stack with its own S3 state; accounts pinned or not. */
function synth(pinned: boolean): { outdir: string; custody: MasterKeyCustody } {
  const outdir = mkdtempSync(join(tmpdir(), 'kc-mkc-state-'));
  dirs.push(outdir);
  const app = new App({ outdir });
  KeyCustody.enable(app, { rules: ALL_RULES, reports: false });
  const stack = (name: string) => {
    const s = new TerraformStack(app, name);
    new S3Backend(s, { bucket: `tfstate-${name}`, key: `${name}/terraform.tfstate`, region: 'eu-central-1', encrypt: true });
    return s;
  };
  const [host, keys, db, drill, drillAws] = ['host', 'keys', 'db', 'drill', 'drill-aws'].map(stack);
  const account = (id: string) => (pinned ? { allowedAccountIds: [id] } : {});
  new AwsProvider(keys, 'aws', { region: 'eu-central-1', ...account('111111111111') });
  new AwsProvider(db, 'aws', { region: 'eu-central-1', ...account('222222222222') });
  new AwsProvider(drillAws, 'aws', { region: 'eu-central-1', ...account('333333333333') });
  const prod = new DockerProvider(host, 'docker', { host: 'ssh://deploy@prod.example.com' });
  const scratch = new DockerProvider(drill, 'scratch', { alias: 'scratch', host: 'ssh://deploy@scratch.example.com' });
  const custody = new MasterKeyCustody(app, 'Zitadel', {
    keyId: 'zitadel-prod',
    profile: 'zitadel',
    hotCopy: { kind: 'host-file', path: '/etc/zitadel/masterkey' },
    copies: [
      { kind: 'cold', medium: 'nas', location: '/mnt/nas/zitadel/masterkey.age' },
      { kind: 'paper', medium: 'paper', location: 'office safe', offsite: true },
    ],
    appStack: host,
    appProvider: prod,
    keyCustodyStack: keys,
    dbBackupStack: db,
    drillStack: drill,
    drillProvider: scratch,
    drillAwsStack: drillAws,
    keyBucketProps: { admins: ['arn:aws:iam::111111111111:role/key-custody-deployer'] },
    dbBucketProps: { admins: ['arn:aws:iam::222222222222:role/db-backups-deployer'] },
  });
  app.synth();
  return { outdir, custody };
}

const stackJson = (outdir: string, s: string) => readFileSync(join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8');

describe('MasterKeyCustody and Terraform state across custody lines', () => {
  it('with pinned accounts: stable bucket names, given to the drill as literals; no remote state anywhere', () => {
    const { outdir } = synth(true);
    for (const s of readdirSync(join(outdir, 'stacks'))) expect(stackJson(outdir, s), s).not.toContain('terraform_remote_state');
    expect(stackJson(outdir, 'keys')).toContain('"bucket": "zitadel-prod-keys-111111111111"');
    expect(stackJson(outdir, 'db')).toContain('"bucket": "zitadel-prod-db-222222222222"');
    const drill = stackJson(outdir, 'drill');
    expect(drill).toContain('BUCKET=zitadel-prod-keys-111111111111');
    expect(drill).toContain('BUCKET=zitadel-prod-db-222222222222');
    expect(drill).toContain('AWS_REGION=eu-central-1');
  });

  it('without pinned accounts: generated names reach the drill as variables of its own stack, not through state', () => {
    const { outdir } = synth(false);
    for (const s of readdirSync(join(outdir, 'stacks'))) expect(stackJson(outdir, s), s).not.toContain('terraform_remote_state');
    expect(stackJson(outdir, 'keys')).toContain('"bucket_prefix": "zitadel-prod-keys-"');
    const drill = JSON.parse(stackJson(outdir, 'drill')) as { variable: Record<string, unknown> };
    // Plus who runs the drill and the topic it pages on (#21): configuration, not state either.
    expect(Object.keys(drill.variable).sort()).toEqual(['zitadel_prod_drill_db_backup_bucket', 'zitadel_prod_drill_key_backup_bucket', 'zitadel_prod_drill_operator', 'zitadel_prod_drill_topic_arn']);
    expect(stackJson(outdir, 'drill')).toContain('BUCKET=${var.zitadel_prod_drill_key_backup_bucket}');
  });
});
