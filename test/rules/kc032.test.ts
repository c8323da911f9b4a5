/**
 * The rule on whole configurations first, then the exact-output tests.
 * KC032 with exact messages and fixes: drill containers on the production provider or
 * host (production hosts grouped by provider, containers listed in model order), every
 * network branch (none, host, container:, bridge/default, a named mode, no network, a
 * production network, not internal, unknown, fetch jobs), references to production
 * containers, drills without containers or without a database, and drill principals
 * (write access, two stores, a production writer's twin).
 */
import { describe, expect, it } from 'vitest';
import type { Grant, Principal, CustodyModel, Store } from '../../lib/model/types';
import { withViews } from '../../lib/model/views';
import { runRules } from '../../lib/rules/engine';
import { rule } from '../../lib/rules/kc032-drill-isolated';
import { at, doc, findings, labels, readObjects, role, stacks, world, type Json, type World } from './drill-fixtures';
import { model, container, manifest, zitadelKey } from './kc0xx-fixtures';

const messages = (w: World) => findings(rule, ...stacks(w)).map((f) => `${f.address}: ${f.message}`);
const drillApp = (w: World) => at(w.drill, 'resource', 'docker_container', 'drill_app');
const drillLabelBlocks = labels({ 'custody:role': 'drill', 'custody:key': 'zitadel-master' });

