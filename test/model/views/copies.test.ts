/**
 * The 3-2-1 arithmetic (lib/model/views/copies.ts): which copies count for a generation,
 * one copy per place, the current generation, the tally and its phrases.
 */
import { describe, expect, it } from 'vitest';
import type { KeyCopy } from '../../../lib/model/types';
import { copiesOf, currentCopies, currentGeneration, describeTally, isOffsite, listCopies, missing321, tally } from '../../../lib/model/views/copies';
import { hand, mf, mkey, copy, key, hostFile } from '../hand-model';
import { doc, manifest, model, zitadelKey } from '../../rules/kc0xx-fixtures';

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

describe('copies', () => {
  const kc = (over: Partial<KeyCopy>): KeyCopy => ({ key: 'k', kind: 'cold', medium: 'nas', location: '/n', offsite: false, stack: 's', address: 'store', ...over });
  const shown = (cs: { medium: string; location: string; offsite: boolean; generation?: number; declaredAt: string }[]) =>
    cs.map((c) => `${c.medium} ${c.location}${c.offsite ? ' offsite' : ''} g${c.generation ?? '-'} @${c.declaredAt}`);

  it('without a declaration: every copy of the key (not of other keys), the current generation from the copies', () => {
    const m = hand({
      copies: [kc({ generation: 1, location: '/g1' }), kc({ key: 'other', generation: 9, location: '/o' }), kc({ generation: 3, location: '/g3', address: 'a3' }), kc({ location: '/any' })],
    });
    const cur = currentCopies(m, 'k');
    expect(cur.generation).toBe(3);
    expect(shown(cur.copies)).toEqual(['nas /g3 g3 @a3', 'nas /any g- @store']);
    expect(cur.tally).toEqual({ copies: cur.copies, media: ['nas'], offsite: 0 });
    expect(shown(copiesOf(m, 'k', { generation: undefined, includeUngenerationed: false, hotIsThisGeneration: true }))).toEqual(['nas /g1 g1 @store', 'nas /g3 g3 @a3', 'nas /any g- @store']);
    expect(currentCopies(m, 'none')).toEqual({ generation: undefined, copies: [], tally: { copies: [], media: [], offsite: 0 } });
  });

  it('one copy per place: the first offsite declaration is kept, an S3 location counts by bucket, other media by the full location', () => {
    const m = hand({
      copies: [
        kc({ medium: 'paper', location: 'safe', offsite: true, address: 'first' }),
        kc({ medium: 'paper', location: 'safe', offsite: false, address: 'second' }),
        kc({ medium: 'paper', location: 'safe', offsite: true, address: 'third' }),
        kc({ medium: 'nas', location: 's3://x/a', address: 'n1' }),
        kc({ medium: 'nas', location: 's3://x/b', address: 'n2' }),
        kc({ medium: 's3', location: 's3://bk/a', address: 's1' }),
        kc({ medium: 's3', location: 'bk', address: 's2' }),
        kc({ medium: 's3', location: 'arn:aws:s3:::bk/x', address: 's3' }),
        kc({ medium: 'disk', location: '/d/', address: 'd1' }),
        kc({ medium: 'disk', location: '/d', address: 'd2' }),
        kc({ medium: 'disk', location: '', kind: 'usb', address: 'e1' }),
        kc({ medium: 'disk', location: ' ', kind: 'usb', address: 'e2' }),
      ],
    });
    expect(shown(copiesOf(m, 'k', { includeUngenerationed: true, hotIsThisGeneration: false }))).toEqual([
      'paper safe offsite g- @first',
      'nas s3://x/a g- @n1',
      'nas s3://x/b g- @n2',
      's3 s3://bk/a g- @s1',
      'disk /d/ g- @d1',
      'disk  g- @e1',
    ]);
    const t = tally(copiesOf(m, 'k', { includeUngenerationed: true, hotIsThisGeneration: false }));
    expect([t.media, t.offsite]).toEqual([['disk', 'nas', 'paper', 's3'], 2]);
  });

  it('the key\'s hot copy comes first and belongs to the generation asked for unless that generation has its own host path', () => {
    const key = mkey('k', {
      hostFile: hostFile('/hot'),
      generations: [
        { generation: 1, state: 'retired', copies: [], hostPath: '/hot.1' },
        { generation: 2, state: 'active', copies: [{ kind: 'p', medium: 'paper', location: 'safe', offsite: true }] },
      ],
    });
    const m = hand({ manifests: [mf('s', [key])], copies: [kc({ location: '/n', generation: 2 })] });
    const of = (generation: number | undefined, hot = true) => shown(copiesOf(m, 'k', { generation, includeUngenerationed: false, hotIsThisGeneration: hot }));
    expect(of(2)).toEqual(['host-file /hot g2 @terraform_data.custody_manifest', 'nas /n g2 @store', 'paper safe offsite g2 @terraform_data.custody_manifest']);
    expect(of(1)).toEqual(['host-file /hot.1 g1 @terraform_data.custody_manifest']);
    expect(of(2, false)).toEqual(['nas /n g2 @store', 'paper safe offsite g2 @terraform_data.custody_manifest']);
    expect(of(undefined)).toEqual([
      'host-file /hot g- @terraform_data.custody_manifest',
      'nas /n g2 @store',
      'host-file /hot.1 g1 @terraform_data.custody_manifest',
      'paper safe offsite g2 @terraform_data.custody_manifest',
    ]);
    expect(currentCopies(m, 'k').generation).toBe(2);
  });
});
