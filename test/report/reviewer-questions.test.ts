/**
 * Issue 22: the report answers a reviewer's questions, read from the examples' real reports.
 * Who can touch which store (admins, deployers named by ARN, unreached principals by name,
 * the containers that mount the key), whether 3-2-1 holds (copy rows that agree with the
 * count, hardening cells of Secrets Manager and SSM), and when the last drill passed and the
 * next one runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { beforeAll, describe, expect, it } from 'vitest';
import { MasterKey } from '../../lib/constructs/key/master-key';
import { loadTerraformJson } from '../../lib/model/load/cdktf-json';
import { buildModel } from '../../lib/model/build';
import { isOffsite } from '../../lib/model/views/copies';
import { accessCell, type ReportData } from '../../lib/report/data';
import { renderMarkdown } from '../../lib/report/markdown';
import { forStack, summarizeModel } from '../../lib/report/summarize';
import { renderTextReport } from '../../lib/report/text-report';
import { ALL_RULES } from '../../lib/rules';
import { runRules } from '../../lib/rules/engine';
import { newApp } from '../constructs/key-test-utils';
import { drillWorlds } from '../constructs/drill/worlds';
import { doc, manifest, model, zitadelKey } from '../rules/kc0xx-fixtures';
import { EXAMPLES, NOW, exampleReport, tempDir, type ExampleReport } from './example-reports';

const tmp = tempDir();
const reports = new Map<string, ExampleReport>();
beforeAll(async () => {
  for (const name of EXAMPLES) reports.set(name, await exampleReport(name, tmp));
}, 120_000);
const report = (name: string): ExampleReport => {
  const r = reports.get(name);
  if (!r) throw new Error(`no example ${name}`);
  return r;
};

/** The markdown table rows of a section (between its heading and the next `## `). */
function section(md: string, heading: string): string {
  const start = md.indexOf(`\n## ${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const end = md.indexOf('\n## ', start + 1);
  return md.slice(start, end < 0 ? undefined : end);
}

describe('who can touch which store', () => {
  it('lists the KMS key administrators and the deployers the bucket policies exempt, with `a` in their cells', () => {
    const { data } = report('zitadel-single-host');
    const keyBucket = data.stores.find((s) => s.role === 'key-backup')!.ref;
    const dbBucket = data.stores.find((s) => s.role === 'db-backup')!.ref;
    const deployer = data.access.rows.find((r) => r.principal === 'arn:aws:iam::111111111111:role/key-custody-deployer');
    const dbDeployer = data.access.rows.find((r) => r.principal === 'arn:aws:iam::222222222222:role/db-backups-deployer');
    expect(deployer).toMatchObject({ kind: 'external', account: 'acct:111111111111' });
    expect(deployer!.cells[keyBucket]).toContain('a');
    expect(deployer!.cells[dbBucket]).toBeUndefined();
    expect(dbDeployer!.cells[dbBucket]).toContain('a');
    // Key administration comes from the key policy itself, not from the exemption.
    expect(data.grants).toContainEqual(
      expect.objectContaining({ principal: deployer!.principal, store: keyBucket, access: 'admin', basis: 'key-admin', via: expect.stringContaining('statement KeyAdministrators') }),
    );
    // What the deployer's own (unseen) policies allow is marked: exempt, not proven.
    expect(data.grants).toContainEqual(expect.objectContaining({ principal: deployer!.principal, store: keyBucket, access: 'read', basis: 'exempt' }));
    expect(accessCell(deployer!, keyBucket)).toBe('rwda*');
    const md = renderMarkdown(data);
    expect(md).toContain('| `arn:aws:iam::111111111111:role/key-custody-deployer` | external |  |  | rwda* |');
    expect(md).toContain('`*`: the store\'s policy exempts the principal from its deny');
  });

  it('the legend\'s `a` appears in a matrix cell wherever an admin exists, in every example', () => {
    for (const name of EXAMPLES) {
      const { data } = report(name);
      const admins = data.grants.filter((g) => g.access === 'admin' && g.basis !== 'blocked');
      expect(admins.length, name).toBeGreaterThan(0);
      for (const g of admins) expect(data.access.rows.find((r) => r.principal === g.principal)?.cells[g.store], `${name}: ${g.principal}`).toContain('a');
    }
  });

  it('names the principals that reach no custody store', () => {
    const { data } = report('zitadel-single-host');
    expect(data.access.unreached).toEqual([
      'drill-schedule/aws_iam_role.DrillAws_HeartbeatRole_E8EDCA6A',
      'drill-schedule/aws_iam_role.DrillAws_ReminderRole_AB041B74',
    ]);
    expect(data.access.omittedPrincipals).toBe(2);
    const md = renderMarkdown(data);
    expect(md).toContain(
      '2 principals reach no custody store: `drill-schedule/aws_iam_role.DrillAws_HeartbeatRole_E8EDCA6A`, `drill-schedule/aws_iam_role.DrillAws_ReminderRole_AB041B74`.',
    );
    expect(md).not.toContain('not shown');
  });

  it('the app host\'s per-stack report shows its key and the containers that mount it', () => {
    for (const [name, stack, mount] of [
      ['zitadel-single-host', 'zitadel-host', '/etc/zitadel/masterkey -> /run/secrets/masterkey (read-only)'],
      ['servos-compose', 'servos-host', '/etc/servos/master_key -> /run/secrets/servos_master_key (read-only)'],
    ] as const) {
      const r = report(name);
      const one = forStack(r.data, stack);
      expect(one.summary.keys, name).toBe(1);
      expect(one.containers.filter((c) => !c.drill).map((c) => c.mount)).toContain(mount);
      // The file the synth wrote says so too.
      const md = readFileSync(join(r.outdir, 'stacks', stack, 'custody-report.md'), 'utf8');
      expect(md).toContain('1 key, 0 stores, 0 drills, 2 containers with a key.');
      expect(section(md, 'Containers with a key')).toContain(`| app | \`${mount}\` |`);
    }
  });
});

