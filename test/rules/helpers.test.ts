/**
 * Direct tests of the pure helpers the rules share (lib/rules/helpers.ts): key variable and
 * flag recognition, argv splitting, mount arithmetic, the 3-2-1 tally and its phrases, and
 * dates. The rule tests reach these through whole models; these pin the boundaries.
 */
import { describe, expect, it } from 'vitest';
import type { Container, ManifestKey, Mount } from '../../lib/model/types';
import { bucket, doc, manifest, model, tags, zitadelKey } from './kc0xx-fixtures';
import { argvOf, byPathHint, flagsOf, keyFileRefs } from '../../lib/rules/helpers';
import { hasCustodyLabel } from '../../lib/model/views/carriers';
import { copiesOf, currentCopies, currentGeneration, describeTally, isOffsite, listCopies, missing321, tally, type CountedCopy } from '../../lib/model/views/copies';
import { currentHotPath, declarationOf, declaredKeys, hotPaths, knownKeyIds } from '../../lib/model/views/declared';
import { mountedAt, mountProviding, mountTarget } from '../../lib/model/views/mounts';
import { addDays, days, formatDate, parseDate } from '../../lib/policy/dates';
import { isKeyEnvName, isKeyFileEnvName, isKeyFileFlag, isKeyFromEnvFlag, isKeyValueFlag } from '../../lib/policy/keynames';
import { RETENTION_MARGIN_DAYS } from '../../lib/policy/limits';

function container(over: Partial<Container> = {}): Container {
  return {
    id: 'c',
    stack: 's',
    address: 'docker_container.c',
    kind: 'docker_container',
    env: {},
    command: [],
    entrypoint: [],
    mounts: [],
    provider: 'docker',
    labels: {},
    resource: undefined as never,
    ...over,
  };
}

const bind = (source: string | undefined, target: string, type: Mount['type'] = 'bind'): Mount => ({ source, target, readOnly: true, type });
const copy = (medium: string, location: string, offsite = false, kind = 'k'): CountedCopy => ({ kind, medium, location, offsite, declaredAt: 'm' });
const key = (over: Partial<ManifestKey> = {}): ManifestKey => ({ id: 'k', app: 'a', copies: [], ...over });

describe('key variable names', () => {
  it('recognises by-value key variables', () => {
    for (const n of ['MASTER_KEY', 'MASTERKEY', 'ZITADEL_MASTERKEY', 'SERVOS_MASTER_KEY', 'servos_master_key']) expect(isKeyEnvName(n), n).toBe(true);
  });
  it('rejects names that only contain the words, and the by-path twins', () => {
    for (const n of ['MASTER_KEY_FILE', 'ZITADEL_MASTERKEY_FILE', 'XMASTER_KEY', 'MASTER_KEY_ID', 'MASTER_KEYS', 'MASTER__KEY', 'MY_MASTER_KEY_file']) {
      expect(isKeyEnvName(n), n).toBe(false);
    }
  });
  it('recognises the by-path twins only', () => {
    for (const n of ['MASTER_KEY_FILE', 'SERVOS_MASTER_KEY_FILE', 'ZITADEL_MASTERKEY_FILE', 'act_master_key_file']) expect(isKeyFileEnvName(n), n).toBe(true);
    for (const n of ['MASTER_KEY', 'XMASTER_KEY_FILE', 'MASTER_KEY_FILE_PATH', 'TLS_KEY_FILE']) expect(isKeyFileEnvName(n), n).toBe(false);
  });
});

