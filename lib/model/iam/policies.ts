/** Reading policy documents into statements (documents, jsonencode, attachments by ARN, approximations) and the custody actions a statement matches. */
import { statementsOfDocument, statementsOfJson, type PolicyStatement } from '../policy';
import { parseJsonencode } from '../load/hcl';
import { literal, singleRef, splitTemplate, strings } from '../load/refs';
import type { TfResource } from '../types';
import { KMS_DECRYPT_ACTIONS, STORE_ACTIONS, STS_ASSUME } from '../../policy/perms';
import { awsManagedName, awsManagedStatements, isAwsManagedPolicy } from './aws-managed';
import { globMatch } from './globs';
import { Targets } from './targets';
import type { ReadPolicy, Stmt } from './types';
import { mergePolicyDocuments } from '../policy-documents';
import { unknownPartsProblem, unknownStatement, unknownStatementParts } from './partial-statements';

const ALL_ACTIONS: readonly string[] = [
  ...new Set([...Object.values(STORE_ACTIONS).flatMap((l) => l.map((s) => s.action)), ...KMS_DECRYPT_ACTIONS, STS_ASSUME]),
];

/** An Allow whose Action or NotAction holds a value we cannot read: which actions it allows is unknown. */
export function actionsUnknown(st: Stmt): boolean {
  return st.s.effect !== 'Deny' && [...st.s.actions, ...(st.s.notActions ?? [])].some((a) => a.includes('${'));
}

export abstract class PolicyReader extends Targets {
  private readonly policyCache = new Map<string, ReadPolicy>();

  /**
   * Leave out Allows whose actions are unknown (an action written as `${…}`, a policy the
   * plan lost): the run that tells the grants those statements alone give (possible grants).
   */
  protected exactActionsOnly = false;
  /** Whether an Allow with unknown actions was read. */
  sawUnknownActions = false;

  protected stmtActions(st: Stmt): Set<string> {
    if (st.actions) return st.actions;
    const deny = st.s.effect === 'Deny';
    if (!deny && actionsUnknown(st)) {
      this.sawUnknownActions = true;
      if (this.exactActionsOnly) return (st.actions = new Set());
    }
    const norm = (list: readonly string[]) =>
      list.flatMap((a) => {
        if (!a.includes('${')) return [a.toLowerCase()];
        // An action we cannot read: any action on the allow side, none on the deny side.
        return deny ? [] : ['*'];
      });
    const out = new Set<string>();
    const acts = norm(st.s.actions);
    const nots = st.s.notActions ? st.s.notActions.filter((a) => !a.includes('${')).map((a) => a.toLowerCase()) : undefined;
    const notsUnknown = st.s.notActions?.some((a) => a.includes('${')) ?? false;
    for (const a of ALL_ACTIONS) {
      if (nots) {
        if (deny && notsUnknown) continue;
        if (!nots.some((p) => globMatch(p, a))) out.add(a);
      } else if (acts.some((p) => globMatch(p, a))) out.add(a);
    }
    st.actions = out;
    return out;
  }

  private wrap(list: PolicyStatement[], stack: string, approximate = false): Stmt[] {
    return list.map((s) => ({ s, stack, approximate }));
  }

  /** A parsed document, statement by statement: an expression among them is read on its own. */
  private ofDocument(doc: unknown, stack: string): ReadPolicy {
    const stmts = this.wrap(statementsOfJson(doc), stack);
    const parts = unknownStatementParts(doc);
    if (parts.length === 0) return { stmts };
    for (const part of parts) {
      const s = unknownStatement(part);
      if (s) stmts.push({ s, stack, approximate: false });
    }
    return { stmts, problem: unknownPartsProblem(parts) };
  }

  /** Read a policy document value (literal JSON, document reference, jsonencode, ...). */
  protected readPolicy(stack: string, value: unknown, owner: TfResource, depth = 0): ReadPolicy {
    if (value === undefined || value === null) return { stmts: [] };
    if (typeof value === 'object') {
      const read = this.ofDocument(value, stack);
      if (read.problem) this.unknown(owner, read.problem);
      return read;
    }
    if (typeof value !== 'string') return { stmts: [], problem: 'the policy is not a string' };
    const ck = `${stack}\u0000${value}`;
    const hit = this.policyCache.get(ck);
    if (hit) return hit;
    const out = this.readPolicyUncached(stack, value.trim(), depth);
    this.policyCache.set(ck, out);
    if (out.problem) this.unknown(owner, out.problem);
    return out;
  }

