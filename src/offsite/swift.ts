import { type ShellCommand, joinCommands, sh } from '../command/command.js';

/**
 * The off-site copy's place: an OpenStack Swift container (docs/backups.md, "The off-site copy"),
 * reached with its v1 auth (tempauth, or keystone's v1 shim): `auth_url` answers a GET that
 * carries `X-Auth-User` and `X-Auth-Key` with a token and the account's storage URL.
 */
export interface SwiftTarget {
  auth_url: string;
  /** `account:user`. */
  user: string;
  /** The key: a secret, read by the script from its standard input, never a word of a command. */
  key: string;
  container: string;
}

/**
 * Why a target cannot be used, or undefined. Values come from the inventory and the
 * environment: untrusted. The container becomes a URL path segment, so only plain names.
 */
export function targetProblem(target: SwiftTarget): string | undefined {
  if (!/^https?:\/\/[^\s]+$/.test(target.auth_url)) return `offsite auth_url '${target.auth_url}' is not an http(s) URL`;
  if (target.user === '' || /[\u0000-\u001f\u007f]/.test(target.user)) return 'offsite user is empty or holds a control character';
  if (target.key === '') return 'offsite key is empty (the runbook reads it from RUNBOOK_SWIFT_KEY)';
  if (/[\r\n\u0000]/.test(target.key)) return 'offsite key holds a line break or NUL';
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/.test(target.container)) return `offsite container '${target.container}' must be letters, digits, '.', '_' or '-'`;
  return undefined;
}

/** `swift:<container>`: how the off-site copy is named in output and listings. */
export const locationOf = (target: Pick<SwiftTarget, 'container'>): string => `swift:${target.container}`;

/**
 * An object's name in the container, URL-encoded segment by segment: `<kind>/<host>/<id>/<file>`,
 * the catalog's own layout. Kinds, hosts and ids are plain names already; a file name may hold
 * any character but '/' (the manifest's schema), so it is encoded.
 */
export function objectPath(...segments: string[]): string {
  return segments.map((s) => encodeURIComponent(s)).join('/');
}

/** What every script's standard input starts with: the key, one line. The rest is the script's own. */
export function swiftStdin(target: SwiftTarget, rest = ''): string {
  return `${target.key}\n${rest}`;
}

/**
 * Authenticates and leaves `$cfg` (a 0600 curl config holding the token, removed on exit) and
 * `$base` (the container's URL) for the commands after it. The key is read from the first line
 * of stdin and the token lives only in that file: neither is ever a word of a command line, so
 * `ps` and the journal see neither. Exit 3: authentication failed.
 */
export function swiftSession(target: SwiftTarget): ShellCommand {
  const failed = `swift: authentication at ${target.auth_url} as ${target.user} failed`;
  return joinCommands([
    sh`umask 077; IFS= read -r key || { echo 'swift: no key on stdin' >&2; exit 2; }`,
    sh`cfg=$(mktemp) || exit 2; trap 'rm -f "$cfg"' EXIT`,
    // curl's config syntax: a value in double quotes, with \ and " escaped.
    sh`esc() { printf '%s' "$1" | sed 's/[\\\\"]/\\\\&/g'; }`,
    sh`printf 'header = "X-Auth-User: %s"\\nheader = "X-Auth-Key: %s"\\n' "$(esc ${target.user})" "$(esc "$key")" > "$cfg"; key=`,
    sh`auth=$(curl -sS -f --max-time 60 -K "$cfg" -D - -o /dev/null ${target.auth_url}) || { echo ${failed} >&2; exit 3; }`,
    sh`token=$(printf '%s\\n' "$auth" | tr -d '\\r' | sed -n 's/^x-auth-token: *//Ip' | head -n 1)`,
    sh`storage=$(printf '%s\\n' "$auth" | tr -d '\\r' | sed -n 's/^x-storage-url: *//Ip' | head -n 1)`,
    sh`[ -n "$token" ] && [ -n "$storage" ] || { echo ${`${failed}: no token or storage URL in its answer`} >&2; exit 3; }`,
    sh`printf 'header = "X-Auth-Token: %s"\\n' "$(esc "$token")" > "$cfg"; token=`,
    sh`base="$storage"/${target.container}`,
  ], ';');
}

