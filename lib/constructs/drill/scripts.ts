// The recovery drill's scripts: pure functions returning POSIX `sh` text. The drill's docker
// containers run them with `sh -c <script> <step>`, and the rehearsal tier (test/rehearsal)
// runs the very same text as host processes against real PostgreSQL, SQLite, age and a local
// S3 server. Everything a script needs comes from its environment (documented per script), so
// the text does not depend on where it runs.
//
// Rules the text keeps:
// - no "${" and no "%{": Terraform would interpolate them inside a container's command;
//   optional variables are read with `opt NAME` (printenv), which `set -u` allows;
// - POSIX sh only (dash, busybox ash and bash run it): no arrays, no `local`, no `[[`;
// - no key material on a command line (`ps` on the scratch host shows arguments): keys are
//   read from files by age, python3 and the app;
// - the first failure of any step is written to `$STATUS_DIR/FAILED`; the outcome job pages
//   with it (P1) at once. A step that stops on an unexpected error is caught by its EXIT trap.

/** Object key of a generation's offsite copy, as `key-custody keygen --offsite` writes it. */
export function offsiteKeyObject(keyId: string, generation: number, prefix = ''): string {
  const p = prefix.replace(/^\/+|\/+$/g, '');
  return `${p ? `${p}/` : ''}${keyId}/${generation}/masterkey.age`;
}

/** A generation as the key-fetch job chooses it: its number, the day it retired, its fingerprint. */
export interface DrillKeyGeneration {
  readonly generation: number;
  /** `YYYY-MM-DD`; undefined for the active generation. */
  readonly retiredOn?: string;
  /** `kcfp1:...` or a legacy SHA-256 of the key file; undefined when none is recorded. */
  readonly fingerprint?: string;
}

/**
 * `KEY_GENERATIONS` of the key-fetch job: one line per generation, `<generation> <retiredOn|-> <fingerprint|->`,
 * retired generations by retirement day, the active one last. The job picks the first retired
 * generation whose `retiredOn` is on or after the backup's day, else the active one: the rule
 * of `generationForDate` (lib/constructs/key/rotation.ts).
 */
export function keyGenerationTable(active: DrillKeyGeneration, retired: readonly DrillKeyGeneration[]): string {
  const line = (g: DrillKeyGeneration, retiredOn: string) => `${g.generation} ${retiredOn} ${g.fingerprint ?? '-'}`;
  const old = [...retired].filter((g) => g.retiredOn !== undefined).sort((a, b) => (a.retiredOn as string).localeCompare(b.retiredOn as string) || a.generation - b.generation);
  return [...old.map((g) => line(g, g.retiredOn as string)), line(active, '-')].join('\n');
}

/** The lines every step starts with: strict mode, `opt`, `fail`, the EXIT trap, `aws_at`. */
function preamble(step: string): string[] {
  return [
    'set -eu',
    `STEP=${step}`,
    // Optional variables without "${...:-}" (see the rules above).
    'opt() { printenv "$1" || true; }',
    'mkdir -p "$STATUS_DIR"',
    'fail() {',
    '  printf "DRILL FAILED at %s: %s\\n" "$STEP" "$1" >&2',
    '  if [ ! -s "$STATUS_DIR/FAILED" ]; then printf "%s: %s\\n" "$STEP" "$1" > "$STATUS_DIR/FAILED"; fi',
    '  exit 1',
    '}',
    // A command that stops the step under `set -e` still records the failure.
    'trap \'rc=$?; if [ "$rc" -ne 0 ] && [ ! -s "$STATUS_DIR/FAILED" ]; then printf "%s: stopped with exit status %s (see the log of this step)\\n" "$STEP" "$rc" > "$STATUS_DIR/FAILED"; fi\' EXIT',
    // An explicit endpoint when one is set: Debian\'s awscli 2.9 does not read AWS_ENDPOINT_URL.
    'aws_at() { ep=$1; shift; if [ -n "$ep" ]; then aws --endpoint-url "$ep" "$@"; else aws "$@"; fi; }',
  ];
}

