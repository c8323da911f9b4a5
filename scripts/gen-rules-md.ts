// Writes RULES.md from the rule objects (npm run rules-md).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_RULES } from '../lib/rules';
import { renderRulesMarkdown } from '../lib/rules/rules-md';

writeFileSync(join(__dirname, '..', 'RULES.md'), renderRulesMarkdown(ALL_RULES));
process.stdout.write(`RULES.md: ${ALL_RULES.length} rules\n`);
