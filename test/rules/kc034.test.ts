/**
 * The rule on whole configurations first, then the exact-output tests.
 * KC034 with exact messages and fixes: the drill log (false, missing), a missing alarm
 * (claimed or not), and every alarm problem (no actions, actions disabled, missing data not
 * breaching), with keyed and key-less alarms, one good alarm sufficing, and a bad alarm
 * shared by two drills reported once.
 */
import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc034-drill-recorded-and-alarmed';
import { at, findings, firstDrill, stacks, tags, world, type World } from './drill-fixtures';
import { doc, manifest, model, zitadelKey, type Json } from './kc0xx-fixtures';

const alarm = (w: World) => at(w.drill, 'resource', 'aws_cloudwatch_metric_alarm', 'drill_stale');
const messages = (w: World) => findings(rule, ...stacks(w)).map((f) => `${f.address}: ${f.message}`);

describe('KC034 drill outcomes are recorded and staleness raises an alarm', () => {
  it('passes with log: true and a tagged alarm with actions', () => {
    expect(findings(rule, ...stacks(world()))).toEqual([]);
  });

  it('warns when outcomes are not logged', () => {
    const w = world();
    firstDrill(w).log = false;
    const f = findings(rule, ...stacks(w));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ ruleId: 'KC034', severity: 'warning', address: 'app/terraform_data.custody_manifest' });
    expect(f[0].message).toBe('declares drill "quarterly" of key "zitadel-master" with log: false: drill outcomes (date, who, pass/fail) are not recorded');
    delete firstDrill(w).log;
    expect(messages(w)[0]).toContain('with no log');
  });

  it('warns when the manifest claims an alarm that does not exist: the resource is the truth', () => {
    const w = world();
    delete at(w.drill, 'resource').aws_cloudwatch_metric_alarm;
    const f = findings(rule, ...stacks(w));
    expect(f.map((x) => x.message)).toEqual([
      'declares drill "quarterly" of key "zitadel-master" with alarm: true, but no aws_cloudwatch_metric_alarm tagged custody:role=drill, custody:key=zitadel-master exists in the configuration',
    ]);
    expect(f[0].fix).toContain('treat_missing_data = "breaching"');
    firstDrill(w).alarm = false;
    expect(messages(w)[0]).toContain('without a staleness alarm');
  });

  it('an alarm resource counts even when the manifest omits alarm', () => {
    const w = world();
    delete firstDrill(w).alarm;
    expect(messages(w)).toEqual([]);
  });

  it('does not count an alarm of another key, counts an alarm without a key tag', () => {
    const w = world();
    alarm(w).tags = tags('drill', 'servos-master');
    expect(messages(w)[0]).toContain('but no aws_cloudwatch_metric_alarm tagged');
    alarm(w).tags = { 'custody:role': 'drill' };
    expect(messages(w)).toEqual([]);
  });

  it('warns for an alarm that tells nobody or stays quiet without data', () => {
    const w = world();
    alarm(w).alarm_actions = [];
    expect(messages(w)).toEqual([
      'drill/aws_cloudwatch_metric_alarm.drill_stale: is the drill staleness alarm but has no alarm_actions, so nobody is told when drills stop passing (drill "quarterly" of key "zitadel-master", declared in terraform_data.custody_manifest (stack app))',
    ]);
    alarm(w).alarm_actions = ['arn:aws:sns:eu-central-1:333333333333:custody-pager'];
    alarm(w).actions_enabled = false;
    expect(messages(w)[0]).toContain('actions_enabled = false');
    delete alarm(w).actions_enabled;
    delete alarm(w).treat_missing_data;
    const f = findings(rule, ...stacks(w));
    expect(f[0].message).toContain('treat_missing_data is unset (missing): when drills stop reporting there is no data and the alarm stays quiet');
    expect(f[0].fix).toBe('set `treat_missing_data = "breaching"` so that a drill that did not run raises the alarm');
  });
});

const KEY = 'zitadel-master';
const M = 'terraform_data.custody_manifest';
const drill = (over: Json = {}): Json => ({ id: 'q', key: KEY, log: true, alarm: true, ...over });
const good: Json = { alarm_actions: ['arn:aws:sns:eu-central-1:1:pager'], treat_missing_data: 'breaching', tags: { 'custody:role': 'drill', 'custody:key': KEY } };
const alarms = (a: Record<string, Json>): Json => ({ resource: { aws_cloudwatch_metric_alarm: a } });
const check = (drills: Json[], ...parts: Json[]) => rule.check(model(['s', doc(manifest([zitadelKey()], { drills }), ...parts)])).map((v) => [v.address, v.message, v.fix]);

const LOG_FIX = 'set log: true on the drill so that every run is written to the drill log';
const ALARM_FIX = (k: string) => `add an aws_cloudwatch_metric_alarm on the drill's pass metric, tagged custody:role=drill and custody:key=${k}, with alarm_actions and treat_missing_data = "breaching" (RecoveryDrill creates it)`;
const NO_ACTIONS = 'is the drill staleness alarm but has no alarm_actions, so nobody is told when drills stop passing';
const NO_ACTIONS_FIX = 'set `alarm_actions` to an SNS topic that pages the key custodians';
const DISABLED = 'is the drill staleness alarm but has actions_enabled = false, so its actions never run';
const MISSING_FIX = 'set `treat_missing_data = "breaching"` so that a drill that did not run raises the alarm';

