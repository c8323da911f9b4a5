import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { describe, expect, it } from 'vitest';
import { RecoveryDrill } from '../../../lib/constructs/drill/recovery-drill';
import { PROD_HOST, type DrillWorld } from './fixtures';
import { drillWorlds } from './worlds';

const world = drillWorlds();

describe('RecoveryDrill: refusals at construction', () => {
  it('refuses the production app\'s provider object, naming both providers and the fix', () => {
    expect(() => world({ drill: { scratchProvider: undefined as never } })).toThrow(/must be a docker provider[\s\S]*at scratchProvider/);
    let w!: DrillWorld;
    expect(() => (w = world({ drill: false }))).not.toThrow();
    expect(() => new RecoveryDrill(w.stacks.app, 'Drill', { masterKey: w.key, keyBucket: w.keyBucket, dbBucket: w.dbBucket, scratchProvider: w.prodDocker })).toThrow(
      /scratchProvider app\/docker is the same provider object as app\/docker, the production app's docker provider \(app\/docker\)[\s\S]*fix: declare a docker provider of its own/,
    );
  });

  it('refuses a scratch provider pointing at the production host, and one without an alias', () => {
    const w = world({ drill: false });
    const sameHost = new DockerProvider(w.stacks.drill, 'sneaky', { alias: 'sneaky', host: `${PROD_HOST}/` });
    expect(() => new RecoveryDrill(w.stacks.drill, 'Drill', { masterKey: w.key, keyBucket: w.keyBucket, dbBucket: w.dbBucket, scratchProvider: sameHost })).toThrow(
      /drill\/sneaky points at the same docker host "ssh:\/\/deploy@prod\.example\.com" as app\/docker/,
    );
    const w2 = world({ drill: false });
    const noAlias = new DockerProvider(w2.stacks.drill, 'docker', { host: 'ssh://deploy@scratch-2.example.com' });
    expect(() => new RecoveryDrill(w2.stacks.drill, 'Drill', { masterKey: w2.key, keyBucket: w2.keyBucket, dbBucket: w2.dbBucket, scratchProvider: noAlias })).toThrow(/has no alias/);
  });

  it('refuses shared credentials for the two jobs, and a key passed in appEnv', () => {
    expect(() => world({ drill: { keyCredentials: { hostDir: '/etc/key-custody/drill/shared' }, dbCredentials: { hostDir: '/etc/key-custody/drill/shared' } } })).toThrow(
      /would share credentials[\s\S]*KC011/,
    );
    expect(() => world({ drill: { appEnv: { ZITADEL_MASTERKEY: 'x' } } })).toThrow(/"ZITADEL_MASTERKEY" would carry the master key/);
  });
});

describe('RecoveryDrill: every prop through the schema', () => {
  it('refuses scopes and an AWS provider that are not constructs and providers, naming the prop and the value', () => {
    const w = world({ drill: false });
    const base = { masterKey: w.key, keyBucket: w.keyBucket, dbBucket: w.dbBucket, scratchProvider: w.scratch };
    for (const prop of ['awsScope', 'dockerScope', 'keyReaderScope', 'dbReaderScope'] as const) {
      expect(() => new RecoveryDrill(w.stacks.drill, `Drill-${prop}`, { ...base, [prop]: 'drill-aws' as never })).toThrow(
        new RegExp(`RecoveryDrill: invalid props[\\s\\S]*must be a construct[\\s\\S]*at ${prop}[\\s\\S]*got ${prop} = "drill-aws"`),
      );
    }
    expect(() => new RecoveryDrill(w.stacks.drill, 'Drill-provider', { ...base, awsProvider: w.stacks['drill-aws'] as never })).toThrow(
      /must be a provider[\s\S]*at awsProvider[\s\S]*got awsProvider = a TerraformStack/,
    );
  });
});