describe('argv and flags', () => {
  it('splits entrypoint then command on whitespace and strips quotes and trailing semicolons', () => {
    const c = container({ entrypoint: ['/bin/sh', '-c'], command: ['"start  --masterkeyFile', "'/run/k';", '', ' ;'] });
    expect(argvOf(c)).toEqual(['/bin/sh', '-c', 'start', '--masterkeyFile', '/run/k']);
  });
  it('keeps quotes inside a token', () => {
    expect(argvOf(container({ command: ['a"b', "--x='y'"] }))).toEqual(['a"b', "--x='y"]);
  });
  it('reads --f v, --f=v, -f v, and a flag followed by another flag or nothing', () => {
    expect(flagsOf(['app', '--a', 'v', '--b=w=x', '-c', '--d', '-e', '-f', '-', 'pos', '--g'])).toEqual([
      { flag: '--a', value: 'v', inline: false },
      { flag: '--b', value: 'w=x', inline: true },
      { flag: '-c', value: undefined, inline: false },
      { flag: '--d', value: undefined, inline: false },
      { flag: '-e', value: undefined, inline: false },
      { flag: '-f', value: undefined, inline: false },
      { flag: '--g', value: undefined, inline: false },
    ]);
  });
  it('does not take numbers, bare dashes or "=x" as flags', () => {
    expect(flagsOf(['-1', '--', '---', '=x', 'a=b', '--9'])).toEqual([]);
    expect(flagsOf(['--x=', '--y'])).toEqual([
      { flag: '--x', value: '', inline: true },
      { flag: '--y', value: undefined, inline: false },
    ]);
  });
  it('classifies key flags', () => {
    for (const f of ['--masterkeyFile', '--masterkey-file', '--master_key_file', '-m', '--MASTERKEYFILE', 'masterkeyfile']) expect(isKeyFileFlag(f), f).toBe(true);
    for (const f of ['--masterkey', '--file', '-M', '--m', '--keyfile']) expect(isKeyFileFlag(f), f).toBe(false);
    expect(isKeyFromEnvFlag('--masterkeyFromEnv')).toBe(true);
    expect(isKeyFromEnvFlag('--master-key-from-env')).toBe(true);
    expect(isKeyFromEnvFlag('--masterkeyFromEnvX')).toBe(false);
    expect(isKeyFromEnvFlag('--masterkey')).toBe(false);
    for (const f of ['--masterkey', '--masterkey-old', '--master-key', '-MasterKey']) expect(isKeyValueFlag(f), f).toBe(true);
    for (const f of ['--masterkeyFile', '--masterkeyFromEnv', '--key', '-m']) expect(isKeyValueFlag(f), f).toBe(false);
  });
});

describe('keyFileRefs', () => {
  it('lists key-file flags with literal paths, -m only with an absolute path, and *_FILE variables', () => {
    const c = container({
      command: ['start', '--masterkeyFile', '/run/k', '--masterkey-file=${var.p}', '-m', 'module', '-m', '/abs/key', '--other', '/x'],
      env: { SERVOS_MASTER_KEY_FILE: '/run/s', TLS_CERT_FILE: '/tls', EXPR_FILE: '${var.f}', EMPTY_FILE: '', PLAIN: '/p' },
    });
    expect(keyFileRefs(c)).toEqual([
      { via: '--masterkeyFile', path: '/run/k', keySpecific: true },
      { via: '--masterkey-file', path: undefined, keySpecific: true },
      { via: '-m', path: '/abs/key', keySpecific: true },
      { via: 'env SERVOS_MASTER_KEY_FILE', path: '/run/s', keySpecific: true },
      { via: 'env TLS_CERT_FILE', path: '/tls', keySpecific: false },
      { via: 'env EXPR_FILE', path: undefined, keySpecific: false },
      { via: 'env EMPTY_FILE', path: undefined, keySpecific: false },
    ]);
  });
  it('skips -m without a value', () => {
    expect(keyFileRefs(container({ command: ['run', '-m'] }))).toEqual([]);
  });
});

describe('byPathHint', () => {
  it('tells Zitadel to use --masterkeyFile (by app or by a ZITADEL_ variable)', () => {
    expect(byPathHint('Zitadel-prod', undefined, '/run/k')).toBe('pass `--masterkeyFile /run/k` in the command');
    expect(byPathHint(undefined, 'zitadel_masterkey', '/run/k')).toBe('pass `--masterkeyFile /run/k` in the command');
  });
  it('otherwise names the *_FILE twin of the variable, or one derived from the app', () => {
    expect(byPathHint('servos', 'SERVOS_MASTER_KEY', '/run/k')).toBe('set `SERVOS_MASTER_KEY_FILE=/run/k`');
    expect(byPathHint('my app.v2', 'OTHER', '/run/k')).toBe('set `MY_APP_V2_MASTER_KEY_FILE=/run/k`');
    expect(byPathHint(undefined, undefined, '/run/k')).toBe('set `APP_MASTER_KEY_FILE=/run/k`');
    expect(byPathHint('', undefined, '/run/k')).toBe('set `APP_MASTER_KEY_FILE=/run/k`');
    expect(byPathHint('xzitadel', 'NOT_ZITADEL_KEY', '/t')).toBe('pass `--masterkeyFile /t` in the command');
  });
});

