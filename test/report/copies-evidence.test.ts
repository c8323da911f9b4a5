/**
 * The report shows, per copy, its fingerprint prefix, its date and its generation, and where
 * its evidence comes from (#20); copies with no evidence say so.
 */
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../lib/rules';
import { runRules } from '../../lib/rules/engine';
import { renderMarkdown } from '../../lib/report/markdown';
import { summarizeModel } from '../../lib/report/summarize';
import { doc, manifest, model, zitadelKey } from '../rules/kc0xx-fixtures';

const FP = `kcfp1:${'1'.repeat(32)}:0123456789ab${'c'.repeat(52)}`;

describe('copies in the report', () => {
  it('fingerprint prefix, date, generation and evidence per copy', () => {
    const m = model([
      'app',
      doc(
        manifest([
          zitadelKey({
            fingerprint: FP,
            copies: [
              { kind: 'cold', medium: 'nas', location: '/mnt/nas/k.age', offsite: false, generation: 2, fingerprint: FP, date: '2026-12-06', evidence: 'keygen' },
              { kind: 'offsite', medium: 'paper', location: 'safe', offsite: true },
            ],
          } as never),
        ]),
      ),
    ]);
    const data = summarizeModel(m, runRules(m, ALL_RULES, { today: '2026-12-06' }));
    const rows = data.keys[0].copies.map((c) => [c.kind, c.generation, c.fingerprint, c.date, c.evidence]);
    expect(rows).toEqual([
      ['offsite', null, null, null, null],
      ['cold', 2, 'kcfp1 0123456789ab', '2026-12-06', 'keygen'],
      ['hot', 2, 'kcfp1 0123456789ab', null, 'fingerprint'],
    ]);
    const md = renderMarkdown(data);
    expect(md).toContain('| `kcfp1 0123456789ab` (keygen) | 2026-12-06 |');
    expect(md).toContain('| none (no evidence) |');
    // Copies show the prefix of the hash; the key line keeps the whole value, which verify-key takes.
    for (const line of md.split('\n').filter((l) => l.startsWith('| cold') || l.startsWith('| offsite'))) expect(line).not.toContain('1'.repeat(32));
    expect(md).toContain(`fingerprint \`${FP}\``);
  });
});
