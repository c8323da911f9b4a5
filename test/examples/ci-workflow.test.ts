import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const wf = parse(readFileSync(join(root, 'examples', 'ci', 'github-actions.yml'), 'utf8')) as {
  jobs: Record<string, { needs?: string | string[]; environment?: string; permissions?: Record<string, string>; steps: { uses?: string; run?: string; with?: Record<string, string> }[] }>;
};

/** The `secrets.X` names a job uses. */
function secretsOf(job: (typeof wf.jobs)[string]): string[] {
  return [...new Set([...JSON.stringify(job).matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]))];
}

/** The stack names `cdktf deploy <stack>` is run with in a job. */
function deployedStacks(job: (typeof wf.jobs)[string]): string[] {
  return [...new Set(job.steps.flatMap((s) => [...(s.run ?? '').matchAll(/cdktf deploy ([\w-]+)/g)].map((m) => m[1])))];
}

describe('examples/ci GitHub Actions workflow', () => {
  const deployJobs = Object.entries(wf.jobs).filter(([, j]) => deployedStacks(j).length > 0);

  it('synthesizes, runs key-custody check and uploads its SARIF', () => {
    const synth = wf.jobs.synth;
    const runs = synth.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('cdktf synth');
    expect(runs).toMatch(/key-custody check cdktf\.out --format sarif/);
    expect(synth.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))).toBe(true);
    expect(synth.permissions?.['security-events']).toBe('write');
    expect(secretsOf(synth)).toEqual([]);
  });

  it('deploys every stack of the main example, each in a job of its own', () => {
    const all = deployJobs.flatMap(([, j]) => deployedStacks(j)).sort();
    expect(all).toEqual(['db-backups', 'drill-host', 'drill-schedule', 'key-custody', 'zitadel-host']);
    for (const [name, j] of deployJobs) expect(deployedStacks(j), name).toHaveLength(1);
  });

  it('gives each stack job its own credentials and environment: no job holds two custody credentials', () => {
    const seen = new Map<string, string>();
    for (const [name, j] of deployJobs) {
      const secrets = secretsOf(j);
      expect(secrets, `${name} uses exactly one credential`).toHaveLength(1);
      expect(seen.has(secrets[0]), `${secrets[0]} is used by ${seen.get(secrets[0])} and ${name}`).toBe(false);
      seen.set(secrets[0], name);
      expect(j.environment, `${name} runs in an environment of its own`).toBe(deployedStacks(j)[0]);
      expect(j.needs === 'synth' || (Array.isArray(j.needs) && j.needs.includes('synth')), `${name} deploys what synth checked`).toBe(true);
    }
    expect(new Set(deployJobs.map(([, j]) => j.environment)).size).toBe(deployJobs.length);
  });

  it('deploys with --skip-synth, so what is deployed is what was checked', () => {
    for (const [name, j] of deployJobs) {
      for (const s of j.steps.filter((x) => /cdktf (deploy|diff)/.test(x.run ?? ''))) expect(s.run, name).toContain('--skip-synth');
    }
  });
});