describe('mounts', () => {
  it('mountedAt maps the file or a directory above it, ignoring trailing slashes', () => {
    expect(mountedAt(bind('/etc/z/masterkey', '/run/k'), '/etc/z/masterkey')).toBe('/run/k');
    expect(mountedAt(bind('/etc/z/', '/run/secrets/'), '/etc/z/masterkey')).toBe('/run/secrets/masterkey');
    expect(mountedAt(bind('/etc/z', '/run/secrets'), '/etc/z/sub/masterkey/')).toBe('/run/secrets/sub/masterkey');
    expect(mountedAt(bind('/etc/z', '/r'), '/etc/zz/masterkey')).toBeUndefined();
    expect(mountedAt(bind('/etc/z/masterkey', '/r'), '/etc/z')).toBeUndefined();
  });
  it('mountedAt ignores secret, upload and tmpfs mounts and mounts without a source', () => {
    for (const t of ['secret', 'upload', 'tmpfs'] as const) expect(mountedAt(bind('/etc/k', '/r', t), '/etc/k'), t).toBeUndefined();
    expect(mountedAt(bind(undefined, '/r'), '/etc/k')).toBeUndefined();
    expect(mountedAt(bind('/etc/k', '/r', 'volume'), '/etc/k')).toBe('/r');
  });
  it('mountTarget puts relative secret targets under /run/secrets', () => {
    expect(mountTarget(bind(undefined, 'masterkey', 'secret'))).toBe('/run/secrets/masterkey');
    expect(mountTarget(bind(undefined, '/custom/k', 'secret'))).toBe('/custom/k');
    expect(mountTarget(bind('/x', 'rel', 'bind'))).toBe('rel');
  });
  it('mountProviding picks the deepest mount that holds the path', () => {
    const top = bind('/a', '/run');
    const deep = bind('/b', '/run/secrets/');
    const exact = bind('/c', '/run/secrets/k');
    const sibling = bind('/d', '/run/secretsx');
    expect(mountProviding(container({ mounts: [top, deep, sibling] }), '/run/secrets/k')).toBe(deep);
    expect(mountProviding(container({ mounts: [exact, deep, top] }), '/run/secrets/k')).toBe(exact);
    expect(mountProviding(container({ mounts: [deep, top] }), '/run/other')).toBe(top);
    expect(mountProviding(container({ mounts: [sibling] }), '/run/secrets/k')).toBeUndefined();
    expect(mountProviding(container({ mounts: [bind(undefined, 'k', 'secret')] }), '/run/secrets/k')?.target).toBe('k');
    expect(mountProviding(container({ mounts: [bind('/x', '')] }), '/run/k')).toBeUndefined();
  });
});

describe('declared and known keys', () => {
  it('the first declaration of a key wins; every declaration is listed; known ids are sorted and unique', () => {
    const m = model(
      ['a', doc(manifest([zitadelKey({ app: 'first' })]))],
      ['b', doc(manifest([zitadelKey({ app: 'second' }), zitadelKey({ id: 'b-key' })]), bucket('kb', 'key-backup', { tags: tags('key-backup', 'a-store-key') }))],
    );
    expect(declarationOf(m, 'zitadel-master')?.key.app).toBe('first');
    expect(declarationOf(m, 'zitadel-master')?.manifest.stack).toBe('a');
    expect(declarationOf(m, 'nope')).toBeUndefined();
    expect(declaredKeys(m).map((d) => `${d.manifest.stack}:${d.key.id}`)).toEqual(['a:zitadel-master', 'b:zitadel-master', 'b:b-key']);
    expect(knownKeyIds(m)).toEqual(['a-store-key', 'b-key', 'zitadel-master']);
  });

  it('hasCustodyLabel looks for custody: label prefixes', () => {
    expect(hasCustodyLabel(container({ labels: { 'custody:role': 'drill' } }))).toBe(true);
    expect(hasCustodyLabel(container({ labels: { 'app.custody:': 'x', custody: 'y' } }))).toBe(false);
    expect(hasCustodyLabel(container())).toBe(false);
  });
});

describe('hot paths', () => {
  it('lists hostFile.path, hostPath and generation host paths once each', () => {
    const k = key({
      hostPath: '/h',
      hostFile: { path: '/hf', mode: '0400', owner: 'root', group: 'root', dirMode: '0700', deployCheck: true },
      generations: [
        { generation: 1, state: 'retired', copies: [], hostPath: '/h' },
        { generation: 2, state: 'active', copies: [], hostPath: '/g2' },
        { generation: 3, state: 'rotating', copies: [] },
      ],
    });
    expect(hotPaths(k)).toEqual(['/hf', '/h', '/g2']);
    expect(currentHotPath(k)).toBe('/hf');
    expect(currentHotPath(key({ hostPath: '/h' }))).toBe('/h');
    expect(currentHotPath(key({ hostPath: '' }))).toBeUndefined();
    expect(hotPaths(key())).toEqual([]);
  });
});