  private readPolicyUncached(stack: string, v: string, depth: number): ReadPolicy {
    if (depth > 6) return { stmts: [], problem: 'policy references nest too deeply' };
    if (v.startsWith('{')) {
      try {
        return this.ofDocument(JSON.parse(v), stack);
      } catch {
        return this.approximate(stack, v, 'the policy JSON does not parse');
      }
    }
    const sr = singleRef(v);
    if (sr && sr.prefix === '' && sr.suffix === '') {
      const res = this.ctx.resolve(stack, sr.ref);
      if (!res) return { stmts: [], problem: `the policy comes from ${v}, which is not in the configuration` };
      const r = res.resource;
      if (r.mode === 'data' && r.type === 'aws_iam_policy_document') {
        // Merged as Terraform merges them: an override that replaces a Deny by sid removes it.
        const read = (attrs: readonly string[]) => attrs.flatMap((a) => strings(r.values[a])).map((src) => this.readPolicy(r.stack, src, r, depth + 1).stmts);
        const own = this.wrap(statementsOfDocument(r.values), r.stack);
        const stmts = mergePolicyDocuments({ sources: read(['source_json', 'source_policy_documents']), own, overrides: read(['override_json', 'override_policy_documents']) }, (st) => st.s.sid);
        return { stmts };
      }
      if (r.type === 'aws_iam_policy' && r.mode === 'data') {
        const arn = literal(r.values.arn);
        const managed = arn ? awsManagedName(arn) : undefined;
        if (managed) return this.managedPolicy(managed, r);
        const byName = this.customerPolicyByName(literal(r.values.name) ?? (arn ? arn.slice(arn.lastIndexOf('/') + 1) : undefined));
        if (byName) return this.readPolicy(byName.stack, byName.values.policy, byName, depth + 1);
        return { stmts: [], problem: `${r.address} names a policy outside the configuration` };
      }
      // Own attributes only: `${aws_iam_policy.p.constructor}` names no attribute.
      const attrValue = res.attr && Object.hasOwn(r.values, res.attr) ? r.values[res.attr] : undefined;
      if (attrValue !== undefined) return this.readPolicy(r.stack, attrValue, r, depth + 1);
      return { stmts: [], problem: `the policy comes from ${v}, which is only known after apply` };
    }
    if (v.startsWith('${') && v.endsWith('}')) {
      const bodies = splitTemplate(v);
      if (bodies.length === 1 && 'expr' in bodies[0]) {
        const doc = parseJsonencode(bodies[0].expr);
        if (doc && typeof doc === 'object') return this.ofDocument(doc, stack);
      }
    }
    const shown = v.length > 80 ? `${v.slice(0, 77)}...` : v;
    return this.approximate(stack, v, `the policy ${shown} is an expression that is not evaluated`);
  }

