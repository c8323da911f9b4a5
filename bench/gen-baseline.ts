/**
 * Generate bench/baseline/zitadel-single-host.ts: a plain-cdktf app that declares exactly the
 * resources the zitadel-single-host example synthesizes, without the library.
 *
 *   npx tsx bench/gen-baseline.ts            # regenerate, then verify
 *   npx tsx bench/gen-baseline.ts --verify   # only verify the committed baseline
 *
 * How: synthesize the example once, then write one construct per resource of every stack's
 * cdk.tf.json, instantiating the real provider classes through deep imports
 * (`@cdktf/provider-aws/lib/s3-bucket`) with typed camelCase props, in the same stacks, with
 * the same construct ids as the synthesized logical ids (direct children of the stack keep
 * their id as logical id), so that the output can be compared resource by resource.
 * References become real tokens (`resource.getStringAttribute('arn')`), so cdktf does the
 * same token resolution work, and cross-stack references become cross-stack tokens (cdktf
 * then writes the same `terraform_remote_state` sources and outputs itself). `depends_on`,
 * `provider` and `lifecycle` become the construct options.
 *
 * Verification synthesizes both apps and compares every stack's JSON (without the `//`
 * metadata): the baseline must declare the same blocks with the same values. The example's
 * custody reports and runbooks are files outside cdk.tf.json: the baseline has none, which is
 * the point (they are part of what the library costs).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Json = Record<string, unknown>;

const REPO = join(__dirname, '..');
const OUT = join(REPO, 'bench', 'baseline', 'zitadel-single-host.ts');

/** Attributes whose object value is a map (keys are data, not schema names): copied as-is. */
const MAP_ATTRS = new Set(['tags', 'tags_all', 'input', 'triggers', 'triggers_replace', 'dimensions', 'driver_opts', 'log_opts', 'sysctls', 'storage_opts', 'build_args', 'options', 'environment', 'variables', 'config']);

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function synthesize(buildApp: (outdir: string) => { synth(): void }): { dir: string; stacks: Map<string, Json> } {
  const dir = mkdtempSync(join(tmpdir(), 'kc-bench-baseline-'));
  buildApp(dir).synth();
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  const stacks = new Map<string, Json>();
  for (const [name, s] of Object.entries(manifest.stacks)) stacks.set(name, JSON.parse(readFileSync(join(dir, s.synthesizedStackPath), 'utf8')) as Json);
  return { dir, stacks };
}

interface ClassRef {
  readonly module: string;
  readonly name: string;
}

