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
    `| ${SUPPRESSION_INVALID} | a suppression cannot be honoured (expired, expiring more than a year ahead, reason too short, rule unsuppressible, an error-severity rule without owner and expiry), or (a warning) one of a warning-severity rule lacks them | error | no |`,
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
    `A suppression names one rule id and gives a reason of at least ${MIN_REASON_LENGTH} characters, an owner (who answers for the risk) and an expiry date (\`YYYY-MM-DD\`) at most a year after the day the check runs. ` +
      `It covers the construct it is added to and everything under it, or a whole stack. Unsuppressible rules refuse suppression at the call site, and so do error-severity rules without an owner and an expiry. ` +
      `An expired suppression, one expiring more than a year ahead, and one of an error-severity rule without owner and expiry are not applied and are errors (${SUPPRESSION_INVALID}); ` +
      `one of a warning-severity rule without them is applied with a ${SUPPRESSION_INVALID} warning (an error under \`--strict\`); one that matches nothing is a warning (${SUPPRESSION_UNUSED}). ` +
      `Suppressions are written into the custody manifest and listed in every report and in SARIF (owner and expiry as suppression properties).`,
    '',
  );
  return out.join('\n');
}
