/**
 * SARIF that lands on a pull request's lines (issue 22): a violation planted through a
 * construct in an example is located at the TypeScript line of that construct call, the
 * generated cdk.tf.json is a related location, the output validates against the SARIF 2.1.0
 * schema, and fingerprints do not depend on the message.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../lib/cli/main';
import type { Finding } from '../../lib/model/types';
import { ALL_RULES } from '../../lib/rules';
import { FINGERPRINT_KEY, findingFingerprint, toSarif } from '../../lib/report/sarif';
import { PLANTED_PRINCIPAL, plantedExample, runApp, type PlantedExample } from '../helpers/planted-example';

function sarifValidator() {
  const req = createRequire(__filename);
  const file = join(req.resolve('@microsoft/jest-sarif/package.json'), '..', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
}

interface Loc {
  physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string }; region?: { startLine: number } };
  logicalLocations?: { fullyQualifiedName: string; kind: string }[];
}
interface Result {
  ruleId: string;
  message: { text: string };
  locations: Loc[];
  relatedLocations?: Loc[];
  partialFingerprints: Record<string, string>;
}

const tmp = mkdtempSync(join(tmpdir(), 'kc-sarif-src-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let planted: PlantedExample;
let results: Result[];
let sarif: unknown;
beforeAll(async () => {
  planted = plantedExample(tmp);
  const synth = runApp(planted, { SKIP_VALIDATION: '1' });
  expect(synth.status, synth.stderr).toBe(0);
  let stdout = '';
  let stderr = '';
  const code = await main(['check', 'cdktf.out', '--format', 'sarif'], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: planted.app,
    isTTY: false,
    rules: ALL_RULES,
    today: '2026-12-06',
  });
  expect(stderr).toBe('');
  expect(code).toBe(1);
  sarif = JSON.parse(stdout);
  results = (sarif as { runs: { results: Result[] }[] }).runs[0].results;
}, 300_000);

describe('SARIF locations in the user source', () => {
  it('validates against the SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('puts the planted KC011 at the .ts line of the grantRead call, with cdk.tf.json as a related location', () => {
    const kc011 = results.filter((r) => r.ruleId === 'KC011' && r.message.text.includes(PLANTED_PRINCIPAL));
    expect(kc011).toHaveLength(1);
    const [r] = kc011;
    expect(r.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'infra/main.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: planted.grantLine },
    });
    // The line really is the planted call.
    expect(readFileSync(join(planted.app, 'main.ts'), 'utf8').split('\n')[planted.grantLine - 1]).toContain(`keyBucket.grantRead('${PLANTED_PRINCIPAL}')`);
    expect(r.relatedLocations?.[0].physicalLocation?.artifactLocation.uri).toMatch(/^cdktf\.out\/stacks\/[a-z-]+\/cdk\.tf\.json$/);
    // The fix names the construct, the method and the call as written.
    expect(r.message.text).toContain(`\`keyBucket.grantRead('${PLANTED_PRINCIPAL}');\` at infra/main.ts:${planted.grantLine} (grantRead of KeyBackupBucket key-custody/KeyBackups)`);
  });

  it('locates findings on resources of the library constructs at the line that made them, with the construct path', () => {
    const onConstructs = results.filter((r) => r.locations[0].physicalLocation?.artifactLocation.uriBaseId === '%SRCROOT%');
    expect(onConstructs.length).toBeGreaterThan(0);
    const text = readFileSync(join(planted.app, 'main.ts'), 'utf8').split('\n');
    for (const r of onConstructs) {
      const loc = r.locations[0].physicalLocation!;
      expect(loc.artifactLocation.uri).toBe('infra/main.ts');
      // A line of the user's code that calls into the library: a `new` of a construct or a grant.
      expect(text[loc.region!.startLine - 1]).toMatch(/new [A-Z]\w+\(|\.grant(Read|Write)\(/);
    }
  });
});

describe('SARIF fingerprints', () => {
  const base: Finding = {
    ruleId: 'KC011',
    severity: 'error',
    address: 'db-backups/aws_iam_role.w',
    stack: 'db-backups',
    message: 'can read/write 3 key stores via a chain of 4 roles',
    fix: 'separate the principals',
    suppressed: false,
    constructPath: 'db-backups/Zitadel/DbBackups/Writer',
    store: 'key-custody/aws_s3_bucket.k+db-backups/aws_s3_bucket.d',
  };
  const fp = (f: Finding) => (toSarif([f], { rules: ALL_RULES }) as { runs: { results: Result[] }[] }).runs[0].results[0].partialFingerprints;

  it('are unchanged when only a number in the message changes', () => {
    expect(fp({ ...base, message: 'can read/write 4 key stores via a chain of 7 roles' })).toEqual(fp(base));
    expect(fp(base)).toEqual({ [FINGERPRINT_KEY]: 'KC011|db-backups|db-backups/Zitadel/DbBackups/Writer|key-custody/aws_s3_bucket.k+db-backups/aws_s3_bucket.d' });
  });

  it('change with the rule, the stack, the construct path or the store', () => {
    const all = [base, { ...base, ruleId: 'KC012' }, { ...base, stack: 'other' }, { ...base, constructPath: 'db-backups/Other' }, { ...base, store: 'key-custody/aws_s3_bucket.k2' }].map(findingFingerprint);
    expect(new Set(all).size).toBe(all.length);
  });

  it('without a construct path use the address without its stack, the same in a one-stack and a many-stack run', () => {
    const { constructPath: _drop, ...bare } = base;
    void _drop;
    expect(findingFingerprint({ ...bare, address: 'aws_iam_role.w' })).toBe(findingFingerprint(bare));
  });
});
