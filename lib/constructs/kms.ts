/** Kept for existing imports: the key-administration actions live in the one action table, lib/policy/perms.ts. */
export { KMS_ADMIN_ACTIONS } from '../policy/perms';
