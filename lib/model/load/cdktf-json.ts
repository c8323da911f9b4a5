import type { TfDocument, TfProvider, TfResource } from '../types';
import { dataObject } from './json';
import { readOrigins } from './origins';

/** Metadata cdktf writes under `"//"` in a resource block. */
export interface CdktfMeta {
  readonly path?: string;
  readonly uniqueId?: string;
}

/** Construct path of a synthesized block, if cdktf recorded one. */
export function constructPath(values: Record<string, unknown>): string | undefined {
  const meta = (values['//'] as { metadata?: CdktfMeta } | undefined)?.metadata;
  return meta?.path;
}

function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : dataObject();
}

/**
 * Read one stack's Terraform JSON configuration (the `cdk.tf.json` shape, which is plain
 * Terraform JSON syntax) into a document. Hand-written `.tf.json` reads the same way.
 */
export function loadTerraformJson(stack: string, json: unknown, source = stack): TfDocument {
  const root = asRecord(json);
  const origins = readOrigins(stack, root);
  const resources: TfResource[] = [];
  for (const [mode, key] of [
    ['managed', 'resource'],
    ['data', 'data'],
  ] as const) {
    for (const [type, byName] of Object.entries(asRecord(root[key]))) {
      for (const [name, raw] of Object.entries(asRecord(byName))) {
        const values = asRecord(raw);
        const address = `${mode === 'data' ? 'data.' : ''}${type}.${name}`;
        const origin = origins.sources.get(address);
        resources.push({
          stack,
          mode,
          type,
          name,
          address,
          module: '',
          values,
          provider: providerKey(type, values.provider),
          ...(origin ? { origin } : {}),
        });
      }
    }
  }

  const providers: TfProvider[] = [];
  for (const [type, configs] of Object.entries(asRecord(root.provider))) {
    const list = Array.isArray(configs) ? configs : [configs];
    for (const c of list) {
      const values = asRecord(c);
      const alias = typeof values.alias === 'string' ? values.alias : undefined;
      providers.push({ stack, key: alias ? `${type}.${alias}` : type, type, alias, values });
    }
  }

  const terraform = asRecord(root.terraform);
  const backendEntry = Object.entries(asRecord(terraform.backend))[0];
  const backend = backendEntry ? { type: backendEntry[0], config: asRecord(backendEntry[1]) } : undefined;

  // Output names are data: an output may be called `__proto__` (a valid Terraform name).
  const outputs: Record<string, unknown> = dataObject();
  for (const [name, o] of Object.entries(asRecord(root.output))) outputs[name] = asRecord(o).value;

  return { stack, source, resources, providers, backend, outputs, ...(origins.grants.length > 0 ? { grantOrigins: origins.grants } : {}) };
}

/** `aws_s3_bucket` with `provider = "aws.keys"` (or `${aws.keys}`) → `aws.keys`; default → `aws`. */
export function providerKey(type: string, provider: unknown): string {
  if (typeof provider === 'string' && provider.length > 0) {
    return provider.replace(/^\$\{/, '').replace(/\}$/, '');
  }
  return type.split('_')[0];
}