describe('3-2-1 tally', () => {
  it('an S3 copy is offsite even when not declared so', () => {
    expect(isOffsite({ offsite: false, medium: 's3' })).toBe(true);
    expect(isOffsite({ offsite: true, medium: 'paper' })).toBe(true);
    expect(isOffsite({ offsite: false, medium: 'nas' })).toBe(false);
  });

  it('currentGeneration: newest active, else newest non-retired, else newest, else from the copies', () => {
    const g = (generation: number, state: 'active' | 'rotating' | 'retired') => ({ generation, state, copies: [] });
    expect(currentGeneration(key({ generations: [g(1, 'active'), g(3, 'active'), g(4, 'rotating'), g(2, 'retired')] }))).toBe(3);
    expect(currentGeneration(key({ generations: [g(5, 'retired'), g(2, 'rotating'), g(3, 'rotating')] }))).toBe(3);
    expect(currentGeneration(key({ generations: [g(1, 'retired'), g(4, 'retired')] }))).toBe(4);
    expect(currentGeneration(key({ generations: [] }), [2, 7, 3])).toBe(7);
    expect(currentGeneration(undefined, [1])).toBe(1);
    expect(currentGeneration(key())).toBeUndefined();
    expect(currentGeneration(undefined)).toBeUndefined();
  });

  it('tally counts distinct known media and offsite copies', () => {
    const t = tally([copy('s3', 'b'), copy('nas', '/n'), copy('unknown', '?'), copy('', 'x'), copy('nas', '/m', true), copy('paper', 'safe', true)]);
    expect(t.media).toEqual(['nas', 'paper', 's3']);
    expect(t.offsite).toBe(3);
    expect(t.copies).toHaveLength(6);
  });

  it('missing321 at the 3-2-1 boundaries', () => {
    expect(missing321(tally([copy('nas', '/a'), copy('paper', 's', true), copy('nas', '/b')]))).toEqual([]);
    expect(missing321(tally([copy('nas', '/a'), copy('paper', 's', true)]))).toEqual(['1 more copy (at least 3)']);
    expect(missing321(tally([copy('nas', '/a')]))).toEqual([
      '2 more copies (at least 3)',
      'a copy on a second medium (all are on nas)',
      'an offsite copy (an S3 key-backup bucket, or a copy declared offsite such as paper in a safe)',
    ]);
    expect(missing321(tally([]))).toEqual([
      '3 more copies (at least 3)',
      'copies on 2 distinct media',
      'an offsite copy (an S3 key-backup bucket, or a copy declared offsite such as paper in a safe)',
    ]);
    expect(missing321(tally([copy('unknown', '/a', true), copy('unknown', '/b'), copy('unknown', '/c')]))).toEqual(['copies on 2 distinct media']);
  });

  it('describeTally and listCopies phrase singular, plural and empty', () => {
    expect(describeTally(tally([copy('nas', '/a')]))).toBe('1 copy on 1 medium (nas), 0 offsite');
    expect(describeTally(tally([copy('nas', '/a'), copy('s3', 'b')]))).toBe('2 copies on 2 media (nas, s3), 1 offsite');
    expect(describeTally(tally([]))).toBe('0 copies on 0 media, 0 offsite');
    expect(listCopies([])).toBe('none');
    expect(listCopies([copy('nas', '/a'), copy('paper', '', true, 'offsite')])).toBe('nas /a, paper offsite');
  });
});

