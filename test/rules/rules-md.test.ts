import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../lib/rules';
import { renderRulesMarkdown } from '../../lib/rules/rules-md';

describe('rule catalogue', () => {
  it('RULES.md matches the rule objects (run `npm run rules-md` after changing a rule)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'RULES.md'), 'utf8');
    expect(committed).toBe(renderRulesMarkdown(ALL_RULES));
  });

  it('lists every rule file once, with unique ids in catalogue order', () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids).toEqual(
      ['KC001', 'KC002', 'KC003', 'KC004', 'KC005', 'KC010', 'KC011', 'KC012', 'KC013', 'KC014', 'KC015', 'KC020', 'KC021', 'KC022', 'KC023', 'KC024', 'KC025', 'KC030', 'KC031', 'KC032', 'KC033', 'KC034'],
    );
  });

  it('every rule explains itself and says the fix', () => {
    for (const r of ALL_RULES) {
      expect(r.title.length, r.id).toBeGreaterThan(10);
      expect(r.explanation.length, r.id).toBeGreaterThan(40);
      expect(r.fix.length, r.id).toBeGreaterThan(10);
    }
  });

  it('the unsuppressible rules are key material in Terraform, one bucket for both sides, one principal reaching both, and state read across custody lines', () => {
    expect(ALL_RULES.filter((r) => !r.suppressible).map((r) => r.id)).toEqual(['KC004', 'KC010', 'KC011', 'KC015']);
  });
});
