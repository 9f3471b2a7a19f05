import { createHash } from 'node:crypto';
import type { HelperDelegate } from 'handlebars';
import { sqlIdentifier, sqlLiteral } from '../command/sql.js';
import { databasesOfDumps } from './dumps.js';
import { galeraMostAdvanced, galeraSeqno, stdoutOf } from './galera.js';

/** Handlebars passes its options object as the last argument; helpers see only the values. */
function values(args: unknown[]): unknown[] {
  return args.slice(0, -1);
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

/** The helpers SPEC promises (eq, ne, and, or, not, default, join, json), and slug and digest. */
export const templateHelpers: Record<string, HelperDelegate> = {
  eq: (...args: unknown[]) => {
    const [a, b] = values(args);
    return a === b;
  },
  ne: (...args: unknown[]) => {
    const [a, b] = values(args);
    return a !== b;
  },
  and: (...args: unknown[]) => values(args).every(truthy),
  or: (...args: unknown[]) => values(args).some(truthy),
  not: (...args: unknown[]) => !truthy(values(args)[0]),
  default: (...args: unknown[]) => {
    const [value, fallback] = values(args);
    return value === undefined || value === null || value === '' ? fallback : value;
  },
  join: (...args: unknown[]) => {
    const [list, separator] = values(args);
    if (!Array.isArray(list)) throw new Error('join expects a list');
    return list.join(typeof separator === 'string' ? separator : ',');
  },
  json: (...args: unknown[]) => JSON.stringify(values(args)[0]),
  /** A path as one file name: `/var/lib/nova` -> `var-lib-nova` (how backup-files names archives). */
  slug: (...args: unknown[]) => String(values(args)[0] ?? '').replace(/^\/+|\/+$/g, '').replace(/\/+/g, '-'),
  /**
   * A fixed-length name for any values: the first 16 hex digits of the sha256 of them, joined by
   * NUL (`{{digest run.id host.name}}`), for a path that must stay short whatever the values
   * (a unix socket's path is at most 107 bytes).
   */
  digest: (...args: unknown[]) => {
    const parts = values(args);
    if (parts.length === 0 || !parts.every((p) => typeof p === 'string' || typeof p === 'number')) throw new Error('digest expects one or more strings or numbers');
    return createHash('sha256').update(parts.map(String).join('\0')).digest('hex').slice(0, 16);
  },
  /** A name as a MariaDB identifier, `` `nova` `` (src/command/sql.ts); the shell quoting comes after. */
  sql_identifier: (...args: unknown[]) => sqlIdentifier(textOf(values(args)[0], 'sql_identifier')),
  /** A value as a MariaDB string literal, `'nova'` (src/command/sql.ts); numbers stay numbers. */
  sql_literal: (...args: unknown[]) => {
    const value = values(args)[0];
    return sqlLiteral(typeof value === 'number' ? value : textOf(value, 'sql_literal'));
  },
  /**
   * The databases a database backup holds (its `<db>.sql.zst` or `<db>.sql.gz` files), narrowed to `wanted` when
   * that is a non-empty list: `{{#each (dump_databases db_backup.backup.files params.databases)}}`.
   */
  dump_databases: (...args: unknown[]) => {
    const [files, wanted] = values(args);
    const result = databasesOfDumps(files, wanted);
    if (!result.ok) throw new Error(result.error);
    return result.value;
  },
  /**
   * The Galera member to bootstrap a stopped cluster from (src/galera/position.ts): the host of
   * `hosts` whose registered probe output `name` (grastate.dat and `mariadbd --wsrep-recover`'s
   * line) holds the highest committed seqno: `{{galera_most_advanced hostvars groups.galera 'position'}}`.
   */
  galera_most_advanced: (...args: unknown[]) => {
    const [hostvars, hosts, name] = values(args);
    const result = galeraMostAdvanced(hostvars, hosts, name);
    if (!result.ok) throw new Error(result.error);
    return result.value;
  },
  /**
   * What each of `hosts` registered as `name`, its stdout, in the hosts' order (a list: in a
   * command, one quoted word each): `set -- {{stdout_of hostvars groups.galera 'state'}}`.
   */
  stdout_of: (...args: unknown[]) => {
    const [hostvars, hosts, name] = values(args);
    const result = stdoutOf(hostvars, hosts, name);
    if (!result.ok) throw new Error(result.error);
    return result.value;
  },
  /** The committed seqno in one member's registered probe output: `{{galera_seqno position.stdout}}`. */
  galera_seqno: (...args: unknown[]) => {
    const result = galeraSeqno(values(args)[0]);
    if (!result.ok) throw new Error(result.error);
    return result.value;
  },
};

function textOf(value: unknown, helper: string): string {
  if (typeof value !== 'string') throw new Error(`${helper} expects a string`);
  return value;
}