/** A script: the session, then `body`. */
function script(target: SwiftTarget, ...body: ShellCommand[]): ShellCommand {
  return joinCommands([swiftSession(target), ...body], ';');
}

/** The container exists (PUT is idempotent: 201 made, 202 there already). */
function ensureContainer(): ShellCommand {
  return sh`curl -sS -f --max-time 60 -K "$cfg" -X PUT -o /dev/null "$base" || { echo 'swift: cannot create the container' >&2; exit 4; }`;
}

/** One file to upload: where it is on the host, its object name, its sha256 (kept as object metadata). */
export interface Upload {
  path: string;
  object: string;
  sha256: string;
}

/**
 * Uploads files in order, each with its md5 as the ETag (Swift computes it on arrival and
 * refuses a mismatch with 422: what left the host is what Swift stored) and its sha256 as
 * `X-Object-Meta-Sha256`. Prints `put <object>` after each; stops at the first failure.
 */
export function uploadScript(target: SwiftTarget, uploads: readonly Upload[]): ShellCommand {
  const each = uploads.map(({ path, object, sha256 }) => joinCommands([
    sh`m=$(md5sum < ${path}) || { echo ${`swift: cannot read ${path}`} >&2; exit 4; }`,
    sh`curl -sS -f --max-time 3600 -K "$cfg" -T ${path} -H "ETag: \${m%% *}" -H ${`X-Object-Meta-Sha256: ${sha256}`} -H 'Content-Type: application/octet-stream' -o /dev/null "$base"/${object} || { echo ${`swift: upload of ${object} refused or failed`} >&2; exit 4; }`,
    sh`echo put ${object}`,
  ], ';'));
  return script(target, ensureContainer(), ...each);
}

/**
 * One line per object, in order: `<http status> <size> <etag> <sha256 metadata>` from a HEAD
 * (`404 - - -` when it is not there). Read by {@link parseHeads}.
 */
export function headScript(target: SwiftTarget, objects: readonly string[]): ShellCommand {
  const each = objects.map((object) =>
    sh`curl -sS --max-time 60 -K "$cfg" -I -o /dev/null -w '%{http_code} %header{content-length} %header{etag} %header{x-object-meta-sha256}\\n' "$base"/${object} | awk '{ for (i = 1; i <= 4; i++) if ($i == "") $i = "-"; print $1, $2, $3, $4 }'`);
  return script(target, ...each);
}

/** What a HEAD said of an object. */
export interface ObjectHead {
  status: number;
  size?: number;
  etag?: string;
  sha256?: string;
}

export function parseHeads(stdout: string, count: number): ObjectHead[] {
  const lines = stdout.split('\n');
  return Array.from({ length: count }, (_, i) => {
    const [status = '0', size = '-', etag = '-', sha256 = '-'] = (lines[i] ?? '').trim().split(' ');
    const known = (v: string): string | undefined => (v === '-' || v === '' ? undefined : v.replace(/^"|"$/g, ''));
    const bytes = known(size);
    return { status: Number(status) || 0, ...(bytes !== undefined && /^\d+$/.test(bytes) ? { size: Number(bytes) } : {}), ...(known(etag) ? { etag: known(etag) } : {}), ...(known(sha256) ? { sha256: known(sha256) } : {}) };
  });
}

/**
 * Downloads an object to `path` on the host and prints `<size> <sha256>` of what arrived, so the
 * caller compares it with the manifest. Exit 5 when Swift does not serve it.
 */
export function downloadScript(target: SwiftTarget, object: string, path: string): ShellCommand {
  return script(target,
    sh`curl -sS -f --max-time 3600 -K "$cfg" -o ${path} "$base"/${object} || { echo ${`swift: cannot download ${object}`} >&2; exit 5; }`,
    sh`s=$(stat -c %s -- ${path}) && h=$(sha256sum < ${path}) && printf '%s %s\\n' "$s" "\${h%% *}"`);
}

/** Deletes objects; one already gone is fine (404). Exit 6 at the first other answer. */
export function deleteScript(target: SwiftTarget, objects: readonly string[]): ShellCommand {
  const each = objects.map((object) =>
    sh`c=$(curl -sS --max-time 60 -K "$cfg" -X DELETE -o /dev/null -w '%{http_code}' "$base"/${object}); case $c in 2??|404) ;; *) echo ${`swift: cannot delete ${object}`} "(HTTP $c)" >&2; exit 6 ;; esac`);
  return script(target, ...each);
}