/** The last lines of a file, on one line, for a failure message. */
const TAIL = 'tail_of() { tail -n 3 "$1" 2>/dev/null | tr "\\n" " " | cut -c 1-400; }';

/**
 * Step 1, `db-fetch` (DB-restore credential only): the newest object under `PREFIX` whose
 * LastModified is at least `MIN_AGE_DAYS` days ago, downloaded to `DUMP_PATH`. Writes
 * `BACKUP_SOURCE` and `BACKUP_DATE` (UTC day) to the status folder.
 *
 * Env: `BUCKET`, `PREFIX`, `MIN_AGE_DAYS`, `DUMP_PATH`, `STATUS_DIR`; optional `S3_ENDPOINT`.
 */
export function dbFetchScript(): string {
  return [
    ...preamble('db-fetch'),
    TAIL,
    'S3_ENDPOINT=$(opt S3_ENDPOINT)',
    'err="$DUMP_PATH.err"',
    // LastModified is "2025-01-06T10:00:00.000Z" (CLI v1) or "2025-01-06T10:00:00+00:00" (v2): the first 19 characters compare as text.
    'cutoff=$(date -u -d "@$(( $(date +%s) - MIN_AGE_DAYS * 86400 ))" +%Y-%m-%dT%H:%M:%S)',
    'listing=$(aws_at "$S3_ENDPOINT" s3api list-objects-v2 --bucket "$BUCKET" --prefix "$PREFIX" --query "Contents[].[LastModified,Key]" --output text 2> "$err") || fail "cannot list s3://$BUCKET/$PREFIX with the DB restore credential: $(tail_of "$err")"',
    'line=$(printf "%s\\n" "$listing" | awk -F "\\t" -v c="$cutoff" \'NF >= 2 && substr($1, 1, 19) <= c { print substr($1, 1, 19) "\\t" $2 }\' | sort | tail -n 1)',
    'if [ -z "$line" ]; then',
    '  newest=$(printf "%s\\n" "$listing" | awk -F "\\t" \'NF >= 2 { print substr($1, 1, 19) }\' | sort | tail -n 1)',
    '  fail "no DB backup at least $MIN_AGE_DAYS days old (last modified on or before $cutoff UTC) under s3://$BUCKET/$PREFIX; the newest is from $newest"',
    'fi',
    'modified=$(printf "%s" "$line" | cut -f 1)',
    'key=$(printf "%s" "$line" | cut -f 2-)',
    'aws_at "$S3_ENDPOINT" s3api get-object --bucket "$BUCKET" --key "$key" "$DUMP_PATH" > /dev/null 2> "$err" || fail "cannot download s3://$BUCKET/$key: $(tail_of "$err")"',
    '[ -s "$DUMP_PATH" ] || fail "s3://$BUCKET/$key is empty"',
    'printf "%s\\n" "s3://$BUCKET/$key" > "$STATUS_DIR/BACKUP_SOURCE"',
    'printf "%s\\n" "$modified" | cut -c 1-10 > "$STATUS_DIR/BACKUP_DATE"',
    'echo "fetched s3://$BUCKET/$key, last modified $modified UTC (cut-off $cutoff UTC)"',
  ].join('\n');
}

/**
 * Step 2, `key-fetch` (key-restore credential only): the key generation that was active on the
 * backup's day (`KEY_GENERATIONS`, see {@link keyGenerationTable}), its offsite object
 * `[KEY_PREFIX/]<KEY_ID>/<generation>/masterkey.age` downloaded to `ENCRYPTED_PATH`. An object
 * that is not age-encrypted is deleted again and refused: the offsite copy must never be a
 * plaintext key. Writes `KEY_GENERATION` and `KEY_SOURCE` to the status folder.
 *
 * Env: `BUCKET`, `KEY_ID`, `KEY_GENERATIONS`, `ENCRYPTED_PATH`, `STATUS_DIR`; optional `KEY_PREFIX`, `S3_ENDPOINT`.
 */
