/**
 * Terraform test tier harness for vitest suites (docs/ARCHITECTURE.md, "Test tiers"). Everything except
 * `describeTerraform` lives in `./terraform-run` (importable outside vitest); see there for
 * discovery, the offline rewrite and `terraformCheck`.
 *
 * In CI (`CI` set and not "false"/"0") a missing terraform or mirror fails the tier; on a
 * developer machine the tier is skipped with a loud warning (`KEY_CUSTODY_REQUIRE_TERRAFORM=1`
 * makes it fail there too).
 */
import { afterAll, describe, it } from 'vitest';
import { cleanupTerraformSession, isCi, terraformAvailable } from './terraform-run';

export * from './terraform-run';

let warned = false;

/**
 * `describe` for Terraform-tier suites. Runs the suite when terraform and a mirror are found;
 * in CI (or with `KEY_CUSTODY_REQUIRE_TERRAFORM=1`) replaces the suite by one failing test that
 * says what is missing; elsewhere skips the suite after a loud console warning.
 */
export function describeTerraform(name: string, fn: () => void): void {
  const a = terraformAvailable();
  if (a.ok) {
    describe(name, () => {
      fn();
      afterAll(cleanupTerraformSession);
    });
    return;
  }
  if (isCi() || ['1', 'true'].includes((process.env.KEY_CUSTODY_REQUIRE_TERRAFORM ?? '').toLowerCase())) {
    // One failing test in place of the suite: the tier's absence is a failure, not a skip, and the
    // file's other suites still run.
    describe(name, () => {
      it('needs terraform and a provider mirror (required in CI)', () => {
        throw new Error(
          `Terraform tier cannot run: ${a.why}. CI must run this tier: install terraform and a provider mirror ` +
            '(see docs/ARCHITECTURE.md, "Test tiers") instead of skipping it.',
        );
      });
    });
    return;
  }
  if (!warned) {
    warned = true;
    const bar = '!'.repeat(100);
    console.warn(
      `\n${bar}\n!! SKIPPING THE TERRAFORM TEST TIER: ${a.why}\n` +
        '!! These tests run (and must pass) in CI. Set KEY_CUSTODY_REQUIRE_TERRAFORM=1 to fail instead of skipping.\n' +
        `${bar}\n`,
    );
  }
  describe.skipIf(true)(`${name} [skipped: ${a.why}]`, fn);
}
