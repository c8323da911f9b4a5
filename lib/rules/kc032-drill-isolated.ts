import { type Container, type CustodyModel, type Principal } from '../model/types';
import { drillContainers, isDrillContainer, productionContainers } from '../model/views/drills';
import { type HostInfo, hostOf, sameHost } from '../model/views/hosts';
import { describeAt } from './custody-helpers';
import { grantsOf } from '../model/views/grants';
import { declaredDrills, isDrillPrincipal, isWrite, manifestLocation, networkAttachments, reachOf, resolveNetwork } from './drill-helpers';
import { violationAt, type CustodyRule, type RuleViolation } from './rule';

const DB_IMAGE = /(^|\/)(postgres|postgis|timescaledb|cockroach|cockroachdb|mysql|mariadb|mongo|mongodb)([:@-]|$)/i;

/** A database container: a known database image, or labelled/named as one. */
function isDatabase(c: Container): boolean {
  if (c.image && DB_IMAGE.test(c.image)) return true;
  const component = c.labels['custody:component'];
  // A SQLite app's drill has no server: its restore job writes the drill's own database file.
  if (component !== undefined) return /^(db|database|sqlite-restore)$/i.test(component);
  return /(^|[._-])(db|database|postgres|cockroach|mysql|mariadb)([._-]|$)/i.test(c.resource.name);
}

const isDocker = (c: Container) => c.kind === 'docker_container' || c.kind === 'docker_service';

/** Production docker containers grouped by provider configuration, each group with its host. */
type ProdHosts = { host: HostInfo; containers: { index: number; c: Container }[] }[];

function prodHosts(model: CustodyModel, prod: readonly Container[]): ProdHosts {
  const groups = new Map<string, ProdHosts[number]>();
  prod.forEach((c, index) => {
    if (!isDocker(c)) return;
    const id = `${c.stack}\u0000${c.provider}`;
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { host: hostOf(model, c.stack, c.provider), containers: [] }));
    g.containers.push({ index, c });
  });
  return [...groups.values()];
}

function checkHost(model: CustodyModel, c: Container, prod: ProdHosts, out: RuleViolation[]) {
  const mine = hostOf(model, c.stack, c.provider);
  const sameProvider: { index: number; c: Container }[] = [];
  const sameHostList: { index: number; c: Container }[] = [];
  // One comparison per provider configuration: every drill container against every production
  // container is quadratic in keys.
  for (const g of prod) {
    const how = sameHost(mine, g.host);
    if (how === 'provider') sameProvider.push(...g.containers);
    else if (how === 'host') sameHostList.push(...g.containers);
  }
  const shown = (list: { index: number; c: Container }[]) =>
    list
      .sort((a, b) => a.index - b.index)
      .map(({ c: p }) => describeAt(model, p.stack, p.address))
      .join(', ');
  const fix = 'give the drill its own docker provider alias (e.g. `docker.scratch`) whose `host` is a scratch machine, not the production host';
  if (sameProvider.length > 0) {
    out.push(violationAt(c.resource, `is a drill container on provider ${c.provider}, the same provider configuration as production container(s) ${shown(sameProvider)}`, fix));
  }
  if (sameHostList.length > 0) {
    out.push(violationAt(c.resource, `is a drill container whose provider ${c.provider} points at docker host ${mine.host}, the host of production container(s) ${shown(sameHostList)}`, fix));
  }
}

/**
 * The drill's fetch jobs (`custody:component` = `db-fetch` or `key-restore`) must reach S3,
 * and its outcome job (`outcome`: pages a failure, records a pass; it mounts only the steps'
 * status) must reach SNS, CloudWatch and Scheduler, so they may use a non-internal network,
 * provided only such jobs are on it: the drill's database and app stay on the internal
 * network and never get a route out.
 */
const FETCH_COMPONENTS = new Set(['db-fetch', 'key-restore', 'outcome']);

function isFetchJob(c: Container): boolean {
  return FETCH_COMPONENTS.has(c.labels['custody:component'] ?? '');
}

