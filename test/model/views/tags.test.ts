/**
 * Tags of a resource (lib/model/views/tags.ts): provider default_tags under tags_all, tags
 * and labels, kept once per resource; and the tags of a drill schedule (its group's, its
 * target input's, its own).
 */
import { describe, expect, it } from 'vitest';
import { drillSchedules } from '../../../lib/model/views/drills';
import { resourceTags, scheduleTags, mergeTags } from '../../../lib/model/views/tags';
import { model } from '../../rules/kc0xx-fixtures';

describe('resourceTags', () => {
  it('merges the default_tags of the resource\'s own provider (stack and alias), tags_all, tags and labels', () => {
    const m = model(
      [
        'app',
        {
          provider: {
            aws: [{ default_tags: { tags: { team: 'default', only: 'default' } } }, { alias: 'west', default_tags: [{ tags: { team: 'west', n: 1 } }] }],
            docker: [{ host: 'unix:///var/run/docker.sock' }],
          },
          resource: {
            aws_s3_bucket: {
              w: { provider: '${aws.west}', bucket: 'w', tags_all: { a: 'all', b: 'all' }, tags: { b: 'own', n: 2 } },
              d: { bucket: 'd', tags: { own: 'yes' } },
            },
            docker_container: {
              c: { name: 'c', image: 'i', labels: [{ label: 'custody:app', value: 'zitadel' }, { label: 'bad', value: 1 }, { value: 'no-label' }] },
            },
          },
        },
      ],
      ['other', { provider: { aws: [{ default_tags: { tags: { team: 'other' } } }] }, resource: { aws_s3_bucket: { o: { bucket: 'o' } } } }],
    );
    const r = (stack: string, address: string) => resourceTags(m, m.resource(stack, address)!);
    expect(r('app', 'aws_s3_bucket.w')).toEqual({ team: 'west', a: 'all', b: 'own' });
    expect(r('app', 'aws_s3_bucket.d')).toEqual({ team: 'default', only: 'default', own: 'yes' });
    expect(r('other', 'aws_s3_bucket.o')).toEqual({ team: 'other' });
    expect(r('app', 'docker_container.c')).toEqual({ 'custody:app': 'zitadel' });
  });
});

describe('a schedule whose group is an expression inherits no group tags', () => {
  it('does not take the tags of a group that has no literal name', () => {
    const tags = { 'custody:role': 'drill', 'custody:key': 'k1' };
    const m = model([
      's',
      {
        resource: {
          aws_scheduler_schedule_group: { g: { name_prefix: 'drills-', tags } },
          aws_scheduler_schedule: { other: { group_name: '${var.g}' } },
        },
      },
    ]);
    expect(scheduleTags(m, m.resource('s', 'aws_scheduler_schedule.other')!)).toEqual({});
    expect(drillSchedules(m, 'k1')).toEqual([]);
  });
});

describe('mergeTags', () => {
  it('is the one merge: the model builder reads store tags and container labels with it, and resourceTags keeps its answer', () => {
    const m = model([
      's',
      {
        provider: { aws: [{ default_tags: { tags: { team: 'ops', 'custody:app': 'zitadel' } } }], docker: [{}] },
        resource: {
          aws_s3_bucket: { kb: { bucket: 'kb', tags: { 'custody:role': 'key-backup', 'custody:key': 'k' } } },
          docker_container: { one: { name: 'one', image: 'x', labels: { label: 'custody:key', value: 'k' } }, two: { name: 'two', image: 'x', labels: [{ label: 'custody:app', value: 'a' }] } },
        },
      },
    ]);
    const kb = m.resource('s', 'aws_s3_bucket.kb')!;
    expect(mergeTags(m.providers[0], kb)).toEqual({ team: 'ops', 'custody:app': 'zitadel', 'custody:role': 'key-backup', 'custody:key': 'k' });
    expect(m.stores.map((s) => [s.key, s.app])).toEqual([['k', 'zitadel']]);
    expect(resourceTags(m, kb)).toEqual(mergeTags(m.providers[0], kb));
    // A single label block (an object, not a list) is read as a block, by the builder and the view alike.
    expect(m.containers.map((c) => c.labels)).toEqual([{ label: 'custody:key', value: 'k', 'custody:key': 'k' }, { 'custody:app': 'a' }]);
    for (const c of m.containers) expect(resourceTags(m, c.resource)).toEqual(c.labels);
    expect(mergeTags(undefined, kb)).toEqual({ 'custody:role': 'key-backup', 'custody:key': 'k' });
  });
});
