/**
 * Values for SQL text that a command carries to mysql (MariaDB's default sql_mode): a string
 * literal with `\` and `'` escaped, an identifier in backquotes with `` ` `` doubled. Shell quoting
 * of the whole statement comes after, by `sh`: one protects the SQL, the other the shell.
 */
export function sqlLiteral(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return String(value);
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

export function sqlIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}