export function keyFetchScript(): string {
  return [
    ...preamble('key-fetch'),
    TAIL,
    'S3_ENDPOINT=$(opt S3_ENDPOINT)',
    'KEY_PREFIX=$(opt KEY_PREFIX)',
    'err="$ENCRYPTED_PATH.err"',
    '[ -s "$STATUS_DIR/BACKUP_DATE" ] || fail "the backup\'s date is unknown: the DB fetch did not finish"',
    'day=$(cat "$STATUS_DIR/BACKUP_DATE")',
    'pick=$(printf "%s\\n" "$KEY_GENERATIONS" | awk -v d="$day" \'NF >= 3 { if ($2 == "-") { active = $0 } else if (chosen == "" && d <= $2) { chosen = $0 } } END { if (chosen != "") print chosen; else print active }\')',
    '[ -n "$pick" ] || fail "no key generation in the custody manifest was active on $day"',
    'gen=$(printf "%s" "$pick" | awk \'{ print $1 }\')',
    'case "$KEY_PREFIX" in ""|*/) ;; *) KEY_PREFIX="$KEY_PREFIX/" ;; esac',
    'object="$KEY_PREFIX$KEY_ID/$gen/masterkey.age"',
    'version=$(aws_at "$S3_ENDPOINT" s3api get-object --bucket "$BUCKET" --key "$object" "$ENCRYPTED_PATH" --query VersionId --output text 2> "$err") ||',
    '  fail "cannot fetch the offsite copy s3://$BUCKET/$object of generation $gen (active on the backup\'s day $day): $(tail_of "$err")"',
    // The age header: binary ("age-encryption.org/v1") or ASCII-armored. Anything else may be the key itself.
    'head1=$(head -c 21 "$ENCRYPTED_PATH")',
    'head2=$(head -c 34 "$ENCRYPTED_PATH")',
    'if [ "$head1" != "age-encryption.org/v1" ] && [ "$head2" != "-----BEGIN AGE ENCRYPTED FILE-----" ]; then',
    '  rm -f "$ENCRYPTED_PATH"',
    '  fail "s3://$BUCKET/$object is not age-encrypted: a plaintext key in the offsite bucket is refused (and was not kept); make the offsite copy again with key-custody keygen --offsite and delete this object"',
    'fi',
    'printf "%s\\n" "$pick" > "$STATUS_DIR/KEY_GENERATION"',
    'printf "%s\\n" "s3://$BUCKET/$object (generation $gen, version $version)" > "$STATUS_DIR/KEY_SOURCE"',
    'echo "fetched the age-encrypted offsite copy s3://$BUCKET/$object, generation $gen (active on $day), version $version"',
  ].join('\n');
}

/** python3: exit 0 when the key file (argv[1]) has the kcfp1 fingerprint argv[2] (lib/policy/fingerprint.ts); argv[3] is the key's encoding. */
const KCFP1_CHECK = [
  'import hashlib, hmac, sys',
  'key = open(sys.argv[1], "rb").read()',
  // As keyTextOf (lib/profiles/key-text.ts): a hex key is its digits without one trailing newline, in lower case.
  'if sys.argv[3] == "hex":',
  '    key = key[:-1] if key.endswith(b"\\n") else key',
  '    key = key[:-1] if key.endswith(b"\\r") else key',
  '    key = key.lower()',
  'version, salt, want = sys.argv[2].lower().split(":")',
  'got = hashlib.scrypt(key, salt=b"kcfp1:" + bytes.fromhex(salt), n=2 ** 17, r=8, p=1, maxmem=256 * 1024 * 1024, dklen=32)',
  'sys.exit(0 if hmac.compare_digest(got.hex(), want) else 1)',
];

