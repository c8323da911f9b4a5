import type { Mount } from '../model/types';
import { keyCarriers, type KeyCarrier } from '../model/views/carriers';
import { currentHotPath, hotPaths } from '../model/views/declared';
import { mountedAt, mountProviding, mountTarget } from '../model/views/mounts';
import { isKeyValueFlag } from '../policy/keynames';
import { argvOf, byPathHint, flagsOf, keyFileRefs } from './helpers';
import { violationAt, type CustodyRule, type RuleViolation } from './rule';

const DEFAULT_TARGET = '/run/secrets/masterkey';

/** A mount through which the container sees the key, and where the key file appears. */
interface KeyMount {
  readonly mount: Mount;
  /** Path of the key file inside the container. */
  readonly path: string;
  /** True when the mount's source is the declared hot copy (or a directory holding it). */
  readonly fromHot: boolean;
}

function describeMount(m: Mount): string {
  if (m.type === 'secret') return `secret ${m.source ?? '?'} at ${mountTarget(m)}`;
  if (m.type === 'upload') return `upload at ${m.target}`;
  return `${m.source ?? '<unknown source>'} → ${m.target}`;
}

function mountFix(c: KeyCarrier, m: Mount): string {
  const attr = c.container.kind === 'docker_container' ? 'read_only = true on the mount (or the `volumes` block)' : 'read_only = true on the mount';
  return `set ${attr} for ${describeMount(m)}`;
}

