/**
 * The record of a passed restore test, kept beside a backup's manifest on the storage node
 * (docs/backups.md): `<root>/<kind>/<host>/<id>/restore-test.json`. It answers "when was this
 * backup last shown to restore?" without the control node's journals, and lets a verify run skip
 * a backup already tested. Only a passed test is recorded: a failed one rolls its record back.
 */
export const RESTORE_TEST_FORMAT = 'runbook-restore-test/1';
export const RESTORE_TEST_NAME = 'restore-test.json';

export interface RestoreTest {
  format: typeof RESTORE_TEST_FORMAT;
  /** The backup that was restored. */
  backup: string;
  /** ISO 8601, when the test passed. */
  tested_at: string;
  /** Inventory name of the host the backup was restored on (into scratch space). */
  on: string;
  run: { id: string; runbook: string; version: string };
}

/**
 * A record's JSON text, or null when it is missing or unreadable: a record that cannot be read
 * proves nothing, so the backup counts as not tested (and a verify run tests it again).
 */
export function parseRestoreTest(text: string | undefined, backupId: string): RestoreTest | null {
  if (text === undefined || text.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Partial<RestoreTest>;
  if (record.format !== RESTORE_TEST_FORMAT || record.backup !== backupId || typeof record.tested_at !== 'string') return null;
  return record as RestoreTest;
}
