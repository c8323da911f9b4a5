/** Targets: the ARN shapes of stores, keys, roles and users, and whether a statement's resources match one. */
import { key } from '../context';
import { literal, singleRef, splitTemplate } from '../load/refs';
import type { TfResource } from '../types';
import type { Level } from '../../policy/perms';
import { accountId } from './accounts';
import { ANY_DIGIT, globCovers, globsIntersect } from './globs';
import type { Stmt, Target, TargetKind } from './types';
import { AnalysisBase } from './base';

const ENTITY_TYPES: Readonly<Record<string, TargetKind>> = {
  aws_s3_bucket: 's3',
  aws_secretsmanager_secret: 'secretsmanager',
  aws_ssm_parameter: 'ssm',
  aws_kms_key: 'kms',
  aws_kms_replica_key: 'kms',
  aws_kms_alias: 'other',
  aws_iam_role: 'role',
  aws_iam_user: 'user',
  aws_iam_group: 'other',
  aws_iam_policy: 'other',
};

export function templates(t: Target, level: Level): string[] {
  if (level === 'path' && t.kind === 'ssm') return pathTemplates(t.arn);
  if (t.kind !== 's3') return [t.arn];
  if (level === 'bucket') return [t.arn];
  if (level === 'object') return [`${t.arn}/*`];
  return [t.arn, `${t.arn}/*`];
}

/**
 * The ARNs of the paths above an SSM parameter (`parameter/a/b/c` → `parameter/a/b`,
 * `parameter/a`, `parameter/`, `parameter`): GetParametersByPath, recursive, is authorized on
 * any of them and returns the parameter. A name with an unknown part may sit under any path
 * that starts like its known part.
 */
function pathTemplates(arn: string): string[] {
  const at = arn.indexOf(':parameter/');
  if (at < 0) return [arn];
  const base = arn.slice(0, at + ':parameter'.length);
  const name = arn.slice(at + ':parameter/'.length);
  const unknown = name.search(/[\uE000*?]/);
  const known = unknown < 0 ? name : name.slice(0, unknown);
  const segs = known.split('/');
  const out = [base, `${base}/`];
  for (let i = 1; i < segs.length; i++) out.push(`${base}/${segs.slice(0, i).join('/')}`);
  if (unknown >= 0) out.push(`${base}/${known}*`);
  return out;
}

function valueOfAttr(t: Target, attr: string | undefined): string | undefined {
  switch (t.kind) {
    case 's3':
      if (attr === 'arn') return t.arn;
      if (attr === 'bucket' || attr === 'id') return t.name;
      return undefined;
    case 'secretsmanager':
      if (attr === 'arn' || attr === 'id') return t.arn;
      if (attr === 'name') return t.name;
      return undefined;
    case 'ssm':
      if (attr === 'arn') return t.arn;
      if (attr === 'name' || attr === 'id') return t.name;
      return undefined;
    case 'kms':
      if (attr === 'arn') return t.arn;
      if (attr === 'key_id' || attr === 'id') return t.keyId;
      return undefined;
    case 'role':
    case 'user':
      if (attr === 'arn') return t.arn;
      if (attr === 'name' || attr === 'id' || attr === 'user_name') return t.name;
      if (attr === 'unique_id') return t.token;
      return undefined;
    default:
      return attr === 'arn' || attr === 'id' ? t.token : undefined;
  }
}

/**
 * Whether a pattern may match more than the value of its reference `i`: it has a wildcard
 * elsewhere, and the reference is not closed by a `/` (a bucket name never holds one).
 */
function runsPast(parts: ReturnType<typeof splitTemplate>, i: number): boolean {
  const next = parts[i + 1];
  if (next && 'lit' in next && next.lit.startsWith('/')) return false;
  return parts.some((q, j) => j !== i && 'lit' in q && /[*?]/.test(q.lit));
}

export abstract class Targets extends AnalysisBase {
  private readonly targets = new Map<string, Target>();
  private tokenCount = 0;

  protected token(): string {
    return `\uE000${(this.tokenCount++).toString(36)}\uE001`;
  }

