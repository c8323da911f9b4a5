import { key, type ModelContext } from './context';
import { block, blocks, bool, literal, strings } from './load/refs';
import type { Container, Mount, TfResource } from './types';
import { dataObject } from './load/json';

function envList(v: unknown): Record<string, string> {
  const out: Record<string, string> = dataObject();
  if (Array.isArray(v)) {
    for (const e of v) {
      if (typeof e !== 'string') continue;
      const i = e.indexOf('=');
      if (i > 0) out[e.slice(0, i)] = e.slice(i + 1);
      else out[e] = '';
    }
  } else if (v && typeof v === 'object') {
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) out[k] = typeof val === 'string' ? val : JSON.stringify(val);
  }
  return out;
}

function mountType(v: unknown): Mount['type'] {
  const t = literal(v);
  return t === 'volume' || t === 'tmpfs' ? t : 'bind';
}

function dockerContainer(r: TfResource, labels: Record<string, string>): Container {
  const mounts: Mount[] = [];
  for (const m of blocks(r.values.mounts)) {
    mounts.push({ source: literal(m.source) ?? (m.source as string | undefined), target: String(m.target ?? ''), readOnly: bool(m.read_only) === true, type: mountType(m.type) });
  }
  for (const v of blocks(r.values.volumes)) {
    const host = v.host_path as string | undefined;
    mounts.push({
      source: host ?? (v.volume_name as string | undefined),
      target: String(v.container_path ?? ''),
      readOnly: bool(v.read_only) === true,
      type: host !== undefined ? 'bind' : 'volume',
    });
  }
  for (const u of blocks(r.values.upload)) {
    mounts.push({ source: undefined, target: String(u.file ?? ''), readOnly: false, type: 'upload' });
  }
  return {
    id: key(r.stack, r.address),
    stack: r.stack,
    address: r.address,
    kind: 'docker_container',
    image: typeof r.values.image === 'string' ? r.values.image : undefined,
    env: envList(r.values.env),
    command: strings(r.values.command),
    entrypoint: strings(r.values.entrypoint),
    mounts,
    provider: r.provider,
    labels,
    resource: r,
  };
}

function dockerService(r: TfResource, labels: Record<string, string>): Container {
  const spec = block(block(r.values.task_spec)?.container_spec) ?? {};
  const mounts: Mount[] = blocks(spec.mounts).map((m) => ({
    source: m.source as string | undefined,
    target: String(m.target ?? ''),
    readOnly: bool(m.read_only) === true,
    type: mountType(m.type),
  }));
  for (const s of blocks(spec.secrets)) {
    mounts.push({ source: String(s.secret_id ?? s.secret_name ?? ''), target: String(s.file_name ?? ''), readOnly: true, type: 'secret' });
  }
  for (const l of blocks(spec.labels)) {
    if (typeof l.label === 'string' && typeof l.value === 'string') labels[l.label] = l.value;
  }
  return {
    id: key(r.stack, r.address),
    stack: r.stack,
    address: r.address,
    kind: 'docker_service',
    image: typeof spec.image === 'string' ? spec.image : undefined,
    env: envList(spec.env),
    // Swarm `args` follow the command; keep them together as the argv the app sees.
    command: [...strings(spec.command), ...strings(spec.args)],
    entrypoint: [],
    mounts,
    provider: r.provider,
    labels,
    resource: r,
  };
}

function ecsTasks(r: TfResource, labels: Record<string, string>): Container[] {
  const raw = r.values.container_definitions;
  let defs: unknown;
  try {
    defs = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    return [];
  }
  if (!Array.isArray(defs)) return [];
  return defs.map((d: Record<string, unknown>, i) => {
    const env: Record<string, string> = dataObject();
    for (const e of (Array.isArray(d.environment) ? d.environment : []) as { name?: unknown; value?: unknown }[]) {
      if (typeof e.name === 'string') env[e.name] = typeof e.value === 'string' ? e.value : JSON.stringify(e.value);
    }
    return {
      id: `${key(r.stack, r.address)}#${i}`,
      stack: r.stack,
      address: r.address,
      kind: 'ecs_task' as const,
      image: typeof d.image === 'string' ? d.image : undefined,
      env,
      command: strings(d.command),
      entrypoint: strings(d.entryPoint),
      mounts: [],
      provider: r.provider,
      labels,
      resource: r,
    };
  });
}

/** Every container or service that could run the app, hand-written or ours. */
export function readContainers(ctx: ModelContext, tagsOf: (r: TfResource) => Record<string, string>): Container[] {
  const out: Container[] = [];
  for (const r of ctx.ofType('docker_container')) if (r.mode === 'managed') out.push(dockerContainer(r, tagsOf(r)));
  for (const r of ctx.ofType('docker_service')) if (r.mode === 'managed') out.push(dockerService(r, tagsOf(r)));
  for (const r of ctx.ofType('aws_ecs_task_definition')) if (r.mode === 'managed') out.push(...ecsTasks(r, tagsOf(r)));
  return out;
}

/**
 * The command line of a container (entrypoint, then command) as words, quotes around a word
 * dropped. Several rules read it (KC001-KC003); a drill's restore job carries a script of
 * ~25 kB, so it is split once per container, not once per rule.
 */
export function containerArgv(c: Container): readonly string[] {
  let argv = argvs.get(c);
  if (!argv) {
    const out: string[] = [];
    for (const part of [...c.entrypoint, ...c.command]) {
      for (const tok of part.split(/\s+/)) {
        const t = tok.replace(/^['"]+|['";]+$/g, '');
        if (t) out.push(t);
      }
    }
    argvs.set(c, (argv = Object.freeze(out)));
  }
  return argv;
}
const argvs = new WeakMap<Container, readonly string[]>();
