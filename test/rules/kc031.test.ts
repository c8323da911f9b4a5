/**
 * The rule on whole configurations first, then the exact-output tests.
 * KC031 with exact messages and fixes: every keySource branch (missing, "hot", the hot-copy
 * path or a directory above it, no store, a key-store, a DB-backup store, another key's
 * backup), the keySourcePath, the key-backup hint (keyed and key-less backups in model
 * order), dockerProvider on the production provider or host, and drill containers that
 * mount a hot copy (deduplicated when two manifests declare the same key).
 */
import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc031-drill-uses-offsite-copy';
import { at, bucket, doc, findings, firstDrill, stacks, tags, world, type World } from './drill-fixtures';
import { container, goodZitadel, labels, manifest, model, zitadelKey, type Json } from './kc0xx-fixtures';

const messages = (w: World) => findings(rule, ...stacks(w)).map((f) => `${f.address}: ${f.message}`);

describe('KC031 the drill restores the key from the offsite copy', () => {
  it('passes when keySource is the key-backup bucket and the drill runs on a scratch host', () => {
    expect(findings(rule, ...stacks(world()))).toEqual([]);
  });

  it.each(['aws_s3_bucket.keys', 'kc-keys', 's3://kc-keys/zitadel/masterkey.age', 'arn:aws:s3:::kc-keys'])('accepts keySource %s', (src) => {
    const w = world();
    firstDrill(w).keySource = src;
    expect(messages(w)).toEqual([]);
  });

  it('fails for keySource "hot"', () => {
    const w = world();
    firstDrill(w).keySource = 'hot';
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'KC031', severity: 'error', address: 'app/terraform_data.custody_manifest' });
    expect(f[0].message).toContain('declares drill "quarterly" of key "zitadel-master" with keySource "hot": it restores the key from the hot copy');
    expect(f[0].fix).toBe('set keySource to "aws_s3_bucket.keys" (the offsite key-backup bucket)');
  });

  it('fails for a missing keySource', () => {
    const w = world();
    delete firstDrill(w).keySource;
    expect(messages(w)[0]).toContain('without a keySource, so restoring from the offsite copy cannot be proven');
  });

  it.each(['/etc/zitadel/masterkey', '/etc/zitadel'])('fails for keySource %s (the hot copy on the host)', (src) => {
    const w = world();
    firstDrill(w).keySource = src;
    expect(messages(w)).toEqual([`app/terraform_data.custody_manifest: declares drill "quarterly" of key "zitadel-master" with keySource "${src}", which is the key's hot-copy host path`]);
  });

  it('fails for a key-store (the hot store the app reads) and for the DB-backup bucket', () => {
    const w = world();
    w.keys = doc(w.keys, { resource: { aws_secretsmanager_secret: { hot: { name: 'zitadel-masterkey', tags: tags('key-store') } } } });
    firstDrill(w).keySource = 'keys/aws_secretsmanager_secret.hot';
    expect(messages(w)[0]).toContain('with keySource aws_secretsmanager_secret.hot (stack keys), which is the hot key store the app itself reads, not the offsite key backup');
    firstDrill(w).keySource = 'db/aws_s3_bucket.db';
    expect(messages(w)[0]).toContain('which is a db-backup store, not the offsite key backup');
  });

  it('fails for a keySource that names no store', () => {
    const w = world();
    firstDrill(w).keySource = 'aws_s3_bucket.nope';
    expect(messages(w)[0]).toContain('keySource "aws_s3_bucket.nope", which names no store in the configuration');
  });

  it('fails for the key-backup bucket of another key', () => {
    const w = world();
    w.keys = doc(w.keys, bucket('servos', 'key-backup', { tags: tags('key-backup', 'servos-master', 'servos') }));
    firstDrill(w).keySource = 'keys/aws_s3_bucket.servos';
    expect(messages(w)[0]).toContain('which holds backups of key "servos-master", not "zitadel-master"');
  });

  it('fails for a keySourcePath on the hot copy', () => {
    const w = world();
    firstDrill(w).keySourcePath = '/etc/zitadel/masterkey';
    expect(messages(w)[0]).toContain('keySourcePath "/etc/zitadel/masterkey", which is the key\'s hot-copy host path');
  });

  it('fails for a drill container that mounts the hot copy (or its directory)', () => {
    const w = world();
    const app = at(w.drill, 'resource', 'docker_container', 'drill_app');
    app.mounts = [{ type: 'bind', source: '/etc/zitadel', target: '/run/secrets', read_only: true }];
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.address)).toEqual(['drill/docker_container.drill_app']);
    expect(f[0].message).toBe('is a drill container that mounts /etc/zitadel (the hot copy /etc/zitadel/masterkey of key "zitadel-master") at /run/secrets: the drill must use the key restored from the offsite backup');
  });

  it('fails when dockerProvider is the provider of the production app', () => {
    const w = world();
    firstDrill(w).dockerProvider = 'docker';
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('on dockerProvider "docker", where the production app runs: docker_container.zitadel (stack app) (same provider docker)');
    expect(f[0].message).toContain('restore onto the production host');
  });

  it('fails when the drill provider points at the production docker host', () => {
    const w = world();
    w.drill.provider = { ...(w.drill.provider as object), docker: [{ alias: 'scratch', host: 'ssh://deploy@prod.example.com/' }] };
    expect(messages(w)[0]).toContain('(same docker host ssh://deploy@prod.example.com)');
  });

  it('treats two providers without host as the same local daemon', () => {
    const w = world();
    w.app.provider = { docker: [{}] };
    w.drill.provider = { ...(w.drill.provider as object), docker: [{ alias: 'scratch' }] };
    expect(messages(w)[0]).toContain('same docker host unix:///var/run/docker.sock');
  });
});

