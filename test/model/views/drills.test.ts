/**
 * The drill views (lib/model/views/drills.ts): the per-key index (KeyedIndex) with key-less
 * items mixed in, drill, production and app containers of a key, and drill schedules and
 * alarms in model order.
 */
import { describe, expect, it } from 'vitest';
import { appContainers, drillAlarms, drillContainers, drillSchedules, isDrillContainer, KeyedIndex, productionContainers } from '../../../lib/model/views/drills';
import { scheduleTags } from '../../../lib/model/views/tags';
import { ct, hand, mf, mkey, mnt as bindMount } from '../hand-model';
import { model } from '../../rules/kc0xx-fixtures';

const names = (cs: readonly { address: string }[]) => cs.map((c) => c.address.replace(/^[a-z_]+\./, ''));

describe('KeyedIndex', () => {
  it('gives a key\'s items plus the key-less ones, in the original order', () => {
    type Item = { n: string; k?: string };
    const items: Item[] = [{ n: 'a', k: 'k1' }, { n: 'b' }, { n: 'c', k: 'k2' }, { n: 'd', k: 'k1' }, { n: 'e' }, { n: 'f', k: 'k1' }];
    const idx = new KeyedIndex(items, (x) => x.k);
    const of = (k: string) => idx.of(k).map((x) => x.n);
    expect(of('k1')).toEqual(['a', 'b', 'd', 'e', 'f']);
    expect(of('k2')).toEqual(['b', 'c', 'e']);
    expect(of('k3')).toEqual(['b', 'e']);
    // Every call returns a fresh array.
    idx.of('k1').push({ n: 'x' });
    idx.of('k3').push({ n: 'x' });
    expect(of('k1')).toEqual(['a', 'b', 'd', 'e', 'f']);
    expect(of('k3')).toEqual(['b', 'e']);
  });

  it('without key-less items: only the key\'s own, or nothing', () => {
    const idx = new KeyedIndex(['k2:a', 'k1:b', 'k2:c'], (x) => x.split(':')[0]);
    expect(idx.of('k2')).toEqual(['k2:a', 'k2:c']);
    expect(idx.of('k1')).toEqual(['k1:b']);
    expect(idx.of('k3')).toEqual([]);
    const own = idx.of('k2');
    own.pop();
    expect(idx.of('k2')).toEqual(['k2:a', 'k2:c']);
    expect(new KeyedIndex([], () => undefined).of('k')).toEqual([]);
  });

  it('key-less items first in the model come first', () => {
    const idx = new KeyedIndex(['-:a', 'k:b', '-:c', 'k:d'], (x) => (x.startsWith('-') ? undefined : x.slice(0, 1)));
    expect(idx.of('k')).toEqual(['-:a', 'k:b', '-:c', 'k:d']);
    expect(idx.of('z')).toEqual(['-:a', '-:c']);
  });
});