/**
 * Step 3, `key-decrypt` (no network, no AWS credential): `ENCRYPTED_PATH` decrypted with the
 * drill operator's age identity (`IDENTITY_PATH`, a file on the scratch host, never in
 * Terraform), checked against the generation's fingerprint in the custody manifest, and only
 * then moved to `RESTORED_KEY_PATH` (owner `FILE_OWNER`, mode 0400).
 *
 * Env: `IDENTITY_PATH`, `ENCRYPTED_PATH`, `RESTORED_KEY_PATH`, `FILE_OWNER`, `KEY_ENCODING` (`ascii` or `hex`, the profile's), `STATUS_DIR`.
 */
export function keyDecryptScript(): string {
  return [
    ...preamble('key-decrypt'),
    TAIL,
    'umask 077',
    'tmp="$RESTORED_KEY_PATH.unverified"',
    'err="$RESTORED_KEY_PATH.err"',
    'cleanup() { rm -f "$tmp"; }',
    '[ -s "$STATUS_DIR/KEY_GENERATION" ] || fail "no key generation was fetched"',
    'read -r gen retired fp < "$STATUS_DIR/KEY_GENERATION"',
    '[ -r "$IDENTITY_PATH" ] || fail "the drill operator\'s age identity $IDENTITY_PATH is missing or unreadable on the scratch host"',
    'age -d -i "$IDENTITY_PATH" -o "$tmp" "$ENCRYPTED_PATH" 2> "$err" || { cleanup; fail "age cannot decrypt the offsite copy of generation $gen with the identity $IDENTITY_PATH: $(tail_of "$err")"; }',
    '[ -s "$tmp" ] || { cleanup; fail "the offsite copy of generation $gen decrypts to an empty file"; }',
    'case "$fp" in',
    '  kcfp1:*)',
    `    python3 -c '${KCFP1_CHECK.join('\n')}' "$tmp" "$fp" "$KEY_ENCODING" || { cleanup; fail "the key restored for generation $gen does not match its fingerprint $(printf "%s" "$fp" | cut -c 1-45)... in the custody manifest: it is not the key of that generation"; } ;;`,
    '  -)',
    '    cleanup; fail "generation $gen has no fingerprint in the custody manifest, so the restored key cannot be checked; set fingerprint (kcfp1:...) on the MasterKey" ;;',
    '  *)',
    '    [ "$(sha256sum < "$tmp" | cut -d " " -f 1)" = "$fp" ] || { cleanup; fail "the key restored for generation $gen does not match its SHA-256 fingerprint in the custody manifest"; } ;;',
    'esac',
    'mv -f "$tmp" "$RESTORED_KEY_PATH"',
    'chown "$FILE_OWNER" "$RESTORED_KEY_PATH"',
    'chmod 0400 "$RESTORED_KEY_PATH"',
    'echo "decrypted generation $gen with $IDENTITY_PATH; fingerprint matches the custody manifest"',
  ].join('\n');
}

/**
 * Step 4, `db-restore` for PostgreSQL: the dump's format is read from its content: `PGDMP`
 * (pg_dump custom format) goes to `pg_restore`, plain SQL (`pg_dump > file.sql`, the
 * operations runbook's backup) to `psql`; gzip is unpacked first. The roles a plain dump names
 * in `OWNER TO` are created first (NOLOGIN), as `pg_restore --no-owner` makes them unnecessary.
 *
 * Env: `DUMP_PATH`, `PGHOST`, `PGUSER`, `PGDATABASE`, `STATUS_DIR`; optional `PGPORT`.
 */
