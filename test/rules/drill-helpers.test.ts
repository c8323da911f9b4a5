/**
 * The drill helpers the drill rules (KC030–KC034) share, on their own (lib/rules/drill-helpers.ts,
 * with the host view they lean on): key ownership of drill resources, docker hosts (default
 * socket, normalization, expressions), provider references, store references in every
 * accepted form, networks, known keys and declared drills, what a principal reaches, and
 * which accesses count as writes.
 */
import { describe, expect, it } from 'vitest';
import type { Grant, Principal, Store } from '../../lib/model/types';
import { drillAlarms, drillSchedules, appContainers, drillContainers, productionContainers } from '../../lib/model/views/drills';
import { DEFAULT_DOCKER_HOST, hostOf, resolveProviderRef, sameHost } from '../../lib/model/views/hosts';
import { scheduleTags } from '../../lib/model/views/tags';
import { belongsToKey, isWrite, networkAttachments, resolveNetwork, resolveStoreRef, declaredDrills, drillsForKey, isDrillPrincipal, knownKeys, manifestLocation, reachOf } from '../../lib/rules/drill-helpers';
import { hand } from '../model/hand-model';
import { bucket, container, doc, labels, manifest, model, tags, zitadelKey } from './kc0xx-fixtures';

describe('drill helpers (mutation tests)', () => {
  it('belongsToKey: the key tag matches, or no key tag at all', () => {
    expect(belongsToKey({ 'custody:key': 'k' }, 'k')).toBe(true);
    expect(belongsToKey({ 'custody:key': 'other' }, 'k')).toBe(false);
    expect(belongsToKey({ 'custody:app': 'a' }, 'k')).toBe(true);
  });

  it('isWrite: write, delete and admin change a store; read and decrypt do not', () => {
    expect(['read', 'write', 'delete', 'decrypt', 'admin'].filter(isWrite)).toEqual(['write', 'delete', 'admin']);
  });

  it('hostOf: the default socket without host, a normalized literal, unknown for an expression', () => {
    const m = model(
      ['a', { provider: { docker: [{}, { alias: 'remote', host: ' SSH://ops@Host/ ' }, { alias: 'expr', host: '${var.host}' }] } }],
      ['b', { provider: { docker: [{ host: 'ssh://ops@host' }] } }],
    );
    expect(DEFAULT_DOCKER_HOST).toBe('unix:///var/run/docker.sock');
    expect(hostOf(m, 'a', 'docker').host).toBe('unix:///var/run/docker.sock');
    expect(hostOf(m, 'a', 'docker.remote').host).toBe('ssh://ops@host');
    expect(hostOf(m, 'a', 'docker.expr').host).toBeUndefined();
    expect(hostOf(m, 'a', 'docker.none')).toEqual({ stack: 'a', providerKey: 'docker.none', host: DEFAULT_DOCKER_HOST, provider: undefined });
    expect(sameHost(hostOf(m, 'a', 'docker.remote'), hostOf(m, 'b', 'docker'))).toBe('host');
    expect(sameHost(hostOf(m, 'a', 'docker.expr'), hostOf(m, 'a', 'docker.expr'))).toBe('provider');
    expect(sameHost(hostOf(m, 'a', 'docker.expr'), hostOf(m, 'b', 'docker'))).toBeUndefined();
    expect(sameHost(hostOf(m, 'a', 'docker'), hostOf(m, 'b', 'docker'))).toBeUndefined();
  });

  it('resolveProviderRef: stack/key, own stack first, else a unique declaration, else unknown', () => {
    const m = model(
      ['app', { provider: { docker: [{ alias: 'scratch', host: 'ssh://app' }] } }],
      ['drill', { provider: { docker: [{ alias: 'scratch', host: 'ssh://drill' }, { alias: 'only', host: 'ssh://only' }] } }],
      ['x', { provider: { docker: [{ alias: 'dup', host: 'ssh://x' }] } }],
      ['y', { provider: { docker: [{ alias: 'dup', host: 'ssh://y' }] } }],
    );
    expect(resolveProviderRef(m, 'drill/docker.scratch', 'app').host).toBe('ssh://drill');
    expect(resolveProviderRef(m, '${docker.scratch}', 'app').host).toBe('ssh://app');
    expect(resolveProviderRef(m, 'docker.scratch', 'drill').host).toBe('ssh://drill');
    expect(resolveProviderRef(m, 'docker.only', 'app')).toMatchObject({ stack: 'drill', providerKey: 'docker.only', host: 'ssh://only' });
    expect(resolveProviderRef(m, 'docker.dup', 'app')).toEqual({ stack: 'app', providerKey: 'docker.dup', host: undefined });
    expect(resolveProviderRef(m, 'docker.none', 'app')).toEqual({ stack: 'app', providerKey: 'docker.none', host: undefined });
  });

  it('resolveStoreRef: id, stack/address, own-stack address, unique address, bucket name, s3:// URL or ARN', () => {
    const m = model(
      ['keys', doc(bucket('kb', 'key-backup'), bucket('db', 'db-backup', { tags: tags('db-backup') }))],
      ['other', doc(bucket('kb', 'key-backup', { tags: tags('key-backup', 'k2') }))],
    );
    const at = (ref: string, from = 'keys') => {
      const s = resolveStoreRef(m, ref, from);
      return s && `${s.stack}/${s.address}`;
    };
    expect(at('keys\u0000aws_s3_bucket.db')).toBe('keys/aws_s3_bucket.db');
    expect(at('other/aws_s3_bucket.kb')).toBe('other/aws_s3_bucket.kb');
    expect(at('aws_s3_bucket.kb')).toBe('keys/aws_s3_bucket.kb');
    expect(at('aws_s3_bucket.kb', 'other')).toBe('other/aws_s3_bucket.kb');
    expect(at('aws_s3_bucket.kb', 'third')).toBeUndefined();
    expect(at('aws_s3_bucket.db', 'other')).toBe('keys/aws_s3_bucket.db');
    expect(at('kc-db')).toBe('keys/aws_s3_bucket.db');
    expect(at('s3://kc-db/backups/x.dump')).toBe('keys/aws_s3_bucket.db');
    expect(at('arn:aws:s3:::kc-db/x')).toBe('keys/aws_s3_bucket.db');
    expect(at('kc-kb')).toBeUndefined();
    expect(at('nope/aws_s3_bucket.kb')).toBeUndefined();
    expect(at('/aws_s3_bucket.kb')).toBeUndefined();
  });

  it('scheduleTags: the group\'s tags, custody keys of a JSON target input, then the schedule\'s own tags', () => {
    const m = model([
      's',
      {
        resource: {
          aws_scheduler_schedule_group: { g: { name: 'drills', tags: { 'custody:role': 'drill', team: 'g' } } },
          aws_scheduler_schedule: {
            byRef: { group_name: '${aws_scheduler_schedule_group.g.name}', schedule_expression: 'rate(30 days)', target: { input: '{"custody:key":"k","other":"x","custody:n":1}' } },
            byName: { group_name: 'drills', target: { input: 'not json' }, tags: { team: 'own' } },
            arrayInput: { target: { input: '["custody:key"]' }, tags: { 'custody:role': 'drill', 'custody:key': 'k2' } },
            none: { group_name: 'missing' },
          },
          aws_cloudwatch_metric_alarm: { a: { tags: { 'custody:role': 'drill', 'custody:key': 'k' } }, b: { tags: { 'custody:role': 'drill' } }, c: { tags: { 'custody:role': 'other' } } },
        },
        data: { aws_cloudwatch_metric_alarm: { d: { tags: { 'custody:role': 'drill' } } } },
      },
    ]);
    const tagsOf = (a: string) => scheduleTags(m, m.resource('s', `aws_scheduler_schedule.${a}`)!);
    expect(tagsOf('byRef')).toEqual({ 'custody:role': 'drill', team: 'g', 'custody:key': 'k' });
    expect(tagsOf('byName')).toEqual({ 'custody:role': 'drill', team: 'own' });
    expect(tagsOf('arrayInput')).toEqual({ 'custody:role': 'drill', 'custody:key': 'k2' });
    expect(tagsOf('none')).toEqual({});
    expect(drillSchedules(m, 'k').map((r) => r.address)).toEqual(['aws_scheduler_schedule.byRef', 'aws_scheduler_schedule.byName']);
    expect(drillSchedules(m, 'k2').map((r) => r.address)).toEqual(['aws_scheduler_schedule.byName', 'aws_scheduler_schedule.arrayInput']);
    expect(drillAlarms(m, 'k').map((r) => r.address)).toEqual(['aws_cloudwatch_metric_alarm.a', 'aws_cloudwatch_metric_alarm.b']);
    expect(drillAlarms(m, 'k3').map((r) => r.address)).toEqual(['aws_cloudwatch_metric_alarm.b']);
  });

  it('networks: attachments as written, resolved by reference or by literal name on the same provider, else by host and name', () => {
    const m = model([
      's',
      doc(
        { provider: { docker: [{}, { alias: 'other', host: 'ssh://other' }] } },
        { resource: { docker_network: { drill: { name: 'drill-net', internal: true }, prod: { name: 'prod-net' }, far: { name: 'far-net', provider: 'docker.other' } } } },
        container('a', { networks_advanced: [{ name: '${docker_network.drill.name}' }, { name: 'prod-net' }], network_mode: 'bridge' }),
        container('b', { provider: 'docker.other', networks_advanced: { name: 'prod-net' } }),
        {
          resource: {
            docker_service: {
              svc: { name: 'svc', task_spec: { container_spec: { image: 'x' }, networks_advanced: [{ name: 'far-net' }], networks: ['legacy'] } },
            },
          },
        },
      ),
    ]);
    const c = (address: string) => m.containers.find((x) => x.address === address)!;
    expect(networkAttachments(c('docker_container.a'))).toEqual({ values: ['${docker_network.drill.name}', 'prod-net'], mode: 'bridge' });
    expect(networkAttachments(c('docker_container.b'))).toEqual({ values: ['prod-net'], mode: undefined });
    expect(networkAttachments(c('docker_service.svc'))).toEqual({ values: ['far-net', 'legacy'] });
    expect(resolveNetwork(m, c('docker_container.a'), '${docker_network.drill.name}')).toMatchObject({ shown: 'docker_network.drill', id: 's/docker_network.drill', internal: true });
    expect(resolveNetwork(m, c('docker_container.a'), 'prod-net')).toMatchObject({ shown: 'docker_network.prod', id: 's/docker_network.prod', internal: undefined });
    expect(resolveNetwork(m, c('docker_container.b'), 'prod-net')).toEqual({ shown: 'network "prod-net"', id: 'name:ssh://other:prod-net', internal: undefined });
    expect(resolveNetwork(m, c('docker_container.a'), '${var.net}')).toEqual({ shown: 'network `${var.net}`', id: 'name:unix:///var/run/docker.sock:${var.net}', internal: undefined });
  });

  it('drill, production and app containers of a key', () => {
    const m = model([
      's',
      doc(
        manifest([zitadelKey()]),
        container('app', { mounts: [{ type: 'bind', source: '/etc/zitadel', target: '/k', read_only: true }] }),
        container('labelled', { labels: labels({ 'custody:key': 'zitadel-master' }) }),
        container('drill', { labels: labels({ 'custody:role': 'drill', 'custody:key': 'zitadel-master' }), mounts: [{ type: 'bind', source: '/etc/zitadel/masterkey', target: '/k' }] }),
        container('drill-any', { labels: labels({ 'custody:role': 'drill' }) }),
        container('drill-other', { labels: labels({ 'custody:role': 'drill', 'custody:key': 'other' }) }),
        container('unrelated', {}),
      ),
    ]);
    const names = (cs: { address: string }[]) => cs.map((x) => x.address.replace('docker_container.', ''));
    expect(names(drillContainers(m, 'zitadel-master'))).toEqual(['drill', 'drill-any']);
    expect(names(drillContainers(m))).toEqual(['drill', 'drill-any', 'drill-other']);
    expect(names(productionContainers(m))).toEqual(['app', 'labelled', 'unrelated']);
    expect(names(appContainers(m, 'zitadel-master'))).toEqual(['app', 'labelled']);
    expect(names(appContainers(m, 'undeclared'))).toEqual([]);
  });
});

