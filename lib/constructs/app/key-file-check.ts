import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { TAG_APP, TAG_KEY } from '../../policy/tags';
import { noHostFileToCheck } from '../errors';
import type { MasterKey } from '../key/master-key';
import { CustodyManifest } from '../manifest/custody-manifest';
import { keyFileCheckSchema } from '../props';
import { parseProps } from '../validation';

/** Props of {@link KeyFileCheck}. */
export interface KeyFileCheckProps {
  /** The key whose host file is checked; its hot copy must have a host path. */
  readonly masterKey: MasterKey;
  /**
   * Name of the one-shot verifier container.
   * @default '<app>-key-check'
   */
  readonly name?: string;
  /**
   * Image with a POSIX `sh` and a `stat` that understands `-c` (busybox, alpine, debian).
   * @default 'busybox:1.36.1'
   */
  readonly image?: string;
  /**
   * Docker provider of the host the key file lives on (the host the app runs on).
   * @default - the stack's default `docker` provider
   */
  readonly provider?: TerraformProvider;
  /**
   * A value whose change re-runs the check (the app containers pass their image), so a
   * redeploy of the app verifies the file again.
   * @default - the check re-runs only when the key's path or generation changes
   */
  readonly revision?: string;
}

/** Where the verifier sees the key's directory; never the app's `/run/secrets`. */
const CHECK_DIR = '/custody/keydir';

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * The shell script of the verifier. It reads modes and owners with `stat` and never the
 * file's content, so nothing of the key reaches the container's logs (which Terraform
 * stores as `container_logs`). It receives the key path as `$1`: a plain argument naming
 * the file is how KC003 sees that the mount is used by path. The script avoids `${` and
 * `%{`, which Terraform would read as interpolation and template directives.
 */
function script(modes: readonly string[], uid: number, gid: number): string {
  // `400`, or `400`/`600` where the app's runbook asks for 600 (ServOS/ACT); owned by root, or
  // by the uid:gid the app runs as (the Zitadel image: 1000:1000).
  const want = modes.map((m) => `${parseInt(m, 8).toString(8)} ${uid} ${gid}`);
  const fileTest = want.map((w) => `[ "$fs" != "${w}" ]`).join(' && ');
  const owner = uid === 0 && gid === 0 ? 'root:root' : `${uid}:${gid}`;
  return [
    'f="$1"; d=$(dirname "$f"); rc=0',
    'if [ ! -f "$f" ]; then echo "key file missing: $f"; exit 1; fi',
    'fs=$(stat -c \'%a %u %g\' "$f"); ds=$(stat -c \'%a %u %g\' "$d")',
    `if ${fileTest}; then echo "key file is mode/uid/gid $fs, want ${want.join(' or ')}"; rc=1; fi`,
    'if [ "$ds" != "700 0 0" ]; then echo "key directory is mode/uid/gid $ds, want 700 0 0"; rc=1; fi',
    `if [ "$rc" = 0 ]; then echo "key file ok: ${want.length === 1 ? want[0].split(' ')[0] : '$(stat -c %a "$f")'} ${owner} in a 700 root:root directory"; fi`,
    'exit "$rc"',
  ].join('\n');
}

/**
 * Deploy-time check of the host key file: `0400` (or `0600`, where the app's runbook asks
 * for it: ServOS/ACT), owned by root or, where the app's image runs as a non-root user, by
 * that user (the Zitadel image: `1000:1000`, see {@link MasterKey.keyFileOwner}), in a
 * `0700 root:root` directory (the seeds' "verify after boot"), done where the file is, on
 * the docker host.
 *
 * Why this mechanism: Terraform cannot see host file modes, and a `local-exec`
 * provisioner runs on the machine that runs Terraform, not on the (remote) docker host.
 * A one-shot container on the same docker provider does see the host: it bind-mounts
 * the key's directory read-only and `stat`s it. With `attach = true` the docker provider
 * waits for it to exit and records `exit_code`, but it does not fail on a non-zero code
 * (its own acceptance test expects `exit_code = 123` after a successful apply), so a
 * lifecycle postcondition on `self.exit_code == 0` is what fails `terraform apply`. The
 * app container depends on this one, so a failed check stops the app from (re)starting.
 *
 * The container is replaced, and the check runs again, whenever its configuration
 * changes: the key's path, generation or the app's image (carried as labels). To re-run
 * it on demand: `terraform apply -replace=<address of this container>`.
 *
 * Caveat: with user-namespace remapping, root-owned files appear as uid 65534 inside
 * containers and the check fails; run it with a provider whose daemon does not remap.
 */
export class KeyFileCheck extends Construct {
  /** The verifier container. */
  public readonly container: Container;
  /** The pulled verifier image. */
  public readonly image: Image;

  constructor(scope: Construct, id: string, props: KeyFileCheckProps) {
    super(scope, id);
    const p = parseProps('KeyFileCheck', this, keyFileCheckSchema(), props, 'give masterKey: a MasterKey whose hot copy is a host file (or has hostPath)');
    const key = props.masterKey;
    const path = key.hotCopyPath;
    if (path === undefined) {
      throw noHostFileToCheck(this, key);
    }
    CustodyManifest.of(this);
    this.image = new Image(this, 'Image', { provider: p.provider, name: p.image ?? 'busybox:1.36.1', keepLocally: true });
    const inside = `${CHECK_DIR}/${basename(path)}`;
    const name = p.name ?? `${key.app}-key-check`;
    this.container = new Container(this, 'Container', {
      provider: p.provider,
      name,
      image: this.image.imageId,
      command: ['sh', '-c', script(key.keyFileModes, key.keyFileOwner.uid, key.keyFileOwner.gid), 'key-check', inside],
      attach: true,
      logs: true,
      mustRun: false,
      // Nothing to talk to: the check only reads file metadata.
      networkMode: 'none',
      mounts: [{ type: 'bind', source: dirname(path), target: CHECK_DIR, readOnly: true }],
      labels: [
        { label: TAG_KEY, value: key.keyId },
        { label: TAG_APP, value: key.app },
        { label: 'custody:check', value: 'key-file' },
        { label: 'custody:generation', value: String(key.generation) },
        // Labels force replacement in the docker provider: a new revision re-runs the check.
        ...(p.revision !== undefined ? [{ label: 'custody:revision', value: p.revision }] : []),
      ],
      lifecycle: {
        postcondition: [
          {
            condition: '${self.exit_code == 0}',
            errorMessage: `deploy-time key check failed for ${path} (key ${
              key.keyId
            }): \${self.container_logs}. Fix on the host: ${
              key.keyFileUser === '0:0' ? `chown root:root ${path} ${dirname(path)}` : `chown ${key.keyFileUser} ${path} && chown root:root ${dirname(path)}`
            } && chmod ${key.keyFileMode} ${path} && chmod 0700 ${dirname(path)}`,
          },
        ],
      },
    });
    key.markDeployCheck();
  }
}
