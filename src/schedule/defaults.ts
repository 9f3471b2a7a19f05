/**
 * The schedule of the shipped runbooks when `--every` is not given. Backups nightly, rotation
 * after them, the restore test weekly after a night's backups. They are hours apart because two
 * runs against one inventory never run at once: a run that finds the other's lock is refused
 * (exit 2) and waits for its next time, so a night's runs must not overlap.
 */
export const DEFAULT_EVERY: Readonly<Record<string, string>> = {
  'backup-db': 'daily 01:00',
  'backup-files': 'daily 02:00',
  // After both backups, before rotation: the night's newest backups go off-site.
  'copy-offsite': 'daily 03:00',
  rotate: 'daily 04:00',
  'verify-backup': 'weekly Sun 05:00',
};