describe('KC031 dockerProvider resolution', () => {
  it('finds an unqualified dockerProvider in the stack that declares it', () => {
    const w = world();
    firstDrill(w).dockerProvider = 'docker.scratch';
    expect(messages(w)).toEqual([]);
    w.drill.provider = { ...(w.drill.provider as object), docker: [{ alias: 'scratch', host: 'ssh://deploy@prod.example.com' }] };
    expect(messages(w)[0]).toContain('same docker host ssh://deploy@prod.example.com');
  });

  it('does not guess the host of a provider declared nowhere', () => {
    const w = world();
    firstDrill(w).dockerProvider = 'docker.elsewhere';
    expect(messages(w)).toEqual([]);
  });
});

const KEY = 'zitadel-master';
const M = 'terraform_data.custody_manifest';

const drill = (over: Json = {}): Json => ({ id: 'q', key: KEY, keySource: 'aws_s3_bucket.kb', dockerProvider: 'docker.scratch', ...over });
const base = (drills: Json[], ...extra: Json[]) =>
  doc(
    { provider: { docker: [{ host: 'ssh://prod' }, { alias: 'scratch', host: 'ssh://scratch' }] } },
    manifest([zitadelKey()], { drills }),
    bucket('kb', 'key-backup'),
    goodZitadel(),
    ...extra,
  );
const check = (drills: Json[], ...extra: Json[]) => rule.check(model(['s', base(drills, ...extra)])).map((v) => [v.address, v.message, v.fix]);
const fixSource = (hint = '"aws_s3_bucket.kb"') => `set keySource to ${hint} (the offsite key-backup bucket)`;

