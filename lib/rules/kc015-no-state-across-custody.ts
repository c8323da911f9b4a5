import { block, literal } from '../model/load/refs';
import type { CustodyModel, Store, TfDocument, TfResource } from '../model/types';
import { describeAt, sideOf, stateLocation, type CustodySide } from './custody-helpers';
import { violationAt, type CustodyRule, type RuleViolation } from './rule';

const SIDE_NAMES: Record<CustodySide, string> = { key: 'key custody', db: 'DB-backup' };

/** cdktf names the data source of a cross-stack reference after the stack it reads. */
const CDKTF_INPUT = /^cross-stack-reference-input-(.+)$/;

/** The custody stores of each stack, by side (a stack on no side holds none). */
function storesBySide(model: CustodyModel): Map<string, Map<CustodySide, Store>> {
  const out = new Map<string, Map<CustodySide, Store>>();
  for (const s of model.stores) {
    const side = sideOf(s.role);
    if (!side) continue;
    let m = out.get(s.stack);
    if (!m) out.set(s.stack, (m = new Map()));
    if (!m.has(side)) m.set(side, s);
  }
  return out;
}

/** How a remote state data source reaches a stack: its own state, or the state bucket it shares. */
interface Source {
  readonly doc: TfDocument;
  readonly how: 'state' | 'bucket';
}

/**
 * The stacks whose state `r` reads: named by cdktf's data source name, with the same state
 * location (backend type and settings), or kept in the same state bucket. Reading any object
 * of a state bucket takes that bucket's read credentials, whatever the key.
 */
function sourcesOf(model: CustodyModel, r: TfResource): Source[] {
  const out = new Map<string, Source>();
  const named = CDKTF_INPUT.exec(r.name)?.[1];
  const type = literal(r.values.backend);
  const config = block(r.values.config) ?? {};
  const here = type ? stateLocation({ stack: r.stack, source: '', resources: [], providers: [], outputs: {}, backend: { type, config } }) : undefined;
  const bucket = type === 's3' ? literal(config.bucket) : undefined;
  for (const d of model.documents) {
    if (d.stack === r.stack) continue;
    if (d.stack === named || (here?.id !== undefined && stateLocation(d).id === here.id)) {
      out.set(d.stack, { doc: d, how: 'state' });
      continue;
    }
    if (bucket !== undefined && d.backend?.type === 's3' && literal(d.backend.config.bucket) === bucket) out.set(d.stack, { doc: d, how: 'bucket' });
  }
  return [...out.values()];
}

const FIX =
  'pass what this stack needs from the other custody side (a bucket name, a role ARN: not secrets) as plain configuration ' +
  "(a literal or a variable), or publish it in this stack's own account (e.g. an SSM parameter the producer's deploy role writes), " +
  'and remove the terraform_remote_state data source';

export const rule: CustodyRule = {
  id: 'KC015',
  title: 'No stack reads the Terraform state of another custody side',
  severity: 'error',
  explanation:
    'Reading a stack\'s state (a `terraform_remote_state` data source, which is also what a cdktf cross-stack reference ' +
    'synthesizes to) needs read access to that stack\'s state bucket, and the state holds every attribute of the custody ' +
    'store it manages. A stack that reads the state of a stack holding a key-custody store while it is not on the key ' +
    'custody side itself (or the state of a DB-backup stack while it is not on the DB-backup side) makes its deploy job ' +
    'hold state credentials of that custody domain: a job that reads both sides holds two custody credentials. A stack is ' +
    'on the side of the custody stores it holds; a stack that holds none (a docker host, the drill) is on neither. Also ' +
    'reported: a remote state kept in the same state bucket as such a stack, and one whose bucket is only known at plan ' +
    'time while custody stores of another side exist.',
  fix: FIX,
  suppressible: false,
  check(model) {
    const out: RuleViolation[] = [];
    const sides = storesBySide(model);
    if (sides.size === 0) return out;
    for (const r of model.resources) {
      if (r.type !== 'terraform_remote_state' || r.mode !== 'data') continue;
      const own = sides.get(r.stack) ?? new Map<CustodySide, Store>();
      const ownSides = own.size ? [...own.keys()].map((s) => `the ${SIDE_NAMES[s]} side`).join(' and ') : 'no custody side';
      const reasons: string[] = [];
      for (const src of sourcesOf(model, r)) {
        for (const [side, store] of sides.get(src.doc.stack) ?? []) {
          if (own.has(side)) continue;
          const held = `which holds the ${store.role} store ${describeAt(model, store.stack, store.address)} (${SIDE_NAMES[side]} side)`;
          reasons.push(
            src.how === 'state'
              ? `reads the Terraform state of stack ${src.doc.stack}, ${held}`
              : `reads from state bucket "${literal(src.doc.backend?.config.bucket) ?? '?'}", where stack ${src.doc.stack} keeps its state, ${held}`,
          );
        }
      }
      const config = block(r.values.config) ?? {};
      if (literal(r.values.backend) === 's3' && config.bucket !== undefined && literal(config.bucket) === undefined) {
        const foreign = [...sides.values()].flatMap((m) => [...m.entries()]).find(([side]) => !own.has(side));
        if (foreign) {
          reasons.push(
            `reads state from a bucket only known at plan time (\`${String(config.bucket)}\`), which cannot be proven not to be the state bucket of the ${SIDE_NAMES[foreign[0]]} side (store ${describeAt(model, foreign[1].stack, foreign[1].address)})`,
          );
        }
      }
      if (reasons.length === 0) continue;
      out.push(
        violationAt(
          r,
          `${reasons.join('; ')}: stack ${r.stack} is on ${ownSides}, so whoever plans it needs state-read credentials across a custody line`,
        ),
      );
    }
    return out;
  },
};
