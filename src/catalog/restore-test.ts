import { knownKeys, parseUntrustedJson } from './untrusted-json.js';

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

const RESTORE_TEST_KEYS = ['format', 'backup', 'tested_at', 'on', 'run'] as const satisfies readonly (keyof RestoreTest)[];

/**
 * A record's JSON text, or null when it is missing, does not pass schemas/restore-test.schema.json
 * or names another backup: a record that cannot be trusted proves nothing, so the backup counts
 * as not tested (and a verify run tests it again and writes a good record).
 */
export function parseRestoreTest(text: string | undefined, backupId: string): RestoreTest | null {
  if (text === undefined || text.trim() === '') return null;
  const parsed = parseUntrustedJson(RESTORE_TEST_NAME, text, 'restore-test');
  if (!parsed.ok) return null;
  const record = knownKeys<RestoreTest>(parsed.value, RESTORE_TEST_KEYS);
  return record.backup === backupId ? record : null;
}
