import type { CustodyModel, Store, TfResource } from '../model/types';
import { hasCustodyLabel, keyCarriers } from '../model/views/carriers';
import { hotPaths, declaredKeys } from '../model/views/declared';
import { resourceTags } from '../model/views/tags';
import { keyFileRefs } from './helpers';
import { violationAt, type CustodyRule, type RuleViolation } from './rule';

/** Resource types whose result is generated secret material kept in state. */
const RANDOM_TYPES = new Set(['random_password', 'random_string', 'random_bytes', 'random_id']);

/** Resources whose values we look through when following an expression to its random source. */
const PASS_THROUGH_DEPTH = 4;

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

function label(model: CustodyModel, stack: string, address: string, from: string): string {
  return model.multiStack || stack !== from ? `${address} (stack ${stack})` : address;
}

/**
 * The non-ephemeral random resources an expression draws on, directly or through other
 * resources' values (e.g. a `terraform_data` that passes the result on).
 */
function randomSources(model: CustodyModel, stack: string, value: unknown): TfResource[] {
  const found = new Map<string, TfResource>();
  const seen = new Set<string>();
  const walk = (s: string, v: unknown, depth: number) => {
    for (const ref of model.referencesOf(s, v)) {
      const k = `${ref.stack}\u0000${ref.address}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const r = model.resource(ref.stack, ref.address);
      if (!r) continue;
      if (RANDOM_TYPES.has(r.type) && r.mode === 'managed') found.set(k, r);
      else if (depth < PASS_THROUGH_DEPTH && r.mode === 'managed' && (r.type === 'terraform_data' || r.type === 'null_resource' || r.type.startsWith('local_'))) {
        walk(r.stack, r.values, depth + 1);
      }
    }
  };
  walk(stack, value, 0);
  return [...found.values()];
}

/** Key stores held in Secrets Manager or SSM that a resource writes into. */
function secretTarget(model: CustodyModel, r: TfResource, attr: string, stores: readonly Store[]): Store | undefined {
  const refs = model.referencesOf(r.stack, r.values[attr]);
  const byRef = stores.find((s) => refs.some((x) => x.stack === s.stack && x.address === s.address));
  if (byRef) return byRef;
  const lit = typeof r.values[attr] === 'string' && !(r.values[attr] as string).includes('${') ? (r.values[attr] as string) : undefined;
  if (!lit) return undefined;
  return stores.find((s) => s.name !== undefined && (lit === s.name || lit.includes(`:secret:${s.name}`) || lit.endsWith(`/${s.name}`)));
}

const KEY_ROLES = new Set(['key-store', 'key-backup']);

export const rule: CustodyRule = {
  id: 'KC004',
  title: 'No key material in Terraform configuration, plan or state',
  severity: 'error',
  explanation:
    'Whatever Terraform writes through a plain attribute is stored in the plan and in state, readable by everyone who ' +
    'can read the state backend: that is one more unmanaged copy of the key, in a place that is usually shared with DB ' +
    'backup tooling. Flags: Secrets Manager secret versions of key stores with plain `secret_string`/`secret_binary` ' +
    '(write-only `secret_string_wo` is fine); SSM key stores with `value`/`insecure_value` (`value_wo` is fine); ' +
    'S3 objects with `content`/`content_base64` in key buckets; `docker_secret` resources carrying a key with `data`; ' +
    'docker `upload` blocks with `content`/`content_base64` that target /run/secrets, a key path, or any ' +
    'custody-labelled or key-carrying container; and a non-ephemeral `random_password`/`random_string`/`random_bytes`/' +
    '`random_id` whose result feeds any of those (also through write-only arguments: the random resource keeps its ' +
    'result in state). Values are never printed. This rule cannot be suppressed.',
  fix: 'write the key out of band, or through a write-only argument fed by an ephemeral value; never through a plain attribute',
  suppressible: false,
  check(model) {
    const out: RuleViolation[] = [];
    const keyStores = model.stores.filter((s) => KEY_ROLES.has(s.role));
    const secrets = keyStores.filter((s) => s.kind === 'secretsmanager');
    const buckets = keyStores.filter((s) => s.kind === 's3');
    /** Report every non-ephemeral random resource feeding `attrs` of `r` (one finding per generator and sink). */
    const randomSink = (r: TfResource, attrs: readonly string[], sink: string) => {
      for (const attr of attrs) {
        if (!present(r.values[attr])) continue;
        for (const rnd of randomSources(model, r.stack, r.values[attr])) {
          out.push(
            violationAt(
              rnd,
              `generates key material that feeds ${sink} through ${label(model, r.stack, r.address, rnd.stack)}.${attr}; a non-ephemeral ${rnd.type} keeps its result in plan and state`,
              `generate the key out of band (e.g. \`openssl rand\` on the host), or use an ephemeral ${rnd.type} (Terraform >= 1.10) feeding a write-only argument`,
            ),
          );
        }
      }
    };

    // Secrets Manager key stores.
    for (const v of model.resources) {
      if (v.mode !== 'managed' || v.type !== 'aws_secretsmanager_secret_version') continue;
      const store = secretTarget(model, v, 'secret_id', secrets);
      if (!store) continue;
      const sink = `${store.role} ${label(model, store.stack, store.address, v.stack)}`;
      for (const attr of ['secret_string', 'secret_binary']) {
        if (!present(v.values[attr])) continue;
        out.push(
          violationAt(
            v,
            `writes the key of ${sink} through plain \`${attr}\` (value <redacted>), which Terraform keeps in plan and state`,
            `replace \`${attr}\` with write-only \`secret_string_wo\` (with \`secret_string_wo_version\`) fed by an ephemeral value, or write the secret value out of band`,
          ),
        );
      }
      randomSink(v, ['secret_string', 'secret_binary', 'secret_string_wo'], sink);
    }

    // SSM key stores: the parameter itself carries the value.
    for (const s of keyStores) {
      if (s.kind !== 'ssm' || s.adopted) continue;
      const r = s.resource;
      for (const attr of ['value', 'insecure_value']) {
        if (!present(r.values[attr])) continue;
        out.push(
          violationAt(
            r,
            `holds the key${s.key ? ` ${s.key}` : ''} (${s.role}) in plain \`${attr}\` (value <redacted>), which Terraform keeps in plan and state`,
            `replace \`${attr}\` with write-only \`value_wo\` (with \`value_wo_version\`) fed by an ephemeral value, or set the parameter out of band (aws ssm put-parameter) with lifecycle ignore_changes = [value]`,
          ),
        );
      }
      randomSink(r, ['value', 'insecure_value', 'value_wo'], `${s.role} ${label(model, s.stack, s.address, r.stack)}`);
    }

    // S3 objects in key buckets.
    for (const o of model.resources) {
      if (o.mode !== 'managed' || (o.type !== 'aws_s3_object' && o.type !== 'aws_s3_bucket_object')) continue;
      const refs = model.referencesOf(o.stack, o.values.bucket);
      const lit = typeof o.values.bucket === 'string' && !o.values.bucket.includes('${') ? o.values.bucket : undefined;
      const store = buckets.find((s) => refs.some((x) => x.stack === s.stack && x.address === s.address) || (lit !== undefined && s.name === lit));
      if (!store) continue;
      const sink = `${store.role} bucket ${label(model, store.stack, store.address, o.stack)}`;
      for (const attr of ['content', 'content_base64']) {
        if (!present(o.values[attr])) continue;
        out.push(
          violationAt(
            o,
            `uploads key material into ${sink} through \`${attr}\` (value <redacted>), which Terraform keeps in plan and state`,
            'upload the (age-encrypted) key backup out of band (e.g. `aws s3 cp` from the host), never through Terraform `content`',
          ),
        );
      }
      randomSink(o, ['content', 'content_base64'], sink);
    }

    // Docker: secrets carrying a key, uploads of key files.
    const carriers = keyCarriers(model);
    const keyPaths = new Set(declaredKeys(model).flatMap((d) => hotPaths(d.key)));
    const carrierIds = new Set(carriers.map((c) => c.container.id));
    const keySecrets = new Map<string, string>();
    for (const c of carriers) {
      for (const m of c.container.mounts) {
        if (m.type !== 'secret' || !m.source) continue;
        for (const ref of model.referencesOf(c.container.stack, m.source)) keySecrets.set(`${ref.stack}\u0000${ref.address}`, c.container.address);
      }
    }
    for (const s of model.resources) {
      if (s.mode !== 'managed' || s.type !== 'docker_secret') continue;
      const custody = Object.keys(resourceTags(model, s)).some((l) => l.startsWith('custody:'));
      const name = typeof s.values.name === 'string' ? s.values.name : '';
      const usedBy = keySecrets.get(`${s.stack}\u0000${s.address}`);
      if (!custody && !usedBy && !/master.?key/i.test(name)) continue;
      if (!present(s.values.data)) continue;
      const why = usedBy ? `mounted by key container ${usedBy}` : custody ? 'custody-labelled' : `named ${name}`;
      out.push(
        violationAt(
          s,
          `carries the key in \`data\` (value <redacted>; ${why}); docker_secret data is stored in plan and state`,
          'do not create the key secret with Terraform: bind-mount the host key file read-only instead (KC003), or create the secret out of band (`docker secret create`) and reference it by name',
        ),
      );
      randomSink(s, ['data'], `docker_secret ${s.address}`);
    }
    for (const c of model.containers) {
      if (c.kind !== 'docker_container') continue;
      const r = c.resource;
      const uploads = Array.isArray(r.values.upload) ? r.values.upload : r.values.upload ? [r.values.upload] : [];
      const passed = new Set(keyFileRefs(c).map((x) => x.path).filter((p): p is string => !!p));
      for (const u of uploads as Record<string, unknown>[]) {
        if (!u || typeof u !== 'object') continue;
        const file = typeof u.file === 'string' ? u.file : '';
        const keyish =
          file.startsWith('/run/secrets') ||
          keyPaths.has(file) ||
          passed.has(file) ||
          /master.?key/i.test(file) ||
          hasCustodyLabel(c) ||
          carrierIds.has(c.id);
        if (!keyish) continue;
        for (const attr of ['content', 'content_base64']) {
          if (!present(u[attr])) continue;
          out.push(
            violationAt(
              r,
              `uploads ${file || 'a file'} with \`upload.${attr}\` (value <redacted>), which Terraform keeps in plan and state`,
              'remove the upload block; bind-mount the host key file read-only instead (source = the declared hot copy, read_only = true) and pass it by path',
            ),
          );
          for (const rnd of randomSources(model, r.stack, u[attr])) {
            out.push(
              violationAt(
                rnd,
                `generates key material that feeds the upload of ${file || 'a file'} into ${label(model, r.stack, r.address, rnd.stack)}; a non-ephemeral ${rnd.type} keeps its result in plan and state`,
                'generate the key out of band on the host (e.g. `openssl rand -base64 32 | head -c 32`), never with a Terraform random resource',
              ),
            );
          }
        }
      }
    }
    return out;
  },
};