  /** The target (ARN shape) of a store, key, role or user resource; memoized. */
  protected targetOf(r: TfResource): Target | undefined {
    // Own keys only: a resource type named `toString` is not in the table.
    const kind = Object.hasOwn(ENTITY_TYPES, r.type) ? ENTITY_TYPES[r.type] : undefined;
    if (!kind) return undefined;
    const id = key(r.stack, r.address);
    const hit = this.targets.get(id);
    if (hit) return hit;
    const v = r.values;
    const token = this.token();
    const rawName = kind === 's3' ? v.bucket : kind === 'user' && r.mode === 'data' ? (v.user_name ?? v.name) : kind === 'kms' ? undefined : v.name;
    const prefix = literal(kind === 's3' ? v.bucket_prefix : v.name_prefix);
    let name: string;
    let nameKnown = true;
    if (typeof rawName === 'string' && rawName.length > 0) {
      name = rawName.includes('${') ? splitTemplate(rawName).map((p) => ('lit' in p ? p.lit : token)).join('') : rawName;
      nameKnown = !rawName.includes('${');
    } else if (prefix !== undefined) name = `${prefix}*`;
    else {
      name = token;
      nameKnown = false;
    }
    // An account we cannot tell is still twelve digits (globs.ts).
    const acct = accountId(this.ctx.accountOfResource(r)).replace(/^\*$/, ANY_DIGIT.repeat(12));
    let keyId = token;
    let arn: string;
    const litArn = r.mode === 'data' ? literal(v.arn) : undefined;
    switch (kind) {
      case 's3':
        arn = `arn:aws:s3:::${name}`;
        break;
      case 'secretsmanager':
        arn = litArn ?? `arn:aws:secretsmanager:*:${acct}:secret:${name}-*`;
        break;
      case 'ssm':
        arn = litArn ?? `arn:aws:ssm:*:${acct}:parameter/${name.replace(/^\//, '')}`;
        break;
      case 'kms': {
        const lit = r.mode === 'data' ? literal(v.key_id) : undefined;
        if (lit?.startsWith('arn:')) arn = lit;
        else {
          if (lit && !lit.startsWith('alias/')) keyId = lit;
          arn = `arn:aws:kms:*:${acct}:key/${keyId}`;
        }
        break;
      }
      case 'role':
      case 'user': {
        // An unknown path may be the default `/`: `/*` matches it and every deeper path (and,
        // conservatively, names that merely end like this one).
        const path = v.path === undefined ? '/' : (literal(v.path) ?? '/*');
        arn = litArn ?? `arn:aws:iam::${acct}:${kind}${path}${name}`;
        break;
      }
      default:
        arn = token;
    }
    const t: Target = { id, kind, resource: r, managed: r.mode === 'managed', name, arn, keyId, token, nameKnown };
    this.targets.set(id, t);
    return t;
  }

  /**
   * A statement's resource pattern as a glob relative to target `t`, or null when it
   * certainly names something else. `deny` picks the deny-side reading of unknowns.
   */
  protected toGlob(stack: string, raw: string, t: Target, deny: boolean): string | null {
    if (!raw.includes('${')) return raw;
    const parts = splitTemplate(raw);
    let out = '';
    for (const [i, part] of parts.entries()) {
      if ('lit' in part) {
        out += part.lit;
        continue;
      }
      const sr = singleRef('${' + part.expr + '}');
      const res = sr ? this.ctx.resolve(stack, sr.ref) : undefined;
      if (!res) {
        if (deny) return null;
        out += '*';
        continue;
      }
      const r = res.resource;
      if (r.mode === 'data' && r.type === 'aws_partition') {
        out += 'aws';
        continue;
      }
      const et = this.targetOf(r);
      if (!et) {
        // Another resource's ARN as the whole pattern names that resource, not ours.
        if (parts.length === 1 && res.attr === 'arn') return null;
        if (deny) return null;
        out += '*';
        continue;
      }
      if (et.id === t.id) {
        const v = valueOfAttr(t, res.attr);
        if (v === undefined) {
          if (deny) return null;
          out += '*';
        } else out += v;
        continue;
      }
      // A different entity: two managed resources are never the same thing, unless a wildcard
      // lets the pattern run past the reference (`${aws_s3_bucket.db.arn}*` covers huph-keys/*).
      if (et.managed && t.managed && (deny || !runsPast(parts, i))) return null;
      const v = valueOfAttr(et, res.attr);
      if (v === undefined || !et.nameKnown) {
        if (deny) return null;
        out += '*';
      } else out += v;
    }
    return out;
  }

  /** Whether a statement's Resource/NotResource applies to `t` at `level`. Cached. */
  protected resMatch(st: Stmt, t: Target, level: Level, deny: boolean): boolean {
    const ck = `${t.id}|${level}|${deny ? 1 : 0}`;
    const cache = (st.resCache ??= new Map());
    const hit = cache.get(ck);
    if (hit !== undefined) return hit;
    const tpls = templates(t, level);
    const intersects = (raw: string) => {
      if (raw === '*') return true;
      const g = this.toGlob(st.stack, raw, t, false);
      return g !== null && tpls.some((tp) => globsIntersect(g, tp));
    };
    const covers = (raw: string) => {
      if (raw === '*') return true;
      const g = this.toGlob(st.stack, raw, t, true);
      return g !== null && tpls.every((tp) => globCovers(g, tp));
    };
    let ok: boolean;
    const { resources, notResources } = st.s;
    if (resources.length > 0) ok = deny ? resources.some(covers) : resources.some(intersects);
    else if (notResources && notResources.length > 0) ok = deny ? !notResources.some(intersects) : !notResources.some(covers);
    else ok = true;
    cache.set(ck, ok);
    return ok;
  }
}