describe('copiesOf and currentCopies', () => {
  const nas = (location: string, extra: Record<string, unknown> = {}) => ({ kind: 'cold', medium: 'nas', location, offsite: false, ...extra });
  const counted = (copies: { medium: string; location: string; offsite: boolean }[]) => copies.map((c) => `${c.medium} ${c.location}${c.offsite ? ' (offsite)' : ''}`);

  it('counts one copy per medium and location: S3 by bucket, trailing slashes ignored, an offsite declaration wins', () => {
    const m = model([
      'app',
      doc(
        manifest([
          zitadelKey({
            copies: [
              { kind: 'a', medium: 's3', location: 's3://kc-kb/a.age', offsite: false },
              { kind: 'b', medium: 's3', location: 'arn:aws:s3:::kc-kb/b.age', offsite: false },
              { kind: 'c', medium: 's3', location: 'arn:aws-cn:s3:::kc-other', offsite: false },
              nas('/mnt/nas/k/'),
              nas(' /mnt/nas/k', { offsite: true }),
              { kind: 'paper', medium: 'paper', location: '', offsite: true },
              { kind: 'paper2', medium: 'paper', location: '', offsite: true },
              { kind: 'x', medium: 'paper', location: '/', offsite: false },
            ],
          }),
        ]),
      ),
    ]);
    const { generation, copies, tally: t } = currentCopies(m, 'zitadel-master');
    expect(generation).toBeUndefined();
    expect(counted(copies)).toEqual([
      'host-file /etc/zitadel/masterkey',
      's3 s3://kc-kb/a.age',
      's3 arn:aws-cn:s3:::kc-other',
      'nas  /mnt/nas/k (offsite)',
      // Without a location, copies are told apart by kind.
      'paper  (offsite)',
      'paper  (offsite)',
      'paper /',
    ]);
    expect(t.offsite).toBe(5);
  });

  it('a generation counts its own copies, its host path instead of the key\'s, and its offsite object when it exists', () => {
    const m = model([
      'app',
      doc(
        manifest([
          zitadelKey({
            copies: [nas('/mnt/g1', { generation: 1 }), nas('/mnt/g2', { generation: 2 }), nas('/mnt/any')],
            generations: [
              { generation: 1, state: 'retired', copies: [{ kind: 'p', medium: 'paper', location: 'safe-1', offsite: true }], offsiteObject: 'aws_s3_object.g1' },
              { generation: 2, state: 'active', copies: [], hostPath: '/etc/zitadel/masterkey.2', offsiteObject: 'aws_s3_object.missing' },
            ],
          }),
        ]),
        { resource: { aws_s3_object: { g1: { bucket: 'kc-kb', key: 'g1.age' } } } },
      ),
    ]);
    const of = (generation: number | undefined, includeUngenerationed: boolean, hotIsThisGeneration: boolean) =>
      counted(copiesOf(m, 'zitadel-master', { generation, includeUngenerationed, hotIsThisGeneration }));
    expect(of(2, false, true)).toEqual(['nas /mnt/g2', 'host-file /etc/zitadel/masterkey.2']);
    expect(of(2, true, true)).toEqual(['nas /mnt/g2', 'nas /mnt/any', 'host-file /etc/zitadel/masterkey.2']);
    expect(of(1, false, true)).toEqual(['host-file /etc/zitadel/masterkey', 'nas /mnt/g1', 'paper safe-1 (offsite)', 's3 aws_s3_object.g1 (offsite)']);
    expect(of(1, false, false)).toEqual(['nas /mnt/g1', 'paper safe-1 (offsite)', 's3 aws_s3_object.g1 (offsite)']);
    expect(of(undefined, false, false)).toEqual([
      'nas /mnt/g1',
      'nas /mnt/g2',
      'nas /mnt/any',
      'paper safe-1 (offsite)',
      's3 aws_s3_object.g1 (offsite)',
      'host-file /etc/zitadel/masterkey.2',
    ]);
    expect(currentCopies(m, 'zitadel-master').generation).toBe(2);
    expect(of(3, false, true)).toEqual(['host-file /etc/zitadel/masterkey']);
  });
});

describe('dates', () => {
  it('parseDate accepts real YYYY-MM-DD dates only', () => {
    expect(parseDate('2026-01-31')).toBe(Date.UTC(2026, 0, 31));
    expect(parseDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    for (const s of ['2025-02-29', '2025-02-30', '2026-13-01', '2026-1-01', '2026-01-01T00:00:00Z', ' 2026-01-01', '20260101', '', undefined]) {
      expect(parseDate(s), String(s)).toBeUndefined();
    }
  });
  it('addDays, formatDate and days', () => {
    expect(formatDate(addDays(Date.UTC(2026, 0, 1), 92))).toBe('2026-04-03');
    expect(formatDate(addDays(Date.UTC(2026, 0, 1), -1))).toBe('2025-12-31');
    expect(days(1)).toBe('1 day');
    expect(days(0)).toBe('0 days');
    expect(days(30)).toBe('30 days');
    expect(days(Infinity)).toBe('forever');
    expect(RETENTION_MARGIN_DAYS).toBe(30);
  });
});
