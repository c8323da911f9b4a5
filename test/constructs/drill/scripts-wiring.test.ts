/**
 * #21: the drill's containers run exactly the text the rehearsal tier runs (scripts.ts), every
 * profile is wired to the restored database or refused at construction, and a failure pages.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  dbFetchScript,
  keyDecryptScript,
  keyFetchScript,
  keyGenerationTable,
  outcomeScript,
  postgresRestoreScript,
  proofScript,
  sqliteRestoreScript,
} from '../../../lib/constructs/drill/scripts';
import { drillAppDatabase } from '../../../lib/constructs/drill/scratch-environment';
import { genericProfile, SERVOS, ZITADEL } from '../../../lib/profiles';
import { drillWorld, resourcesOf, type DrillWorld } from './fixtures';
import { Construct } from 'constructs';

const worlds: DrillWorld[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.cleanup();
});

type Container = { name: string; command?: string[]; env?: string[]; network_mode?: string; mounts?: { source: string; target: string; read_only?: boolean }[] };

describe('RecoveryDrill: the scripts the containers run', () => {
  it('every job runs a scripts.ts text unchanged (sh -c <script> <step>), with no "${" or "%{" for Terraform to interpolate', () => {
    const w = drillWorld();
    worlds.push(w);
    expect(w.synth()).toBeUndefined();
    const containers = Object.values(resourcesOf(w.json('drill'), 'docker_container')) as unknown as Container[];
    const byName = (n: string) => containers.find((c) => c.name === n) as Container;
    const expected: Record<string, [string, string]> = {
      'zitadel-drill-outcome': [outcomeScript(), 'outcome'],
      'zitadel-drill-db-fetch': [dbFetchScript(), 'db-fetch'],
      'zitadel-drill-key-restore': [keyFetchScript(), 'key-fetch'],
      'zitadel-drill-key-decrypt': [keyDecryptScript(), 'key-decrypt'],
      'zitadel-drill-db-restore': [postgresRestoreScript(), 'db-restore'],
      'zitadel-drill-readiness': [proofScript(), 'proof'],
    };
    for (const [name, command] of Object.entries(expected)) expect(byName(name).command, name).toEqual(command);
    for (const s of [outcomeScript(), dbFetchScript(), keyFetchScript(), keyDecryptScript(), postgresRestoreScript(), sqliteRestoreScript(), proofScript()]) {
      expect(s).not.toMatch(/\$\{|%\{/);
    }
    // The decrypt job holds the operator's identity and has no network; the app reads Zitadel's database variables.
    expect(byName('zitadel-drill-key-decrypt').network_mode).toBe('none');
    expect(byName('zitadel-drill-key-decrypt').mounts).toEqual(expect.arrayContaining([{ type: 'bind', source: '/etc/key-custody/drill/age-identity', target: '/run/drill-identity/identity', read_only: true }]));
    expect(byName('zitadel-drill-app').env).toEqual(
      expect.arrayContaining([expect.stringMatching(/^ZITADEL_DATABASE_POSTGRES_HOST=\$\{docker_container\.Drill_Scratch_Database_/), 'ZITADEL_DATABASE_POSTGRES_DATABASE=zitadel']),
    );
    // The outcome job pages on the drill topic and records who ran the drill (a variable, never guessed).
    const outcome = byName('zitadel-drill-outcome');
    expect(outcome.env).toEqual(expect.arrayContaining([expect.stringMatching(/^TOPIC_ARN=\$\{var\.zitadel_master_drill_topic_arn\}$/), 'OPERATOR=${var.zitadel_master_drill_operator}', 'METRIC_NAME=DrillPassed']));
    // The tools image is built from the Dockerfile written beside the stack.
    const dockerfile = readdirDockerfile(w.stackDir('drill'));
    expect(dockerfile).toContain('apt-get install -y --no-install-recommends age awscli ca-certificates curl python3 sqlite3');
  });

  it('the key-fetch table: retired generations by retirement day, the active one last', () => {
    expect(keyGenerationTable({ generation: 3, fingerprint: 'kcfp1:x' }, [{ generation: 2, retiredOn: '2025-06-01' }, { generation: 1, retiredOn: '2025-01-01', fingerprint: 'f1' }])).toBe(
      '1 2025-01-01 f1\n2 2025-06-01 -\n3 - kcfp1:x',
    );
  });
});

function readdirDockerfile(stackDir: string): string {
  const f = join(stackDir, 'drill-tools-Drill', 'Dockerfile');
  expect(existsSync(f), f).toBe(true);
  return readFileSync(f, 'utf8');
}

describe('RecoveryDrill: the app is wired to the restored database, or refused', () => {
  const scope = new Construct(undefined as unknown as Construct, 'Drill');
  it('Zitadel: the profile\'s PostgreSQL variables', () => {
    expect(drillAppDatabase(scope, ZITADEL, undefined).kind).toBe('postgres');
  });
  it('ServOS names servos.db but not its folder: refused, naming what is missing', () => {
    expect(() => drillAppDatabase(scope, SERVOS, undefined)).toThrow(
      'the servos profile names its SQLite database "servos.db" but not the folder the app reads it from in its container, so the drill cannot place the restored file there; give appDatabase: { kind: "sqlite", file: "servos.db", dir: "<the folder of servos.db in the servos image>" }',
    );
    expect(drillAppDatabase(scope, SERVOS, { kind: 'sqlite', file: 'servos.db', dir: '/var/lib/servos' })).toEqual({ kind: 'sqlite', file: 'servos.db', dir: '/var/lib/servos' });
  });
  it('a generic profile without a database: refused', () => {
    expect(() => drillAppDatabase(scope, genericProfile({ name: 'myapp', fileVariable: 'MYAPP_MASTER_KEY_FILE' }), undefined)).toThrow(
      /the myapp profile does not say how the app reaches its database, so the drill cannot hand it the restored one .* give appDatabase:/,
    );
  });
});

describe('RecoveryDrill: a SQLite app', () => {
  it('restores into a data volume mounted at the app\'s folder, with no database container', () => {
    const w = drillWorld({ drill: { appDatabase: { kind: 'sqlite', file: 'zitadel.db', dir: '/var/lib/app' } } });
    worlds.push(w);
    expect(w.synth()).toBeUndefined();
    const containers = Object.values(resourcesOf(w.json('drill'), 'docker_container')) as unknown as Container[];
    expect(containers.map((c) => c.name)).not.toContain('zitadel-drill-db');
    const restore = containers.find((c) => c.name === 'zitadel-drill-db-restore') as Container;
    expect(restore.command).toEqual([sqliteRestoreScript(), 'db-restore']);
    expect(restore.network_mode).toBe('none');
    // KC032 counts it as the drill's own database: it writes the restored file into the drill's volume.
    expect((restore as unknown as { labels: { label: string; value: string }[] }).labels).toContainEqual({ label: 'custody:component', value: 'sqlite-restore' });
    const app = containers.find((c) => c.name === 'zitadel-drill-app') as Container;
    expect(app.mounts).toEqual(expect.arrayContaining([expect.objectContaining({ target: '/var/lib/app', read_only: false })]));
  });
});