/** The provider class of a resource type, found by its `tfResourceType` in the deep module. */
function classOf(type: string): ClassRef {
  if (type === 'terraform_data') return { module: 'cdktf/lib/terraform-data-resource', name: 'DataResource' };
  const [prefix, ...rest] = type.split('_');
  const pkg = prefix === 'aws' ? '@cdktf/provider-aws' : prefix === 'docker' ? '@cdktf/provider-docker' : undefined;
  if (!pkg) throw new Error(`no provider package for ${type}`);
  const module = `${pkg}/lib/${rest.join('-')}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = require(module) as Record<string, { tfResourceType?: string }>;
  const name = Object.keys(exports).find((k) => exports[k]?.tfResourceType === type);
  if (!name) throw new Error(`${module} exports no class for ${type}`);
  return { module, name };
}

function providerClassOf(type: string): ClassRef {
  if (type === 'aws') return { module: '@cdktf/provider-aws/lib/provider', name: 'AwsProvider' };
  if (type === 'docker') return { module: '@cdktf/provider-docker/lib/provider', name: 'DockerProvider' };
  throw new Error(`no provider class for ${type}`);
}

interface Decl {
  readonly stack: string;
  readonly kind: 'resource' | 'provider' | 'output';
  readonly address: string;
  readonly varName: string;
  readonly refs: Set<string>;
  code: string;
}

class Generator {
  private readonly imports = new Map<string, Set<string>>();
  private readonly decls: Decl[] = [];
  /** `stack\0type.name` → variable. */
  private readonly vars = new Map<string, string>();
  private readonly providerVars = new Map<string, string>();
  private counter = 0;

  constructor(private readonly stacks: Map<string, Json>) {}

  private use(c: ClassRef): string {
    let s = this.imports.get(c.module);
    if (!s) this.imports.set(c.module, (s = new Set()));
    s.add(c.name);
    return c.name;
  }

  /** Producer of a cross-stack output: `cross-stack-output-...` in stack `from` → `${type.name.attr}`. */
  private crossStackTarget(from: string, output: string): { stack: string; ref: string } {
    const json = this.stacks.get(from);
    const value = ((json?.output as Json | undefined)?.[output] as Json | undefined)?.value;
    const m = typeof value === 'string' ? /^\$\{([^}]+)\}$/.exec(value) : null;
    if (!m) throw new Error(`cross-stack output ${from}.${output} is not a plain reference`);
    return { stack: from, ref: m[1] };
  }

  /** A string value as TS code: a template literal with tokens for resolvable references. */
  private str(stack: string, s: string, refs: Set<string>): string {
    const parts: string[] = [];
    let last = 0;
    let tokens = 0;
    for (const m of s.matchAll(/\$\{([^{}]+)\}/g)) {
      const expr = m[1];
      let target: { stack: string; ref: string } | undefined;
      const cross = /^data\.terraform_remote_state\.cross-stack-reference-input-([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
      if (cross) target = this.crossStackTarget(cross[1], cross[2]);
      else if (/^[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*\.[a-z_][a-z0-9_]*$/.test(expr)) target = { stack, ref: expr };
      const [type, name, attr] = target ? target.ref.split('.') : [];
      const v = target ? this.vars.get(`${target.stack}\u0000${type}.${name}`) : undefined;
      if (!v) continue;
      refs.add(`${target!.stack}\u0000${type}.${name}`);
      parts.push(escapeTemplate(s.slice(last, m.index)));
      parts.push(`\${${v}.getStringAttribute(${JSON.stringify(attr)})}`);
      last = m.index + m[0].length;
      tokens++;
    }
    if (tokens === 0) return JSON.stringify(s);
    parts.push(escapeTemplate(s.slice(last)));
    return `\`${parts.join('')}\``;
  }

  /** A JSON value as TS props code; `asIs` keeps object keys (maps). */
  private value(stack: string, v: unknown, refs: Set<string>, asIs: boolean, indent: string): string {
    if (typeof v === 'string') return this.str(stack, v, refs);
    if (v === null || typeof v !== 'object') return JSON.stringify(v);
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[\n${v.map((x) => `${inner}${this.value(stack, x, refs, asIs, inner)},`).join('\n')}\n${indent}]`;
    }
    const entries = Object.entries(v as Json);
    if (entries.length === 0) return '{}';
    return `{\n${entries
      .map(([k, x]) => {
        const key = asIs ? JSON.stringify(k) : propKey(camel(k));
        return `${inner}${key}: ${this.value(stack, x, refs, asIs || MAP_ATTRS.has(k), inner)},`;
      })
      .join('\n')}\n${indent}}`;
  }

  run(): string {
    // Pass 1: variable names for every resource, so that references resolve in any order.
    for (const [stack, json] of this.stacks) {
      for (const [type, byName] of Object.entries((json.resource ?? {}) as Record<string, Json>)) {
        for (const name of Object.keys(byName)) this.vars.set(`${stack}\u0000${type}.${name}`, `r${this.counter++}`);
      }
    }
    const stackVars = new Map<string, string>();
    let si = 0;
    for (const stack of this.stacks.keys()) stackVars.set(stack, `s${si++}`);

    for (const [stack, json] of this.stacks) {
      const sv = stackVars.get(stack)!;
      // Providers.
      for (const [ptype, configs] of Object.entries((json.provider ?? {}) as Record<string, Json[]>)) {
        for (const config of configs) {
          const cls = this.use(providerClassOf(ptype));
          const alias = typeof config.alias === 'string' ? config.alias : undefined;
          const varName = `p${this.counter++}`;
          this.providerVars.set(`${stack}\u0000${alias ? `${ptype}.${alias}` : ptype}`, varName);
          const refs = new Set<string>();
          const code = `const ${varName} = new ${cls}(${sv}, ${JSON.stringify(alias ?? ptype)}, ${this.value(stack, config, refs, false, '  ')});`;
          this.decls.push({ stack, kind: 'provider', address: `provider.${ptype}`, varName, refs, code });
        }
      }
      // Resources.
      for (const [type, byName] of Object.entries((json.resource ?? {}) as Record<string, Record<string, Json>>)) {
        const cls = this.use(classOf(type));
        for (const [name, raw] of Object.entries(byName)) {
          const varName = this.vars.get(`${stack}\u0000${type}.${name}`)!;
          const refs = new Set<string>();
          const { '//': _meta, depends_on: dependsOn, provider, lifecycle, ...rest } = raw;
          void _meta;
          // `build` is `buildAttribute` in the docker provider's props (the name `build` is taken).
          const { build, ...others } = rest;
          const attrs = type === 'docker_image' && build !== undefined ? { ...others, build_attribute: build } : rest;
          const extra: string[] = [];
          if (provider !== undefined) {
            const pv = this.providerVars.get(`${stack}\u0000${String(provider)}`);
            if (!pv) throw new Error(`${stack} ${type}.${name}: unknown provider ${String(provider)}`);
            extra.push(`    provider: ${pv},`);
          }
          if (Array.isArray(dependsOn)) {
            const deps = dependsOn.map((d) => {
              const k = `${stack}\u0000${String(d)}`;
              const dv = this.vars.get(k);
              if (!dv) throw new Error(`${stack} ${type}.${name}: depends_on ${String(d)} is not a resource of the stack`);
              refs.add(k);
              return dv;
            });
            extra.push(`    dependsOn: [${deps.join(', ')}],`);
          }
          if (lifecycle !== undefined) extra.push(`    lifecycle: ${this.value(stack, lifecycle, refs, false, '    ')},`);
          const props = this.value(stack, attrs, refs, false, '  ');
          const propsCode = extra.length ? `${props.replace(/\n {2}\}$/, '')}\n${extra.join('\n')}\n  }` : props;
          const code = `const ${varName} = new ${cls}(${sv}, ${JSON.stringify(name)}, ${propsCode === '{}' && extra.length === 0 ? '{}' : propsCode});`;
          this.decls.push({ stack, kind: 'resource', address: `${type}.${name}`, varName, refs, code });
        }
      }
      // Variables (the drill's operator and, across stacks, bucket names and topic ARN), under their own names.
      for (const [name, raw] of Object.entries((json.variable ?? {}) as Record<string, Json>)) {
        const cls = this.use({ module: 'cdktf', name: 'TerraformVariable' });
        const varName = `v${this.counter++}`;
        const code = `const ${varName} = new ${cls}(${sv}, ${JSON.stringify(name)}, ${this.value(stack, raw, new Set(), false, '  ')});\n${varName}.overrideLogicalId(${JSON.stringify(name)});`;
        this.decls.push({ stack, kind: 'output', address: `variable.${name}`, varName: '', refs: new Set(), code });
      }
      // Outputs other than the cross-stack ones cdktf writes itself.
      for (const [name, raw] of Object.entries((json.output ?? {}) as Record<string, Json>)) {
        if (name.startsWith('cross-stack-output-')) continue;
        const cls = this.use({ module: 'cdktf', name: 'TerraformOutput' });
        const refs = new Set<string>();
        const code = `new ${cls}(${sv}, ${JSON.stringify(name)}, ${this.value(stack, raw, refs, false, '  ')});`;
        this.decls.push({ stack, kind: 'output', address: `output.${name}`, varName: '', refs, code });
      }
    }

    // Declaration order: providers first, then resources and outputs after what they reference.
    const ordered: Decl[] = [];
    const done = new Set<string>();
    const byKey = new Map(this.decls.filter((d) => d.kind === 'resource').map((d) => [`${d.stack}\u0000${d.address}`, d]));
    const visit = (d: Decl, path: Set<Decl>) => {
      const k = `${d.stack}\u0000${d.address}`;
      if (done.has(k)) return;
      if (path.has(d)) throw new Error(`reference cycle at ${k}`);
      path.add(d);
      for (const r of d.refs) {
        const dep = byKey.get(r);
        if (dep) visit(dep, path);
      }
      path.delete(d);
      done.add(k);
      ordered.push(d);
    };
    for (const d of this.decls.filter((x) => x.kind === 'provider')) visit(d, new Set());
    for (const d of this.decls.filter((x) => x.kind !== 'provider')) visit(d, new Set());

    const stackDecls: string[] = [];
    for (const [stack, json] of this.stacks) {
      const sv = stackVars.get(stack)!;
      stackDecls.push(`const ${sv} = new ${this.use({ module: 'cdktf', name: 'TerraformStack' })}(app, ${JSON.stringify(stack)});`);
      const backend = ((json.terraform as Json | undefined)?.backend ?? {}) as Record<string, Json>;
      for (const [btype, config] of Object.entries(backend)) {
        if (btype === 'local') {
          stackDecls.push(`new ${this.use({ module: 'cdktf', name: 'LocalBackend' })}(${sv}, ${this.value(stack, config, new Set(), false, '')});`);
        } else if (btype === 's3') {
          // S3Backend's typed props where it has them, the rest (use_lockfile in cdktf 0.21) as
          // the same override the example writes.
          const typed = new Set(['bucket', 'key', 'region', 'encrypt', 'kms_key_id', 'dynamodb_table']);
          const props: Json = {};
          const overrides: string[] = [];
          for (const [k, v] of Object.entries(config)) {
            if (typed.has(k)) props[k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())] = v;
            else overrides.push(`${sv}.addOverride(${JSON.stringify(`terraform.backend.s3.${k}`)}, ${JSON.stringify(v)});`);
          }
          stackDecls.push(`new ${this.use({ module: 'cdktf', name: 'S3Backend' })}(${sv}, ${JSON.stringify(props)});`, ...overrides);
        } else {
          throw new Error(`backend ${btype} is not supported by the generator`);
        }
      }
    }
    const app = this.use({ module: 'cdktf', name: 'App' });
    const importLines = [...this.imports.entries()]
      .sort(([a], [b]) => (a === 'cdktf' ? -1 : b === 'cdktf' ? 1 : a < b ? -1 : 1))
      .map(([m, names]) => `import { ${[...names].sort().join(', ')} } from ${JSON.stringify(m)};`);
    // Only referenced constructs get a variable (noUnusedLocals).
    const all = ordered.map((d) => d.code).join('\n');
    const code = ordered.map((d) => {
      if (!d.varName) return d.code;
      const uses = all.match(new RegExp(`\\b${d.varName}\\b`, 'g'))?.length ?? 0;
      return uses > 1 ? d.code : d.code.replace(`const ${d.varName} = `, '');
    });
    const body = [...stackDecls, '', ...code].map((l) => (l ? `  ${l.replace(/\n/g, '\n  ')}` : ''));
    const counts = [...this.stacks].map(([s, j]) => `${s}: ${Object.values((j.resource ?? {}) as Record<string, Json>).reduce((n, x) => n + Object.keys(x).length, 0)}`);
    return [
      '// GENERATED by bench/gen-baseline.ts from the synthesized zitadel-single-host example; do not edit.',
      '// Regenerate with `npx tsx bench/gen-baseline.ts` when the example changes (B1 reports a mismatch).',
      `// The same resources as the example, without the library (${counts.join(', ')}).`,
      ...importLines,
      '',
      'export function buildApp(outdir?: string): App {',
      `  const app = new ${app}(outdir ? { outdir } : {});`,
      ...body,
      '  return app;',
      '}',
      '',
      'if (require.main === module) {',
      '  buildApp().synth();',
      '}',
      '',
    ].join('\n');
  }
}

