import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { brand, isResource } from '../../synth/identity';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { namesNoImage } from '../errors';
import type { MasterKey } from '../key/master-key';
import { containerSchema } from '../props';
import { KeyFileCheck } from './key-file-check';
import { appLabels, appUserFor, configFileMounts, prepareProtectedApp, type ProtectedAppCommonProps } from './key-mount';
import type { KeyMount } from '../key/rotation';

/** Props of {@link ProtectedAppContainer}. */
export interface ProtectedAppContainerProps extends ProtectedAppCommonProps {
  /** The key the app runs with; its hot copy (or its `hostPath`) is bind-mounted read-only. */
  readonly masterKey: MasterKey;
  /**
   * Container name.
   * @default - the key's app name
   */
  readonly name?: string;
  /**
   * Image reference, pulled through a `docker_image` resource; or a `docker_image` of your own.
   * @default - the profile's image (Zitadel: `ghcr.io/zitadel/zitadel:v4.13.0`)
   */
  readonly image?: string | Image;
  /**
   * User to run as. The key file is owner-only, so the app must run as its owner or as root:
   * another user is refused.
   * @default - the key file's owner when it is not root (Zitadel: `1000:1000`, the image's
   *   `USER zitadel`); else the image's user
   */
  readonly user?: string;
  /**
   * Published ports.
   * @default - none
   */
  readonly ports?: readonly { readonly internal: number; readonly external?: number; readonly ip?: string }[];
  /**
   * Names of docker networks to attach.
   * @default - docker's default bridge network
   */
  readonly networks?: readonly string[];
  /**
   * Restart policy.
   * @default 'unless-stopped'
   */
  readonly restart?: 'no' | 'on-failure' | 'always' | 'unless-stopped';
  /**
   * Run the deploy-time check of the host key file ({@link KeyFileCheck}) before the app starts.
   * @default true
   */
  readonly deployCheck?: boolean;
  /**
   * Docker provider of the host that runs the app and holds the key file.
   * @default - the stack's default `docker` provider
   */
  readonly provider?: TerraformProvider;
}

/** A docker Image resource, of this or another copy of the docker provider bindings. */
const isImage = (v: unknown): v is Image => isResource(v) && v.terraformResourceType === 'docker_image';

/**
 * The app as a `docker_container`: the key's host file bind-mounted read-only at
 * `/run/secrets/<name>` and passed by path as the profile says (Zitadel:
 * `--masterkeyFile /run/secrets/masterkey` after the command; ServOS/ACT:
 * `SERVOS_MASTER_KEY_FILE=/run/secrets/...`). Props that would put the key in an
 * environment variable or on the command line are refused when the construct is made.
 * A {@link KeyFileCheck} verifies the host file before the app starts.
 */
export class ProtectedAppContainer extends Construct {
  /** The app container. */
  public readonly container: Container;
  /** The image pulled for the app, unless one was given. */
  public readonly image?: Image;
  /** The deploy-time check, when enabled. */
  public readonly deployCheck?: KeyFileCheck;
  /** Path of the key file inside the container. */
  public readonly keyPath: string;
  /**
   * The read-only key mounts: one, or during a Zitadel v5 rotation two (the new key at
   * {@link keyPath}, the old key at `<keyPath>-old`), with the generation each holds.
   */
  public readonly keyMounts: readonly KeyMount[];

  constructor(scope: Construct, id: string, props: ProtectedAppContainerProps) {
    super(scope, id);
    brand(this, 'ProtectedAppContainer');
    const { p, key, passing } = prepareProtectedApp('ProtectedAppContainer', this, containerSchema(), props);
    const profile = key.profile;
    this.keyPath = passing.target;
    this.keyMounts = passing.switchOver.mounts;
    let imageRef: string;
    if (isImage(props.image)) {
      imageRef = props.image.imageId;
    } else {
      const ref = props.image ?? profile.image;
      if (!ref) {
        throw namesNoImage(this, 'ProtectedAppContainer', profile.name, 'image');
      }
      this.image = new Image(this, 'Image', { provider: p.provider, name: ref, keepLocally: true });
      imageRef = this.image.imageId;
    }

    if (p.deployCheck !== false) {
      this.deployCheck = new KeyFileCheck(this, 'KeyFileCheck', {
        masterKey: key,
        provider: p.provider,
        image: p.checkImage,
        name: `${p.name ?? key.app}-key-check`,
        revision: typeof props.image === 'string' ? props.image : profile.image,
      });
    }

    this.container = new Container(this, 'Container', {
      provider: p.provider,
      name: p.name ?? key.app,
      image: imageRef,
      entrypoint: props.entrypoint ? [...props.entrypoint] : undefined,
      command: passing.command,
      env: Object.keys(passing.env).length > 0 ? Object.entries(passing.env).map(([k, v]) => `${k}=${v}`) : undefined,
      user: appUserFor('ProtectedAppContainer', this, key, p.user),
      restart: p.restart ?? 'unless-stopped',
      mounts: [
        ...passing.switchOver.mounts.map((m) => ({ type: 'bind', source: m.source, target: m.target, readOnly: true })),
        ...configFileMounts('ProtectedAppContainer', this, key, passing.switchOver.mounts, props.configFiles),
      ],
      ports: p.ports?.map((x) => ({ internal: x.internal, external: x.external, ip: x.ip })),
      networksAdvanced: p.networks?.map((name) => ({ name })),
      labels: appLabels(key, p.labels),
      dependsOn: this.deployCheck ? [this.deployCheck.container] : undefined,
    });
  }
}