export function postgresRestoreScript(): string {
  return [
    ...preamble('db-restore'),
    TAIL,
    'err="$DUMP_PATH.restore.err"',
    'n=0',
    'until pg_isready -q; do n=$((n + 1)); [ "$n" -lt 90 ] || fail "the drill database $PGHOST did not accept connections within 180 s"; sleep 2; done',
    'src=$(cat "$STATUS_DIR/BACKUP_SOURCE" 2>/dev/null || echo "$DUMP_PATH")',
    'dump="$DUMP_PATH"',
    'if [ "$(head -c 2 "$dump" | od -An -tx1 | tr -d " \\n")" = "1f8b" ]; then',
    '  gunzip -c "$dump" > "$DUMP_PATH.unpacked" 2> "$err" || fail "$src is gzip but does not unpack: $(tail_of "$err")"',
    '  dump="$DUMP_PATH.unpacked"',
    'fi',
    'if [ "$(head -c 5 "$dump")" = "PGDMP" ]; then',
    '  echo "restoring $src (pg_dump custom format) with pg_restore"',
    '  pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname "$PGDATABASE" "$dump" 2> "$err" || fail "pg_restore cannot restore $src: $(tail_of "$err")"',
    'elif head -c 65536 "$dump" | grep -qa -e "PostgreSQL database dump" -e "^SET " -e "^CREATE " -e "^BEGIN;"; then',
    '  echo "restoring $src (plain SQL) with psql"',
    '  for role in $(grep -a -o "OWNER TO [A-Za-z_][A-Za-z0-9_]*;" "$dump" | sed "s/OWNER TO //; s/;//" | sort -u); do',
    '    psql -X -q -v ON_ERROR_STOP=1 -c "DO \\$do\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = \'$role\') THEN CREATE ROLE \\"$role\\" NOLOGIN; END IF; END \\$do\\$;" > /dev/null 2> "$err" || fail "cannot create role $role the dump names: $(tail_of "$err")"',
    '  done',
    '  psql -X -q -v ON_ERROR_STOP=1 --single-transaction -f "$dump" > /dev/null 2> "$err" || fail "psql cannot restore $src: $(tail_of "$err")"',
    'else',
    '  fail "$src is neither a pg_dump custom-format dump (PGDMP) nor a plain SQL dump"',
    'fi',
    'echo "restored $src into database $PGDATABASE"',
  ].join('\n');
}

/**
 * Step 4, `db-restore` for SQLite: a database file (`SQLite format 3`) must pass
 * `PRAGMA integrity_check` and is copied to `DATA_PATH`; a SQL dump (`sqlite3 .dump`) is
 * replayed into a new `DATA_PATH`. The file then belongs to `FILE_OWNER`.
 *
 * Env: `DUMP_PATH`, `DATA_PATH`, `FILE_OWNER`, `STATUS_DIR`.
 */
export function sqliteRestoreScript(): string {
  return [
    ...preamble('db-restore'),
    TAIL,
    'err="$DUMP_PATH.restore.err"',
    'src=$(cat "$STATUS_DIR/BACKUP_SOURCE" 2>/dev/null || echo "$DUMP_PATH")',
    'rm -f "$DATA_PATH"',
    'if [ "$(head -c 15 "$DUMP_PATH")" = "SQLite format 3" ]; then',
    '  echo "restoring $src (SQLite database file)"',
    '  check=$(sqlite3 -readonly "$DUMP_PATH" "PRAGMA integrity_check;" 2> "$err") || fail "sqlite3 cannot open $src: $(tail_of "$err")"',
    '  [ "$check" = ok ] || fail "$src fails its integrity check: $(printf "%s" "$check" | head -n 3 | tr "\\n" " ")"',
    '  cp "$DUMP_PATH" "$DATA_PATH"',
    'elif head -c 65536 "$DUMP_PATH" | grep -qa -e "^PRAGMA " -e "^BEGIN TRANSACTION;" -e "^CREATE TABLE "; then',
    '  echo "restoring $src (SQL dump) with sqlite3"',
    '  sqlite3 -bail "$DATA_PATH" < "$DUMP_PATH" 2> "$err" || { rm -f "$DATA_PATH"; fail "sqlite3 cannot replay $src: $(tail_of "$err")"; }',
    'else',
    '  fail "$src is neither a SQLite database file nor a SQL dump"',
    'fi',
    'chown "$FILE_OWNER" "$DATA_PATH"',
    'chmod 0600 "$DATA_PATH"',
    'echo "restored $src to $DATA_PATH"',
  ].join('\n');
}

