import { MIN_REASON_LENGTH } from '../policy/limits';
import { SUPPRESSION_INVALID, SUPPRESSION_UNUSED, NOT_PROVEN } from './engine';
import type { CustodyRule } from './rule';

/** RULES.md, rendered from the rule objects; a test keeps the committed file equal to it. */
export function renderRulesMarkdown(rules: readonly CustodyRule[]): string {
  const out: string[] = [
    '# Rule catalogue',
    '',
    '<!-- Generated from lib/rules/kc*.ts by `npm run rules-md`; a test fails when this file is out of date. -->',
    '',
    'Every rule is a pure function of the custody model: the synth-time check and `key-custody check` run the same rules. Ids are stable.',
    '',
    '| id | rule | severity | suppressible |',
    '|---|---|---|---|',
    ...rules.map((r) => `| [${r.id}](#${r.id.toLowerCase()}) | ${r.title.replace(/\|/g, '\\|')} | ${r.severity} | ${r.suppressible ? 'yes' : 'no'} |`),
    `| ${SUPPRESSION_INVALID} | a suppression cannot be honoured (expired, reason too short, rule unsuppressible) | error | no |`,
    `| ${SUPPRESSION_UNUSED} | a suppression matched no finding | warning | no |`,
    `| ${NOT_PROVEN} | a value in a plan that decides a rule could not be proven (unknown until apply, expression not spelled out) | warning | no |`,
    '',
  ];
  for (const r of rules) {
    out.push(`## ${r.id}`, '', `**${r.title}** (${r.severity}${r.suppressible ? '' : ', cannot be suppressed'})`, '', r.explanation, '', `**Fix:** ${r.fix}`, '');
  }
  out.push(
    '## Suppressions',
    '',
    `A suppression names one rule id and gives a reason of at least ${MIN_REASON_LENGTH} characters, optionally an owner and an expiry date (\`YYYY-MM-DD\`). ` +
      `It covers the construct it is added to and everything under it, or a whole stack. Unsuppressible rules refuse suppression at the call site. ` +
      `An expired suppression is an error (${SUPPRESSION_INVALID}); one that matches nothing is a warning (${SUPPRESSION_UNUSED}). Suppressions are written into the custody manifest and listed in every report.`,
    '',
  );
  return out.join('\n');
}
