#!/usr/bin/env node
// The app in the drill rehearsal, in place of Zitadel, ServOS or ACT (the only stand-in of the
// tier; everything else is real). It behaves as the runbooks say those apps do with their key:
//
// - the key comes from a FILE: `--masterkeyFile <path>` (Zitadel) or `<APP>_MASTER_KEY_FILE`
//   (ServOS, ACT); a key variable or flag carrying the key itself is refused;
// - the database is the one the drill wired: Zitadel's `ZITADEL_DATABASE_POSTGRES_*` variables
//   (read with psql), or the SQLite file at STAND_IN_SQLITE_FILE (read with sqlite3);
// - the integrity canary row (`key_custody_canary`, AES-256-GCM under SHA-256 of the key file)
//   is decrypted at start. ServOS/ACT refuse to start when that fails and log
//   `MASTER KEY INTEGRITY CHECK FAILED`; with no canary row (a fresh database) they make one
//   with the key they were given and start, as the runbooks describe first boot.
// - Zitadel starts either way and answers /debug/readyok; a token from /oauth/v2/token needs
//   the instance's signing key (the canary here) decrypted, so the break-glass login fails
//   with the wrong key. /auth/v1/users/me answers for a token it issued.
//
// Env: STAND_IN_PROFILE (zitadel|servos|act), STAND_IN_PORT; the key and database as above.
import { createDecipheriv, createCipheriv, createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const FAILURE = 'MASTER KEY INTEGRITY CHECK FAILED';
const profile = process.env.STAND_IN_PROFILE;
const port = Number(process.env.STAND_IN_PORT);
const log = (line) => process.stderr.write(`${new Date().toISOString()} ${profile}: ${line}\n`);

function keyPath() {
  const i = process.argv.indexOf('--masterkeyFile');
  if (i >= 0) return process.argv[i + 1];
  if (process.argv.some((a) => a === '--masterkey' || a === '--masterkeyFromEnv')) throw new Error('refusing a key passed by value');
  const v = Object.keys(process.env).find((k) => k.endsWith('_MASTER_KEY_FILE'));
  if (Object.keys(process.env).some((k) => /_MASTER_?KEY$/.test(k))) throw new Error('refusing a key passed in the environment');
  return v ? process.env[v] : undefined;
}

/** One SQL statement's rows (tab-separated) from the wired database. */
function query(sql) {
  const pg = process.env.ZITADEL_DATABASE_POSTGRES_HOST;
  const r = pg
    ? spawnSync('psql', ['-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
        encoding: 'utf8',
        env: {
          ...process.env,
          PGHOST: pg,
          PGPORT: process.env.ZITADEL_DATABASE_POSTGRES_PORT,
          PGDATABASE: process.env.ZITADEL_DATABASE_POSTGRES_DATABASE,
          PGUSER: process.env.ZITADEL_DATABASE_POSTGRES_USER_USERNAME,
        },
      })
    : spawnSync('sqlite3', ['-bail', '-separator', '\t', process.env.STAND_IN_SQLITE_FILE ?? '/nonexistent', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`database: ${(r.stderr || r.error?.message || '').trim()}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
}

function aesKey(file) {
  return createHash('sha256').update(readFileSync(file)).digest();
}

/** Whether the canary decrypts with the key; undefined when the database has none. */
function canaryOk(file) {
  const rows = query("SELECT iv, tag, ct FROM key_custody_canary WHERE name = 'integrity-canary'");
  if (rows.length === 0) return undefined;
  const [iv, tag, ct] = rows[0];
  try {
    const d = createDecipheriv('aes-256-gcm', aesKey(file), Buffer.from(iv, 'hex'));
    d.setAuthTag(Buffer.from(tag, 'hex'));
    return Buffer.concat([d.update(Buffer.from(ct, 'hex')), d.final()]).toString('utf8') === 'key-custody canary';
  } catch {
    return false;
  }
}

function makeCanary(file) {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', aesKey(file), iv);
  const ct = Buffer.concat([c.update('key-custody canary'), c.final()]);
  query('CREATE TABLE IF NOT EXISTS key_custody_canary (name text PRIMARY KEY, iv text, tag text, ct text)');
  query(`INSERT INTO key_custody_canary VALUES ('integrity-canary', '${iv.toString('hex')}', '${c.getAuthTag().toString('hex')}', '${ct.toString('hex')}')`);
}

let file;
try {
  file = keyPath();
  if (!file) throw new Error('no key file given');
  readFileSync(file);
} catch (e) {
  log(`cannot read the master key: ${e.message}`);
  process.exit(1);
}

const tokens = new Set();
let handler;
try {
  if (profile === 'servos' || profile === 'act') {
    const ok = canaryOk(file);
    if (ok === false) {
      log(`${FAILURE}: the master key cannot decrypt the integrity canary; refusing to start`);
      process.exit(1);
    }
    if (ok === undefined) {
      log('first boot: no integrity canary; creating one with the current master key');
      makeCanary(file);
    }
    handler = (req, res) => res.writeHead(req.url === '/health' ? 200 : 404).end(req.url === '/health' ? 'ok' : '');
  } else if (profile === 'zitadel') {
    query('SELECT 1');
    handler = (req, res) => {
      if (req.url === '/debug/readyok') return res.writeHead(200).end('ok');
      if (req.method === 'POST' && req.url === '/oauth/v2/token') {
        const [id, secret] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8').split(':');
        const client = query(`SELECT secret_sha256 FROM break_glass WHERE client_id = '${String(id).replace(/'/g, "''")}'`);
        if (client.length === 0 || client[0][0] !== createHash('sha256').update(String(secret)).digest('hex')) {
          return res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
        }
        if (canaryOk(file) !== true) {
          log('ERROR: cannot decrypt the signing key with the master key (Errors.Internal)');
          return res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"server_error","error_description":"Errors.Internal"}');
        }
        const token = randomBytes(16).toString('hex');
        tokens.add(token);
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 300 }));
      }
      if (req.url === '/auth/v1/users/me') {
        const ok = tokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''));
        return res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(ok ? '{"user":{"userName":"break-glass"}}' : '{}');
      }
      res.writeHead(404).end();
    };
  } else {
    throw new Error(`unknown STAND_IN_PROFILE "${profile}"`);
  }
} catch (e) {
  log(`cannot start: ${e.message}`);
  process.exit(1);
}

createServer((req, res) => {
  req.resume();
  req.on('end', () => handler(req, res));
}).listen(port, '127.0.0.1', () => log(`listening on 127.0.0.1:${port}`));