function checkNetworks(model: CustodyModel, c: Container, prodNetworks: Map<string, string>, nonFetchDrillNetworks: Map<string, string>, out: RuleViolation[]) {
  const att = networkAttachments(c);
  const values = [...att.values];
  const fix = 'attach the drill containers only to a `docker_network` with `internal = true` that no production container uses';
  const mode = att.mode ?? '';
  if (mode === 'none') return;
  if (mode === 'host') {
    out.push(violationAt(c.resource, 'is a drill container with network_mode "host": it shares the host\'s network and can reach production', fix));
    return;
  }
  if (mode.startsWith('container:')) {
    out.push(violationAt(c.resource, `is a drill container sharing the network of "${mode.slice('container:'.length)}", which cannot be proven isolated`, fix));
    return;
  }
  // The docker provider disconnects a container from the default bridge when networks_advanced is set.
  if ((mode === 'bridge' || mode === 'default') && values.length === 0) {
    out.push(violationAt(c.resource, `is a drill container with network_mode "${mode}", the default bridge network, which is not internal: the drill can reach production`, fix));
    return;
  }
  // Any other mode names a user-defined network.
  if (mode !== '' && mode !== 'bridge' && mode !== 'default') values.push(mode);
  if (values.length === 0) {
    out.push(violationAt(c.resource, 'is a drill container attached to no network of its own, so it runs on the default bridge network, which is not internal', fix));
    return;
  }
  for (const v of values) {
    const n = resolveNetwork(model, c, v);
    const prodUser = prodNetworks.get(n.id);
    if (prodUser) {
      out.push(violationAt(c.resource, `is a drill container attached to ${n.shown}, which production container ${prodUser} also uses`, fix));
    } else if (isFetchJob(c) && n.internal === false) {
      const other = nonFetchDrillNetworks.get(n.id);
      if (other) {
        out.push(
          violationAt(
            c.resource,
            `is a drill fetch job on ${n.shown}, which is not internal and which drill container ${other} also joins: only fetch jobs may have a route out`,
            'keep the drill database and app on the internal network only; give the fetch jobs a network of their own',
          ),
        );
      }
    } else if (n.internal === undefined) {
      out.push(violationAt(c.resource, `is a drill container attached to ${n.shown}, which cannot be proven internal (no docker_network with a literal \`internal\` is found for it)`, fix));
    } else if (!n.internal) {
      out.push(violationAt(c.resource, `is a drill container attached to ${n.shown}, which is not internal (internal = false): the drill can reach other networks`, `set \`internal = true\` on ${n.resource?.address ?? 'the network'}; ${fix}`));
    }
  }
}

/** Drill containers that reference a container outside the drill (e.g. the production database). */
function checkReferences(model: CustodyModel, c: Container, drillIds: ReadonlySet<string>, out: RuleViolation[]) {
  const values = { env: c.resource.values.env, command: c.resource.values.command, task_spec: c.resource.values.task_spec, links: c.resource.values.links };
  const seen = new Set<string>();
  for (const ref of model.referencesOf(c.stack, values)) {
    const r = model.resource(ref.stack, ref.address);
    if (!r || (r.type !== 'docker_container' && r.type !== 'docker_service')) continue;
    const id = `${ref.stack}/${ref.address}`;
    if (drillIds.has(id) || seen.has(id)) continue;
    seen.add(id);
    out.push(
      violationAt(
        c.resource,
        `is a drill container that references production container ${describeAt(model, ref.stack, ref.address)}: the drill must restore into its own database, not touch production`,
        'point the drill app at the drill database container restored from the DB backup',
      ),
    );
  }
}

function principalName(p: Principal): string | undefined {
  if (p.name) return p.name;
  const m = /:(?:role|user)\/(?:.*\/)?([^/]+)$/.exec(p.id);
  return m?.[1];
}

function checkPrincipals(model: CustodyModel, out: RuleViolation[]) {
  const stores = new Set(model.stores.map((s) => s.id));
  // Possible grants (actions unknown) are KC092's: an unknown is never an invented writer.
  const writesAStore = new Set(model.grants.filter((g) => stores.has(g.store) && isWrite(g.access) && !g.possible).map((g) => g.principal));
  const writers = model.principals.filter((p) => !isDrillPrincipal(p) && writesAStore.has(p.id));
  const writersByName = new Map<string, Principal[]>();
  for (const w of writers) {
    const n = principalName(w);
    if (n === undefined) continue;
    const list = writersByName.get(n);
    if (list) list.push(w);
    else writersByName.set(n, [w]);
  }
  for (const p of model.principals.filter(isDrillPrincipal)) {
    const reach = reachOf(model, p.id);
    const at = (message: string, fix: string): RuleViolation => {
      const r = model.resource(p.stack, p.address);
      return r ? violationAt(r, message, fix) : { stack: p.stack, address: p.address, message, fix };
    };
    const sureWrites = new Set(grantsOf(model, p.id).filter((g) => isWrite(g.access) && !g.possible).map((g) => `${g.store}|${g.access}`));
    for (const [storeId, e] of reach) {
      const bad = [...e.access].filter((a) => isWrite(a) && sureWrites.has(`${storeId}|${a}`));
      if (bad.length === 0) continue;
      const where = e.store ? describeAt(model, e.store.stack, e.store.address) : 'a store';
      out.push(
        at(
          `is a drill principal with ${bad.join('/')} access to ${where} (via ${e.via.join('; ')}): drill credentials must be read-only`,
          `grant only read access (s3:GetObject, s3:ListBucket, kms:Decrypt) to ${where}`,
        ),
      );
    }
    if (reach.size > 1) {
      const list = [...reach.values()].map((e) => (e.store ? `${e.store.role} ${describeAt(model, e.store.stack, e.store.address)}` : 'an unknown store'));
      out.push(
        at(
          `is a drill principal that reaches ${reach.size} custody stores (${list.join(', ')}): one credential reading both the key backup and the DB backup is the 1-2 backup the drill must not create`,
          'split the drill credentials: one read-only principal per bucket (RecoveryDrill creates one for the key backup and one for the DB backup)',
        ),
      );
    }
    const name = principalName(p);
    const sameKind = (w: Principal) => w.kind === p.kind || w.kind === 'external' || p.kind === 'external';
    const twin = name === undefined ? undefined : writersByName.get(name)?.find((w) => sameKind(w) && w.account === p.account);
    if (twin) {
      out.push(
        at(
          `is a drill principal that is also the production writer ${describeAt(model, twin.stack, twin.address)} (same name "${name}" in account ${p.account})`,
          'give the drill its own principals, distinct from every production writer',
        ),
      );
    }
  }
}