describe('KC034 (mutation tests)', () => {
  it('a logged drill with a good alarm gives nothing; a key-less alarm serves every key; alarm actions may be blocks', () => {
    expect(check([drill()], alarms({ a: good }))).toEqual([]);
    expect(check([drill(), drill({ id: 'r', key: 'other' })], alarms({ a: { ...good, tags: { 'custody:role': 'drill' } } }))).toEqual([]);
    expect(check([drill()], alarms({ a: { ...good, alarm_actions: [{ arn: 'x' }] } }))).toEqual([]);
    expect(check([drill()], alarms({ a: { ...good, actions_enabled: true } }))).toEqual([]);
    expect(check([])).toEqual([]);
  });

  it('the drill log: false or missing', () => {
    expect(check([drill({ log: false }), drill({ id: 'r', log: undefined })], alarms({ a: good }))).toEqual([
      [M, `declares drill "q" of key "${KEY}" with log: false: drill outcomes (date, who, pass/fail) are not recorded`, LOG_FIX],
      [M, `declares drill "r" of key "${KEY}" with no log: drill outcomes (date, who, pass/fail) are not recorded`, LOG_FIX],
    ]);
  });

  it('no alarm: claimed by the manifest or not; other keys\' alarms, other roles and data sources do not count', () => {
    const others = alarms({ o: { ...good, tags: { 'custody:role': 'drill', 'custody:key': 'other' } }, p: { ...good, tags: { 'custody:role': 'key-backup', 'custody:key': KEY } } });
    expect(check([drill(), drill({ id: 'r', alarm: false, log: false }), drill({ id: 't', alarm: undefined })], others, { data: { aws_cloudwatch_metric_alarm: { d: good } } })).toEqual([
      [M, `declares drill "q" of key "${KEY}" with alarm: true, but no aws_cloudwatch_metric_alarm tagged custody:role=drill, custody:key=${KEY} exists in the configuration`, ALARM_FIX(KEY)],
      [M, `declares drill "r" of key "${KEY}" with log: false: drill outcomes (date, who, pass/fail) are not recorded`, LOG_FIX],
      [
        M,
        `declares drill "r" of key "${KEY}" without a staleness alarm: no aws_cloudwatch_metric_alarm tagged custody:role=drill, custody:key=${KEY} exists, so a drill that stops running goes unnoticed`,
        ALARM_FIX(KEY),
      ],
      [
        M,
        `declares drill "t" of key "${KEY}" without a staleness alarm: no aws_cloudwatch_metric_alarm tagged custody:role=drill, custody:key=${KEY} exists, so a drill that stops running goes unnoticed`,
        ALARM_FIX(KEY),
      ],
    ]);
  });

  it('alarm problems, one per alarm, in order of precedence', () => {
    expect(
      check(
        [drill()],
        alarms({
          none: { ...good, alarm_actions: [] },
          missingActions: { ...good, alarm_actions: undefined, actions_enabled: false },
          disabled: { ...good, actions_enabled: false, treat_missing_data: 'ignore' },
          disabledStr: { ...good, actions_enabled: 'false' },
          unset: { ...good, treat_missing_data: undefined },
          quiet: { ...good, treat_missing_data: 'notBreaching' },
          expr: { ...good, treat_missing_data: '${var.t}' },
        }),
      ),
    ).toEqual([
      ['aws_cloudwatch_metric_alarm.none', `${NO_ACTIONS} (drill "q" of key "${KEY}")`, NO_ACTIONS_FIX],
      ['aws_cloudwatch_metric_alarm.missingActions', `${NO_ACTIONS} (drill "q" of key "${KEY}")`, NO_ACTIONS_FIX],
      ['aws_cloudwatch_metric_alarm.disabled', `${DISABLED} (drill "q" of key "${KEY}")`, 'set `actions_enabled = true`'],
      ['aws_cloudwatch_metric_alarm.disabledStr', `${DISABLED} (drill "q" of key "${KEY}")`, 'set `actions_enabled = true`'],
      [
        'aws_cloudwatch_metric_alarm.unset',
        `is the drill staleness alarm but treat_missing_data is unset (missing): when drills stop reporting there is no data and the alarm stays quiet (drill "q" of key "${KEY}")`,
        MISSING_FIX,
      ],
      [
        'aws_cloudwatch_metric_alarm.quiet',
        `is the drill staleness alarm but treat_missing_data is "notBreaching": when drills stop reporting there is no data and the alarm stays quiet (drill "q" of key "${KEY}")`,
        MISSING_FIX,
      ],
      [
        'aws_cloudwatch_metric_alarm.expr',
        `is the drill staleness alarm but treat_missing_data is unset (missing): when drills stop reporting there is no data and the alarm stays quiet (drill "q" of key "${KEY}")`,
        MISSING_FIX,
      ],
    ]);
  });

  it('one good alarm is enough, wherever it is in the list', () => {
    expect(check([drill()], alarms({ bad: { ...good, alarm_actions: [] }, ok: good }))).toEqual([]);
    expect(check([drill()], alarms({ ok: good, bad: { ...good, alarm_actions: [] } }))).toEqual([]);
  });

  it('a bad alarm shared by two drills is reported once, for the first; multi-stack names the manifest', () => {
    const bad = alarms({ shared: { ...good, tags: { 'custody:role': 'drill' }, alarm_actions: [] } });
    expect(check([drill(), drill({ id: 'r', key: 'other' })], bad)).toEqual([['aws_cloudwatch_metric_alarm.shared', `${NO_ACTIONS} (drill "q" of key "${KEY}")`, NO_ACTIONS_FIX]]);
    const v = rule.check(model(['app', doc(manifest([zitadelKey()], { drills: [drill()] }))], ['drill', doc(bad)]));
    expect(v.map((x) => [x.stack, x.address, x.message])).toEqual([
      ['drill', 'aws_cloudwatch_metric_alarm.shared', `${NO_ACTIONS} (drill "q" of key "${KEY}", declared in ${M} (stack app))`],
    ]);
  });
});
