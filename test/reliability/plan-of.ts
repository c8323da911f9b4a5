/**
 * The `terraform show -json` plan that a Terraform JSON configuration would give when every
 * value is known at plan time: each attribute as a `constant_value` expression (Terraform
 * reports a JSON-syntax template's raw text that way) and the same value planned. Both front
 * ends must then read the same resources, so the rules must report the same findings.
 */

export type Json = Record<string, unknown>;

/** An object with exactly these own keys (`__proto__` included, as data). */
export function rec(entries: Iterable<readonly [string, unknown]>): Json {
  return Object.fromEntries(entries) as Json;
}

function entries(v: unknown): [string, unknown][] {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v) : [];
}

/** One root-module plan of a configuration's resources, data sources and providers. */
export function planOf(tf: Json): Json {
  const config: Json[] = [];
  const planned: Json[] = [];
  const changes: Json[] = [];
  for (const [mode, key] of [
    ['managed', 'resource'],
    ['data', 'data'],
  ] as const) {
    for (const [type, byName] of entries(tf[key])) {
      for (const [name, values] of entries(byName)) {
        const address = `${mode === 'data' ? 'data.' : ''}${type}.${name}`;
        const expressions = rec(entries(values).map(([k, v]) => [k, { constant_value: v }]));
        config.push({ address, mode, type, name, provider_config_key: type.split('_')[0], expressions });
        planned.push({ address, mode, type, name, provider_name: 'registry.terraform.io/hashicorp/aws', values });
        changes.push({ address, mode, type, name, change: { actions: [mode === 'data' ? 'read' : 'create'], after_unknown: {} } });
      }
    }
  }
  const providerConfig = rec(
    entries(tf.provider).flatMap(([type, configs]) =>
      (Array.isArray(configs) ? configs : [configs]).map((c: Json) => {
        const alias = typeof c.alias === 'string' ? c.alias : undefined;
        const expressions = rec(entries(c).filter(([k]) => k !== 'alias').map(([k, v]) => [k, { constant_value: v }]));
        return [alias ? `${type}.${alias}` : type, { name: type, ...(alias ? { alias } : {}), expressions }] as const;
      }),
    ),
  );
  return {
    format_version: '1.2',
    terraform_version: '1.11.0',
    planned_values: { root_module: { resources: planned } },
    resource_changes: changes,
    configuration: { provider_config: providerConfig, root_module: { resources: config } },
  };
}