/**
 * Step 5, `proof` (on the drill network only): the app answers `READINESS_PATH` within
 * `TIMEOUT_SECONDS`, and its log (`APP_LOG`) never shows `FAILURE_SIGNAL`. With
 * `LOGIN=zitadel-break-glass`, the break-glass admin then logs in: a token from
 * `/oauth/v2/token` (client credentials of `BREAK_GLASS_PATH`: client id on line 1, secret on
 * line 2) and `/auth/v1/users/me` with it. Issuing a token signs it with the instance's keys,
 * which only the right master key decrypts. Writes `PASSED` to the status folder.
 *
 * Env: `APP_URL`, `READINESS_PATH`, `TIMEOUT_SECONDS`, `STATUS_DIR`; optional `FAILURE_SIGNAL`,
 * `APP_LOG`, `LOGIN`, `BREAK_GLASS_PATH`.
 */
export function proofScript(): string {
  return [
    ...preamble('proof'),
    'FAILURE_SIGNAL=$(opt FAILURE_SIGNAL)',
    'APP_LOG=$(opt APP_LOG)',
    'LOGIN=$(opt LOGIN)',
    'BREAK_GLASS_PATH=$(opt BREAK_GLASS_PATH)',
    'url="$APP_URL$READINESS_PATH"',
    'check_log() {',
    '  [ -n "$FAILURE_SIGNAL" ] || return 0',
    '  [ -r "$APP_LOG" ] || fail "the app\'s log $APP_LOG cannot be read, so \\"$FAILURE_SIGNAL\\" cannot be ruled out"',
    '  if grep -qF "$FAILURE_SIGNAL" "$APP_LOG"; then fail "the app logged \\"$FAILURE_SIGNAL\\": the restored key is not the key the restored database was encrypted with"; fi',
    '}',
    'deadline=$(( $(date +%s) + TIMEOUT_SECONDS ))',
    'until curl -fsS -o /dev/null --max-time 5 "$url" 2>/dev/null; do',
    '  check_log',
    '  [ "$(date +%s)" -lt "$deadline" ] || fail "$url did not answer 200 within $TIMEOUT_SECONDS s"',
    '  sleep 1',
    'done',
    'check_log',
    'proof="$url 200"',
    'if [ "$LOGIN" = zitadel-break-glass ]; then',
    '  [ -r "$BREAK_GLASS_PATH" ] || fail "the break-glass admin\'s credential $BREAK_GLASS_PATH is missing or unreadable on the scratch host"',
    '  { read -r client_id || true; read -r client_secret || true; } < "$BREAK_GLASS_PATH"',
    // curl reads the credential from its config on stdin: never on a command line.
    '  answer=$(printf "user = \\"%s:%s\\"\\n" "$client_id" "$client_secret" | curl -sS --max-time 20 -K - -d grant_type=client_credentials --data-urlencode "scope=openid urn:zitadel:iam:org:project:id:zitadel:aud" "$APP_URL/oauth/v2/token" 2>&1) || true',
    '  token=$(printf "%s" "$answer" | sed -n \'s/.*"access_token" *: *"\\([^"]*\\)".*/\\1/p\')',
    '  [ -n "$token" ] || fail "the break-glass admin cannot log in: no access token from $APP_URL/oauth/v2/token ($(printf "%s" "$answer" | tr "\\n" " " | cut -c 1-200)); a wrong restored key cannot decrypt the instance\'s signing keys"',
    '  printf "header = \\"Authorization: Bearer %s\\"\\n" "$token" | curl -fsS --max-time 20 -K - -o /dev/null "$APP_URL/auth/v1/users/me" || fail "the break-glass admin\'s token is refused by $APP_URL/auth/v1/users/me"',
    '  proof="$proof; break-glass login OK"',
    '  check_log',
    'fi',
    'printf "%s\\n" "$proof" > "$STATUS_DIR/PASSED"',
    'echo "PASS: $proof"',
  ].join('\n');
}