describe('KC032 the drill is isolated', () => {
  it('passes for a scratch host, an internal network, a drill database and split read-only principals', () => {
    expect(findings(rule, ...stacks(world()))).toEqual([]);
  });

  it('fails for a drill container on the production provider configuration', () => {
    const w = world();
    w.app = doc(w.app, { resource: { docker_container: { drill_probe: { name: 'probe', image: 'curlimages/curl', network_mode: 'none', labels: drillLabelBlocks } } } });
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
      labels: [...drillLabelBlocks, { label: 'custody:component', value: 'key-restore' }],
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
            labels: drillLabelBlocks,
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

const KEY = 'zitadel-master';
const HOST_FIX = 'give the drill its own docker provider alias (e.g. `docker.scratch`) whose `host` is a scratch machine, not the production host';
const NET_FIX = 'attach the drill containers only to a `docker_network` with `internal = true` that no production container uses';

const providers: Json = {
  provider: {
    docker: [{ host: 'ssh://prod' }, { alias: 'scratch', host: 'ssh://scratch' }, { alias: 'prod2', host: 'SSH://prod/' }, { alias: 'prod3', host: 'ssh://prod' }, { alias: 'expr', host: '${var.h}' }],
  },
};
const networks: Json = {
  resource: {
    docker_network: {
      prod: { name: 'prod-net' },
      drill: { provider: 'docker.scratch', name: 'drill-net', internal: true },
      open: { provider: 'docker.scratch', name: 'open-net', internal: false },
    },
  },
};
const drillLabels = (extra: Record<string, string> = {}) => labels({ 'custody:role': 'drill', 'custody:key': KEY, ...extra });
const onDrillNet = [{ name: '${docker_network.drill.name}' }];
/** A drill container on the scratch host and the internal network, unless overridden. */
const dc = (name: string, over: Json = {}) => container(name, { provider: 'docker.scratch', image: 'x', networks_advanced: onDrillNet, labels: drillLabels(), ...over });
const pc = (name: string, over: Json = {}) => container(name, { image: 'x', ...over });
const check = (...parts: Json[]) => rule.check(model(['s', doc(providers, networks, ...parts)])).map((v): [string, string, string | undefined] => [v.address.replace('docker_container.', ''), v.message, v.fix]);

describe('KC032 hosts (mutation tests)', () => {
  it('a drill container on the scratch host and internal network gives nothing', () => {
    expect(check(pc('p1', { networks_advanced: [{ name: '${docker_network.prod.name}' }] }), dc('d'), dc('d_db', { image: 'postgres:17' }))).toEqual([]);
  });

  it('the production provider and the production host, each listing production containers in model order', () => {
    expect(
      check(
        pc('p1', { network_mode: 'none' }),
        pc('p3', { provider: 'docker.prod2', network_mode: 'none' }),
        pc('p2', { network_mode: 'none' }),
        pc('pScratchless', { provider: 'docker.expr', network_mode: 'none' }),
        dc('onProd', { provider: 'docker' }),
        dc('onHost', { provider: 'docker.prod3' }),
        dc('onExpr', { provider: 'docker.expr' }),
      ).filter((r) => r[1].includes('provider')),
    ).toEqual([
      ['onProd', 'is a drill container on provider docker, the same provider configuration as production container(s) docker_container.p1, docker_container.p2', HOST_FIX],
      ['onProd', 'is a drill container whose provider docker points at docker host ssh://prod, the host of production container(s) docker_container.p3', HOST_FIX],
      ['onHost', 'is a drill container whose provider docker.prod3 points at docker host ssh://prod, the host of production container(s) docker_container.p1, docker_container.p3, docker_container.p2', HOST_FIX],
      ['onExpr', 'is a drill container on provider docker.expr, the same provider configuration as production container(s) docker_container.pScratchless', HOST_FIX],
    ]);
  });

  it('ECS tasks are not production docker hosts; drill ECS tasks are not checked', () => {
    const ecs = (name: string, tags: Record<string, string>) => ({ resource: { aws_ecs_task_definition: { [name]: { family: name, container_definitions: JSON.stringify([{ name: 'a', image: 'postgres' }]), tags } } } });
    expect(check(ecs('prod', {}), ecs('drill', { 'custody:role': 'drill', 'custody:key': KEY }), dc('d', { provider: 'docker' }))).toEqual([]);
  });
});

describe('KC032 networks (mutation tests)', () => {
  it('network modes', () => {
    expect(
      check(
        dc('none', { network_mode: 'none', networks_advanced: [] }),
        dc('host', { network_mode: 'host' }),
        dc('shared', { network_mode: 'container:prod-app' }),
        dc('bridge', { network_mode: 'bridge', networks_advanced: [] }),
        dc('default', { network_mode: 'default', networks_advanced: [] }),
        dc('bridgeAdv', { network_mode: 'bridge' }),
        dc('named', { network_mode: 'drill-net', networks_advanced: [] }),
        dc('namedUnknown', { network_mode: 'mystery', networks_advanced: [] }),
        dc('nothing', { networks_advanced: [] }),
      ),
    ).toEqual([
      ['host', 'is a drill container with network_mode "host": it shares the host\'s network and can reach production', NET_FIX],
      ['shared', 'is a drill container sharing the network of "prod-app", which cannot be proven isolated', NET_FIX],
      ['bridge', 'is a drill container with network_mode "bridge", the default bridge network, which is not internal: the drill can reach production', NET_FIX],
      ['default', 'is a drill container with network_mode "default", the default bridge network, which is not internal: the drill can reach production', NET_FIX],
      ['namedUnknown', 'is a drill container attached to network "mystery", which cannot be proven internal (no docker_network with a literal `internal` is found for it)', NET_FIX],
      ['nothing', 'is a drill container attached to no network of its own, so it runs on the default bridge network, which is not internal', NET_FIX],
    ]);
  });

  it('a production network, a network that is not internal, one that cannot be proven internal', () => {
    expect(
      check(
        pc('p1', { networks_advanced: [{ name: '${docker_network.prod.name}' }] }),
        pc('p2', { networks_advanced: [{ name: 'prod-net' }] }),
        dc('prodNet', { networks_advanced: [{ name: '${docker_network.drill.name}' }, { name: '${docker_network.prod.name}' }] }),
        dc('open', { networks_advanced: [{ name: 'open-net' }] }),
        dc('unknown', { networks_advanced: [{ name: '${var.net}' }] }),
      ),
    ).toEqual([
      ['prodNet', 'is a drill container attached to docker_network.prod, which production container docker_container.p1 also uses', NET_FIX],
      ['open', 'is a drill container attached to docker_network.open, which is not internal (internal = false): the drill can reach other networks', `set \`internal = true\` on docker_network.open; ${NET_FIX}`],
      ['unknown', 'is a drill container attached to network `${var.net}`, which cannot be proven internal (no docker_network with a literal `internal` is found for it)', NET_FIX],
    ]);
  });

  it('fetch jobs may use a non-internal network of their own, not one another drill container joins', () => {
    const fetch = (name: string, component: string, nets: Json[]) => dc(name, { networks_advanced: nets, labels: drillLabels({ 'custody:component': component }) });
    const open = [{ name: '${docker_network.open.name}' }];
    expect(check(fetch('f1', 'db-fetch', open), fetch('f2', 'key-restore', open))).toEqual([]);
    expect(check(fetch('f1', 'db-fetch', open), dc('app', { networks_advanced: [...onDrillNet, ...open] }), fetch('f2', 'other', open))).toEqual([
      [
        'f1',
        'is a drill fetch job on docker_network.open, which is not internal and which drill container docker_container.app also joins: only fetch jobs may have a route out',
        'keep the drill database and app on the internal network only; give the fetch jobs a network of their own',
      ],
      ['app', 'is a drill container attached to docker_network.open, which is not internal (internal = false): the drill can reach other networks', `set \`internal = true\` on docker_network.open; ${NET_FIX}`],
      ['f2', 'is a drill container attached to docker_network.open, which is not internal (internal = false): the drill can reach other networks', `set \`internal = true\` on docker_network.open; ${NET_FIX}`],
    ]);
    expect(check(fetch('f1', 'key-restore', [{ name: 'nowhere' }]))).toEqual([
      ['f1', 'is a drill container attached to network "nowhere", which cannot be proven internal (no docker_network with a literal `internal` is found for it)', NET_FIX],
    ]);
    expect(check(fetch('f1', 'db-fetch', [{ name: '${docker_network.prod.name}' }]), pc('p', { networks_advanced: [{ name: 'prod-net' }] }))).toEqual([
      ['f1', 'is a drill container attached to docker_network.prod, which production container docker_container.p also uses', NET_FIX],
    ]);
  });

  it('swarm services: networks of the task spec', () => {
    const svc = {
      resource: {
        docker_service: {
          dsvc: { name: 'dsvc', provider: 'docker.scratch', labels: drillLabels(), task_spec: { container_spec: { image: 'postgres' }, networks_advanced: [{ name: '${docker_network.open.name}' }] } },
        },
      },
    };
    expect(check(svc)).toEqual([
      ['docker_service.dsvc', 'is a drill container attached to docker_network.open, which is not internal (internal = false): the drill can reach other networks', `set \`internal = true\` on docker_network.open; ${NET_FIX}`],
    ]);
  });
});

describe('KC032 references and drill databases (mutation tests)', () => {
  it('references to production containers, once each; references to drill containers and other resources are fine', () => {
    expect(
      check(
        pc('pdb', { network_mode: 'none' }),
        pc('psvc', { network_mode: 'none' }),
        { resource: { docker_service: { swarm: { name: 'swarm', task_spec: { container_spec: { image: 'x' } } } } } },
        dc('d_db', { image: 'postgres' }),
        dc('app', {
          env: ['DB=${docker_container.pdb.name}', 'DRILL_DB=${docker_container.d_db.name}', 'NET=${docker_network.drill.id}'],
          command: ['--db', '${docker_container.pdb.name}', '${docker_container.psvc.name}'],
          links: ['${docker_container.pdb.name}:db', '${docker_service.swarm.name}'],
        }),
      ),
    ).toEqual([
      ['app', 'is a drill container that references production container docker_container.pdb: the drill must restore into its own database, not touch production', 'point the drill app at the drill database container restored from the DB backup'],
      ['app', 'is a drill container that references production container docker_container.psvc: the drill must restore into its own database, not touch production', 'point the drill app at the drill database container restored from the DB backup'],
      ['app', 'is a drill container that references production container docker_service.swarm: the drill must restore into its own database, not touch production', 'point the drill app at the drill database container restored from the DB backup'],
    ]);
  });

  it('a declared drill needs drill containers, and one of them a database (image, component label or name)', () => {
    const m = (drills: Json[]) => manifest([zitadelKey()], { drills });
    const q = { id: 'q', key: KEY };
    const M = 'terraform_data.custody_manifest';
    expect(check(m([q]))).toEqual([
      [
        M,
        `declares drill "q" of key "${KEY}", but no container labelled custody:role=drill (and custody:key=${KEY}) exists, so its isolation cannot be checked`,
        'create the drill environment with RecoveryDrill (or label the drill containers custody:role=drill, custody:key=<key>)',
      ],
    ]);
    expect(check(m([q, { id: 'r', key: 'other' }]), dc('app'), dc('cache', { labels: drillLabels({ 'custody:component': 'cache' }) }), dc('db', { labels: drillLabels({ 'custody:component': 'web' }) }))).toEqual([
      [
        M,
        `declares drill "q" of key "${KEY}", but none of its drill containers (docker_container.app, docker_container.cache, docker_container.db) is a database: the drill must restore the DB backup into a database of its own`,
        `add a drill database container (e.g. image postgres) labelled custody:role=drill, custody:key=${KEY}, and restore the DB backup into it`,
      ],
      [
        M,
        'declares drill "r" of key "other", but no container labelled custody:role=drill (and custody:key=other) exists, so its isolation cannot be checked',
        'create the drill environment with RecoveryDrill (or label the drill containers custody:role=drill, custody:key=<key>)',
      ],
    ]);
    const anyKeyDb = dc('shared_db', { labels: labels({ 'custody:role': 'drill' }) });
    expect(check(m([q]), dc('app'), anyKeyDb)).toEqual([]);
    for (const db of [
      dc('x', { image: 'ghcr.io/library/mariadb@sha256:abc' }),
      dc('x', { image: 'mongo' }),
      dc('x', { image: 'cockroachdb/cockroach:v23' }),
      dc('x', { labels: drillLabels({ 'custody:component': 'Database' }) }),
      dc('x', { labels: drillLabels({ 'custody:component': 'db' }) }),
      dc('drill-postgres', {}),
      dc('db', {}),
      dc('my_database_1', {}),
    ]) {
      expect(check(m([q]), db)).toEqual([]);
    }
    for (const notDb of [dc('x', { image: 'mypostgres' }), dc('x', { image: 'postgresql-client:1' }), dc('dbx', {}), dc('xdb', {}), dc('db', { labels: drillLabels({ 'custody:component': 'cache' }) })]) {
      expect(check(m([q]), notDb).map((r) => r[1].split(',')[0])).toEqual([`declares drill "q" of key "${KEY}"`]);
    }
    // The image decides first, then the component label, then the name.
    expect(check(m([q]), dc('x', { image: 'postgres', labels: drillLabels({ 'custody:component': 'cache' }) }))).toEqual([]);
  });
});

describe('KC032 drill principals (mutation tests)', () => {
  const store = (id: string, role: Store['role'], address: string): Store => ({ id, stack: 's', address, role } as unknown as Store);
  const principal = (id: string, over: Partial<Principal> = {}): Principal => ({ id, stack: 's', address: `aws_iam_role.${id}`, kind: 'role', account: 'a1', tags: {}, ...over });
  const g = (principal: string, st: string, access: Grant['access'], via = 'policy'): Grant => ({ principal, store: st, access, via });
  const stores = [store('KB', 'key-backup', 'aws_s3_bucket.kb'), store('DB', 'db-backup', 'aws_s3_bucket.db')];
  const run = (principals: Principal[], grants: Grant[], multiStack = false) => {
    const m = withViews({
      documents: [],
      resources: [],
      stores,
      principals,
      grants,
      containers: [],
      manifests: [],
      copies: [],
      providers: [],
      multiStack,
      storeById: (id: string) => stores.find((s) => s.id === id),
      resource: () => undefined,
      referencesOf: () => [],
    } as unknown as CustodyModel);
    return rule.check(m).map((v) => [v.address, v.message, v.fix]);
  };
  const READ_FIX = (w: string) => `grant only read access (s3:GetObject, s3:ListBucket, kms:Decrypt) to ${w}`;
  const SPLIT_FIX = 'split the drill credentials: one read-only principal per bucket (RecoveryDrill creates one for the key backup and one for the DB backup)';
  const TWIN_FIX = 'give the drill its own principals, distinct from every production writer';

  it('read-only drill principals reaching one store each give nothing', () => {
    expect(run([principal('r', { role: 'drill' }), principal('r2', { tags: { 'custody:role': 'drill' } })], [g('r', 'KB', 'read'), g('r', 'KB', 'decrypt'), g('r2', 'DB', 'read')])).toEqual([]);
  });

  it('write, delete and admin access; two stores; an unknown store', () => {
    expect(
      run(
        [principal('r', { role: 'drill' }), principal('prod')],
        [g('r', 'KB', 'read', 'v1'), g('r', 'KB', 'delete', 'v2'), g('r', 'KB', 'write', 'v1'), g('r', 'GONE', 'admin', 'v3'), g('prod', 'KB', 'write')],
      ),
    ).toEqual([
      ['aws_iam_role.r', 'is a drill principal with delete/write access to aws_s3_bucket.kb (via v1; v2): drill credentials must be read-only', READ_FIX('aws_s3_bucket.kb')],
      ['aws_iam_role.r', 'is a drill principal with admin access to a store (via v3): drill credentials must be read-only', READ_FIX('a store')],
      [
        'aws_iam_role.r',
        'is a drill principal that reaches 2 custody stores (key-backup aws_s3_bucket.kb, an unknown store): one credential reading both the key backup and the DB backup is the 1-2 backup the drill must not create',
        SPLIT_FIX,
      ],
    ]);
    expect(run([principal('r', { role: 'drill', stack: 't' })], [g('r', 'KB', 'read'), g('r', 'DB', 'read')], true)).toEqual([
      [
        'aws_iam_role.r',
        'is a drill principal that reaches 2 custody stores (key-backup aws_s3_bucket.kb (stack s), db-backup aws_s3_bucket.db (stack s)): one credential reading both the key backup and the DB backup is the 1-2 backup the drill must not create',
        SPLIT_FIX,
      ],
    ]);
  });

  it('the twin of a production writer: same name (or name in the ARN), same account, compatible kind', () => {
    const drill = principal('d', { role: 'drill', name: 'shared' });
    const writer = (over: Partial<Principal>) => principal('w', { name: 'shared', ...over });
    const twin = (w: Principal, writes: Grant['access'] = 'write', d: Principal = drill) => run([d, w], [g('d', 'KB', 'read'), g('w', 'DB', writes)]);
    expect(twin(writer({}))).toEqual([['aws_iam_role.d', 'is a drill principal that is also the production writer aws_iam_role.w (same name "shared" in account a1)', TWIN_FIX]]);
    expect(twin(writer({ kind: 'external' }))).toHaveLength(1);
    expect(twin(writer({}), 'write', principal('d', { role: 'drill', name: 'shared', kind: 'external' }))).toHaveLength(1);
    expect(twin(writer({}), 'admin')).toHaveLength(1);
    expect(twin(writer({ kind: 'user' }))).toEqual([]);
    expect(twin(writer({ account: 'a2' }))).toEqual([]);
    expect(twin(writer({ name: 'other' }))).toEqual([]);
    expect(twin(writer({}), 'read')).toEqual([]);
    expect(twin(writer({}), 'decrypt')).toEqual([]);
    // A drill principal that writes is reported for its access, never as a twin.
    expect(twin(writer({ role: 'drill' }))).toEqual([
      ['aws_iam_role.w', 'is a drill principal with write access to aws_s3_bucket.db (via policy): drill credentials must be read-only', READ_FIX('aws_s3_bucket.db')],
    ]);
    // Names from ARNs (with a path) when the principal has no name.
    const arnDrill = principal('arn:aws:iam::1:role/drill/shared', { role: 'drill', address: 'aws_iam_role.d' });
    const arnWriter = principal('arn:aws:iam::1:user/shared', { kind: 'external', address: 'aws_s3_bucket_policy.p' });
    expect(run([arnDrill, arnWriter], [g('arn:aws:iam::1:user/shared', 'DB', 'write')])).toEqual([
      ['aws_iam_role.d', 'is a drill principal that is also the production writer aws_s3_bucket_policy.p (same name "shared" in account a1)', TWIN_FIX],
    ]);
    expect(run([principal('svc', { role: 'drill' }), principal('svc2', { kind: 'service' })], [g('svc2', 'DB', 'write')])).toEqual([]);
    // A grant on something that is not a store does not make a writer.
    expect(run([drill, writer({})], [g('w', 'NOT-A-STORE', 'write')])).toEqual([]);
  });
});