describe('drill and app containers', () => {
  const k1 = mkey('k1', { hostPath: '/etc/k1/masterkey' });
  const k2 = mkey('k2', { hostFile: { path: '/srv/k2/key', mode: '0400', owner: 'root', group: 'root', dirMode: '0700', deployCheck: true } });

  it('drill containers of a key: labelled with it, or with no key, in model order', () => {
    const drill = (name: string, key?: string) => ct(name, key ? { 'custody:role': 'drill', 'custody:key': key } : { 'custody:role': 'drill' });
    const m = hand({
      containers: [drill('anyA'), drill('k1a', 'k1'), ct('prod', { 'custody:key': 'k1' }), drill('k2a', 'k2'), drill('anyB'), drill('k1b', 'k1'), ct('other', { 'custody:role': 'db-backup' })],
    });
    expect(names(drillContainers(m, 'k1'))).toEqual(['anyA', 'k1a', 'anyB', 'k1b']);
    expect(names(drillContainers(m, 'k2'))).toEqual(['anyA', 'k2a', 'anyB']);
    expect(names(drillContainers(m, 'k3'))).toEqual(['anyA', 'anyB']);
    expect(names(drillContainers(m))).toEqual(['anyA', 'k1a', 'k2a', 'anyB', 'k1b']);
    expect(names(productionContainers(m))).toEqual(['prod', 'other']);
    expect(isDrillContainer(ct('x', { 'custody:role': 'drill' }))).toBe(true);
    expect(isDrillContainer(ct('x', { 'custody:role': 'Drill' }))).toBe(false);
    expect(isDrillContainer(ct('x', { 'custody:component': 'drill' }))).toBe(false);
  });

  it('only keyed drill containers: none of another key', () => {
    const m = hand({ containers: [ct('a', { 'custody:role': 'drill', 'custody:key': 'k1' })] });
    expect(names(drillContainers(m, 'k1'))).toEqual(['a']);
    expect(names(drillContainers(m, 'k2'))).toEqual([]);
  });

  it('app containers: labelled with the key or mounting its hot copy (file or a directory above), never drill containers', () => {
    const m = hand({
      manifests: [mf('s', [k1, k2])],
      containers: [
        ct('dirAbove', {}, [bindMount('/etc/k1', '/k')]),
        ct('slash', {}, [bindMount('/etc/k1/', '/k')]),
        ct('file', {}, [bindMount('/srv/k2/key', '/k')]),
        ct('both', {}, [bindMount('/srv/k2', '/a'), bindMount('/etc', '/b')]),
        ct('labelled', { 'custody:key': 'k2' }),
        ct('labelAndMount', { 'custody:key': 'k1' }, [bindMount('/etc/k1/masterkey', '/k')]),
        ct('sibling', {}, [bindMount('/etc/k1x', '/k'), bindMount('/etc/k', '/k2'), bindMount('/srv/k2/key/x', '/k3')]),
        ct('secret', {}, [bindMount('/etc/k1/masterkey', '/k', 'secret'), bindMount('/etc/k1', '/u', 'upload'), bindMount('/etc/k1', '/t', 'tmpfs'), bindMount(undefined, '/n')]),
        ct('volume', {}, [bindMount('/etc/k1', '/v', 'volume')]),
        ct('drill', { 'custody:role': 'drill', 'custody:key': 'k1' }, [bindMount('/etc/k1', '/k')]),
        ct('other', { 'custody:key': 'k3' }),
      ],
    });
    expect(names(appContainers(m, 'k1'))).toEqual(['dirAbove', 'slash', 'both', 'labelAndMount', 'volume']);
    expect(names(appContainers(m, 'k2'))).toEqual(['file', 'both', 'labelled']);
    expect(names(appContainers(m, 'k3'))).toEqual(['other']);
    expect(names(appContainers(m, 'none'))).toEqual([]);
    const first = appContainers(m, 'k1');
    first.length = 0;
    expect(appContainers(m, 'k1')).toHaveLength(5);
  });

  it('only the first declaration of a key names its hot copy', () => {
    const m = hand({
      manifests: [mf('a', [mkey('k', { hostPath: '/etc/first/key' })]), mf('b', [mkey('k', { hostPath: '/etc/second/key' }), mkey('j', { hostPath: '/etc/j/key' })])],
      containers: [ct('first', {}, [bindMount('/etc/first', '/k')]), ct('second', {}, [bindMount('/etc/second/key', '/k')]), ct('j', {}, [bindMount('/etc/j/key', '/k')]), ct('root', {}, [bindMount('/etc', '/e')])],
    });
    expect(names(appContainers(m, 'k'))).toEqual(['first', 'root']);
    expect(names(appContainers(m, 'j'))).toEqual(['j', 'root']);
  });

  it('a container mounting nothing declared and labelled with no key belongs to no key', () => {
    const m = hand({ manifests: [mf('s', [k1])], containers: [ct('plain', { 'custody:app': 'app' }, [bindMount('/data', '/data')])] });
    expect(appContainers(m, 'k1')).toEqual([]);
  });
});

