import { describe, expect, it } from 'vitest';
import { cell, codeCell, MAX_MATRIX_COLUMNS, renderMarkdown } from '../../lib/report/markdown';
import type { AccessRow } from '../../lib/report/data';
import { forStack, summarizeModel } from '../../lib/report/summarize';
import { fakeModel, fakeResult } from './fake-model';

describe('custody-report.md', () => {
  const data = summarizeModel(fakeModel(), fakeResult());
  const md = renderMarkdown(data);

  it('has a title, a summary line and every section', () => {
    expect(md.startsWith('# Key custody report\n')).toBe(true);
    expect(md).toContain('**FAIL**: 2 errors, 1 warning, 1 suppressed in 2 stacks');
    for (const h of ['## Key inventory', '## Stores', '## Access matrix', '## Recovery drills', '## Findings', '## Suppressions']) {
      expect(md).toContain(`\n${h}\n`);
    }
  });

  it('shows the 3-2-1 table', () => {
    expect(md).toContain('| Key | App | Copies | Media | Offsite | 3 copies | 2 media | 1 offsite | 3-2-1 | Drills |');
    expect(md).toContain('| `servos` | servos | 1 | 1 | 0 | no | no | no | **fails** | none |');
    expect(md).toContain('| `zitadel` | zitadel | 5 | 5 | 2 | yes | yes | yes | **holds** | `zitadel-quarterly` |');
  });

  it('shows the access matrix with stores as columns and letters in cells', () => {
    expect(md).toContain('| Principal | Kind | Role | `db/aws_s3_bucket.db_backup` | `keys/aws_s3_bucket.hot` | `keys/aws_s3_bucket.key_backup` |');
    expect(md).toContain('| `db/aws_iam_user.ops` | user |  | r |  | rka |');
    expect(md).toContain('2 principals reach no custody store: `arn:aws:iam::999999999999:root`, `db/aws_iam_user.idle`.');
    expect(md).toContain('group ops → AdministratorAccess');
  });

  it('splits a matrix wider than MAX_MATRIX_COLUMNS stores into one table per key', () => {
    const stores = Array.from({ length: MAX_MATRIX_COLUMNS + 2 }, (_, i) => ({ ...data.stores[0], ref: `k/s${i}`, address: `s${i}`, key: i % 2 === 0 ? 'alpha' : 'beta' }));
    const rows: AccessRow[] = [
      { principal: 'p/admin', kind: 'role', role: null, cells: { 'k/s0': 'r', 'k/s1': 'w' } },
      { principal: 'p/alpha-only', kind: 'role', role: null, cells: { 'k/s2': 'rk' } },
    ];
    const wide = renderMarkdown({ ...data, stores, access: { ...data.access, stores: stores.map((s) => s.ref), rows } });
    const alpha = wide.slice(wide.indexOf('### Access to the stores of key `alpha`'), wide.indexOf('### Access to the stores of key `beta`'));
    const beta = wide.slice(wide.indexOf('### Access to the stores of key `beta`'), wide.indexOf('### How access is granted'));
    const cols = (parity: number) => stores.filter((_, i) => i % 2 === parity).map((s) => `\`${s.ref}\``);
    expect(alpha).toContain(`| Principal | Kind | Role | ${cols(0).join(' | ')} |`);
    expect(beta).toContain(`| Principal | Kind | Role | ${cols(1).join(' | ')} |`);
    expect(alpha).toContain(`| \`p/admin\` | role |  | r |${'  |'.repeat(cols(0).length - 1)}\n`);
    expect(alpha).toContain('| `p/alpha-only` | role |  |  | rk |');
    expect(beta).toContain('| `p/admin` | role |  | w |');
    expect(beta).not.toContain('p/alpha-only');
    expect(md).not.toContain('### Access to the stores of');
  });

  it('lists findings with fix and suppression state, and suppressions', () => {
    expect(md).toContain('| KC011 | error | `db/aws_iam_user.ops` | ops can read DB backups and key backups \\| both | split the credentials | open |');
    expect(md).toContain('| KT002 | warning | `keys/aws_kms_key.kb` | rotation off | enable rotation | suppressed: rotation is handled by the HSM team |');
    expect(md).toContain('| KT002 | `keys` | (whole stack) | rotation is handled by the HSM team | sec | 2099-01-01 | 1 | in use |');
  });

  it('escapes pipes in every cell so tables keep their columns', () => {
    expect(md).toContain('`safe \\| office`');
    expect(md).toContain('`zitadel\\|master`');
    for (const line of md.split('\n').filter((l) => l.startsWith('| Kind | Medium'))) {
      expect(line.split(/(?<!\\)\|/).length).toBe(11);
    }
  });

  it('renders one stack with its name in the title', () => {
    const one = renderMarkdown(forStack(data, 'keys'));
    expect(one.startsWith('# Key custody report: keys\n')).toBe(true);
    expect(one).not.toContain('db/aws_s3_bucket.db_backup` |');
  });

  it('cell helpers escape pipes, HTML and newlines', () => {
    expect(cell('a|b\nc <x>')).toBe('a\\|b<br>c &lt;x&gt;');
    expect(cell(null)).toBe('');
    expect(codeCell('a|b')).toBe('`a\\|b`');
    expect(codeCell('a`b')).toBe('``a`b``');
  });
});
