import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc031-drill-uses-offsite-copy';
import { at, bucket, doc, findings, firstDrill, stacks, tags, world, type World } from './drill-fixtures';

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