describe('known keys and declared drills', () => {
  it('manifest keys first, then store keys, then production container keys; drill containers do not introduce keys', () => {
    const m = model(
      [
        'a',
        doc(
          manifest([zitadelKey(), zitadelKey({ id: 'second' })], {
            drills: [
              { id: 'q', key: 'zitadel-master' },
              { id: 'q', key: 'second' },
              { id: 'q', key: 'zitadel-master', schedule: 'dup' },
              { id: 'm', key: 'zitadel-master' },
            ],
          }),
          bucket('kb', 'key-backup', { tags: tags('key-backup', 'store-key') }),
          bucket('db', 'db-backup', { tags: tags('db-backup', 'zitadel-master') }),
          bucket('notag', 'db-backup', { tags: { 'custody:role': 'db-backup' } }),
          container('prod', { labels: labels({ 'custody:key': 'container-key' }) }),
          container('drill', { labels: labels({ 'custody:role': 'drill', 'custody:key': 'drill-only' }) }),
          container('prod2', { labels: labels({ 'custody:key': 'store-key' }) }),
        ),
      ],
      ['b', doc(manifest([zitadelKey({ app: 'again' })], { drills: [{ id: 'q', key: 'zitadel-master', schedule: 'from-b' }, { id: 'b', key: 'zitadel-master' }] }))],
    );
    const ks = knownKeys(m);
    expect(ks.map((k) => [k.id, k.seenAt.stack, k.seenAt.address, k.declared?.key.app ?? null, k.seenAt.resource?.address ?? null])).toEqual([
      ['zitadel-master', 'a', 'terraform_data.custody_manifest', 'zitadel', 'terraform_data.custody_manifest'],
      ['second', 'a', 'terraform_data.custody_manifest', 'zitadel', 'terraform_data.custody_manifest'],
      ['store-key', 'a', 'aws_s3_bucket.kb', null, 'aws_s3_bucket.kb'],
      ['container-key', 'a', 'docker_container.prod', null, 'docker_container.prod'],
    ]);
    expect(ks[0].declared?.manifest.stack).toBe('a');

    const ds = declaredDrills(m);
    expect(ds.map((d) => [d.manifest.stack, d.drill.key, d.drill.id, d.drill.schedule ?? null, d.resource?.address ?? null])).toEqual([
      ['a', 'zitadel-master', 'q', null, 'terraform_data.custody_manifest'],
      ['a', 'second', 'q', null, 'terraform_data.custody_manifest'],
      ['a', 'zitadel-master', 'm', null, 'terraform_data.custody_manifest'],
      ['b', 'zitadel-master', 'b', null, 'terraform_data.custody_manifest'],
    ]);
    expect(drillsForKey(m, 'zitadel-master').map((d) => `${d.manifest.stack}:${d.drill.id}`)).toEqual(['a:q', 'a:m', 'b:b']);
    expect(drillsForKey(m, 'second').map((d) => d.drill.id)).toEqual(['q']);
    expect(drillsForKey(m, 'none')).toEqual([]);
    const loc = manifestLocation(ds[0]);
    expect([loc.stack, loc.address, loc.location === ds[0].resource?.location]).toEqual(['a', 'terraform_data.custody_manifest', true]);
    expect(manifestLocation({ drill: ds[0].drill, manifest: ds[0].manifest })).toEqual({ stack: 'a', address: 'terraform_data.custody_manifest', location: undefined });
  });

  it('isDrillPrincipal: by custody role or by the role tag', () => {
    const p = (over: Partial<Principal>): Principal => ({ id: 'p', stack: 's', address: 'a', kind: 'role', account: 'x', tags: {}, ...over });
    expect(isDrillPrincipal(p({ role: 'drill' }))).toBe(true);
    expect(isDrillPrincipal(p({ tags: { 'custody:role': 'drill' } }))).toBe(true);
    expect(isDrillPrincipal(p({ role: 'key-backup', tags: { 'custody:role': 'key-backup' } }))).toBe(false);
    expect(isDrillPrincipal(p({}))).toBe(false);
  });
});

