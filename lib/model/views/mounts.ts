/**
 * Where a container's mounts put a host path, and which mount provides a path inside it:
 * the arithmetic behind "this container mounts the key's hot copy".
 */
import type { Container, Mount } from '../types';

export function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/**
 * If a mount's source is `path` or a directory holding it, the path inside the container
 * where `path` appears; else undefined.
 */
export function mountedAt(m: Mount, path: string): string | undefined {
  if (m.source === undefined || m.type === 'secret' || m.type === 'upload' || m.type === 'tmpfs') return undefined;
  const src = trimSlash(m.source);
  const p = trimSlash(path);
  if (src === p) return m.target;
  if (p.startsWith(`${src}/`)) return `${trimSlash(m.target)}${p.slice(src.length)}`;
  return undefined;
}

/** Where a mount appears inside the container (`secret` mounts default to `/run/secrets/<name>`). */
export function mountTarget(m: Mount): string {
  if (m.type === 'secret' && !m.target.startsWith('/')) return `/run/secrets/${m.target}`;
  return m.target;
}

/** The mount that provides `path` inside the container: its target, or a directory above it. */
export function mountProviding(c: Container, path: string): Mount | undefined {
  const p = trimSlash(path);
  let best: Mount | undefined;
  for (const m of c.mounts) {
    const t = trimSlash(mountTarget(m));
    if (!t) continue;
    if (t === p || p.startsWith(`${t}/`)) {
      if (!best || trimSlash(mountTarget(best)).length < t.length) best = m;
    }
  }
  return best;
}
