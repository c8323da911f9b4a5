/**
 * KC001 (#20): a variable whose value reads the key file with Terraform's `file()` carries the
 * key, whatever the variable is called (`ACT_ENCRYPTION_SECRET=${file("/etc/act/master_key")}`).
 */
import { describe, expect, it } from 'vitest';
import { rule } from '../../lib/rules/kc001-no-key-in-env';
import { filesRead } from '../../lib/rules/key-file-reads';
import { container, doc, findings, labels, manifest, zitadelKey } from './kc0xx-fixtures';

const actKey = zitadelKey({ id: 'act-prod', app: 'act', hostPath: '/etc/act/master_key', hostFile: undefined });

describe('KC001 key file read into a variable', () => {
  it('flags a variable of any name whose value reads the declared hot copy, without printing the value', () => {
    const f = findings(rule, [
      'app',
      doc(
        manifest([actKey]),
        container('act', { image: 'actplatform/act', env: ['ACT_ENCRYPTION_SECRET=${file("/etc/act/master_key")}', 'LOG=info'], labels: labels({ 'custody:app': 'act' }) }),
      ),
    ]);
    expect(f).toHaveLength(1);
    expect(f[0].message).toBe('reads the key file /etc/act/master_key into environment variable ACT_ENCRYPTION_SECRET=<redacted>');
    expect(f[0].fix).toBe('remove ACT_ENCRYPTION_SECRET; mount /etc/act/master_key read-only at /run/secrets/masterkey and set `ACT_MASTER_KEY_FILE=/run/secrets/masterkey`');
  });

  it('flags filebase64 and templatefile of a file named like a master key, with no manifest', () => {
    const f = findings(rule, [
      'app',
      doc(container('svc', { image: 'x', env: ['A=${filebase64("/srv/keys/masterkey")}', 'B=${templatefile("/srv/master_key.tpl", {})}'] })),
    ]);
    expect(f.map((x) => x.message)).toEqual([
      'reads the key file /srv/keys/masterkey into environment variable A=<redacted>',
      'reads the key file /srv/master_key.tpl into environment variable B=<redacted>',
    ]);
  });

  it('leaves other files, digests of the key, and a path passed as a value alone', () => {
    const f = findings(rule, [
      'app',
      doc(
        manifest([actKey]),
        container('act', {
          image: 'actplatform/act',
          env: ['CONFIG=${file("/etc/act/config.yaml")}', 'SUM=${filesha256("/etc/act/master_key")}', 'ACT_MASTER_KEY_FILE=/run/secrets/act_master_key'],
        }),
      ),
    ]);
    expect(f).toEqual([]);
  });

  it('filesRead reads literal paths, escaped quotes included', () => {
    expect(filesRead('${file("/a/b")}-${file ( "/c\\"d" )}-${file(var.x)}')).toEqual(['/a/b', '/c"d']);
  });
});