describe('reachOf', () => {
  it('groups a principal\'s grants by store: every access, each via once, unknown stores without a store', () => {
    const store = { id: 'S1', address: 'aws_s3_bucket.one' } as unknown as Store;
    const g = (principal: string, st: string, access: Grant['access'], via: string): Grant => ({ principal, store: st, access, via });
    const m = hand({
      grants: [g('P', 'S1', 'read', 'v1'), g('Q', 'S1', 'admin', 'q'), g('P', 'S2', 'write', 'v2'), g('P', 'S1', 'write', 'v1'), g('P', 'S1', 'read', 'v3')],
      storeById: (id: string) => (id === 'S1' ? store : undefined),
    });
    const r = reachOf(m, 'P');
    expect([...r.keys()]).toEqual(['S1', 'S2']);
    expect(r.get('S1')?.store).toBe(store);
    expect([...(r.get('S1')?.access ?? [])]).toEqual(['read', 'write']);
    expect(r.get('S1')?.via).toEqual(['v1', 'v3']);
    expect(r.get('S2')).toEqual({ store: undefined, access: new Set(['write']), via: ['v2'] });
    expect([...reachOf(m, 'Q').entries()]).toEqual([['S1', { store, access: new Set(['admin']), via: ['q'] }]]);
    expect(reachOf(m, 'nobody').size).toBe(0);
  });
});