describe('drill schedules and alarms', () => {
  const drillTags = (key?: string): Record<string, string> => (key ? { 'custody:role': 'drill', 'custody:key': key } : { 'custody:role': 'drill' });

  it('keyed and key-less drill resources of each type, in model order, managed only', () => {
    const m = model([
      's',
      {
        resource: {
          aws_cloudwatch_metric_alarm: {
            a_any: { tags: drillTags() },
            b_k1: { tags: drillTags('k1') },
            c_k2: { tags: drillTags('k2') },
            d_any: { tags: drillTags() },
            e_k1: { tags: drillTags('k1') },
            f_prod: { tags: { 'custody:role': 'key-backup', 'custody:key': 'k1' } },
            g_untagged: {},
          },
          aws_scheduler_schedule: {
            s_k2: { schedule_expression: 'rate(1 day)', tags: drillTags('k2') },
            t_any: { schedule_expression: 'rate(1 day)', tags: drillTags() },
            u_k1: { schedule_expression: 'rate(1 day)', target: { input: JSON.stringify({ 'custody:role': 'drill', 'custody:key': 'k1' }) } },
            v_none: { schedule_expression: 'rate(1 day)' },
          },
        },
        data: { aws_cloudwatch_metric_alarm: { z_data: { tags: drillTags('k1') } }, aws_scheduler_schedule: { z_data: { tags: drillTags() } } },
      },
    ]);
    const of = (rs: { address: string }[]) => names(rs);
    expect(of(drillAlarms(m, 'k1'))).toEqual(['a_any', 'b_k1', 'd_any', 'e_k1']);
    expect(of(drillAlarms(m, 'k2'))).toEqual(['a_any', 'c_k2', 'd_any']);
    expect(of(drillAlarms(m, 'k3'))).toEqual(['a_any', 'd_any']);
    expect(of(drillSchedules(m, 'k1'))).toEqual(['t_any', 'u_k1']);
    expect(of(drillSchedules(m, 'k2'))).toEqual(['s_k2', 't_any']);
    expect(of(drillSchedules(m, 'k3'))).toEqual(['t_any']);
    // Asked again (indexed), the answers are the same and fresh.
    drillAlarms(m, 'k1').pop();
    expect(of(drillAlarms(m, 'k1'))).toEqual(['a_any', 'b_k1', 'd_any', 'e_k1']);
  });

  it('schedule groups are found by literal name among managed groups only; schedule tags are computed once', () => {
    const m = model([
      's',
      {
        resource: {
          aws_scheduler_schedule_group: { g: { name: 'managed-group', tags: drillTags('k1') } },
          aws_scheduler_schedule: {
            viaData: { group_name: 'data-group', target: { input: 'null' } },
            viaManaged: { group_name: 'managed-group', target: { input: '"custody:key"' } },
            viaExpr: { group_name: '${var.g}' },
          },
        },
        data: { aws_scheduler_schedule_group: { d: { name: 'data-group', tags: drillTags('k2') } } },
      },
    ]);
    const r = (name: string) => m.resource('s', `aws_scheduler_schedule.${name}`)!;
    expect(scheduleTags(m, r('viaData'))).toEqual({});
    expect(scheduleTags(m, r('viaManaged'))).toEqual(drillTags('k1'));
    expect(scheduleTags(m, r('viaExpr'))).toEqual({});
    expect(scheduleTags(m, r('viaManaged'))).toBe(scheduleTags(m, r('viaManaged')));
    expect(names(drillSchedules(m, 'k1'))).toEqual(['viaManaged']);
  });

  it('no drill resources at all', () => {
    const m = model(['s', { resource: { aws_cloudwatch_metric_alarm: { a: { tags: { team: 'x' } } } } }]);
    expect(drillAlarms(m, 'k')).toEqual([]);
    expect(drillSchedules(m, 'k')).toEqual([]);
  });

  it('provider default_tags make an alarm a drill alarm', () => {
    const m = model([
      's',
      { provider: { aws: [{ default_tags: { tags: drillTags('k1') } }] }, resource: { aws_cloudwatch_metric_alarm: { a: {}, b: { tags: { 'custody:key': 'k2' } } } } },
    ]);
    expect(names(drillAlarms(m, 'k1'))).toEqual(['a']);
    expect(names(drillAlarms(m, 'k2'))).toEqual(['b']);
  });
});