/** python3: the heartbeat schedule (argv[1], `get-schedule` JSON) as `update-schedule` input with EndDate argv[2]. */
const MOVE_DEADLINE = [
  'import json, sys',
  's = json.load(open(sys.argv[1]))',
  'keep = ("Name", "GroupName", "Description", "ScheduleExpression", "ScheduleExpressionTimezone", "FlexibleTimeWindow", "Target", "State", "KmsKeyArn")',
  'out = dict((k, s[k]) for k in keep if k in s)',
  'out["EndDate"] = sys.argv[2]',
  'json.dump(out, sys.stdout)',
];

/**
 * The `outcome` job (SNS publish, CloudWatch, Scheduler, the drill log; nothing of the key or
 * the data): it watches the status folder from the start of the drill.
 * - A step wrote `FAILED`: publishes the P1 to `TOPIC_ARN` at once and appends a FAIL row to
 *   `DRILL_LOG`.
 * - The proof wrote `PASSED`: puts `METRIC_NAME`=1, moves the heartbeat schedule's end date
 *   `STALENESS_DAYS` ahead (the dead man's switch), appends a PASS row (date, operator,
 *   backup, key object, proof) to `DRILL_LOG`, and publishes the result.
 * - Neither within `DEADLINE_SECONDS`: a P1 that the drill did not finish.
 *
 * Env: `STATUS_DIR`, `TOPIC_ARN`, `DEADLINE_SECONDS`, `DRILL_ID`, `KEY_ID`, `APP`, `OPERATOR`,
 * `DRILL_LOG`, `STALENESS_DAYS`, `SCHEDULE_GROUP`, `HEARTBEAT_NAME`, `METRIC_NAMESPACE`,
 * `METRIC_NAME`, `METRIC_DIMENSION`, `RUNBOOK`; optional `SNS_ENDPOINT`, `CLOUDWATCH_ENDPOINT`,
 * `SCHEDULER_ENDPOINT`.
 */
