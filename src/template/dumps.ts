import { type Result, fail, ok } from '../diagnostics/result.js';

/**
 * A database dump of a backup is `<database>.sql.zst` (backup-db 1.3.0's default) or
 * `<database>.sql.gz`, the name of letters, digits and `_` (backup-db stores no other), with
 * `.age` after it when the backup is encrypted; the accounts file (`mysql.users.sql.zst`), the
 * checksums (`<database>.checksums.tsv`) and anything else is not a database.
 */
const DUMP = /^([A-Za-z0-9_]{1,64})\.sql\.(?:zst|gz)(?:\.age)?$/;

/**
 * The databases of a backup's files (manifest `files`, each with a `name`), in the backup's
 * order, narrowed to `wanted` when it is a non-empty list; a wanted database the backup does
 * not hold is an error, so a typo never restores nothing.
 */
export function databasesOfDumps(files: unknown, wanted: unknown): Result<string[], string> {
  if (!Array.isArray(files)) return fail('dump_databases expects the list of a backup\'s files');
  const held = files.map((f: unknown) => DUMP.exec(typeof f === 'object' && f !== null ? String((f as { name?: unknown }).name) : '')?.[1]).filter((n): n is string => n !== undefined);
  if (!Array.isArray(wanted) || wanted.length === 0) return ok(held);
  const missing = wanted.filter((w) => !held.includes(String(w)));
  if (missing.length > 0) return fail(`the backup holds no database ${missing.join(', ')} (it holds ${held.join(', ') || 'none'})`);
  return ok(held.filter((n) => wanted.includes(n)));
}