function escapeTemplate(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

function propKey(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k);
}

/** Stack JSON without cdktf's `//` metadata, for comparison. */
function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object') {
    const out: Json = {};
    for (const [k, x] of Object.entries(v as Json)) if (k !== '//') out[k] = strip(x);
    return out;
  }
  return v;
}

/** Differences between two stacks' JSON, as paths; empty when they match. */
export function diffJson(a: unknown, b: unknown, path = '', out: string[] = []): string[] {
  if (out.length > 20) return out;
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) {
    out.push(`${path}: ${JSON.stringify(a)?.slice(0, 120)} != ${JSON.stringify(b)?.slice(0, 120)}`);
    return out;
  }
  if (a && typeof a === 'object') {
    const ka = Object.keys(a as Json);
    const kb = Object.keys(b as Json);
    for (const k of new Set([...ka, ...kb])) diffJson((a as Json)[k], (b as Json)[k], `${path}/${k}`, out);
    return out;
  }
  if (a !== b) out.push(`${path}: ${JSON.stringify(a)?.slice(0, 120)} != ${JSON.stringify(b)?.slice(0, 120)}`);
  return out;
}

/** Compare two synthesized apps stack by stack (without metadata); returns the differences. */
export function compareApps(example: Map<string, Json>, baseline: Map<string, Json>): string[] {
  const out: string[] = [];
  for (const stack of new Set([...example.keys(), ...baseline.keys()])) diffJson(strip(example.get(stack)), strip(baseline.get(stack)), stack, out);
  return out;
}

