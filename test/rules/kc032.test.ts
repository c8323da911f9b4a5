import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc032-drill-isolated';
import { runRules } from '../../lib/rules/engine';
import type { Grant, Principal } from '../../lib/model/types';
import { withViews } from '../../lib/model/views';
import { model } from './kc0xx-fixtures';
import { at, doc, findings, labels, readObjects, role, stacks, world, type Json, type World } from './drill-fixtures';

const messages = (w: World) => findings(rule, ...stacks(w)).map((f) => `${f.address}: ${f.message}`);
const drillApp = (w: World) => at(w.drill, 'resource', 'docker_container', 'drill_app');
const drillLabels = labels({ 'custody:role': 'drill', 'custody:key': 'zitadel-master' });

describe('KC032 the drill is isolated', () => {
  it('passes for a scratch host, an internal network, a drill database and split read-only principals', () => {
    expect(findings(rule, ...stacks(world()))).toEqual([]);
  });

  it('fails for a drill container on the production provider configuration', () => {
    const w = world();
    w.app = doc(w.app, { resource: { docker_container: { drill_probe: { name: 'probe', image: 'curlimages/curl', network_mode: 'none', labels: drillLabels } } } });
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'KC032', severity: 'error', address: 'app/docker_container.drill_probe' });
    expect(f[0].message).toBe('is a drill container on provider docker, the same provider configuration as production container(s) docker_container.zitadel (stack app), docker_container.db (stack app)');
    expect(f[0].fix).toContain('docker.scratch');
  });

  it('fails for a drill provider alias pointing at the production host', () => {
    const w = world();
    w.drill.provider = { ...(w.drill.provider as Json), docker: [{ alias: 'scratch', host: 'ssh://deploy@prod.example.com' }] };
    const m = messages(w);
    expect(m).toHaveLength(2);
    expect(m[0]).toContain('whose provider docker.scratch points at docker host ssh://deploy@prod.example.com, the host of production container(s)');
  });

  it('fails for a drill network that is not internal', () => {
    const w = world();
    at(w.drill, 'resource', 'docker_network', 'drill').internal = false;
    const m = messages(w);
    expect(m).toHaveLength(2);
    expect(m).toContain('drill/docker_container.drill_app: is a drill container attached to docker_network.drill (stack drill), which is not internal (internal = false): the drill can reach other networks');
  });

  it('fails for a drill container on the default bridge or the host network', () => {
    const w = world();
    delete drillApp(w).networks_advanced;
    expect(messages(w)).toEqual(['drill/docker_container.drill_app: is a drill container attached to no network of its own, so it runs on the default bridge network, which is not internal']);
    drillApp(w).network_mode = 'bridge';
    expect(messages(w)).toEqual(['drill/docker_container.drill_app: is a drill container with network_mode "bridge", the default bridge network, which is not internal: the drill can reach production']);
    drillApp(w).network_mode = 'host';
    expect(messages(w)).toEqual(['drill/docker_container.drill_app: is a drill container with network_mode "host": it shares the host\'s network and can reach production']);
  });

  it('accepts network_mode bridge next to networks_advanced (the provider then leaves the bridge) and a network named in network_mode', () => {
    const w = world();
    drillApp(w).network_mode = 'bridge';
    expect(messages(w)).toEqual([]);
    delete drillApp(w).networks_advanced;
    drillApp(w).network_mode = 'zitadel-drill';
    expect(messages(w)).toEqual([]);
  });

  it('admits fetch jobs on a non-internal network of their own, and no other drill container there', () => {
    const w = world();
    at(w.drill, 'resource', 'docker_network').fetch = { provider: 'docker.scratch', name: 'zitadel-drill-fetch', internal: false };
    at(w.drill, 'resource', 'docker_container').key_fetch = {
      provider: 'docker.scratch',
      name: 'key-fetch',
      image: 'amazon/aws-cli',
      networks_advanced: [{ name: '${docker_network.fetch.name}' }],
      labels: [...drillLabels, { label: 'custody:component', value: 'key-restore' }],
    };
    expect(messages(w)).toEqual([]);
    // The same network is not internal: the app joining it gets a route out.
    drillApp(w).networks_advanced = [{ name: '${docker_network.drill.name}' }, { name: '${docker_network.fetch.name}' }];
    const m = messages(w);
    expect(m).toContain('drill/docker_container.drill_app: is a drill container attached to docker_network.fetch (stack drill), which is not internal (internal = false): the drill can reach other networks');
    expect(m).toContain('drill/docker_container.key_fetch: is a drill fetch job on docker_network.fetch (stack drill), which is not internal and which drill container docker_container.drill_app (stack drill) also joins: only fetch jobs may have a route out');
  });

  it('fails for a network that cannot be proven internal', () => {
    const w = world();
    drillApp(w).networks_advanced = [{ name: 'shared-net' }];
    expect(messages(w)[0]).toContain('attached to network "shared-net", which cannot be proven internal');
  });

  it('fails for a drill container on a production network and referencing the production database', () => {
    const w = world();
    w.app = doc(w.app, {
      provider: { docker: [{ host: 'ssh://deploy@prod.example.com' }, { alias: 'scratch', host: 'ssh://deploy@scratch.example.com' }] },
      resource: {
        docker_container: {
          drill_app2: {
            provider: 'docker.scratch',
            name: 'drill2',
            image: 'ghcr.io/zitadel/zitadel:v4.0.0',
            env: ['ZITADEL_DATABASE_POSTGRES_HOST=${docker_container.db.name}'],
            networks_advanced: [{ name: '${docker_network.prod.name}' }],
            labels: drillLabels,
          },
        },
      },
    });
    const m = messages(w);
    expect(m).toContain('app/docker_container.drill_app2: is a drill container attached to docker_network.prod (stack app), which production container docker_container.zitadel (stack app) also uses');
    expect(m).toContain('app/docker_container.drill_app2: is a drill container that references production container docker_container.db (stack app): the drill must restore into its own database, not touch production');
  });

  it('fails for a drill without drill containers, and for a drill without its own database', () => {
    const w = world();
    const containers = at(w.drill, 'resource', 'docker_container');
    delete containers.drill_db;
    drillApp(w).env = [];
    expect(messages(w)).toEqual([
      'app/terraform_data.custody_manifest: declares drill "quarterly" of key "zitadel-master", but none of its drill containers (docker_container.drill_app (stack drill)) is a database: the drill must restore the DB backup into a database of its own',
    ]);
    delete containers.drill_app;
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.message)).toEqual([
      'declares drill "quarterly" of key "zitadel-master", but no container labelled custody:role=drill (and custody:key=zitadel-master) exists, so its isolation cannot be checked',
    ]);
    expect(f[0].fix).toContain('RecoveryDrill');
  });

  it('fails for a drill principal with write access', () => {
    const w = world();
    w.keys = doc(w.keys, role('drill_key_reader', { 'custody:role': 'drill', 'custody:key': 'zitadel-master' }, [readObjects('kc-keys'), { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::kc-keys/*' }]));
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['keys/aws_iam_role.drill_key_reader']);
    expect(f[0].message).toContain('is a drill principal with write access to aws_s3_bucket.keys (stack keys) (via inline policy aws_iam_role_policy.drill_key_reader): drill credentials must be read-only');
    expect(f[0].fix).toContain('grant only read access');
  });

  it('fails for a drill principal that reaches both buckets', () => {
    const w = world();
    w.keys = doc(w.keys, role('drill_key_reader', { 'custody:role': 'drill' }, [readObjects('kc-keys'), readObjects('kc-db')]));
    w.db.provider = w.keys.provider;
    const f = findings(rule, ...stacks(w)).filter((x) => x.address === 'keys/aws_iam_role.drill_key_reader');
    expect(f.map((x) => x.message)).toEqual([
      'is a drill principal that reaches 2 custody stores (key-backup aws_s3_bucket.keys (stack keys), db-backup aws_s3_bucket.db (stack db)): one credential reading both the key backup and the DB backup is the 1-2 backup the drill must not create',
    ]);
    expect(f[0].fix).toContain('one read-only principal per bucket');
  });
});

describe('KC032 drill principals and production writers', () => {
  it('fails for a drill principal that is also a production writer under the same name', () => {
    const w = world();
    const m = model(...stacks(w));
    const db = m.stores.find((s) => s.role === 'db-backup');
    const writer: Principal = { id: 'arn:aws:iam::111111111111:role/kc-drill_key_reader', stack: 'db', address: 'aws_s3_bucket_policy.db', kind: 'external', name: 'kc-drill_key_reader', account: 'acct:111111111111', tags: {} };
    const grants: Grant[] = [...m.grants, { principal: writer.id, store: db!.id, access: 'write', via: 'bucket policy aws_s3_bucket_policy.db' }];
    const result = runRules(withViews({ ...m, principals: [...m.principals, writer], grants }), [rule], { today: '2026-01-01' });
    const f = result.findings.filter((x) => x.ruleId === 'KC032');
    expect(f.map((x) => `${x.address}: ${x.message}`)).toEqual([
      'keys/aws_iam_role.drill_key_reader: is a drill principal that is also the production writer aws_s3_bucket_policy.db (stack db) (same name "kc-drill_key_reader" in account acct:111111111111)',
    ]);
  });
});
