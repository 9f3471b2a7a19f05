import { joinCommands, type ShellCommand, sh } from '../command/command.js';
import { sqlIdentifier, sqlLiteral } from '../command/sql.js';
import type { FileMarker, MarkerWrite, SqlMarker } from './types.js';

/** When a marker was written: before the backup (it must come back) or after it (the loss). */
export type MarkerStage = 'before-backup' | 'after-backup';

/** One written marker: which write, when, where, and its value (a fresh UUID). */
export interface Marker {
  write: string;
  stage: MarkerStage;
  host: string;
  value: string;
  /** `nova.instances.uuid` or the file's path. */
  where: string;
  writtenAt: string;
}

/**
 * What became of a marker after the recovery; `unexpected` is a marker the drill says is lost
 * (`expect: lost`) that came back all the same: the drill's claim is wrong.
 */
export type MarkerFate = 'restored' | 'missing' | 'lost' | 'survived' | 'unexpected';

/**
 * Before the backup: present means restored, absent missing. After it: absent lost, present
 * survived. A marker the drill expects lost is lost when absent, whenever it was written.
 */
export function fateOf(stage: MarkerStage, present: boolean, expect?: 'lost'): MarkerFate {
  if (expect === 'lost') return present ? 'unexpected' : 'lost';
  if (stage === 'before-backup') return present ? 'restored' : 'missing';
  return present ? 'survived' : 'lost';
}

/** Fates that fail verification. */
export const failedFate = (fate: MarkerFate): boolean => fate === 'missing' || fate === 'unexpected';

/** `mysql` as the ssh user (root's socket auth on a controller), batch mode, no headers. */
const mysql = (database: string, sql: string): ShellCommand => sh`mysql -N -B ${database} -e ${sql}`;

export const markerFile = (file: FileMarker, value: string): string => `${file.dir.replace(/\/+$/, '')}/runbook-drill-${value}`;

export function whereOf(write: MarkerWrite, value: string): string {
  switch (write.kind) {
    case 'sql': return `${write.sql.database}.${write.sql.table}.${write.sql.column}`;
    case 'file': return markerFile(write.file, value);
    case 'command': return `command marker ${write.id}`;
  }
}

/**
 * True when the marker's commands are the author's templates, to be rendered for the host
 * (`runAuthored`); the sql and file commands are built here and already quoted.
 */
export const isAuthored = (write: MarkerWrite): boolean => write.kind === 'command';

/** The author's command with the marker exported to it as $RUNBOOK_MARKER. */
const withMarker = (value: string, command: string): string => `${sh`RUNBOOK_MARKER=${value}; export RUNBOOK_MARKER;`.text}\n${command}`;

/** The shell command that writes a marker. */
export function writeCommand(write: MarkerWrite, value: string): string {
  if (write.kind === 'command') return withMarker(value, write.command.write);
  if (write.kind === 'sql') return mysql(write.sql.database, insertSql(write.sql, value)).text;
  const path = markerFile(write.file, value);
  const parts = [sh`printf '%s\\n' ${value} > ${path}`];
  if (write.file.owner) parts.push(sh`chown ${write.file.owner} ${path}`);
  if (write.file.mode) parts.push(sh`chmod ${write.file.mode} ${path}`);
  return joinCommands(parts, '&&').text;
}

/** The shell command that prints `1` when the marker is there and `0` when it is not. */
export function probeCommand(write: MarkerWrite, value: string): string {
  // Any failure of the author's probe means absent: a service that cannot answer has lost it too.
  if (write.kind === 'command') return withMarker(value, `if ( ${write.command.probe}\n) >/dev/null 2>&1; then echo 1; else echo 0; fi`);
  if (write.kind === 'file') return sh`if test -f ${markerFile(write.file, value)}; then echo 1; else echo 0; fi`.text;
  const { database, table, column } = write.sql;
  // A dropped database or table means the marker is gone, not that the probe failed.
  return sh`${mysql(database, `SELECT COUNT(*) FROM ${sqlIdentifier(table)} WHERE ${sqlIdentifier(column)} = ${sqlLiteral(value)}`)} 2>/dev/null || echo 0`.text;
}

/** The shell command that removes a marker (cleanup after the drill). */
export function removeCommand(write: MarkerWrite, value: string): string {
  if (write.kind === 'command') return withMarker(value, write.command.remove ?? 'true');
  if (write.kind === 'file') return sh`rm -f -- ${markerFile(write.file, value)}`.text;
  const { database, table, column } = write.sql;
  return mysql(database, `DELETE FROM ${sqlIdentifier(table)} WHERE ${sqlIdentifier(column)} = ${sqlLiteral(value)}`).text;
}

function insertSql(sql: SqlMarker, value: string): string {
  const columns = [sql.column, ...Object.keys(sql.values)];
  const values = [value, ...Object.values(sql.values)].map(sqlLiteral);
  return `INSERT INTO ${sqlIdentifier(sql.table)} (${columns.map(sqlIdentifier).join(', ')}) VALUES (${values.join(', ')})`;
}

/** A probe's output as presence: the count is the last line. */
export function presentFrom(stdout: string): boolean {
  const last = stdout.trim().split('\n').pop() ?? '0';
  return Number(last) > 0;
}