function checkCarrier(c: KeyCarrier): RuleViolation[] {
  const out: RuleViolation[] = [];
  const ct = c.container;
  const r = ct.resource;
  const app = c.declared?.key.app ?? ct.labels['custody:app'];
  const hot = c.declared ? currentHotPath(c.declared.key) : undefined;
  const paths = c.declared ? hotPaths(c.declared.key) : [];
  const subject = `carries key ${c.keyId} (${c.reasons.join('; ')})`;
  const bindAt = (target: string) => `a bind mount { source = "${hot ?? '<declared hot-copy path>'}", target = "${target}", read_only = true }`;
  const addMount = `add ${bindAt(DEFAULT_TARGET)} and ${byPathHint(app, undefined, DEFAULT_TARGET)}`;

  // Mounts of the declared hot copy.
  const mounts: KeyMount[] = [];
  for (const m of ct.mounts) {
    for (const p of paths) {
      const at = mountedAt(m, p);
      if (at !== undefined) mounts.push({ mount: m, path: at, fromHot: true });
    }
  }

  // Paths the app is told to read the key from, and the mounts that provide them.
  const refs = keyFileRefs(ct);
  const argv = argvOf(ct);
  const valueFlagArgs = new Set(flagsOf(argv).filter((f) => isKeyValueFlag(f.flag) && f.value !== undefined).map((f) => f.value as string));
  const unprovided: { via: string; path: string }[] = [];
  for (const ref of refs) {
    if (ref.path === undefined) continue;
    const m = mountProviding(ct, ref.path);
    if (m) {
      if (!mounts.some((k) => k.mount === m && k.path === ref.path)) mounts.push({ mount: m, path: ref.path, fromHot: mounts.some((k) => k.mount === m && k.fromHot) });
    } else if (ref.keySpecific) {
      unprovided.push({ via: ref.via, path: ref.path });
    }
  }
  for (const u of unprovided) {
    out.push(violationAt(r, `passes ${u.via} ${u.path} but mounts nothing at that path`, `add ${bindAt(u.path)}`));
  }

  if (mounts.length === 0) {
    // A drill's database and restore jobs carry the key label for the inventory but never
    // get the key; KC031 decides where a drill's key comes from.
    if (c.drill) return out;
    const why =
      ct.kind === 'ecs_task'
        ? ' (ECS mountPoints are not read by the model, so a mount there cannot be proven)'
        : '';
    out.push(violationAt(r, `${subject} but mounts no copy of it${why}`, addMount));
    return out;
  }

  // Writable key mounts.
  const reported = new Set<Mount>();
  for (const k of mounts) {
    if (reported.has(k.mount)) continue;
    if (k.mount.type === 'upload') {
      reported.add(k.mount);
      out.push(
        violationAt(
          r,
          `${subject} but gets the key file ${k.path} from an \`upload\` block: a writable file whose content is in Terraform state`,
          `remove the upload; ${addMount}`,
        ),
      );
    } else if (!k.mount.readOnly && k.mount.type !== 'secret') {
      reported.add(k.mount);
      out.push(violationAt(r, `${subject} but mounts it writable (${describeMount(k.mount)})`, mountFix(c, k.mount)));
    }
  }

  // Passed by path: a key-file flag, a *_FILE variable, or the path as a plain argument.
  const passedPaths = new Set(refs.map((x) => x.path).filter((p): p is string => p !== undefined));
  const byPath = (p: string) => passedPaths.has(p) || (argv.includes(p) && !valueFlagArgs.has(p));
  const passed = mounts.filter((k) => byPath(k.path));
  const unknownRefs = refs.filter((x) => x.path === undefined && x.keySpecific);
  if (passed.length === 0) {
    const target = mounts[0].path;
    if (unknownRefs.length > 0) {
      out.push(
        violationAt(
          r,
          `${subject}; it passes the key file path through ${unknownRefs.map((x) => x.via).join(', ')} as an expression that cannot be matched to the key mount at ${target}`,
          `pass the literal path: ${byPathHint(app, undefined, target)}`,
        ),
      );
    } else {
      out.push(
        violationAt(
          r,
          `${subject} and mounts it at ${target} but never passes that path (no key-file flag or *_FILE variable names it)`,
          byPathHint(app, undefined, target),
        ),
      );
    }
    return out;
  }

  // The key passed by path must come from the declared hot copy (drill containers use a restored copy).
  if (!c.drill && hot !== undefined && !passed.some((k) => k.fromHot || k.mount.type === 'secret' || k.mount.type === 'upload')) {
    const k = passed[0];
    const source = k.mount.source === undefined ? '<unknown source>' : k.mount.source.includes('${') ? 'an expression' : k.mount.source;
    out.push(
      violationAt(
        r,
        `${subject} but reads it from ${source} (${k.mount.type} mount at ${k.mount.target}), not from the declared hot copy ${hot}`,
        `mount the declared hot copy instead: { source = "${hot}", target = "${k.mount.target}", read_only = true }, or correct hostPath in the manifest`,
      ),
    );
  }
  return out;
}

export const rule: CustodyRule = {
  id: 'KC003',
  title: 'The key file is mounted read-only from the declared hot-copy path and passed by path',
  severity: 'error',
  explanation:
    'A container that runs with the key (label `custody:key`, label `custody:app` of a manifest key\'s app, or a mount of ' +
    'the key\'s declared hot-copy host path) must see the key as a read-only bind mount of the declared hot copy and be ' +
    'told its path (`--masterkeyFile <target>`, Zitadel\'s `-m <target>`, or a `*_FILE` variable such as ' +
    '`SERVOS_MASTER_KEY_FILE`; a plain argument naming the path, as a backup sidecar uses it, counts too). A writable ' +
    'mount lets a compromised app overwrite or truncate the only hot copy; a key the app is not given by path ends up ' +
    'in a variable or argument instead. Docker secret mounts count as read-only mounts. Recovery-drill containers ' +
    '(`custody:role=drill`) may mount a restored copy instead of the hot copy (KC031 checks where it comes from).',
  fix: 'mount the declared hot copy read-only (e.g. /etc/zitadel/masterkey → /run/secrets/masterkey, read_only = true) and pass `--masterkeyFile /run/secrets/masterkey`',
  suppressible: true,
  check(model) {
    return keyCarriers(model).flatMap(checkCarrier);
  },
};
