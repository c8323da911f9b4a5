/**
 * The model owns its views (lib/model/views/index.ts): each model built gets its own, filled
 * on first use and kept; a model derived from another by replacing some of its lists gets
 * fresh ones through withViews, so no index of the other model answers for it.
 */
import { describe, expect, it } from 'vitest';
import type { Grant } from '../../../lib/model/types';
import { ModelViews, withViews } from '../../../lib/model/views';
import { keyCarriers } from '../../../lib/model/views/carriers';
import { declaredKeys } from '../../../lib/model/views/declared';
import { grantsOf } from '../../../lib/model/views/grants';
import { resourcesOfType } from '../../../lib/model/views/resources';
import { ct, hand, mf, mkey } from '../hand-model';
import { bucket, doc, model, tags } from '../../rules/kc0xx-fixtures';

describe('model views', () => {
  it('every built model has its own views, empty until a view function fills its slot, then reused', () => {
    const json = doc(bucket('kb', 'key-backup'), bucket('db', 'db-backup', { tags: tags('db-backup') }));
    const a = model(['s', json]);
    const b = model(['s', json]);
    expect(a.views).toBeInstanceOf(ModelViews);
    expect(a.views).not.toBe(b.views);
    expect(a.views.byType).toBeUndefined();
    const buckets = resourcesOfType(a, 'aws_s3_bucket');
    expect(buckets.map((r) => r.address)).toEqual(['aws_s3_bucket.kb', 'aws_s3_bucket.db']);
    expect(resourcesOfType(a, 'aws_s3_bucket')).toBe(buckets);
    expect(a.views.byType?.get('aws_s3_bucket')).toBe(buckets);
    expect(b.views.byType).toBeUndefined();
  });

  it('a hand-built model gets fresh views from withViews', () => {
    const m = hand({ manifests: [mf('s', [mkey('k', { hostPath: '/etc/k' })])], containers: [ct('app', { 'custody:key': 'k' })] });
    expect(m.views).toBeInstanceOf(ModelViews);
    expect(declaredKeys(m).map((d) => d.key.id)).toEqual(['k']);
    expect(keyCarriers(m).map((c) => c.keyId)).toEqual(['k']);
    expect(m.views.carriers).toBe(keyCarriers(m));
  });

  it('a model derived with withViews answers from its own lists, not from the views of the model it came from', () => {
    const g = (principal: string, store: string): Grant => ({ principal, store, access: 'read', via: 'policy' });
    const m = hand({ grants: [g('p', 'A')] });
    expect(grantsOf(m, 'p').map((x) => x.store)).toEqual(['A']);
    const derived = withViews({ ...m, grants: [g('p', 'A'), g('p', 'B')] });
    expect(derived.views).not.toBe(m.views);
    expect(grantsOf(derived, 'p').map((x) => x.store)).toEqual(['A', 'B']);
    expect(grantsOf(m, 'p').map((x) => x.store)).toEqual(['A']);
  });
});