export const rule: CustodyRule = {
  id: 'KC032',
  title: 'The drill is isolated: scratch host and network, its own database, split read-only credentials',
  severity: 'error',
  explanation:
    'A drill that runs on the production host, joins a production network, writes into the production database or uses ' +
    'credentials that can change the backups can damage what it is meant to verify, and a drill credential that reads ' +
    'both buckets recreates the single point of compromise that custody separation removed. Drill containers ' +
    '(`custody:role=drill`) must run on a docker provider different from every production container\'s (and on a ' +
    'different `host` when known; an unset host is the local daemon), attach only to `internal = true` networks no ' +
    'production container uses (the fetch jobs labelled `custody:component=db-fetch|key-restore` may use a non-internal ' +
    'network of their own, which no other drill container joins, to reach S3), and not reference production containers; each drill has its own database container; ' +
    'drill principals (`custody:role=drill`) are read-only, reach at most one store each, and are not production writers.',
  fix: 'Use RecoveryDrill: it creates a scratch docker provider, an internal network, a drill database and one read-only principal per bucket.',
  suppressible: true,
  check(model) {
    const out: RuleViolation[] = [];
    const prod = productionContainers(model);
    const prodNetworks = new Map<string, string>();
    for (const p of prod) {
      if (!isDocker(p)) continue;
      for (const v of networkAttachments(p).values) {
        const n = resolveNetwork(model, p, v);
        if (!prodNetworks.has(n.id)) prodNetworks.set(n.id, describeAt(model, p.stack, p.address));
      }
    }

    const drillIds = new Set(drillContainers(model).map((x) => `${x.stack}/${x.address}`));
    const drill = model.containers.filter((x) => isDrillContainer(x) && isDocker(x));
    const nonFetchDrillNetworks = new Map<string, string>();
    for (const d of drill) {
      if (isFetchJob(d)) continue;
      for (const v of networkAttachments(d).values) {
        const n = resolveNetwork(model, d, v);
        if (!nonFetchDrillNetworks.has(n.id)) nonFetchDrillNetworks.set(n.id, describeAt(model, d.stack, d.address));
      }
    }
    const hosts = prodHosts(model, prod);
    for (const c of drill) {
      checkHost(model, c, hosts, out);
      checkNetworks(model, c, prodNetworks, nonFetchDrillNetworks, out);
      checkReferences(model, c, drillIds, out);
    }

    for (const d of declaredDrills(model)) {
      const loc = manifestLocation(d);
      const mine = drillContainers(model, d.drill.key);
      const name = `drill "${d.drill.id}" of key "${d.drill.key}"`;
      if (mine.length === 0) {
        out.push({
          ...loc,
          message: `declares ${name}, but no container labelled custody:role=drill (and custody:key=${d.drill.key}) exists, so its isolation cannot be checked`,
          fix: 'create the drill environment with RecoveryDrill (or label the drill containers custody:role=drill, custody:key=<key>)',
        });
        continue;
      }
      if (!mine.some(isDatabase)) {
        out.push({
          ...loc,
          message: `declares ${name}, but none of its drill containers (${mine.map((c) => describeAt(model, c.stack, c.address)).join(', ')}) is a database: the drill must restore the DB backup into a database of its own`,
          fix: `add a drill database container (e.g. image postgres) labelled custody:role=drill, custody:key=${d.drill.key}, and restore the DB backup into it`,
        });
      }
    }

    checkPrincipals(model, out);
    return out;
  },
};