describe('does 3-2-1 hold', () => {
  it('the copy rows counted are exactly the copies the summary counts, in every example', () => {
    for (const name of EXAMPLES) {
      for (const k of report(name).data.keys) {
        const counted = k.copies.filter((c) => c.counted);
        expect(counted.length, `${name} ${k.id}`).toBe(k.threeTwoOne.copies);
        expect(new Set(counted.map((c) => c.medium)).size, `${name} ${k.id}`).toBe(k.threeTwoOne.media);
        expect(counted.filter(isOffsite).length, `${name} ${k.id}`).toBe(k.threeTwoOne.offsite);
      }
    }
    // The servos hot file (written by the host agent from the secret) is counted, so it is listed.
    const servos = report('servos-compose').data.keys[0];
    expect(servos.copies.map((c) => `${c.kind} ${c.medium}`)).toEqual(['backup s3', 'hot secretsmanager', 'cold nas', 'hot host-file', 'paper paper']);
    expect(servos.threeTwoOne.copies).toBe(5);
  });

  it('a copy declared twice at one place is listed twice and counted once, and the report says so', () => {
    const m = model([
      'app',
      doc(
        manifest([
          zitadelKey({
            copies: [
              { kind: 'cold', medium: 'nas', location: 'nas01:/vault/k.age', offsite: false },
              { kind: 'cold', medium: 'nas', location: 'nas01:/vault/k.age/', offsite: false, custodian: 'ops' },
              { kind: 'paper', medium: 'paper', location: 'safe', offsite: true },
            ],
          } as never),
        ]),
      ),
    ]);
    const data = summarizeModel(m, runRules(m, ALL_RULES, { today: '2026-11-02' }), { now: NOW });
    const k = data.keys[0];
    expect(k.copies.map((c) => [c.kind, c.location, c.counted])).toEqual([
      ['cold', 'nas01:/vault/k.age', true],
      ['cold', 'nas01:/vault/k.age/', false],
      ['hot', '/etc/zitadel/masterkey', true],
      ['paper', 'safe', true],
    ]);
    expect(k.threeTwoOne.copies).toBe(3);
    const md = renderMarkdown(data);
    expect(md).toContain('| (not counted) |');
    expect(md).toContain('3 copies count for 3-2-1; the row marked "(not counted)" belongs to another generation or repeats a place already counted.');
  });

  it('a Secrets Manager hot copy shows its own KMS key and no `?` in its hardening cells', () => {
    const { data } = report('servos-compose');
    const secret = data.stores.find((s) => s.kind === 'secretsmanager')!;
    expect(secret.hardening).toMatchObject({ sseKms: true, kmsKey: 'servos-secret/aws_kms_key.Servos_MasterKey_KmsKey_E0DE3B9D', publicAccessBlock: true, versioning: true, tlsOnly: true });
    const row = section(renderMarkdown(data), 'Stores')
      .split('\n')
      .find((l) => l.startsWith('| key-store | secretsmanager'))!;
    expect(row).toBe(
      '| key-store | secretsmanager | `servos/prod/master-key` | `servos-secret` | `aws_secretsmanager_secret.Servos_MasterKey_Secret_0DFD5097` | `servos-prod` | built in | n/a | yes | built in | yes | `servos-secret/aws_kms_key.Servos_MasterKey_KmsKey_E0DE3B9D` | n/a | never / never | n/a |',
    );
  });

  it('an SSM hot copy shows SSE-KMS with its own key (`key_id`), not "no", and no `?`', () => {
    const b = newApp({ aws: true, docker: false, stack: 'servos-ssm' });
    const host = new IamRole(b.stack, 'ServosHost', {
      name: 'servos-host',
      assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    });
    new MasterKey(b.stack, 'Key', { keyId: 'servos-prod', profile: 'servos', hotCopy: { kind: 'ssm', name: '/servos/master-key', readers: [host.arn] } });
    b.app.synth();
    const json = JSON.parse(readFileSync(join(b.outdir, 'stacks', 'servos-ssm', 'cdk.tf.json'), 'utf8'));
    const m = buildModel([loadTerraformJson('servos-ssm', json)]);
    const data = summarizeModel(m, runRules(m, ALL_RULES, { today: '2026-11-02' }), { now: NOW });
    const ssm = data.stores.find((s) => s.kind === 'ssm')!;
    expect(ssm.hardening.sseKms).toBe(true);
    expect(ssm.hardening.kmsKey).toMatch(/^aws_kms_key\.Key_/);
    const row = section(renderMarkdown(data), 'Stores')
      .split('\n')
      .find((l) => l.startsWith('| key-store | ssm'))!;
    expect(row).not.toMatch(/\| \? \|/);
    expect(row).toContain('| built in | n/a | n/a | built in | yes | `aws_kms_key.Key_');
  });
});

