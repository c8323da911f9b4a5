import type { Service } from '@cdktf/provider-docker/lib/service';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { missingOldSwarmSecret, namesNoImage } from '../errors';
import type { MasterKey } from '../key/master-key';
import { serviceSchema } from '../props';
import { KeyFileCheck } from './key-file-check';
import { appLabels, appUserFor, configFileMounts, prepareProtectedApp, type ProtectedAppCommonProps } from './key-mount';
import { dockerService } from '../lazy-providers';
import type { KeyMount } from '../key/rotation';
import { brand } from '../../synth/identity';

/**
 * A Swarm secret created out of band from the host file (`docker secret create
 * <name> /etc/zitadel/masterkey`) and referenced here by id and name. The library never
 * creates a `docker_secret`: its `data` would put the key in Terraform state (KC004).
 */
export interface SwarmSecretRef {
  /** Secret id, as `docker secret inspect -f '{{.ID}}' <name>` prints it. */
  readonly secretId: string;
  /** Secret name. */
  readonly secretName: string;
}

/** Props of {@link ProtectedAppService}. */
export interface ProtectedAppServiceProps extends ProtectedAppCommonProps {
  /** The key the service runs with. */
  readonly masterKey: MasterKey;
  /**
   * Service name.
   * @default - the key's app name
   */
  readonly name?: string;
  /**
   * Image reference.
   * @default - the profile's image
   */
  readonly image?: string;
  /**
   * Take the key from a Swarm secret instead of a bind mount of the host file. Swarm
   * then writes it into the task as `0400` owned by uid 0.
   * @default - bind-mount the host file read-only (pin the service to the node that holds it
   *   with `placementConstraints`)
   */
  readonly swarmSecret?: SwarmSecretRef;
  /**
   * The Swarm secret holding the OLD key while a Zitadel v5 key rotates (created out of
   * band from the active generation's file, like `swarmSecret`). Needed with
   * `swarmSecret` during such a rotation: the service then gets both keys by path.
   * @default - none; a rotating Zitadel v5 key with `swarmSecret` is refused without it
   */
  readonly oldSwarmSecret?: SwarmSecretRef;
  /**
   * Placement constraints, e.g. `node.hostname==idp-1`: a bind-mounted key file exists only on its own node.
   * @default - none
   */
  readonly placementConstraints?: readonly string[];
  /**
   * Replicas.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * User to run as. The key file (or Swarm secret file) is owner-only, so the app must run as
   * its owner or as root: another user is refused.
   * @default - the key file's owner when it is not root (Zitadel: `1000:1000`, the image's
   *   `USER zitadel`); else the image's user
   */
  readonly user?: string;
  /**
   * Published ports.
   * @default - none
   */
  readonly ports?: readonly { readonly targetPort: number; readonly publishedPort?: number }[];
  /**
   * Names (or ids) of overlay networks to attach.
   * @default - none
   */
  readonly networks?: readonly string[];
  /**
   * Run the deploy-time check of the host key file ({@link KeyFileCheck}) on the docker host
   * the provider talks to, before the service is created or updated.
   * @default true
   */
  readonly deployCheck?: boolean;
  /**
   * Docker provider of a Swarm manager.
   * @default - the stack's default `docker` provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * The app as a Swarm `docker_service`: the key as a read-only bind mount of the host
 * file, or as a reference to a Swarm secret created out of band; passed by path as the
 * profile says. Key-by-value props are refused at construction, as for
 * {@link ProtectedAppContainer}.
 */
export class ProtectedAppService extends Construct {
  /** The service. */
  public readonly service: Service;
  /** The deploy-time check, when enabled. */
  public readonly deployCheck?: KeyFileCheck;
  /** Path of the key file inside the task. */
  public readonly keyPath: string;
  /** The key files the task gets (two during a Zitadel v5 rotation), with their generations. */
  public readonly keyMounts: readonly KeyMount[];

  constructor(scope: Construct, id: string, props: ProtectedAppServiceProps) {
    super(scope, id);
    brand(this, 'ProtectedAppService');
    const { p, key, passing } = prepareProtectedApp('ProtectedAppService', this, serviceSchema(), props);
    const profile = key.profile;
    this.keyPath = passing.target;
    this.keyMounts = passing.switchOver.mounts;
    const mounts = passing.switchOver.mounts;
    // Secrets are given in mount order: the key, then (rotating Zitadel v5) the old key.
    const secrets = p.swarmSecret ? [p.swarmSecret, ...(mounts.length > 1 ? [p.oldSwarmSecret] : [])] : [];
    if (p.swarmSecret && mounts.length > 1 && !p.oldSwarmSecret) {
      throw missingOldSwarmSecret(this, key, mounts[1]);
    }
    const image = p.image ?? profile.image;
    if (!image) {
      throw namesNoImage(this, 'ProtectedAppService', profile.name, 'image');
    }

    if (p.deployCheck !== false) {
      this.deployCheck = new KeyFileCheck(this, 'KeyFileCheck', {
        masterKey: key,
        provider: p.provider,
        image: p.checkImage,
        name: `${p.name ?? key.app}-key-check`,
        revision: image,
      });
    }

    const labels = appLabels(key, p.labels);
    const binds = [
      ...(p.swarmSecret ? [] : mounts.map((m) => ({ type: 'bind', source: m.source, target: m.target, readOnly: true }))),
      ...configFileMounts('ProtectedAppService', this, key, mounts, props.configFiles),
    ];
    this.service = new (dockerService())(this, 'Service', {
      provider: p.provider,
      name: p.name ?? key.app,
      labels,
      mode: { replicated: { replicas: p.replicas ?? 1 } },
      taskSpec: {
        containerSpec: {
          image,
          // Swarm's `command` replaces the entrypoint and `args` follow it, as CMD does for a container.
          command: props.entrypoint ? [...props.entrypoint] : undefined,
          args: passing.command,
          env: Object.keys(passing.env).length > 0 ? passing.env : undefined,
          user: appUserFor('ProtectedAppService', this, key, p.user),
          labels,
          mounts: binds.length > 0 ? binds : undefined,
          secrets: p.swarmSecret
            ? mounts.map((m, i) => ({
                secretId: (secrets[i] as SwarmSecretRef).secretId,
                secretName: (secrets[i] as SwarmSecretRef).secretName,
                fileName: m.target,
                // Owned like the host file: by root, or by the user the app runs as.
                fileUid: String(key.keyFileOwner.uid),
                fileGid: String(key.keyFileOwner.gid),
                fileMode: 0o400,
              }))
            : undefined,
        },
        placement: p.placementConstraints ? { constraints: [...p.placementConstraints] } : undefined,
        networksAdvanced: p.networks?.map((name) => ({ name })),
        restartPolicy: { condition: 'on-failure' },
      },
      endpointSpec: p.ports ? { ports: p.ports.map((x) => ({ targetPort: x.targetPort, publishedPort: x.publishedPort })) } : undefined,
      dependsOn: this.deployCheck ? [this.deployCheck.container] : undefined,
    });
  }
}
