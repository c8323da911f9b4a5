import { fingerprintPrefix } from '../../policy/fingerprint';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { secretPath, type AppProfile } from '../../profiles';
import { writeBesideStack } from '../../synth/custom-synthesis';
import type { MasterKey } from './master-key';
import { CustodyManifest } from '../manifest/custody-manifest';
import { activeOf, oldSecretName, rotatingOf, type KeyGeneration } from './rotation';

/** File name of a key's rotation runbook, next to its stack's `cdk.tf.json`. */
export function rotationRunbookFileName(keyId: string): string {
  return `rotation-runbook-${keyId}.md`;
}

/** Props of {@link RotationRunbook}. */
export interface RotationRunbookProps {
  /** The key whose rotation the runbook describes. */
  readonly masterKey: MasterKey;
  /**
   * Base URL the rotation API is called at, from the host that runs the app.
   * @default - `http://127.0.0.1:<profile port>`
   */
  readonly apiUrl?: string;
  /**
   * Name of the app container, for `docker logs` and `docker exec`.
   * @default - the key's app name
   */
  readonly containerName?: string;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function code(s: string | undefined): string {
  return s === undefined || s === '' ? '' : `\`${s.replace(/`/g, "'")}\``;
}

/** Markdown table cell: pipes and newlines would break the row. */
function cellText(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function generationsTable(gens: readonly KeyGeneration[]): string[] {
  const rows = gens.map((g) =>
    [
      String(g.generation),
      g.state,
      code(g.hostPath) || '(none)',
      g.fingerprint ? code(`${fingerprintPrefix(g.fingerprint)}…`) : '(none)',
      g.retiredOn ?? '',
      g.state === 'retired' ? g.keepUntil ?? 'indefinitely' : 'while in use',
      code(g.offsiteObject) || '(not declared in Terraform)',
    ]
      .map(cellText)
      .join(' | '),
  );
  return [
    '| Generation | State | Host file | Fingerprint | Retired on | Keep until | Offsite backup |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
  ];
}

/** Which generation restores a DB backup of which date: the same rule as MasterKey.generationFor. */
function restoreTable(gens: readonly KeyGeneration[], rotation: AppProfile['rotation']): string[] {
  const retired = gens.filter((g) => g.state === 'retired' && g.retiredOn).sort((a, b) => a.generation - b.generation);
  const active = activeOf(gens);
  const rotating = rotatingOf(gens);
  const out: string[] = [];
  let since: string | undefined;
  for (const g of retired) {
    out.push(`- DB backups taken ${since ? `after ${since} and ` : ''}up to ${g.retiredOn}: generation ${g.generation}${g.keepUntil ? ` (kept until ${g.keepUntil})` : ''}.`);
    since = g.retiredOn;
  }
  out.push(`- DB backups taken ${since ? `after ${since}` : 'at any date'}: generation ${active.generation} (active).`);
  if (rotating) {
    out.push(
      rotation?.kind === 'api'
        ? `- Generation ${rotating.generation} is rotating: a backup taken after the rotation API call needs generation ${rotating.generation}, one taken before it generation ${active.generation}; ` +
            'note the time of the call in the rotation log and keep both keys at hand for backups of that day.'
        : `- Generation ${rotating.generation} is rotating: a backup taken since the rotation began may hold data under both keys (the app re-encrypts on read); ` +
            `restore it with generation ${rotating.generation} and generation ${active.generation} both at hand.`,
    );
  }
  out.push(
    '- A backup taken on a switch-over day is attributed to the generation retired that day; drill with a backup from another day to be sure.',
    '',
    'In code: `masterKey.generationFor("YYYY-MM-DD")` returns the generation for a backup date; a recovery drill of this key restores with that generation\'s **offsite** copy.',
  );
  return out;
}

interface Ctx {
  readonly key: MasterKey;
  readonly profile: AppProfile;
  readonly container: string;
  readonly apiUrl: string;
  readonly active: KeyGeneration;
  readonly next: number;
  /** The new generation's host file (declared, or the conventional name to create). */
  readonly newPath: string;
  readonly oldPath: string;
  readonly newDeclared: boolean;
}

function newKeyCommands(c: Ctx): string[] {
  const dir = dirOf(c.newPath);
  const gen =
    c.profile.encoding.kind === 'ascii'
      ? // Exactly N characters, no newline: a trailing newline makes the key one byte too long.
        `openssl rand -base64 ${c.profile.encoding.length} | head -c ${c.profile.encoding.length} > ${c.newPath}`
      : `openssl rand -hex ${c.profile.encoding.length / 2} | tr -d '\\n' > ${c.newPath}`;
  return [
    '```sh',
    `install -d -m 0700 -o root -g root ${dir}`,
    `( umask 077; ${gen} )`,
    `chown ${c.key.keyFileUser === '0:0' ? 'root:root' : c.key.keyFileUser} ${c.newPath} && chmod 0400 ${c.newPath}`,
    `key-custody verify-key ${c.newPath} --app ${c.profile.name}${
      c.key.keyFileUser === `${c.profile.runsAs?.uid ?? 0}:${c.profile.runsAs?.gid ?? 0}` ? '' : ` --owner ${c.key.keyFileUser}`
    }   # checks the encoding, the mode and the owner`,
    '```',
    '',
    'The key goes from `openssl` into its file: never echo it, never paste it into a shell, a ticket or a chat.',
  ];
}

function backupCommands(c: Ctx): string[] {
  return [
    `Make generation ${c.next}'s own 3-2-1 copies **before** it encrypts anything (KC025 keeps it out of \`active\` until they are declared):`,
    '',
    '```sh',
    `age -r <age recipient> ${c.newPath} > /mnt/nas/${c.key.app}/masterkey.g${c.next}.$(date +%F).age      # cold copy`,
    `aws s3 cp /mnt/nas/${c.key.app}/masterkey.g${c.next}.$(date +%F).age s3://<key-backup bucket>/${c.key.keyId}/masterkey.g${c.next}.age   # offsite copy, with the key-backup writer's credentials only`,
    '```',
    '',
    `Declare them in code with \`generation: ${c.next}\` (copies of the new generation), and its offsite object with ` +
      '`offsiteBackup: { object: <aws_s3_object> }` or `offsiteBackup: { verify: { bucket, key } }` (a plan-time check that the object exists). ' +
      'Seal a paper copy in the safe and replace the envelope of the previous generation only once it is retired.',
  ];
}

function declareRotating(c: Ctx): string[] {
  if (c.newDeclared) return [`Generation ${c.next} is already declared \`rotating\` with host file ${code(c.newPath)}.`];
  return [
    'Declare the new generation in code and keep the current one active:',
    '',
    '```ts',
    `new MasterKey(this, '...', {`,
    `  keyId: '${c.key.keyId}', profile: '${c.profile.name}',`,
    `  generation: ${c.next}, state: 'rotating',`,
    `  hotCopy: { kind: 'host-file', path: '${c.newPath}' },`,
    `  copies: [/* generation ${c.next}'s copies */],`,
    `  previousGenerations: [{ generation: ${c.active.generation}, state: 'active', hostPath: '${c.oldPath}', copies: [/* its copies */] }],`,
    '});',
    '```',
    '',
    `If generation ${c.active.generation}'s file is still ${code(c.oldPath)}, keep it there (it is the old key now) and give the new one the new path.`,
  ];
}

function activateSteps(c: Ctx, then: string): string[] {
  return [
    `Mark generation ${c.next} \`active\` and generation ${c.active.generation} \`retired\` with \`retiredOn\` = today and \`keepUntil\` at least ` +
      `retiredOn + the DB-backup retention + 30 days (KC022; give \`dbRetentionDays\` on the key and keepUntil is derived). ` +
      `\`cdktf synth\` refuses the switch (KC025) until generation ${c.next}'s own copies, offsite included, are declared. Then \`cdktf deploy\`: ${then}`,
  ];
}

function apiRunbook(c: Ctx, r: Extract<NonNullable<AppProfile['rotation']>, { kind: 'api' }>): string[] {
  const variable = c.profile.passing.kind === 'env' ? c.profile.passing.variable : c.profile.passing.flag;
  const target = secretPath(c.profile);
  const canary = r.canaryFailure ?? 'MASTER KEY INTEGRITY CHECK FAILED';
  return [
    '## Steps',
    '',
    `1. **Full database backup first.** Take a full backup of the ${c.key.app} database (\`${c.key.app}.db\` or an SQL dump), copy it to the DB-backup bucket, and check it restores. Without it a failed rotation is unrecoverable.`,
    '',
    `2. **Create generation ${c.next}'s key file** (skip if ${code(c.newPath)} exists and \`key-custody verify-key\` accepts it):`,
    '',
    ...newKeyCommands(c),
    '',
    `3. **Back up generation ${c.next}.** ${backupCommands(c).join('\n')}`,
    '',
    `4. **Declare the rotation.** ${declareRotating(c).join('\n')}`,
    '',
    `   While generation ${c.next} is \`rotating\`, the container keeps running with generation ${c.active.generation} (${code(c.oldPath)} mounted read-only at ${code(target)}, ${code(`${variable}=${target}`)}).`,
    '',
    `5. **Call the rotation API with the new key read from its file.** ${c.key.app} decrypts everything with the old key, re-encrypts it with the new one and updates its integrity canary:`,
    '',
    '```sh',
    `sudo curl --fail-with-body -sS -X ${r.method} \\`,
    `  -H 'Content-Type: application/octet-stream' \\`,
    `  --data-binary @${c.newPath} \\`,
    `  ${c.apiUrl}${r.endpoint}`,
    '```',
    '',
    '   `--data-binary @file` sends the file\'s bytes: the key never appears on a command line (`ps`, shell history) or in a variable. ' +
      'If the API needs an admin token, put the header in a root-only file and pass `-H @/root/' +
      `${c.key.app}-api-header\` (curl 7.55+), never the token itself. If your version expects JSON, build the body from the file in a pipe: ` +
      `\`jq -Rn --rawfile k ${c.newPath} '{key: ($k | rtrimstr("\\n"))}' | sudo curl ... --data-binary @- ${c.apiUrl}${r.endpoint}\`.`,
    '',
    `6. **Switch the mount and restart.** ${activateSteps(c, `the container is recreated with ${code(c.newPath)} mounted read-only at ${code(target)}; ${code(variable)} still names ${code(target)}, so only the bind source changes.`).join('\n')}`,
    '',
    '7. **Verify the integrity canary.** The app refuses to boot with the wrong key:',
    '',
    '```sh',
    `docker logs ${c.container} 2>&1 | grep -F "${canary}" && echo "ROTATION FAILED" || echo "canary ok"`,
    `curl -fsS ${c.apiUrl}${c.profile.readinessPath}`,
    '```',
    '',
    `   If the canary fails: set generation ${c.next} back to \`rotating\` and generation ${c.active.generation} to \`active\`, deploy (the container mounts ${code(c.oldPath)} again); ` +
      `if that fails too, restore the database backup of step 1 with generation ${c.active.generation}. Open an incident either way.`,
    '',
    `8. **Afterwards.** Keep ${code(c.oldPath)} on the host until the first recovery drill with generation ${c.next} passes, then remove it (\`shred -u ${c.oldPath}\`). ` +
      `Generation ${c.active.generation}'s backups stay until its \`keepUntil\`: DB backups made before the rotation need it.`,
  ];
}

function oldKeyFileRunbook(c: Ctx, r: Extract<NonNullable<AppProfile['rotation']>, { kind: 'old-key-file' }>): string[] {
  const flag = c.profile.passing.kind === 'flag' ? c.profile.passing.flag : '--masterkeyFile';
  const target = secretPath(c.profile);
  const oldTarget = secretPath(c.profile, oldSecretName(c.profile));
  return [
    '## Steps',
    '',
    `1. **Full database backup first**, and test this rotation in staging before production.`,
    '',
    `2. **Create generation ${c.next}'s key file:**`,
    '',
    ...newKeyCommands(c),
    '',
    `3. **Back up generation ${c.next}.** ${backupCommands(c).join('\n')}`,
    '',
    `4. **Declare the rotation and deploy.** ${declareRotating(c).join('\n')}`,
    '',
    `   \`cdktf deploy\` recreates the container with both keys mounted read-only and passed by path: ` +
      `${code(`${flag} ${target}`)} (generation ${c.next}, from ${code(c.newPath)}) and ${code(`${r.oldKeyFileFlag} ${oldTarget}`)} (generation ${c.active.generation}, from ${code(c.oldPath)}). ` +
      `The app re-encrypts with the new key on read. \`${r.oldKeyFileFlag}\` is the by-path twin of the documented \`--masterkey-old\` (which takes the key by value and is refused by KC002); ` +
      'if your release names it differently, set `rotation.oldKeyFileFlag` on the profile.',
    '',
    `5. **Verify:** \`curl -fsS ${c.apiUrl}${c.profile.readinessPath}\` answers 200; log in as the break-glass admin.`,
    '',
    `6. **Keep rotating until nothing needs the old key.** Data that is never read stays encrypted with generation ${c.active.generation}; ` +
      'keep both keys mounted until the release notes of your version confirm a full re-encryption (or its re-encryption job has run).',
    '',
    `7. **Finish.** ${activateSteps(c, `the container is recreated with only ${code(c.newPath)} at ${code(target)}.`).join('\n')}`,
    '',
    `8. **Afterwards.** Remove ${code(c.oldPath)} from the host after the first drill with generation ${c.next} passes; keep generation ${c.active.generation}'s backups until its \`keepUntil\`.`,
  ];
}

function migrationRunbook(c: Ctx, steps: readonly string[]): string[] {
  return [
    '## No rotation in place: migrate to a fresh instance',
    '',
    `Profile \`${c.profile.name}\` cannot rotate its master key (Zitadel v4 has no live rotation). \`MasterKey\` refuses a second generation for it. ` +
      'If the key is compromised, or must change for another reason, migrate:',
    '',
    ...steps.map((s, i) => `${i + 1}. ${s.charAt(0).toUpperCase()}${s.slice(1)}.`),
    '',
    `In code: declare the new instance's key as a new \`MasterKey\` (its own \`keyId\`, host file, copies and offsite backup; e.g. \`${c.key.keyId}-2\`), ` +
      'its own container and drill; keep this key (and its backups) until the last DB backup of the old instance has expired. ' +
      'Expected cost: 4-8 hours plus user re-enrollment communication. Upgrading to Zitadel v5 (profile `zitadel-v5`) makes rotation in place possible.',
  ];
}

/** The runbook text for a key. Built only from declarations: paths, generation numbers, dates; never key bytes. */
export function renderRotationRunbook(key: MasterKey, opts: { apiUrl?: string; containerName?: string; stack: string }): string {
  const profile = key.profile;
  const gens = key.generations;
  const active = activeOf(gens);
  const rotating = rotatingOf(gens);
  const next = rotating?.generation ?? Math.max(...gens.map((g) => g.generation)) + 1;
  const base = active.hostPath ?? key.hotCopyPath ?? `/etc/${key.app}/masterkey`;
  const c: Ctx = {
    key,
    profile,
    container: opts.containerName ?? key.app,
    apiUrl: opts.apiUrl ?? `http://127.0.0.1:${profile.port}`,
    active,
    next,
    newPath: rotating?.hostPath ?? `${dirOf(base)}/masterkey.g${next}`,
    oldPath: active.hostPath ?? base,
    newDeclared: rotating !== undefined,
  };
  const status = rotating
    ? `**Rotation under way:** generation ${rotating.generation} is rotating; generation ${active.generation} is active.`
    : `No rotation under way: generation ${active.generation} is active. The steps below rotate it to generation ${next}.`;
  const r = profile.rotation;
  let steps: string[];
  if (r === undefined) {
    steps = [
      '## No rotation declared',
      '',
      `Profile \`${profile.name}\` does not say how the app switches keys, so \`MasterKey\` refuses a second generation. ` +
        'Give the profile a `rotation` (`{ kind: "api", method: "POST", endpoint }` or `{ kind: "old-key-file", oldKeyFileFlag }`), ' +
        'or migrate to a new key id on a fresh instance.',
    ];
  } else if (r.kind === 'unsupported') steps = migrationRunbook(c, r.migration);
  else if (r.kind === 'api') steps = apiRunbook(c, r);
  else steps = oldKeyFileRunbook(c, r);
  return [
    `# Rotation runbook: key \`${key.keyId}\``,
    '',
    `App \`${key.app}\`, profile \`${profile.name}\`, stack \`${opts.stack}\`. Generated by cdktf-key-custody at synth from the key's declarations; ` +
      'it holds paths, generation numbers and dates, never key material. Every command below reads a key from its file.',
    '',
    status,
    '',
    '## Generations',
    '',
    ...generationsTable(gens),
    '',
    '## Which generation restores which DB backup',
    '',
    ...restoreTable(gens, profile.rotation),
    '',
    ...steps,
    '',
  ].join('\n');
}

/**
 * The rotation runbook of one key: `rotation-runbook-<keyId>.md`, written next to the
 * stack's `cdk.tf.json` at synth. It is rendered from the key's declarations when the
 * stack is synthesized, so it follows the generations' states: the ServOS/ACT steps
 * (database backup, the rotation API called with the new key read from its file, the
 * mount switch, restart, integrity canary), the Zitadel v5 dual-key switch-over, or the
 * Zitadel v4 fresh-instance migration. {@link MasterKey} creates one per key.
 */
export class RotationRunbook extends Construct {
  /** File name inside the stack's output folder. */
  public readonly fileName: string;
  private readonly props: RotationRunbookProps;
  private containerName?: string;

  constructor(scope: Construct, id: string, props: RotationRunbookProps) {
    super(scope, id);
    this.props = props;
    this.fileName = rotationRunbookFileName(props.masterKey.keyId);
    CustodyManifest.of(this);
    writeBesideStack(
      this,
      () => this.fileName,
      () => this.render(),
    );
  }

  /**
   * Name the container the runbook's `docker logs` commands use (the app constructs call
   * this with their container's name, unless `containerName` was given).
   */
  public useContainer(name: string): void {
    this.containerName ??= name;
  }

  /** The runbook's Markdown. */
  public render(): string {
    return renderRotationRunbook(this.props.masterKey, {
      apiUrl: this.props.apiUrl,
      containerName: this.props.containerName ?? this.containerName,
      stack: TerraformStack.of(this).node.id,
    });
  }
}
