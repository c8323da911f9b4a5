import { block, literal, strings } from './load/refs';
import type { TfProvider } from './types';

/**
 * Which AWS account a provider configuration acts in. At synth time the account id is
 * usually unknown, so we derive an identity from what the configuration pins down:
 * `allowed_account_ids`, the account in `assume_role.role_arn`, or the profile. Two
 * configurations that pin nothing different are treated as ONE account: when we
 * cannot tell them apart, we assume the worse case (shared access), never the better.
 */
export function accountOf(p: TfProvider | undefined, stack: string): string {
  if (!p) return `${stack}:default`;
  const v = p.values;
  const allowed = strings(v.allowed_account_ids);
  if (allowed.length === 1 && literal(allowed[0])) return `acct:${allowed[0]}`;
  const assume = block(v.assume_role);
  const roleArn = literal(assume?.role_arn);
  if (roleArn) {
    const m = /^arn:[^:]+:iam::(\d{12}|[^:]+):/.exec(roleArn);
    if (m) return `acct:${m[1]}`;
  }
  const profile = literal(v.profile);
  if (profile) return `profile:${profile}`;
  return 'default';
}