describe('provider, network and store references', () => {
  it('resolveProviderRef: stack-qualified interpolations, and the manifest stack for an unknown provider', () => {
    const m = model(
      ['app', { provider: { docker: [{ host: 'ssh://app' }] } }],
      ['drill', { provider: { docker: [{ alias: 'scratch', host: 'ssh://drill' }] } }],
    );
    expect(resolveProviderRef(m, 'drill/${docker.scratch}', 'app')).toMatchObject({ stack: 'drill', providerKey: 'docker.scratch', host: 'ssh://drill' });
    expect(resolveProviderRef(m, 'drill/docker', 'app')).toEqual({ stack: 'drill', providerKey: 'docker', host: 'unix:///var/run/docker.sock', provider: undefined });
    expect(resolveProviderRef(m, 'docker', 'drill')).toMatchObject({ stack: 'app', providerKey: 'docker', host: 'ssh://app' });
    expect(resolveProviderRef(m, 'a/b/docker.scratch', 'app')).toMatchObject({ stack: 'a/b', providerKey: 'docker.scratch', host: 'unix:///var/run/docker.sock' });
  });

  it('resolveNetwork: a literal name matches only a managed network of the same stack and provider; unknown hosts fall back to stack/provider', () => {
    const m = model(
      [
        's',
        doc(
          { provider: { docker: [{}, { alias: 'expr', host: '${var.h}' }] } },
          { resource: { docker_network: { n: { name: 'net', internal: 'false' } } }, data: { docker_network: { d: { name: 'data-net' } } } },
          container('a', { networks_advanced: [{ name: 'net' }] }),
          container('e', { provider: 'docker.expr' }),
        ),
      ],
      ['t', doc({ resource: { docker_network: { n: { name: 'other-net', internal: true } } } }, container('b', {}))],
    );
    const c = (stack: string, address: string) => m.containers.find((x) => x.stack === stack && x.address === address)!;
    expect(resolveNetwork(m, c('s', 'docker_container.a'), 'net')).toMatchObject({ shown: 'docker_network.n (stack s)', id: 's/docker_network.n', internal: false });
    expect(resolveNetwork(m, c('s', 'docker_container.a'), 'data-net')).toEqual({ shown: 'network "data-net"', id: 'name:unix:///var/run/docker.sock:data-net', internal: undefined });
    expect(resolveNetwork(m, c('t', 'docker_container.b'), 'net')).toEqual({ shown: 'network "net"', id: 'name:unix:///var/run/docker.sock:net', internal: undefined });
    expect(resolveNetwork(m, c('t', 'docker_container.b'), 'other-net')).toMatchObject({ id: 't/docker_network.n', internal: true });
    expect(resolveNetwork(m, c('s', 'docker_container.e'), 'x')).toEqual({ shown: 'network "x"', id: 'name:s/docker.expr:x', internal: undefined });
    expect(resolveNetwork(m, c('s', 'docker_container.a'), 42)).toEqual({ shown: 'network `42`', id: 'name:unix:///var/run/docker.sock:42', internal: undefined });
  });

  it('networkAttachments: a service without a task spec, a non-list networks attribute', () => {
    const m = model([
      's',
      {
        resource: {
          docker_service: { bare: { name: 'bare' }, str: { name: 'str', task_spec: { container_spec: { image: 'x' }, networks: 'one' } } },
          docker_container: { none: { name: 'none', image: 'x', network_mode: '${var.m}' } },
        },
      },
    ]);
    const c = (address: string) => m.containers.find((x) => x.address === address)!;
    expect(networkAttachments(c('docker_service.bare'))).toEqual({ values: [] });
    expect(networkAttachments(c('docker_service.str'))).toEqual({ values: [] });
    expect(networkAttachments(c('docker_container.none'))).toEqual({ values: [], mode: undefined });
  });

  it('resolveStoreRef: an address in two other stacks is ambiguous; a bucket name shared by two stores is too', () => {
    const m = model(
      ['a', doc(bucket('kb', 'key-backup'))],
      ['b', doc(bucket('kb', 'key-backup', { tags: tags('key-backup', 'k2') }), bucket('x', 'db-backup', { tags: tags('db-backup') }))],
      ['c', doc(bucket('only', 'key-backup'))],
    );
    const at = (ref: string, from: string) => {
      const s = resolveStoreRef(m, ref, from);
      return s ? `${s.stack}/${s.address}` : undefined;
    };
    expect(at('aws_s3_bucket.kb', 'c')).toBeUndefined();
    expect(at('aws_s3_bucket.kb', 'b')).toBe('b/aws_s3_bucket.kb');
    expect(at('aws_s3_bucket.only', 'a')).toBe('c/aws_s3_bucket.only');
    expect(at('kc-x', 'a')).toBe('b/aws_s3_bucket.x');
    expect(at('kc-kb', 'a')).toBeUndefined();
    expect(at('c/aws_s3_bucket.only', 'a')).toBe('c/aws_s3_bucket.only');
    expect(at('c/aws_s3_bucket.kb', 'a')).toBeUndefined();
    expect(at('s3://kc-only', 'a')).toBe('c/aws_s3_bucket.only');
    expect(at('arn:aws:s3:::kc-only', 'a')).toBe('c/aws_s3_bucket.only');
    expect(at('arn:aws:s3:::kc-kb', 'a')).toBeUndefined();
    expect(at(`c\u0000aws_s3_bucket.only`, 'a')).toBe('c/aws_s3_bucket.only');
  });
});