describe('KC031 keySource (mutation tests)', () => {
  it('a sound drill gives nothing; keySource may be the key-less or own-key backup by any name', () => {
    expect(check([drill()])).toEqual([]);
    expect(check([drill({ keySource: 'kc-kb' }), drill({ id: 'r', keySource: 's3://kc-kb/k.age' }), drill({ id: 't', keySource: 'arn:aws:s3:::kc-kb' })])).toEqual([]);
    expect(check([drill({ keySource: 'aws_s3_bucket.anykey' })], bucket('anykey', 'key-backup', { tags: { 'custody:role': 'key-backup' } }))).toEqual([]);
  });

  it('missing, "hot" in any case, the hot path and a directory above it', () => {
    expect(
      check([
        drill({ id: 'a', keySource: undefined }),
        drill({ id: 'b', keySource: ' HoT ' }),
        drill({ id: 'c', keySource: '/etc/zitadel/masterkey' }),
        drill({ id: 'd', keySource: '/etc/zitadel/' }),
        drill({ id: 'e', keySource: '/etc' }),
        drill({ id: 'f', keySource: '/etc/zitadel/masterkey.bak' }),
        drill({ id: 'g', keySource: 'hotter' }),
      ]),
    ).toEqual([
      [M, `declares drill "a" of key "${KEY}" without a keySource, so restoring from the offsite copy cannot be proven`, fixSource()],
      [M, `declares drill "b" of key "${KEY}" with keySource "hot": it restores the key from the hot copy on the production host, which proves nothing about the offsite copy`, fixSource()],
      [M, `declares drill "c" of key "${KEY}" with keySource "/etc/zitadel/masterkey", which is the key's hot-copy host path`, fixSource()],
      [M, `declares drill "d" of key "${KEY}" with keySource "/etc/zitadel/", which is the key's hot-copy host path`, fixSource()],
      [M, `declares drill "e" of key "${KEY}" with keySource "/etc", which is the key's hot-copy host path`, fixSource()],
      [M, `declares drill "f" of key "${KEY}" with keySource "/etc/zitadel/masterkey.bak", which names no store in the configuration, so restoring from the offsite copy cannot be proven`, fixSource()],
      [M, `declares drill "g" of key "${KEY}" with keySource "hotter", which names no store in the configuration, so restoring from the offsite copy cannot be proven`, fixSource()],
    ]);
  });

  it('a store of the wrong role or of another key', () => {
    expect(
      check(
        [drill({ id: 'a', keySource: 'aws_s3_bucket.ks' }), drill({ id: 'b', keySource: 'kc-db' }), drill({ id: 'c', keySource: 'aws_s3_bucket.other' })],
        bucket('ks', 'key-store'),
        bucket('db', 'db-backup', { tags: tags('db-backup') }),
        bucket('other', 'key-backup', { tags: tags('key-backup', 'other-key') }),
      ),
    ).toEqual([
      [M, `declares drill "a" of key "${KEY}" with keySource aws_s3_bucket.ks, which is the hot key store the app itself reads, not the offsite key backup`, fixSource()],
      [M, `declares drill "b" of key "${KEY}" with keySource aws_s3_bucket.db, which is a db-backup store, not the offsite key backup`, fixSource()],
      [M, `declares drill "c" of key "${KEY}" with keySource aws_s3_bucket.other, which holds backups of key "other-key", not "${KEY}"`, fixSource()],
    ]);
  });

  it('the hint names the first key-backup store of the key (key-less ones count), else a generic phrase', () => {
    const noStore = (...extra: Json[]) =>
      rule
        .check(model(['s', doc({ provider: { docker: [{ alias: 'scratch', host: 'ssh://scratch' }] } }, manifest([zitadelKey()], { drills: [drill({ keySource: undefined })] }), ...extra)]))
        .map((v) => v.fix);
    expect(noStore()).toEqual([fixSource('the key-backup store of the key')]);
    expect(noStore(bucket('other', 'key-backup', { tags: tags('key-backup', 'other-key') }), bucket('db', 'db-backup', { tags: tags('db-backup') }))).toEqual([fixSource('the key-backup store of the key')]);
    expect(noStore(bucket('anykey', 'key-backup', { tags: { 'custody:role': 'key-backup' } }), bucket('own', 'key-backup'))).toEqual([fixSource('"aws_s3_bucket.anykey"')]);
    expect(noStore(bucket('own', 'key-backup'), bucket('anykey', 'key-backup', { tags: { 'custody:role': 'key-backup' } }))).toEqual([fixSource('"aws_s3_bucket.own"')]);
    expect(noStore(bucket('other', 'key-backup', { tags: tags('key-backup', 'other-key') }), bucket('own', 'key-backup'))).toEqual([fixSource('"aws_s3_bucket.own"')]);
  });

  it('keySourcePath on a hot path (any of the key\'s paths); a drill of an undeclared key has no hot paths', () => {
    expect(
      check([
        drill({ id: 'a', keySourcePath: '/etc/zitadel/masterkey' }),
        drill({ id: 'b', keySourcePath: '/restore/masterkey' }),
        { id: 'c', key: 'ghost', keySource: '/etc/zitadel/masterkey', keySourcePath: '/etc/zitadel/masterkey' },
      ]),
    ).toEqual([
      [M, `declares drill "a" of key "${KEY}" with keySourcePath "/etc/zitadel/masterkey", which is the key's hot-copy host path`, `take the key from the object in the key-backup bucket; ${fixSource()}`],
      [M, 'declares drill "c" of key "ghost" with keySource "/etc/zitadel/masterkey", which names no store in the configuration, so restoring from the offsite copy cannot be proven', fixSource('the key-backup store of the key')],
    ]);
  });
});

