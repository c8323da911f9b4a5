/**
 * Follow the data: a bucket that S3 replication fills with a custody store's objects holds
 * what the store holds (a replica of a key backup is a key backup; of DB backups, DB backups),
 * whether or not anyone tagged it. Replication rules (`aws_s3_bucket_replication_configuration`,
 * and the legacy inline `replication_configuration` of `aws_s3_bucket`) give the destination
 * the source's custody role, key and app, so that every rule checks it as a store.
 */
import type { ModelContext } from './context';
import { key } from './context';
import { block, blocks } from './load/refs';
import type { CustodyRole } from '../policy/tags';
import type { TfResource } from './types';

/** What a replica inherits from the store it copies. */
export interface ReplicaOf {
  readonly resource: TfResource;
  readonly role: CustodyRole;
  readonly key?: string;
  readonly app?: string;
  /** The replication resource that makes it a replica. */
  readonly via: TfResource;
}

interface StoreLike {
  readonly stack: string;
  readonly address: string;
  readonly role: CustodyRole;
  readonly key?: string;
  readonly app?: string;
}

/** Every (source bucket, destination bucket, replication resource) the configuration declares. */
function replications(ctx: ModelContext): { source: TfResource; dest: TfResource; via: TfResource }[] {
  const out: { source: TfResource; dest: TfResource; via: TfResource }[] = [];
  const add = (source: TfResource | undefined, rules: unknown, via: TfResource) => {
    if (!source) return;
    for (const rule of blocks(rules)) {
      const dest = ctx.target(via.stack, block(rule.destination)?.bucket, ['aws_s3_bucket']);
      if (dest && dest !== source) out.push({ source, dest, via });
    }
  };
  for (const r of ctx.ofType('aws_s3_bucket_replication_configuration')) {
    if (r.mode === 'managed') add(ctx.target(r.stack, r.values.bucket, ['aws_s3_bucket']), r.values.rule, r);
  }
  for (const b of ctx.ofType('aws_s3_bucket')) {
    if (b.mode === 'managed') add(b, block(b.values.replication_configuration)?.rules, b);
  }
  return out;
}

/**
 * Buckets that are not custody stores themselves but receive a store's objects by
 * replication, transitively (a replica of a replica), each once, first source wins.
 */
export function replicaStores(ctx: ModelContext, stores: readonly StoreLike[]): ReplicaOf[] {
  const known = new Map<string, StoreLike>(stores.map((s) => [key(s.stack, s.address), s]));
  const edges = replications(ctx);
  const out: ReplicaOf[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of edges) {
      const from = known.get(key(e.source.stack, e.source.address));
      const k = key(e.dest.stack, e.dest.address);
      if (!from || known.has(k)) continue;
      const replica: ReplicaOf = { resource: e.dest, role: from.role, key: from.key, app: from.app, via: e.via };
      out.push(replica);
      known.set(k, { stack: e.dest.stack, address: e.dest.address, role: from.role, key: from.key, app: from.app });
      changed = true;
    }
  }
  return out;
}