export function outcomeScript(): string {
  return [
    ...preamble('outcome'),
    TAIL,
    'SNS_ENDPOINT=$(opt SNS_ENDPOINT)',
    'CLOUDWATCH_ENDPOINT=$(opt CLOUDWATCH_ENDPOINT)',
    'SCHEDULER_ENDPOINT=$(opt SCHEDULER_ENDPOINT)',
    'work="$STATUS_DIR/outcome"',
    'mkdir -p "$work"',
    'err="$work/err"',
    'publish() { aws_at "$SNS_ENDPOINT" sns publish --topic-arn "$TOPIC_ARN" --subject "$(printf "%s" "$1" | cut -c 1-99)" --message "$2" --query MessageId --output text; }',
    'fact() { if [ -s "$STATUS_DIR/$1" ]; then head -n 1 "$STATUS_DIR/$1"; else echo "-"; fi; }',
    'row() {',
    '  mkdir -p "$(dirname "$DRILL_LOG")"',
    '  printf "| %s | %s | %s | %s | %s | %s | %s | %s |\\n" "$(date -u +%Y-%m-%d)" "$OPERATOR" "$DRILL_ID" "$(fact BACKUP_SOURCE) ($(fact BACKUP_DATE))" "$(fact KEY_SOURCE)" "$2" "$1" "$3" >> "$DRILL_LOG"',
    '}',
    'page() {',
    '  reason=$(head -n 1 "$STATUS_DIR/FAILED")',
    '  row FAIL "-" "P1: $reason"',
    '  publish "P1: recovery drill $DRILL_ID of key $KEY_ID ($APP) FAILED" "P1 incident: recovery drill $DRILL_ID of master key $KEY_ID ($APP) FAILED at $reason. Backup restored: $(fact BACKUP_SOURCE). Key: $(fact KEY_SOURCE). Operator: $OPERATOR. A non-recoverable backup is worse than no backup: open a P1 incident now and do not move the staleness deadline. Runbook: $RUNBOOK" > /dev/null 2> "$err" ||',
    '    { echo "could not publish the P1 to $TOPIC_ARN: $(tail_of "$err")" >&2; exit 2; }',
    '  echo "P1 published: $reason"',
    '  exit 1',
    '}',
    'record() {',
    '  proof=$(fact PASSED)',
    '  aws_at "$CLOUDWATCH_ENDPOINT" cloudwatch put-metric-data --namespace "$METRIC_NAMESPACE" --metric-name "$METRIC_NAME" --dimensions "$METRIC_DIMENSION=$KEY_ID" --value 1 2> "$err" ||',
    '    { printf "%s: the drill passed but %s=1 could not be put: %s\\n" "$STEP" "$METRIC_NAME" "$(tail_of "$err")" > "$STATUS_DIR/FAILED"; page; }',
    '  end=$(date -u -d "@$(( $(date +%s) + STALENESS_DAYS * 86400 ))" +%Y-%m-%dT%H:%M:%SZ)',
    '  aws_at "$SCHEDULER_ENDPOINT" scheduler get-schedule --group-name "$SCHEDULE_GROUP" --name "$HEARTBEAT_NAME" --output json > "$work/heartbeat.json" 2> "$err" &&',
    `  python3 -c '${MOVE_DEADLINE.join('\n')}' "$work/heartbeat.json" "$end" > "$work/update.json" &&`,
    '  aws_at "$SCHEDULER_ENDPOINT" scheduler update-schedule --cli-input-json "file://$work/update.json" > /dev/null 2>> "$err" ||',
    '    { printf "%s: the drill passed but the heartbeat deadline could not be moved: %s\\n" "$STEP" "$(tail_of "$err")" > "$STATUS_DIR/FAILED"; page; }',
    '  row PASS "$proof" "-"',
    '  publish "recovery drill $DRILL_ID of key $KEY_ID ($APP): PASS" "Recovery drill $DRILL_ID of master key $KEY_ID ($APP) PASSED on $(date -u +%Y-%m-%d), run by $OPERATOR. Backup restored: $(fact BACKUP_SOURCE) ($(fact BACKUP_DATE)). Key: $(fact KEY_SOURCE). Proof: $proof. Next staleness deadline: $end. Drill log: $DRILL_LOG" > /dev/null 2> "$err" ||',
    '    echo "the drill passed and is recorded, but the result could not be published: $(tail_of "$err")" >&2',
    '  echo "PASS recorded: heartbeat deadline $end, drill log $DRILL_LOG"',
    '  exit 0',
    '}',
    'deadline=$(( $(date +%s) + DEADLINE_SECONDS ))',
    'while :; do',
    '  if [ -s "$STATUS_DIR/FAILED" ]; then page; fi',
    '  if [ -s "$STATUS_DIR/PASSED" ]; then record; fi',
    '  if [ "$(date +%s)" -ge "$deadline" ]; then printf "%s: the drill did not finish within %s s (a job could not start, or hangs)\\n" "$STEP" "$DEADLINE_SECONDS" > "$STATUS_DIR/FAILED"; page; fi',
    '  sleep 1',
    'done',
  ].join('\n');
}

/** The Dockerfile of the drill's tools image (sh, aws, age, python3, curl, sqlite3, psql): Debian's packages, as `.ci/run` installs them for the rehearsal. */
export const DRILL_TOOLS_DOCKERFILE = [
  '# Generated by cdktf-key-custody: the tools of the recovery drill jobs (key-decrypt, SQLite',
  '# restore, proof, outcome). The same Debian packages the rehearsal tier runs the scripts with.',
  'FROM debian:bookworm-slim',
  'RUN apt-get update \\',
  ' && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends age awscli ca-certificates curl python3 sqlite3 \\',
  ' && rm -rf /var/lib/apt/lists/*',
  '',
].join('\n');