/**
 * Uploads the text after the key on stdin as one object (a manifest put back by a rollback),
 * with its md5 as the ETag.
 */
export function putTextScript(target: SwiftTarget, object: string, md5: string): ShellCommand {
  return script(target, ensureContainer(),
    sh`curl -sS -f --max-time 60 -K "$cfg" -T - -H ${`ETag: ${md5}`} -H 'Content-Type: application/json' -o /dev/null "$base"/${object} || { echo ${`swift: upload of ${object} failed`} >&2; exit 4; }`);
}

/** Between records of {@link listCatalogScript}'s output: the same as the storage node's listing (catalog/read.ts). */
const SEPARATOR = '\u001e';
const RECORD_SEPARATOR = '\u001f';

/**
 * Prints the off-site catalog in the format of the storage node's listing (catalog/read.ts
 * listManifestsCommand), so one parser checks both: for every object `<kind>/<host>/<id>/manifest.json`,
 * a record separator, `<kind>/<host>/<id>`, a newline, the manifest's text, and its
 * restore-test record when the container has one. A name with a character outside
 * `[A-Za-z0-9_.-/]` (Swift allows any) is printed without a manifest: the parser lists it as a
 * problem and nothing is read by it. A container that does not exist is an empty catalog.
 * Listings come 1000 names a page.
 */
export function listCatalogScript(target: SwiftTarget): ShellCommand {
  return script(target,
    sh`names=$(mktemp) || exit 2; trap 'rm -f "$cfg" "$names"' EXIT; marker=`,
    sh`while :; do
  page=$(curl -sS --max-time 120 -K "$cfg" -G -d limit=1000 --data-urlencode "marker=$marker" -w '\\n%{http_code}' "$base") || { echo 'swift: cannot list the container' >&2; exit 7; }
  code=$(printf '%s\\n' "$page" | tail -n 1); page=$(printf '%s\\n' "$page" | sed '$d')
  case $code in 404) exit 0 ;; 200|204) ;; *) echo "swift: listing the container answered HTTP $code" >&2; exit 7 ;; esac
  [ -n "$page" ] || break
  printf '%s\\n' "$page" >> "$names"; marker=$(printf '%s\\n' "$page" | tail -n 1)
done`,
    sh`grep '^[^/]*/[^/]*/[^/]*/manifest\\.json$' "$names" | while IFS= read -r m; do
  d=\${m%/manifest.json}; printf '%s%s\\n' ${SEPARATOR} "$d"
  case $m in *[!A-Za-z0-9_./-]*) continue ;; esac
  curl -sS -f --max-time 120 -K "$cfg" "$base/$m" || exit 7
  if grep -qxF "$d/restore-test.json" "$names"; then printf '%s' ${RECORD_SEPARATOR}; curl -sS -f --max-time 60 -K "$cfg" "$base/$d/restore-test.json" || exit 7; fi
done`);
}

/**
 * Hides backups from the catalog: prints each one's manifest (after a record separator, as the
 * listing does) and deletes it, so the backup is no longer listed or restored while its files
 * stay until the run ends (retention's commit deletes them; its rollback puts the printed
 * manifests back). Exit 6 at the first failure.
 */
export function hideManifestsScript(target: SwiftTarget, manifests: readonly string[]): ShellCommand {
  const each = manifests.map((object) => joinCommands([
    sh`printf '%s' ${SEPARATOR}; curl -sS -f --max-time 60 -K "$cfg" "$base"/${object} || { echo ${`swift: cannot read ${object}`} >&2; exit 6; }`,
    sh`c=$(curl -sS --max-time 60 -K "$cfg" -X DELETE -o /dev/null -w '%{http_code}' "$base"/${object}); case $c in 2??|404) ;; *) echo ${`swift: cannot delete ${object}`} "(HTTP $c)" >&2; exit 6 ;; esac`,
  ], ';'));
  return script(target, ...each);
}

/** The manifests {@link hideManifestsScript} printed, in its order. */
export function parseHidden(stdout: string): string[] {
  return stdout.split(SEPARATOR).slice(1);
}
