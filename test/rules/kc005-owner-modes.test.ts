/**
 * KC005 and the runbooks (#20): 0600 where the key's runbook allows it (the manifest's `modes`,
 * written from the profile: ServOS/ACT), and a non-root owner only when it is the uid:gid the
 * app containers run as (`appUser`: the Zitadel image runs as uid 1000).
 */
import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc005-host-file-permissions';
import { doc, findings, manifest, zitadelKey } from './kc0xx-fixtures';

const hf = (over: Record<string, unknown>) => ({ path: '/etc/zitadel/masterkey', mode: '0400', owner: 'root', group: 'root', dirMode: '0700', deployCheck: true, ...over });
const messages = (over: Record<string, unknown>) => findings(rule, ['app', doc(manifest([zitadelKey({ hostFile: hf(over) })]))]).map((f) => f.message);
const prefix = 'key zitadel-master declares host file /etc/zitadel/masterkey with';

describe('KC005: modes the runbook allows', () => {
  it('passes 0600 when the declaration allows it (600 and 0o600 too), 0400 always', () => {
    for (const mode of ['0600', '600', '0o600', '0400']) expect(messages({ mode, modes: ['0400', '0600'] }), mode).toEqual([]);
  });

  it('flags 0600 without modes, naming what is allowed', () => {
    expect(messages({ mode: '0600' })).toEqual([`${prefix} mode "0600" instead of "0400"`]);
  });

  it('modes cannot allow a mode that is not owner-only', () => {
    expect(messages({ mode: '0640', modes: ['0400', '0640'] })).toEqual([`${prefix} mode "0640" instead of "0400"`]);
    expect(messages({ mode: '0644', modes: ['0400', '0600'] })).toEqual([`${prefix} mode "0644" instead of "0400" or "0600"`]);
  });
});

describe('KC005: the owner is root, or the user the app runs as', () => {
  it('passes a numeric owner and group equal to appUser', () => {
    expect(messages({ owner: '1000', group: '1000', appUser: '1000:1000' })).toEqual([]);
  });

  it('flags a non-root owner without appUser, or another one', () => {
    expect(messages({ owner: '1000', group: '1000' })).toEqual([`${prefix} owner "1000" instead of "root", group "1000" instead of "root"`]);
    expect(messages({ owner: '1000', group: '2000', appUser: '1000:1000' })).toEqual([`${prefix} group "2000" instead of "root" or the app's gid "1000"`]);
    expect(messages({ owner: '2000', group: '1000', appUser: '1000:1000' })).toEqual([`${prefix} owner "2000" instead of "root" or the app's uid "1000"`]);
  });

  it('a name, 01000 or an empty appUser does not stand for the uid', () => {
    expect(messages({ owner: 'zitadel', group: 'root', appUser: 'zitadel:0' })).toEqual([`${prefix} owner "zitadel" instead of "root" or the app's uid "zitadel"`]);
    expect(messages({ owner: '01000', group: 'root', appUser: '01000:0' })).toEqual([`${prefix} owner "01000" instead of "root" or the app's uid "01000"`]);
    expect(messages({ owner: '', group: 'root', appUser: ':0' })).toEqual([`${prefix} owner (not set) instead of "root" or the app's uid ""`]);
  });
});
