import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** The principal the planted lines grant on both sides (a literal role ARN in the DB account). */
export const PLANTED_PRINCIPAL = 'arn:aws:iam::222222222222:role/ops';

export interface PlantedExample {
  /** The project folder (it holds a `.git` marker, so paths are shown relative to it). */
  readonly project: string;
  /** The app folder inside it, holding main.ts. */
  readonly app: string;
  /** 1-based line of `keyBucket.grantRead(...)` in app/main.ts. */
  readonly grantLine: number;
  /** 1-based line of `dbBucket.grantWrite(...)` in app/main.ts. */
  readonly dbGrantLine: number;
}

/**
 * A copy of examples/zitadel-single-host in `dir` with a KC011 violation planted through the
 * constructs: the DB-backup bucket lets a role write and the key-backup bucket lets the same
 * role read (`keyBucket.grantRead(...)`). `SKIP_VALIDATION=1` synthesizes it without the check.
 */
export function plantedExample(dir: string): PlantedExample {
  const project = join(dir, 'project');
  const app = join(project, 'infra');
  mkdirSync(join(project, '.git'), { recursive: true });
  mkdirSync(app, { recursive: true });
  let text = readFileSync(join(root, 'examples', 'zitadel-single-host', 'main.ts'), 'utf8');
  text = text.replace("from '../../lib'", `from ${JSON.stringify(join(root, 'lib'))}`);
  const newApp = 'new App(outdir ? { outdir } : {})';
  if (!text.includes(newApp)) throw new Error('the example no longer creates its App as the planted copy expects');
  text = text.replace(newApp, "new App({ ...(outdir ? { outdir } : {}), skipValidation: process.env.SKIP_VALIDATION === '1' })");
  const anchor = '  keyBucket.assertOutlives(dbBucket);\n';
  if (!text.includes(anchor)) throw new Error('the example no longer has the line the violation is planted after');
  text = text.replace(anchor, `${anchor}  dbBucket.grantWrite('${PLANTED_PRINCIPAL}');\n  keyBucket.grantRead('${PLANTED_PRINCIPAL}');\n`);
  writeFileSync(join(app, 'main.ts'), text);
  const lines = text.split('\n');
  const dbGrantLine = lines.findIndex((l) => l.includes(`dbBucket.grantWrite('${PLANTED_PRINCIPAL}')`)) + 1;
  const grantLine = lines.findIndex((l) => l.includes(`keyBucket.grantRead('${PLANTED_PRINCIPAL}')`)) + 1;
  return { project, app, grantLine, dbGrantLine };
}

/** Run the planted app's main.ts with tsx, as `npx tsx main.ts` would. */
export function runApp(p: PlantedExample, env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['main.ts'], {
    cwd: p.app,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', NODE_PATH: join(root, 'node_modules'), ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