describe('when did the last drill pass, and when is the next', () => {
  const world = drillWorlds();

  it('shows lastPassedOn and computes the next run by the report\'s clock when the drill was given no `now`', () => {
    const w = world({ drill: { lastPassedOn: '2026-10-05', now: undefined } });
    expect(w.synth()).toBeUndefined();
    const m = w.model();
    const data: ReportData = summarizeModel(m, runRules(m, ALL_RULES, { today: '2026-11-02' }), { now: NOW });
    expect(data.drills).toEqual([expect.objectContaining({ id: 'quarterly', lastPassedOn: '2026-10-05', nextRun: '2027-01-04T10:00[Europe/Berlin]' })]);
    const md = renderMarkdown(data);
    expect(section(md, 'Recovery drills')).toContain('| 2026-10-05 | 2027-01-04T10:00[Europe/Berlin] |');
    expect(renderTextReport(data)).toContain('last passed 2026-10-05; next run');
    // Another clock, another next run: the clock is the report's, injectable.
    expect(summarizeModel(m, runRules(m, ALL_RULES, { today: '2026-11-02' }), { now: new Date('2027-02-01T00:00:00Z') }).drills[0].nextRun).toBe('2027-04-05T10:00[Europe/Berlin]');
  });

  it('the examples (no `now`, no recorded pass) show a next run and say no pass is recorded', () => {
    for (const name of EXAMPLES) {
      const { data } = report(name);
      expect(data.drills.length, name).toBeGreaterThan(0);
      for (const d of data.drills) {
        expect(d.nextRun, name).toBe('2027-01-04T10:00[Europe/Berlin]');
        expect(d.lastPassedOn, name).toBeNull();
      }
      expect(section(renderMarkdown(data), 'Recovery drills')).toContain('| none recorded | 2027-01-04T10:00[Europe/Berlin] |');
    }
  });
});
