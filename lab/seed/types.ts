/** A value of a seeded row: SQL NULL, a number or a string. */
export type SqlValue = string | number | null;

/** What the row generators depend on; the same scale gives the same rows. */
export interface SeedScale {
  /** Compute host names, cmp1..cmpN. */
  computes: string[];
  instances: number;
  images: number;
  volumes: number;
  projects: number;
  users: number;
}

export interface TableSeed {
  name: string;
  /** Column definitions and keys, inside CREATE TABLE (...). */
  ddl: string;
  rows(scale: SeedScale): Iterable<SqlValue[]>;
}

export interface DatabaseSeed {
  name: string;
  tables: TableSeed[];
}

/** A SQL literal for MariaDB (NO_BACKSLASH_ESCAPES off, the default). */
export function literal(v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** Helpers for the common OpenStack columns. */
export const COMMON = 'created_at DATETIME NULL, updated_at DATETIME NULL, deleted_at DATETIME NULL';
