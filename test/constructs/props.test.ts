import { describe, expect, it } from 'vitest';
import {
  adoptedBucketSchema,
  containerSchema,
  custodyBucketSchema,
  ephemeralKeyInputSchema,
  keyFileCheckSchema,
  masterKeySchema,
  serviceSchema,
  suppressionSchema,
} from '../../lib/constructs/props';

describe('props schemas', () => {
  it('are built on first use and the same object after', () => {
    for (const build of [masterKeySchema, ephemeralKeyInputSchema, custodyBucketSchema, adoptedBucketSchema, keyFileCheckSchema, containerSchema, serviceSchema, suppressionSchema]) {
      const first = build();
      expect(build()).toBe(first);
    }
  });
});
