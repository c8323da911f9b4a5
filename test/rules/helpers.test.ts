/**
 * Direct tests of the pure helpers the rules share (lib/rules/helpers.ts): argv splitting,
 * flags and key-flag recognition, key-file references, and by-path hints. The rule tests
 * reach these through whole models; these pin the boundaries.
 */
import { describe, expect, it } from 'vitest';
import { isKeyFileFlag, isKeyFromEnvFlag, isKeyValueFlag } from '../../lib/policy/keynames';
import { argvOf, byPathHint, flagsOf, keyFileRefs } from '../../lib/rules/helpers';
import { container } from '../model/hand-model';

describe('argv and flags', () => {
  it('splits entrypoint then command on whitespace and strips quotes and trailing semicolons', () => {
    const c = container({ entrypoint: ['/bin/sh', '-c'], command: ['"start  --masterkeyFile', "'/run/k';", '', ' ;'] });
    expect(argvOf(c)).toEqual(['/bin/sh', '-c', 'start', '--masterkeyFile', '/run/k']);
  });
  it('keeps quotes inside a token', () => {
    expect(argvOf(container({ command: ['a"b', "--x='y'"] }))).toEqual(['a"b', "--x='y"]);
  });
  it('reads --f v, --f=v, -f v, and a flag followed by another flag or nothing', () => {
    expect(flagsOf(['app', '--a', 'v', '--b=w=x', '-c', '--d', '-e', '-f', '-', 'pos', '--g'])).toEqual([
      { flag: '--a', value: 'v', inline: false },
      { flag: '--b', value: 'w=x', inline: true },
      { flag: '-c', value: undefined, inline: false },
      { flag: '--d', value: undefined, inline: false },
      { flag: '-e', value: undefined, inline: false },
      { flag: '-f', value: undefined, inline: false },
      { flag: '--g', value: undefined, inline: false },
    ]);
  });
  it('does not take numbers, bare dashes or "=x" as flags', () => {
    expect(flagsOf(['-1', '--', '---', '=x', 'a=b', '--9'])).toEqual([]);
    expect(flagsOf(['--x=', '--y'])).toEqual([
      { flag: '--x', value: '', inline: true },
      { flag: '--y', value: undefined, inline: false },
    ]);
  });
  it('classifies key flags', () => {
    for (const f of ['--masterkeyFile', '--masterkey-file', '--master_key_file', '-m', '--MASTERKEYFILE', 'masterkeyfile']) expect(isKeyFileFlag(f), f).toBe(true);
    for (const f of ['--masterkey', '--file', '-M', '--m', '--keyfile']) expect(isKeyFileFlag(f), f).toBe(false);
    expect(isKeyFromEnvFlag('--masterkeyFromEnv')).toBe(true);
    expect(isKeyFromEnvFlag('--master-key-from-env')).toBe(true);
    expect(isKeyFromEnvFlag('--masterkeyFromEnvX')).toBe(false);
    expect(isKeyFromEnvFlag('--masterkey')).toBe(false);
    for (const f of ['--masterkey', '--masterkey-old', '--master-key', '-MasterKey']) expect(isKeyValueFlag(f), f).toBe(true);
    for (const f of ['--masterkeyFile', '--masterkeyFromEnv', '--key', '-m']) expect(isKeyValueFlag(f), f).toBe(false);
  });
});

describe('keyFileRefs', () => {
  it('lists key-file flags with literal paths, -m only with an absolute path, and *_FILE variables', () => {
    const c = container({
      command: ['start', '--masterkeyFile', '/run/k', '--masterkey-file=${var.p}', '-m', 'module', '-m', '/abs/key', '--other', '/x'],
      env: { SERVOS_MASTER_KEY_FILE: '/run/s', TLS_CERT_FILE: '/tls', EXPR_FILE: '${var.f}', EMPTY_FILE: '', PLAIN: '/p' },
    });
    expect(keyFileRefs(c)).toEqual([
      { via: '--masterkeyFile', path: '/run/k', keySpecific: true },
      { via: '--masterkey-file', path: undefined, keySpecific: true },
      { via: '-m', path: '/abs/key', keySpecific: true },
      { via: 'env SERVOS_MASTER_KEY_FILE', path: '/run/s', keySpecific: true },
      { via: 'env TLS_CERT_FILE', path: '/tls', keySpecific: false },
      { via: 'env EXPR_FILE', path: undefined, keySpecific: false },
      { via: 'env EMPTY_FILE', path: undefined, keySpecific: false },
    ]);
  });
  it('skips -m without a value', () => {
    expect(keyFileRefs(container({ command: ['run', '-m'] }))).toEqual([]);
  });
});

describe('byPathHint', () => {
  it('tells Zitadel to use --masterkeyFile (by app or by a ZITADEL_ variable)', () => {
    expect(byPathHint('Zitadel-prod', undefined, '/run/k')).toBe('pass `--masterkeyFile /run/k` in the command');
    expect(byPathHint(undefined, 'zitadel_masterkey', '/run/k')).toBe('pass `--masterkeyFile /run/k` in the command');
  });
  it('otherwise names the *_FILE twin of the variable, or one derived from the app', () => {
    expect(byPathHint('servos', 'SERVOS_MASTER_KEY', '/run/k')).toBe('set `SERVOS_MASTER_KEY_FILE=/run/k`');
    expect(byPathHint('my app.v2', 'OTHER', '/run/k')).toBe('set `MY_APP_V2_MASTER_KEY_FILE=/run/k`');
    expect(byPathHint(undefined, undefined, '/run/k')).toBe('set `APP_MASTER_KEY_FILE=/run/k`');
    expect(byPathHint('', undefined, '/run/k')).toBe('set `APP_MASTER_KEY_FILE=/run/k`');
    expect(byPathHint('xzitadel', 'NOT_ZITADEL_KEY', '/t')).toBe('pass `--masterkeyFile /t` in the command');
  });
});