  /**
   * A policy we cannot read exactly: allow every action it names (or none) on every
   * resource it names (or `*`), so that access is over-reported rather than missed.
   */
  private approximate(stack: string, text: string, problem: string): ReadPolicy {
    const actions = new Set<string>();
    for (const m of text.matchAll(/(?:^|[^\w-])((?:s3|secretsmanager|ssm|kms|sts)(?:-object-lambda)?:[A-Za-z*?]+)/g)) actions.add(m[1]);
    if (/actions?"?\s*[:=]\s*\[?\s*"\*"/i.test(text)) actions.add('*');
    const resources = new Set<string>();
    for (const m of text.matchAll(/arn:[\w-]*:[\w-]*:[^"\s,\])}]*/g)) resources.add(m[0]);
    for (const part of splitTemplate(text)) {
      if (!('expr' in part)) continue;
      const sr = singleRef('${' + part.expr + '}');
      if (sr) resources.add('${' + part.expr + '}');
    }
    // Inner references inside an unparsed jsonencode body.
    for (const m of text.matchAll(/(?<![\w.$-])((?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]*\.[A-Za-z_][\w-]*\.(?:arn|id|bucket|name|key_id))\b/g)) {
      resources.add('${' + m[1] + '}');
      resources.add('${' + m[1] + '}/*');
    }
    if (/resources?"?\s*[:=]\s*\[?\s*"\*"/i.test(text) || resources.size === 0) resources.add('*');
    if (actions.size === 0) return { stmts: [], problem };
    const s: PolicyStatement = { effect: 'Allow', actions: [...actions], resources: [...resources], principals: [], conditions: [] };
    return { stmts: [{ s, stack, approximate: true }], problem: `${problem}; read conservatively` };
  }

  private readonly managedCache = new Map<string, ReadPolicy>();

  private managedPolicy(name: string, owner: TfResource): ReadPolicy {
    const { statements, guessed } = awsManagedStatements(name);
    if (guessed) this.unknown(owner, `AWS-managed policy ${name} is not in the built-in table; read from its name`);
    // Shared statement objects, so that their match caches are shared too.
    let hit = this.managedCache.get(name);
    if (!hit) this.managedCache.set(name, (hit = { stmts: this.wrap(statements, owner.stack), managed: name }));
    return hit;
  }

  private customerPolicyIndex?: Map<string, TfResource>;

  private customerPolicyByName(name: string | undefined): TfResource | undefined {
    if (!name) return undefined;
    if (!this.customerPolicyIndex) {
      this.customerPolicyIndex = new Map();
      for (const p of this.ctx.ofType('aws_iam_policy')) {
        const n = literal(p.values.name);
        if (p.mode === 'managed' && n) this.customerPolicyIndex.set(n, p);
      }
    }
    return this.customerPolicyIndex.get(name);
  }

  /** A policy attached by ARN (`policy_arn`, `managed_policy_arns`). */
  protected policyByArn(stack: string, value: unknown, owner: TfResource): { label: string; read: ReadPolicy } | undefined {
    const lit = literal(value);
    if (lit) {
      const managed = awsManagedName(lit);
      if (managed) return { label: `AWS-managed policy ${managed}`, read: this.managedPolicy(managed, owner) };
      const p = this.customerPolicyByName(lit.slice(lit.lastIndexOf('/') + 1));
      if (p) return { label: this.policyLabel(p, stack), read: this.readPolicy(p.stack, p.values.policy, p) };
      this.unknown(owner, `policy ${lit} is not in the configuration`);
      return undefined;
    }
    if (typeof value !== 'string') return undefined;
    const sr = singleRef(value);
    const res = sr ? this.ctx.resolve(stack, sr.ref) : undefined;
    if (!res) {
      this.unknown(owner, `attached policy ${value} cannot be followed`);
      return undefined;
    }
    const r = res.resource;
    if (r.type === 'aws_iam_policy' && r.mode === 'managed') return { label: this.policyLabel(r, stack), read: this.readPolicy(r.stack, r.values.policy, r) };
    if (r.type === 'aws_iam_policy' && r.mode === 'data') {
      const arn = literal(r.values.arn);
      const litName = literal(r.values.name);
      const managed = arn ? awsManagedName(arn) : litName && !this.customerPolicyByName(litName) && isAwsManagedPolicy(litName) ? litName : undefined;
      if (managed) return { label: `policy ${this.label(r, stack)} (${managed})`, read: this.managedPolicy(managed, r) };
      const byName = this.customerPolicyByName(literal(r.values.name) ?? (arn ? arn.slice(arn.lastIndexOf('/') + 1) : undefined));
      if (byName) return { label: `policy ${this.label(r, stack)} → ${this.policyLabel(byName, stack)}`, read: this.readPolicy(byName.stack, byName.values.policy, byName) };
      this.unknown(owner, `${r.address} names a policy outside the configuration`);
      return undefined;
    }
    this.unknown(owner, `attached policy ${value} is not an IAM policy`);
    return undefined;
  }

  private policyLabel(p: TfResource, relativeTo: string): string {
    const name = literal(p.values.name);
    return `policy ${this.label(p, relativeTo)}${name && name !== p.name ? ` (${name})` : ''}`;
  }
}