describe('KC031 docker provider and drill containers (mutation tests)', () => {
  const PROVIDER_FIX = 'run the drill on a scratch docker host: a provider alias of its own whose `host` points at another machine';

  it('the production provider, or another provider on the production host, lists every production app container once', () => {
    expect(
      check(
        [drill({ id: 'a', dockerProvider: 'docker' }), drill({ id: 'b', dockerProvider: 'docker.again' })],
        // Arrays replace in doc(): the full provider list.
        { provider: { docker: [{ host: 'ssh://prod' }, { alias: 'scratch', host: 'ssh://scratch' }, { alias: 'again', host: 'SSH://prod/' }] } },
        container('labelled', { labels: labels({ 'custody:key': KEY }) }),
        container('elsewhere', { provider: 'docker.scratch', labels: labels({ 'custody:key': KEY }) }),
        container('otherKey', { labels: labels({ 'custody:key': 'other' }) }),
      ),
    ).toEqual([
      [
        M,
        'declares drill "a" of key "zitadel-master" on dockerProvider "docker", where the production app runs: docker_container.zitadel (same provider docker), docker_container.labelled (same provider docker); the drill would restore onto the production host',
        PROVIDER_FIX,
      ],
      [
        M,
        'declares drill "b" of key "zitadel-master" on dockerProvider "docker.again", where the production app runs: docker_container.zitadel (same docker host ssh://prod), docker_container.labelled (same docker host ssh://prod); the drill would restore onto the production host',
        PROVIDER_FIX,
      ],
    ]);
    expect(check([drill({ dockerProvider: undefined })])).toEqual([]);
  });

  it('drill containers mounting a hot copy (the file or a directory above), of any key, once per copy', () => {
    const drillCt = (name: string, mounts: Json[], key = KEY) => container(name, { mounts, labels: labels({ 'custody:role': 'drill', 'custody:key': key }) });
    const twoManifests = manifest([zitadelKey()], { drills: [] });
    expect(
      rule
        .check(
          model(
            ['s', base([drill()], drillCt('d1', [{ type: 'bind', source: '/etc/zitadel', target: '/run/secrets', read_only: true }]), drillCt('d2', [{ type: 'bind', source: '/etc/zitadel/masterkey', target: '/k' }], 'other'))],
            ['t', doc(twoManifests)],
          ),
        )
        .map((v) => [`${v.stack}/${v.address}`, v.message, v.fix]),
    ).toEqual([
      [
        's/docker_container.d1',
        'is a drill container that mounts /etc/zitadel (the hot copy /etc/zitadel/masterkey of key "zitadel-master") at /run/secrets: the drill must use the key restored from the offsite backup',
        'mount the key restored from the key-backup bucket into a scratch path (e.g. a volume filled by the restore step) instead of /etc/zitadel',
      ],
      [
        's/docker_container.d2',
        'is a drill container that mounts /etc/zitadel/masterkey (the hot copy /etc/zitadel/masterkey of key "zitadel-master") at /k: the drill must use the key restored from the offsite backup',
        'mount the key restored from the key-backup bucket into a scratch path (e.g. a volume filled by the restore step) instead of /etc/zitadel/masterkey',
      ],
    ]);
  });

  it('across stacks: store and container addresses name their stacks', () => {
    const w = world();
    firstDrill(w).keySource = 'db/aws_s3_bucket.db';
    firstDrill(w).dockerProvider = 'app/docker';
    expect(findings(rule, ...stacks(w)).map((f) => f.message)).toEqual([
      'declares drill "quarterly" of key "zitadel-master" with keySource aws_s3_bucket.db (stack db), which is a db-backup store, not the offsite key backup',
      'declares drill "quarterly" of key "zitadel-master" on dockerProvider "app/docker", where the production app runs: docker_container.zitadel (stack app) (same provider docker); the drill would restore onto the production host',
    ]);
  });
});
