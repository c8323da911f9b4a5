import { CeremonyError } from './errors';

// The hot copy in AWS, written out of band: Terraform creates the Secrets Manager secret or
// the SSM SecureString parameter, its KMS key and its policy, and nothing in any plan or CI job
// holds the key; keygen writes the value with the AWS SDK v3 (optional peer dependencies
// @aws-sdk/client-secrets-manager and @aws-sdk/client-ssm, loaded only for these flags).

/** The part of an SDK v3 client keygen uses: `send(command)`. Tests pass their own. */
export interface SendClient {
  send(command: { readonly input: Record<string, unknown>; readonly constructor: { readonly name: string } }): Promise<unknown>;
  destroy?(): void;
}

/** Where the hot copy goes in AWS. */
export type AwsHotTarget = { readonly kind: 'secrets-manager'; readonly id: string } | { readonly kind: 'ssm'; readonly name: string };

/** Options of the AWS clients, and clients to use instead (tests). */
export interface AwsHotOptions {
  readonly region?: string;
  readonly endpoint?: string;
  readonly clients?: { readonly secretsManager?: SendClient; readonly ssm?: SendClient };
}

type Command = new (input: Record<string, unknown>) => { readonly input: Record<string, unknown>; readonly constructor: { readonly name: string } };

/** A command object with the SDK's class name, for injected clients that have no SDK. */
function plain(name: string): Command {
  return { [name]: class {
    constructor(public readonly input: Record<string, unknown>) {}
  } }[name] as unknown as Command;
}

async function load(pkg: string, flag: string): Promise<Record<string, unknown>> {
  try {
    const name = pkg;
    return (await import(name)) as Record<string, unknown>;
  } catch (e) {
    throw new CeremonyError(`${flag} needs ${pkg}, which could not be loaded (${(e as NodeJS.ErrnoException)?.code ?? String(e)}); install it next to cdktf-key-custody: npm install ${pkg}`);
  }
}

function config(o: AwsHotOptions): Record<string, unknown> {
  return {
    region: o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    maxAttempts: 2,
  };
}

function failure(what: string, e: unknown): CeremonyError {
  const err = e as { name?: string; code?: string; message?: string };
  const code = err?.code ?? err?.name ?? 'error';
  const why =
    code === 'ResourceNotFoundException' || code === 'ParameterNotFound'
      ? 'it does not exist; apply the key-store stack first (Terraform creates the container, keygen its value)'
      : code === 'AccessDeniedException' || code === 'AccessDenied'
        ? "access denied; run with a key admin's credentials (the store's policy allows the value write to its keyAdmins)"
        : code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'TimeoutError' || code === 'ETIMEDOUT'
          ? `the endpoint is unreachable (${code}); check the network, --region and --endpoint`
          : `${code}: ${(err?.message ?? String(e)).replace(/\s+/g, ' ')}`;
  return new CeremonyError(`cannot write the hot copy to ${what}: ${why}`);
}

/** A prepared write: checked now (exists, not holding a key unless --force), done by `put`. */
export interface AwsHotWrite {
  readonly location: string;
  readonly medium: 'secrets-manager' | 'ssm';
  put(key: Uint8Array): Promise<void>;
  close(): void;
}

/**
 * Check the store and prepare its write. A secret that already has a current value, or a
 * parameter written since Terraform created it (version > 1), holds a key: refused unless
 * `force`, since writing replaces the key the app runs with.
 */
export async function prepareAwsHot(t: AwsHotTarget, force: boolean, o: AwsHotOptions): Promise<AwsHotWrite> {
  if (t.kind === 'secrets-manager') {
    const injected = o.clients?.secretsManager;
    const sdk = injected ? undefined : await load('@aws-sdk/client-secrets-manager', '--hot-secret');
    const client = injected ?? new (sdk?.SecretsManagerClient as new (c: Record<string, unknown>) => SendClient)(config(o));
    const cmd = (name: string) => (sdk ? (sdk[name] as Command) : plain(name));
    const what = `secret ${t.id}`;
    let described: { VersionIdsToStages?: Record<string, string[]> } | undefined;
    try {
      described = (await client.send(new (cmd('DescribeSecretCommand'))({ SecretId: t.id }))) as typeof described;
    } catch (e) {
      client.destroy?.();
      throw failure(what, e);
    }
    const current = Object.values(described?.VersionIdsToStages ?? {}).some((stages) => stages.includes('AWSCURRENT'));
    if (current && !force) {
      client.destroy?.();
      throw new CeremonyError(`${what} already holds a key (it has an AWSCURRENT version); refusing to replace the key the app runs with: pass --force to write a new one`);
    }
    return {
      location: t.id,
      medium: 'secrets-manager',
      async put(key) {
        try {
          await client.send(new (cmd('PutSecretValueCommand'))({ SecretId: t.id, SecretString: Buffer.from(key).toString('latin1') }));
        } catch (e) {
          throw failure(what, e);
        }
      },
      close: () => client.destroy?.(),
    };
  }
  const injected = o.clients?.ssm;
  const sdk = injected ? undefined : await load('@aws-sdk/client-ssm', '--hot-parameter');
  const client = injected ?? new (sdk?.SSMClient as new (c: Record<string, unknown>) => SendClient)(config(o));
  const cmd = (name: string) => (sdk ? (sdk[name] as Command) : plain(name));
  const what = `parameter ${t.name}`;
  let found: { Parameters?: { Name?: string; Type?: string; KeyId?: string; Version?: number }[] } | undefined;
  try {
    found = (await client.send(new (cmd('DescribeParametersCommand'))({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [t.name] }] }))) as typeof found;
  } catch (e) {
    client.destroy?.();
    throw failure(what, e);
  }
  const p = found?.Parameters?.find((x) => x.Name === t.name) ?? found?.Parameters?.[0];
  const refuse = (why: string) => {
    client.destroy?.();
    return new CeremonyError(`${what} ${why}`);
  };
  if (!p) throw refuse('does not exist; apply the key-store stack first (Terraform creates the parameter, keygen its value)');
  if (p.Type !== 'SecureString') throw refuse(`is a ${p.Type ?? 'plain'} parameter; the key goes only into a SecureString parameter with its own KMS key`);
  if ((p.Version ?? 1) > 1 && !force) throw refuse(`has been written since it was created (version ${p.Version}), so it holds a key; refusing to replace the key the app runs with: pass --force to write a new one`);
  return {
    location: t.name,
    medium: 'ssm',
    async put(key) {
      try {
        // The parameter's own KMS key, named again: an overwrite without KeyId would fall back to the account's default aws/ssm key.
        await client.send(new (cmd('PutParameterCommand'))({ Name: t.name, Value: Buffer.from(key).toString('latin1'), Type: 'SecureString', KeyId: p.KeyId, Overwrite: true }));
      } catch (e) {
        throw failure(what, e);
      }
    },
    close: () => client.destroy?.(),
  };
}
