/**
 * The custody tag contract: the tags (AWS) and labels (docker) the constructs write and the
 * model reads to tell stores, key copies, apps and drills apart. Plain vocabulary: no cdktf,
 * no model.
 */

/** The custody roles, carried by the `custody:role` tag. */
export type CustodyRole = 'db-backup' | 'key-backup' | 'key-store' | 'drill';

export const CUSTODY_ROLES: readonly CustodyRole[] = ['db-backup', 'key-backup', 'key-store', 'drill'];

/** Tag and label names of the custody contract. */
export const TAG_ROLE = 'custody:role';
export const TAG_KEY = 'custody:key';
export const TAG_APP = 'custody:app';
