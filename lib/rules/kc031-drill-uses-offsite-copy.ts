import { hotCopiesMountedBy } from '../model/views/carriers';
import { declarationOf, hotPaths } from '../model/views/declared';
import { appContainers, drillContainers, KeyedIndex } from '../model/views/drills';
import { hostOf, resolveProviderRef, sameHost } from '../model/views/hosts';
import { mountedAt } from '../model/views/mounts';
import { describeAt } from './custody-helpers';
import { declaredDrills, manifestLocation, resolveStoreRef } from './drill-helpers';
import { violationAt, type CustodyRule, type RuleViolation } from './rule';

export const rule: CustodyRule = {
  id: 'KC031',
  title: 'The drill restores the key from the offsite copy, never from the hot copy or the production host',
  severity: 'error',
  explanation:
    'The drill exists to prove that the key can be recovered when the production host is gone. Restoring it from the ' +
    'hot copy on the production host "defeats the drill": it passes while the offsite copy may be missing, stale or ' +
    'undecryptable. The drill\'s `keySource` must name a key-backup store (by id, `stack/address`, address or bucket ' +
    'name) holding that key - not `hot`, not a key-store, not the key\'s host path; no drill container may mount the ' +
    'key\'s hot-copy path (or a directory above it); and the drill\'s `dockerProvider` must not be the provider of the ' +
    'production app containers of the key (or point at the same docker host).',
  fix: 'Set the drill\'s keySource to the key-backup bucket (RecoveryDrill does this from the KeyBackupBucket you pass it) and run it on its own docker provider.',
  suppressible: true,
  check(model) {
    const out: RuleViolation[] = [];
    const keyBackups = new KeyedIndex(
      model.stores.filter((s) => s.role === 'key-backup'),
      (s) => s.key,
    );
    for (const d of declaredDrills(model)) {
      const { drill } = d;
      const loc = manifestLocation(d);
      const key = declarationOf(model, drill.key)?.key;
      const paths = key ? hotPaths(key) : [];
      const backups = keyBackups.of(drill.key);
      const backupHint = backups.length > 0 ? `"${backups[0].address}"` : 'the key-backup store of the key';
      const fixSource = `set keySource to ${backupHint} (the offsite key-backup bucket)`;
      const name = `drill "${drill.id}" of key "${drill.key}"`;
      const src = drill.keySource;

      if (src === undefined) {
        out.push({ ...loc, message: `declares ${name} without a keySource, so restoring from the offsite copy cannot be proven`, fix: fixSource });
      } else if (src.trim().toLowerCase() === 'hot') {
        out.push({ ...loc, message: `declares ${name} with keySource "hot": it restores the key from the hot copy on the production host, which proves nothing about the offsite copy`, fix: fixSource });
      } else if (paths.some((p) => src === p || mountedAt({ source: src, target: '/', readOnly: true, type: 'bind' }, p) !== undefined)) {
        out.push({ ...loc, message: `declares ${name} with keySource "${src}", which is the key's hot-copy host path`, fix: fixSource });
      } else {
        const store = resolveStoreRef(model, src, d.manifest.stack);
        if (!store) {
          out.push({ ...loc, message: `declares ${name} with keySource "${src}", which names no store in the configuration, so restoring from the offsite copy cannot be proven`, fix: fixSource });
        } else if (store.role !== 'key-backup') {
          const what = store.role === 'key-store' ? 'the hot key store the app itself reads' : `a ${store.role} store`;
          out.push({ ...loc, message: `declares ${name} with keySource ${describeAt(model, store.stack, store.address)}, which is ${what}, not the offsite key backup`, fix: fixSource });
        } else if (store.key !== undefined && store.key !== drill.key) {
          out.push({ ...loc, message: `declares ${name} with keySource ${describeAt(model, store.stack, store.address)}, which holds backups of key "${store.key}", not "${drill.key}"`, fix: fixSource });
        }
      }
      if (drill.keySourcePath !== undefined && paths.includes(drill.keySourcePath)) {
        out.push({ ...loc, message: `declares ${name} with keySourcePath "${drill.keySourcePath}", which is the key's hot-copy host path`, fix: `take the key from the object in the key-backup bucket; ${fixSource}` });
      }

      if (drill.dockerProvider !== undefined) {
        const drillHost = resolveProviderRef(model, drill.dockerProvider, d.manifest.stack);
        const hits = new Set<string>();
        for (const c of appContainers(model, drill.key)) {
          const how = sameHost(drillHost, hostOf(model, c.stack, c.provider));
          if (how) hits.add(`${describeAt(model, c.stack, c.address)} (${how === 'provider' ? `same provider ${c.provider}` : `same docker host ${drillHost.host}`})`);
        }
        if (hits.size > 0) {
          out.push({
            ...loc,
            message: `declares ${name} on dockerProvider "${drill.dockerProvider}", where the production app runs: ${[...hits].join(', ')}; the drill would restore onto the production host`,
            fix: 'run the drill on a scratch docker host: a provider alias of its own whose `host` points at another machine',
          });
        }
      }
    }

    // Drill containers that mount a key's hot copy (any key's: a drill never needs a hot copy).
    for (const c of drillContainers(model)) {
      for (const { declared, path: p, mount } of hotCopiesMountedBy(model, c)) {
        out.push(
          violationAt(
            c.resource,
            `is a drill container that mounts ${mount.source} (the hot copy ${p} of key "${declared.key.id}") at ${mount.target}: the drill must use the key restored from the offsite backup`,
            `mount the key restored from the key-backup bucket into a scratch path (e.g. a volume filled by the restore step) instead of ${mount.source}`,
          ),
        );
      }
    }
    return dedupe(out);
  },
};

function dedupe(v: RuleViolation[]): RuleViolation[] {
  const seen = new Set<string>();
  return v.filter((x) => {
    const k = `${x.stack}|${x.address}|${x.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