function main(): void {
  const verifyOnly = process.argv.includes('--verify');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const example = require(join(REPO, 'examples', 'zitadel-single-host', 'main')) as { buildApp(outdir: string): { synth(): void } };
  const ex = synthesize(example.buildApp);
  try {
    if (!verifyOnly) {
      writeFileSync(OUT, new Generator(ex.stacks).run());
      process.stdout.write(`wrote ${OUT}\n`);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const baseline = require(OUT) as { buildApp(outdir: string): { synth(): void } };
    const bl = synthesize(baseline.buildApp);
    const diffs = compareApps(ex.stacks, bl.stacks);
    rmSync(bl.dir, { recursive: true, force: true });
    const resources = [...bl.stacks.values()].reduce((n, j) => n + Object.values((j.resource ?? {}) as Record<string, Json>).reduce((m, x) => m + Object.keys(x).length, 0), 0);
    if (diffs.length) {
      process.stderr.write(`baseline differs from the example:\n${diffs.join('\n')}\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write(`baseline matches the example: ${bl.stacks.size} stacks, ${resources} resources (${readdirSync(join(ex.dir, 'stacks')).join(', ')})\n`);
    }
  } finally {
    rmSync(ex.dir, { recursive: true, force: true });
  }
}

if (require.main === module) main();
