/**
 * The model's views: indexes over the model that the rules and reports ask for per key,
 * per type or per principal. Each is built on first use by the function that owns it
 * (declared.ts, carriers.ts, drills.ts, ...) and kept here, on the model it indexes, so a
 * model is built once and answers every later question from the same index.
 */
import type { Container, CustodyModel, Grant, TfResource } from '../types';
import type { HotPathEntry, KeyCarrier } from './carriers';
import type { DeclaredIndex } from './declared';
import type { KeyedIndex } from './drills';

/** The slots of one model's views; empty until a view function fills its own. */
export class ModelViews {
  /** Declared keys listed and by id, and copies by key (declared.ts). */
  declared?: DeclaredIndex;
  /** Resources by type (resources.ts). */
  byType?: Map<string, TfResource[]>;
  /** Declared hot-copy paths under every directory they lie in (carriers.ts). */
  hotPaths?: Map<string, HotPathEntry[]>;
  /** Every (container, key) pair where the container runs with the key (carriers.ts). */
  carriers?: readonly KeyCarrier[];
  /** Merged tags per resource (tags.ts). */
  readonly tags = new Map<TfResource, Readonly<Record<string, string>>>();
  /** Tags of drill schedules, with their group's and their target input's (tags.ts). */
  readonly scheduleTags = new Map<TfResource, Readonly<Record<string, string>>>();
  /** Drill containers by the key they name (drills.ts). */
  drillContainers?: KeyedIndex<Container>;
  /** Production app containers by key (drills.ts). */
  appContainers?: Map<string, Container[]>;
  /** Drill-tagged resources of a type by the key they name, per type (drills.ts). */
  readonly drillResources = new Map<string, KeyedIndex<TfResource>>();
  /** Grants by principal id (grants.ts). */
  grantsByPrincipal?: Map<string, Grant[]>;
}

/**
 * A model with fresh, empty views. The model builder gives every model its own; a model
 * written by hand (tests), or derived from another by replacing some of its lists, gets
 * them here, so no index of the other model is answered for it.
 */
export function withViews(parts: Omit<CustodyModel, 'views'>): CustodyModel {
  return { ...parts, views: new ModelViews() };
}
